"""The contract (:mod:`wfscc.contract`) is the only place that spells the tables and code lists.

Every Python file under ``src/wfscc`` outside ``src/wfscc/contract/`` is parsed with :mod:`ast`
and fails the test if it spells a list of table names or a code list (or a part of one) again.

The rule, and why it is narrow:

* **A copied list**: a tuple, list or set literal of two or more strings, every one of them a
  table name (file stem or ``Dataset`` attribute), or every one of them a code of the same code
  list (``THEMES``, ``DIRECTIONS``, ``ROUTES``, ``BARRIERS``, ``ELEMENTS`` and every other code
  list of the contract: ``GROUPS``, ``PLACES``, ``ROLES``, …), fails.
* **A copied label map**: a dict literal with two or more keys, every key a table name or every
  key a code of the same code list, fails (labels belong in the contract: ``ELEMENT_LABELS``,
  ``THEME_LABELS``, ``style.VALUE_LABELS``).
* A single string naming one code (``route == "outreach_event"``) or one table
  (``tables["survey"]``) is allowed: code that gives one code a role of its own names it, and
  the same words are also ordinary column names and units ("referrals", "interviews",
  "confidence"), which a check of every lone word could not tell apart from a table name.
  Docstrings, comments and message f-strings never form a tuple, list, set or dict of bare
  strings, so they need no exception.

The build's names and the pilot's dates are checked one string at a time (a lone word is never
a column name here):

* **An engine or executor name** (``"pandoc"``, ``"local"``, …) as a string literal fails: code
  compares with ``ENGINE_PANDOC``, ``EXECUTOR_LOCAL``, … . Allowed: docstrings, the pieces of
  an f-string (a message may name the program) and the argument of ``shutil.which`` (the name
  of an executable, not of an engine).
* **The publish marker or the cache folder's name** inside any string literal but a docstring
  fails: use ``PUBLISH_MARKER`` and ``CACHE_DIRNAME``.
* **A pilot year** (2009, 2010, 2011) as a number, or inside any string literal but a
  docstring (a date ``"2010-04-01"``, a message "by March 2011"), fails: the dates are
  ``PILOT_START``, ``PILOT_END``, ``FIRST_YEAR``, ``LAST_YEAR`` and ``PUBLICATION_DATE``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from wfscc import contract

SRC = Path(__file__).resolve().parents[2] / "src" / "wfscc"
CONTRACT = SRC / "contract"

#: Every code list of the contract: the lists the columns of ``SPEC`` take their codes from.
CODE_LISTS = (
    "GROUPS", "REGIONS", "ELEMENTS", "BENEFITS", "CUSTOMER_TYPES", "ROUTES", "BARRIERS",
    "DIRECTIONS", "SERVICES", "PLACES", "WORK_STATUSES", "HOUSEHOLDS", "INTERVIEW_TYPES",
    "ROLES", "THEMES",
)
VOCABULARIES: dict[str, frozenset[str]] = {
    "table names": frozenset(contract.TABLES) | frozenset(contract.ATTRIBUTES),
    **{name: frozenset(getattr(contract, name)) for name in CODE_LISTS},
}


def _strings(nodes) -> list[str] | None:
    """The values of ``nodes`` if every one is a string literal, else None."""
    values = []
    for node in nodes:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return None
        values.append(node.value)
    return values


def _vocabulary(values: list[str] | None) -> str | None:
    """The vocabulary that holds every one of two or more ``values``, if any."""
    if values is None or len(values) < 2:
        return None
    for name, words in VOCABULARIES.items():
        if all(v in words for v in values):
            return name
    return None


def copied_lists(source: str) -> list[tuple[int, str, list[str]]]:
    """(line, vocabulary, values) for each copied list or label map in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            values = _strings(node.elts)
        elif isinstance(node, ast.Dict):
            values = None if None in node.keys else _strings(node.keys)
        else:
            continue
        vocabulary = _vocabulary(values)
        if vocabulary:
            found.append((node.lineno, vocabulary, values))
    return found


#: Engine and executor names: compared with the contract's constants, never spelled.
SETTING_NAMES = frozenset({*contract.ENGINES, *contract.EXECUTORS})
#: File names of the build: never spelled inside a string.
FILE_NAMES = (contract.PUBLISH_MARKER, contract.CACHE_DIRNAME)
PILOT_YEARS = range(contract.PILOT_START.year, contract.PILOT_END.year + 1)
_YEAR = re.compile(rf"\b({'|'.join(map(str, PILOT_YEARS))})\b")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)):
            found.add(id(body[0].value))
    return found


def _exempt_names(tree: ast.AST) -> set[int]:
    """Constants that may be an engine's word: inside an f-string, or `shutil.which`'s argument."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "which"
        ):
            found |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant)}
    return found


def spelled_settings(source: str) -> list[tuple[int, str]]:
    """(line, value) for each engine or executor name, build file name or pilot year spelled as
    a literal in ``source``."""
    tree = ast.parse(source)
    docs, exempt = _docstrings(tree), _exempt_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docs:
            continue
        value = node.value
        if isinstance(value, str):
            bad = (
                (value in SETTING_NAMES and id(node) not in exempt)
                or any(name in value for name in FILE_NAMES)
                or _YEAR.search(value)
            )
        else:
            bad = type(value) is int and value in PILOT_YEARS
        if bad:
            found.append((node.lineno, repr(value)))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if CONTRACT not in p.parents)


def test_the_check_finds_copies():
    # Each of these would be a second definition of part of the contract.
    assert copied_lists('X = ("areas", "centres")')[0][1] == "table names"
    assert copied_lists('X = ["mi", "survey"]')[0][1] == "table names"
    assert copied_lists('X = {"jcp_to_centre", "centre_to_jcp"}')[0][1] == "DIRECTIONS"
    labels = 'L = {"jcp_provision": "JCP", "partnership_working": "Partnership"}'
    assert copied_lists(labels)[0][1] == "ELEMENTS"
    assert copied_lists('def f():\n    return ("childcare", "skills")')[0][1] == "BARRIERS"


def test_the_check_leaves_single_words_and_mixed_lists():
    allowed = '''
"""Docstring naming "areas" and "centres"."""
route = "outreach_event"
frame = tables["survey"]
cols = ["theme", "interviews", "base", "percent"]
UNITS = {"users", "referrals", "interviews"}
MIXED = ("flexible_role", "jcp_to_centre")
message = f"{'areas'} and {'centres'}"
'''
    assert copied_lists(allowed) == []


def test_every_code_list_of_the_contract_is_checked():
    in_spec = {col.codes for cols in contract.SPEC.values() for col in cols if col.codes}
    checked = {getattr(contract, name) for name in CODE_LISTS}
    assert in_spec <= checked, in_spec - checked


def test_the_contract_spells_what_the_check_looks_for():
    assert copied_lists((CONTRACT / "tables.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_module_outside_the_contract_spells_a_table_list_or_code_list(path):
    found = copied_lists(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(
        f"{path.relative_to(SRC.parent)}:{line}: {values} copies {vocabulary}; import it from "
        "wfscc.contract (or add the labels there)"
        for line, vocabulary, values in found
    )


def test_the_settings_check_finds_spelled_names_and_dates():
    assert spelled_settings('if engine == "quarto":\n    pass')
    assert spelled_settings('def f(executor="local"): ...')
    assert spelled_settings('MARKER = out / ".wfscc-build.json"')
    assert spelled_settings('msg = f"remove {where}/.wfscc-cache"')
    assert spelled_settings('END = pd.Timestamp("2011-03-31")')
    assert spelled_settings("STAMP = dt.datetime(2011, 8, 1)")
    assert spelled_settings('raise E("a date in 2009")')


def test_the_settings_check_leaves_docstrings_messages_and_programs():
    allowed = '''
"""Render with "pandoc" or "quarto", from January 2009 (see .wfscc-cache)."""
def f():
    """executor="local" runs here."""
    exe = shutil.which("quarto")
    raise RenderError(f"{what or 'pandoc'}: pandoc failed")
engine = ENGINE_PANDOC
year = PILOT_START.year
columns = ["local_authority", "auto_enrolled", 2012, 1.5]
'''
    assert spelled_settings(allowed) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_module_outside_the_contract_spells_an_engine_a_build_file_or_a_pilot_date(path):
    found = spelled_settings(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(
        f"{path.relative_to(SRC.parent)}:{line}: {value} spells a name or date of the contract; "
        "import it from wfscc.contract (ENGINE_*, EXECUTOR_*, PUBLISH_MARKER, CACHE_DIRNAME, "
        "PILOT_START, PILOT_END, FIRST_YEAR, LAST_YEAR, PUBLICATION_DATE)"
        for line, value in found
    )

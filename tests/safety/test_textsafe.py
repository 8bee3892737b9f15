"""Each escaping function of `wfscc.textsafe` keeps text as text in its target.

The Markdown tests read the escaped text back with the same pandoc the build uses (and the
Typst string test with Typst itself), so they check what a reader sees, not the escaping rule.
"""

from __future__ import annotations

import csv
import io
import json
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfscc import textsafe

HOSTILE = [
    "Area [x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "#set page(fill: red)",
    "*bold* _it_ `code` ~sub~ ^sup^ $x^2$",
    "@fig-starts {{< var la_name >}} [c]{.hidden}",
    "1. first",
    "- item",
    "> quote",
    "| a | b |",
    "Tom & Jerry &amp; <b>",
    "a--b ... \\ backslash",
    "=SUM(A1) +1 -2 @x",
    "King's Lynn",
]


def _pandoc_plain(markdown: str) -> tuple[str, list]:
    """What pandoc makes of ``markdown``: its plain text and its element types."""
    import pypandoc

    native = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))
    kinds: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "t" in node:
                kinds.append(node["t"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(native["blocks"])
    text = pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])
    return text.strip(), kinds


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _straight(text: str) -> str:
    """``text`` with curly apostrophes straightened: the escaping keeps the apostrophe on
    purpose, so that pandoc sets "King's Lynn" with a typographic one like the rest of the text."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_shows_the_value_as_written(value):
    text, kinds = _pandoc_plain(textsafe.markdown(value))
    assert _straight(text) == value
    assert set(kinds) <= {"Para", "Str", "Space"}, kinds


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_value_inside_a_sentence_and_a_heading(value):
    text, kinds = _pandoc_plain(f"# {textsafe.markdown(value)}\n\nIn {textsafe.markdown(value)}.")
    assert _straight(text.splitlines()[0]) == value
    assert _straight(text.splitlines()[-1]) == f"In {value}."
    assert set(kinds) <= {"Header", "Para", "Str", "Space"}, kinds


def test_markdown_value_in_an_attribute_reads_back_as_written():
    value = 'Area "x" [c] <b> \\ $1'
    import pypandoc

    # as `fig-alt="{{< var name >}}"` in a chapter puts it: the escaped value, in quotes
    escaped = textsafe.markdown(value)
    native = json.loads(
        pypandoc.convert_text(f'![a](x.svg){{fig-alt="{escaped}"}}', "json", format="markdown")
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Image":
                found.append(dict(node["c"][0][2]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(native["blocks"])
    assert found == [{"fig-alt": value}]


def test_markdown_makes_one_line():
    assert textsafe.markdown("  a\n\n# b\r\n\tc  ") == "a \\# b c"


_TEXT = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + string.punctuation + " éß–"),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_markdown_round_trips_any_punctuation(value):
    text, kinds = _pandoc_plain("Name: " + textsafe.markdown(value))
    assert _straight(text) == _collapse("Name: " + value)
    assert set(kinds) <= {"Para", "Str", "Space", "Quoted"}, kinds


@pytest.mark.parametrize("value", HOSTILE)
def test_html_escapes_tags_and_quotes(value):
    out = textsafe.html(value + '"')
    assert "<" not in out and ">" not in out and '"' not in out


def test_typst_string_is_one_literal():
    import typst

    value = 'a "quoted" \\ #set page(fill: red) $x$\nnext'
    source = (
        f"#set document(title: {textsafe.typst_string(value)})\n#{textsafe.typst_string(value)}"
    )
    pdf = typst.compile(source.encode())
    assert pdf.startswith(b"%PDF")
    assert textsafe.typst_string(value) == '"a \\"quoted\\" \\\\ #set page(fill: red) $x$ next"'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+44 20", "'+44 20"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("Centre P01-A", "Centre P01-A"),
        ("[c]", "[c]"),
        (-4, -4),
        (None, None),
    ],
)
def test_spreadsheet_cell(value, expected):
    assert textsafe.spreadsheet_cell(value) == expected


def test_spreadsheet_frame_touches_text_only():
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "Area", None],
            "count": [-3, 4, 5],
            "share": [-1.5, 2.0, float("nan")],
            "text": pd.array(["@x", "-", "ok"], dtype="string"),
        }
    )
    out = textsafe.spreadsheet_frame(frame)
    assert out["name"].tolist()[:2] == ['\'=HYPERLINK("http://x")', "Area"]
    assert out["name"].isna().tolist() == [False, False, True]
    assert out["count"].tolist() == [-3, 4, 5] and out["count"].dtype == frame["count"].dtype
    assert out["share"].tolist()[:2] == [-1.5, 2.0]
    assert out["text"].tolist() == ["'@x", "'-", "ok"]
    assert frame["name"].iloc[0].startswith("=")  # the input is not changed


def test_spreadsheet_csv_neutralises_fields_and_keeps_safe_files():
    safe = "la_code,starts\nP01,-3\nP02,[c]\n"
    assert textsafe.spreadsheet_csv(safe) is safe
    text = 'name,n\n"=1+1,x",-2\n@a,3\n'
    rows = list(csv.reader(io.StringIO(textsafe.spreadsheet_csv(text))))
    assert rows == [["name", "n"], ["'=1+1,x", "-2"], ["'@a", "3"]]


def test_charts_turn_mathtext_off():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("Area $5 and $x^2$")  # unbalanced: mathtext would raise
    textsafe.plain_chart_text(fig)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    assert buffer.getvalue().startswith("<?xml")


def test_charts_keep_mathtext_in_tick_labels_only():
    import matplotlib.pyplot as plt

    with plt.rc_context({"text.parse_math": True}):  # the default, whatever ran before
        fig, ax = plt.subplots()
        ax.set_xlabel("$x$ a")
        ax.set_title("$5")
        ax.set_xticks([0, 1], labels=["$a$", "$b$"])
        textsafe.plain_chart_text(fig)
        assert not ax.xaxis.label.get_parse_math() and not ax.title.get_parse_math()
        assert [t.get_parse_math() for t in ax.get_xticklabels()] == [True, True]
    plt.close(fig)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_no_spreadsheet_cell_starts_a_formula(value):
    out = textsafe.spreadsheet_cell(value)
    if out.startswith(textsafe.FORMULA_START):
        float(out)  # only a plain number may start with a sign
    assert out in (value, "'" + value)

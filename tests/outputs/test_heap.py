"""The facts, charts and tables run with the objects alive before them frozen out of Python's
full collections (wfscc.outputs._heap), and give them back at their end."""

from __future__ import annotations

import gc

import pytest

from wfscc.outputs import figures, qa, tables
from wfscc.outputs._heap import frozen_heap


class _Seen(Exception):
    """Raised by a stand-in callee once it has seen how many objects were frozen."""


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_frozen_inside_and_given_back_after(unfrozen):
    gc.collect()
    with frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_given_back_when_the_block_fails(unfrozen):
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0


def test_an_inner_block_leaves_the_outer_one_frozen(unfrozen):
    with frozen_heap():
        with frozen_heap():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_heap_the_caller_froze_stays_frozen(unfrozen):
    gc.freeze()
    frozen = gc.get_freeze_count()
    with frozen_heap():
        pass
    assert gc.get_freeze_count() == frozen


def _recorder(seen: list):
    def callee(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        raise _Seen

    return callee


class _Store:
    def __init__(self, seen: list):
        self.made_from = _recorder(seen)


class _Table:
    def __init__(self, seen: list):
        self.to_published = _recorder(seen)


@pytest.mark.parametrize(
    "entry", ["draw_figures", "report_facts", "report_tables", "write_tables", "qa_log"]
)
def test_each_step_runs_frozen(entry, unfrozen, monkeypatch, tmp_path):
    seen: list[int] = []
    callee = _recorder(seen)
    if entry == "draw_figures":
        monkeypatch.setattr(figures, "_chart_data", callee)
        call = lambda: figures.draw_figures(None)  # noqa: E731
    elif entry == "report_facts":
        monkeypatch.setattr(figures, "compute_facts", callee)
        call = lambda: figures.report_facts(None, figures={})  # noqa: E731
    elif entry == "report_tables":
        call = lambda: tables.report_tables(None, store=_Store(seen))  # noqa: E731
    elif entry == "write_tables":
        call = lambda: tables.write_tables({"t": _Table(seen)}, tmp_path)  # noqa: E731
    else:
        monkeypatch.setattr(qa, "claims_from_facts", callee)
        call = lambda: qa.qa_log(None, {}, [], None)  # noqa: E731
    with pytest.raises(_Seen):
        call()
    assert seen and seen[0] > 0, f"{entry} ran with nothing frozen"
    assert gc.get_freeze_count() == 0, f"{entry} left the heap frozen"

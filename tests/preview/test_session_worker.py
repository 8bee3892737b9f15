"""How the preview uses its build worker (`_session.Preview` with `_process.BuildWorker`): one
worker for build after build; a new one once wfscc's own code has changed, once it has ended,
and after a failed build; stopped as idle or as busy. A stand-in worker records what the
preview asks of it (the real one: test_worker.py, test_preview_e2e.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from wfscc.build.cache import PACKAGE_DIR
from wfscc.config import Config
from wfscc.preview import _session


class StandIn:
    """Records the builds asked of it and how it was stopped."""

    made: list[StandIn] = []

    def __init__(self, config, keep):
        self.asked, self.stopped, self.has_ended, self.refuse = 0, [], False, 0
        self.pages: Path | None = None  # the folder it names next (early_pages)
        StandIn.made.append(self)

    def early_pages(self) -> Path | None:
        pages, self.pages = self.pages, None
        return pages

    def ask(self) -> bool:
        if self.refuse:
            self.refuse -= 1
            return False
        self.asked += 1
        return True

    def ended(self) -> bool:
        return self.has_ended

    def stop(self, *, idle: bool = True) -> None:
        self.stopped.append("idle" if idle else "busy")


@pytest.fixture
def session(tmp_path, monkeypatch, make_project):
    StandIn.made = []
    monkeypatch.setattr(_session, "BuildWorker", StandIn)
    project = make_project(tmp_path / "project")
    config = Config(project_dir=project, data_dir=project / "data", out_dir=project / "_book")
    preview = _session.Preview(config, 0, echo=lambda line: None)
    # served as `run` serves it (close() waits for the server to stop)
    threading.Thread(target=preview.server.serve_forever, daemon=True).start()
    yield preview
    preview.close()


def _finish(preview, outcome: dict) -> None:
    preview._finished(outcome)


def _pages(preview, name: str) -> Path:
    """A folder of a build's pages, as the worker names it."""
    folder = preview.keep / f"pages-build-1-{name}"
    folder.mkdir()
    (folder / "index.html").write_text(f"<p>{name}</p>", encoding="utf-8")
    return folder


def test_one_worker_takes_build_after_build(session):
    session._start_build()
    assert session.building
    _finish(session, {"ok": True, "noop": True, "seconds": 0.1})
    session._start_build()
    assert [w.asked for w in StandIn.made] == [2]
    assert StandIn.made[0].stopped == []


def test_a_change_to_wfscc_s_code_gives_the_next_build_a_new_worker(session):
    session._start_build()
    _finish(session, {"ok": True, "noop": True, "seconds": 0.1})
    session._changed({PACKAGE_DIR / "cli.py"})  # nothing is written: only what it was told
    assert session.worker is StandIn.made[0]  # not stopped until a build needs a worker
    session._start_build()
    assert len(StandIn.made) == 2
    assert StandIn.made[0].stopped == ["idle"] and StandIn.made[1].asked == 1
    _finish(session, {"ok": True, "noop": True, "seconds": 0.1})
    session._start_build()  # the code has not changed again: the same worker
    assert len(StandIn.made) == 2 and StandIn.made[1].asked == 2


def test_a_worker_that_ended_or_refuses_is_replaced_once(session):
    session._start_build()
    _finish(session, {"ok": True, "noop": True, "seconds": 0.1})
    StandIn.made[0].has_ended = True
    session._start_build()
    assert len(StandIn.made) == 2 and StandIn.made[1].asked == 1
    _finish(session, {"ok": True, "noop": True, "seconds": 0.1})

    StandIn.made[1].refuse = 1  # it ended between the check and the request
    session._start_build()
    assert len(StandIn.made) == 3 and StandIn.made[2].asked == 1 and session.building


def test_a_failed_build_ends_its_worker_and_the_next_build_gets_a_new_one(session):
    session._start_build()
    _finish(session, {"ok": False, "error": "areas.csv, row 2: not a valid la_code"})
    assert StandIn.made[0].stopped == ["idle"] and session.worker is None
    assert session.live.snapshot()["state"] == "error"
    session._start_build()
    assert len(StandIn.made) == 2


def test_closing_stops_a_worker_with_a_build_in_flight_as_busy(session):
    session._start_build()
    session.close()
    assert StandIn.made[0].stopped == ["busy"]
    assert session.worker is None


def test_closing_stops_a_worker_between_builds_as_idle(session):
    session._start_build()
    _finish(session, {"ok": True, "noop": True, "seconds": 0.1})
    session.close()
    assert StandIn.made[0].stopped == ["idle"]


def test_a_build_s_pages_are_shown_as_soon_as_its_worker_names_them(session):
    session._start_build()
    folder = StandIn.made[0].pages = _pages(session, "early")
    session._take_early_pages()
    assert session.pages == folder and session.early
    status = session.live.snapshot()
    assert status["state"] == "current" and status["full"] == "building"
    _finish(session, {"ok": True, "noop": False, "seconds": 1.0})
    assert session.pages is None and not folder.exists()  # the published site is served
    assert session.live.snapshot()["full"] == "current"


def test_a_build_s_pages_are_not_shown_when_newer_edits_wait(session):
    session._start_build()
    session.pending = True  # an edit saved after the build began
    folder = StandIn.made[0].pages = _pages(session, "stale")
    session._take_early_pages()
    assert session.pages is None and not folder.exists()


def test_the_pages_of_a_build_that_failed_are_taken_down(session):
    for named in ("before", "with the outcome"):
        session._start_build()
        worker = session.worker
        folder = worker.pages = _pages(session, named.replace(" ", "-"))
        if named == "before":
            session._take_early_pages()
            assert session.pages == folder
        _finish(session, {"ok": False, "error": "personal data found in index.html"})
        assert session.pages is None and not folder.exists(), named
        assert session.live.snapshot()["state"] == "error"

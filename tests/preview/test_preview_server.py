"""The preview's HTTP server, driven with a real HTTP client (urllib) on a free port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from wfscc.preview._server import LIVE, LiveState, inject, make_server, url_of

PAGE = "<!DOCTYPE html>\n<html><body><main><p>Chapter text</p></main></body></html>\n"


def get(url: str, timeout: float = 10.0) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "profiles").mkdir(parents=True)
    (site / "pagefind").mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "profiles" / "P01.html").write_text(PAGE.replace("Chapter", "Profile"), "utf-8")
    (site / "pagefind" / "pagefind.js").write_text("export const x = 1;\n", encoding="utf-8")
    (site / "pagefind" / "wasm.en.pagefind").write_bytes(b"\0asm")
    return site


def running(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def live_server(site: Path, tmp_path: Path):
    pages = tmp_path / "pages"
    roots = {"list": [site]}
    live = LiveState()
    server = make_server(0, roots=lambda: roots["list"], live=live)
    running(server)
    try:
        yield url_of(server), live, roots, pages
    finally:
        live.close()
        server.shutdown()
        server.server_close()


def test_serve_gives_the_files_as_they_are(site: Path):
    server = make_server(0, directory=site)
    running(server)
    try:
        url = url_of(server)
        assert url.startswith("http://127.0.0.1:")
        status, kind, body = get(url)
        assert (status, body) == (200, (site / "index.html").read_bytes())
        assert kind.startswith("text/html")
        status, kind, _ = get(url + "pagefind/pagefind.js")
        assert status == 200 and "javascript" in kind
        assert get(url + "missing.html")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


def test_live_pages_carry_the_reload_script_in_the_response_only(live_server, site: Path):
    url, live, _, _ = live_server
    status, kind, body = get(url + "profiles/P01.html")
    assert status == 200 and kind.startswith("text/html")
    text = body.decode()
    assert "Profile text" in text
    assert f'src="{LIVE}live.js"' in text
    assert text.index("live.js") < text.index("</body>")
    assert LIVE not in (site / "profiles" / "P01.html").read_text(encoding="utf-8")
    # the directory's index page gets it too; other files are sent untouched
    assert "live.js" in get(url)[2].decode()
    assert get(url + "pagefind/wasm.en.pagefind")[2] == b"\0asm"
    status, kind, script = get(url + LIVE.lstrip("/") + "live.js")
    assert status == 200 and "javascript" in kind and b"location.reload" in script


def test_the_first_root_holding_a_file_wins(live_server, site: Path):
    url, _, roots, pages = live_server
    pages.mkdir()
    (pages / "index.html").write_text(PAGE.replace("Chapter text", "Edited text"), "utf-8")
    roots["list"] = [pages, site]
    assert "Edited text" in get(url)[2].decode()
    assert "Profile text" in get(url + "profiles/P01.html")[2].decode()  # from the site


def test_while_the_build_is_broken_every_page_shows_its_error(live_server):
    url, live, _, _ = live_server
    live.update(reload=True, state="error", error="report/03.qmd:7: unknown variable 'x' <y>")
    status, _, body = get(url + "profiles/P01.html")
    text = body.decode()
    assert status == 500
    assert "The build failed" in text and "Profile text" not in text
    assert "report/03.qmd:7: unknown variable &#x27;x&#x27; &lt;y&gt;" in text
    assert "live.js" in text  # so it reloads itself when the next build succeeds
    assert get(url + "pagefind/pagefind.js")[0] == 200  # files other than pages still come
    live.update(reload=True, state="current", error="")
    assert get(url + "profiles/P01.html")[0] == 200


def test_status_is_a_long_poll_that_returns_on_a_change(live_server):
    url, live, _, _ = live_server
    now = json.loads(get(url + "__wfscc__/status.json?seq=-1")[2])
    assert now["state"] == "building"
    threading.Timer(0.3, lambda: live.update(reload=True, state="current", full="current")).start()
    started = time.monotonic()
    after = json.loads(get(url + f"__wfscc__/status.json?seq={now['seq']}")[2])
    assert 0.2 < time.monotonic() - started < 5
    assert after["version"] == now["version"] + 1
    assert (after["state"], after["full"]) == ("current", "current")


def test_inject_without_a_body_tag_appends():
    assert inject("<p>x</p>", "<script></script>") == b"<p>x</p><script></script>"
    assert inject("<BODY>x</BODY>", "<s>") == b"<BODY>x<s></BODY>"


def test_wfscc_serve_command_serves_until_ctrl_c(site: Path, serve_command):
    with serve_command(site) as (url, proc):
        status, _, body = get(url + "profiles/P01.html")
        assert (status, body) == (200, (site / "profiles" / "P01.html").read_bytes())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert "Stopped." in proc.stdout.read()


def _stopped_cleanly(proc: subprocess.Popen) -> None:
    code = proc.wait(timeout=30)
    out = proc.stdout.read()
    assert (code, "Stopped." in out, "Traceback" in out) == (0, True, False), out


@pytest.mark.parametrize("signals", [[signal.SIGINT], [signal.SIGTERM], [signal.SIGINT] * 3])
def test_wfscc_serve_stops_cleanly_on_ctrl_c_kill_or_repeated_ctrl_c(site: Path, serve_command,
                                                                     signals):
    with serve_command(site) as (url, proc):
        assert get(url + "index.html")[0] == 200
        for number in signals:
            proc.send_signal(number)
        _stopped_cleanly(proc)


def test_wfscc_serve_stops_with_a_connection_left_open(site: Path, serve_command):
    """A client that connected and sent nothing (or stopped reading) must not hold up Ctrl-C."""
    with serve_command(site) as (url, proc):
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        with socket.create_connection((host, int(port)), timeout=10):
            assert get(url + "index.html")[0] == 200  # the idle connection has been accepted
            proc.send_signal(signal.SIGINT)
            _stopped_cleanly(proc)


def test_wfscc_serve_stops_on_ctrl_c_when_started_with_it_ignored(site: Path, serve_command):
    """A background job of a shell script starts with SIGINT ignored; Ctrl-C (or `kill -INT`)
    must still stop it."""
    ignore_ctrl_c = lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)  # noqa: E731
    with serve_command(site, preexec_fn=ignore_ctrl_c) as (_, proc):
        proc.send_signal(signal.SIGINT)
        _stopped_cleanly(proc)


def test_wfscc_serve_without_a_site_says_what_to_do(tmp_path: Path):
    out = subprocess.run(
        [sys.executable, "-m", "wfscc.cli", "serve", str(tmp_path / "nothing"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "No built site in" in out.stderr and "wfscc build" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_page_not_built_yet_waits_for_the_build(live_server):
    url, live, _, _ = live_server
    status, _, body = get(url + "not-yet.html")
    assert status == 503 and "Building the site" in body.decode() and "live.js" in body.decode()
    live.update(reload=True, state="current")
    assert get(url + "not-yet.html")[0] == 404


def test_one_preview_per_build_cache(tmp_path: Path):
    from wfscc import Config, WfsccError
    from wfscc.preview import Preview

    config = Config(project_dir=tmp_path, data_dir=tmp_path / "data", out_dir=tmp_path / "_book")
    first = Preview(config, 0)
    try:
        with pytest.raises(WfsccError, match="Another wfscc preview is running"):
            Preview(config, 0)
    finally:
        first.server.server_close()
        first._lock.close()
    second = Preview(config, 0)  # the lock went with the first
    second.server.server_close()
    second._lock.close()


def test_with_the_quarto_engine_preview_hands_over_to_quarto_preview(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "quarto"
    fake.write_text(
        f'#!/bin/sh\necho "$@" > {tmp_path / "args.txt"}\necho "$PATH" > {tmp_path / "path.txt"}\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    project = tmp_path / "project"
    project.mkdir()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "wfscc.cli",
            "preview",
            "--engine",
            "quarto",
            "--port",
            "4321",
            "--no-browser",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )
    assert out.returncode == 0, out.stderr
    assert "Handing over to" in out.stdout
    args = (tmp_path / "args.txt").read_text(encoding="utf-8").split()
    assert args == ["preview", str(project.resolve()), "--port", "4321", "--no-browser"]
    # its pre-render step, `wfscc prepare`, is this wfscc, whatever PATH says
    path = (tmp_path / "path.txt").read_text(encoding="utf-8").strip().split(os.pathsep)
    assert path[0] == str(Path(sys.executable).parent)

    elsewhere = subprocess.run(
        [sys.executable, "-m", "wfscc.cli", "preview", "--engine", "quarto", "--no-browser"]
        + ["--data", str(tmp_path / "other-data")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )
    assert elsewhere.returncode == 1
    assert "leave out --data" in elsewhere.stderr and "Traceback" not in elsewhere.stderr


def test_the_preview_sees_an_edit_of_the_root_home_page(tmp_path: Path):
    from wfscc import Config
    from wfscc.preview import Preview

    home = tmp_path / "index.qmd"
    home.write_text("# Home\n", encoding="utf-8")
    config = Config(project_dir=tmp_path, data_dir=tmp_path / "data", out_dir=tmp_path / "_book")
    preview = Preview(config, 0)
    try:
        home.write_text("# Home, edited\n", encoding="utf-8")
        assert home.resolve() in set(preview.watcher.changes())
    finally:
        preview.server.server_close()
        preview._lock.close()


def test_the_preview_watches_the_narrative_notebooks_config_data_and_code(tmp_path: Path):
    from wfscc import Config
    from wfscc.build.cache import PACKAGE_DIR
    from wfscc.preview import Preview

    project, data = tmp_path / "project", tmp_path / "elsewhere" / "data"
    files = [
        project / "report" / "01-intro.qmd",
        project / "notebooks" / "la_profile.ipynb",
        project / "_quarto.yml",
        data / "mi_starts.csv",
    ]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("before\n", encoding="utf-8")
    (project / "_book").mkdir()
    config = Config(project_dir=project, data_dir=data, out_dir=project / "_book")
    preview = Preview(config, 0)
    try:
        (project / "_book" / "index.html").write_text("output\n", encoding="utf-8")
        assert preview.watcher.changes() == set()  # the output folder is not watched
        for path in files:
            path.write_text("after\n", encoding="utf-8")
        assert preview.watcher.changes() == {p.resolve() for p in files}
        assert PACKAGE_DIR.resolve() in preview.watcher.roots
    finally:
        preview.server.server_close()
        preview._lock.close()

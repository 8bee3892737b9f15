"""The HTTP side of `wfscc serve` and `wfscc preview`: the standard library's server, on localhost.

`serve` hands out the files of one folder as they are. `preview` serves from a list of folders (the
pages of a chapter edit first, then the published site), adds the live-reload script to every HTML
page it sends, and sends the build's error page instead of any page while the last build failed.
The script is added to the response only: no file on disk is changed.
"""

from __future__ import annotations

import functools
import http.server
import json
import mimetypes
import posixpath
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from ._page import error_page, live_script, waiting_page

LIVE = "/__wfscc__/"  # the preview's own URLs: status.json (long-polled) and live.js

mimetypes.add_type("application/wasm", ".wasm")  # Pagefind's search runs as WebAssembly


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files; logs nothing (a reviewer's terminal stays readable)."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        return None


class _LiveHandler(_Quiet):
    """Serves the first of ``roots()`` that holds a path; HTML gets the live-reload script."""

    live: LiveState  # set on the subclass made by make_server
    roots: Callable[[], list[Path]]

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        rel = posixpath.normpath(urllib.parse.unquote(urllib.parse.urlsplit(path).path))
        parts = [p for p in rel.split("/") if p and p not in (".", "..")]
        roots = self.roots()
        for root in roots:
            candidate = root.joinpath(*parts)
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.exists():
                return str(candidate)
        return str(roots[-1].joinpath(*parts)) if roots else ""

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith(LIVE):
            self._live(url)
            return
        target = Path(self.translate_path(self.path))
        wants_page = url.path.endswith("/") or target.suffix == ".html"
        status = self.live.snapshot()
        if wants_page and status["state"] == "error":
            self._send(
                500,
                "text/html; charset=utf-8",
                error_page(status, self._script(status)).encode("utf-8"),
            )
            return
        if wants_page and not target.exists() and status["state"] == "building":
            # the first build has not published this page yet: say so, and reload when it has
            self._send(
                503, "text/html; charset=utf-8", waiting_page(self._script(status)).encode("utf-8")
            )
            return
        if wants_page and target.is_file():
            html = target.read_text(encoding="utf-8", errors="replace")
            self._send(200, "text/html; charset=utf-8", inject(html, self._script(status)))
            return
        super().do_GET()

    def _script(self, status: dict) -> str:
        return (
            f'<script src="{LIVE}live.js" data-version="{status["version"]}" '
            f'data-seq="{status["seq"]}" defer></script>'
        )

    def _live(self, url: urllib.parse.SplitResult) -> None:
        if url.path == LIVE + "live.js":
            self._send(200, "text/javascript; charset=utf-8", live_script().encode("utf-8"))
        elif url.path == LIVE + "status.json":
            query = urllib.parse.parse_qs(url.query)
            try:
                seq = int(query.get("seq", ["-1"])[0])
            except ValueError:
                seq = -1
            status = self.live.wait(seq, timeout=20.0)
            self._send(200, "application/json", json.dumps(status).encode("utf-8"))
        else:
            self.send_error(404)

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def inject(html: str, script: str) -> bytes:
    """*html* with *script* just before ``</body>`` (at the end when there is none)."""
    at = html.lower().rfind("</body>")
    html = html + script if at < 0 else html[:at] + script + html[at:]
    return html.encode("utf-8")


class LiveState:
    """What the preview's pages are told: a change counter they wait on, the HTML's version
    (a page reloads when it moves), the state of the pages and of the PDFs and search index,
    and the last error. Thread-safe; :meth:`wait` is the long poll behind ``status.json``."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._status = {
            "seq": 0,
            "version": 0,
            "state": "building",
            "full": "building",
            "error": "",
            "message": "Building the site",
        }
        self.closed = False

    def snapshot(self) -> dict:
        with self._cond:
            return dict(self._status)

    def update(self, *, reload: bool = False, **changes) -> None:
        """Set *changes*; with *reload*, the pages open now reload."""
        with self._cond:
            self._status.update(changes)
            self._status["seq"] += 1
            if reload:
                self._status["version"] += 1
            self._cond.notify_all()

    def wait(self, seq: int, timeout: float) -> dict:
        """The status once its counter is past *seq* (at once if it is), or after *timeout*."""
        with self._cond:
            self._cond.wait_for(lambda: self._status["seq"] != seq or self.closed, timeout)
            return dict(self._status)

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a page's open long poll does not hold up the end
    allow_reuse_address = True


def make_server(
    port: int,
    *,
    directory: Path | None = None,
    roots: Callable[[], list[Path]] | None = None,
    live: LiveState | None = None,
    host: str = "127.0.0.1",
) -> Server:
    """A server on *host*:*port* (0: any free port) for *directory* as it is (``serve``), or, with
    *roots* and *live*, the preview's live server. Call ``serve_forever`` (in a thread)."""
    if live is None:
        handler = functools.partial(_Quiet, directory=str(directory))
    else:
        handler = type("LiveHandler", (_LiveHandler,), {"live": live, "roots": staticmethod(roots)})
    return Server((host, port), handler)


def url_of(server: Server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"

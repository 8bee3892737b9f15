"""See the report while you write it: `wfscc preview` and `wfscc serve`.

Public API::

    preview(config, port=8000, *, open_browser=True, echo=print)  # until Ctrl-C
    serve(directory, port=8000, *, echo=print)                     # until Ctrl-C

``serve`` hands out a built site over HTTP on 127.0.0.1 (the search needs HTTP). ``preview``
builds, serves, watches the project and rebuilds what changed (see ``_session``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path

from ..config import Config
from ..contract import ENGINE_QUARTO
from ..errors import EngineNotFoundError, WfsccError
from ..render import select_engine
from ._process import stop_tree
from ._server import Server, make_server, url_of
from ._session import Preview

__all__ = ["Preview", "preview", "serve"]


def _server(port: int, **options) -> Server:
    try:
        return make_server(port, **options)
    except OSError as error:
        raise WfsccError(
            f"Cannot serve on port {port}: {error.strerror or error}. "
            "Pass --port N for another port (--port 0: any free port)."
        ) from error


def serve(directory: Path, port: int = 8000, *, echo: Callable[[str], None] = print) -> None:
    """Serve the built site in *directory* on http://127.0.0.1:*port*/ until Ctrl-C."""
    directory = Path(directory)
    if not (directory / "index.html").is_file():
        raise WfsccError(
            f"No built site in {directory} (no index.html): run `wfscc build` "
            "first, or name the folder that holds the site (wfscc serve DIR)."
        )
    server = _server(port, directory=directory.resolve())
    with _held_stop_signals() as wait_for_stop:
        thread = threading.Thread(target=server.serve_forever, name="wfscc-serve-http", daemon=True)
        thread.start()
        try:
            echo(f"Serving {directory} at {url_of(server)} (Ctrl-C stops it)")
            wait_for_stop()
        finally:
            server.shutdown()
            server.server_close()
    echo("Stopped.")


STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def _held_stop_signals() -> Iterator[Callable[[], None]]:
    """Ctrl-C and `kill` (SIGINT, SIGTERM) held back from every thread, for the ``with`` block;
    yields the function that waits for one. Taken synchronously (``sigwait``), a signal cannot
    interrupt the stop half-way, however early or late it comes; a second one during the stop
    is taken too. Only the main thread is sent signals: in any other, the function waits for
    ever, as ``serve_forever`` did."""
    if threading.current_thread() is not threading.main_thread():
        yield _sleep_until_interrupted
        return
    # ignored signals are dropped even while held: a background job of a script ignores SIGINT
    handlers = {number: signal.signal(number, _interrupt) for number in STOP_SIGNALS}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield lambda: signal.sigwait(STOP_SIGNALS)
    finally:
        while signal.sigpending() & STOP_SIGNALS:
            signal.sigwait(STOP_SIGNALS)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for number, handler in handlers.items():
            signal.signal(number, handler)


def _sleep_until_interrupted() -> None:
    threading.Event().wait()


def preview(
    config: Config,
    port: int = 8000,
    *,
    open_browser: bool = True,
    echo: Callable[[str], None] = print,
) -> None:
    """Build, serve and watch the project of *config* until Ctrl-C (see ``_session``).

    With the Quarto engine, hands over to ``quarto preview`` in the project folder."""
    if select_engine(config.engine) == ENGINE_QUARTO:
        _quarto_preview(config, port, open_browser, echo)
        return
    try:
        session = Preview(
            config, port, echo=echo, on_ready=webbrowser.open if open_browser else None
        )
    except OSError as error:
        raise WfsccError(
            f"Cannot serve on port {port}: {error.strerror or error}. "
            "Pass --port N for another port (--port 0: any free port)."
        ) from error
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C, and `kill`, stop it cleanly, even when started where SIGINT was ignored (a
        # background job of a script)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):
        session.run()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _quarto_preview(
    config: Config, port: int, open_browser: bool, echo: Callable[[str], None]
) -> None:
    quarto = shutil.which("quarto")
    if quarto is None:
        raise EngineNotFoundError(
            "--engine quarto needs the Quarto CLI on PATH; install it, or "
            "use --engine pandoc for the built-in engine."
        )
    project = Path(config.project_dir).resolve()
    if (
        Path(config.data_dir).resolve() != project / "data"
        or Path(config.out_dir).resolve() != project / "_book"
    ):
        raise WfsccError(
            f"`quarto preview` (what --engine quarto hands over to) reads {project / 'data'} "
            f"and writes {project / '_book'}, as {config.quarto_file.name} says, not "
            f"{config.data_dir} and {config.out_dir}: leave out --data and --out (and run it "
            "in the project folder), or use --engine pandoc to preview other folders."
        )
    command = [quarto, "preview", str(config.project_dir)]
    command += ["--port", str(port)] if port else []
    command += [] if open_browser else ["--no-browser"]
    echo("Handing over to: " + " ".join(command))
    # its pre- and post-render steps run `wfscc`: this one, even when its folder is not on PATH
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    proc = subprocess.Popen(command, cwd=config.project_dir, env={**os.environ, "PATH": path})
    try:
        proc.wait()
    except KeyboardInterrupt:
        stop_tree(proc)

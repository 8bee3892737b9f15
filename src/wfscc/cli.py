"""The command line: it parses arguments and calls the library, nothing more.

Errors a user can cause (bad data, a missing engine, a failed notebook) print as one clear
message and exit with status 1; tracebacks are kept for bugs.

Each command imports the library it calls when it runs, so that `wfscc --help` and every other
command do not pay for it: importing this module takes about 55 ms, the build 20 ms more and its
progress display (rich) 17 ms, the rest 0.1 to 0.6 s each (``python -X importtime``, noted at
each import).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
from pathlib import Path

import click

from .config import Config, _default_jobs
from .contract import (
    CACHE_DIRNAME,
    DEFAULT_THRESHOLD,
    ENGINE_AUTO,
    ENGINES,
    EXECUTOR_LOCAL,
    EXECUTORS,
)
from .errors import WfsccError


def _fail(error: WfsccError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


@click.group()
@click.version_option(package_name="wfscc")
def main() -> None:
    """Rebuild the Work-Focused Services in Children's Centres report from data."""


@main.command()
@click.option("--data", "data_dir", default="data", show_default=True, help="Input data folder.")
@click.option("--out", "out_dir", default="_book", show_default=True, help="Published output.")
@click.option("--project", "project_dir", default=".", show_default=True,
              help="Folder holding _quarto.yml, report/ and notebooks/.")
@click.option("--engine", type=click.Choice(ENGINES), default=ENGINE_AUTO, show_default=True)
@click.option("--jobs", type=int, default=None, help="Notebooks run at once [default: cores].")
@click.option("--executor", type=click.Choice(EXECUTORS), default=EXECUTOR_LOCAL, show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address for --executor dask.")
@click.option("--force", is_flag=True, help="Ignore the cache and rebuild everything.")
@click.option("--threshold", type=int, default=None,
              help="Disclosure threshold: counts below it are not published "
                   f"[default: wfscc: threshold: in _quarto.yml, else {DEFAULT_THRESHOLD}].")
@click.option("--quiet", is_flag=True, help="Plain log lines instead of a progress display.")
def build(data_dir, out_dir, project_dir, engine, jobs, executor, scheduler, force, threshold,
          quiet) -> None:
    """Validate the data, run the LA notebooks, render the site and PDFs, and publish them."""
    from .build import build as run_build  # 21 ms; the build's steps only once there is work
    from .progress import reporter  # rich: 17 ms

    try:
        config = Config(
            project_dir=Path(project_dir),
            data_dir=Path(data_dir),
            out_dir=Path(out_dir),
            engine=engine,
            jobs=_default_jobs() if jobs is None else jobs,
            executor=executor,
            scheduler=scheduler,
            force=force,
            threshold=threshold,
        )
        with reporter(quiet=quiet) as on_event:
            result = run_build(config, on_event=on_event)
    except WfsccError as error:
        _fail(error)
    if result.noop:
        click.echo(f"Up to date: {result.out_dir} ({result.seconds:.2f} s)")
        return
    click.echo(
        f"Built in {result.seconds:.1f} s: {len(result.notebooks_run)} notebooks run, "
        f"{len(result.notebooks_cached)} reused."
    )
    click.echo(f"HTML site: {result.out_dir / 'index.html'}")
    for name, pdf in sorted(result.pdfs.items()):
        click.echo(f"PDF ({name}): {pdf}")


@main.command()
@click.option("--seed", type=int, default=772, show_default=True)
@click.option("--out", "out_dir", required=True, help="Folder to write the tables into.")
@click.option("--areas", type=int, default=10, show_default=True, help="Number of pilot LAs.")
@click.option("--scale", type=float, default=1.0, show_default=True, help="Multiply row counts.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "parquet", "sav"]),
              default="csv", show_default=True)
@click.option("--calibration", type=click.Path(path_type=Path), default=None,
              help="The calibration file whose targets the data follow "
                   "[default: the project's data/calibration.yml].")
def synth(seed, out_dir, areas, scale, fmt, calibration) -> None:
    """Generate a synthetic dataset calibrated to the published figures."""
    from .data.synth import generate  # pandas, NumPy: 0.5 to 0.6 s

    try:
        written = generate(seed=seed, out_dir=Path(out_dir), areas=areas, scale=scale, fmt=fmt,
                           calibration=calibration)
    except WfsccError as error:
        _fail(error)
    for name, path in sorted(written.items()):
        click.echo(f"{name}: {path}")


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--max-rows", type=int, default=50, show_default=True,
              help="Most changed cells listed per table.")
def diff(old, new, as_json, max_rows) -> None:
    """List every fact, table cell and page that changed between two builds (OLD and NEW)."""
    from .diff import main_diff  # pandas: 0.33 s

    try:
        click.echo(main_diff(old, new, as_json=as_json, max_rows=max_rows), nl=False)
    except WfsccError as error:
        _fail(error)


@main.command()
@click.option("--out", "out_dir", default="_book", show_default=True)
@click.option("--all", "everything", is_flag=True, help="Remove the published output too.")
def clean(out_dir, everything) -> None:
    """Remove the build cache (and with --all the published output)."""
    out = Path(out_dir).resolve()
    cache_dir = out.parent / CACHE_DIRNAME
    removed = []
    for path in [cache_dir] + ([out] if everything else []):
        if path.exists():
            shutil.rmtree(path)
            removed.append(str(path))
    click.echo("Removed: " + ", ".join(removed) if removed else "Nothing to remove.")


@main.command()
@click.option("--data", "data_dir", default="data", show_default=True, help="Input data folder.")
@click.option("--out", "out_dir", default="_book", show_default=True, help="Published output.")
@click.option("--project", "project_dir", default=".", show_default=True,
              help="Folder holding _quarto.yml, report/ and notebooks/.")
@click.option("--engine", type=click.Choice(ENGINES), default=ENGINE_AUTO, show_default=True)
@click.option("--port", type=int, default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--jobs", type=int, default=None, help="Notebooks run at once [default: cores].")
@click.option("--no-browser", is_flag=True, help="Do not open the site in a browser.")
def preview(data_dir, out_dir, project_dir, engine, port, jobs, no_browser) -> None:
    """Build, serve on localhost and rebuild on every save; open pages reload themselves."""
    from .preview import preview as run_preview  # the render: 0.1 s

    try:
        config = Config(
            project_dir=Path(project_dir),
            data_dir=Path(data_dir),
            out_dir=Path(out_dir),
            engine=engine,
            jobs=_default_jobs() if jobs is None else jobs,
        )
        run_preview(config, port, open_browser=not no_browser,
                    echo=lambda line: click.echo(line, err=False))
    except WfsccError as error:
        _fail(error)


@main.command()
@click.argument("directory", default="_book", type=click.Path(path_type=Path))
@click.option("--port", type=int, default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
def serve(directory, port) -> None:
    """Serve a built site (default _book) on localhost, search included, until Ctrl-C."""
    from .preview import serve as run_serve  # the render: 0.1 s

    try:
        run_serve(directory, port, echo=click.echo)
    except WfsccError as error:
        _fail(error)


def _quarto_hook(name: str, summary: str) -> None:
    """Register `wfscc NAME`, one of the steps `_quarto.yml` runs around `quarto render`
    (`wfscc.build.hooks.prepare` or `.finish`): both take the same options and fail alike."""

    @main.command(name=name, help=summary)
    @click.option("--data", "data_dir", default=None,
                  help="Input data folder [default: PROJECT/data].")
    @click.option("--project", "project_dir", default=".", show_default=True,
                  help="The Quarto project (its _quarto.yml).")
    def hook(data_dir, project_dir) -> None:
        from .build import hooks  # pandas, the render: 0.42 to 0.48 s

        try:
            getattr(hooks, name)(Path(project_dir), Path(data_dir) if data_dir else None)
        except WfsccError as error:
            _fail(error)


_quarto_hook("prepare", "Quarto's pre-render step: write the facts, figures, tables and LA "
             "profile pages.")
_quarto_hook("finish", "Quarto's post-render step: add the summary, downloads and search; run "
             "the privacy guard.")


def run() -> None:
    """The `wfscc` program: run the command, then end the process without tearing the
    interpreter down object by object.

    The exit handlers still run (the log's, temporary folders', a Dask cluster's) and the output
    is flushed; what is skipped is freeing every module and object one at a time, which took
    0.25 CPU-s after a one-LA rebuild and 0.55 s after a cold build (pandas, Matplotlib and the
    report's data in memory), the last thing the user waited for. Every thread the commands
    start has ended by then (their pools are closed on the way out). ``main`` stays the
    in-process entry (``CliRunner``, the tests): only the program itself ends this way.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): Python prints it and exits with 1
        print(code, file=sys.stderr)
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush
                stream.flush()
        os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()

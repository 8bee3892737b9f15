"""Raster images are refused: the guard cannot read text drawn in pixels."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from guard_support import display, guard_kwargs, html_page, png_bytes, write_notebook

from wfscc.errors import PrivacyError
from wfscc.guard import check_outputs, scan_outputs, shipped_images


def scan(root, **kw):
    return scan_outputs(root, **{**guard_kwargs(), **kw})


def raster(findings):
    return sorted((f.file, f.location) for f in findings if f.kind == "raster_image")


def jpeg_bytes(text: str = "Jo Bloggs, QQ123456C") -> bytes:
    """A JPEG whose pixels spell a name and an id: nothing a text search could find."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.text(0.1, 0.5, text)
    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg")
    plt.close(fig)
    return buf.getvalue()


def test_raster_files_the_project_does_not_ship_are_findings(tmp_path):
    site = tmp_path / "_book"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "scan.jpg").write_bytes(jpeg_bytes())
    (site / "assets" / "shot.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 ")
    (site / "assets" / "logo.png").write_bytes(png_bytes())  # shipped (see guard_kwargs)
    assert raster(scan(site)) == [
        ("assets/scan.jpg", "whole file"),
        ("assets/shot.webp", "whole file"),
    ]
    with pytest.raises(PrivacyError) as caught:
        check_outputs(site, **guard_kwargs())
    message = str(caught.value)
    assert "raster_image" in message and "wfscc.outputs.charts" in message
    assert "show_chart" in message


def test_an_image_output_of_a_notebook_names_the_la_the_cell_and_the_fix(tmp_path):
    site = tmp_path / "_book"
    (site / "notebooks").mkdir(parents=True)
    jpeg = base64.b64encode(jpeg_bytes()).decode()
    outputs = [
        display({"text/plain": "<Figure>", "image/jpeg": jpeg}, {"image/jpeg": {"alt": "A chart"}}),
        display({"image/gif": "R0lGODlhAQABAAAAACw="}),
    ]
    path = write_notebook(site / "notebooks" / "P04.ipynb", outputs)
    text = path.read_text().replace('la_code = \\"P01\\"', 'la_code = \\"P04\\"')
    path.write_text(text)
    assert raster(scan(site)) == [
        ("notebooks/P04.ipynb", "LA P04, cell 2 (id c2), output 1 (image/jpeg)"),
        ("notebooks/P04.ipynb", "LA P04, cell 2 (id c2), output 2 (image/gif)"),
    ]


def test_svg_and_shipped_images_pass_and_embedded_rasters_do_not(tmp_path):
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    site = tmp_path / "_book"
    site.mkdir()
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.bar(["a", "b"], [20, 30])
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    (site / "bars.svg").write_text(buf.getvalue())
    ax.imshow([[1, 2], [3, 4]])  # a raster image inside an SVG
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    (site / "grid.svg").write_text(buf.getvalue())
    shipped = base64.b64encode(png_bytes()).decode()
    body = f'<img src="data:image/png;base64,{shipped}" alt="Logo">'
    (site / "page.html").write_text(html_page(body))
    found = raster(scan(site))
    assert [f for f, _ in found] == ["grid.svg"]
    assert found[0][1].startswith("line ")


def test_shipped_images_are_the_project_sources_not_its_outputs_or_caches(tmp_path):
    project = tmp_path / "project"
    for folder in ("report/img", "_book/assets", ".wfscc-cache/x", ".venv/lib", "notebooks"):
        (project / folder).mkdir(parents=True)
    (project / "report" / "img" / "logo.png").write_bytes(png_bytes())
    (project / "_book" / "assets" / "out.png").write_bytes(b"\x89PNG published")
    (project / ".wfscc-cache" / "x" / "c.png").write_bytes(b"\x89PNG cached")
    (project / ".venv" / "lib" / "v.png").write_bytes(b"\x89PNG venv")
    (project / "notebooks" / "notes.txt").write_text("not an image")
    assert shipped_images(project) == {hashlib.sha256(png_bytes()).hexdigest()}
    assert shipped_images(None) == frozenset()

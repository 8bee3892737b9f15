"""`set_pdf_date`: two Typst PDFs of one document compiled at different times become the same
bytes, dated with the build's time, and stay readable PDF/UA-1."""

from __future__ import annotations

from datetime import UTC, datetime

import pypdf
import typst

from wfscc.render._pdfdate import set_pdf_date

SOURCE = '#set document(title: "Dated")\n#set text(lang: "en")\n= Heading\n\nSome text.\n'


def test_two_compiles_at_different_times_become_identical(tmp_path):
    (tmp_path / "doc.typ").write_text(SOURCE, encoding="utf-8")
    paths = []
    for n, when in enumerate(
        (datetime(2020, 1, 1, tzinfo=UTC), datetime(2024, 6, 30, 12, 5, 7, tzinfo=UTC))
    ):
        out = tmp_path / f"doc{n}.pdf"
        out.write_bytes(
            typst.compile(str(tmp_path / "doc.typ"), pdf_standards=["ua-1"], timestamp=when)
        )
        paths.append(out)
    assert paths[0].read_bytes() != paths[1].read_bytes()
    build = datetime(2011, 8, 1, 9, 30, tzinfo=UTC)
    for path in paths:
        set_pdf_date(path, build)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    reader = pypdf.PdfReader(paths[0])
    assert reader.metadata["/CreationDate"] == "D:20110801093000Z"
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert "2011-08-01T09:30:00+00:00" in xmp and "pdfuaid:part>1<" in xmp
    assert reader.pages[0].extract_text().strip().startswith("Heading")

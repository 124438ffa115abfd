"""Renders the first page of each printed form of tests/fixtures/forms_full.json to
docs/forms/FORM.png (about 60 dpi) for the README: ``python docs/forms/render.py``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.export.pdf import build_pdf  # noqa: E402
from core.store.jsonio import loads  # noqa: E402

FORMS = ("mof-self", "evaluation-table", "report-annex3", "transfer", "narrative")
DPI = 60


def main() -> None:
    source = ROOT / "tests" / "fixtures" / "forms_full.json"
    for name in FORMS:
        report = loads(source.read_text(encoding="utf-8"))
        data = build_pdf(report, forms=[name])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "form.pdf"
            path.write_bytes(data)
            pdf = pdfium.PdfDocument(str(path))
            page = 1 if name == "report-annex3" else 0  # the form, after its cover
            image = pdf[page].render(scale=DPI / 72).to_pil().convert("L")
            image.save(Path(__file__).parent / f"{name}.png", optimize=True)
            pdf.close()


if __name__ == "__main__":
    main()

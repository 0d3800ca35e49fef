"""Digital PDF pages: reading order against golden text (compared exactly; a missing golden file
fails, it is never regenerated here), and the per-page OCR decision."""
import json
import re
from pathlib import Path

import pytest

from conftest import DATA
from pipeline.text.pdf import needs_ocr
from pipeline.text.sources import load
from testkit.specs import spec_sentences, words

GOLDEN = DATA / "golden"
SAMPLES = DATA / "samples"


DEV = DATA / "dev"
PAGES = [SAMPLES / "vhsl-p71.pdf"] + sorted(DEV.glob("*.pdf"))


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_digital_page_matches_golden(path):
    golden = GOLDEN / f"{path.name}.txt"
    assert golden.exists(), f"golden file {golden} is missing: write it by hand from a checked extraction"
    doc = load(path)
    assert [p.method for p in doc.pages] == ["text"]
    assert doc.pages[0].text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_digital_page_reading_order_keeps_sentences(path):
    text = " " + words(load(path).pages[0].text) + " "
    sents = spec_sentences(path.with_suffix(".spec"))
    intact = [s for s in sents if " " + words(s) + " " in text]
    assert len(intact) == len(sents), set(sents) - set(intact)


def test_furniture_removed_and_blocks_carry_boxes():
    page = load(SAMPLES / "vhsl-p71.pdf").pages[0]
    assert not page.text.startswith("71") and "LES PÔLES" not in page.text
    assert "RÉGION DE LA VALLÉE" not in page.text and "SEPT NOUVELLES COOPÉRATIVES ONT" not in page.text
    assert page.text.startswith("Une nouvelle région, un nouveau pôle d'économie sociale\n\npar CLÉMENT BERGERON")
    for b in page.blocks:
        x0, top, x1, bottom = b.bbox
        assert 0 <= x0 < x1 <= page.size[0] and 0 <= top < bottom <= page.size[1]
    assert page.bbox_at(0, 10) is not None


@pytest.mark.parametrize("text,n,expected", [
    ("", 0, True), ("(cid:12)(cid:13)(cid:14)(cid:15) " * 20, 400, True), ("\ufffd" * 80, 80, True),
    ("Le MAMROT et la CRÉ y ont injecté 250 000 $ chacun sur cinq ans.", 66, False),
])
def test_needs_ocr(text, n, expected):
    assert needs_ocr(text, n) is expected


def test_scanned_pdf_is_sent_to_ocr_and_digital_pdfs_are_not():
    import pdfplumber
    from pipeline.text.pdf import layer_text
    with pdfplumber.open(SAMPLES / "vhsl-p71-scan.pdf") as pdf:
        p = pdf.pages[0]
        assert needs_ocr(layer_text(p), len(p.chars))
    for path in [SAMPLES / "vhsl-p71.pdf"] + sorted((DATA / "dev").glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            p = pdf.pages[0]
            assert not needs_ocr(layer_text(p), len(p.chars)), path.name

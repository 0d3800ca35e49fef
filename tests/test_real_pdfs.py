"""Real PDFs written elsewhere (../shared/peer/real-pdfs, read in place, never copied into the project):
the reading-order truth of their spec pages, no line lost silently, the text-layer decision of each
page with its reason, and the council minutes' dated title kept. ../shared sits beside the repository
(in CI too): these tests run, they are never skipped."""
import subprocess
import sys

import pytest

from bench.zoo import lost_lines
from conftest import SHARED
from pipeline.text.sources import load

REAL = SHARED / "peer" / "real-pdfs"
sys.path.insert(0, str(SHARED / "tools"))


def page_pdf(tmp_path, name: str, number: int):
    """Page ``number`` of a real PDF cut out into a one-page PDF (as ../shared/tools/pdf_text_score.py does)."""
    import pypdfium2 as pdfium
    src = pdfium.PdfDocument(str(REAL / name))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [number - 1])
    path = tmp_path / f"{name[:-4]}-p{number}.pdf"
    out.save(str(path))
    return path


def spec_pages():
    tsv = REAL / "PAGES.tsv"
    if not tsv.exists():
        # the shared material is not beside this checkout: each page's test fails on its own, naming the
        # file it cannot read, and the rest of the suite runs (a collection error stopped all of it)
        return [(n, n.rsplit("-p", 1)[0] + ".pdf", int(n.rsplit("-p", 1)[1])) for n in FLOORS]
    rows = [line.split("\t") for line in tsv.read_text().splitlines() if line.strip()]
    return [(n, f, int(p)) for n, f, p in rows]


# floors measured on these pages (see bench/RESULTS.md): the three with a good text layer are read
# whole; the municipal page (read by our OCR, with its old OCR layer's words where ours are no word,
# 0.96 / 0.995) keeps a few of OCR's errors; the garbled page (OCR'd, its '(cid:N)' layer decoded with
# that reading and read where all its glyphs are known) is read whole
FLOORS = {"amzer22-p4": (1.0, 0.995), "amzer22-p5": (1.0, 0.995), "couthenans-2023-p1": (1.0, 0.995),
          "speakers-bulletin-municipal-p1": (0.95, 0.99), "pymupdf-2791-p2": (1.0, 0.995)}


@pytest.mark.parametrize("name,file,number", spec_pages(), ids=[n for n, _, _ in spec_pages()])
def test_real_spec_page_reading_order(tmp_path, name, file, number):
    from text_score import score
    doc = load(page_pdf(tmp_path, file, number))
    s = score(REAL / f"{name}.spec", "\n".join(p.text for p in doc.pages))
    intact, recall = FLOORS[name]
    assert s["sentences_intact"] >= intact and s["word_recall"] >= recall, s


@pytest.mark.parametrize("name,file,number", spec_pages(), ids=[n for n, _, _ in spec_pages()])
def test_real_spec_page_loses_no_line_silently(tmp_path, name, file, number):
    """Every line pdftotext finds (Tesseract, for a page read by OCR) is in the text or the furniture."""
    path = page_pdf(tmp_path, file, number)
    page = load(path).pages[0]
    assert page.coverage == 1.0 and page.review is None
    if page.method == "text":
        found = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True).stdout
        assert lost_lines(found, page) == []
    else:
        from pipeline.text import ocr
        png = tmp_path / "page.png"
        ocr._render(path.read_bytes(), 0).save(png)
        found = subprocess.run(["tesseract", str(png), "-", "-l", "fra", "--psm", "3"], capture_output=True, text=True).stdout
        assert lost_lines(found, page, fuzzy=True) == []


def test_council_minutes_keep_their_dated_title():
    """Regression: the title line at the top of page 1, in the top 7 % of the page, was taken for a
    running header and dropped with the document's only date; the document still said 'ok'."""
    doc = load(REAL / "couthenans-2023.pdf")
    assert doc.pages[0].text.startswith("CR du conseil municipal 24 février 2023")
    assert doc.title == "CR du conseil municipal 24 février 2023" and doc.issue_date == "2023-02-24"
    assert doc.status == "ok" and [p.method for p in doc.pages] == ["text"] * 3


def test_text_layer_decision_of_each_real_pdf(tmp_path):
    """Which way each page goes, and why (the reason is kept on the page)."""
    import pdfplumber
    from pipeline.lang_fr.lexicon import is_word
    from pipeline.text.pdf import _scanned, judge_layer, layer_text, layer_words, unreadable
    decisions = {}
    for name in ("amzer22.pdf", "chelsea_pdta.pdf", "couthenans-2023.pdf", "pymupdf-2791.pdf",
                 "speakers-bulletin-municipal.pdf"):
        with pdfplumber.open(REAL / name) as pdf:
            for k, p in enumerate(pdf.pages, 1):
                bad = unreadable(layer_text(p), len(p.chars))
                doubt = None if bad else judge_layer([w["text"] for w in layer_words(p)], is_word, _scanned(p))
                decisions[(name, k)] = "ocr" if bad else "compare" if doubt else "text"
    assert all(v == "text" for (n, _), v in decisions.items() if n in ("amzer22.pdf", "couthenans-2023.pdf"))
    # a good layer with a table of contents of dot leaders is not garbage (p. 3 went to OCR and read
    # worse); p. 4 is a picture with no text layer at all
    assert all(v == "text" for (n, k), v in decisions.items() if n == "chelsea_pdta.pdf" and k != 4)
    assert decisions[("chelsea_pdta.pdf", 4)] == "ocr"
    assert all(v == "ocr" for (n, _), v in decisions.items() if n == "pymupdf-2791.pdf")
    assert decisions[("speakers-bulletin-municipal.pdf", 1)] == "compare"
    page = load(page_pdf(tmp_path, "speakers-bulletin-municipal.pdf", 1)).pages[0]
    # (an earlier OCR layer: our OCR, with the layer's words where ours are no French word, reads no worse)
    assert "page-sized image" in page.method_reason and "reads no worse" in page.method_reason
    assert page.method == "ocr"
    page = load(page_pdf(tmp_path, "chelsea_pdta.pdf", 3)).pages[0]
    assert page.method == "text" and page.method_reason.startswith("text layer:")
    assert "TABLE DES MATI" in page.text.upper() or page.text.count(".") > 0


def test_magazine_tabs_and_drop_caps_stay_out_of_the_paragraphs(tmp_path):
    """Regression (amzer22 pp. 4-5): the vertical section tab's letters and the drop cap were woven
    into the lead paragraph ('U' / 'g i n hangar ... d n a r')."""
    p5 = load(page_pdf(tmp_path, "amzer22.pdf", 5)).pages[0]
    assert "Un hangar avec vue sur le quai de Camaret" in p5.text
    assert [f.text for f in p5.furniture if f.kind == "vertical"] == ["Quand je serai grand"]
    p4 = load(page_pdf(tmp_path, "amzer22.pdf", 4)).pages[0]
    assert "Avec dix communes à gérer" in p4.text
    assert "Une saison" in [f.text for f in p4.furniture if f.kind == "vertical"]


def test_a_boxed_colophon_is_not_a_table_that_loses_words(tmp_path):
    """Regression (amzer22 p. 2, found by the coverage count: 318 of 330 words kept, the page flagged):
    the colophon's frame was read as a ruled table whose cells cut its words across the rules, and the
    words were replaced by the broken cell text."""
    page = load(page_pdf(tmp_path, "amzer22.pdf", 2)).pages[0]
    assert page.coverage == 1.0 and page.review is None
    assert "Édité en 6500 exemplaires" in page.text and not [b for b in page.blocks if b.kind == "table"]


def test_small_capitals_with_a_larger_initial_stay_one_word(tmp_path):
    """Regression (chelsea_pdta p. 26): 'ÉCHEANCIER', its initial set at 14 pt and the rest at 11 pt,
    was cut in two words where the size changes ('É CHEANCIER'), and the table it heads was no longer
    read as one."""
    page = load(page_pdf(tmp_path, "chelsea_pdta.pdf", 26)).pages[0]
    assert "ÉCHEANCIER" in page.text and "É CHEANCIER" not in page.text
    assert [b for b in page.blocks if b.kind == "table"] and page.coverage == 1.0

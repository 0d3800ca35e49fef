"""A fixed-seed sample of the layout zoo (testkit/zoo.py; the whole zoo runs in bench/zoo.py): every
page read with its sentences intact, every word kept (in the text or the furniture), and nothing that
pdftotext finds on the page lost."""
import subprocess

import pytest

from bench.zoo import lost_lines, score
from pipeline.text.sources import load
from testkit.pages import parse_spec

SEEDS = list(range(1, 17))
SCAN_SEEDS = [3, 8]


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    pytest.importorskip("reportlab")
    from testkit.zoo import render_zoo_pdf, render_zoo_scan, zoo_page
    out = tmp_path_factory.mktemp("zoo")
    pages = {}
    for s in SEEDS:
        page = zoo_page(s)
        pdf = render_zoo_pdf(page, out / f"{page.name}.pdf")
        scan = render_zoo_scan(pdf, out / f"{page.name}-scan.pdf", s)[0] if s in SCAN_SEEDS else None
        pages[s] = (page, pdf, parse_spec(page.spec()), scan)
    return pages


def test_zoo_sample_covers_the_layouts(zoo):
    feats = {f for page, *_ in zoo.values() for f in page.features()}
    assert {"1col", "2col", "3col", "4col", "spread", "narrow-gutter", "drop-cap", "photo", "tab", "pull-quote"} <= feats
    assert {f for f in feats if f.startswith("box-")} and {f for f in feats if f.startswith("table-")}


@pytest.mark.parametrize("seed", SEEDS)
def test_zoo_page_keeps_its_sentences_and_every_word(zoo, seed):
    page, pdf, spec, _ = zoo[seed]
    doc = load(pdf)
    p = doc.pages[0]
    intact, recall = score(spec, p.text)
    assert intact >= 0.95 and recall >= 0.99, (page.features(), intact, recall)
    assert p.words_found and p.coverage == 1.0 and doc.status == "ok"
    ptt = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True).stdout
    assert lost_lines(ptt, p) == []


def test_zoo_sample_as_a_whole_reads_better_than_pdftotext(zoo):
    ours, theirs = [], []
    for page, pdf, spec, _ in zoo.values():
        ours.append(score(spec, load(pdf).pages[0].text)[0])
        theirs.append(score(spec, subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True).stdout)[0])
    assert sum(ours) / len(ours) >= 0.98
    assert sum(ours) >= sum(theirs)


def test_zoo_furniture_is_kept_with_its_reason_and_box(zoo):
    for page, pdf, spec, _ in zoo.values():
        p = load(pdf).pages[0]
        kinds = {f.kind for f in p.furniture}
        assert {"header", "footer", "page-number"} & kinds, page.name
        assert all(f.reason and f.bbox for f in p.furniture)
        a = page.articles[0]
        if a.tab:
            assert a.tab in [f.text for f in p.furniture if f.kind == "vertical"]
        if a.pullquote:
            assert a.pullquote in [f.text for f in p.furniture if f.kind == "pull-quote"]
        if a.photo_after >= 0:
            assert a.caption in [f.text for f in p.furniture if f.kind == "caption"]
        if a.table == "ruled":
            assert [b for b in p.blocks if b.kind == "table"], page.name


@pytest.mark.slow
@pytest.mark.parametrize("seed", SCAN_SEEDS)
def test_zoo_scan_keeps_its_sentences(zoo, seed):
    page, _, spec, scan = zoo[seed]
    p = load(scan).pages[0]
    assert p.method == "ocr"
    intact, recall = score(spec, p.text)
    assert intact >= 0.9 and recall >= 0.98, (page.features(), intact, recall)
    assert p.coverage == 1.0

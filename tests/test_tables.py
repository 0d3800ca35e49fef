"""Tables: French header words (positive and negative per rule), rules found in a scanned image, tables
found in generated digital and scanned documents scored against their truth, a table split over two pages
joined, records from funding and name/role tables with their row as evidence, tables kept out of the
paragraphs and present in the document JSON, the real 65-page report's tables, and the review page
drawing a table row's cells in a real headless Chromium."""
import shutil

import pytest

from conftest import DATA, SHARED
from test_review import chromium, served  # noqa: F401  (fixtures: a served review app, a real browser)

CHELSEA = SHARED / "peer" / "real-pdfs" / "chelsea_pdta.pdf"


# ---------------------------------------------------------------------------- French words of tables
@pytest.mark.parametrize("header,role", [
    ("Montant accordé ($)", "amount"), ("Aide accordée", "amount"), ("Contribution", "amount"), ("$", "amount"),
    ("Nom de l'organisme", "org"), ("Organisme bénéficiaire", "recipient"), ("Nom", "person"),
    ("Fonction au conseil", "role"), ("Poste", "role"), ("Programme", "programme"), ("Bailleur de fonds", "funder"),
    ("Durée", "period"), ("Coût du projet", "cost"), ("Projet", "project"),
])
def test_column_role_from_french_headers(header, role):
    from pipeline.lang_fr.tables import column_role
    assert column_role(header) == role


@pytest.mark.parametrize("header", ["Remarques", "Commentaires", "", "Question 7"])
def test_column_role_none_for_other_headers(header):
    from pipeline.lang_fr.tables import column_role
    assert column_role(header) is None


def test_totals_rows():
    from pipeline.lang_fr.tables import is_total_label
    assert all(is_total_label(t) for t in ("Total", "TOTAL", "Grand total", "Sous-total", "Total des contributions"))
    assert not any(is_total_label(t) for t in ("Totalement en accord", "Projet total-bois", "Coopérative du Fjord"))


def test_continued_headings():
    from pipeline.lang_fr.tables import says_continued
    assert says_continued("AXE 3 – OUTILS (suite)") and says_continued("Projets soutenus — suite")
    assert not says_continued("Les projets retenus à la suite de l'appel de projets")


@pytest.mark.parametrize("text,amount", [("125 000 $", 125000), ("1,2 M$", 1_200_000), ("125 000,00 $", 125000),
                                         ("15\u202f000,50 $", 15000.5), ("12\u00a0500 €", 12500)])
def test_amounts_of_cells_in_every_french_form(text, amount):
    from pipeline.lang_fr.tables import cell_amount
    assert cell_amount(text)["amount"] == pytest.approx(amount)


def test_digits_are_an_amount_only_under_a_currency_header():
    from pipeline.lang_fr.tables import cell_amount
    assert cell_amount("45 000", "Montant ($)")["amount"] == 45000
    assert cell_amount("—", "Montant ($)") is None and cell_amount("n/a", "Montant") is None


@pytest.mark.parametrize("caption,funder", [
    ("Projets soutenus par le Fonds régions et ruralité", "Fonds régions et ruralité"),
    ("Projets financés par la Ville de Rimouski en 2024", "Ville de Rimouski"),
    ("Aide accordée par le ministère de l'Économie", "ministère de l'Économie"),
    ("La Caisse Desjardins du Bic a soutenu les projets suivants :", "Caisse Desjardins du Bic"),
    ("Contributions du Fonds coopératif régional", "Fonds coopératif régional"),
])
def test_funder_named_by_a_caption(caption, funder):
    from pipeline.lang_fr.tables import caption_funder
    assert caption_funder(caption) == funder


@pytest.mark.parametrize("caption", ["Liste des projets retenus", "Répartition des sommes accordées", None,
                                     "Projets retenus par année"])
def test_caption_without_a_funder(caption):
    from pipeline.lang_fr.tables import caption_funder
    assert caption_funder(caption) is None


def test_kind_of_an_amount_column():
    from pipeline.lang_fr.tables import amount_kind
    assert (amount_kind("Subvention"), amount_kind("Prêt ($)"), amount_kind("Contribution")) == \
        ("subvention", "prêt", "contribution")
    assert amount_kind("Montant accordé") is None and amount_kind("Aide accordée") is None


# ---------------------------------------------------------------------------- rules in a scan
def test_rules_of_a_scanned_image_even_askew():
    from PIL import Image, ImageDraw
    from pipeline.text.tables import image_rules
    img = Image.new("L", (1200, 900), 255)
    d = ImageDraw.Draw(img)
    for y in (100, 200, 300):
        d.line([(100, y), (1100, y + 6)], fill=0, width=3)          # askew by a third of a degree
    for x in (100, 600, 1100):
        d.line([(x, 100), (x, 306)], fill=0, width=3)
    h, v = image_rules(img, 72 / 300)
    assert len(h) == 3 and len(v) == 3


def test_a_black_panel_has_no_rules():
    from PIL import Image, ImageDraw
    from pipeline.text.tables import image_rules
    img = Image.new("L", (1200, 900), 255)
    ImageDraw.Draw(img).rectangle([100, 100, 1100, 500], fill=0)    # a photo, a dark panel
    h, v = image_rules(img, 72 / 300)
    assert h == [] and v == []


# ---------------------------------------------------------------------------- generated tables
def _seeds(want, n=1, start=1):
    """The first ``n`` generated documents (from ``start``) whose table passes ``want``."""
    from testkit.tables import table_doc
    out, s = [], start
    while len(out) < n:
        if want(table_doc(s)):
            out.append(s)
        s += 1
    return out


def _make(tmp_path, seeds, scan=False):
    from testkit.tables import render_table_pdf, render_table_scan, table_doc, truth_json
    out = []
    for s in seeds:
        doc = table_doc(s)
        pdf = render_table_pdf(doc, tmp_path / f"{doc.name}.pdf", s)
        path = render_table_scan(pdf, tmp_path / f"{doc.name}-scan.pdf", s)[0] if scan else pdf
        out.append((truth_json(doc), path))
    return out


def test_generated_digital_tables_cells(tmp_path):
    """Ruled, across-ruled, boxed, shaded and unruled tables: each found, cells as the truth has them."""
    from pipeline.text.sources import load
    from testkit.tables import score_tables
    styles = ("grid", "across", "box", "shaded", "plain")
    seeds = [s for st in styles for s in _seeds(lambda d, st=st: d.tables[0].style == st and not d.tables[0].split)]
    right = counted = 0
    for truth, pdf in _make(tmp_path, seeds):
        d = load(pdf)
        got = {"tables": [t.to_dict() for p in d.pages for t in p.tables]}
        s = score_tables(truth, got)
        assert s["found"] == 1 and s["extra"] == 0, pdf.name
        right, counted = right + s["right"], counted + s["counted"]
    assert right >= 0.95 * counted, (right, counted)


def test_a_table_split_over_two_pages_is_joined(tmp_path):
    from pipeline.text.sources import load
    from testkit.tables import logical_tables, score_tables
    [(truth, pdf)] = _make(tmp_path, _seeds(lambda d: d.tables[0].split))
    doc = {"tables": [t.to_dict() for p in load(pdf).pages for t in p.tables]}
    second = [t for t in doc["tables"] if t["page"] == 2]
    assert second and second[0]["continues"] == next(t["id"] for t in doc["tables"] if t["page"] == 1)
    assert len(logical_tables(doc)) == 1
    s = score_tables(truth, doc)
    assert s["right"] >= 0.95 * s["counted"]


def test_two_tables_under_their_own_titles_are_not_joined():
    """The real report's survey tables repeat one header page after page, each under its own title."""
    d = _chelsea()
    by_page = {p.number: p.tables for p in d.pages}
    assert by_page[37][0].continues is None and by_page[36]
    assert by_page[29][0].continues == by_page[28][0].id        # 'AXE 3 – OUTILS (suite)'


def test_a_scanned_table(tmp_path):
    from pipeline.text.sources import load
    from testkit.tables import score_tables
    seeds = _seeds(lambda d: d.tables[0].style == "grid" and not d.tables[0].split) + \
        _seeds(lambda d: d.tables[0].style == "plain" and not d.tables[0].split)
    for truth, scan in _make(tmp_path, seeds, scan=True):
        d = load(scan)
        assert d.pages[0].method == "ocr"
        got = {"tables": [t.to_dict() for p in d.pages for t in p.tables]}
        s = score_tables(truth, got)
        assert s["found"] == 1 and s["right"] >= 0.85 * s["counted"], (scan.name, s)


def test_prose_in_columns_is_no_table():
    """A page of two columns of text with a byline and a heading (a dev page): no table."""
    from pipeline.text.sources import load
    for name in ("sag-p12.pdf", "estrie-p5.pdf", "bsl-p8.pdf"):
        assert not any(p.tables for p in load(DATA / "dev" / name).pages), name


# ---------------------------------------------------------------------------- records from tables
def _funding_doc(tmp_path, caption=True):
    from pipeline import extract_file
    from testkit.tables import table_doc

    def want(d):
        t = d.tables[0]
        funders = {r.get("funder") for r in t.records if not r.get("is_total")}
        return t.kind == "funding" and not t.split and t.style == "grid" and not t.spans and \
            (funders != {None} and len(funders) == 1 and t.caption.find(next(iter(funders))) >= 0 if caption
             else funders == {None})
    [(truth, pdf)] = _make(tmp_path, _seeds(want))
    return truth, extract_file(pdf), pdf, table_doc


def test_funding_rows_from_a_table_with_the_funder_in_its_caption(tmp_path, nlp):
    from testkit.tables import score_records
    truth, doc, _, _ = _funding_doc(tmp_path)
    s = score_records(truth, doc)["funding"]
    assert s["tp"] == s["gold"] == s["pred"], s
    rows = [f for f in doc["funding"] if not f["is_total"]]
    assert rows and all(f["evidence"]["table"] and len(f["evidence"]["cells"]) >= 2 for f in rows)
    # the evidence is the row: its text is in the page's text where its offsets say
    text = doc["text"][0]["text"]
    assert all(text[f["evidence"]["start"]:f["evidence"]["end"]] == f["evidence"]["text"] for f in rows)
    assert all(f["recipient"] in f["evidence"]["text"] for f in rows)


def test_a_table_without_a_funder_gives_rows_without_one(tmp_path, nlp):
    truth, doc, _, _ = _funding_doc(tmp_path, caption=False)
    rows = [f for f in doc["funding"] if not f["is_total"]]
    assert rows and all(f["funder"] is None and f["recipient"] for f in rows)


def test_people_with_the_role_of_their_own_row(tmp_path, nlp):
    """The issue's bylaw: every councillor got the role of the row above. Here each person has their row's."""
    from pipeline import extract_file
    from testkit.tables import score_records
    [(truth, pdf)] = _make(tmp_path, _seeds(lambda d: d.tables[0].kind == "people" and not d.tables[0].split
                                            and d.tables[0].style == "plain"))
    doc = extract_file(pdf)
    s = score_records(truth, doc)["people"]
    assert s["tp"] == s["gold"] == s["pred"], s
    assert all(p["evidence"].get("table") for p in doc["people"])


def test_a_table_of_figures_gives_no_records():
    """A survey's table of answers (counts, no amount, no person): no funding, no people from it."""
    d = _chelsea()
    from pipeline.records.table_rows import funding_rows, people_rows
    assert funding_rows(d.pages) == [] and people_rows(d.pages) == []


def test_prose_amounts_are_still_read_beside_a_table(extract):
    doc = extract("La Caisse Desjardins du Bic a accordé une subvention de 25 000 $ à la Coopérative du Fjord.")
    assert [f["amount"] for f in doc["funding"]] == [25000]


# ---------------------------------------------------------------------------- text and JSON
def test_tables_are_blocks_and_json_tables(tmp_path, nlp):
    from pipeline import extract_file
    [(truth, pdf)] = _make(tmp_path, _seeds(lambda d: d.tables[0].style == "plain" and not d.tables[0].split))
    doc = extract_file(pdf)
    assert {"document", "text", "mentions", "funding", "people", "tables"} <= set(doc)
    [t] = doc["tables"]
    assert t["header"] and t["body"] and all({"row", "col", "text", "bbox"} <= set(c) for c in t["cells"])
    text = doc["text"][0]["text"]
    # the table is one block: its rows a line each, cells apart; no row's cells woven into a paragraph
    block = text[t["start"]:t["end"]]
    assert block.count("\n") == len([r for r in t["header"] + t["body"] if any(r)]) - 1
    for c in t["cells"]:
        assert text[c["start"]:c["end"]] == c["text"]


def test_evidence_of_a_sentence_keeps_its_keys(extract):
    doc = extract("La Caisse Desjardins du Bic a accordé une subvention de 25 000 $ à la Coopérative du Fjord.")
    assert set(doc["funding"][0]["evidence"]) == {"page", "start", "end", "text", "bbox"}


# ---------------------------------------------------------------------------- the real report
_CHELSEA = {}


def _chelsea():
    if not CHELSEA.exists():
        pytest.skip(f"{CHELSEA} is not here")
    if "doc" not in _CHELSEA:
        from pipeline.text.sources import load
        _CHELSEA["doc"] = load(CHELSEA)
    return _CHELSEA["doc"]


def test_the_real_report_tables():
    """The action plan (pages 26-30), a survey table at the foot of pages 33-55, Survey Monkey's tables
    (57-63); chart labels over a picture (16, 18, 21, 22) are no tables."""
    d = _chelsea()
    pages = {p.number for p in d.pages for t in p.tables if not t.error}
    assert set(range(26, 31)) | set(range(33, 56)) | set(range(57, 64)) <= pages
    assert not pages & {16, 18, 21, 22}
    p33 = next(t for t in d.pages[32].tables if not t.error)
    assert p33.grid() == [["Totalement en accord", "En accord", "En désaccord", "Totalement en désaccord", "Total"],
                          ["157", "60", "16", "14", "247"]]


# ---------------------------------------------------------------------------- review page
@pytest.fixture
def site(tmp_path):
    """A generated funding table ingested into a fresh store (overrides conftest's sample site)."""
    from pipeline.ingest import ingest_file
    from testkit.tables import render_table_pdf, table_doc
    raw, out = tmp_path / "raw", tmp_path / "extracted"
    raw.mkdir()
    [seed] = _seeds(lambda d: d.tables[0].kind == "funding" and d.tables[0].style == "grid" and not d.tables[0].split)
    pdf = render_table_pdf(table_doc(seed), raw / "table.pdf", seed)
    db = f"sqlite:///{out / 'bulletins.db'}"
    res = ingest_file(pdf, out, db)
    assert res["status"] == "ok"
    return {"raw": raw, "out": out, "db": db, "doc_id": res["id"]}


def test_review_page_draws_a_table_row(served, chromium):  # noqa: F811
    app, base = served
    store = app.state.store
    rec = next(r for r in store.records("funding") if (r.get("evidence") or {}).get("cells"))
    page = chromium("ana")
    page.goto(f"{base}/record/funding/{rec['id']}")
    page.wait_for_selector("#pageimg")
    page.wait_for_function("document.getElementById('pageimg').complete")
    assert "Read from table" in page.inner_text("#evtable")
    row = page.locator("#evbox").bounding_box()
    cells = [page.locator(".page .cell").nth(k).bounding_box() for k in range(page.locator(".page .cell").count())]
    assert len(cells) == len(rec["evidence"]["cells"]) >= 2
    for c in cells:          # each cell drawn, inside the row's box
        assert c["width"] > 2 and c["height"] > 2
        assert row["x"] - 1 <= c["x"] and c["x"] + c["width"] <= row["x"] + row["width"] + 1
        assert row["y"] - 1 <= c["y"] and c["y"] + c["height"] <= row["y"] + row["height"] + 1


def test_ranges_of_amounts_are_no_amounts():
    from pipeline.lang_fr.tables import cell_amount, is_range
    assert all(is_range(t) and cell_amount(t) is None for t in ("< 50 000 $", "50 000 $ à 100 000 $", "100 000 $ et plus"))
    assert not is_range("125 000 $") and cell_amount("125 000 $")["amount"] == 125000


def test_only_the_rules_of_a_grid_are_whited_out_before_ocr():
    from pipeline.text.tables import grid_rules
    grid_h = [(100, 100, 400, 101), (100, 150, 400, 151)]
    grid_v = [(100, 100, 101, 151), (250, 100, 251, 151), (399, 100, 400, 151)]
    lone = [(100, 600, 300, 601)]                   # an underline, a header's rule
    border = [(0, 0, 1, 790)]                       # a scan's dark edge
    kept = grid_rules(grid_h + lone, grid_v + border)
    assert set(kept) == set(grid_h + grid_v)

"""Review page: the actions, escaping, CSRF, file-serving limits and the token (FastAPI's TestClient);
then a real headless Chromium (Debian's, driven by Playwright) approving with the keyboard and editing a
record, checked in the store and in the export. The ``site`` fixture (the sample ingested) is conftest's."""
import copy
import shutil
import socket
import threading
import time

import pytest

from conftest import DATA

SAMPLE_PDF = DATA / "samples" / "vhsl-p71.pdf"


def client(site, **kw):
    from fastapi.testclient import TestClient
    from review.app import create_app
    app = create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], **kw)
    return TestClient(app, base_url="http://127.0.0.1:8765"), app


def csrf_of(html: str) -> str:
    import re
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_queue_record_and_actions(site):
    c, app = client(site, reviewer="ana")
    page = c.get("/?type=funding")
    assert page.status_code == 200 and "MAMROT" in page.text and "Keys:" in page.text
    store = app.state.store
    rec = store.records("funding")[0]
    rid, version = rec["id"], rec["review"]["version"]
    view = c.get(f"/record/funding/{rid}")
    assert view.status_code == 200 and "<mark>" in view.text and 'class="box"' in view.text
    shown = f"{int(rec['amount']):,} $".replace(",", " ")       # amounts as French readers write them: '75 000 $'
    assert f'value="{shown}"' in view.text and "000.0" not in view.text
    img = c.get(f"/page/{site['doc_id']}/1.png")
    assert img.status_code == 200 and img.content[:4] == b"\x89PNG"
    token = csrf_of(view.text)
    assert c.post(f"/api/review/funding/{rid}", json={"action": "approve", "version": version}).status_code == 403
    ok = c.post(f"/api/review/funding/{rid}", json={"action": "approve", "version": version},
                headers={"X-CSRF-Token": token})
    assert ok.json()["status"] == "approved" and ok.json()["version"] == version + 1
    assert ok.json()["next"].startswith("/record/funding/") and ok.json()["progress"]["reviewed"] == 1
    bad = c.post(f"/api/review/funding/{rid}", json={"action": "edit", "changes": {"nope": 1}, "version": version + 1},
                 headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "no editable field" in bad.text
    assert store.records("funding", status="approved")[0]["reviewer"] == "ana"
    docs = c.get("/documents")
    assert "vhsl-p71.pdf" in docs.text and "ok" in docs.text


@pytest.mark.parametrize("field, typed", [
    ("amount", "-5"), ("amount", -5), ("amount", "beaucoup"), ("amount", {"montant": 5}), ("kind", "cadeau"),
    ("amount", "1e309"), ("period_years", "bientôt"), ("is_total", "peut-être"), ("date", "un jour"),
    ("recipient", ["Coopérative"]), ("evidence", "autre phrase"), ("id", "0" * 32)])
def test_the_api_refuses_values_that_would_break_an_export(site, tmp_path, field, typed):
    # the bugs: words, negatives, objects and kinds outside the list were stored, and broke every export
    from pipeline.store.export import export
    c, app = client(site, reviewer="ana")
    rec = app.state.store.records("funding")[0]
    token = csrf_of(c.get("/").text)
    r = c.post(f"/api/review/funding/{rec['id']}", headers={"X-CSRF-Token": token},
               json={"action": "edit", "changes": {field: typed}, "version": rec["review"]["version"]})
    assert r.status_code == 400 and field in r.json()["errors"], r.text
    assert app.state.store.record("funding", rec["id"]) == rec              # nothing stored
    assert not export(app.state.store, tmp_path / "out", "csv", "all").problems


def test_a_number_too_big_for_json_floats_is_refused(site):
    # the bug: 1e309 passed the schema and was written inf
    c, app = client(site, reviewer="ana")
    rec = app.state.store.records("funding")[0]
    token = csrf_of(c.get("/").text)
    body = '{"action": "edit", "version": %d, "changes": {"amount": 1e309}}' % rec["review"]["version"]
    r = c.post(f"/api/review/funding/{rec['id']}", content=body, headers={"X-CSRF-Token": token,
                                                                           "Content-Type": "application/json"})
    assert r.status_code == 400 and "out of range" in r.json()["errors"]["amount"]


def test_values_typed_as_french_readers_write_them_are_stored_typed(site, tmp_path):
    # the bug: '125 000' and a period typed into an empty field were saved as text
    import pandas as pd
    from pipeline.store.export import export
    c, app = client(site, reviewer="ana")
    store = app.state.store
    rec = next(r for r in store.records("funding") if r["period_years"] is None and not r["is_total"])
    token = csrf_of(c.get("/").text)
    r = c.post(f"/api/review/funding/{rec['id']}", headers={"X-CSRF-Token": token},
               json={"action": "edit", "version": rec["review"]["version"],
                     "changes": {"amount": "125 000", "period_years": "sur cinq ans", "kind": "Subvention",
                                 "date": "avril 2011", "recipient": "=SOMME(A1:A9)"}})
    assert r.status_code == 200, r.text
    assert r.json()["shown"]["amount"] == "125 000 $" and r.json()["shown"]["period_years"] == "5 ans"
    got = store.record("funding", rec["id"])
    assert (got["amount"], got["period_years"], got["kind"], got["date"]) == (125000.0, 5, "subvention", "2011-04")
    out = export(store, tmp_path / "csv", "csv", "edited")
    row = pd.read_csv(out["funding"]).iloc[0]
    assert row["amount"] == 125000 and row["period_years"] == 5 and row["recipient"] == "'=SOMME(A1:A9)"


def test_everything_from_bulletins_is_escaped(site):
    from pipeline.store import Store
    from pipeline import extract_text
    doc = extract_text("La Coopérative <script>alert(1)</script> de Rimouski a reçu 5 000 $ du CLD de Rimouski.")
    Store(site["db"]).save(doc, "1")
    c, app = client(site, reviewer="ana")
    html = c.get("/?type=organizations&status=all").text + c.get("/?type=funding&status=all").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_file_serving_cannot_escape_its_folders(site, tmp_path):
    from pipeline.store import Store
    outside = tmp_path / "elsewhere.pdf"
    shutil.copy(SAMPLE_PDF, outside)
    doc = {"document": {"id": "f" * 64, "source": str(outside), "pages": 1, "page_methods": ["text"], "status": "ok"},
           "text": [{"page": 1, "text": "x", "size": [612, 792]}], "mentions": [],
           **{k: [] for k in ("organizations", "coop_stats", "funding", "people", "events")}}
    Store(site["db"]).save(doc, "1")
    c, _ = client(site)
    assert c.get(f"/page/{'f' * 64}/1.png").status_code == 404
    assert c.get("/page/..%2F..%2Fetc/1.png").status_code == 404
    assert c.get(f"/page/{site['doc_id']}/9.png").status_code == 404


def test_token_required_when_set(site):
    c, _ = client(site, token="s3cret-de-seize-caracteres")
    assert c.get("/").status_code == 401
    assert c.get("/?token=s3cret-de-seize-caracteres").status_code == 200
    assert c.get("/documents").status_code == 200          # the cookie now carries it


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(site):
    """The review app of the site served by uvicorn on a free port of 127.0.0.1 (bound there: its Host)."""
    import uvicorn
    from review.app import create_app
    port = _free_port()
    app = create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], port=port)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def chromium():
    """Debian's chromium, headless, driven by Playwright; ``new_page(reviewer)`` gives a page whose reviewer
    name is set (each in its own browser context: two reviewers), failing the test on any script error."""
    pw = pytest.importorskip("playwright.sync_api")
    path = shutil.which("chromium")
    assert path, "Debian's chromium is not installed: run scripts/setup.sh --dev"
    errors = []
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])

        def new_page(reviewer):
            ctx = browser.new_context()
            ctx.add_init_script(f"localStorage.setItem('reviewer', {reviewer!r});")
            page = ctx.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "409" not in m.text
                    and "400" not in m.text else None)
            page.on("dialog", lambda d: errors.append(f"unexpected dialog: {d.message}"))
            return page
        yield new_page
        browser.close()
    assert not errors, errors          # no script error, no CSP violation, no alert()


def test_review_in_a_real_browser(served, chromium, tmp_path):
    from pipeline.store.export import export
    app, base = served
    store = app.state.store
    first, second = store.records("funding")[:2]
    page = chromium("ana")
    page.goto(f"{base}/?type=funding")
    page.wait_for_selector("#queue tr.sel")
    assert page.inner_text("#progress .reviewed") == "0"
    page.keyboard.press("a")                                 # approve the selected (first) row
    page.locator("#queue tr[data-id]").first.locator("td.st-approved").wait_for()
    assert page.inner_text("#progress .reviewed") == "1"     # progress follows without a reload
    page.goto(f"{base}/record/funding/{second['id']}")
    page.wait_for_selector("#pageimg")
    page.keyboard.press("e")
    page.fill("input[name=recipient]", "Pôle régional d'économie sociale")
    page.press("input[name=recipient]", "Enter")
    page.wait_for_selector("#status.st-edited")
    page.reload()
    assert page.inner_text("#status") == "edited"
    assert page.input_value("input[name=recipient]") == "Pôle régional d'économie sociale"
    by_id = {r["id"]: r for r in store.records("funding")}
    assert by_id[first["id"]]["status"] == "approved" and by_id[first["id"]]["reviewer"] == "ana"
    assert by_id[second["id"]]["status"] == "edited"
    assert any(a["field"] == "recipient" for a in store.audit(second["id"]))
    paths = export(store, tmp_path / "export", "csv", "all")
    import pandas as pd
    df = pd.read_csv(paths["funding"]).set_index("id")
    assert df.loc[second["id"], "recipient"] == "Pôle régional d'économie sociale"


def _rules_without_durations(tmp_path):
    """The figure rules as a changed rule file: the same, without its DURATION rules ('sur cinq ans')."""
    from pipeline.nlp import figures
    from pipeline.nlp.rules import RULES
    lines = (RULES / "figures.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "figures-sans-durees.jsonl"
    path.write_text("\n".join(l for l in lines if '"label": "DURATION"' not in l) + "\n", encoding="utf-8")
    return figures.load_rules(str(path))


def test_typed_edit_survives_reextraction_and_a_stale_reviewer_gets_a_conflict(served, chromium, site, tmp_path,
                                                                                monkeypatch):
    import pandas as pd
    from pipeline.ingest import ingest_file
    from pipeline.nlp import figures
    from pipeline.store.export import export
    app, base = served
    store = app.state.store
    mamrot = next(r for r in store.records("funding") if r["funder"] == "MAMROT")
    assert mamrot["amount"] == 250000 and mamrot["period_years"] == 5
    url = f"{base}/record/funding/{mamrot['id']}"
    ben = chromium("ben")
    ben.goto(url)                                  # a second reviewer opens the record, then waits
    ben.wait_for_selector("#fields")
    ana = chromium("ana")
    ana.goto(url)
    ana.keyboard.press("e")
    ana.fill("input[name=amount]", "125 000")      # as French readers write it
    ana.press("input[name=amount]", "Enter")
    ana.wait_for_selector("#status.st-edited")
    assert ana.input_value("input[name=amount]") == "125 000 $"
    ana.keyboard.press("a")                        # approve, and on to the next record
    ana.wait_for_url(lambda u: mamrot["id"] not in u)
    rec = store.record("funding", mamrot["id"])
    assert rec["status"] == "approved" and rec["amount"] == 125000.0 and isinstance(rec["amount"], float)
    # the stale reviewer rejects what he saw: a conflict, shown on his page, and nothing changes
    ben.keyboard.press("r")
    ben.wait_for_selector("#conflict:not([hidden])")
    text = ben.inner_text("#conflict")
    assert "changed since you opened it" in text and "pending → approved (by ana)" in text
    assert "amount: 250 000 $ → 125 000 $" in text
    assert store.record("funding", mamrot["id"])["status"] == "approved"
    # re-extraction with changed rules: the durations are gone from the figure rules
    changed_rules = _rules_without_durations(tmp_path)
    monkeypatch.setattr(figures, "load_rules", lambda *a, **k: changed_rules)
    res = ingest_file(site["raw"] / "vhsl-p71.pdf", site["out"], site["db"])
    assert res["status"] == "ok" and res["flagged"] >= 1
    rec = store.record("funding", mamrot["id"])
    assert rec["status"] == "approved" and rec["needs_review"] and rec["review"]["change"] == "changed"
    assert rec["amount"] == 125000.0 and rec["period_years"] == 5                  # what was approved
    assert rec["review"]["proposed"]["fields"]["period_years"] is None             # the new extraction, beside it
    for fmt, read in (("csv", pd.read_csv), ("parquet", pd.read_parquet), ("json", pd.read_json)):
        out = export(store, tmp_path / fmt, fmt, "approved,edited")
        row = read(out["funding"]).set_index("id").loc[mamrot["id"]]
        assert row["amount"] == 125000 and row["period_years"] == 5 and row["status"] == "approved", fmt
        assert not out.problems
    # the record is back in the queue as changed since review, with the field-level difference
    ana.goto(f"{base}/?type=funding")
    assert "the extraction changed" in ana.inner_text(f"#queue tr[data-id='{mamrot['id']}']")
    ana.goto(url)
    changed = ana.inner_text("#changed")
    assert "period_years" in changed and "5 ans" in changed
    assert ana.input_value("input[name=amount]") == "125 000 $"
    ana.click("#keep")                              # keep the reviewed values: out of the queue again
    ana.wait_for_url(lambda u: mamrot["id"] not in u)
    rec = store.record("funding", mamrot["id"])
    assert not rec["needs_review"] and rec["amount"] == 125000.0 and rec["period_years"] == 5


def test_review_habits_in_a_real_browser(served, chromium, site):
    """Bulk approve of selected rows, undo, progress that follows, search, typed inputs with the error by the
    field, Escape to cancel, and a record the extraction missed added from selected page text."""
    app, base = served
    store = app.state.store
    n = len(store.records("funding"))
    page = chromium("ana")
    page.goto(f"{base}/?type=funding")
    page.wait_for_selector("#queue tr.sel")
    assert page.inner_text("#progress .total") == str(n) and page.inner_text("#progress .reviewed") == "0"
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("Shift+A")                              # approve the two selected rows
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#progress .reviewed")).to_have_text("2")
    assert "2 record(s) approved" in page.inner_text("#flash")
    rows = page.locator("#queue tr[data-id]")
    first, second = rows.nth(0).get_attribute("data-id"), rows.nth(1).get_attribute("data-id")
    assert {store.record("funding", i)["status"] for i in (first, second)} == {"approved"}
    page.keyboard.press("u")                                     # the selected (second) row back to pending
    expect(page.locator("#progress .reviewed")).to_have_text("1")
    assert store.record("funding", second)["status"] == "pending"
    page.goto(f"{base}/?type=people")
    page.wait_for_selector("#queue tr.sel")
    assert page.locator("#queue tr[data-id]").count() == len(store.records("people")) > 1
    page.keyboard.press("/")
    page.keyboard.type("VERONICA perez")                         # accents and case ignored
    page.keyboard.press("Enter")
    page.wait_for_url("**q=VERONICA*")
    assert page.locator("#queue tr[data-id]").count() == 1 and "Véronica Pérez" in page.inner_text("#queue")
    # typed inputs: a word is refused by the field, Escape puts the value back; a kind is chosen in a list
    page.goto(f"{base}/record/funding/{second}")
    shown = page.input_value("input[name=amount]")
    page.keyboard.press("e")
    page.fill("input[name=amount]", "beaucoup")
    page.press("input[name=amount]", "Enter")
    page.wait_for_selector(".err[data-for=amount]:text('not an amount')")
    page.press("input[name=amount]", "Escape")
    assert page.input_value("input[name=amount]") == shown and page.inner_text(".err[data-for=amount]") == ""
    page.keyboard.press("e")
    page.select_option("select[name=kind]", "prêt")
    page.press("select[name=kind]", "Enter")
    page.wait_for_selector("#status.st-edited")
    assert page.input_value("select[name=kind]") == "prêt" and store.record("funding", second)["kind"] == "prêt"
    # a record the extraction missed, from text selected on the page
    page.goto(f"{base}/document/{site['doc_id']}/page/1")
    missed = "conférences régionales des élus (CRÉ) de la Montérégie"
    page.evaluate("""(missed) => { const node = document.getElementById('pagetext').firstChild;
        const i = node.textContent.indexOf(missed); const r = document.createRange();
        r.setStart(node, i); r.setEnd(node, i + missed.length);
        getSelection().removeAllRanges(); getSelection().addRange(r); }""", missed)
    page.keyboard.press("n")
    page.wait_for_selector("#addpanel:not([hidden])")
    assert page.inner_text("#addsel") == missed
    page.select_option("#addtype", "organizations")
    extracted = store.records("organizations")[0]["name"]
    page.fill("#add-organizations-name", extracted)                  # already extracted: refused, and said
    page.press("#add-organizations-name", "Enter")
    page.wait_for_selector("#flash:text('already in the store')")
    page.fill("#add-organizations-name", "CRÉ de la Montérégie")
    page.select_option("#add-organizations-kind", "regional_body")
    page.press("#add-organizations-name", "Enter")
    page.wait_for_url("**/record/organizations/**")
    rid = page.url.split("/record/organizations/")[1].split("?")[0]
    added = store.record("organizations", rid)
    assert added["name"] == "CRÉ de la Montérégie" and added["kind"] == "regional_body" and added["status"] == "edited"
    assert added["evidence"]["text"] == missed and added["review"]["origin"] == "reviewer"


def test_entities_merge_and_split_in_a_real_browser(served, chromium):
    """A reviewer merges two organisations and splits a spelling off on /entities; both are kept as decisions
    and hold when the store is resolved again (as every later ingestion does)."""
    from pipeline.store.resolved import decisions, entities, resolve
    app, base = served
    store = app.state.store
    resolve(store)
    poles = [e for e in entities(store, "organization") if e["name"].startswith("Pôle régional")]
    assert len(poles) == 2
    page = chromium("ana")
    page.goto(f"{base}/entities?kind=organization&q=pole")
    for e in poles:
        page.locator(f"tr[data-id='{e['id']}'] input.pick").check()
    page.click("#merge")
    page.locator("td.hint", has_text="reviewer merged").wait_for()          # the page reloaded with one entity
    assert page.locator("#entities tr[data-id]").count() == 1
    merged = [e for e in entities(store, "organization") if e["name"].startswith("Pôle régional")]
    assert len(merged) == 1 and len(merged[0]["variants"]) == 2
    assert any("reviewer merged" in w for w in merged[0]["why"])
    # split the spelling 'CRÉ VHSL' off the CRÉ of the Vallée-du-Haut-Saint-Laurent
    cre = next(e for e in entities(store, "organization") if any(v == "CRÉ VHSL" for v, _ in e["variants"]))
    page.goto(f"{base}/entities?kind=organization&q=VHSL")
    page.locator(f"tr[data-id='{cre['id']}'] button.split[data-name='CRÉ VHSL']").click()
    page.locator("td.hint", has_text="reviewer split").wait_for()
    resolve(store)                                     # the next ingestion's run: the decisions hold
    after = entities(store, "organization")
    assert [e for e in after if [v for v, _ in e["variants"]] == ["CRÉ VHSL"]]
    assert len([e for e in after if e["name"].startswith("Pôle régional")]) == 1
    assert [(d.action, d.kind) for d in decisions(store)] == [("merge", "organization"), ("split", "organization")]


def test_entity_decisions_are_checked(site):
    c, app = client(site, reviewer="ana")
    from pipeline.store.resolved import resolve
    resolve(app.state.store)
    page = c.get("/entities")
    assert page.status_code == 200 and "CRÉ VHSL" in page.text
    token = csrf_of(page.text)
    h = {"X-CSRF-Token": token}
    assert c.post("/api/entities/merge", json={"kind": "organization", "ids": ["x", "y"]}).status_code == 403
    assert c.post("/api/entities/merge", json={"kind": "organization", "ids": ["only-one"]}, headers=h).status_code == 400
    assert c.post("/api/entities/merge", json={"kind": "organization", "ids": ["nope", "nada"]}, headers=h).status_code == 404
    assert c.post("/api/entities/split", json={"kind": "nation", "id": "x", "name": "y"}, headers=h).status_code == 400
    from pipeline.store.resolved import entities
    cre = next(e for e in entities(app.state.store, "organization") if any(v == "CRÉ VHSL" for v, _ in e["variants"]))
    bad = c.post("/api/entities/split", json={"kind": "organization", "id": cre["id"], "name": "Autre nom"}, headers=h)
    assert bad.status_code == 400
    ok = c.post("/api/entities/split", json={"kind": "organization", "id": cre["id"], "name": "CRÉ VHSL"}, headers=h)
    assert ok.status_code == 200 and "split" in ok.json()["message"]
    assert c.get("/entities?kind=robot").status_code == 400

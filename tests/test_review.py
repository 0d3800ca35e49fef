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
    return TestClient(app), app


def csrf_of(html: str) -> str:
    import re
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_queue_record_and_actions(site):
    c, app = client(site, reviewer="ana")
    page = c.get("/?type=funding")
    assert page.status_code == 200 and "MAMROT" in page.text and "Keys:" in page.text
    store = app.state.store
    rid = store.records("funding")[0]["id"]
    view = c.get(f"/record/funding/{rid}")
    assert view.status_code == 200 and "<mark>" in view.text and 'class="box"' in view.text
    img = c.get(f"/page/{site['doc_id']}/1.png")
    assert img.status_code == 200 and img.content[:4] == b"\x89PNG"
    token = csrf_of(view.text)
    assert c.post(f"/api/review/funding/{rid}", json={"action": "approve"}).status_code == 403
    ok = c.post(f"/api/review/funding/{rid}", json={"action": "approve"}, headers={"X-CSRF-Token": token})
    assert ok.json()["status"] == "approved"
    bad = c.post(f"/api/review/funding/{rid}", json={"action": "edit", "changes": {"nope": 1}},
                 headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "no editable field" in bad.text
    assert store.records("funding", status="approved")[0]["reviewer"] == "ana"
    docs = c.get("/documents")
    assert "vhsl-p71.pdf" in docs.text and "ok" in docs.text


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
    c, _ = client(site, token="s3cret")
    assert c.get("/").status_code == 401
    assert c.get("/?token=s3cret").status_code == 200
    assert c.get("/documents").status_code == 200          # the cookie now carries it


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_review_in_a_real_browser(site, tmp_path):
    pw = pytest.importorskip("playwright.sync_api")
    import uvicorn
    from review.app import create_app
    from pipeline.store.export import export
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is not installed: run scripts/setup.sh --dev"
    app = create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], reviewer="ana")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    store = app.state.store
    first, second = store.records("funding")[:2]
    try:
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/?type=funding")
            page.wait_for_selector("#queue tr.sel")
            page.keyboard.press("a")                                 # approve the selected (first) row
            page.locator("#queue tr[data-id]").first.locator("td.st-approved").wait_for()
            page.goto(f"http://127.0.0.1:{port}/record/funding/{second['id']}")
            page.wait_for_selector("#pageimg")
            page.keyboard.press("e")
            page.fill("input[name=recipient]", "Pôle régional d'économie sociale")
            page.press("input[name=recipient]", "Enter")
            page.wait_for_selector("#status.st-edited")
            page.reload()
            assert page.inner_text("#status") == "edited"
            assert page.input_value("input[name=recipient]") == "Pôle régional d'économie sociale"
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
    by_id = {r["id"]: r for r in store.records("funding")}
    assert by_id[first["id"]]["status"] == "approved" and by_id[first["id"]]["reviewer"] == "ana"
    assert by_id[second["id"]]["status"] == "edited"
    assert any(a["field"] == "recipient" for a in store.audit(second["id"]))
    paths = export(store, tmp_path / "export", "csv", "all")
    import pandas as pd
    df = pd.read_csv(paths["funding"]).set_index("id")
    assert df.loc[second["id"], "recipient"] == "Pôle régional d'économie sociale"

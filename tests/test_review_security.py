"""Security of the review page, one test per gap found by trying it as an attacker on 127.0.0.1 would
(issue 19): a foreign Host header (DNS rebinding), unbounded bodies and values, malformed JSON bodies,
short or non-ASCII tokens, and security headers missing from some responses. Each test failed on the
code before its fix. The app is served in-process (FastAPI's TestClient) on its default address."""
import subprocess
import sys

import pytest

from conftest import ROOT

BASE = "http://127.0.0.1:8765"          # create_app's default bound host and port
TOKEN = "s3cret-jeton-de-revue-0123456789"


def client(site, **kw):
    from fastapi.testclient import TestClient
    from review.app import create_app
    app = create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], **kw)
    return TestClient(app, base_url=BASE, raise_server_exceptions=False), app


def csrf_of(html: str) -> str:
    import re
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def first_funding(app) -> dict:
    return app.state.store.records("funding")[0]


def version_of(rec: dict) -> int:
    return rec.get("review", {}).get("version", 1)


def test_a_foreign_host_header_is_refused(site):
    # a DNS-rebinding page (evil.example resolving to 127.0.0.1) must not read the queue or its CSRF token
    c, app = client(site, reviewer="ana")
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    for host in ("evil.example:8765", "evil.example", "127.0.0.1:9999", "127.0.0.1.evil.example:8765", ""):
        r = c.get("/", headers={"Host": host})
        assert r.status_code == 400, host
        assert "csrf-token" not in r.text
    rec = first_funding(app)
    token = csrf_of(c.get("/").text)
    r = c.post(f"/api/review/funding/{rec['id']}", json={"action": "approve", "version": version_of(rec)},
               headers={"Host": "evil.example:8765", "X-CSRF-Token": token})
    assert r.status_code == 400
    assert app.state.store.records("funding")[0]["status"] == "pending"


def test_a_host_bound_elsewhere_accepts_only_its_own_name_and_port(site):
    from fastapi.testclient import TestClient
    from review.app import create_app
    app = create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], host="192.0.2.7", port=9000,
                     token=TOKEN)
    c = TestClient(app, base_url="http://192.0.2.7:9000")
    assert c.get(f"/?token={TOKEN}").status_code == 200
    assert c.get(f"/?token={TOKEN}", headers={"Host": "127.0.0.1:9000"}).status_code == 400
    assert c.get(f"/?token={TOKEN}", headers={"Host": "192.0.2.7:8765"}).status_code == 400
    # a name given on purpose (a reverse proxy's) is answered too, with the port
    app = create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], host="127.0.0.1", port=9000,
                     allowed_hosts=("revue.exemple.org",))
    c = TestClient(app, base_url="http://revue.exemple.org:9000")
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"Host": "autre.exemple.org:9000"}).status_code == 400


def test_request_bodies_are_size_limited(site):
    c, app = client(site, reviewer="ana")
    rid = first_funding(app)["id"]
    token = csrf_of(c.get("/").text)
    huge = '{"action": "edit", "changes": {"recipient": "' + "é" * 2_000_000 + '"}}'
    r = c.post(f"/api/review/funding/{rid}", content=huge.encode("utf-8"),
               headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code == 413
    # the same without a Content-Length (a chunked body) is cut off as it is read
    def chunks():
        yield huge.encode("utf-8")
    r = c.post(f"/api/review/funding/{rid}", content=chunks(),
               headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code == 413
    rec = first_funding(app)
    assert rec["status"] == "pending" and len(rec["recipient"] or "") < 1000


def test_field_values_are_size_limited(site):
    c, app = client(site, reviewer="ana")
    rec = first_funding(app)
    token = csrf_of(c.get("/").text)
    long_name = "Coopérative de solidarité " * 800            # about 21,000 characters: under the body limit
    r = c.post(f"/api/review/funding/{rec['id']}", json={"action": "edit", "changes": {"recipient": long_name},
                                                         "version": version_of(rec)}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "recipient" in r.json()["errors"]
    assert first_funding(app)["recipient"] == rec["recipient"]
    r = c.post(f"/api/review/funding/{rec['id']}", json={"action": "approve", "reviewer": "x" * 5000,
                                                         "version": version_of(rec)}, headers={"X-CSRF-Token": token})
    assert r.status_code in (200, 400)
    assert len(first_funding(app)["reviewer"] or "") <= 120


@pytest.mark.parametrize("body", [b"{pas du json", b"[1, 2]", b'"approve"', b"\xff\xfe\x00", b"",
                                  b'{"action": ["approve"]}', b'{"action": "edit", "changes": [1]}',
                                  b'{"action": "approve", "version": "trois"}', b'{"action": "approve", "reviewer": 7}'])
def test_malformed_bodies_are_400_not_500(site, body):
    c, app = client(site, reviewer="ana")
    rid = first_funding(app)["id"]
    token = csrf_of(c.get("/").text)
    r = c.post(f"/api/review/funding/{rid}", content=body,
               headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code == 400, (body, r.status_code, r.text)
    assert first_funding(app)["status"] == "pending"


def test_short_tokens_are_refused(site):
    from review.app import create_app
    with pytest.raises(ValueError, match="16 characters"):
        create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], token="x")
    with pytest.raises(ValueError, match="16 characters"):
        create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], token="abcdefghijklmno")  # 15
    out = subprocess.run([sys.executable, "-m", "pipeline", "review", "--db", site["db"], "--port", "0",
                          "--host", "0.0.0.0", "--token", "court"], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert out.returncode == 2 and "16 characters" in out.stderr and "Traceback" not in out.stderr


def test_a_non_ascii_token_is_refused_not_a_server_error(site):
    c, app = client(site, token=TOKEN)
    assert c.get("/?token=éléphant").status_code == 401
    assert c.get("/", headers={"X-Token": "jeton-\u00e9t\u00e9".encode("utf-8")}).status_code == 401
    assert c.get("/", headers={"Cookie": "bulletins_token=\u00e9t\u00e9".encode("utf-8")}).status_code == 401
    assert c.get(f"/?token={TOKEN}").status_code == 200
    # the CSRF check compares a header as well
    rec = first_funding(app)
    r = c.post(f"/api/review/funding/{rec['id']}", json={"action": "approve", "version": version_of(rec)},
               headers={"X-CSRF-Token": "\u00e9t\u00e9".encode("utf-8"), "X-Token": TOKEN})
    assert r.status_code == 403


def test_the_same_security_headers_on_every_response(site):
    c, app = client(site, reviewer="ana", token=TOKEN)
    rid = first_funding(app)["id"]
    responses = {
        "401 without the token": c.get("/"),
        "400 foreign host": c.get("/", headers={"Host": "evil.example:8765"}),
        "200 queue": c.get(f"/?token={TOKEN}"),
    }
    responses.update({
        "200 record": c.get(f"/record/funding/{rid}"),
        "200 png": c.get(f"/page/{site['doc_id']}/1.png"),
        "404 page": c.get(f"/page/{site['doc_id']}/99.png"),
        "404 route": c.get("/nulle-part"),
        "400 queue filter": c.get("/?type=inconnu"),
        "403 csrf": c.post(f"/api/review/funding/{rid}", json={"action": "approve"}),
        "405 method": c.put("/"),
    })
    for what, r in responses.items():
        h = r.headers
        assert h.get("x-content-type-options") == "nosniff", what
        assert h.get("x-frame-options") == "DENY", what
        assert "default-src 'self'" in h.get("content-security-policy", ""), what
        assert "frame-ancestors 'none'" in h.get("content-security-policy", ""), what
        assert h.get("referrer-policy") == "no-referrer", what
        assert h.get("cache-control") == "no-store", what

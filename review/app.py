"""The review web page: a FastAPI app over the store, server-rendered HTML with a little JavaScript.

    create_app(db=None, raw_dir="raw", out_dir="extracted", reviewer=None, token=None) -> FastAPI

Pages: ``/`` the queue (filters: type, status, document, confidence; sort), ``/record/{type}/{id}``
(fields, evidence sentence with the extracted values highlighted, the page image with the evidence
box, audit trail), ``/documents``. State changes are ``POST /api/review/{type}/{id}`` with a JSON body
and the page's CSRF token in ``X-CSRF-Token``. Everything from bulletins is escaped (Jinja2
autoescape). Page images are rendered from the document's own source file, looked up by document id
in the store, and only when that file is inside ``raw_dir`` or ``out_dir``; they are cached under
``out_dir/<doc-id>/``. With a ``token`` every request must carry it (``?token=`` once, then a cookie).
"""
from __future__ import annotations

import hmac
import re
import secrets
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup, escape

from pipeline.records import spec as record_spec
from pipeline.store import RECORD_TYPES, STATUSES, Store, StoreError

# store bookkeeping on a record dict, as opposed to the record's own fields
META_FIELDS = frozenset({"id", "doc_id", "status", "needs_review", "reviewer", "reviewed_at", "evidence"})

BASE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="csrf-token" content="{{ csrf }}"><title>{{ title }} · Bulletins review</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}header{background:#234;color:#fff;padding:8px 16px}
header a{color:#cde;margin-right:14px}main{padding:12px 16px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.sel{background:#fff6d0}.st-approved{color:#070}.st-rejected{color:#a00}.st-edited{color:#06a}
.flag{color:#c60;font-weight:bold}mark{background:#ffe066}.keys{color:#555;font-size:12px}
.page{position:relative;display:inline-block;border:1px solid #999}.page img{display:block;max-width:100%}
.box{position:absolute;border:2px solid #e00;background:rgba(255,0,0,.08)}.cols{display:flex;gap:18px}
.cols>div{flex:1;min-width:0}input[type=text]{width:100%}.counts span{margin-right:12px}
</style></head><body><header><b>Bulletins review</b> &nbsp; <a href="{{ ('/') }}">Queue</a>
<a href="{{ ('/documents') }}">Documents</a> <span id="who"></span></header><main>{% block main %}{% endblock %}</main>
<script>
const CSRF = document.querySelector('meta[name=csrf-token]').content;
function reviewer(){let r = {{ reviewer|tojson }} || localStorage.getItem('reviewer');
  if(!r){r = prompt('Your name (recorded with every review action):'); if(r) localStorage.setItem('reviewer', r);}
  document.getElementById('who').textContent = r ? ('reviewer: ' + r) : ''; return r;}
async function act(type, id, action, changes){
  const res = await fetch('/api/review/' + type + '/' + id, {method:'POST', credentials:'same-origin',
    headers:{'Content-Type':'application/json','X-CSRF-Token':CSRF},
    body: JSON.stringify({action: action, changes: changes || null, reviewer: reviewer()})});
  if(!res.ok){alert('error: ' + (await res.text())); return null;} return await res.json();}
reviewer();
</script>{% block script %}{% endblock %}</body></html>"""

QUEUE = """{% extends "base" %}{% block main %}
<form method="get" action="/">
type <select name="type">{% for t in types %}<option {% if t == f.type %}selected{% endif %}>{{ t }}</option>{% endfor %}</select>
status <select name="status"><option value="all">all</option>{% for s in statuses %}<option {% if s == f.status %}selected{% endif %}>{{ s }}</option>{% endfor %}</select>
document <select name="doc"><option value="">all</option>{% for d in docs %}<option value="{{ d.id }}" {% if d.id == f.doc %}selected{% endif %}>{{ d.name }}</option>{% endfor %}</select>
re-review only <input type="checkbox" name="flagged" value="1" {% if f.flagged %}checked{% endif %}>
sort <select name="sort">{% for s in ["page", "status", "value"] %}<option {% if s == f.sort %}selected{% endif %}>{{ s }}</option>{% endfor %}</select>
<button>Filter</button></form>
<p class="counts">{% for t, c in counts.items() %}<span><b>{{ t }}</b>: {% for s, n in c.items() %}{{ s }} {{ n }} {% endfor %}</span>{% endfor %}</p>
<p class="keys">Keys: <b>j</b>/<b>k</b> next/previous row, <b>Enter</b> open, <b>a</b> approve, <b>r</b> reject (the selected row)</p>
<table id="queue"><tr><th>#</th><th>record</th><th>status</th><th>document</th><th>page</th><th>evidence</th></tr>
{% for r in rows %}<tr data-id="{{ r.id }}" data-href="{{ ('/record/' ~ f.type ~ '/' ~ r.id) }}">
<td>{{ loop.index }}</td><td><a href="{{ ('/record/' ~ f.type ~ '/' ~ r.id) }}">{{ r.label }}</a></td>
<td class="st-{{ r.status }}">{{ r.status }}{% if r.needs_review %} <span class="flag">re-review</span>{% endif %}</td>
<td>{{ r.doc }}</td><td>{{ r.page }}</td><td>{{ r.evidence[:140] }}</td></tr>{% endfor %}</table>
{% if not rows %}<p>No records match.</p>{% endif %}{% endblock %}
{% block script %}<script>
const rows=[...document.querySelectorAll('#queue tr[data-id]')]; let sel=0;
function show(){rows.forEach((r,i)=>r.classList.toggle('sel', i===sel)); if(rows[sel]) rows[sel].scrollIntoView({block:'nearest'});}
show();
document.addEventListener('keydown', async e => { if(e.target.tagName==='INPUT'||e.target.tagName==='SELECT') return;
  if(e.key==='j'){sel=Math.min(sel+1, rows.length-1); show();} else if(e.key==='k'){sel=Math.max(sel-1,0); show();}
  else if(e.key==='Enter' && rows[sel]){location.href=rows[sel].dataset.href;}
  else if((e.key==='a'||e.key==='r') && rows[sel]){const out=await act({{ f.type|tojson }}, rows[sel].dataset.id, e.key==='a'?'approve':'reject');
    if(out){rows[sel].children[2].textContent=out.status; rows[sel].children[2].className='st-'+out.status; sel=Math.min(sel+1, rows.length-1); show();}}});
</script>{% endblock %}"""

RECORD = """{% extends "base" %}{% block main %}
<p><a href="{{ ('/?type=' ~ type) }}">← queue</a> · {{ type }} · record <code>{{ r.id }}</code> ·
status <b id="status" class="st-{{ r.status }}">{{ r.status }}</b>{% if r.needs_review %} <span class="flag">source changed: re-review</span>{% endif %}
{% if r.reviewer %} · by {{ r.reviewer }}{% endif %}</p>
<p class="keys">Keys: <b>a</b> approve and next, <b>r</b> reject and next, <b>e</b> edit (then Enter to save), <b>j</b>/<b>k</b> next/previous record</p>
<div class="cols"><div><form id="fields">{% for k, v in fields %}
<label>{{ k }} <input type="text" name="{{ k }}" value="{{ '' if v is none else v }}" data-orig="{{ '' if v is none else v }}" readonly></label><br>
{% endfor %}</form>
<p><button id="approve">Approve (a)</button> <button id="reject">Reject (r)</button> <button id="edit">Edit (e)</button> <button id="save" hidden>Save</button></p>
<h3>Evidence (page {{ r.evidence.page if r.evidence else '?' }})</h3><blockquote id="evidence">{{ evidence_html }}</blockquote>
<p>Document: <a href="{{ ('/documents') }}">{{ doc_name }}</a></p>
<h3>Audit trail</h3><table>{% for a in audit %}<tr><td>{{ a.at }}</td><td>{{ a.reviewer or 'ingestion' }}</td><td>{{ a.action }}</td><td>{{ a.field or '' }}</td><td>{{ a.old }}</td><td>→ {{ a.new }}</td></tr>{% endfor %}</table>
</div><div>{% if image %}<div class="page"><img id="pageimg" src="{{ image }}" alt="page {{ r.evidence.page }}">
{% if box %}<div class="box" style="left:{{ box[0] }}%;top:{{ box[1] }}%;width:{{ box[2] }}%;height:{{ box[3] }}%"></div>{% endif %}</div>
{% else %}<p>No page image for this source.</p>{% endif %}</div></div>{% endblock %}
{% block script %}<script>
const TYPE={{ type|tojson }}, ID={{ r.id|tojson }}, NEXT={{ next|tojson }}, PREV={{ prev|tojson }};
const inputs=[...document.querySelectorAll('#fields input')];
function go(url){ if(url) location.href=url; else location.href={{ ('/?type=' ~ type)|tojson }}; }
async function decide(action){ const out=await act(TYPE, ID, action); if(out) go(NEXT); }
function startEdit(){ inputs.forEach(i=>i.readOnly=false); document.getElementById('save').hidden=false; if(inputs[0]) inputs[0].focus(); }
function typed(v, orig){ if(v==='') return null; if(v!=='' && !isNaN(Number(v)) && orig!=='' && !isNaN(Number(orig))) return Number(v);
  if(v==='true') return true; if(v==='false') return false; return v; }
async function save(){ const changes={}; inputs.forEach(i=>{ if(i.value!==i.dataset.orig) changes[i.name]=typed(i.value, i.dataset.orig); });
  const out=await act(TYPE, ID, 'edit', changes); if(out) location.reload(); }
document.getElementById('approve').onclick=()=>decide('approve'); document.getElementById('reject').onclick=()=>decide('reject');
document.getElementById('edit').onclick=startEdit; document.getElementById('save').onclick=save;
document.getElementById('fields').addEventListener('keydown', e=>{ if(e.key==='Enter'){ e.preventDefault(); save(); } });
document.addEventListener('keydown', e=>{ if(e.target.tagName==='INPUT' && !e.target.readOnly) return;
  if(e.key==='a') decide('approve'); else if(e.key==='r') decide('reject'); else if(e.key==='e'){ e.preventDefault(); startEdit(); }
  else if(e.key==='j') go(NEXT); else if(e.key==='k' && PREV) go(PREV); });
</script>{% endblock %}"""

DOCUMENTS = """{% extends "base" %}{% block main %}<h2>Documents</h2>
<table><tr><th>document</th><th>status</th><th>pages</th><th>methods</th><th>reason</th><th>ingested</th><th>records</th></tr>
{% for d in docs %}<tr><td>{{ d.name }}<br><code>{{ d.id[:16] }}</code></td><td class="st-{{ d.status }}">{{ d.status }}</td>
<td>{{ d.pages }}</td><td>{{ d.page_methods|join(', ') }}</td><td>{{ d.error or '' }}</td><td>{{ d.ingested_at }}</td>
<td>{% for t in types %}<a href="{{ ('/?type=' ~ t ~ '&doc=' ~ d.id) }}">{{ t }}</a> {% endfor %}</td></tr>{% endfor %}</table>{% endblock %}"""


def _label(rtype: str, r: dict) -> str:
    parts = [str(r.get(f)) for f in record_spec(rtype).title_fields if r.get(f) not in (None, "")]
    return " · ".join(parts) or r["id"][:12]


def highlight(sentence: str, record: dict) -> Markup:
    """The evidence sentence, escaped, with the record's values found in it marked."""
    needles = []
    for k, v in record.items():
        if k in META_FIELDS or k == "currency" or v in (None, ""):
            continue
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            n = int(v) if float(v).is_integer() else v
            needles.append(re.sub(r"(\d)(?=(\d{3})+$)", r"\1 ", str(n)))    # 250000 -> '250 000'
            needles.append(str(n))
        else:
            needles.append(str(v))
    spans = []
    low = sentence.lower()
    for nd in sorted({n for n in needles if len(n) >= 2}, key=len, reverse=True):
        i = low.find(nd.lower())
        while i >= 0:
            if not any(a < i + len(nd) and i < b for a, b in spans):
                spans.append((i, i + len(nd)))
            i = low.find(nd.lower(), i + 1)
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(escape(sentence[pos:a]))
        out.append(Markup("<mark>") + escape(sentence[a:b]) + Markup("</mark>"))
        pos = b
    out.append(escape(sentence[pos:]))
    return Markup("").join(out)


def create_app(db: Optional[str] = None, raw_dir="raw", out_dir="extracted", reviewer: Optional[str] = None,
               token: Optional[str] = None) -> FastAPI:
    store = Store(db)
    roots = [Path(raw_dir).resolve(), Path(out_dir).resolve()]
    out_root = Path(out_dir).resolve()
    csrf = secrets.token_urlsafe(24)
    env = Environment(loader=DictLoader({"base": BASE, "queue": QUEUE, "record": RECORD, "documents": DOCUMENTS}),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    app = FastAPI(title="Bulletins review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if token:
            given = request.query_params.get("token") or request.cookies.get("bulletins_token") or \
                request.headers.get("X-Token") or ""
            if not hmac.compare_digest(given, token):
                return JSONResponse({"error": "token required"}, status_code=401)
        response = await call_next(request)
        if token and request.query_params.get("token"):
            response.set_cookie("bulletins_token", token, httponly=True, samesite="strict")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
        return response

    def render(name: str, **ctx) -> HTMLResponse:
        ctx.setdefault("title", name)
        return HTMLResponse(env.get_template(name).render(csrf=csrf, reviewer=reviewer, **ctx))

    def doc_names() -> dict[str, str]:
        return {d["id"]: Path(d["source"]).name for d in store.documents()}

    def queue_rows(rtype, status, doc, flagged, sort):
        names = doc_names()
        rows = store.records(rtype, status=status if status != "all" else None, doc_id=doc or None)
        if flagged:
            rows = [r for r in rows if r["needs_review"]]
        key = {"page": lambda r: (names.get(r["doc_id"], ""), (r.get("evidence") or {}).get("page") or 0),
               "status": lambda r: (r["status"], names.get(r["doc_id"], "")),
               "value": lambda r: _label(rtype, r).lower()}.get(sort, lambda r: 0)
        return sorted(rows, key=key), names

    @app.get("/", response_class=HTMLResponse)
    def queue(type: str = "funding", status: str = "pending", doc: str = "", flagged: str = "", sort: str = "page"):
        if type not in RECORD_TYPES or (status != "all" and status not in STATUSES):
            raise HTTPException(400, f"unknown type or status: {type!r}, {status!r}")
        rows, names = queue_rows(type, status, doc, flagged, sort)
        view = [{"id": r["id"], "label": _label(type, r), "status": r["status"], "needs_review": r["needs_review"],
                 "doc": names.get(r["doc_id"], r["doc_id"][:12]), "page": (r.get("evidence") or {}).get("page"),
                 "evidence": (r.get("evidence") or {}).get("text") or ""} for r in rows]
        return render("queue", title="Queue", rows=view, types=RECORD_TYPES, statuses=STATUSES,
                      f={"type": type, "status": status, "doc": doc, "flagged": flagged, "sort": sort},
                      docs=[{"id": i, "name": n} for i, n in names.items()], counts=store.counts())

    @app.get("/record/{rtype}/{rid}", response_class=HTMLResponse)
    def record(rtype: str, rid: str, status: str = "pending"):
        if rtype not in RECORD_TYPES:
            raise HTTPException(404, "unknown record type")
        rows = store.records(rtype)
        by_id = {r["id"]: r for r in rows}
        r = by_id.get(rid)
        if r is None:
            raise HTTPException(404, "no such record")
        # next / previous among the records still to review (the queue's default view)
        pend = [x["id"] for x in rows if x["status"] == "pending" or x["id"] == rid]
        k = pend.index(rid)
        nxt = next((f"/record/{rtype}/{i}" for i in pend[k + 1:]), None)
        prev = f"/record/{rtype}/{pend[k - 1]}" if k > 0 else None
        ev = r.get("evidence") or {}
        fields = [(f, r[f]) for f in r if f not in META_FIELDS]
        image, box = None, None
        page = ev.get("page")
        if page:
            size = _page_size(store, r["doc_id"], page)
            if size and _source_path(store, r["doc_id"], roots):
                image = f"/page/{r['doc_id']}/{page}.png"
                if ev.get("bbox"):
                    x0, top, x1, bottom = ev["bbox"]
                    w, h = size
                    box = [round(100 * x0 / w, 2), round(100 * top / h, 2), round(100 * (x1 - x0) / w, 2),
                           round(100 * (bottom - top) / h, 2)]
        return render("record", title=f"{rtype} {rid[:8]}", type=rtype, r=r, fields=fields, next=nxt, prev=prev,
                      evidence_html=highlight(ev.get("text") or "", r), image=image, box=box,
                      audit=store.audit(rid), doc_name=doc_names().get(r["doc_id"], r["doc_id"]))

    @app.get("/documents", response_class=HTMLResponse)
    def documents():
        docs = [dict(d, name=Path(d["source"]).name) for d in store.documents()]
        return render("documents", title="Documents", docs=docs, types=RECORD_TYPES)

    @app.post("/api/review/{rtype}/{rid}")
    async def review(rtype: str, rid: str, request: Request):
        if not hmac.compare_digest(request.headers.get("X-CSRF-Token", ""), csrf):
            raise HTTPException(403, "missing or bad CSRF token")
        body = await request.json()
        who = (reviewer or body.get("reviewer") or "").strip()
        if not who:
            raise HTTPException(400, "a reviewer name is required")
        try:
            out = store.review(rtype, rid, body.get("action", ""), who[:120], body.get("changes"))
        except StoreError as e:
            raise HTTPException(400, str(e)) from None
        return {"id": out["id"], "status": out["status"], "reviewer": out["reviewer"]}

    @app.get("/page/{doc_id}/{number}.png")
    def page_image(doc_id: str, number: int):
        if not re.fullmatch(r"[0-9a-f]{64}", doc_id):
            raise HTTPException(404, "no such document")
        src = _source_path(store, doc_id, roots)
        if src is None:
            raise HTTPException(404, "source not available")
        cache = out_root / doc_id / f"page-{number:03d}.png"
        if not cache.exists():
            _render_page(src, number, cache)
        return FileResponse(cache, media_type="image/png")

    @app.get("/favicon.ico")
    def favicon():
        return Response(status_code=204)

    return app


def _page_size(store: Store, doc_id: str, number: int):
    from sqlalchemy.orm import Session
    from pipeline.store import PageRow
    with Session(store.engine) as s:
        row = s.get(PageRow, {"doc_id": doc_id, "number": number})
        return tuple(row.size) if row is not None and row.size else None


def _source_path(store: Store, doc_id: str, roots: list[Path]) -> Optional[Path]:
    """The document's source file, only if it lies inside one of ``roots`` and is a PDF or an image."""
    from sqlalchemy.orm import Session
    from pipeline.store import DocumentRow
    with Session(store.engine) as s:
        row = s.get(DocumentRow, doc_id)
    if row is None:
        return None
    p = Path(row.source).resolve()
    if not p.is_file() or not any(p.is_relative_to(r) for r in roots):
        return None
    if p.suffix.lower() not in (".pdf", ".png", ".tif", ".tiff", ".jpg", ".jpeg"):
        return None
    return p


def _render_page(src: Path, number: int, cache: Path) -> None:
    """Render one page to PNG at 100 dpi (the review page scales the evidence box in percent)."""
    from PIL import Image
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(f".{cache.name}.tmp")
    if src.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium
        from pipeline.cpu import pdfium_lock
        with pdfium_lock:           # page requests are served on several threads; PDFium is not thread-safe
            doc = pdfium.PdfDocument(str(src))
            try:
                if not 1 <= number <= len(doc):
                    raise HTTPException(404, "no such page")
                page = doc[number - 1]
                image = page.render(scale=100 / 72).to_pil()
                page.close()
            finally:
                doc.close()
        image.save(tmp, "PNG")
    else:
        with Image.open(src) as im:
            try:
                im.seek(number - 1)
            except EOFError:
                raise HTTPException(404, "no such page") from None
            im.convert("RGB").save(tmp, "PNG")
    tmp.replace(cache)

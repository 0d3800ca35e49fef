"""The review web page: a FastAPI app over the store, server-rendered HTML with a little JavaScript.

    create_app(db=None, raw_dir="raw", out_dir="extracted", reviewer=None, token=None,
               host="127.0.0.1", port=8765, allowed_hosts=()) -> FastAPI

Pages: ``/`` the queue (one record type; show: to review, changed since review, a status or several,
all; document; search; sort by page, confidence, value or status; keyset pages of 50 read from the
database), ``/record/{type}/{id}`` (typed fields, the evidence sentence with the extracted values
highlighted, the page image with the evidence box, what changed since review, the audit trail),
``/document/{id}/page/{n}`` (a page's text, to add a record the extraction missed), ``/documents``,
``/entities`` (organisations and people across documents: merge the selected, split a spelling off).

State changes are POSTs with a JSON body and the page's CSRF token in ``X-CSRF-Token``:
``/api/review/{type}/{id}`` (approve, reject, edit, undo; the record's ``version`` the change was made
on: a stale change is a 409 with the record as it is now), ``/api/bulk/{type}`` (approve, reject or undo
selected records), ``/api/add/{type}`` (a missed record), ``/api/entities/merge`` and ``/api/entities/split``
(kept as decisions by spelling, applied at once and at every later ingestion). Values are parsed and checked by the library
(:mod:`pipeline.records.values`): a refused value is a 400 naming the field.

Security: only requests whose ``Host`` is the bound host and port are served (DNS rebinding); bodies
over 64 KiB are refused (413), malformed ones are a 400; with a ``token`` (16 characters at least) every
request must carry it (``?token=`` once, then a cookie); every response has the same security headers
(a Content-Security-Policy allowing only this response's scripts, no framing, no referrer, no caching).
Everything from bulletins is escaped (Jinja2 autoescape). Page images are rendered from the document's
own source file, looked up by document id in the store, and only when that file is inside ``raw_dir``
or ``out_dir``; they are cached under ``out_dir/<doc-id>/``.
"""
from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import socket
import time
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup, escape
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.records import spec as record_spec
from pipeline.records.values import currency_field, display, displayed
from pipeline.store import (SORTS, STATUSES, Filters, InvalidReview, RECORD_TYPES, Store, StoreConflict,
                            StoreError, resolved)

from .templates import TEMPLATES

log = logging.getLogger("bulletins.review")

MAX_BODY = 64 * 1024           # bytes of a request body
MAX_REVIEWER = 120             # characters of a reviewer's name
MAX_QUERY = 200                # characters of a search
MAX_BULK = 500                 # records in one bulk action
PAGE_SIZE = 50
MIN_TOKEN = 16
TOKEN_RX = re.compile(r"[A-Za-z0-9._~+/=-]+")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
VIEWS = (("todo", "to review"), ("changed", "changed since review"), ("pending", "pending"), ("approved", "approved"),
         ("edited", "edited"), ("approved,edited", "approved or edited"), ("rejected", "rejected"), ("all", "all"))
SORT_LABELS = (("page", "document, page"), ("confidence", "confidence, least sure first"), ("value", "value"),
               ("status", "status"))
HINTS = {"money": "125 000 $, 1,2 M$, 2,3 millions de dollars", "count": "42, quarante-deux, une centaine",
         "years": "5, cinq ans, sur cinq ans", "date": "2011-04-08, 8 avril 2011, avril 2011, 2011",
         "currency": "CAD, USD, EUR"}
CHANGES = {"changed": "the extraction changed", "key_changed": "the extraction now gives another record",
           "gone": "no longer found by the extraction"}


def security_headers(nonce: str) -> dict[str, str]:
    return {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Resource-Policy": "same-origin",
            "Content-Security-Policy": f"default-src 'self'; img-src 'self'; style-src 'nonce-{nonce}'; "
                                       f"script-src 'nonce-{nonce}'; object-src 'none'; base-uri 'none'; "
                                       "form-action 'self'; frame-ancestors 'none'"}


def host_names(host: str, port: int, extra=()) -> frozenset[str]:
    """The Host headers a server bound to ``host:port`` answers: that name (and the other loopback names
    when it is a loopback address; the machine's names when it is every interface), with the port."""
    names = {host.lower(), *(h.lower() for h in extra)}
    if host in LOOPBACK:
        names |= set(LOOPBACK)
    if host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower(), *LOOPBACK}
        try:
            names |= set(socket.gethostbyname_ex(socket.gethostname())[2])     # the machine's addresses
        except OSError:
            pass
    out = set()
    for n in names:
        n = f"[{n}]" if ":" in n and not n.startswith("[") else n
        out.add(f"{n}:{port}")
        if port == 80:
            out.add(n)
    return frozenset(out)


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of a secret, whatever characters were sent (bytes, never str)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


class Guard:
    """ASGI middleware around the whole app: Host allow-list, body size, token, security headers on every
    response (errors included) and a ``Server-Timing`` header with the time spent serving the request."""

    def __init__(self, app, hosts: frozenset[str], token: Optional[str], max_body: int):
        self.app, self.hosts, self.token, self.max_body = app, hosts, token, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce
        started = False

        async def send_secured(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                h = MutableHeaders(scope=message)
                for k, v in security_headers(nonce).items():
                    h[k] = v
                h["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - t0):.1f}"
            await send(message)

        headers = Headers(scope=scope)
        if headers.get("host", "").lower() not in self.hosts:
            return await _plain(400, "invalid host header")(scope, receive, send_secured)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _plain(413, f"request body over {self.max_body} bytes")(scope, receive, send_secured)
        set_cookie = False
        if self.token:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            cookies = _cookies(headers.get("cookie", ""))
            given = query.get("token") or cookies.get("bulletins_token") or headers.get("x-token") or ""
            if not _same(given, self.token):
                return await JSONResponse({"error": "token required"}, status_code=401)(scope, receive, send_secured)
            if "token" in query:
                if scope["method"] == "GET":        # the token leaves the address bar: a cookie carries it on
                    rest = urlencode([(k, v) for k, v in parse_qsl(scope["query_string"].decode("latin-1")) if k != "token"])
                    r = Response(status_code=303, headers={"Location": scope["path"] + ("?" + rest if rest else "")})
                    r.set_cookie("bulletins_token", self.token, httponly=True, samesite="strict")
                    return await r(scope, receive, send_secured)
                set_cookie = True
        try:
            if set_cookie:
                async def send_with_cookie(message):
                    if message["type"] == "http.response.start":
                        MutableHeaders(scope=message).append(
                            "set-cookie", f"bulletins_token={self.token}; HttpOnly; Path=/; SameSite=strict")
                    await send_secured(message)
                return await self.app(scope, receive, send_with_cookie)
            return await self.app(scope, receive, send_secured)
        except Exception:
            log.exception("error serving %s", scope.get("path"))
            if not started:
                await _plain(500, "internal error")(scope, receive, send_secured)
            raise


def _plain(status: int, text: str) -> Response:
    return Response(text, status_code=status, media_type="text/plain; charset=utf-8")


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        k, _, v = part.strip().partition("=")
        if k:
            out[k] = v
    return out


async def body_json(request: Request, limit: int = MAX_BODY) -> dict:
    """The request's JSON object, read up to ``limit`` bytes (413 beyond, even without a Content-Length);
    a body that is not UTF-8 JSON of an object is a 400."""
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body over {limit} bytes")
        chunks.append(chunk)

    def no_constant(name):
        raise ValueError(f"{name} is not a number")
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"), parse_constant=no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HTTPException(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "the body must be a JSON object")
    return data


def _label(r: dict) -> str:
    return r.get("title") or r["id"][:12]


def highlight(sentence: str, record: dict, columns) -> Markup:
    """The evidence sentence, escaped, with the record's values found in it marked."""
    needles = []
    for k in columns:
        v = record.get(k)
        if v in (None, "") or isinstance(v, bool):
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
               token: Optional[str] = None, host: str = "127.0.0.1", port: int = 8765,
               allowed_hosts=()) -> FastAPI:
    if token is not None and (len(token) < MIN_TOKEN or not TOKEN_RX.fullmatch(token)):
        raise ValueError(f"the token must be at least {MIN_TOKEN} characters of A-Z a-z 0-9 . _ ~ + / = - "
                         "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(24))')")
    store = Store(db)
    roots = [Path(raw_dir).resolve(), Path(out_dir).resolve()]
    out_root = Path(out_dir).resolve()
    csrf = secrets.token_urlsafe(24)
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True))
    app = FastAPI(title="Bulletins review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.add_middleware(Guard, hosts=host_names(host, port, allowed_hosts), token=token, max_body=MAX_BODY)
    labels = {t: record_spec(t).label for t in RECORD_TYPES}

    @app.exception_handler(StarletteHTTPException)        # the router's 404 / 405 too, not only ours
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return render(request, "error", status_code=exc.status_code, title=str(exc.status_code),
                      status=exc.status_code, message=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return JSONResponse({"error": "bad request parameters"}, status_code=400)

    def render(request: Request, name: str, status_code: int = 200, **ctx) -> HTMLResponse:
        ctx.setdefault("title", name)
        html = env.get_template(name).render(csrf=csrf, reviewer=reviewer, nonce=request.scope["state"]["nonce"],
                                             labels=labels, types=RECORD_TYPES, **ctx)
        return HTMLResponse(html, status_code=status_code)

    def queue_of(type: str, status: str, doc: str, flagged: str, sort: str, q: str) -> tuple[Filters, str]:
        if type not in RECORD_TYPES:
            raise HTTPException(400, f"unknown record type {type!r}")
        if sort not in SORTS:
            raise HTTPException(400, f"unknown sort {sort!r}")
        if doc and not re.fullmatch(r"[0-9a-f]{1,64}", doc):
            raise HTTPException(400, "bad document id")
        if len(q) > MAX_QUERY:
            raise HTTPException(400, f"search over {MAX_QUERY} characters")
        f = Filters(status=status, doc=doc or None, flagged=bool(flagged), q=q.strip() or None)
        try:
            if status not in ("todo", "changed", "all"):
                f.statuses()
        except ValueError as e:
            raise HTTPException(400, str(e)) from None
        return f, sort

    def query_string(rtype: str, f: Filters, sort: str, **extra) -> str:
        params = {"type": rtype, "status": f.status, "doc": f.doc or "", "flagged": "1" if f.flagged else "",
                  "sort": sort, "q": f.q or "", **extra}
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    def queue_dict(f: Filters, sort: str) -> dict:
        return {"status": f.status, "doc": f.doc or "", "flagged": "1" if f.flagged else "", "sort": sort,
                "q": f.q or ""}

    def public(rtype: str, rec: dict) -> dict:
        """What the page needs of a record after a change: its state and its values as shown."""
        return {"id": rec["id"], "status": rec["status"], "reviewer": rec.get("reviewer"),
                "version": rec["review"]["version"], "needs_review": rec["needs_review"],
                "shown": displayed(record_spec(rtype), rec)}

    @app.get("/", response_class=HTMLResponse)
    def queue(request: Request, type: str = "funding", status: str = "todo", doc: str = "", flagged: str = "",
              sort: str = "page", q: str = "", after: str = "", before: str = ""):
        f, sort = queue_of(type, status, doc, flagged, sort, q)
        for ref in (after, before):
            if ref and not re.fullmatch(r"[0-9a-f]{32}", ref):
                raise HTTPException(400, "bad page reference")
        page = store.queue(type, f, sort, after=after or None, before=before or None, limit=PAGE_SIZE)
        names = store.document_names()
        qs = query_string(type, f, sort)
        rows = page["rows"]
        view = [{"id": r["id"], "version": r["version"], "label": _label(r), "status": r["status"],
                 "change": CHANGES.get(r["change"] or "", "changed since review") if r["needs_review"] else "",
                 "confidence": f"{r['confidence']:.2f}" if r["confidence"] is not None else "",
                 "doc": names.get(r["doc_id"], r["doc_id"][:12]), "page": r["page"] or "",
                 "evidence": ((r.get("evidence") or {}).get("text") or "")[:160],
                 "href": f"/record/{type}/{r['id']}?{qs}"} for r in rows]
        backwards = bool(before) and not after
        has_next = page["more"] if not backwards else bool(rows)
        has_prev = (page["more"] if backwards else bool(after)) and bool(rows)
        next_url = f"/?{qs}&after={rows[-1]['id']}" if rows and has_next else None
        prev_url = f"/?{qs}&before={rows[0]['id']}" if rows and has_prev else None
        progress = {t: store.progress(t) for t in RECORD_TYPES}
        total = store.count(type, f, progress[type])
        return render(request, "queue", title="Queue", rows=view, views=VIEWS, sorts=SORT_LABELS, total=total,
                      f={"type": type, "status": status, "doc": doc, "flagged": flagged, "sort": sort, "q": q},
                      docs=[{"id": i, "name": n} for i, n in names.items()], p=progress[type],
                      todo={t: p["todo"] for t, p in progress.items()},
                      label=labels[type], next_url=next_url, prev_url=prev_url,
                      queue=queue_dict(f, sort))

    @app.get("/record/{rtype}/{rid}", response_class=HTMLResponse)
    def record(request: Request, rtype: str, rid: str, status: str = "todo", doc: str = "", flagged: str = "",
               sort: str = "page", q: str = ""):
        if rtype not in RECORD_TYPES:
            raise HTTPException(404, "unknown record type")
        f, sort = queue_of(rtype, status, doc, flagged, sort, q)
        r = store.record(rtype, rid) if re.fullmatch(r"[0-9a-f]{32}", rid) else None
        if r is None:
            raise HTTPException(404, "no such record")
        sp = record_spec(rtype)
        qs = query_string(rtype, f, sort)
        prev, nxt = store.neighbours(rtype, rid, f, sort)
        progress = store.progress(rtype)
        pos = store.position(rtype, rid, f, sort, total=store.count(rtype, f, progress))
        ev = r.get("evidence") or {}
        fields = _fields(sp, r)
        image, box, cells = None, None, []
        number = ev.get("page")
        d = store.document(r["doc_id"]) or {}
        page = store.page(r["doc_id"], number) if number else None
        if page and page["size"] and _source_path(d, roots):
            image = f"/page/{r['doc_id']}/{number}.png"
            if ev.get("bbox"):
                x0, top, x1, bottom = ev["bbox"]
                w, h = page["size"]
                box = [round(100 * x0 / w, 2), round(100 * top / h, 2), round(100 * (x1 - x0) / w, 2),
                       round(100 * (bottom - top) / h, 2)]
            # a record read from a table: its row's cells, each drawn in the row's box
            for c in ev.get("cells") or []:
                x0, top, x1, bottom = c
                w, h = page["size"]
                cells.append([round(100 * x0 / w, 2), round(100 * top / h, 2), round(100 * (x1 - x0) / w, 2),
                              round(100 * (bottom - top) / h, 2)])
        change, new_values, links = _change_view(store, rtype, sp, r, qs)
        return render(request, "record", title=f"{rtype} {rid[:8]}", type=rtype, r=r, fields=fields,
                      version=r["review"]["version"], next=f"/record/{rtype}/{nxt}?{qs}" if nxt else None,
                      prev=f"/record/{rtype}/{prev}?{qs}" if prev else None, back=f"/?{qs}",
                      pos=pos if pos[0] else None, p=progress, label=labels[rtype],
                      evidence_html=highlight(ev.get("text") or "", r, sp.columns), image=image, box=box, cells=cells,
                      table=ev.get("table"),
                      change=change, new_values=new_values, links=links, queue=queue_dict(f, sort),
                      audit=store.audit(rid), doc_name=Path(d.get("source") or r["doc_id"]).name,
                      page_url=f"/document/{r['doc_id']}/page/{number}" if page else None,
                      add_forms=_add_forms(), )

    @app.get("/document/{doc_id}/page/{number}", response_class=HTMLResponse)
    def page_text(request: Request, doc_id: str, number: int):
        if not re.fullmatch(r"[0-9a-f]{64}", doc_id):
            raise HTTPException(404, "no such document")
        d = store.document(doc_id)
        page = store.page(doc_id, number) if d else None
        if page is None:
            raise HTTPException(404, "no such page")
        image = f"/page/{doc_id}/{number}.png" if page["size"] and _source_path(d, roots) else None
        return render(request, "page", title=f"page {number}", doc_id=doc_id, number=number, pages=d["pages"],
                      text=page["text"], image=image, doc_name=Path(d["source"]).name, type=RECORD_TYPES[0],
                      prev_url=f"/document/{doc_id}/page/{number - 1}", next_url=f"/document/{doc_id}/page/{number + 1}",
                      add_forms=_add_forms())

    @app.get("/documents", response_class=HTMLResponse)
    def documents(request: Request):
        docs = [dict(d, name=Path(d["source"]).name) for d in store.documents()]
        return render(request, "documents", title="Documents", docs=docs)

    @app.get("/entities", response_class=HTMLResponse)
    def entity_list(request: Request, kind: str = "organization", q: str = ""):
        from pipeline.lang_fr.names import fold_words
        if kind not in ("organization", "person"):
            raise HTTPException(400, "kind must be organization or person")
        ents = resolved.entities(store, kind)
        total = len(ents)
        want = fold_words(q[:MAX_QUERY])
        if want:
            ents = [e for e in ents if want in fold_words(" ".join(v for v, _ in e["variants"]))]
        # entities of several spellings or documents first: where the merges and splits are decided
        ents.sort(key=lambda e: (-(len(e["variants"]) > 1 or e["document_count"] > 1), e["name"].lower(), e["id"]))
        ents = ents[:300]
        return render(request, "entities", title="Entities", ents=ents, kind=kind, q=q[:MAX_QUERY], total=total,
                      shown=len(ents))

    async def entity_decision(request: Request, action: str) -> dict:
        body, who = await posted(request)
        kind = body.get("kind")
        if kind not in ("organization", "person"):
            raise HTTPException(400, "kind must be organization or person")
        by_id = {e["id"]: e for e in resolved.entities(store, kind)}
        if action == "merge":
            ids = body.get("ids")
            if not isinstance(ids, list) or not 2 <= len(ids) <= 50 or not all(isinstance(i, str) for i in ids):
                raise HTTPException(400, "ids must be 2 to 50 entity ids")
            missing = [i for i in ids if i not in by_id]
            if missing:
                raise HTTPException(404, f"no entity {missing[0][:40]!r} (reload the page)")
            anchor = [resolved.variant(kind, by_id[i]["variants"][0][0]) for i in ids]
            for other in anchor[1:]:
                resolved.store_decision(store, "merge", kind, anchor[0], other, who)
            message = f"merged {len(ids)} entities into {by_id[ids[0]]['name']}"
        else:
            eid, name = body.get("id"), body.get("name")
            if not isinstance(eid, str) or eid not in by_id:
                raise HTTPException(404, "no such entity (reload the page)")
            if not isinstance(name, str) or name not in [v for v, _ in by_id[eid]["variants"]]:
                raise HTTPException(400, "name must be one of the entity's spellings")
            resolved.store_decision(store, "split", kind, resolved.variant(kind, name), None, who)
            message = f"split {name!r} off {by_id[eid]['name']}"
        counts = resolved.resolve(store)
        return {"message": message, "entities": counts[f"{'organizations' if kind == 'organization' else 'people'}_entities"]}

    @app.post("/api/entities/merge")
    async def entities_merge(request: Request):
        return await entity_decision(request, "merge")

    @app.post("/api/entities/split")
    async def entities_split(request: Request):
        return await entity_decision(request, "split")

    async def posted(request: Request, rtype: Optional[str] = None) -> tuple[dict, str]:
        """A POST's JSON body and its reviewer: the CSRF token checked before the body is read, the
        record type (when the route has one) one of the registry's."""
        if not _same(request.headers.get("X-CSRF-Token", ""), csrf):
            raise HTTPException(403, "missing or bad CSRF token")
        body = await body_json(request)
        who = check_post(request, body)
        if rtype is not None and rtype not in RECORD_TYPES:
            raise HTTPException(404, "unknown record type")
        return body, who

    def check_post(request: Request, body: dict) -> str:
        if not _same(request.headers.get("X-CSRF-Token", ""), csrf):
            raise HTTPException(403, "missing or bad CSRF token")
        given = body.get("reviewer")
        if given is not None and not isinstance(given, str):
            raise HTTPException(400, "reviewer must be text")
        who = (reviewer or given or "").strip()
        if not who:
            raise HTTPException(400, "a reviewer name is required")
        if len(who) > MAX_REVIEWER:
            raise HTTPException(400, f"reviewer name over {MAX_REVIEWER} characters")
        return who

    @app.post("/api/review/{rtype}/{rid}")
    async def review(rtype: str, rid: str, request: Request):
        body, who = await posted(request, rtype)
        action, version, changes = body.get("action"), body.get("version"), body.get("changes")
        if not isinstance(action, str) or action not in Store.ACTIONS:
            raise HTTPException(400, f"unknown review action {str(action)[:40]!r}")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise HTTPException(400, "version must be the record's version number")
        if version is None:
            raise HTTPException(400, "the record's version is required (reload the page)")
        if changes is not None and not isinstance(changes, dict):
            raise HTTPException(400, "changes must be an object of field: value")
        qd = body.get("queue") if isinstance(body.get("queue"), dict) else {}
        f, sort = queue_of(rtype, *(str(qd.get(k, d))[:MAX_QUERY + 1] for k, d in
                                    (("status", "todo"), ("doc", ""), ("flagged", ""), ("sort", "page"), ("q", ""))))
        try:
            out = store.review(rtype, rid, action, who, changes, version=version)
        except StoreConflict as e:
            return JSONResponse({"error": str(e), "current": public(rtype, e.current) if e.current else None},
                                status_code=409)
        except InvalidReview as e:
            return JSONResponse({"error": str(e), "errors": e.errors}, status_code=400)
        except StoreError as e:
            raise HTTPException(404 if str(e).startswith("no ") else 400, str(e)) from None
        if action != "undo":
            resolved.carry_now(store, rtype, [rid])        # the same fact in a twin document takes this review
        _, nxt = store.neighbours(rtype, rid, f, sort)
        qs = query_string(rtype, f, sort)
        return dict(public(rtype, out), next=f"/record/{rtype}/{nxt}?{qs}" if nxt else None,
                    progress=store.progress(rtype))

    @app.post("/api/bulk/{rtype}")
    async def bulk(rtype: str, request: Request):
        body, who = await posted(request, rtype)
        items, action = body.get("items"), body.get("action")
        if action not in ("approve", "reject", "undo"):
            raise HTTPException(400, "action must be approve, reject or undo")
        if not isinstance(items, list) or not 0 < len(items) <= MAX_BULK or not all(
                isinstance(i, dict) and isinstance(i.get("id"), str) and isinstance(i.get("version"), int)
                and not isinstance(i.get("version"), bool) for i in items):
            raise HTTPException(400, f"items must be 1 to {MAX_BULK} objects with the id and version of a record")
        out = store.review_many(rtype, [{"id": i["id"], "version": i["version"]} for i in items], action, who)
        if action != "undo":
            resolved.carry_now(store, rtype, [r["id"] for r in out["done"]])
        return {"done": [public(rtype, r) for r in out["done"]], "conflicts": [public(rtype, r) for r in out["conflicts"]],
                "missing": out["missing"], "progress": store.progress(rtype)}

    @app.post("/api/add/{rtype}")
    async def add(rtype: str, request: Request):
        body, who = await posted(request, rtype)
        doc_id = body.get("doc_id")
        if not isinstance(doc_id, str) or not re.fullmatch(r"[0-9a-f]{64}", doc_id):
            raise HTTPException(400, "bad document id")
        try:
            out = store.add_record(rtype, doc_id, body.get("values"), body.get("evidence"), who)
        except InvalidReview as e:
            return JSONResponse({"error": str(e), "errors": e.errors}, status_code=400)
        except StoreError as e:
            raise HTTPException(400, str(e)) from None
        return {"id": out["id"], "url": f"/record/{rtype}/{out['id']}", "progress": store.progress(rtype)}

    @app.get("/page/{doc_id}/{number}.png")
    def page_image(doc_id: str, number: int):
        if not re.fullmatch(r"[0-9a-f]{64}", doc_id):
            raise HTTPException(404, "no such document")
        src = _source_path(store.document(doc_id), roots)
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


def _field(name: str, col, value, currency=None) -> dict:
    options = None
    if col.allowed is not None:
        options = ([""] if col.nullable else []) + sorted(col.allowed)
    elif col.type == "bool":
        options = ([""] if col.nullable else []) + ["oui", "non"]
    return {"name": name, "shown": display(col, value, currency), "options": options, "format": col.format,
            "numeric": col.type in ("int", "float"), "hint": HINTS.get(col.format or "", "")}


def _fields(sp, r: dict) -> list[dict]:
    cur = r.get(currency_field(sp) or "")
    return [_field(n, col, r.get(n), cur) for n, col in sp.columns.items()]


def _add_forms() -> dict[str, list[dict]]:
    """Each record type's empty form, with the defaults of its record (currency CAD, not a total...)."""
    import dataclasses
    out = {}
    for t in RECORD_TYPES:
        sp = record_spec(t)
        defaults = {f.name: f.default for f in dataclasses.fields(sp.record) if f.default is not dataclasses.MISSING}
        out[t] = [_field(n, col, defaults.get(n), defaults.get(currency_field(sp) or "")) for n, col in sp.columns.items()]
    return out


def _change_view(store: Store, rtype: str, sp, r: dict, qs: str):
    """What changed since review, for the record page: (change, the new values as shown, links)."""
    meta = r["review"]
    links = []
    if meta.get("predecessor_id"):
        links.append({"text": "Replaces a reviewed record whose key changed:",
                      "href": f"/record/{rtype}/{meta['predecessor_id']}?{qs}", "label": meta["predecessor_id"][:12]})
    if meta.get("successor_id"):
        links.append({"text": "Its key changed in a later extraction; the new record is",
                      "href": f"/record/{rtype}/{meta['successor_id']}?{qs}", "label": meta["successor_id"][:12]})
    if not r["needs_review"]:
        return None, None, links
    change = {"text": CHANGES.get(meta.get("change") or "", "the source changed"), "diff": []}
    new = None
    if meta.get("proposed"):
        new = meta["proposed"]["fields"]
    elif meta.get("successor_id"):
        succ = store.record(rtype, meta["successor_id"])
        new = {c: succ.get(c) for c in sp.columns} if succ else None
    if new is None:
        return change, None, links
    before, cur = meta.get("extracted") or {}, currency_field(sp) or ""
    for n, col in sp.columns.items():
        if before.get(n) != new.get(n) or r.get(n) != new.get(n) and meta.get("change") == "key_changed":
            change["diff"].append({"field": n, "reviewed": display(col, r.get(n), r.get(cur)),
                                   "before": display(col, before.get(n), before.get(cur)),
                                   "after": display(col, new.get(n), new.get(cur))})
    if meta.get("proposed") and (meta["proposed"].get("evidence") or {}).get("text") != (r.get("evidence") or {}).get("text"):
        change["diff"].append({"field": "evidence", "reviewed": "", "before": (r.get("evidence") or {}).get("text") or "",
                               "after": (meta["proposed"].get("evidence") or {}).get("text") or ""})
    shown_new = {n: display(col, new.get(n), new.get(cur)) for n, col in sp.columns.items()}
    return change, shown_new, links


def _source_path(doc: Optional[dict], roots: list[Path]) -> Optional[Path]:
    """The document's source file, only if it lies inside one of ``roots`` and is a PDF or an image."""
    if not doc:
        return None
    p = Path(doc["source"]).resolve()
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

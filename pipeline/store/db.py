"""The record store: SQLAlchemy models for documents, pages, mentions, every record type of
CONTRACT.md and the review audit trail; SQLite by default, PostgreSQL by URL.

    store = Store("sqlite:///extracted/bulletins.db")      # or postgresql+psycopg://...
    store.save(result_dict, pipeline_version)              # one transaction per document; re-runs upsert
    store.save_failure(doc_id, source, reason, version)
    store.records("funding", status="approved")            # -> list of dicts

Record ids are stable: a hash of the document id, the record type and the record's normalised key
fields, so re-ingesting a document updates its records instead of duplicating them. Review work
survives re-extraction: an approved or edited record keeps its reviewed values; if the new
extraction of it differs (its source changed), it is flagged ``needs_review``.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, create_engine, delete,
                        event, func, insert, inspect, select)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..errors import BulletinsError
from ..lang_fr.names import key as name_key
from ..records import specs
from .url import redact, redact_text, where

DEFAULT_URL = "sqlite:///extracted/bulletins.db"
STATUSES = ("pending", "approved", "rejected", "edited")
RECORD_TYPES = tuple(s.name for s in specs())
# the fields that identify a record within its document (the rest may be corrected by a reviewer)
KEY_FIELDS = {s.name: s.key_fields for s in specs()}


class StoreError(BulletinsError):
    """The store cannot be opened or written (bad URL, unreachable server)."""


class StoreUnavailable(StoreError):
    """The database server could not be reached or was busy (down, restarting, locked): trying again
    later may work, so the flow retries it."""


def now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))           # ok | partial | failed
    error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    page_methods: Mapped[list] = mapped_column(JSON, default=list)
    title: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    issue_date: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class PageRow(Base):
    __tablename__ = "pages"
    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    blocks: Mapped[list] = mapped_column(JSON, default=list)
    size: Mapped[Optional[list]] = mapped_column(JSON, nullable=True)


class MentionRow(Base):
    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    rule: Mapped[Optional[str]] = mapped_column(String(120), nullable=True)


class _Record:
    """Columns every record table shares: identity, provenance, review state."""
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    fields: Mapped[dict] = mapped_column(JSON)              # the record as extracted (CONTRACT.md shape)
    reviewed: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)   # the reviewer's values
    reviewer: Mapped[Optional[str]] = mapped_column(String(120), nullable=True)
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    page: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    evidence: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


def _record_model(name: str) -> type:
    """The table of one record type: the shared columns of :class:`_Record`, named after the type."""
    return type(f"{name.title().replace('_', '')}Row", (_Record, Base), {"__tablename__": name})


# one table per record type of the registry (pipeline.records)
MODELS = {name: _record_model(name) for name in RECORD_TYPES}


class AuditRow(Base):
    """Every review action: who, when, what, old -> new."""
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(12))        # approve | reject | edit | reextract
    field: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    reviewer: Mapped[Optional[str]] = mapped_column(String(120), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


def _norm(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return f"{float(v):.2f}"
    if isinstance(v, dict):
        return json.dumps(v, sort_keys=True)
    return name_key(str(v))


def record_id(doc_id: str, rtype: str, record: dict) -> str:
    """Stable id: hash of the document id, the type and the record's normalised key fields."""
    parts = [doc_id, rtype] + [_norm(record.get(f)) for f in KEY_FIELDS[rtype]]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def default_url() -> str:
    return os.environ.get("BULLETINS_DB") or DEFAULT_URL


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")       # readers (the review page) never block the ingestion
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


# Engines are shared per URL within a process: an engine holds SQLAlchemy's compiled-statement cache,
# and a new engine per Store (one per ingested document) recompiled every statement each time; the
# save took 8.6 ms a document that way, 4.7 ms with the engine re-used (50 digital one-page bulletins).
# Store.close() still closes the connections (dispose keeps the engine and its cache), so nothing
# holds a database open between documents.
_ENGINES: "OrderedDict[tuple[int, str], Engine]" = OrderedDict()
_ENGINES_LOCK = threading.Lock()
_MAX_ENGINES = 8


def _engine(url: str) -> Engine:
    key = (os.getpid(), url)          # a forked process must not share its parent's connections
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is not None:
            _ENGINES.move_to_end(key)
            return engine
        engine = create_engine(url, future=True, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _ENGINES[key] = engine
        while len(_ENGINES) > _MAX_ENGINES:
            _ENGINES.popitem(last=False)[1].dispose()
        return engine


class Store:
    def __init__(self, url: Optional[str] = None):
        self.url = url or default_url()
        try:
            if self.url.startswith("sqlite:///"):
                path = self.url[len("sqlite:///"):]
                if path and path != ":memory:":
                    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self.engine: Engine = _engine(self.url)
            self._create_tables()
        except BulletinsError:
            raise
        except Exception as e:
            from sqlalchemy.exc import OperationalError
            kind = StoreUnavailable if isinstance(e, OperationalError) else StoreError
            detail = redact_text(str(e).strip().splitlines()[0] if str(e).strip() else "", self.url)
            raise kind(f"cannot open store {redact(self.url)!r} ({where(self.url)}): {e.__class__.__name__}: "
                       f"{detail}") from None

    def _create_tables(self) -> None:
        """Create missing tables (one query when they are all there); two processes opening a new
        store at once race on it, and the loser finds the tables made by the other."""
        from sqlalchemy.exc import OperationalError, ProgrammingError, IntegrityError
        import time
        if set(Base.metadata.tables) <= set(inspect(self.engine).get_table_names()):
            return
        for attempt in range(20):
            try:
                Base.metadata.create_all(self.engine)
                return
            except (OperationalError, ProgrammingError, IntegrityError) as e:
                lost_race = "already exists" in str(e) or "duplicate" in str(e).lower() or "locked" in str(e)
                if not lost_race or attempt == 19:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        """Close this store's connections (the shared engine and its statement cache stay)."""
        self.engine.dispose()

    # -- ingestion -------------------------------------------------------------------------------
    def known_versions(self) -> dict[str, tuple[str, str]]:
        """doc id -> (pipeline version, status) of every stored document (one query per batch)."""
        with Session(self.engine) as s:
            return {i: (v, st) for i, v, st in s.execute(select(DocumentRow.id, DocumentRow.pipeline_version,
                                                                 DocumentRow.status))}

    def failures(self, ids) -> dict[str, tuple[str, Optional[str]]]:
        """doc id -> (source, reason) of the failed documents among ``ids``."""
        wanted = set(ids)
        if not wanted:
            return {}
        with Session(self.engine) as s:
            q = select(DocumentRow.id, DocumentRow.source, DocumentRow.error).where(DocumentRow.status == "failed")
            return {i: (src, err) for i, src, err in s.execute(q) if i in wanted}

    def save_failure(self, doc_id: str, source: str, reason: str, version: str) -> None:
        self._retrying(lambda: self._save_failure(doc_id, source, reason, version))

    def _save_failure(self, doc_id: str, source: str, reason: str, version: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(DocumentRow, doc_id) or DocumentRow(id=doc_id)
            row.source, row.status, row.error, row.pipeline_version = source, "failed", reason, version
            row.ingested_at = now()
            s.merge(row)

    def save(self, doc, version: str) -> dict[str, int]:
        """Store one document (a :class:`~pipeline.document.Result` or its JSON) in one transaction. Returns counts per record type
        written, plus 'flagged' (reviewed records whose extraction changed). Two ingestions of the same
        document at once: the one that loses the race to insert a row retries and updates it instead."""
        if hasattr(doc, "to_dict"):
            doc = doc.to_dict()
        return self._retrying(lambda: self._save(doc, version))

    @staticmethod
    def _retrying(fn, patience: float = 60.0):
        """Run a write transaction, again when it lost a race: a row inserted meanwhile by another
        ingestion (IntegrityError), or SQLite's 'database is locked' when a transaction's snapshot went
        stale while another writer held the lock (SQLite does not wait in that case)."""
        import time
        from sqlalchemy.exc import IntegrityError, OperationalError
        deadline, delay = time.monotonic() + patience, 0.05
        for attempt in range(1000):
            try:
                return fn()
            except IntegrityError:
                if attempt >= 2:
                    raise
            except OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise StoreError("could not write to the store after many attempts")

    def _save(self, doc: dict, version: str) -> dict[str, int]:
        # one query per table, not per record (a get() per record autoflushed the session each time:
        # 35 ms a document, now a third of that); new rows go in as one executemany per table
        d = doc["document"]
        counts = {t: 0 for t in RECORD_TYPES}
        counts["flagged"] = 0
        stamp = now()
        with Session(self.engine, autoflush=False) as s, s.begin():
            row = s.get(DocumentRow, d["id"]) or DocumentRow(id=d["id"])
            row.source, row.status, row.pipeline_version = d["source"], d.get("status", "ok"), version
            row.error = "; ".join(d.get("errors") or []) or None
            row.pages, row.page_methods, row.title = d["pages"], d["page_methods"], d.get("title")
            row.issue_date, row.ingested_at = d.get("issue_date"), stamp
            s.merge(row)
            s.flush()
            s.execute(delete(PageRow).where(PageRow.doc_id == d["id"]))
            s.execute(delete(MentionRow).where(MentionRow.doc_id == d["id"]))
            if doc["text"]:
                s.execute(insert(PageRow), [
                    {"doc_id": d["id"], "number": t["page"], "text": t["text"], "method": t.get("method") or "text",
                     "confidence": t.get("confidence"), "error": t.get("error"), "blocks": t.get("blocks") or [],
                     "size": t.get("size")} for t in doc["text"]])
            if doc["mentions"]:
                s.execute(insert(MentionRow), [
                    {"doc_id": d["id"], "page": m["page"], "label": m["label"], "text": m["text"], "start": m["start"],
                     "end": m["end"], "value": m.get("value"), "rule": m.get("rule")} for m in doc["mentions"]])
            for rtype in RECORD_TYPES:
                model = MODELS[rtype]
                existing = {r.id: r for r in s.scalars(select(model).where(model.doc_id == d["id"]))}
                seen, fresh = set(), []
                for rec in doc.get(rtype, []):
                    rid = record_id(d["id"], rtype, rec)
                    if rid in seen:
                        continue
                    seen.add(rid)
                    ev = rec.get("evidence") or {}
                    fields = {k: v for k, v in rec.items() if k != "evidence"}
                    old = existing.get(rid)
                    if old is None:
                        fresh.append({"id": rid, "doc_id": d["id"], "fields": fields, "evidence": ev, "page": ev.get("page"),
                                      "status": "pending", "needs_review": False, "updated_at": stamp})
                    else:
                        changed = old.fields != fields or (old.evidence or {}).get("text") != ev.get("text")
                        if changed and old.status in ("approved", "edited", "rejected"):
                            old.needs_review = True
                            counts["flagged"] += 1
                            s.add(AuditRow(record_type=rtype, record_id=rid, action="reextract", old=old.fields,
                                           new=fields, reviewer=None))
                        old.fields, old.evidence, old.page, old.updated_at = fields, ev, ev.get("page"), stamp
                    counts[rtype] += 1
                if fresh:
                    s.execute(insert(model), fresh)
                # records of this document that the new extraction no longer yields: pending ones go,
                # reviewed ones stay (flagged) so review work is never lost
                for rid, r in existing.items():
                    if rid in seen:
                        continue
                    if r.status == "pending":
                        s.delete(r)
                    elif not r.needs_review:
                        r.needs_review = True
                        counts["flagged"] += 1
        return counts

    # -- reading ---------------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        with Session(self.engine) as s:
            return [{"id": r.id, "source": r.source, "status": r.status, "error": r.error, "pages": r.pages,
                     "page_methods": r.page_methods, "title": r.title, "issue_date": r.issue_date,
                     "pipeline_version": r.pipeline_version, "ingested_at": r.ingested_at}
                    for r in s.scalars(select(DocumentRow).order_by(DocumentRow.ingested_at))]

    def records(self, rtype: str, status: Optional[str] = None, doc_id: Optional[str] = None) -> list[dict]:
        """Records of one type as dicts: the reviewed values when there are some, else the extracted ones,
        plus ``id``, ``doc_id``, ``status``, ``needs_review``, ``reviewer``, ``reviewed_at``, ``evidence``."""
        if rtype not in MODELS:
            raise StoreError(f"unknown record type {rtype!r} (expected one of {', '.join(RECORD_TYPES)})")
        if status not in (None, "all") and status not in STATUSES:
            raise StoreError(f"unknown status {status!r} (expected one of {', '.join(STATUSES)} or all)")
        model = MODELS[rtype]
        q = select(model).order_by(model.doc_id, model.page, model.id)
        if status not in (None, "all"):
            q = q.where(model.status == status)
        if doc_id:
            q = q.where(model.doc_id == doc_id)
        with Session(self.engine) as s:
            return [self._as_dict(r) for r in s.scalars(q)]

    @staticmethod
    def _as_dict(r) -> dict:
        values = dict(r.fields)
        if r.reviewed:
            values.update(r.reviewed)
        return {"id": r.id, "doc_id": r.doc_id, **values, "status": r.status, "needs_review": r.needs_review,
                "reviewer": r.reviewer, "reviewed_at": r.reviewed_at, "evidence": r.evidence}

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        with Session(self.engine) as s:
            for rtype, model in MODELS.items():
                out[rtype] = {st: n for st, n in s.execute(select(model.status, func.count()).group_by(model.status))}
        return out

    def count_records(self) -> int:
        return sum(sum(c.values()) for c in self.counts().values())

    # -- review ----------------------------------------------------------------------------------
    def review(self, rtype: str, rid: str, action: str, reviewer: str, changes: Optional[dict] = None) -> dict:
        """approve | reject | edit (with ``changes``: field -> new value). Every change is audited."""
        if action not in ("approve", "reject", "edit"):
            raise StoreError(f"unknown review action {action!r}")
        model = MODELS.get(rtype)
        if model is None:
            raise StoreError(f"unknown record type {rtype!r}")
        with Session(self.engine) as s, s.begin():
            r = s.get(model, rid)
            if r is None:
                raise StoreError(f"no {rtype} record {rid!r}")
            at = now()
            if action == "edit":
                current = dict(r.fields, **(r.reviewed or {}))
                reviewed = dict(r.reviewed or {})
                for f, v in (changes or {}).items():
                    if f not in r.fields or f in ("evidence",):
                        raise StoreError(f"{rtype} has no editable field {f!r}")
                    if current.get(f) != v:
                        s.add(AuditRow(record_type=rtype, record_id=rid, action="edit", field=f, old=current.get(f),
                                       new=v, reviewer=reviewer, at=at))
                        reviewed[f] = v
                r.reviewed = reviewed
                new_status = "edited"
            else:
                new_status = "approved" if action == "approve" else "rejected"
            if r.status != new_status:
                s.add(AuditRow(record_type=rtype, record_id=rid, action=action, field="status", old=r.status,
                               new=new_status, reviewer=reviewer, at=at))
            r.status, r.reviewer, r.reviewed_at, r.needs_review = new_status, reviewer, at, False
            s.flush()
            return self._as_dict(r)

    def audit(self, rid: Optional[str] = None) -> list[dict]:
        q = select(AuditRow).order_by(AuditRow.id)
        if rid:
            q = q.where(AuditRow.record_id == rid)
        with Session(self.engine) as s:
            return [{"record_type": a.record_type, "record_id": a.record_id, "action": a.action, "field": a.field,
                     "old": a.old, "new": a.new, "reviewer": a.reviewer, "at": a.at} for a in s.scalars(q)]



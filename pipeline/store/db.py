"""The record store: SQLAlchemy models for documents, pages, mentions, every record type of
CONTRACT.md and the review audit trail; SQLite by default, PostgreSQL by URL.

    store = Store("sqlite:///extracted/bulletins.db")      # or postgresql+psycopg://...
    store.save(result_dict, pipeline_version)              # one transaction per document; re-runs upsert
    store.save_failure(doc_id, source, reason, version)
    store.records("funding", status="approved")            # -> list of dicts

Record ids are stable: a hash of the document id, the record type and the record's normalised key
fields, so re-ingesting a document updates its records instead of duplicating them. Reviewed values
are sacred: a re-extraction never changes what an approved, edited or rejected record shows or
exports; a new extraction that differs is kept beside it (``proposed``) and puts it back in the review
queue (``needs_review``, ``change``), and a reviewed record whose key changed is linked to its
successor. Every row has a ``version``: a review change made on an older one raises
:class:`StoreConflict`. The review queue is read a page at a time (:meth:`Store.queue`, keyset
pagination over the indexes of :mod:`.queue`).

    store.review("funding", rid, "edit", "ana", {"amount": "125 000"}, version=3)
    store.queue("funding", Filters(status="todo", q="mamrot"), sort="confidence", after=last_id)
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, create_engine, delete,
                        event, func, insert, inspect, select, true)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..errors import BulletinsError
from ..lang_fr.names import key as name_key
from ..records import spec as record_spec, specs
from ..records.values import InvalidValues, displayed, validate_changes
from . import queue as qmod
from .url import redact, redact_text, where

DEFAULT_URL = "sqlite:///extracted/bulletins.db"
STATUSES = qmod.STATUSES
RECORD_TYPES = tuple(s.name for s in specs())
# the fields that identify a record within its document (the rest may be corrected by a reviewer)
KEY_FIELDS = {s.name: s.key_fields for s in specs()}


class StoreError(BulletinsError):
    """The store cannot be opened or written (bad URL, unreachable server)."""


class StoreConflict(StoreError):
    """A review change made on an older version of a record: ``current`` is the record as it is now."""

    def __init__(self, message: str, current: Optional[dict]):
        super().__init__(message)
        self.current = current


class InvalidReview(StoreError):
    """Values a reviewer gave that their columns refuse: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


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
    """Columns every record table shares: identity, provenance, review state.

    ``fields`` is the extraction the record was last reviewed on (the latest one while it is pending);
    ``reviewed`` the values a reviewer approved, edited or rejected (all of the type's columns), which the
    record shows and exports from then on. A later extraction that differs goes to ``proposed`` (fields
    and evidence) and puts the record back in the queue (``needs_review``, ``change``): it never replaces
    reviewed values. ``version`` counts every change of the row: a change made on an older version is
    refused (optimistic concurrency). ``todo`` (pending, or changed since review), ``title`` and
    ``search`` are kept for the queue's indexed filters and sort orders."""
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    fields: Mapped[dict] = mapped_column(JSON)              # the record as extracted (CONTRACT.md shape)
    reviewed: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)   # the reviewer's values
    reviewer: Mapped[Optional[str]] = mapped_column(String(120), nullable=True)
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    page: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    evidence: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    todo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    search: Mapped[str] = mapped_column(Text, default="", server_default="")
    proposed: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)   # {"fields": ..., "evidence": ...}
    change: Mapped[Optional[str]] = mapped_column(String(12), nullable=True)   # changed | key_changed | gone
    successor_id: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    predecessor_id: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    origin: Mapped[str] = mapped_column(String(12), default="extraction", server_default="extraction")


def _record_model(name: str) -> type:
    """The table of one record type: the shared columns of :class:`_Record`, named after the type, with a
    version counter and the queue's indexes."""
    version = mapped_column(Integer, nullable=False, default=1, server_default="1")
    model = type(f"{name.title().replace('_', '')}Row", (_Record, Base),
                 {"__tablename__": name, "version": version, "__mapper_args__": {"version_id_col": version}})
    qmod.indexes(name, model.__table__.c)
    return model


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


def _confidence(v: Any) -> Optional[float]:
    """A record's confidence (0-1) when it has one; anything else is left out, never a failure."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
        return None
    return float(v)


def _values(r) -> dict:
    """What a record shows and exports: the reviewer's values over the extraction."""
    values = dict(r.fields or {})
    if r.reviewed:
        values.update(r.reviewed)
    return values


def _queue_columns(rtype: str, values: dict, evidence: Optional[dict]) -> dict:
    """The queue's label (the title fields as shown: 'MAMROT · 250 000 $') and search text of a record."""
    sp = record_spec(rtype)
    shown = displayed(sp, values)
    title = " · ".join(shown[f] for f in sp.title_fields if shown.get(f))
    return {"title": title[:300], "search": qmod.search_text(*shown.values(), (evidence or {}).get("text"))}


def _set_queue_columns(r, rtype: str) -> None:
    cols = _queue_columns(rtype, _values(r), r.evidence)
    if r.title != cols["title"] or r.search != cols["search"]:
        r.title, r.search = cols["title"], cols["search"]


# what pipeline.store.resolved uses of a record row: the values it shows, its queue columns after a change
shown_values = _values
set_queue_columns = _set_queue_columns


def _reextracted(s: Session, rtype: str, r, fields: dict, ev: dict, conf: Optional[float], stamp: datetime) -> int:
    """A reviewed record extracted again: its reviewed values stay. A new extraction that differs from the
    one it was reviewed on is kept in ``proposed`` and flags it (1 is returned when the flag is new); an
    extraction back to that one clears the flag."""
    if r.confidence != conf:
        r.confidence = conf
    if r.fields == fields and (r.evidence or {}).get("text") == ev.get("text"):
        if r.evidence != ev:                     # the same sentence, moved: provenance only
            r.evidence, r.page = ev, ev.get("page") or 0
        if r.change is not None:                 # what changed came back to what was reviewed
            s.add(AuditRow(record_type=rtype, record_id=r.id, action="reextract", field="unchanged",
                           old=(r.proposed or {}).get("fields"), new=fields, reviewer=None))
            r.proposed, r.change, r.successor_id, r.needs_review, r.todo = None, None, None, False, False
        return 0
    proposal = {"fields": fields, "evidence": ev}
    if r.proposed == proposal and r.change == "changed":
        return 0
    s.add(AuditRow(record_type=rtype, record_id=r.id, action="reextract", field="changed", old=r.fields, new=fields,
                   reviewer=None))
    r.proposed, r.change, r.successor_id, r.needs_review, r.todo, r.updated_at = proposal, "changed", None, True, True, stamp
    return 1


def _successors(gone: list, fresh: list[dict]) -> dict[str, str]:
    """old record id -> new record id: a reviewed record the extraction no longer yields and a new record
    from the same sentence (same page, overlapping evidence) with the most fields in common (half of them at least)."""
    pairs = []
    for r in gone:
        rev = r.evidence or {}
        for f in fresh:
            fev = f["evidence"]
            if fev.get("page") != rev.get("page"):
                continue
            same = fev.get("text") == rev.get("text") or (
                None not in (fev.get("start"), fev.get("end"), rev.get("start"), rev.get("end"))
                and fev["start"] < rev["end"] and rev["start"] < fev["end"])
            if not same:
                continue
            score = sum(1 for k, v in f["fields"].items() if (r.fields or {}).get(k) == v)
            if 2 * score >= len(f["fields"]):
                pairs.append((score, r.id, f["id"]))
    out, taken = {}, set()
    for score, old, new in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if old not in out and new not in taken:
            out[old] = new
            taken.add(new)
    return out


def _default_of(record: type, name: str):
    import dataclasses
    f = next(x for x in dataclasses.fields(record) if x.name == name)
    if f.default is not dataclasses.MISSING:
        return list(f.default) if isinstance(f.default, tuple) else f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _doc_dict(r) -> dict:
    return {"id": r.id, "source": r.source, "status": r.status, "error": r.error, "pages": r.pages,
            "page_methods": r.page_methods, "title": r.title, "issue_date": r.issue_date,
            "pipeline_version": r.pipeline_version, "ingested_at": r.ingested_at}


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
_UPGRADED: set = set()       # (pid, url) of the stores whose record tables are up to date
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
            self._upgrade()
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

    def _upgrade(self) -> None:
        """Bring record tables made by an older version up to date, once per process: the review columns
        (version, todo, title, search, proposed, change, links, origin) are added and filled, and the
        queue's indexes made. Nothing is removed; a store already up to date costs two reads per table."""
        key = (os.getpid(), self.url)
        if key in _UPGRADED:
            return
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError, ProgrammingError
        dialect = self.engine.dialect
        insp = inspect(self.engine)
        for rtype, model in MODELS.items():
            table = model.__table__
            have = {c["name"] for c in insp.get_columns(table.name)}
            missing = [c for c in table.columns if c.name not in have]
            for c in missing:
                ddl = f"ALTER TABLE {table.name} ADD COLUMN {c.name} {c.type.compile(dialect=dialect)}"
                if c.server_default is not None:
                    arg = c.server_default.arg
                    default = f"'{arg}'" if isinstance(arg, str) else str(arg.compile(dialect=dialect))
                    ddl += f" DEFAULT {default} NOT NULL"
                try:
                    with self.engine.begin() as conn:
                        conn.execute(text(ddl))
                except (OperationalError, ProgrammingError) as e:    # another process added it meanwhile
                    if "duplicate" not in str(e).lower() and "already exists" not in str(e):
                        raise
            if missing:
                self._backfill(rtype)
            indexes = self._index_names(table.name)
            for ix in table.indexes:
                if ix.name not in indexes:
                    try:
                        ix.create(self.engine)
                    except (OperationalError, ProgrammingError) as e:
                        if "already exists" not in str(e):
                            raise
        _UPGRADED.add(key)

    def _index_names(self, table: str) -> set[str]:
        # read by name: SQLAlchemy's reflection skips (and warns about) indexes on expressions
        from sqlalchemy import text
        q = {"sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t",
             "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = :t"}.get(self.engine.dialect.name)
        if q is None:
            return {i["name"] for i in inspect(self.engine).get_indexes(table)}
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(text(q), {"t": table})}

    def _backfill(self, rtype: str) -> None:
        """The queue's columns of the rows of a table made before they existed."""
        from sqlalchemy import or_, update
        model = MODELS[rtype]
        with Session(self.engine) as s, s.begin():
            s.execute(update(model).where(or_(model.status == "pending", model.needs_review.is_(True)))
                      .values(todo=True).execution_options(synchronize_session=False))
            s.execute(update(model).where(model.status != "pending", model.needs_review.is_(False))
                      .values(todo=False).execution_options(synchronize_session=False))
            s.execute(update(model).where(model.page.is_(None)).values(page=0).execution_options(synchronize_session=False))
            rows = s.execute(select(model.id, model.fields, model.reviewed, model.evidence)).all()
            params = []
            for rid, fields, reviewed, ev in rows:
                values = dict(fields or {}, **(reviewed or {}))
                params.append({"b_id": rid, **_queue_columns(rtype, values, ev)})
            if params:
                from sqlalchemy import bindparam
                s.connection().execute(update(model.__table__).where(model.__table__.c.id == bindparam("b_id"))
                                       .values(title=bindparam("title"), search=bindparam("search")), params)

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
        from sqlalchemy.orm.exc import StaleDataError
        deadline, delay = time.monotonic() + patience, 0.05
        for attempt in range(1000):
            try:
                return fn()
            except (IntegrityError, StaleDataError):      # StaleDataError: a reviewer changed a row meanwhile
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
                self._save_records(s, rtype, d["id"], doc.get(rtype, []), stamp, counts)
        return counts

    def _save_records(self, s: Session, rtype: str, doc_id: str, recs: list, stamp: datetime, counts: dict) -> None:
        """One record type of one document: new records inserted (one executemany), pending ones updated,
        reviewed ones never changed: a new extraction that differs is kept beside them (``proposed``)
        and puts them back in the queue; a reviewed record the extraction no longer yields is flagged,
        and linked to its successor when its key changed (a new record from the same sentence)."""
        model = MODELS[rtype]
        existing = {r.id: r for r in s.scalars(select(model).where(model.doc_id == doc_id))}
        seen, fresh = set(), []
        for rec in recs:
            rid = record_id(doc_id, rtype, rec)
            if rid in seen:
                continue
            seen.add(rid)
            ev = rec.get("evidence") or {}
            fields = {k: v for k, v in rec.items() if k not in ("evidence", "confidence")}
            conf = _confidence(rec.get("confidence"))
            old = existing.get(rid)
            if old is None:
                fresh.append({"id": rid, "doc_id": doc_id, "fields": fields, "evidence": ev, "page": ev.get("page") or 0,
                              "status": "pending", "needs_review": False, "todo": True, "confidence": conf,
                              "updated_at": stamp, "version": 1, "origin": "extraction", "predecessor_id": None,
                              **_queue_columns(rtype, fields, ev)})
            elif old.status == "pending":
                if old.fields != fields or old.evidence != ev or old.confidence != conf:
                    old.fields, old.evidence, old.page, old.confidence = fields, ev, ev.get("page") or 0, conf
                    old.proposed, old.change, old.updated_at = None, None, stamp
                    _set_queue_columns(old, rtype)
            else:
                counts["flagged"] += _reextracted(s, rtype, old, fields, ev, conf, stamp)
            counts[rtype] += 1
        gone = [r for rid, r in existing.items() if rid not in seen]
        reviewed_gone = [r for r in gone if r.status != "pending" and r.origin != "reviewer"]
        successors = _successors(reviewed_gone, fresh)
        for f in fresh:
            f["predecessor_id"] = next((o for o, n in successors.items() if n == f["id"]), None)
        if fresh:
            s.execute(insert(model), fresh)
        # records of this document that the new extraction no longer yields: pending ones go, reviewed ones
        # stay (flagged, linked to their successor) so review work is never lost; added ones are the reviewer's
        for r in gone:
            if r.status == "pending" and r.origin != "reviewer":
                s.delete(r)
        for r in reviewed_gone:
            succ = successors.get(r.id)
            change = "key_changed" if succ else "gone"
            if r.needs_review and r.change == change and r.successor_id == succ:
                continue
            s.add(AuditRow(record_type=rtype, record_id=r.id, action="reextract", field=change, old=r.fields,
                           new={"successor": succ} if succ else None, reviewer=None))
            r.change, r.successor_id, r.proposed, r.needs_review, r.todo, r.updated_at = change, succ, None, True, True, stamp
            counts["flagged"] += 1

    # -- reading ---------------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        with Session(self.engine) as s:
            return [_doc_dict(r) for r in s.scalars(select(DocumentRow).order_by(DocumentRow.ingested_at))]

    def document(self, doc_id: str) -> Optional[dict]:
        with Session(self.engine) as s:
            r = s.get(DocumentRow, doc_id)
            return _doc_dict(r) if r is not None else None

    def document_names(self) -> dict[str, str]:
        """doc id -> the file name of its source, for every document (two columns read)."""
        with Session(self.engine) as s:
            return {i: os.path.basename(src) for i, src in
                    s.execute(select(DocumentRow.id, DocumentRow.source).order_by(DocumentRow.source))}

    def page(self, doc_id: str, number: int) -> Optional[dict]:
        with Session(self.engine) as s:
            r = s.get(PageRow, {"doc_id": doc_id, "number": number})
            return None if r is None else {"doc_id": r.doc_id, "number": r.number, "text": r.text, "method": r.method,
                                           "size": r.size}

    def records(self, rtype: str, status=None, doc_id: Optional[str] = None) -> list[dict]:
        """Records of one type as dicts: the reviewed values when there are some, else the extracted ones,
        plus ``id``, ``doc_id``, ``status``, ``needs_review``, ``reviewer``, ``reviewed_at``, ``evidence``,
        ``confidence`` and ``review`` (version, change since review, proposed extraction, links). ``status``:
        one status, several ('approved,edited' or a list), or None / 'all'."""
        model = self._model(rtype)
        q = select(model).order_by(model.doc_id, model.page, model.id)
        if status not in (None, "all"):
            sts = self._statuses(status)
            q = q.where(model.status.in_(sts))
        if doc_id:
            q = q.where(model.doc_id == doc_id)
        with Session(self.engine) as s:
            return [self._as_dict(r) for r in s.scalars(q)]

    def record(self, rtype: str, rid: str) -> Optional[dict]:
        with Session(self.engine) as s:
            r = s.get(self._model(rtype), rid)
            return self._as_dict(r) if r is not None else None

    @staticmethod
    def _model(rtype: str):
        if rtype not in MODELS:
            raise StoreError(f"unknown record type {rtype!r} (expected one of {', '.join(RECORD_TYPES)})")
        return MODELS[rtype]

    @staticmethod
    def _statuses(status) -> tuple[str, ...]:
        try:
            return qmod.parse_statuses(",".join(status) if isinstance(status, (list, tuple, set)) else status)
        except ValueError as e:
            raise StoreError(str(e)) from None

    @staticmethod
    def _as_dict(r) -> dict:
        return {"id": r.id, "doc_id": r.doc_id, **_values(r), "status": r.status, "needs_review": r.needs_review,
                "reviewer": r.reviewer, "reviewed_at": r.reviewed_at, "evidence": r.evidence, "confidence": r.confidence,
                "review": {"version": r.version, "change": r.change, "extracted": r.fields, "proposed": r.proposed,
                           "successor_id": r.successor_id, "predecessor_id": r.predecessor_id, "origin": r.origin,
                           "label": r.title, "todo": r.todo}}

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        with Session(self.engine) as s:
            for rtype, model in MODELS.items():
                out[rtype] = {st: n for st, n in s.execute(select(model.status, func.count()).group_by(model.status))}
        return out

    def count_records(self) -> int:
        return sum(sum(c.values()) for c in self.counts().values())

    def progress(self, rtype: str) -> dict[str, int]:
        """How far the review of a record type is: ``total``, ``todo`` (pending or changed since review),
        ``reviewed`` (the rest), ``changed`` and one count per status (one indexed query)."""
        model = self._model(rtype)
        out = {"total": 0, "todo": 0, "changed": 0, **{st: 0 for st in STATUSES}}
        with Session(self.engine) as s:
            for st, flagged, n in s.execute(select(model.status, model.needs_review, func.count())
                                            .group_by(model.status, model.needs_review)):
                out["total"] += n
                out[st] = out.get(st, 0) + n
                if flagged:
                    out["changed"] += n
                if st == "pending" or flagged:
                    out["todo"] += n
        out["reviewed"] = out["total"] - out["todo"]
        return out

    # -- the review queue: keyset pages ------------------------------------------------------------
    QUEUE_COLUMNS = ("id", "doc_id", "status", "needs_review", "change", "confidence", "page", "title", "evidence",
                     "version", "successor_id", "origin")

    def queue(self, rtype: str, filters: "qmod.Filters" = qmod.Filters(), sort: str = "page",
              after: Optional[str] = None, before: Optional[str] = None, limit: int = 50) -> dict:
        """One page of the queue: ``rows`` (the queue's columns of up to ``limit`` records, in order),
        ``more`` (whether rows follow in the direction read). ``after`` / ``before`` a record id: the page
        after or before that record in this order (keyset pagination: two indexed queries per page)."""
        model = self._model(rtype)
        keys = self._order(model, sort)
        cols = [getattr(model, c) for c in self.QUEUE_COLUMNS]
        q = select(*cols).where(self._where(model, filters))
        with Session(self.engine) as s:
            ref = self._key_of(s, model, keys, after or before) if (after or before) else None
            if ref is not None:
                q = q.where(qmod.after(keys, ref, reverse=before is not None and after is None))
            desc = ref is not None and before is not None and after is None
            q = q.order_by(*[k.desc() for k in keys] if desc else keys).limit(limit + 1)
            rows = [dict(zip(self.QUEUE_COLUMNS, row)) for row in s.execute(q)]
        more = len(rows) > limit
        rows = rows[:limit]
        if desc:
            rows.reverse()
        return {"rows": rows, "more": more}

    def neighbours(self, rtype: str, rid: str, filters: "qmod.Filters" = qmod.Filters(),
                   sort: str = "page") -> tuple[Optional[str], Optional[str]]:
        """(previous, next) record ids around a record in a queue's order (the record need not be in it)."""
        model = self._model(rtype)
        keys = self._order(model, sort)
        cond = self._where(model, filters)
        with Session(self.engine) as s:
            ref = self._key_of(s, model, keys, rid)
            if ref is None:
                return None, None
            nxt = s.scalar(select(model.id).where(cond, qmod.after(keys, ref)).order_by(*keys).limit(1))
            prev = s.scalar(select(model.id).where(cond, qmod.after(keys, ref, reverse=True))
                            .order_by(*[k.desc() for k in keys]).limit(1))
        return prev, nxt

    def count(self, rtype: str, filters: "qmod.Filters" = qmod.Filters(), progress: Optional[dict] = None) -> int:
        """Records in a queue: read from the type's :meth:`progress` (given, or one grouped query) when the
        queue is a status view of the whole type, else counted."""
        if not filters.doc and not filters.q and not filters.flagged:
            p = progress or self.progress(rtype)
            if filters.status in ("todo", "changed"):
                return p[filters.status]
            if filters.status == "all":
                return p["total"]
            try:
                return sum(p[st] for st in filters.statuses())
            except ValueError as e:
                raise StoreError(str(e)) from None
        model = self._model(rtype)
        with Session(self.engine) as s:
            return s.scalar(select(func.count()).select_from(model).where(self._where(model, filters)))

    def position(self, rtype: str, rid: Optional[str], filters: "qmod.Filters" = qmod.Filters(),
                 sort: str = "page", total: Optional[int] = None) -> tuple[int, int]:
        """(rank of a record in a queue's order from 1, or 0 when it is not in the queue; records in the
        queue, or ``total`` when the caller knows it)."""
        model = self._model(rtype)
        keys = self._order(model, sort)
        cond = self._where(model, filters)
        total = self.count(rtype, filters) if total is None else total
        with Session(self.engine) as s:
            if not rid:
                return 0, total
            ref = self._key_of(s, model, keys, rid)
            inside = ref is not None and s.scalar(select(func.count()).select_from(model).where(cond, model.id == rid))
            if not inside:
                return 0, total
            before = s.scalar(select(func.count()).select_from(model).where(cond, qmod.after(keys, ref, reverse=True)))
        return before + 1, total

    @staticmethod
    def _order(model, sort: str) -> tuple:
        try:
            return qmod.order(model, sort)
        except ValueError as e:
            raise StoreError(str(e)) from None

    @staticmethod
    def _where(model, filters: "qmod.Filters"):
        try:
            return qmod.where(model, filters)
        except ValueError as e:
            raise StoreError(str(e)) from None

    @staticmethod
    def _key_of(s: Session, model, keys: tuple, rid: str) -> Optional[tuple]:
        row = s.execute(select(*keys).where(model.id == rid)).first()
        return tuple(row) if row is not None else None

    # -- review ----------------------------------------------------------------------------------
    ACTIONS = ("approve", "reject", "edit", "undo")

    def review(self, rtype: str, rid: str, action: str, reviewer: str, changes: Optional[dict] = None,
               version: Optional[int] = None) -> dict:
        """approve | reject | edit (with ``changes``: field -> new value, parsed and checked by its column:
        :class:`InvalidValues` when one is refused) | undo (back to pending, the reviewer's values left in the
        audit trail). With ``version`` (the record's version the change was made on), a record changed since
        raises :class:`StoreConflict` with its current state. Every change is audited."""
        if action not in self.ACTIONS:
            raise StoreError(f"unknown review action {action!r}")
        model = self._model(rtype)

        def run():
            with Session(self.engine) as s, s.begin():
                r = s.get(model, rid)
                if r is None:
                    raise StoreError(f"no {rtype} record {rid!r}")
                if version is not None and r.version != version:
                    raise StoreConflict(f"{rtype} record {rid} changed since version {version} (now {r.version})",
                                        self._as_dict(r))
                self._apply(s, rtype, r, action, reviewer, changes, now())
                s.flush()
                return self._as_dict(r)
        return self._reviewing(rtype, rid, run)

    def review_many(self, rtype: str, items: list, action: str, reviewer: str) -> dict:
        """One action (approve, reject, undo) on several records, each given as ``{"id": ..., "version": ...}``,
        in one transaction: ``done`` (their new state), ``conflicts`` (records changed since their version:
        left as they are) and ``missing`` ids."""
        if action not in ("approve", "reject", "undo"):
            raise StoreError(f"unknown bulk action {action!r}")
        model = self._model(rtype)

        def run():
            out = {"done": [], "conflicts": [], "missing": []}
            at = now()
            with Session(self.engine) as s, s.begin():
                rows = {r.id: r for r in s.scalars(select(model).where(model.id.in_([i["id"] for i in items])))}
                for item in items:
                    r = rows.get(item["id"])
                    if r is None:
                        out["missing"].append(item["id"])
                    elif item.get("version") is not None and r.version != item["version"]:
                        out["conflicts"].append(self._as_dict(r))
                    else:
                        self._apply(s, rtype, r, action, reviewer, None, at)
                s.flush()
                done = {c["id"] for c in out["conflicts"]} | set(out["missing"])
                out["done"] = [self._as_dict(r) for i, r in rows.items() if i not in done]
            return out
        return self._reviewing(rtype, None, run)

    def _reviewing(self, rtype: str, rid: Optional[str], run):
        from sqlalchemy.orm.exc import StaleDataError
        try:
            return self._retrying(run)
        except InvalidValues as e:
            raise InvalidReview(e.errors) from None
        except StaleDataError:            # changed between our read and our write
            current = self.record(rtype, rid) if rid else None
            raise StoreConflict(f"{rtype} record {rid or ''} changed meanwhile".replace("  ", " "), current) from None

    def _apply(self, s: Session, rtype: str, r, action: str, reviewer: str, changes: Optional[dict], at: datetime) -> None:
        sp = record_spec(rtype)
        shown = _values(r)
        audit = []
        if action == "edit":
            issue = None
            if isinstance(changes, dict) and any(sp.columns[f].format == "date" for f in changes if f in sp.columns):
                doc = s.get(DocumentRow, r.doc_id)
                issue = doc.issue_date if doc is not None else None
            new = validate_changes(sp, changes if changes is not None else {}, shown, issue)
            audit += [("edit", f, shown.get(f), v) for f, v in new.items() if shown.get(f) != v]
            values = dict(shown, **new)
        if r.proposed:                   # the newer extraction is now the record's extraction
            r.fields, r.evidence = r.proposed["fields"], r.proposed["evidence"]
            r.page = (r.evidence or {}).get("page") or 0
        if action == "undo":
            r.reviewed = None            # the values shown go back to the extraction's (each change audited)
            after = _values(r)
            audit += [("undo", f, shown.get(f), after.get(f)) for f in sp.columns if shown.get(f) != after.get(f)]
            new_status = "pending"
            r.reviewer, r.reviewed_at, r.needs_review, r.todo = None, None, False, True
        else:
            new_status = {"approve": "approved", "reject": "rejected", "edit": "edited"}[action]
            if action != "edit":
                values = shown
            r.reviewed = {c: values.get(c) for c in sp.columns}
            r.reviewer, r.reviewed_at, r.needs_review, r.todo = reviewer, at, False, False
        audit.append((action, "status", r.status, new_status))
        r.status, r.proposed, r.change, r.updated_at = new_status, None, None, at
        _set_queue_columns(r, rtype)
        for act, f, old, new in audit:
            s.add(AuditRow(record_type=rtype, record_id=r.id, action=act, field=f, old=old, new=new,
                           reviewer=reviewer, at=at))

    def add_record(self, rtype: str, doc_id: str, values: dict, evidence: dict, reviewer: str) -> dict:
        """A record the extraction missed, added by a reviewer from text selected on a page: ``values`` are
        checked like an edit (a column not given takes the record's default, else stays empty; required ones
        must have a value), ``evidence``
        gives ``page``, ``start`` and ``end`` (offsets in that page's text, which becomes the evidence text).
        Stored as ``edited``, origin ``reviewer``: a re-extraction never flags nor removes it."""
        model = self._model(rtype)
        sp = record_spec(rtype)
        if not isinstance(values, dict):
            raise InvalidReview({"values": "expected an object of field: value"})
        if not isinstance(evidence, dict):
            raise InvalidReview({"evidence": "expected page, start and end"})
        try:
            return self._retrying(lambda: self._add_record(model, sp, rtype, doc_id, values, evidence, reviewer))
        except InvalidValues as e:
            raise InvalidReview(e.errors) from None

    def _add_record(self, model, sp, rtype: str, doc_id: str, values: dict, evidence: dict, reviewer: str) -> dict:
        at = now()
        with Session(self.engine) as s, s.begin():
            doc = s.get(DocumentRow, doc_id)
            if doc is None:
                raise StoreError(f"no document {doc_id!r}")
            try:
                number, start, end = (int(evidence[k]) for k in ("page", "start", "end"))
            except (KeyError, TypeError, ValueError):
                raise InvalidValues({"evidence": "expected page, start and end"}) from None
            page = s.get(PageRow, {"doc_id": doc_id, "number": number})
            text = evidence.get("text")
            if page is not None and isinstance(text, str) and text and page.text[start:end] != text:
                # offsets counted by a browser may be off (a line break dropped): the selected text decides
                found = [m.start() for m in re.finditer(re.escape(text), page.text)]
                if found:
                    start = min(found, key=lambda i: abs(i - start))
                    end = start + len(text)
            if page is None or not 0 <= start < end <= len(page.text) or end - start > 2000 or (
                    isinstance(text, str) and text and page.text[start:end] != text):
                raise InvalidValues({"evidence": "the selection is not text of this page (at most 2,000 characters)"})
            given = validate_changes(sp, values, {}, doc.issue_date)
            full = {c: given[c] if c in given else _default_of(sp.record, c) for c in sp.columns}
            missing = {c: "a value is required" for c, col in sp.columns.items() if not col.nullable and full[c] is None}
            if missing:
                raise InvalidValues(missing)
            fields = {f: full.get(f) for f in sp.field_names()}
            for f in sp.field_names():
                if f not in sp.columns:
                    fields[f] = _default_of(sp.record, f)
            rid = record_id(doc_id, rtype, fields)
            if s.get(model, rid) is not None:
                raise StoreError(f"this {rtype} record is already in the store ({rid})")
            ev = {"page": number, "start": start, "end": end, "text": page.text[start:end], "bbox": None}
            r = model(id=rid, doc_id=doc_id, fields=fields, reviewed=full, evidence=ev, page=number, status="edited",
                      needs_review=False, todo=False, reviewer=reviewer, reviewed_at=at, updated_at=at,
                      origin="reviewer", **_queue_columns(rtype, full, ev))
            s.add(r)
            s.add(AuditRow(record_type=rtype, record_id=rid, action="add", field="status", old=None, new="edited",
                           reviewer=reviewer, at=at))
            s.flush()
            return self._as_dict(r)

    def audit(self, rid: Optional[str] = None) -> list[dict]:
        q = select(AuditRow).order_by(AuditRow.id)
        if rid:
            q = q.where(AuditRow.record_id == rid)
        with Session(self.engine) as s:
            return [{"record_type": a.record_type, "record_id": a.record_id, "action": a.action, "field": a.field,
                     "old": a.old, "new": a.new, "reviewer": a.reviewer, "at": a.at} for a in s.scalars(q)]



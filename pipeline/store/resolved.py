"""Across documents, in the store: entities, near-duplicate documents, facts, and flat SQL views.

    summary = resolve(store)          # reads every document and record, writes what pipeline.resolve finds
    store_decision(store, "merge", "organization", variant_a, variant_b, reviewer)

``resolve`` is deterministic and idempotent: it recomputes everything from the records, the page texts and
the reviewers' decisions (kept in ``entity_decisions``, applied at every run), keeps entity ids stable
(a cluster takes the id its spellings had), and replaces, in one transaction:

- ``entities`` (one row per organisation or person: id, kind, name, identity key, variants with their
  counts, documents, the rules that joined them) and ``entity_variants`` (spelling -> entity id);
- ``document_links`` (pairs of documents with the same or repeated text, with their similarities);
- ``record_links`` (per record: its fact, whether it is the fact's canonical record, how many records state
  the fact, the entity ids of its name fields, the record whose review it took).

A pending record of a fact reviewed in the same passage (a twin document, the same sentence) takes that
review (status, reviewed values, reviewer), audited as ``carry`` with the record it came from.

Views, on SQLite and PostgreSQL (:func:`create_views`): ``<type>_records`` one row per record and
``<type>_facts`` one row per fact (the canonical record), with typed columns (the reviewer's values over
the extraction), entity ids and names, the document's title, source and issue date, page, confidence,
status and the evidence sentence.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text, delete, event, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..records import spec as record_spec, specs
from ..resolve import Decision, FactRecord, Mention, group_facts, near_duplicates, resolve_entities
from ..resolve.documents import DocLink as DocLinkValue, twin_groups
from ..resolve.entities import variant, variant_ids
from ..resolve.facts import carry_over
from .db import AuditRow, Base, DocumentRow, MODELS, PageRow, now, set_queue_columns as _set_queue_columns, shown_values as _values


class EntityRow(Base):
    __tablename__ = "entities"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)            # organization | person
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text)
    variants: Mapped[list] = mapped_column(JSON, default=list)           # [[spelling, mentions], ...]
    documents: Mapped[list] = mapped_column(JSON, default=list)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    document_count: Mapped[int] = mapped_column(Integer, default=0)
    why: Mapped[list] = mapped_column(JSON, default=list)


class EntityVariantRow(Base):
    __tablename__ = "entity_variants"
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    variant: Mapped[str] = mapped_column(String(500), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(40), index=True)


class DecisionRow(Base):
    """A reviewer's merge or split, by spellings (variant keys): applied at every later run."""
    __tablename__ = "entity_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(8))                       # merge | split
    a: Mapped[str] = mapped_column(String(500))
    b: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    reviewer: Mapped[Optional[str]] = mapped_column(String(120), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class RecordLinkRow(Base):
    __tablename__ = "record_links"
    record_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), index=True)
    fact_id: Mapped[str] = mapped_column(String(32), index=True)
    canonical: Mapped[bool] = mapped_column(Boolean, default=True)
    evidence_count: Mapped[int] = mapped_column(Integer, default=1)
    evidence_ids: Mapped[list] = mapped_column(JSON, default=list)       # the fact's other records
    entities: Mapped[dict] = mapped_column(JSON, default=dict)           # field -> entity id
    carried_from: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)


class DocumentLinkRow(Base):
    __tablename__ = "document_links"
    doc_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    other_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the earlier document
    kind: Mapped[str] = mapped_column(String(16))                        # same text | repeats text
    jaccard: Mapped[float] = mapped_column(Float)
    containment: Mapped[float] = mapped_column(Float)


DECISIONS = ("merge", "split")


def decisions(store) -> list[Decision]:
    with Session(store.engine) as s:
        return [Decision(d.action, d.kind, d.a, d.b) for d in s.scalars(select(DecisionRow).order_by(DecisionRow.id))]


def store_decision(store, action: str, kind: str, a: str, b: Optional[str], reviewer: Optional[str]) -> None:
    """Keep a reviewer's merge (spellings ``a`` and ``b``) or split (spelling ``a``), by variant key."""
    from .db import StoreError
    if action not in DECISIONS or kind not in ("organization", "person") or not a or (action == "merge") != bool(b):
        raise StoreError(f"bad entity decision {action!r} {kind!r} {a!r} {b!r}")
    with Session(store.engine) as s, s.begin():
        s.add(DecisionRow(kind=kind, action=action, a=a, b=b, reviewer=reviewer, at=now()))
        s.add(AuditRow(record_type="entities", record_id=(a or "")[:32], action=action, field=kind, old=a, new=b,
                       reviewer=reviewer))


def entities(store, kind: Optional[str] = None) -> list[dict]:
    q = select(EntityRow).order_by(EntityRow.kind, EntityRow.name, EntityRow.id)
    if kind:
        q = q.where(EntityRow.kind == kind)
    with Session(store.engine) as s:
        return [{"id": e.id, "kind": e.kind, "name": e.name, "key": e.key, "variants": e.variants,
                 "documents": e.documents, "mentions": e.mentions, "document_count": e.document_count, "why": e.why}
                for e in s.scalars(q)]


def links(store, rtype: str) -> dict[str, dict]:
    """record id -> its link row (fact, canonical, evidence, entity ids) for one record type."""
    with Session(store.engine) as s:
        return {r.record_id: {"fact_id": r.fact_id, "canonical": r.canonical, "evidence_count": r.evidence_count,
                              "evidence_ids": r.evidence_ids, "entities": r.entities, "carried_from": r.carried_from}
                for r in s.scalars(select(RecordLinkRow).where(RecordLinkRow.record_type == rtype))}


def document_links(store) -> list[dict]:
    with Session(store.engine) as s:
        return [{"doc_id": l.doc_id, "other_id": l.other_id, "kind": l.kind, "jaccard": l.jaccard,
                 "containment": l.containment} for l in s.scalars(select(DocumentLinkRow))]


def _mentions(rows: dict[str, list]) -> list[Mention]:
    out = []
    for sp in specs():
        for field, kind in sp.entities.items():
            for r in rows[sp.name]:
                if r.status == "rejected":
                    continue
                v = _values(r)
                name = v.get(field)
                if isinstance(name, str) and name.strip():
                    acr = v.get("acronym") if sp.name == "organizations" and field == "name" else None
                    out.append(Mention(kind, name, r.doc_id, f"{sp.name}:{r.id}:{field}", acr))
    return out


def _fact_records(rows, docs, of_ref, extracted: bool = False) -> dict[str, list[FactRecord]]:
    """The records as :mod:`pipeline.resolve.facts` reads them: their values as shown, or ``extracted``
    (what carrying a review over compares: a twin's extraction is the one the review was made on)."""
    out = {}
    for sp in specs():
        recs = []
        for r in rows[sp.name]:
            shown = _values(r)
            values = dict(r.fields or {}) if extracted else shown
            ents = {f: of_ref[f"{sp.name}:{r.id}:{f}"] for f in sp.entities if f"{sp.name}:{r.id}:{f}" in of_ref
                    and values.get(f) == shown.get(f)}
            recs.append(FactRecord(
                type=sp.name, id=r.id, doc_id=r.doc_id, values=values, key_fields=sp.key_fields, status=r.status,
                evidence_text=(r.evidence or {}).get("text") or "", entities=ents, order=docs.get(r.doc_id, ""),
                reviewed_at=r.reviewed_at.isoformat() if r.reviewed_at else "",
                movable=r.status == "pending" and not r.needs_review and r.origin == "extraction"))
        out[sp.name] = recs
    return out


def resolve(store) -> dict[str, Any]:
    """Recompute entities, document links, facts and carried reviews; write them; (re)make the views.
    Returns counts: entities per kind, document links, facts and records per type, reviews carried."""
    def run():
        with Session(store.engine, autoflush=False) as s, s.begin():
            return _resolve(s)
    out = store._retrying(run)
    create_views(store)
    return out


def _resolve(s: Session) -> dict[str, Any]:
    docs = {i: (at.isoformat() if at else "") for i, at, st in
            s.execute(select(DocumentRow.id, DocumentRow.ingested_at, DocumentRow.status)) if st != "failed"}
    texts: dict[str, list[str]] = defaultdict(list)
    for d, t in s.execute(select(PageRow.doc_id, PageRow.text).order_by(PageRow.doc_id, PageRow.number)):
        if d in docs:
            texts[d].append(t or "")
    doc_links = near_duplicates({d: "\n".join(t) for d, t in texts.items()}, docs)
    twins = twin_groups(doc_links)
    rows = {sp.name: list(s.scalars(select(MODELS[sp.name]).order_by(MODELS[sp.name].id))) for sp in specs()}
    mentions = _mentions(rows)
    kept = [Decision(d.action, d.kind, d.a, d.b) for d in s.scalars(select(DecisionRow).order_by(DecisionRow.id))]
    previous: dict[str, dict[str, str]] = defaultdict(dict)
    for k, v, e in s.execute(select(EntityVariantRow.kind, EntityVariantRow.variant, EntityVariantRow.entity_id)):
        previous[k][v] = e
    ents, of_ref = [], {}
    for kind in ("organization", "person"):
        e, r = resolve_entities(kind, mentions, kept, previous.get(kind))
        ents += e
        of_ref.update(r)
    # facts, then reviews carried inside them, then facts again (a carried review changes the canonical record)
    extracted = _fact_records(rows, docs, of_ref, extracted=True)
    carried: dict[str, str] = {}
    stamp = now()
    for sp in specs():
        by_id = {r.id: r for r in extracted[sp.name]}
        moves = carry_over(group_facts(extracted[sp.name], twins), by_id, twins)
        if moves:
            live = {r.id: r for r in rows[sp.name]}
            for target, source in sorted(moves.items()):
                _carry(s, sp.name, live[target], live[source], stamp)
                carried[f"{sp.name}:{target}"] = source
    recs = _fact_records(rows, docs, of_ref)
    s.execute(delete(EntityRow))
    s.execute(delete(EntityVariantRow))
    s.execute(delete(RecordLinkRow))
    s.execute(delete(DocumentLinkRow))
    if ents:
        s.execute(insert(EntityRow), [{"id": e.id, "kind": e.kind, "name": e.name[:2000], "key": e.key,
                                       "variants": [list(v) for v in e.variants], "documents": list(e.documents),
                                       "mentions": len(e.refs), "document_count": len(e.documents), "why": list(e.why)}
                                      for e in ents])
        for kind in ("organization", "person"):
            vids = variant_ids(e for e in ents if e.kind == kind)
            if vids:
                s.execute(insert(EntityVariantRow), [{"kind": kind, "variant": v, "entity_id": i}
                                                     for v, i in sorted(vids.items()) if len(v) <= 500])
    if doc_links:
        s.execute(insert(DocumentLinkRow), [{"doc_id": l.doc_id, "other_id": l.other_id, "kind": l.kind,
                                             "jaccard": l.jaccard, "containment": l.containment} for l in doc_links])
    counts: dict[str, Any] = {"organizations_entities": sum(e.kind == "organization" for e in ents),
                              "people_entities": sum(e.kind == "person" for e in ents),
                              "document_links": len(doc_links), "carried": len(carried), "facts": {}, "records": {}}
    for sp in specs():
        facts = group_facts(recs[sp.name], twins)
        by_id = {r.id: r for r in recs[sp.name]}
        link_rows = []
        for f in facts:
            for j, rid in enumerate(f.members):
                link_rows.append({"record_type": sp.name, "record_id": rid, "doc_id": by_id[rid].doc_id, "fact_id": f.id,
                                  "canonical": j == 0, "evidence_count": len(f.members),
                                  "evidence_ids": [m for m in f.members if m != rid], "entities": by_id[rid].entities,
                                  "carried_from": carried.get(f"{sp.name}:{rid}")})
        if link_rows:
            s.execute(insert(RecordLinkRow), link_rows)
        counts["facts"][sp.name], counts["records"][sp.name] = len(facts), len(recs[sp.name])
    return counts


def carry_now(store, rtype: str, ids) -> int:
    """Carry the review of records just reviewed to the pending records of their facts in the same passage
    (twin documents, the same sentence), as :func:`resolve` would, without waiting for it: what the review
    page calls after each action. Returns how many records took a review."""
    from ..resolve import Fact
    ids = [i for i in ids if i]
    if not ids:
        return 0
    model = MODELS[rtype]

    def run():
        with Session(store.engine, autoflush=False) as s, s.begin():
            facts = {f for (f,) in s.execute(select(RecordLinkRow.fact_id).where(
                RecordLinkRow.record_type == rtype, RecordLinkRow.record_id.in_(ids)))}
            if not facts:
                return 0
            members = s.execute(select(RecordLinkRow.fact_id, RecordLinkRow.record_id).where(
                RecordLinkRow.record_type == rtype, RecordLinkRow.fact_id.in_(facts))).all()
            rows = {r.id: r for r in s.scalars(select(model).where(model.id.in_([m for _, m in members])))}
            links = [DocLinkValue(l.doc_id, l.other_id, l.kind, l.jaccard, l.containment)
                     for l in s.scalars(select(DocumentLinkRow).where(DocumentLinkRow.kind == "same text"))]
            twins = twin_groups(links)
            recs = {}
            for r in rows.values():
                recs[r.id] = FactRecord(type=rtype, id=r.id, doc_id=r.doc_id, values=dict(r.fields or {}),
                                        status=r.status, evidence_text=(r.evidence or {}).get("text") or "",
                                        reviewed_at=r.reviewed_at.isoformat() if r.reviewed_at else "",
                                        movable=r.status == "pending" and not r.needs_review and r.origin == "extraction")
            grouped: dict[str, list] = defaultdict(list)
            for f, m in members:
                if m in recs:
                    grouped[f].append(m)
            moves = carry_over([Fact(f, rtype, tuple(ms), ()) for f, ms in sorted(grouped.items())], recs, twins)
            stamp = now()
            for target, source in sorted(moves.items()):
                _carry(s, rtype, rows[target], rows[source], stamp)
                s.execute(RecordLinkRow.__table__.update().where(
                    RecordLinkRow.record_type == rtype, RecordLinkRow.record_id == target).values(carried_from=source))
            return len(moves)
    return store._retrying(run)


def _carry(s: Session, rtype: str, target, source, stamp) -> None:
    """``target`` takes the review of ``source`` (the same fact in a twin document or the same sentence)."""
    sp = record_spec(rtype)
    values = _values(source)
    target.reviewed = {c: values.get(c) for c in sp.columns}
    old = target.status
    target.status, target.reviewer, target.reviewed_at = source.status, source.reviewer, stamp
    target.todo, target.needs_review, target.updated_at = False, False, stamp
    _set_queue_columns(target, rtype)
    s.add(AuditRow(record_type=rtype, record_id=target.id, action="carry", field="status", old=old,
                   new={"status": source.status, "from": source.id}, reviewer=source.reviewer, at=stamp))


# -- views ----------------------------------------------------------------------------------------
def _json(dialect: str, col: str, field: str) -> str:
    if dialect == "postgresql":
        return f"({col} ->> '{field}')"
    return f"json_extract({col}, '$.{field}')"


def _typed(dialect: str, expr: str, typ: str) -> str:
    if dialect == "postgresql":
        return {"str": expr, "int": f"CAST(CAST({expr} AS NUMERIC) AS INTEGER)", "float": f"CAST({expr} AS DOUBLE PRECISION)",
                "bool": f"CAST({expr} AS BOOLEAN)"}[typ]
    return {"str": expr, "int": f"CAST({expr} AS INTEGER)", "float": f"CAST({expr} AS REAL)",
            "bool": f"CAST({expr} AS INTEGER)"}[typ]


def _shown(dialect: str, field: str) -> str:
    """The reviewer's value when the record was reviewed (``reviewed`` is an object), else the extraction's."""
    is_obj = "json_typeof(r.reviewed) = 'object'" if dialect == "postgresql" else "json_type(r.reviewed) = 'object'"
    return f"CASE WHEN {is_obj} THEN {_json(dialect, 'r.reviewed', field)} ELSE {_json(dialect, 'r.fields', field)} END"


def view_sql(dialect: str, rtype: str, facts: bool) -> str:
    sp = record_spec(rtype)
    cols = ["r.id AS id", "l.fact_id AS fact_id", "COALESCE(l.evidence_count, 1) AS evidence_count", "r.status AS status"]
    for name, col in sp.columns.items():
        if name == "confidence":
            continue
        cols.append(f"{_typed(dialect, _shown(dialect, name), col.type)} AS {name}")
    joins = []
    for i, (field, _kind) in enumerate(sp.entities.items()):
        alias, prefix = f"e{i}", ("entity" if field == "name" else field)
        cols.append(f"{_json(dialect, 'l.entities', field)} AS {prefix}_id")
        cols.append(f"{alias}.name AS {prefix}_name")
        joins.append(f"LEFT JOIN entities {alias} ON {alias}.id = {_json(dialect, 'l.entities', field)}")
    cols += ["r.doc_id AS doc_id", "d.title AS document_title", "d.issue_date AS issue_date", "d.source AS source",
             "r.page AS page", "r.confidence AS confidence", "r.reviewer AS reviewer",
             f"{_json(dialect, 'r.evidence', 'text')} AS evidence_text"]
    where = ""
    if facts:
        true = "TRUE" if dialect == "postgresql" else "1"
        where = f" WHERE COALESCE(l.canonical, {true}) = {true}"
    return (f"SELECT {', '.join(cols)} FROM {rtype} r "
            f"LEFT JOIN record_links l ON l.record_type = '{rtype}' AND l.record_id = r.id "
            f"LEFT JOIN documents d ON d.id = r.doc_id {' '.join(joins)}{where}")


def view_names() -> list[str]:
    return [f"{sp.name}_{suffix}" for sp in specs() for suffix in ("records", "facts")]


def create_views(store) -> None:
    """(Re)make the views ``<type>_records`` and ``<type>_facts``."""
    from sqlalchemy.exc import DBAPIError
    dialect = store.engine.dialect.name
    for sp in specs():
        for suffix, facts in (("records", False), ("facts", True)):
            name, sql = f"{sp.name}_{suffix}", view_sql(dialect, sp.name, facts)
            if dialect == "postgresql":
                try:
                    with store.engine.begin() as conn:
                        conn.execute(text(f"CREATE OR REPLACE VIEW {name} AS {sql}"))
                    continue
                except DBAPIError:            # its columns changed: made again below
                    pass
            with store.engine.begin() as conn:
                conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
                conn.execute(text(f"CREATE VIEW {name} AS {sql}"))


@event.listens_for(Base.metadata, "before_drop")
def _drop_views(target, connection, **kw) -> None:
    """Dropping the store's tables drops its views first (PostgreSQL refuses to drop a table a view reads)."""
    cascade = " CASCADE" if connection.dialect.name == "postgresql" else ""
    for name in view_names():
        connection.execute(text(f"DROP VIEW IF EXISTS {name}{cascade}"))


__all__ = ["resolve", "carry_now", "create_views", "view_sql", "view_names", "entities", "links", "document_links", "decisions",
           "store_decision", "EntityRow", "EntityVariantRow", "DecisionRow", "RecordLinkRow", "DocumentLinkRow",
           "variant"]

"""``bulletins export``: the reviewed data for other tools, one table per record type, each row checked
against a schema taken from the record types' specs (types, allowed values, non-null keys, no negative
amounts, finite numbers).

    result = export(store, out_dir, fmt="csv"|"parquet"|"json", status="approved" | "approved,edited" | "all")
    result["funding"]    -> Path of funding.csv          (the result is a dict of table -> path)
    result.rows          -> {table: rows written}
    result.problems      -> [{"table", "id", "field", "value", "problem"}]: rows left out, with why
    result.report        -> Path of export-report.json (written every time)

A stored value can never break an export: a row that fails the schema is left out and reported (in the
result, the report file and the command's output), and every other row is written. Columns: ``id``
(stable record id), ``doc_id``, ``source``, the record's fields (reviewed values where a reviewer changed
them), ``status``, ``reviewer``, ``reviewed_at``, ``evidence_page``, ``evidence_text``. In CSV, a text cell
that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is prefixed with an apostrophe,
so a spreadsheet shows it as text instead of running it as a formula; Parquet and JSON keep values as they are.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..errors import BulletinsError
from ..records import Column, spec, specs
from ..records.values import problem
from .db import STATUSES, Store
from .queue import parse_statuses

# columns every exported table has, around the record type's own (RecordSpec.columns)
COMMON = {"id": Column("str", nullable=False), "doc_id": Column("str", nullable=False), "source": Column("str"),
          "status": Column("str", nullable=False, allowed=frozenset(STATUSES)), "reviewer": Column("str"),
          "reviewed_at": Column("str"), "confidence": Column("float"), "evidence_page": Column("int"),
          "evidence_text": Column("str")}
# columns across documents (pipeline.store.resolved), after those: the fact the row states (a fact stated in
# several records, a digital PDF and its scan, two issues, is one row), how many records state it and their ids,
# and the entity id of each name field ('funder_id', 'recipient_id'; 'entity_id' for the name itself)
FACT = {"fact_id": Column("str"), "evidence_count": Column("int", non_negative=True), "evidence_ids": Column("str")}
ENTITIES = {"id": Column("str", nullable=False), "kind": Column("str", nullable=False,
                                                               allowed=frozenset({"organization", "person"})),
            "name": Column("str", nullable=False), "key": Column("str"), "variants": Column("str"),
            "mentions": Column("int", non_negative=True), "documents": Column("int", non_negative=True),
            "why": Column("str")}
STATUS_RANK = {"approved": 0, "edited": 0, "pending": 1, "rejected": 2}
FORMATS = ("csv", "parquet", "json")
REPORT = "export-report.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(BulletinsError):
    """A bad format or status."""


class ExportResult(dict):
    """table -> path of the file written, with ``rows`` written per table, ``problems`` (rows left out) and
    the ``report`` file."""

    def __init__(self, paths: dict, rows: dict, problems: list, report: Path):
        super().__init__(paths)
        self.rows, self.problems, self.report = rows, problems, report


def entity_column(field: str) -> str:
    return "entity_id" if field == "name" else f"{field}_id"


def columns(rtype: str) -> dict[str, Column]:
    """The exported columns of a record type: identity and source, its own fields, review state, then the
    fact and the entity ids."""
    sp = spec(rtype)
    return {**{k: v for k, v in COMMON.items() if k in ("id", "doc_id", "source")}, **sp.columns,
            **{k: v for k, v in COMMON.items() if k not in ("id", "doc_id", "source")}, **FACT,
            **{entity_column(f): Column("str") for f in sp.entities}}


def statuses(status) -> Optional[tuple[str, ...]]:
    """None for all, else the statuses of 'approved', 'approved,edited' or a list."""
    if status in (None, "all"):
        return None
    try:
        return parse_statuses(",".join(status) if isinstance(status, (list, tuple)) else status)
    except ValueError as e:
        raise ExportError(str(e)) from None


def table(store: Store, rtype: str, status="approved", problems: Optional[list] = None):
    """One record type as a pandas DataFrame of the rows that fit its schema; the others are appended to
    ``problems`` (one entry per value that breaks the schema)."""
    import pandas as pd
    from .resolved import links as fact_links
    sources = {d["id"]: d["source"] for d in store.documents()}
    order = {d["id"]: i for i, d in enumerate(store.documents())}
    cols = columns(rtype)
    sp = spec(rtype)
    own = sp.columns
    facts = fact_links(store, rtype)
    rows, seen = [], set()
    records = store.records(rtype, status=statuses(status))
    # one row per fact: its best reviewed record, then the canonical one, then the earliest document's
    records.sort(key=lambda r: (STATUS_RANK.get(r["status"], 1), not (facts.get(r["id"]) or {}).get("canonical", True),
                                order.get(r["doc_id"], 0), r["doc_id"], r["id"]))
    for r in records:
        link = facts.get(r["id"]) or {}
        fact = link.get("fact_id") or r["id"]
        if fact in seen:
            continue
        seen.add(fact)
        ev = r.get("evidence") or {}
        row = {c: r.get(c) for c in own}
        row.update(id=r["id"], doc_id=r["doc_id"], source=sources.get(r["doc_id"]), status=r["status"],
                   reviewer=r.get("reviewer"), confidence=r.get("confidence"), evidence_page=ev.get("page"),
                   evidence_text=ev.get("text"),
                   reviewed_at=r["reviewed_at"].isoformat() if r.get("reviewed_at") else None,
                   fact_id=link.get("fact_id"), evidence_count=link.get("evidence_count", 1),
                   evidence_ids=";".join(link.get("evidence_ids") or []) or None,
                   **{entity_column(f): (link.get("entities") or {}).get(f) for f in sp.entities})
        bad = [(c, row[c], why) for c, col in cols.items() if (why := problem(col, row[c])) is not None]
        if bad:
            if problems is not None:
                problems.extend({"table": rtype, "id": r["id"], "field": c, "value": _jsonable(v), "problem": why}
                                for c, v, why in bad)
            continue
        rows.append(row)
    rows.sort(key=lambda row: (row["doc_id"], row.get("evidence_page") or 0, row["id"]))   # as store.records orders them
    return typed_frame(rows, cols)


def typed_frame(rows: list[dict], cols: dict[str, Column]):
    import pandas as pd
    df = pd.DataFrame(rows, columns=list(cols))
    for c, col in cols.items():
        df[c] = {"str": lambda s: s.astype("string"), "int": lambda s: s.astype("Int64"),
                 "float": lambda s: s.astype("Float64"), "bool": lambda s: s.astype("boolean")}[col.type](df[c])
    return df


def entities_table(store, problems: Optional[list] = None):
    """The ``entities`` table: one row per organisation or person across documents, its spellings
    ('CRÉ Mauricie (3); Conférence régionale des élus de la Mauricie (1)'), mentions, documents and why."""
    from .resolved import entities
    rows = []
    for e in entities(store):
        row = {"id": e["id"], "kind": e["kind"], "name": e["name"], "key": e["key"],
               "variants": "; ".join(f"{v} ({n})" for v, n in e["variants"]), "mentions": e["mentions"],
               "documents": e["document_count"], "why": "; ".join(e["why"])}
        bad = [(c, row[c], why) for c, col in ENTITIES.items() if (why := problem(col, row[c])) is not None]
        if bad:
            if problems is not None:
                problems.extend({"table": "entities", "id": e["id"], "field": c, "value": _jsonable(v), "problem": why}
                                for c, v, why in bad)
            continue
        rows.append(row)
    return typed_frame(rows, ENTITIES)


def _jsonable(v):
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v if not isinstance(v, float) or abs(v) != float("inf") else str(v)
    return repr(v)[:200]


def neutralise_formulas(df, cols: dict[str, Column]):
    """Text cells a spreadsheet would run as a formula ('=HYPERLINK(...)', '+1', '@SUM') get a leading apostrophe."""
    for c, col in cols.items():
        if col.type == "str":
            df[c] = df[c].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v,
                              na_action="ignore").astype("string")
    return df


def export(store: Store, out_dir, fmt: str = "csv", status="approved") -> ExportResult:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})")
    wanted = statuses(status)
    from .resolved import resolve
    resolve(store)                  # entities and facts as the store is now
    problems: list[dict] = []
    frames = {s.name: table(store, s.name, wanted, problems) for s in specs()}
    frames["entities"] = entities_table(store, problems)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for t, df in frames.items():
        path = out / f"{t}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "csv":
            neutralise_formulas(df, ENTITIES if t == "entities" else columns(t)).to_csv(tmp, index=False)
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False, engine="pyarrow")
        else:
            df.to_json(tmp, orient="records", force_ascii=False, indent=1)
        tmp.replace(path)
        paths[t] = path
    rows = {t: len(df) for t, df in frames.items()}
    report = out / REPORT
    tmp = report.with_name(f".{report.name}.tmp")
    tmp.write_text(json.dumps({"format": fmt, "status": ",".join(wanted) if wanted else "all", "rows": rows,
                               "left_out": len({(p["table"], p["id"]) for p in problems}), "problems": problems},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(report)
    return ExportResult(paths, rows, problems, report)

"""``bulletins export``: the reviewed data for other tools, one table per record type, with a schema
checked before anything is written (types, allowed values, non-null keys).

    export(store, out_dir, fmt="csv"|"parquet"|"json", status="approved") -> {table: path}

Columns: ``id`` (stable record id), ``doc_id``, ``source``, the record's fields (reviewed values where a
reviewer changed them), ``status``, ``reviewer``, ``reviewed_at``, ``evidence_page``, ``evidence_text``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import BulletinsError
from ..records import Column, spec, specs
from .db import STATUSES, Store

# columns every exported table has, around the record type's own (RecordSpec.columns)
COMMON = {"id": Column("str", nullable=False), "doc_id": Column("str", nullable=False), "source": Column("str"),
          "status": Column("str", nullable=False, allowed=frozenset(STATUSES)), "reviewer": Column("str"),
          "reviewed_at": Column("str"), "evidence_page": Column("int"), "evidence_text": Column("str")}
FORMATS = ("csv", "parquet", "json")


class ExportError(BulletinsError):
    """Rows that break the export schema, or a bad format/status."""


def columns(rtype: str) -> dict[str, Column]:
    """The exported columns of a record type: identity and source, its own fields, review state."""
    own = spec(rtype).columns
    return {**{k: v for k, v in COMMON.items() if k in ("id", "doc_id", "source")}, **own,
            **{k: v for k, v in COMMON.items() if k not in ("id", "doc_id", "source")}}


def table(store: Store, rtype: str, status: Optional[str] = "approved"):
    """One record type as a validated pandas DataFrame."""
    import pandas as pd
    sources = {d["id"]: d["source"] for d in store.documents()}
    cols = columns(rtype)
    own = spec(rtype).columns
    rows = []
    for r in store.records(rtype, status=status):
        ev = r.get("evidence") or {}
        row = {c: r.get(c) for c in own}
        row.update(id=r["id"], doc_id=r["doc_id"], source=sources.get(r["doc_id"]), status=r["status"],
                   reviewer=r.get("reviewer"), evidence_page=ev.get("page"), evidence_text=ev.get("text"),
                   reviewed_at=r["reviewed_at"].isoformat() if r.get("reviewed_at") else None)
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(cols))
    validate(df, rtype, cols)
    for c, col in cols.items():
        df[c] = {"str": lambda s: s.astype("string"), "int": lambda s: s.astype("Int64"),
                 "float": lambda s: s.astype("Float64"), "bool": lambda s: s.astype("boolean")}[col.type](df[c])
    return df


def validate(df, rtype: str, cols: dict[str, Column]) -> None:
    problems = []
    checks = {"str": lambda v: isinstance(v, str), "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
              "bool": lambda v: isinstance(v, bool)}
    for c, col in cols.items():
        typ, allowed = col.type, col.allowed
        for i, v in enumerate(df[c].tolist()):
            missing = v is None or (isinstance(v, float) and v != v)
            if missing:
                if not col.nullable:
                    problems.append(f"{rtype}.{c}: empty in record {df['id'].iloc[i]}")
                continue
            if not checks[typ](v):
                problems.append(f"{rtype}.{c}: {v!r} is not {typ} (record {df['id'].iloc[i]})")
            elif allowed is not None and v not in allowed:
                problems.append(f"{rtype}.{c}: {v!r} not one of {sorted(allowed)} (record {df['id'].iloc[i]})")
            elif col.non_negative and v < 0:
                problems.append(f"{rtype}.{c}: negative value {v!r} (record {df['id'].iloc[i]})")
    if problems:
        raise ExportError(f"{len(problems)} value(s) break the export schema: " + "; ".join(problems[:5]))


def export(store: Store, out_dir, fmt: str = "csv", status: Optional[str] = "approved") -> dict[str, Path]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})")
    frames = {s.name: table(store, s.name, status) for s in specs()}      # all validated before any file is written
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for t, df in frames.items():
        path = out / f"{t}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "csv":
            df.to_csv(tmp, index=False)
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False, engine="pyarrow")
        else:
            df.to_json(tmp, orient="records", force_ascii=False, indent=1)
        tmp.replace(path)
        paths[t] = path
    return paths

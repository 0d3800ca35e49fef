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


def columns(rtype: str) -> dict[str, Column]:
    """The exported columns of a record type: identity and source, its own fields, review state."""
    own = spec(rtype).columns
    return {**{k: v for k, v in COMMON.items() if k in ("id", "doc_id", "source")}, **own,
            **{k: v for k, v in COMMON.items() if k not in ("id", "doc_id", "source")}}


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
    sources = {d["id"]: d["source"] for d in store.documents()}
    cols = columns(rtype)
    own = spec(rtype).columns
    rows = []
    for r in store.records(rtype, status=statuses(status)):
        ev = r.get("evidence") or {}
        row = {c: r.get(c) for c in own}
        row.update(id=r["id"], doc_id=r["doc_id"], source=sources.get(r["doc_id"]), status=r["status"],
                   reviewer=r.get("reviewer"), confidence=r.get("confidence"), evidence_page=ev.get("page"),
                   evidence_text=ev.get("text"),
                   reviewed_at=r["reviewed_at"].isoformat() if r.get("reviewed_at") else None)
        bad = [(c, row[c], why) for c, col in cols.items() if (why := problem(col, row[c])) is not None]
        if bad:
            if problems is not None:
                problems.extend({"table": rtype, "id": r["id"], "field": c, "value": _jsonable(v), "problem": why}
                                for c, v, why in bad)
            continue
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(cols))
    for c, col in cols.items():
        df[c] = {"str": lambda s: s.astype("string"), "int": lambda s: s.astype("Int64"),
                 "float": lambda s: s.astype("Float64"), "bool": lambda s: s.astype("boolean")}[col.type](df[c])
    return df


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
    problems: list[dict] = []
    frames = {s.name: table(store, s.name, wanted, problems) for s in specs()}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for t, df in frames.items():
        path = out / f"{t}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "csv":
            neutralise_formulas(df, columns(t)).to_csv(tmp, index=False)
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

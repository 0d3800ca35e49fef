"""Reading rule files (JSONL, one rule a line with a stable ``id``): shared by every rule stage."""
from __future__ import annotations

import json
from pathlib import Path

from .errors import RuleError


def read_jsonl(path: Path) -> list[dict]:
    rows, ids = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise RuleError(f"{path}:{n}: bad JSON: {e}") from None
        if not row.get("id") or "label" not in row or "pattern" not in row:
            raise RuleError(f"{path}:{n}: a pattern needs id, label and pattern: {line[:80]}")
        if row["id"] in ids:
            raise RuleError(f"{path}:{n}: duplicate pattern id {row['id']!r}")
        ids.add(row["id"])
        rows.append(row)
    return rows

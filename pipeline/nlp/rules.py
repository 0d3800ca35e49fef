"""Rule files: JSONL, one rule a line, each with a stable ``id``, a ``label`` and a ``pattern``.

Entity rules (``rules/entities.jsonl``) are spaCy ``span_ruler`` token patterns; what a match means
is a field of its rule, ``meaning`` (``{"fund_kind": "prêt"}``, ``{"org_kind": "cooperative"}``), never
parsed out of its id. Figure rules (``rules/figures.jsonl``) are regexes (:mod:`pipeline.nlp.figures`).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..errors import RuleError

RULES = Path(__file__).with_name("rules")
ENTITY_RULES = RULES / "entities.jsonl"


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
        meaning = row.get("meaning", {})
        if not isinstance(meaning, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in meaning.items()):
            raise RuleError(f"{path}:{n}: 'meaning' of {row['id']!r} must map names to strings: {meaning!r}")
        ids.add(row["id"])
        rows.append(row)
    return rows


def span_ruler_patterns(rows: list[dict]) -> list[dict]:
    """The rows as span_ruler patterns (label, pattern, id; the meaning stays with us), each lower-case
    word also matched without its accents (:func:`unaccented`)."""
    return [{"label": r["label"], "pattern": [unaccented(t) for t in r["pattern"]], "id": r["id"]} for r in rows]


def unaccented(token: dict) -> dict:
    """A token pattern whose LOWER words also match written without accents, as old OCR layers and
    typewritten bulletins have them (:func:`pipeline.lang_fr.bare_forms`)."""
    from ..lang_fr import bare_forms
    lower = token.get("LOWER")
    words_ = [lower] if isinstance(lower, str) else (lower.get("IN") if isinstance(lower, dict) else None)
    if not words_:
        return token
    extra = bare_forms(words_)
    if not extra:
        return token
    return {**token, "LOWER": {"IN": list(dict.fromkeys(list(words_) + extra))}}


@lru_cache(maxsize=1)
def entity_rules() -> tuple[dict, ...]:
    return tuple(read_jsonl(ENTITY_RULES))


def meanings(rows) -> dict[str, dict[str, str]]:
    """rule id -> its meaning fields."""
    return {r["id"]: dict(r.get("meaning") or {}) for r in rows}


def values_of(label: str, field: str) -> frozenset[str]:
    """Every value a field of the meaning takes among the entity rules of ``label``: the kinds of
    funding of the FUND_KIND rules are the allowed values of ``funding.kind``."""
    return frozenset(r["meaning"][field] for r in entity_rules() if r["label"] == label and field in r.get("meaning", {}))


__all__ = ["read_jsonl", "span_ruler_patterns", "entity_rules", "meanings", "values_of", "RULES"]

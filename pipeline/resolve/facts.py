"""The same fact stated in several documents is one fact, with all its evidence.

A record's fact key, by type (values as shown: a reviewer's over the extraction; names as entity ids):

- funding: funder entity, recipient entity, amount, period in years, total or not, year of the grant's own
  date (not the issue's): the same grant however often it is printed. A row read without its recipient (or
  funder) is the grant another document names in full when exactly one grant fits the rest; a row with
  neither funder nor recipient is only the same fact as another in the same passage (below);
- organizations: the entity; people: the person entity, the organisation entity and the role's words;
- other types (co-op statistics, events): the type's key fields, and the same passage (below).

Two records are in the same passage when their documents are twins (:func:`.documents.twin_groups`) or
their evidence sentences are alike (rapidfuzz ratio >= :data:`SAME_SENTENCE`, words folded). A fact's
canonical record, the one an export or a view shows, is its best reviewed one (approved or edited, then
pending, then rejected), then the earliest document's. Review work carries over between records of one
fact in the same passage: a pending record takes the decision of a reviewed one (:func:`carry_over`).
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz.fuzz import ratio

from ..lang_fr.names import body_key, fold_words

SAME_SENTENCE = 85
MAX_FUZZY = 200         # buckets of one key compared sentence by sentence, at most
ENTITY_KEYED = ("funding", "organizations", "people")
STATUS_RANK = {"approved": 0, "edited": 0, "pending": 1, "rejected": 2}


@dataclass(frozen=True)
class FactRecord:
    type: str
    id: str
    doc_id: str
    values: dict                                 # the record as shown (reviewed over extracted)
    key_fields: tuple[str, ...] = ()
    status: str = "pending"
    evidence_text: str = ""
    entities: dict = field(default_factory=dict)  # field -> entity id ('funder', 'recipient', 'name', 'organization')
    order: str = ""                              # the document's order (ingestion time): earlier first
    reviewed_at: str = ""
    movable: bool = False                         # pending, as extracted, not flagged: may take a carried decision


@dataclass(frozen=True)
class Fact:
    id: str
    type: str
    members: tuple[str, ...]                      # record ids, the canonical one first
    key: tuple


def _num(v) -> str:
    return "" if v is None else f"{float(v):.2f}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _year(d) -> str:
    return str(d)[:4] if d else ""


def _name(ents: dict, values: dict, f: str) -> str:
    return ents.get(f) or body_key(values.get(f) or "")


def fact_key(r: FactRecord) -> tuple[tuple, bool]:
    """(the key, whether records with it are one fact only in the same passage)."""
    v = r.values
    if r.type == "funding":
        funder, recipient = _name(r.entities, v, "funder"), _name(r.entities, v, "recipient")
        key = ("funding", funder, recipient, _num(v.get("amount")), _num(v.get("period_years")),
               bool(v.get("is_total")), _year(v.get("date")))
        return key, not (funder or recipient)
    if r.type == "organizations":
        return ("organizations", r.entities.get("name") or body_key(v.get("name") or "")), False
    if r.type == "people":
        return ("people", r.entities.get("name") or fold_words(v.get("name") or ""), r.entities.get("organization") or "",
                fold_words(v.get("role") or "")), False
    return (r.type, *(fold_words(x) if isinstance(x := v.get(f), str) else _num(x) for f in r.key_fields)), True


def _fill_partial_funding(by_key: dict, passage: dict) -> None:
    """A grant read without its recipient (or funder) in one document is the grant of the same funder
    (recipient), amount, period, kind of row and year that another document names in full, when there is
    exactly one such grant."""
    full: dict[tuple, list] = defaultdict(list)
    for k in by_key:
        if k[0] == "funding" and k[1] and k[2]:
            full[(1, k[1], *k[3:])].append(k)
            full[(2, k[2], *k[3:])].append(k)
    for k in sorted((k for k in by_key if k[0] == "funding" and bool(k[1]) != bool(k[2])), key=str):
        known = (1, k[1], *k[3:]) if k[1] else (2, k[2], *k[3:])
        if len(full.get(known, ())) == 1:
            target = full[known][0]
            by_key[target].extend(by_key.pop(k))
            passage.pop(k, None)


def same_passage(a: FactRecord, b: FactRecord, twins: dict[str, str]) -> bool:
    if a.doc_id == b.doc_id:
        return False
    if twins.get(a.doc_id, a.doc_id) == twins.get(b.doc_id, b.doc_id):
        return True
    ta, tb = fold_words(a.evidence_text), fold_words(b.evidence_text)
    return bool(ta and tb) and ratio(ta, tb) >= SAME_SENTENCE


def _passages(rs: list[FactRecord], twins: dict[str, str]) -> list[list[FactRecord]]:
    """Records of one key split by passage: the same twin group or the same folded sentence at once, then
    sentences alike between those buckets (at most :data:`MAX_FUZZY` buckets compared pairwise; beyond,
    only the exact links hold: the cost stays bounded on a corpus that repeats a template)."""
    parent = list(range(len(rs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    first: dict = {}
    for i, r in enumerate(rs):
        for key in (("twin", twins.get(r.doc_id, r.doc_id)), ("text", fold_words(r.evidence_text))):
            if key[1] and key in first:
                parent[find(i)] = find(first[key])
            first.setdefault(key, i)
    heads = sorted({find(i) for i in range(len(rs))})
    if len(heads) <= MAX_FUZZY:
        for x, i in enumerate(heads):
            for j in heads[x + 1:]:
                if find(i) != find(j) and same_passage(rs[i], rs[j], twins):
                    parent[find(j)] = find(i)
    parts: dict[int, list] = defaultdict(list)
    for i, r in enumerate(rs):
        parts[find(i)].append(r)
    return list(parts.values())


def _rank(r: FactRecord, twins: dict[str, str]) -> tuple:
    return (STATUS_RANK.get(r.status, 1), r.order, r.doc_id, r.id)


def group_facts(records: list[FactRecord], twins: Optional[dict[str, str]] = None) -> list[Fact]:
    """Every record in exactly one fact."""
    twins = twins or {}
    by_key: dict[tuple, list[FactRecord]] = defaultdict(list)
    passage: dict[tuple, bool] = {}
    for r in records:
        k, needs_passage = fact_key(r)
        by_key[k].append(r)
        passage[k] = needs_passage
    _fill_partial_funding(by_key, passage)
    facts = []
    for k, rs in sorted(by_key.items(), key=lambda kv: str(kv[0])):
        groups: list[list[FactRecord]]
        if passage[k] and len(rs) > 1:
            groups = _passages(rs, twins)
        else:
            groups = [rs]
        for g in groups:
            g = sorted(g, key=lambda r: _rank(r, twins))
            salt = "" if not passage[k] else min(r.id for r in g)
            fid = "fact-" + hashlib.sha256(repr((k, salt)).encode("utf-8")).hexdigest()[:20]
            facts.append(Fact(fid, g[0].type, tuple(r.id for r in g), k))
    return facts


def carry_over(facts: list[Fact], records: dict[str, FactRecord], twins: Optional[dict[str, str]] = None
               ) -> dict[str, str]:
    """record id -> the reviewed record of the same fact and passage whose decision it takes: only records
    that are ``movable`` (pending as extracted); the most recently reviewed source wins."""
    twins = twins or {}
    out = {}
    for f in facts:
        done = [records[i] for i in f.members if records[i].status != "pending"]
        if not done:
            continue
        done.sort(key=lambda r: (r.reviewed_at, r.id), reverse=True)
        for i in f.members:
            r = records[i]
            if not r.movable:
                continue
            src = next((d for d in done[:50] if same_passage(r, d, twins)), None)
            if src is not None:
                out[r.id] = src.id
    return out


__all__ = ["FactRecord", "Fact", "fact_key", "group_facts", "carry_over", "same_passage", "SAME_SENTENCE"]

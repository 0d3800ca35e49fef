"""Funding: who gave how much to whom, of what kind, over how many years.

For each amount, the funder is found by the first rule that applies: an organisation right before it
('la Fiducie 800 000 $', 'le CLD (15 000 $)'); after a verb of receiving, the organisation after
'de'/'par'; an organisation after the amount introduced by 'de'/'du'/'par' ('un prêt de 1,2 M$
d'Investissement Québec'); the subject of a verb of giving ('Le MAMROT et la CRÉ y ont injecté 250 000 $
chacun'), through a relative 'qui' to its antecedent. Amounts that are totals ('pour un total de', or the
sum of the amounts given next to them) become one record with is_total; costs and ceilings ('a coûté',
'jusqu'à') are not funding. The kind of an amount is the ``fund_kind`` of the nearest FUND_KIND rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import scoring
from ..document import Evidence
from ..lang_fr import words
from ..nlp.annotations import Cue, DocumentAnnotations, Entity, Figure, PageAnnotations, Sentence
from ..nlp.rules import values_of
from .common import clean_name, first_value
from .spec import Column, Evaluation, Record, RecordSpec

FUNDING_KINDS = values_of("FUND_KIND", "fund_kind")
CLAUSE_BREAKS = words("clause_breaks")
FUNDER_PREPS = words("funder_prepositions")
RECIPIENT_PREPS = words("recipient_prepositions")
PARTICIPLES = words("participles")
LINK_WORDS = words("link_words")
PERIOD_UNITS = words("period_units")
DEFINITE = words("definite_articles")


@dataclass(frozen=True)
class Funding(Record):
    amount: float
    funder: Optional[str] = None
    recipient: Optional[str] = None
    currency: str = "CAD"
    kind: Optional[str] = None
    period_years: Optional[int] = None
    is_total: bool = False
    date: Optional[str] = None
    evidence: Optional[Evidence] = None


def build(doc: DocumentAnnotations) -> list[Funding]:
    return [f for a in doc.pages for f in funding(a)]


def clauses(a: PageAnnotations, sent: Sentence) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence: cut at 'alors que', 'tandis que', ';', 'mais'..."""
    cuts = [sent.start] + [t.i for t in a.tokens[sent.start:sent.end] if t.lower in CLAUSE_BREAKS and t.i > sent.start] \
        + [sent.end]
    return [(x, y) for x, y in zip(cuts, cuts[1:]) if y > x]


@dataclass(frozen=True)
class _Cues:
    """The cues and figures of a page that funding reads."""
    orgs: list[Entity]
    give: list[Cue]
    receive: list[Cue]
    kinds: list[Cue]
    totals: list[Cue]
    each: list[Cue]
    nots: list[Cue]
    durations: list[Figure]
    dates: list[Figure]


def funding(a: PageAnnotations) -> list[Funding]:
    monies = a.figures_of("MONEY")
    if not monies:
        return []
    cues = _Cues(orgs=a.entities_of("ORG"), give=a.cues_of("FUND_GIVE"), receive=a.cues_of("FUND_RECEIVE"),
                 kinds=a.cues_of("FUND_KIND"), totals=a.cues_of("TOTAL"), each=a.cues_of("EACH"),
                 nots=a.cues_of("FUND_NOT"), durations=a.figures_of("DURATION"),
                 dates=[d for d in a.figures_of("DATE") if d.value])
    out: list[tuple[int, Figure, Funding]] = []      # (sentence index, money figure, record)
    for si, sent in enumerate(a.sentences):
        sm = [m for m in monies if sent.start <= m.start < sent.end and m.value]
        if not sm:
            continue
        sent_clauses = clauses(a, sent)
        sent_date = first_value([d for d in cues.dates if sent.start <= d.start < sent.end])
        for m in sm:
            out.extend((si, m, f) for f in _amount_records(a, sent, sent_clauses, sent_date, m, cues))
    return mark_totals(a, monies, out)


def _amount_records(a: PageAnnotations, sent: Sentence, sent_clauses, sent_date, m: Figure, cues: _Cues) -> list[Funding]:
    """The records of one amount: a total, nothing (a cost, a ceiling, no cue), or one per funder."""
    amount, currency = m.value["amount"], m.value["currency"]
    if amount <= 0:
        return []
    cs, ce = next(((x, y) for x, y in sent_clauses if x <= m.start < y), (sent.start, sent.end))
    in_clause = lambda spans: [s for s in spans if cs <= s.start < ce]
    ev = a.sentence_evidence(sent)
    if any(0 <= m.start - t.end <= 3 or 0 <= t.start - m.end <= 1 for t in in_clause(cues.totals)):
        return [Funding(amount=amount, currency=currency, is_total=True, date=sent_date, evidence=ev)]
    if any(0 <= m.start - n.end <= 4 for n in cues.nots):
        return []            # 'a coûté près de 180 000 $', 'jusqu'à 100 000 $'
    clause_orgs = [o for o in cues.orgs if cs <= o.start < ce]
    kind = nearest_kind(in_clause(cues.kinds), m)
    g = [v for v in in_clause(cues.give) if v.start < m.start]
    r = [v for v in in_clause(cues.receive) if v.start < m.start]
    funders, recipient = _funders(a, m, ce, clause_orgs, g, r, cues)
    if recipient is None:
        rec = org_after(a, clause_orgs, m.end, RECIPIENT_PREPS)
        recipient = clean_name(rec.text) if rec is not None else None
    if not funders and not (g or r or kind):
        return []
    period = next((d.value for d in cues.durations if cs <= d.start < ce and d.value), None)
    if period is None:
        period = next((d.value for d in cues.durations if sent.start <= d.start < sent.end and d.start > m.start
                       and d.value), None)
    has_each = any(m.end <= c.start <= m.end + 3 for c in cues.each)
    if len(funders) > 1 and not has_each:
        funders = funders[:1]
    return [Funding(amount=amount, currency=currency, funder=clean_name(f.text) if f is not None else None,
                    recipient=recipient, kind=kind, period_years=period, date=sent_date, evidence=ev)
            for f in funders or [None]]


def _funders(a: PageAnnotations, m: Figure, ce: int, clause_orgs: list[Entity], g: list[Cue], r: list[Cue],
             cues: _Cues) -> tuple[list[Entity], Optional[str]]:
    """The funders of an amount (and its recipient when a verb of receiving names it)."""
    funders: list[Entity] = []
    recipient = None
    before = org_just_before(a, clause_orgs, m.start)
    # 'une aide de 450 000 $ sur trois ans de Développement économique Canada': the funder
    # comes after the period
    past = max([d.end for d in cues.durations if m.end <= d.start <= m.end + 1] + [m.end])
    while past < ce and past > m.end and a[past].lower in PERIOD_UNITS:
        past += 1
    after = org_after(a, clause_orgs, past, FUNDER_PREPS)
    if before is not None and not (g and g[-1].start > before.end):
        funders = [before]
    elif r and (not g or r[-1].start > g[-1].start):
        funders = [after] if after is not None else []
        subj = verb_subjects(a, cues.orgs, r[-1]) or [o for o in clause_orgs if o.end <= r[-1].start][-1:]
        recipient = clean_name(subj[0].text) if subj else None
    elif after is not None:
        funders = [after]
    elif g:
        funders = verb_subjects(a, cues.orgs, g[-1]) or \
            subjects(a, [o for o in clause_orgs if o.end <= g[-1].start], g[-1])
    return funders, recipient


def mark_totals(a: PageAnnotations, monies: list[Figure], found: list) -> list[Funding]:
    """An amount equal to the sum of two or more funded amounts written next to it, in a row (in its
    sentence and the two after, or the two before) is their total: 'un budget de 310 000 $, dont
    150 000 $ du ministère, 85 000 $ de la CRÉ et 75 000 $ d'Emploi-Québec'."""
    sents = a.sentences
    sent_of = {}
    for si, s in enumerate(sents):
        for m in monies:
            if s.start <= m.start < s.end:
                sent_of[m.start] = si
    parts = [(si, m, f) for si, m, f in found if f.funder and not f.is_total]
    totals: set[int] = set()
    for m in monies:
        v = m.value
        if not v or m.start not in sent_of or v["amount"] <= 0:
            continue
        si = sent_of[m.start]
        after = sorted((p for p in parts if (p[0] > si or (p[0] == si and p[1].start > m.start)) and p[0] <= si + 2),
                       key=lambda p: p[1].start)
        before = sorted((p for p in parts if (p[0] < si or (p[0] == si and p[1].start < m.start)) and p[0] >= si - 2),
                        key=lambda p: -p[1].start)
        # the amounts right after it (or right before), two or more in a row, add up to it: a later
        # amount of the window may be another project's ('un prêt de 1,5 million $' two sentences on)
        for window in (after, before):
            window = [p for p in window if p[1].start != m.start]
            sums = [sum(p[2].amount for p in window[:n]) for n in range(2, len(window) + 1)]
            if any(abs(t - v["amount"]) < 0.5 for t in sums):
                totals.add(m.start)
                break
    out = []
    done = set()
    total_amounts = {m.value["amount"] for m in monies if m.start in totals}
    for si, m, f in found:
        if not f.funder and not f.is_total and f.amount in total_amounts and m.start not in totals:
            continue            # the total named again elsewhere (a title, a pull-quote)
        if m.start in totals:
            if m.start not in done:
                done.add(m.start)
                out.append(Funding(amount=f.amount, currency=f.currency, is_total=True, period_years=f.period_years,
                                   date=f.date, evidence=f.evidence))
            continue
        out.append(f)
    for m in monies:
        if m.start in totals and m.start not in done:
            out.append(Funding(amount=m.value["amount"], currency=m.value["currency"], is_total=True,
                               evidence=a.sentence_evidence(sents[sent_of[m.start]])))
    return out


def org_just_before(a: PageAnnotations, orgs: list[Entity], i: int) -> Optional[Entity]:
    """'la Fiducie du Chantier de l'économie sociale 800 000 $', 'du CLD des Basques (15 000 $)'; and
    the second of two givers whose verb is left out: 'Le ministère y contribue pour 120 000 $ et la
    CRÉ pour 60 000 $' (the organisation after 'et' or ',' and before 'pour')."""
    for o in orgs:
        gap = [t for t in a.tokens[o.end:i] if not t.is_space]
        if o.end <= i and len(gap) <= 1 and all(t.text in ("(", ":") for t in gap):
            return o
        if o.end <= i and [t.lower for t in gap] == ["pour"]:
            k = o.start - 1
            while k >= 0 and (a[k].is_space or a[k].lower in DEFINITE):
                k -= 1
            if k >= 0 and a[k].lower in ("et", ","):
                return o
    return None


def verb_subjects(a: PageAnnotations, orgs: list[Entity], verb: Cue) -> list[Entity]:
    """The organisations the parser gives as the subject of the verb (and their conjuncts); a relative
    'qui' leads to its antecedent ('la SADC, qui a accordé un prêt')."""
    v = a.root(verb.start, verb.end)
    if v.dep in ("aux", "aux:tense", "aux:pass"):
        v = a[v.head]
    subj = [c for c in a.children(v.i) if c.dep in ("nsubj", "nsubj:pass")]
    hops = 0
    while not subj and "Inf" in v.verb_form and v.dep in ("xcomp", "advcl", "ccomp") and hops < 3:
        v = a[v.head]          # 'a profité de l'occasion pour annoncer': the subject of the governing verb
        subj = [c for c in a.children(v.i) if c.dep in ("nsubj", "nsubj:pass")]
        hops += 1
    if not subj:
        return []
    s = subj[0]
    if s.lower == "qui":
        # the antecedent: the organisation just before 'qui' ('la SADC des Basques, qui a accordé')
        k = s.i - 1
        while k >= 0 and (a[k].text == "," or a[k].is_space):
            k -= 1
        org = org_containing(orgs, k) if k >= 0 else None
        return [org] if org is not None else []
    org = org_containing(orgs, s.i)
    if org is None:
        return []
    found = [org]
    for c in a.conjuncts(s.i):
        o = org_containing(orgs, c.i)
        if o is not None and o not in found:
            found.append(o)
    return sorted(found, key=lambda o: o.start)


def org_containing(orgs: list[Entity], i: int) -> Optional[Entity]:
    return next((o for o in orgs if o.start <= i < o.end), None)


def nearest_kind(kinds: list[Cue], m: Figure) -> Optional[str]:
    """The kind of funding named nearest the amount (at most 8 tokens away)."""
    best = None
    for k in kinds:
        d = abs(k.start - m.start)
        if d <= 8 and (best is None or d < best[0]):
            best = (d, k.get("fund_kind"))
    return best[1] if best else None


def subjects(a: PageAnnotations, orgs: list[Entity], verb: Cue) -> list[Entity]:
    """The organisations that are the subject of the verb: the last one before it, and those
    coordinated with it by 'et' or ','."""
    if not orgs:
        return []
    subj = [orgs[-1]]
    for o in reversed(orgs[:-1]):
        words_ = [t.lower for t in a.tokens[o.end:subj[0].start] if not t.is_space]
        if words_ and words_[0] in ("et", ",") and all(w in ("et", ",") or w in DEFINITE for w in words_):
            subj.insert(0, o)
        else:
            break
    gap = a.tokens[subj[-1].end:verb.start]
    if len(gap) > 6 or any(t.text in (",", ";") for t in gap) and len(gap) > 3:
        return []
    return subj


def org_after(a: PageAnnotations, orgs: list[Entity], i: int, preps: frozenset) -> Optional[Entity]:
    """The organisation introduced by one of ``preps`` right after token ``i``, past participles and
    link words ('versé par', 'consenti par', 'provenant d'un emprunt auprès de')."""
    for o in orgs:
        if o.start < i:
            continue
        toks = [t for t in a.tokens[i:o.start] if not t.is_space]
        between = [t.lower for t in toks]
        if len(between) > 7:
            return None
        if between and (between[-1] in preps or between[-1] in DEFINITE) and any(w in preps for w in between) \
                and all(t.lower in preps or t.lower in LINK_WORDS or t.lower.endswith(("é", "ée", "és", "ées"))
                        or t.lower in PARTICIPLES or "Part" in t.verb_form for t in toks):
            return o
        return None
    return None


def _funding_hit(p: dict, g: dict) -> bool:
    if scoring.amount(p.get("amount")) != float(g["amount"]):
        return False
    if g.get("funder") is None:
        return bool(p.get("is_total")) or not p.get("funder")
    return bool(p.get("funder")) and scoring.same_as_any(p["funder"], g["funder"])


def _predicted_funding(out: dict, gold: dict) -> list:
    """Funding rows, less the amounts the gold file calls ambiguous (``funding_ignore_amounts``)."""
    ignore = {float(x) for x in gold.get("funding_ignore_amounts", [])}
    return [f for f in out.get("funding", []) if scoring.amount(f.get("amount")) not in ignore]


SPEC = RecordSpec(
    name="funding", record=Funding, build=build, key_fields=("funder", "amount", "recipient", "is_total"),
    columns={"funder": Column("str"), "recipient": Column("str"),
             "amount": Column("float", nullable=False, non_negative=True, format="money"),
             "currency": Column("str", nullable=False, format="currency"),
             "kind": Column("str", allowed=FUNDING_KINDS), "period_years": Column("float", non_negative=True, format="years"),
             "is_total": Column("bool", nullable=False), "date": Column("str", format="date")},
    label="Funding", title_fields=("funder", "amount", "recipient"), order=30,
    evaluations=(Evaluation("funding", _predicted_funding, lambda gold: gold["funding"], _funding_hit),))

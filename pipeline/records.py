"""Records from a parsed page: organisations, co-op statistics, funding, people, events.

Each builder reads the resolved entities (``doc.ents``, ``doc.spans["places"]``), the figures
(``doc.spans["figures"]`` with their values) and the cue words of the rules (``doc.spans["rules"]``),
sentence by sentence, and returns frozen records that carry their evidence.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Optional

from spacy.tokens import Doc, Span

from .entities import _is_acronym, _is_cap
from .names import key, title_case
from .numbers import fold
from .schema import CoopStat, Event, Evidence, Funding, Mention, Organization, Person, Records

EvidenceFn = Callable[[int, int], Evidence]

_PREPS = {"de", "des", "du", "d'", "d’", "en", "dans", "la", "le", "les", "l'", "l’", "à", "au", "aux", "pour", "sur"}
_SECTOR_HEADS = {"secteur", "secteurs", "domaine", "domaines"}
_CLAUSE_BREAKS = {"alors", "tandis", "pendant", "mais", "cependant", "puis", ";"}
_JOB_WORDS = {"emplois", "emploi", "employés", "employées", "travailleurs", "postes"}
_MEMBER_WORDS = {"membres", "membre", "sociétaires", "coopérateurs"}
_COOP_WORDS = {"coopératives", "coopérative", "coops", "coop", "entreprises coopératives"}
_PARTICIPANT_WORDS = {"participants", "participantes", "personnes", "intervenants", "intervenantes", "invités",
                      "délégués", "gens", "acteurs", "représentants", "citoyens", "jeunes", "membres", "entrepreneurs"}
_SINCE = re.compile(r"(?:depuis|dès|à compter d[ue]|à partir d[ue]|en poste depuis)\s+(?:le\s+|l[’']\s*)?$", re.I)


def _fig(doc: Doc, label: str) -> list[Span]:
    return [s for s in doc.spans.get("figures", []) if s.label_ == label]


def _figure(span: Span):
    return span.doc.user_data.get("figures", {}).get((span.start_char, span.end_char))


def _value(span: Span):
    f = _figure(span)
    return f.value if f is not None else None


def _approx(span: Span) -> bool:
    f = _figure(span)
    return bool(f and f.approximate)


def _cues(doc: Doc, label: str) -> list[Span]:
    return [s for s in doc.spans.get("rules", []) if s.label_ == label]


def _clean_name(text: str) -> str:
    """Whitespace made single; an acronym defined inside the name left out: 'Centre local de
    développement (CLD) de Maskinongé' is named 'Centre local de développement de Maskinongé'."""
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    return re.sub(r"(?<=\w) \([A-ZÀ-Ý][A-ZÀ-Ý&\-]{1,9}\) (?=\w)", " ", text)


# ---------------------------------------------------------------- organisations
def organizations(doc: Doc, ev: EvidenceFn) -> list[Organization]:
    acronyms = doc.user_data.get("acronyms", {})
    kinds = doc.user_data.get("org_kind", {})
    long_of = {a: v["long"] for a, v in acronyms.items() if v["label"] == "ORG"}
    acr_of = {key(v): a for a, v in long_of.items()}
    groups: dict[str, dict] = {}
    order: list[str] = []
    for e in doc.ents:
        if e.label_ != "ORG":
            continue
        name = _clean_name(e.text)
        first = name.split()[0] if name.split() else name
        if name in long_of:                       # an acronym whose expansion the text gives
            gkey = key(long_of[name])
        elif first in long_of and e.end - e.start > 1 and _is_cap(doc[e.start + 1]) and not _is_acronym(doc[e.start + 1].text):
            gkey = key(long_of[first])            # 'CDR Saguenay–Lac-Saint-Jean': the CDR defined earlier
        else:
            gkey = key(name)
        if gkey not in groups:
            kind = "other" if _generic_plural(name) else \
                kinds.get(e.text) or kinds.get(long_of.get(name, "")) or _kind_of(name)
            groups[gkey] = {"name": long_of.get(name, long_of.get(first, name) if gkey != key(name) else name), "acronym": acr_of.get(gkey) or (name if _is_acronym(name) else None),
                            "kind": kind, "sector": None, "region": None, "ev": (e.sent.start_char, e.sent.end_char),
                            "aliases": []}
            order.append(gkey)
        g = groups[gkey]
        if name != g["name"] and name != g["acronym"] and name not in g["aliases"]:
            g["aliases"].append(name)
        if g["sector"] is None:
            g["sector"] = _sector_after(doc, e) or _sector_in_name(name)
        if g["region"] is None:
            g["region"] = _region_in(doc, e)
        if g["kind"] == "other":
            g["kind"] = _kind_of(name)
    out = []
    for k in order:
        g = groups[k]
        out.append(Organization(name=g["name"], acronym=g["acronym"],
                                kind="other" if _generic_plural(g["name"]) else g["kind"], sector=g["sector"],
                                region=g["region"], evidence=ev(*g["ev"]), aliases=tuple(g["aliases"])))
    return out


def _generic_plural(name: str) -> bool:
    """'coopératives jeunesse de services': a kind of co-operative (lower case, plural), not one."""
    return bool(re.match(r"co-?opératives\b", name))


def _kind_of(name: str) -> str:
    n = fold(name)
    if re.match(r"(la\s+)?(co-?op|cooperative)", n):
        return "cooperative"
    if re.search(r"\b(inc|ltee|enr|senc)\b\.?", n):
        return "enterprise"
    if re.match(r"(le\s+)?(ministere|gouvernement|secretariat|municipalite|ville|mrc)\b", n):
        return "government"
    if re.match(r"(la\s+)?(caisse|fonds|fiducie|banque)\b", n):
        return "financial"
    if re.match(r"(le\s+)?(syndicat|centrale|confederation)\b", n):
        return "union"
    return "other"


def _sector_after(doc: Doc, e: Span) -> Optional[str]:
    """'Coopérative des Petites Écores (agroalimentaire)' -> 'agroalimentaire'."""
    i = e.end
    if i < len(doc) and doc[i].text == "(":
        close = next((k for k in range(i + 1, min(i + 8, len(doc))) if doc[k].text == ")"), None)
        if close and close > i + 1:
            inner = doc[i + 1:close]
            if all(t.text.islower() or t.is_punct or t.is_space for t in inner) and not any(t.like_num for t in inner):
                return re.sub(r"\s+", " ", inner.text).strip()
    return None


def _sector_in_name(name: str) -> Optional[str]:
    """'Coopérative funéraire de Lanaudière' -> 'services funéraires', 'Coopérative forestière de
    Girardville' -> 'foresterie' (an adjective of data/sectors.tsv right after the head);
    'Coopérative d'habitation Les Ormes' -> 'habitation'."""
    m = re.match(r"(?:la\s+)?co-?opérative\s+(d['’]habitation\b|[^\W\d_]+)", name, re.I)
    if not m:
        return None
    word = m.group(1).lower()
    if word.startswith(("d'habitation", "d’habitation")):
        return "habitation"
    return SECTOR_ADJECTIVES.get(word)


def _region_in(doc: Doc, e: Span) -> Optional[str]:
    for p in doc.spans.get("places", []):
        if e.start <= p.start and p.end == e.end:
            return p.text
    return None


# ---------------------------------------------------------------- co-op statistics
_DATA = Path(__file__).with_name("data")
_ENUM_MARKERS = {":", "dont", "parmi", "notamment", "soit"}
_EMPLOY = re.compile(r"\b(emploi|emploient|emploie|employant|emplois|travail|travailler|embauch\w*)\b", re.I)


def _read_sectors(path: Path = _DATA / "sectors.tsv") -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        forms, sector = line.split("\t")
        for f in forms.split("|"):
            out[f.strip()] = sector.strip()
    return out


SECTOR_ADJECTIVES = _read_sectors()


def _measure(doc: Doc, i: int, end: int) -> Optional[str]:
    """What the count ending before token i counts: the first noun after it, past adjectives
    ('nouvelles') and 'de' ('une dizaine de coopératives'). 'coopératives', 'membres', 'emplois';
    'personnes' after a verb of employing ('qui emploient 2 300 personnes')."""
    new = False
    for t in doc[i:min(end, i + 4)]:
        w = t.lower_
        if w in _COOP_WORDS or w.startswith("coopérative"):
            return "new_cooperatives" if new else "cooperatives"
        if w in _MEMBER_WORDS:
            return "members"
        if w in _JOB_WORDS:
            return "jobs"
        if w in ("personnes", "salariés", "salariées", "personnes.") and _EMPLOY.search(doc[max(0, i - 8):i].text):
            return "jobs"
        if w in ("nouvelles", "nouveaux", "nouvelle"):
            new = True
            continue
        if w in ("de", "d'", "d’", "autres") or (t.pos_ == "ADJ" and not t.is_punct):
            continue
        break
    return None


def _sector_text(doc: Doc, start: int, end: int) -> Optional[str]:
    """The sector of an enumerated item: the words after the number, less the counted noun,
    participles ('œuvrant', 'offrant'), prepositions and 'le secteur de'."""
    toks = [t for t in doc[start:end] if not t.is_space]
    while toks and (toks[0].lower_.startswith("coopérative") or toks[0].lower_ in _PREPS or toks[0].lower_ in _SECTOR_HEADS
                    or (toks[0].pos_ in ("VERB",) and toks[0].lower_.endswith("ant"))
                    or toks[0].lower_ in ("œuvrant", "oeuvrant", "offrant", "actives", "active", "présentes", "ainsi",
                                          "non", "financières", "financière", "divers", "diverses")
                    and len(toks) > 1):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in _PREPS or toks[-1].lower_ in ("et", "ou")):
        toks = toks[:-1]
    if not toks or len(toks) > 6:
        return None
    if len(toks) == 1 and toks[0].lower_ in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[toks[0].lower_]
    text = doc[toks[0].i:toks[-1].i + 1].text
    return re.sub(r"\s+", " ", text) or None


def _label_sector(doc: Doc, sent: Span, c: Span) -> Optional[str]:
    """'Habitation : 27 coopératives.': a short label before a colon just before the count."""
    if c.start < 2 or doc[c.start - 1].text != ":":
        return None
    head = [t for t in doc[sent.start:c.start - 1] if not t.is_space]
    if not 1 <= len(head) <= 4 or any(t.pos_ in ("VERB", "AUX") or t.like_num for t in head) or not head[0].is_alpha:
        return None
    text = doc[head[0].i:head[-1].i + 1].text
    return text[:1].lower() + text[1:]


def coop_stats(doc: Doc, ev: EvidenceFn) -> list[CoopStat]:
    """Totals and per-sector counts of co-operatives, their members and jobs, new co-operatives.
    An enumeration ('53 coopératives : 21 en habitation, 13 dans le secteur de l'agriculture...',
    '87 coopératives, dont 34 en habitation...') gives one record per item with its sector."""
    counts = _fig(doc, "COUNT")
    out, seen = [], set()
    places = list(doc.spans.get("places", []))
    prev_total = False
    prev_sent = None
    for sent in doc.sents:
        listed = _sector_comma_counts(sent) if "coop" in (sent.text + (prev_sent.text if prev_sent else "")).lower() else []
        for sector, value in listed:
            item = ("cooperatives", key(sector), value)
            if item not in seen:
                seen.add(item)
                out.append(CoopStat(measure="cooperatives", value=value, region=None, sector=sector, approximate=False,
                                    evidence=ev(sent.start_char, sent.end_char)))
        prev_sent = sent
        sc = [c for c in counts if sent.start <= c.start < sent.end and _value(c) is not None]
        if not sc or listed:
            prev_total = False
            continue
        lower = sent.text.lower()
        if "coop" not in lower and not (sent.start > 0 and "coop" in doc[max(0, sent.start - 60):sent.start].text.lower()):
            prev_total = False
            continue
        region = next((p.text for p in places if sent.start <= p.start < sent.end), None)
        marker = next((t.i for t in sent if t.lower_ in _ENUM_MARKERS), None)
        # 'Parmi elles, on recense 38 coopératives d'habitation...': the enumeration of the total before
        in_enum = prev_total and marker is not None and marker < sc[0].start
        sent_total = False
        for n, c in enumerate(sc):
            nxt = sc[n + 1].start if n + 1 < len(sc) else sent.end
            measure = _measure(doc, c.end, sent.end)
            sector = None
            label = _label_sector(doc, sent, c)
            if label is not None and measure == "cooperatives":
                sector = label
            elif measure == "cooperatives" and marker is not None and c.start < marker and \
                    any(x.start > marker for x in sc) and not in_enum:
                in_enum = True          # the total of an enumeration that follows the marker
                sent_total = True
            elif marker is not None and c.start > marker and in_enum and measure not in ("members", "jobs", "new_cooperatives"):
                # an enumerated item: up to the next separator before the next count
                stop = nxt
                for t in doc[c.end:nxt]:
                    if t.text in (",", ";", ".") or (t.lower_ == "et" and t.i + 1 == nxt):
                        stop = t.i
                        break
                sector = _sector_text(doc, c.end, stop)
                measure = "cooperatives"
                if sector is None:
                    continue
            elif measure == "cooperatives":
                sector = _complement_sector(doc, c.end) or _sector_before_parenthesis(doc, c) \
                    or _sector_named_before(doc, sent, c, sc)
                if sector is None and c.start > (marker or sent.end):
                    continue            # an item of a list whose sector is not given
                if sector is None:
                    sent_total = True
            if measure is None:
                continue
            if measure == "new_cooperatives":
                sector = None
            if measure == "cooperatives" and _new_context(doc, c, sent):
                measure, sector = "new_cooperatives", None
            item = (measure, key(sector or ""), _value(c))
            if item in seen:
                continue
            seen.add(item)
            out.append(CoopStat(measure=measure, value=int(_value(c)), region=region, sector=sector,
                                approximate=_approx(c), evidence=ev(sent.start_char, sent.end_char)))
        prev_total = sent_total
    return out


def _sector_comma_counts(sent: Span) -> list[tuple[str, int]]:
    """'Elles se répartissent ainsi : habitation, 18; services à domicile, 9; foresterie, 8.': after a
    colon, every item of a list cut by semicolons is 'sector, number' (two items at least)."""
    text = re.sub(r"\s+", " ", sent.text)
    if ":" not in text or ";" not in text:
        return []
    out = []
    for part in text.split(":", 1)[1].rstrip(" .").split(";"):
        m = re.fullmatch(r"\s*(?:et |ou )?([a-zà-ÿœ][a-zà-ÿœ'’ -]{2,40}?)\s*,\s*(\d{1,4})\s*", part)
        if not m:
            return []
        words = m.group(1).strip()
        out.append((SECTOR_ADJECTIVES.get(words, words), int(m.group(2))))
    return out if len(out) >= 2 else []


def _new_context(doc: Doc, c: Span, sent: Span) -> bool:
    after = doc[c.end:min(sent.end, c.end + 6)].text.lower()
    return bool(re.search(r"\b(ont été|ont vu le jour|sont nées|se sont ajoutées)\b.*\b(créées|fondées|constituées|démarrées|incorporées)?", after)) \
        and bool(re.search(r"créées|fondées|constituées|vu le jour|nées|démarrées|incorporées", doc[c.end:sent.end].text.lower()))


def _complement_sector(doc: Doc, i: int) -> Optional[str]:
    """'12 coopératives d'habitation' -> 'habitation'; 'coopératives de services de proximité' ->
    'services de proximité'; '22 coopératives forestières' -> 'foresterie' (data/sectors.tsv)."""
    while i < len(doc) and doc[i].lower_ in ("de", "d'", "d’"):
        i += 1
    if i >= len(doc) or not doc[i].lower_.startswith("coopérative"):
        return None
    j = i + 1
    if j < len(doc) and doc[j].lower_ in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[doc[j].lower_]
    if j < len(doc) and doc[j].lower_ in ("en", "de", "d'", "d’", "dans"):
        k = j + 1
        end = k
        while k < len(doc) and k < j + 6:
            t = doc[k]
            if t.pos_ in ("NOUN", "ADJ") and t.text.islower() and t.lower_ not in SECTOR_STOP:
                k += 1
                end = k
            elif t.lower_ in ("de", "à", "d'", "d’") and end == k and k + 1 < len(doc) and doc[k + 1].pos_ == "NOUN" \
                    and doc[k + 1].text.islower():
                k += 1          # 'services de proximité', 'aide à domicile'
            else:
                break
        if end > j + 1:
            return doc[j + 1:end].text
    return None


SECTOR_STOP = {"non", "financières", "financière", "nouvelles", "actives", "membres", "région"}
_NOT_SECTORS = SECTOR_STOP | {"régions", "province", "territoire", "total", "ensemble", "tout", "pays", "mrc", "ville",
                              "municipalité", "année", "an", "ans", "mois", "réseau", "coopérative", "coopératives",
                              "économie", "coopératif", "coopératifs", "collectif", "privé", "public"}


def _sector_words(doc: Doc, start: int, end: int) -> Optional[str]:
    """Lower-case nouns and adjectives doc[start:end] as a sector ('habitation', 'services de proximité');
    one adjective of data/sectors.tsv gives its sector noun."""
    toks = [t for t in doc[start:end] if not t.is_space]
    if not toks or len(toks) > 4 or not all(t.text.islower() and t.is_alpha or t.lower_ in ("de", "d'", "d’", "à")
                                             for t in toks) or toks[0].lower_ in ("de", "d'", "d’", "à"):
        return None
    if any(t.lower_ in _NOT_SECTORS for t in toks) or not any(t.pos_ in ("NOUN", "ADJ") for t in toks):
        return None
    if len(toks) == 1 and toks[0].lower_ in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[toks[0].lower_]
    return doc[toks[0].i:toks[-1].i + 1].text


def _sector_before_parenthesis(doc: Doc, c: Span) -> Optional[str]:
    """'suivi de l'habitation (34 coopératives) et de la consommation (14 coopératives)': the sector
    named just before the parenthesis that holds the count."""
    if c.start < 2 or doc[c.start - 1].text != "(":
        return None
    k = c.start - 1
    while k > 0 and k > c.start - 5 and doc[k - 1].text.islower() and doc[k - 1].is_alpha \
            and doc[k - 1].pos_ not in ("DET", "ADP", "VERB", "AUX", "PRON", "CCONJ"):
        k -= 1
    return _sector_words(doc, k, c.start - 1)


def _sector_named_before(doc: Doc, sent: Span, c: Span, counts: list[Span]) -> Optional[str]:
    """'Le secteur funéraire demeure le plus important avec 9 coopératives': a sector named by
    'secteur'/'domaine' earlier in the sentence, when this is the first count after it."""
    heads = [t.i for t in doc[sent.start:c.start] if t.lower_ in ("secteur", "domaine")]
    if not heads or any(heads[-1] < x.start < c.start for x in counts):
        return None
    h = heads[-1] + 1
    if h < len(doc) and doc[h].lower_ in ("de", "du", "des", "d'", "d’"):
        h += 1
        if h < len(doc) and doc[h].lower_ in ("la", "l'", "l’"):
            h += 1
    end = h
    while end < c.start and end < h + 4 and doc[end].text.islower() and doc[end].is_alpha \
            and doc[end].pos_ in ("NOUN", "ADJ") and doc[end].lower_ not in _NOT_SECTORS:
        end += 1
    return _sector_words(doc, h, end) if end > h else None


# ---------------------------------------------------------------- funding
def _clauses(sent: Span) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence: cut at 'alors que', 'tandis que', ';', 'mais'..."""
    cuts = [sent.start] + [t.i for t in sent if t.lower_ in _CLAUSE_BREAKS and t.i > sent.start] + [sent.end]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


_FUNDER_PREPS = ("de", "du", "des", "d'", "d’", "par", "part", "auprès")
_RECIPIENT_PREPS = ("à", "au", "aux", "pour")
# participles not in -é that the tagger may read as nouns ('un prêt de 250 000 $ consenti par la Caisse')
_PARTICIPLES = {"consenti", "consentie", "consentis", "consenties", "obtenu", "obtenue", "obtenus", "reçu", "reçue",
                "reçus", "fourni", "fournie", "fournis", "promis", "promise", "investi", "investie", "investis",
                "soutenu", "soutenue", "remis", "remise", "offert", "offerte", "offerts", "octroyé", "octroyée"}
_LINK_WORDS = {"la", "le", "les", "l'", "l’", "part", "auprès", "été", "a", "ont", "sera", "seront",
               # '2 M$ provenant d'un emprunt auprès de la Caisse Desjardins de Joliette'
               "provenant", "issu", "issus", "un", "une", "emprunt", "prêt", "subvention", "contribution"}


def funding(doc: Doc, ev: EvidenceFn) -> list[Funding]:
    """Who gave how much to whom. For each amount, the funder is found by the first rule that applies:
    an organisation right before it ('la Fiducie 800 000 $', 'le CLD (15 000 $)'); after a verb of
    receiving, the organisation after 'de'/'par'; an organisation after the amount introduced by
    'de'/'du'/'par' ('un prêt de 1,2 M$ d'Investissement Québec'); the subject of a verb of giving
    ('Le MAMROT et la CRÉ y ont injecté 250 000 $ chacun'), through a relative 'qui' to its antecedent.
    Amounts that are totals ('pour un total de', or the sum of the amounts given next to them) become
    one record with is_total; costs and ceilings ('a coûté', 'jusqu'à') are not funding."""
    monies = _fig(doc, "MONEY")
    if not monies:
        return []
    orgs = [e for e in doc.ents if e.label_ == "ORG"]
    give = _cues(doc, "FUND_GIVE")
    receive = _cues(doc, "FUND_RECEIVE")
    kinds = _cues(doc, "FUND_KIND")
    totals = _cues(doc, "TOTAL")
    each = _cues(doc, "EACH")
    nots = _cues(doc, "FUND_NOT")
    durations = _fig(doc, "DURATION")
    dates = [d for d in _fig(doc, "DATE") if _value(d)]
    sents = list(doc.sents)
    out: list[tuple[int, Span, Funding]] = []      # (sentence index, money span, record)
    for si, sent in enumerate(sents):
        sm = [m for m in monies if sent.start <= m.start < sent.end and _value(m)]
        if not sm:
            continue
        clauses = _clauses(sent)
        sent_date = _first_value([d for d in dates if sent.start <= d.start < sent.end])
        for m in sm:
            amount, currency = _value(m)["amount"], _value(m)["currency"]
            if amount <= 0:
                continue
            cs, ce = next(((a, b) for a, b in clauses if a <= m.start < b), (sent.start, sent.end))
            in_clause = lambda spans: [s for s in spans if cs <= s.start < ce]
            if any(0 <= m.start - t.end <= 3 or 0 <= t.start - m.end <= 1 for t in in_clause(totals)):
                out.append((si, m, Funding(amount=amount, currency=currency, is_total=True, date=sent_date,
                                           evidence=ev(sent.start_char, sent.end_char))))
                continue
            if any(0 <= m.start - n.end <= 4 for n in nots):
                continue            # 'a coûté près de 180 000 $', 'jusqu'à 100 000 $'
            clause_orgs = [o for o in orgs if cs <= o.start < ce]
            kind = _nearest_kind(in_clause(kinds), m)
            g = [v for v in in_clause(give) if v.start < m.start]
            r = [v for v in in_clause(receive) if v.start < m.start]
            funders: list[Span] = []
            recipient = None
            before = _org_just_before(doc, clause_orgs, m.start)
            # 'une aide de 450 000 $ sur trois ans de Développement économique Canada': the funder
            # comes after the period
            past = max([d.end for d in durations if m.end <= d.start <= m.end + 1] + [m.end])
            while past < ce and past > m.end and doc[past].lower_ in ("an", "ans", "année", "années", "mois"):
                past += 1
            after = _org_after(doc, clause_orgs, past, _FUNDER_PREPS)
            if before is not None and not (g and g[-1].start > before.end):
                funders = [before]
            elif r and (not g or r[-1].start > g[-1].start):
                funders = [after] if after is not None else []
                subj = _verb_subjects(doc, orgs, r[-1]) or [o for o in clause_orgs if o.end <= r[-1].start][-1:]
                recipient = _clean_name(subj[0].text) if subj else None
            elif after is not None:
                funders = [after]
            elif g:
                funders = _verb_subjects(doc, orgs, g[-1]) or \
                    _subjects(doc, [o for o in clause_orgs if o.end <= g[-1].start], g[-1])
            if recipient is None:
                rec = _org_after(doc, clause_orgs, m.end, _RECIPIENT_PREPS)
                recipient = _clean_name(rec.text) if rec is not None else None
            if not funders and not (g or r or kind):
                continue
            period = next((_value(d) for d in durations if cs <= d.start < ce and _value(d)), None)
            if period is None:
                period = next((_value(d) for d in durations if sent.start <= d.start < sent.end and d.start > m.start
                               and _value(d)), None)
            has_each = any(m.end <= c.start <= m.end + 3 for c in each)
            if len(funders) > 1 and not has_each:
                funders = funders[:1]
            for f in funders or [None]:
                funder = _clean_name(f.text) if f is not None else None
                out.append((si, m, Funding(amount=amount, currency=currency, funder=funder, recipient=recipient,
                                           kind=kind, period_years=period, date=sent_date,
                                           evidence=ev(sent.start_char, sent.end_char))))
    return _mark_totals(doc, sents, monies, out, ev)


def _mark_totals(doc: Doc, sents: list, monies: list[Span], found: list, ev: EvidenceFn) -> list[Funding]:
    """An amount equal to the sum of two or more funded amounts written next to it, in a row (in its
    sentence and the two after, or the two before) is their total: 'un budget de 310 000 $, dont
    150 000 $ du ministère, 85 000 $ de la CRÉ et 75 000 $ d'Emploi-Québec'."""
    sent_of = {}
    for si, s in enumerate(sents):
        for m in monies:
            if s.start <= m.start < s.end:
                sent_of[m.start] = si
    parts = [(si, m, f) for si, m, f in found if f.funder and not f.is_total]
    totals: set[int] = set()
    for m in monies:
        v = _value(m)
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
    total_amounts = {_value(m)["amount"] for m in monies if m.start in totals}
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
            s = sents[sent_of[m.start]]
            out.append(Funding(amount=_value(m)["amount"], currency=_value(m)["currency"], is_total=True,
                               evidence=ev(s.start_char, s.end_char)))
    return out


def _org_just_before(doc: Doc, orgs: list[Span], i: int) -> Optional[Span]:
    """'la Fiducie du Chantier de l'économie sociale 800 000 $', 'du CLD des Basques (15 000 $)'; and
    the second of two givers whose verb is left out: 'Le ministère y contribue pour 120 000 $ et la
    CRÉ pour 60 000 $' (the organisation after 'et' or ',' and before 'pour')."""
    for o in orgs:
        gap = [t for t in doc[o.end:i] if not t.is_space]
        if o.end <= i and len(gap) <= 1 and all(t.text in ("(", ":") for t in gap):
            return o
        if o.end <= i and [t.lower_ for t in gap] == ["pour"]:
            k = o.start - 1
            while k >= 0 and (doc[k].is_space or doc[k].lower_ in ("la", "le", "les", "l'", "l’")):
                k -= 1
            if k >= 0 and doc[k].lower_ in ("et", ","):
                return o
    return None


def _verb_subjects(doc: Doc, orgs: list[Span], verb: Span) -> list[Span]:
    """The organisations the parser gives as the subject of the verb (and their conjuncts); a relative
    'qui' leads to its antecedent ('la SADC, qui a accordé un prêt')."""
    v = verb.root
    if v.dep_ in ("aux", "aux:tense", "aux:pass"):
        v = v.head
    subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubj:pass")]
    hops = 0
    while not subj and "Inf" in v.morph.get("VerbForm") and v.dep_ in ("xcomp", "advcl", "ccomp") and hops < 3:
        v = v.head          # 'a profité de l'occasion pour annoncer': the subject of the governing verb
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubj:pass")]
        hops += 1
    if not subj:
        return []
    s = subj[0]
    if s.lower_ == "qui":
        # the antecedent: the organisation just before 'qui' ('la SADC des Basques, qui a accordé')
        k = s.i - 1
        while k >= 0 and (doc[k].text == "," or doc[k].is_space):
            k -= 1
        org = _org_containing(orgs, k) if k >= 0 else None
        return [org] if org is not None else []
    org = _org_containing(orgs, s.i)
    if org is None:
        return []
    found = [org]
    for c in s.conjuncts:
        o = _org_containing(orgs, c.i)
        if o is not None and o not in found:
            found.append(o)
    return sorted(found, key=lambda o: o.start)


def _org_containing(orgs: list[Span], i: int) -> Optional[Span]:
    return next((o for o in orgs if o.start <= i < o.end), None)


def _first_value(spans):
    return next((_value(s) for s in spans if _value(s)), None)


def _nearest_kind(kinds, m) -> Optional[str]:
    best = None
    for k in kinds:
        d = abs(k.start - m.start)
        if d <= 8 and (best is None or d < best[0]):
            best = (d, k.id_.split(":")[1])
    return best[1] if best else None


def _subjects(doc: Doc, orgs: list[Span], verb: Span) -> list[Span]:
    """The organisations that are the subject of the verb: the last one before it, and those
    coordinated with it by 'et' or ','."""
    if not orgs:
        return []
    subj = [orgs[-1]]
    for o in reversed(orgs[:-1]):
        between = doc[o.end:subj[0].start]
        words = [t.lower_ for t in between if not t.is_space]
        if words and words[0] in ("et", ",") and all(w in ("et", ",", "le", "la", "les", "l'", "l’") for w in words):
            subj.insert(0, o)
        else:
            break
    gap = doc[subj[-1].end:verb.start]
    if len(gap) > 6 or any(t.text in (",", ";") for t in gap) and len(gap) > 3:
        return []
    return subj


def _org_after(doc: Doc, orgs: list[Span], i: int, preps: tuple) -> Optional[Span]:
    for o in orgs:
        if o.start < i:
            continue
        toks = [t for t in doc[i:o.start] if not t.is_space]
        between = [t.lower_ for t in toks]
        if len(between) > 7:
            return None
        # past participles between ('versé par', 'consenti par', 'obtenu de')
        if between and between[-1] in preps + ("la", "le", "les", "l'", "l’") and any(w in preps for w in between) \
                and all(t.lower_ in preps or t.lower_ in _LINK_WORDS or t.lower_.endswith(("é", "ée", "és", "ées"))
                        or t.lower_ in _PARTICIPLES or "Part" in t.morph.get("VerbForm") for t in toks):
            return o
        return None
    return None


# ---------------------------------------------------------------- people
def people(doc: Doc, ev: EvidenceFn) -> list[Person]:
    roles = _cues(doc, "ROLE")
    orgs = [e for e in doc.ents if e.label_ == "ORG"]
    dates = [d for d in _fig(doc, "DATE") if _value(d)]
    found: dict[str, dict] = {}
    order = []
    for e in doc.ents:
        if e.label_ != "PER":
            continue
        name = title_case(_clean_name(e.text))
        k = key(name)
        role, org = _role_near(doc, e, roles, orgs)
        since = None
        for d in dates:
            if e.sent.start <= d.start < e.sent.end and _SINCE.search(doc.text[max(0, d.start_char - 25):d.start_char]):
                since = _value(d)
        if k not in found:
            found[k] = {"name": name, "role": role, "org": org, "since": since, "ev": (e.sent.start_char, e.sent.end_char)}
            order.append(k)
        else:
            f = found[k]
            if role and not f["role"]:
                f["role"], f["org"] = role, org
            f["since"] = f["since"] or since
    return [Person(name=found[k]["name"], role=found[k]["role"], organization=found[k]["org"], since=found[k]["since"],
                   evidence=ev(*found[k]["ev"])) for k in order]


def _role_near(doc: Doc, e: Span, roles: list[Span], orgs: list[Span]) -> tuple[Optional[str], Optional[str]]:
    sent = e.sent
    # after the name: ', conseiller principal ... de la CRÉ' / 'assume le rôle de conseillère ... à la CRÉ'
    after = [r for r in roles if e.end <= r.start < min(sent.end, e.end + 8)]
    if after:
        r = after[0]
        return _role_phrase(doc, r, orgs, sent.end)
    # before the name: 'la directrice générale de la CDC, Marie Tremblay'
    before = [r for r in roles if max(sent.start, e.start - 12) <= r.start < e.start]
    if before:
        r = before[-1]
        role, org = _role_phrase(doc, r, orgs, e.start)
        return role, org
    # a byline: the role line next to it ('Conseiller principal en développement social, CRÉ de ...')
    if e.start > 0 and doc[e.start - 1].lower_ == "par":
        near = [r for r in roles if abs(r.start - e.start) <= 40 and doc[r.start].text[:1].isupper()]
        if near:
            r = min(near, key=lambda r: abs(r.start - e.start))
            return _role_phrase(doc, r, orgs, min(len(doc), r.start + 25))
    return None, None


def _role_phrase(doc: Doc, r: Span, orgs: list[Span], limit: int) -> tuple[Optional[str], Optional[str]]:
    end = r.end
    org = None
    i = r.end
    while i < limit:
        t = doc[i]
        o = next((o for o in orgs if o.start == i), None)
        if o is not None:
            org = _clean_name(o.text)
            break
        if t.text in (".", ";", ")", "(") or "\n" in t.text or t.pos_ in ("VERB", "AUX"):
            break
        if t.text == ",":
            nxt = next((o for o in orgs if o.start in (i + 1, i + 2)), None)
            if nxt is not None:
                org = _clean_name(nxt.text)
            break
        if t.lower_ not in _PREPS:
            end = i + 1
        i += 1
    role = doc[r.start:end].text
    role = role[:1].lower() + role[1:] if role[:1].isupper() and not role.isupper() else role
    return role, org


# ---------------------------------------------------------------- events
def events(doc: Doc, ev: EvidenceFn) -> list[Event]:
    nouns = _cues(doc, "EVENT")
    dates = [d for d in _fig(doc, "DATE") if _value(d)]
    counts = _fig(doc, "COUNT")
    out = []
    for sent in doc.sents:
        sn = [n for n in nouns if sent.start <= n.start < sent.end]
        sd = [d for d in dates if sent.start <= d.start < sent.end]
        if not sn or not sd:
            continue
        place = None
        for p in doc.spans.get("places", []):
            if sent.start <= p.start < sent.end and not any(o.start <= p.start < o.end and o.label_ == "ORG" for o in doc.ents):
                place = p.text
                break
        participants = None
        for c in counts:
            if sent.start <= c.start < sent.end and _value(c):
                nxt = [t.lower_ for t in doc[c.end:min(sent.end, c.end + 3)]]
                if any(w.strip("d’'") in _PARTICIPANT_WORDS or w in _PARTICIPANT_WORDS for w in nxt):
                    participants = int(_value(c))
                    break
        out.append(Event(date=_value(sd[0]), place=place, title=_event_title(doc, sn[0], sent.end),
                         participants=participants, evidence=ev(sent.start_char, sent.end_char)))
    return out


def _event_title(doc: Doc, n: Span, limit: int) -> str:
    start = n.start
    if start > 0 and doc[start - 1].pos_ == "ADJ":
        start -= 1
    end = n.end
    i = n.end
    while i < min(limit, n.end + 8):
        t = doc[i]
        # a pronoun ends the title too: 'Le Forum régional de l'économie sociale se tiendra'
        if t.is_punct or t.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ", "PRON") or "\n" in t.text \
                or t.lower_ in ("se", "s'", "s’", "qui", "y"):
            break
        if t.lower_ not in _PREPS:
            end = i + 1
        i += 1
    return doc[start:end].text


def build(doc: Doc, ev: EvidenceFn) -> Records:
    return Records(organizations=tuple(organizations(doc, ev)), coop_stats=tuple(coop_stats(doc, ev)),
                   funding=tuple(funding(doc, ev)), people=tuple(people(doc, ev)), events=tuple(events(doc, ev)))


def mentions(doc: Doc, page: int) -> list[Mention]:
    out = []
    sources = doc.user_data.get("ent_source", {})
    for e in doc.ents:
        out.append(Mention(e.label_, e.text, page, e.start_char, e.end_char, None,
                           sources.get((e.start_char, e.end_char), "fr_core_news_md")))
    ent_spans = {(e.start_char, e.end_char) for e in doc.ents}
    for p in doc.spans.get("places", []):
        if (p.start_char, p.end_char) not in ent_spans:
            out.append(Mention("LOC", p.text, page, p.start_char, p.end_char, None, "gazetteer:places"))
    for f in doc.user_data.get("figures", {}).values():
        if f.label in ("MONEY", "COUNT", "DATE", "PERCENT"):
            out.append(Mention(f.label, f.text, page, f.start, f.end, f.value, f.rule, f.approximate))
    out.sort(key=lambda m: (m.start, m.end))
    return out

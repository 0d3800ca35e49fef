"""The same text in two files: a file re-issued one byte apart, a digital PDF and its scan, a bulletin that
prints again most of another. Text similarity on word shingles, thresholds stated:

- the words of each document folded (accents, case, punctuation away), cut in shingles of
  :data:`SHINGLE` words;
- ``jaccard`` = shared shingles / all shingles of the two; ``containment`` = shared / the smaller's;
- twins (``same text``): ``jaccard >= TWIN_JACCARD`` (0.5: a scan's OCR misreads a word in ten at worst
  here, which leaves about 0.6); ``repeats text``: ``containment >= CONTAINED`` (0.6) without that,
  an article printed again in a longer issue.

Documents with the very same words are linked at once (a file re-issued one byte apart, however many
copies); for the others, shingles found in more than :data:`COMMON` documents (mastheads, boilerplate) are
left out of the comparison, and only documents sharing a shingle are compared (an inverted index, no
all-pairs).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..lang_fr.names import fold_words

SHINGLE = 3
TWIN_JACCARD = 0.5
CONTAINED = 0.6
COMMON = 50
MIN_SHINGLES = 5


@dataclass(frozen=True)
class DocLink:
    doc_id: str
    other_id: str          # the earlier document of the pair (smaller order key)
    kind: str              # 'same text' | 'repeats text'
    jaccard: float
    containment: float


def shingles(text: str, n: int = SHINGLE) -> frozenset:
    words = [w for w in re.split(r"[\s']+", fold_words(text)) if w]
    return frozenset(hash(" ".join(words[i:i + n])) for i in range(max(0, len(words) - n + 1)))


def near_duplicates(texts: dict[str, str], order: dict[str, object] | None = None) -> list[DocLink]:
    """Pairs of documents with the same or repeated text. ``order`` (doc id -> sort key: ingestion time)
    says which of a pair came first; document ids break ties."""
    order = order or {}
    out = []
    same: dict[int, list[str]] = defaultdict(list)          # the very same words: linked at once, however many
    for d in sorted(texts):
        same[hash(fold_words(texts[d]))].append(d)
    copies = set()
    for docs in same.values():
        if len(docs) > 1 and fold_words(texts[docs[0]]):
            first = min(docs, key=lambda d: (str(order.get(d, "")), d))
            out += [DocLink(d, first, "same text", 1.0, 1.0) for d in docs if d != first]
            copies |= {d for d in docs if d != first}
    texts = {d: t for d, t in texts.items() if d not in copies}
    sh = {d: shingles(t) for d, t in texts.items()}
    sh = {d: s for d, s in sh.items() if len(s) >= MIN_SHINGLES}
    index: dict[int, list[str]] = defaultdict(list)
    for d in sorted(sh):
        for x in sh[d]:
            index[x].append(d)
    shared: Counter = Counter()
    for docs in index.values():
        if 2 <= len(docs) <= COMMON:
            for i, a in enumerate(docs):
                for b in docs[i + 1:]:
                    shared[(a, b)] += 1
    for (a, b), n in sorted(shared.items()):
        union = len(sh[a] | sh[b])
        jac, cont = n / union, n / min(len(sh[a]), len(sh[b]))
        kind = "same text" if jac >= TWIN_JACCARD else "repeats text" if cont >= CONTAINED else None
        if kind:
            first, second = sorted((a, b), key=lambda d: (str(order.get(d, "")), d))
            out.append(DocLink(second, first, kind, round(jac, 3), round(cont, 3)))
    return out


def twin_groups(links: list[DocLink]) -> dict[str, str]:
    """doc id -> the first document of its group of twins ('same text' links, transitively)."""
    parent: dict[str, str] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x
    for l in sorted(links, key=lambda l: (l.other_id, l.doc_id)):
        if l.kind == "same text":
            ra, rb = find(l.other_id), find(l.doc_id)
            if ra != rb:
                parent[rb] = ra
    return {d: find(d) for d in parent}


__all__ = ["DocLink", "near_duplicates", "twin_groups", "shingles", "SHINGLE", "TWIN_JACCARD", "CONTAINED"]

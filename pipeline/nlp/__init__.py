"""The NLP stage: page text -> typed annotations (:mod:`pipeline.nlp.annotations`).

    annotate(document)             -> DocumentAnnotations   (every readable page, one spaCy pass)
    annotate_text(text, issue_date) -> PageAnnotations       (a string as one page; for tests and tools)

Per page: the spaCy pipeline (:mod:`.model`: ``fr_core_news_md``, sentence rules, the span rulers of
``rules/entities.jsonl`` and the gazetteers), the figures of ``rules/figures.jsonl`` (:mod:`.figures`),
then entity resolution (:mod:`.entities`). Only this stage imports spaCy, and only when it runs.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Optional, Sequence

from ..document import Document, Page
from .annotations import DocumentAnnotations, Figure, PageAnnotations, Token


def token_span(tokens: Sequence[Token], start: int, end: int) -> Optional[tuple[int, int]]:
    """The tokens at least partly covered by characters [start, end) (spaCy's ``char_span`` with
    ``alignment_mode="expand"``); None when a boundary falls outside every token."""
    starts = [t.idx for t in tokens]

    def at(c: int) -> int:
        k = bisect_right(starts, c) - 1
        if k < 0:
            return -1
        t = tokens[k]
        return k if c < t.idx + len(t.text) + (1 if t.ws else 0) else -1
    first, last = at(start), at(end - 1)
    if first < 0 or last < 0:
        return None
    if start == tokens[first].idx + len(tokens[first].text):
        first += 1          # the space after a token is not part of it
    return first, last + 1


def figures_on_tokens(text: str, tokens: Sequence[Token], issue_date: Optional[str]) -> tuple[Figure, ...]:
    """The figures of the page text placed on its tokens (a figure no token holds is left out)."""
    from .figures import find_figures, load_rules
    out = []
    for f in find_figures(text, issue_date, load_rules()):
        span = token_span(tokens, f.start, f.end)
        if span is not None:
            out.append(Figure(f.label, span[0], span[1], f.start, f.end, f.text, f.value, f.rule, f.approximate,
                              year_written=f.year_written))
    return tuple(out)


def annotate_pages(pages: Sequence[Page], issue_date: Optional[str]) -> list[PageAnnotations]:
    """Annotations of pages (their text parsed in one ``nlp.pipe``)."""
    from .coreference import link_bodies, link_people, one_label_per_name
    from .entities import resolve
    from .model import parse_texts
    out = []
    for page, parsed in zip(pages, parse_texts([p.text for p in pages])):
        figures = figures_on_tokens(page.text, parsed.tokens, issue_date)
        res = resolve(page.text, parsed.tokens, parsed.sentences, parsed.model_entities, parsed.cues, figures)
        out.append(PageAnnotations(page=page, tokens=parsed.tokens, sentences=parsed.sentences,
                                   entities=res.entities, places=res.places, figures=figures, cues=parsed.cues,
                                   acronyms=res.acronyms, issue_date=issue_date, named_people=res.named_people))
    return link_bodies(link_people(one_label_per_name(out)))


def annotate(document: Document) -> DocumentAnnotations:
    """Annotations of every page that has text and no error."""
    pages = [p for p in document.pages if not p.error and p.text.strip()]
    return DocumentAnnotations(document=document, pages=tuple(annotate_pages(pages, document.issue_date)))


def annotate_text(text: str, issue_date: Optional[str] = None) -> PageAnnotations:
    """A string, taken as it is (no clean-up), as page 1."""
    return annotate_pages([Page(number=1, text=text)], issue_date)[0]


__all__ = ["annotate", "annotate_text", "annotate_pages", "token_span", "PageAnnotations", "DocumentAnnotations"]

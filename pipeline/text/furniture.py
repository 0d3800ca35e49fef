"""The furniture of a page: what is printed on it but is not its text — page numbers, running headers
and footers, pull-quotes and callouts that repeat the body. One module for every kind of page: laid
out from word boxes (:mod:`.layout`) or read as plain lines (:mod:`.plain`)."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..document import Furniture
from ..lang_fr import is_caps, words
from .blocks import Block

PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—]", re.I)
MARGIN = 0.07                       # share of the page height at the top and the bottom
_HEADER_WORDS = tuple(w.upper() for w in words("running_header_words"))
_HEADER_ARTICLES = tuple(w.upper() for w in words("running_header_articles"))


def is_page_number(text: str) -> bool:
    """'12', 'page 12', '— 12 —'."""
    return bool(PAGE_NUMBER.fullmatch(text.strip()))


def looks_like_running_header(line: str) -> bool:
    """'RÉGION DE LA VALLÉE-DU-HAUT-SAINT-LAURENT', 'LES PÔLES — NUMÉRO 12': a section or issue label
    (it opens with a word of ``running_header_words`` or an article of ``running_header_articles``)."""
    s = line.strip()
    return s.startswith(_HEADER_WORDS) or any(s.startswith(a + " ") for a in _HEADER_ARTICLES)


def is_margin_line(text: str, top: float, bottom: float, height: float) -> bool:
    """A page number, or a short line (ten words at most) in the top or bottom margin: a running
    header or footer."""
    in_margin = bottom < MARGIN * height or top > (1 - MARGIN) * height
    text = text.strip()
    if is_page_number(text) and (in_margin or len(text) <= 4 and top < 0.1 * height):
        return True
    return in_margin and len(text.split()) <= 10


def margin_kind(text: str, top: float, bottom: float, height: float) -> Optional[str]:
    """'page-number', 'header' or 'footer' for a line that may be one by its place and length (a
    page number, or ten words at most in the top or bottom margin), else None. Whether it is set
    apart also depends on its size and its distance from the text (:func:`.layout.margin_furniture`)."""
    if is_margin_line(text, top, bottom, height):
        if is_page_number(text):
            return "page-number"
        return "header" if bottom < 0.5 * height else "footer"
    return None


def words_of(s: str) -> list[str]:
    """The words of a text, lower-case: what 'the same words in the same order' compares."""
    return re.findall(r"\w+", s.lower().replace("’", "'"))


def repeats(needle: Sequence[str], haystack: Sequence[str]) -> bool:
    """Whether the words ``needle`` appear, in order and together, in ``haystack``."""
    return " " + " ".join(needle) + " " in " " + " ".join(haystack) + " "


def _box(b: Block):
    return tuple(round(v, 1) for v in b.bbox) if b.bbox else None


def pull_quotes(blocks: list[Block]) -> tuple[list[Block], list[Furniture]]:
    """A block of four words or more whose words all appear, in order, in the rest of the page's
    text (its other blocks, in reading order: a paragraph may be cut in two blocks) is a pull-quote
    (or a repeated caption): the body keeps the words, the repeat is set apart. Not a title, the first
    block of the page (a headline, a bylaw's object line restated below it) or a block in the body's
    size and case (a short paragraph that a longer one quotes)."""
    out, furniture = [], []
    first = next((i for i, b in enumerate(blocks) if b.kind != "furniture"), None)
    for i, b in enumerate(blocks):
        w = words_of(b.text)
        other_size = b.size and b.body and not 0.9 * b.body <= b.size <= 1.1 * b.body
        if len(w) >= 4 and b.kind != "title" and i != first and (other_size or b.kind == "heading" or is_caps(b.text)):
            rest = [x for j, o in enumerate(blocks) if j != i for x in words_of(o.text)]
            if repeats(w, rest):
                furniture.append(Furniture("pull-quote", b.text, "repeats words of the page's text", _box(b)))
                continue
        out.append(b)
    return out, furniture


def closing_callout(blocks: list[Block]) -> tuple[list[Block], list[Furniture]]:
    """A pull-quote that paraphrases the article ('PLUS DE 45 000 MEMBRES DANS 87 COOPÉRATIVES') is
    the last block of its panel, in capitals, with no sentence punctuation and nothing after it to head."""
    if len(blocks) < 2:
        return blocks, []
    last = blocks[-1]
    n = len(last.text.split())
    if 3 <= n <= 25 and is_caps(last.text) and not re.search(r"[.!?]$", last.text.strip()) \
            and last.bbox[1] >= max(b.bbox[3] for b in blocks[:-1]) - 1:
        return blocks[:-1], [Furniture("pull-quote", last.text, "a callout in capitals closing its panel", _box(last))]
    return blocks, []


def issue_date_of(pages) -> Optional[str]:
    """The issue date on the first page: in its first lines, else in its running header or footer
    (furniture is kept for this too: 'AMZER • 6 • Octobre•Novembre 2020')."""
    from ..lang_fr import dates
    first = next((p for p in pages if p.text or p.furniture), None)
    if first is None:
        return None
    found = dates.issue_date_in(first.text) if first.text else None
    if found:
        return found
    for f in first.furniture:
        if f.kind in ("header", "footer"):
            found = dates.issue_date_in(f.text.replace("•", " "))
            if found:
                return found
    return None


__all__ = ["issue_date_of", "PAGE_NUMBER", "is_page_number", "looks_like_running_header", "is_margin_line", "margin_kind", "words_of",
           "repeats", "pull_quotes", "closing_callout"]

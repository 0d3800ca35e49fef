"""The furniture of a page: what is printed on it but is not its text — page numbers, running headers
and footers, pull-quotes and callouts that repeat the body. One module for every kind of page: laid
out from word boxes (:mod:`.layout`) or read as plain lines (:mod:`.plain`)."""
from __future__ import annotations

import re
from typing import Sequence

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


def words_of(s: str) -> list[str]:
    """The words of a text, lower-case: what 'the same words in the same order' compares."""
    return re.findall(r"\w+", s.lower().replace("’", "'"))


def repeats(needle: Sequence[str], haystack: Sequence[str]) -> bool:
    """Whether the words ``needle`` appear, in order and together, in ``haystack``."""
    return " " + " ".join(needle) + " " in " " + " ".join(haystack) + " "


def drop_pull_quotes(blocks: list[Block]) -> list[Block]:
    """A block of four words or more whose words all appear, in order, in a longer block is a
    pull-quote (or a repeated caption): keep the body, drop the repeat."""
    out = []
    for i, b in enumerate(blocks):
        w = words_of(b.text)
        if len(w) >= 4 and any(j != i and len(words_of(o.text)) > len(w) and repeats(w, words_of(o.text))
                               for j, o in enumerate(blocks)):
            continue
        out.append(b)
    return out


def drop_closing_callout(blocks: list[Block]) -> list[Block]:
    """A pull-quote that paraphrases the article ('PLUS DE 45 000 MEMBRES DANS 87 COOPÉRATIVES') is
    the last block of its panel, in capitals, with no sentence punctuation and nothing after it to head."""
    if len(blocks) < 2:
        return blocks
    last = blocks[-1]
    n = len(last.text.split())
    if 3 <= n <= 25 and is_caps(last.text) and not re.search(r"[.!?]$", last.text.strip()) \
            and last.bbox[1] >= max(b.bbox[3] for b in blocks[:-1]) - 1:
        return blocks[:-1]
    return blocks


__all__ = ["PAGE_NUMBER", "is_page_number", "looks_like_running_header", "is_margin_line", "words_of", "repeats",
           "drop_pull_quotes", "drop_closing_callout"]

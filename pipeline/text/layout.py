"""Reading order from word boxes: the same logic for a PDF's text layer and for OCR words.

words -> lines (same baseline, no wide gap) -> furniture removed (margins: page numbers, running
headers, footers) -> regions split at clean vertical gutters (a sidebar column) -> in each region,
columns found from the narrow lines, lines spanning the columns (titles) read where they stand ->
blocks (consecutive lines of one column, close together) -> pull-quotes that repeat body text dropped ->
paragraph text with de-hyphenation. Pure functions over small tuples; coordinates in PDF points, top-down.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Callable, Optional

from .blocks import Block
from .clean import join_lines, normalise
from .furniture import drop_closing_callout, drop_pull_quotes, is_margin_line


BYLINE = re.compile(r"par\s+[A-ZÀ-Þ][\w'’\-]*(?:\s+[A-ZÀ-Þ][\w'’\-]*){0,3}\s*$")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def x0(self): return min(w.x0 for w in self.words)
    @property
    def x1(self): return max(w.x1 for w in self.words)
    @property
    def top(self): return min(w.top for w in self.words)
    @property
    def bottom(self): return max(w.bottom for w in self.words)
    @property
    def size(self): return median(w.size or w.height for w in self.words)
    @property
    def text(self): return " ".join(w.text for w in self.words)


def find_gutters(words: list[Word], rows: list[list[Word]]) -> list[float]:
    """x positions of column gutters: vertical bands that (almost) no row covers, with text on both
    sides. Justified text has wide word spaces, but not at the same x on every row; a gutter does.
    The title's rows near the top (larger than the body) span the columns and are not counted; a few
    other rows may cross a gutter too (a byline, a standfirst, a compound too long for its column)."""
    if not words:
        return []
    lo, hi = int(min(w.x0 for w in words)), int(max(w.x1 for w in words)) + 1
    n = hi - lo + 1
    cover = [0] * n
    ends = []                      # (x1 of the first word, x0 of the last) of each counted row
    rows = [sorted(r, key=lambda w: w.x0) for r in sorted(rows, key=lambda r: min(w.top for w in r))]
    sizes = [median(w.size or w.height for w in row) for row in rows]
    body = median(sizes)
    large = [k for k, h in enumerate(sizes[:6]) if h > 1.15 * body]     # the title, under a running header
    head = large[-1] + 1 if large else 0
    for row in rows[head:]:
        for x in {x for w in row for x in range(max(0, int(w.x0) - lo), min(n, int(w.x1) - lo + 1))}:
            cover[x] += 1
        ends.append((row[0].x1 - lo, row[-1].x0 - lo))
    # a few rows may cross a gutter, but not a quarter of them: in a short panel, the word spaces of
    # justified lines can line up by chance over the 3 or 4 rows that leave a band free
    limit = min(max(2, int(0.06 * len(ends))), len(ends) // 4)
    cuts, start = [], None
    for x, c in enumerate(cover + [limit + 1]):
        if c <= limit and start is None:
            start = x
        elif c > limit and start is not None:
            # text on both sides: rows with a word left of the band, and rows with a word right of it
            both = sum(1 for a, _ in ends if a <= start) >= 2 and sum(1 for _, b in ends if b >= x) >= 2
            if x - start >= 4 and start > 0 and x < n and both:
                cuts.append(lo + (start + x) / 2)
            start = None
    return cuts


def group_lines(words: list[Word]) -> tuple[list[Line], list[float]]:
    """Words on one baseline form a line; a line is split where a column gutter runs through a gap
    (or at a gap wider than three letters' height: a gutter too narrow to see on a short page).
    Returns the lines and the gutters."""
    words = sorted(words, key=lambda w: (round(w.top + w.height / 2), w.x0))
    rows: list[list[Word]] = []
    bands: list[list[float]] = []          # top, bottom of each row (of its tallest word)
    for w in sorted(words, key=lambda w: w.top + w.height / 2):
        for k in range(len(rows) - 1, max(-1, len(rows) - 7), -1):
            top, bottom = bands[k]
            c = w.top + w.height / 2
            # same line when either box holds the other's vertical centre ('un' beside 'Une');
            # the band stays the first word's, so rows do not drift into the next line
            if top <= c <= bottom or w.top <= (top + bottom) / 2 <= w.bottom:
                rows[k].append(w)
                break
        else:
            rows.append([w])
            bands.append([w.top, w.bottom])
    gutters = find_gutters(words, rows)
    lines = [l for row in rows
             for l in split_row(sorted(row, key=lambda w: w.x0), median(w.size or w.height for w in row), gutters, 3)]
    return sorted(lines, key=lambda l: (l.top, l.x0)), gutters


def split_row(row: list[Word], h: float, gutters: list[float], max_gap: float) -> list[Line]:
    """A row of words (left to right) -> lines: split where a gutter runs through a gap wider than 0.6
    letter height; then, within each piece, at a gap wider than ``max_gap`` letter heights that stands
    out from the piece's other gaps (a gutter too narrow to see on a short page). A justified line of
    few words ('région   de   la   Val-') spreads its space evenly over its gaps: however wide, they
    are one line's."""
    pieces, cur = [], [row[0]]
    for w in row[1:]:
        if w.x0 - cur[-1].x1 > max(0.6 * h, 3.0) and any(cur[-1].x1 <= g <= w.x0 for g in gutters):
            pieces.append(cur)
            cur = [w]
        else:
            cur.append(w)
    pieces.append(cur)
    lines = []
    for piece in pieces:
        gaps = [b.x0 - a.x1 for a, b in zip(piece, piece[1:])]
        cur = [piece[0]]
        for k, w in enumerate(piece[1:]):
            others = sorted(gaps[:k] + gaps[k + 1:])
            even = len(others) >= 2 and gaps[k] <= 1.5 * others[len(others) // 2]
            if gaps[k] > max_gap * h and not even:
                lines.append(Line(tuple(cur)))
                cur = [w]
            else:
                cur.append(w)
        lines.append(Line(tuple(cur)))
    return lines


def is_furniture(line: Line, width: float, height: float) -> bool:
    """Page numbers, running headers and footers: short lines in the top or bottom margin."""
    return is_margin_line(line.text, line.top, line.bottom, height)


def _gaps(intervals: list[tuple[float, float]], lo: float, hi: float, min_gap: float) -> list[tuple[float, float]]:
    """Empty stretches of [lo, hi] not covered by any interval, at least ``min_gap`` wide."""
    gaps, cur = [], lo
    for a, b in sorted(intervals):
        if a - cur >= min_gap and cur > lo:
            gaps.append((cur, a))
        cur = max(cur, b)
    return gaps


def order_lines(lines: list[Line], gutters: list[float]) -> list[tuple[int, Line]]:
    """Lines in reading order, each with a column number (for block grouping)."""
    out: list[tuple[int, Line]] = []
    _order(lines, out, [0], gutters)
    return out


def _order(lines: list[Line], out: list, col: list[int], all_gutters: list[float]) -> None:
    if not lines:
        return
    lo, hi = min(l.x0 for l in lines), max(l.x1 for l in lines)
    size = median(l.size for l in lines)
    # 1. clean vertical cuts over every line: separate regions (a sidebar), read left to right
    gaps = _gaps([(l.x0, l.x1) for l in lines], lo, hi, max(1.0 * size, 7.0))
    if gaps:
        cuts = [(a + b) / 2 for a, b in gaps]
        parts: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
        for l in lines:
            parts[sum(1 for c in cuts if l.x0 > c)].append(l)
        for p in parts:
            _order(p, out, col, all_gutters)
        return
    # 2. the page's column gutters inside this region; lines crossing one span the columns (titles)
    gutters = [g for g in all_gutters if lo < g < hi]
    if not gutters:
        col[0] += 1
        for l in sorted(lines, key=lambda l: (l.top, l.x0)):
            out.append((col[0], l))
        return
    cuts = gutters
    # a line that only runs a little into the gutter (an unbreakable compound) stays in its column
    def spans(l: Line) -> bool:
        room = max(2 * l.size, 0.2 * (l.x1 - l.x0))
        return any(l.x0 + room < c < l.x1 - room for c in cuts)
    spanning = sorted([l for l in lines if spans(l)], key=lambda l: l.top)
    rest = [l for l in lines if l not in spanning]
    bounds = [l.top for l in spanning] + [float("inf")]
    prev = float("-inf")
    for k, bound in enumerate(bounds):
        section = [l for l in rest if prev <= l.top < bound]
        columns: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
        for l in section:
            columns[sum(1 for c in cuts if l.x0 > c)].append(l)
        for c in columns:
            if c:
                col[0] += 1
                for l in sorted(c, key=lambda l: l.top):
                    out.append((col[0], l))
        if k < len(spanning):
            if not section and k > 0 and out and out[-1][1] is spanning[k - 1]:
                pass                    # consecutive spanning lines (a title on two lines) share a column
            else:
                col[0] += 1
            out.append((col[0], spanning[k]))
            prev = spanning[k].top
        else:
            prev = bound


def blocks_from_words(words: list[Word], width: float, height: float,
                      is_word: Callable[[str], bool]) -> list[Block]:
    all_lines, gutters = group_lines(words)
    return laid_blocks(all_lines, gutters, width, height, is_word)


_ACCENTED_CAPITAL = re.compile(r"[ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]")


def lines_from_keys(words: list[Word], keys: list[tuple]) -> tuple[list[Line], list[float]]:
    """Lines from an OCR engine's own line ids (Tesseract's block/paragraph/line numbers): more robust
    than banding rows on a noisy, slightly skewed scan. A line is still split where a gutter runs."""
    by_key: dict[tuple, list[Word]] = {}
    for w, k in zip(words, keys):
        by_key.setdefault(k, []).append(w)
    rows = []
    for ws in by_key.values():
        # an OCR word's box hugs its letters ('em' is short, 'Rouyn' tall): give every word of a line
        # the line's font size, estimated from its tallest words, so lines compare like a PDF's
        # (a capital with an accent or cedilla reaches a quarter above or below the others: 'ÉTÉ' is
        # taller than 'ONT' in the same caps line, so its box counts for four fifths)
        hs = sorted(w.height * (0.8 if _ACCENTED_CAPITAL.search(w.text) else 1.0) for w in ws)
        size = 0.8 * hs[int(0.75 * (len(hs) - 1))]
        # and the line's band: pieces of one justified line split at a wide gap keep their order
        # ('ment' is shorter than 'régional' beside it, so its own top is lower)
        top, bottom = min(w.top for w in ws), max(w.bottom for w in ws)
        rows.append(sorted((Word(w.text, w.x0, top, w.x1, bottom, size) for w in ws), key=lambda w: w.x0))
    gutters = find_gutters([w for r in rows for w in r], rows)
    lines = [l for row in rows for l in split_row(row, median(w.height for w in row), gutters, 4)]
    return sorted(lines, key=lambda l: (l.top, l.x0)), gutters


def laid_blocks(all_lines: list[Line], gutters: list[float], width: float, height: float,
                      is_word: Callable[[str], bool], font_tolerance: float = 0.15) -> list[Block]:
    """Lines -> blocks. ``font_tolerance``: how far two lines' sizes may differ (share of the body
    size) and still be one paragraph; sizes estimated from OCR boxes need more room than a PDF's."""
    lines = [l for l in all_lines if not is_furniture(l, width, height)]
    if not lines:
        return []
    ordered = order_lines(lines, gutters)
    body_size = median(l.size for l in lines)
    groups: list[tuple[int, list[Line]]] = []
    for c, l in ordered:
        if groups:
            gc, gl = groups[-1]
            last = gl[-1]
            gap = l.top - last.bottom
            same_font = abs(l.size - last.size) < font_tolerance * body_size
            byline = BYLINE.match(l.text) or BYLINE.match(last.text)
            title_run = l.size > 1.3 * body_size and abs(l.x0 - last.x0) < max(2.0, 0.5 * l.size)  # a wrapped title
            if (gc == c or title_run) and -2 < gap < 0.9 * min(l.size, last.size) and same_font and not byline:
                gl.append(l)
                continue
        groups.append((c, [l]))
    blocks = []
    for c, gl in groups:
        text = join_lines([normalise(l.text) for l in gl], is_word)
        size = median(l.size for l in gl)
        loose = font_tolerance > 0.15       # OCR sizes: only clearly larger lines are titles
        kind = ("title" if size > (1.6 if loose else 1.4) * body_size else "heading" if size > (1.3 if loose else 1.1) * body_size
                else "byline" if BYLINE.match(text) and len(text.split()) <= 6 else "body")
        bbox = (min(l.x0 for l in gl), min(l.top for l in gl), max(l.x1 for l in gl), max(l.bottom for l in gl))
        blocks.append(Block(kind, text, bbox, c))
    return blocks           # pull-quotes are dropped once per page, by blocks_from_page


def shaded_regions(rects: list[tuple[float, float, float, float]], width: float, height: float) -> list[tuple]:
    """The boxes of shaded panels (sidebars, boxed articles): filled rectangles at least 15 % of the
    page wide and 10 % high, largest first, none inside another."""
    big = [r for r in rects if r[2] - r[0] >= 0.15 * width and r[3] - r[1] >= 0.10 * height
           and (r[2] - r[0]) * (r[3] - r[1]) < 0.9 * width * height]
    big.sort(key=lambda r: -(r[2] - r[0]) * (r[3] - r[1]))
    out: list[tuple] = []
    for r in big:
        if not any(o[0] <= r[0] and o[1] <= r[1] and r[2] <= o[2] and r[3] <= o[3] for o in out):
            out.append(r)
    return out


def split_by_regions(words: list[Word], regions: list[tuple]) -> list[list[Word]]:
    """[words outside every panel, words of panel 1, ...]: a panel is read after the main text, as a
    whole, so its lines never interleave with the columns beside it."""
    parts: list[list[Word]] = [[] for _ in range(len(regions) + 1)]
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        k = next((i for i, r in enumerate(regions) if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]), None)
        parts[0 if k is None else k + 1].append(w)
    return parts


def blocks_from_page(words: list[Word], width: float, height: float, is_word: Callable[[str], bool],
                     regions: list[tuple] = (), keys: Optional[list[tuple]] = None) -> list[Block]:
    """Blocks of a page: the main text, then each shaded panel (reading order of a bulletin page).
    ``keys`` (one per word) are an OCR engine's line ids; without them lines are found from the boxes."""
    blocks: list[Block] = []
    key_of = {id(w): k for w, k in zip(words, keys)} if keys is not None else None
    for part in split_by_regions(words, list(regions)):
        if not part:
            continue
        if key_of is not None:
            lines, gutters = lines_from_keys(part, [key_of[id(w)] for w in part])
            found = laid_blocks(lines, gutters, width, height, is_word, font_tolerance=0.3)
        else:
            found = blocks_from_words(part, width, height, is_word)
        blocks.extend(drop_closing_callout(found))
    return drop_pull_quotes(blocks)


def page_text(blocks: list[Block], is_word: Callable[[str], bool]) -> tuple[str, list[tuple[str, int, int, tuple]]]:
    """Join the blocks of a page -> (page text, [(kind, start, end, bbox)]). A block that ends
    mid-sentence and is continued by the next block (lower-case start, or a hyphen at the end) is
    joined with it and gets the union box; other blocks are paragraphs."""
    merged: list[list] = []
    for b in blocks:
        # (a block starting in lower case is a continuation even if OCR sizes made it look like a heading)
        if merged and merged[-1][0] == "body" and (b.kind == "body" or b.text[:1].islower()):
            prev = merged[-1][1]
            if prev.endswith("-") or (not re.search(r"[.!?:»”\")]$", prev) and b.text[:1].islower()):
                merged[-1][1] = join_lines([prev, b.text], is_word)
                merged[-1][2].append(b.bbox)
                continue
        merged.append([b.kind, b.text, [b.bbox]])
    text, spans, pos = [], [], 0
    for kind, t, boxes in merged:
        if text:
            pos += 2
        bbox = (min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes))
        text.append(t)
        spans.append((kind, pos, pos + len(t), bbox))
        pos += len(t)
    return "\n\n".join(text), spans

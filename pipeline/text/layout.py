"""Reading order from word boxes: the same logic for a PDF's text layer and for OCR words.

words -> drop caps joined to their word -> lines (same baseline) split at column gutters -> furniture
set apart (margins: page numbers, running headers, footers; pull-quotes; captions), never dropped ->
reading order by a recursive cut of the page: vertical cuts at gutters no line crosses, horizontal cuts
where no gutter runs, lines spanning the columns (titles) read where they stand -> blocks (consecutive
lines of one column, close together) -> paragraph text with de-hyphenation.

A gutter is found as a channel of white space (a maximal empty rectangle between word boxes, row by
row): at least ``0.45`` of the body size wide (8 pt between 9 pt columns), with text on both sides,
and one of its edges aligned (a column starts or ends there) — word spaces that line up by chance
in justified text never share an edge. Each gutter runs only over the rows it separates, so a title,
a standfirst or a box above or below the columns does not hide it. Pure functions over small tuples;
coordinates in PDF points, top-down.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from statistics import median
from typing import Callable, Optional

from .blocks import Block
from .clean import join_lines, normalise
from ..document import Furniture
from ..lang_fr import words
from .furniture import closing_callout, margin_kind, pull_quotes


# how far (share of the body size) an OCR word may stand from a column's edge and still be on it: a
# scan's boxes stray a point or two from the edge a PDF's words share exactly
OCR_EDGE = 0.3
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

    # (computed once: the ordering asks for them thousands of times a page)
    @cached_property
    def x0(self): return min(w.x0 for w in self.words)
    @cached_property
    def x1(self): return max(w.x1 for w in self.words)
    @cached_property
    def top(self): return min(w.top for w in self.words)
    @cached_property
    def bottom(self): return max(w.bottom for w in self.words)
    @cached_property
    def size(self): return median(w.size or w.height for w in self.words)
    @cached_property
    def text(self): return " ".join(w.text for w in self.words)


class Gutter(float):
    """A column gutter: its x (a float, so gutters compare and sort as positions), the white band's
    edges ``x0``/``x1`` and the rows it runs through (``top``/``bottom``)."""
    top: float
    bottom: float
    x0: float
    x1: float

    def __new__(cls, x: float, top: float = float("-inf"), bottom: float = float("inf"),
                x0: Optional[float] = None, x1: Optional[float] = None):
        g = super().__new__(cls, x)
        g.top, g.bottom = top, bottom
        g.x0, g.x1 = (x if x0 is None else x0), (x if x1 is None else x1)
        return g

    def runs_at(self, y: float) -> bool:
        return self.top - 0.5 <= y <= self.bottom + 0.5


def find_gutters(words: list[Word], rows: list[list[Word]], ocr: bool = False) -> list[Gutter]:
    """Column gutters: channels of white space swept row by row (top to bottom), each row's gaps
    wider than ``0.45`` body size narrowing the channels that run through them. A channel is a gutter
    when it has text on its left and on its right (three rows each at least), the text beside it is a
    column (over 2.5 body sizes wide, not a bullet or a list number), and the column on one side
    starts or ends on it (the words beside it touch its edge on 60 % of the rows): word spaces that
    line up over a few rows of justified text never do (six rows at least; four when both columns
    have their edge on it and it is 0.8 body size wide). A narrow channel that a line of the body runs
    through just above and just below is a river of word spaces (:func:`_river`). ``ocr``: the rows are
    an OCR engine's lines, whose boxes stray a point or two from a column's edge (:data:`OCR_EDGE`).
    Each gutter keeps the rows it runs through."""
    if not words or not rows:
        return []
    rows = [sorted(r, key=lambda w: w.x0) for r in sorted(rows, key=lambda r: min(w.top for w in r))]
    body = median(w.size or w.height for w in words)
    lo, hi = min(w.x0 for w in words), max(w.x1 for w in words)
    min_w, min_side, tol = max(3.5, 0.45 * body), 2.5 * body, max(1.0, (OCR_EDGE if ocr else 0.12) * body)
    near = max(3.0, 0.5 * body)
    # channel state: key (a, b) -> (first row, entries: ((row, left x1, right x0, left width, right width,
    # word left of it, word right of it), ...)), a side None where no word stands on it in that row
    live: dict[tuple, tuple] = {}
    done: list[tuple] = []
    for k, row in enumerate(rows):
        gaps = []                       # (a, b, word left of it or None, word right of it or None)
        if row[0].x0 - lo >= min_w:
            gaps.append((lo, row[0].x0, None, row[0]))
        for a, b in zip(row, row[1:]):
            if b.x0 - a.x1 >= min_w:
                gaps.append((a.x1, b.x0, a, b))
        if hi - row[-1].x1 >= min_w:
            gaps.append((row[-1].x1, hi, row[-1], None))
        x_first, x_last = row[0].x0, row[-1].x1
        nxt: dict[tuple, tuple] = {}

        def add(key, state, gap):
            lw, rw = gap[2], gap[3]
            entry = (k, lw.x1 if lw else None, rw.x0 if rw else None,
                     key[0] - x_first if lw else None, x_last - key[1] if rw else None, lw, rw)
            old = nxt.get(key)
            if old is None or state[0] < old[0]:
                nxt[key] = (state[0], state[1] + (entry,))
        for key, st in live.items():
            for gap in gaps:
                a, b = max(key[0], gap[0]), min(key[1], gap[1])
                if b - a >= min_w:
                    add((a, b), st, gap)
            if key not in nxt:
                done.append((key, st))
        for gap in gaps:
            if (gap[0], gap[1]) not in nxt:
                add((gap[0], gap[1]), (k, ()), gap)
        live = nxt
    done += list(live.items())
    found = []

    where: dict[int, dict[int, int]] = {}

    def start_of(k: int, word: Word, gap: float) -> float:
        """Where the run of words that ends with ``word`` in row k starts (no gap as wide as ``gap``)."""
        row = rows[k]
        if k not in where:
            where[k] = {id(w): i for i, w in enumerate(row)}
        i = where[k].get(id(word))
        if i is None:
            return word.x0
        while i > 0 and row[i].x0 - row[i - 1].x1 < gap:
            i -= 1
        return row[i].x0

    def left_edge(a, b, entries):
        """The left column's own left edge beside a channel: where its lines next to the channel start
        (a run of words with no gap as wide as the channel)."""
        xs = sorted(start_of(e[0], e[5], b - a) for e in entries if e[5] is not None and a - e[1] <= near)
        return xs[len(xs) // 2] if len(xs) >= 3 else None

    def on_sides(e, a, b, reach, edge):
        """The words beside the channel in row ``e``: within ``reach`` of it, or (a short line, a
        section heading) on the left column's own left edge (``edge``: a function giving it, or None)."""
        out = []
        for w, x, d in ((e[5], e[1], a - (e[1] or 0)), (e[6], e[2], (e[2] or 0) - b)):
            if x is None:
                continue
            if d <= reach:
                out.append(w)
            elif w is e[5] and edge is not None and (w.size or w.height) <= 1.5 * body \
                    and (x0 := edge()) is not None and abs(start_of(e[0], w, b - a) - x0) <= tol + 1.0:
                out.append(w)           # (a title's short line is no column's)
        return out

    def lazy(f, *args):
        """``f(*args)``, computed the first time it is asked for (most channels never ask)."""
        box = []

        def get():
            if not box:
                box.append(f(*args))
            return box[0]
        return get

    def runs(a, b, entries):
        """The channel's rows cut where the text beside it stops for more than three lines
        (a table's column gap and, far below, a box heading ending there are two channels)."""
        if len(entries) < 3:
            return [entries]            # (too short for a gutter either way)
        out, cur, y = [], [], None
        edge = lazy(left_edge, a, b, entries)
        in_column = False           # once a line of the body's size has ended on the channel's edge
        for e in entries:
            # (the short last line of a paragraph stands further from the channel, but goes on the text;
            # so does a section heading set on the column's left edge, inside a column)
            ws = on_sides(e, a, b, 6 * body, edge if in_column else None)
            if e[5] is not None and a - e[1] <= near and (e[5].size or e[5].height) <= 1.5 * body:
                in_column = True
            if ws and y is not None and min(w.top for w in ws) - y > 4 * body:
                out.append(cur)
                cur = []
            cur.append(e)
            if ws:
                y = max(w.bottom for w in ws)
        return out + [cur]
    for (a, b), entries in ((key, run) for key, (_, ents) in done for run in runs(*key, ents)):
        # its rows: from the first to the last where a word beside it is on its edge, and on through
        # rows with text on one side only; rows with words on both sides and neither on its edges are
        # the channel of a wider gap (between columns around a photo) narrowed further down
        on = [i for i, e in enumerate(entries)
              if (e[1] is not None and a - e[1] <= near) or (e[2] is not None and e[2] - b <= near)]
        if len(on) < 3:
            continue
        i0, i1 = on[0], on[-1]

        def beside(e, reach=2 * body):
            return [w for w, x, d in ((e[5], e[1], a - (e[1] or 0)), (e[6], e[2], (e[2] or 0) - b))
                    if x is not None and d <= reach]

        col_edge = lazy(left_edge, a, b, entries)

        def extend(i, step):
            # on through rows with text on one side only (a shorter column beside a longer one), as
            # long as the text beside it goes on (no gap of more than three lines; a section heading on
            # the column's left edge is text that goes on)
            edge = beside(entries[i]) or rows[entries[i][0]]
            y = max(w.bottom for w in edge) if step > 0 else min(w.top for w in edge)
            while 0 <= i + step < len(entries) and (entries[i + step][1] is None or entries[i + step][2] is None):
                # (downwards only: above the columns, a title's short last line is no column's)
                ws = on_sides(entries[i + step], a, b, 6 * body, col_edge if step > 0 else None)
                if ws:
                    gap = min(w.top for w in ws) - y if step > 0 else y - max(w.bottom for w in ws)
                    if gap > 4 * body:
                        break
                    y = max(w.bottom for w in ws) if step > 0 else min(w.top for w in ws)
                i += step
            return i
        i0, i1 = extend(i0, -1), extend(i1, 1)
        while i0 < i1 and not beside(entries[i0]):      # its ends are rows with text beside it
            i0 += 1
        # (the short last line of the left column, on its left edge, is text beside it too)
        while i1 > i0 and not on_sides(entries[i1], a, b, 2 * body, col_edge):
            i1 -= 1
        r0, r1 = entries[i0][0], entries[i1][0]
        g_top = min(w.top for w in beside(entries[i0]) or rows[r0])
        g_bottom = max(w.bottom for w in on_sides(entries[i1], a, b, 2 * body, col_edge) or rows[r1])
        es = [e for e in entries if r0 <= e[0] <= r1]
        # a side counts on the rows where text stands beside the channel (a ragged column's short lines
        # too, not text across open space)
        lefts = [e for e in es if e[1] is not None and a - e[1] <= 6 * body]
        rights = [e for e in es if e[2] is not None and e[2] - b <= 6 * body]
        if len(lefts) < 3 or len(rights) < 3:
            continue
        if sorted(e[3] for e in lefts)[len(lefts) // 2] < min_side or sorted(e[4] for e in rights)[len(rights) // 2] < min_side:
            continue
        al_l, al_r = sum(1 for e in lefts if a - e[1] <= tol), sum(1 for e in rights if e[2] - b <= tol)
        # over six rows or more, one column edge on the channel; over four or five, both (a justified
        # column beside a left-aligned one) and a gutter's width (word spaces are narrower)
        one = al_r >= max(3, 0.6 * len(rights)) or al_l >= max(3, 0.6 * len(lefts))
        both = al_r >= max(4, 0.8 * len(rights)) and al_l >= max(4, 0.8 * len(lefts)) and b - a >= 0.8 * body
        # (an OCR page's rows are its engine's lines, and the lines of the columns further off come
        # between them: its rows are counted where text stands beside the channel)
        span = len({e[0] for e in lefts} | {e[0] for e in rights}) if ocr else r1 - r0 + 1
        if not (both or one and span >= 6):
            continue
        # (a river: text runs through the channel just above and below it; or on one side, and the
        # channel is short: word spaces that line up at the top or foot of a paragraph)
        crossed = _river(rows, a, b, g_top, g_bottom, body) if b - a < 1.5 * body else 0
        if crossed == 2 or crossed == 1 and span < 8:
            continue
        found.append((r1 - r0, b - a, a, b, g_top, g_bottom))
    found.sort(key=lambda f: (-f[0], -f[1]))
    kept: list[Gutter] = []
    for _, _, a, b, top, bottom in found:
        if any(a < g.x1 and g.x0 < b and top < g.bottom and g.top < bottom for g in kept):
            continue
        kept.append(Gutter((a + b) / 2, top, bottom, a, b))
    return sorted(kept)


def _river(rows: list[list[Word]], a: float, b: float, top: float, bottom: float, body: float) -> int:
    """A narrow channel (word spaces lined up down a justified paragraph, a 'river') rather than a
    gutter: a line of the body's size runs through it (a word on it, text on both sides) at the line
    spacing just above its first row, or just below its last. Columns never have text running across
    them at their own line spacing; a title or a box above or below them stands apart or is set larger.
    Returns on how many of the two sides (above, below) a line runs through it."""
    def across(row: list[Word], above: bool) -> bool:
        if not (any(w.x0 < b and w.x1 > a for w in row) and min(w.x0 for w in row) < a - body
                and max(w.x1 for w in row) > b + body):
            return False
        size = median(w.size or w.height for w in row)
        if abs(size - body) > 0.2 * body:
            return False
        gap = top - max(w.bottom for w in row) if above else min(w.top for w in row) - bottom
        return -0.5 * body <= gap <= 0.8 * body
    return int(any(across(r, True) for r in rows)) + int(any(across(r, False) for r in rows))


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
    y = (min(w.top for w in row) + max(w.bottom for w in row)) / 2
    gutters = [g for g in gutters if not isinstance(g, Gutter) or g.runs_at(y)]
    for w in row[1:]:
        if w.x0 - cur[-1].x1 > min(max(0.6 * h, 3.0), 3.5) and any(cur[-1].x1 <= g <= w.x0 for g in gutters):
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


def _room(l: Line) -> float:
    """How far a line may run into a gutter and still be its column's: two letters, or a fifth of it."""
    return max(2 * l.size, 0.2 * (l.x1 - l.x0))


def _order(lines: list[Line], out: list, col: list[int], all_gutters: list[float]) -> None:
    """A recursive cut of the page: (1) vertical cuts at white bands no line crosses (a sidebar column,
    a gutter over the whole region), read left to right; (2) horizontal cuts between lines where no
    gutter runs (a title or a standfirst above columns, an article below them), read top to bottom;
    (3) otherwise columns between the gutters, with the lines that span them read where they stand."""
    if not lines:
        return
    lo, hi = min(l.x0 for l in lines), max(l.x1 for l in lines)
    top, bottom = min(l.top for l in lines), max(l.bottom for l in lines)
    size = median(l.size for l in lines)
    inner = [g for g in all_gutters if lo < g < hi and g.top < bottom and top < g.bottom] \
        if all(isinstance(g, Gutter) for g in all_gutters) else [g for g in all_gutters if lo < g < hi]
    # 1. clean vertical cuts over every line: separate regions (a sidebar), read left to right
    cuts = [(a + b) / 2 for a, b in _gaps([(l.x0, l.x1) for l in lines], lo, hi, max(1.0 * size, 7.0))]
    # (a line that only runs a little into a gutter, a compound too long for its column, does not cross it)
    for g in inner:
        if not any(l.x0 + _room(l) < g < l.x1 - _room(l) for l in lines) and not any(abs(g - c) < size for c in cuts):
            cuts.append(float(g))
    if cuts:
        cuts.sort()
        parts: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
        for l in lines:
            parts[sum(1 for c in cuts if l.x0 > c)].append(l)
        if sum(1 for p in parts if p) > 1:
            for p in parts:
                _order(p, out, col, all_gutters)
            return
    # 2. the page's column gutters inside this region; lines crossing one span the columns (titles)
    gutters = [float(g) for g in inner]
    if not gutters:
        col[0] += 1
        for l in sorted(lines, key=lambda l: (l.top, l.x0)):
            out.append((col[0], l))
        return
    # 2b. horizontal cuts where no gutter runs: sections of the page read one after the other
    if all(isinstance(g, Gutter) for g in inner):
        ls = sorted(lines, key=lambda l: (l.top, l.x0))
        strips, cur, low = [], [ls[0]], ls[0].bottom
        for l in ls[1:]:
            y = (low + l.top) / 2
            # (not between two lines of a paragraph: a short last line under a column's gutter stays)
            if l.top >= low + 0.5 * size and not any(g.top - 0.5 < y < g.bottom + 0.5 for g in inner):
                strips.append(cur)
                cur = []
            cur.append(l)
            low = max(low, l.bottom)
        strips.append(cur)
        if len(strips) > 1:
            for strip in strips:
                _order(strip, out, col, all_gutters)
            return
    cuts = gutters
    # a line that only runs a little into the gutter (an unbreakable compound) stays in its column
    def spans(l: Line) -> bool:
        return any(l.x0 + _room(l) < c < l.x1 - _room(l) for c in cuts)
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
                      is_word: Callable[[str], bool]) -> tuple[list[Block], list[Furniture]]:
    all_lines, gutters = group_lines(words)
    return laid_blocks(all_lines, gutters, width, height, is_word)


def _box(lines) -> tuple:
    return (min(l.x0 for l in lines), min(l.top for l in lines), max(l.x1 for l in lines), max(l.bottom for l in lines))


def margin_furniture(lines: list[Line], height: float) -> dict[int, Furniture]:
    """Page numbers, running headers and footers among ``lines`` (by index): a page number in a
    margin, or a short line in the top or bottom margin that is no larger than the body text and
    stands apart from it (more than a line's height from the nearest line below a header or above a
    footer). A title in the top margin, or the last line of a column running down into the bottom
    one, is text."""
    if not lines:
        return {}
    body = median(l.size for l in lines)
    out = {}
    for i, l in enumerate(lines):
        kind = margin_kind(l.text, l.top, l.bottom, height)
        if kind is None:
            continue
        box = tuple(round(v, 1) for v in _box([l]))
        if kind == "page-number":
            out[i] = Furniture("page-number", l.text, "a page number in the page's margin", box)
            continue
        if l.size > 1.15 * body:
            continue
        header = kind == "header"
        near = [m for j, m in enumerate(lines) if j != i and m.x0 < l.x1 + 2 * body and l.x0 < m.x1 + 2 * body
                and (m.top >= l.bottom - 1 if header else m.bottom <= l.top + 1)]
        gap = min(((m.top - l.bottom) if header else (l.top - m.bottom) for m in near), default=float("inf"))
        if gap < max(l.bottom - l.top, 0.9 * body):
            continue
        side = "top" if header else "bottom"
        out[i] = Furniture(kind, l.text, f"a short line in the {side} margin, {gap:.0f} pt apart from the text"
                           if gap != float("inf") else f"a short line in the {side} margin", box)
    return out


_DETERMINERS = frozenset(words("determiners"))
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
    gutters = find_gutters([w for r in rows for w in r], rows, ocr=True)
    lines = [l for row in rows for l in split_row(row, median(w.height for w in row), gutters, 4)]
    return sorted(lines, key=lambda l: (l.top, l.x0)), gutters


def laid_blocks(all_lines: list[Line], gutters: list[float], width: float, height: float,
                is_word: Callable[[str], bool], font_tolerance: float = 0.15) -> tuple[list[Block], list[Furniture]]:
    """Lines -> blocks. ``font_tolerance``: how far two lines' sizes may differ (share of the body
    size) and still be one paragraph; sizes estimated from OCR boxes need more room than a PDF's."""
    marg = margin_furniture(all_lines, height)
    furniture = list(marg.values())
    lines = [l for i, l in enumerate(all_lines) if i not in marg]
    if not lines:
        return [], furniture
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
            # (two pieces of one justified line split at a wide space, in one column, stay together)
            piece = gc == c and abs(l.top - last.top) < 1 and l.x0 > last.x1
            if piece or (gc == c or title_run) and -2 < gap < 0.9 * min(l.size, last.size) and same_font and not byline:
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
        blocks.append(Block(kind, text, bbox, c, size=size, body=body_size))
    return blocks, furniture    # pull-quotes are set apart once per page, by blocks_from_page


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
                     regions: list[tuple] = (), keys: Optional[list[tuple]] = None,
                     images: list[tuple] = ()) -> tuple[list[Block], list[Furniture]]:
    """Blocks of a page: the main text, then each shaded panel (reading order of a bulletin page),
    and the page's furniture (set apart, with its reason and box). ``keys`` (one per word) are an OCR
    engine's line ids; without them lines are found from the boxes. ``images``: photo boxes, whose
    captions are furniture."""
    blocks: list[Block] = []
    furniture: list[Furniture] = []
    key_of = {id(w): k for w, k in zip(words, keys)} if keys is not None else None
    specks: list[Furniture] = []
    words, origin = join_drop_caps(words, is_word, specks)
    furniture += specks
    if key_of is not None:
        key_of.update({i: key_of[id(o)] for i, o in origin.items() if id(o) in key_of})
    for part in split_by_regions(words, list(regions)):
        if not part:
            continue
        if key_of is not None:
            lines, gutters = lines_from_keys(part, [key_of.get(id(w), (0, 0, 0)) for w in part])
            found, furn = laid_blocks(lines, gutters, width, height, is_word, font_tolerance=0.3)
        else:
            found, furn = blocks_from_words(part, width, height, is_word)
        furniture += furn
        found, callout = closing_callout(found)
        furniture += callout
        blocks.extend(found)
    blocks, quotes = pull_quotes(blocks)
    furniture += quotes
    if images:
        blocks, caps = captions(blocks, images)
        furniture += caps
    return blocks, furniture


def place_tables(blocks: list[Block], tables: list[tuple[tuple, list[list[str]]]]) -> list[Block]:
    """Each table as a block of kind 'table' (a row a line, cells apart with ' | '), read after the
    block just above it in its column (or first when nothing stands above it)."""
    out = list(blocks)
    for box, rows in sorted(tables, key=lambda t: t[0][1]):
        text = "\n".join(" | ".join(c for c in row) for row in rows if any(row))
        above = [i for i, b in enumerate(out) if b.bbox and b.bbox[3] <= box[1] + 2 and b.bbox[0] < box[2] and box[0] < b.bbox[2]]
        at = max(above, key=lambda i: out[i].bbox[3]) + 1 if above else 0
        col = out[at - 1].column if at else 0
        out.insert(at, Block("table", text, box, col))
    return out


def captions(blocks: list[Block], images: list[tuple]) -> tuple[list[Block], list[Furniture]]:
    """A short block (three lines at most, no larger than the body) just under or over a photo
    (within a line's height or so), within its width: its caption."""
    keep, out = [], []
    for b in blocks:
        x0, top, x1, bottom = b.bbox
        size = b.size or 10.0
        cap = None
        if b.kind in ("body", "byline") and bottom - top <= 3.8 * size and (not b.body or size <= 1.02 * b.body):
            for im in images:
                if im[2] - im[0] < 40 or x0 < im[0] - 6 or x1 > im[2] + 6:
                    continue
                if -2 <= top - im[3] <= 1.2 * size + 4 or -2 <= im[1] - bottom <= 1.2 * size + 4:
                    cap = im
                    break
        if cap is None:
            keep.append(b)
        else:
            out.append(Furniture("caption", b.text, "a short block against a photo, within its width",
                                 tuple(round(v, 1) for v in b.bbox)))
    return keep, out


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def join_drop_caps(words: list[Word], is_word: Callable[[str], bool],
                   specks: Optional[list] = None) -> tuple[list[Word], dict]:
    """A drop cap (one capital, at least twice as tall as the text, its top level with the first line
    beside it) joined to the first word of that line: 'U' + 'n hangar' -> 'Un hangar', 'A' + 'vec' ->
    'Avec'; a drop cap that is a word by itself ('À' + 'la fin') keeps a space. Returns the words and,
    for each new word, the word it replaces."""
    origin: dict = {}
    if len(words) < 3:
        return words, origin
    hs = sorted(w.bottom - w.top for w in words)
    body = hs[len(hs) // 2]
    # (a font's box reaches above its capitals: the first line's top may be well under the box's)
    # (OCR reads a drop cap with specks of its serifs: 'KR:', 'D":' - its letter is the last capital)
    caps = [w for w in words if w.bottom - w.top > 2.0 * body and 1 <= len(_letters(w.text)) <= 2
            and _letters(w.text)[-1:].isupper() and len(w.text) <= 4]
    if not caps:
        return words, origin
    out = list(words)
    for cap in caps:
        beside = [w for w in out if w is not cap and cap.x0 + 0.3 * (cap.x1 - cap.x0) <= w.x0 <= cap.x1 + 2.5 * body
                  and cap.top - body <= w.top <= cap.top + 0.6 * (cap.bottom - cap.top) and w.bottom - w.top < 1.6 * body]
        if not beside:
            continue
        top = min(beside, key=lambda w: w.top)          # the first line beside it: its leftmost word
        first = min((w for w in beside if top.top <= (w.top + w.bottom) / 2 <= top.bottom), key=lambda w: w.x0)
        letter = _letters(cap.text)[-1]
        glued = letter + first.text
        core = re.sub(r"[^\w'’-]", "", glued)
        lone = letter.lower() in ("a", "à", "y", "ô", "o")
        article = re.split(r"['’]", first.text.lower())[0] in _DETERMINERS or first.text.lower()[:2] in ("l'", "l’")
        glue = first.text[:1].islower() and not (lone and article) and (is_word(core.lower()) or not lone)
        text = glued if glue else letter + " " + first.text
        if " " in text:
            new = [Word(letter, first.x0 - 0.1, first.top, first.x0 - 0.05, first.bottom, first.size), first]
        else:
            new = [Word(text, first.x0, first.top, first.x1, first.bottom, first.size)]
        for w in new:
            origin[w] = origin.pop(first, first)
        i = next(k for k, w in enumerate(out) if w is first)
        out[i:i + 1] = new
        out = [w for w in out if w is not cap]
        if cap.text != letter and specks is not None:
            specks.append(Furniture("noise", cap.text, f"a drop cap read with specks: its letter {letter!r} joined to its word",
                                    (round(cap.x0, 1), round(cap.top, 1), round(cap.x1, 1), round(cap.bottom, 1))))
    return out, {id(w): o for w, o in origin.items()}


def page_text(blocks: list[Block], is_word: Callable[[str], bool]) -> tuple[str, list[tuple[str, int, int, tuple]]]:
    """Join the blocks of a page -> (page text, [(kind, start, end, bbox)]). A block that ends
    mid-sentence and is continued by the next block (lower-case start, or a hyphen at the end) is
    joined with it and gets the union box; other blocks are paragraphs."""
    merged: list[list] = []
    for b in blocks:
        # (a block starting in lower case is a continuation even if OCR sizes made it look like a heading)
        if merged and merged[-1][0] == "body" and b.kind != "table" and (b.kind == "body" or b.text[:1].islower()):
            prev = merged[-1][1]
            if prev.endswith("-") or (not re.search(r"[.!?:»”\")]$", prev) and b.text[:1].islower()):
                merged[-1][1] = join_lines([prev, b.text], is_word)
                merged[-1][2].append(b.bbox)
                continue
        merged.append([b.kind, b.text, [b.bbox]])
    text, spans, pos = [], [], 0
    for kind, t, boxes in merged:
        if kind != "table":
            t = t.replace("\n", " ")
        if text:
            pos += 2
        bbox = (min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes))
        text.append(t)
        spans.append((kind, pos, pos + len(t), bbox))
        pos += len(t)
    return "\n\n".join(text), spans

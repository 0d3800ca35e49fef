"""Tables of a page as typed values (:class:`pipeline.document.Table`).

Found three ways, each giving cells (a place in the grid, the words inside, a box):

- **ruled** (a PDF page with rules): pdfplumber's table finder over the page's lines and rectangles;
  its cells are put on a grid of the table's own edges, a word in the smallest cell that holds its
  centre; then the grid is cleaned as real documents need (columns and rows no text starts in are
  dropped, two columns never filled in the same row are one column drawn twice, rows of one cell
  split by a rule that stops short, their lines set as one paragraph, are one row);
- **scan-ruled** (a scanned page): the thin long dark lines of the page image (runs of dark pixels,
  at most a few pixels thick) are the rules; the same cell finding (pdfplumber's functions over
  those edges) and the same grid; the rules of a drawn grid are whited out before OCR;
- **aligned** (no rules, or rules across only, on a PDF page or a scan): rows of words split at wide
  gaps into pieces, consecutive rows whose pieces keep to the same columns (a piece never spans two
  columns that the rows around it keep apart), cut where a line of prose runs across; a table only
  if its content says so (a header the French words know, a column of amounts or numbers, or three
  columns of short cells), never a page of text columns (a column of prose at its edge is cut off,
  lines broken with hyphens, dot leaders of a table of contents). The lines of one row are told from
  the rows by the space between them (cell padding), else a line with its first cell empty goes on
  the row above.

Then: cell text (the lines of a multi-line cell joined, de-hyphenated), the header rows and what each
column holds (:mod:`pipeline.lang_fr.tables`), totals rows; the table's text is its page block (a row
a line, cells apart with ' | ') and each cell knows its offsets in the page text. Across pages
(:func:`join_pages`), a table at the foot of a page and one at the head of the next with the same
columns (the header repeated, no header, or a '(suite)' heading) is marked as its continuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Callable, Optional

from ..document import Cell, Page, Table
from ..lang_fr.tables import column_role, is_amount, is_number, is_total_label, says_continued
from .clean import join_lines, normalise
from .layout import Word

BBox = tuple[float, float, float, float]


@dataclass
class Slot:
    """A cell as found: its place in the grid, the rows and columns it spans, its box and words."""
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    words: list = field(default_factory=list)


@dataclass
class Found:
    """A table found on a page, before its text is placed: its cells and the words it takes."""
    bbox: BBox
    slots: list[Slot]
    n_rows: int
    n_cols: int
    method: str
    words: list = field(default_factory=list)
    error: Optional[str] = None


def _union(boxes) -> BBox:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _box(w) -> BBox:
    return (w.x0, w.top, w.x1, w.bottom)


def _centre(w) -> tuple[float, float]:
    return (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2


# ---------------------------------------------------------------------------- grids from cell boxes
def _edges(values: list[float], tol: float) -> list[float]:
    vs = sorted(values)
    groups = [[vs[0]]]
    for v in vs[1:]:
        if v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _nearest(v: float, edges: list[float]) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def grid_from_boxes(boxes: list[BBox], words: list[Word], method: str, tol: float = 2.0,
                    merge_rows: bool = True, min_rows: int = 2) -> Optional[Found]:
    """The grid of a table drawn with rules, from its cell boxes (pdfplumber's cells, or cells of the
    rules found on a scan): each word in the smallest cell holding its centre, then cleaned
    (:func:`clean_grid`). None when less than two rows or two columns hold text."""
    if not boxes:
        return None
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    slots: list[Slot] = []
    for b in sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])):
        c0, c1, r0, r1 = _nearest(b[0], xs), _nearest(b[2], xs), _nearest(b[1], ys), _nearest(b[3], ys)
        if c1 > c0 and r1 > r0:
            slots.append(Slot(r0, c0, r1 - r0, c1 - c0, b))
    bbox = _union(boxes)
    taken = []
    for w in words:
        cx, cy = _centre(w)
        if not (bbox[0] - 1 <= cx <= bbox[2] + 1 and bbox[1] - 1 <= cy <= bbox[3] + 1):
            continue
        hits = [s for s in slots if s.bbox[0] - 1 <= cx <= s.bbox[2] + 1 and s.bbox[1] - 1 <= cy <= s.bbox[3] + 1]
        if not hits:
            hits = [min(slots, key=lambda s: _dist((cx, cy), s.bbox))]
        hits[0].words.append(w)        # (slots are smallest first)
        taken.append(w)
    # cells drawn twice or nested in a bigger one: the bigger keeps only what no smaller one holds
    kept: list[Slot] = []
    occupied: dict[tuple[int, int], Slot] = {}
    for s in slots:
        places = [(r, c) for r in range(s.row, s.row + s.rowspan) for c in range(s.col, s.col + s.colspan)]
        clash = [occupied[p] for p in places if p in occupied]
        if clash:
            for w in s.words:          # its words go to the cell of its own they stand nearest
                min(clash, key=lambda k: _dist(_centre(w), k.bbox)).words.append(w)
            continue
        kept.append(s)
        for p in places:
            occupied[p] = s
    found = Found(bbox, kept, len(ys) - 1, len(xs) - 1, method, taken)
    return clean_grid(found, merge_rows, min_rows)


def _dist(p, b) -> float:
    dx = max(b[0] - p[0], 0, p[0] - b[2])
    dy = max(b[1] - p[1], 0, p[1] - b[3])
    return dx * dx + dy * dy


def _reindex(found: Found, keep_rows: list[bool], keep_cols: list[bool]) -> None:
    rmap, cmap = [], []
    k = 0
    for keep in keep_rows:
        rmap.append(k)
        k += keep
    rmap.append(k)
    n_rows = k
    k = 0
    for keep in keep_cols:
        cmap.append(k)
        k += keep
    cmap.append(k)
    n_cols = k
    out = []
    for s in found.slots:
        r0, r1 = rmap[s.row], rmap[s.row + s.rowspan]
        c0, c1 = cmap[s.col], cmap[s.col + s.colspan]
        if r1 > r0 and c1 > c0:
            out.append(Slot(r0, c0, r1 - r0, c1 - c0, s.bbox, s.words))
        elif s.words:                  # (never: a slot with words starts in a kept row and column)
            out.append(Slot(min(r0, n_rows - 1), min(c0, n_cols - 1), 1, 1, s.bbox, s.words))
    found.slots, found.n_rows, found.n_cols = out, n_rows, n_cols


def clean_grid(found: Found, merge_rows: bool = True, min_rows: int = 2) -> Optional[Found]:
    """Rows and columns no text starts in are dropped (a spacer column, the empty rows under a shaded
    frame); two neighbouring columns never filled in the same row are one column drawn twice (a
    header and its figures set in cells of slightly different widths); two rows one cell of which
    spans both, whose text runs on without the space of a new row, are one row (a cell whose lines
    each have their own shading). None when less than two rows or two columns hold text."""
    filled = [s for s in found.slots if s.words]
    if not filled:
        return None
    keep_r = [any(s.row == r for s in filled) for r in range(found.n_rows)]
    keep_c = [any(s.col == c for s in filled) for c in range(found.n_cols)]
    _reindex(found, keep_r, keep_c)
    found.slots = [s for s in found.slots if s.words or s.rowspan > 1 or s.colspan > 1]
    # columns drawn twice
    c = 0
    while c < found.n_cols - 1:
        rows_a = {s.row for s in found.slots if s.words and s.col <= c < s.col + s.colspan}
        rows_b = {s.row for s in found.slots if s.words and s.col <= c + 1 < s.col + s.colspan}
        spanning = any(s.col <= c and s.col + s.colspan > c + 1 for s in found.slots if s.words)
        if rows_a and rows_b and not rows_a & rows_b and not spanning:
            _fuse(found, c, "col")
            continue
        c += 1
    if merge_rows:
        r = 0
        while r < found.n_rows - 1:
            if _one_row(found, r):
                _fuse(found, r, "row")
                continue
            r += 1
    if found.n_rows < min_rows or found.n_cols < 2:
        return None
    return found


def _fuse(found: Found, k: int, axis: str) -> None:
    """Rows (``axis`` 'row') or columns k and k+1 made one: every cell re-placed, the two cells of one
    row (column) that land on the same place fused (their words and boxes together)."""
    def m(j: int) -> int:
        return j if j <= k else j - 1
    placed: dict[tuple[int, int], Slot] = {}
    order = []
    for s in sorted(found.slots, key=lambda s: (s.row, s.col)):
        if axis == "row":
            a, end = m(s.row), m(s.row + s.rowspan - 1) + 1
            s.row, s.rowspan = a, end - a
        else:
            a, end = m(s.col), m(s.col + s.colspan - 1) + 1
            s.col, s.colspan = a, end - a
        key = (s.row, s.col)
        if key in placed:
            o = placed[key]
            o.words += s.words
            o.bbox = _union([o.bbox, s.bbox])
            o.rowspan, o.colspan = max(o.rowspan, s.rowspan), max(o.colspan, s.colspan)
            continue
        placed[key] = s
        order.append(s)
    found.slots = order
    if axis == "row":
        found.n_rows -= 1
    else:
        found.n_cols -= 1


def _one_row(found: Found, r: int) -> bool:
    """Rows r and r+1 are one: some cell spans both, and in every column with text in both, the
    second's first line follows the first's last line as the next line of a paragraph would (no cell
    padding between them)."""
    if not any(s.row <= r and s.row + s.rowspan > r + 1 for s in found.slots):
        return False
    both = 0
    for c in range(found.n_cols):
        a = next((s for s in found.slots if s.row == r and s.col == c and s.words), None)
        b = next((s for s in found.slots if s.row == r + 1 and s.col == c and s.words), None)
        if a is None or b is None:
            continue
        size = median(w.size or (w.bottom - w.top) for w in a.words + b.words)
        gap = min(w.top for w in b.words) - max(w.bottom for w in a.words)
        if gap > 0.3 * size:
            return False
        both += 1
    return both > 0


# ---------------------------------------------------------------------------- ruled tables of a PDF page
def pdf_ruled(page, words: list[Word]) -> tuple[list[Found], list[tuple[BBox, str]]]:
    """Tables drawn with rules on a PDF page (pdfplumber's finder, only on pages with four rules at
    least): the tables, and the frames that were no table, with why (a frame cut across its words,
    one column only: a box)."""
    if len(page.lines) + len(page.rects) < 4:
        return [], []
    found, refused = [], []
    tables = sorted(page.find_tables(), key=lambda t: -(t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))
    boxes: list[BBox] = []
    for t in tables:
        bb = tuple(float(v) for v in t.bbox)
        if any(b[0] - 1 <= bb[0] and b[1] - 1 <= bb[1] and bb[2] <= b[2] + 1 and bb[3] <= b[3] + 1 for b in boxes):
            continue               # a table inside a table's cell: part of it
        cells = [tuple(float(v) for v in c) for c in t.cells]
        inside = [w for w in words if bb[0] - 1 <= (w.x0 + w.x1) / 2 <= bb[2] + 1 and bb[1] - 1 <= (w.top + w.bottom) / 2 <= bb[3] + 1]
        if not inside:
            continue
        # (a word running a little over its cell's rule is the cell's; one a rule cuts in the middle is not)
        cut = [w for w in inside if not any(min(w.x1, c[2]) - max(w.x0, c[0]) >= 0.7 * (w.x1 - w.x0)
                                            and c[1] - 2 <= (w.top + w.bottom) / 2 <= c[3] + 2 for c in cells)]
        if len(cut) > 0.02 * len(inside):
            refused.append((bb, f"a frame whose rules cut across {len(cut)} of its {len(inside)} words: read as text"))
            continue
        f = grid_from_boxes(cells, inside, "ruled")
        if f is None and any(_same_columns(cells, [tuple(float(v) for v in c) for c in o.cells])
                             for o in tables if o is not t):
            # one row drawn with the columns of another table of the page: the rest of that table, run
            # on to the head of the next column
            f = grid_from_boxes(cells, inside, "ruled", min_rows=1)
        if f is None:
            if len({round(c[0]) for c in cells}) > 1:
                refused.append((bb, "fewer than two rows and two columns of text: a box, read as text"))
            continue
        boxes.append(bb)
        found.append(f)
    return found, refused


def _same_columns(a: list[BBox], b: list[BBox], tol: float = 2.0) -> bool:
    """Two tables drawn with the same column widths (wherever they stand)."""
    def widths(cells):
        xs = _edges([c[0] for c in cells] + [c[2] for c in cells], tol)
        return [x - xs[0] for x in xs]
    wa, wb = widths(a), widths(b)
    return len(wa) == len(wb) >= 3 and all(abs(x - y) <= tol for x, y in zip(wa, wb))


# ---------------------------------------------------------------------------- rules in a scanned image
def image_rules(gray, scale: float) -> tuple[list[BBox], list[BBox]]:
    """The thin long straight lines of a page image (a table's rules, a box's frame): runs of dark
    pixels at least 36 pt long and at most 2 pt thick, horizontal and vertical, in points."""
    import numpy as np
    a = np.asarray(gray, dtype=np.uint8) < 150
    min_len = max(20, int(round(36 / scale)))
    thick = max(3, int(round(2.0 / scale)))
    return _runs(a, min_len, thick, scale, False), _runs(a.T, min_len, thick, scale, True)


def _runs(a, min_len: int, thick: int, scale: float, vertical: bool) -> list[BBox]:
    import numpy as np
    # a pixel is on a line when it or the pixel above/below it is dark (a line askew by a pixel)
    def near(x):
        d = x.copy()
        d[1:] |= x[:-1]
        d[:-1] |= x[1:]
        return d
    h = a.shape[0]
    # only the rows that can hold a run of ``min_len``: such a run covers 8 consecutive columns of every
    # (min_len // 8)-th, so a row without 8 dark ones in a row there holds none (a text line rarely does)
    step = max(1, min_len // 8)
    sampled = near(a[:, ::step])
    if sampled.shape[1] >= 8:
        eight = sampled[:, :-7].copy()
        for k in range(1, 8):
            eight &= sampled[:, k:k + sampled.shape[1] - 7]
        rows = np.nonzero(eight.any(axis=1))[0]
    else:
        rows = np.arange(h)
    if rows.size == 0:
        return []
    d = a[rows] | a[np.maximum(rows - 1, 0)] | a[np.minimum(rows + 1, h - 1)]
    pad = np.zeros((d.shape[0], d.shape[1] + 2), dtype=np.int8)
    pad[:, 1:-1] = d
    diff = np.diff(pad, axis=1)
    ys, starts = np.nonzero(diff == 1)
    _, ends = np.nonzero(diff == -1)
    long = (ends - starts) >= min_len
    ys, starts, ends = rows[ys[long]], starts[long], ends[long]
    if ys.size == 0:
        return []
    order = np.lexsort((starts, ys))
    segs: list[list[int]] = []          # [y0, y1, x0, x1, dark pixels]
    open_: list[list[int]] = []
    for y, x0, x1 in zip(ys[order].tolist(), starts[order].tolist(), ends[order].tolist()):
        for s in open_:
            if y - s[1] <= 1 and x0 < s[3] and s[2] < x1:
                s[1] = y
                s[2], s[3] = min(s[2], x0), max(s[3], x1)
                s[4] += x1 - x0
                break
        else:
            s = [y, y, x0, x1, x1 - x0]
            segs.append(s)
            open_.append(s)
        open_ = [s for s in open_ if y - s[1] <= 1]
    out = []
    for y0, y1, x0, x1, area in segs:
        # thick: its dark pixels per column along it (a line scanned askew drifts down across the
        # rows, but stays as thin)
        if area / max(1, x1 - x0) > thick + 2 or y1 - y0 + 1 > thick + 0.03 * (x1 - x0):
            continue                    # a photo, a black panel: no rule
        yc0, yc1 = y0 * scale, (y1 + 1) * scale
        if vertical:
            out.append((yc0, x0 * scale, yc1, x1 * scale))
        else:
            out.append((x0 * scale, yc0, x1 * scale, yc1))
    return out


def grid_rules(hlines: list[BBox], vlines: list[BBox], tol: float = 3.0) -> list[BBox]:
    """The rules of a drawn grid: each crossing or meeting two rules the other way at least (a page's
    lone rules, a scan's dark border, an underline are left alone)."""
    def meets(h, v) -> bool:
        x, y = (v[0] + v[2]) / 2, (h[1] + h[3]) / 2
        return h[0] - tol <= x <= h[2] + tol and v[1] - tol <= y <= v[3] + tol
    return [h for h in hlines if sum(1 for v in vlines if meets(h, v)) >= 2] + \
        [v for v in vlines if sum(1 for h in hlines if meets(h, v)) >= 2]


def erase_rules(gray, scale: float, rules: list[BBox]):
    """The image with its rules whited out (Tesseract reads a cell's text better without them)."""
    import numpy as np
    from PIL import Image
    if not rules:
        return gray
    a = np.array(gray, dtype=np.uint8)
    for x0, top, x1, bottom in rules:
        a[max(0, int(top / scale) - 1):int(bottom / scale) + 2, max(0, int(x0 / scale) - 1):int(x1 / scale) + 2] = 255
    return Image.fromarray(a, mode="L")


def scan_ruled(hlines: list[BBox], vlines: list[BBox], words: list[Word]) -> list[Found]:
    """Tables drawn with rules on a scan: the rules as pdfplumber edges, its cell finding, the grid."""
    if len(hlines) < 2 or len(vlines) < 2:
        return []
    from pdfplumber import table as pt
    edges = [{"x0": b[0], "x1": b[2], "top": (b[1] + b[3]) / 2, "bottom": (b[1] + b[3]) / 2, "width": b[2] - b[0],
              "height": 0.0, "orientation": "h", "object_type": "line"} for b in hlines]
    edges += [{"x0": (b[0] + b[2]) / 2, "x1": (b[0] + b[2]) / 2, "top": b[1], "bottom": b[3], "width": 0.0,
               "height": b[3] - b[1], "orientation": "v", "object_type": "line"} for b in vlines]
    edges = pt.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=4, join_y_tolerance=4)
    points = pt.edges_to_intersections(edges, 3, 3)
    cells = pt.intersections_to_cells(points)
    out = []
    for group in pt.cells_to_tables(cells):
        bb = _union(group)
        inside = [w for w in words if bb[0] - 1 <= (w.x0 + w.x1) / 2 <= bb[2] + 1 and bb[1] - 1 <= (w.top + w.bottom) / 2 <= bb[3] + 1]
        if not inside:
            continue
        f = grid_from_boxes([tuple(c) for c in group], inside, "scan-ruled", tol=3.0, merge_rows=False)
        if f is not None:
            out.append(f)
    return out


# ---------------------------------------------------------------------------- tables of aligned text
_LEADERS = re.compile(r"([.·…_])\1{3,}|(?:\. ){3,}")


def _bands(words: list[Word]) -> list[list[Word]]:
    """Words on one line (either box holds the other's vertical centre), top to bottom, left to right."""
    rows: list[list] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        c = (w.top + w.bottom) / 2
        for r in reversed(rows[-4:]):
            if r[0] <= c <= r[1] or w.top <= (r[0] + r[1]) / 2 <= w.bottom:
                r[2].append(w)
                break
        else:
            rows.append([w.top, w.bottom, [w]])
    return [sorted(r[2], key=lambda w: w.x0) for r in sorted(rows, key=lambda r: r[0])]


def _em(ws) -> float:
    return median((w.size or 0.86 * (w.bottom - w.top)) for w in ws) or 8.0


def _pieces(row: list[Word], em: float, ocr: bool = False) -> list[list[Word]]:
    """A row cut where two words stand further apart than a wide word space (0.6 em; on a scan, whose
    word boxes are tight and unevenly spaced, an em: a table's columns stand two paddings apart)."""
    gap = max(5.0, 1.0 * em) if ocr else max(3.5, 0.6 * em)
    out = [[row[0]]]
    for a, b in zip(row, row[1:]):
        if b.x0 - a.x1 >= gap:
            out.append([b])
        else:
            out[-1].append(b)
    return out


@dataclass
class _Run:
    rows: list = field(default_factory=list)     # [(words of the row, pieces)]
    cols: list = field(default_factory=list)     # [[x0, x1]] in order


def text_columns(words: list[Word]) -> Optional[tuple[list[Word], list[Word]]]:
    """The words of a page set in two columns of text, left and right of a gutter no word crosses
    from top to bottom, each column with lines of prose (six words or more) over half the page's
    height; None for a page of one column (or a table alone, whose column gaps hold no prose)."""
    if len(words) < 40:
        return None
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    if x1 - x0 < 150:
        return None
    covered = [False] * (int(x1 - x0) + 2)
    for w in words:
        for x in range(int(w.x0 - x0), int(w.x1 - x0) + 1):
            covered[x] = True
    best, k = None, 40
    while k < len(covered) - 40:
        if not covered[k]:
            j = k
            while j < len(covered) and not covered[j]:
                j += 1
            if j - k >= 6 and (best is None or j - k > best[1] - best[0]):
                best = (k, j)
            k = j
        k += 1
    if best is None:
        return None
    cut = x0 + (best[0] + best[1]) / 2
    left = [w for w in words if w.x1 <= cut]
    right = [w for w in words if w.x0 >= cut]
    top, bottom = min(w.top for w in words), max(w.bottom for w in words)
    for side in (left, right):
        prose = [r for r in _bands(side) if len(r) >= 6]
        if len(prose) < 3 or max(w.bottom for w in side) - min(w.top for w in side) < 0.5 * (bottom - top):
            return None
    return left, right


def aligned_tables(words: list[Word], is_word: Callable[[str], bool], ocr: bool = False, hrules: list = ()) -> list[Found]:
    """Tables set as columns of text with no rules between them (see the module's docstring); on a page
    of two columns of text, in each column (a table in one column does not take the other's lines)."""
    if len(words) < 6:
        return []
    cols = text_columns(words)
    if cols is not None:
        return [f for side in cols for f in aligned_tables(side, is_word, ocr,
                                                          [h for h in hrules if min(w.x0 for w in side) - 5 <= h[0]
                                                           and h[1] <= max(w.x1 for w in side) + 5])]
    em = _em(words)
    rows = _bands(words)
    runs: list[_Run] = []
    cur: Optional[_Run] = None
    prev_bottom = None
    for row in rows:
        pcs = _pieces(row, _em(row), ocr)
        top = min(w.top for w in row)
        if cur is not None:
            pitch = [min(w.top for w in cur.rows[k + 1][0]) - min(w.top for w in cur.rows[k][0]) for k in range(len(cur.rows) - 1)]
            limit = max(2.6 * em, 1.8 * median(pitch)) if pitch else 3.2 * em
            if top - prev_bottom > limit or not _fits(cur, pcs):
                last = cur.rows[-1]
                if len(cur.rows) > 1 and len(last[1]) == 1 and top < max(w.bottom for w in last[0]) - 0.5:
                    # the first line of a wrapped heading set higher than the one-line headings beside
                    # it (cells centred): it goes with them
                    runs.append(_run_of(cur.rows[:-1]))
                    cur = _run_of([last])
                    if not _fits(cur, pcs):
                        runs.append(cur)
                        cur = None
                else:
                    runs.append(cur)
                    cur = None
        if cur is None:
            cur = _Run()
            cur.cols = [[min(w.x0 for w in p), max(w.x1 for w in p), {0}] for p in pcs]
            cur.rows.append((row, pcs))
        else:
            _add(cur, pcs)
            cur.rows.append((row, pcs))
        prev_bottom = max(w.bottom for w in row)
    if cur is not None:
        runs.append(cur)
    out = []
    for k, run in enumerate(runs):
        f = _table_of_run(run, runs[k - 1] if k else None, em, is_word, ocr, hrules)
        if f is not None:
            out.append(f)
    return out


def _run_of(rows) -> _Run:
    run = _Run()
    for k, (row, pcs) in enumerate(rows):
        if k == 0:
            run.cols = [[min(w.x0 for w in p), max(w.x1 for w in p), {0}] for p in pcs]
        else:
            _add(run, pcs)
        run.rows.append((row, pcs))
    return run


def _overlaps(p, col) -> bool:
    x0, x1 = min(w.x0 for w in p), max(w.x1 for w in p)
    return x0 < col[1] and col[0] < x1


def _fits(run: _Run, pcs) -> bool:
    """A row goes on a run when each of its pieces falls in one column of it (or in none: a new
    column), no two pieces in the same column; a piece over two columns never filled in the same row
    (a heading set left over figures set right) joins them."""
    used = set()
    for p in pcs:
        hit = [i for i, c in enumerate(run.cols) if _overlaps(p, c)]
        if len(hit) > 1 and not _disjoint(run, hit):
            return False
        for i in hit:
            if i in used:
                return False
            used.add(i)
    return True


def _disjoint(run: _Run, hit: list[int]) -> bool:
    seen: set = set()
    for i in hit:
        rows = run.cols[i][2]
        if rows & seen:
            return False
        seen |= rows
    return True


def _add(run: _Run, pcs) -> None:
    k = len(run.rows)
    for p in pcs:
        x0, x1 = min(w.x0 for w in p), max(w.x1 for w in p)
        hit = [c for c in run.cols if _overlaps(p, c)]
        if hit:
            c = hit[0]
            for o in hit[1:]:
                c[2] |= o[2]
            c[0], c[1] = min([x0] + [o[0] for o in hit]), max([x1] + [o[1] for o in hit])
            c[2].add(k)
            run.cols = [o for o in run.cols if not any(o is h for h in hit[1:])]
        else:
            run.cols.append([x0, x1, {k}])
            run.cols.sort(key=lambda c: c[0])
    # columns grown into each other are one
    merged = [run.cols[0]]
    for c in run.cols[1:]:
        if c[0] < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], c[1])
            merged[-1][2] |= c[2]
        else:
            merged.append(c)
    run.cols = merged


def _text(ws) -> str:
    return " ".join(w.text for w in sorted(ws, key=lambda w: w.x0))


def _table_of_run(run: _Run, above: Optional[_Run], em: float, is_word, ocr: bool, hrules: list = ()) -> Optional[Found]:
    if len(run.rows) < 3 or len(run.cols) < 2:
        return None
    cols = [c[:2] for c in run.cols]
    # each row's pieces by column
    grid = []
    for row, pcs in run.rows:
        cells: dict[int, list[Word]] = {}
        for p in pcs:
            i = next(i for i, c in enumerate(cols) if _overlaps(p, c))
            cells.setdefault(i, []).extend(p)
        grid.append(cells)
    # a column of prose at an edge (the text column beside a table set in one column of the page)
    while len(cols) >= 2:
        edge = next((i for i in (0, len(cols) - 1) if _prose_column(grid, i, cols[i], em)), None)
        if edge is None:
            break
        del cols[edge]
        grid = [{(j if j < edge else j - 1): ws for j, ws in g.items() if j != edge} for g in grid]
    keep = [k for k, g in enumerate(grid) if g]
    # rows of one piece at the ends (a caption line, a note under the table) are not the table's, but
    # the last line of a cell whose text runs on (as close under the row as a paragraph's next line) is
    while keep and len(grid[keep[0]]) < 2:
        if len(keep) > 1 and min(w.top for w in run.rows[keep[1]][0]) < max(w.bottom for w in run.rows[keep[0]][0]) - 0.5:
            break                       # the first line of a wrapped heading centred beside one-line headings
        keep.pop(0)
    while len(keep) > 1 and len(grid[keep[-1]]) < 2 and not _numeric_cells(grid[keep[-1]]) \
            and min(w.top for w in run.rows[keep[-1]][0]) - max(w.bottom for w in run.rows[keep[-2]][0]) > (0.8 if ocr else 0.45) * em:
        keep.pop()
    rows = [run.rows[k][0] for k in keep]
    grid = [grid[k] for k in keep]
    if len(grid) < 3 or len(cols) < 2 or sum(1 for g in grid if len(g) >= 2) < 2:
        return None
    words = [w for g in grid for ws in g.values() for w in ws]
    texts = [_text(ws) for g in grid for ws in g.values()]
    if any(_LEADERS.search(t) for t in texts):
        return None                     # a table of contents
    hyphenated = sum(1 for t in texts if re.search(r"[^\W\d_]-$", t))
    if hyphenated > 0.1 * len(texts):
        return None                     # lines of prose cut with hyphens
    # the lines of one row: told by the space between rows (cell padding), else continuation lines
    groups = _logical_rows(rows, grid, em, ocr, hrules)
    slots: list[Slot] = []
    for r, members in enumerate(groups):
        for c in range(len(cols)):
            ws = [w for k in members for w in grid[k].get(c, [])]
            if ws:
                slots.append(Slot(r, c, 1, 1, _union(_box(w) for w in ws), ws))
    f = Found(_union(_box(w) for w in words), slots, len(groups), len(cols), "scan-aligned" if ocr else "aligned", words)
    f = _with_header_above(f, above, cols, em, ocr)
    f = clean_grid(f, merge_rows=False)
    if f is None or not _says_table(f, is_word):
        return None
    return f


def _prose_column(grid, i: int, col, em: float) -> bool:
    """A column of running text: its lines are long (six words or more on most rows) and fill its width."""
    ws = [g[i] for g in grid if i in g]
    if len(ws) < 3:
        return False
    long = sum(1 for x in ws if len(x) >= 6)
    full = sum(1 for x in ws if max(w.x1 for w in x) - min(w.x0 for w in x) >= 0.85 * (col[1] - col[0]))
    return long >= 0.5 * len(ws) and full >= 0.5 * len(ws) and col[1] - col[0] > 12 * em


def _header_like(cells: dict) -> bool:
    return any(column_role(_text(ws)) for ws in cells.values())


def _numeric_cells(cells: dict) -> bool:
    return any(is_number(_text(ws)) or is_amount(_text(ws)) for ws in cells.values())


def _logical_rows(rows, grid, em: float, ocr: bool, hrules: list = ()) -> list[list[int]]:
    """Physical lines -> rows of the table (lists of line indexes): (1) rules drawn across the table
    between lines are edges of rows: with three stretches or more between them (shaded rows, a rule
    under each row) each stretch is a row; (2) else, within each stretch (a header ruled off its body),
    the space between rows when it is clearly wider than between the lines of a cell (cell padding);
    (3) else, lines set tight, a column whose cells never wrap (figures, or the column with fewest
    lines) marks one line of each row: the others go on the row of the marked line above (cells set at
    the top) or below (at the bottom, when the first line is not marked and the last is); header lines
    (words of a header, no figure) before the first mark are a row of their own."""
    n = len(rows)
    if n < 2:
        return [[0]] if n else []
    tops = [min(w.top for w in r) for r in rows]
    bottoms = [max(w.bottom for w in r) for r in rows]
    x0 = min(w.x0 for r in rows for w in r)
    x1 = max(w.x1 for r in rows for w in r)
    between = [y for (a, b, y) in hrules if min(b, x1) - max(a, x0) >= 0.6 * (x1 - x0) and tops[0] < y < bottoms[-1]]
    stretches = [[0]]
    for k in range(1, n):
        if any(bottoms[k - 1] - 1.5 <= y <= tops[k] + 1.5 for y in between):
            stretches.append([k])
        else:
            stretches[-1].append(k)
    if len(stretches) >= 3:
        return stretches
    out: list[list[int]] = []
    ruled_header = len(stretches) == 2 and not any(_numeric_cells(grid[k]) for k in stretches[0]) \
        and any(_header_like(grid[k]) for k in stretches[0])
    if ruled_header and len(stretches[0]) > 1 and sum(1 for k in stretches[0] if len(grid[k]) >= 2) <= 1:
        # a header ruled off its body, one line of headings with words of a wrapped one above or below
        # it: one row (two lines of several cells each are two header rows: a heading over sub-headings)
        out.append(stretches[0])
        stretches = stretches[1:]
    for i, st in enumerate(stretches):
        # (under a header ruled off, no line is a header: 'Coopérative de' is a body cell's first line)
        body_only = ruled_header and st is not stretches[0] or (ruled_header and len(out) > 0)
        out += [[st[i] for i in g] for g in _rows_of_stretch([tops[k] for k in st], [bottoms[k] for k in st],
                                                             [grid[k] for k in st], em, ocr, body_only)]
    return out


def _rows_of_stretch(tops, bottoms, grid, em: float, ocr: bool, body_only: bool = False) -> list[list[int]]:
    n = len(tops)
    if n < 2:
        return [[0]] if n else []
    gaps = [tops[k + 1] - bottoms[k] for k in range(n - 1)]
    s = sorted(gaps)
    jumps = [(s[k + 1] - s[k], k) for k in range(len(s) - 1)]
    # (lines that overlap, a cell centred between two lines of its neighbour, say nothing by their gaps)
    if jumps and s[0] > -0.3 * em:
        d, k = max(jumps)
        lo, hi = s[k], s[k + 1]
        if d >= (0.45 if ocr else 0.25) * em and hi >= 1.5 * max(lo, 0.5):
            cut = (lo + hi) / 2
            groups = [[0]]
            for k in range(1, n):
                if gaps[k - 1] > cut:
                    groups.append([k])
                else:
                    groups[-1].append(k)
            return groups
    return _anchored_rows(grid, tops, bottoms, body_only)


def _anchored_rows(grid, tops=None, bottoms=None, body_only: bool = False) -> list[list[int]]:
    n = len(grid)
    ncol = max((max(g) for g in grid if g), default=0) + 1
    lines_of = {c: [k for k in range(n) if c in grid[k]] for c in range(ncol)}
    numeric = [c for c in range(ncol) if len(lines_of[c]) >= 2
               and sum(1 for k in lines_of[c] if is_number(_text(grid[k][c])) or is_amount(_text(grid[k][c]))) >= 0.7 * len(lines_of[c])]
    full = [c for c in range(ncol) if len(lines_of[c]) >= 2]
    if numeric:
        anchor = max(numeric, key=lambda c: len(lines_of[c]))
    elif full:
        # the column with fewest lines among those filled on most rows (a name, not a wrapped title)
        most = max(len(lines_of[c]) for c in full)
        anchor = min((c for c in full if len(lines_of[c]) >= 0.34 * most), key=lambda c: (len(lines_of[c]), c))
    else:
        return [[k] for k in range(n)]
    marks = lines_of[anchor]
    if len(marks) == n:
        return [[k] for k in range(n)]
    head = 0
    while not body_only and head < marks[0] and any(column_role(_text(ws)) for ws in grid[head].values()) \
            and not _numeric_cells(grid[head]):
        head += 1
    bottom = marks[0] != head and marks[-1] == n - 1
    # cells set at the top, at the bottom, or in the middle (each line to the marked line nearest it):
    # the setting whose cells end no line on 'de', 'la', 'et'... (a cell cut in two) wins, ties as above
    modes = ("bottom", "top", "middle") if bottom else ("top", "bottom", "middle")
    best = None
    for mode in modes:
        if mode == "middle" and (tops is None or bottoms is None):
            continue
        groups: list[list[int]] = [[m] for m in marks]
        for k in range(head, n):
            if k in marks:
                continue
            if mode == "bottom":
                g = next((i for i, m in enumerate(marks) if m > k), len(marks) - 1)
            elif mode == "top":
                g = max((i for i, m in enumerate(marks) if m < k), default=0)
            else:
                mid = (tops[k] + bottoms[k]) / 2
                g = min(range(len(marks)), key=lambda i: abs((tops[marks[i]] + bottoms[marks[i]]) / 2 - mid))
            groups[g].append(k)
        groups = [sorted(g) for g in groups]
        cost = _cut_cells(groups, grid)
        if best is None or cost < best[0]:
            best = (cost, groups)
    return ([list(range(head))] if head else []) + best[1]


def _cut_cells(groups: list[list[int]], grid) -> int:
    """How many cells of these rows end on a word that goes on ('Coopérative de'): cells cut in two."""
    from ..lang_fr import words
    goes_on = words("table_line_continues")
    cost = 0
    for g in groups:
        cols = {c for k in g for c in grid[k]}
        for c in cols:
            last = next((grid[k][c] for k in reversed(g) if c in grid[k]), None)
            if last and _text(last).split()[-1].lower() in goes_on:
                cost += 1
    return cost


def _with_header_above(f: Found, above: Optional[_Run], cols, em: float, ocr: bool) -> Found:
    """A header whose cells span two columns ('Aide accordée' over 'Subvention' and 'Prêt') stops the
    run of aligned rows just above the table: it is taken back when the last row above is within a
    row's space, inside the table's width, and says what columns hold."""
    if above is None or not above.rows:
        return f
    row, pcs = above.rows[-1]
    gap = f.bbox[1] - max(w.bottom for w in row)
    if gap > 1.6 * em or min(w.x0 for w in row) < f.bbox[0] - 2 * em or max(w.x1 for w in row) > f.bbox[2] + 2 * em:
        return f
    if not any(column_role(_text(p)) for p in pcs) or len(pcs) < 2:
        return f
    slots = []
    for p in pcs:
        hit = [i for i, c in enumerate(cols) if _overlaps(p, c)]
        if not hit:
            return f
        slots.append(Slot(0, hit[0], 1, hit[-1] - hit[0] + 1, _union(_box(w) for w in p), list(p)))
    for s in f.slots:
        s.row += 1
    f.slots = slots + f.slots
    f.n_rows += 1
    f.words = f.words + [w for p in pcs for w in p]
    f.bbox = _union([f.bbox] + [s.bbox for s in slots])
    return f


def _says_table(f: Found, is_word) -> bool:
    """What makes aligned text a table: a header the French words know, a column of figures, or three
    columns of short cells; and not prose (six words a cell or more, on average)."""
    grid = _texts(f, is_word)
    body = grid[1:]
    cells = [c for row in grid for c in row if c]
    if not cells or sum(len(c.split()) for c in cells) / len(cells) > 6.5 or any(len(c.split()) > 14 for c in cells):
        return False                    # sentences, not cells
    if sum(1 for row in grid if sum(1 for c in row if c) >= 2) < 2:
        return False
    roles = [column_role(c) for c in grid[0] if c and len(c.split()) <= 6 and not c.rstrip().endswith((".", ","))]
    if len(grid) >= 3 and sum(1 for r in roles if r) >= 2:
        return True
    if len(grid) == 2 and sum(1 for r in roles if r) >= 2 and any(is_number(c) or is_amount(c) for c in grid[1]):
        return True
    for c in range(f.n_cols):
        vals = [row[c] for row in body if row[c]]
        if len(vals) >= 2 and sum(1 for v in vals if is_number(v) or is_amount(v)) >= 0.7 * len(vals) \
                and len(vals) >= 0.5 * len(body):
            return True
    words_per_cell = sorted(len(c.split()) for c in cells)
    if f.n_cols >= 3 and len(grid) >= 4 and words_per_cell[len(words_per_cell) // 2] <= 3:
        return True
    # two columns of short cells, every row full (the rest of a name/role table run on to a new page,
    # its header left behind): pairs, not two columns of text
    return f.n_cols == 2 and len(grid) >= 4 and all(all(row) for row in grid) \
        and words_per_cell[len(words_per_cell) // 2] <= 3 and words_per_cell[-1] <= 5


# ---------------------------------------------------------------------------- the typed table
def cell_text(ws: list[Word], is_word: Callable[[str], bool]) -> str:
    """The text of a cell: its lines, top to bottom, joined as one paragraph (line-end hyphens joined)."""
    lines = _bands(ws)
    return join_lines([normalise(_text(l)) for l in lines], is_word).strip()


def _texts(f: Found, is_word) -> list[list[str]]:
    grid = [["" for _ in range(f.n_cols)] for _ in range(f.n_rows)]
    for s in f.slots:
        if s.words:
            grid[s.row][s.col] = cell_text(s.words, is_word)
    return grid


def header_rows(grid: list[list[str]], spans: dict) -> int:
    """How many of the first rows are the header: a first row with no amount that names what a column
    holds, or that has text over a column of figures; a second row too when the first spans columns
    (a group heading over its sub-headings) and it holds no amount."""
    if len(grid) < 2:
        return 0
    n = len(grid[0])
    body_numeric = [sum(1 for row in grid[1:] if row[c] and (is_number(row[c]) or is_amount(row[c]))) >= max(1, 0.5 * len(grid[1:]))
                    for c in range(n)]

    def headerish(row) -> bool:
        if any(is_amount(c) for c in row):
            return False
        if sum(1 for c in row if c and column_role(c)) >= 1:
            return True
        return any(body_numeric[c] and row[c] and not is_number(row[c]) for c in range(n))
    if not headerish(grid[0]):
        return 0
    k = 1
    if len(grid) > 2 and any(spans.get((0, c), (1, 1))[1] > 1 for c in range(n)) and not any(is_amount(c) for c in grid[1]) \
            and not any(is_total_label(c) for c in grid[1] if c):
        if sum(1 for c in grid[1] if c and (column_role(c) or not is_number(c))) >= 1 and not body_only(grid[1], body_numeric):
            k = 2
    elif len(grid) > 2 and "" in grid[0] and "" in grid[1] and any(grid[1]) \
            and all(column_role(c) and not is_number(c) and not is_total_label(c) for c in grid[1] if c):
        # sub-headings under a heading whose span the rules do not draw ('Aide accordée' over
        # 'Subvention' and 'Prêt'): a second header row, every cell of it a header word
        k = 2
    return k


def body_only(row, numeric) -> bool:
    """A row whose figures stand under the columns of figures: a body row."""
    return any(numeric[c] and row[c] and is_number(row[c]) for c in range(len(row)))


def column_roles(grid: list[list[str]], header: int, spans: dict) -> tuple[Optional[str], ...]:
    """The role of each column from its header cells (a header cell spanning columns names each; a
    sub-header under it says more: 'Aide accordée' / 'Prêt')."""
    n = len(grid[0]) if grid else 0
    out: list[Optional[str]] = []
    for c in range(n):
        texts = []
        for r in range(header):
            anchor = next(((r, c0) for c0 in range(c, -1, -1) if (r, c0) in spans and c0 + spans[(r, c0)][1] > c), None)
            if anchor is not None and grid[anchor[0]][anchor[1]]:
                texts.append(grid[anchor[0]][anchor[1]])
        roles = [column_role(t) for t in texts]
        role = next((x for x in reversed(roles) if x), None)
        # an amount heading over a sub-heading that names its kind ('Aide accordée' / 'Prêt'): an amount
        if any(x == "amount" for x in roles):
            role = "amount"
        out.append(role)
    return tuple(out)


def to_table(f: Found, page: int, index: int, is_word: Callable[[str], bool]) -> tuple[Table, list[list[str]]]:
    """The typed table (its offsets still to set) and its rows of cell texts."""
    grid = _texts(f, is_word)
    spans = {(s.row, s.col): (s.rowspan, s.colspan) for s in f.slots}
    hdr = header_rows(grid, spans)
    roles = column_roles(grid, hdr, spans)
    totals = tuple(r - hdr for r in range(hdr, f.n_rows) if any(grid[r][c] for c in range(f.n_cols))
                   and is_total_label(next(c for c in grid[r] if c)))
    cells = tuple(Cell(row=s.row, col=s.col, text=grid[s.row][s.col], bbox=_round(s.bbox), rowspan=s.rowspan,
                       colspan=s.colspan, page=page)
                  for s in sorted(f.slots, key=lambda s: (s.row, s.col)) if grid[s.row][s.col] or s.rowspan > 1 or s.colspan > 1)
    t = Table(id=f"p{page}-t{index}", page=page, bbox=_round(f.bbox), n_rows=f.n_rows, n_cols=f.n_cols, cells=cells,
              header_rows=hdr, columns=roles, totals=totals, method=f.method, error=f.error)
    return t, grid


def _round(b) -> BBox:
    return tuple(round(float(v), 1) for v in b)


def table_text(grid: list[list[str]]) -> str:
    """The table's block of page text: a row a line, cells apart with ' | ' (empty rows left out)."""
    return "\n".join(" | ".join(row) for row in grid if any(row))


def set_offsets(tables: list[Table], grids: list[list[list[str]]], text: str,
                spans: list[tuple[str, int, int, tuple]]) -> list[Table]:
    """Each table's block and cells located in the page text (the 'table' blocks of ``spans``, matched
    by their box); a table whose block is not found keeps offsets 0."""
    blocks = [(s, e, b) for k, s, e, b in spans if k == "table"]
    out = []
    for t, grid in zip(tables, grids):
        blk = min(blocks, key=lambda x: sum(abs(a - b) for a, b in zip(x[2], t.bbox)), default=None)
        if blk is None or text[blk[0]:blk[1]] != table_text(grid):
            out.append(t)
            continue
        start = blk[0]
        pos = start
        where: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row in enumerate(grid):
            if not any(row):
                continue
            for c, val in enumerate(row):
                where[(r, c)] = (pos, pos + len(val))
                pos += len(val) + (3 if c < len(row) - 1 else 0)
            pos += 1
        cells = tuple(replace(c, start=where.get((c.row, c.col), (0, 0))[0], end=where.get((c.row, c.col), (0, 0))[1])
                      for c in t.cells)
        out.append(replace(t, cells=cells, start=blk[0], end=blk[1]))
        blocks.remove(blk)
    return out


def find_tables(words: list[Word], is_word: Callable[[str], bool], ruled: list[Found] = (), ocr: bool = False,
                hrules: list = (), images: list = ()) -> tuple[list[Found], list[Word]]:
    """The page's tables (``ruled`` ones already found, then tables of aligned text among the other
    words) and the words left for the page's text. ``hrules``: the page's horizontal rules and the
    edges of its shaded bands, (x0, x1, y), that tell the rows of a table of aligned text apart.
    ``images``: picture boxes; aligned text set over a picture is a chart's labels, no table."""
    taken = {id(w) for f in ruled for w in f.words}
    rest = [w for w in words if id(w) not in taken]
    found = list(ruled)
    for f in aligned_tables(rest, is_word, ocr, hrules):
        if images and sum(1 for w in f.words if any(i[0] <= _centre(w)[0] <= i[2] and i[1] <= _centre(w)[1] <= i[3]
                                                    for i in images)) >= 0.5 * len(f.words):
            continue
        found.append(f)
        taken |= {id(w) for w in f.words}
    return sorted(found, key=lambda f: (f.bbox[1], f.bbox[0])), [w for w in words if id(w) not in taken]


def typed_tables(found: list[Found], page: int, is_word) -> tuple[list[Table], list[list[list[str]]]]:
    tables, grids = [], []
    for k, f in enumerate(found, 1):
        t, g = to_table(f, page, k, is_word)
        tables.append(t)
        grids.append(g)
    return tables, grids


def caption_of(page: Page, t: Table) -> Optional[str]:
    """The text just above a table: the last paragraph (or line) of the block that ends over it."""
    above = [b for b in page.blocks if b.kind != "table" and b.bbox and t.bbox and b.bbox[3] <= t.bbox[1] + 2
             and b.bbox[0] < t.bbox[2] and t.bbox[0] < b.bbox[2] and t.bbox[1] - b.bbox[3] < 60]
    if not above:
        return None
    b = max(above, key=lambda b: b.bbox[3])
    text = page.text[b.start:b.end].strip()
    return text[-300:] if text else None


def with_captions(page: Page) -> Page:
    if not page.tables:
        return page
    return replace(page, tables=tuple(replace(t, caption=caption_of(page, t)) for t in page.tables))


# ---------------------------------------------------------------------------- across pages
def join_pages(pages: list[Page]) -> list[Page]:
    """A table at the foot of a page continued at the head of the next (or at the foot of a column
    continued at the head of the next column of the page): the same number of columns, nothing but
    furniture and short headings between them, and the second either repeating the first's header, with
    no header of its own, or headed '(suite)'. The second gets ``continues`` and, when it has no header,
    the first's column roles."""
    out = [_join_columns(p) for p in pages]
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if not a.tables or not b.tables or b.number != a.number + 1:
            continue
        last = max(a.tables, key=lambda t: (t.bbox[0] // 50 if t.bbox else 0, t.bbox[3] if t.bbox else 0))
        new = _continuation(a, last, b, b.tables[0])
        if new is not None:
            out[k + 1] = replace(b, tables=(new,) + b.tables[1:])
    return out


def _join_columns(p: Page) -> Page:
    """A table at the foot of a column continued at the head of the next column of the same page."""
    if len(p.tables) < 2:
        return p
    tables = list(p.tables)
    for i, second in enumerate(tables):
        for first in tables:
            if first is second or first.error or second.continues or not first.bbox or not second.bbox:
                continue
            if second.bbox[0] >= first.bbox[2] - 5 and second.bbox[1] < first.bbox[1]:
                new = _continuation(p, first, p, second, column=True)
                if new is not None:
                    tables[i] = new
                    break
    return replace(p, tables=tuple(tables))


def _continuation(a: Page, first: Table, b: Page, second: Table, column: bool = False) -> Optional[Table]:
    """``second`` as the continuation of ``first`` (or None when it is no continuation)."""
    if first.error or second.error or not second.cells or not first.cells or not _last_on_page(a, first, column):
        return None
    g1, g2 = first.grid(), second.grid()
    head1 = [" ".join(r) for r in g1[:first.header_rows]]
    head2 = [" ".join(r) for r in g2[:second.header_rows]]
    suite = says_continued(" ".join(g2[0])) or (second.caption and says_continued(second.caption.splitlines()[-1]))
    if not suite and not _first_on_page(b, second, column):
        return None             # ('(suite)' says it even under a legend of its own)
    if not suite and (first.n_cols != second.n_cols or _titled(b, second, column)):
        return None             # (a table under its own title is a new table, even with the same header)
    if second.header_rows and head2 != head1 and not suite:
        # a first row that names one column at most ('Réjean Lévesque | Vice-président | Coopérative
        # funéraire du Fjord': 'coopérative' is a header word) under a table with a header of its own
        # is the first body row of the continuation, not a new header
        if not first.header_rows or sum(1 for c in g2[0] if c and column_role(c)) >= 2 or second.header_rows > 1:
            return None
        second = replace(second, header_rows=0)
    if not first.header_rows and not second.header_rows and not suite:
        return None
    new = replace(second, continues=first.id)
    if first.n_cols == second.n_cols and (not second.header_rows or second.columns.count(None) == len(second.columns)):
        new = replace(new, columns=first.columns)
        if not second.header_rows:
            totals = tuple(r for r in range(second.n_rows) if any(g2[r]) and is_total_label(next(c for c in g2[r] if c)))
            new = replace(new, totals=totals)
    return new


def _in_column(b, t: Table, column: bool) -> bool:
    return not column or (b.bbox[0] < t.bbox[2] and t.bbox[0] < b.bbox[2])


def _last_on_page(p: Page, t: Table, column: bool = False) -> bool:
    """Nothing but furniture and short lines below the table (in its column), and the table reaching the
    lower quarter of the page (a table that stops halfway down its page does not run on)."""
    below = [b for b in p.blocks if b.kind != "table" and b.bbox and b.bbox[1] >= t.bbox[3] - 2
             and _in_column(b, t, column) and len(p.text[b.start:b.end].split()) > 12]
    return not below and (not p.size or t.bbox[3] >= 0.75 * p.size[1])


def _titled(p: Page, t: Table, column: bool = False) -> bool:
    """A title or heading of the page's text stands above the table (page numbers and running heads are
    furniture, not headings)."""
    return any(b.kind in ("title", "heading") and b.bbox and b.bbox[3] <= t.bbox[1] + 2 and _in_column(b, t, column)
               and any(ch.isalpha() for ch in p.text[b.start:b.end]) for b in p.blocks)


def _first_on_page(p: Page, t: Table, column: bool = False) -> bool:
    above = [b for b in p.blocks if b.kind != "table" and b.bbox and b.bbox[3] <= t.bbox[1] + 2
             and _in_column(b, t, column) and len(p.text[b.start:b.end].split()) > 12]
    return not above


__all__ = ["Found", "Slot", "grid_from_boxes", "clean_grid", "pdf_ruled", "image_rules", "grid_rules", "erase_rules", "scan_ruled",
           "aligned_tables", "find_tables", "to_table", "typed_tables", "table_text", "set_offsets", "header_rows",
           "column_roles", "cell_text", "caption_of", "with_captions", "join_pages"]

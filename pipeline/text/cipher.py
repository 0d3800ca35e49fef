"""A text layer whose glyphs have no characters ('(cid:20)(cid:28)': a subset font embedded without
its ToUnicode map) decoded with the page's own OCR.

Such a layer still says, glyph by glyph and in its exact place, which glyph of which font was drawn:
a substitution cipher, one per font. The page is OCR'd (the layer cannot be read), and every word
Tesseract read is laid over the glyphs under it: a word of as many characters as glyphs votes, position
by position, for what each glyph is. A glyph takes the character most of its votes give (two votes at
least, three in four of them), so that a misreading here and there is outvoted by the same glyph read
right elsewhere on the page. A glyph that stands for two letters (the 'fi' ligature) is learnt next,
from words where it is the only glyph left unknown. Then each word of the OCR whose glyphs are all
known is read from the layer: the glyphs' order and count are the PDF's, so a letter Tesseract lost
('(963)' for '(1963)', an old-style '1' against its parenthesis) comes back. A word with a glyph the page
never taught keeps Tesseract's reading.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional

from .layout import Word

_CID = re.compile(r"\(cid:\d+\)")
MIN_VOTES = 2
MIN_SHARE = 0.75


@dataclass(frozen=True)
class Glyph:
    """One glyph of a text layer: ``key`` is its character when the layer has one, else its font and
    code ('ABCDEF+Georgia(cid:20)'); its box in points."""
    key: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def known(self) -> bool:
        return not _CID.search(self.key)


@dataclass(frozen=True)
class Cipher:
    """What the page taught: glyph key -> characters; and how many glyph kinds were seen."""
    table: dict
    kinds: int

    def read(self, glyphs: Iterable[Glyph]) -> Optional[str]:
        """The characters of these glyphs, or None if one of them was never learnt."""
        out = []
        for g in glyphs:
            c = g.key if g.known else self.table.get(g.key)
            if c is None:
                return None
            out.append(c)
        return "".join(out)


def layer_glyphs(chars: Iterable[dict], origin: tuple[float, float] = (0.0, 0.0)) -> list[Glyph]:
    """pdfplumber's characters of a page as glyphs (upright ones: turned text is read apart), their boxes
    from ``origin``: the corner of the page as it is rendered (its CropBox), in pdfplumber's coordinates."""
    dx, dy = origin
    out = []
    for c in chars:
        if not c.get("upright", True):
            continue
        text = c.get("text") or ""
        key = f"{c.get('fontname', '')}{text}" if _CID.fullmatch(text) else text
        box = (float(c["x0"]) - dx, float(c["top"]) - dy, float(c["x1"]) - dx, float(c["bottom"]) - dy)
        if key and box[3] - box[1] > 0.5:           # (text of no height is drawn nowhere)
            out.append(Glyph(key, *box))
    return out


def garbled(glyphs: list[Glyph]) -> bool:
    """Whether a page's layer has glyphs without characters worth decoding (a tenth of them at least)."""
    return bool(glyphs) and sum(1 for g in glyphs if not g.known) >= 0.1 * len(glyphs)


def _claims(words: list[Word], glyphs: list[Glyph]) -> dict[int, int]:
    """glyph index -> the word whose box holds the glyph's centre (the word whose middle it is
    nearer, when two boxes hold it)."""
    import bisect
    order = sorted(range(len(glyphs)), key=lambda i: glyphs[i].top)
    tops = [glyphs[i].top for i in order]
    claims: dict[int, tuple] = {}
    for k, w in enumerate(words):
        h = w.bottom - w.top
        for i in order[bisect.bisect_left(tops, w.top - 1.5 * h):bisect.bisect_right(tops, w.bottom + 0.5 * h)]:
            g = glyphs[i]
            cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
            if w.x0 <= cx <= w.x1 and w.top - 0.3 * h <= cy <= w.bottom + 0.3 * h:
                d = abs(cx - (w.x0 + w.x1) / 2) / max(w.x1 - w.x0, 1e-6)
                if i not in claims or d < claims[i][0]:
                    claims[i] = (d, k)
    return {i: k for i, (_, k) in claims.items()}


def _spaces(glyphs: list[Glyph], claimed: dict[int, int]) -> set[str]:
    """The glyphs that are spaces: per font, the glyph found most often between the glyphs of two
    different OCR words on a line (three times at least), when it lies there four times in five. A font
    that draws no space glyph (its words set apart by moving the pen) has none: not the '.' Tesseract
    leaves out of a row of dot leaders."""
    between, seen = Counter(), Counter()
    for line in _lines(list(range(len(glyphs))), glyphs):
        line.sort(key=lambda i: glyphs[i].x0)
        for k, i in enumerate(line):
            g = glyphs[i]
            if g.known:
                continue
            seen[g.key] += 1
            if i in claimed:
                continue
            left = next((claimed[j] for j in reversed(line[:k]) if j in claimed), None)
            right = next((claimed[j] for j in line[k + 1:] if j in claimed), None)
            if left is not None and right is not None and left != right:
                between[g.key] += 1
    best: dict[str, tuple[int, str]] = {}
    for key, n in between.items():
        font = key.rsplit("(cid:", 1)[0]
        if n >= 3 and n >= 0.8 * seen[key] and n > best.get(font, (0, ""))[0]:
            best[font] = (n, key)
    return {key for _, key in best.values()}


def _lines(items: list[int], glyphs: list[Glyph]) -> list[list[int]]:
    """Glyphs (their indices) in lines: a glyph joins a line whose first glyph it overlaps by half the
    shorter one's height, when neither is more than 2.5 times as tall as the other (a superscript 'e'
    stays on its line; a drop cap three lines tall joins none of the lines beside it)."""
    lines: list[list[int]] = []
    for i in sorted(items, key=lambda i: glyphs[i].top):
        g = glyphs[i]
        h = g.bottom - g.top
        for line in reversed(lines):
            ref = glyphs[line[0]]
            if ref.bottom < g.top - 2 * h:
                lines.append([i])
                break
            lo, hi = sorted((h, ref.bottom - ref.top))
            if min(g.bottom, ref.bottom) - max(g.top, ref.top) > 0.5 * lo and lo >= 0.4 * hi:
                line.append(i)
                break
        else:
            lines.append([i])
    return lines


def layer_words(glyphs: list[Glyph], spaces: set[str]) -> list[tuple[tuple[Glyph, ...], tuple]]:
    """The layer's glyphs as words: glyphs of one line (:func:`_lines`), left to right, cut at a space
    glyph or a gap of a fifth of their height. [(glyphs, box)]."""
    out = []
    for line in _lines(list(range(len(glyphs))), glyphs):
        cur: list[Glyph] = []
        for g in sorted((glyphs[i] for i in line), key=lambda g: g.x0) + [None]:
            gap = g is not None and cur and g.x0 - cur[-1].x1 > 0.2 * (g.bottom - g.top)
            space = g is not None and (g.key in spaces or g.key.isspace())
            if g is None or space or gap:
                if cur:
                    out.append((tuple(cur), (cur[0].x0, min(c.top for c in cur), cur[-1].x1, max(c.bottom for c in cur))))
                cur = [] if g is None or space else [g]
            else:
                cur.append(g)
    return out


def pairs(words: list[Word], glyphs: list[Glyph]) -> list[Optional[tuple[Glyph, ...]]]:
    """For each OCR word, the one layer word it covers and that covers it (each the other's only match:
    more than half of the narrower one's width in common, on the same line, of a height between half
    and twice its own), or None."""
    spaces = _spaces(glyphs, _claims(words, glyphs))
    lw = layer_words(glyphs, spaces)
    import bisect
    lw.sort(key=lambda t: t[1][1])
    tops = [b[1] for _, b in lw]

    def common(w, b) -> bool:
        h = w.bottom - w.top
        across = min(w.x1, b[2]) - max(w.x0, b[0])
        cy = (b[1] + b[3]) / 2
        return across > 0.5 * min(w.x1 - w.x0, b[2] - b[0]) and w.top - 0.3 * h <= cy <= w.bottom + 0.3 * h \
            and 0.5 * h <= b[3] - b[1] <= 2 * h
    match: list[list[int]] = []
    back: dict[int, int] = Counter()
    for w in words:
        h = w.bottom - w.top
        lo, hi = bisect.bisect_left(tops, w.top - 2 * h), bisect.bisect_right(tops, w.bottom + h)
        m = [j for j in range(lo, hi) if common(w, lw[j][1])]
        match.append(m)
        for j in m:
            back[j] += 1
    return [lw[m[0]][0] if len(m) == 1 and back[m[0]] == 1 else None for m in match]


def _decide(votes: dict) -> dict:
    table = {}
    for key, c in votes.items():
        (best, n), total = c.most_common(1)[0], sum(c.values())
        if n >= MIN_VOTES and n >= MIN_SHARE * total:
            table[key] = best
    return table


def _code(key: str) -> tuple[str, int]:
    font, code = key.rsplit("(cid:", 1)
    return font, int(code.rstrip(")"))


def _by_offset(table: dict, unknown: set) -> dict:
    """Glyphs no word taught, read from their font's order: a font whose learnt glyphs keep the order
    of the characters, each code the character's code shifted by one same number (the Macintosh
    glyph order of TrueType fonts puts ' ' to '~' at 3 to 97: a shift of 29), for eight of its glyphs
    at least and nine in ten of them, gives that shift to its other printable ASCII codes."""
    shifts: dict = defaultdict(Counter)
    for key, ch in table.items():
        if len(ch) == 1 and 32 < ord(ch) < 127:
            font, code = _code(key)
            shifts[font][code - ord(ch)] += 1
    out = {}
    for key in unknown:
        font, code = _code(key)
        if not shifts[font]:
            continue
        (shift, n), total = shifts[font].most_common(1)[0], sum(shifts[font].values())
        if n >= 8 and n >= 0.9 * total and 32 < code - shift < 127:
            out[key] = chr(code - shift)
    return out


def learn(words: list[Word], glyphs: list[Glyph], paired: Optional[list] = None) -> Cipher:
    """The cipher a page's OCR words teach about the glyphs under them (``paired``: :func:`pairs`)."""
    under = [p or () for p in (paired if paired is not None else pairs(words, glyphs))]
    votes: dict = defaultdict(Counter)
    for w, gs in zip(words, under):
        if gs and len(gs) == len(w.text):
            for g, ch in zip(gs, w.text):
                if not g.known:
                    votes[g.key][ch] += 1
    table = _decide(votes)
    # a glyph of two or three letters (a ligature): the one glyph left unknown in a word whose other
    # glyphs read as the word's first and last letters
    more: dict = defaultdict(Counter)
    for w, gs in zip(words, under):
        unknown = [i for i, g in enumerate(gs) if not g.known and g.key not in table]
        if len(unknown) != 1 or not 2 <= len(w.text) - len(gs) + 1 <= 3:
            continue
        i = unknown[0]
        head = "".join(g.key if g.known else table[g.key] for g in gs[:i])
        tail = "".join(g.key if g.known else table[g.key] for g in gs[i + 1:])
        if w.text.startswith(head) and w.text.endswith(tail):
            more[gs[i].key][w.text[len(head):len(w.text) - len(tail)]] += 1
    table.update(_decide(more))
    table.update(_by_offset(table, {g.key for g in glyphs if not g.known} - set(table)))
    kinds = len({g.key for g in glyphs if not g.known})
    return Cipher(table, kinds)


def decoded(words: list[Word], glyphs: list[Glyph], cipher: Optional[Cipher] = None,
            paired: Optional[list] = None) -> tuple[list[Word], int]:
    """The OCR words, each read from the layer's glyphs under it when the cipher knows them all and the
    reading is near Tesseract's (as many characters, or half its letters in common; not only its end
    punctuation dropped: '(963),' -> '(1963),', 'V4/' -> 'Val'); a reading with a space in it, two words
    under one box, keeps Tesseract's. Returns the words and how many changed."""
    from rapidfuzz.distance import Levenshtein
    paired = paired if paired is not None else pairs(words, glyphs)
    cipher = cipher or learn(words, glyphs, paired)
    out, changed = [], 0
    for w, gs in zip(words, paired):
        text = cipher.read(gs) if gs else None
        if text and text != w.text and not any(c.isspace() for c in text) \
                and (len(text) == len(w.text) or Levenshtein.normalized_similarity(text.lower(), w.text.lower()) >= 0.5) \
                and not (w.text.startswith(text) and not any(c.isalnum() for c in w.text[len(text):])):
            out.append(Word(text, w.x0, w.top, w.x1, w.bottom, w.size))
            changed += 1
        else:
            out.append(w)
    return out, changed

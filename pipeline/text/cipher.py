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


def layer_glyphs(chars: Iterable[dict]) -> list[Glyph]:
    """pdfplumber's characters of a page as glyphs (upright ones: turned text is read apart)."""
    out = []
    for c in chars:
        if not c.get("upright", True):
            continue
        text = c.get("text") or ""
        key = f"{c.get('fontname', '')}{text}" if _CID.fullmatch(text) else text
        if key:
            out.append(Glyph(key, float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])))
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


def _spaces(glyphs: list[Glyph], claimed) -> set[str]:
    """The glyphs that are spaces: per font, the glyph found most often outside every word's box (three
    times at least), when it lies outside them four times in five."""
    out_of, seen = Counter(), Counter()
    for i, g in enumerate(glyphs):
        if not g.known:
            seen[g.key] += 1
            if i not in claimed:
                out_of[g.key] += 1
    best: dict[str, tuple[int, str]] = {}
    for key, n in out_of.items():
        font = key.rsplit("(cid:", 1)[0]
        if n >= 3 and n >= 0.8 * seen[key] and n > best.get(font, (0, ""))[0]:
            best[font] = (n, key)
    return {key for _, key in best.values()}


def layer_words(glyphs: list[Glyph], spaces: set[str]) -> list[tuple[tuple[Glyph, ...], tuple]]:
    """The layer's glyphs as words: glyphs of one line (their middles within each other's height), left
    to right, cut at a space glyph or a gap of a fifth of their height. [(glyphs, box)]. A line is the
    glyphs whose height overlaps by half its first glyph's (a superscript 'e' stays on its line)."""
    lines: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.top):
        h = g.bottom - g.top
        for line in reversed(lines):
            ref = line[0]
            if ref.bottom < g.top - 2 * h:
                lines.append([g])
                break
            if min(g.bottom, ref.bottom) - max(g.top, ref.top) > 0.5 * min(h, ref.bottom - ref.top):
                line.append(g)
                break
        else:
            lines.append([g])
    out = []
    for line in lines:
        line.sort(key=lambda g: g.x0)
        cur: list[Glyph] = []
        for g in line + [None]:
            gap = g is not None and cur and g.x0 - cur[-1].x1 > 0.2 * (g.bottom - g.top)
            space = g is not None and (g.key in spaces or g.key.isspace())
            if g is None or space or gap:
                if cur:
                    out.append((tuple(cur), (cur[0].x0, min(c.top for c in cur), cur[-1].x1, max(c.bottom for c in cur))))
                cur = [] if g is None or space else [g]
            else:
                cur.append(g)
    return out


def _pairs(words: list[Word], glyphs: list[Glyph]) -> list[Optional[tuple[Glyph, ...]]]:
    """For each OCR word, the one layer word it covers and that covers it (each the other's only match:
    more than half of the narrower one's width in common, on the same line), or None."""
    spaces = _spaces(glyphs, _claims(words, glyphs))
    lw = layer_words(glyphs, spaces)
    import bisect
    lw.sort(key=lambda t: t[1][1])
    tops = [b[1] for _, b in lw]

    def common(w, b) -> bool:
        h = w.bottom - w.top
        across = min(w.x1, b[2]) - max(w.x0, b[0])
        cy = (b[1] + b[3]) / 2
        return across > 0.5 * min(w.x1 - w.x0, b[2] - b[0]) and w.top - 0.3 * h <= cy <= w.bottom + 0.3 * h
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


def learn(words: list[Word], glyphs: list[Glyph]) -> Cipher:
    """The cipher a page's OCR words teach about the glyphs under them."""
    under = [p or () for p in _pairs(words, glyphs)]
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


def decoded(words: list[Word], glyphs: list[Glyph], cipher: Optional[Cipher] = None) -> tuple[list[Word], int]:
    """The OCR words, each read from the layer's glyphs under it when the cipher knows them all (a
    reading with a space in it, two words under one box, keeps Tesseract's); and how many changed."""
    cipher = cipher or learn(words, glyphs)
    out, changed = [], 0
    for w, gs in zip(words, _pairs(words, glyphs)):
        text = cipher.read(gs) if gs else None
        if text and text != w.text and not any(c.isspace() for c in text):
            out.append(Word(text, w.x0, w.top, w.x1, w.bottom, w.size))
            changed += 1
        else:
            out.append(w)
    return out, changed

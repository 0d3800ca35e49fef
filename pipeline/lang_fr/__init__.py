"""French as the pipeline reads it: word lists kept as data (``words.toml``), and small predicates on
words. Shared by every stage; imports nothing heavy (no spaCy).

    words("de")          -> frozenset({'de', 'du', 'des', "d'", 'd’'})
    phrases("generic_tails") -> (('de', 'la', 'région'), ...)
    is_cap("Québec"), is_acronym("MAMROT"), is_caps("RÉGION DE LA MAURICIE")

Values: :mod:`pipeline.lang_fr.numbers` (amounts, counts), :mod:`pipeline.lang_fr.dates`; names:
:mod:`pipeline.lang_fr.names`; the vocabulary: :mod:`pipeline.lang_fr.lexicon`.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from ..errors import RuleError

DATA = Path(__file__).parent / "data"
WORDS_FILE = Path(__file__).with_name("words.toml")
ACRONYM_RX = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ0-9&]{1,9}$")


@lru_cache(maxsize=1)
def word_lists() -> dict[str, tuple[str, ...]]:
    """Every list of ``words.toml`` by name, in file order."""
    try:
        raw = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise RuleError(f"{WORDS_FILE}: bad TOML: {e}") from None
    out = {}
    for name, value in raw.items():
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise RuleError(f"{WORDS_FILE}: {name!r} must be a list of non-empty strings")
        out[name] = tuple(value)
    return out


def bare_forms(ws) -> list[str]:
    """The words of ``ws`` written without their accents, as old OCR layers and typewritten bulletins have
    them ('ministere', 'societe', 'cooperative'): words of five letters or more whose bare form is no other
    word a rule could mistake ('unaccented_collisions': 'marche', 'charge'; not 'a' for 'à')."""
    ws = list(ws)
    clash = words("unaccented_collisions")
    return list(dict.fromkeys(b for w in ws if (b := fold(w)) != w and len(b) >= 5 and b not in ws and b not in clash))


def words(name: str) -> frozenset[str]:
    """The word list ``name`` of ``words.toml`` as a set."""
    lists = word_lists()
    if name not in lists:
        raise RuleError(f"no word list {name!r} in {WORDS_FILE} (have: {', '.join(sorted(lists))})")
    return frozenset(lists[name])


def phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """A list of ``words.toml`` whose items are phrases, each as its words (apostrophes split off:
    "de l'entente" -> ('de', "l'", 'entente'), as the tokenizer cuts it)."""
    words(name)
    return tuple(tuple(re.findall(r"\w+['’]|[^\s'’]+", p)) for p in word_lists()[name])


@lru_cache(maxsize=1)
def ocr_confusions() -> dict[str, str]:
    """Words OCR reads for others, as ``data/ocr_confusions.tsv`` lists them: read as -> meant."""
    path = DATA / "ocr_confusions.tsv"
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not all(c.strip() for c in cols):
            raise RuleError(f"{path}:{n}: expected 'read as<TAB>meant': {line!r}")
        out[cols[0].strip()] = cols[1].strip()
    return out


def is_cap(text: str) -> bool:
    """Whether a word starts with a capital letter."""
    return text[:1].isupper()


def is_acronym(text: str) -> bool:
    """'CRÉ', 'MAMROT', 'SADC', 'FTQ': two to ten capitals (digits and '&' allowed after the first),
    two letters at least."""
    return bool(ACRONYM_RX.match(text)) and sum(c.isalpha() for c in text) >= 2


def is_caps(line: str) -> bool:
    """A line written in capitals (two letters at least, no lower-case one)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def fold(s: str) -> str:
    """Lower-case, no accents, typographic apostrophes made plain: the key for word look-ups."""
    from .numbers import fold as _fold
    return _fold(s)


__all__ = ["words", "phrases", "word_lists", "ocr_confusions", "is_cap", "is_acronym", "is_caps", "fold"]

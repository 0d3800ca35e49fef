"""Helpers shared by the record builders: names as records carry them, figure values, spans of text."""
from __future__ import annotations

import re
from typing import Optional

from ..lang_fr import words
from ..lang_fr.lexicon import is_word
from ..lang_fr.names import body_case
from ..nlp.annotations import Figure, PageAnnotations, Sentence

PREPS = words("prepositions")


def clean_name(text: str) -> str:
    """Whitespace made single; an acronym defined inside the name left out: 'Centre local de
    développement (CLD) de Maskinongé' is named 'Centre local de développement de Maskinongé'; a name
    printed in capitals as running text writes it ('MUNICIPALITÉ DE SAINT-DAMIEN' -> 'Municipalité de
    Saint-Damien', 'MRC DE LA MATAWINIE' -> 'MRC de la Matawinie')."""
    text = body_case(re.sub(r"\s+", " ", text).strip(" ,;:"), is_word)
    return re.sub(r"(?<=\w) \([A-ZÀ-Ý][A-ZÀ-Ý&\-]{1,9}\) (?=\w)", " ", text)


def sentence_text(a: PageAnnotations, s: Sentence) -> str:
    return a.text[s.start_char:s.end_char]


def fig_start_char(a: PageAnnotations, f: Figure) -> int:
    """Where the tokens of a figure start in the page text."""
    return a[f.start].idx


def amount(f: Figure) -> Optional[float]:
    return f.value["amount"] if isinstance(f.value, dict) else None


def first_value(figures) -> Optional[object]:
    return next((f.value for f in figures if f.value), None)


def in_sentence(items, s: Sentence) -> list:
    """The items (anything with a token ``start``) that start inside the sentence."""
    return [x for x in items if s.start <= x.start < s.end]


__all__ = ["clean_name", "sentence_text", "fig_start_char", "amount", "first_value", "in_sentence", "PREPS"]


def _read_sectors() -> dict[str, str]:
    """data/sectors.tsv: adjective forms (by '|') -> the sector they name ('forestières' -> foresterie)."""
    from pathlib import Path
    out = {}
    path = Path(__file__).with_name("data") / "sectors.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        forms, sector = line.split("\t")
        for f in forms.split("|"):
            out[f.strip()] = sector.strip()
    return out


SECTOR_ADJECTIVES = _read_sectors()

"""Names as people write them: title case for names printed in capitals, and the keys used to
decide that two spellings name the same thing."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PARTICLES = {"de", "du", "des", "la", "le", "d", "van", "von", "der", "et"}


def title_case(name: str) -> str:
    """'CLÉMENT BERGERON' -> 'Clément Bergeron', "CLAIRE L'HEUREUX" -> "Claire L'Heureux",
    'JEAN-FRANÇOIS DE LA DURANTAYE' -> 'Jean-François de la Durantaye'. Mixed-case input is kept."""
    if any(c.islower() for c in name):
        return name
    out = []
    for i, word in enumerate(name.split()):
        parts = re.split(r"([-'’])", word.lower())
        parts = [p if p in "-'’" else (p if (p in _PARTICLES and i > 0 and len(parts) == 1) else p[:1].upper() + p[1:])
                 for p in parts]
        out.append("".join(parts))
    return " ".join(out)


def key(name: str) -> str:
    """Accent-, case-, apostrophe- and article-insensitive key of a name."""
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "'")
    s = re.sub(r"^(l'|la |le |les |madame |monsieur |m\. |mme )", "", s.strip())
    return re.sub(r"\s+", " ", re.sub(r"[^\w' -]", " ", s)).strip()


def unsuffixed_key(name: str) -> str:
    """The key of a body's name without its legal form at the end: 'Coopérative de pêcheurs de Lamèque
    Ltée' and 'Coopérative de pêcheurs de Lamèque' are one body ('coop' is a name, not a legal form)."""
    from . import words
    k = key(name)
    suffixes = {key(w) for w in words("legal_suffixes")} - {"coop"}
    parts = k.split()
    while len(parts) > 1 and parts[-1].strip(".") in suffixes:
        parts.pop()
    return " ".join(parts)


def initials_match(acronym: str, words: list[str]) -> bool:
    """Whether ``acronym`` is spelled by the initials of the content words (hyphen parts count)."""
    stop = {"de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "pour", "à", "au", "aux", "sur", "a"}
    letters = []
    for w in words:
        for part in re.split(r"[-'’]", w):
            p = key(part)
            if p and p not in stop:
                letters.append(p[0])
    return "".join(letters) == key(acronym).replace(" ", "")


# -- keys across documents (pipeline.resolve) ------------------------------------------------------
_ARTICLE = re.compile(r"^(?:l'|la |le |les )")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")   # accents, after NFKD
_HONORIFIC = re.compile(r"^(?:(?:madame|monsieur|mme|mmes|mlle|m|mr|dr|dre|me|pr)\.? )+")
# spellings of one word: 'Coop', 'Co-op', 'Coopérative' are one head noun; 'Caisse populaire Desjardins' is
# the 'Caisse Desjardins' of today; 'St-' and 'Ste-' are 'Saint-' and 'Sainte-'
_SAME_WORDS = ((re.compile(r"\bco ?op(?:erative)?\b"), "cooperative"),
               (re.compile(r"\bco ?op(?:erative)?s\b"), "cooperatives"),
               (re.compile(r"\bcaisse populaire desjardins\b"), "caisse desjardins"),
               (re.compile(r"\bcaisse populaire\b"), "caisse desjardins"),
               (re.compile(r"\bste\b"), "sainte"), (re.compile(r"\bst\b"), "saint"))


@lru_cache(maxsize=1 << 16)
def fold_words(name: str) -> str:
    """Accents, case, apostrophes, hyphens, dashes, slashes and punctuation away, words kept in order:
    'Coopérative de développement régional Centre-du-Québec/Mauricie' ->
    'cooperative de developpement regional centre du quebec mauricie'."""
    s = _COMBINING.sub("", unicodedata.normalize("NFKD", name or "")).lower().replace("’", "'").replace("`", "'")
    s = re.sub(r"\s+", " ", re.sub(r"[^\w']+", " ", s).replace("_", " ")).strip()
    return re.sub(r"\b([dl]) ?' ?", r"\1'", s)


def body_key(name: str) -> str:
    """The key of a body's name, before acronyms and places are read (:mod:`pipeline.resolve.entities`):
    words folded (:func:`fold_words`), a leading article dropped, 'Coop' / 'Co-op' / 'Coopérative' one
    word, 'Caisse populaire (Desjardins)' the 'Caisse Desjardins', 'St-' 'Saint-':
    'La Coop de Saint-Fidèle' and 'Coopérative de St-Fidèle' -> 'cooperative de saint fidele'."""
    s = _ARTICLE.sub("", fold_words(name))
    for rx, word in _SAME_WORDS:
        s = rx.sub(word, s)
    return s


def person_key(name: str) -> str:
    """The key of a person's name: words folded, honorifics dropped ('M. Jean-Guy Côté' ->
    'jean guy cote')."""
    return _HONORIFIC.sub("", fold_words(name).replace("'", " ")).strip()

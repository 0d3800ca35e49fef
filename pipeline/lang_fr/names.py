"""Names as people write them: title case for names printed in capitals, and the keys used to
decide that two spellings name the same thing."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PARTICLES = {"de", "du", "des", "la", "le", "d", "van", "von", "der", "et"}


# particles inside a hyphenated place name, after its first part ('SAINT-DAMIEN-DE-BUCKLAND',
# 'RIVIÈRE-DU-LOUP', 'SAINT-JEAN-SUR-RICHELIEU', "SAINT-JEAN-DE-L'ÎLE-D'ORLÉANS")
_HYPHEN_PARTICLES = {"de", "du", "des", "la", "le", "les", "sur", "en", "aux", "d", "l"}


def title_case(name: str) -> str:
    """'CLÉMENT BERGERON' -> 'Clément Bergeron', "CLAIRE L'HEUREUX" -> "Claire L'Heureux",
    'JEAN-FRANÇOIS DE LA DURANTAYE' -> 'Jean-François de la Durantaye', 'SAINT-DAMIEN-DE-BUCKLAND' ->
    'Saint-Damien-de-Buckland'. Mixed-case input is kept."""
    if any(c.islower() for c in name):
        return name
    return " ".join(_title_word(word, i > 0) for i, word in enumerate(name.split()))


def _title_word(word: str, inner: bool) -> str:
    parts = re.split(r"([-'’])", word.lower())
    out = []
    for k, p in enumerate(parts):
        if p in ("-", "'", "’", ""):
            out.append(p)
        elif len(parts) == 1 and inner and p in _PARTICLES or k > 0 and parts[k - 1] == "-" and p in _HYPHEN_PARTICLES:
            out.append(p)
        else:
            out.append(p[:1].upper() + p[1:])
    return "".join(out)


def body_case(name: str, is_word) -> str:
    """A body's name printed in capitals, as it is written in running text: 'MUNICIPALITÉ DE
    SAINT-DAMIEN-DE-BUCKLAND' -> 'Municipalité de Saint-Damien-de-Buckland'; its acronyms stay ('MRC DE
    LA MATAWINIE' -> 'MRC de la Matawinie': a short word that is no French word, or one with no vowel).
    One word, a name with a lower-case letter, or one without a particle ('CRÉ VHSL': acronyms) is kept
    as it is."""
    words_ = name.split()
    if len(words_) < 2 or any(c.islower() for c in name) or not any(w.lower() in _PARTICLES for w in words_[1:]):
        return name
    out = []
    for i, w in enumerate(words_):
        letters = w.replace("-", "").replace("'", "").replace("’", "")
        acronym = "-" not in w and (not re.search(r"[AEIOUYÀ-ÖÙ-Ý]", letters) or len(letters) <= 5 and not is_word(w.lower())
                                    and w.lower() not in _PARTICLES)
        out.append(w if acronym else _title_word(w, i > 0))
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

"""Names as people write them: title case for names printed in capitals, and the keys used to
decide that two spellings name the same thing."""
from __future__ import annotations

import re
import unicodedata

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


def body_key(name: str) -> str:
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

"""How two values are judged the same when scoring against gold files (``bulletins eval``, the
record types' evaluations), exactly as the shared scorer does: names accent-, case-, dash- and
apostrophe-insensitively or at a fuzzy ratio of 90 or more, amounts to the cent, sectors by the stems of
their words."""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz


def key(s: str) -> str:
    """A name as the shared scorer (../shared/tools/record_score.py) compares it: no accents, lower case,
    plain apostrophes and hyphens for dashes, no leading article or honorific, no punctuation."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("’", "'").replace("–", "-").replace("—", "-")
    s = re.sub(r"^(l'|la |le |les |madame |monsieur |m\. |mme )", "", s.strip())
    return re.sub(r"\s+", " ", re.sub(r"[^\w' -]", " ", s)).strip()


def same(a: str, b: str) -> bool:
    a, b = key(a), key(b)
    return bool(a) and (a == b or (min(len(a), len(b)) > 6 and fuzz.ratio(a, b) >= 90))


def same_as_any(name: str, group) -> bool:
    return any(same(name, a) for a in group)


def dedupe(names) -> list:
    """Names without repeats (same key), empty ones dropped, first spelling kept."""
    out = []
    for n in names:
        if n and key(n) and not any(key(n) == key(o) for o in out):
            out.append(n)
    return out


def amount(v):
    """A money value ({'amount': ...} or a number) rounded to the cent; None when it is not one."""
    if isinstance(v, dict):
        v = v.get("amount")
    try:
        return round(float(v), 2)
    except (TypeError, ValueError):
        return None


def sector_ok(pred, gold) -> bool:
    if not gold:
        return not pred
    if not pred:
        return False
    stems = [w[:5] for w in key(gold).split() if len(w) > 3] or [key(gold)]
    return all(s in key(pred) for s in stems)


def mentions(out: dict, label: str) -> list[dict]:
    return [m for m in out.get("mentions", []) if m.get("label") == label]


__all__ = ["same", "same_as_any", "dedupe", "amount", "sector_ok", "mentions"]

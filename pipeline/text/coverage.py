"""Coverage: every word of a page's text layer or OCR is kept, in the reading-order text or in the
page's furniture; a page that keeps less is flagged for review (``Page.review``)."""
from __future__ import annotations

import re
from collections import Counter


def _tokens(text: str) -> list[str]:
    return [t for t in (re.sub(r"^\W+|\W+$", "", x.lower().replace("’", "'").replace("–", "-")) for x in text.split()) if t]


def coverage(found: list[str], text: str, furniture) -> dict:
    """words_found / words_kept: each word of the layer or the OCR (with a letter or a digit) found
    again in the page text or its furniture (a word cut at a line end is found inside the joined one)."""
    kept_text = text + "\n" + "\n".join(f.text for f in furniture)
    bag = Counter(_tokens(kept_text))
    flat = " ".join(_tokens(kept_text)).replace("-", "")
    n = k = 0
    for t in _tokens(" ".join(found)):
        if not any(c.isalnum() for c in t):
            continue
        n += 1
        if bag[t] > 0:
            bag[t] -= 1
            k += 1
        elif t.replace("-", "") in flat:
            k += 1
    return {"words_found": n, "words_kept": k}


__all__ = ["coverage"]

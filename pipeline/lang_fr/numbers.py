"""French numbers and amounts: plain, tested Python that turns a matched string into a value.

The rule files find *where* a figure is; this module says *what* it is worth.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Optional

DATA = Path(__file__).with_name("data")

_SPACES = "\u00a0\u202f\u2009\u2007 "
_UNITS: dict[str, int] = {}
_APPROX_NOUNS: dict[str, int] = {}
_MULTIPLIERS: dict[str, int] = {}


def _load() -> None:
    for line in (DATA / "number_words.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word, value = line.split("\t")
        {"unit": _UNITS, "approx": _APPROX_NOUNS, "mult": _MULTIPLIERS}[kind][word] = int(value)


_load()


def fold(s: str) -> str:
    """Lower-case, strip accents and typographic apostrophes: the key for word look-ups."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


NUMBER_WORDS = frozenset(_UNITS) | frozenset(_MULTIPLIERS)
APPROX_NOUNS = frozenset(_APPROX_NOUNS)


def number_words_regex() -> str:
    """Alternation of number words (accent-insensitive forms included), longest first."""
    words = set(_UNITS) | {"cent", "cents", "mille"}
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def parse_digits(text: str) -> Optional[float]:
    """'250 000' -> 250000, '1,2' -> 1.2, '94.000' -> 94000, '125.000,50' -> 125000.5, '12,345' -> 12.345."""
    s = text.strip()
    for sp in _SPACES:
        s = s.replace(sp, "")
    if not s or not re.fullmatch(r"[\d.,]+", s) or not re.search(r"\d", s):
        return None
    if "," in s and "." in s:                       # 125.000,50 (European) or 1,250.50 (English)
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "." in s:
        parts = s.split(".")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3 and parts[0] != "0"):
            s = s.replace(".", "")                  # 94.000 -> thousands separator
    elif "," in s:
        parts = s.split(",")
        if len(parts) > 2:
            s = s.replace(",", "")                  # 1,250,000
        else:
            s = s.replace(",", ".")                 # French decimal comma
    try:
        return float(s)
    except ValueError:
        return None


def parse_words(text: str) -> Optional[int]:
    """French number words to an integer: 'sept' 7, 'quarante-deux' 42, 'deux cent cinquante' 250,
    'quatre-vingt-dix-neuf' 99, 'trois mille' 3000, 'vingt et un' 21. None when a word is not a number."""
    words = [w for w in re.split(r"[\s\-]+", fold(text).strip()) if w and w != "et"]
    if not words:
        return None
    total, current = 0, 0
    for w in words:
        if w in ("cent", "cents"):
            current = (current or 1) * 100
        elif w == "mille" or w == "milles":
            total += (current or 1) * 1000
            current = 0
        elif w in _MULTIPLIERS:
            total = (total + (current or 1)) * _MULTIPLIERS[w]
            current = 0
        elif w in _UNITS:
            if w == "vingt" and current and current % 100 == 4:   # quatre-vingt(s)
                current = current - 4 + 80
            elif w == "vingts" and current and current % 100 == 4:
                current = current - 4 + 80
            else:
                current += _UNITS[w]
        else:
            return None
    return total + current


def parse_number(text: str) -> Optional[float]:
    """Digits or words, with an optional scale word: '2,3 millions' 2300000, '1,2 M' 1200000, 'sept' 7;
    one comma before three digits and no scale is a thousands separator ('15,000' 15000, '1,250 M' 1.25 M)."""
    s = fold(text).strip()
    s = re.sub(r"\bd'?$", "", s).strip()
    m = re.fullmatch(r"([\d\s\u00a0\u202f.,]+?)\s*(millions?|milliards?|m|k|g|mm|md|mille)?\.?", s)
    if m:
        digits = re.sub(r"[\s\u00a0\u202f]", "", m.group(1))
        if not m.group(2) and re.fullmatch(r"[1-9]\d{0,2},\d{3}", digits):
            digits = digits.replace(",", "")        # '$15,000', '1,900 membres': no amount or count has three decimals
        value = parse_digits(digits)
        if value is None:
            return None
        scale = {"million": 1e6, "millions": 1e6, "m": 1e6, "mm": 1e6, "milliard": 1e9, "milliards": 1e9,
                 "md": 1e9, "g": 1e9, "k": 1e3, "mille": 1e3}.get(m.group(2) or "", 1)
        return value * scale
    value = parse_words(s)
    return float(value) if value is not None else None


def parse_count(text: str) -> Optional[int]:
    """A counted quantity as written: '53', 'sept', 'quarante-deux', 'une centaine' (100), '10 000'."""
    s = fold(text).strip()
    m = re.fullmatch(r"(?:une?|des|quelques)\s+(\w+)", s)
    if m and m.group(1) in _APPROX_NOUNS:
        return _APPROX_NOUNS[m.group(1)]
    if s in _APPROX_NOUNS:
        return _APPROX_NOUNS[s]
    value = parse_number(text)
    if value is None or value != int(value):
        return None
    return int(value)


_CURRENCIES = [
    (r"\$\s*us|us\s*\$|\$\s*usd?|usd|dollars?\s+am[ée]ricains?|dollars?\s+us|\$\s*am[ée]ricains?", "USD"),
    (r"\$\s*(?:ca|can|cad|c)\b|\$cad|cad|dollars?\s+canadiens?", "CAD"),
    (r"\$\s*hk|dollars?\s+de\s+hong\s+kong", "HKD"),
    (r"dollars?\s+australiens?", "AUD"),
    (r"€|euros?|eur\b", "EUR"),
    (r"£|livres?(?:\s+sterling)?|pence|penny", "GBP"),
    (r"francs?\s+suisses?", "CHF"),
    (r"francs?", "FRF"),
    (r"yens?", "JPY"),
    (r"yuans?", "CNY"),
    (r"\$|dollars?|pia(?:stre|sse)s?", "CAD"),     # ('piastres', 'piasses': dollars, as people say them)
]


def currency_of(text: str) -> str:
    """ISO code of the currency written in a money string; '$' alone is Canadian in these bulletins."""
    s = fold(text)
    for pattern, code in _CURRENCIES:
        if re.search(pattern, s):
            return code
    return "CAD"


def parse_money(text: str) -> Optional[dict]:
    """'250 000 $' -> {'amount': 250000.0, 'currency': 'CAD'}; also '1,2 M$', '2,3 millions de dollars',
    '$ 75 millions', '50 000 dollars', 'cinq millions de yens', '12 cents' (0.12)."""
    s = fold(text)
    s = re.sub(r"[\s\u00a0\u202f]+", " ", s).strip()
    half = re.search(r"\bdemi-(million|milliard)", s)
    if half:                # 'un demi-milliard $'
        return {"amount": 5e5 if half.group(1) == "million" else 5e8, "currency": currency_of(s)}
    m = re.search(r"(\d[\d .,]*\d|\d)\s*(millions?|milliards?|mm|md|m|k|g)?(?=\b|\s|\$|€|£|$)", s)
    amount: Optional[float]
    if m:
        amount = parse_number(m.group(1) + (" " + m.group(2) if m.group(2) else ""))
    else:
        words = re.sub(r"\b(de|d'|des)\b.*$", "", s)
        words = re.sub(r"[$€£].*$", "", words).strip()
        words = re.sub(r"\b(dollars?|euros?|yens?|livres?|francs?|pia(?:stre|sse)s?)\b.*$", "", words).strip()
        if not re.search(r"[$€£]|dollar|euro|yen|livre|franc|piast|piass", s):
            words = re.sub(r"\b(cents?|centimes?)\b.*$", "", words).strip()     # '12 cents': the currency
        amount = parse_number(words) if words else None     # 'trois cents dollars': 300
        if amount is None and re.fullmatch(r"(un|une) \w+", s):
            amount = 1.0
    if amount is None:
        return None
    if re.search(r"\b(cents?|centimes?|pence|penny)\b", s) and not re.search(r"[$€£]|dollar|euro", s):
        amount = amount / 100
    return {"amount": round(amount, 2), "currency": currency_of(s)}


def parse_percent(text: str) -> Optional[float]:
    s = fold(text)
    m = re.search(r"[\d\s.,\u00a0\u202f]*\d", s)
    if m:
        return parse_digits(m.group(0))
    words = re.sub(r"\s*(%|pour\s*cent|pourcent|p\.\s*100).*$", "", s)
    v = parse_words(words)
    return float(v) if v is not None else None

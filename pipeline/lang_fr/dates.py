"""Dates: a matched French date string -> ISO 8601 cut to the precision written.

The rules (``rules/figures.jsonl``) say where a date is; this module normalises it with
dateparser (French, day first), relative to the bulletin's issue date when the year is not written.
"8 avril 2011" -> "2011-04-08", "juin 2010" -> "2010-06", "en 2005" -> "2005", "le 2 décembre" -> the
2 December nearest the issue date, or None when there is no issue date to anchor it.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Optional

from .numbers import fold, parse_count

MONTHS = {"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
          "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
          "novembre": 11, "nov": 11, "decembre": 12, "dec": 12}
_YEAR = r"(1[89]\d\d|20\d\d)"
_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@lru_cache(maxsize=1)
def _parser():
    import dateparser  # slow import: only when a date needs it
    return dateparser


def load_parser() -> None:
    """Load dateparser and its French data now (about 0.3 s), not inside the first document that needs it."""
    _parser().date.DateDataParser(languages=["fr"]).get_date_data("3 mars 2024")


def _anchor(issue_date: Optional[str]) -> Optional[dt.datetime]:
    if not issue_date:
        return None
    parts = [int(p) for p in issue_date.split("-")] + [1, 1]
    try:
        return dt.datetime(parts[0], parts[1] or 1, parts[2] or 1)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def normalise(text: str, issue_date: Optional[str] = None) -> Optional[str]:
    s = fold(text).strip()
    s = re.sub(r"\s+", " ", s)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})", s)
    if m:                                   # year first: 2015/08/12, 2015.5.13
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-,]\s?(\d{4}|\d{2})", s)
    if m:                                   # day first, as written in Quebec French
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            y += 1900 if y >= 50 else 2000  # '05/05/89' 1989, '3-7-07' 2007
        if b > 12 >= a:
            a, b = b, a                     # '02/22/2016': month first, the only reading possible
        return _iso(y, b, a)
    m = re.fullmatch(_YEAR, s)
    if m:
        return m.group(1)
    s = re.sub(r"^(?:le|la|les|du|au|en|depuis|des|dès)\s+", "", s)
    s = re.sub(r"^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+(?=\d|1er|premier)", "", s)
    m = re.fullmatch(r"(?:printemps|ete|automne|hiver)\s+(?:de\s+|d')?" + _YEAR, s)
    if m:
        return m.group(1)
    m = re.fullmatch(r"([a-z]+)\.?\s+(?:de\s+|d')?" + _YEAR, s)
    if m and m.group(1) in MONTHS:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    m = re.fullmatch(r"(1er|1re|premier|\d{1,2})\s+([a-z]+)\.?(?:,?\s+" + _YEAR + r")?", s)
    if m and m.group(2) in MONTHS:
        day = 1 if not m.group(1).isdigit() else int(m.group(1))
        month = MONTHS[m.group(2)]
        if m.group(3):
            return _iso(int(m.group(3)), month, day)
        anchor = _anchor(issue_date)
        if anchor is None:
            return None
        return _nearest(anchor, month, day)
    anchor = _anchor(issue_date)
    if anchor is None:
        return None
    m = re.fullmatch(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+(prochain|dernier)", s)
    if m:
        target = _WEEKDAYS.index(m.group(1))
        delta = (target - anchor.weekday()) % 7 or 7
        day = anchor + dt.timedelta(days=delta if m.group(2) == "prochain" else delta - 7)
        return day.date().isoformat()
    settings = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": anchor,
                "RETURN_TIME_AS_PERIOD": False}
    data = _parser().date.DateDataParser(languages=["fr"], settings=settings).get_date_data(text)
    if not data or not data.date_obj:
        return None
    d = data.date_obj
    return {"year": f"{d.year}", "month": f"{d.year}-{d.month:02d}"}.get(data.period or "day", d.strftime("%Y-%m-%d"))


def _iso(y: int, m: int, d: int) -> Optional[str]:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _nearest(anchor: dt.datetime, month: int, day: int) -> Optional[str]:
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        iso = _iso(y, month, day)
        if iso is None:
            continue
        gap = abs((dt.date.fromisoformat(iso) - anchor.date()).days)
        if best is None or gap < best[0]:
            best = (gap, iso)
    return best[1] if best else None


_ADJ_YEARS = {"biennal": 2, "biennale": 2, "triennal": 3, "triennale": 3, "triennaux": 3, "quadriennal": 4,
              "quadriennale": 4, "quinquennal": 5, "quinquennale": 5, "quinquennaux": 5, "decennal": 10, "decennale": 10}


def duration_years(text: str) -> Optional[int]:
    """'sur cinq ans' -> 5, 'pendant 3 années' -> 3, 'quinquennale' -> 5, "toute l'année" -> 1."""
    s = fold(text)
    if s in _ADJ_YEARS:
        return _ADJ_YEARS[s]
    if re.fullmatch(r"tout(?:e)? l'an(?:nee)?", s):
        return 1
    m = re.search(r"((?:\d[\d ]*)|[a-z\- ]+?)\s+(?:prochaines\s+|premieres\s+)?(?:ans|annees)\b", s)
    if not m:
        return parse_count(s)
    words = re.sub(r"^.*\b(?:sur|pendant|durant|de|les)\s+", "", m.group(1).strip())
    return parse_count(words)


def issue_date_in(text: str) -> Optional[str]:
    """The issue date printed on a bulletin's first lines ('Bulletin no 12 — printemps 2011',
    'Juin 2010', 'Volume 3, numéro 2, 15 mars 2012'): the first dated expression in the first 400 chars."""
    head = fold(text[:400])
    m = re.search(r"\b(\d{1,2}|1er) +([a-z]+)\.? +" + _YEAR, head)
    if m and m.group(2) in MONTHS:
        return normalise(m.group(0))
    m = re.search(r"\b([a-z]+)\.?\s+(?:de\s+|d')?" + _YEAR, head)
    if m and m.group(1) in MONTHS:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    m = re.search(r"\b(?:printemps|ete|automne|hiver)\s+" + _YEAR, head)
    if m:
        return m.group(1)
    return None


def year_written(text: str) -> bool:
    """Whether a date as written gives its year ('8 avril 2011', '2014-2015', '05/05/89'), rather than
    taking it from the issue date ('le 27 novembre dernier', 'lundi prochain')."""
    return bool(re.search(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text) or re.search(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b", text))

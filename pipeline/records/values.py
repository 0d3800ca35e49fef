"""Field values as people type and read them: one parser per :class:`~.spec.Column`, shared by the review
API, the store and the export, so a value that could break an export is never stored.

    parse(column, "125 000")                       -> 125000.0   (a money column)
    parse(column, "sur cinq ans")                  -> 5          (a period in years)
    parse(column, "8 avril 2011")                  -> '2011-04-08' (a date, at the precision written)
    validate_changes(spec, {"amount": "1,2 M$"}, current_values)   -> {"amount": 1200000.0}
    problem(column, value)                         -> None, or why a stored value breaks the schema
    display(column, value, record_values)          -> '45 000 $'

Numbers are read with the French parsers of extraction (:mod:`pipeline.lang_fr.numbers`, :mod:`~pipeline.lang_fr.dates`):
"125 000", "1,2 M$", "2,3 millions de dollars", "quarante-deux", "une centaine", "sur cinq ans", "quinquennal".
A value is refused, with a message for the reviewer, when it is not of its column's type, not finite,
larger than :data:`MAX_NUMBER`, negative where the column says ``non_negative``, outside the column's
``allowed`` values, or a text longer than :data:`MAX_TEXT` characters.
"""
from __future__ import annotations

import math
import re
from typing import Any, Mapping, Optional

from ..lang_fr import dates, numbers
from .spec import Column, RecordSpec

MAX_TEXT = 500                 # characters in one text field (a name, a role, a title)
MAX_NUMBER = 1e13              # above this an amount, a count or a period is a typing slip
_CURRENCY_SYMBOLS = {"CAD": "$", "USD": "$ US", "EUR": "€", "GBP": "£"}
_EXPLICIT_CURRENCY = re.compile(r"[$€£]|dollar|euro|livre|franc|yen|yuan|\b(?:usd|cad|eur|gbp|chf|jpy|cny|hkd|aud)\b")
# what may surround the number of an amount: scale words, currencies, 'de'
_MONEY_WORDS = re.compile(r"\b(?:millions?|milliards?|mm|md|m|k|g|mille|de|d|des|dollars?|canadiens?|americains?|"
                          r"us|usd|ca|can|cad|euros?|eur|livres?|sterling|gbp|francs?|suisses?|chf|yens?|jpy|yuans?|"
                          r"cny|hkd|aud|australiens?|cents?|et)\b|[$€£'’]")
_YEARS_PREFIX = re.compile(r"^(?:(?:sur|pendant|durant|pour|les|de|d'une duree de|une periode de|echelonnee?s? sur|"
                           r"etalee?s? sur|reparties? sur)\s+)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class InvalidValues(ValueError):
    """Values a reviewer gave that their columns refuse: ``errors`` maps each field to its message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


def parse(col: Column, raw: Any, issue_date: Optional[str] = None) -> Any:
    """The value of ``raw`` (what the reviewer typed, or a JSON value) for a column; ValueError with a
    message for the reviewer when the column cannot hold it."""
    return _parse(col, raw, issue_date)[0]


def _parse(col: Column, raw: Any, issue_date: Optional[str]) -> tuple[Any, Optional[str]]:
    """(value, currency written with it or None)."""
    if isinstance(raw, str):
        raw = re.sub(r"\s+", " ", _CONTROL.sub("", raw)).strip()
        if len(raw) > MAX_TEXT:
            raise ValueError(f"too long: {len(raw)} characters (at most {MAX_TEXT})")
        if raw == "":
            raw = None
    if raw is None:
        if not col.nullable:
            raise ValueError("a value is required")
        return None, None
    if col.type == "str":
        return _text(col, raw, issue_date), None
    if col.type == "bool":
        return _boolean(raw), None
    value, currency = _number(col, raw)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise ValueError(f"{raw!r} is out of range")
    if col.non_negative and value < 0:
        raise ValueError("must not be negative")
    if col.type == "int" or col.format in ("count", "years"):
        if value != int(value):
            if col.type == "int" or col.format == "count":
                raise ValueError(f"{raw!r} is not a whole number")
            return value, currency
        return int(value), currency
    if col.format == "money":
        value = round(value, 2)
    return float(value), currency


def _text(col: Column, raw: Any, issue_date: Optional[str]) -> str:
    if col.format == "date" and isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise ValueError("expected text")
    if col.format == "date":
        return _date(raw, issue_date)
    if col.format == "currency":
        if re.fullmatch(r"[A-Za-z]{3}", raw):
            return raw.upper()
        if _EXPLICIT_CURRENCY.search(numbers.fold(raw)):
            return numbers.currency_of(raw)
        raise ValueError(f"{raw!r} is not a currency (CAD, USD, EUR, $...)")
    if col.allowed is not None:
        if raw in col.allowed:
            return raw
        folded = {numbers.fold(a): a for a in col.allowed}
        if numbers.fold(raw) in folded:
            return folded[numbers.fold(raw)]
        raise ValueError(f"{raw!r} is not one of: {', '.join(sorted(col.allowed))}")
    return raw


def _date(raw: str, issue_date: Optional[str]) -> str:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", raw)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        if mo and not 1 <= int(mo) <= 12:
            raise ValueError(f"{raw!r} is not a date")
        if d and dates.normalise(raw) is None:
            raise ValueError(f"{raw!r} is not a date")
        return raw
    iso = dates.normalise(raw, issue_date)
    if iso is None:
        raise ValueError(f"{raw!r} is not a date (write 2011-04-08, 8 avril 2011, avril 2011 or 2011)")
    return iso


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        s = numbers.fold(raw)
        if s in ("oui", "vrai", "true", "1", "yes", "o", "y"):
            return True
        if s in ("non", "faux", "false", "0", "no", "n"):
            return False
    raise ValueError(f"{raw!r} is not oui or non")


def _number(col: Column, raw: Any) -> tuple[float, Optional[str]]:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError("expected a number")
    if not isinstance(raw, str):
        return float(raw), None
    s = raw.replace("\u2212", "-")
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("+-").strip()
    folded = numbers.fold(s)
    value: Optional[float]
    currency = None
    if col.format == "money":
        residue = re.sub(r"[\d\s.,\u00a0\u202f-]+", " ", folded)
        residue = _MONEY_WORDS.sub(" ", residue).split()
        if any(w not in numbers.NUMBER_WORDS and w not in ("cent", "cents", "mille", "une") for w in residue):
            raise ValueError(f"{raw!r} is not an amount (write 125 000, 125 000 $ or 1,2 M$)")
        money = numbers.parse_money(s)
        value = money["amount"] if money else None
        if money and _EXPLICIT_CURRENCY.search(folded):
            currency = money["currency"]
    elif col.format == "years":
        value = dates.duration_years(folded) if re.fullmatch(r"[a-z]+", folded) else None
        if value is None:
            rest = _YEARS_PREFIX.sub("", folded)
            rest = re.sub(r"\s*(?:prochaines |premieres )?(?:ans?|annees?)$", "", rest).strip()
            value = numbers.parse_number(rest) if rest else None
            if value is None and rest:
                value = numbers.parse_count(rest)
    elif col.format == "count":
        value = numbers.parse_count(s)
    else:
        value = numbers.parse_number(s)
    if value is None:
        what = {"years": "a number of years (write 5, cinq ans or sur cinq ans)",
                "count": "a count (write 42, quarante-deux or une centaine)"}.get(col.format or "", "a number")
        raise ValueError(f"{raw!r} is not {what}")
    return sign * float(value), currency


def validate_changes(spec: RecordSpec, changes: Any, current: Mapping[str, Any],
                     issue_date: Optional[str] = None) -> dict[str, Any]:
    """A reviewer's changes (field -> what was typed), each parsed by its column; InvalidValues with a
    message per refused field. An amount typed with its currency ('50 000 €') sets the record's currency
    column too, unless the same changes give that column another value."""
    if not isinstance(changes, Mapping):
        raise InvalidValues({"changes": "expected an object of field: value"})
    errors, out, written = {}, {}, {}
    for f, raw in changes.items():
        col = spec.columns.get(f) if isinstance(f, str) else None
        if col is None:
            errors[str(f)[:60]] = f"{spec.name} has no editable field {str(f)[:60]!r}"
            continue
        try:
            out[f], cur = _parse(col, raw, issue_date)
        except ValueError as e:
            errors[f] = str(e)
            continue
        if cur:
            written[f] = cur
    cur_field = currency_field(spec)
    for f, code in written.items():
        if cur_field is None:
            continue
        if cur_field in out:
            if out[cur_field] != code:
                errors[f] = f"written in {code} but {cur_field} is {out[cur_field]}"
        elif current.get(cur_field) != code:
            out[cur_field] = code
    if errors:
        raise InvalidValues(errors)
    return out


def problem(col: Column, v: Any) -> Optional[str]:
    """Why a stored value breaks its column's export schema, or None."""
    if v is None or (isinstance(v, float) and v != v):
        return None if col.nullable else "empty"
    ok = {"str": lambda x: isinstance(x, str), "int": lambda x: isinstance(x, int) and not isinstance(x, bool),
          "float": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
          "bool": lambda x: isinstance(x, bool)}[col.type]
    if not ok(v):
        return f"{v!r} is not {col.type}"
    if col.type in ("int", "float") and not math.isfinite(v):
        return f"{v!r} is not a finite number"
    if col.allowed is not None and v not in col.allowed:
        return f"{v!r} not one of {sorted(col.allowed)}"
    if col.non_negative and v < 0:
        return f"negative value {v!r}"
    return None


def number_fr(v: float, decimals: int = 2) -> str:
    """250000 -> '250 000', 1234.5 -> '1 234,50', 0.25 -> '0,25'."""
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", " ")
    return f"{v:,.{decimals}f}".replace(",", " ").replace(".", ",")


def currency_field(spec: RecordSpec) -> Optional[str]:
    """The column that holds the currency of the record's amounts (``format="currency"``), if any."""
    return next((n for n, c in spec.columns.items() if c.format == "currency"), None)


def display(col: Column, v: Any, currency: Optional[str] = None) -> str:
    """A value as a French reader writes it, and as :func:`parse` reads it back: '45 000 $', '5 ans', 'oui'."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, (int, float)) and col.type in ("int", "float"):
        if not math.isfinite(v):
            return str(v)
        if col.format == "money":
            return f"{number_fr(v)} {_CURRENCY_SYMBOLS.get(currency or 'CAD', currency)}"
        if col.format == "years":
            return f"{number_fr(v)} an" + ("s" if v >= 2 else "")
        return number_fr(v)
    return str(v)


def displayed(spec: RecordSpec, values: Mapping[str, Any]) -> dict[str, str]:
    """Every column of a record as :func:`display` writes it."""
    cur = values.get(currency_field(spec) or "")
    return {f: display(col, values.get(f), cur) for f, col in spec.columns.items()}


__all__ = ["parse", "validate_changes", "problem", "display", "displayed", "currency_field", "number_fr", "InvalidValues", "MAX_TEXT", "MAX_NUMBER"]

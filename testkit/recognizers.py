"""Microsoft Recognizers-Text's French specs (MIT, tests/data/peer) run through the pipeline's figure
rules, suite by suite (``python -m bench.recognizers`` prints the shares; tests/test_recognizers.py holds
them). Each suite tallies the supported cases (those not marked NotSupported for python) the pipeline
gets right:
- currency: every expected amount is found as a MONEY value, and no other MONEY value;
- dates (DateParser): the DATE value equals the expected date; 'absolute' = written with its year
  (the cases that matter for bulletins), 'relative' = resolved against ReferenceDateTime;
- date extraction (DateExtractor): every expected date text is overlapped by a DATE mention;
- durations (DurationExtractor, whole years): 'sur cinq ans' -> period 5, 'toute l'année' -> 1 (a
  fraction of a year, 'demi année', is not a funding period in years and is left out);
- numbers (NumberModel, integers): the number normaliser (digits and French number words) gives the
  expected integer.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.nlp.figures import find_figures
from pipeline.lang_fr.numbers import parse_count, parse_number

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "peer" / "recognizers-text-fr"
FRACTION = re.compile(r"\b(demi|quart|tiers)\b", re.I)
ABSOLUTE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list = field(default_factory=list)

    def add(self, ok: bool, case) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(case)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


def load(spec_dir: Path, name: str) -> list[dict]:
    cases = json.loads((spec_dir / f"{name}.json").read_text(encoding="utf-8-sig"))
    return [c for c in cases if "python" not in (c.get("NotSupported") or "").lower()]


def currency(spec_dir: Path) -> Tally:
    t = Tally()
    for c in load(spec_dir, "CurrencyModel"):
        # Recognizers-Text gives a value in its unit (50 cents -> 50); MONEY values are in the main unit
        want = sorted(round(float(r["Resolution"]["value"].replace(",", ".")) /
                            (100 if r["Resolution"].get("unit") in ("Cent", "Penny", "Pence", "Centime") else 1), 2)
                      for r in c["Results"] if r.get("Resolution", {}).get("value") not in (None, ""))
        got = sorted(round(f.value["amount"], 2) for f in find_figures(c["Input"]) if f.label == "MONEY" and f.value)
        t.add(got == want, (c["Input"], want, got))
    return t


def _reference(c) -> str | None:
    ref = (c.get("Context") or {}).get("ReferenceDateTime")
    return ref[:10] if ref else None


def dates(spec_dir: Path) -> tuple[Tally, Tally]:
    absolute, relative = Tally(), Tally()
    for c in load(spec_dir, "DateParser"):
        for r in c["Results"]:
            if r.get("Type") != "date":
                continue
            timex = (r.get("Value") or {}).get("Timex", "")
            expect = timex if ABSOLUTE.match(timex) else ((r.get("Value") or {}).get("FutureResolution") or {}).get("date")
            if not expect:
                continue
            got = [f.value for f in find_figures(c["Input"], issue_date=_reference(c)) if f.label == "DATE"]
            written_year = ABSOLUTE.match(timex) and re.search(r"\d{2}", r["Text"]) and re.search(
                r"(?<!\d)(\d{4}|\d{2})(?!\d)\s*$|(?<!\d)\d{4}(?!\d)", r["Text"])
            (absolute if written_year else relative).add(expect in got, (c["Input"], expect, got))
    return absolute, relative


def date_extraction(spec_dir: Path) -> Tally:
    t = Tally()
    for c in load(spec_dir, "DateExtractor"):
        figs = [f for f in find_figures(c["Input"]) if f.label == "DATE"]
        ok = all(any(f.start < r["Start"] + r["Length"] and r["Start"] < f.end for f in figs) for r in c["Results"])
        t.add(ok and bool(c["Results"]) == bool(figs), (c["Input"], [r["Text"] for r in c["Results"]], [f.text for f in figs]))
    return t


def durations(spec_dir: Path) -> Tally:
    t = Tally()
    for c in load(spec_dir, "DurationExtractor"):
        years = [r for r in c["Results"] if re.search(r"\b(ans?|années?)\b", r["Text"], re.I)
                 and not FRACTION.search(r["Text"])]
        if not years or len(c["Results"]) != 1:
            continue
        got = [f for f in find_figures(c["Input"]) if f.label == "DURATION"]
        t.add(bool(got) and any(f.start < r["Start"] + r["Length"] and r["Start"] < f.end for f in got for r in years),
              (c["Input"], [r["Text"] for r in years], [(f.text, f.value) for f in got]))
    return t


def numbers(spec_dir: Path) -> Tally:
    t = Tally()
    for c in load(spec_dir, "NumberModel"):
        res = c["Results"]
        if len(res) != 1:
            continue
        v = (res[0].get("Resolution") or {}).get("value", "")
        if not re.fullmatch(r"-?\d+", v or "") or int(v) < 0:
            continue
        # the normaliser on the written number itself (COUNT mentions also need a counted noun)
        text = c["Input"].strip(" ,.!?")
        got = parse_number(text)
        if got is None:
            got = parse_count(text)
        found = [got] if got is not None else [f.value for f in find_figures(c["Input"]) if f.label == "COUNT"]
        t.add(int(v) in found, (c["Input"], int(v), found))
    return t

"""Figures: MONEY, COUNT, PERCENT, DATE (and internal DURATION) found by regex rules kept as data.

``rules/figures.jsonl`` holds one rule a line: ``id`` (stable), ``label``, ``pattern`` (a regex in
which ``{NAME}`` refers to ``rules/macros.json``), optional ``flags`` ("i"), ``priority`` (overlaps are
won by the higher priority, then the longer match) and ``approximate``. A named group ``v`` (or ``v1``,
``v2``) marks the part that is the mention (a group ``d1`` is a first day completed by the group ``my``); the rest is context. Label ``NONE`` marks text that must
*not* become a figure (phone numbers, issue numbers, ages...).

Turning a match into a value is plain Python: :mod:`pipeline.lang_fr.numbers` and :mod:`pipeline.lang_fr.dates`.
A figure is approximate when its rule says so or when a word of the macro ``APPROX`` comes just before it
('près de 500 emplois').
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from ..errors import RuleError
from ..lang_fr import dates, numbers
from .rules import RULES, read_jsonl


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    regex: re.Pattern
    priority: int
    approximate: bool = False


@dataclass(frozen=True)
class Figure:
    label: str
    start: int
    end: int
    text: str
    value: Any
    rule: str
    approximate: bool = False
    year_written: bool = True       # a DATE whose text gives its year (a day range's first day takes it)


def _expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise RuleError(f"macro recursion too deep in {pattern[:60]!r}")

    def sub(m):
        name = m.group(1)
        if name == "WORD":
            return numbers.number_words_regex()
        if name not in macros:
            raise RuleError(f"unknown macro {{{name}}} in figure rule")
        return _expand(macros[name], macros, depth + 1)
    return re.sub(r"\{([A-Z]+)\}", sub, pattern)


def read_macros(macros_path: str = str(RULES / "macros.json")) -> dict[str, str]:
    return {k: v for k, v in json.loads(Path(macros_path).read_text(encoding="utf-8")).items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def approx_before() -> re.Pattern:
    """Words that make the figure right after them approximate: the macro APPROX, at the end of a text."""
    return re.compile(_expand("{APPROX}", read_macros()) + r"\s*$", re.I)


@lru_cache(maxsize=4)
def load_rules(path: str = str(RULES / "figures.jsonl"), macros_path: str = str(RULES / "macros.json")) -> tuple[Rule, ...]:
    macros = read_macros(macros_path)
    rules = []
    for d in read_jsonl(Path(path)):
        flags = re.I if "i" in d.get("flags", "") else 0
        try:
            rx = re.compile(_expand(d["pattern"], macros), flags)
        except re.error as e:
            raise RuleError(f"{path}: rule {d['id']!r} has a bad regex: {e}") from None
        rules.append(Rule(d["id"], d["label"], rx, int(d.get("priority", 0)), bool(d.get("approximate"))))
    return tuple(rules)


def value_of(label: str, text: str, issue_date: Optional[str] = None) -> Any:
    if label == "MONEY":
        return numbers.parse_money(text)
    if label == "COUNT":
        return numbers.parse_count(text)
    if label == "PERCENT":
        return numbers.parse_percent(text)
    if label == "DATE":
        return dates.normalise(text, issue_date)
    if label == "DURATION":
        return dates.duration_years(text)
    return None


def find_figures(text: str, issue_date: Optional[str] = None, rules: Optional[tuple[Rule, ...]] = None) -> list[Figure]:
    """All figures of ``text``, non-overlapping, in text order. ``NONE`` blockers are applied and dropped."""
    rules = rules if rules is not None else load_rules()
    cands = []
    for rule in rules:
        for m in rule.regex.finditer(text):
            if m.end() == m.start():
                continue
            groups = [g for g in ("v", "v1", "v2") if g in rule.regex.groupindex and m.group(g) is not None]
            spans = [(m.start(g), m.end(g), None) for g in groups] or [(m.start(), m.end(), None)]
            if "d1" in rule.regex.groupindex and m.group("d1") and m.group("my"):
                # 'du 23 au 25 septembre 2010': the first day takes the month and year written after
                spans.insert(0, (m.start("d1"), m.end("d1"), m.group("d1") + " " + m.group("my")))
            cands.append((rule.priority, m.end() - m.start(), m.start(), m.end(), rule, spans))
    # the whole match claims its text, so a blocker's or a context word's text is not reused
    cands.sort(key=lambda c: (-c[0], -c[1], c[2]))
    claimed: list[tuple[int, int]] = []
    out: list[Figure] = []
    for _, _, ms, me, rule, spans in cands:
        if any(a < me and ms < b for a, b in claimed):
            continue
        claimed.append((ms, me))
        if rule.label == "NONE":
            continue
        for s, e, full in spans:
            mtext = text[s:e]
            value = value_of(rule.label, full or mtext, issue_date)
            if rule.label in ("COUNT", "MONEY", "PERCENT") and value is None:
                continue
            approx = rule.approximate or bool(approx_before().search(text[max(0, s - 30):s]))
            written = rule.label != "DATE" or dates.year_written(full or mtext)
            out.append(Figure(rule.label, s, e, mtext, value, rule.id, approx, written))
    out.sort(key=lambda f: f.start)
    return out

"""``bulletins eval GOLD_DIR``: precision, recall and F1 per field against gold files.

A gold file ``NAME.gold.json`` (the format of shared/samples) sits beside its input, ``NAME.txt`` or
``NAME.pdf`` (or any file ``NAME.*`` the extractor reads). Fields: people, orgs (alias groups), places,
money, dates, coops (names with kind cooperative), stats (co-op statistics), funding.
Names match accent-, case- and apostrophe-insensitively or at a fuzzy ratio >= 90; amounts exactly;
dates when one ISO value is a prefix of the other. Counts are summed over documents (micro average)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rapidfuzz import fuzz

from .errors import GoldError, InputNotFound
from .names import key

FIELDS = ("people", "orgs", "places", "money", "dates", "coops", "stats", "funding")
INPUT_ORDER = (".txt", ".pdf", ".png", ".tif", ".tiff", ".jpg", ".jpeg")


def same(a: str, b: str) -> bool:
    a, b = key(a), key(b)
    return bool(a) and (a == b or (min(len(a), len(b)) > 6 and fuzz.ratio(a, b) >= 90))


@dataclass
class Counts:
    tp_p: int = 0      # predictions that match gold
    n_p: int = 0
    tp_r: int = 0      # gold items found
    n_r: int = 0

    def add(self, other: "Counts") -> None:
        self.tp_p += other.tp_p; self.n_p += other.n_p; self.tp_r += other.tp_r; self.n_r += other.n_r

    @property
    def precision(self) -> float:
        return self.tp_p / self.n_p if self.n_p else (1.0 if not self.n_r else 0.0)

    @property
    def recall(self) -> float:
        return self.tp_r / self.n_r if self.n_r else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _dedupe(names):
    out = []
    for n in names:
        if n and key(n) and not any(key(n) == key(o) for o in out):
            out.append(n)
    return out


def _match(preds: list, golds: list, hit: Callable) -> Counts:
    return Counts(sum(1 for p in preds if any(hit(p, g) for g in golds)), len(preds),
                  sum(1 for g in golds if any(hit(p, g) for p in preds)), len(golds))


def _amount(v):
    if isinstance(v, dict):
        v = v.get("amount")
    try:
        return round(float(v), 2)
    except (TypeError, ValueError):
        return None


def _sector_ok(pred, gold) -> bool:
    if not gold:
        return not pred
    if not pred:
        return False
    stems = [w[:5] for w in key(gold).split() if len(w) > 3] or [key(gold)]
    return all(s in key(pred) for s in stems)


def score_document(gold: dict, out: dict) -> dict[str, Counts]:
    for f in ("people", "places", "orgs", "money", "dates", "cooperatives", "coop_stats", "funding"):
        if f not in gold:
            raise GoldError(f"gold file has no {f!r} field")
    ment = lambda label: [m for m in out.get("mentions", []) if m.get("label") == label]
    res: dict[str, Counts] = {}
    any_same = lambda name, group: any(same(name, a) for a in group)
    people = _dedupe([p.get("name") for p in out.get("people", [])] + [m.get("text") for m in ment("PER")])
    res["people"] = _match(people, [[g] for g in gold["people"]], any_same)
    orgs = [o.get("name") for o in out.get("organizations", [])] + \
        [o.get("acronym") for o in out.get("organizations", []) if o.get("acronym")] + [m.get("text") for m in ment("ORG")]
    res["orgs"] = _match(_dedupe(orgs), gold["orgs"], any_same)
    res["places"] = _match(_dedupe([m.get("text") for m in ment("LOC")]), [[g] for g in gold["places"]], any_same)
    pm = sorted({a for a in (_amount(m.get("value")) for m in ment("MONEY")) if a is not None})
    res["money"] = _match(pm, [float(a) for a in gold["money"]], lambda p, g: p == g)
    pd = sorted({str(m.get("value")) for m in ment("DATE") if m.get("value")})
    res["dates"] = _match(pd, gold["dates"], lambda p, g: p.startswith(g) or g.startswith(p))
    coops = _dedupe([o.get("name") for o in out.get("organizations", []) if (o.get("kind") or "") == "cooperative"])
    res["coops"] = _match(coops, [g["name"] for g in gold["cooperatives"]], any_same)
    res["stats"] = _match(out.get("coop_stats", []), gold["coop_stats"],
                          lambda p, g: p.get("measure") == g["measure"] and _amount(p.get("value")) == float(g["value"])
                          and _sector_ok(p.get("sector"), g.get("sector")))
    ignore = {float(a) for a in gold.get("funding_ignore_amounts", [])}
    pf = [f for f in out.get("funding", []) if _amount(f.get("amount")) not in ignore]

    def fhit(p, g):
        if _amount(p.get("amount")) != float(g["amount"]):
            return False
        if g.get("funder") is None:
            return bool(p.get("is_total")) or not p.get("funder")
        return bool(p.get("funder")) and any_same(p["funder"], g["funder"])
    res["funding"] = _match(pf, gold["funding"], fhit)
    return res


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    documents: dict[str, dict[str, Counts]] = field(default_factory=dict)

    @property
    def mean_f1(self) -> float:
        return sum(c.f1 for c in self.fields.values()) / len(self.fields)

    def document_mean(self, name: str) -> float:
        d = self.documents[name]
        return sum(c.f1 for c in d.values()) / len(d)


def find_input(gold: Path) -> Path:
    stem = gold.name[: -len(".gold.json")]
    for ext in INPUT_ORDER:
        p = gold.with_name(stem + ext)
        if p.exists():
            return p
    raise InputNotFound(gold.with_name(stem + ".txt"))


def evaluate_dir(gold_dir: Path, extract: Callable[[Path], dict] | None = None) -> Report:
    if not gold_dir.is_dir():
        raise InputNotFound(gold_dir)
    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        raise GoldError(f"no *.gold.json file in {gold_dir}")
    if extract is None:
        from .document import extract_file as extract
    report = Report()
    for g in golds:
        try:
            gold = json.loads(g.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise GoldError(f"{g}: bad JSON: {e}") from None
        out = extract(find_input(g))
        res = score_document(gold, out)
        report.documents[g.name[: -len('.gold.json')]] = res
        for f, c in res.items():
            report.fields[f].add(c)
    return report


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [f"{'field':<10} {'precision':>9} {'recall':>7} {'f1':>6}"]
    for f, c in report.fields.items():
        lines.append(f"{f:<10} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}")
    lines.append(f"{'mean':<10} {'':>9} {'':>7} {report.mean_f1:>6.3f}   ({len(report.documents)} documents)")
    if verbose:
        for name, res in report.documents.items():
            fields = " ".join(f"{k}={v.f1:.2f}" for k, v in res.items())
            lines.append(f"  {name}: f1={report.document_mean(name):.3f} {fields}")
    return "\n".join(lines)

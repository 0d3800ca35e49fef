"""``bulletins eval GOLD_DIR``: precision, recall and F1 per field against gold files.

A gold file ``NAME.gold.json`` (the format of shared/samples) sits beside its input, ``NAME.txt`` or
``NAME.pdf`` (or any file ``NAME.*`` the extractor reads). Fields: places, money and dates from the
mentions; the others from the record types' evaluations (``RecordSpec.evaluations``): people, orgs
(alias groups), coops (names with kind cooperative), stats (co-op statistics), funding.
Names match accent-, case- and apostrophe-insensitively or at a fuzzy ratio >= 90; amounts exactly;
dates when one ISO value is a prefix of the other. Counts are summed over documents (micro average)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import GoldError, InputNotFound
from .scoring import amount as _amount, dedupe as _dedupe, mentions, same_as_any

GOLD_FIELDS = ("people", "places", "orgs", "money", "dates", "cooperatives", "coop_stats", "funding")
INPUT_ORDER = (".txt", ".pdf", ".png", ".tif", ".tiff", ".jpg", ".jpeg")


def report_fields() -> tuple[str, ...]:
    """The report's fields: the record types' evaluations and the mention fields, in a fixed order."""
    from .records import specs
    names = [e.name for s in specs() for e in s.evaluations] + ["places", "money", "dates"]
    order = ("people", "orgs", "places", "money", "dates", "coops", "stats", "funding")
    return tuple(sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n)))


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


def _match(preds: list, golds: list, hit: Callable) -> Counts:
    return Counts(sum(1 for p in preds if any(hit(p, g) for g in golds)), len(preds),
                  sum(1 for g in golds if any(hit(p, g) for p in preds)), len(golds))


def score_document(gold: dict, out: dict) -> dict[str, Counts]:
    from .records import specs
    for f in GOLD_FIELDS:
        if f not in gold:
            raise GoldError(f"gold file has no {f!r} field")
    res: dict[str, Counts] = {}
    for spec in specs():
        for ev in spec.evaluations:
            res[ev.name] = _match(ev.predicted(out, gold), ev.gold(gold), ev.hit)
    res["places"] = _match(_dedupe([m.get("text") for m in mentions(out, "LOC")]), [[g] for g in gold["places"]],
                           same_as_any)
    pm = sorted({a for a in (_amount(m.get("value")) for m in mentions(out, "MONEY")) if a is not None})
    res["money"] = _match(pm, [float(a) for a in gold["money"]], lambda p, g: p == g)
    pd = sorted({str(m.get("value")) for m in mentions(out, "DATE") if m.get("value")})
    res["dates"] = _match(pd, gold["dates"], lambda p, g: p.startswith(g) or g.startswith(p))
    return {f: res[f] for f in report_fields()}


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in report_fields()})
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
        from .extract import extract_file as extract
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

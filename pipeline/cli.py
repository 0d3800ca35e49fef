"""The ``bulletins`` command: a thin layer over the library. Errors become one ``error: ...`` line
on stderr and exit status 2, never a traceback."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import BulletinsError


def _summary(doc: dict) -> str:
    d = doc["document"]
    counts = ", ".join(f"{len(doc[k])} {k.replace('_', ' ')}" for k in
                       ("organizations", "coop_stats", "funding", "people", "events"))
    methods = "/".join(sorted(set(d["page_methods"]))) or "-"
    words = sum(len(p["text"].split()) for p in doc["text"])
    lines = [f"{d['source']}: {d['pages']} page(s) [{methods}], {words} words, status {d['status']}",
             f"  {len(doc['mentions'])} mentions; records: {counts}"]
    for f in doc["funding"]:
        who = f["funder"] or ("total" if f["is_total"] else "?")
        period = f" over {f['period_years']} years" if f.get("period_years") else ""
        lines.append(f"  funding: {who} -> {f['amount']:,.0f} {f['currency']}{period}".replace(",", " "))
    for e in d.get("errors") or []:
        lines.append(f"  error: {e}")
    return "\n".join(lines)


def cmd_extract(args) -> int:
    from .document import extract_file
    doc = extract_file(args.path)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(_summary(doc))
    return 0 if doc["document"]["status"] != "failed" else 1


def cmd_eval(args) -> int:
    from .evaluate import evaluate_dir, format_report
    report = evaluate_dir(Path(args.gold_dir))
    print(format_report(report, verbose=args.verbose))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bulletins", description="French regional bulletins -> reviewed records.")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="one file (PDF, scan, image or .txt) -> document JSON on stdout")
    e.add_argument("path")
    e.add_argument("--json", action="store_true", help="print the document JSON (default: a short summary)")
    e.set_defaults(func=cmd_extract)
    v = sub.add_parser("eval", help="score extraction against the gold files of a directory")
    v.add_argument("gold_dir")
    v.add_argument("--verbose", action="store_true", help="per document scores too")
    v.set_defaults(func=cmd_eval)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BulletinsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130

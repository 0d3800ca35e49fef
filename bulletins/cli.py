"""The ``bulletins`` command: a thin layer over the library (``pipeline``), the Prefect flows
(``flows``) and the review page (``review``). It lives outside the library so that the library never
imports Prefect or the web app. Errors become one ``error: ...`` line on stderr and exit status 2, never a
traceback."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipeline.errors import BulletinsError


def _summary(doc: dict) -> str:
    from pipeline.records import names
    d = doc["document"]
    counts = ", ".join(f"{len(doc[k])} {k.replace('_', ' ')}" for k in names())
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
    from pipeline import extract_file
    doc = extract_file(args.path)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(_summary(doc))
    return 0 if doc["document"]["status"] != "failed" else 1


def cmd_eval(args) -> int:
    from pipeline.evaluate import evaluate_dir, format_report
    report = evaluate_dir(Path(args.gold_dir))
    print(format_report(report, verbose=args.verbose))
    return 0


def _print_ingest(summary: dict) -> None:
    earlier = f" ({summary['failed_earlier']} in an earlier run)" if summary.get("failed_earlier") else ""
    print(f"files seen {summary['seen']}, new {summary['new']}, skipped {summary['skipped']}, "
          f"failed {summary['failed']}{earlier}, partial {summary['partial']}; records written {summary['records']}"
          + (f", {summary['flagged']} reviewed records flagged for re-review" if summary.get("flagged") else "")
          + f" ({summary['seconds']} s)")
    res = summary.get("resolved")
    if res and "error" in res:
        print(f"  across documents: not resolved ({res['error']}); run `bulletins resolve`")
    elif res:
        print(f"  across documents: {res['organizations_entities']} organisations, {res['people_entities']} people, "
              f"{res['document_links']} near-duplicate document pairs, {res['carried']} reviews carried over")
    for d in summary["documents"]:
        if d["status"] in ("failed", "partial"):
            when = " (earlier run; fix or remove the file)" if d.get("earlier") else ""
            print(f"  {d['status']}: {d['source']}: {d['reason']}{when}")


def cmd_ingest(args) -> int:
    from pipeline.ingest import plan, summarize
    from pipeline.store.db import default_url
    from pipeline.store.url import absolute_url
    url = absolute_url(args.db or default_url())
    # what is new is decided from the store before any Prefect machinery: an unchanged raw/ answers at
    # once (and a missing raw/ or an unreachable store is one line)
    planned = plan(Path(args.raw_dir).resolve(), url, args.force)
    if not planned.todo:
        summary = summarize(planned, [], planned.seconds)
    else:
        _prefect_env()
        from flows.ingest import run
        summary = run(raw_dir=args.raw_dir, out_dir=args.out, db=url, force=args.force, dask=args.dask,
                      dask_address=args.dask_address, progress=sys.stderr.isatty(), planned=planned)
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    else:
        _print_ingest(summary)
    return 1 if summary["failed"] or summary["partial"] else 0


def _prefect_env() -> None:
    # Prefect's and Dask's logs go to $PREFECT_HOME/bulletins.log and the Prefect API, not the terminal
    # (flows/logs.py); the embedded server's telemetry has no network here
    from flows.logs import to_file
    to_file()


def cmd_serve(args) -> int:
    import signal
    _prefect_env()
    from flows.ingest import serve

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)              # `kill`: stop the local server and cluster too
    try:
        serve(raw_dir=args.raw_dir, out_dir=args.out, db=args.db, cron=args.cron, name=args.name, dask=args.dask,
              dask_address=args.dask_address, announce=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


def cmd_review(args) -> int:
    import uvicorn
    from review.app import create_app
    local = args.host in ("127.0.0.1", "localhost", "::1")
    token = args.token or os.environ.get("BULLETINS_TOKEN")
    if not local and not token:
        print("error: --host other than localhost requires --token (or BULLETINS_TOKEN)", file=sys.stderr)
        return 2
    try:
        app = create_app(db=args.db, raw_dir=args.raw_dir, out_dir=args.out,
                         reviewer=args.reviewer or os.environ.get("BULLETINS_REVIEWER"), token=token,
                         host=args.host, port=args.port, allowed_hosts=args.allowed_host)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    url = f"http://{args.host}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"review page on {url} (Ctrl-C to stop)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_export(args) -> int:
    from pipeline.store import Store
    from pipeline.store.export import export
    store = Store(args.db)
    try:
        result = export(store, args.out, fmt=args.format, status=args.status)
    finally:
        store.close()
    for t, p in result.items():
        print(f"{t}: {p} ({result.rows[t]} rows)")
    if result.problems:
        left = sorted({(p["table"], p["id"]) for p in result.problems})
        print(f"warning: {len(left)} row(s) left out because they break the export schema; the others are written "
              f"(report: {result.report})", file=sys.stderr)
        for p in result.problems[:20]:
            print(f"  {p['table']} {p['id']}: {p['field']}: {p['problem']}", file=sys.stderr)
        if len(result.problems) > 20:
            print(f"  ... and {len(result.problems) - 20} more in the report", file=sys.stderr)
        return 1
    return 0


def cmd_resolve(args) -> int:
    """Entities, near-duplicate documents and facts across the store (ingestion does it after new documents;
    a reviewer's merge or split does it too): prints the counts, or with ``--list`` every entity of several
    spellings with its variants and why they were joined; ``--json`` the counts as JSON."""
    import json
    from pipeline.store import Store
    from pipeline.store.resolved import entities, resolve
    store = Store(args.db)
    try:
        counts = resolve(store)
        ents = entities(store) if args.list else []
    finally:
        store.close()
    if args.json:
        print(json.dumps(counts, ensure_ascii=False, indent=1))
    else:
        print(f"{counts['organizations_entities']} organisations, {counts['people_entities']} people, "
              f"{counts['document_links']} near-duplicate document pairs, {counts['carried']} reviews carried over")
        print("facts / records: " + ", ".join(f"{t} {counts['facts'][t]}/{counts['records'][t]}" for t in counts["facts"]))
    for e in ents:
        if len(e["variants"]) > 1 or e["document_count"] > 1:
            print(f"{e['kind']} {e['id']} {e['name']!r} in {e['document_count']} document(s): "
                  + " | ".join(f"{v} ({n})" for v, n in e["variants"]) + f"  [{'; '.join(e['why'])}]")
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
    i = sub.add_parser("ingest", help="run the Prefect ingestion flow over RAW_DIR: new files -> extracted/ and the store")
    i.add_argument("raw_dir", nargs="?", default="raw")
    _store_args(i)
    i.add_argument("--force", action="store_true", help="re-extract every file, even unchanged ones")
    i.add_argument("--dask", type=int, metavar="N", help="run tasks on a local Dask cluster of N worker processes")
    i.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="run tasks on an existing Dask cluster")
    i.add_argument("--json", action="store_true", help="print the summary as JSON")
    i.set_defaults(func=cmd_ingest)
    s = sub.add_parser("serve", help="schedule ingestion of RAW_DIR with Prefect (cron, default every hour)")
    s.add_argument("raw_dir", nargs="?", default="raw")
    _store_args(s)
    s.add_argument("--cron", default=os.environ.get("BULLETINS_CRON", "0 * * * *"),
                   help="cron schedule (default: BULLETINS_CRON or '0 * * * *', every hour)")
    s.add_argument("--name", help="deployment name (default after what it does: ingest-RAW-hourly...)")
    s.add_argument("--dask", type=int, metavar="N", help="run tasks on a local Dask cluster of N worker processes")
    s.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="run tasks on an existing Dask cluster")
    s.set_defaults(func=cmd_serve)
    r = sub.add_parser("review", help="the review web page on 127.0.0.1 (default port 8765)")
    r.add_argument("--port", type=int, default=8765)
    r.add_argument("--host", default="127.0.0.1", help="bind address; anything but localhost needs --token")
    r.add_argument("--token", help="access token required on every request, 16 characters at least "
                                   "(default BULLETINS_TOKEN)")
    r.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="another name this server is reached by (a reverse proxy's); only the bound host's names "
                        "are answered otherwise (repeatable)")
    r.add_argument("--reviewer", help="reviewer name recorded with each action (default BULLETINS_REVIEWER, "
                                      "else the page asks once)")
    r.add_argument("--raw-dir", default="raw", help="where source files may be read for page images")
    _store_args(r)
    r.set_defaults(func=cmd_review)
    x = sub.add_parser("export", help="approved records -> one CSV/Parquet/JSON file per record type")
    x.add_argument("--format", choices=("csv", "parquet", "json"), default="csv")
    x.add_argument("--status", default="approved", metavar="STATUS[,STATUS]",
                   help="approved (default), pending, rejected, edited, several joined by commas "
                        "(approved,edited), or all")
    x.add_argument("--out", default="export", help="output directory (default export/)")
    x.add_argument("--db", default=None, help="store URL (default BULLETINS_DB or sqlite:///extracted/bulletins.db)")
    x.set_defaults(func=cmd_export)
    z = sub.add_parser("resolve", help="entities, near-duplicate documents and facts across the store (and the SQL views)")
    z.add_argument("--db", default=None, help="store URL (default BULLETINS_DB or sqlite:///extracted/bulletins.db)")
    z.add_argument("--list", action="store_true", help="list the entities of several spellings or documents")
    z.add_argument("--json", action="store_true", help="print the counts as JSON")
    z.set_defaults(func=cmd_resolve)
    return p


def _store_args(p) -> None:
    p.add_argument("--out", default="extracted", help="directory of per-document outputs (default extracted/)")
    p.add_argument("--db", default=None, help="store URL (default BULLETINS_DB or sqlite:///extracted/bulletins.db)")


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BulletinsError as e:
        print(f"error: {_one_line(e, args)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as e:                       # noqa: BLE001 - never a traceback: one line, no password
        print(f"error: {type(e).__name__}: {_one_line(e, args)}", file=sys.stderr)
        return 2


def _one_line(e: BaseException, args) -> str:
    from pipeline.store.url import redact_text
    text = str(e).strip()
    return redact_text(text.splitlines()[0] if text else type(e).__name__, getattr(args, "db", None),
                       os.environ.get("BULLETINS_DB"))

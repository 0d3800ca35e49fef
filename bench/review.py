"""Review at scale: the queue and approve-and-next on a store of 100,000 records.

    nice -n 10 python -m bench.review [--records 100000] [--docs 500] [--reviewed 0.3] [--repeat 30]
                                      [--db URL] [--work bench/out/review] [--browser] [--results bench/RESULTS.md]

1. Generates the store through the library's own save (``Store.save``, one document at a time): ``--records``
   funding records over ``--docs`` documents (French funders, recipients, amounts, periods, an evidence
   sentence; two thirds with a confidence), then marks a share ``--reviewed`` of them approved, edited or
   rejected (``Store.review_many``), so the queue holds the rest. Skipped when the store already holds them.
2. Serves it with the real command (``bulletins review`` in its own process, on 127.0.0.1).
3. Times, with an HTTP client: the first queue page (default view: to review, by document and page),
   the other sort orders, a search, the 20th page read with keyset links; then approve-and-next
   ``--repeat`` times: POST approve of the record shown, then GET of the next record's page (the URL the
   POST answers), following the queue as a reviewer does. Server times come from each response's
   ``Server-Timing`` header (the app's own time, from the request reaching it to the response starting);
   client times are the wall time of the HTTP call over loopback.
4. With ``--browser``: the first queue page loaded in headless Chromium (navigation to the load event).
Prints a markdown section and writes it into ``--results`` between the review-bench markers of its kind of
store (SQLite, PostgreSQL); the rest of the file is left as it is.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKS = "<!-- review-bench {} -->", "<!-- /review-bench {} -->"     # one section per kind of store
FUNDERS = ["MAMROT", "Emploi-Québec", "Desjardins", "la CRÉ de la Vallée-du-Haut-Saint-Laurent", "Développement économique Canada",
           "le CLD de Rimouski-Neigette", "Fondation Lucie et André Chagnon", "Investissement Québec", "le Fonds de solidarité FTQ",
           "la MRC de Maskinongé"]
RECIPIENTS = [None, "Coopérative de solidarité de Saint-Zénon", "Coop funéraire de Lanaudière", "Pôle régional d'économie sociale",
              "Coopérative forestière de Petit-Paris", "Épicerie coopérative de Saint-Camille", "Centre de la petite enfance Les Lucioles"]
KINDS = [None, "subvention", "prêt", "contribution", "fonds"]
SENTENCES = ["{f} a accordé {a} $ sur {p} ans à la {r} pour la relance de son épicerie.",
             "Une aide de {a} $ provient de {f}, qui appuie ainsi la {r}.",
             "La {r} a reçu {a} $ de {f} dans le cadre du programme d'économie sociale.",
             "{f} y contribue pour {a} $, un appui confirmé lors de l'assemblée générale annuelle."]


def french(n: float) -> str:
    return f"{int(n):,}".replace(",", " ")


def generate(url: str, records: int, docs: int, reviewed: float, seed: int = 19) -> dict:
    """Fill the store through Store.save, then review a share of it; returns counts and seconds."""
    from pipeline.records import names
    from pipeline.store import Store
    rng = random.Random(seed)
    store = Store(url)
    have = store.progress("funding")["total"]
    if have >= records:
        return {"generated": 0, "seconds": 0.0, "reviewed_seconds": 0.0, "total": have}
    t0 = time.perf_counter()
    per_doc = records // docs
    for d in range(docs):
        doc_id = f"{d:064x}"
        pages = 8
        doc = {"document": {"id": doc_id, "source": f"raw/bulletin-{d:04d}.pdf", "pages": pages,
                            "page_methods": ["text"] * pages, "issue_date": f"{2005 + d % 10}-{1 + d % 12:02d}"},
               "text": [{"page": p, "text": f"Bulletin {d}, page {p}.", "size": [612, 792]} for p in range(1, pages + 1)],
               "mentions": [], **{t: [] for t in names()}}
        keys = set()
        for i in range(per_doc):
            while True:              # distinct key fields (funder, amount, recipient): one record each
                f, r, k = rng.choice(FUNDERS), rng.choice(RECIPIENTS), rng.choice(KINDS)
                amount, period = float(rng.randrange(5, 2000) * 500), rng.choice([None, None, 2, 3, 5])
                if (f, amount, r) not in keys:
                    keys.add((f, amount, r))
                    break
            text = rng.choice(SENTENCES).format(f=f, a=french(amount), p=period or 3, r=r or "coopérative")
            rec = {"funder": f, "recipient": r, "amount": amount, "currency": "CAD", "kind": k, "period_years": period,
                   "is_total": False, "date": None,
                   "evidence": {"page": 1 + i % pages, "start": 0, "end": len(text), "text": f"{text} ({d}-{i})",
                                "bbox": [48.0, 100.0 + i % 40 * 15, 380.0, 112.0 + i % 40 * 15]}}
            if i % 3:
                rec["confidence"] = round(rng.random(), 3)
            doc["funding"].append(rec)
        store.save(doc, "bench")
    saved = time.perf_counter() - t0
    t1 = time.perf_counter()
    rows = [r for r in store.records("funding") if r["status"] == "pending"]
    rng.shuffle(rows)
    chosen = rows[:int(len(rows) * reviewed)]
    for k in range(0, len(chosen), 500):
        batch = [{"id": r["id"], "version": r["review"]["version"]} for r in chosen[k:k + 500]]
        store.review_many("funding", batch, ("approve", "approve", "reject")[k // 500 % 3], "bench")
    store.close()
    return {"generated": per_doc * docs, "seconds": saved, "reviewed_seconds": time.perf_counter() - t1,
            "total": per_doc * docs}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, work: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pipeline", "review", "--db", url, "--port", str(port), "--reviewer", "bench",
           "--raw-dir", str(work / "raw"), "--out", str(work / "extracted")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    import httpx
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/favicon.ico", timeout=1)
            return proc
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise SystemExit(f"the review server stopped: {proc.stdout.read()}")
            time.sleep(0.1)
    raise SystemExit("the review server did not start")


def timed(client, method: str, url: str, **kw):
    t0 = time.perf_counter()
    r = client.request(method, url, **kw)
    wall = 1000 * (time.perf_counter() - t0)
    r.raise_for_status()
    m = re.search(r"app;dur=([\d.]+)", r.headers.get("server-timing", ""))
    return r, float(m.group(1)) if m else float("nan"), wall


def stats(xs: list[float]) -> tuple[float, float, float]:
    xs = sorted(xs)
    return statistics.median(xs), xs[max(0, int(round(0.95 * len(xs))) - 1)], xs[-1]


def measure(base: str, repeat: int) -> dict:
    import httpx
    out: dict = {}
    with httpx.Client(base_url=base, timeout=60) as c:
        for name, url in (("first queue page (to review, by page)", "/?type=funding"),
                          ("first queue page, by confidence", "/?type=funding&sort=confidence"),
                          ("first queue page, by value", "/?type=funding&sort=value"),
                          ("first queue page, all statuses", "/?type=funding&status=all"),
                          ("first queue page, approved or edited", "/?type=funding&status=approved,edited"),
                          ("search 'saint-zenon 25 000'", "/?type=funding&status=all&q=saint-zenon+25+000")):
            timed(c, "GET", url)                                   # warm: the first request of a kind
            runs = [timed(c, "GET", url) for _ in range(repeat)]
            out[name] = (stats([s for _, s, _ in runs]), stats([w for _, _, w in runs]), len(runs[-1][0].content))
        url = "/?type=funding"
        for _ in range(19):                                       # the 20th page, through the keyset links
            html = c.get(url).text
            url = re.search(r'id="nextpage" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        runs = [timed(c, "GET", url) for _ in range(repeat)]
        out["20th queue page (keyset link)"] = (stats([s for _, s, _ in runs]), stats([w for _, _, w in runs]),
                                                len(runs[-1][0].content))
        first = re.search(r'data-href="([^"]+)"', c.get("/?type=funding").text).group(1).replace("&amp;", "&")
        page = c.get(first).text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        post, get, both = [], [], []
        url = first
        for _ in range(repeat):
            rid = re.search(r"/record/funding/([0-9a-f]{32})", url).group(1)
            version = int(re.search(r'id="version">(\d+)<', page).group(1))
            r, s1, w1 = timed(c, "POST", f"/api/review/funding/{rid}", headers={"X-CSRF-Token": csrf},
                              json={"action": "approve", "version": version, "queue": {"status": "todo", "sort": "page"}})
            url = r.json()["next"]
            r2, s2, w2 = timed(c, "GET", url)
            page = r2.text
            post.append((s1, w1))
            get.append((s2, w2))
            both.append((s1 + s2, w1 + w2))
        out["approve (POST)"] = (stats([s for s, _ in post]), stats([w for _, w in post]), None)
        out["next record page (GET)"] = (stats([s for s, _ in get]), stats([w for _, w in get]), len(page.encode()))
        out["approve-and-next (POST + GET)"] = (stats([s for s, _ in both]), stats([w for _, w in both]), None)
    return out


def browser_load(base: str, repeat: int = 5) -> list[float]:
    import shutil
    from playwright.sync_api import sync_playwright
    times = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = b.new_page()
        page.add_init_script("localStorage.setItem('reviewer', 'bench');")
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            page.goto(f"{base}/?type=funding", wait_until="load")
            page.wait_for_selector("#queue tr.sel")
            times.append(1000 * (time.perf_counter() - t0))
        b.close()
    return times[1:]


def plan(url: str) -> list[str]:
    """SQLite's plan for the first queue page's query (to show it walks an index, without sorting)."""
    if not url.startswith("sqlite"):
        return []
    from sqlalchemy import text
    from pipeline.store import Filters, MODELS, Store
    from pipeline.store import queue as q
    from sqlalchemy import select
    store = Store(url)
    m = MODELS["funding"]
    stmt = select(m.id).where(q.where(m, Filters())).order_by(*q.order(m, "page")).limit(51)
    sql = str(stmt.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
    return [r[-1] for r in rows]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--reviewed", type=float, default=0.3)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--db", default=None, help="store URL (default: SQLite under --work)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "review")
    ap.add_argument("--browser", action="store_true", help="also time the first queue page in headless Chromium")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    url = a.db or f"sqlite:///{a.work / f'review-{a.records}.db'}"
    gen = generate(url, a.records, a.docs, a.reviewed)
    from pipeline.store import Store
    store = Store(url)
    prog = store.progress("funding")
    store.close()
    port = free_port()
    proc = serve(url, a.work, port)
    load = os.getloadavg()[0]
    try:
        res = measure(f"http://127.0.0.1:{port}", a.repeat)
        browser = browser_load(f"http://127.0.0.1:{port}") if a.browser else None
    finally:
        proc.terminate()
        proc.wait(10)
    load = max(load, os.getloadavg()[0])
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    n = lambda x: f"{x:,}".replace(",", " ")                           # noqa: E731  100 000
    BEGIN, END = (m.format(kind.lower()) for m in MARKS)
    lines = [BEGIN, f"## Review at scale ({kind})", "",
             f"`python -m bench.review` ({time.strftime('%Y-%m-%d')}; this machine, {len(os.sched_getaffinity(0))} cores "
             f"shared with other work, load average up to {load:.1f} during the measures; run with `nice -n 10`): a {kind} store of **{n(prog['total'])}** funding records over {a.docs} documents, "
             f"{n(prog['reviewed'])} already reviewed, {n(prog['todo'])} to review"
             + (f" (generated through `Store.save` in {gen['seconds']:.0f} s, reviewed in bulk in {gen['reviewed_seconds']:.0f} s)"
                if gen["generated"] else " (the store of an earlier run)") + ". "
             "Served by `bulletins review` in its own process; each figure over "
             f"{a.repeat} requests after a warm-up one. Server: the app's own time (`Server-Timing`); client: the HTTP "
             "call's wall time over loopback. Target of issue 19: first page and approve-and-next under 300 ms.", "",
             "| request | server median | server p95 | server max | client median | client p95 | bytes |",
             "|---|---|---|---|---|---|---|"]
    for name, ((sm, sp, sx), (cm, cp, _), size) in res.items():
        lines.append(f"| {name} | {sm:.1f} ms | {sp:.1f} ms | {sx:.1f} ms | {cm:.1f} ms | {cp:.1f} ms | "
                     f"{n(size) if size else ''} |")
    if browser:
        bm, bp, _ = stats(browser)
        lines += ["", f"First queue page in headless Chromium (navigation to the load event, {len(browser)} loads): "
                      f"median {bm:.0f} ms, p95 {bp:.0f} ms."]
    p = plan(url)
    if p:
        lines += ["", "SQLite's plan for the first page's query: " + "; ".join(f"`{x}`" for x in p) + "."]
    lines += [END]
    section = "\n".join(lines)
    print(section)
    old = a.results.read_text(encoding="utf-8") if a.results.exists() else ""
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + section + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    a.results.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

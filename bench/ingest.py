"""Ingestion benchmark: orchestration overhead, re-run cost, Dask scaling.

    python -m bench.ingest [--pages 50] [--scans 20] [--repeat 3] [--dask-repeat 1] [--work bench/out/ingest]

1. Generates ``--pages`` distinct one-page digital bulletins (tests/data specs x layouts, bench/pages.py).
2. Library alone: ``extract_file`` on each, one after the other, model loaded once.
3. The Prefect flow over the same raw/ (fresh store): its own time (server start excluded); 2 and 3
   are repeated ``--repeat`` times, interleaved, and the ratios reported with their median.
4. The flow again over the unchanged raw/: nothing re-extracted; time as a share of run 3.
5. ``--scans`` scanned pages through the flow on a local Dask cluster with 1, then 2 worker processes:
   the flow's own time (workers warm: they load the model as the cluster starts) and the wall time of
   the whole call (cluster start and close included), each with its speed-up.
Prints a markdown table.
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "tests" / "data" / "dev").glob("*.spec")) + [ROOT / "tests" / "data" / "samples" / "vhsl-p71.spec"]


def make_corpus(out: Path, n: int, scans: int) -> tuple[Path, Path]:
    from testkit.pages import Layout, parse_spec, render_pdf, render_scan
    digital, scanned = out / "raw-digital", out / "raw-scans"
    for d in (digital, scanned):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    combos = itertools.product((2, 3), ("right", "left", "none"), ("serif", "sans"), (8.6, 9.0), SPECS)
    for k, (cols, side, font, size, spec) in enumerate(itertools.islice(combos, n)):
        render_pdf(parse_spec(spec.read_text(encoding="utf-8")), digital / f"{k:03d}-{spec.stem}-{cols}{side}{font}{size}.pdf",
                   Layout(columns=cols, sidebar=side, font=font, size=size))
    for k, pdf in enumerate(sorted(digital.glob("*.pdf"))[:scans]):
        render_scan(pdf, scanned / f"{pdf.stem}-scan.pdf", seed=k)
    return digital, scanned


def dask_scaling(raw: Path, work: Path, workers=(1, 2)) -> dict[int, tuple[int, float, float]]:
    """The flow over ``raw`` on a local Dask cluster of each number of worker processes, fresh
    outputs and store each time -> {workers: (documents, flow seconds, wall seconds incl. cluster start)}.
    Prefect's temporary server is started first, so that no wall time includes it."""
    from flows.ingest import prefect_api, run
    times = {}
    with prefect_api() as api:
        api.ready()
        for n in workers:
            out = work / f"out-dask{n}"
            shutil.rmtree(out, ignore_errors=True)
            t0 = time.perf_counter()
            res = run(raw_dir=str(raw), out_dir=str(out), db=f"sqlite:///{out}/b.db", dask=n)
            times[n] = (res["new"], res["seconds"], time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--scans", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3, help="library/flow pairs, interleaved (this VM is noisy)")
    ap.add_argument("--dask-repeat", type=int, default=1, help="1-worker/2-worker pairs")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "ingest")
    a = ap.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    digital, scanned = make_corpus(a.work, a.pages, a.scans)
    from pipeline import extract_file
    from pipeline.nlp.model import get_nlp
    from flows.ingest import run
    get_nlp()
    files = sorted(digital.glob("*.pdf"))

    def flow(raw, tag, fresh=True, **kw):
        out = a.work / f"out-{tag}"
        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        return run(raw_dir=str(raw), out_dir=str(out), db=f"sqlite:///{out}/b.db", **kw)

    rows, ratios = [], []
    for k in range(a.repeat):
        t0 = time.perf_counter()
        for f in files:
            extract_file(f)
        lib = time.perf_counter() - t0
        first = flow(digital, "digital")
        ratios.append(first["seconds"] / lib)
        rows.append((f"library alone, sequential (run {k + 1})", len(files), lib, ""))
        rows.append((f"flow, first run, 2 threads (run {k + 1})", first["new"], first["seconds"],
                     f"{first['seconds'] / lib:.2f} x library"))
    again = flow(digital, "digital", fresh=False)
    rows.append(("flow, unchanged raw/", again["skipped"], again["seconds"],
                 f"{100 * again['seconds'] / first['seconds']:.1f} % of the last first run"))
    speeds, walls = [], []
    for k in range(a.dask_repeat):
        times = dask_scaling(scanned, a.work)
        for workers, (n, sec, wall) in times.items():
            rows.append((f"scans on Dask, {workers} worker(s) (run {k + 1})", n, sec,
                         f"wall incl. cluster start and close {wall:.1f} s"))
        speeds.append(times[1][1] / times[2][1])
        walls.append(times[1][2] / times[2][2])
    print("| run | documents | seconds | note |\n|---|---|---|---|")
    for name, n, sec, note in rows:
        print(f"| {name} | {n} | {sec:.2f} | {note} |")
    print(f"\nflow / library: {', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})")
    if speeds:
        print(f"Dask speed-up 2 vs 1 workers (flow time): {', '.join(f'{s:.2f}' for s in speeds)} "
              f"(median {statistics.median(speeds):.2f}); wall time incl. cluster start: "
              f"{', '.join(f'{s:.2f}' for s in walls)} (median {statistics.median(walls):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

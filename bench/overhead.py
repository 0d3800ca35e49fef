"""Where the flow's CPU goes: a breakdown by process and thread, against the library alone.

    nice -n 10 python -m bench.overhead [--docs 60] [--scan-share 0.1] [--py-spy DIR]

The corpus of bench.scale (``--docs`` one-page bulletins, ``--scan-share`` scans). Then:

1. Library alone, in this process: ``ingest_file`` on every document (model loaded first), with the CPU of
   each call measured around it (``time.process_time``, ``time.thread_time``, and the reaped children: none
   since Tesseract runs in the process through libtesseract; the row is kept for a child process).
2. The flow on a local Dask cluster of 1 worker, SQLite, with this process's own Prefect server (as
   ``flows.ingest.run(dask=1)``, in its steps): the cluster's start (worker import and model load) is
   measured apart from the flow run. During the run, the CPU of every process is taken: this process
   (the flow, its Prefect task runs, and the LocalCluster's scheduler and nanny, by thread), the Prefect
   server, the worker (by thread) and its children (none since Tesseract runs in it); and, inside the worker, the CPU of each
   ``ingest_file`` call, measured as in 1.
3. ``--py-spy DIR``: py-spy samples the flow process, the server and the worker during the flow run
   (raw collapsed stacks in DIR, with ``--idle`` off: where the CPU goes).

Prints a table: CPU seconds per document by place. Measured to find the orchestration overhead of
issue 16; nothing is asserted.
"""
from __future__ import annotations

import argparse
import re
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")

_CALLS: list = []          # in a process that ran timed_ingest_file: (process, thread, children) CPU s per call
_SAMPLER = None


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_ingest_file(*args, **kw):
    """``pipeline.ingest.ingest_file`` with its CPU measured (in whichever process runs it)."""
    from pipeline.ingest import ingest_file
    p0, t0, c0 = time.process_time(), time.thread_time(), _children_cpu()
    try:
        return ingest_file(*args, **kw)
    finally:
        _CALLS.append((time.process_time() - p0, time.thread_time() - t0, _children_cpu() - c0))


def calls(reset: bool = False) -> list:
    out = list(_CALLS)
    if reset:
        _CALLS.clear()
    return out


class ThreadSampler:
    """CPU seconds of each thread of this process, by thread name (sampled every 0.2 s, so a thread that
    ended keeps what it had at its last sample)."""

    def __init__(self):
        self.last: dict[int, tuple[str, float]] = {}
        self.base: dict[int, float] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True, name="bench-thread-sampler")

    @staticmethod
    def snapshot() -> dict[int, tuple[str, float]]:
        names = {t.native_id: t.name for t in threading.enumerate()}
        out = {}
        for tid in os.listdir("/proc/self/task"):
            try:
                f = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
                comm = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
            except OSError:
                continue
            out[int(tid)] = (names.get(int(tid), f"(native {comm})"), (int(f[11]) + int(f[12])) / TICK)
        return out

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.2)

    def sample(self):
        for tid, v in self.snapshot().items():
            self.last[tid] = v

    def start(self):
        self.base = {tid: cpu for tid, (_, cpu) in self.snapshot().items()}
        self._t.start()
        return self

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._t.join()
        self.sample()
        by_name: dict[str, float] = {}
        for tid, (name, cpu) in self.last.items():
            by_name[name] = by_name.get(name, 0.0) + cpu - self.base.get(tid, 0.0)
        return by_name


def start_sampler() -> None:
    global _SAMPLER
    _SAMPLER = ThreadSampler().start()


def stop_sampler() -> dict:
    by_thread = _SAMPLER.stop()
    return {"threads": by_thread, "calls": calls(reset=True), "children": _children_cpu()}


def group(name: str) -> str:
    n = name.lower()
    if "bench-thread-sampler" in n:
        return "benchmark's sampler"
    if n.startswith("mainthread"):
        return "main thread"
    if n.startswith(("threadpoolexecutor", "dask-worker", "dask-default")) or "task" in n:
        return "executor threads"
    if "profile" in n:
        return "Dask profiler"
    return re.sub(r"[-_ ]?\d+", "", name) or name


def proc_cpu(p) -> tuple[float, float]:
    """(own, reaped children) CPU seconds of a psutil process."""
    t = p.cpu_times()
    return t.user + t.system, t.children_user + t.children_system


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.overhead", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--scan-share", type=float, default=0.1)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "overhead")
    ap.add_argument("--py-spy", type=Path, default=None)
    ap.add_argument("--skip-library", action="store_true")
    ap.add_argument("--rounds", type=int, default=1, help="alternate library alone and the flow this many times")
    ap.add_argument("--docs-per-task", type=int, default=None,
                    help="at most this many documents a task run (flows.ingest.MAX_DOCS_PER_TASK; 1: one a task run)")
    ap.add_argument("--dask-defaults", action="store_true", help="Dask's own settings, not flows.ingest.dask_settings()")
    ap.add_argument("--malloc-trim", action="store_true", help="keep Dask's MALLOC_TRIM_THRESHOLD_ in the worker")
    a = ap.parse_args(argv)
    from flows.logs import to_file
    to_file()
    os.environ.setdefault("PREFECT_HOME", str(a.work / "prefect-home"))
    from bench.scale import make_corpus
    work = a.work.resolve()
    raw = work / "raw"
    load0 = os.getloadavg()[0]
    make_corpus(raw, a.docs, a.scan_share, ROOT / "bench" / "out" / "scale" / "renders")
    files = sorted(raw.iterdir(), key=lambda p: -p.stat().st_size)
    n = len(files)
    rounds = []
    for k in range(a.rounds):
        res: dict = {}
        if not a.skip_library:
            res["library"] = library_alone(files, work)
            print("library alone:", {k: round(v, 2) for k, v in res["library"].items()}, flush=True)
        flow_once(a, files, work, res)
        res["load"] = f"{load0:.1f} -> {os.getloadavg()[0]:.1f}"
        print(report(res, n), flush=True)
        rounds.append(res)
    if len(rounds) > 1 and not a.skip_library:
        print(summary_of_rounds(rounds, n))
    return 0


def library_alone(files: list, work: Path) -> dict:
    """1. ``ingest_file`` on every document in this process (model loaded and a first document done
    first, as a Dask worker's preload does), then what the flow does once they are in: the resolution
    across documents."""
    from pipeline.ingest import ingest_file
    from pipeline.nlp.model import get_nlp
    from pipeline.store import Store
    from pipeline.store.resolved import resolve
    import psutil
    from bench.overhead import calls, timed_ingest_file      # by reference, never __main__'s
    get_nlp()
    out = work / "out-library"
    shutil.rmtree(out, ignore_errors=True)
    db = f"sqlite:///{out}/b.db"
    ingest_file(files[-1], work / "out-warm-up", f"sqlite:///{work}/warm-up.db")
    me = psutil.Process()
    own0, ch0 = proc_cpu(me)
    calls(reset=True)
    for f in files:
        timed_ingest_file(f, out, db)
    c = calls(reset=True)
    r0 = time.process_time()
    store = Store(db)
    resolve(store)
    store.close()
    resolved = time.process_time() - r0
    own1, ch1 = proc_cpu(me)
    return {"process": own1 - own0, "tesseract": ch1 - ch0, "call_process": sum(x[0] for x in c),
            "call_thread": sum(x[1] for x in c), "call_children": sum(x[2] for x in c), "resolve": resolved}


def flow_once(a, files: list, work: Path, res: dict) -> None:
    """2. The flow on a local Dask cluster of 1 worker (its start measured apart), every process's CPU."""
    import psutil
    import flows.ingest as fi
    from distributed import Client
    from bench.scale import is_worker
    # by reference (not cloudpickled by value from __main__): the worker imports bench.overhead itself
    from bench.overhead import start_sampler, stop_sampler, timed_ingest_file
    n = len(files)
    raw = files[0].parent
    out = work / "out-flow"
    shutil.rmtree(out, ignore_errors=True)
    db = f"sqlite:///{out}/b.db"
    me = psutil.Process()
    if a.dask_defaults:
        fi.dask_settings = dict
    elif a.malloc_trim:
        settings = fi.dask_settings()
        settings["distributed.nanny.pre-spawn-environ"]["MALLOC_TRIM_THRESHOLD_"] = 65536
        fi.dask_settings = lambda: settings
    fi.ingest_file = timed_ingest_file                         # submitted by reference: the worker imports bench
    if a.docs_per_task:
        fi.MAX_DOCS_PER_TASK = a.docs_per_task
    with fi.prefect_api() as api:
        t_start = time.perf_counter()
        own_a = proc_cpu(me)
        with fi.local_dask_cluster(1, api) as address:
            api.ready()
            kids = me.children(recursive=True)
            server = [k for k in kids if "flows.server" in " ".join(k.cmdline())][0]
            worker = [k for k in kids if is_worker(k)][0]
            print(f"cluster up in {time.perf_counter() - t_start:.1f} s; worker {worker.pid}, server {server.pid}", flush=True)
            client = Client(address, set_as_default=False)
            client.run(start_sampler)
            w0, s0 = proc_cpu(worker), proc_cpu(server)
            own0 = proc_cpu(me)
            res["start"] = {"flow process (cluster start)": own0[0] - own_a[0], "worker (import, model)": w0[0]}
            fi.mark_crashed_runs()
            spies = []
            if a.py_spy:
                a.py_spy.mkdir(parents=True, exist_ok=True)
                for name, pid in (("flow", os.getpid()), ("server", server.pid), ("worker", worker.pid)):
                    spies.append(subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
                                                   "--rate", "50", "--format", "raw", "--nonblocking", "--threads",
                                                   "-o", str(a.py_spy / f"{name}.txt")],
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                time.sleep(1.0)
            sampler = ThreadSampler().start()
            own0 = proc_cpu(me)
            t0 = time.perf_counter()
            state = fi.ingest_bulletins(raw_dir=str(raw), out_dir=str(out), db=db, dask_address=address, return_state=True)
            flow_s = time.perf_counter() - t0
            fi.drain_to_api()
            own1 = proc_cpu(me)
            threads = sampler.stop()
            w1, s1 = proc_cpu(worker), proc_cpu(server)
            inside = next(iter(client.run(stop_sampler).values()))
            for s in spies:
                s.send_signal(2)
                s.wait(30)
            client.close()
        summary = fi._summary_of(state, db)
    assert summary["new"] == n and summary["failed"] == 0, summary
    wc = inside["calls"]
    res["flow"] = {"seconds": flow_s, "flow process": own1[0] - own0[0], "flow threads": threads,
                   "server": s1[0] - s0[0], "worker": w1[0] - w0[0], "tesseract": w1[1] - w0[1],
                   "worker threads": inside["threads"], "call_process": sum(x[0] for x in wc),
                   "call_thread": sum(x[1] for x in wc), "call_children": sum(x[2] for x in wc)}


def totals(res: dict) -> tuple[float, float, float]:
    """(library alone, flow run, orchestration's own) CPU s of a round, the benchmark's own samplers left
    out. Orchestration's own: the flow process, the Prefect server, and the worker's threads other than
    the one ingesting (the documents' own compute, with its variance, left out)."""
    f = res["flow"]
    samplers = sum(s for name, s in {**f["flow threads"], **{("w", k): v for k, v in f["worker threads"].items()}}.items()
                   if "bench-thread-sampler" in str(name).lower())
    total = f["flow process"] + f["server"] + f["worker"] + f["tesseract"] - samplers
    own = total - f["call_process"] - f["tesseract"]
    lib = res.get("library")
    base = lib["process"] + lib["tesseract"] if lib else float("nan")
    return base, total, own


def summary_of_rounds(rounds: list, n: int) -> str:
    lines = ["", f"{len(rounds)} rounds, library alone and flow alternated ({n} documents):", "",
             "| round | library alone CPU s | flow CPU s | flow vs library | orchestration's own CPU, ms / document |",
             "|---|---|---|---|---|"]
    ratios, owns = [], []
    for k, r in enumerate(rounds, 1):
        base, total, own = totals(r)
        ratios.append(total / base - 1)
        owns.append(1000 * own / n)
        lines.append(f"| {k} | {base:.1f} | {total:.1f} | {100 * ratios[-1]:+.1f} % | {owns[-1]:.0f} |")
    import statistics
    lines += ["", f"median: flow vs library alone {100 * statistics.median(ratios):+.1f} % CPU; orchestration's own "
                  f"{statistics.median(owns):.0f} ms a document ({100 * statistics.median(owns) * n / 1000 / statistics.median([totals(r)[0] for r in rounds]):.1f} % of the library's CPU)"]
    return "\n".join(lines)


def report(res: dict, n: int) -> str:
    lines = [f"{n} documents; load {res['load']}", "",
             "| where | CPU s | ms / document |", "|---|---|---|"]

    def row(what, s):
        lines.append(f"| {what} | {s:.2f} | {1000 * s / n:.0f} |")
    lib = res.get("library")
    if lib:
        row("library alone: process (all threads)", lib["process"])
        row("library alone: tesseract children", lib["tesseract"])
        row("library alone: ingest_file calls, process_time", lib["call_process"])
        row("library alone: ingest_file calls, thread_time", lib["call_thread"])
        row("library alone: resolution across documents (in the process's)", lib["resolve"])
        row("library alone: total (process + tesseract)", lib["process"] + lib["tesseract"])
    f = res["flow"]
    row("flow run: flow process (flow, task runs, scheduler, nanny)", f["flow process"])
    for name, s in sorted(_grouped(f["flow threads"]).items(), key=lambda kv: -kv[1]):
        if s >= 0.05:
            row(f"  flow process thread: {name}", s)
    row("flow run: Prefect server", f["server"])
    row("flow run: worker process (all threads)", f["worker"])
    for name, s in sorted(_grouped(f["worker threads"]).items(), key=lambda kv: -kv[1]):
        if s >= 0.05:
            row(f"  worker thread: {name}", s)
    row("flow run: worker's ingest_file calls, process_time", f["call_process"])
    row("flow run: worker's ingest_file calls, thread_time", f["call_thread"])
    row("flow run: tesseract children", f["tesseract"])
    base, total, own = totals(res)
    row("flow run: total (the benchmark's samplers left out)", total)
    row("flow run: orchestration's own (total less the ingest_file calls and tesseract)", own)
    if lib:
        lines += ["", f"flow run vs library alone: {100 * (total / base - 1):+.1f} % CPU "
                      f"({total:.1f} s against {base:.1f} s); flow wall {f['seconds']:.1f} s"]
    lines += [f"fixed costs before the run: " + ", ".join(f"{k} {v:.1f} s" for k, v in res["start"].items())]
    return "\n".join(lines)


def _grouped(threads: dict) -> dict:
    out: dict = {}
    for name, s in threads.items():
        out[group(name)] = out.get(group(name), 0.0) + s
    return out


if __name__ == "__main__":
    raise SystemExit(main())

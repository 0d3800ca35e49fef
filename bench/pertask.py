"""Prefect's cost per task run, on a Dask worker against a thread of the flow's process.

    nice -n 10 python -m bench.pertask [--tasks 100] [--mode dask|threads]

A flow of ``--tasks`` empty tasks, with the command's own Prefect server (flows/server.py): on a local
Dask cluster of 1 worker through prefect-dask's ``DaskTaskRunner`` (Prefect's task engine runs on the
worker), or on a ``ThreadPoolTaskRunner`` of 1 thread in the flow's process (what flows/ingest.py does:
its task runs wait there for the document ingested on Dask). Prints the wall time per task and the CPU
seconds spent by the flow's process, the server and the worker. Measured once to choose the design.
"""
from __future__ import annotations

import argparse
import os
import time

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed


@task(cache_policy=NO_CACHE, persist_result=False, task_run_name="t {i}")
def nothing(i: int) -> int:
    return i


@flow(persist_result=False)
def many(n: int) -> int:
    futs = [nothing.submit(i) for i in range(n)]
    return sum(f.result() for f in as_completed(futs))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pertask")
    ap.add_argument("--tasks", type=int, default=100)
    ap.add_argument("--mode", choices=("dask", "threads"), default="threads")
    a = ap.parse_args(argv)
    import psutil
    from prefect.task_runners import ThreadPoolTaskRunner
    from flows.ingest import local_dask_cluster, prefect_api
    me = psutil.Process()

    def cpu() -> dict:
        out = {"flow process": sum(me.cpu_times()[:2])}
        for c in me.children(recursive=True):
            try:
                cmd, t = " ".join(c.cmdline()), sum(c.cpu_times()[:2])
            except psutil.Error:
                continue
            key = "server" if "flows.server" in cmd else "worker" if "spawn_main" in cmd else "other"
            out[key] = out.get(key, 0) + t
        return out
    with prefect_api() as api:
        api.ready()
        if a.mode == "dask":
            from prefect_dask import DaskTaskRunner
            with local_dask_cluster(1, api) as address:
                c0, t0 = cpu(), time.perf_counter()
                many.with_options(task_runner=DaskTaskRunner(address=address))(a.tasks)
                wall, c1 = time.perf_counter() - t0, cpu()
        else:
            c0, t0 = cpu(), time.perf_counter()
            many.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))(a.tasks)
            wall, c1 = time.perf_counter() - t0, cpu()
    spent = {k: round(c1.get(k, 0) - c0.get(k, 0), 1) for k in c1 if k != "other"}
    print(f"{a.tasks} empty tasks, {a.mode}: {wall:.1f} s wall, {1000 * wall / a.tasks:.0f} ms a task; CPU s: {spent} "
          f"({1000 * sum(spent.values()) / a.tasks:.0f} ms a task)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    raise SystemExit(main())

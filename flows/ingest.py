"""The ingestion flow: raw/ -> extracted/ and the record store, one coarse task per new document.

    ingest_bulletins(raw_dir="raw", out_dir="extracted", db=None, force=False)

A document is skipped when its id (SHA-256 of the bytes) is stored with the current
``PIPELINE_VERSION`` (improved rules bump it, and everything is re-extracted, review work kept).
Tasks pass paths and ids; each wraps :func:`pipeline.ingest.ingest_file`. A bad file is a failed
document in the summary and the store, never a stopped batch.
"""
from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from pipeline import PIPELINE_VERSION
from pipeline.ingest import discover, fallback_id, file_id, ingest_file
from pipeline.errors import InputError


def _transient(task, task_run, state) -> bool:
    """Retry only what a retry can fix: a busy or restarting database, an OCR subprocess that died.
    An unreadable PDF is already a recorded failure and never reaches here."""
    try:
        state.result()
    except InputError:
        return False
    except Exception as e:            # noqa: BLE001 - classified below
        from sqlalchemy.exc import DBAPIError, OperationalError
        from pipeline.store import StoreUnavailable
        if isinstance(e, (OperationalError, StoreUnavailable, TimeoutError, ConnectionError)) or \
                isinstance(e, DBAPIError) and e.connection_invalidated:
            return True
        return type(e).__name__ in ("TesseractError", "CalledProcessError", "BrokenProcessPool")
    return False


@task(name="ingest-document", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_transient,
      task_run_name="ingest {path}", cache_policy=NO_CACHE, persist_result=False)
def ingest_document(path: str, out_dir: str, db: Optional[str]) -> dict:
    return ingest_file(path, out_dir, db)


def _plan(raw_dir: str, db: Optional[str], force: bool) -> tuple[list[Path], list[Path], int]:
    from pipeline.store import Store
    files = discover(raw_dir)
    store = Store(db)
    try:
        known = store.known_versions()
    finally:
        store.close()
    todo, skipped = [], 0
    for p in files:
        try:
            doc_id = file_id(p)
        except InputError:
            doc_id = fallback_id(p)
        if not force and known.get(doc_id, (None,))[0] == PIPELINE_VERSION:
            skipped += 1
        else:
            todo.append(p)
    # the biggest files first (longest processing time first): with several workers, a long scan left
    # for the end would keep one worker busy while the others stand idle
    todo.sort(key=lambda p: -p.stat().st_size)
    return files, todo, skipped


@flow(name="ingest-bulletins", log_prints=False)
def ingest_bulletins(raw_dir: str = "raw", out_dir: str = "extracted", db: Optional[str] = None,
                     force: bool = False, progress: bool = False) -> dict:
    """Ingest every new or changed bulletin of ``raw_dir``; returns the summary."""
    logger = get_run_logger()
    t0 = time.perf_counter()
    files, todo, skipped = _plan(raw_dir, db, force)
    logger.info("%d files in %s: %d to ingest, %d unchanged", len(files), raw_dir, len(todo), skipped)
    futures = {ingest_document.submit(str(p), out_dir, db): p for p in todo}
    bar = None
    if progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="doc", file=sys.stderr, desc="ingest")
    docs = []
    for fut in as_completed(list(futures)):
        path = futures[fut]
        try:
            res = fut.result()
        except Exception as e:          # noqa: BLE001 - after retries: recorded, the batch goes on
            res = {"id": None, "source": str(path), "status": "failed", "pages": 0,
                   "reason": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", "records": 0,
                   "flagged": 0}
        docs.append(res)
        if res["status"] == "failed":
            logger.warning("failed: %s: %s", res["source"], res["reason"])
        else:
            logger.info("%s: %s, %d page(s), %d records", res["source"], res["status"], res["pages"], res["records"])
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    docs.sort(key=lambda r: r["source"])
    summary = {"seen": len(files), "new": len(todo), "skipped": skipped,
               "failed": sum(1 for d in docs if d["status"] == "failed"),
               "partial": sum(1 for d in docs if d["status"] == "partial"),
               "records": sum(d["records"] for d in docs), "flagged": sum(d.get("flagged", 0) for d in docs),
               "seconds": round(time.perf_counter() - t0, 2), "documents": docs}
    return summary


def _api_url(background: bool = False) -> tuple[str, Optional[threading.Thread]]:
    """The Prefect API this process's flows report to: the configured one, or this process's temporary
    server (Prefect keeps one per process and the flow uses the same). With ``background``, a server
    that is not running yet is started in a thread, returned so the caller can join it once it has
    done something useful meanwhile; the URL is known at once (its port is chosen here)."""
    from prefect.settings import PREFECT_API_URL
    url = PREFECT_API_URL.value()
    if url:
        return url, None
    from prefect.server.api.server import SubprocessASGIServer
    server = SubprocessASGIServer()
    if server.running:
        return server.api_url, None
    if not background:
        server.start()
        return server.api_url, None
    if server.port is None:
        server.port = server.find_available_port()
    thread = threading.Thread(target=server.start, name="prefect-server-start", daemon=True)
    thread.start()
    return server.api_url, thread


@contextmanager
def local_dask_cluster(workers: int) -> Iterator[str]:
    """A local Dask cluster of ``workers`` processes, up and warm before the flow starts; yields its
    scheduler address and closes it on exit.

    Its workers get this process's Prefect API URL: a worker is a new process, and without
    PREFECT_API_URL each started a temporary Prefect server of its own (about 6 s of CPU and a few
    seconds of wall time per worker, measured), whose task runs never reached the flow's server or UI.

    Each worker imports the pipeline and loads the French model while it starts (flows/dask_preload.py,
    about 5 s of CPU per worker); meanwhile this process starts its temporary Prefect server when none is
    configured (about 6 s), instead of one after the other. prefect-dask would start the cluster itself
    only at the first task, inside the flow run, and each worker's first task would load the model."""
    import logging
    from distributed import LocalCluster

    def start(url: str) -> LocalCluster:
        # Dask's INFO lines (scheduler, nanny and worker start and stop: some 35 of them) are not news to
        # someone ingesting bulletins; its warnings and errors still show
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            preload=["flows.dask_preload"],
                            env={"PREFECT_API_URL": url, "DASK_LOGGING__DISTRIBUTED": "warning"})
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        url, starting = _api_url(background=True)
        try:
            cluster = start(url)
        finally:
            if starting is not None:
                starting.join()
        try:
            now_url, _ = _api_url()
            if now_url != url:       # the server had to take another port (ours was taken meanwhile)
                cluster.close()
                cluster = start(now_url)
            yield cluster.scheduler_address
        finally:
            cluster.close()
    finally:
        quiet.setLevel(level)


def task_runner(dask_address: Optional[str] = None, threads: Optional[int] = None):
    """The task runner: threads on this machine (default), or the Dask cluster at ``dask_address``
    (tcp://host:8786; a local one from :func:`local_dask_cluster`, or a cluster of your own)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner
        return DaskTaskRunner(address=dask_address)
    from prefect.task_runners import ThreadPoolTaskRunner
    return ThreadPoolTaskRunner(max_workers=threads or 2)


def run(raw_dir: str = "raw", out_dir: str = "extracted", db: Optional[str] = None, force: bool = False,
        dask: Optional[int] = None, dask_address: Optional[str] = None, progress: bool = False) -> dict:
    """Run the flow once: on threads, on a local Dask cluster of ``dask`` worker processes (started
    before the flow, closed after), or on an existing Dask cluster at ``dask_address``."""
    def once(address: Optional[str]) -> dict:
        f = ingest_bulletins.with_options(task_runner=task_runner(address))
        return f(raw_dir=raw_dir, out_dir=out_dir, db=db, force=force, progress=progress)
    if dask and not dask_address:
        with local_dask_cluster(dask) as address:
            return once(address)
    return once(dask_address)


def serve(raw_dir: str = "raw", out_dir: str = "extracted", db: Optional[str] = None, cron: str = "0 * * * *",
          name: str = "bulletins-hourly") -> None:
    """Serve the flow with a cron schedule (Prefect ``serve``): new bulletins in ``raw_dir`` are
    picked up without anyone running a command. Blocks until interrupted."""
    ingest_bulletins.serve(name=name, cron=cron, parameters={"raw_dir": str(Path(raw_dir).resolve()),
                                                              "out_dir": str(Path(out_dir).resolve()), "db": db})

"""The ingestion flow: raw/ -> extracted/ and the record store, one coarse task per new document.

    run(raw_dir="raw", out_dir="extracted", db=None, force=False, dask=None, dask_address=None)
    serve(raw_dir, out_dir, db, cron, dask=None, dask_address=None)
    ingest_bulletins(raw_dir, out_dir, db, force)          # the Prefect flow itself

What a run has to do is decided from the store before any Prefect machinery starts
(:func:`pipeline.ingest.plan`): an unchanged raw/ answers at once, with no server and no flow run.

Tasks get absolute paths and the store URL explicitly, so a Dask worker started anywhere writes where
the command said; a cluster is checked before the run (:func:`check_cluster`). The store's password
never reaches Prefect: the flow run's ``db`` parameter is the redacted URL, and the process running the
flow finds the real one in its memory (``run``) or in BULLETINS_DB (``serve``, whose runs inherit it).

Run states say what happened: a document that failed is a Failed task run, a partial one a Completed
task run named Partial; the flow run is Completed only when every document is ok, Partial (of type
Completed) when some are partial, Failed with "N of M documents failed" otherwise (a file that failed in
an earlier run and is still in raw/ counts until it is ingested or removed). A machine that cannot do
its part (raw/ not visible, store down after retries, outputs not writable) stops the run with one line.
A run whose process was killed is marked Crashed by the next command that starts (:func:`mark_crashed_runs`).
"""
from __future__ import annotations

import logging
import os
import re
import socket
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator, Optional

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.states import Completed, Failed

from pipeline import PIPELINE_VERSION
from pipeline.errors import BulletinsError, InputError, SetupError
from pipeline.ingest import Plan, ingest_file, ingest_files, is_machine_error, is_transient, plan, summarize
from pipeline.store.db import default_url
from pipeline.store.url import absolute_url, is_redacted, redact, redact_text

FLOW_NAME = "ingest-bulletins"
PROCESS_TAG = "bulletins-process"
# store URL (redacted) -> the real one, for flows run by this process (``run``)
_SECRETS: dict[str, str] = {}


class OrchestrationError(BulletinsError):
    """Prefect or Dask failed around the documents (not a document's failure)."""


def one_line(e: BaseException, *urls: Optional[str]) -> str:
    """An exception as one line with no password: its message's first line (prefixed with its type
    unless it is one of ours)."""
    text = str(e).strip()
    first = text.splitlines()[0].strip() if text else ""
    msg = first if isinstance(e, BulletinsError) and first else f"{type(e).__name__}: {first}".rstrip(": ")
    return redact_text(msg, *urls, *_SECRETS.values(), os.environ.get("BULLETINS_DB"))


def _transient(task, task_run, state) -> bool:
    """Retry only what a retry can fix (:func:`pipeline.ingest.is_transient`): a busy or restarting
    database, an OCR subprocess that died. An unreadable PDF is already a recorded failure (a Failed
    state returned, not raised): never retried."""
    try:
        e = state.result(raise_on_failure=False)
    except Exception as raised:         # noqa: BLE001 - classified below
        e = raised
    return isinstance(e, BaseException) and is_transient(e)


@task(name="ingest-document", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_transient,
      task_run_name="ingest {path}", cache_policy=NO_CACHE, persist_result=False)
def ingest_document(path: str, raw_dir: str, out_dir: str, db: str, dask_address: Optional[str] = None):
    """One document (absolute paths, explicit store URL), here or on the Dask cluster at
    ``dask_address``. A bad document is a Failed task run, with its summary as the state's data; a
    partial one a Completed run named Partial."""
    if dask_address:
        res = dask_client(dask_address).submit(ingest_file, path, out_dir, db, root=raw_dir, pure=False,
                                               key=f"ingest-{Path(path).name}-{os.urandom(4).hex()}").result()
    else:
        res = ingest_file(path, out_dir, db, root=raw_dir)
    if res["status"] == "failed":
        return Failed(message=f"{res['source']}: {res['reason']}", data=res)
    if res["status"] == "partial":
        return Completed(name="Partial", message=f"{res['source']}: {res['reason']}", data=res)
    return res


# A task run costs the flow's process and the Prefect server about 45 ms of CPU, a document handed to
# Dask about 8 (bench/RESULTS.md, Scale): a long run hands its documents over several at a time
TASKS_PER_THREAD = 8          # task runs per worker thread at least, so the last ones finish together
MAX_DOCS_PER_TASK = 16


def batches(todo: list, threads: int) -> list[list]:
    """``todo`` (biggest first) dealt into task runs: a file a task while there are fewer than
    ``TASKS_PER_THREAD`` files a worker thread (every run of a few new bulletins: one task run a document in
    the UI), then up to ``MAX_DOCS_PER_TASK`` files a task, keeping ``TASKS_PER_THREAD`` task runs a thread.
    Files are dealt in turn (the first task gets the 1st, the n+1th, ... biggest), so every task holds big
    and small ones and the biggest still start first: no task is all the long scans."""
    size = max(1, min(MAX_DOCS_PER_TASK, len(todo) // (max(1, threads) * TASKS_PER_THREAD)))
    n = -(-len(todo) // size)
    return [todo[k::n] for k in range(n)]


@task(name="ingest-documents", task_run_name="ingest {label}", cache_policy=NO_CACHE, persist_result=False)
def ingest_documents(paths: list[str], label: str, raw_dir: str, out_dir: str, db: str,
                     dask_address: Optional[str] = None):
    """Several documents, one after the other (:func:`pipeline.ingest.ingest_files`: transient errors
    tried again there, per document), here or as one task on the Dask cluster at ``dask_address``. Its
    result: each document's summary, or the exception it raised. A run named Partial when some are
    not ok; each failed document also gets a Failed task run of its own (:func:`document_failed`)."""
    if dask_address:
        res = dask_client(dask_address).submit(ingest_files, paths, out_dir, db, raw_dir, one=ingest_file, pure=False,
                                               key=f"ingest-{len(paths)}-{os.urandom(4).hex()}").result()
    else:
        res = ingest_files(paths, out_dir, db, raw_dir, one=ingest_file)
    bad = [r for r in res if not isinstance(r, dict) or r["status"] != "ok"]
    if bad:
        return Completed(name="Partial", message=f"{len(bad)} of {len(paths)} documents not ok", data=res)
    return res


@task(name="ingest-document", task_run_name="ingest {path}", cache_policy=NO_CACHE, persist_result=False)
def document_failed(path: str, summary: dict):
    """The Failed task run of a document that failed among several ingested by one task run."""
    return Failed(message=f"{summary['source']}: {summary['reason']}", data=summary)


# Dask clients of this process, by scheduler address (the flow opens one, its tasks share it)
_CLIENTS: dict = {}


def dask_client(address: str):
    client = _CLIENTS.get(address)
    if client is None:
        raise OrchestrationError(f"no Dask client for {address} in this process")
    return client


@contextmanager
def _dask_connection(address: Optional[str]) -> Iterator[int]:
    """A client of the Dask cluster at ``address`` for this flow run's tasks -> the number of worker
    threads (how many documents run at once)."""
    if not address:
        yield 0
        return
    from distributed import Client
    with _quiet_distributed():
        try:
            client = Client(address, timeout=10, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise SetupError(f"cannot reach the Dask scheduler at {address}: {one_line(e)}") from None
    _CLIENTS[address] = client
    try:
        yield max(1, sum(client.nthreads().values()))
    finally:
        _CLIENTS.pop(address, None)
        with _quiet_distributed():
            client.close()


def real_url(db: Optional[str]) -> str:
    """The store URL a flow run works with: the parameter (redacted when it has a password), completed
    from this process's memory or from BULLETINS_DB; absolute."""
    if not db:
        return absolute_url(default_url())
    if not is_redacted(db):
        return absolute_url(db)
    if db in _SECRETS:
        return _SECRETS[db]
    env = os.environ.get("BULLETINS_DB")
    if env and redact(absolute_url(env)) == db:
        return absolute_url(env)
    raise SetupError(f"the password of the store {db} is not known to this process: set BULLETINS_DB to its URL")


@flow(name=FLOW_NAME, log_prints=False, persist_result=False)
def ingest_bulletins(raw_dir: str = "raw", out_dir: str = "extracted", db: Optional[str] = None,
                     force: bool = False, progress: bool = False, dask_address: Optional[str] = None):
    """Ingest every new or changed bulletin of ``raw_dir``; the final state carries the summary. The task
    runs are this process's (threads), each waiting for its document to be ingested here or on the Dask
    cluster at ``dask_address``: Prefect's task engine on a Dask worker cost about 10 times the CPU per
    document (measured: 240 ms a task against 23 ms), and the workers need no Prefect settings."""
    logger = get_run_logger()
    t0 = time.perf_counter()
    _tag_this_run()
    _end_with_serve()
    url = real_url(db)
    raw, out = Path(raw_dir).resolve(), Path(out_dir).resolve()
    p = plan(raw, url, force)
    logger.info("%d files in %s: %d to ingest, %d unchanged (%d of them failed earlier)", len(p.files), raw,
                len(p.todo), p.skipped, len(p.still_failed))
    with _dask_connection(dask_address) as threads:
        return _ingest(p, raw, out, url, dask_address, threads or 2, progress, logger, t0)


def _ingest(p: Plan, raw: Path, out: Path, url: str, dask_address: Optional[str], threads: int, progress: bool,
            logger, t0: float):
    from prefect.task_runners import ThreadPoolTaskRunner
    common = {"raw_dir": str(raw), "out_dir": str(out), "db": url, "dask_address": dask_address}
    with ThreadPoolTaskRunner(max_workers=threads) as runner:
        futures = {}
        for group in batches(p.todo, threads):
            if len(group) == 1:
                fut = runner.submit(ingest_document, parameters={"path": str(group[0]), **common})
            else:
                label = f"{len(group)} documents from {group[0].name}"
                fut = runner.submit(ingest_documents, parameters={"paths": [str(f) for f in group], "label": label,
                                                                  **common})
            futures[fut] = group
        return _collect(p, futures, url, progress, logger, t0)


def _collect(p: Plan, futures: dict, url: str, progress: bool, logger, t0: float):
    bar = None
    if progress and p.todo:
        from tqdm import tqdm
        bar = tqdm(total=len(p.todo), unit="doc", file=sys.stderr, desc="ingest", dynamic_ncols=True)
    docs = []
    try:
        for fut in as_completed(list(futures)):
            group = futures[fut]
            for res in _outcomes(fut, group, url):
                docs.append(res)
                if res["status"] == "failed":
                    logger.warning("failed: %s: %s", res["source"], res["reason"])
                else:
                    logger.info("%s: %s, %d page(s), %d records", res["source"], res["status"], res["pages"],
                                res["records"])
            if bar:
                bar.update(len(group))
    except BaseException:
        for f in futures:                              # nothing more starts once the run is stopping
            wrapped = getattr(f, "wrapped_future", None)
            try:
                wrapped.cancel()
            except Exception:                          # noqa: BLE001 - best effort
                pass
        raise
    finally:
        if bar:
            bar.close()
    summary = summarize(p, docs, time.perf_counter() - t0)
    if any(d["status"] != "failed" for d in docs):
        summary["resolved"] = _resolve(url, logger)
        summary["seconds"] = round(time.perf_counter() - t0, 2)
    return final_state(summary)


def _resolve(url: str, logger) -> dict:
    """Entities, near-duplicate documents and facts across the whole store, once the documents are in
    (pipeline.store.resolved): a failure here is logged and reported, the documents stay ingested."""
    from pipeline.store import Store
    from pipeline.store.resolved import resolve
    store = Store(url)
    try:
        counts = resolve(store)
        logger.info("across documents: %d organisations, %d people, %d document links, %d reviews carried",
                    counts["organizations_entities"], counts["people_entities"], counts["document_links"],
                    counts["carried"])
        return counts
    except Exception as e:                          # noqa: BLE001 - reported, the ingestion stands
        logger.warning("resolving across documents failed: %s", one_line(e, url))
        return {"error": one_line(e, url)}
    finally:
        store.close()


def _outcomes(fut, group: list, url: str) -> list[dict]:
    """The summaries of a task's documents (one, or a batch's); a machine that cannot do its part stops
    the run (raises). A document of a batch that failed gets its own Failed task run."""
    try:
        res = fut.result(raise_on_failure=False)
    except BaseException as e:                        # noqa: BLE001 - Dask may raise on fetching
        res = e
    if len(group) == 1 and not isinstance(res, list):
        return [_outcome(res, group[0], url)]
    if not isinstance(res, list):                     # the batch's task itself failed
        res = [res] * len(group)
    out = [_outcome(r, path, url) for r, path in zip(res, group)]
    for d, path in zip(out, group):
        if d["status"] == "failed":
            document_failed(str(path), d, return_state=True)
    return out


def _outcome(res, path: Path, url: str) -> dict:
    """A document's summary from what its task gave (a dict, or an exception)."""
    if isinstance(res, dict):
        return res
    if isinstance(res, BaseException):
        if is_machine_error(res) or _is_cluster_error(res):
            raise SetupError(one_line(res, url)) from None
        # an unexpected error on this document only: reported (not stored: the next run tries it again)
        return {"id": None, "source": str(path), "status": "failed", "pages": 0, "reason": one_line(res, url),
                "records": 0, "flagged": 0}
    raise OrchestrationError(f"unexpected result for {path}: {type(res).__name__}")


def _is_cluster_error(e: BaseException) -> bool:
    return type(e).__name__ in ("KilledWorker", "CommClosedError", "CancelledError", "FutureCancelledError")


def final_state(summary: dict):
    n = summary["new"] + summary["failed_earlier"]
    if summary["failed"]:
        earlier = f", {summary['failed_earlier']} of them in an earlier run" if summary["failed_earlier"] else ""
        return Failed(message=f"{summary['failed']} of {n} documents failed{earlier}", data=summary)
    if summary["partial"]:
        return Completed(name="Partial", message=f"{summary['partial']} of {n} documents partial", data=summary)
    return Completed(message=f"{summary['new']} documents ingested" if summary["new"] else "nothing new", data=summary)


# -- the process that ran a flow run: to find runs left Running by a killed command -----------------------
def _process_marker(pid: Optional[int] = None) -> str:
    pid = pid or os.getpid()
    return f"{PROCESS_TAG}:{socket.gethostname()}:{pid}:{_start_time(pid)}"


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "0"


def _alive(marker: str) -> bool:
    """Whether the process of a marker still runs (a zombie, killed and not yet reaped by its parent,
    does not: a test that kills `bulletins serve` reaps it only once its pipes are closed)."""
    _, host, pid, start = marker.split(":", 3)
    if host != socket.gethostname():
        return True                   # another machine's: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return False
    except (OSError, IndexError):
        pass
    return start == "0" or _start_time(int(pid)) == start


def _tag_this_run() -> None:
    from prefect.client.orchestration import get_client
    from prefect.context import get_run_context
    run = get_run_context().flow_run
    with get_client(sync_client=True) as client:
        client.update_flow_run(run.id, tags=sorted(set(run.tags or []) | {_process_marker()}))


_WATCHING = False


def _end_with_serve() -> None:
    """A run of ``bulletins serve`` happens in a process of its own (Prefect's runner starts it), and so
    do serve's local Dask workers: when serve is gone (killed with SIGKILL), its server and Dask cluster
    with it, such a process would wait on them for minutes, holding serve's terminal. It ends at once
    instead (the next command marks the run Crashed). Called when this module is imported in such a
    process (it inherits BULLETINS_SERVE_PROCESS), before the run even reaches the Prefect API."""
    import threading
    global _WATCHING
    marker = os.environ.get("BULLETINS_SERVE_PROCESS")
    if _WATCHING or not marker or marker == _process_marker():
        return
    _WATCHING = True

    def watch():
        while _alive(marker):
            time.sleep(1.0)
        os._exit(137)
    threading.Thread(target=watch, daemon=True, name="end-with-serve").start()


def mark_crashed_runs() -> list[str]:
    """Mark Crashed every run of this flow left Running (or Pending) by a process of this machine that
    no longer exists (killed with SIGKILL, machine rebooted); its unfinished task runs too. Returns
    their ids."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterId,
                                                FlowRunFilterState, FlowRunFilterStateType, TaskRunFilter,
                                                TaskRunFilterState, TaskRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed
    live = [StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]
    marked = []
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[FLOW_NAME])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=live))))
        for r in runs:
            markers = [t for t in (r.tags or []) if t.startswith(PROCESS_TAG + ":")]
            if not markers or any(_alive(m) for m in markers):
                continue
            pid = markers[0].split(":")[2]
            msg = f"the process running it (pid {pid} on {socket.gethostname()}) ended without finishing it"
            client.set_flow_run_state(r.id, Crashed(message=msg), force=True)
            for t in client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[r.id])),
                    task_run_filter=TaskRunFilter(state=TaskRunFilterState(type=TaskRunFilterStateType(any_=live)))):
                client.set_task_run_state(t.id, Crashed(message=msg), force=True)
            marked.append(str(r.id))
    return marked


# -- the Prefect API: the configured one (checked), or a server of this command's own --------------------
class _Api:
    def __init__(self, url: str, server=None):
        self.url, self.server = url, server

    def ready(self) -> str:
        if self.server is not None:
            self.server.wait()
        return self.url


@contextmanager
def prefect_api(services: bool = False) -> Iterator[_Api]:
    """The Prefect API this command reports to, as the current setting (and PREFECT_API_URL in the
    environment of the processes it starts). The configured PREFECT_API_URL must answer (one line
    otherwise); with none, a server of this command's own is started (``services`` for ``serve``: its
    scheduler and UI) and stopped with it (flows/server.py). Yields at once; ``ready()`` waits for it."""
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from flows.server import OwnedServer
    configured = PREFECT_API_URL.value()
    if configured:
        check_api(configured)
        yield _Api(configured)
        return
    server = OwnedServer(services=services).start()
    before = os.environ.get("PREFECT_API_URL")
    try:
        os.environ["PREFECT_API_URL"] = server.url
        with temporary_settings(updates={PREFECT_API_URL: server.url}):
            yield _Api(server.url, server)
    finally:
        drain_to_api()
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before
        server.stop()


def drain_to_api(timeout: float = 10.0) -> None:
    """Send the run logs and events still queued in this process before the server goes away (else
    Prefect's workers try, at exit, a server that is no longer there, for a minute)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout, at_exit=False)
        except Exception:                               # noqa: BLE001 - logs are not worth failing the run
            pass


def check_api(url: str, timeout: float = 5.0) -> None:
    import httpx
    try:
        r = httpx.get(url.rstrip("/") + "/health", timeout=timeout)
        r.raise_for_status()
    except httpx.HTTPError as e:
        raise OrchestrationError(f"the Prefect API at {url} (PREFECT_API_URL) does not answer: {one_line(e)} "
                                 "(start it with `prefect server start`, or unset PREFECT_API_URL)") from None


# -- Dask -------------------------------------------------------------------------------------------------
@contextmanager
def _quiet_distributed() -> Iterator[None]:
    # Dask's INFO lines (scheduler, nanny and worker start and stop: some 35 of them), and the retries
    # of a connection that fails, are not news to someone ingesting bulletins: the command says it in one line
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quiet.setLevel(level)


def _worker_env() -> dict:
    # workers run the library only (no Prefect: the task runs are the flow's process's); Dask's own INFO
    # lines stay out of the terminal
    return {"DASK_LOGGING__DISTRIBUTED": "error"}


def dask_settings() -> dict:
    """Dask settings of the clusters this command starts (``local_dask_cluster``). Dask's defaults are for
    many small tasks watched on a dashboard; ours are one document a task (a quarter of a second of CPU
    and more) and nobody looks at a profile. Measured with ``python -m bench.overhead`` (1 worker, 20
    documents), these defaults cost a third of the library's own CPU on top of it:

    - the worker's statistical profiler walks the busy thread's stack every 10 ms on the worker's event
      loop (and takes the GIL from the document's thread): off;
    - every server (scheduler, nanny, worker) checks its event loop's health 50 times a second, the
      nanny and worker their memory 10 times a second, the system monitor twice: 1 s, 1 s, 2 s (idle
      cluster: 62 ms of CPU a second down to 8);
    - work stealing: a document is never queued behind another (the flow submits as many as there are
      worker threads), there is nothing to steal;
    - ``MALLOC_TRIM_THRESHOLD_`` is not set in the workers' environment (Dask sets it to 64 kB, which
      also turns off glibc's adaptive mmap threshold: spaCy's arrays were mapped and unmapped, page by
      page, for every sentence); the thread limits of numpy, MKL and OpenBLAS (1) are kept.
    """
    return {
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.worker.memory.monitor-interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.scheduler.work-stealing": False,
        "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    }


@contextmanager
def local_dask_cluster(workers: int, api: Optional[_Api] = None) -> Iterator[str]:
    """A local Dask cluster of ``workers`` processes, up and warm before the flow starts; yields its
    scheduler address and closes it on exit. Each worker imports the pipeline and loads the French model
    while it starts (flows/dask_preload.py, about 5 s of CPU per worker), while this command's own Prefect
    server (``api``) starts. Configured for documents (:func:`dask_settings`)."""
    import dask
    from distributed import LocalCluster
    with _quiet_distributed(), dask.config.set(dask_settings()):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               preload=["flows.dask_preload"], env=_worker_env())
        try:
            if api is not None:
                api.ready()
            yield cluster.scheduler_address
        finally:
            cluster.close()


def check_cluster(address: str, raw_dir: str, out_dir: str, db: str, timeout: float = 10.0) -> int:
    """Before a run on the Dask cluster at ``address``: every worker sees ``raw_dir``, can write
    ``out_dir``, reaches the store ``db`` (the same SQLite file, or the server), has the model and this
    pipeline version. Returns the number of workers; raises :class:`SetupError` with one line naming the
    worker, the path or the host (never a password)."""
    from distributed import Client
    from flows.dask_preload import worker_report
    with _quiet_distributed():
        try:
            client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise SetupError(f"cannot reach the Dask scheduler at {address}: {one_line(e)}") from None
        try:
            try:
                client.wait_for_workers(1, timeout=timeout)
            except (TimeoutError, OSError):
                raise SetupError(f"the Dask scheduler at {address} has no worker (start one with "
                                 f"`.venv/bin/dask worker {address} --preload flows.dask_preload`)") from None
            reports = client.run(worker_report, raw_dir, out_dir, db, PIPELINE_VERSION)
        except SetupError:
            raise
        except Exception as e:                      # noqa: BLE001 - one line
            raise SetupError(f"cannot check the workers of the Dask cluster at {address}: {one_line(e, db)}") from None
        finally:
            client.close()
    problems = [f"Dask worker {w} ({host}): {p}" for w, (host, ps) in sorted(reports.items()) for p in ps]
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise SetupError(redact_text(problems[0], db) + more)
    return len(reports)


def _locations(raw_dir, out_dir, db) -> tuple[str, str, str]:
    """Absolute raw/, extracted/ and store URL, resolved here, in the command's directory, never on a worker."""
    return (str(Path(raw_dir).resolve()), str(Path(out_dir).resolve()),
            absolute_url(db or default_url()))


def _summary_of(state, url: str) -> dict:
    try:
        data = state.result(raise_on_failure=False)
    except BaseException as e:                        # noqa: BLE001
        data = e
    if isinstance(data, dict):
        return data
    if isinstance(data, SetupError):
        raise SetupError(one_line(data, url))
    what = one_line(data, url) if isinstance(data, BaseException) else (state.message or state.name)
    raise OrchestrationError(f"the flow run ended {state.name}: {what}")



def infrastructure(stack: ExitStack, dask: int, dask_address: Optional[str], raw: str, out: str, url: str,
                   services: bool = False):
    """(the Prefect API, the Dask address documents go to) for a run or for serve, entered on ``stack``:
    the API (its own server when none is configured), the command's local cluster for ``--dask N``, runs
    left RUNNING by a killed command marked crashed, and a cluster of one's own checked (each worker sees
    raw/ and extracted/, reaches the store, has the model) before anything is planned on it."""
    api = stack.enter_context(prefect_api(services=services))
    address = dask_address
    if dask and not dask_address:
        address = stack.enter_context(local_dask_cluster(dask, api))
    api.ready()
    mark_crashed_runs()
    if dask_address:
        check_cluster(dask_address, raw, out, url)
    return api, address

def run(raw_dir: str = "raw", out_dir: str = "extracted", db: Optional[str] = None, force: bool = False,
        dask: Optional[int] = None, dask_address: Optional[str] = None, progress: bool = False,
        planned: Optional[Plan] = None) -> dict:
    """Run the flow once and return its summary: on threads, on a local Dask cluster of ``dask`` worker
    processes (started before the flow, closed after), or on the Dask cluster at ``dask_address``
    (checked first). Nothing to do (every file stored with this pipeline version): the summary at once,
    without Prefect. Infrastructure failures raise a one-line :class:`BulletinsError`."""
    raw, out, url = _locations(raw_dir, out_dir, db)
    shown = redact(url)
    if shown != url:
        _SECRETS[shown] = url
    p = planned or plan(raw, url, force)
    if not p.todo:
        return summarize(p, [], p.seconds)
    try:
        with ExitStack() as stack:
            api, address = infrastructure(stack, dask, dask_address, raw, out, url)
            state = ingest_bulletins(raw_dir=raw, out_dir=out, db=shown, force=force, progress=progress,
                                     dask_address=address, return_state=True)
            return _summary_of(state, url)
    except BulletinsError:
        raise                                           # one line already, no password (StoreError redacts)
    except KeyboardInterrupt:
        raise
    except Exception as e:                              # noqa: BLE001 - Prefect, Dask, httpx...: one line
        raise OrchestrationError(one_line(e, url)) from None


# -- serve ------------------------------------------------------------------------------------------------
def check_cron(cron: str) -> str:
    from prefect.client.schemas.schedules import CronSchedule
    try:
        CronSchedule(cron=cron)
    except Exception:                                    # noqa: BLE001 - pydantic's message is many lines
        raise SetupError(f"not a cron expression: {cron!r} (e.g. '0 * * * *' every hour, '*/30 * * * *')") from None
    return cron


def describe_cron(cron: str) -> str:
    """'0 * * * *' -> 'hourly', '*/30 * * * *' -> 'every-30-minutes', '15 6 * * *' -> 'daily-at-0615'..."""
    f = cron.split()
    if len(f) == 5 and f[2:] == ["*", "*", "*"]:
        m, h = f[0], f[1]
        if m == "*" and h == "*":
            return "every-minute"
        if (r := re.fullmatch(r"\*/(\d+)", m)) and h == "*":
            return f"every-{r.group(1)}-minutes"
        if m.isdigit() and h == "*":
            return "hourly" if int(m) == 0 else f"hourly-at-{int(m):02d}"
        if m.isdigit() and (r := re.fullmatch(r"\*/(\d+)", h)):
            return f"every-{r.group(1)}-hours"
        if m.isdigit() and h.isdigit():
            return f"daily-at-{int(h):02d}{int(m):02d}"
    return "cron-" + re.sub(r"[^0-9A-Za-z]+", "-", cron).strip("-")


def deployment_name(raw_dir: str, cron: str) -> str:
    """What the deployment does: 'ingest-raw-hourly', 'ingest-bulletins-every-30-minutes'."""
    base = re.sub(r"[^0-9A-Za-z_.-]+", "-", Path(raw_dir).name).strip("-") or "raw"
    return f"ingest-{base}-{describe_cron(cron)}"


def serve(raw_dir: str = "raw", out_dir: str = "extracted", db: Optional[str] = None, cron: str = "0 * * * *",
          name: Optional[str] = None, dask: Optional[int] = None, dask_address: Optional[str] = None,
          announce=print) -> None:
    """Serve the flow on a cron schedule (Prefect ``serve``) until interrupted: bulletins dropped in
    ``raw_dir`` are picked up with nobody running a command. With no PREFECT_API_URL, a local Prefect
    server (scheduler and UI) is started for as long as this runs. One run at a time (the runner's limit
    and the deployment's concurrency limit). ``dask`` / ``dask_address``: the runs' tasks go to a local
    Dask cluster started once, warm for every run, or to the cluster at that address (checked first)."""
    check_cron(cron)
    raw, out, url = _locations(raw_dir, out_dir, db)
    if not Path(raw).is_dir():
        raise SetupError(f"cannot read {raw_dir}: not a directory")
    os.environ["BULLETINS_DB"] = url                  # the served runs' processes inherit it; never a parameter
    os.environ["BULLETINS_SERVE_PROCESS"] = _process_marker()     # its runs end with it (_end_with_serve)
    name = name or deployment_name(raw, cron)
    try:
        with ExitStack() as stack:
            api, address = infrastructure(stack, dask, dask_address, raw, out, url, services=True)
            plan(raw, url)                             # the store answers (one line otherwise), before serving
            where = f"the Prefect server of this command ({api.server.ui_url}, UI)" if api.server else api.url
            announce(f"serving {FLOW_NAME}/{name} on {raw} with cron {cron!r}, one run at a time, "
                     f"tasks on {address or 'threads'}; runs in {where} (Ctrl-C to stop)")
            ingest_bulletins.serve(name=name, cron=cron, parameters={"raw_dir": raw, "out_dir": out, "db": redact(url),
                                                                     "dask_address": address},
                    limit=1, global_limit=1, description=f"Ingest new or changed bulletins of {raw} ({cron})",
                    print_starting_message=False)
    except BulletinsError:
        raise                                           # one line already, no password (StoreError redacts)
    except KeyboardInterrupt:
        raise
    except Exception as e:                              # noqa: BLE001 - one line
        raise OrchestrationError(one_line(e, url)) from None


_end_with_serve()          # in a process started by `bulletins serve` (a run, a Dask worker): end with it

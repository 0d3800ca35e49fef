"""Dask worker preload: a worker loads what every ingestion task needs while it starts.

    dask worker tcp://scheduler:8786 --preload flows.dask_preload      # a cluster of your own
    (the local cluster of ``bulletins ingest --dask N`` uses it already: flows.ingest.local_dask_cluster)

Each worker process pays a fixed cost before its first document: importing SQLAlchemy and the
pipeline (workers run no Prefect: the task runs are the flow's process's) and loading the French model with the project's rules (about 3.5 s, of which
spaCy's French tokenizer exceptions compile a regex for 1.7 s), then a short page of text through every
stage (``pipeline.extract.warm_up``: dateparser's French data, the rule matchers, gazetteers, the PDF and
OCR modules; about a second, which the first document paid before). Without this module it is paid inside
the worker's first task, by every worker at once, after the flow run has started; with it, it is paid
once per worker for the cluster's life, while the cluster starts, and a long-lived cluster serves every
later run warm. A preload that fails is logged by Dask and is not fatal: the first task then loads the
model itself.

A worker with this preload is also set up for documents rather than many small tasks (the local
cluster of ``--dask N`` gets the same through its settings, flows.ingest.dask_settings; measured with
``python -m bench.overhead``):

- its statistical profiler is stopped: every 10 ms it walked the stack of the thread ingesting the
  document, on the worker's event loop, and took the GIL from it;
- when the nanny set ``MALLOC_TRIM_THRESHOLD_`` (Dask does, to 64 kB), glibc no longer adapts its mmap
  threshold: every array of spaCy over 128 kB was mapped and unmapped again, some 20 % of the
  document's CPU. The thresholds are set to what glibc's adaptive ones reach (mmap 32 MiB, trim twice
  that), so memory still goes back to the system, in bigger steps; and the variable is removed from
  the worker's environment, so any child process it starts (which would read it too) keeps glibc's defaults
  (Tesseract runs inside the worker since it is read through libtesseract).
"""
from __future__ import annotations


def dask_setup(worker=None) -> None:
    import pipeline.ingest  # noqa: F401 - the pipeline and SQLAlchemy (workers run no Prefect)
    import pipeline.store  # noqa: F401
    from pipeline.extract import warm_up
    from pipeline.nlp.model import get_nlp
    if worker is not None:
        for name in ("profile", "profile-cycle"):      # the preload runs before the worker starts them
            pc = getattr(worker, "periodic_callbacks", {}).pop(name, None)
            if pc is not None:
                pc.stop()
    global MALLOC_ADAPTED
    MALLOC_ADAPTED = adapt_malloc()
    get_nlp()
    warm_up()


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MALLOC_ADAPTED = False          # whether this worker's malloc thresholds were set by adapt_malloc


def adapt_malloc() -> bool:
    """Undo the effect of a small ``MALLOC_TRIM_THRESHOLD_`` set by Dask's nanny (glibc only). Returns
    whether the thresholds were set."""
    import ctypes
    import os
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys_is_glibc():
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mmap = 32 * 2**20
        if not (libc.mallopt(M_MMAP_THRESHOLD, mmap) and libc.mallopt(M_TRIM_THRESHOLD, 2 * mmap)):
            return False
    except (OSError, AttributeError):
        return False
    # this process's malloc has read it already; its children would (the tesseract commands that OCR'd pages
    # before libtesseract ran in the process paid some 8 % more of their CPU)
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return True


def sys_is_glibc() -> bool:
    import platform
    return platform.libc_ver()[0] == "glibc"


def worker_report(raw_dir: str, out_dir: str, db: str, version: str) -> tuple:
    """Run on every worker by ``flows.ingest.check_cluster`` before a run: (this worker's host, the
    problems that would stop it doing its part, one line each)."""
    import socket
    from pipeline.ingest import check_environment
    return socket.gethostname(), check_environment(raw_dir, out_dir, db, version)

"""Dask worker preload: a worker loads what every ingestion task needs while it starts.

    dask worker tcp://scheduler:8786 --preload flows.dask_preload      # a cluster of your own
    (the local cluster of ``bulletins ingest --dask N`` uses it already: flows.ingest.local_dask_cluster)

Each worker process pays a fixed cost before its first document: importing SQLAlchemy and the
pipeline (workers run no Prefect: the task runs are the flow's process's) and loading the French model with the project's rules (about 3.5 s, of which
spaCy's French tokenizer exceptions compile a regex for 1.7 s). Without this module it is paid inside
the worker's first task, by every worker at once, after the flow run has started; with it, it is paid
once per worker for the cluster's life, while the cluster starts, and a long-lived cluster serves every
later run warm. A preload that fails is logged by Dask and is not fatal: the first task then loads the
model itself.
"""
from __future__ import annotations


def dask_setup(worker=None) -> None:
    import pipeline.ingest  # noqa: F401 - the pipeline and SQLAlchemy (workers run no Prefect)
    import pipeline.store  # noqa: F401
    from pipeline.nlp.model import get_nlp
    get_nlp()


def worker_report(raw_dir: str, out_dir: str, db: str, version: str) -> tuple:
    """Run on every worker by ``flows.ingest.check_cluster`` before a run: (this worker's host, the
    problems that would stop it doing its part, one line each)."""
    import socket
    from pipeline.ingest import check_environment
    return socket.gethostname(), check_environment(raw_dir, out_dir, db, version)

"""The Prefect ingestion flow end to end: a temp raw/ with a digital PDF, its scan, a .txt and a
corrupt file; re-runs skip unchanged files; the same flow on a real local Dask cluster."""
import json
import shutil

import pytest

from conftest import DATA, SAMPLE_TXT

SAMPLES = DATA / "samples"


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=120):
        yield


def latest_flow_run():
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.sorting import FlowRunSort
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0]


def latest_flow_task_runs() -> list:
    """The task runs of the newest flow run on the current Prefect API (the test harness's server)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        return client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])))


@pytest.fixture
def raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLES / "vhsl-p71.pdf", raw / "Bulletin été 2011 « VHSL ».pdf")   # spaces, accents, quotes
    shutil.copy(SAMPLES / "vhsl-p71-scan.pdf", raw / "vhsl-p71-scan.pdf")
    shutil.copy(SAMPLE_TXT, raw / "vhsl-p71.txt")
    (raw / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntruncated")
    (raw / ".hidden.pdf").write_bytes(b"ignored")
    return raw


def test_ingest_end_to_end(raw, tmp_path):
    from flows.ingest import run
    from pipeline.store import Store
    out, db = tmp_path / "extracted", f"sqlite:///{tmp_path / 'extracted' / 'bulletins.db'}"
    summary = run(raw_dir=str(raw), out_dir=str(out), db=db)
    assert (summary["seen"], summary["new"], summary["skipped"], summary["failed"]) == (4, 4, 0, 1)
    bad = next(d for d in summary["documents"] if d["status"] == "failed")
    assert bad["source"].endswith("corrupt.pdf") and "not a readable PDF" in bad["reason"]
    good = [d for d in summary["documents"] if d["status"] == "ok"]
    assert len(good) == 3 and all(d["records"] > 0 for d in good)

    store = Store(db)
    docs = {d["source"].rsplit("/", 1)[-1]: d for d in store.documents()}
    assert docs["corrupt.pdf"]["status"] == "failed" and docs["vhsl-p71-scan.pdf"]["page_methods"] == ["ocr"]
    funders = {(f["funder"], f["amount"]) for f in store.records("funding", doc_id=docs["vhsl-p71-scan.pdf"]["id"])}
    assert ("MAMROT", 250000) in {(f, int(a)) for f, a in funders}
    n_records = store.count_records()
    # across documents, once the documents are in: the digital PDF, its scan and the text are one set of facts
    from pipeline.store.resolved import document_links
    assert summary["resolved"]["document_links"] >= 2 and "error" not in summary["resolved"]
    assert {l["kind"] for l in document_links(store)} == {"same text"}
    assert summary["resolved"]["facts"]["funding"] < summary["resolved"]["records"]["funding"]
    store.close()

    for d in good:
        folder = out / d["id"]
        assert (folder / "page-001.txt").read_text(encoding="utf-8").strip()
        assert json.loads((folder / "document.json").read_text(encoding="utf-8"))["document"]["id"] == d["id"]
        assert "## Funding" in (folder / "summary.md").read_text(encoding="utf-8")
    assert not list(out.rglob("*.tmp"))

    # honest states: the bad document is a Failed task run, the flow run says how many failed
    tasks = {t.name: t for t in latest_flow_task_runs()}
    assert tasks[f"ingest {raw / 'corrupt.pdf'}"].state.is_failed()
    assert "not a readable PDF" in tasks[f"ingest {raw / 'corrupt.pdf'}"].state.message
    assert sum(t.state.is_completed() for t in tasks.values()) == 3
    flow_run = latest_flow_run()
    assert flow_run.state.is_failed() and flow_run.state.message == "1 of 4 documents failed"
    assert flow_run.parameters["db"] == db and flow_run.parameters["raw_dir"] == str(raw)

    # an unchanged raw/ is decided from the store: no flow run at all, and the failed file stays reported
    again = run(raw_dir=str(raw), out_dir=str(out), db=db)
    assert (again["new"], again["skipped"], again["records"]) == (0, 4, 0)
    assert again["failed"] == 1 and again["failed_earlier"] == 1
    (earlier,) = [d for d in again["documents"] if d["status"] == "failed"]
    assert earlier["earlier"] and earlier["source"] == str(raw / "corrupt.pdf") and "not a readable PDF" in earlier["reason"]
    assert latest_flow_run().id == flow_run.id
    store = Store(db)
    assert store.count_records() == n_records          # nothing duplicated
    store.close()


def test_changed_rules_version_reextracts(raw, tmp_path, monkeypatch):
    from flows import ingest as flow_module
    (raw / "vhsl-p71-scan.pdf").unlink()
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'b.db'}"
    flow_module.run(raw_dir=str(raw), out_dir=str(out), db=db)
    monkeypatch.setattr(flow_module, "PIPELINE_VERSION", "test-next")
    monkeypatch.setattr("pipeline.ingest.PIPELINE_VERSION", "test-next")
    again = flow_module.run(raw_dir=str(raw), out_dir=str(out), db=db)
    assert again["new"] == 3 and again["skipped"] == 0


def test_ingest_on_a_local_dask_cluster(tmp_path):
    from flows.ingest import run
    from pipeline.store import Store
    raw = tmp_path / "raw"
    raw.mkdir()
    for spec in sorted((DATA / "dev").glob("*.pdf"))[:2] + [SAMPLES / "vhsl-p71.pdf"]:
        shutil.copy(spec, raw / spec.name)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    summary = run(raw_dir=str(raw), out_dir=str(tmp_path / "out"), db=db, dask=2)
    assert summary["new"] == 3 and summary["failed"] == 0 and summary["records"] > 0
    store = Store(db)
    assert len(store.documents()) == 3
    store.close()
    # the flow's server (the harness here; the UI's in production) shows one completed task run per
    # document (the task runs are the flow process's; the documents were ingested on the workers)
    tasks = latest_flow_task_runs()
    assert sorted(t.name for t in tasks) == sorted(f"ingest {p}" for p in raw.iterdir())
    assert all(t.state.is_completed() for t in tasks)


def test_a_long_run_hands_documents_over_several_at_a_time_and_failures_stay_failed(tmp_path, monkeypatch):
    # past TASKS_PER_THREAD files a worker thread, a task run ingests several documents one after the other
    # (what a Prefect task run costs is paid once for them); a document of such a batch that failed is
    # still a Failed task run of its own, with its reason, and the flow run says how many failed
    import flows.ingest as fi
    from pipeline.store import Store
    raw = tmp_path / "raw"
    raw.mkdir()
    towns = ["Alma", "Dolbeau", "Roberval", "Chibougamau", "Normandin"]
    for i, town in enumerate(towns):
        (raw / f"breve-{i}.txt").write_text(
            f"La Coopérative de solidarité de {town} reçoit {i + 2} 000 $ de la MRC pour son épicerie.\n",
            encoding="utf-8")
    (raw / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntruncated")
    monkeypatch.setattr(fi, "TASKS_PER_THREAD", 1)
    assert [len(b) for b in fi.batches(sorted(raw.iterdir()), 2)] == [3, 3]
    # files are dealt in turn: the two biggest (the list is biggest first) are in different task runs
    dealt = fi.batches(list(range(12)), 2)
    assert dealt[0][:2] == [0, 2] and dealt[1][:2] == [1, 3] and sorted(x for b in dealt for x in b) == list(range(12))
    db = f"sqlite:///{tmp_path / 'b.db'}"
    summary = fi.run(raw_dir=str(raw), out_dir=str(tmp_path / "out"), db=db)
    assert (summary["new"], summary["failed"]) == (6, 1) and summary["records"] > 0
    tasks = latest_flow_task_runs()
    batches = [t for t in tasks if t.name.startswith("ingest 3 documents from ")]
    assert len(batches) == 2 and all(t.state.is_completed() for t in batches)
    assert sorted(t.state.name for t in batches) == ["Completed", "Partial"]
    (bad,) = [t for t in tasks if t.name == f"ingest {raw / 'corrupt.pdf'}"]
    assert bad.state.is_failed() and "not a readable PDF" in bad.state.message
    assert len(tasks) == 3
    assert latest_flow_run().state.message == "1 of 6 documents failed"
    store = Store(db)
    assert len(store.documents()) == 6
    store.close()

    # the same on a local Dask cluster: a batch is one Dask task, its documents ingested on the worker
    (raw / "corrupt.pdf").unlink()
    summary = fi.run(raw_dir=str(raw), out_dir=str(tmp_path / "out2"), db=f"sqlite:///{tmp_path / 'c.db'}",
                     dask=1, force=True)
    assert (summary["new"], summary["failed"]) == (5, 0)
    tasks = latest_flow_task_runs()
    assert sorted(t.name.split(" from ")[0] for t in tasks) == ["ingest 5 documents"]
    assert all(t.state.is_completed() for t in tasks)


def test_local_dask_cluster_workers_are_warm_before_the_flow_starts():
    # each worker loaded the French model while the cluster started (flows/dask_preload.py), so no
    # first task pays for it inside the flow run; workers run the library only, never Prefect (the
    # task runs are the flow's process's)
    from distributed import Client
    from flows.ingest import local_dask_cluster

    def worker_state():
        import sys
        model = sys.modules.get("pipeline.nlp.model")
        # and a short page went through every stage (pipeline.extract.warm_up): the first document does
        # not pay for dateparser's French data, the PDF modules or a Tesseract engine's French model
        warm = all(m in sys.modules for m in ("dateparser", "pdfplumber", "tesserocr", "pipeline.store")) \
            and len(sys.modules["pipeline.text.ocr"]._engines._idle) == 1
        return (model is not None and model.loaded() and warm, "prefect" in sys.modules)

    def worker_settings(dask_worker):
        # set up for documents (flows.ingest.dask_settings): no statistical profiler, Dask's malloc trim
        # threshold not set (glibc keeps its adaptive one), numpy's thread limits kept, slow health checks
        import os
        import dask
        import flows.dask_preload
        return ("profile" in dask_worker.periodic_callbacks, os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                os.environ.get("OMP_NUM_THREADS"), dask.config.get("distributed.admin.tick.interval"),
                flows.dask_preload.MALLOC_ADAPTED)

    with local_dask_cluster(2) as address, Client(address) as client:
        states = client.run(worker_state)
        settings = client.run(worker_settings)
    assert len(states) == 2
    assert all(loaded and not prefect for loaded, prefect in states.values()), states
    assert set(settings.values()) == {(False, None, "1", "1s", False)}, settings


def test_cli_dask_workers_share_the_flow_s_temporary_prefect_server(tmp_path):
    """Regression: with no Prefect server configured, every Dask worker started a temporary server
    of its own (about 6 s of CPU and a few seconds each, measured): the command's own server must be the
    only one, and every task run must reach it (workers now run no Prefect at all). Run as a user would, in a fresh process with its own
    PREFECT_HOME. Regression too: the command's server outlived it holding its pipes (this test hung
    600 s): it must be gone when the command returns."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pipeline.store import Store
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("bsl-p8.pdf", "sag-p12.pdf"):
        shutil.copy(DATA / "dev" / name, raw / name)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_LOGGING_LEVEL="INFO")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(tmp_path / "out"),
                             "--db", db, "--dask", "2", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr[-2000:]
    assert json.loads(stdout)["new"] == 2
    server = subprocess.run(["pgrep", "-f", f"flows.server --port [0-9]+ --parent {proc.pid}"], capture_output=True)
    assert server.returncode == 1, server.stdout        # no server left behind
    assert stderr == ""                           # Prefect's and Dask's logs went to the log file
    log = (home / "bulletins.log").read_text(encoding="utf-8")
    assert "Beginning flow run" in log and "Starting temporary server" not in log, log[-3000:]
    # the command's server wrote the runs into PREFECT_HOME's database: one flow run, both task runs
    # completed
    con = sqlite3.connect(home / "prefect.db")
    try:
        flows = con.execute("select state_type from flow_run").fetchall()
        tasks = con.execute("select name, state_type from task_run").fetchall()
    finally:
        con.close()
    assert flows == [("COMPLETED",)]
    assert sorted(tasks) == sorted((f"ingest {raw / n}", "COMPLETED") for n in ("bsl-p8.pdf", "sag-p12.pdf"))
    store = Store(db)
    assert len(store.documents()) == 2
    store.close()


def test_postgresql_restarting_mid_run_is_retried_not_a_crash(tmp_path, postgres_server, monkeypatch):
    """PostgreSQL goes down once the batch is planned and comes back 2 s later: every task's first
    attempt cannot open the store (retryable, not a failed document), a retry stores it."""
    import threading
    import flows.ingest as fi
    from pipeline.store import Store
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("bsl-p8.pdf", "estrie-p5.pdf"):
        shutil.copy(DATA / "dev" / name, raw / name)
    db = postgres_server.new_database("restart_test")
    restarted = threading.Event()
    plan = fi.plan

    def plan_then_stop(*args, **kw):
        out = plan(*args, **kw)
        from prefect.context import FlowRunContext
        if FlowRunContext.get() is not None:          # the flow's own plan, not the command's before it
            postgres_server.stop()
            threading.Timer(2.0, lambda: (postgres_server.start(), restarted.set())).start()
        return out
    monkeypatch.setattr(fi, "plan", plan_then_stop)
    summary = fi.run(raw_dir=str(raw), out_dir=str(tmp_path / "out"), db=db)
    assert restarted.wait(60)
    assert summary["new"] == 2 and summary["failed"] == 0, summary
    tasks = latest_flow_task_runs()
    assert len(tasks) == 2 and all(t.state.is_completed() and t.run_count >= 2 for t in tasks)
    store = Store(db)
    sources = {d["source"] for d in store.documents()}
    store.close()
    assert {str(raw / "bsl-p8.pdf"), str(raw / "estrie-p5.pdf")} <= sources


def test_a_store_down_for_good_mid_run_stops_the_run_with_one_line(tmp_path, postgres_server, monkeypatch):
    """PostgreSQL goes down once the flow has planned and stays down: after the retries, the run stops with
    one line naming the host (not a failed document per file, not a traceback), and the flow run is Failed."""
    import flows.ingest as fi
    from pipeline.errors import SetupError
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DATA / "dev" / "bsl-p8.pdf", raw / "bsl-p8.pdf")
    db = postgres_server.new_database("down_for_good")
    secret_db = db.replace("bulletins@", "bulletins:pw-s3cret@")
    plan = fi.plan

    def plan_then_stop(*args, **kw):
        out = plan(*args, **kw)
        from prefect.context import FlowRunContext
        if FlowRunContext.get() is not None:
            postgres_server.stop()
        return out
    monkeypatch.setattr(fi, "plan", plan_then_stop)
    try:
        with pytest.raises(SetupError) as e:
            fi.run(raw_dir=str(raw), out_dir=str(tmp_path / "out"), db=secret_db)
    finally:
        postgres_server.start()
    msg = str(e.value)
    assert "\n" not in msg and "pw-s3cret" not in msg and "127.0.0.1" in msg, msg
    run = latest_flow_run()
    assert run.state.is_failed() and "pw-s3cret" not in str(run.parameters) and "***" in run.parameters["db"]
    (task,) = latest_flow_task_runs()
    assert task.state.is_failed() and task.run_count == 3           # the first try and two retries

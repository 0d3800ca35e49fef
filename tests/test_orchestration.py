"""Orchestration as a data engineer runs it, from the README, with real processes: a real Prefect server
(`prefect server start`), a Dask cluster of one's own (`dask scheduler`, `dask worker` started from
another directory), PostgreSQL, `bulletins serve` on a fresh PREFECT_HOME, kill -9 of the command.
Every infrastructure failure is one `error:` line with no password."""
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import DATA

BIN = Path(sys.executable).parent                    # .venv/bin: bulletins, dask, prefect
BULLETINS = [str(BIN / "bulletins")]
SECRET = "hunter2-s3cret"
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra) -> dict:
    """This machine's environment without Prefect or Bulletins settings (a fresh shell), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BULLETINS_"))}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_for(pred, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def with_password(url: str, password: str = SECRET) -> str:
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{password}@{host}"


def descendants(pid: int) -> list:
    import psutil
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def api_flow_runs(api_url: str, states=("COMPLETED", "FAILED", "CRASHED", "RUNNING", "PENDING")) -> list[dict]:
    r = httpx.post(f"{api_url}/flow_runs/filter", timeout=30, json={
        "sort": "START_TIME_DESC", "limit": 50, "flow_runs": {"state": {"type": {"any_": list(states)}}}})
    r.raise_for_status()
    return r.json()


def api_task_runs(api_url: str, flow_run_id: str) -> list[dict]:
    r = httpx.post(f"{api_url}/task_runs/filter", json={"flow_runs": {"id": {"any_": [flow_run_id]}}}, timeout=30)
    r.raise_for_status()
    return r.json()


def site(tmp_path: Path, names=("bsl-p8.pdf", "sag-p12.pdf"), corrupt=True) -> Path:
    """A project directory as a user has it: raw/ with bulletins (and a corrupt one)."""
    root = tmp_path / "site"
    (root / "raw").mkdir(parents=True)
    for n in names:
        shutil.copy(DATA / "dev" / n, root / "raw" / n)
    if corrupt:
        (root / "raw" / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntruncated")
    return root


def bulletins(*args, cwd, env, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(BULLETINS + [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def one_error_line(proc) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and SECRET not in proc.stderr + proc.stdout
    return lines[0]


# -- a real Prefect server, as the README starts it ------------------------------------------------------
@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """`.venv/bin/prefect server start` on a free port, with a PREFECT_HOME of its own."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    log = open(home / "server.log", "w")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            env=clean_env(PREFECT_HOME=home, PREFECT_SERVER_ANALYTICS_ENABLED="false"))
    url = f"http://127.0.0.1:{port}/api"

    def up():
        assert proc.poll() is None, (home / "server.log").read_text()[-2000:]
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    try:
        wait_for(up, 240, "prefect server start")
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


class DaskCluster:
    """`dask scheduler` and `dask worker` processes of one's own, started in ``cwd`` (not the project's
    directory) as the README says; ``wrap`` prefixes the worker's command (a mount namespace...)."""

    def __init__(self, cwd: Path, env: dict, wrap=()):
        self.cwd, self.env, self.port = cwd, env, free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        cwd.mkdir(parents=True, exist_ok=True)
        self.log = open(cwd / "dask.log", "w")
        self.procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                        "--no-dashboard"], cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                       start_new_session=True)]
        # the README's worker command, word for word
        worker = [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--preload", "flows.dask_preload"]
        self.procs.append(subprocess.Popen(list(wrap) + worker, cwd=cwd, env=env, stdout=self.log,
                                           stderr=subprocess.STDOUT, start_new_session=True))
        from distributed import Client
        with Client(self.address, timeout=60) as c:
            c.wait_for_workers(1, timeout=180)

    def close(self):
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in reversed(self.procs):
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        self.log.close()


def worker_tuning(address: str) -> list:
    """(statistical profiler on, MALLOC_TRIM_THRESHOLD_, malloc thresholds set by the preload) of each
    worker of the cluster at ``address``."""
    from distributed import Client

    def tuning(dask_worker):
        import os
        import flows.dask_preload
        return ("profile" in dask_worker.periodic_callbacks, os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                flows.dask_preload.MALLOC_ADAPTED)
    with Client(address, timeout=30) as client:
        return sorted(client.run(tuning).values())


# -- a cluster of one's own ------------------------------------------------------------------------------
def test_cluster_of_one_s_own_from_another_directory_stores_into_the_command_s_url(
        tmp_path, prefect_server, postgres_server):
    """The README's cluster: workers started in another directory, whose own BULLETINS_DB points at a
    SQLite file there (the trap: it used to get the records, or every file failed 'No such file').
    The command's PostgreSQL URL (with a password) gets them; the password is nowhere to be seen."""
    root = site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    cluster = DaskCluster(elsewhere, clean_env(BULLETINS_DB="sqlite:///extracted/bulletins.db"))
    try:
        url = with_password(postgres_server.new_database("own_cluster"))
        env = clean_env(PREFECT_API_URL=prefect_server, PREFECT_HOME=tmp_path / "home", BULLETINS_DB=url)
        proc = bulletins("ingest", "raw", "--dask-address", cluster.address, "--json", cwd=root, env=env)
        assert proc.returncode == 1, proc.stderr[-3000:]          # the corrupt file
        assert SECRET not in proc.stdout + proc.stderr and proc.stderr == ""
        summary = json.loads(proc.stdout)
        assert (summary["new"], summary["failed"]) == (3, 1)
        again = bulletins("ingest", "raw", "--dask-address", cluster.address, "--json", cwd=root, env=env)
        tuned = worker_tuning(cluster.address)
    finally:
        cluster.close()
    # the README's worker command, with the preload: no statistical profiler, and glibc's thresholds
    # set again where Dask's nanny set MALLOC_TRIM_THRESHOLD_, which its tesseracts no longer inherit
    # (flows/dask_preload.py)
    assert tuned == [(False, None, True)], tuned
    import psycopg
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as c:
        rows = dict(c.execute("select source, status from documents").fetchall())
        n_records = c.execute("select count(*) from funding").fetchone()[0]
    assert rows == {str(root / "raw" / n): s for n, s in
                    (("bsl-p8.pdf", "ok"), ("sag-p12.pdf", "ok"), ("corrupt.pdf", "failed"))}
    assert n_records > 0
    assert not (elsewhere / "extracted").exists() and not (elsewhere / "raw").exists()
    assert len(list((root / "extracted").glob("*/document.json"))) == 2

    # the real server shows it: the bad document a Failed task run, the flow run Failed with the count,
    # the store URL redacted in the flow run's parameters
    (run,) = [r for r in api_flow_runs(prefect_server) if r["parameters"].get("raw_dir") == str(root / "raw")]
    assert run["state"]["type"] == "FAILED" and run["state"]["message"] == "1 of 3 documents failed"
    assert run["parameters"]["db"] == url.replace(SECRET, "***") and SECRET not in json.dumps(run)
    states = sorted((t["name"].rsplit("/", 1)[-1], t["state"]["type"]) for t in api_task_runs(prefect_server, run["id"]))
    assert states == [("bsl-p8.pdf", "COMPLETED"), ("corrupt.pdf", "FAILED"), ("sag-p12.pdf", "COMPLETED")]

    # a re-run has nothing new (no flow run), and the failed file keeps the exit status at 1
    assert again.returncode == 1, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["new"], summary["skipped"], summary["failed"], summary["failed_earlier"]) == (0, 3, 1, 1)
    assert len([r for r in api_flow_runs(prefect_server) if r["parameters"].get("raw_dir") == str(root / "raw")]) == 1


def test_a_worker_that_cannot_see_raw_fails_the_run_at_once_with_one_line(tmp_path, prefect_server):
    """A worker on a machine without the project's folder (here: a mount namespace hiding it) fails the
    run before any document, naming the worker and the path; nothing is stored."""
    hidden = tmp_path / "hidden"
    root = site(hidden, corrupt=False)
    wrap = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            f'mount -t tmpfs tmpfs "{hidden}" && exec "$0" "$@"']
    cluster = DaskCluster(tmp_path / "elsewhere", clean_env(), wrap=wrap)
    try:
        proc = bulletins("ingest", "raw", "--dask-address", cluster.address, cwd=root,
                         env=clean_env(PREFECT_API_URL=prefect_server, PREFECT_HOME=tmp_path / "home"))
    finally:
        cluster.close()
    line = one_error_line(proc)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"cannot see the raw folder {root / 'raw'}" in line and "Dask worker tcp://" in line, line
    con = sqlite3.connect(root / "extracted" / "bulletins.db")
    try:
        assert con.execute("select count(*) from documents").fetchone()[0] == 0
    finally:
        con.close()


# -- one line for every infrastructure failure --------------------------------------------------------------
@pytest.mark.parametrize("case", ["database down", "dask unreachable", "prefect api down"])
def test_infrastructure_failures_are_one_line_with_no_password(tmp_path, case):
    root = site(tmp_path, names=("bsl-p8.pdf",), corrupt=False)
    closed = free_port()
    env = clean_env(PREFECT_HOME=tmp_path / "home")
    args = ["ingest", "raw"]
    if case == "database down":
        args += ["--db", f"postgresql+psycopg://bulletins:{SECRET}@127.0.0.1:{closed}/bulletins"]
        needle = f"127.0.0.1:{closed}"
    elif case == "dask unreachable":
        args += ["--dask-address", f"tcp://127.0.0.1:{closed}"]
        needle = f"cannot reach the Dask scheduler at tcp://127.0.0.1:{closed}"
    else:
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{closed}/api"
        needle = f"the Prefect API at http://127.0.0.1:{closed}/api (PREFECT_API_URL) does not answer"
    proc = bulletins(*args, cwd=root, env=env, timeout=120)
    line = one_error_line(proc)
    assert proc.returncode == 2 and needle in line, line
    # at once: before any document is read (not after a run whose every document failed); how long it
    # takes on a loaded machine is not asserted
    assert not list((root / "extracted").glob("**/*.json")) and "bsl-p8" not in proc.stdout + proc.stderr


def test_a_store_error_names_the_host_never_the_password(tmp_path, postgres_server):
    from pipeline.store import Store, StoreError
    url = with_password(postgres_server.url.rsplit("/", 1)[0] + "/no_such_database")
    with pytest.raises(StoreError) as e:
        Store(url)
    msg = str(e.value)
    assert SECRET not in msg and "***" in msg and "127.0.0.1" in msg and "\n" not in msg


def test_a_no_op_run_starts_no_prefect(tmp_path):
    """An unchanged raw/ is decided from the store: the second run answers with no Prefect server (its
    API points at a closed port: any use of it would be an error) and no flow run."""
    root = site(tmp_path, names=("bsl-p8.pdf",), corrupt=True)
    home = tmp_path / "home"
    first = bulletins("ingest", "raw", "--json", cwd=root, env=clean_env(PREFECT_HOME=home))
    assert first.returncode == 1, first.stderr
    con = sqlite3.connect(home / "prefect.db")
    runs = con.execute("select count(*) from flow_run").fetchone()[0]
    con.close()
    env = clean_env(PREFECT_HOME=home, PREFECT_API_URL=f"http://127.0.0.1:{free_port()}/api")
    again = bulletins("ingest", "raw", "--json", cwd=root, env=env)
    assert again.returncode == 1 and again.stderr == "", again.stderr     # the corrupt file, still reported
    summary = json.loads(again.stdout)
    assert (summary["new"], summary["skipped"], summary["failed"]) == (0, 2, 1)
    con = sqlite3.connect(home / "prefect.db")
    assert con.execute("select count(*) from flow_run").fetchone()[0] == runs
    con.close()
    # removing the failed file ends its report
    (root / "raw" / "corrupt.pdf").unlink()
    gone = bulletins("ingest", "raw", "--json", cwd=root, env=env)
    assert gone.returncode == 0 and json.loads(gone.stdout)["failed"] == 0


# -- kill -9 ----------------------------------------------------------------------------------------------
def test_kill_9_leaves_no_orphan_and_the_run_is_marked_crashed_at_the_next_start(tmp_path):
    """`bulletins ingest --dask 2` killed with SIGKILL mid-run: its Prefect server and Dask processes
    end on their own; the next command marks the run Crashed (in PREFECT_HOME's database)."""
    root = site(tmp_path, names=(), corrupt=False)
    for k in range(3):
        shutil.copy(DATA / "samples" / "vhsl-p71-scan.pdf", root / "raw" / f"scan-{k}.pdf")
        with open(root / "raw" / f"scan-{k}.pdf", "ab") as f:
            f.write(f"\n% copy {k}\n".encode())                # three distinct documents
    home = tmp_path / "home"
    env = clean_env(PREFECT_HOME=home)
    proc = subprocess.Popen(BULLETINS + ["ingest", "raw", "--dask", "2"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def running():
        if not (home / "prefect.db").exists():
            return False
        con = sqlite3.connect(home / "prefect.db")
        try:
            return con.execute("select count(*) from task_run where state_type = 'RUNNING'").fetchone()[0] > 0
        except sqlite3.OperationalError:
            return False
        finally:
            con.close()
    try:
        wait_for(running, 300, "a running task")
        children = descendants(proc.pid)
        assert any("flows.server" in " ".join(c.cmdline()) for c in children), [c.cmdline() for c in children]
        proc.kill()
        proc.communicate(timeout=60)                   # nothing holds its pipes
    finally:
        if proc.poll() is None:
            proc.kill()
    import psutil
    wait_for(lambda: not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE], 60,
             "the killed command's server and workers to end")
    con = sqlite3.connect(home / "prefect.db")
    assert con.execute("select state_type from flow_run").fetchall() == [("RUNNING",)]
    con.close()
    shutil.copy(DATA / "dev" / "bsl-p8.pdf", root / "raw" / "bsl-p8.pdf")
    nxt = bulletins("ingest", "raw", "--json", cwd=root, env=env)
    assert nxt.returncode == 0, nxt.stderr
    con = sqlite3.connect(home / "prefect.db")
    states = dict(con.execute("select state_type, count(*) from flow_run group by state_type").fetchall())
    crashed_tasks = con.execute("select count(*) from task_run where state_type = 'RUNNING'").fetchone()[0]
    con.close()
    assert states == {"CRASHED": 1, "COMPLETED": 1} and crashed_tasks == 0


# -- serve ------------------------------------------------------------------------------------------------
def test_serve_on_a_fresh_machine_ingests_a_dropped_file_within_one_cron_period(tmp_path):
    """`bulletins serve` with no Prefect server configured and a fresh PREFECT_HOME: it starts one itself,
    names the deployment after what it does, allows one run at a time, runs the tasks on its local Dask
    cluster (--dask 1), and a file dropped in raw/ is stored within one period of the cron (every minute
    here). Stopped with kill -9, it leaves no server and no Dask worker."""
    root = site(tmp_path, names=(), corrupt=False)
    env = clean_env(PREFECT_HOME=tmp_path / "home")
    proc = subprocess.Popen(BULLETINS + ["serve", "raw", "--cron", "* * * * *", "--dask", "1"], cwd=root, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()
        assert line.startswith("serving ingest-bulletins/ingest-raw-every-minute on "), (line, proc.stderr.read()
                                                                                          if proc.poll() else "")
        assert "tasks on tcp://127.0.0.1:" in line, line            # its local Dask cluster, warm for every run
        ui = line.split("(http://", 1)[1].split(",", 1)[0].split()[0]
        api = f"http://{ui}/api"
        shutil.copy(DATA / "dev" / "bsl-p8.pdf", root / "raw" / "bsl-p8.pdf")
        dropped = time.monotonic()
        db = root / "extracted" / "bulletins.db"

        def stored():
            if not db.exists():
                return False
            con = sqlite3.connect(db)
            try:
                return con.execute("select count(*) from documents where status = 'ok'").fetchone()[0] == 1
            except sqlite3.OperationalError:
                return False
            finally:
                con.close()
        wait_for(stored, 60 + 90, "the dropped file in the store", every=1)
        took = time.monotonic() - dropped
        deps = httpx.post(f"{api}/deployments/filter", json={}, timeout=30).json()
        assert [d["name"] for d in deps] == ["ingest-raw-every-minute"]
        limit = deps[0].get("concurrency_limit") or (deps[0].get("global_concurrency_limit") or {}).get("limit")
        assert limit == 1, deps[0]
        assert deps[0]["parameters"]["raw_dir"] == str(root / "raw")
        wait_for(lambda: any(r["state"]["type"] == "COMPLETED" for r in api_flow_runs(api)), 60, "a completed run")
        children = descendants(proc.pid)
        assert any("flows.server" in " ".join(c.cmdline()) for c in children)
        def completed_task_runs() -> int:
            con = sqlite3.connect(tmp_path / "home" / "prefect.db")
            try:
                return con.execute("select count(*) from task_run where state_type = 'COMPLETED'").fetchone()[0]
            finally:
                con.close()
        # reported from the Dask worker to serve's server, whose recorder writes task-run states in batches
        # (flows/server.py: flushed every second)
        wait_for(lambda: completed_task_runs() >= 1, 30, "the completed task run in serve's server", every=0.5)
        assert completed_task_runs() == 1
    finally:
        proc.kill()
        proc.communicate(timeout=60)
    import psutil
    wait_for(lambda: not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE], 60,
             "serve's server and Dask worker to end after kill -9")
    assert took < 60 + 60, took                        # one minute, plus the run itself


def test_serve_refuses_a_bad_cron_at_once(tmp_path):
    root = site(tmp_path, names=(), corrupt=False)
    proc = bulletins("serve", "raw", "--cron", "every hour", cwd=root, env=clean_env(PREFECT_HOME=tmp_path / "h"),
                     timeout=60)
    assert proc.returncode == 2 and "not a cron expression: 'every hour'" in one_error_line(proc)


# -- PostgreSQL as a Debian user sets it up (README) -------------------------------------------------------
def test_readme_postgresql_role_and_createdb(tmp_path):
    """The README's PostgreSQL lines on a server set up as Debian does (local connections: peer, for the
    'postgres' system user; TCP: password, scram-sha-256): `createuser --pwprompt`, `createdb --owner`,
    then BULLETINS_DB with the password. A wrong password is one line naming the host, never the
    password."""
    from conftest import _pg_bin
    if os.geteuid() != 0:
        pytest.skip("needs root to act as the 'postgres' system user (sudo -u postgres in the README)")
    base = Path(__import__("tempfile").mkdtemp(prefix="bulletins-pg-readme-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    shutil.chown(base, "postgres")
    shutil.chown(sock, "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(as_postgres + [_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth-local=peer",
                                  "--auth-host=scram-sha-256", "-E", "UTF8"], check=True, capture_output=True)
    ctl = as_postgres + [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-o",
                         f"-h 127.0.0.1 -p {port} -k {sock}"]
    subprocess.run(ctl + ["-w", "start"], check=True, capture_output=True)
    try:
        pg = {**os.environ, "PGHOST": str(sock), "PGPORT": str(port)}   # Debian's default socket, here
        # README: sudo -u postgres createuser --pwprompt bulletins ; sudo -u postgres createdb --owner=bulletins bulletins
        r = subprocess.run(as_postgres + ["createuser", "--pwprompt", "bulletins"], input=f"{SECRET}\n{SECRET}\n",
                           env=pg, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        subprocess.run(as_postgres + ["createdb", "--owner=bulletins", "bulletins"], env=pg, check=True,
                       capture_output=True)
        root = site(tmp_path, names=("bsl-p8.pdf",), corrupt=False)
        env = clean_env(PREFECT_HOME=tmp_path / "home",
                        BULLETINS_DB=f"postgresql+psycopg://bulletins:{SECRET}@127.0.0.1:{port}/bulletins")
        ok = bulletins("ingest", "raw", cwd=root, env=env)
        assert ok.returncode == 0, ok.stderr
        assert "new 1" in ok.stdout and SECRET not in ok.stdout + ok.stderr
        import psycopg
        with psycopg.connect(f"host=127.0.0.1 port={port} user=bulletins password={SECRET} dbname=bulletins") as c:
            assert c.execute("select count(*) from documents where status = 'ok'").fetchone()[0] == 1
        env["BULLETINS_DB"] = f"postgresql+psycopg://bulletins:wrong-{SECRET}@127.0.0.1:{port}/bulletins"
        bad = bulletins("ingest", "raw", cwd=root, env=env)
        line = one_error_line(bad)
        assert bad.returncode == 2 and f"127.0.0.1:{port}" in line and "password authentication failed" in line, line
    finally:
        subprocess.run(ctl + ["-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

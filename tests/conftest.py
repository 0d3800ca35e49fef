import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")   # no telemetry calls from tests
if "PREFECT_HOME" not in os.environ:
    # the session's own Prefect home (its temporary server's database, its settings): two test sessions
    # on one machine, or a developer's own ~/.prefect, never share one
    import tempfile
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="bulletins-prefect-home-")
ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SAMPLE_TXT = ROOT / "tests" / "data" / "samples" / "vhsl-p71.txt"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp.model import get_nlp
    return get_nlp()


@pytest.fixture(scope="session")
def analyse_text(nlp):
    """text -> the page's typed annotations (pipeline.nlp.annotations.PageAnnotations)."""
    from pipeline.nlp import annotate_text
    return annotate_text


@pytest.fixture(scope="session")
def extract(nlp):
    from pipeline import extract_text
    return extract_text


@pytest.fixture
def site(tmp_path):
    """The shared sample ingested into a fresh store: raw/, extracted/, the store URL, the document id."""
    import shutil
    from pipeline.ingest import ingest_file
    raw, out = tmp_path / "raw", tmp_path / "extracted"
    raw.mkdir()
    shutil.copy(DATA / "samples" / "vhsl-p71.pdf", raw / "vhsl-p71.pdf")
    db = f"sqlite:///{out / 'bulletins.db'}"
    res = ingest_file(raw / "vhsl-p71.pdf", out, db)
    assert res["status"] == "ok"
    return {"raw": raw, "out": out, "db": db, "doc_id": res["id"]}


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _pg_bin(name):
    import glob
    import shutil
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    return found if isinstance(found, str) else (found[0] if found else None)


class PostgresServer:
    """The session's PostgreSQL server: its store URL, and stop/start for fault tests."""

    def __init__(self, url: str, ctl: list):
        self.url, self._ctl = url, ctl

    def new_database(self, name: str) -> str:
        """The URL of a new, empty database on this server."""
        import psycopg
        from sqlalchemy.engine import make_url
        u = make_url(self.url)
        with psycopg.connect(f"host={u.host} port={u.port} user={u.username} dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return str(u.set(database=name))

    def stop(self) -> None:
        import subprocess
        subprocess.run(self._ctl + ["-m", "fast", "-w", "stop"], check=True, capture_output=True)

    def start(self) -> None:
        import subprocess
        subprocess.run(self._ctl + ["-w", "start"], check=True, capture_output=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_server):
    return postgres_server.url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A fresh record store, once on a SQLite file and once on the session's real PostgreSQL server
    (its tables dropped afterwards)."""
    from pipeline.store import Base, Store
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bulletins.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    s = Store(url)
    yield s
    Base.metadata.drop_all(s.engine)
    s.close()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for this test session: initdb in a temp dir, started on 127.0.0.1 at a
    free port, one database. Debian's postgresql package is installed by scripts/setup.sh --dev; as
    root the server runs as the 'postgres' user (PostgreSQL refuses to run as root)."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.fail("PostgreSQL server binaries not found: run scripts/setup.sh --dev (Debian package postgresql)")
    base = Path(tempfile.mkdtemp(prefix="bulletins-pg-"))     # not under pytest's 0700 root-owned tmp
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(as_user + [initdb, "-D", str(data), "-A", "trust", "-U", "bulletins", "-E", "UTF8"],
                   check=True, capture_output=True)
    ctl = as_user + [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-o", f"-h 127.0.0.1 -p {port} -k {sock}"]
    server = PostgresServer(f"postgresql+psycopg://bulletins@127.0.0.1:{port}/bulletins_test", ctl)
    server.start()
    try:
        import psycopg
        with psycopg.connect(f"host=127.0.0.1 port={port} user=bulletins dbname=postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE bulletins_test")
        yield server
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

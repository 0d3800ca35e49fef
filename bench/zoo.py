"""The layout zoo benchmark: hundreds of generated pages of every layout (``testkit/zoo.py``), their
digital PDFs read by our text stage, ``pdftotext``, pdfminer's layout analysis and pymupdf4llm (the
``[bench]`` extra; left out when not installed), their scans by our OCR stage and the ``tesseract`` CLI,
each scored against the page's truth (sentences intact, word recall), overall and per page kind; and
the silent-loss check: every word ``pdftotext`` (digital) or Tesseract (scans) finds on a page must be
in our text or our furniture.

    python -m bench.zoo [--pages 300] [--scans 100] [--seed 1] [--out bench/out/zoo] [--results bench/RESULTS.md]

Writes (replaces) the "Layout zoo" section of ``bench/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def words(text: str) -> list[str]:
    return re.findall(r"[\w'\-]+", text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ").lower())


def score(spec: dict, text: str) -> tuple[float, float]:
    """(sentences intact, word recall) of ``text`` against a spec's reference (as ../shared/tools/text_score.py)."""
    from testkit.pages import paragraphs
    parts = [spec.get("title", ""), spec.get("byline", ""), spec.get("role", "")]
    parts += paragraphs(spec.get("body", "")) + [spec.get("sidebar_arg", "")] + paragraphs(spec.get("sidebar", ""))
    parts = [p for p in parts if p]
    ref, hyp = words("\n".join(parts)), words(text)
    joined = " " + " ".join(hyp) + " "
    sents = [words(s) for p in parts for s in re.split(r"(?<=[.!?:])\s+", p)]
    sents = [s for s in sents if len(s) >= 3]
    intact = sum(1 for s in sents if " " + " ".join(s) + " " in joined) / max(1, len(sents))
    rc, hc = Counter(ref), Counter(hyp)
    return intact, sum(min(c, hc[w]) for w, c in rc.items()) / max(1, len(ref))


def kept_text(page) -> str:
    return page.text + "\n" + "\n".join(f.text for f in page.furniture)


def lost_lines(found_text: str, page, fuzzy: bool = False) -> list[str]:
    """Lines of another reader's text (pdftotext, Tesseract) most of whose words (for OCR, ``fuzzy``:
    of its words of 3 letters or more) are not in our text or furniture."""
    bag = Counter(words(kept_text(page)))
    flat = " ".join(words(kept_text(page))).replace("-", "")
    lost = []
    for line in found_text.splitlines():
        ws = [w for w in words(line) if any(c.isalnum() for c in w)]
        if fuzzy:
            ws = [w for w in ws if len(w) >= 3]
        if not ws:
            continue
        # (a word of theirs run into the next column's, 'Bas-SaintL'investissement', is found by its parts)
        miss = [w for w in ws if not bag[w] and w.strip("-").replace("-", "") not in flat
                and not all(bag[x] or x in flat for x in re.split(r"[-']|(?<=\D)(?=\d)|(?<=\d)(?=\D)", w) if len(x) > 1)]
        # (pdftotext itself runs words of two columns together, 'déveLa': one odd word does not make a
        # line lost; a line is lost when most of its words are nowhere in our text or furniture)
        if len(miss) > len(ws) / 2:
            lost.append(line.strip())
    return lost


def md_plain(md: str) -> str:
    """pymupdf4llm's Markdown as plain text (emphasis, headings, table bars and links dropped)."""
    md = re.sub(r"[*_#`|]+", " ", md)
    md = re.sub(r"^-{3,}$", " ", md, flags=re.M)
    return md


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.zoo", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--scans", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "zoo")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    a = ap.parse_args(argv)
    from pdfminer.high_level import extract_text as pdfminer_text
    from pdfminer.layout import LAParams
    from testkit.pages import parse_spec
    from testkit.zoo import make_zoo
    from pipeline.text.sources import load
    try:
        import pymupdf4llm
    except ImportError:
        pymupdf4llm = None
    t0 = time.perf_counter()
    made = make_zoo(a.out, a.pages, a.seed, a.scans)
    print(f"zoo: {len(made)} pages generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    res = defaultdict(list)          # method -> [(intact, recall, features)]
    lost = []                        # (page, method, line)
    for k, (page, pdf, scan) in enumerate(made):
        spec = parse_spec((a.out / f"{page.name}.spec").read_text(encoding="utf-8"))
        feats = page.features()
        doc = load(pdf)
        ours = doc.pages[0]
        ptt = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True).stdout
        res["ours"].append((*score(spec, ours.text), feats))
        res["pdftotext"].append((*score(spec, ptt), feats))
        res["pdfminer"].append((*score(spec, pdfminer_text(str(pdf), laparams=LAParams())), feats))
        if pymupdf4llm is not None:
            res["pymupdf4llm"].append((*score(spec, md_plain(pymupdf4llm.to_markdown(str(pdf), show_progress=False))), feats))
        lost += [(page.name, "digital", line) for line in lost_lines(ptt, ours)]
        if ours.review:
            lost.append((page.name, "digital", ours.review))
        if scan is not None:
            sdoc = load(scan)
            sp = sdoc.pages[0]
            res["ours-scan"].append((*score(spec, sp.text), feats))
            with tempfile.TemporaryDirectory() as tmp:
                from pipeline.text import ocr
                png = Path(tmp) / "p.png"
                ocr._render(scan.read_bytes(), 0).save(png)
                tess = subprocess.run(["tesseract", str(png), "-", "-l", "fra", "--psm", "3", "--dpi", str(ocr.DPI)],
                                      capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
            res["tesseract"].append((*score(spec, tess), feats))
            lost += [(page.name, "scan", line) for line in lost_lines(tess, sp, fuzzy=True)]
            if sp.review:
                lost.append((page.name, "scan", sp.review))
        if (k + 1) % 25 == 0:
            print(f"  {k + 1} pages, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    lines = report(res, lost, a)
    text = a.results.read_text(encoding="utf-8") if a.results.exists() else "# Bulletins benchmark\n"
    text = re.sub(r"\n## Layout zoo\n.*?(?=\n## |\Z)", "\n", text, flags=re.S).rstrip() + "\n\n" + "\n".join(lines) + "\n"
    a.results.write_text(text, encoding="utf-8")
    print("\n".join(lines))
    return 0


def report(res, lost, a) -> list[str]:
    def mean(rows, i):
        return statistics.mean(r[i] for r in rows) if rows else float("nan")
    digital = [m for m in ("ours", "pdftotext", "pdfminer", "pymupdf4llm") if res[m]]
    out = ["## Layout zoo", "",
           f"`python -m bench.zoo --pages {a.pages} --scans {a.scans} --seed {a.seed}`: {a.pages} generated pages "
           "(`testkit/zoo.py`: letter, A4, square pages and two-page spreads; 1-4 columns, gutters 8-36 pt, "
           "justified or ragged, short and long columns; boxes shaded or ruled at any edge; running headers and "
           "footers top or bottom; drop caps; vertical tabs; photos with captions; tables with and without rules; "
           f"pull-quotes), the first {a.scans} also as scans (200-400 dpi, turned up to 1.5°, blurred, speckled, "
           "JPEG). Truth: each page's `.spec`; captions, tables, pull-quotes, tabs, headers and footers are not "
           "part of it. Sentences intact and word recall as `../shared/tools/text_score.py` counts them.", "",
           "| reader | pages | sentences intact | word recall | pages with every sentence intact |", "|---|---|---|---|---|"]
    for m in digital + ["ours-scan", "tesseract"]:
        rows = res[m]
        if rows:
            label = {"ours": "ours, digital", "ours-scan": "ours, scans", "tesseract": "tesseract CLI, scans",
                     "pdfminer": "pdfminer layout analysis (LAParams defaults)"}.get(m, m)
            out.append(f"| {label} | {len(rows)} | {mean(rows, 0):.4f} | {mean(rows, 1):.4f} | "
                       f"{sum(1 for r in rows if r[0] == 1.0)} |")
    kinds = sorted({f for r in res["ours"] for f in r[2]})
    out += ["", "Digital pages by kind (a page counts in every kind it has), sentences intact:", "",
            "| kind | pages | " + " | ".join(digital) + " | ours, scans | tesseract |",
            "|---|---|" + "---|" * (len(digital) + 2)]
    below = []
    for k in kinds:
        cells = []
        for m in digital + ["ours-scan", "tesseract"]:
            rows = [r for r in res[m] if k in r[2]]
            cells.append(f"{mean(rows, 0):.3f}" if rows else "–")
        n = sum(1 for r in res["ours"] if k in r[2])
        ours_k = mean([r for r in res["ours"] if k in r[2]], 0)
        ptt_k = mean([r for r in res["pdftotext"] if k in r[2]], 0)
        if ours_k < ptt_k:
            below.append(k)
        out.append(f"| {k} | {n} | " + " | ".join(cells) + " |")
    out += ["", f"Kinds where ours is below pdftotext: {', '.join(below) if below else 'none'}.", "",
            f"Silent-loss check (a line pdftotext finds on a digital page, or Tesseract reads on a scan, counts as "
            f"lost when most of its words (on scans: of 3 letters or more) are in neither our text nor our furniture; "
            f"pages flagged for review counted too): {len(lost)} lines lost."]
    for name, kind, line in lost[:20]:
        out.append(f"- {name} ({kind}): {line[:120]}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())

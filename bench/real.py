"""Real PDFs written elsewhere (``../shared/peer``, read in place): for every page, which way the
text-layer decision went and why, its coverage, and the silent-loss check against ``pdftotext`` (pages
read from their text layer) or the ``tesseract`` CLI (pages read by OCR); the spec pages scored beside
``pdftotext``.

    python -m bench.real [--results bench/RESULTS.md]

Writes (replaces) the "Real PDFs" section of ``bench/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peer"
FILES = [PEER / "real-pdfs" / n for n in ("amzer22.pdf", "chelsea_pdta.pdf", "couthenans-2023.pdf", "pymupdf-2791.pdf",
                                          "speakers-bulletin-municipal.pdf")] + \
        [PEER / "pdfs" / n for n in ("francais.pdf", "2023-06-20-PV.pdf", "RGL-1310-Identification-Maple-Leaf-adoption.pdf")]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.real", description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    a = ap.parse_args(argv)
    import pypdfium2 as pdfium
    from bench.zoo import lost_lines
    from pipeline.text import ocr
    from pipeline.text.sources import load
    sys.path.insert(0, str(PEER.parent / "tools"))
    from text_score import score
    out = ["## Real PDFs", "", "`python -m bench.real`: every page of the real PDFs of `../shared/peer` (read in place). "
           "Lost lines: lines of `pdftotext` (text-layer pages) or of the `tesseract` CLI (OCR'd pages) most of whose "
           "words are in neither our text nor our furniture.", "",
           "| file | page | method | why | coverage | furniture | lost lines |", "|---|---|---|---|---|---|---|"]
    total_lost = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in FILES:
            doc = load(f)
            src = pdfium.PdfDocument(str(f))
            for p in doc.pages:
                one = Path(tmp) / "one.pdf"
                dst = pdfium.PdfDocument.new()
                dst.import_pages(src, [p.number - 1])
                dst.save(str(one))
                dst.close()
                if p.method == "text":
                    found = subprocess.run(["pdftotext", "-q", str(one), "-"], capture_output=True, text=True).stdout
                    lost = lost_lines(found, p)
                else:
                    png = Path(tmp) / "p.png"
                    ocr._render(one.read_bytes(), 0).save(png)
                    found = subprocess.run(["tesseract", str(png), "-", "-l", "fra", "--psm", "3"], capture_output=True,
                                           text=True).stdout
                    lost = lost_lines(found, p, fuzzy=True)
                total_lost += len(lost)
                why = (p.method_reason or p.error or "").replace("|", "/")
                cov = "–" if p.coverage is None else f"{p.coverage:.3f}"
                kinds = sorted({x.kind for x in p.furniture})
                out.append(f"| {f.name} | {p.number} | {p.method} | {why} | {cov} | {', '.join(kinds)} | "
                           f"{len(lost)}{': ' + '; '.join(x[:60] for x in lost[:3]) if lost else ''} |")
            src.close()
        out += ["", f"Lines lost over all pages: {total_lost}.", "", "Spec pages (`../shared/tools/pdf_text_score.py`):", "",
                "| page | method | sentences intact | word recall | pdftotext intact | pdftotext recall |", "|---|---|---|---|---|---|"]
        rows = [line.split("\t") for line in (PEER / "real-pdfs" / "PAGES.tsv").read_text().splitlines() if line.strip()]
        for name, fname, page in rows:
            src = pdfium.PdfDocument(str(PEER / "real-pdfs" / fname))
            one = Path(tmp) / f"{name}.pdf"
            dst = pdfium.PdfDocument.new()
            dst.import_pages(src, [int(page) - 1])
            dst.save(str(one))
            doc = load(one)
            ours = score(PEER / "real-pdfs" / f"{name}.spec", "\n".join(p.text for p in doc.pages))
            ptt = score(PEER / "real-pdfs" / f"{name}.spec",
                        subprocess.run(["pdftotext", str(one), "-"], capture_output=True, text=True).stdout)
            out.append(f"| {name} | {doc.pages[0].method} | {ours['sentences_intact']:.3f} | {ours['word_recall']:.3f} | "
                       f"{ptt['sentences_intact']:.3f} | {ptt['word_recall']:.3f} |")
    text = a.results.read_text(encoding="utf-8") if a.results.exists() else "# Bulletins benchmark\n"
    text = re.sub(r"\n## Real PDFs\n.*?(?=\n## |\Z)", "\n", text, flags=re.S).rstrip() + "\n\n" + "\n".join(out) + "\n"
    a.results.write_text(text, encoding="utf-8")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

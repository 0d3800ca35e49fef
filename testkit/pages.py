"""Bulletin page generator: page specs (.spec) -> digital PDFs, scanned twins and page images.

    python -m bench.pages SPEC... --out DIR [--columns 2|3] [--sidebar right|left|none]
                          [--font serif|sans] [--scan] [--images png,tiff,jpeg] [--dpi 200] [--seed 7]
    python -m bench.pages SPEC... --out DIR --join NAME      # one multi-page PDF, a page per spec
    python -m bench.pages --zoo 300 --out DIR [--seed 1] [--scan]   # the layout zoo (testkit/zoo.py)
    python -m bench.pages --tables 40 --out DIR [--seed 1] [--scan] # generated tables (testkit/tables.py)

A spec is the format of shared/samples/*.spec: ``@page N``, ``@header``, ``@title``, ``@byline``,
``@role``, ``@body`` (paragraphs separated by blank lines), ``@sidebar TITLE``, ``@pullquote``,
``@footer``. The digital page has a running header with the page number, a footer, the title and
byline across the top, the body in 2 or 3 justified columns hyphenated in French (pyphen), and the
sidebar in a shaded panel on the right or the left (with the pull-quote), or with ``--sidebar none``
as a headed article after the body, so the reading-order,
furniture, pull-quote and hyphenation problems of real bulletins are all present. The scan is the
page rendered at ``--dpi`` (pypdfium2), slightly rotated, blurred, speckled and JPEG-compressed,
deterministic for a given ``--seed``.

Needs the dev extras (reportlab, pyphen, img2pdf) and the DejaVu fonts (Debian fonts-dejavu-core).
"""
from __future__ import annotations

import argparse
import io
import random
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def parse_spec(text: str) -> dict:
    """The fields of a page spec; ``sidebar_arg`` is the sidebar's title."""
    spec: dict[str, str] = {}
    key, buf = None, []
    for line in text.splitlines():
        if line.startswith("@"):
            if key:
                spec[key] = "\n".join(buf).strip()
            head, _, rest = line[1:].partition(" ")
            key, buf = head, []
            if rest.strip():
                if head in ("body", "sidebar"):
                    spec[head + "_arg"] = rest.strip()
                else:
                    spec[head] = rest.strip()
                    key = None
        elif key:
            buf.append(line)
    if key:
        spec[key] = "\n".join(buf).strip()
    return spec


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Layout:
    columns: int = 2            # body columns
    sidebar: str = "right"      # right | left | none
    font: str = "serif"         # body font: serif | sans
    size: float = 8.6           # body font size, points


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if "BSerif" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (("BSerif", "DejaVuSerif.ttf"), ("BSerifB", "DejaVuSerif-Bold.ttf"),
                       ("BSans", "DejaVuSans.ttf"), ("BSansB", "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_pdf(spec: dict, out: Path, layout: Layout = Layout()) -> Path:
    """One spec -> a one-page digital PDF (the body may flow onto more pages if it is long)."""
    from reportlab.lib.colors import Color, black
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Spacer
    _fonts()
    W, H = letter
    m = 42
    face = "BSerif" if layout.font == "serif" else "BSans"
    body = ParagraphStyle("body", fontName=face, fontSize=layout.size, leading=layout.size * 1.23, splitLongWords=0,
                          alignment=TA_JUSTIFY, hyphenationLang="fr_FR", embeddedHyphenation=1,
                          uriWasteReduce=0.3, spaceAfter=5)
    side = ParagraphStyle("side", parent=body, fontName="BSans", fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName="BSerifB", fontSize=17, leading=20, spaceAfter=6, splitLongWords=0)
    sidetitle = ParagraphStyle("st", fontName="BSansB", fontSize=10, leading=12, spaceAfter=5, splitLongWords=0)
    byline = ParagraphStyle("by", fontName="BSansB", fontSize=8.5, leading=10)
    role = ParagraphStyle("role", fontName="BSans", fontSize=7.5, leading=9, spaceAfter=4)
    quote = ParagraphStyle("q", fontName="BSansB", fontSize=11, leading=13, textColor=Color(0.55, 0.1, 0.1))

    top_h, gap = 95, 12
    has_side = layout.sidebar != "none" and bool(spec.get("sidebar"))
    side_w = (W - 2 * m) * (0.28 if layout.columns == 3 else 0.32) if has_side else 0
    main_w = W - 2 * m - (side_w + 14 if has_side else 0)
    main_x = m + (side_w + 14 if has_side and layout.sidebar == "left" else 0)
    side_x = m if layout.sidebar == "left" else m + main_w + 14
    col_w = (main_w - gap * (layout.columns - 1)) / layout.columns
    y0, y1 = m + 24, H - m - 22 - top_h

    def furniture(c):
        c.setFont("BSansB", 9)
        c.drawString(m, H - m, spec.get("page", ""))
        c.setFont("BSans", 8)
        c.drawRightString(W - m, H - m, spec.get("header", ""))
        c.drawCentredString(W / 2, m - 6, spec.get("footer", ""))

    def first_page(c, doc):
        furniture(c)
        if not has_side:
            return
        c.setFillColor(Color(0.9, 0.93, 0.97))
        c.rect(side_x - 6, y0 - 4, side_w + 6, y1 - y0 + top_h + 8, stroke=0, fill=1)
        c.setFillColor(black)
        f = Frame(side_x, y0, side_w - 4, y1 - y0 + top_h, showBoundary=0)
        story = [Paragraph(_esc(spec.get("sidebar_arg", "")), sidetitle)]
        story += [Paragraph(_esc(p), side) for p in paragraphs(spec.get("sidebar", ""))]
        if spec.get("pullquote"):
            story += [Spacer(1, 8), Paragraph(_esc(spec["pullquote"]), quote)]
        f.addFromList(story, c)

    doc = BaseDocTemplate(str(out), pagesize=letter, leftMargin=m, rightMargin=m, topMargin=m, bottomMargin=m,
                          title=spec.get("title", ""), author="")
    first = [Frame(main_x, y1, main_w, top_h, showBoundary=0)]
    first += [Frame(main_x + i * (col_w + gap), y0, col_w, y1 - y0, showBoundary=0) for i in range(layout.columns)]
    cw = (W - 2 * m - 2 * gap) / 3
    later = [Frame(m + i * (cw + gap), y0, cw, H - 2 * m - 40, showBoundary=0) for i in range(3)]
    doc.addPageTemplates([PageTemplate("first", first, onPage=first_page, autoNextPageTemplate="later"),
                          PageTemplate("later", later, onPage=lambda c, d: furniture(c))])
    story = [Paragraph(_esc(spec.get("title", "")), title)]
    if spec.get("byline"):
        story.append(Paragraph(_esc(spec["byline"]), byline))
    if spec.get("role"):
        story.append(Paragraph(_esc(spec["role"]), role))
    story.append(FrameBreak())
    story += [Paragraph(_esc(p), body) for p in paragraphs(spec.get("body", ""))]
    if not has_side and spec.get("sidebar"):
        # no panel: the sidebar's article follows the body, under its own heading
        story += [Spacer(1, 6), Paragraph(_esc(spec.get("sidebar_arg", "")), sidetitle)]
        story += [Paragraph(_esc(p), body) for p in paragraphs(spec["sidebar"])]
    doc.build(story)
    return out


def join_pdfs(parts: list[Path], out: Path) -> Path:
    """Several PDFs -> one multi-page PDF, in order."""
    import pypdfium2 as pdfium
    dest = pdfium.PdfDocument.new()
    for p in parts:
        src = pdfium.PdfDocument(str(p))
        dest.import_pages(src)
        src.close()
    dest.save(str(out))
    dest.close()
    return out


def cipher_pdf(paragraphs_: list, out: Path, shuffle: int | None = None, size: float = 11.0) -> Path:
    """A one-page digital PDF whose text layer has no characters: DejaVu Serif embedded whole as a
    CID font (Identity-H) without a ToUnicode map and without its own character map (its 'cmap' table
    renamed), as subset fonts of real magazines come, so that a reader of the layer gets '(cid:N)'
    glyphs only while the page renders normally. The codes are the
    font's glyph numbers (which follow the characters' order, as in most TrueType fonts), or with
    ``shuffle`` (a seed) codes drawn at random, mapped to the glyphs by a CIDToGIDMap: a cipher with
    no order to it. Paragraphs are wrapped to a 440 pt measure, a blank line between them; a paragraph
    given as (text, size) is set at its own size."""
    import random as _random
    import textwrap
    import pikepdf
    from reportlab.pdfbase.ttfonts import TTFontFile
    ttf = FONT_DIR / "DejaVuSerif.ttf"
    font = TTFontFile(str(ttf))
    paras = [(p, size) if isinstance(p, str) else p for p in paragraphs_]
    chars = sorted({c for p, _ in paras for c in p} | {" "})
    gids = {c: font.charToGlyph[ord(c)] for c in chars}
    if shuffle is None:
        cid = dict(gids)
    else:
        codes = _random.Random(shuffle).sample(range(1, 3000), len(chars))
        cid = dict(zip(chars, codes))
    ops, y = [], 842 - 72
    for p, sz in paras:
        for line in textwrap.wrap(p, int(440 / (0.55 * sz))) + [""]:
            if line:
                hexes = "".join(f"{cid[c]:04x}" for c in line)
                ops.append(f"BT /F1 {sz} Tf 1 0 0 1 72 {y:.1f} Tm <{hexes}> Tj ET")
            y -= 1.35 * sz
    pdf = pikepdf.new()
    widths = pikepdf.Array()
    for c in chars:
        widths.extend([cid[c], pikepdf.Array([round(font.charWidths[ord(c)])])])
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/DejaVuSerif"), Flags=32,
        FontBBox=pikepdf.Array([round(v) for v in font.bbox]), ItalicAngle=0, Ascent=round(font.ascent),
        Descent=round(font.descent), CapHeight=round(font.capHeight), StemV=80,
        FontFile2=pdf.make_stream(_without_cmap(ttf.read_bytes()))))
    cidfont = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/DejaVuSerif"),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=descriptor, DW=600, W=widths)
    if shuffle is None:
        cidfont.CIDToGIDMap = pikepdf.Name.Identity
    else:
        table = bytearray(2 * 3000)
        for c in chars:
            table[2 * cid[c]:2 * cid[c] + 2] = gids[c].to_bytes(2, "big")
        cidfont.CIDToGIDMap = pdf.make_stream(bytes(table))
    type0 = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/DejaVuSerif"),
                               Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=pikepdf.Array([pdf.make_indirect(cidfont)]))
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=pikepdf.Array([0, 0, 595, 842]),
                              Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(type0))),
                              Contents=pdf.make_stream("\n".join(ops).encode()))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(out)
    return out


def _without_cmap(font: bytes) -> bytes:
    """A TrueType font whose character map no reader finds (its table's tag renamed 'xmap')."""
    n = int.from_bytes(font[4:6], "big")
    for i in range(n):
        at = 12 + 16 * i
        if font[at:at + 4] == b"cmap":
            return font[:at] + b"xmap" + font[at + 4:]
    raise ValueError("no cmap table in the font")


def scan_images(pdf: Path, dpi: int = 200, seed: int = 7):
    """The pages of ``pdf`` as 'scanned' greyscale images: rendered, slightly rotated, blurred, speckled."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    rnd = random.Random(seed)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for page in doc:
            im = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            im = im.rotate(rnd.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=255)
            im = im.filter(ImageFilter.GaussianBlur(0.6))
            px = im.load()
            w, h = im.size
            for _ in range(w * h // 300):
                px[rnd.randrange(w), rnd.randrange(h)] = rnd.choice((0, 90, 180))
            im.info["dpi"] = (dpi, dpi)
            yield im
    finally:
        doc.close()


def _jpeg(im, dpi: int) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=55, dpi=(dpi, dpi))
    return buf.getvalue()


def render_scan(pdf: Path, out: Path, dpi: int = 200, seed: int = 7) -> Path:
    """An image-only PDF twin of ``pdf`` (JPEG pages, no text layer)."""
    import img2pdf
    out.write_bytes(img2pdf.convert([_jpeg(im, dpi) for im in scan_images(pdf, dpi, seed)]))
    return out


def render_ocr_layer_scan(pdf: Path, out: Path, misread, dpi: int = 300, seed: int = 7) -> Path:
    """A scan of ``pdf`` as an earlier OCR engine left it: each page a page-sized image with an invisible
    text layer (render mode 3) over it, the page's own words as ``misread(word)`` gives them (an old
    engine's errors: 'SPEAHERS', 'd'angjlais')."""
    import pdfplumber
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    _fonts()
    images = list(scan_images(pdf, dpi, seed))
    with pdfplumber.open(str(pdf)) as src:
        pages = [(float(p.width), float(p.height), p.extract_words(extra_attrs=["size"])) for p in src.pages]
    c = canvas.Canvas(str(out))
    for (w, h, words), im in zip(pages, images):
        c.setPageSize((w, h))
        c.drawImage(ImageReader(io.BytesIO(_jpeg(im, dpi))), 0, 0, w, h)
        for word in words:
            t = c.beginText()
            t.setTextRenderMode(3)
            t.setFont("BSans", float(word["size"]))
            t.setTextOrigin(float(word["x0"]), h - float(word["bottom"]) + 0.2 * float(word["size"]))
            t.textOut(misread(word["text"]))
            c.drawText(t)
        c.showPage()
    c.save()
    return out


def render_images(pdf: Path, stem: Path, kinds: list[str], dpi: int = 200, seed: int = 7) -> list[Path]:
    """Scanned page images: ``png`` and ``jpeg`` one file per page (``stem-p1.png``), ``tiff`` one
    multi-frame file (``stem.tiff``)."""
    ims = list(scan_images(pdf, dpi, seed))
    out = []
    for kind in kinds:
        if kind == "tiff":
            path = stem.with_suffix(".tiff")
            ims[0].save(path, save_all=True, append_images=ims[1:], dpi=(dpi, dpi), compression="tiff_deflate")
            out.append(path)
            continue
        for n, im in enumerate(ims, 1):
            path = stem.parent / f"{stem.name}-p{n}.{'jpg' if kind == 'jpeg' else kind}"
            if kind == "jpeg":
                path.write_bytes(_jpeg(im, dpi))
            else:
                im.save(path, dpi=(dpi, dpi))
            out.append(path)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument("--zoo", type=int, default=0, metavar="N",
                    help="write N layout-zoo pages (testkit/zoo.py) from --seed, with their .spec truth (and scans with --scan)")
    ap.add_argument("--tables", type=int, default=0, metavar="N",
                    help="write N table documents (testkit/tables.py) from --seed, with their .truth.json (and scans with --scan)")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--columns", type=int, choices=(2, 3), default=2)
    ap.add_argument("--sidebar", choices=("right", "left", "none"), default="right")
    ap.add_argument("--font", choices=("serif", "sans"), default="serif")
    ap.add_argument("--suffix", default="", help="appended to each output name (e.g. -3col)")
    ap.add_argument("--join", metavar="NAME", help="also write NAME.pdf with one page per spec")
    ap.add_argument("--scan", action="store_true", help="also write NAME-scan.pdf, an image-only twin")
    ap.add_argument("--images", default="", help="also write scanned page images: png,tiff,jpeg")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    if a.zoo:
        from .zoo import make_zoo
        for page, pdf, scan in make_zoo(a.out, a.zoo, a.seed, a.zoo if a.scan else 0):
            print(pdf, " ".join(page.features()))
        return 0
    if a.tables:
        from .tables import make_tables
        for doc, pdf, scan in make_tables(a.out, a.tables, a.seed, a.tables if a.scan else 0):
            t = doc.tables[0]
            print(pdf, t.kind, t.style, "split" if t.split else "", "merged" if t.spans else "")
        return 0
    layout = Layout(columns=a.columns, sidebar=a.sidebar, font=a.font)
    made = []
    for s in a.specs:
        pdf = render_pdf(parse_spec(s.read_text(encoding="utf-8")), a.out / f"{s.stem}{a.suffix}.pdf", layout)
        made.append(pdf)
    targets = [join_pdfs(made, a.out / f"{a.join}.pdf")] if a.join else made
    kinds = [k for k in a.images.split(",") if k]
    for pdf in targets:
        if a.scan:
            render_scan(pdf, pdf.with_name(pdf.stem + "-scan.pdf"), a.dpi, a.seed)
        if kinds:
            render_images(pdf, pdf.with_suffix(""), kinds, a.dpi, a.seed)
        print(pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

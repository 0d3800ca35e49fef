"""The layout zoo: randomised, seeded bulletin pages of every common layout, each with its truth.

    python -m bench.pages --zoo 300 --out DIR [--seed 1] [--scan]

Each page draws its own layout from a seed: letter, A4 or square paper, or a two-page spread; 1 to 4
columns with gutters of 8 to 36 pt, justified or ragged; columns filled or left short; a box (shaded
or ruled) at the top, bottom, left or right edge; a running header and footer at the top or the bottom;
a drop cap; a vertical section tab; a photo with its caption; a table with or without rules; a
pull-quote repeating a sentence of the body. The text is the project's own French (the dev pages'
specs, ``tests/data/dev``). The truth is written beside each PDF as a ``.spec`` (the format of
``shared/samples/*.spec``): title, byline, body paragraphs and box, in reading order; the header,
footer, page number, captions, tables, pull-quotes and tabs are furniture and not part of it.
A scan of a page (``render_zoo_scan``) is rendered at 200 to 400 dpi, turned up to 1.5 degrees,
blurred, speckled and JPEG-compressed, deterministic for the seed.
"""
from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from .pages import _esc, _fonts, paragraphs, parse_spec

DEV = Path(__file__).resolve().parent.parent / "tests" / "data" / "dev"
SIZES = {"letter": (612.0, 792.0), "a4": (595.3, 841.9), "square": (566.9, 566.9)}
HEADERS = ("ÉCONOMIE SOCIALE — BULLETIN RÉGIONAL", "LE FIL COOPÉRATIF — NUMÉRO 12", "Nouvelles des régions",
           "DOSSIER — Développement local", "La Voix des coopératives")
TABS = ("Actualités", "Dossier", "Régions", "Portrait")


@dataclass
class Article:
    """One page of the zoo (a spread has two): its layout and its text."""
    columns: int
    gutter: float
    size: float
    font: str
    justify: bool
    title: str
    byline: str
    body: list[str]
    box_edge: str = ""              # "" | top | bottom | left | right
    box_fill: bool = True
    box_title: str = ""
    box_body: list[str] = field(default_factory=list)
    drop_cap: bool = False
    photo_after: int = -1           # paragraph index the photo follows
    caption: str = ""
    table: str = ""                 # "" | ruled | plain
    table_after: int = -1
    pullquote: str = ""
    pull_after: int = -1
    tab: str = ""                   # vertical section tab text ("" none)
    tab_side: str = "left"


@dataclass
class ZooPage:
    name: str
    paper: str
    spread: bool
    header_at: str                  # top | bottom
    header: str
    number: int
    articles: list[Article]
    kind: str = ""

    def features(self) -> list[str]:
        out = [f"{self.articles[0].columns}col", self.paper, f"header-{self.header_at}"]
        if self.spread:
            out.append("spread")
        for a in self.articles[:1]:
            out += [f for f, on in (("box-" + a.box_edge, bool(a.box_edge)), ("drop-cap", a.drop_cap),
                                    ("photo", a.photo_after >= 0), ("table-" + a.table, bool(a.table)),
                                    ("pull-quote", bool(a.pullquote)), ("tab", bool(a.tab)),
                                    ("narrow-gutter", a.columns > 1 and a.gutter < 14), ("ragged", not a.justify)) if on]
        return out

    def spec(self) -> str:
        """The page's truth in the spec format."""
        a0 = self.articles[0]
        body = list(a0.body)
        side = []
        for a in self.articles[1:]:
            body += [a.title] + ([a.byline] if a.byline else []) + a.body
        for a in self.articles:
            if a.box_edge:
                side += [a.box_title] + a.box_body
        lines = [f"@page {self.number}", f"@header {self.header}", f"@title {a0.title}"]
        if a0.byline:
            lines.append(f"@byline {a0.byline}")
        lines += ["@body", "\n\n".join(body)]
        if side:
            lines += [f"@sidebar {side[0]}", "\n\n".join(side[1:])]
        if a0.pullquote:
            lines.append(f"@pullquote {a0.pullquote}")
        lines.append(f"@footer {self.header}")
        return "\n".join(lines) + "\n"


def _texts() -> list[dict]:
    return [parse_spec(p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.spec"))]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]


def zoo_page(seed: int) -> ZooPage:
    """The layout and text of zoo page number ``seed``."""
    rnd = random.Random(seed)
    texts = _texts()
    paper = rnd.choice(("letter", "letter", "a4", "a4", "square"))
    spread = rnd.random() < 0.15
    arts = []
    for k in range(2 if spread else 1):
        src = rnd.sample(texts, 3)
        w = SIZES[paper][0]
        cols = rnd.choice((1, 2, 2, 3, 3, 4)) if w > 580 else rnd.choice((1, 2, 2, 3))
        long_ = rnd.random() < 0.6
        body = paragraphs(src[0].get("body", ""))
        if long_:
            body += paragraphs(src[1].get("body", ""))
        a = Article(columns=cols, gutter=round(rnd.uniform(8, 36), 1), size=round(rnd.uniform(8.2, 10.2), 1),
                    font=rnd.choice(("serif", "sans")), justify=rnd.random() < 0.75, title=src[0]["title"],
                    byline=src[0].get("byline", "") if rnd.random() < 0.6 else "", body=body)
        if rnd.random() < 0.45:
            a.box_edge = rnd.choice(("top", "bottom", "left", "right")) if cols < 4 else rnd.choice(("top", "bottom"))
            a.box_fill = rnd.random() < 0.6
            a.box_title = src[2].get("sidebar_arg", "") or "À retenir"
            a.box_body = paragraphs(src[2].get("sidebar", "")) or paragraphs(src[2].get("body", ""))[:1]
        a.drop_cap = rnd.random() < 0.3 and body[0][:1].isalpha() and body[0][1:2].isalpha()
        if rnd.random() < 0.35 and len(body) > 1:
            a.photo_after = rnd.randrange(0, len(body) - 1)
            a.caption = rnd.choice(("Les membres du conseil d'administration lors de l'assemblée",
                                    "Photo : la coopérative en 2012", "L'équipe de la coopérative devant ses locaux"))
        if rnd.random() < 0.3 and len(body) > 1:
            a.table = rnd.choice(("ruled", "plain"))
            a.table_after = rnd.randrange(0, len(body) - 1)
        if rnd.random() < 0.3:
            sents = _sentences(" ".join(body))
            if sents:
                a.pullquote = rnd.choice(sents)
                a.pull_after = rnd.randrange(0, len(body))
        if rnd.random() < 0.2:
            a.tab, a.tab_side = rnd.choice(TABS), rnd.choice(("left", "right"))
        arts.append(a)
    page = ZooPage(name=f"zoo-{seed:04d}", paper=paper, spread=spread, header_at=rnd.choice(("top", "bottom")),
                   header=rnd.choice(HEADERS), number=rnd.randrange(2, 80), articles=arts)
    page.kind = f"{arts[0].columns}col"
    return page


def _photo(w: int, h: int, rnd: random.Random):
    from PIL import Image, ImageDraw
    im = Image.new("RGB", (w, h), (rnd.randrange(90, 200),) * 3)
    d = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rnd.randrange(w), rnd.randrange(h)
        d.ellipse([x, y, x + rnd.randrange(10, w // 2 + 11), y + rnd.randrange(10, h // 2 + 11)],
                  fill=tuple(rnd.randrange(30, 230) for _ in range(3)))
    return im


_TABLE = [("Organisme", "Montant", "Année"), ("Caisse Desjardins", "25 000 $", "2012"),
          ("MRC de Matawinie", "35 000 $", "2015"), ("CLD de la région", "12 500 $", "2013"),
          ("Fonds régional", "150 000 $", "2014")]


def _draw_article(c, a: Article, x0: float, y0: float, x1: float, y1: float, rnd: random.Random) -> bool:
    """Draw one article in the box (x0, y0)-(x1, y1) (reportlab coordinates, bottom-up). False when
    the text does not fit (the caller shortens it)."""
    from reportlab.lib.colors import Color, black
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Frame, Image, Paragraph, Spacer, Table, TableStyle
    face = "BSerif" if a.font == "serif" else "BSans"
    body = ParagraphStyle("b", fontName=face, fontSize=a.size, leading=round(a.size * 1.22, 2), splitLongWords=0,
                          alignment=TA_JUSTIFY if a.justify else TA_LEFT, hyphenationLang="fr_FR",
                          embeddedHyphenation=1, uriWasteReduce=0.3, spaceAfter=round(a.size * 0.6, 1))
    title = ParagraphStyle("t", fontName="BSerifB", fontSize=round(a.size * 2, 1), leading=round(a.size * 2.35, 1),
                           splitLongWords=0, spaceAfter=4)
    byline = ParagraphStyle("by", fontName="BSansB", fontSize=round(a.size * 0.95, 1), leading=a.size * 1.2, spaceAfter=6)
    if a.tab:
        c.saveState()
        tx = x0 - 16 if a.tab_side == "left" else x1 + 6
        c.setFillColor(Color(0.55, 0.25, 0.2))
        c.rect(tx, y1 - 150, 12, 130, stroke=0, fill=1)
        c.setFillColor(Color(1, 1, 1))
        c.setFont("BSansB", 9)
        c.translate(tx + 9, y1 - 140)
        c.rotate(90)
        c.drawString(0, 0, a.tab)
        c.restoreState()
    # the box at its edge
    if a.box_edge:
        bw, bh = (x1 - x0), (y1 - y0)
        side = ParagraphStyle("s", parent=body, fontName="BSans", fontSize=max(7.5, a.size - 0.6),
                              leading=max(7.5, a.size - 0.6) * 1.22, alignment=TA_LEFT)
        st = ParagraphStyle("st", fontName="BSansB", fontSize=a.size + 1.5, leading=(a.size + 1.5) * 1.2, spaceAfter=4,
                            splitLongWords=0)
        story = [Paragraph(_esc(a.box_title), st)] + [Paragraph(_esc(p), side) for p in a.box_body]
        if a.box_edge in ("left", "right"):
            w = round(bw * rnd.uniform(0.26, 0.32))
            need = sum(f.wrap(w - 12, 1000)[1] + 6 for f in story) + 16
            box = (x0, y1 - need, x0 + w, y1) if a.box_edge == "left" else (x1 - w, y1 - need, x1, y1)
            if a.box_edge == "left":
                x0 += w + 14
            else:
                x1 -= w + 14
        else:
            need = sum(f.wrap(bw - 16, 1000)[1] + 6 for f in story) + 16
            box = (x0, y1 - need, x1, y1) if a.box_edge == "top" else (x0, y0, x1, y0 + need)
            if a.box_edge == "top":
                y1 -= need + 14
            else:
                y0 += need + 14
        if box[3] - box[1] > (y1 - y0 + (box[3] - box[1])) * 0.6 or box[3] - box[1] < 30:
            return False
        c.saveState()
        if a.box_fill:
            c.setFillColor(Color(0.9, 0.93, 0.97))
            c.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], stroke=0, fill=1)
        else:
            c.setLineWidth(0.8)
            c.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], stroke=1, fill=0)
        c.restoreState()
        c.setFillColor(black)
        f = Frame(box[0] + 6, box[1] + 4, box[2] - box[0] - 12, box[3] - box[1] - 8, 0, 0, 0, 0)
        f.addFromList(story, c)
        if story:
            return False
    # the title across the columns
    head = [Paragraph(_esc(a.title), title)] + ([Paragraph(_esc(a.byline), byline)] if a.byline else [])
    hh = sum(f.wrap(x1 - x0, 1000)[1] for f in head) + 10
    Frame(x0, y1 - hh, x1 - x0, hh, 0, 0, 0, 0).addFromList(head, c)
    if head:
        return False
    y1 -= hh + 4
    # the body in its columns
    n = a.columns
    cw = (x1 - x0 - a.gutter * (n - 1)) / n
    if cw < 90:
        return False
    story = []
    for i, p in enumerate(a.body):
        if i == 0 and a.drop_cap:
            cap = ParagraphStyle("dc", parent=body, leftIndent=a.size * 2.6)
            story.append(("dropcap", Paragraph(_esc(p[1:]), cap)))
        else:
            story.append(("p", Paragraph(_esc(p), body)))
        if i == a.photo_after:
            pw = cw
            im = _photo(int(pw * 2), int(pw * 1.2), rnd)
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=70)
            buf.seek(0)
            story.append(("x", Image(buf, width=pw, height=pw * 0.6)))
            story.append(("x", Paragraph(_esc(a.caption), ParagraphStyle("cap", fontName=face, fontSize=max(6.5, a.size - 1.8),
                                                                       leading=max(6.5, a.size - 1.8) * 1.2, spaceBefore=2,
                                                                       spaceAfter=a.size))))
        if i == a.table_after and cw < 120:
            a.table = ""           # too narrow a column for a table: none drawn
        if i == a.table_after and cw >= 120:
            three = cw >= 190
            rows = [r if three else r[:2] for r in _TABLE]
            fs = 6.5 if cw < 160 else max(6.5, min(a.size - 1.5, 8.0))
            widths = [cw * 0.5, cw * 0.28, cw * 0.22] if three else [cw * 0.6, cw * 0.4]
            t = Table(rows, colWidths=widths)
            style = [("FONT", (0, 0), (-1, -1), face, fs), ("FONT", (0, 0), (-1, 0), "BSansB", fs),
                     ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1),
                     ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
            if a.table == "ruled":
                style.append(("GRID", (0, 0), (-1, -1), 0.5, black))
            t.setStyle(TableStyle(style))
            story += [("x", Spacer(1, 4)), ("x", t), ("x", Spacer(1, a.size))]
        if i == a.pull_after and a.pullquote:
            q = ParagraphStyle("q", fontName="BSansB", fontSize=a.size * 1.35, leading=a.size * 1.6, textColor=Color(0.55, 0.1, 0.1), splitLongWords=0,
                               spaceBefore=4, spaceAfter=a.size, alignment=TA_LEFT)
            story.append(("x", Paragraph(_esc(a.pullquote), q)))
    flow = [f for _, f in story]
    top_first = None
    for k in range(n):
        fx = x0 + k * (cw + a.gutter)
        fr = Frame(fx, y0, cw, y1 - y0, 0, 0, 0, 0)
        before = len(flow)
        if k == 0 and a.drop_cap:
            top_first = (fx, y1)
        fr.addFromList(flow, c)
        if not flow:
            break
        if len(flow) == before and k == n - 1:
            break
    if flow:
        return False
    if top_first:
        cap_size = body.leading * 2 + a.size * 0.72
        c.setFont("BSerifB", cap_size)
        c.drawString(top_first[0], top_first[1] - a.size * 0.8 - body.leading * 2 + 1, a.body[0][0])
    return True


def render_zoo_pdf(page: ZooPage, out: Path) -> Path:
    """Draw ``page``; an article whose text does not fit loses its last paragraphs (the truth follows)."""
    from reportlab.pdfgen import canvas
    _fonts()
    pw, ph = SIZES[page.paper]
    W = pw * 2 if page.spread else pw
    for _ in range(20):
        rnd = random.Random(page.name)
        c = canvas.Canvas(str(out), pagesize=(W, ph))
        m = 40 if page.paper != "square" else 32
        ok = True
        for k, a in enumerate(page.articles):
            ox = k * pw
            c.setFont("BSans", 7.5)
            num = str(page.number + k)
            if page.header_at == "top":
                c.drawString(ox + m, ph - m + 14, num if k == 0 else "")
                c.drawRightString(ox + pw - m, ph - m + 14, page.header if k == 0 else num)
                c.drawCentredString(ox + pw / 2, m - 22, page.header)
            else:
                c.drawString(ox + m, m - 22, f"{page.header}")
                c.drawRightString(ox + pw - m, m - 22, num)
            top = ph - m - (6 if page.header_at == "top" else 0)
            ok = ok and _draw_article(c, a, ox + m, m, ox + pw - m, top, rnd)
        if ok:
            c.save()
            return out
        # shorten: drop the last paragraph of the longest article (or its box's last paragraph)
        a = max(page.articles, key=lambda a: len(a.body))
        if len(a.body) > 1:
            a.body.pop()
            a.photo_after = min(a.photo_after, len(a.body) - 1) if a.photo_after >= 0 else -1
            a.table_after = min(a.table_after, len(a.body) - 1) if a.table_after >= 0 else -1
            a.pull_after = min(a.pull_after, len(a.body) - 1) if a.pull_after >= 0 else -1
            if a.pullquote and not any(a.pullquote in p for p in a.body):
                a.pullquote, a.pull_after = "", -1
        elif a.box_body and len(a.box_body) > 1:
            a.box_body.pop()
        elif a.columns > 1:
            a.columns -= 1
        else:
            a.box_edge = ""
            a.table = ""
            a.photo_after = -1
    raise RuntimeError(f"{page.name}: the text does not fit the page")


def render_zoo_scan(pdf: Path, out: Path, seed: int) -> tuple[Path, int]:
    """A scanned twin of a zoo page: 200-400 dpi, turned up to 1.5 degrees, blurred, speckled, JPEG."""
    import img2pdf
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    rnd = random.Random(seed * 7919 + 1)
    dpi = rnd.choice((200, 300, 300, 400))
    doc = pdfium.PdfDocument(str(pdf))
    try:
        im = doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    im = im.rotate(rnd.uniform(-1.5, 1.5), resample=Image.BICUBIC, expand=False, fillcolor=255)
    im = im.filter(ImageFilter.GaussianBlur(rnd.uniform(0.3, 0.8) * dpi / 200))
    px = im.load()
    w, h = im.size
    for _ in range(w * h // rnd.choice((300, 600, 1200))):
        px[rnd.randrange(w), rnd.randrange(h)] = rnd.choice((0, 90, 180))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=rnd.randrange(40, 80), dpi=(dpi, dpi))
    out.write_bytes(img2pdf.convert([buf.getvalue()]))
    return out, dpi


def make_zoo(out: Path, n: int, seed: int = 1, scans: int = 0) -> list[tuple[ZooPage, Path, Path | None]]:
    """``n`` zoo pages (seeds from ``seed`` on; a seed whose text cannot fit its page is passed over)
    into ``out``: NAME.pdf and NAME.spec, and a scanned twin NAME-scan.pdf for the first ``scans`` of them."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    s = seed
    while len(made) < n:
        page = zoo_page(s)
        try:
            pdf = render_zoo_pdf(page, out / f"{page.name}.pdf")
        except RuntimeError:            # a draw whose text cannot fit its page: the next seed instead
            s += 1
            continue
        (out / f"{page.name}.spec").write_text(page.spec(), encoding="utf-8")
        scan = render_zoo_scan(pdf, out / f"{page.name}-scan.pdf", s)[0] if len(made) < scans else None
        made.append((page, pdf, scan))
        s += 1
    return made


__all__ = ["Article", "ZooPage", "zoo_page", "render_zoo_pdf", "render_zoo_scan", "make_zoo"]

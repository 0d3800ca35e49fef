"""PDF pages -> reading-order text: pdfplumber words for pages with a usable text layer, Tesseract
for the others. The choice is made per page and judged by the layer's words (``judge_layer``): no
layer or a garbage one ('(cid:12)' glyphs, symbols) is OCR'd; a layer over a page-sized image (a
scan OCR'd by some other engine) or one whose words read badly (few French words, no accents, words
broken in pieces) is OCR'd too, and the better reading kept. The reason is kept on the page."""
from __future__ import annotations

import re
from dataclasses import replace
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..cpu import pdfium_lock, python_stage
from ..errors import EncryptedInput, PageError, UnreadableInput
from .cipher import Glyph, garbled, layer_glyphs
from .coverage import coverage
from .furniture import issue_date_of
from .layout import Word, blocks_from_page, page_text, place_tables, shaded_regions
from .tables import find_tables, join_pages, pdf_ruled, set_offsets, typed_tables, with_captions
from ..document import Document, Furniture, Page, Table, TextBlock

# dot leaders of a table of contents ('Introduction ........ 3'): not garbage, not letters either
_LEADERS = re.compile(r"([.·•…_\-])\1{2,}|…{1,}|(?:\. ){3,}")


def needs_ocr(text: str, n_chars: int) -> bool:
    """True when a page's text layer cannot be trusted: none at all, or mostly unmapped glyphs
    ('(cid:12)'), replacement characters or symbols instead of letters and digits (dot leaders and
    numbers of a table of contents are not garbage)."""
    return unreadable(text, n_chars) is not None


def unreadable(text: str, n_chars: int) -> Optional[str]:
    """Why a page's text layer is garbage, or None."""
    if n_chars < 20 or not text.strip():
        return "no text layer"
    cid = len(re.findall(r"\(cid:\d+\)", text))
    bad = text.count("\ufffd") + cid * 6
    visible = sum(not c.isspace() for c in text) or 1
    if bad / visible > 0.2:
        return f"text layer of unmapped glyphs ({cid} '(cid:N)', {text.count(chr(0xfffd))} replacement characters)"
    text = _LEADERS.sub(" ", text)
    visible = sum(not c.isspace() for c in text) or 1
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    if letters / visible < 0.5 and (letters + digits) / visible < 0.6:
        return f"text layer of symbols: {letters / visible:.0%} letters"
    return None


_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.I)
_ACCENTS = set("àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜ")
_FRENCH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | _ACCENTS | set("ÄÖŸŒÆ")


@dataclass(frozen=True)
class Reading:
    """How well a page's words read as French: share of known words among the words of letters,
    share of broken pieces (letters that are no word, one or two of them: 'dévelop pement' ->
    'pement'), whether accents appear."""
    words: int
    known: float
    broken: float
    accents: float
    french: float = 1.0     # share of the letters of the French alphabet (a-z, its accents, ligatures); 1 under 50 letters

    @property
    def score(self) -> float:
        return self.known - 2 * self.broken

    def __str__(self) -> str:
        return (f"{self.known:.0%} French words, {self.broken:.1%} broken pieces, "
                f"{self.accents:.1%} words with accents, over {self.words} words")


def reading(tokens, is_word) -> Reading:
    """The :class:`Reading` of a page's words (numbers, dot leaders and punctuation aside)."""
    n = known = broken = acc = letters = french = 0
    for t in tokens:
        core = _ELISION.sub("", t.strip(".,;:!?()[]«»\"'’…*•-–—/"))
        if not core or not any(c.isalpha() for c in core) or any(c.isdigit() for c in core):
            continue
        n += 1
        for c in core:
            if c.isalpha():
                letters += 1
                french += c in _FRENCH_LETTERS
        low = core.lower()
        if is_word(low) or is_word(core) or all(is_word(p.lower()) for p in re.split(r"[-'’]", core) if p):
            known += 1
        elif len(core) <= 2 or not re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", core):
            broken += 1
        if _ACCENTS & set(core):
            acc += 1
    n = max(n, 1)
    return Reading(n, known / n, broken / n, acc / n, french / letters if letters >= 50 else 1.0)



def judge_layer(words, is_word, scanned: bool) -> Optional[str]:
    """Why a text layer should be compared with OCR (None: trust it). A layer over a page-sized image
    is some other engine's OCR; a layer of few French words, many broken pieces or no accents at all
    over a long French-looking page reads badly. ``words``: the layer's words, or their Reading."""
    r = words if isinstance(words, Reading) else reading(words, is_word)
    if scanned:
        return f"a text layer over a page-sized image (an earlier OCR): {r}"
    if r.french < 0.5:
        # a font's codes read through the wrong map: French set in Cyrillic, Greek, phonetic... letters
        return f"a text layer whose letters are mostly not French ones ({r.french:.0%} of a-z and accents): {r}"
    if r.words >= 30 and (r.known < 0.7 or r.broken > 0.08):
        return f"a text layer that reads badly: {r}"
    if r.words >= 100 and r.known >= 0.5 and r.accents == 0:
        return f"a text layer without a single accent: {r}"
    return None


def layer_text(page) -> str:
    """A page's text layer as its characters come (no layout: laying them out as text cost 7 ms a
    page, for a decision that only counts letters, '(cid:N)' glyphs and replacement characters)."""
    return "".join(c["text"] for c in page.chars)


def _open(path: Path, data: bytes):
    import io
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages       # forces the page tree to be read
        return pdf
    except PDFPasswordIncorrect:
        raise EncryptedInput(path) from None
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        name = type(e).__name__
        if "Encrypt" in name or "Password" in name or b"/Encrypt" in data:
            raise EncryptedInput(path) from None
        raise UnreadableInput(path, f"not a readable PDF ({name}: {str(e)[:120]})") from None


def layer_words(page) -> list[dict]:
    """pdfplumber's words of a page: a new word at a gap of a fifth of the font size (an old OCR
    layer sets words 2 pt apart with no space between them: 'lafamille'), upright and turned text
    apart, text set at a slant left out (:func:`slanted_furniture`)."""
    if any(c["matrix"][1] for c in page.chars) and any(_slanted(c) for c in page.chars):
        page = page.filter(lambda o: o.get("object_type") != "char" or not _slanted(o))
    words = page.extract_words(extra_attrs=["size", "upright"], keep_blank_chars=False, use_text_flow=False,
                               x_tolerance_ratio=0.2)
    return _join_size_changes(words)


def _join_size_changes(words: list[dict]) -> list[dict]:
    """Words that pdfplumber cut where the font size changes, their letters touching ('É' at 14 pt +
    'CHEANCIER' at 11 pt, small capitals with a larger initial), joined again."""
    out: list[dict] = []
    for w in words:
        p = out[-1] if out else None
        if p is not None and p["upright"] and w["upright"] and p["size"] != w["size"] \
                and -0.5 <= w["x0"] - p["x1"] <= 0.05 * min(p["size"], w["size"]) \
                and min(p["bottom"], w["bottom"]) - max(p["top"], w["top"]) > 0.5 * min(p["bottom"] - p["top"], w["bottom"] - w["top"]):
            out[-1] = dict(p, text=p["text"] + w["text"], x1=w["x1"], top=min(p["top"], w["top"]),
                           bottom=max(p["bottom"], w["bottom"]), size=max(p["size"], w["size"]) if len(p["text"]) > len(w["text"]) else w["size"])
        else:
            out.append(w)
    return out


def _slanted(c) -> bool:
    """A character set at a slant (an advert's tilted slogan): its text matrix turns by more than 3°."""
    m = c.get("matrix")
    return bool(m) and c.get("upright", True) and abs(m[1]) > 0.05 * abs(m[0]) + 1e-9


def slanted_furniture(page) -> tuple[list[Furniture], list[str]]:
    """Text set at a slant, read along its own baseline (letters of one baseline, a space where they
    stand apart): decoration, one piece per baseline. Returns the furniture and its words."""
    import math
    chars = [c for c in page.chars if c["matrix"][1] and _slanted(c)]
    if not chars:
        return [], []
    lines: list[list] = []
    for c in chars:
        a, b = c["matrix"][0], c["matrix"][1]
        n = math.hypot(a, b) or 1.0
        ux, uy = a / n, b / n                        # along the baseline (PDF space, y up)
        along = c["matrix"][4] * ux + c["matrix"][5] * uy
        across = -c["matrix"][4] * uy + c["matrix"][5] * ux
        for ln in lines:
            if abs(ln[0] - across) < 0.3 * float(c["size"]) and abs(ln[1] - math.atan2(b, a)) < 0.05:
                ln[2].append((along, c))
                break
        else:
            lines.append([across, math.atan2(b, a), [(along, c)]])
    out, words = [], []
    for _, _, cs in lines:
        cs.sort(key=lambda t: t[0])
        text = cs[0][1]["text"]
        for (p0, pc), (p1, c) in zip(cs, cs[1:]):
            text += (" " if p1 - p0 > float(pc.get("width") or 0) * 1.0 + 0.25 * float(c["size"]) else "") + c["text"]
        text = " ".join(text.split())
        if not text:
            continue
        box = (min(float(c["x0"]) for _, c in cs), min(float(c["top"]) for _, c in cs),
               max(float(c["x1"]) for _, c in cs), max(float(c["bottom"]) for _, c in cs))
        out.append(Furniture("decoration", text, "text set at a slant (an advert's slogan, a tilted caption)",
                             tuple(round(v, 1) for v in box)))
        words += text.split()
    return out, words


def text_page(page, number: int, is_word, words: Optional[list[dict]] = None, reason: Optional[str] = None) -> Page:
    raw = layer_words(page) if words is None else words
    width, height = float(page.width), float(page.height)
    words = [Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), float(w.get("size") or 0))
             for w in raw if w.get("upright", True)]
    # turned text (a vertical section tab, a rotated caption) is read apart, never woven into the body
    turned = [w for w in raw if not w.get("upright", True)]
    rects = [(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])) for r in page.rects
             if r.get("fill") and not _white(r.get("non_stroking_color"))]
    regions = shaded_regions(rects, width, height)
    images = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images
              if (float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) < 0.5 * width * height]
    ruled, refused = pdf_ruled(page, words)
    hrules = [(float(e["x0"]), float(e["x1"]), float(e["top"])) for e in page.edges if e["orientation"] == "h"] \
        if page.rects or page.lines else []
    found, words = find_tables(words, is_word, ruled, hrules=hrules, images=images)
    tables, grids = typed_tables(found, number, is_word)
    blocks, furniture = blocks_from_page(words, width, height, is_word, regions, images=images)
    blocks = place_tables(blocks, [(t.bbox, g) for t, g in zip(tables, grids)])
    furniture += vertical_furniture(turned, is_word)
    slanted, slanted_words = slanted_furniture(page)
    furniture += slanted
    text, spans = page_text(blocks, is_word)
    tables = set_offsets(tables, grids, text, spans)
    tables += [Table(id=f"p{number}-x{k}", page=number, bbox=tuple(round(v, 1) for v in box), n_rows=0, n_cols=0,
                     error=why) for k, (box, why) in enumerate(refused, 1)]
    return with_captions(Page(number=number, text=text, method="text",
                              blocks=tuple(TextBlock(page=number, start=s, end=e, kind=k, bbox=tuple(round(v, 1) for v in b))
                                           for k, s, e, b in spans),
                              size=(width, height), furniture=tuple(furniture), method_reason=reason, tables=tuple(tables),
                              **coverage([w["text"] for w in raw] + slanted_words, text, furniture)))


def vertical_furniture(turned: list[dict], is_word=None) -> list[Furniture]:
    """Turned words (pdfplumber's ``upright`` False) grouped by the column of the page they stand in,
    their letters read top to bottom or bottom to top (whichever gives more French words: a spine
    tab 'Quand je serai grand' reads upwards), a space where letters stand apart: a vertical tab or a
    rotated caption, one piece of furniture each."""
    groups: list[list[dict]] = []
    for w in sorted(turned, key=lambda w: (round(float(w["x0"])), float(w["top"]))):
        size = float(w.get("size") or 8)
        for g in groups:
            if abs(float(g[-1]["x0"]) - float(w["x0"])) < 0.6 * size and float(w["top"]) - float(g[-1]["bottom"]) < 2 * size:
                g.append(w)
                break
        else:
            groups.append([w])
    out = []
    for g in groups:
        size = float(g[0].get("size") or 8)
        down = sorted(g, key=lambda w: float(w["top"]))

        def spell(ws, up):
            text = ws[0]["text"][::-1] if up else ws[0]["text"]
            for p, w in zip(ws, ws[1:]):
                gap = (float(p["top"]) - float(w["bottom"])) if up else (float(w["top"]) - float(p["bottom"]))
                text += (" " if gap > 0.2 * size else "") + (w["text"][::-1] if up else w["text"])
            return text
        ttb, btt = spell(down, False), spell(down[::-1], True)
        if is_word is not None:
            hits = [sum(1 for t in x.split() if is_word(t.lower().strip(".,:;!?"))) for x in (ttb, btt)]
            text = ttb if hits[0] > hits[1] else btt
        else:
            text = btt
        box = (min(float(w["x0"]) for w in g), min(float(w["top"]) for w in g), max(float(w["x1"]) for w in g),
               max(float(w["bottom"]) for w in g))
        out.append(Furniture("vertical", text, "turned text (a section tab, a rotated caption)",
                             tuple(round(v, 1) for v in box)))
    return out


def _white(colour) -> bool:
    """A fill colour that is white (or unset): a page background, not a shaded panel."""
    if colour is None:
        return True
    if isinstance(colour, (int, float)):
        colour = (colour,)
    try:
        vals = [float(c) for c in colour]
    except (TypeError, ValueError):
        return False
    if len(vals) == 4:          # CMYK: white is no ink
        return all(v <= 0.02 for v in vals)
    return all(v >= 0.98 for v in vals)


# a page with more objects than this (a vector map, a PDF built from thousands of tiny glyph runs) would
# take minutes in pdfplumber's layout analysis: it is recorded as a failed page instead
MAX_PAGE_OBJECTS = 60_000


def object_counts(data: bytes) -> list[int]:
    """Objects per page, counted by pdfium (C, fast) before pdfplumber parses anything."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    with pdfium_lock:
        try:
            doc = pdfium.PdfDocument(data)
        except Exception:           # pdfplumber reports unreadable files with a better message
            return []
        try:
            out = []
            for k in range(len(doc)):
                page = doc[k]
                out.append(int(raw.FPDFPage_CountObjects(page)))
                page.close()
            return out
        finally:
            doc.close()


def load_pdf(path: Path, data: bytes, doc_id: str) -> Document:
    from ..lang_fr.lexicon import is_word
    from .ocr import ocr_pdf_pages
    pdf = _open(path, data)
    pages: list[Optional[Page]] = []
    to_ocr: list[int] = []
    why: dict[int, str] = {}            # page -> why it was OCR'd
    layers: dict[int, tuple] = {}       # page -> (its text-layer reading, its Reading) to compare with OCR
    earlier: dict[int, list[Word]] = {}  # page -> the words of an earlier OCR layer (over a page-sized image)
    glyphs: dict[int, list[Glyph]] = {}  # page -> its layer's glyphs, when they have no characters ('(cid:N)')
    with pdf:
        if not pdf.pages:
            raise UnreadableInput(path, "the PDF has no pages")
        counts = object_counts(data)
        for i, p in enumerate(pdf.pages, 1):
            try:
                n = counts[i - 1] if i <= len(counts) else 0
                if n > MAX_PAGE_OBJECTS:
                    raise PageError(i, f"{n} drawing objects (limit {MAX_PAGE_OBJECTS}): skipped, too slow to lay out")
                with python_stage:
                    bad = unreadable(layer_text(p), len(p.chars))
                    if bad:
                        pages.append(None)
                        to_ocr.append(i)
                        why[i] = f"OCR: {bad}"
                        # (its glyphs' boxes from the corner of the page as rendered: its CropBox)
                        if garbled(gl := layer_glyphs(p.chars, (float(p.cropbox[0]), float(p.cropbox[1])))):
                            glyphs[i] = gl
                    else:
                        raw = layer_words(p)
                        layer = reading([w["text"] for w in raw], is_word)
                        scanned = _scanned(p)
                        doubt = judge_layer(layer, is_word, scanned)
                        page = text_page(p, i, is_word, raw, f"text layer: {layer}")
                        pages.append(page)
                        if doubt:
                            to_ocr.append(i)
                            layers[i] = (page, reading(page.text.split(), is_word), doubt, scanned)
                            if scanned:
                                earlier[i] = [Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]),
                                                   float(w["bottom"]), float(w.get("size") or 0))
                                              for w in raw if w.get("upright", True)]
            except PageError as e:
                pages.append(Page(number=i, text="", method="text", error=str(e)))
            except Exception as e:      # one bad page makes the document partial, not a crash
                pages.append(Page(number=i, text="", method="text", error=f"page {i}: {type(e).__name__}: {str(e)[:200]}"))
            finally:
                p.close()
    if to_ocr:
        for page in ocr_pdf_pages(path, data, to_ocr, is_word, earlier, glyphs):
            n = page.number
            if n in layers:
                layer, theirs, doubt, scanned = layers[n]
                ours = reading(page.text.split(), is_word)
                # an earlier OCR layer is one engine's reading of the image; ours is another, that took
                # the layer's words where ours were no French word: kept unless it reads worse. A layer
                # of a digital page is the page's own text: OCR must read clearly better to replace it
                if not page.error and scanned and ours.score >= theirs.score - 0.02:
                    pages[n - 1] = replace(page, method_reason=f"OCR: {doubt}; OCR (with the layer's words where "
                                                               f"ours are no French word) reads no worse ({ours})")
                elif not page.error and ours.score > theirs.score + 0.02:
                    pages[n - 1] = replace(page, method_reason=f"OCR: {doubt}; OCR reads better ({ours})")
                else:
                    pages[n - 1] = replace(layer, method_reason=f"text layer: {doubt}; OCR reads no better ({ours})")
            else:
                pages[n - 1] = replace(page, method_reason="; ".join(x for x in (why.get(n), page.method_reason) if x))
    done = tuple(join_pages([p for p in pages if p is not None]))
    return Document(id=doc_id, source=str(path), pages=done, title=title_of(done), issue_date=issue_date_of(done))


def title_of(pages) -> Optional[str]:
    """The first title block of the first page with text (else its first heading)."""
    first = next((p for p in pages if p.text), None)
    if first is None:
        return None
    return next((first.text[b.start:b.end] for b in first.blocks if b.kind == "title"), None)


def _scanned(page) -> bool:
    """A page whose text sits over one image covering most of it: a scan with an OCR layer."""
    area = float(page.width) * float(page.height)
    return any((float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) > 0.7 * area for i in page.images)

"""PDF pages -> reading-order text: pdfplumber words for pages with a usable text layer, Tesseract
for the others (no text layer, or a garbage one). The choice is made per page (``needs_ocr``)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..cpu import pdfium_lock, python_stage
from ..errors import EncryptedInput, PageError, UnreadableInput
from .layout import Word, blocks_from_page, page_text, shaded_regions
from ..document import Document, Page, TextBlock


def needs_ocr(text: str, n_chars: int) -> bool:
    """True when a page's text layer cannot be trusted: none at all, or mostly unmapped glyphs
    ('(cid:12)'), replacement characters or symbols instead of letters."""
    if n_chars < 20 or not text.strip():
        return True
    cid = len(re.findall(r"\(cid:\d+\)", text))
    bad = text.count("\ufffd") + cid * 6
    letters = sum(c.isalpha() for c in text)
    visible = sum(not c.isspace() for c in text) or 1
    return bad / visible > 0.2 or letters / visible < 0.5


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


def text_page(page, number: int, is_word) -> Page:
    words = [Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), float(w.get("size") or 0))
             for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)]
    rects = [(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])) for r in page.rects
             if r.get("fill") and not _white(r.get("non_stroking_color"))]
    regions = shaded_regions(rects, float(page.width), float(page.height))
    blocks = blocks_from_page(words, float(page.width), float(page.height), is_word, regions)
    text, spans = page_text(blocks, is_word)
    return Page(number=number, text=text, method="text",
                blocks=tuple(TextBlock(page=number, start=s, end=e, kind=k, bbox=tuple(round(v, 1) for v in b))
                             for k, s, e, b in spans),
                size=(float(page.width), float(page.height)))


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
    from ..lang_fr import dates
    from ..lang_fr.lexicon import is_word
    from .ocr import ocr_pdf_pages
    pdf = _open(path, data)
    pages: list[Optional[Page]] = []
    to_ocr: list[int] = []
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
                    if needs_ocr(layer_text(p), len(p.chars)):
                        pages.append(None)
                        to_ocr.append(i)
                    else:
                        pages.append(text_page(p, i, is_word))
            except PageError as e:
                pages.append(Page(number=i, text="", method="text", error=str(e)))
            except Exception as e:      # one bad page makes the document partial, not a crash
                pages.append(Page(number=i, text="", method="text", error=f"page {i}: {type(e).__name__}: {str(e)[:200]}"))
            finally:
                p.close()
    if to_ocr:
        for page in ocr_pdf_pages(path, data, to_ocr, is_word):
            pages[page.number - 1] = page
    done = tuple(p for p in pages if p is not None)
    first = next((p for p in done if p.text), None)
    title = next((first.text[b.start:b.end] for b in first.blocks if b.kind == "title"), None) if first else None
    return Document(id=doc_id, source=str(path), pages=done, title=title,
                    issue_date=dates.issue_date_in(first.text) if first else None)

"""From a file (or a string) to the document JSON: load -> page text -> NLP -> records.

    load(path)        -> Document    (pipeline.sources: text layer, OCR, or plain text)
    analyse(document) -> Result      (pipeline.nlp + pipeline.records, one spaCy pass over the pages)
"""
from __future__ import annotations

import hashlib
from typing import Optional

from . import dates, records
from .cpu import python_stage
from .nlp import get_nlp, is_word
from .schema import Document, Evidence, Page, Result, Records, TextBlock
from .textprep import clean_plain_text


def document_from_text(text: str, source: str = "<text>", issue_date: Optional[str] = None,
                       doc_id: Optional[str] = None) -> Document:
    """A plain-text page (no geometry) as a one-page Document."""
    clean, spans = clean_plain_text(text, is_word)
    blocks = tuple(TextBlock(page=1, start=s, end=e, kind=k) for k, s, e in spans)
    page = Page(number=1, text=clean, method="text", blocks=blocks)
    return Document(id=doc_id or hashlib.sha256(text.encode("utf-8")).hexdigest(), source=source, pages=(page,),
                    title=_title(page), issue_date=issue_date or dates.issue_date_in(text))


def _title(page: Page) -> Optional[str]:
    for b in page.blocks:
        if b.kind in ("title", "heading"):
            return page.text[b.start:b.end].strip() or None
    return None


def analyse(document: Document) -> Result:
    """Mentions and records of every page, the model run once over all pages (``nlp.pipe``)."""
    nlp = get_nlp()
    pages = [p for p in document.pages if not p.error and p.text.strip()]
    mentions = []
    parts: dict[str, list] = {k: [] for k in ("organizations", "coop_stats", "funding", "people", "events")}
    with python_stage:
        docs = []
        for p in pages:
            d = nlp.make_doc(p.text)
            d._.issue_date = document.issue_date
            docs.append(d)
        for page, doc in zip(pages, nlp.pipe(docs)):
            mentions.extend(records.mentions(doc, page.number))
            built = records.build(doc, _evidence_fn(page))
            for k in parts:
                parts[k].extend(getattr(built, k))
    recs = Records(**{k: tuple(v) for k, v in parts.items()})
    return Result(document=document, mentions=tuple(mentions), records=recs)


def _evidence_fn(page: Page):
    def ev(start: int, end: int) -> Evidence:
        text = page.text[start:end]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        return Evidence(page=page.number, start=start + lead, end=start + lead + len(text), text=text,
                        bbox=page.bbox_at(start, end))
    return ev


def extract_text(text: str, issue_date: Optional[str] = None) -> dict:
    """The document JSON of a string treated as one page."""
    return analyse(document_from_text(text, issue_date=issue_date)).to_dict()


def extract_file(path) -> dict:
    """The document JSON of a file: PDF (digital or scanned), PNG/TIFF/JPEG page images, or .txt."""
    from .sources import load
    return analyse(load(path)).to_dict()

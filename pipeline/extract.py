"""From a file (or a string) to the document JSON: load -> page text -> NLP -> records.

    load(path)             -> Document               (pipeline.text: text layer, OCR, or plain text)
    annotate(document)     -> DocumentAnnotations    (pipeline.nlp: one spaCy pass over the pages)
    build_records(annots)  -> records by type        (pipeline.records)
    analyse(document)      -> Result                 (the last two, with the mentions)
"""
from __future__ import annotations

from typing import Optional

from .cpu import python_stage
from .document import Document, Result


def analyse(document: Document) -> Result:
    """Mentions and records of every page, the model run once over all pages."""
    from .nlp import annotate
    from .records import build_records
    with python_stage:
        annotations = annotate(document)
        records = build_records(annotations)
    return Result(document=document, mentions=tuple(annotations.mentions()), records=records)


def extract_result(path) -> Result:
    """The typed result of a file: PDF (digital or scanned), PNG/TIFF/JPEG page images, or .txt."""
    from .text import load
    return analyse(load(path))


def extract_text(text: str, issue_date: Optional[str] = None) -> dict:
    """The document JSON of a string treated as one page."""
    from .text import document_from_text
    return analyse(document_from_text(text, issue_date=issue_date)).to_dict()


def extract_file(path) -> dict:
    """The document JSON of a file: PDF (digital or scanned), PNG/TIFF/JPEG page images, or .txt."""
    return extract_result(path).to_dict()

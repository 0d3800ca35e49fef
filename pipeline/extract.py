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


# a short page of the genre, for warm_up: a co-op, a grant with its giver, people with roles, a date
WARM_UP_TEXT = """Une nouvelle épicerie coopérative à Saint-Ubalde

Le 12 mars 2024, la Coopérative de solidarité de Saint-Ubalde a reçu 25 000 $ sur trois ans de la MRC
de Portneuf pour ouvrir son épicerie. « Nos 240 membres ont porté ce projet », a déclaré Hélène Paré,
présidente de la coopérative, qui compte six emplois.
"""


def warm_up() -> None:
    """Load once what the first document of a process would otherwise pay for inside its own time
    (about a second of CPU on top of the French model: dateparser's French data, the rule matchers,
    gazetteers and word lists, the PDF modules, a Tesseract engine with its French model), by running a short page of text through every
    stage. A long-lived process that ingests (a Dask worker) calls it while it starts."""
    import pdfplumber  # noqa: F401 - the PDF and OCR stages' modules
    import pypdfium2  # noqa: F401
    from .lang_fr.dates import load_parser
    from .text import ocr, pdf  # noqa: F401
    load_parser()
    ocr.load_engine()
    extract_text(WARM_UP_TEXT)

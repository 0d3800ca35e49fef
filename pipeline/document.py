"""The document and its pages as the text stage gives them, and the result of the whole pipeline:
small frozen values, each with ``to_dict``.

Document -> Page -> TextBlock (text stage); Mention (NLP stage); Evidence (what a record points at);
Result (the document JSON of CONTRACT.md). The record types live in :mod:`pipeline.records`.
The dict shapes are the ones of CONTRACT.md; fields may be added, never renamed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping, Optional

BBox = tuple[float, float, float, float]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


class _Dict:
    def to_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self) if not f.name.startswith("_")}


@dataclass(frozen=True)
class TextBlock(_Dict):
    """A run of reading-order text on one page; ``start``/``end`` index the page text."""
    page: int
    start: int
    end: int
    kind: str = "body"          # title | byline | body | sidebar | heading | table
    bbox: Optional[BBox] = None


@dataclass(frozen=True)
class Furniture(_Dict):
    """What is printed on a page but is not its reading-order text, kept with why it was set apart:
    ``kind`` header | footer | page-number | pull-quote | caption | decoration | vertical | noise."""
    kind: str
    text: str
    reason: str
    bbox: Optional[BBox] = None


@dataclass(frozen=True)
class Cell(_Dict):
    """One cell of a table: its place in the grid (``row``, ``col``, with the rows and columns a merged
    cell spans), its text (the lines of a multi-line cell joined) and box; ``start``/``end`` index its
    text in the page text (the table's block), ``page`` is the page it stands on."""
    row: int
    col: int
    text: str
    bbox: Optional[BBox] = None
    rowspan: int = 1
    colspan: int = 1
    start: int = 0
    end: int = 0
    page: int = 0


@dataclass(frozen=True)
class Table(_Dict):
    """A table found on a page, as typed values: its cells (header rows first), what each column holds
    by its header (``columns``: a role of :func:`pipeline.lang_fr.tables.column_role` or None), which
    body rows are totals, the text just above it (``caption``), and the table it continues on the page
    before (``continues``, by id). ``method``: ruled (drawn rules) | aligned (columns of text) |
    scan-ruled | scan-aligned | typed (a plain text's rows of cells apart by pipes, tabs or runs of
    spaces: no box, ``bbox`` is zeros). A table that could not be read keeps its ``error`` (its text stays in
    the page, laid out as text); ``start``/``end`` index its block in the page text."""
    id: str
    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...] = ()
    header_rows: int = 0
    columns: tuple[Optional[str], ...] = ()
    totals: tuple[int, ...] = ()
    method: str = "ruled"
    caption: Optional[str] = None
    continues: Optional[str] = None
    start: int = 0
    end: int = 0
    error: Optional[str] = None

    def grid(self) -> list[list[str]]:
        """The rows as lists of cell texts (a merged cell's text in its first row and column, the
        places it covers empty)."""
        out = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row][c.col] = c.text
        return out

    def cell_at(self, row: int, col: int) -> Optional[Cell]:
        """The cell covering (row, col): a merged cell covers every place it spans."""
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None

    def to_dict(self) -> dict:
        d = super().to_dict()
        grid = self.grid()
        d["header"] = grid[:self.header_rows]
        d["body"] = grid[self.header_rows:]
        return d


# a page whose text and furniture hold less than this share of the words found on it is flagged
MIN_COVERAGE = 0.98


@dataclass(frozen=True)
class Page(_Dict):
    number: int
    text: str
    method: str = "text"        # text | ocr
    blocks: tuple[TextBlock, ...] = ()
    size: Optional[tuple[float, float]] = None   # width, height in PDF points (or pixels for images)
    confidence: Optional[float] = None           # mean OCR word confidence, 0..100
    error: Optional[str] = None                  # set when the page failed: the document is partial
    furniture: tuple[Furniture, ...] = ()        # set apart from the text, never dropped
    words_found: Optional[int] = None            # words of the text layer or the OCR
    words_kept: Optional[int] = None             # of those, found again in the text or the furniture
    method_reason: Optional[str] = None          # why the text layer was trusted or the page OCR'd
    tables: tuple[Table, ...] = ()               # tables found on the page (their text is a 'table' block)

    @property
    def coverage(self) -> Optional[float]:
        """Words kept / words found (None for a page read without geometry)."""
        if not self.words_found:
            return None
        return self.words_kept / self.words_found

    @property
    def review(self) -> Optional[str]:
        """Why the page needs a reader's eye (its words were not all kept), or None."""
        c = self.coverage
        if c is not None and c < MIN_COVERAGE:
            return (f"page {self.number}: low coverage {c:.3f} ({self.words_kept} of {self.words_found} words kept "
                    f"in the text or furniture, threshold {MIN_COVERAGE}): needs review")
        return None

    def bbox_at(self, start: int, end: int) -> Optional[BBox]:
        """Union of the boxes of the blocks overlapping [start, end)."""
        boxes = [b.bbox for b in self.blocks if b.bbox and b.start < end and start < b.end]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass(frozen=True)
class Document(_Dict):
    id: str
    source: str
    pages: tuple[Page, ...]
    title: Optional[str] = None
    issue_date: Optional[str] = None

    @property
    def status(self) -> str:
        failed = sum(1 for p in self.pages if p.error)
        if not self.pages or failed == len(self.pages):
            return "failed"
        return "partial" if failed or any(p.review for p in self.pages) else "ok"


@dataclass(frozen=True)
class Mention(_Dict):
    label: str          # PER ORG LOC MONEY COUNT DATE PERCENT
    text: str
    page: int
    start: int
    end: int
    value: Any = None
    rule: str = ""
    approximate: bool = False
    resolved: Any = None        # a date whose year is not written: the one the issue date gives


@dataclass(frozen=True)
class Evidence(_Dict):
    page: int
    start: int
    end: int
    text: str
    bbox: Optional[BBox] = None
    table: Optional[str] = None                 # a record read from a table: its id
    cells: tuple[BBox, ...] = ()                # and the boxes of the row's cells

    def to_dict(self) -> dict:
        d = super().to_dict()
        if self.table is None:
            del d["table"]
        if not self.cells:
            del d["cells"]
        return d


@dataclass(frozen=True)
class Result(_Dict):
    """Everything extracted from one document: the contract's document JSON. ``records`` maps each
    record type's name to its records, in the registry's order."""
    document: Document
    mentions: tuple[Mention, ...]
    records: Mapping[str, tuple] = field(default_factory=dict)
    errors: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        d = self.document
        out = {
            "document": {"id": d.id, "source": d.source, "pages": len(d.pages),
                         "page_methods": [p.method for p in d.pages], "title": d.title,
                         "issue_date": d.issue_date, "status": d.status,
                         "errors": [p.error for p in d.pages if p.error] + [p.review for p in d.pages if p.review]
                         + list(self.errors),
                         "ocr_confidence": [p.confidence for p in d.pages],
                         "page_reasons": [p.method_reason for p in d.pages]},
            "text": [{"page": p.number, "text": p.text, "method": p.method, "confidence": p.confidence,
                      "size": list(p.size) if p.size else None, "error": p.error,
                      "blocks": [{"kind": b.kind, "start": b.start, "end": b.end,
                                  "bbox": list(b.bbox) if b.bbox else None} for b in p.blocks],
                      "furniture": [{"kind": f.kind, "text": f.text, "reason": f.reason,
                                     "bbox": list(f.bbox) if f.bbox else None} for f in p.furniture],
                      "method_reason": p.method_reason, "words_found": p.words_found, "words_kept": p.words_kept,
                      "coverage": None if p.coverage is None else round(p.coverage, 4), "review": p.review}
                     for p in d.pages],
            "mentions": [m.to_dict() for m in self.mentions],
        }
        out["tables"] = [t.to_dict() for p in d.pages for t in p.tables]
        for name, recs in self.records.items():
            out[name] = [r.to_dict() for r in recs]
        return out


__all__ = ["TextBlock", "Furniture", "Cell", "Table", "MIN_COVERAGE", "Page", "Document", "Mention", "Evidence", "Result"]

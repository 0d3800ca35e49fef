"""The block: a run of lines read as one unit of a page (a paragraph, a title, a byline, furniture).
One type for every kind of page: laid out from word boxes (PDF text layer, OCR: with a bbox and a
column) or from the lines of plain text (with their line numbers)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Block:
    kind: str                       # title | heading | byline | body | furniture
    text: str
    bbox: Optional[BBox] = None     # page coordinates, top-down; None for text without geometry
    column: int = 0                 # reading-order column of a laid-out page
    lines: tuple[int, ...] = ()     # line numbers of plain text
    size: float = 0.0               # median font size of its lines (laid-out pages)
    body: float = 0.0               # the page's (region's) body size, to compare with


__all__ = ["Block", "BBox"]

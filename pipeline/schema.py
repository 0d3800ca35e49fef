"""Stage values passed between pipeline stages: small, frozen, each with ``to_dict``.

Document -> Page -> TextBlock (text stage); Mention (NLP stage); records (records stage).
The dict shapes are the ones of CONTRACT.md; fields may be added, never renamed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Optional

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
    kind: str = "body"          # title | byline | body | sidebar | heading
    bbox: Optional[BBox] = None


@dataclass(frozen=True)
class Page(_Dict):
    number: int
    text: str
    method: str = "text"        # text | ocr
    blocks: tuple[TextBlock, ...] = ()
    size: Optional[tuple[float, float]] = None   # width, height in PDF points (or pixels for images)
    confidence: Optional[float] = None           # mean OCR word confidence, 0..100
    error: Optional[str] = None                  # set when the page failed: the document is partial

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
        return "partial" if failed else "ok"


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


@dataclass(frozen=True)
class Evidence(_Dict):
    page: int
    start: int
    end: int
    text: str
    bbox: Optional[BBox] = None


@dataclass(frozen=True)
class Organization(_Dict):
    name: str
    acronym: Optional[str] = None
    kind: str = "other"
    sector: Optional[str] = None
    region: Optional[str] = None
    evidence: Optional[Evidence] = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoopStat(_Dict):
    measure: str        # cooperatives | new_cooperatives | members | jobs
    value: int
    region: Optional[str] = None
    sector: Optional[str] = None
    approximate: bool = False
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Funding(_Dict):
    amount: float
    funder: Optional[str] = None
    recipient: Optional[str] = None
    currency: str = "CAD"
    kind: Optional[str] = None
    period_years: Optional[int] = None
    is_total: bool = False
    date: Optional[str] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Person(_Dict):
    name: str
    role: Optional[str] = None
    organization: Optional[str] = None
    since: Optional[str] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Event(_Dict):
    date: str
    place: Optional[str] = None
    title: Optional[str] = None
    participants: Optional[int] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Records(_Dict):
    organizations: tuple[Organization, ...] = ()
    coop_stats: tuple[CoopStat, ...] = ()
    funding: tuple[Funding, ...] = ()
    people: tuple[Person, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Result(_Dict):
    """Everything extracted from one document: the contract's document JSON."""
    document: Document
    mentions: tuple[Mention, ...]
    records: Records
    errors: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        d = self.document
        out = {
            "document": {"id": d.id, "source": d.source, "pages": len(d.pages),
                         "page_methods": [p.method for p in d.pages], "title": d.title,
                         "issue_date": d.issue_date, "status": d.status,
                         "errors": [p.error for p in d.pages if p.error] + list(self.errors),
                         "ocr_confidence": [p.confidence for p in d.pages]},
            "text": [{"page": p.number, "text": p.text, "method": p.method, "confidence": p.confidence,
                      "size": list(p.size) if p.size else None, "error": p.error,
                      "blocks": [{"kind": b.kind, "start": b.start, "end": b.end,
                                  "bbox": list(b.bbox) if b.bbox else None} for b in p.blocks]}
                     for p in d.pages],
            "mentions": [m.to_dict() for m in self.mentions],
        }
        out.update(self.records.to_dict())
        return out


__all__ = ["TextBlock", "Page", "Document", "Mention", "Evidence", "Organization", "CoopStat",
           "Funding", "Person", "Event", "Records", "Result"]

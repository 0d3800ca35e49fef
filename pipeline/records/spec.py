"""What a record type is, in one place: its :class:`RecordSpec`.

Each module of ``pipeline/records/`` that defines a record type ends with ``SPEC = RecordSpec(...)``;
the registry (:mod:`pipeline.records`) finds them, and every stage that handles records iterates it:
the document JSON, the store's tables, export schemas, the review page, ``bulletins eval``, the
summaries of ``bulletins extract`` and of ingestion.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping, Optional, Sequence

from ..document import Evidence

TYPES = ("str", "int", "float", "bool")
# how a reviewer types a value and how it is shown (pipeline.records.values): an amount ('125 000 $',
# '1,2 M$'), a currency code, a count ('quarante-deux', 'une centaine'), a period in years ('sur cinq ans'),
# a date at the precision written ('avril 2011')
FORMATS = ("money", "currency", "count", "years", "date")


@dataclass(frozen=True)
class Column:
    """One exported field: its type, whether it may be empty, its allowed values, whether it must not be
    negative (amounts, counts), and its ``format`` (one of :data:`FORMATS`, or None for plain text or numbers)."""
    type: str
    nullable: bool = True
    allowed: Optional[frozenset] = None
    non_negative: bool = False
    format: Optional[str] = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column type {self.type!r} is not one of {', '.join(TYPES)}")
        if self.format is not None and self.format not in FORMATS:
            raise ValueError(f"column format {self.format!r} is not one of {', '.join(FORMATS)}")


@dataclass(frozen=True)
class Evaluation:
    """How ``bulletins eval`` scores a record type against a gold file: ``predicted(document_json,
    gold_json)`` gives the items to score, ``gold(gold_json)`` the gold items, ``hit(predicted, gold)`` whether they
    match. ``name`` is the field of the report ('funding', 'stats')."""
    name: str
    predicted: Callable[[dict, dict], list]
    gold: Callable[[dict], list]
    hit: Callable[[Any, Any], bool]


@dataclass(frozen=True)
class RecordSpec:
    name: str                                   # key of the document JSON, table name: 'funding'
    record: type                                # the frozen dataclass of one record
    build: Callable[..., Sequence]              # DocumentAnnotations -> records
    key_fields: tuple[str, ...]                 # what identifies a record within its document
    columns: Mapping[str, Column]               # the fields other tools get, in order
    label: str                                  # 'Funding', for people
    title_fields: tuple[str, ...]               # the fields that name a record in the review queue
    order: int = 100                            # position among the record types
    evaluations: tuple[Evaluation, ...] = ()
    # the fields that name an organisation or a person, resolved across documents (pipeline.resolve):
    # field -> 'organization' | 'person' ({'funder': 'organization', 'recipient': 'organization'})
    entities: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        names = {f.name for f in fields(self.record)}
        missing = [f for f in (*self.key_fields, *self.columns, *self.title_fields, *self.entities) if f not in names]
        bad = {f: k for f, k in self.entities.items() if k not in ("organization", "person")}
        if bad:
            raise ValueError(f"record type {self.name!r}: entity kinds {bad} are not 'organization' or 'person'")
        if missing:
            raise ValueError(f"record type {self.name!r}: {missing} are not fields of {self.record.__name__}")

    def field_names(self) -> list[str]:
        return [f.name for f in fields(self.record) if f.name != "evidence"]


@dataclass(frozen=True)
class Record:
    """Base of the record dataclasses: ``to_dict`` gives the CONTRACT.md shape."""

    def to_dict(self) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Evidence):
                v = v.to_dict()
            elif isinstance(v, tuple):
                v = [x.to_dict() if isinstance(x, Evidence) else x for x in v]
            out[f.name] = v
        return out


__all__ = ["Column", "Evaluation", "RecordSpec", "Record"]

"""The review queue as database queries: filters, sort orders and keyset pages over one record table.

A queue is one record type with a :class:`Filters` and a sort (:data:`SORTS`). Pages are read with keyset
pagination: the page after (or before) a record is the rows whose sort key is greater (smaller) than that
record's, so the 2,000th page costs what the first does; every sort order ends with the record id, so the
order is total, and each default view has an index that gives its rows in order (:func:`indexes`).

    where(model, Filters(status="todo", q="mamrot"))    -> a SQL condition
    order(model, "confidence")                          -> the sort key columns, ending with the id
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from sqlalchemy import Index, and_, func, literal_column, true, tuple_


STATUSES = ("pending", "approved", "rejected", "edited")
# the queue's status filter: the records to review (pending, or reviewed then changed by a re-extraction),
# those changed since review, one or several statuses ('approved,edited'), or all
VIEWS = ("todo", "changed", "all") + STATUSES
SORTS = ("page", "confidence", "value", "status")
UNKNOWN_CONFIDENCE = 2.0      # records without a confidence sort after every known one (0-1)


@dataclass(frozen=True)
class Filters:
    status: str = "todo"                # one of VIEWS, or statuses joined by commas
    doc: Optional[str] = None           # a document id
    flagged: bool = False               # only records changed since review
    q: Optional[str] = None             # words to find in the record's values and evidence (accents ignored)

    def statuses(self) -> Optional[tuple[str, ...]]:
        """The statuses of a status filter, or None for todo / changed / all."""
        if self.status in ("todo", "changed", "all"):
            return None
        return parse_statuses(self.status)


def parse_statuses(text: str) -> tuple[str, ...]:
    """'approved,edited' -> ('approved', 'edited'); ValueError for anything else than STATUSES."""
    out = tuple(dict.fromkeys(s.strip() for s in str(text).split(",") if s.strip()))
    bad = [s for s in out if s not in STATUSES]
    if bad or not out:
        raise ValueError(f"unknown status {','.join(bad) or text!r} (expected {', '.join(STATUSES)}, "
                         "several joined by commas, or all)")
    return out


def confidence_key(model):
    # written out, not a bound parameter, so the planner matches it with the index on the same expression
    return func.coalesce(model.confidence, literal_column(repr(UNKNOWN_CONFIDENCE)))


def order(model, sort: str) -> tuple:
    """The sort key of a queue order: least confident first, by document and page, by label, by status."""
    if sort == "confidence":
        return (confidence_key(model), model.id)
    if sort == "value":
        return (model.title, model.id)
    if sort == "status":
        return (model.status, model.doc_id, model.page, model.id)
    if sort == "page":
        return (model.doc_id, model.page, model.id)
    raise ValueError(f"unknown sort {sort!r} (expected {', '.join(SORTS)})")


def search_fold(text: str) -> str:
    """Lower case, accents and other non-ASCII marks left out ('Coopérative' -> 'cooperative', 'l’été' ->
    "l'ete", 'Œuvre' -> 'oeuvre'), at C speed: every record saved has its evidence sentence folded."""
    text = text.replace("’", "'").lower().replace("œ", "oe").replace("æ", "ae")
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=512)
def _folded(text: str) -> str:
    # the records of a document often share their evidence sentence
    return search_fold(text)


def search_text(*parts) -> str:
    """What a search looks into, folded (lower case, no accents): the record's values and its evidence."""
    return " ".join(_folded(str(p)) for p in parts if p not in (None, ""))[:4000]


def search_terms(q: str) -> list[str]:
    """The terms a search must all find, folded: words, and a number written in groups ('12 000') as one."""
    return re.findall(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\S+", search_fold(q))[:8]


def where(model, f: Filters):
    conds = []
    if f.status == "todo":
        conds.append(model.todo == true())      # "= true", which an index serves ("IS TRUE" is not)
    elif f.status == "changed":
        conds.append(model.needs_review == true())
    elif f.status != "all":
        sts = f.statuses()
        conds.append(model.status == sts[0] if len(sts) == 1 else model.status.in_(sts))
    if f.flagged:
        conds.append(model.needs_review == true())
    if f.doc:
        conds.append(model.doc_id == f.doc)
    for word in search_terms(f.q or ""):
        w = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(model.search.like(f"%{w}%", escape="\\"))
    return and_(*conds) if conds else true()


def after(keys: tuple, values: tuple, reverse: bool = False):
    """Rows whose sort key comes after (before, with ``reverse``) the given key values."""
    return tuple_(*keys) < tuple_(*values) if reverse else tuple_(*keys) > tuple_(*values)


def indexes(name: str, model_columns: dict) -> tuple[Index, ...]:
    """The indexes a record table needs for its queue: each default order within the 'to review' rows and
    within a status, and the counts per status."""
    c = model_columns
    return (
        Index(f"ix_{name}_todo_page", c["todo"], c["doc_id"], c["page"], c["id"]),
        Index(f"ix_{name}_todo_conf", c["todo"], func.coalesce(c["confidence"], literal_column(repr(UNKNOWN_CONFIDENCE))),
              c["id"]),
        Index(f"ix_{name}_todo_title", c["todo"], c["title"], c["id"]),
        Index(f"ix_{name}_status_page", c["status"], c["doc_id"], c["page"], c["id"]),
        Index(f"ix_{name}_status_flag", c["status"], c["needs_review"]),
    )


__all__ = ["Filters", "VIEWS", "SORTS", "STATUSES", "order", "where", "after", "indexes", "search_text",
           "parse_statuses", "confidence_key", "search_terms",
           "search_fold"]

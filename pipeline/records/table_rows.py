"""Records read from tables (no record type of its own: :mod:`.funding` and :mod:`.people` call it).

A table of the text stage (:class:`pipeline.document.Table`) knows what each column holds by its header
(``columns``: amount, recipient, org, funder, programme, person, role, since...; a continuation on the
next page takes the columns of the table it continues). Here its body rows become rows of cells, one per
column (a merged cell covers every row and column it spans: a programme over the three rows it funds),
and:

- a **funding table** (a column of amounts by its header, or of amounts written as amounts) gives a
  funding record per body row and amount column: the recipient from the recipient/organisation column,
  the funder from a funder or programme column, else from the table's caption (the text just above it:
  'Projets soutenus par le Fonds régions et ruralité'); a totals row ('Total', 'Grand total') is a total;
- a **name/role table** (a person column and a role column) gives a person per body row, with the
  organisation and since-when columns when there are.

Each record's evidence is its row: the page text from the row's first cell to its last, the row's box,
the table's id and the boxes of the row's cells (the review page draws them). The amounts and names of a
table are not read again as sentences (:func:`table_spans`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..document import Cell, Evidence, Page, Table
from ..lang_fr.tables import amount_kind, caption_funder, cell_amount, is_amount, is_number, is_total_label

FUNDING_ROLES = ("amount",)
PEOPLE_ROLES = ("person", "role")


@dataclass(frozen=True)
class Row:
    """A body row of a table: the cell covering each column (None where nothing is), whether it is a
    totals row, and the part of the table (a page's table) it stands in."""
    page: Page
    table: Table
    index: int
    cells: tuple[Optional[Cell], ...]
    total: bool

    def text(self, col: Optional[int]) -> Optional[str]:
        if col is None or col >= len(self.cells) or self.cells[col] is None:
            return None
        t = " ".join(self.cells[col].text.split())
        return t or None

    def evidence(self) -> Evidence:
        own = [c for c in self.cells if c is not None and c.text and (c.row == self.index + self.table.header_rows)]
        spanning = [c for c in self.cells if c is not None and c.text and c not in own]
        boxes = tuple(c.bbox for c in own + spanning if c.bbox)
        placed = [c for c in own if c.end > c.start]
        if placed:
            start, end = min(c.start for c in placed), max(c.end for c in placed)
            text = self.page.text[start:end]
        else:
            start = end = self.table.start
            text = " | ".join(c.text for c in own)
        bbox = None
        if boxes:
            bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return Evidence(page=self.page.number, start=start, end=end, text=text, bbox=bbox, table=self.table.id,
                        cells=boxes)


@dataclass(frozen=True)
class LogicalTable:
    """A table as a reader sees it: its parts (a table and its continuations on the next pages), the
    columns' roles and header texts, the caption above its first part."""
    parts: tuple[tuple[Page, Table], ...]
    columns: tuple[Optional[str], ...]
    headers: tuple[str, ...]
    caption: Optional[str]

    @property
    def rows(self) -> list[Row]:
        out = []
        for page, t in self.parts:
            for r in range(t.header_rows, t.n_rows):
                cells = tuple(t.cell_at(r, c) for c in range(t.n_cols))
                if not any(c is not None and c.text.strip() for c in cells):
                    continue
                out.append(Row(page, t, r - t.header_rows, cells, (r - t.header_rows) in t.totals))
        return out

    def col(self, *roles: str) -> Optional[int]:
        for role in roles:
            for c, r in enumerate(self.columns):
                if r == role:
                    return c
        return None

    def body_texts(self, c: int) -> list[str]:
        return [t for row in self.rows if not row.total for t in [row.text(c)] if t]

    def amount_columns(self) -> list[int]:
        """Columns of amounts: by their header ('Montant accordé', 'Aide accordée ($)'), or unnamed
        columns whose cells are amounts ('250 000 $'; digits under a header with '$')."""
        out = []
        for c, role in enumerate(self.columns):
            vals = self.body_texts(c)
            if not vals:
                continue
            money = sum(1 for v in vals if is_amount(v) or ("$" in self.headers[c] or "€" in self.headers[c]) and is_number(v))
            blank = sum(1 for v in vals if not re.search(r"\d", v))
            if role == "amount" and money + blank >= 0.6 * len(vals) and money:
                out.append(c)
            elif role is None and money >= 0.6 * len(vals) and money >= 2:
                out.append(c)
        return out


def logical_tables(pages) -> list[LogicalTable]:
    """The tables of a document's pages, each joined with its continuations (``continues``: on the next
    page, or in the next column of its page), in the order they run."""
    items = [(p, t) for p in pages for t in p.tables if not t.error and t.cells]
    by_id = {t.id: (p, t) for p, t in items}

    def chain(t: Table) -> list[str]:
        out = [t.id]
        while t.continues in by_id and t.continues not in out:
            t = by_id[t.continues][1]
            out.append(t.id)
        return out
    roots: dict[str, list] = {}
    for p, t in items:
        c = chain(t)
        roots.setdefault(c[-1], []).append((len(c), p, t))
    out = []
    for k in sorted(roots, key=lambda k: list(by_id).index(k)):
        parts = [(p, t) for _, p, t in sorted(roots[k], key=lambda x: x[0])]
        first = parts[0][1]
        headers = []
        for c in range(first.n_cols):
            seen = []
            for r in range(first.header_rows):
                cell = first.cell_at(r, c)
                if cell is not None and cell.text and cell not in seen:
                    seen.append(cell)
            headers.append(" ".join(x.text for x in seen))
        headers = tuple(headers)
        out.append(LogicalTable(tuple(parts), first.columns, headers, first.caption))
    return out


def table_spans(pages, kinds: tuple[str, ...]) -> dict[int, list[tuple[int, int]]]:
    """By page number, the page-text spans of the tables whose records are read here (``kinds``:
    'funding', 'people'): their amounts or names are not read again as sentences."""
    out: dict[int, list[tuple[int, int]]] = {}
    for lt in logical_tables(pages):
        if ("funding" in kinds and is_funding(lt)) or ("people" in kinds and is_people(lt)):
            for p, t in lt.parts:
                if t.end > t.start:
                    out.setdefault(p.number, []).append((t.start, t.end))
    return out


def is_funding(lt: LogicalTable) -> bool:
    return bool(lt.amount_columns())


def is_people(lt: LogicalTable) -> bool:
    return lt.col("person") is not None and lt.col("role") is not None and not lt.amount_columns()


def recipient_column(lt: LogicalTable, amounts: list[int]) -> Optional[int]:
    c = lt.col("recipient", "org")
    if c is not None:
        return c
    # no header says it: the first column of text that is not a funder, programme, place or date
    for k, role in enumerate(lt.columns):
        if k not in amounts and role in (None, "project", "person") and lt.body_texts(k) \
                and not all(is_number(v) for v in lt.body_texts(k)):
            return k
    return None


@dataclass(frozen=True)
class FundingRow:
    amount: float
    currency: str
    funder: Optional[str]
    recipient: Optional[str]
    kind: Optional[str]
    is_total: bool
    date: Optional[str]
    period_years: Optional[int]
    evidence: Evidence
    aid: bool = False           # the table's header or caption says its amounts are given (not spent, not paid in)


def gives_aid(lt: "LogicalTable", amounts: list[int]) -> bool:
    """Whether a table's amounts are given: an amount column's header or the caption names aid ('Aide
    accordée', 'Subvention', 'Dons', 'projets acceptés'), and neither they nor the first column's header
    name spending or money coming in ('Comptes à payer', 'Fournisseur', 'Budget', 'Partenaires')."""
    from ..lang_fr import words
    text = " ".join([lt.headers[c] for c in amounts] + [lt.caption or ""]).lower()
    if any(w in text or w in (lt.headers[0] if lt.headers else "").lower() for w in words("table_not_aid_words")):
        return False
    return any(amount_kind(lt.headers[c]) for c in amounts) or any(w in text for w in words("table_aid_words"))


def funding_rows(pages) -> list[FundingRow]:
    """A funding row per body row and amount column of every funding table of the pages."""
    out = []
    for lt in logical_tables(pages):
        amounts = lt.amount_columns()
        if not amounts:
            continue
        rec_col = recipient_column(lt, amounts)
        funder_col = lt.col("funder", "programme")
        cap_funder = caption_funder(lt.caption) if funder_col is None else None
        date_col, period_col = lt.col("date"), lt.col("period")
        aid = gives_aid(lt, amounts)
        for row in lt.rows:
            label = next((row.text(c) for c in range(len(row.cells)) if row.text(c)), "")
            total = row.total or is_total_label(label)
            recipient = None if total else row.text(rec_col)
            funder = row.text(funder_col) if funder_col is not None else cap_funder
            date = _year(row.text(date_col))
            period = _years(row.text(period_col))
            for c in amounts:
                value = cell_amount(row.text(c) or "", lt.headers[c])
                if value is None or not value.get("amount"):
                    continue
                if not total and (recipient is None or sum(ch.isalpha() for ch in recipient) < 2):
                    continue            # (a legend's '$$' is no recipient)
                out.append(FundingRow(amount=float(value["amount"]), currency=value.get("currency") or "CAD",
                                      funder=funder, recipient=recipient, kind=amount_kind(lt.headers[c]),
                                      is_total=total, date=date, period_years=period, evidence=row.evidence(), aid=aid))
    return out


@dataclass(frozen=True)
class PersonRow:
    name: str
    role: Optional[str]
    organization: Optional[str]
    since: Optional[str]
    evidence: Evidence


def people_rows(pages) -> list[PersonRow]:
    """A person per body row of every name/role table of the pages."""
    out = []
    for lt in logical_tables(pages):
        if not is_people(lt):
            continue
        name_col, role_col = lt.col("person"), lt.col("role")
        org_col, since_col = lt.col("org", "recipient"), lt.col("since")
        for row in lt.rows:
            name = row.text(name_col)
            if not name or row.total or is_total_label(name) or not any(ch.isalpha() for ch in name):
                continue
            role = row.text(role_col)
            if role and len(role) > 1 and role[1:2].islower():
                role = role[:1].lower() + role[1:]      # 'Présidente' as a role is 'présidente'
            out.append(PersonRow(name=name, role=role, organization=row.text(org_col),
                                 since=_year(row.text(since_col)), evidence=row.evidence()))
    return out


def _year(text: Optional[str]) -> Optional[str]:
    m = re.search(r"\b(19|20)\d{2}\b", text or "")
    return m.group(0) if m else None


def _years(text: Optional[str]) -> Optional[int]:
    m = re.match(r"\s*(\d{1,2})\s*ans?\b", text or "")
    return int(m.group(1)) if m else None


__all__ = ["Row", "LogicalTable", "logical_tables", "table_spans", "is_funding", "is_people", "funding_rows",
           "people_rows", "FundingRow", "PersonRow"]

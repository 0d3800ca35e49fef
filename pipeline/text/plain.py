"""Plain text (a .txt file, a string) as a one-page document: no geometry, so blocks come from the
lines themselves (short lines, lines in capitals, bylines) and the furniture from their place."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Callable, Optional

from ..document import Cell, Document, Page, Table, TextBlock
from ..lang_fr import dates, is_caps
from ..lang_fr.lexicon import is_word
from ..lang_fr.tables import is_rule_line, is_total_label
from .blocks import Block
from .clean import digits_misread, join_lines, normalise
from .furniture import is_page_number, looks_like_running_header, repeats, words_of


BULLET = re.compile(r"[–—•·*▪►-]\s")
# a line that opens with a short label and a colon, then a name or a figure: an item of a list
# ('Présidente : Lise Caron, Caisse de Rawdon', 'Inscription : 40 $'), never the rest of the line above
# a line that ends on an amount after a dash, a colon or dot leaders ('Maison de la famille – 7 500 $', 'Club X
# ........ 2 500 $', 'Coop X : 12 %
# (deux ans)'): when the line before ends on one too, they are items of a list, not one wrapped sentence
AMOUNT_END = re.compile(r"\d\s?(?:\$|€|%|M\$|k\$|dollars|euros)(?:\s*\([^()]*\))?\s*[.;]?\s*$")
ITEM_SEPARATOR = re.compile(r"\s[–—:]\s|(?:\.\s?){3,}|…")


def amount_item(line: str) -> bool:
    """Whether a line ends on an amount after a dash, a colon or dot leaders (searched in two plain steps:
    one pattern with two open runs backtracked for seconds on a line of dots)."""
    end = AMOUNT_END.search(line)
    return bool(line[:1].strip()) and end is not None and ITEM_SEPARATOR.search(line, 1, end.start()) is not None
ISSUE_LINE = re.compile(r"(?i)(?:vol(?:ume)?\.?|n[o°º]\.?|numéro)\s*\d+\s*[,–—-]")
LEADERS = re.compile(r"(?:\.\s?){3,}|…")      # dot leaders: a line set as an item of a list, whatever follows
LABEL = re.compile(r"[A-ZÀ-Ý][\w'’-]*(?:\s+[\w'’-]+){0,3}(?:\s*\([^()]{1,40}\))?\s?:\s+[A-ZÀ-Ý0-9«\"]")


def _ends_item(line: str) -> bool:
    """Whether a label line after ``line`` opens an item of its own: after a sentence's end, another label
    line or list item, or a short line (a heading); a long line of prose that runs on may end on a name
    that the next line's colon follows ('... la présidente sortante / Marie Roy : elle ...')."""
    line = line.strip()
    return line.endswith((".", "!", "?", ":", ";")) or bool(LABEL.match(line) or BULLET.match(line)) \
        or len(line.split()) <= 6


def document_from_text(text: str, source: str = "<text>", issue_date: Optional[str] = None,
                       doc_id: Optional[str] = None) -> Document:
    """A plain-text page (no geometry) as a one-page Document."""
    clean, spans = clean_plain_text(text, is_word)
    blocks = tuple(TextBlock(page=1, start=s, end=e, kind=k) for k, s, e in spans)
    page = Page(number=1, text=clean, method="text", blocks=blocks, tables=tuple(funding_tables(text, clean)))
    return Document(id=doc_id or hashlib.sha256(text.encode("utf-8")).hexdigest(), source=source, pages=(page,),
                    title=_title(page), issue_date=issue_date or dates.issue_date_in(text))


def _title(page: Page) -> Optional[str]:
    for b in page.blocks:
        if b.kind in ("title", "heading"):
            return page.text[b.start:b.end].strip() or None
    return None


RUN_ON_ENDS = ("de", "du", "des", "la", "le", "les", "l'", "l’", "d'", "d’", "à", "au", "aux", "et", "ou", "un", "une",
               "en", "par", "pour", "sur", "avec", "dans", "que", "qui")


def _runs_on(line: str, nxt: str) -> bool:
    """Whether a line of a hard-wrapped text runs on into the next: 60 to 110 characters, and the next
    line opens in lower case or this one ends on a hyphen, a comma or a word that cannot end a sentence."""
    line, nxt = line.strip(), nxt.strip()
    if not 60 <= len(line) <= 110 or not nxt:
        return False
    last = line.split()[-1].lower()
    return nxt[:1].islower() or line.endswith(("-", ",")) or last in RUN_ON_ENDS


def blocks_from_lines(lines: list[str], is_word: Callable[[str], bool], rows: frozenset = frozenset()) -> list[Block]:
    """Group the lines of a page read without geometry into blocks.

    Furniture: a page number alone on the first or last line, an all-caps line among the first two
    (running header) or the last (footer), an all-caps block whose words repeat body text
    (pull-quote). A line 'par' followed by one to three all-caps one-word lines is a byline.
    A block ends at a short line (a heading, or the last line of a paragraph) or an all-caps line.
    ``rows``: the lines that are rows of a typed table, each a block of its own."""
    lines = [normalise(l).rstrip() for l in lines]
    idx = [i for i, l in enumerate(lines) if l.strip()]
    if not idx:
        return []
    widths = sorted(len(lines[i].strip()) for i in idx)
    median = widths[len(widths) // 2]
    # a text whose paragraphs are each one long line (no hard wrap): a line that opens with a capital after
    # another is a block of its own (a title over its subtitle, the rows of a list), as after a blank line
    # (not a hard-wrapped text with a long line or two in it: its lines run on into the next one)
    long = sum(len(lines[i].strip()) > 200 for i in idx)
    wrapped = sum(_runs_on(lines[i], lines[j]) for i, j in zip(idx, idx[1:]) if j == i + 1)
    unwrapped = long > 0 and (wrapped == 0 or long >= 2 and wrapped < 3 * long)
    furniture: set[int] = set()
    first, last = idx[:2], idx[-1:]
    for i in first + last:
        s = lines[i].strip()
        if is_page_number(s):
            furniture.add(i)
    top = [i for i in idx[:2] if i not in furniture][:1]     # the first line that is not a page number
    if top and is_caps(lines[top[0]]) and len(lines[top[0]].split()) <= 10 and (top[0] != idx[0] or len(idx) > 1 and idx[0] in furniture
                                                                              or looks_like_running_header(lines[top[0]])):
        furniture.add(top[0])
    if is_caps(lines[idx[-1]]) and len(lines[idx[-1]].split()) <= 6 and not amount_item(lines[idx[-1]].strip()):
        furniture.add(idx[-1])          # (not a list's total line: 'TOTAL ........ 7 300 $')

    blocks: list[Block] = []
    cur: list[int] = []

    def flush(kind="body"):
        nonlocal cur
        if cur:
            blocks.append(Block(kind, join_lines([lines[j] for j in cur], is_word), lines=tuple(cur)))
        cur = []

    k = 0
    while k < len(idx):
        i = idx[k]
        s = lines[i].strip()
        if i in furniture or i in rows or k < 6 and len(s) <= 60 and ISSUE_LINE.match(s):
            # (a bulletin's short issue line among its first lines is a block of its own: 'Vol. 4, no 2 -
            # Printemps 1988' never runs on from the masthead above it)
            flush()
            blocks.append(Block("furniture" if i in furniture else "body", s, lines=(i,)))
            k += 1
            continue
        if s.lower() == "par" or re.fullmatch(r"par\s+[^\s].*", s, re.I) and is_caps(s[3:]):
            names, j = ([s[3:].strip()] if len(s) > 3 else []), k + 1
            while j < len(idx) and is_caps(lines[idx[j]]) and len(lines[idx[j]].split()) <= 2 \
                    and len(" ".join(names + [lines[idx[j]]]).split()) <= 4 and idx[j] not in furniture:
                names.append(lines[idx[j]].strip())
                j += 1
            if names:
                flush()
                blocks.append(Block("byline", s[:3] + " " + " ".join(names), lines=tuple(idx[k:j])))
                k = j
                continue
        if cur and (BULLET.match(s) or LABEL.match(s) and _ends_item(lines[cur[-1]])
                    or amount_item(lines[cur[-1]].strip()) and (amount_item(s) or s[:1].isupper()
                                                                     and LEADERS.search(lines[cur[-1]]))
                    or (i > cur[-1] + 1 or unwrapped) and (s[:1].isupper() or s[:1] in "«\"“")):
            flush()             # a list item ('– Coopérative X : ... 12 500 $'), or a paragraph after a blank line
        prev_open = bool(cur) and not is_caps(lines[cur[-1]]) and not lines[cur[-1]].rstrip().endswith((".", "!", "?", ":"))
        if is_caps(s) and not prev_open:
            if cur and not is_caps(lines[cur[-1]]):
                flush()
            cur.append(i)
            nxt = idx[k + 1] if k + 1 < len(idx) else None
            if nxt is None or not is_caps(lines[nxt]) or nxt in furniture:
                flush("heading")
            k += 1
            continue
        cur.append(i)
        short = len(s) < 0.75 * median and not s.endswith("-")
        nxt_line = lines[idx[k + 1]].strip() if k + 1 < len(idx) else ""
        ends = s.endswith((".", "!", "?", ":")) and len(s) < 0.9 * median and nxt_line[:1].isupper()
        if short and not nxt_line[:1].islower() or ends:
            flush("heading" if short and not s.endswith((".", "!", "?", ":", ",")) and len(cur) == 1 else "body")
        k += 1
    flush()
    # pull-quotes: an all-caps heading whose words appear in order elsewhere in the body
    body = [w for b in blocks if b.kind == "body" for w in words_of(b.text)]
    out = []
    for b in blocks:
        if b.kind == "heading" and is_caps(b.text) and len(words_of(b.text)) >= 4 and repeats(words_of(b.text), body):
            out.append(replace(b, kind="furniture"))
        else:
            out.append(b)
    return out


CELL_GAP = re.compile(r"\t+| {3,}")
# a pipe between two cells, with a space on each side ('Organisme | Montant'); an OCR's '|' for an 'l'
# ('de |a Coop') touches its word
SPACED_PIPE = re.compile(r"(?<=\s)\|(?=\s)")


def pipe_gaps(line: str) -> int:
    """How many pipes part a row's cells ('Organisme | Projet | Montant', '| Coop A | 5 000 $ |'): 0 when a
    pipe touches a word (an OCR's 'l' read as '|')."""
    s = " " + line.strip().strip("|") + " "
    n = len(SPACED_PIPE.findall(s))
    return n if n and n == s.count("|") else 0


def normalise_tabs(text: str) -> str:
    """The text normalised (:func:`normalise`), its tabs kept: they part the cells of a table's rows."""
    return "\t".join(normalise(part) for part in text.split("\t"))


def _cell_gaps(line: str) -> int:
    if pipe_gaps(line):
        return pipe_gaps(line)
    return len(re.findall(r"(?<=\S)(?:\t+| {3,})(?=\S)", line.strip()))


def row_cells(line: str) -> list[str]:
    """A typed row's cells: between pipes (an empty cell kept: its column stays), else between tabs or
    runs of three spaces."""
    if pipe_gaps(line):
        return [c.strip() for c in line.strip().strip("|").split("|")]
    return [c.strip() for c in CELL_GAP.split(line.strip()) if c.strip()]


def _aligned(lines: list[str]) -> bool:
    """Whether the second cells of one-gap lines start at the same column, or end at the same one and are
    short numbers under a short header (an amounts column right-aligned), within two characters; a tab
    counts as eight."""
    starts, ends, seconds = [], [], []
    for line in lines:
        line = line.expandtabs(8).rstrip()
        m = list(re.finditer(r"(?<=\S)(?:\t+| {3,})(?=\S)", line))
        if len(m) != 1:
            return False
        starts.append(m[0].end())
        ends.append(len(line))
        seconds.append(line[m[0].end():])
    # (the second cells right-aligned count too when they are short and hold a number, 'Club X   1 200 $'; the
    # ends of justified prose line up as well)
    return max(starts) - min(starts) <= 2 or max(ends) - min(ends) <= 2 and sum(
        not (len(c.split()) <= 3 and re.search(r"\d", c)) for c in seconds[1:]) == 0 and len(seconds[0].split()) <= 3


def _table_rows_as_items(lines: list[str]) -> tuple[list[str], frozenset]:
    """The rows of a table typed with tabs or runs of spaces ('Projet<TAB>Promoteur<TAB>Type<TAB>Aide',
    'Friperie mobile      Les Trouvailles      12 000 $') as the cells of items joined by dashes ('Friperie
    mobile – Les Trouvailles – 12 000 $'): a name never runs from one cell into the next, and a row that
    ends on an amount reads as an item of a list (and each row is a block of its own: the indices of the rows
    are returned with the lines). A row has two gaps at least and a row like it just before
    or after (a line of justified prose, 'Mme<TAB>Lise Caron' are left as they are, tabs made spaces)."""
    n = [_cell_gaps(l) for l in lines]
    # (a line typed as a rule between the header and the rows, or above the totals, stands between none:
    # the lines beside a row are the nearest that are no rule)
    rule = [is_rule_line(l) for l in lines]

    def beside(k: int) -> list[int]:
        out = []
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(lines) and rule[j]:
                j += step
            if 0 <= j < len(lines):
                out.append(j)
        return out
    row = [n[k] >= 2 and any(n[j] >= 2 for j in beside(k)) for k in range(len(lines))]
    # a table of two columns: three lines or more in a row with one gap each, their second cells aligned
    # ('Organisme<spaces>Montant', 'Club X<spaces>1 200 $'; not justified prose, whose gaps fall anywhere)
    k = 0
    while k < len(lines):
        j = k
        while j < len(lines) and n[j] == 1:
            j += 1
        if j - k >= 3 and _aligned([lines[x] for x in range(k, j)]):
            for x in range(k, j):
                row[x] = True
        k = max(j, k + 1)
    # a table of two columns typed with pipes: two lines or more in a row with a pipe between their cells
    k = 0
    while k < len(lines):
        j = k
        while j < len(lines) and pipe_gaps(lines[j]) >= 1:
            j += 1
        if j - k >= 2:
            for x in range(k, j):
                row[x] = True
        k = max(j, k + 1)
    # (a row with one gap beside them belongs to the table too: 'TOTAL<TAB><TAB><TAB>20 500 $')
    row = [row[k] or n[k] >= 1 and any(row[j] for j in beside(k)) for k in range(len(lines))]
    # a table's rule lines are blocks of their own too (never joined to its header as a sentence)
    row = [row[k] or rule[k] and any(row[j] for j in beside(k)) for k in range(len(lines))]
    out = []
    for k, line in enumerate(lines):
        if row[k]:
            out.append(" – ".join(c for c in row_cells(line) if c))
        else:
            out.append(line.replace("\t", " "))
    return out, frozenset(k for k in range(len(lines)) if row[k])


def _next_block(clean: str, end: int, at: int) -> bool:
    """Whether the text at ``at`` is the block right after the one ending at ``end`` (past a rule line)."""
    gap = clean[end:at]
    return gap == "\n\n" or gap.startswith("\n\n") and gap.endswith("\n\n") and is_rule_line(gap.strip())


def funding_tables(text: str, clean: str) -> list[Table]:
    """The tables of amounts typed in a plain text (rows of cells apart by pipes, tabs or runs of spaces,
    under a header row that names an amount column: 'Organisme | Projet | Coût du projet | Aide accordée')
    as typed tables, their cells located in the clean page text (where each row is an item 'X – Y – 412 000 $
    – 40 000 $'): a reader then takes each amount by its column (an aid, not the project's cost), as on a
    PDF's table. Only tables whose rows all have as many cells as the header. ``text``: the raw text."""
    from .tables import column_roles, header_rows
    raw = normalise_tabs(text).split("\n")
    _, rows = _table_rows_as_items(raw)
    runs, cur = [], []
    for k, line in enumerate(raw):
        if k in rows and not is_rule_line(line):
            cur.append(row_cells(line))
        elif k in rows:
            continue            # (a rule line inside the table)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    tables, pos = [], 0
    for grid in runs:
        # every run's rows are found in order, each the block right after the one before (a rule line
        # between them aside), so that a table never takes another's rows or the prose between them
        located: list[int] = []
        for r, cells_text in enumerate(grid):
            joined = digits_misread(" – ".join(c for c in cells_text if c), is_word)
            at = clean.find(joined, located[-1] + 1 if located else pos)
            if at < 0 or located and not _next_block(clean, prev_end, at):
                located = []
                break
            located.append(at)
            prev_end = at + len(joined)
        if not located:
            continue
        start, end = located[0], prev_end
        pos = end
        n = len(grid[0])
        if len(grid) < 2 or n < 2 or any(len(r) != n for r in grid):
            continue
        spans = {(r, c): (1, 1) for r in range(len(grid)) for c in range(n)}
        hdr = header_rows(grid, spans)
        roles = column_roles(grid, hdr, spans)
        if not hdr or "amount" not in roles:
            continue
        cells = []
        for r, (cells_text, at) in enumerate(zip(grid, located)):
            c_pos = at
            for c, cell in enumerate(cells_text):
                if not cell:
                    continue
                cells.append(Cell(row=r, col=c, text=clean[c_pos:c_pos + len(cell)], start=c_pos, end=c_pos + len(cell), page=1))
                c_pos += len(cell) + 3
        totals = tuple(r - hdr for r in range(hdr, len(grid)) if any(grid[r]) and is_total_label(next(c for c in grid[r] if c)))
        # (the caption: the block just above, when it is short, a line of 25 words at most, or ends on a
        # colon; not a paragraph of prose that happens to stand there)
        above = clean.rfind("\n\n", 0, start - 2) if start >= 2 else -1
        caption = clean[above + 2 if above >= 0 else 0:max(0, start - 2)].strip() or None
        if caption and len(caption.split()) > 25 and not caption.endswith(":"):
            caption = None
        tables.append(Table(id=f"p1-t{len(tables) + 1}", page=1, bbox=(0.0, 0.0, 0.0, 0.0), n_rows=len(grid), n_cols=n,
                            cells=tuple(cells), header_rows=hdr, columns=roles, totals=totals, method="typed",
                            caption=caption, start=start, end=end))
    return tables


def clean_plain_text(text: str, is_word: Callable[[str], bool]) -> tuple[str, list[tuple[str, int, int]]]:
    """Text of a page without geometry -> (clean text, [(kind, start, end)] of its blocks).
    Blocks are separated by a blank line; furniture is dropped."""
    lines, rows = _table_rows_as_items(normalise_tabs(text).split("\n"))
    blocks = blocks_from_lines(lines, is_word, rows)
    parts, spans, pos = [], [], 0
    for b in blocks:
        if b.kind == "furniture" or not b.text:
            continue
        if parts:
            pos += 2
        parts.append(b.text)
        spans.append((b.kind, pos, pos + len(b.text)))
        pos += len(b.text)
    # (a text typed from an OCR: the letters read for digits inside its numbers, length-preserving)
    return digits_misread("\n\n".join(parts), is_word), spans

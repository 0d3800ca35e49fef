"""Co-operative statistics: totals and per-sector counts of co-operatives, their members and jobs,
new co-operatives.

An enumeration ('53 coopératives : 21 en habitation, 13 dans le secteur de l'agriculture...', '87
coopératives, dont 34 en habitation...') gives one record per item with its sector; a sector comes from
the complement of 'coopératives' ('d'habitation', 'forestières'), a label before a colon, the phrase
before a parenthesis, or 'le secteur X' earlier in the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import scoring
from ..document import Evidence
from ..lang_fr import is_acronym, words
from ..lang_fr.names import key
from ..lang_fr.tables import is_rule_line
from ..nlp.annotations import DocumentAnnotations, Figure, PageAnnotations, Sentence
from .common import PREPS, SECTOR_ADJECTIVES, sentence_text
from .spec import Column, Evaluation, Record, RecordSpec

MEASURES = frozenset({"cooperatives", "new_cooperatives", "members", "jobs"})
COOP_WORDS = words("coop_words")
MEMBER_WORDS = words("member_words")
JOB_WORDS = words("job_words")
EMPLOYED = words("employed_people_words")
NEW_WORDS = words("new_words")
FILLERS = words("count_fillers")
SECTOR_HEADS = words("sector_heads")
SECTOR_FILLERS = words("sector_fillers")
SECTOR_STOP = words("sector_stop")
NOT_SECTORS = SECTOR_STOP | words("not_sectors")
DEFINITE_ARTICLES = words("definite_articles")
ENUM_MARKERS = words("enumeration_markers")
ENTERPRISE_NOUNS = words("enterprise_nouns")
DE1 = words("de_singular")
DE = words("de")
ARTICLE_AFTER_DE = words("article_after_de")
SECTOR_PREPS = words("sector_prepositions")
COOP_KIND_WORDS = words("coop_kind_words")
SUPPORT_VERBS = words("support_verbs")
SINGLE_MEASURES = words("single_measure_words")
CREATION_WORDS = words("creation_words")
COUNT_VERBS = words("count_verbs")
CLOSURE_WORDS = words("closure_words")
ONE_BODY_NOUNS = words("one_body_nouns")
_EMPLOY = re.compile(r"\b(emploi|emploient|emploie|employant|emplois|travail|travailler|embauch\w*)\b", re.I)


@dataclass(frozen=True)
class CoopStat(Record):
    measure: str        # cooperatives | new_cooperatives | members | jobs
    value: int
    region: Optional[str] = None
    sector: Optional[str] = None
    approximate: bool = False
    evidence: Optional[Evidence] = None
    confidence: float = 0.5


# how sure a statistic is, by how it was read
CONFIDENCE = {"noun": 0.92, "list": 0.88, "label": 0.88, "enumerated": 0.86, "subject": 0.72, "people": 0.86,
              "table": 0.9}


def build(doc: DocumentAnnotations) -> list[CoopStat]:
    return [s for a in doc.pages for s in coop_stats(a)]


def coop_stats(a: PageAnnotations) -> list[CoopStat]:
    counts = a.figures_of("COUNT")
    out, seen = [], set()
    tabled = table_stats(a, out, seen)
    prev_total = False
    prev_sent: Optional[Sentence] = None
    for sent in a.sentences:
        if any(s <= sent.start_char < e for s, e in tabled):
            continue            # a row of a table of statistics: read as a row
        stext = sentence_text(a, sent)
        near = "coop" in (stext + (sentence_text(a, prev_sent) if prev_sent else "")).lower()
        listed = sector_comma_counts(stext) if near else []
        counted = any(sent.start <= c.start < sent.end and measure_of(a, c.end, sent.end) == "cooperatives" for c in counts)
        in_parens = sector_paren_counts(stext) if near and counted else kinds_in_parens(stext) if near else []
        for sector, value in in_parens + listed:
            item = ("cooperatives", key(sector), value)
            if item not in seen:
                seen.add(item)
                out.append(CoopStat(measure="cooperatives", value=value, region=None, sector=sector, approximate=False,
                                    evidence=a.sentence_evidence(sent), confidence=CONFIDENCE["list"]))
        prev_sent = sent
        sc = [c for c in counts if sent.start <= c.start < sent.end and c.value is not None]
        if not sc or listed:
            prev_total = False
            continue
        if not about_coops(stext) and not (sent.start > 0 and about_coops(a.span_text(max(0, sent.start - 60), sent.start))):
            prev_total = False
            continue
        prev_total = _sentence_stats(a, sent, sc, prev_total, out, seen)
    return out


# ---------------------------------------------------------------- tables of statistics
CELL_SEP = re.compile(r"\s[–—]\s")
LABEL_HEADERS = words("stats_label_headers")
TERRITORY_HEADERS = words("stats_territory_headers")
COLUMN_MEASURES = (("jobs", words("stats_job_headers")), ("members", words("stats_member_headers")),
                   ("cooperatives", words("stats_coop_headers")))


def column_measure(header: str, about: bool) -> Optional[str]:
    """What a column of numbers counts, by its header: 'Emplois' jobs, 'Membres' members, 'Nombre de
    coopératives' co-operatives ('Nombre' alone: only in a text ``about`` co-operatives)."""
    h = " ".join(header.lower().replace("’", "'").split()).strip(" :()")
    for measure, heads in COLUMN_MEASURES:
        # (a measure's own noun may open or end a longer header, 'Emplois (ETC)', 'Membres actifs'; not
        # 'nombre': 'Nombre de projets' counts no co-operatives)
        if h in heads or any(h.startswith(w + " ") or h.endswith(" " + w) for w in heads
                             if " " not in w and len(w) > 3 and w not in COUNT_HEADS):
            if measure == "cooperatives" and h in COUNT_HEADS and not about:
                return None
            return measure
    return None


COUNT_HEADS = frozenset({"nombre", "nb", "nbre", "entreprises"})


def grid_stats(header: list[str], rows: list[tuple[list[str], Evidence]], about: bool) -> list[CoopStat]:
    """The statistics of a table: a label column ('Secteur', 'Type'; 'Région': counts of no sector) and
    columns of numbers each counting co-operatives, members or jobs by its header; a row per sector, its
    totals row ('Total') of no sector. [] when the table is no such table."""
    from ..lang_fr.numbers import parse_number
    from ..lang_fr.tables import is_number, is_total_label
    if not header or len(header) < 2:
        return []
    first = " ".join(header[0].lower().split())
    if first not in LABEL_HEADERS and first not in TERRITORY_HEADERS:
        return []
    measures = {c: m for c, h in enumerate(header[1:], 1) if (m := column_measure(h, about)) is not None}
    if not measures:
        return []
    out = []
    for cells, ev in rows:
        if len(cells) != len(header) or not cells[0].strip():
            continue
        total = is_total_label(cells[0])
        sector = None if total or first in TERRITORY_HEADERS else _as_sector(" ".join(cells[0].split()))
        for c, measure in measures.items():
            if not is_number(cells[c]) or (v := parse_number(cells[c])) is None or v != int(v):
                continue
            out.append(CoopStat(measure=measure, value=int(v), region=None, sector=sector, approximate=False,
                                evidence=ev, confidence=CONFIDENCE["table"]))
    return out


def _as_sector(label: str) -> str:
    """A row label as the prose writes a sector: 'Habitation' -> 'habitation' (not 'Scop', 'CJS')."""
    first = label.split()[0]
    if first.lower() in COOP_KIND_WORDS or is_acronym(first) or not first[1:].islower():
        return label
    return label[:1].lower() + label[1:]


def table_stats(a: PageAnnotations, out: list, seen: set) -> list[tuple[int, int]]:
    """The statistics of the page's tables (a table of the text stage, or the rows of a table typed with
    tabs or spaces, which the text stage writes as items 'Foresterie – 7 – 720' under their header line),
    appended to ``out``; returns the page-text spans they cover (their rows are not read again as
    sentences)."""
    spans = []
    about = about_coops(a.page.text)
    for t in a.page.tables:
        if t.error or not t.cells or not t.header_rows:
            continue
        grid = t.grid()
        rows = [(r, Evidence(page=a.page.number, start=t.start, end=t.end, text=" | ".join(r), bbox=t.bbox, table=t.id))
                for r in grid[t.header_rows:]]
        found = grid_stats(grid[t.header_rows - 1], rows, about or about_coops(t.caption or ""))
        if found:
            spans.append((t.start, t.end))
            _add(found, out, seen)
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", a.page.text)]
    spans += headed_counts(a, lines, out, seen)
    k = 0
    while k < len(lines):
        s, e, text = lines[k]
        header = [c.strip() for c in CELL_SEP.split(text)]
        if len(header) < 2:
            k += 1
            continue
        run = []
        j = k + 1
        while j < len(lines) and (len(CELL_SEP.split(lines[j][2])) == len(header) or is_rule_line(lines[j][2])):
            if not is_rule_line(lines[j][2]):       # (a rule under the header or above the totals)
                run.append(([c.strip() for c in CELL_SEP.split(lines[j][2])], a.evidence(lines[j][0], lines[j][1])))
            j += 1
        found = grid_stats(header, run, about) if len(header) >= 2 and len(run) >= 2 else []
        if found:
            spans.append((s, lines[j - 1][1]))
            _add(found, out, seen)
            k = j
        else:
            k += 1
    return spans


SECTOR_HEADING = re.compile(r"([A-ZÀ-Ý][\w'’ ,&-]{2,60}?)\s*\((\d{1,4})\)")


def headed_counts(a: PageAnnotations, lines: list, out: list, seen: set) -> list[tuple[int, int]]:
    """A list of co-operatives under a heading per sector with their number ('Habitation (3)' over three
    names), after the count they add up to ('14 nouvelles coopératives ... Voici leur portrait par
    secteur'): a statistic per sector, of the total's measure. Only when the numbers add up to a count of
    co-operatives written before the first heading."""
    heads = [(s, e, m.group(1).strip(), int(m.group(2))) for s, e, text in lines
             if (m := SECTOR_HEADING.fullmatch(text.strip()))]
    if len(heads) < 2:
        return []
    total = sum(h[3] for h in heads)
    before = [c for c in a.figures_of("COUNT") if c.value == total and a[c.start].idx < heads[0][0]]
    measure = next((m for c in reversed(before) if (m := measure_of(a, c.end, min(len(a), c.end + 6)))
                    in ("cooperatives", "new_cooperatives")), None)
    if measure is None:
        return []
    found = [CoopStat(measure=measure, value=v, region=None, sector=_as_sector(label), approximate=False,
                      evidence=a.evidence(s, e), confidence=CONFIDENCE["list"]) for s, e, label, v in heads]
    _add(found, out, seen)
    return [(s, e) for s, e, _, _ in heads]


def _add(found: list[CoopStat], out: list, seen: set) -> None:
    for st in found:
        item = (st.measure, key(st.sector or ""), st.value)
        if item not in seen:
            seen.add(item)
            out.append(st)


def _sentence_stats(a: PageAnnotations, sent: Sentence, sc: list[Figure], prev_total: bool, out: list, seen: set) -> bool:
    """The statistics of one sentence's counts, appended to ``out``; returns whether the sentence
    gave a total that the next sentence may enumerate."""
    region = next((p.text for p in a.places if sent.start <= p.start < sent.end), None)
    marker = next((t.i for t in a.tokens[sent.start:sent.end] if t.lower in ENUM_MARKERS), None)
    # 'Parmi elles, on recense 38 coopératives d'habitation...': the enumeration of the total before
    in_enum = prev_total and marker is not None and marker < sc[0].start
    sent_total = False
    subject = subject_coops(a, sent)
    counted_sector = None
    enum_measure = "cooperatives"
    enum_sector = None
    for n, c in enumerate(sc):
        nxt = sc[n + 1].start if n + 1 < len(sc) else sent.end
        if not_a_statistic(a, sent, c):
            continue
        measure = measure_of(a, c.end, sent.end)
        sector = None
        how = "noun" if measure == "cooperatives" else "people"
        if measure is None and subject is not None and new_without_noun(a, c):
            measure, sector, how = "new_cooperatives", subject[1], "subject"  # 'et douze nouvelles y ont été fondées'
        elif measure is None and subject is not None and no_noun_after(a, c):
            measure, sector, how = "cooperatives", subject[1], "subject"    # '... sont au nombre de 31'
        elif measure == "cooperatives" and c.end < len(a) and a[c.end].lower not in COOP_WORDS \
                and not a[c.end].lower.startswith("coopérative") and subject is not None:
            sector, how = subject[1], "subject"              # '... de travailleurs avec 51 entreprises'
        if measure in ("members", "jobs") and (not aggregate(a, sent) or one_body_s(a, sent, c) or of_all_enterprises(a, sent)):
            continue            # one co-op's own members or staff ('Comptant 400 membres, la coopérative')
        if measure in ("members", "jobs") and subject is not None and subject[1] is not None:
            sector = subject[1]     # 'on en dénombre 250, qui font vivre 6 000 travailleurs': theirs
        label = label_sector(a, sent, c)
        if label is not None and measure in ("cooperatives", "members", "jobs"):
            sector, how = label, "label"
        elif measure in ("cooperatives", "new_cooperatives") and marker is not None and c.start < marker and \
                any(x.start > marker for x in sc) and not in_enum:
            in_enum = True          # the total of an enumeration that follows the marker
            sent_total = True
            enum_measure = measure  # ('onze nouvelles coopératives, dont quatre dans l'alimentation')
            if measure == "cooperatives":
                # its own kind ('112 coopératives d'habitation, dont 45 en Montérégie'): the items' too
                sector = enum_sector = complement_sector(a, c.end) or kind_sector(a, c)
        elif marker is not None and c.start > marker and in_enum and measure not in ("members", "jobs", "new_cooperatives"):
            # an enumerated item: up to the next separator before the next count
            stop = nxt
            for t in a.tokens[c.end:nxt]:
                if t.text in (",", ";", ".") or (t.lower == "et" and t.i + 1 == nxt):
                    stop = t.i
                    break
            sector = sector_text(a, c.end, stop)
            measure, how = enum_measure, "enumerated"
            if sector is None and (territory_item(a, c.end, stop) or c.end < len(a) and a[c.end].lower == "autres"):
                sector = enum_sector    # 'dont 45 en Montérégie', 'les 37 autres': the total's own kind
            elif sector is None:
                continue
        elif measure == "cooperatives" and sector is None:
            sector = complement_sector(a, c.end) or kind_sector(a, c) or noun_before_adjective(a, c) \
                or sector_before_parenthesis(a, c) \
                or sector_named_before(a, sent, c, sc) or (sector_subject(a, sent, c) if n == 0 else None)
            if sector is None and c.start > (marker or sent.end) and any(
                    x.start < marker and measure_of(a, x.end, sent.end) in ("cooperatives", "new_cooperatives") for x in sc):
                continue            # an item of a list whose sector is not given (not a count after a colon alone)
            if sector is None:
                sent_total = True
        if measure is None:
            continue
        if measure == "new_cooperatives" and how not in ("subject", "enumerated"):
            # 'dix nouvelles coopératives' (the new ones of a sector: '... de travail ... onze nouvelles') has
            # none; 'quarante-sept nouvelles coopératives de solidarité' has its own
            k = c.end
            while k < len(a) and a[k].lower in NEW_WORDS:
                k += 1
            sector = complement_sector(a, k) if k > c.end else None
        if measure == "cooperatives" and (new_context(a, c, sent) or created(a, c)):
            measure, sector = "new_cooperatives", noun_before_adjective(a, c)
        if measure in ("members", "jobs") and sector is None and counted_sector and how == "people":
            sector = counted_sector         # 'les 31 coopératives agricoles groupent 4 200 sociétaires'
        if measure in ("members", "jobs") and sector is None and how == "people":
            sector = sector_of_subject(a, sent)     # 'Le secteur laitier réunit à lui seul 2 940 membres'
        if measure == "cooperatives" and n == 0:
            counted_sector = sector
        item = (measure, key(sector or ""), c.value)
        if item in seen:
            continue
        seen.add(item)
        out.append(CoopStat(measure=measure, value=int(c.value), region=region, sector=sector,
                            approximate=c.approximate, evidence=a.sentence_evidence(sent), confidence=CONFIDENCE[how]))
    return sent_total


def measure_of(a: PageAnnotations, i: int, end: int) -> Optional[str]:
    """What the count ending before token i counts: the first noun after it, past adjectives
    ('nouvelles') and 'de' ('une dizaine de coopératives'). 'coopératives', 'membres', 'emplois';
    'personnes' after a verb of employing ('qui emploient 2 300 personnes')."""
    new = False
    for t in a.tokens[i:min(end, i + 4)]:
        w = t.lower
        if w in COOP_WORDS or w.startswith(("coopérative", "cooperative")) or w in COOP_KIND_WORDS or kind_acronym(a, t.i):
            return "new_cooperatives" if new else "cooperatives"
        if w in MEMBER_WORDS:
            return "members"
        if w in JOB_WORDS:
            return "jobs"
        if w in EMPLOYED and _EMPLOY.search(a.span_text(max(0, i - 8), i)):
            return "jobs"
        if w in NEW_WORDS:
            new = True
            continue
        if w in FILLERS or (t.pos == "ADJ" and not t.is_punct):
            continue
        if t.i + 1 < end and a[t.i + 1].lower in ("coopératives", "coopératifs") and _business_noun(w):
            continue            # 'près de 60 épiceries coopératives' (not '24 unités coopératives')
        break
    return None


def noun_before_adjective(a: PageAnnotations, c: Figure) -> Optional[str]:
    """'60 épiceries coopératives' -> 'épiceries': the business the co-operatives counted are, named before
    the adjective (:func:`_business_noun`)."""
    k = c.end
    while k < len(a) and a[k].lower in FILLERS:
        k += 1
    if k + 1 < len(a) and a[k + 1].lower in ("coopératives", "coopératifs") and _business_noun(a[k].lower):
        return a[k].text
    return None


TRADE_NOUNS = words("trade_nouns")


def _business_noun(w: str) -> bool:
    """A kind of business or premises in the plural ('épiceries', 'quincailleries', 'boulangeries'), as a
    count of co-operatives may name them; not 'unités', 'formules', 'organisations'."""
    return w.endswith(("s", "x")) and (w[:-1] in TRADE_NOUNS or w in TRADE_NOUNS)


def kind_acronym(a: PageAnnotations, i: int) -> Optional[str]:
    """The sector a kind of co-operative written as an acronym names: '16 CJS' -> 'jeunesse de services'
    when the text defined 'coopératives jeunesse de services (CJS)' (or named one: 'la Coopérative
    jeunesse de services (CJS) Les Abeilles')."""
    t = a[i]
    for x in a.acronyms:
        if x.short != t.text or not x.long.lower().startswith(("coopérative", "coops ", "coop ")):
            continue
        if x.label == "KIND":
            return x.long.split(" ", 1)[1] if " " in x.long else None
        if x.label == "ORG" and " " in x.long:
            # one co-op's acronym counted ('la Coopérative jeunesse de services (CJS) de Saint-Raymond' ...
            # 'trois CJS étaient actives'): its kind, without its town
            return re.sub(r"\s+(?:de|du|des|d['’])\s*(?:(?:la|le|les|l['’])\s*)?[A-ZÀ-Ý].*$", "", x.long.split(" ", 1)[1]) or None
    return None


def kind_sector(a: PageAnnotations, c: Figure) -> Optional[str]:
    """'2 300 Scop' -> 'Scop'; '16 CJS' -> 'jeunesse de services'."""
    if c.end >= len(a):
        return None
    t = a[c.end]
    if t.lower in COOP_KIND_WORDS:
        both = c.end + 2 < len(a) and a[c.end + 1].lower in ("et", "ou") and a[c.end + 2].lower in COOP_KIND_WORDS
        return None if both else t.text         # '620 Scop et Scic': co-operatives of both kinds
    return kind_acronym(a, c.end)


def subject_coops(a: PageAnnotations, sent: Sentence) -> Optional[tuple[int, Optional[str]]]:
    """The co-operatives a sentence is about, when its counts name no noun: 'Les coopératives de
    solidarité sont au nombre de 31' (-> solidarité), 'les Scop et Scic sont près de 3 000' (-> None),
    'on en dénombre environ deux cents' (-> the last co-operatives named before: 'les coopératives de
    travail' -> travail). Returns (token of the noun, sector) or None."""
    toks = a.tokens[sent.start:sent.end]
    for t in toks:
        if t.lower in ("coopératives", "coops") or t.lower in COOP_KIND_WORDS:
            if any(f.label == "COUNT" and f.end == t.i for f in a.figures):
                continue        # counted itself: 'avec 100 entreprises dont 64 (63 coopératives...)'
            if t.lower in COOP_KIND_WORDS:
                return t.i, None
            return t.i, _subject_sector(a, t.i)
    pronoun = next((t for t in toks if t.lower == "elles" and t.dep in ("nsubj", "nsubj:pass")), None)
    if pronoun is not None or any(
            t.lower == "en" and t.i + 1 < sent.end and (a[t.i + 1].pos in ("VERB", "AUX") or a[t.i + 1].lower in COUNT_VERBS
                                                       or t.i > sent.start and a[t.i - 1].lower in ("on", "y", "il", "elles", "ils", "nous"))
            for t in toks):         # 'on en compte', 'la Mauricie en compte' ('compte' may be read as a noun);
        # 'Ensemble, elles regroupent 214 000 membres': the co-operatives named before
        en = next((t for t in toks if t.lower == "en"), pronoun)
        if any(e.label == "ORG" and e.end == en.i for e in a.entities):
            return None     # 'la Coop de X en compte 95': one body's own people, not co-operatives
        if pronoun is not None and en.i == pronoun.i:
            # 'elles' stands for the last plural noun before it: co-operatives, or not
            last = next((a[k] for k in range(pronoun.i - 1, max(-1, pronoun.i - 60), -1)
                         if a[k].lower in ("coopératives", "coops")
                         or a[k].pos == "NOUN" and a[k].lower.endswith(("s", "x"))), None)
            if last is None or last.lower not in ("coopératives", "coops"):
                return None
            # the co-operatives the sentence before counts first, not those of its enumeration ('42
            # coopératives non financières, dont onze coopératives de travail. Elles regroupaient ...')
            before = next((x for x in reversed(a.sentences) if x.end <= sent.start), None)
            first = next((t for t in a.tokens[before.start:before.end] if t.lower in ("coopératives", "coops")), None) \
                if before is not None else None
            if first is not None:
                return first.i, _subject_sector(a, first.i)
        for k in range(sent.start - 1, max(-1, sent.start - 120), -1):
            if a[k].lower in ("coopératives", "coops"):
                return k, _subject_sector(a, k)
    return None


def _subject_sector(a: PageAnnotations, i: int) -> Optional[str]:
    """'coopératives de travailleurs' -> 'travailleurs'; 'coopératives de solidarité' -> 'solidarité'."""
    j = i + 1
    if j < len(a) and a[j].lower in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[a[j].lower]
    if j + 1 < len(a) and a[j].lower in SECTOR_PREPS and a[j + 1].text.islower() and a[j + 1].is_alpha \
            and a[j + 1].lower not in NOT_SECTORS and a[j + 1].pos in ("NOUN", "ADJ"):
        return a[j + 1].text
    return None


def no_noun_after(a: PageAnnotations, c: Figure) -> bool:
    """'sont près de 3 000 en France', '152 sur un total de 235', 'au nombre de 31.', 'deux cents
    réparties': the count names nothing after it."""
    if c.end >= len(a) or c.rule == "count-predicate":
        return True         # 'au nombre de 27', 'on en compte environ quatre-vingts au Québec'
    t = a[c.end]
    if t.lower in ("de", "d'", "d’", "à", "au", "aux"):
        return False        # 'une soixantaine de représentants', 'de 12 à 17 ans'
    return t.is_punct or t.pos in ("ADP", "VERB", "AUX", "CCONJ", "SCONJ") or "Part" in t.verb_form


def new_without_noun(a: PageAnnotations, c: Figure) -> bool:
    """'et onze nouvelles y ont été fondées', 'dont trois nouvelles cette année': new ones of what the
    sentence is about, no noun after 'nouvelles'."""
    if c.end + 1 >= len(a) or a[c.end].lower not in NEW_WORDS:
        return False
    t = a[c.end + 1]
    return t.is_punct or t.lower in ("y", "en", "se", "s'", "s’", "ont", "sont", "cette", "cet", "ce", "l'", "l’",
                                     "depuis", "au", "à", "et") or t.pos in ("VERB", "AUX", "ADV")


def aggregate(a: PageAnnotations, sent: Sentence) -> bool:
    """Whether a sentence counts the members or jobs of co-operatives in the plural (a region's, a
    sector's), not one co-operative's own: plural co-operatives in it or in the sentence before, or
    a pronoun for them ('Elles représentent 12 533 salariés')."""
    k = a.sentences.index(sent) if sent in a.sentences else 0
    for s in a.sentences[max(0, k - 1):k + 1]:
        for t in a.tokens[s.start:s.end]:
            if t.lower in ("coopératives", "coops", "mutuelles") or t.lower in COOP_KIND_WORDS and plural_kind(a, t.i) \
                    or t.lower in ("elles", "ils") and s is sent:
                return True
    return False


def of_all_enterprises(a: PageAnnotations, sent: Sentence) -> bool:
    """Whether 'elles' (or 'Ensemble, ...') takes up enterprises of every form counted first in the sentence
    before, co-operatives among them: 'La région compte 347 entreprises d'économie sociale, soit 112
    coopératives et 235 OBNL. Ensemble, elles emploient 4 900 personnes' (theirs, not the co-operatives')."""
    k = a.sentences.index(sent) if sent in a.sentences else 0
    head = [t.lower for t in a.tokens[sent.start:min(sent.end, sent.start + 4)]]
    if k == 0 or not any(w in ("elles", "ensemble") for w in head):
        return False
    prev = a.sentences[k - 1]
    first = next((f for f in a.figures_of("COUNT") if prev.start <= f.start < prev.end), None)
    return first is not None and first.end < len(a) and a[first.end].lower in ENTERPRISE_NOUNS


def one_body_s(a: PageAnnotations, sent: Sentence, c: Figure) -> bool:
    """Whether the clause of a count of people is about one named body: 'La Coopérative forestière de X
    emploie 410 personnes' (a body named before the count, no co-operatives in the plural in the clause)."""
    start = max([sent.start] + [t.i + 1 for t in a.tokens[sent.start:c.start] if t.text in (",", ";")
                                and t.i + 1 < c.start and a[t.i + 1].lower == "et"])
    named = [e for e in a.entities if e.label == "ORG" and start <= e.start and e.end <= c.start]
    plural = any(t.lower in ("coopératives", "coops", "elles", "ils", "ensemble") or t.lower in COOP_KIND_WORDS
                 and plural_kind(a, t.i) for t in a.tokens[start:sent.end])
    return bool(named) and not plural       # (not 'Selon le Conseil, 2 000 personnes travaillent dans les coopératives')


def plural_kind(a: PageAnnotations, i: int) -> bool:
    """A kind of co-operative written as an acronym, in the plural: 'les Scop', '620 Scop et Scic', 'des
    Scic' (not 'la Scic', 'une société coopérative d'intérêt collectif (Scic)': one co-operative)."""
    prev = a[i - 1] if i > 0 else None
    return prev is not None and (prev.lower in ("les", "des", "ces", "nos", "aux", "leurs", "et")
                                 or any(f.label == "COUNT" and f.end == i for f in a.figures)) \
        or i + 1 < len(a) and a[i + 1].lower == "et"


def about_coops(text: str) -> bool:
    """Whether a text speaks of co-operatives: 'coop...' or a kind of them ('les Scop et Scic')."""
    return "coop" in text.lower() or any(w.strip(".,;:()") in COOP_KIND_WORDS for w in text.lower().split())


def not_a_statistic(a: PageAnnotations, sent: Sentence, c: Figure) -> bool:
    """Counts that are no statistic of co-operatives: co-operatives a body supports or accompanies ('permettront
    d'accompagner environ 75 coopératives'), an average or one co-operative's size ('la taille moyenne
    d'une coopérative', 'La plus petite a 2 salariés'), a size class in parentheses ('(moins de 10
    salariés)'), a count inside parentheses after another count ('100 entreprises dont 64 (63
    coopératives et un regroupement)')."""
    before = [t.lower for t in a.tokens[max(sent.start, c.start - 4):c.start]]
    if any(w in SUPPORT_VERBS for w in before):
        return True
    after = a.tokens[c.end:min(sent.end, c.end + 14)]
    if any((t.lower == "parmi" or t.lower == "des" and a[t.i - 1].lower == "partie")
           and any(x.lower in SUPPORT_VERBS for x in a.tokens[t.i + 1:t.i + 5]) for t in after):
        return True         # 'Quatre coopératives ... figurent parmi les entreprises soutenues cette année'
    near = max(sent.start, c.start - 8)
    if before[-1:] in (["à"], ["aux"], ["pour"]) and (
            any(f.label == "MONEY" and near <= f.start < c.start for f in a.figures)
            or any(k.label == "FUND_KIND" and near <= k.start < c.start for k in a.cues)):
        return True         # 'une aide de 405 000 $ à trois coopératives', 'des contributions pour deux coopératives'
    if before[-1:] in (["les"], ["des"], ["ces"]) and c.value is not None and c.value <= 3 \
            and measure_of(a, c.end, sent.end) == "cooperatives" and complement_sector(a, c.end) is None:
        return True         # 'les fonds propres des deux coopératives': the ones the text is about
    if before[-1:] in (["nos"], ["notre"], ["ses"], ["son"]) and measure_of(a, c.end, sent.end) in ("members", "jobs") \
            and not any(t.lower in ("coopératives", "coops") for t in a.tokens[sent.start:sent.end]):
        return True         # '« Nos 9 800 membres peuvent être fiers »': one body's own
    if own_counts(a, sent, c, before):
        return True         # 'Notre coopérative compte 11 320 membres, parmi lesquels 388 coopératives': its own
    if any(t.lower in CLOSURE_WORDS for t in a.tokens[c.end:min(sent.end, c.end + 7)]):
        return True         # 'quatre coopératives d'habitation ont été dissoutes'
    if before[-1:] == ["sur"] and any(w in ("un", "une") for w in before[:-1]):
        return True         # 'une Scop sur 5 est une entreprise de bâtiment': a proportion
    counted = measure_of(a, c.end, sent.end)
    lead = a.span_text(sent.start, c.start).lower()
    if counted in ("members", "jobs") and any(w in lead for w in SINGLE_MEASURES):
        return True         # 'La plus petite a 2 salariés' (not 'le secteur le plus important avec 9 coopératives')
    opened = c.start - 1 if c.start > sent.start and a[c.start - 1].text == "(" else \
        (c.start - 2 if c.start - 1 > sent.start and a[c.start - 2].text == "(" else None)
    if opened is not None and (a[c.start - 1].lower in ("moins", "plus") or counted in ("members", "jobs")
                               or any(f.label == "COUNT" and f.end == opened for f in a.figures)
                               or opened > sent.start and a[opened - 1].like_num
                               and not re.fullmatch(r"(?:19|20)\d\d", a[opened - 1].text)):
        return True         # a size class '(moins de 10 salariés)', a part of a count '64 (63 coopératives...)'
    return False


def own_counts(a: PageAnnotations, sent: Sentence, c: Figure, before: list[str]) -> bool:
    """Whether a count is one body's own, the body speaking of itself as the subject of a verb of counting
    ('Notre coopérative compte 11 320 membres ... et 1 046 membres entreprises, parmi lesquels 388
    coopératives'): its members or staff, or the co-operatives among its members. Not a count of a set
    the body belongs to ('Notre coopérative est l'une des 37 coopératives funéraires', 'rejoint les 3 300
    coopératives du Québec')."""
    subject = next((t for t in a.tokens[sent.start:c.start - 1]
                    if t.lower in ("notre", "votre", "cette") and a[t.i + 1].lower in ONE_BODY_NOUNS), None)
    if subject is None or not any(t.lower in COUNT_VERBS or t.lower in ("emploie", "employait", "réunit", "rassemble")
                                  for t in a.tokens[subject.i + 2:c.start]):
        return False
    if before[-1:] in (["les"], ["des"], ["de"], ["d'"], ["d’"]):
        return False
    counted = measure_of(a, c.end, sent.end)
    return counted in ("members", "jobs") or any(w in ("parmi", "dont", "lesquels", "lesquelles") for w in before)


def created(a: PageAnnotations, c: Figure) -> bool:
    """'la mise en opération de 10 coopératives', 'la création de sept coopératives': new ones."""
    lead = a.span_text(max(0, c.start - 5), c.start).lower()
    return any(re.search(rf"\b{re.escape(w)}\s+(?:de|d')\s*$", lead.replace("’", "'")) for w in CREATION_WORDS)


def territory_item(a: PageAnnotations, start: int, end: int) -> bool:
    """Whether an enumerated item names a territory, not a sector: 'dont 45 en Montérégie'."""
    toks = [t for t in a.tokens[start:end] if not t.is_space and not t.lower.startswith("coopérative")]
    while toks and toks[0].lower in PREPS | {"en", "dans", "au", "aux", "à"}:
        toks = toks[1:]
    return bool(toks) and (any(p.start <= toks[0].i < p.end for p in a.places)
                           or toks[0].text[:1].isupper() and toks[0].lower not in COOP_KIND_WORDS and not is_acronym(toks[0].text))


def sector_text(a: PageAnnotations, start: int, end: int) -> Optional[str]:
    """The sector of an enumerated item: the words after the number, less the counted noun,
    participles ('œuvrant', 'offrant'), prepositions and 'le secteur de'; nothing from a verb on ('les 37
    autres se trouvent au ...')."""
    toks = [t for t in a.tokens[start:end] if not t.is_space]
    if toks and toks[0].lower == "qui":
        toks = toks[1:]     # 'dont 12 qui œuvrent en agriculture': past the relative and its verb
    while toks and (toks[0].pos in ("VERB", "AUX") and not toks[0].lower.endswith("ant")
                    or toks[0].lower in ("se", "s'", "s’")):
        toks = toks[1:]     # ('dont 21 sont en habitation')
    verb = next((k for k, t in enumerate(toks) if t.pos in ("VERB", "AUX") and not t.lower.endswith("ant")
                 or t.lower in ("se", "s'", "s’")), None)
    toks = toks[:verb] if verb is not None else toks
    if [t.lower for t in toks] == ["autres"]:
        return None             # 'les 37 autres': the rest of the total, of its kind
    while toks and (toks[0].lower.startswith("coopérative") or toks[0].lower in PREPS or toks[0].lower in SECTOR_HEADS
                    or (toks[0].pos == "VERB" and toks[0].lower.endswith("ant"))
                    or toks[0].lower in SECTOR_FILLERS and len(toks) > 1):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower in PREPS or toks[-1].lower in ("et", "ou")):
        toks = toks[:-1]
    if not toks or len(toks) > 6:
        return None
    if toks[0].text[:1].isupper() and toks[0].lower not in COOP_KIND_WORDS and not is_acronym(toks[0].text) \
            or any(p.start <= toks[0].i < p.end for p in a.places):
        return None         # a territory, not a sector ('dont 12 en Estrie', 'dont trois dans La Mitis')
    if len(toks) == 1 and toks[0].lower in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[toks[0].lower]
    return re.sub(r"\s+", " ", a.span_text(toks[0].i, toks[-1].i + 1)) or None


def label_sector(a: PageAnnotations, sent: Sentence, c: Figure) -> Optional[str]:
    """'Habitation : 27 coopératives.', '- Pêche et aquaculture : 12 coopératives, 410 emplois': a short label
    before a colon that opens the sentence's counts."""
    # the label of a list item serves every count of the item: '- Pêche : 12 coopératives, 410 emplois'
    colon = next((k for k in range(c.start - 1, sent.start - 1, -1) if a[k].text == ":"), None)
    if colon is None or (colon != c.start - 1 and not any(f.label == "COUNT" and f.start == colon + 1 for f in a.figures)):
        return None
    head = [t for t in a.tokens[sent.start:colon] if not t.is_space]
    while head and head[0].text in ("-", "–", "—", "•", "*", "·"):
        head = head[1:]     # '- Habitation : 26 coopératives'
    texts = [t.text for t in head]
    if "(" in texts and ")" in texts[texts.index("("):]:
        o = texts.index("(")
        c_ = o + texts[o:].index(")")
        head = head[:o] + head[c_ + 1:]                     # 'Autres secteurs (forêt, culture) : 16'
    if not 1 <= len(head) <= 6 or any(t.pos in ("VERB", "AUX") or t.like_num for t in head) or not head[0].is_alpha:
        return None
    text = a.span_text(head[0].i, head[-1].i + 1)
    return text[:1].lower() + text[1:]


def sector_paren_counts(text: str) -> list[tuple[str, int]]:
    """'..., devant la foresterie (16), l'alimentation (14) et les services à domicile (9)': sectors each
    followed by its count alone in parentheses (two items at least; no year)."""
    out = [(SECTOR_ADJECTIVES.get(w, w), n) for w, n in _paren_counts(text)]
    return out if len(out) >= 2 else []


def kinds_in_parens(text: str) -> list[tuple[str, int]]:
    """'..., devant les coopératives de solidarité (24), les coopératives de travail (18) et les
    coopératives de producteurs (6)': kinds of co-operative each with its count in parentheses, in a
    sentence that counts no co-operatives otherwise (two items at least) -> [('solidarité', 24), ...]."""
    out = []
    for words_, n in _paren_counts(text):
        m = re.fullmatch(r"(?:coopératives|coops)\s+(?:de\s+|d['’]\s*)?(.+)", words_)
        if m:
            out.append((m.group(1).strip(), n))
    return out if len(out) >= 2 else []


def _paren_counts(text: str) -> list[tuple[str, int]]:
    """(words after an article, number) of each 'les X (12)' of a text."""
    found = re.findall(r"(?:\b(?:les|la|le|des|du|de la)\s+|\b(?:de l|l)['’]\s*)([a-zà-ÿœ][a-zà-ÿœ'’ -]{2,40}?)\s*\((\d{1,4})\)",
                       re.sub(r"\s+", " ", text))
    return [(w.strip(), int(n)) for w, n in found if not re.fullmatch(r"(?:19|20)\d\d", n)]


def sector_comma_counts(text: str) -> list[tuple[str, int]]:
    """'Elles se répartissent ainsi : habitation, 18; services à domicile, 9; foresterie, 8.': after a
    colon, every item of a list cut by semicolons is 'sector, number' (two items at least)."""
    text = re.sub(r"\s+", " ", text)
    if ":" not in text or ";" not in text:
        return []
    out = []
    for part in text.split(":", 1)[1].rstrip(" .").split(";"):
        m = re.fullmatch(r"\s*(?:et |ou )?([a-zà-ÿœ][a-zà-ÿœ'’ -]{2,40}?)\s*,\s*(\d{1,4})\s*", part)
        if not m:
            return []
        w = m.group(1).strip()
        out.append((SECTOR_ADJECTIVES.get(w, w), int(m.group(2))))
    return out if len(out) >= 2 else []


def new_context(a: PageAnnotations, c: Figure, sent: Sentence) -> bool:
    """'sept coopératives ont été créées': new co-operatives, not a count of existing ones."""
    after = a.span_text(c.end, min(sent.end, c.end + 6)).lower()
    return bool(re.search(r"\b(ont été|ont vu le jour|sont nées|se sont ajoutées)\b.*\b(créées|fondées|constituées|démarrées|incorporées)?", after)) \
        and bool(re.search(r"créées|fondées|constituées|vu le jour|nées|démarrées|incorporées", a.span_text(c.end, sent.end).lower()))


def complement_sector(a: PageAnnotations, i: int) -> Optional[str]:
    """'12 coopératives d'habitation' -> 'habitation'; 'coopératives de services de proximité' ->
    'services de proximité'; '22 coopératives forestières' -> 'foresterie' (data/sectors.tsv)."""
    while i < len(a) and a[i].lower in DE1:
        i += 1
    if i >= len(a) or not a[i].lower.startswith(("coopérative", "cooperative")):
        return None             # (a text that lost its accents: '4 cooperatives avicoles')
    j = i + 1
    if j < len(a) and a[j].lower in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[a[j].lower]
    if j < len(a) and a[j].lower in SECTOR_PREPS:
        k = j + 1
        end = k
        while k < len(a) and k < j + 6:
            t = a[k]
            if t.pos in ("NOUN", "ADJ") and t.text.islower() and t.lower not in SECTOR_STOP:
                k += 1
                end = k
            elif t.lower in DE1 | {"à"} and end == k and k + 1 < len(a) and a[k + 1].pos == "NOUN" \
                    and a[k + 1].text.islower():
                k += 1          # 'services de proximité', 'aide à domicile'
            else:
                break
        if end > j + 1:
            return a.span_text(j + 1, end)
    return None


def sector_words(a: PageAnnotations, start: int, end: int) -> Optional[str]:
    """Lower-case nouns and adjectives [start, end) as a sector ('habitation', 'services de proximité');
    one adjective of data/sectors.tsv gives its sector noun."""
    toks = [t for t in a.tokens[start:end] if not t.is_space]
    if not toks or len(toks) > 4 or not all(t.text.islower() and t.is_alpha or t.lower in DE1 | {"à"} for t in toks) \
            or toks[0].lower in DE1 | {"à"}:
        return None
    if any(t.lower in NOT_SECTORS for t in toks) or not any(t.pos in ("NOUN", "ADJ") for t in toks):
        return None
    if len(toks) == 1 and toks[0].lower in SECTOR_ADJECTIVES:
        return SECTOR_ADJECTIVES[toks[0].lower]
    return a.span_text(toks[0].i, toks[-1].i + 1)


def sector_before_parenthesis(a: PageAnnotations, c: Figure) -> Optional[str]:
    """'suivi de l'habitation (34 coopératives) et de la consommation (14 coopératives)': the sector
    named just before the parenthesis that holds the count."""
    if c.start < 2 or a[c.start - 1].text != "(":
        return None
    k = c.start - 1
    while k > 0 and k > c.start - 5 and a[k - 1].text.islower() and a[k - 1].is_alpha \
            and a[k - 1].pos not in ("DET", "ADP", "VERB", "AUX", "PRON", "CCONJ"):
        k -= 1
    return sector_words(a, k, c.start - 1)


def sector_subject(a: PageAnnotations, sent: Sentence, c: Figure) -> Optional[str]:
    """'L'habitation demeure le premier secteur avec 96 coopératives', 'L'agriculture vient en tête avec
    64 coopératives': the sector is the sentence's subject, a lower-case noun before its verb, when the
    count follows 'avec'."""
    if c.start < 1 or a[c.start - 1].lower != "avec":
        return None
    # (past a phrase set before it: 'Du côté des secteurs, l'habitation domine avec 39 coopératives')
    k = max([sent.start] + [t.i + 1 for t in a.tokens[sent.start:c.start] if t.text == ","])
    while k < c.start and (a[k].is_space or a[k].lower in DEFINITE_ARTICLES):
        k += 1
    end = k
    while end < c.start and a[end].text.islower() and a[end].is_alpha and a[end].pos in ("NOUN", "ADJ"):
        end += 1
    if end == k or end >= c.start or a[end].pos not in ("VERB", "AUX"):
        return None
    return sector_words(a, k, end)


def sector_of_subject(a: PageAnnotations, sent: Sentence) -> Optional[str]:
    """'Le secteur laitier réunit 2 940 membres' -> 'laitier': a sentence whose subject is 'le secteur' and its
    adjective (or lower-case words before the verb: 'le secteur agroalimentaire régional')."""
    k = sent.start
    while k < sent.end and (a[k].is_space or a[k].lower in DEFINITE_ARTICLES):
        k += 1
    if k + 1 >= sent.end or a[k].lower != "secteur":
        return None
    j = k + 1
    while j < sent.end and a[j].pos not in ("VERB", "AUX") and j - k <= 5:
        j += 1
    if j >= sent.end or j == k + 1:
        return None
    return sector_words(a, k + 1, j)


def sector_named_before(a: PageAnnotations, sent: Sentence, c: Figure, counts: list[Figure]) -> Optional[str]:
    """'Le secteur funéraire demeure le plus important avec 9 coopératives': a sector named by
    'secteur'/'domaine' earlier in the sentence, when this is the first count after it."""
    heads = [t.i for t in a.tokens[sent.start:c.start] if t.lower in SECTOR_HEADS]
    if not heads or any(heads[-1] < x.start < c.start for x in counts):
        return None
    h = heads[-1] + 1
    if h < len(a) and a[h].lower in DE:
        h += 1
        if h < len(a) and a[h].lower in ARTICLE_AFTER_DE:
            h += 1
    end = h
    while end < c.start and end < h + 4 and a[end].text.islower() and a[end].is_alpha \
            and a[end].pos in ("NOUN", "ADJ") and a[end].lower not in NOT_SECTORS:
        end += 1
    return sector_words(a, h, end) if end > h else None


def _stat_hit(p: dict, g: dict) -> bool:
    return p.get("measure") == g["measure"] and scoring.amount(p.get("value")) == float(g["value"]) \
        and scoring.sector_ok(p.get("sector"), g.get("sector"))


SPEC = RecordSpec(
    name="coop_stats", record=CoopStat, build=build, key_fields=("measure", "sector", "value", "region"),
    columns={"region": Column("str"), "measure": Column("str", nullable=False, allowed=MEASURES),
             "sector": Column("str"), "value": Column("float", nullable=False, non_negative=True, format="count"),
             "approximate": Column("bool")},
    label="Co-operative statistics", title_fields=("measure", "value", "sector"), order=20,
    evaluations=(Evaluation("stats", lambda out, gold: out.get("coop_stats", []), lambda gold: gold["coop_stats"], _stat_hit),))

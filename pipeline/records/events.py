"""Events: a sentence with an event noun ('colloque', 'assemblée', 'forum') and a date, with its place
(not one inside an organisation's name) and its participants ('120 participants')."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..document import Evidence
from ..lang_fr import words
from ..nlp.annotations import Cue, DocumentAnnotations, PageAnnotations
from .common import PREPS
from .spec import Column, Record, RecordSpec

PARTICIPANTS = words("participant_words")
TITLE_STOPS = words("title_stops")


@dataclass(frozen=True)
class Event(Record):
    date: str
    place: Optional[str] = None
    title: Optional[str] = None
    participants: Optional[int] = None
    evidence: Optional[Evidence] = None
    confidence: float = 0.5


def build(doc: DocumentAnnotations) -> list[Event]:
    return [e for a in doc.pages for e in events(a)]


def events(a: PageAnnotations) -> list[Event]:
    nouns = a.cues_of("EVENT")
    dates = [d for d in a.figures_of("DATE") if d.value]
    counts = a.figures_of("COUNT")
    orgs = a.entities_of("ORG")
    out = []
    for sent in a.sentences:
        sn = [n for n in nouns if sent.start <= n.start < sent.end]
        sd = [d for d in dates if sent.start <= d.start < sent.end]
        if not sn or not sd:
            continue
        place = next((p.text for p in a.places if sent.start <= p.start < sent.end
                      and not any(o.start <= p.start < o.end for o in orgs)), None)
        participants = None
        for c in counts:
            if sent.start <= c.start < sent.end and c.value:
                nxt = [t.lower for t in a.tokens[c.end:min(sent.end, c.end + 3)]]
                if any(w.strip("d’'") in PARTICIPANTS or w in PARTICIPANTS for w in nxt):
                    participants = int(c.value)
                    break
        out.append(Event(date=sd[0].value, place=place, title=event_title(a, sn[0], sent.end),
                         participants=participants, evidence=a.sentence_evidence(sent),
                         confidence=0.8 if sd[0].year_written and place else 0.6 if sd[0].year_written else 0.45))
    return out


def event_title(a: PageAnnotations, n: Cue, limit: int) -> str:
    start = n.start
    if start > 0 and a[start - 1].pos == "ADJ":
        start -= 1
    end = n.end
    i = n.end
    while i < min(limit, n.end + 8):
        t = a[i]
        # a pronoun ends the title too: 'Le Forum régional de l'économie sociale se tiendra'
        if t.is_punct or t.pos in ("VERB", "AUX", "SCONJ", "CCONJ", "PRON") or "\n" in t.text or t.lower in TITLE_STOPS:
            break
        if t.lower not in PREPS:
            end = i + 1
        i += 1
    return a.span_text(start, end)


SPEC = RecordSpec(
    name="events", record=Event, build=build, key_fields=("date", "title", "place"),
    columns={"date": Column("str", format="date"), "place": Column("str"), "title": Column("str"),
             "participants": Column("float", non_negative=True, format="count")},
    label="Events", title_fields=("date", "title", "place"), order=50)

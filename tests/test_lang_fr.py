"""French kept as data (pipeline/lang_fr): the word lists of words.toml, the OCR confusions, the
predicates on words, and the vocabulary read from the model's files without spaCy."""
import re

import pytest

from conftest import ROOT
from pipeline.lang_fr import is_acronym, is_cap, is_caps, ocr_confusions, phrases, word_lists, words
from pipeline.lang_fr.lexicon import is_word, murmurhash64a

PROPER_FORMS = {"territory_bodies", "brand_place_names", "org_type_words", "government_metonyms"}     # proper nouns: case kept


def test_every_word_list_is_well_formed():
    for name, items in word_lists().items():
        assert items, name
        assert len(set(items)) == len(items), (name, [w for w in items if items.count(w) > 1])
        if name not in PROPER_FORMS:
            assert all(w == w.lower() for w in items), name


def test_every_word_list_is_read_by_the_code():
    code = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "pipeline").rglob("*.py"))
    unused = [n for n in word_lists() if not re.search(rf"""(?:words|phrases)\(["']{n}["']\)""", code)]
    assert not unused, unused


def test_an_unknown_list_is_a_clear_error():
    from pipeline.errors import RuleError
    with pytest.raises(RuleError, match="no word list 'nope'"):
        words("nope")


def test_phrases_are_cut_as_the_tokenizer_cuts_them():
    assert ("de", "l'", "entente") in phrases("generic_tails")


def test_ocr_confusions():
    assert ocr_confusions()["dé"] == "de"


@pytest.mark.parametrize("text,cap,acronym", [("Québec", True, False), ("MAMROT", True, True), ("CRÉ", True, True),
                                              ("A", True, False), ("FTQ-CSN", True, False), ("de", False, False),
                                              ("H2O", True, True), ("R&D", True, True), ("É", True, False)])
def test_word_predicates(text, cap, acronym):
    assert is_cap(text) == cap and is_acronym(text) == acronym


def test_is_caps():
    assert is_caps("RÉGION DE LA MAURICIE — NO 12") and not is_caps("Région") and not is_caps("12 —")


def test_murmurhash_is_spacy_s_string_hash(nlp):
    from spacy.strings import hash_string
    for w in ("communautaire", "a", "", "Saint-Jean-sur-Richelieu", "x" * 17, "œuvrant"):
        assert murmurhash64a(w.encode("utf-8")) == hash_string(w), w


@pytest.mark.parametrize("word", ["communautaire", "coopérative", "Québec", "économie", "communau", "xqzw",
                                  "Saint-Zénon", "térritoire", "sociäle"])
def test_vocabulary_is_the_model_s(nlp, word):
    assert is_word(word) == nlp.vocab.has_vector(word)

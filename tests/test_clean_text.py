import pytest

from pipeline.lang_fr.lexicon import is_word
from pipeline.text.clean import join_hyphenated, join_lines, normalise
from pipeline.text.plain import blocks_from_lines, clean_plain_text


@pytest.mark.parametrize("left,right,joined", [
    ("communau-", "taire", "communautaire"),
    ("dévelop-", "pement", "développement"),
    ("Vallée-du-", "Haut-Saint-Laurent", "Vallée-du-Haut-Saint-Laurent"),
    ("Marc-", "André", "Marc-André"),
    ("peut-", "être", "peut-être"),
    ("porte-", "parole", "porte-parole"),
    ("entre-", "prises", "entreprises"),
    ("coopéra-", "tives", "coopératives"),
    ("(MAM-", "ROT),", "(MAMROT),"),          # an acronym hyphenated by the typesetter (3-column fixture)
    ("FTQ-", "CSN", "FTQ-CSN"),
    ("SAINT-", "JEAN", "SAINT-JEAN"),
    ("Baie-", "des-Chaleurs", "Baie-des-Chaleurs"),   # regression: 'Baiedes-Chaleurs' (held-out Gaspésie page)
    ("Rivière-", "du-Loup.", "Rivière-du-Loup."),
    ("Mont-", "réal-Nord", "Montréal-Nord"),          # a word cut inside a compound is still joined
    ("Saint-Zé-", "non", "Saint-Zénon"),              # regression: 'Saint-Zé-non' (Lanaudière page, 2 columns)
    ("Saint-Jean-Bap-", "tiste", "Saint-Jean-Baptiste"),
    ("Sainte-Anne-des-", "monts", "Sainte-Anne-des-monts"),
    ("Carle-", "ton-sur-Mer", "Carleton-sur-Mer"),      # regression (layout zoo): 'Carle-ton-sur-Mer'
])
def test_join_hyphenated(left, right, joined):
    assert join_hyphenated(left, right, is_word) == joined


def test_join_lines_dehyphenates_and_spaces():
    lines = ["quatre corporations de développement communau-", "taire de la région et de la Vallée-du-",
             "Haut-Saint-Laurent."]
    assert join_lines(lines, is_word) == ("quatre corporations de développement communautaire de la région "
                                          "et de la Vallée-du-Haut-Saint-Laurent.")


def test_normalise_spaces_and_ligatures():
    assert normalise("250\u202f000\u00a0$ ﬁnancés\r\n") == "250 000 $ financés\n"
    assert normalise("co\u00adopérative") == "coopérative"


def test_furniture_header_page_number_footer_and_pullquote():
    page = ["71", "RÉGION DE LA VALLÉE-DU-HAUT-SAINT-LAURENT",
            "Dans la VHSL, sept nouvelles coopératives ont été créées depuis les trois dernières années.",
            "Elles se développent en structurant davantage l'économie locale et régionale du territoire.",
            "SEPT NOUVELLES COOPÉRATIVES", "ONT ÉTÉ CRÉÉES DEPUIS", "LES TROIS DERNIÈRES ANNÉES", "LES PÔLES"]
    text, blocks = clean_plain_text("\n".join(page), is_word)
    assert "RÉGION DE LA" not in text and "LES PÔLES" not in text and "SEPT NOUVELLES COOPÉRATIVES" not in text
    assert not text.startswith("71")
    assert "sept nouvelles coopératives ont été créées" in text


def test_caps_heading_that_is_not_repeated_is_kept():
    text, _ = clean_plain_text("Titre\nUNE NOUVELLE ENTENTE RÉGIONALE SIGNÉE\nLe texte du corps est ici, assez long pour une ligne.\n"
                               "Et une autre ligne de corps assez longue pour la médiane.\nFin du texte.", is_word)
    assert "UNE NOUVELLE ENTENTE RÉGIONALE SIGNÉE" in text


def test_byline_lines_are_joined():
    blocks = blocks_from_lines(["Un texte de corps assez long pour donner une médiane.", "par", "CLAIRE", "L'HEUREUX",
                                "SEPT NOUVELLES COOPÉRATIVES", "Un autre texte de corps assez long pour la médiane."], is_word)
    assert [b.text for b in blocks if b.kind == "byline"] == ["par CLAIRE L'HEUREUX"]


def test_blocks_offsets_index_the_clean_text():
    text, spans = clean_plain_text("Premier paragraphe assez long pour la médiane du texte.\n\nDeuxième paragraphe, assez long aussi.",
                                   is_word)
    for kind, s, e in spans:
        assert text[s:e].strip() == text[s:e] and text[s:e]


def test_letters_read_for_digits_inside_numbers_are_put_back():
    from pipeline.text.clean import digits_misread
    assert digits_misread("fondée en l978, elle emploie 2l5 personnes") == "fondée en 1978, elle emploie 215 personnes"
    assert digits_misread("un prêt de 12O 000 $ et 4 63O 2OO $") == "un prêt de 120 000 $ et 4 630 200 $"
    assert digits_misread("une subvention de $75 OOO") == "une subvention de $75 000"
    assert digits_misread("le Conseil a obtenu l2 500 $ et I5 000 $") == "le Conseil a obtenu 12 500 $ et 15 000 $"
    # words, initials, Roman numerals and a lone letter after a number stay as they are
    for text in ("Il a lu l'Office, II et III.", "Le lO mai, à OIO.", "la salle 2 Ouest", "Louis XIV et le 12 l",
                 "la l 500 m plus loin", "les lots 2 et I 340"):
        assert digits_misread(text) == text
    assert digits_misread("le tome 2 III") == "le tome 2 III"
    assert digits_misread("des bacs de 360l et une citerne de 1 000l") == "des bacs de 360l et une citerne de 1 000l"


def test_the_l_of_an_elision_read_as_a_one_is_put_back():
    from pipeline.text.clean import digits_misread
    assert digits_misread("le Conseil régional de 1'Estrie et 1’école du rang") == \
        "le Conseil régional de l'Estrie et l’école du rang"
    # a time or a number before an apostrophe stays
    for text in ("un record de 1'30 au 100 m", "les 21'a et 31'b du règlement", "en 1986, l'usine"):
        assert digits_misread(text) == text


def test_a_one_or_a_zero_read_for_a_letter_inside_a_word_is_put_back():
    from pipeline.text.clean import digits_misread
    assert digits_misread("à Sainte-F1avie, la c0opérative et la ca1sse", is_word) == \
        "à Sainte-Flavie, la coopérative et la caisse"
    # postal codes, codes of medicine and viruses, names of radios, model numbers and years stay
    for text in ("Rimouski (Québec) G5L 1B0", "g5l 1b0", "un lecteur MP3", "la Covid-19", "le 1er mai 2024",
                 "le F1 de Montréal", "le taux d'HbA1c", "le virus h1n1", "radio1fm", "le 3e rang"):
        assert digits_misread(text, is_word) == text

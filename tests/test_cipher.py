"""A text layer of glyphs without characters ('(cid:N)'), decoded with the page's own OCR
(pipeline/text/cipher.py), and a layer whose letters come through the wrong map sent to OCR."""
from pathlib import Path

import pikepdf
import pytest

from pipeline.text.cipher import Glyph, decoded, layer_words, learn
from pipeline.text.layout import Word
from pipeline.text.sources import load
from testkit.pages import FONT_DIR, cipher_pdf

FONT = "ABCDEF+Serif"
SPACE = 3


def _code(c: str) -> int:
    """The Macintosh glyph order of TrueType fonts: ' ' to '~' at 3 to 97."""
    return ord(c) - 29


def line(text: str, y: float, font: str = FONT, code=_code, x: float = 72.0, w: float = 5.0):
    """The glyphs of one line of text (each ``w`` wide, a space glyph between words) and the OCR words
    over them, the words read as ``text`` says."""
    glyphs, words, start = [], [], x
    for c in text + " ":
        if c == " ":
            if x > start:
                words.append(Word("", start, y, x, y + 10))
            glyphs.append(Glyph(f"{font}(cid:{SPACE if c == ' ' else code(c)})", x, y, x + w, y + 10))
            x += w
            start = x
            continue
        glyphs.append(Glyph(f"{font}(cid:{code(c)})", x, y, x + w, y + 10))
        x += w
    return glyphs, [Word(t, b.x0, b.top, b.x1, b.bottom) for t, b in zip(text.split(), words)]


def page(lines: list[str], misread: dict[str, str], code=_code, y0: float = 100.0):
    glyphs, words = [], []
    for i, text in enumerate(lines):
        g, w = line(text, y0 + 14 * i, code=code)
        glyphs += g
        words += [Word(misread.get(x.text, x.text), x.x0, x.top, x.x1, x.bottom) for x in w]
    return glyphs, words


LINES = ["La coopérative fondée en 1975 compte 436 membres depuis 1994.",
         "Elle a reçu 19 500 $ en 1963 et encore 3 000 $ en 1991 pour le magasin.",
         "Les membres se réunissent chaque printemps depuis 1969 à la salle municipale."]


def test_a_letter_the_ocr_lost_comes_back_from_the_layer():
    # an old-style '1' against its parenthesis: Tesseract reads '(1963)' as '(963)' (in our own text,
    # '1963' read '963' and both 'membres' read 'rnembres', the same glyphs read right everywhere else)
    glyphs, words = page(LINES, {"1963": "963", "membres": "rnembres"})
    out, changed = decoded(words, glyphs)
    assert [w.text for w in out] == " ".join(LINES).split()
    assert changed == 3


def test_a_glyph_seen_once_is_not_guessed_from_a_misreading():
    # 'q' appears once only ('chaque', misread 'chagve'): a single reading teaches nothing (and with
    # codes in no order, nothing is inferred from the font's order): the word keeps Tesseract's reading
    shuffled = {c: 500 + (ord(c) * 37) % 311 for c in set("".join(LINES))}
    glyphs, words = page(LINES, {"chaque": "chagve", "1963": "963"}, code=lambda c: shuffled[c])
    cipher = learn(words, glyphs)
    assert f"{FONT}(cid:{shuffled['q']})" not in cipher.table
    out, _ = decoded(words, glyphs, cipher)
    texts = [w.text for w in out]
    assert "chagve" in texts                        # not decoded: its 'q' was never learnt
    assert "1963" in texts                          # its digits were, from the other years


def test_a_glyph_of_two_letters_is_learnt_from_words_where_it_is_the_only_unknown():
    lig = "ABCDEF+Serif(cid:191)"
    glyphs, words = [], []
    for i, (before, after) in enumerate([("a", "n"), ("pro", "t"), ("con", "er"), ("a", "che")]):
        gs, ws = line(before + "#" + after, 100 + 14 * i)
        gs = [Glyph(lig, g.x0, g.top, g.x1, g.bottom) if g.key.endswith(f"(cid:{_code('#')})") else g for g in gs]
        glyphs += gs
        words += [Word(before + "fi" + after, w.x0, w.top, w.x1, w.bottom) for w in ws]
    # the letters around it are taught by other words
    g2, w2 = page(["la nation a pris cet art neuf chez elle pour toute la proche region"] * 2, {}, y0=200.0)
    cipher = learn(words + w2, glyphs + g2)
    assert cipher.table[lig] == "fi"


def test_layer_words_cut_at_spaces_and_gaps_and_keep_a_superscript_on_its_line():
    glyphs, _ = line("au XX siècle", 100)
    # a superscript 'e' after 'XX', smaller and higher, touching it
    xx = [g for g in glyphs if g.key.endswith(f"(cid:{_code('X')})")]
    sup = Glyph(f"{FONT}(cid:{_code('e')})", xx[-1].x1, 99.0, xx[-1].x1 + 3, 105.0)
    words = layer_words(glyphs + [sup], {f"{FONT}(cid:{SPACE})"})
    assert [len(g) for g, _ in words] == [2, 3, 6]


PARAS = ["La Coopérative de solidarité du Haut-Pays a tenu son assemblée générale le 14 mars 2024 à la salle "
         "paroissiale. Fondée en 1987, elle compte aujourd'hui 412 membres et emploie 9 personnes.",
         "Le ministère a versé 48 500 $ sur trois ans pour moderniser l'épicerie, et la caisse du secteur "
         "ajoute 12 000 $ au projet.",
         # set small, where Tesseract misreads: every glyph of it but the 'É' is taught by the lines above
         ("Renseignements : secrétariat de la coopérative, du lundi au vendredi, 1987 rue des Érables.", 4.6)]


@pytest.mark.parametrize("shuffle", [None, 5])
def test_a_pdf_whose_layer_has_no_characters_is_read_and_its_glyphs_decoded(tmp_path, shuffle):
    p = load(cipher_pdf(PARAS, tmp_path / "cid.pdf", shuffle=shuffle)).pages[0]
    assert p.method == "ocr" and not p.error
    assert "unmapped glyphs" in p.method_reason and "glyphs decoded with the OCR" in p.method_reason
    body, small = p.text.split("\n\n")[:2], p.text.split("\n\n")[2]
    assert body == PARAS[:2]
    assert small.startswith("Renseignements : secrétariat de la coopérative, du lundi au vendredi, 1987 rue des ")


def test_a_layer_of_letters_through_the_wrong_map_is_compared_with_ocr(tmp_path):
    # the codes drawn at random, and the font's character map left in: a reader of the layer takes the
    # codes for glyph numbers and gets letters of every script ('Ǡҵ▫–▕▕ᾧ...')
    path = cipher_pdf(PARAS[:2], tmp_path / "wrong.pdf", shuffle=5)
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    font = pdf.pages[0].Resources.Font.F1.DescendantFonts[0].FontDescriptor
    font.FontFile2 = pdf.make_stream((FONT_DIR / "DejaVuSerif.ttf").read_bytes())
    pdf.save(path)
    p = load(path).pages[0]
    assert p.method == "ocr", p.method_reason
    assert "mostly not French ones" in p.method_reason and "OCR reads better" in p.method_reason
    assert p.text.split("\n\n") == PARAS[:2]


def test_a_french_layer_with_a_few_foreign_letters_is_trusted(tmp_path):
    from pipeline.lang_fr.lexicon import is_word
    from pipeline.text.pdf import judge_layer
    words = ("Le chœur de la coopérative a invité Łukasz Wójcik et Ørjan Søvik à chanter avec les membres "
             "lors du concert de printemps donné au profit de la maison des jeunes du village").split()
    assert judge_layer(words, is_word, scanned=False) is None


def test_a_drop_cap_keeps_the_lines_beside_it_apart_and_no_word_is_read_far_from_tesseract():
    glyphs, words = page(LINES, {"1963": "963"})
    # a capital three lines tall, left of the three lines
    cap = Glyph(f"{FONT}(cid:{_code('L')})", 40.0, 100.0, 70.0, 138.0)
    lines = layer_words(glyphs + [cap], {f"{FONT}(cid:{SPACE})"})
    assert max(len(g) for g, _ in lines) <= max(len(w) for w in " ".join(LINES).split()) + 1
    out, _ = decoded(words + [Word("L", 40.0, 100.0, 70.0, 138.0)], glyphs + [cap])
    assert [w.text for w in out[:-1]] == " ".join(LINES).split()


def test_a_font_that_draws_no_space_keeps_its_end_punctuation():
    # words set apart by moving the pen, no space glyph; Tesseract left out the dots of the leaders
    glyphs, words = [], []
    for row, text in enumerate(["Le conseil siège ce soir.", "Le vote suit le rapport.", "La séance est levée.",
                                "Le conseil vote le budget."]):
        x, y = 72.0, 100 + 14 * row
        for word in text.split():
            start = x
            for c in word:
                glyphs.append(Glyph(f"{FONT}(cid:{_code(c)})", x, y, x + 5, y + 10))
                x += 5
            words.append(Word(word.rstrip("."), start, y, x - (5 if word.endswith(".") else 0), y + 10))
            x += 4
        for k in range(6):                              # dot leaders after the line, read by nobody
            glyphs.append(Glyph(f"{FONT}(cid:{_code('.')})", x + 5 * k, y, x + 5 * k + 5, y + 10))
    out, _ = decoded(words, glyphs)
    assert all(not w.text.endswith(".") or w.text in ("soir.", "rapport.", "levée.", "budget.") for w in out)
    assert "soir" in [w.text for w in out] or "soir." in [w.text for w in out]


def test_a_page_cropped_is_decoded_in_the_place_it_is_rendered(tmp_path):
    path = cipher_pdf(PARAS, tmp_path / "crop.pdf")
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    pdf.pages[0].obj.CropBox = pikepdf.Array([20, 0, 595, 830])     # 20 pt off the left, 12 off the top
    pdf.save(path)
    p = load(path).pages[0]
    learnt = int(p.method_reason.split("decoded with the OCR (")[1].split(" of")[0])
    assert learnt >= 30, p.method_reason
    assert p.text.split("\n\n")[:2] == PARAS[:2]


def test_a_layer_of_numbers_only_is_trusted():
    from pipeline.lang_fr.lexicon import is_word
    from pipeline.text.pdf import judge_layer
    words = "2019 2020 2021 2022 12 500 $ 14 250 $ 3,2 % 4,1 % 118 124 131 2 400 2 550".split() * 3
    assert judge_layer(words, is_word, scanned=False) is None

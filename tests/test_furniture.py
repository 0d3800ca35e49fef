"""Nothing dropped without a trace: margin lines, pull-quotes and the like are set apart as furniture
(kind, reason, box) only when they are; a page that keeps fewer words than it found is flagged and
makes its document partial. Each case is a regression, with word boxes and sentences of our own."""
from pipeline.document import Document, Furniture, Page
from pipeline.lang_fr.lexicon import is_word
from pipeline.text.blocks import Block
from pipeline.text.furniture import pull_quotes
from pipeline.text.layout import Word, blocks_from_page, group_lines, join_drop_caps, order_lines

H, W = 792.0, 612.0


def line(text, x, top, size=9.0, space=4.0):
    out = []
    for t in text.split():
        w = len(t) * size * 0.5
        out.append(Word(t, x, top, x + w, top + size * 1.1, size))
        x += w + space
    return out


def column(lines, x, top, size=9.0, leading=11.0):
    return [w for k, t in enumerate(lines) for w in line(t, x, top + k * leading, size)]


BODY = ["La coopérative de solidarité du village a rouvert", "son épicerie au printemps grâce à l'appui",
        "de ses membres et de la municipalité qui", "a prêté le local pour une année entière."]


def laid(words):
    blocks, furniture = blocks_from_page(words, W, H, is_word)
    return " ".join(b.text for b in blocks), furniture


def test_the_last_lines_of_a_column_in_the_bottom_margin_are_text():
    # regression (a 1996 municipal scan): the last lines of both columns, one mid-sentence, fell in
    # the bottom 7 % of the page and were dropped as a footer
    words = column(BODY * 3, 50, 640)
    text, furniture = laid(words)
    assert "a prêté le local pour une année entière." in text and not furniture


def test_a_title_in_the_top_margin_is_text_and_a_running_header_is_furniture():
    # regression (council minutes): the dated title line at the top of page 1 was taken for a header
    words = line("Compte rendu du conseil municipal 24 février 2023", 50, 30, size=14) + column(BODY, 50, 60)
    text, furniture = laid(words)
    assert text.startswith("Compte rendu du conseil municipal 24 février 2023") and not furniture
    words = line("BULLETIN MUNICIPAL — PRINTEMPS 2011", 50, 20, size=7) + column(BODY, 50, 90)
    text, furniture = laid(words)
    assert "BULLETIN" not in text
    assert [(f.kind, f.text) for f in furniture] == [("header", "BULLETIN MUNICIPAL — PRINTEMPS 2011")]
    assert furniture[0].reason and furniture[0].bbox


def test_a_headline_repeated_in_the_body_is_not_a_pull_quote():
    # regression (a press clipping, a bylaw's object line): a first block repeated in the longer body
    # was dropped as a pull-quote
    head = Block("heading", "Une aide de 35 000 $ pour l'épicerie", (50, 50, 400, 64), 1, size=12, body=9)
    body = Block("body", "Le conseil a voté une aide de 35 000 $ pour l'épicerie du village mardi soir.",
                 (50, 70, 400, 120), 2, size=9, body=9)
    quote = Block("heading", "une aide de 35 000 $ pour l'épicerie du village", (420, 200, 560, 260), 3, size=13, body=9)
    kept, furniture = pull_quotes([head, body, quote])
    assert kept == [head, body]
    assert [(f.kind, f.text) for f in furniture] == [("pull-quote", quote.text)]
    # a short paragraph in the body's size that a longer one quotes is text
    short = Block("body", "Elle compte 310 membres et six employés.", (50, 300, 400, 310), 4, size=9, body=9)
    longer = Block("body", "Aujourd'hui, elle compte 310 membres et six employés selon sa directrice.", (50, 320, 400, 340), 5,
                   size=9, body=9)
    assert pull_quotes([body, short, longer]) == ([body, short, longer], [])


def test_a_narrow_gutter_under_a_full_width_standfirst_splits_the_columns():
    # regression (municipal bulletin page): two columns 9 pt apart under a standfirst running the
    # whole width were read line by line across both
    stand = column(["Un chapeau qui court sur toute la largeur de la page au-dessus des deux colonnes et qui",
                    "annonce le sujet de l'article avec assez de mots pour couvrir la page."], 50, 60, size=10, leading=12)
    left = column(BODY * 2, 50, 100)
    width = max(w.x1 for w in left) - 50
    right = column(["Le comité a tenu sa première rencontre", "le mardi suivant pour préparer",
                    "la fête du village qui aura lieu", "au mois de juin sur la place."] * 2, 50 + width + 9, 100)
    lines, gutters = group_lines(stand + left + right)
    assert len(gutters) == 1 and gutters[0].top >= 99 and abs(float(gutters[0]) - (50 + width + 4.5)) < 5
    order = [l.text for _, l in order_lines(lines, gutters)]
    assert order.index("a prêté le local pour une année entière.") < order.index("Le comité a tenu sa première rencontre")
    assert all(" " + r.split()[0] + " " not in " " + t + " " for t in order if t.startswith("La coopérative")
               for r in ["Le comité"])


def test_a_drop_cap_is_joined_to_its_word():
    cap = Word("U", 50, 96, 72, 130, 36)
    words = [cap] + line("n hangar avec vue sur le quai", 73, 100) + line("de Camaret, quelques bateaux", 73, 111) \
        + line("qui attendent au soleil.", 73, 122)
    joined, origin = join_drop_caps(words, is_word)
    assert [w.text for w in joined][:2] == ["Un", "hangar"] and len(origin) == 1
    words = [Word("À", 50, 96, 70, 130, 36)] + line("la fin de l'été, la fête", 73, 100) + line("a eu lieu au village.", 73, 111) \
        + line("Tout le monde était là.", 73, 122)
    assert [w.text for w in join_drop_caps(words, is_word)[0]][:2] == ["À", "la"]


def test_a_page_that_keeps_fewer_words_than_it_found_makes_the_document_partial():
    ok = Page(number=1, text="Le texte.", words_found=100, words_kept=100)
    low = Page(number=2, text="Le texte.", words_found=100, words_kept=90,
               furniture=(Furniture("footer", "Page 2", "a page number", (1, 2, 3, 4)),))
    assert ok.review is None and "low coverage 0.900" in low.review
    assert Document(id="x", source="s", pages=(ok,)).status == "ok"
    doc = Document(id="x", source="s", pages=(ok, low))
    assert doc.status == "partial"
    from pipeline.document import Result
    out = Result(document=doc, mentions=()).to_dict()
    assert any("needs review" in e for e in out["document"]["errors"])
    assert out["text"][1]["furniture"] == [{"kind": "footer", "text": "Page 2", "reason": "a page number", "bbox": [1, 2, 3, 4]}]
    assert out["text"][1]["coverage"] == 0.9


def test_text_layer_judged_by_its_words():
    from pipeline.text.pdf import judge_layer, needs_ocr, reading
    # a table of contents: dot leaders and page numbers are not garbage (it was sent to OCR)
    toc = "\n".join(f"Chapitre {k} : les coopératives de la région {'.' * 40} {k * 7}" for k in range(1, 12))
    assert not needs_ocr(toc, len(toc))
    good = ("La coopérative de solidarité a rouvert son épicerie grâce à l'appui de ses membres et de la "
            "municipalité. ") * 12
    assert judge_layer(good.split(), is_word, scanned=False) is None
    # an old OCR layer: no accents, words broken by stray spaces
    bad = ("La coope rative de solidarite a rouv ert son epicerie grace a l'appui de ses mem bres et de la "
           "municipalite. ") * 12
    why = judge_layer(bad.split(), is_word, scanned=False)
    assert why and ("reads badly" in why or "without a single accent" in why)
    assert reading(bad.split(), is_word).score < reading(good.split(), is_word).score
    assert "page-sized image" in judge_layer(good.split(), is_word, scanned=True)


STAND = column(["Un chapeau qui court sur toute la largeur de la page au-dessus des deux colonnes et qui",
                "annonce le sujet de l'article avec assez de mots pour couvrir la page."], 50, 60, size=10, leading=12)


def test_a_section_heading_in_the_longer_left_column_keeps_the_column_going():
    # regression (municipal bulletin page, 'ET LES ADOS OU LES SCOLAIRES ?'): the left column went on
    # under a section heading after the shorter right column had ended; the gutter stopped at the
    # heading's space (a short line far from the gutter is no text beside it) and the rest of the left
    # column was read after the right one
    left = column(BODY * 4, 50, 100)
    width = max(w.x1 for w in left) - 50
    bottom = max(w.bottom for w in left)
    heading = line("ET LES ADOS ?", 50, bottom + 14)
    more = column(["Parallèlement au soutien scolaire, le club",
                   "propose un concept bien plus ludique."] + BODY, 50, bottom + 38)
    right = column(["Le comité a tenu sa première rencontre", "le mardi suivant pour préparer",
                    "la fête du village qui aura lieu", "au mois de juin sur la place."] * 4, 50 + width + 9, 100)
    lines, gutters = group_lines(STAND + left + heading + more + right)
    order = [l.text for _, l in order_lines(lines, gutters)]
    assert order.index("ET LES ADOS ?") < order.index("Le comité a tenu sa première rencontre")
    assert order.index("propose un concept bien plus ludique.") < order.index("Le comité a tenu sa première rencontre")
    text, _ = laid(STAND + left + heading + more + right)
    assert text.index("ET LES ADOS") < text.index("Le comité a tenu")

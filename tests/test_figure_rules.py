"""One positive and one negative real French sentence for every figure rule (rules/figures.jsonl).
A rule added without cases here fails ``test_every_rule_has_cases``."""
import pytest

from pipeline.nlp.figures import find_figures, load_rules

# rule id -> (sentence where it fires, the text it must yield (or that the blocker protects), sentence where it must not)
CASES = {
    "block-phone": ("Pour information : 450 373-2222, poste 21.", "450 373-2222", "On compte 450 membres."),
    "block-issue-number": ("Voir le bulletin no 12, page 4.", "no 12", "Les 12 coopératives de la région."),
    "block-postal-code": ("Écrivez au J6T 1B5 à Valleyfield.", "J6T 1B5", "Le local 6 accueille 15 jeunes."),
    "block-time-of-day": ("La rencontre débute à 19 h 30 au sous-sol.", "19 h 30", "Elle réunit 19 participants."),
    "block-street-number": ("Le siège est au 123, rue Victoria.", "123, rue", "Les 123 membres ont voté."),
    "block-age": ("La coopérative fête ses 20 ans cette année.", "20 ans", "La coopérative compte 20 membres."),
    "block-number-in-name": ("La coopérative Les Quatre Vents ouvre ses portes.", "Quatre",
                             "Les quatre coopératives ouvrent leurs portes."),
    "duration-years": ("Ils ont injecté 250 000 $ chacun sur cinq ans.", "cinq", "Ils ont injecté 250 000 $ chacun."),
    "duration-adjective": ("L'entente quinquennale a été signée.", "quinquennale", "L'entente annuelle a été signée."),
    "money-half-scale": ("Elles ont versé plus d'un demi-milliard $ en ristournes.", "un demi-milliard $",
                         "Elles comptent un demi-siècle d'histoire."),
    "money-scale-turnover": ("Elles génèrent 22 milliards de chiffre d'affaires.", "22 milliards",
                             "Elles génèrent 22 milliards de questions."),
    "count-scale": ("Elles réunissent 8,5 millions de membres.", "8,5 millions", "Elles réunissent 8,5 membres."),
    "count-predicate": ("Les coopératives de la ville sont au nombre de 27.", "27",
                        "Les coopératives de la ville en comptent 27 ans d'histoire."),
    "count-coop-kind": ("On recense 2 300 Scop et 600 Scic.", "2 300", "On recense 2 300 Saint-Jeannois."),
    "date-year-after-noun": ("L'édition 2013 du concours a été devancée.", "2013", "L'édition 13 du concours a été devancée."),
    "duration-whole-year": ("La municipalité versera 5 000 $ pour toute l'année.", "toute l'année",
                            "La municipalité versera 5 000 $ au début de l'année."),
    "date-dmy": ("Le 8 avril 2011 à Salaberry-de-Valleyfield, les membres se sont réunis.", "8 avril 2011",
                 "Le 8 avril, les membres se sont réunis."),
    "date-day-range": ("Du 23 au 25 septembre 2010, 400 délégués se sont réunis.", "23",
                       "Le 25 septembre 2010, 400 délégués se sont réunis."),
    "date-dmy-numeric": ("Reçu le 08/04/2011 au bureau.", "08/04/2011", "Reçu le 08/04 au bureau."),
    "date-iso": ("Mise à jour : 2011-04-08.", "2011-04-08", "Référence 2011-4 du dossier."),
    "date-dm": ("Le colloque aura lieu le 2 décembre à Granby.", "2 décembre", "Le colloque réunit 2 coopératives."),
    "date-my": ("Depuis juin 2010, la coopérative offre ce service.", "juin 2010", "Depuis juin, la coopérative offre ce service."),
    "date-season-year": ("Au printemps 2011, le pôle a tenu un forum.", "2011", "Au printemps, le pôle a tenu un forum."),
    "date-year-range": ("Le plan d'action 2011-2014 est adopté.", "2011", "Le plan d'action est adopté en 11-14 jours."),
    "date-year": ("La CRÉ a été créée en 2005 dans la région.", "2005", "La CRÉ a versé 2005 $ à la coopérative."),
    "date-relative-weekday": ("La rencontre a eu lieu mercredi dernier.", "mercredi dernier", "La rencontre a lieu le mercredi."),
    "money-amount-currency": ("Emploi-Québec y a investi un montant de 75 000 $.", "75 000 $", "Emploi-Québec y a investi 75 000 heures."),
    "money-currency-amount": ("Le fonds dispose de $ 75 millions.", "$ 75 millions", "Le fonds dispose de 75 millions de membres."),
    "money-words": ("Elle a reçu cinq millions de dollars.", "cinq millions de dollars", "Elle a reçu cinq millions de visiteurs."),
    "percent-digits": ("Le taux de survie atteint 62 %.", "62 %", "Le taux de survie atteint 62 points."),
    "percent-words": ("Le projet est financé à cinquante pour cent.", "cinquante pour cent", "Le projet est financé par cinquante membres."),
    "count-collective-noun": ("Les membres ont réuni une centaine d'intervenants.", "une centaine", "Les membres ont réuni des intervenants."),
    "count-digits": ("On compte 53 coopératives non financières.", "53", "On compte 53 ans d'histoire."),
    "count-words": ("Sept nouvelles coopératives ont été créées.", "Sept", "La coopérative a été créée le 7 sept. 2011."),

    "count-neuf": ("Le pôle réunit neuf entreprises d'économie sociale.", "neuf", "Le bâtiment neuf et moderne accueille le pôle."),
}


def test_every_rule_has_cases():
    ids = {r.id for r in load_rules()}
    assert ids == set(CASES), f"rules without cases: {ids - set(CASES)}; cases without rule: {set(CASES) - ids}"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_positive(rule_id):
    sentence, expected, _ = CASES[rule_id]
    rule = next(r for r in load_rules() if r.id == rule_id)
    found = find_figures(sentence)
    if rule.label == "NONE":
        # the blocker claims the text: no figure overlaps it
        s = sentence.index(expected)
        e = s + len(expected)
        assert rule.regex.search(sentence)
        assert not [f for f in found if f.start < e and s < f.end], found
    else:
        assert any(f.rule == rule_id and f.text == expected for f in found), found


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_negative(rule_id):
    _, _, sentence = CASES[rule_id]
    rule = next(r for r in load_rules() if r.id == rule_id)
    if rule.label == "NONE":
        assert not rule.regex.search(sentence)
    else:
        assert not any(f.rule == rule_id for f in find_figures(sentence))


def test_values_and_approximation():
    figs = {f.text: f for f in find_figures("regroupant ainsi près de 10 000 membres et créant environ 500 emplois")}
    assert figs["10 000"].value == 10000 and figs["10 000"].approximate
    assert figs["500"].value == 500 and figs["500"].approximate
    (f,) = [f for f in find_figures("Le MAMROT y a injecté 250 000 $.") if f.label == "MONEY"]
    assert f.value == {"amount": 250000.0, "currency": "CAD"}


def test_old_english_style_amounts_are_whole():
    """Old bulletins write '$184,320.00' and '$15,000' (a bug: read as 184.32 and 15.0); French decimals stay."""
    figs = find_figures("Les ventes ont atteint $184,320.00 et l'octroi est de $15,000, pour 1,900 membres. "
                        "Le taux est de 12,5 % et l'aide de 1,2 M$.")
    assert [f.value for f in figs] == [{"amount": 184320.0, "currency": "CAD"}, {"amount": 15000.0, "currency": "CAD"},
                                       1900, 12.5, {"amount": 1200000.0, "currency": "CAD"}]


def test_a_number_word_is_never_cut_from_the_next_one():
    """'deux cents.' is 200 or nothing, never a count of two 'cents' (a bug: 'on en dénombre deux cents.')."""
    assert [(f.text, f.value) for f in find_figures("On en dénombre environ deux cents.")] == [("deux cents", 200)]
    assert not [f for f in find_figures("Le timbre coûte deux cents.") if f.label == "COUNT"]


@pytest.mark.parametrize("sentence", [
    "Téléphone : 450 373-2222", "Bulletin no 2011", "La fondatrice a 20 ans.", "Pendant trois ans, elle a dirigé le CLD.",
    "sept", "Il y a sept ans.",
])
def test_not_dates(sentence):
    assert not [f for f in find_figures(sentence) if f.label == "DATE"]


def test_offsets_slice_the_text():
    text = "Le 8 avril 2011, 250 000 $ et 1,2 M$ ont été remis à 42 coopératives (15 %)."
    for f in find_figures(text):
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize("sentence,values", [
    ("Du 23 au 25 septembre 2010, 400 délégués se sont réunis.", ["2010-09-23", "2010-09-25"]),
    ("Le colloque aura lieu les 6 et 7 juin 2013 à Matane.", ["2013-06-06", "2013-06-07"]),
])
def test_day_ranges_give_both_days(sentence, values):
    assert [f.value for f in find_figures(sentence) if f.label == "DATE"] == values

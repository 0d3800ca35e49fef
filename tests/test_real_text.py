"""Constructions met in real French text written by others (regional weeklies, press releases, co-op
bodies' pages), each tested with sentences written for this test: what a miss on a real passage revealed,
as a rule with a positive and a negative case. The passages themselves are in ../shared/real and are
scored by bench/quality.py, never copied here."""
import pytest


def funding(out):
    return {(f["funder"], f["amount"], f["is_total"]) for f in out["funding"]}


def names(out, label):
    return {m["text"] for m in out["mentions"] if m["label"] == label}


def stats(out):
    return {(s["measure"], s["sector"], s["value"]) for s in out["coop_stats"]}


# ---------------------------------------------------------------- 1. funder stated once, amounts later
def test_funder_named_once_serves_the_amounts_after_it(extract):
    out = extract("La MRC de Kamouraska a remis 120 000 $ à des organismes de son territoire. La Maison des aînés "
                  "de Saint-Pascal recevra 15 000 $ par année pendant trois ans. Le Club de ski Mont-Bleu obtient "
                  "8 000 $ pour son chalet.")
    rows = funding(out)
    assert ("MRC de Kamouraska", 120000, True) in rows
    assert ("MRC de Kamouraska", 15000, False) in rows and ("MRC de Kamouraska", 8000, False) in rows
    period = {f["amount"]: f["period_years"] for f in out["funding"]}
    assert period[15000] == 3


def test_a_title_names_the_funder_of_the_body_s_amounts(extract):
    out = extract("La coopérative de Sainte-Luce reçoit une aide de Québec\n\nLa ministre a annoncé une aide "
                  "financière de 400 000 $ à la Coopérative agricole de Sainte-Luce. L'argent provient d'un prêt de "
                  "300 000 $ et d'une subvention de 100 000 $.")
    rows = funding(out)
    assert ("Québec", 300000, False) in rows and ("Québec", 100000, False) in rows
    assert ("Québec", 400000, True) in rows            # the sum of the two, from the one funder


def test_an_amount_whose_funder_nothing_names_is_no_funding_record(extract):
    out = extract("Les coopératives de la région ont redistribué 3 millions $ en dons et commandites.")
    assert out["funding"] == [] and 3000000 in {m["value"]["amount"] for m in out["mentions"] if m["label"] == "MONEY"}


# ---------------------------------------------------------------- 2. funders as subjects, enumerations
def test_givers_enumerated_with_the_verb_left_out(extract):
    out = extract("La Ville de Rimouski investit 2 M$ dans le projet, la Caisse Desjardins de Rimouski et la SADC "
                  "de la Neigette chacune 500 000 $, le CLD de Rimouski-Neigette injecte 250 000 $ et la "
                  "Fondation Ouellet 100 000 $.")
    rows = funding(out)
    assert rows >= {("Ville de Rimouski", 2000000, False), ("Caisse Desjardins de Rimouski", 500000, False),
                    ("SADC de la Neigette", 500000, False), ("Fondation Ouellet", 100000, False)}
    assert not any(f == "Ville de Rimouski" and a == 100000 for f, a, _ in rows)   # no inherited amount


def test_the_body_a_member_belongs_to_gives(extract):
    out = extract("Les élus du conseil municipal de Lac-Mégantic ont accordé une subvention de 40 000 $ à la "
                  "Coopérative de solidarité du Lac.")
    assert ("conseil municipal de Lac-Mégantic", 40000, False) in funding(out)


def test_a_fund_s_owner_and_a_programme_as_channel(extract):
    out = extract("Ces travaux sont financés à hauteur de 90 000 $ par le Fonds pour l'accessibilité de "
                  "Patrimoine canadien. La coopérative a aussi obtenu une subvention de 35 000 $ du Programme "
                  "d'aide aux entreprises d'économie sociale.")
    rows = funding(out)
    assert ("Patrimoine canadien", 90000, False) in rows
    assert ("Programme d'aide aux entreprises d'économie sociale", 35000, False) in rows
    assert "Programme d'aide aux entreprises d'économie sociale" not in names(out, "ORG")   # a channel, no body


def test_a_capital_standing_for_its_government(extract):
    out = extract("Québec accorde 1,2 M$ à trois coopératives de la Côte-Nord.")
    assert ("Québec", 1200000, True) in funding(out)
    out = extract("Le gouvernement du Québec accorde 75 000 $ à la Coopérative de Natashquan.")
    assert ("gouvernement du Québec", 75000, False) in funding(out)
    assert "Québec" not in names(out, "LOC")


# ---------------------------------------------------------------- 3. amounts that are not funding
@pytest.mark.parametrize("sentence", [
    "La coopérative affiche des revenus de 1 200 000 $ et des dépenses de 1 150 000 $.",
    "Le projet de 2,3 M$ sera réalisé l'an prochain grâce au soutien du CLD.",
    "Les membres ont voté une ristourne de 85 000 $ versée en parts privilégiées.",
    "Chaque organisme pourra recevoir jusqu'à 25 000 $ de la MRC.",
    "Le comité a reçu 40 demandes totalisant 600 000 $ de la part des organismes.",
    "La Coopérative de Baie-Johan-Beetz remet 60 000 $ à ses membres.",
])
def test_amounts_that_are_no_funding(extract, sentence):
    assert extract(sentence)["funding"] == []


def test_a_yearly_share_restating_a_grant_is_no_new_grant(extract):
    out = extract("Le conseil municipal de Rivière-Ouelle a accordé une subvention de 30 000 $ à la Coop de "
                  "Rivière-Ouelle. La municipalité versera cette somme sur trois ans, soit 10 000 $ par année.")
    assert {a for _, a, _ in funding(out)} == {30000}
    assert out["funding"][0]["period_years"] == 3      # the share times its years is the grant


def test_a_sum_since_a_date_is_no_grant(extract):
    out = extract("Depuis 2005, la Caisse Desjardins du Haut-Richelieu a versé plus de 3 millions $ aux organismes.")
    assert out["funding"] == []


def test_the_same_grant_restated_is_one_record(extract):
    out = extract("La MRC de Bellechasse remet 80 000 $ à la Coopérative de Saint-Damien.\n\n"
                  "Lors de sa séance, la MRC de Bellechasse a confirmé une aide de 80 000 $ à la coopérative.")
    rows = [f for f in out["funding"] if f["amount"] == 80000]
    assert len(rows) == 1 and rows[0]["also_stated"]


# ---------------------------------------------------------------- 4. totals, recipients, periods
def test_totals_from_cues_counted_recipients_and_sums(extract):
    out = extract("Le ministère de l'Économie accorde 450 000 $ à six coopératives de la région.")
    assert ("ministère de l'Économie", 450000, True) in funding(out)
    out = extract("Développement économique Canada verse 200 000 $ aux entreprises collectives de l'Estrie.")
    assert ("Développement économique Canada", 200000, False) in funding(out)     # a class, not a count
    out = extract("Au total, l'aide publique atteint 700 000 $. Investissement Québec prête 400 000 $ et la "
                  "Caisse Desjardins de Granby accorde 300 000 $.")
    assert (None, 700000, True) in funding(out)


def test_a_recipient_named_by_a_list_item(extract):
    out = extract("La Fondation Marcelle-Dion remet 30 000 $ aux organismes suivants :\n\n"
                  "– Coopérative de solidarité de Val-des-Bois : achat d'un camion réfrigéré. 18 000 $\n\n"
                  "– Maison des jeunes de Thurso : rénovation de la cuisine. 12 000 $")
    rec = {f["amount"]: (f["funder"], f["recipient"]) for f in out["funding"]}
    assert rec[18000] == ("Fondation Marcelle-Dion", "Coopérative de solidarité de Val-des-Bois")
    assert rec[12000][0] == "Fondation Marcelle-Dion"


# ---------------------------------------------------------------- 5. organisation spans
def test_an_acronym_with_its_territory_is_one_body(extract):
    out = extract("La Coopérative de développement régional – Outaouais (CDR-Outaouais) tient son forum. "
                  "La CDR-Outaouais y présentera son bilan.")
    orgs = {o["name"]: o for o in out["organizations"]}
    assert "Coopérative de développement régional – Outaouais" in orgs
    assert orgs["Coopérative de développement régional – Outaouais"]["acronym"] == "CDR-Outaouais"


def test_a_minister_s_portfolio_is_no_body_or_place(extract):
    out = extract("Le ministre du Travail, de l'Emploi et de la Solidarité sociale, M. Jean Boulet, a parlé.")
    assert not names(out, "ORG") & {"Travail", "Emploi", "Solidarité sociale"}
    assert not names(out, "LOC")


@pytest.mark.parametrize("sentence,not_org", [
    ("Le 14e Forum régional de l'économie sociale aura lieu à Joliette.", "Forum régional de l'économie sociale"),
    ("La Coopérative de l'année a été dévoilée au gala.", "Coopérative de l'année"),
    ("Le conseil d'administration de la Coopérative Les Trois Rivières s'est réuni.", "conseil d'administration de la Coopérative"),
])
def test_events_awards_and_organs_are_no_bodies(extract, sentence, not_org):
    orgs = names(extract(sentence), "ORG")
    assert not any(o.startswith(not_org) for o in orgs), orgs


def test_local_bodies_written_in_lower_case_with_their_place(extract):
    out = extract("Les élus du conseil municipal de Saint-Fabien ont adopté le budget.")
    assert "conseil municipal de Saint-Fabien" in names(out, "ORG")
    out = extract("Elle a fondé une coopérative de Sainte-Flavie avec ses voisins.")
    assert not any("coopérative de Sainte-Flavie" in o for o in names(out, "ORG"))


def test_a_people_is_no_place_but_a_place_in_the_plural_is(extract):
    out = extract("Les Beaucerons et les Gaspésiennes ont rencontré des délégués venus des États-Unis et de Morlaix.")
    assert names(out, "LOC") >= {"États-Unis", "Morlaix"}
    assert not names(out, "LOC") & {"Beaucerons", "Gaspésiennes"}


@pytest.mark.parametrize("text,place,kept", [
    ("Le cours des oignons baisse. Morlaix, 23 juillet. Les expéditions reprennent.", "Morlaix", True),
    ("La coopérative exporte son sirop vers les Etats-Unis.", "Etats-Unis", True),
    ("Les délégués venus de Morlaix ont voté.", "Morlaix", True),
    ("Les Beaucerons ont voté.", "Beaucerons", False),
])
def test_a_place_the_tagger_reads_as_a_plural_noun(text, place, kept):
    """On OCR'd newspapers the tagger often reads a place ending in -s or -x as a common noun; that
    alone made it a people ('les Acadiens') and the model's place was dropped (a bug: Europeana's
    'Morlaix', 'Etats-Unis'). Only a plural article before it makes it a people."""
    from dataclasses import replace
    from pipeline.nlp import figures_on_tokens
    from pipeline.nlp.entities import resolve
    from pipeline.nlp.model import parse_texts
    parsed = parse_texts([text])[0]
    tokens = [replace(t, pos="NOUN") if t.text == place else t for t in parsed.tokens]
    res = resolve(text, tokens, parsed.sentences, parsed.model_entities, parsed.cues,
                  figures_on_tokens(text, tokens, None))
    assert (place in {p.text for p in res.places}) is kept


def test_a_dateline_s_place_and_agency(extract):
    out = extract("SHERBROOKE, QC, le 4 mai 2023 /CNW/ - La Coopérative de solidarité de Fleurimont ouvre ses "
                  "portes.")
    assert {"SHERBROOKE", "QC"} <= names(out, "LOC") and "CNW" in names(out, "ORG")
    assert "VHSL" not in names(extract("Un mot du pôle.\n\nVHSL. Cette entente est signée."), "LOC")


# ---------------------------------------------------------------- 6. co-operatives
@pytest.mark.parametrize("sentence,coop", [
    ("La Société coopérative agricole de Sainte-Rosalie fête ses cent ans.", "Société coopérative agricole de Sainte-Rosalie"),
    ("Les plus vieilles coopératives de la région sont bien connues, soit la Caisse Desjardins de Mont-Joli "
     "et la Boulangerie Leclerc.", "Boulangerie Leclerc"),
    ("Boréalis, une coopérative de Sept-Îles, embauche des jeunes.", "Boréalis"),
])
def test_co_operatives_the_text_calls_so(extract, sentence, coop):
    assert coop in {o["name"] for o in extract(sentence)["organizations"] if o["kind"] == "cooperative"}


@pytest.mark.parametrize("sentence", [
    "Ensuite, une coopérative de Sept-Îles a embauché des jeunes.",      # a French word opening the sentence
    "À Baie-Comeau, une coopérative a embauché des jeunes.",             # a place
    "Marie Tremblay, une fondatrice de la coop, a embauché des jeunes.",  # no body noun in apposition
])
def test_no_body_in_apposition(extract, sentence):
    assert not [o for o in extract(sentence)["organizations"] if o["kind"] == "cooperative"]


def test_an_acronym_and_its_territory_after_de_la(extract):
    out = extract("La SADC de la Matawinie et la SADC de la région ont signé.")
    assert "SADC de la Matawinie" in names(out, "ORG")
    assert not any(o.startswith("SADC de la région") for o in names(out, "ORG"))


def test_networks_of_co_operatives_are_not_co_operatives(extract):
    out = extract("La Fédération des coopératives de l'Acadie et Coopératives et mutuelles Canada ont signé.")
    assert not [o for o in out["organizations"] if o["kind"] == "cooperative"]


# ---------------------------------------------------------------- 7. statistics: aggregates only
def test_one_co_op_s_members_and_staff_are_no_statistics(extract):
    assert extract("Comptant 250 membres, la coopérative emploie 12 personnes.")["coop_stats"] == []
    out = extract("Les coopératives de la Matapédia comptent 9 000 membres et emploient 400 personnes.")
    assert {("members", None, 9000), ("jobs", None, 400)} <= stats(out)


def test_supported_co_ops_averages_and_size_classes_are_no_statistics(extract):
    assert extract("Le CQCM accompagnera environ 40 coopératives l'an prochain.")["coop_stats"] == []
    out = extract("Les coopératives de la région emploient 600 salariés. La plus petite a 3 salariés.")
    assert stats(out) == {("jobs", None, 600)}


def test_new_co_ops_and_kinds_written_as_acronyms(extract):
    out = extract("Cette année a vu la mise en opération de 6 coopératives dans la région.")
    assert stats(out) == {("new_cooperatives", None, 6)}
    out = extract("Les coopératives jeunesse de services (CJS) se multiplient : 14 CJS étaient actives cet été.")
    assert ("cooperatives", "jeunesse de services", 14) in stats(out)
    assert "CJS" not in names(out, "ORG")


def test_counts_without_a_noun_take_the_co_ops_of_the_sentence(extract):
    out = extract("Les coopératives d'habitation de la ville sont au nombre de 27.")
    assert ("cooperatives", "habitation", 27) in stats(out)
    out = extract("Les coopératives de travailleurs se portent bien. On en compte environ quatre-vingts au Québec.")
    assert ("cooperatives", "travailleurs", 80) in stats(out)


# ---------------------------------------------------------------- 8. people
def test_a_person_named_again_is_the_same_person(extract):
    out = extract("Mme Sylvie Gagnon, présidente de la coopérative, a pris la parole. « Nous sommes fiers », a dit "
                  "Mme Gagnon. Gagnon a ensuite remercié les bénévoles.")
    assert [p["name"] for p in out["people"]] == ["Sylvie Gagnon"]
    assert names(out, "PER") == {"Sylvie Gagnon"}


def test_one_word_after_a_preposition_of_place_is_a_place(extract):
    out = extract("Le comité a ouvert un bureau à Bathurst l'an dernier.")
    assert "Bathurst" in names(out, "LOC") and "Bathurst" not in names(out, "PER")


def test_peoples_and_directions_are_no_places(extract):
    out = extract("Le projet rassemble les Acadiens et les Brayons du Nord-Ouest de la province.")
    assert not names(out, "LOC") & {"Acadiens", "Brayons", "Nord-Ouest"}


# ---------------------------------------------------------------- figures
def test_money_and_counts_with_scale_words_and_dates_after_an_edition(extract):
    out = extract("L'édition 2019 a réuni des coopératives qui génèrent 12 milliards de chiffre d'affaires, "
                  "comptent 2,1 millions de membres et ont reçu un million $ de Québec.")
    assert {m["value"]["amount"] for m in out["mentions"] if m["label"] == "MONEY"} == {12e9, 1e6}
    assert ("members", None, 2100000) in stats(out)
    assert "2019" in {m["value"] for m in out["mentions"] if m["label"] == "DATE"}


def test_a_date_without_its_year_has_no_value_but_a_resolved_date(extract):
    out = extract("L'assemblée a eu lieu le 14 novembre dernier à Lévis.", "2022-12-01")
    (d,) = [m for m in out["mentions"] if m["label"] == "DATE"]
    assert d["value"] is None and d["resolved"] == "2022-11-14"


def test_every_record_has_a_confidence(extract):
    from pipeline.records import names as record_types
    out = extract("La Coopérative de Saint-Ulric a reçu 25 000 $ de la Caisse Desjardins de la Matanie le 3 mai "
                  "2022. Mme Julie Roy, présidente, et les 30 coopératives de la région comptent 2 000 membres.")
    recs = [r for t in record_types() for r in out[t]]
    assert recs and all(0 < r["confidence"] <= 1 for r in recs)


# ---------------------------------------------------------------- 9. from a second set written blind
# (passages written for the project by someone who had not seen the rules; each miss is tested here with
# sentences of our own)
@pytest.mark.parametrize("text,coop", [
    ("Le ministère accorde 300 000 $ à Nordika, une coopérative de travailleurs de Baie-Comeau.", "Nordika"),
    ("Les projets retenus :\n\n- Fromagerie Lavoie, une coopérative de producteurs, reçoit 40 000 $.", "Fromagerie Lavoie"),
])
def test_a_body_in_apposition_after_a_preposition_or_a_dash(extract, text, coop):
    assert coop in {o["name"] for o in extract(text)["organizations"] if o["kind"] == "cooperative"}


def test_the_co_operative_taken_up_is_the_one_named_before(extract):
    out = extract("La Coopérative d'habitation du Vieux-Port construit 30 logements. La Fondation Rivard y a versé "
                  "10 000 $. La présidente de la coopérative, Lucie Roy, est ravie.")
    coops = {o["name"] for o in out["organizations"] if o["kind"] == "cooperative"}
    assert coops == {"Coopérative d'habitation du Vieux-Port"}


def test_unions_and_groupings_of_co_operatives_are_networks(extract):
    out = extract("L'Union régionale des Scop de Bretagne et le Regroupement des coopératives d'habitation de "
                  "l'Estrie ont signé une entente.")
    assert not [o for o in out["organizations"] if o["kind"] == "cooperative"]


@pytest.mark.parametrize("text,name,not_name", [
    ("L'union anime avec la Région Bretagne le dispositif « Reprendre ».", "Région Bretagne", "Région Bretagne le dispositif"),
    ("Elle espère une réponse de la MRC d'ici l'automne.", None, "MRC d'ici l'automne"),
    ("Le Centre culturel et sportif de Caraquet obtient 75 000 $.", "Centre culturel et sportif de Caraquet", "Centre culturel"),
    ("Le Centre d'art et de culture de Percé ouvre ses portes.", "Centre d'art et de culture de Percé", "Centre d'art"),
])
def test_where_a_name_ends(extract, text, name, not_name):
    orgs = names(extract(text), "ORG")
    assert not_name not in orgs
    if name:
        assert name in orgs


def test_a_body_written_in_lower_case_with_its_place_is_the_one_named_before(extract):
    out = extract("La Coopérative des pêcheurs de Miscou Ltée reçoit 90 000 $. La province ajoute 20 000 $ au "
                  "projet de la coopérative de Miscou.")
    assert "coopérative de Miscou" not in names(out, "ORG")
    (coop,) = [o for o in out["organizations"] if o["kind"] == "cooperative"]
    assert "coopérative de Miscou" in coop["aliases"]


def test_a_list_item_label_is_no_place(extract):
    out = extract("Répartition par secteur\n\n- Habitation : 26 coopératives\n\n- Foresterie : 12 coopératives")
    assert not names(out, "LOC") & {"Habitation", "Foresterie"}


def test_a_statement_without_an_amount_names_the_funder_of_a_list(extract):
    out = extract("Le conseil de la MRC de Kamouraska a approuvé le financement de trois projets. Une enveloppe "
                  "de 60 000 $ est attribuée aux organismes suivants :\n\n"
                  "• Coopérative de solidarité de Saint-Onésime, pour l'achat d'un camion : 25 000 $\n\n"
                  "• Club des 50 ans de Mont-Carmel, pour la rénovation de sa salle : 20 000 $\n\n"
                  "• Maison de la famille du Kamouraska, pour l'achat de jeux : 15 000 $\n\n"
                  "L'aide ne peut dépasser 30 000 $ par projet.")
    rows = funding(out)
    assert ("MRC de Kamouraska", 60000, True) in rows                       # the organ's body; the sum of the items
    assert {("MRC de Kamouraska", a, False) for a in (25000, 20000, 15000)} <= rows   # 'pour l'achat' is a purpose
    assert 30000 not in {a for _, a, _ in rows}                            # a cap, per project


def test_the_council_of_a_municipal_bulletin_is_the_municipality(extract):
    out = extract("Municipalité de Saint-Élzéar\n\nSéance du 3 avril 2023\n\nLe conseil a adopté une résolution "
                  "accordant une aide financière de 8 000 $ à la Coopérative de solidarité de Saint-Élzéar. La "
                  "somme sera versée en deux versements de 4 000 $. Octroi d'un contrat de 31 500 $ à Pavage "
                  "Nadeau inc. pour le rang 3.")
    assert funding(out) == {("Municipalité de Saint-Élzéar", 8000, False)}   # no instalment, no contract
    assert "Octroi" not in names(extract("Le conseil a voté. Octroi d'un contrat de 31 500 $."), "ORG")


@pytest.mark.parametrize("text,funder,amount", [
    ("La Fondation Lemieux a, pour sa part, remis 12 000 $ pour le jardin.", "Fondation Lemieux", 12000),
    ("Le ministère verse 50 000 $ et la Caisse Desjardins de Causapscal consentira un prêt de 80 000 $ à la "
     "coopérative.", "Caisse Desjardins de Causapscal", 80000),
])
def test_funders_as_subjects_the_parser_reads_oddly(extract, text, funder, amount):
    assert (funder, amount, False) in funding(extract(text))


def test_a_project_s_total_investment_is_no_funding_total(extract):
    out = extract("Développement économique Canada accorde 400 000 $ à la Coopérative de Gros-Morne. Le projet "
                  "représente un investissement total de 1,1 million $.")
    assert {a for _, a, _ in funding(out)} == {400000}


def test_counts_of_kinds_and_labelled_items(extract):
    out = extract("Les Scop et Scic sont près de 900 dans la région (700 Scop et 200 Scic). Une Scop sur 4 est "
                  "une entreprise de services.")
    assert ("cooperatives", None, 900) in stats(out) and not {v for _, _, v in stats(out)} & {4}
    out = extract("Les coopératives de la région en chiffres\n\n- Pêche et aquaculture : 12 coopératives, "
                  "410 emplois\n\n- Habitation : 26 coopératives")
    assert {("cooperatives", "pêche et aquaculture", 12), ("jobs", "pêche et aquaculture", 410),
            ("cooperatives", "habitation", 26)} <= stats(out)


# ---------------------------------------------------------------- 10. names of one body, written several ways
def test_a_legal_form_at_the_end_does_not_make_a_second_body(extract):
    out = extract("La Coopérative agricole de Rivière-Bleue Limitée tient son assemblée. Fondée en 1948, la "
                  "Coopérative agricole de Rivière-Bleue compte 300 membres.")
    coops = [o for o in out["organizations"] if o["kind"] == "cooperative"]
    assert len(coops) == 1
    out = extract("La Coopérative agricole de Rivière-Bleue et la Coopérative agricole de Dégelis tiennent leur "
                  "assemblée.")
    assert len([o for o in out["organizations"] if o["kind"] == "cooperative"]) == 2   # two places, two bodies


def test_an_acronym_with_its_territory_in_parentheses(extract):
    out = extract("La Coopérative de développement régional des Laurentides (CDR Laurentides) a accompagné dix "
                  "projets. La CDR Laurentides offre aussi des formations, et la CDR organise un forum.")
    (cdr,) = [o for o in out["organizations"] if o["name"].startswith("Coopérative de développement régional")]
    assert cdr["acronym"] == "CDR Laurentides"
    assert len([o for o in out["organizations"] if "CDR" in o["name"]]) == 0     # no second body for 'la CDR'
    out = extract("Le Conseil québécois (voir le tableau) a tenu une réunion.")
    assert "tableau" not in " ".join(names(out, "ORG"))                           # words in parentheses, no acronym


def test_a_noun_after_an_adverb_of_degree_is_an_adjective(extract):
    assert not names(extract("Le Bas-Saint-Laurent est la région la plus coopérative du Québec."), "ORG")
    assert "Coopérative du Québec" in names(extract("Il travaille à la Coopérative du Québec."), "ORG")


def test_a_hyphenated_name_in_apposition(extract):
    out = extract("La MRC accorde 20 000 $ à Val-d'Espoir, une coopérative de producteurs de la Matapédia.")
    assert "Val-d'Espoir" in {o["name"] for o in out["organizations"] if o["kind"] == "cooperative"}
    out = extract("La MRC accorde 20 000 $ à Val-d'Espoir, une municipalité de la Matapédia.")
    assert not [o for o in out["organizations"] if o["kind"] == "cooperative"]


# ---------------------------------------------------------------- 11. counts that take up the co-operatives named before
def test_counts_with_the_pronoun_en_take_up_the_co_operatives_named_before(extract):
    out = extract("Les coopératives d'habitation se multiplient. On en dénombre aujourd'hui près de trois cent "
                  "vingt au Québec, qui logent quelque cinq mille familles. La Mauricie en compte à elle seule une "
                  "quarantaine, et douze nouvelles y ont été créées l'an dernier.")
    assert {("cooperatives", "habitation", 320), ("cooperatives", "habitation", 40),
            ("new_cooperatives", "habitation", 12)} <= stats(out)
    out = extract("Les bénévoles se multiplient. La Mauricie en compte à elle seule une quarantaine.")
    assert stats(out) == set()                                  # nothing about co-operatives before


def test_the_jobs_of_co_operatives_counted_by_pronoun_have_their_sector(extract):
    out = extract("Les coopératives de travail ont fait du chemin. On en compte 200 au Québec, qui emploient "
                  "quelque 4 000 travailleurs.")
    assert ("jobs", "travail", 4000) in stats(out)


def test_a_common_noun_before_the_adjective_cooperative_opens_the_name(extract):
    out = extract("À Amqui, l'Épicerie coopérative du Vallon fête ses dix ans.")
    assert {o["name"] for o in out["organizations"] if o["kind"] == "cooperative"} == {"Épicerie coopérative du Vallon"}
    out = extract("Il a été élu dans le Groupe Coopérative du Secteur 3.")
    assert not [o for o in out["organizations"] if o["kind"] == "cooperative"]   # a capital: a group's name


# ---------------------------------------------------------------- 12. from a third set written blind
def test_a_paragraph_opening_with_a_body_and_a_colon_names_the_recipient(extract):
    out = extract("Québec accorde 500 000 $ à deux entreprises collectives de l'Estrie.\n\n"
                  "Boulangerie Le Pétrin, coopérative de travail (Magog) : 300 000 $ pour un nouveau four.\n\n"
                  "La Friperie du Quartier (Sherbrooke) : 200 000 $, versés sur deux ans, pour son local.\n\n"
                  "Coût total des projets : 1,4 M$.")
    rows = {(f["funder"], f["recipient"], f["amount"]) for f in out["funding"]}
    assert ("Québec", "Boulangerie Le Pétrin", 300000) in rows and ("Québec", "Friperie du Quartier", 200000) in rows
    assert 1400000 not in {a for _, _, a in rows}                     # a cost, whatever its label


def test_a_list_item_s_label_is_its_recipient_not_a_giver(extract):
    out = extract("La Fondation Gagnon a soutenu trois projets en 2024 :\n"
                  "- Coopérative de solidarité de Tring : 12 000 $ pour un local.\n"
                  "- Club de patinage de Beauceville : 4 000 $ pour des costumes.")
    rows = {(f["funder"], f["recipient"], f["amount"]) for f in out["funding"]}
    assert rows >= {("Fondation Gagnon", "Coopérative de solidarité de Tring", 12000),
                    ("Fondation Gagnon", "Club de patinage de Beauceville", 4000)}


def test_a_giving_body_taken_up_in_lower_case(extract):
    out = extract("Caisse Desjardins du Lac-Etchemin\n\nEn 2023, votre caisse a remis 250 000 $ au Club de ski. "
                  "La caisse a aussi versé 5 000 $ au Club de golf.")
    assert {f["funder"] for f in out["funding"]} == {"Caisse Desjardins du Lac-Etchemin"}
    out = extract("La Caisse Desjardins de Lévis et la Caisse Desjardins de Bellechasse fusionnent. La caisse a "
                  "versé 5 000 $ au Club de golf.")
    assert "Caisse Desjardins de Lévis" not in {f["funder"] for f in out["funding"]}   # which one: nobody knows


def test_a_masthead_body_gives_what_its_page_lists(extract):
    page = "\n\nProjets appuyés cette année\n- Maison des jeunes de Tring : 8 000 $ pour un camp.\n" \
           "- Club de l'âge d'or de Tring : 2 000 $ pour des sorties."
    out = extract("Fondation communautaire de la Beauce" + page)
    assert {f["funder"] for f in out["funding"]} == {"Fondation communautaire de la Beauce"}
    out = extract("Coopérative de solidarité de Tring" + page)                  # a co-operative receives
    assert "Coopérative de solidarité de Tring" not in {f["funder"] for f in out["funding"]}


def test_a_kind_named_after_the_amount_with_en(extract):
    out = extract("Caisse Desjardins de Tring\n\nLa caisse a retourné 1 000 000 $ à ses membres et à la "
                  "collectivité : 700 000 $ en ristournes, et 300 000 $ en dons et commandites.")
    amounts = {f["amount"] for f in out["funding"]}
    assert 700000 not in amounts and 300000 in amounts


def test_minutes_of_a_municipal_council(extract):
    out = extract("PROCÈS-VERBAL de la séance du conseil municipal de Saint-Odilon, tenue le 3 mars 2025.\n\n"
                  "QUE le conseil accorde une aide financière de 4 000 $ au Club de l'âge d'or de Saint-Odilon;\n"
                  "QUE les comptes à payer du mois de février, totalisant 98 412,17 $, soient approuvés.")
    rows = {(f["funder"], f["amount"]) for f in out["funding"]}
    assert rows == {("conseil municipal de Saint-Odilon", 4000)}


def test_the_source_a_verb_of_receiving_names_before_the_amount(extract):
    out = extract("En 1968, la coopérative obtient de la Société de développement du Témiscouata un prêt de "
                  "90 000 $ pour son usine.")
    assert {(f["funder"], f["amount"]) for f in out["funding"]} == {("Société de développement du Témiscouata", 90000)}
    out = extract("En 1968, la coopérative obtient un prêt de 90 000 $ pour l'usine de la Société de développement.")
    assert "Société de développement" not in {f["funder"] for f in out["funding"]}


def test_a_name_then_what_it_is_without_an_article(extract):
    out = extract("• Les Serres du Ruisseau, coopérative de producteurs (Val-des-Bois) – une serre. Desjardins verse "
                  "35 000 $.")
    assert "Serres du Ruisseau" in {o["name"] for o in out["organizations"] if o["kind"] == "cooperative"}
    out = extract("À Magog, coopérative ou pas, tout le monde participe.")
    assert not out["organizations"]


def test_a_name_after_what_it_is_in_lower_case(extract):
    out = extract("Demain, la coopérative agricole Les Producteurs réunis de Hatley présentera son virage.")
    assert {o["name"] for o in out["organizations"] if o["kind"] == "cooperative"} == {"Producteurs réunis de Hatley"}
    out = extract("La coopérative de Compton ouvre. Il visite la coopérative. Les Gagnon arrivent.")
    assert "Gagnon" not in " ".join(o["name"] for o in out["organizations"])


def test_a_short_coop_name_with_its_place_is_the_co_operative_named_so(extract):
    out = extract("La Coopérative de solidarité du Lac-Noir tient son AGA. La Coop du Lac-Noir compte 300 membres.")
    assert [(o["name"], o["aliases"]) for o in out["organizations"]] == \
        [("Coopérative de solidarité du Lac-Noir", ["Coop du Lac-Noir"])]
    out = extract("La Coopérative de solidarité du Lac-Noir et la Coopérative funéraire du Lac-Noir. La Coop du "
                  "Lac-Noir compte 300 membres.")
    assert len(out["organizations"]) == 3                              # which one: nobody knows


@pytest.mark.parametrize("text,name", [
    ("QUE le conseil appuie la demande déposée par la Coopérative auprès de la MRC de Montmagny.", "MRC de Montmagny"),
    ("La Coop des Travailleurs forestiers de Senneterre en compte 40.", "Coop des Travailleurs forestiers de Senneterre"),
])
def test_a_name_ends_before_an_adverb_or_a_pronoun_and_its_verb(extract, text, name):
    orgs = names(extract(text), "ORG")
    assert name in orgs and not any(o.endswith(("Montmagny", "compte")) and o != name for o in orgs)


def test_closed_co_operatives_and_one_body_s_people_are_no_statistics(extract):
    out = extract("Sept nouvelles coopératives ont été constituées en 2024. À l'opposé, quatre coopératives "
                  "d'habitation ont été dissoutes.")
    assert stats(out) == {("new_cooperatives", None, 7)}
    out = extract("Les coopératives forestières sont nombreuses. La Coopérative forestière de Val-Paradis emploie "
                  "410 personnes, et la Coop des Débroussailleurs de Joutel en compte 95.")
    assert stats(out) == set()
    out = extract("Les coopératives forestières sont nombreuses. Ensemble, elles emploient 1 200 personnes.")
    assert ("jobs", "foresterie", 1200) in stats(out)          # theirs: the sector of the co-operatives 'elles' are


def test_one_co_operative_of_a_kind_is_no_plural(extract):
    out = extract("Le café est devenu une société coopérative d'intérêt collectif (Scic). Avec la Scic, il "
                  "appartient à tous, dit la gérante, l'une des deux salariées.")
    assert stats(out) == set()
    out = extract("La région comptait quelque 480 Scop et Scic, qui employaient 6 100 salariés.")
    assert {("cooperatives", None, 480), ("jobs", None, 6100)} <= stats(out)


def test_the_people_of_counted_co_operatives_have_their_sector(extract):
    out = extract("Rappelons que les 27 coopératives agricoles du comté groupent aujourd'hui 3 900 sociétaires.")
    assert {("cooperatives", "agriculture", 27), ("members", "agriculture", 3900)} <= stats(out)


def test_a_list_label_that_names_no_body_is_no_recipient(extract):
    out = extract("La Fondation Gagnon a soutenu deux projets.\n- Capital social : 48 000 $\n- Centraide : 2 000 $\n"
                  "- Maison des jeunes de Tring : 8 000 $ pour un camp.")
    rows = {(f["recipient"], f["amount"]) for f in out["funding"]}
    assert ("Centraide", 2000) in rows and ("Maison des jeunes de Tring", 8000) in rows
    assert 48000 not in {a for _, a in rows}


# ---------------------------------------------------------------- 13. from a fourth set written blind
def test_respectively_pairs_each_giver_with_its_amount(extract):
    out = extract("La Caisse Desjardins de Matane, la Ville de Matane et la SADC de la Matanie y versent "
                  "respectivement 12 000 $, 8 000 $ et 5 000 $ pour agrandir l'épicerie de la Coopérative de "
                  "solidarité du Phare.")
    rows = funding(out)
    assert {("Caisse Desjardins de Matane", 12000, False), ("Ville de Matane", 8000, False),
            ("SADC de la Matanie", 5000, False)} <= rows
    # as many givers as amounts only: two givers and three amounts are left as read
    out = extract("La Caisse Desjardins de Matane et la Ville de Matane ont versé respectivement 5 000 $, 3 000 $ "
                  "et 2 000 $ à la Coopérative de solidarité du Phare.")
    assert ("Ville de Matane", 3000, False) not in funding(out)


def test_a_giver_whose_verb_is_left_out_after_a_comma_gives_its_amount(extract):
    out = extract("Pour la saison, la Caisse Desjardins de Rimouski a remis 2 000 $ à la coopérative, la Ville de "
                  "Rimouski, 1 200 $, et le Club Optimiste de Rimouski, 400 $.")
    rows = funding(out)
    assert {("Caisse Desjardins de Rimouski", 2000, False), ("Ville de Rimouski", 1200, False),
            ("Club Optimiste de Rimouski", 400, False)} <= rows
    # a body before a comma that opens the sentence gives nothing
    out = extract("Selon la Coopérative de développement régional du Bas-Saint-Laurent, 45 000 $ ont été investis "
                  "dans la salle.")
    assert not any(f["funder"] for f in out["funding"])


def test_a_body_s_own_name_after_its_kind_and_acronym(extract):
    out = extract("Cet été, la Coopérative jeunesse de services (CJS) Les Abeilles de Baie-Comeau a embauché douze "
                  "adolescents. Le Groupe de ressources techniques (GRT) Habitat nordique accompagne le projet.")
    orgs = {o["name"] for o in out["organizations"]}
    assert "Coopérative jeunesse de services Les Abeilles de Baie-Comeau" in orgs
    assert "Groupe de ressources techniques Habitat nordique" in orgs
    assert not orgs & {"Coopérative jeunesse de services", "Groupe de ressources techniques"}
    # a territory after the acronym, a verb, or the next sentence are no name of its own
    out = extract("Le Centre local de développement (CLD) Lac-Saint-Jean-Est a appuyé le projet. La Coopérative "
                  "jeunesse de services (CJS). Cet été, douze jeunes y ont travaillé.")
    orgs = {o["name"] for o in out["organizations"]}
    assert not any("Cet" in o for o in orgs)
    out2 = extract("La Coopérative jeunesse de services (CJS)\nCet été, douze jeunes y ont travaillé.")
    assert {o["name"] for o in out2["organizations"]} == {"Coopérative jeunesse de services"}   # a new line's capital
    assert "Lac-Saint-Jean-Est" in {p["name"] for p in out.get("places", [])} | names(out, "LOC")


def test_new_co_operatives_enumerated_by_sector(extract):
    out = extract("Onze nouvelles coopératives ont vu le jour en 2023, dont quatre dans l'alimentation.")
    assert {("new_cooperatives", None, 11), ("new_cooperatives", "alimentation", 4)} <= stats(out)
    # a town is no sector
    out = extract("Onze nouvelles coopératives ont vu le jour en 2023, dont quatre à Rimouski.")
    assert stats(out) == {("new_cooperatives", None, 11)}


def test_counts_with_en_and_a_verb_of_holding_and_their_contrast(extract):
    out = extract("Les coopératives sont nombreuses dans l'Est. Le Bas-Saint-Laurent en accueille 187, contre 125 "
                  "pour la Gaspésie.")
    assert {("cooperatives", None, 187), ("cooperatives", None, 125)} <= stats(out)
    # a decimal after the verb counts nothing
    out = extract("Les coopératives sont nombreuses. La région en compte 1,5 fois plus qu'en 2010.")
    assert stats(out) == set()


def test_a_kind_of_co_operative_named_once_in_the_singular_then_counted_by_its_acronym(extract):
    out = extract("La Coopérative jeunesse de services (CJS) Les Abeilles de Baie-Comeau a ouvert. Cet été, 18 CJS "
                  "ont embauché 240 jeunes dans la région.")
    assert ("cooperatives", "jeunesse de services", 18) in stats(out)
    # an acronym the text never defined, or one of a kind of body that is no co-operative, counts nothing
    assert stats(extract("Cet été, 18 CJS ont embauché 240 jeunes dans la région.")) == set()
    assert stats(extract("Le Groupe de ressources techniques (GRT) Habitat nordique accompagne le projet. Cette "
                         "année, 12 GRT ont livré 300 logements.")) == set()


def test_producers_of_counted_co_operatives_are_their_members(extract):
    out = extract("Les 14 coopératives agricoles regroupent 2 300 producteurs.")
    assert ("members", "agriculture", 2300) in stats(out)
    out = extract("La fromagerie achète le lait de 40 producteurs de la région.")
    assert stats(out) == set()


def test_a_sector_that_is_the_subject_of_a_ranking_sentence(extract):
    out = extract("L'agriculture demeure le premier secteur avec 64 coopératives.")
    assert stats(out) == {("cooperatives", "agriculture", 64)}
    out = extract("La région vient en tête avec 52 coopératives.")
    assert stats(out) == {("cooperatives", None, 52)}


def test_a_giver_named_with_its_acronym_before_qui(extract):
    out = extract("Le projet est soutenu par le programme Rénovation Québec de la Société d'habitation du Québec "
                  "(SHQ), qui y injecte 850 000 $.")
    assert {f["funder"] for f in out["funding"] if f["amount"] == 850000} & {"SHQ", "Société d'habitation du Québec"}
    # 'qui' after a person is no body's
    out = extract("Le projet est présenté par Julie Tremblay, qui y consacre 850 000 $ de ses économies.")
    assert out["funding"] == []


def test_la_cooperative_never_takes_up_a_municipal_council(extract):
    out = extract("Le conseil municipal de Saint-Ulric a accordé 7 500 $ à la coopérative.")
    kinds = {o["name"]: o["kind"] for o in out["organizations"]}
    assert kinds.get("conseil municipal de Saint-Ulric") == "government"
    # a body its name does not say public is the one 'la coopérative' takes up
    out = extract("Le Marché Godefroy, à Matane, a ouvert en mai. La coopérative emploie six personnes.")
    assert {o["name"]: o["kind"] for o in out["organizations"]}.get("Marché Godefroy") == "cooperative"


def test_a_common_word_heading_a_line_or_a_quoted_title_is_no_place(extract):
    out = extract("Programme du colloque\n\n« Coopérer autrement, ici et maintenant »\n\nAtelier « Financer la relève »\n\n"
                  "Les ateliers auront lieu à Rimouski.")
    assert names(out, "LOC") == {"Rimouski"}
    # a town heading a line is still a place
    out = extract("Matane\n\nLa coopérative de pêcheurs ouvre sa poissonnerie le 3 mai.")
    assert "Matane" in names(out, "LOC")


def test_a_hyphenated_brand_of_common_words_is_no_place(extract):
    out = extract("La Coopérative de travailleurs Métal-Vert a pris possession de l'usine.")
    assert names(out, "LOC") == set()
    # place words, a particle inside or a known place keep a compound a place
    out = extract("La Coopérative de services Cap-Chat, la Caisse de Métis-sur-Mer et la Coopérative de développement "
                  "régional Outaouais-Laurentides.")
    assert {"Cap-Chat", "Métis-sur-Mer", "Outaouais-Laurentides"} <= names(out, "LOC")


def test_a_board_list_reads_one_line_per_role(extract):
    out = extract("Conseil d'administration\nVice-présidente : Nancy Ouellet, pharmacienne, Dégelis\n"
                  "– Jean Caron, administrateur désigné par la MRC de La Mitis\n"
                  "Trésorière : Lise Caron, représentante désignée par la MRC de Matawinie\n"
                  "Directeur général (sans droit de vote) : Paul Roy\n")
    assert {o["name"] for o in out["organizations"]} == {"MRC de Matawinie", "MRC de La Mitis"}
    assert {"Nancy Ouellet", "Lise Caron", "Paul Roy"} <= names(out, "PER")
    assert "Nancy Ouellet" not in names(out, "LOC")
    # a long line of running text that ends on a name before a capitalised line with a colon runs on
    from pipeline.text.plain import document_from_text
    page = document_from_text("Lors de l'assemblée générale, les membres ont remercié longuement la présidente "
                              "sortante\nMarie Roy : Elle quitte après douze ans de bénévolat.\n").pages[0]
    assert "\n" not in page.text
    # a line of running text that happens to hold a colon is no list item
    out = extract("La présidente de la coopérative a rappelé l'essentiel aux membres réunis\nce soir-là : la MRC "
                  "de Matawinie appuie le projet.")
    assert "MRC de Matawinie" in {o["name"] for o in out["organizations"]}


def people_names(out):
    return {p["name"] for p in out["people"]}


def test_a_hyphenated_surname_alone_takes_up_the_full_name(extract):
    out = extract("Gisèle Tremblay-Pelletier a fondé la coopérative en 1978. Selon Mme Tremblay-Pelletier, la relève "
                  "est assurée.")
    assert people_names(out) == {"Gisèle Tremblay-Pelletier"}
    # with no full name before or after, the surname stays a person of its own
    out = extract("Selon Mme Tremblay-Pelletier, la relève de la coopérative est assurée.")
    assert people_names(out) == {"Tremblay-Pelletier"}


def test_a_first_name_in_apposition_to_kin_is_a_person(extract):
    out = extract("La fondatrice a passé la main. C'est sa fille, Julie, qui en est la directrice générale.")
    assert "Julie" in people_names(out)
    out = extract("Son frère, Marc Roy, siège au conseil.")
    assert people_names(out) == {"Marc Roy"}
    out = extract("Pierre Gagnon et sa fille, Marie-Ève, qui dirige la ferme, ont accueilli les visiteurs.")
    assert "Marie-Ève" in people_names(out)                           # a hyphenated first name too
    # kin after an article, not a possessive: no apposition of a name
    out = extract("Pierre Gagnon et la fille, Soleil, ont accueilli les visiteurs.")
    assert "Soleil" not in people_names(out)
    # a place after the comma, not closed like an apposition, is no person
    out = extract("Sa fille, Montréal étant loin, revient peu.")
    assert people_names(out) == set()


def test_a_business_named_after_its_trade(extract):
    out = extract("Dix des douze employés de l'atelier Usinage Gosselin sont devenus membres. Le cabinet Tanguay Morin "
                  "a préparé les états financiers.")
    orgs = {o["name"] for o in out["organizations"]}
    assert {"Usinage Gosselin", "Tanguay Morin"} <= orgs
    assert people_names(out) == set()
    out = extract("Le Café-coop L'Escale de Saint-Fortunat a ouvert en juin.")
    assert {o["kind"] for o in out["organizations"]} == {"cooperative"}
    # a trade noun with no name after it, or a known place after it, names no business
    out = extract("Elle a ouvert un café à Matane. La ferme Rimouski est un nom de lieu.")
    assert "Rimouski" not in {o["name"] for o in out["organizations"]}
    assert "Matane" in names(out, "LOC")


def test_members_own_money_takes_no_funder_named_before(extract):
    out = extract("Le RISQ a consenti un prêt de 50 000 $ à la coopérative. Chaque membre a investi 5 000 $ en parts "
                  "privilégiées.")
    assert funding(out) == {("RISQ", 50000, False)}
    # members of a body named in the subject give the body's money; members who receive have a giver
    out = extract("Les membres du conseil municipal de Stoke ont accordé 5 000 $ à la coopérative.")
    assert funding(out) == {("conseil municipal de Stoke", 5000, False)}
    out = extract("Le RISQ a consenti un prêt de 50 000 $. Les membres ont reçu 5 000 $ de la Caisse Desjardins de Matane.")
    assert ("Caisse Desjardins de Matane", 5000, False) in funding(out)


def test_a_fund_s_name_keeps_its_purpose_and_stops_before_its_recipient(extract):
    out = extract("La Caisse Desjardins de Rawdon verse 20 000 $ de son Fonds d'aide au développement du milieu à la "
                  "coopérative.")
    assert "Fonds d'aide au développement du milieu" in {o["name"] for o in out["organizations"]}
    # and its territory; another body's generic tail goes
    out = extract("La MRC verse 20 000 $ de son Fonds de développement du territoire à la Coopérative du Vallon de "
                  "la région.")
    assert {"Fonds de développement du territoire", "Coopérative du Vallon"} <= {o["name"] for o in out["organizations"]}
    # 'à' and the body a name is for stay in the name
    out = extract("La Coopérative d'aide aux entreprises de la Gaspésie et le Fonds d'aide à la relève agricole.")
    assert {"Coopérative d'aide aux entreprises de la Gaspésie", "Fonds d'aide à la relève agricole"} <= \
        {o["name"] for o in out["organizations"]}


def test_a_dateline_in_capitals_before_its_date(extract):
    out = extract("THETFORD MINES, le 9 avril 2024 – La MRC des Appalaches annonce un appui.")
    assert "THETFORD MINES" in names(out, "LOC")
    # a heading of common words before a date is no place
    out = extract("AVIS PUBLIC, le 9 avril 2024, le conseil a adopté le règlement.")
    assert names(out, "LOC") == set()


def test_the_town_after_la_region_de_in_a_body_s_name_is_a_place(extract):
    out = extract("La Coopérative de services à domicile de la région de Thetford a reçu 30 000 $.")
    assert "Thetford" in names(out, "LOC")
    # a capitalised common word after a plain 'de' in a brand-like name stays no place
    out = extract("La Coopérative des Jardins de Lumière a ouvert ses portes.")
    assert "Lumière" not in names(out, "LOC")


def test_a_loan_equal_to_the_grants_before_it_is_no_total_of_them(extract):
    text = ("La Ville de Matane accorde 40 000 $ à la coopérative. La SADC de la Matanie ajoute 30 000 $ et la Caisse "
            "Desjardins de Matane 20 000 $. ")
    out = extract(text + "L'organisme a aussi obtenu un prêt de 90 000 $ du Réseau d'investissement social du Québec (RISQ).")
    assert ("Réseau d'investissement social du Québec", 90000, False) in funding(out)
    # the sum said as a sum is their total
    out = extract(text + "Au total, la coopérative reçoit 90 000 $.")
    assert (None, 90000, True) in funding(out)


def test_a_municipal_council_named_by_its_organ_alone_gives(extract):
    out = extract("Le conseil municipal a accordé une aide financière de 7 500 $ à la Coopérative de solidarité du "
                  "Village.")
    assert funding(out) == {("conseil municipal", 7500, False)}
    # a co-operative's board is no municipal council
    out = extract("Le conseil d'administration a accordé une aide financière de 7 500 $ au club de soccer.")
    assert funding(out) == set()
    # 'la Municipalité' with its capital is the municipality; the common noun is not
    out = extract("Au dernier conseil, la Municipalité a versé 5 000 $ à la Coopérative de solidarité du Village.")
    assert funding(out) == {("Municipalité", 5000, False)}
    out = extract("Au dernier conseil, la municipalité a versé 5 000 $ à la Coopérative de solidarité du Village.")
    assert funding(out) == set()


# ---------------------------------------------------------------- 14. from a fifth set written blind
def test_council_decisions_listed_after_a_lead_in_take_its_subject(extract):
    text = ("Bulletin de la Municipalité de Saint-Paulin\n\nLors de la séance du 3 mars, les élus ont notamment :\n"
            "• accordé une aide financière de 4 000 $ au Comité des loisirs de Saint-Paulin;\n"
            "• octroyé le contrat d'entretien des parcs à Paysagement Roy inc., au montant de 48 200 $;\n"
            "• remis un don de 250 $ à la Maison des jeunes pour son souper spaghetti.\n")
    assert funding(extract(text)) == {("Municipalité de Saint-Paulin", 4000, False),
                                      ("Municipalité de Saint-Paulin", 250, False)}      # the contract is a price
    # a lead-in whose subject is no body gives no giver
    out = extract("Lors de la rencontre, Marie Tremblay a notamment :\n• accordé une aide de 4 000 $ au Comité des "
                  "loisirs de Saint-Paulin;\n• présenté le bilan de l'année.\n")
    assert {f for f, _, _ in funding(out)} <= {None}


def test_a_contract_named_far_before_its_amount_is_a_price(extract):
    out = extract("La Ville a octroyé le contrat de déneigement du secteur est à Excavation Pelletier inc., au montant "
                  "de 96 450 $, taxes incluses.")
    assert funding(out) == set()
    # what the money is for is no price ('pour l'achat'), and a grant named between them is a grant
    out = extract("La Ville a accordé au Comptoir alimentaire, pour l'achat d'un camion, une subvention de 9 000 $.")
    assert ("Ville", 9000, False) in funding(out)


def test_a_recipient_list_of_dashed_lines_after_a_fund_s_title(extract):
    text = ("Fonds communautaire des Basques : 15 000 $ pour trois organismes\n\nLes organismes retenus :\n\n"
            "Maison des jeunes de Trois-Pistoles – 7 000 $\nCoopérative de solidarité Le Rucher – 5 000 $\n"
            "Club de patinage Les Étoiles – 3 000 $\n")
    out = extract(text)
    rows = {(f["funder"], f["recipient"], f["amount"]) for f in out["funding"]}
    assert {("Fonds communautaire des Basques", "Coopérative de solidarité Le Rucher", 5000),
            ("Fonds communautaire des Basques", "Club de patinage Les Étoiles", 3000)} <= rows
    assert not [r for r in rows if r[0] in ("Maison des jeunes de Trois-Pistoles", "Coopérative de solidarité Le Rucher")]
    # a list of prices is no funding
    assert extract("Tarifs de la saison :\n\nAdulte – 25 $\nEnfant – 10 $\n")["funding"] == []


def test_a_ticket_price_per_adult_is_no_grant(extract):
    out = extract("Souper-bénéfice au profit de la Coopérative de solidarité Le Rucher (40 $ par adulte, 15 $ par "
                  "enfant).")
    assert out["funding"] == []
    out = extract("La Caisse Desjardins de Trois-Pistoles remet 2 000 $ à la Coopérative de solidarité Le Rucher pour "
                  "son souper-bénéfice.")
    assert funding(out) == {("Caisse Desjardins de Trois-Pistoles", 2000, False)}


def test_lines_that_each_end_on_an_amount_are_items_of_a_list():
    from pipeline.text.plain import document_from_text
    text = document_from_text("Les organismes retenus :\n\nMaison des jeunes de Trois-Pistoles – 7 000 $\n"
                              "Club de patinage Les Étoiles – 3 000 $ (1 500 $ par année)\n").pages[0].text
    assert "7 000 $\n" in text
    # one line ending on an amount, the next not: one wrapped sentence
    text = document_from_text("Le conseil a voté une aide qui s'élève – taxes comprises – à 5 000 $\n"
                              "Marie Roy l'a présentée.\n").pages[0].text
    assert "\n" not in text


def test_new_co_operatives_of_a_kind_named_with_their_count(extract):
    out = extract("En 2024, quarante-sept nouvelles coopératives de travail ont été constituées.")
    assert stats(out) == {("new_cooperatives", "travail", 47)}
    # new ones with no kind after them take none
    assert stats(extract("En 2024, onze nouvelles coopératives ont été constituées.")) == {("new_cooperatives", None, 11)}


def test_elles_after_a_count_of_co_operatives_takes_their_sector(extract):
    out = extract("Au 31 mars, la région comptait 210 coopératives de solidarité. Ensemble, elles regroupaient quelque "
                  "31 000 membres et procuraient 1 900 emplois.")
    assert {("members", "solidarité", 31000), ("jobs", "solidarité", 1900)} <= stats(out)
    # the total the sentence counts first, not its enumeration's last kind
    out = extract("On dénombrait 42 coopératives non financières, dont onze coopératives de travail. Elles "
                  "regroupaient environ 1 900 membres.")
    assert ("members", None, 1900) in stats(out)
    # 'elles' after other bodies is not about co-operatives
    out = extract("La région compte 40 coopératives de travail et 300 entreprises d'économie sociale. Ensemble, "
                  "elles regroupent 9 000 membres.")
    assert ("members", "travail", 9000) not in stats(out)


def test_a_territory_in_an_enumeration_is_no_sector(extract):
    out = extract("En 2024, 47 nouvelles coopératives de travail ont été constituées, dont 12 en Estrie.")
    assert ("new_cooperatives", "Estrie", 12) not in stats(out)
    # a kind of co-operative written with its capital is one
    out = extract("La région compte 812 coopératives, dont 638 Scop et 174 Scic.")
    assert {("cooperatives", "Scop", 638), ("cooperatives", "Scic", 174)} <= stats(out)


def test_a_name_ends_after_its_place_at_a_lower_case_word(extract):
    out = extract("La Caisse Desjardins de Kamouraska complète le montage financier. Une somme de 20 000 $ de la MRC "
                  "de La Mitis provenant du Fonds régions et ruralité s'ajoute.")
    orgs = {o["name"] for o in out["organizations"]}
    assert {"Caisse Desjardins de Kamouraska", "MRC de La Mitis"} <= orgs
    assert not any("complète" in o or "provenant" in o for o in orgs)
    # an adjective after a capitalised common noun of the name stays in it
    out = extract("La Coopérative des Pêcheurs unis de Grande-Vallée et le ministère des Affaires francophones ont signé.")
    assert {"Coopérative des Pêcheurs unis de Grande-Vallée", "ministère des Affaires francophones"} <= \
        {o["name"] for o in out["organizations"]}


def test_a_request_granted_by_a_body_makes_it_the_giver_of_the_amount_after(extract):
    text = ("Bonne nouvelle : notre demande auprès de la Fondation Lucie-Bérubé a été acceptée. Une aide de 12 000 $ "
            "nous permettra d'agrandir la cuisine.")
    assert funding(extract(text)) == {("Fondation Lucie-Bérubé", 12000, False)}
    # a request refused gives nothing
    text = text.replace("a été acceptée", "a été refusée")
    assert {f for f, _, _ in funding(extract(text))} <= {None}


def test_a_member_category_named_de_soutien_is_no_support(extract):
    out = extract("La Caisse Desjardins du Témiscouata a versé 5 000 $ à la coopérative de solidarité Le Fournil. La "
                  "part sociale est de 50 $ pour les membres utilisateurs et de 100 $ pour les membres de soutien.")
    assert funding(out) == {("Caisse Desjardins du Témiscouata", 5000, False)}
    # the support of a body is one
    out = extract("La Caisse Desjardins du Témiscouata accorde son soutien de 5 000 $ à la coopérative.")
    assert ("Caisse Desjardins du Témiscouata", 5000, False) in funding(out)


# ---------------------------------------------------------------- 15. from a sixth set written blind
def test_minutes_under_a_municipality_in_capitals_resolve_its_grants(extract):
    text = ("PROVINCE DE QUÉBEC\nMUNICIPALITÉ DE SAINT-LÉON-DE-STANDON\n\nSéance ordinaire du conseil tenue le 7 avril "
            "2025.\n\nIl est proposé par M. Luc Roy, appuyé par Mme Ginette Morin, et résolu à l'unanimité de verser une "
            "aide financière de 2 500 $ au Club de patinage de Saint-Léon.\n\nIl est proposé par Mme Ginette Morin et "
            "résolu d'octroyer le contrat de fauchage à Entreprises Pouliot inc. au montant de 6 380 $.\n")
    out = extract(text)
    assert funding(out) == {("Municipalité de Saint-Léon-de-Standon", 2500, False)}
    assert "Municipalité de Saint-Léon-de-Standon" in {o["name"] for o in out["organizations"]}
    # without the word of a resolution, a giving verb with no subject names no giver
    out = extract(text.replace("et résolu à l'unanimité de verser", "afin de verser"))
    assert ("Municipalité de Saint-Léon-de-Standon", 2500, False) not in funding(out)


def test_a_fund_of_a_body_heading_the_page_gives_its_amounts(extract):
    text = ("Fonds de soutien aux initiatives du milieu de la Caisse Desjardins de Lotbinière\n\n"
            "Le Comité des loisirs de Val-Alain reçoit 6 000 $ pour refaire sa patinoire. La Maison des jeunes de "
            "Laurier-Station obtient 4 500 $.\n")
    rows = funding(extract(text))
    assert {r[1] for r in rows if r[0] == "Fonds de soutien aux initiatives du milieu"} == {6000, 4500}
    # a first line that is a fund's name and more words is no masthead
    rows = funding(extract(text.replace("de la Caisse Desjardins de Lotbinière", "de la Caisse Desjardins de Lotbinière "
                                                                                   "lance son appel")))
    assert {r[0] for r in rows} <= {None}


def test_a_yearly_share_then_soit_its_sum_is_one_grant_of_that_sum(extract):
    out = extract("La Fondation Marcel-Lapointe versera à la Coopérative de solidarité Le Grenier 4 000 $ par année "
                  "pendant trois ans, soit 12 000 $, pour son service de repas.")
    assert funding(out) == {("Fondation Marcel-Lapointe", 12000, False)}
    assert [f["period_years"] for f in out["funding"]] == [3]
    # a sum after 'soit' that is not the shares' product stays as it was read
    out = extract("La Fondation Marcel-Lapointe versera à la Coopérative de solidarité Le Grenier 4 000 $ par année "
                  "pendant trois ans. Le projet coûtera au total 50 000 $.")
    assert ("Fondation Marcel-Lapointe", 4000, False) in funding(out)


def test_the_bounds_of_a_range_of_amounts_are_no_grants(extract):
    out = extract("Les autres organismes ont reçu de la Caisse Desjardins de Lévis des montants variant de 1 500 $ à "
                  "4 000 $. La MRC de Bellechasse versera entre 1 000 $ et 5 000 $ à chaque comité.")
    assert funding(out) == set()
    # two amounts joined by 'et' with no word of a range are two grants
    out = extract("La MRC de Bellechasse a accordé 1 000 $ et 5 000 $ aux deux comités.")
    assert funding(out) == {("MRC de Bellechasse", 1000, False), ("MRC de Bellechasse", 5000, False)}


def test_a_co_operative_named_again_by_its_distinctive_name_gives(extract):
    text = ("La Coopérative funéraire Le Passage de la Beauce a tenu son assemblée annuelle. Fidèle à ses valeurs, "
            "Le Passage a remis 8 000 $ à la Fondation du Centre hospitalier de Saint-Georges.")
    out = extract(text)
    assert funding(out) == {("Coopérative funéraire Le Passage de la Beauce", 8000, False)}
    assert "Le Passage" in next(o["aliases"] for o in out["organizations"]
                                if o["name"] == "Coopérative funéraire Le Passage de la Beauce")
    # a body whose name has no distinctive part of its own ('Caisse Desjardins de ...') lends none
    out = extract("La Caisse Desjardins de la Beauce a tenu son assemblée. Desjardins a remis 8 000 $ à la Fondation du "
                  "Centre hospitalier de Saint-Georges.")
    assert ("Caisse Desjardins de la Beauce", 8000, False) not in funding(out)


def test_a_title_over_its_subtitle_in_a_text_of_one_line_paragraphs(extract):
    text = ("Regroupement des coopératives d'habitation du Saguenay (RCHS)\nBilan annuel 2024\n\n"
            "Le Regroupement des coopératives d'habitation du Saguenay compte 58 coopératives membres, qui logent plus "
            "de 2 400 ménages dans les quartiers de Chicoutimi, de Jonquière et de La Baie, et il accompagne chaque "
            "année une dizaine de conseils d'administration dans leur gestion.\n")
    out = extract(text)
    orgs = {o["name"] for o in out["organizations"]}
    assert "Regroupement des coopératives d'habitation du Saguenay" in orgs
    assert not [o for o in orgs if "Bilan" in o]
    # a hard-wrapped paragraph still reads as one sentence across its lines
    out = extract("Le Regroupement des coopératives d'habitation du Saguenay compte\n58 coopératives membres, qui "
                  "logent plus de\n2 400 ménages.\n")
    assert len([m for m in out["mentions"] if m["label"] == "ORG"]) >= 1
    assert "\n" not in out["text"][0]["text"].strip()


def test_a_heading_of_common_words_before_its_columns_is_no_body(extract):
    text = ("Nombre de coopératives par secteur (coopératives / emplois)\nHabitation : 58 / 120\n"
            "Alimentation : 12 / 85\n")
    assert not [o for o in extract(text)["organizations"] if o["name"].startswith("Nombre")]
    # a name with a capitalised word of its own before its sector is one
    out = extract("Nos membres : Les Jardins de Tilly (maraîchage), Boulangerie Le Fournil (boulangerie).")
    assert {"Jardins de Tilly", "Boulangerie Le Fournil"} <= {o["name"] for o in out["organizations"]}


def test_co_operatives_a_grant_goes_to_are_no_count_of_a_territory(extract):
    out = extract("Le ministre annonce une aide totale de 310 000 $ à quatre coopératives du Bas-Saint-Laurent.")
    assert stats(out) == set()
    # a territory's count is one, money or not in the sentence
    out = extract("Le Bas-Saint-Laurent compte 64 coopératives, qui ont reçu 310 000 $ du ministère.")
    assert ("cooperatives", None, 64) in stats(out)


def test_our_members_are_one_body_s_own(extract):
    out = extract("La coopérative de services financiers a tenu son assemblée. « Nos 12 400 membres savent ce qu'ils "
                  "doivent à leur caisse », a rappelé la présidente.")
    assert stats(out) == set()
    out = extract("Les coopératives de la région regroupent 12 400 membres.")
    assert ("members", None, 12400) in stats(out)


def test_a_count_of_co_operatives_after_a_colon_alone_is_a_count(extract):
    out = extract("Le modèle s'est répandu : on compte aujourd'hui près de 150 coopératives jeunesse de services au Québec.")
    assert ("cooperatives", "jeunesse de services", 150) in stats(out)
    # after a total and its colon, an item with no sector is no count of its own
    out = extract("La région compte 40 coopératives : 25 ici et 15 là-bas.")
    assert ("cooperatives", None, 25) not in stats(out)


def test_what_enterprises_of_every_form_employ_together_is_not_the_co_operatives(extract):
    text = ("La Mauricie compte 290 entreprises d'économie sociale, soit 95 coopératives et 195 organismes à but non "
            "lucratif. Ensemble, elles emploient plus de 3 800 personnes.")
    out = stats(extract(text))
    assert ("cooperatives", None, 95) in out and not [s for s in out if s[0] == "jobs"]
    out = stats(extract("La Mauricie compte 95 coopératives. Ensemble, elles emploient plus de 3 800 personnes."))
    assert ("jobs", None, 3800) in out


def test_each_partner_s_amount_in_parentheses_is_its_own_not_a_sum(extract):
    text = ("Le camp peut compter sur plusieurs partenaires : la Caisse Desjardins du Granit (3 000 $), la Ville de "
            "Lac-Mégantic (2 000 $), le Club Optimiste de Lac-Mégantic (1 000 $) et la Pharmacie Julie Roy (500 $).")
    rows = funding(extract(text))
    assert ("Caisse Desjardins du Granit", 3000, False) in rows and ("Ville de Lac-Mégantic", 2000, False) in rows
    assert not [r for r in rows if r[2]]
    # an amount named before its parts, with no giver of its own, is their total
    rows = funding(extract("La coopérative a reçu 3 000 $ de ses partenaires : la Ville de Lac-Mégantic (2 000 $) et le "
                           "Club Optimiste de Lac-Mégantic (1 000 $)."))
    assert (None, 3000, True) in rows


def test_a_price_before_a_loan_is_no_loan(extract):
    text = ("• Coopérative de travail Usinage Boréal, Alma – achat d'une presse plieuse de 280 000 $ : prêt de 120 000 $ "
            "de la Caisse Desjardins d'Alma; 30 000 $ du Fonds local de solidarité de Lac-Saint-Jean-Est\n\n"
            "Ensemble, ces projets ont obtenu 150 000 $ en subventions et en prêts, pour des investissements de près de "
            "1,2 M$ dans la région.\n")
    rows = funding(extract(text))
    assert ("Caisse Desjardins d'Alma", 120000, False) in rows
    assert (None, 150000, True) in rows
    assert not [r for r in rows if r[1] in (280000, 1200000)]
    # a kind of funding after an amount with no amount of its own after it is that amount's
    out = extract("La Caisse Desjardins d'Alma a accordé 120 000 $ en prêt à la Coopérative de travail Usinage Boréal.")
    assert ("Caisse Desjardins d'Alma", 120000, False) in funding(out)
    assert [f["kind"] for f in out["funding"]] == ["prêt"]


def test_money_members_or_a_campaign_put_in_is_no_grant(extract):
    text = ("La campagne de capitalisation de la Coopérative de solidarité Le Relais a permis d'amasser 64 000 $. Une "
            "trentaine de membres ont aussi souscrit des parts privilégiées pour un total de 41 000 $. La Caisse "
            "Desjardins de Bécancour accorde un prêt de 50 000 $ à la coopérative.")
    assert funding(extract(text)) == {("Caisse Desjardins de Bécancour", 50000, False)}
    # a body's shares are its funding
    out = extract("Une trentaine de membres et la Caisse Desjardins de Bécancour ont souscrit des parts. La Caisse "
                  "Desjardins de Bécancour accorde aussi un prêt de 50 000 $.")
    assert ("Caisse Desjardins de Bécancour", 50000, False) in funding(out)


def test_a_yearly_share_after_soit_and_an_approximation_restates_the_grant(extract):
    out = extract("La Fondation Marcel-Lapointe accorde 100 000 $ à la Coopérative de solidarité Le Grenier, répartis sur "
                  "trois ans, soit un peu plus de 33 300 $ par année.")
    assert funding(out) == {("Fondation Marcel-Lapointe", 100000, False)}
    out = extract("Doté d'une enveloppe de 12 millions de dollars, le programme a versé 100 000 $ à la Coopérative de "
                  "solidarité Le Grenier.")
    assert {r[1] for r in funding(out)} <= {100000}


def test_a_typewritten_bulletin_without_accents_and_with_cents_after_a_point(extract):
    text = ("- La Cooperative de travail Les Menuisiers de Louiseville a obtenu une subvention de 12 500.00$ du ministere "
            "des Affaires municipales pour agrandir son atelier.\n")
    out = extract(text)
    assert ("ministere des Affaires municipales", 12500, False) in funding(out)
    assert "Cooperative de travail Les Menuisiers de Louiseville" in {o["name"] for o in out["organizations"]}
    # a word of five letters or more whose bare form is another word is not read so ('la marche', 'une charge')
    out = extract("La marche de Louiseville a réuni 200 personnes. Une charge de 500 $ a été payée.")
    assert out["funding"] == [] and not [o for o in out["organizations"] if o["name"].lower().startswith("marche")]


def test_a_body_that_guarantees_a_loan_gives_it(extract):
    out = extract("La Société de développement des coopératives a garanti un prêt de 40 000 $ à la Coopérative "
                  "forestière de Saint-Zacharie.")
    assert funding(out) == {("Société de développement des coopératives", 40000, False)}
    # a guarantee of quality is no funding
    out = extract("La Coopérative forestière de Saint-Zacharie garantit la qualité de son bois depuis 1985.")
    assert out["funding"] == []


def test_a_name_with_a_number_word_after_its_article(extract):
    out = extract("La Coopérative d'habitation Les Quatre Saisons accueillera ses premiers locataires en juin.")
    assert "Coopérative d'habitation Les Quatre Saisons" in {o["name"] for o in out["organizations"]}
    out = extract("Les quatre coopératives d'habitation de Granby accueilleront 120 ménages.")
    assert [m["text"] for m in out["mentions"] if m["label"] == "COUNT"][:1] == ["quatre"]


def test_a_french_scop_or_scic_named_by_its_form(extract):
    out = extract("Les salariés de la Scierie Dubreuil ont fondé la Scop Bois du Morvan, qui reprend l'activité.")
    coop = [o for o in out["organizations"] if o["name"] == "Scop Bois du Morvan"]
    assert coop and coop[0]["kind"] == "cooperative"
    # counted, the forms stay kinds of co-operatives
    assert ("cooperatives", "Scic", 31) in stats(extract("La Bourgogne compte 31 Scic et 118 Scop."))


def test_a_dateline_in_lower_case_before_its_date_is_a_place(extract):
    out = extract("Reprise d'entreprise\n\nClermont-Ferrand, 12 février 2025 — Les salariés de la fonderie ont fondé "
                  "leur Scop.")
    assert "Clermont-Ferrand" in names(out, "LOC")
    # a common word before a date is no place
    out = extract("Reprise d'entreprise\n\nHier, 12 février 2025, les salariés de la fonderie ont fondé leur Scop.")
    assert "Hier" not in names(out, "LOC")


def test_a_dotted_acronym_is_no_place(extract):
    out = extract("Le ministère de l'Industrie et du Commerce (M.I.C.) et la S.D.C. appuient la coopérative de Nicolet.")
    assert not {"M.I.C.", "S.D.C."} & names(out, "LOC")
    assert "Nicolet" in names(out, "LOC")


def test_a_body_s_name_ends_before_au_titre_de(extract):
    out = extract("Les partenaires apportent 600 k€ : un prêt de 550 k€ de la Banque populaire du Rhône et une subvention "
                  "de 50 000 € de la Région Provence-Alpes-Côte d'Azur au titre de son dispositif d'aide aux reprises.")
    assert "Région Provence-Alpes-Côte d'Azur" in {o["name"] for o in out["organizations"]}
    # a lower-case complement after 'de' may still belong to the name
    out = extract("La Fondation de la Maison Gilles-Carle de soins palliatifs remercie ses donateurs.")
    assert "Fondation de la Maison Gilles-Carle de soins palliatifs" in {o["name"] for o in out["organizations"]}


def test_sectors_each_with_its_count_in_parentheses(extract):
    out = stats(extract("Côté secteurs, l'agriculture mène avec 41 coopératives, devant l'habitation (28), la foresterie "
                        "(12) et les services funéraires (5)."))
    assert {("cooperatives", "agriculture", 41), ("cooperatives", "habitation", 28),
            ("cooperatives", "foresterie", 12)} <= out
    # years and asides in parentheses are no counts
    out = stats(extract("La coopérative (fondée en 1987) a ouvert un local (le troisième) en 2024 (mars)."))
    assert out == set()


def test_a_business_named_after_a_person_names_that_person(extract):
    out = extract("Le déneigement est confié à Transport Gilles Marcotte inc. pour trois ans.")
    assert "Transport Gilles Marcotte inc." in {o["name"] for o in out["organizations"]}
    assert "Gilles Marcotte" in {p["name"] for p in out["people"]}
    # a firm of surnames, or a hall named after someone in one hyphenated word, names no person
    out = extract("Le contrat va à Quincaillerie Gendron et Fils inc. La soirée aura lieu à la salle Jean-Paul-Rivard.")
    assert out["people"] == []


# ---------------------------------------------------------------- 16. from a seventh set written blind
def test_a_list_of_gifts_set_with_dot_leaders_under_the_giver_s_name(extract):
    text = ("BILAN 2025\nCaisse Desjardins du Haut-Richelieu\n\nLa Caisse a appuyé les organismes de son milieu.\n\n"
            "Club de natation Les Marsouins ............. 1 800 $\nMaison des jeunes de Saint-Luc ............. 2 400 $\n"
            "Coopérative de solidarité Le Grenier\n  (cuisine collective) ...................... 3 100 $\n\n"
            "TOTAL ....................................... 7 300 $\n")
    rows = funding(extract(text))
    giver = "Caisse Desjardins du Haut-Richelieu"
    assert {(giver, 1800, False), (giver, 2400, False), (giver, 3100, False), (giver, 7300, True)} <= rows
    recipients = {f["recipient"] for f in extract(text)["funding"]}
    assert "Coopérative de solidarité Le Grenier" in recipients and not [r for r in recipients if r and "TOTAL" in r]
    # dot leaders before a page number are no amounts of anyone
    assert extract("Sommaire\n\nMot de la présidente ............. 3\nNos projets ............. 5\n")["funding"] == []



def test_a_table_typed_with_tabs_or_runs_of_spaces_reads_row_by_row(extract):
    text = ("MRC de Maskinongé\n\nProjets retenus au Fonds de développement des communautés\n\n"
            "Projet\tPromoteur\tType\tAide\n"
            "Nouveau four\tCoopérative de solidarité Le Fournil de Yamachiche\tSubvention\t14 000 $\n"
            "Jardin collectif      Comité des loisirs de Saint-Paulin      Subvention      6 500 $\n"
            "TOTAL\t\t\t20 500 $\n")
    out = extract(text)
    rows = {(f["funder"], f["recipient"], f["amount"], f["is_total"]) for f in out["funding"]}
    assert ("MRC de Maskinongé", "Coopérative de solidarité Le Fournil de Yamachiche", 14000, False) in rows
    assert ("MRC de Maskinongé", "Comité des loisirs de Saint-Paulin", 6500, False) in rows
    assert ("MRC de Maskinongé", None, 20500, True) in rows
    assert not [o for o in out["organizations"] if o["name"].endswith("Subvention")]
    # two spaces after a full stop part no cells
    out = extract("La MRC de Maskinongé accorde 14 000 $ à la Coopérative Le Fournil.  Elle versera aussi 6 500 $ au "
                  "Comité des loisirs de Saint-Paulin.")
    assert "–" not in out["text"][0]["text"]


def test_an_award_s_purse_is_funding_from_its_giver(extract):
    text = ("Le prix Coopérative de l'année s'accompagne d'une bourse de 3 000 $ offerte par la Caisse Desjardins de "
            "Gatineau. La Coopérative de travail Bois-Franc a aussi remporté une bourse de 1 500 $ de la firme "
            "d'architectes Lemay. Le Pôle coopératif de l'Outaouais a remis la bourse Relève, d'une valeur de 750 $, à "
            "la Coop jeunesse de services de Buckingham.")
    rows = funding(extract(text))
    assert {("Caisse Desjardins de Gatineau", 3000, False), ("Lemay", 1500, False),
            ("Pôle coopératif de l'Outaouais", 750, False)} <= rows
    # a price, or a value with no kind of funding near it, is none
    out = extract("Le prix du billet est de 95 $. Le terrain, d'une valeur de 310 000 $, appartient à la Ville de Hull.")
    assert out["funding"] == []
    # a municipality's borrowing beside its expense is no grant
    out = extract("Le règlement décrète une dépense et un emprunt de 1 285 000 $ pour la réfection du rang.")
    assert out["funding"] == []


def test_the_items_of_a_count_by_territory_keep_the_total_s_kind(extract):
    out = stats(extract("La Fédération regroupe 96 coopératives d'habitation, dont 40 en Estrie et 31 en Montérégie; les "
                        "25 autres se trouvent en Mauricie."))
    assert {("cooperatives", "habitation", 96), ("cooperatives", "habitation", 40), ("cooperatives", "habitation", 31),
            ("cooperatives", "habitation", 25)} <= out
    # an item with a sector of its own keeps it
    out = stats(extract("La région compte 42 coopératives, dont 12 dans l'habitation et 8 en agriculture."))
    assert ("cooperatives", "habitation", 12) in out


def test_co_operatives_funded_or_already_named_are_no_count(extract):
    out = extract("L'aide prend la forme de prêts sans intérêt pour deux coopératives et de subventions pour trois OBNL. "
                  "Le reste proviendra des fonds propres des deux coopératives.")
    assert stats(out) == set()
    # a count of a region's co-operatives with its kind, after 'les', is one
    out = extract("Les trois coopératives funéraires de la région emploient 60 personnes.")
    assert ("cooperatives", "services funéraires", 3) in stats(out)


def test_a_board_member_with_a_role_in_parentheses_is_a_person(extract):
    out = extract("Ont été élus : Julie Tremblay-Roy (présidente), Marc Dubé (trésorier) et Line Caron (secrétaire).")
    assert {"Julie Tremblay-Roy", "Marc Dubé", "Line Caron"} <= {p["name"] for p in out["people"]}
    assert not {"Marc Dubé", "Line Caron"} & {o["name"] for o in out["organizations"]}


def test_each_brief_of_a_page_of_briefs_keeps_its_own_giver(extract):
    text = ("EN BREF\n\nSAINT-FÉRRÉOL-LES-NEIGES – La Coopérative de solidarité Le Massif a obtenu 20 000 $ de la MRC de "
            "La Côte-de-Beaupré.\n\nQUÉBEC – Quatre ébénistes ont fondé la Coopérative de travail Bois Franc. Chacun a "
            "investi 4 000 $, pour une mise de fonds totale de 16 000 $.\n\nLÉVIS – Le souper aura lieu au centre "
            "communautaire (entrée : 20 $).\n")
    out = extract(text)
    assert funding(out) == {("MRC de La Côte-de-Beaupré", 20000, False)}
    assert {"Québec", "Lévis"} <= {m["text"].title() for m in out["mentions"] if m["label"] == "LOC"}
    # one story: the giver named first serves the amounts after it
    out = extract("SAINT-FÉRRÉOL-LES-NEIGES – La MRC de La Côte-de-Beaupré a remis 20 000 $ au Massif. Le Club de ski "
                  "de fond reçoit aussi une aide de 5 000 $.")
    assert ("MRC de La Côte-de-Beaupré", 5000, False) in funding(out)


def test_a_giver_named_then_described_in_apposition(extract):
    out = extract("Finnord, l'agence régionale de développement du Nord, accorde une contribution de 90 000 $ à la "
                  "Coopérative forestière de Hearst.")
    assert funding(out) == {("Finnord", 90000, False)}
    # a place before the comma is no giver
    out = extract("À Hearst, l'agence régionale accorde une contribution de 90 000 $ à la Coopérative forestière.")
    assert ("Hearst", 90000, False) not in funding(out)


def test_an_enumerated_item_with_a_relative_clause_names_its_sector(extract):
    out = stats(extract("La région compte 42 coopératives, dont 12 qui œuvrent en agriculture et 8 en habitation."))
    assert {("cooperatives", "agriculture", 12), ("cooperatives", "habitation", 8)} <= out
    assert not [s for s in out if s[1] == "qui"]


# ---------------------------------------------------------------- 17. regressions a review of this change found
def test_review_a_hard_wrapped_text_with_one_long_line_stays_wrapped(extract):
    text = ("La coopérative de solidarité Le Perron a obtenu une aide de 5 000 $ de la\nCaisse Desjardins de "
            "Rimouski pour aménager sa serre communautaire.\n\nPour information : " + "le bureau est ouvert " * 12 + ".")
    assert ("Caisse Desjardins de Rimouski", 5000, False) in funding(extract(text))


def test_review_a_headline_in_capitals_is_no_body_s_name(extract):
    text = ("Nouvelles municipales\n\nVILLE DE RIMOUSKI INVESTIT DANS LE LOGEMENT\n\nLa Ville de Rimouski a accordé "
            "50 000 $ à la Coopérative d'habitation Le Perron.")
    out = extract(text)
    assert ("Ville de Rimouski", 50000, False) in funding(out)
    assert not [o for o in out["organizations"] if "Investit" in o["name"] or "INVESTIT" in o["name"]]


def test_review_a_giver_s_page_laid_out_by_place_keeps_its_giver(extract):
    text = ("Caisse Desjardins de la Matapédia\nDons et commandites 2024\n\nAMQUI – La Coopérative de solidarité Le "
            "Perron a reçu 5 000 $ pour sa serre.\n\nMATANE – La Coopérative de travail Le Moulin a reçu 1 500 $ pour "
            "ses équipements.")
    assert {r[1] for r in funding(extract(text)) if r[0] == "Caisse Desjardins de la Matapédia"} == {5000, 1500}


def test_review_runs_of_spaces_in_one_line_of_prose_part_no_cells(extract):
    out = extract("La Caisse   Desjardins de Rimouski   accorde 5 000 $ à la Coopérative de solidarité Le Perron.")
    assert funding(out) == {("Caisse Desjardins de Rimouski", 5000, False)}
    out = extract("Mme\tLise Caron, présidente de la Coopérative de solidarité Le Perron, a remercié la Caisse.")
    assert "Lise Caron" in {p["name"] for p in out["people"]}


def test_review_counts_in_parentheses_need_a_count_of_co_operatives(extract):
    out = extract("La coopérative a tenu trois assemblées cette année : les membres (450), les employés (32) et les "
                  "administrateurs (9) y ont participé.")
    assert stats(out) == set()


def test_review_a_place_named_like_a_body_s_distinctive_part_stays_a_place(extract):
    out = extract("La MRC de La Matanie a tenu sa séance. Le tourisme est en hausse dans La Matanie cette année.")
    # (the place in the second sentence too, not a mention of the MRC)
    assert len([m for m in out["mentions"] if m["label"] == "LOC" and m["text"] == "La Matanie"]) == 2


def test_review_items_whose_verb_comes_first_and_a_year_before_a_parenthesis(extract):
    out = stats(extract("La région compte 53 coopératives, dont 21 sont en habitation et 12 sont dans l'alimentation."))
    assert {("cooperatives", "habitation", 21), ("cooperatives", "alimentation", 12)} <= out
    out = stats(extract("La province comptait 3 300 coopératives en 2023 (1 150 coopératives d'habitation)."))
    assert ("cooperatives", "habitation", 1150) in out
    out = stats(extract("Grâce à une aide de 50 000 $ du ministère, la fédération offre de la formation aux 45 "
                        "coopératives de la région."))
    assert ("cooperatives", None, 45) in out


def test_review_a_line_of_dots_is_no_item_and_ends_at_once():
    # (one pattern with two open runs backtracked for 15 s on 2,000 dots: this line would take minutes)
    from pipeline.text.plain import amount_item
    assert not amount_item("Chapitre 1 " + "." * 5000 + " page 12")
    assert amount_item("Club de ski ........ 2 500 $") and not amount_item("Il a reçu 5 000 $")


# ---------------------------------------------------------------- 18. from an eighth set written blind
def test_a_list_of_grants_each_line_a_recipient_an_amount_and_its_project(extract):
    out = extract("Fondation communautaire du Granit\n\nLe conseil de la Fondation communautaire du Granit a approuvé le "
                  "versement de 24 500 $ à trois organismes. Les sommes proviennent des revenus du fonds de dotation de "
                  "la Fondation, qui atteignait 1,8 million de dollars au 31 mars.\n\n"
                  "• Maison de la famille du Granit – 12 000 $ – halte-garderie\n"
                  "• Coopérative de solidarité de Lac-Drolet – 8 500 $ – équipement de cuisine\n"
                  "• Club de l'âge d'or de Woburn – 4 000 $ – sorties culturelles\n")
    rows = {(f, a) for f, a, _ in funding(out)}
    giver = "Fondation communautaire du Granit"
    assert {(giver, 12000), (giver, 8500), (giver, 4000), (giver, 24500)} <= rows
    assert not any(a == 1800000 for _, a in rows)        # an endowment's balance is no grant
    # a sentence that runs on after an amount and a dash is no item
    out = extract("La Fondation X publie son rapport. Le coût – 12 000 $ – a surpris les membres du comité.")
    assert out["funding"] == []


def test_minutes_resolve_on_the_line_after_the_motion_and_a_council_that_stands_surety(extract):
    text = ("MUNICIPALITÉ DE SAINT-NAZAIRE\nMRC DE LAC-SAINT-JEAN-EST\n\nRÉSOLUTION 2025-05-112\n\n"
            "IL EST PROPOSÉ PAR la conseillère Ginette Tremblay, APPUYÉ PAR le conseiller Luc Girard ET RÉSOLU :\n\n"
            "D'octroyer à la Coopérative de solidarité du Quai une aide financière de 12 000 $.\n\n"
            "RÉSOLUTION 2025-05-113\n\nIL EST PROPOSÉ PAR le conseiller Luc Girard ET RÉSOLU :\n\n"
            "Que la Municipalité de Saint-Nazaire se porte caution de l'emprunt de 40 000 $ que la Coopérative "
            "contractera.\n")
    out = extract(text)
    rows = {(f, a) for f, a, _ in funding(out)}
    assert {("Municipalité de Saint-Nazaire", 12000), ("Municipalité de Saint-Nazaire", 40000)} <= rows
    assert {"MUNICIPALITÉ DE SAINT-NAZAIRE", "MRC DE LAC-SAINT-JEAN-EST"} <= names(out, "ORG")
    # the line before that ends on a colon and resolves nothing gives nothing
    out = extract("Les élus de la Municipalité de Saint-Nazaire en ont discuté longuement :\n\nD'accorder à la "
                  "Coopérative du Quai une aide financière de 12 000 $ serait prématuré, selon plusieurs.\n")
    assert not any(a == 12000 and f for f, a, _ in funding(out))


def test_a_caisse_that_redistributes_and_what_its_members_put_in_or_gave_over_years(extract):
    out = extract("La Caisse Desjardins des Etchemins redistribue 96 000 $ dans son milieu\n\nCette somme vient des "
                  "150 000 $ que les membres ont choisi de verser au fonds lors de l'assemblée. La Coopérative de santé "
                  "de Lac-Etchemin reçoit 20 000 $. Le Club de patinage et la Maison des jeunes se partagent 8 000 $, à "
                  "raison de 4 000 $ chacun. Depuis la création du fonds en 2015, la Caisse a ainsi pu remettre plus "
                  "de 700 000 $ dans la région.")
    rows = {(f, a) for f, a, _ in funding(out)}
    giver = "Caisse Desjardins des Etchemins"
    assert {(giver, 96000), (giver, 20000), (giver, 8000), (giver, 4000)} <= rows
    assert not any(a in (150000, 700000) for _, a in rows)


def test_the_co_operative_a_page_is_about_gives_in_lower_case(extract):
    out = extract("La Coopérative d'alimentation de Saint-Gédéon fête ses 60 ans. Pour l'occasion, la coopérative "
                  "remettra un don de 3 000 $ au club de soccer.")
    assert ("Coopérative d'alimentation de Saint-Gédéon", 3000, False) in funding(out)
    # two co-operatives: 'la coopérative' is neither
    out = extract("La Coopérative d'alimentation de Saint-Gédéon et la Coopérative forestière de Girardville fêtent. "
                  "Pour l'occasion, la coopérative remettra un don de 3 000 $ au club de soccer.")
    assert not any(a == 3000 and f for f, a, _ in funding(out))


def test_briefs_with_a_title_line_each_and_a_loan_made_with_a_body(extract):
    text = ("EN BREF\n\nDolbeau : la Caisse appuie le festival\nLa Caisse Desjardins de Dolbeau versera 6 000 $ au "
            "festival, à raison de 2 000 $ par année pendant trois ans.\n\nMashteuiatsh : un prêt pour la "
            "coopérative\nLa Coopérative de pêche Ilnu a conclu un prêt de 25 000 $, remboursable sur quatre ans, "
            "avec la SADC du Haut-Saguenay.\n\nAlma : un nouveau départ\nLa Coopérative de taxi d'Alma reçoit une aide "
            "de 7 000 $ pour ses véhicules.\n")
    rows = {(f, a) for f, a, _ in funding(extract(text))}
    assert ("Caisse Desjardins de Dolbeau", 6000) in rows and ("SADC du Haut-Saguenay", 25000) in rows
    assert not any(a == 2000 for _, a in rows)                     # the yearly share of the 6 000 $
    assert not any(a == 7000 and f == "Caisse Desjardins de Dolbeau" for f, a in rows)   # another brief's giver
    assert not any(a == 25000 and f != "SADC du Haut-Saguenay" for f, a in rows)


def test_a_second_lender_whose_verb_is_left_out(extract):
    out = extract("La SADC de Matawinie a consenti un prêt de 40 000 $, et le Fonds d'emprunt économique "
                  "communautaire (FEEC), un prêt de 25 000 $.")
    rows = {(f, a) for f, a, _ in funding(out)}
    assert ("SADC de Matawinie", 40000) in rows and ("Fonds d'emprunt économique communautaire", 25000) in rows


def test_a_co_op_s_acronym_counted_and_its_young_members(extract):
    out = extract("La Coopérative jeunesse de services (CJS) de Mont-Joli a connu un bel été. Dans La Mitis, trois "
                  "CJS étaient actives, et elles regroupaient 38 jeunes coopérants. Au Québec, 150 CJS ont été "
                  "actives.")
    assert {("cooperatives", "jeunesse de services", 3), ("members", "jeunesse de services", 38),
            ("cooperatives", "jeunesse de services", 150)} <= stats(out)


def test_co_operatives_counted_by_what_they_are_and_by_kind_in_parentheses(extract):
    out = extract("Selon la fédération, près de 45 quincailleries coopératives ont vu le jour depuis 2010.")
    assert stats(out) == {("new_cooperatives", "quincailleries", 45)}
    out = extract("Dans la région, les coopératives de travail (21) devancent les coopératives de solidarité (17) et "
                  "les coopératives d'habitation (9).")
    assert stats(out) == {("cooperatives", "travail", 21), ("cooperatives", "solidarité", 17),
                          ("cooperatives", "habitation", 9)}
    # one person's co-operatives are no statistic
    out = extract("Marc Roy s'est impliqué dans deux organisations coopératives de sa région.")
    assert stats(out) == set()


def test_a_typed_table_of_co_operatives_and_jobs_by_sector(extract):
    text = ("Les coopératives de la région en 2024\n\nSecteur          Nombre    Emplois\nAgriculture           12       "
            "340\nHabitation            31        11\nTotal                 43       351\n\nLe portrait a été dressé par la "
            "coopérative de développement.\n")
    assert stats(extract(text)) == {("cooperatives", "agriculture", 12), ("jobs", "agriculture", 340),
                                   ("cooperatives", "habitation", 31), ("jobs", "habitation", 11),
                                   ("cooperatives", None, 43), ("jobs", None, 351)}
    # a table of sales by sector counts nothing
    text = ("Ventes de la coopérative\n\nSecteur          Ventes    Marge\nQuincaillerie         120       "
            "34\nÉpicerie              310       52\n")
    assert stats(extract(text)) == set()


def test_a_business_named_by_its_trade_capitalised_and_the_same_name_in_a_title(extract):
    out = extract("Menuiserie Gauthier : 18 salariés reprennent leur entreprise\n\nÀ Besançon, la Menuiserie Gauthier, "
                  "fondée en 1971, est devenue une société coopérative et participative (Scop) le 2 avril.")
    assert "Menuiserie Gauthier" in names(out, "ORG") and "Menuiserie Gauthier" not in names(out, "PER") | names(out, "LOC")
    assert "Scop" not in names(out, "PER")                         # a kind of body, not a person
    assert {o["name"]: o["kind"] for o in out["organizations"]}["Menuiserie Gauthier"] == "cooperative"
    # a trade alone names nothing; a business that becomes something else is no co-operative
    out = extract("Il a visité la Menuiserie hier. La Boulangerie Roy est devenue la propriété de la famille Roy.")
    assert "Menuiserie" not in names(out, "ORG")
    assert {o["name"]: o["kind"] for o in out["organizations"]}.get("Boulangerie Roy") != "cooperative"


def test_a_rubric_before_a_dash_is_no_place_and_an_issue_line_no_part_of_a_name(extract):
    out = extract("Éditorial – Publié le 3 mai 2024\n\nRimouski – La coopérative ouvre un café.")
    assert "Éditorial" not in names(out, "LOC") and "Rimouski" in names(out, "LOC")
    out = extract("Bulletin du Conseil régional de la coopération de Lanaudière\nVol. 3, no 1 - Hiver 1991\n\n"
                  "Le Conseil a tenu son assemblée.")
    assert "Conseil régional de la coopération de Lanaudière" in names(out, "ORG")
    assert not any("Vol" in n for n in names(out, "ORG"))


def test_a_fund_s_owner_after_its_acronym_is_a_body_not_a_territory(extract):
    out = extract("Les sommes accordées par le Fonds d'aide au développement du milieu (FADM) de la Caisse Desjardins "
                  "de Lotbinière ont été remises. Le Centre local de développement (CLD) de Maskinongé aide aussi.")
    orgs = names(out, "ORG")
    assert {"Fonds d'aide au développement du milieu", "Caisse Desjardins de Lotbinière"} <= orgs
    assert "Centre local de développement (CLD) de Maskinongé" in orgs          # a territory still is the name's


# ---------------------------------------------------------------- 19. from a ninth set written blind
def test_a_municipal_bulletin_s_two_column_table_of_gifts(extract):
    text = ("INFO-CITOYENS\nBulletin d'information de la Municipalité de Saint-Léon-de-Standon\nVolume 9, numéro 2 – "
            "Avril 2025\n\nDONS 2025\n\nOrganisme                                    Montant\n"
            "Coopérative de solidarité de Standon        10 000 $\nClub de ski de fond Le Refuge               "
            "2 500 $\nMaison des jeunes La Bulle                   3 000 $\nTOTAL                                       "
            "15 500 $\n")
    rows = {(f, a) for f, a, _ in funding(extract(text))}
    giver = "Municipalité de Saint-Léon-de-Standon"
    assert {(giver, 10000), (giver, 2500), (giver, 3000)} <= rows
    assert not any(f == "Coopérative de solidarité de Standon" for f, _ in rows)    # a row's body receives
    # justified prose with one wide gap on a line or two is no table
    out = extract("La coopérative a tenu son assemblée   annuelle hier soir.\nLes membres ont élu un nouveau conseil.\n")
    assert "–" not in out["text"][0]["text"]


def test_a_body_s_annual_report_with_a_section_for_each_fund(extract):
    text = ("SADC du Haut-Richelieu – Rapport annuel 2024-2025\n\nNos interventions\n\nLe comité a autorisé 20 "
            "interventions pour un total de 900 000 $.\n\nFonds d'investissement\n\nNotre principal outil, le Fonds "
            "d'investissement, a permis d'accorder 12 prêts pour un montant de 640 000 $. Le prêt moyen s'établit à "
            "53 333 $.\n\nFonds de développement de l'économie sociale\n\nCe fonds a permis d'octroyer trois "
            "subventions, dont 30 000 $ à la Coopérative de solidarité du Vieux-Moulin.\n\nRetombées\n\nQuatre "
            "coopératives figurent parmi les entreprises soutenues cette année.")
    out = extract(text)
    rows = {(f, a) for f, a, _ in funding(out)}
    assert ("Fonds de développement de l'économie sociale", 30000) in rows
    assert ("SADC du Haut-Richelieu", 900000, True) in funding(out)          # the report's total, its masthead's
    assert not any(a == 53333 for _, a in rows)                      # an average loan is no grant
    assert stats(out) == set()                                       # co-operatives it supported are no count


def test_loans_whose_lender_is_the_clause_s_subject_and_a_guaranteed_loan(extract):
    out = extract("Investissement Québec accepte de reporter les remboursements d'un prêt de 900 000 $, alors que la "
                  "Caisse Desjardins du Granit convertit une marge de crédit de 300 000 $ en prêt à terme. Le conseil "
                  "municipal de Lac-Mégantic a accepté de garantir un emprunt de 200 000 $ contracté auprès de la "
                  "Caisse Desjardins du Granit.")
    rows = {(f, a) for f, a, _ in funding(out)}
    assert {("Investissement Québec", 900000), ("Caisse Desjardins du Granit", 300000),
            ("Caisse Desjardins du Granit", 200000), ("conseil municipal de Lac-Mégantic", 200000)} <= rows
    # a co-operative that borrows lends nothing
    out = extract("La Coopérative de travail Les Ateliers du Lac contracte un prêt de 150 000 $ pour ses machines.")
    assert not any(f == "Coopérative de travail Les Ateliers du Lac" for f, _, _ in funding(out))


def test_a_regional_solidarity_fund_a_mayor_in_apposition_and_a_newspaper_s_date_line(extract):
    out = extract("Le Quotidien, mardi 8 avril 2025, page B3\n\nLe Fonds régional de solidarité FTQ Estrie injecte "
                  "250 000 $ dans la coopérative. « C'est une bonne nouvelle », a dit le maire, Bernard Roy.")
    assert ("Fonds régional de solidarité FTQ Estrie", 250000, False) in funding(out)
    assert "Bernard Roy" in names(out, "PER") and not names(out, "LOC") & {"Bernard Roy", "Quotidien", "B3"}
    out = extract("Sainte-Marie, le 3 juin 2025 — La coopérative ouvre un café.")
    assert "Sainte-Marie" in names(out, "LOC")


def test_a_rebate_paid_in_parts_and_a_gift_handed_over_by_the_president(extract):
    out = extract("La Coopérative funéraire de l'Estrie a tenu son assemblée. L'assemblée a voté une ristourne de "
                  "90 000 $ aux membres, versée à raison de 40 000 $ en argent et de 50 000 $ en parts privilégiées. "
                  "Le président sortant, Marc Roy, a remis un chèque de 5 000 $ à la Fondation de l'hôpital de "
                  "Magog.")
    assert funding(out) == {("Coopérative funéraire de l'Estrie", 5000, False)}
    # a president of a document that names two co-operatives gives for neither
    out = extract("La Coopérative funéraire de l'Estrie et la Coopérative d'habitation du Lac ont tenu leurs "
                  "assemblées. Le président, Marc Roy, a remis un chèque de 5 000 $ à la Fondation de l'hôpital.")
    assert not any(a == 5000 and f for f, a, _ in funding(out))


def test_co_operatives_listed_under_a_heading_per_sector_with_their_number(extract):
    text = ("Au cours de l'année, 5 nouvelles coopératives ont vu le jour sur notre territoire. Voici leur portrait.\n\n"
            "Habitation (3)\n- Coopérative d'habitation Le Phare : 24 membres\n- Coop d'habitation Les Pins : 31 "
            "membres\n- Coopérative d'habitation du Ruisseau : 18 membres\n\nAlimentation (2)\n- Coop Le Marché du "
            "Village : 210 membres\n- Épicerie coopérative de Racine : 150 membres\n")
    assert {("new_cooperatives", "habitation", 3), ("new_cooperatives", "alimentation", 2)} <= stats(extract(text))
    # numbers that do not add up to a count written before are no such list
    text = text.replace("5 nouvelles coopératives", "plusieurs coopératives")
    assert not any(s == "habitation" for _, s, _ in stats(extract(text)))


def test_an_old_federation_page_counted_by_sector(extract):
    out = extract("La Fédération groupe 20 coopératives locales, à la suite de l'affiliation de la Coopérative "
                  "agricole de Saint-Bruno et de la Coopérative des producteurs de bleuets de Dolbeau. On dénombre 8 "
                  "coopératives laitières et 4 cooperatives avicoles. Le secteur laitier réunit à lui seul 1 900 "
                  "membres.")
    assert {"Coopérative agricole de Saint-Bruno", "Coopérative des producteurs de bleuets de Dolbeau"} <= names(out, "ORG")
    assert {("cooperatives", "laitier", 8), ("cooperatives", "avicole", 4), ("members", "laitier", 1900)} <= stats(out)


def test_a_caisse_s_sponsorships_picked_out_in_parentheses_and_what_it_returned(extract):
    text = ("Caisse Desjardins du Lac-Témiscouata\n\nEn 2024, votre caisse a retourné 210 000 $ à la collectivité. "
            "Les 30 commandites accordées ont totalisé 45 000 $. Soulignons notamment le Festival du Lac (8 000 $) "
            "et le Club de ski Mont-Citadelle (2 500 $).")
    rows = {(f, a) for f, a, _ in funding(extract(text))}
    giver = "Caisse Desjardins du Lac-Témiscouata"
    assert {(giver, 210000), (giver, 8000), (giver, 2500)} <= rows
    assert not any(f in ("Festival du Lac", "Club de ski Mont-Citadelle") for f, _ in rows)
    # partners thanked with their amounts in parentheses still give them
    out = extract("Le festival remercie ses partenaires : la Caisse Desjardins du Lac-Témiscouata (8 000 $) et la "
                  "Ville de Dégelis (2 500 $).")
    assert {("Caisse Desjardins du Lac-Témiscouata", 8000, False), ("Ville de Dégelis", 2500, False)} <= funding(out)


def test_the_federal_agency_of_the_prairies_is_named_whole(extract):
    out = extract("Développement économique Canada pour les Prairies (PrairiesCan) accorde 275 000 $ à la "
                  "Coopérative communautaire de Zenon Park.")
    assert ("Développement économique Canada pour les Prairies", 275000, False) in funding(out)


# ---------------------------------------------------------------- 20. regressions a review of this change found
def test_review_an_officer_gives_for_the_body_named_after_his_role_never_for_the_recipient(extract):
    out = extract("La Coopérative d'alimentation de Saint-Gédéon a reçu un chèque. Le président du conseil "
                  "d'administration de la Caisse Desjardins du Lac, Marc Roy, a remis un chèque de 5 000 $ à la "
                  "coopérative.")
    rows = {(f, a) for f, a, _ in funding(out)}
    assert ("Caisse Desjardins du Lac", 5000) in rows
    assert not any(f == "Coopérative d'alimentation de Saint-Gédéon" for f, _ in rows)
    out = extract("La Coopérative d'alimentation de Saint-Gédéon fête ses 60 ans. Le président du comité des fêtes a "
                  "remis 2 000 $ au club de soccer.")
    assert not any(a == 2000 and f for f, a, _ in funding(out))


def test_review_support_picked_out_with_amounts_in_parentheses_keeps_its_givers(extract):
    out = extract("Soulignons l'appui de la Caisse Desjardins de Dolbeau (5 000 $) et de la Ville de Dolbeau (2 500 $).")
    assert {("Caisse Desjardins de Dolbeau", 5000, False), ("Ville de Dolbeau", 2500, False)} <= funding(out)


def test_review_field_lines_are_no_brief_titles(extract):
    text = ("Le conseil de la MRC de Portneuf a approuvé le financement de deux projets.\nResponsable : Julie Roy\n"
            "Courriel : info à la MRC\nLa Coopérative de solidarité du Quai recevra 10 000 $ pour son épicerie.\n")
    assert ("MRC de Portneuf", 10000, False) in funding(extract(text))


def test_review_a_table_counting_projects_counts_no_co_operatives(extract):
    text = ("Projets de l'année\n\nSecteur          Nombre de projets    Montant\nAgriculture                     12"
            "       40 000 $\nTourisme                         8       25 000 $\n")
    assert stats(extract(text)) == set()


def test_review_a_loan_made_with_a_co_operative_is_borrowed_not_lent(extract):
    out = extract("Un prêt de 40 000 $ a été conclu avec la Coopérative de solidarité du Quai pour son camion.")
    assert not any(f == "Coopérative de solidarité du Quai" for f, _, _ in funding(out))


def test_review_units_and_formulas_are_no_co_operatives_and_an_active_transformation_makes_none(extract):
    assert stats(extract("La Coopérative d'habitation du Parc offre 24 unités coopératives et 3 formules "
                         "coopératives de location.")) == set()
    out = extract("L'arrivée de la SADC de la Matanie a transformé en coopérative l'ancienne quincaillerie du village.")
    assert {o["name"]: o["kind"] for o in out["organizations"]}.get("SADC de la Matanie") != "cooperative"


def test_review_justified_prose_and_a_late_issue_number_stay_prose(extract):
    text = ("La coopérative de solidarité a tenu son assemblée   générale annuelle le 12 mars dernier, au\n"
            "centre communautaire de la municipalité, où plus de   cent membres et plusieurs invités de la\n"
            "région ont adopté les états financiers et élu un   nouveau conseil d'administration pour l'année\n"
            "qui vient, dans une ambiance chaleureuse et conviviale.\n")
    page = extract(text)["text"][0]["text"]
    assert "–" not in page and len(page.split("\n\n")) == 1
    text = ("La coopérative publie son bulletin depuis dix ans. Le\nnuméro 12, paru en mars, annonce un don de 5 000 $ "
            "au club de soccer du village.\n")
    assert len(extract(text)["text"][0]["text"].split("\n\n")) == 1


# ---------------------------------------------------------------- 21. from a tenth set written blind
def test_a_typed_table_with_rule_lines_under_its_header_and_over_its_totals(extract):
    text = ("Nos coopératives par secteur\n\nSecteur                 Coops    Membres   Emplois\n"
            "==================================================\n"
            "Loisirs                     4        310        12\n"
            "Épiceries                   7      4 120        88\n"
            "--------------------------------------------------\n"
            "Total                      11      4 430       100\n\n"
            "Ces chiffres ont été compilés par la fédération au printemps.\n")
    out = extract(text)
    assert stats(out) == {("cooperatives", "loisirs", 4), ("members", "loisirs", 310), ("jobs", "loisirs", 12),
                          ("cooperatives", "épiceries", 7), ("members", "épiceries", 4120), ("jobs", "épiceries", 88),
                          ("cooperatives", None, 11), ("members", None, 4430), ("jobs", None, 100)}
    # the rule is no part of the header's sentence, and a rule in prose still parts nothing from nothing
    assert "Emplois ===" not in out["text"][0]["text"]
    out = extract("La coopérative a tenu son assemblée.\n-----\nElle compte 40 membres.\n")
    assert stats(out) == set()


def test_a_caisse_s_report_under_its_masthead_gives_its_bulleted_projects(extract):
    text = ("BILAN À LA COMMUNAUTÉ 2025\nCaisse Desjardins des Lacs et Vallées du Témiscamingue\n\n"
            "En 2025, nous avons remis 96 000 $ à des organismes du territoire.\n\n"
            "PROJETS APPUYÉS\n\n"
            "• Coopérative de solidarité du Rocher – 30 000 $ répartis sur deux ans pour rénover son gîte.\n"
            "• Club de ski de fond de Ville-Marie – 6 000 $ pour l'achat d'une surfaceuse.\n\n"
            "Lors de l'assemblée annuelle, les membres ont choisi d'y affecter 50 000 $ à même leur ristourne.\n")
    out = extract(text)
    caisse = "Caisse Desjardins des Lacs et Vallées du Témiscamingue"
    assert caisse in names(out, "ORG")                  # 'et' between two nouns of landscape stays in the name
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert {(caisse, 96000), (caisse, 30000), (caisse, 6000)} <= got
    assert not any(amt == 50000 for _, amt in got)      # what the members allot themselves is no gift


def test_et_before_a_place_or_another_body_still_ends_a_name(extract):
    out = extract("Le Comité des Lacs et Québec ont signé. La Coopérative des Monts et la Caisse Desjardins de Lévis "
                  "ont signé aussi.")
    orgs = names(out, "ORG")
    assert "Comité des Lacs et Québec" not in orgs and "Coopérative des Monts" in orgs
    for text in ("La Caisse Desjardins du Lac et Développement économique Canada financent le projet.",
                 "La Coopérative de la Baie et Services Québec ont signé une entente."):
        orgs = names(extract(text), "ORG")
        assert not any(" et " in o for o in orgs), orgs     # 'et' before another body ends the name
    # a bulleted item's amount raised, not given
    out = extract("Fondation du Centre de santé de Matane\n\nBilan 2024\n\n• Tournoi de golf Bérubé – 42 000 $ amassés "
                  "auprès de 140 golfeurs.\n• Souper de homard – 18 000 $ pour l'achat d'un échographe.\n")
    recipients = {f["recipient"] for f in out["funding"]}
    assert "Tournoi de golf Bérubé" not in recipients


def test_a_round_of_funders_with_the_verb_and_the_comma_left_out(extract):
    out = extract("Pour la reprise, la Caisse Desjardins de Rimouski accorde un prêt de 200 000 $, la SADC de la "
                  "Neigette un prêt participatif de 75 000 $ et la MRC de Rimouski-Neigette une subvention de 20 000 $. "
                  "Les employés, eux, apportent 60 000 $ au capital, soit 5 000 $ chacun en moyenne.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert {("Caisse Desjardins de Rimouski", 200000), ("SADC de la Neigette", 75000),
            ("MRC de Rimouski-Neigette", 20000)} <= got
    assert not any(amt in (60000, 5000) for _, amt in got)     # the workers' own capital and its average


def test_a_rate_per_inhabitant_and_a_co_op_s_own_works_are_no_grants(extract):
    out = extract("La Municipalité de Lac-des-Aigles verse 4 $ par habitant à la coopérative de santé, et la "
                  "Municipalité de Biencourt, 3 000 $ par année. La coopérative a investi 40 000 $ dans la rénovation "
                  "de sa clinique.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert ("Municipalité de Biencourt", 3000) in got
    assert not any(amt in (4, 40000) for _, amt in got)
    # money put into another body is still given
    out = extract("La Coopérative funéraire de l'Estuaire a investi 15 000 $ dans la Coopérative de solidarité du Parc.")
    assert ("Coopérative funéraire de l'Estuaire", 15000) in {(f, amt) for f, amt, _ in funding(out)}


def test_a_grant_given_within_a_programme_named_after_its_common_noun(extract):
    out = extract("Le ministère accorde 90 000 $ par l'entremise du Fonds d'appui aux régions (FAR) et un prêt de "
                  "40 000 $ octroyé dans le cadre du programme Essor des entreprises collectives (EEC).")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert ("Essor des entreprises collectives", 40000) in got
    assert ("Fonds d'appui aux régions", 40000) not in got


def test_a_page_typed_from_an_old_ocr_keeps_its_numbers(extract):
    out = extract("En l981, la Société de développement des coopératives a consenti un prêt de 14O 000 $ à la "
                  "Coopérative agricole de la Baie. Les 9 coopératives du secteur comptent l 2O4 membres et "
                  "emploient 2l0 personnes.\n")
    assert ("Société de développement des coopératives", 140000) in {(f, amt) for f, amt, _ in funding(out)}
    assert ("jobs", None, 210) in stats(out)


# ---------------------------------------------------------------- 22. from an eleventh set written blind
def test_items_that_open_with_their_amount_are_given_by_the_list_s_giver(extract):
    text = ("La Caisse Desjardins de la Vallée a remis 91 000 $ à 22 organismes en 2025. Parmi les dons marquants :\n\n"
            "• 30 000 $ sur trois ans à la Coopérative de solidarité Le Fournil, de Louiseville, pour son four à bois;\n"
            "• 9 000 $ à la Coopérative d'habitation Les Saules, dont la toiture, évaluée à 400 000 $, reçoit aussi "
            "une subvention de 80 000 $ de la Société d'habitation du Québec;\n"
            "• 6 500 $ au Club de patinage de Yamachiche pour ses costumes.\n")
    got = {(f, amt) for f, amt, _ in funding(extract(text))}
    caisse = "Caisse Desjardins de la Vallée"
    assert {(caisse, 91000), (caisse, 30000), (caisse, 9000), ("Société d'habitation du Québec", 80000),
            (caisse, 6500)} <= got                      # the body named inside one item gives that item only
    # an item opening with an amount that goes to no one is no grant, a giver named before or not
    out = extract("La Caisse Desjardins de la Vallée a remis 91 000 $ à 22 organismes.\n\nDépenses de l'exercice :\n\n"
                  "• 12 000 $ en frais de chauffage;\n• 4 300 $ en assurances au Groupe Promutuel.\n")
    assert {amt for _, amt, _ in funding(out)} == {91000}


def test_a_body_opening_the_clause_of_a_kind_of_funding_gives_it_without_a_verb_of_giving(extract):
    out = extract("Le montage est bouclé. La Caisse Desjardins du Fjord fournit 50 000 $. Développement économique "
                  "Canada suit avec 120 000 $, non remboursables.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert {("Caisse Desjardins du Fjord", 50000), ("Développement économique Canada", 120000)} <= got
    # a body far from the amount, that receives it, gives nothing
    out = extract("La Fédération des coopératives d'alimentation a eu une excellente nouvelle lors du dernier budget "
                  "provincial, qui prévoit pour elle une aide non remboursable de 300 000 $.")
    assert not any(f == "Fédération des coopératives d'alimentation" for f, _, _ in funding(out))


def test_a_co_op_speaking_of_itself_gives_no_statistics(extract):
    out = extract("Notre coopérative de services financiers compte 8 450 membres particuliers et 612 membres "
                  "entreprises, parmi lesquels 97 coopératives.")
    assert not out["coop_stats"]
    out = extract("Le Québec compte 3 000 coopératives non financières et 1 200 000 membres.")
    assert {s["value"] for s in out["coop_stats"]} >= {3000}


def test_review_a_co_op_speaking_of_itself_keeps_the_counts_of_the_sets_it_belongs_to(extract):
    for text, value in (("Notre coopérative est l'une des 37 coopératives funéraires du Québec.", 37),
                        ("Cette coopérative rejoint ainsi les 3 300 coopératives du Québec.", 3300),
                        ("Notre coopérative fait partie d'un réseau de 225 coopératives d'habitation.", 225)):
        assert value in {s["value"] for s in extract(text)["coop_stats"]}, text
    out = extract("Notre coopérative emploie 45 personnes.")
    assert not out["coop_stats"]


def test_review_an_item_s_own_giver_serves_its_second_sentence_and_spending_items_are_no_grants(extract):
    text = ("La Caisse Desjardins de la Vallée a remis 40 000 $ à des organismes en 2025. Parmi les dons :\n\n"
            "– 9 000 $ à la Coopérative d'habitation Les Saules, dont la toiture reçoit aussi une subvention de "
            "80 000 $ de la Société d'habitation du Québec;\n"
            "– 6 500 $ au Club de patinage de Yamachiche pour ses costumes.\n"
            "• La MRC de Maskinongé accorde 10 000 $ au Marché public de Louiseville. Elle versera aussi 5 000 $ "
            "au Club de soccer de Louiseville.\n"
            "• 12 000 $ en frais de déplacement au Centre de congrès de Trois-Rivières.\n")
    got = {(f, amt) for f, amt, _ in funding(extract(text))}
    caisse = "Caisse Desjardins de la Vallée"
    assert {(caisse, 9000), ("Société d'habitation du Québec", 80000), (caisse, 6500),
            ("MRC de Maskinongé", 10000), ("MRC de Maskinongé", 5000)} <= got
    assert not any(amt == 12000 for _, amt in got)
    # a deposit not refunded is no grant; a round's verb with a recipient opening the clause gives nothing
    out = extract("La Caisse Desjardins de Mékinac a remis 5 000 $ au club. Un dépôt de 200 $, non remboursable, est "
                  "exigé à la réservation de la salle.")
    assert not any(amt == 200 for _, amt, _ in funding(out))
    out = extract("La Caisse Desjardins de Mékinac a remis 5 000 $ au club. La Maison des jeunes de Mékinac, grâce à "
                  "une subvention de 20 000 $, pourra ouvrir le samedi.")
    assert not any(f == "Maison des jeunes de Mékinac" for f, _, _ in funding(out))


def test_a_capital_inside_a_body_s_name_is_no_government_and_quebec_may_give_by_going_for_it(extract):
    out = extract("La coopérative achète une presse. Investissement Québec lui accorde un prêt de 75 000 $.")
    assert ("Investissement Québec", 75000) in {(f, amt) for f, amt, _ in funding(out)}
    out = extract("La Caisse Desjardins du Témis donne 10 000 $. Et Québec y va d'un coup de pouce de 15 000 $, obtenu "
                  "par la députée.")
    assert ("Québec", 15000) in {(f, amt) for f, amt, _ in funding(out)}
    # a capital that goes nowhere with money is still a place
    out = extract("La délégation va à Québec de nouveau en juin pour rencontrer les élus.")
    assert "Québec" not in names(out, "ORG")


def test_a_venue_or_a_street_named_after_someone_names_no_person(extract):
    out = extract("L'assemblée aura lieu à la salle Gérard-Fortin, 410, boulevard Marie-Victorin, à Sorel-Tracy. "
                  "Le studio Hélène-Ouellet sera ouvert aux membres.")
    assert not names(out, "PER")
    orgs = names(out, "ORG")
    assert "salle Gérard-Fortin" in orgs and "studio Hélène-Ouellet" in orgs
    assert "Marie-Victorin" not in names(out, "LOC")
    # an address's street is no place; its town is
    out = extract("La coopérative ouvre au 88, chemin Denison Est, à Granby, et au 12, rue Principale Ouest, à Magog.")
    assert names(out, "LOC") == {"Granby", "Magog"}
    # a venue inside a body's name stays the body's; a person named in full stays a person
    out = extract("La Fondation de l'école Marie-Victorin remercie Gérard Fortin, qui préside la salle comble.")
    assert "Gérard Fortin" in names(out, "PER")
    assert not any(o.lower().startswith("école") for o in names(out, "ORG"))


def test_a_first_name_alone_is_a_person_not_a_place(extract):
    out = extract("Un grand merci à Ginette et à Réjean, qui ont repeint le local des jeunes en janvier.")
    assert {"Ginette", "Réjean"} <= names(out, "PER")
    assert not ({"Ginette", "Réjean"} & names(out, "LOC"))
    out = extract("Le congrès se tiendra à Florence, puis à Laval en 2026.")
    assert {"Florence", "Laval"} <= names(out, "LOC")


def test_public_funders_of_the_other_provinces_and_of_old_bulletins_are_known(extract):
    out = extract("Opportunités Nouveau-Brunswick consent pour sa part un prêt de 400 000 $ à la coopérative de "
                  "Caraquet. En 1984, la Société de développement des coopératives lui avait accordé 60 000 $.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert {("Opportunités Nouveau-Brunswick", 400000), ("Société de développement des coopératives", 60000)} <= got


def test_a_gapped_giver_whose_kind_takes_a_complement_and_members_shares_after_qui(extract):
    out = extract("Le Réseau d'investissement social du Québec lui consent un prêt de 40 000 $ et la Fiducie du Chantier "
                  "de l'économie sociale, un prêt de capital patient de 120 000 $. Le reste vient de la Caisse "
                  "Desjardins de Magog et de la mise de fonds des 96 membres fondateurs, qui ont souscrit 24 000 $ en "
                  "parts sociales.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert ("Fiducie du Chantier de l'économie sociale", 120000) in got
    assert not any(amt == 24000 for _, amt in got)
    # a body's 'qui' still gives
    out = extract("La Caisse Desjardins de Magog, qui a versé 45 000 $ à la coopérative, est fière du résultat.")
    assert ("Caisse Desjardins de Magog", 45000) in {(f, amt) for f, amt, _ in funding(out)}


def test_a_table_s_total_row_of_several_columns_is_no_funding_total(extract):
    text = ("Tableau 3 – Coopératives actives, par secteur, Bas-Saint-Laurent, 2023\n\n"
            "Secteur                 Coops   Membres   Emplois   Chiffre d'affaires\n"
            "Habitation                 33       910        14          5,1 M$\n"
            "Alimentation               11     7 420       180         36,2 M$\n"
            "Total                      44     8 330       194         41,3 M$\n")
    assert not any(amt == 41300000 for _, amt, _ in funding(extract(text)))
    # a list's total line of one amount is still one
    out = extract("La Caisse Desjardins de Rimouski a remis ses dons :\n\nClub de ski Mont-Comi ......... 5 000 $\n"
                  "Maison des jeunes de Rimouski ..... 3 000 $\nTOTAL DES DONS ................. 8 000 $\n")
    assert any(f.get("is_total") and f["amount"] == 8000 for f in out["funding"])


def test_the_board_of_the_one_co_op_a_page_reports_on_gives_for_it(extract):
    out = extract("La Coopérative funéraire du Granit a tenu son assemblée. La coopérative versera à ses membres une "
                  "ristourne de 86 000 $. Le conseil a aussi remis 5 000 $ à la Maison de soins palliatifs du Granit "
                  "pour son jardin.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert ("Coopérative funéraire du Granit", 5000) in got and not any(amt == 86000 for _, amt in got)
    # in minutes, 'le conseil' is the municipal council
    out = extract("PROVINCE DE QUÉBEC\nMUNICIPALITÉ DE SAINT-ÉLOI\n\nProcès-verbal de la séance ordinaire du conseil "
                  "municipal tenue le 3 mars 2025.\n\nLe conseil remet 2 500 $ à la Coopérative de solidarité du "
                  "Village pour son épicerie.")
    assert any(f.startswith("Municipalité de Saint-Éloi") and amt == 2500 for f, amt, _ in funding(out)), funding(out)


def test_a_table_typed_with_pipes_reads_the_aid_column_not_the_project_s_cost(extract):
    text = ("MRC DES ETCHEMINS\nFonds régions et ruralité — projets acceptés par le conseil de la MRC le 12 mars 2025\n\n"
            "Organisme | Municipalité | Projet | Coût du projet | Aide accordée\n"
            "Coopérative de solidarité Le Relais | Lac-Etchemin | Agrandissement du dépanneur | 210 000 $ | 30 000 $\n"
            "Club de ski de fond Les Sapins | Sainte-Justine | Achat d'une dameuse | 95 400 $ | 15 000 $\n"
            "Maison des jeunes de Saint-Prosper | Saint-Prosper | Local insonorisé | 48 000 $ | —\n"
            "TOTAL | | | 353 400 $ | 45 000 $\n")
    out = extract(text)
    assert out["tables"] and out["tables"][0]["columns"][-2:] == ["cost", "amount"]
    rows = {(f["recipient"], f["amount"], bool(f.get("is_total"))) for f in out["funding"]}
    assert rows == {("Coopérative de solidarité Le Relais", 30000, False), ("Club de ski de fond Les Sapins", 15000, False),
                    (None, 45000, True)}
    assert all(f["funder"] == "conseil de la MRC" for f in out["funding"])


def test_a_typed_table_that_names_no_giver_is_the_giver_of_its_page(extract):
    text = ("Municipalité de Saint-Odilon\n\nMot du maire\n\nLe conseil municipal a appuyé les organismes du village "
            "cette année.\n\nDONS 2025\n\nOrganisme                                   Montant\n"
            "Club de l'Âge d'Or de Saint-Odilon            1 500 $\nMaison des jeunes Le Repaire                  3 000 $\n"
            "TOTAL                                         4 500 $\n")
    got = {(f, amt) for f, amt, _ in funding(extract(text))}
    assert {("Municipalité de Saint-Odilon", 1500), ("Municipalité de Saint-Odilon", 3000)} <= got


def test_dollars_as_people_say_them_and_a_wage_by_the_hour(extract):
    out = extract("Pis la MRC de La Haute-Côte-Nord, elle, nous verse vingt mille piasses pour le projet. On va engager "
                  "quatre étudiants, à dix-huit dollars de l'heure.")
    got = {(f, amt) for f, amt, _ in funding(out)}
    assert ("MRC de La Haute-Côte-Nord", 20000) in got and not any(amt == 18 for _, amt in got)
    assert 20000 in {m["value"]["amount"] for m in out["mentions"] if m["label"] == "MONEY"}


def test_a_riding_of_two_places_is_one_place_and_a_role_s_holder_after_its_adjective_a_person(extract):
    out = extract("La députée d'Abitibi—Témiscamingue, Marie Roy, était présente, a dit la directrice générale, "
                  "Nancy Ouellet.")
    assert "Abitibi—Témiscamingue" in names(out, "LOC")
    assert {"Marie Roy", "Nancy Ouellet"} <= names(out, "PER")
    # a body's acronym before the first place stays the body's
    out = extract("Le Fonds régional de solidarité FTQ Saguenay–Lac-Saint-Jean investit 350 000 $.")
    assert not any(n.startswith("FTQ") for n in names(out, "LOC"))
    out = extract("Le CISSS du Bas-Saint-Laurent fournit une infirmière à la coopérative de santé.")
    assert "CISSS du Bas-Saint-Laurent" in names(out, "ORG")


def test_a_surname_that_is_a_body_of_the_gazetteer_stays_a_person_s(extract):
    out = extract("Le fondateur, Jacques Desjardins, a ouvert la librairie en 1989. Le conseiller Denis Desjardins "
                  "propose la résolution.")
    assert {"Jacques Desjardins", "Denis Desjardins"} <= names(out, "PER")
    assert "Desjardins" not in names(out, "ORG")
    out = extract("La Caisse Desjardins de Rouyn-Noranda et Desjardins appuient le projet.")
    assert {"Caisse Desjardins de Rouyn-Noranda", "Desjardins"} <= names(out, "ORG")


# ---------------------------------------------------------------- review of the twelfth set's mends
def test_review_a_street_or_venue_inside_a_body_s_name_stays_the_body_s(extract):
    for text, body in (("La Coopérative d'habitation de la rue Principale a reçu 5 000 $ de la Ville de Rimouski.",
                        "Coopérative d'habitation de la rue Principale"),
                       ("La Caisse Desjardins du boulevard Saint-Laurent a remis 5 000 $ au club de soccer.",
                        "Caisse Desjardins du boulevard Saint-Laurent"),
                       ("Le Comité de parents de l'école Jean-Raimbault a reçu 1 000 $ de la Ville de Drummondville.",
                        "Comité de parents de l'école Jean-Raimbault")):
        assert body in names(extract(text), "ORG"), text


def test_review_plain_tables_keep_their_place_their_caption_and_their_kind(extract):
    # a table skipped (a row of more cells) does not lend its header to the next; the prose between stays read
    text = ("Projets de 2023\n\nOrganisme | Projet | Aide accordée\nCoop A | Jardin | 5 000 $ | reporté\n"
            "Coop B | Serre | 6 000 $\n\nLa MRC de Matane a aussi versé 20 000 $ à la Coopérative de solidarité "
            "du Phare pour son étude.\n\nProjets de 2024\n\nOrganisme | Projet | Aide accordée\n"
            "Coop D | Four | 7 000 $\nCoop E | Quai | 8 000 $\n")
    out = extract(text)
    assert ("MRC de Matane", 20000) in {(f, amt) for f, amt, _ in funding(out)}
    assert [t["caption"] for t in out["tables"]] == ["Projets de 2024"]
    # a long paragraph above a table is no caption: no giver taken from it
    out = extract("Le comité, présidé par Marie Roy, s'est réuni trois fois cette année pour étudier avec soin les "
                  "demandes reçues des organismes du territoire et les recommander au conseil.\n\n"
                  "Organisme | Projet | Aide accordée\nCoop A | Jardin | 5 000 $\nCoop B | Serre | 7 500 $\n")
    assert not any(f == "Marie Roy" for f, _, _ in funding(out))
    # bills to pay are no grants of the municipality
    out = extract("Municipalité de Saint-Fabien\n\nComptes à payer\n\nFournisseur | Description | Montant\n"
                  "Hydro-Québec | Électricité | 1 234,56 $\nBéton Rimouski inc. | Trottoirs | 45 000 $\n")
    assert not any(f and f.startswith("Municipalité") for f, _, _ in funding(out))
    # a two-column table typed with pipes is a table; an OCR's '|' for an 'l' is no cell
    out = extract("DONS 2025\n\nOrganisme | Montant\nClub de ski Mont-Comi | 5 000 $\nMaison des jeunes | 3 000 $\n")
    assert out["tables"]
    out = extract("La Caisse Desjardins de |'Est a remis 5 000 $ à |a Coop |e Relais pour\nson projet. |a MRC de |a "
                  "Mitis | a aussi donné.\n")
    assert not out["tables"]


def test_review_total_lines_relatives_councils_and_verbs_of_going(extract):
    out = extract("Les dons de la Caisse Desjardins de Rimouski :\n\n• Club de ski – 5 000 $\n• Maison des jeunes – "
                  "3 000 $\n\nTotal 2023 : 8 000 $ répartis entre 2 organismes.")
    assert any(f.get("is_total") and f["amount"] == 8000 for f in out["funding"])
    out = extract("Ce sont les citoyens de Saint-Fabien qui profiteront des 50 000 $ accordés par la MRC de "
                  "Rimouski-Neigette.")
    assert ("MRC de Rimouski-Neigette", 50000) in {(f, amt) for f, amt, _ in funding(out)}
    out = extract("La Coopérative de solidarité du Bic tient son assemblée. Le conseil régional de l'environnement a "
                  "remis 2 000 $ à la Maison des jeunes.")
    assert not any(f == "Coopérative de solidarité du Bic" for f, _, _ in funding(out))
    for text in ("La Maison des jeunes du Bic va de l'avant avec une aide de 5 000 $.",
                 "Le Centre d'action bénévole de Matane avance avec un financement de 30 000 $."):
        assert not any(f and ("Maison" in f or "Centre" in f) for f, _, _ in funding(extract(text))), text


def test_review_a_first_name_after_an_article_or_alone_after_a_preposition_is_no_person(extract):
    for text in ("Une délégation de la Dominique est venue.", "Elle a grandi à Maurice, loin d'ici.",
                 "Les gens de Charlotte ont visité la coopérative."):
        assert not names(extract(text), "PER"), text

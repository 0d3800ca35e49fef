"""Records from real French sentences of the genre: funding, co-op statistics, people, events, organisations."""
import pytest


def rec(extract, text, kind, issue_date=None):
    return extract(text, issue_date)[kind]


def test_shared_funding_with_each_and_total(extract):
    out = extract("Le MAMROT et la CRÉ y ont injecté 250 000 $ chacun sur cinq ans alors qu’Emploi-Québec y a investi "
                  "un montant de 75 000 $ pour un total de 575 000 $.")
    rows = {(f["funder"], f["amount"], f["period_years"], f["is_total"]) for f in out["funding"]}
    assert rows == {("MAMROT", 250000, 5, False), ("CRÉ", 250000, 5, False), ("Emploi-Québec", 75000, None, False),
                    (None, 575000, None, True)}


def test_funding_with_recipient_and_kind(extract):
    out = extract("La Société d'aide au développement des collectivités du Suroît-Sud a accordé un prêt de 40 000 $ "
                  "à la Coopérative de solidarité Les Jardins du Lac en mars 2011.")
    (f,) = out["funding"]
    assert f["funder"].startswith("Société d'aide au développement des collectivités")
    assert f["amount"] == 40000 and f["kind"] == "prêt"
    assert f["recipient"] == "Coopérative de solidarité Les Jardins du Lac"
    assert f["date"] == "2011-03"


def test_received_funding_reverses_roles(extract):
    out = extract("La Coopérative de travailleurs Forêt Boréale a reçu une subvention de 1,2 M$ du ministère des "
                  "Ressources naturelles et de la Faune.")
    (f,) = out["funding"]
    assert f["recipient"] == "Coopérative de travailleurs Forêt Boréale"
    assert f["funder"] == "ministère des Ressources naturelles et de la Faune"
    assert f["amount"] == 1_200_000 and f["kind"] == "subvention"


def test_money_without_funding_cue_is_not_funding(extract):
    out = extract("La coopérative affiche un chiffre d'affaires de 2,3 millions de dollars.")
    assert out["funding"] == []
    assert [m["value"]["amount"] for m in out["mentions"] if m["label"] == "MONEY"] == [2_300_000]


def test_enumerated_coop_statistics(extract):
    out = extract("Dans la Vallée-du-Haut-Saint-Laurent, on compte 53 coopératives non financières œuvrant dans divers "
                  "secteurs : 21 coopératives en habitation, 13 dans le secteur de l’agriculture, sept offrant des services "
                  "à la population et deux coopératives de travailleurs, regroupant ainsi près de 10 000 membres et créant "
                  "environ 500 emplois.")
    stats = {(s["measure"], s["sector"], s["value"], s["approximate"]) for s in out["coop_stats"]}
    assert ("cooperatives", None, 53, False) in stats
    assert ("cooperatives", "habitation", 21, False) in stats
    assert ("cooperatives", "agriculture", 13, False) in stats
    assert ("cooperatives", "services à la population", 7, False) in stats
    assert ("cooperatives", "travailleurs", 2, False) in stats
    assert ("members", None, 10000, True) in stats and ("jobs", None, 500, True) in stats
    assert all(s["region"] == "Vallée-du-Haut-Saint-Laurent" for s in out["coop_stats"])


def test_new_cooperatives(extract):
    out = extract("Dans la région, sept nouvelles coopératives ont été créées depuis les trois dernières années.")
    assert [(s["measure"], s["value"]) for s in out["coop_stats"]] == [("new_cooperatives", 7)]


def test_counts_outside_cooperatives_are_not_stats(extract):
    out = extract("Le festival a attiré 3 000 visiteurs et 45 exposants.")
    assert out["coop_stats"] == []


def test_person_with_role_organisation_and_since(extract):
    out = extract("Depuis le 16 avril 2012, madame Véronica Pérez assume le rôle de conseillère en économie sociale "
                  "et immigration à la CRÉ VHSL.")
    (p,) = out["people"]
    assert p["name"] == "Véronica Pérez" and p["organization"] == "CRÉ VHSL" and p["since"] == "2012-04-16"
    assert p["role"] == "conseillère en économie sociale et immigration"


def test_person_apposition(extract):
    out = extract("Le dossier était sous la responsabilité de Clément Bergeron, conseiller principal en développement "
                  "social de la CRÉ.")
    (p,) = out["people"]
    assert (p["name"], p["role"], p["organization"]) == ("Clément Bergeron", "conseiller principal en développement social", "CRÉ")


def test_event_with_date_place_participants(extract):
    out = extract("Le 8 avril 2011 à Salaberry-de-Valleyfield, les membres du pôle ont réuni une centaine "
                  "d’intervenants pour la tenue du premier colloque régional en économie sociale.")
    (e,) = out["events"]
    assert e["date"] == "2011-04-08" and e["place"] == "Salaberry-de-Valleyfield" and e["participants"] == 100
    assert "colloque régional en économie sociale" in e["title"]


def test_organisation_kind_sector_and_acronym(extract):
    out = extract("Le pôle réunit la Coopérative des Petites Écores (agroalimentaire) et la Centrale des syndicats "
                  "nationaux (CSN). La CSN appuie le projet.")
    orgs = {o["name"]: o for o in out["organizations"]}
    assert orgs["Coopérative des Petites Écores"]["kind"] == "cooperative"
    assert orgs["Coopérative des Petites Écores"]["sector"] == "agroalimentaire"
    assert orgs["Centrale des syndicats nationaux"]["acronym"] == "CSN"
    assert "CSN" not in orgs      # the acronym joins its expansion's record


def test_evidence_points_into_the_page_text(extract):
    from pipeline.records import names
    out = extract("Le MAMROT a versé 250 000 $ à la Coopérative de Rimouski. Une autre phrase suit.")
    page = out["text"][0]["text"]
    assert out["organizations"] and out["funding"]
    for kind in names():
        for r in out[kind]:
            ev = r["evidence"]
            assert page[ev["start"]:ev["end"]] == ev["text"], (kind, r)
    assert all("250 000 $" in f["evidence"]["text"] for f in out["funding"])


def test_mention_offsets_slice_page_text(extract):
    out = extract("Le 8 avril 2011, le MAMROT a versé 250 000 $ à 42 coopératives de la Montérégie.")
    page = out["text"][0]["text"]
    assert out["mentions"]
    for m in out["mentions"]:
        assert page[m["start"]:m["end"]] == m["text"]


# ---- constructions met on the dev pages (tests/data/dev); one regression case each

def test_gapped_funding_list_and_total_by_sum(extract):
    out = extract("Le fonds disposera de 2,3 millions de dollars sur trois ans. La Conférence régionale des élus du "
                  "Bas-Saint-Laurent y contribue 1 million de dollars, la Fiducie du Chantier de l'économie sociale "
                  "800 000 $ et la Caisse d'économie solidaire Desjardins 500 000 $.")
    rows = {(f["funder"], f["amount"], f["is_total"]) for f in out["funding"]}
    assert rows == {(None, 2_300_000, True), ("Conférence régionale des élus du Bas-Saint-Laurent", 1_000_000, False),
                    ("Fiducie du Chantier de l'économie sociale", 800_000, False),
                    ("Caisse d'économie solidaire Desjardins", 500_000, False)}


def test_budget_broken_down_with_dont(extract):
    out = extract("Pour 2011-2012, le Pôle dispose d'un budget de 310 000 $, dont 150 000 $ du ministère de la Famille, "
                  "85 000 $ de la Conférence régionale des élus de l'Estrie et 75 000 $ d'Emploi-Québec.")
    rows = {(f["funder"], f["amount"], f["is_total"]) for f in out["funding"]}
    assert rows == {(None, 310_000, True), ("ministère de la Famille", 150_000, False),
                    ("Conférence régionale des élus de l'Estrie", 85_000, False), ("Emploi-Québec", 75_000, False)}


def test_funder_after_amount_and_relative_qui(extract):
    out = extract("En juin 2011, la Coopérative forestière de Girardville a obtenu un prêt de 1,2 M$ d'Investissement "
                  "Québec pour moderniser son usine. Avec l'appui de la SADC des Basques, qui a accordé un prêt de "
                  "25 000 $, et du CLD des Basques (15 000 $), la coopérative a rouvert.")
    rows = {(f["funder"], f["amount"]) for f in out["funding"]}
    assert rows == {("Investissement Québec", 1_200_000), ("SADC des Basques", 25_000), ("CLD des Basques", 15_000)}
    assert next(f for f in out["funding"] if f["amount"] == 1_200_000)["recipient"] == "Coopérative forestière de Girardville"


def test_costs_and_ceilings_are_not_funding(extract):
    out = extract("L'événement, organisé par le Conseil de la coopération de l'Outaouais, a coûté près de 180 000 $. "
                  "Les projets retenus pourront recevoir jusqu'à 100 000 $ chacun.")
    assert out["funding"] == []


def test_enumeration_after_dont_and_adjective_sectors(extract):
    out = extract("La région compte 87 coopératives non financières, dont 34 en habitation, 18 en foresterie, neuf dans "
                  "le secteur funéraire, une douzaine en alimentation et 14 dans des secteurs divers. On y trouve "
                  "aussi 22 coopératives forestières et 15 coopératives agricoles.")
    rows = {(s["sector"], s["value"]) for s in out["coop_stats"]}
    assert rows == {(None, 87), ("habitation", 34), ("foresterie", 18), ("services funéraires", 9),
                    ("alimentation", 12), ("divers", 14), ("foresterie", 22), ("agriculture", 15)}
    assert next(s for s in out["coop_stats"] if s["value"] == 12)["approximate"] is True


def test_label_colon_count_sectors(extract):
    out = extract("Les coopératives de l'Outaouais en bref. Habitation : 27 coopératives. Santé : 5 coopératives. "
                  "Source : CCO, décembre 2010.")
    assert {(s["sector"], s["value"]) for s in out["coop_stats"]} == {("habitation", 27), ("santé", 5)}


def test_jobs_as_people_employed(extract):
    out = extract("Le territoire compte 112 coopératives, qui emploient 2 300 personnes et réunissent environ "
                  "60 000 membres.")
    assert {(s["measure"], s["value"]) for s in out["coop_stats"]} == {("cooperatives", 112), ("jobs", 2300),
                                                                        ("members", 60000)}


def test_people_in_a_coop_are_not_a_coop_count(extract):
    out = extract("Cet été, quarante-deux jeunes de 12 à 17 ans ont travaillé en coopérative.")
    assert out["coop_stats"] == []


def test_acronym_long_form_with_closing_territory(extract):
    out = extract("Agente de développement, CDR Saguenay–Lac-Saint-Jean\n\nLa Coopérative de développement régional "
                  "du Saguenay–Lac-Saint-Jean (CDR) accompagne les promoteurs de projets collectifs.")
    (org,) = [o for o in out["organizations"] if o["acronym"] == "CDR"]
    assert org["name"] == "Coopérative de développement régional du Saguenay–Lac-Saint-Jean"
    assert org["kind"] == "cooperative"
    assert "Saguenay–Lac-Saint-Jean" in {m["text"] for m in out["mentions"] if m["label"] == "LOC"}


def test_places_that_end_organisation_names(extract):
    out = extract("La Coopérative forestière de Girardville a reçu l'appui de la Caisse Desjardins du "
                  "Lac-Memphrémagog et de la Coopérative de développement régional du Bas-Saint-Laurent–Côte-Nord.")
    places = {m["text"] for m in out["mentions"] if m["label"] == "LOC"}
    assert {"Girardville", "Lac-Memphrémagog", "Bas-Saint-Laurent", "Côte-Nord"} <= places
    assert "Desjardins" not in places


def test_words_of_a_name_are_not_places(extract):
    out = extract("Le ministère du Développement économique, de l'Innovation et de l'Exportation appuie le Musée "
                  "de Société des Deux-Rives.")
    places = {m["text"] for m in out["mentions"] if m["label"] == "LOC"}
    assert not places & {"Exportation", "Innovation", "Deux-Rives"}


def test_hyphenated_byline_name(extract):
    out = extract("par SOPHIE GAUTHIER-ROY\n\nLe Pôle d'économie sociale de l'Estrie a tenu son assemblée.")
    assert [p["name"] for p in out["people"]] == ["Sophie Gauthier-Roy"]


def test_generic_plural_is_not_a_cooperative(extract):
    out = extract("Les coopératives jeunesse de services (CJS) de Coaticook accueillent 42 jeunes. La Coopérative "
                  "de solidarité de Stanstead (santé) a ouvert.")
    coops = [o["name"] for o in out["organizations"] if o["kind"] == "cooperative"]
    assert coops == ["Coopérative de solidarité de Stanstead"]


def test_sentence_initial_common_noun_is_not_a_place(extract):
    out = extract("Habitation : 27 coopératives. Alimentation : 8 coopératives.")
    assert [m for m in out["mentions"] if m["label"] == "LOC"] == []


def test_territory_after_a_defined_acronym_belongs_to_the_name(extract):
    out = extract("Le Centre local de développement (CLD) de Maskinongé a aussi annoncé une contribution non "
                  "remboursable de 25 000 $ à la Coopérative de solidarité Le Rucher. Le CLD appuie d'autres projets.")
    orgs = {o["name"]: o["acronym"] for o in out["organizations"]}
    assert orgs["Centre local de développement de Maskinongé"] == "CLD"
    (f,) = out["funding"]
    assert (f["funder"], f["amount"], f["recipient"]) == \
        ("Centre local de développement de Maskinongé", 25000, "Coopérative de solidarité Le Rucher")
    # a kind of body (lower case) in several towns stays the kind
    out = extract("Des jeunes ont travaillé dans les coopératives jeunesse de services (CJS) de Coaticook, "
                  "d'Asbestos et de Lac-Mégantic.")
    assert "coopératives jeunesse de services de Coaticook" not in [o["name"] for o in out["organizations"]]


def test_funder_after_the_period_of_the_funding(extract):
    out = extract("La Coopérative forestière du Haut-Saint-Maurice a reçu une aide financière de 450 000 $ sur "
                  "trois ans de Développement économique Canada.")
    (f,) = out["funding"]
    assert (f["funder"], f["recipient"], f["amount"], f["period_years"]) == \
        ("Développement économique Canada", "Coopérative forestière du Haut-Saint-Maurice", 450000, 3)


def test_funding_verb_in_the_present_tense(extract):
    # the tagger reads 'injecte' as a noun here, so the lemma rule misses it; the form rule does not
    out = extract("Le Fonds de solidarité FTQ y injecte pour sa part 2,2 millions de dollars.")
    assert [(f["funder"], f["amount"]) for f in out["funding"]] == [("Fonds de solidarité FTQ", 2_200_000)]


def test_a_place_is_the_gazetteer_s_whole_name_not_the_model_s_part(extract):
    # the model tags 'Tuque' of 'La Tuque'; the place mentioned is 'La Tuque', once
    out = extract("La Coopérative forestière du Haut-Saint-Maurice (foresterie), à La Tuque, a reçu une aide "
                  "financière de 450 000 $.")
    places = [m["text"] for m in out["mentions"] if m["label"] == "LOC"]
    assert "La Tuque" in places and "Tuque" not in places
    out = extract("La coopérative de Rimouski a ouvert ses portes.")
    assert [m["text"] for m in out["mentions"] if m["label"] == "LOC"] == ["Rimouski"]


def test_sector_before_a_parenthesised_count(extract):
    out = extract("La Mauricie compte 112 coopératives non financières. Les plus nombreuses sont dans "
                  "l'habitation (34 coopératives) et la consommation (14 coopératives).")
    rows = {(s["sector"], s["value"]) for s in out["coop_stats"]}
    assert rows == {(None, 112), ("habitation", 34), ("consommation", 14)}
    # a region or 'la région' before the parenthesis is not a sector
    out = extract("La coopération est forte dans la région (53 coopératives) comme en Mauricie (112 coopératives).")
    assert {s["sector"] for s in out["coop_stats"]} == {None}


def test_sector_named_by_secteur_earlier_in_the_sentence(extract):
    out = extract("Le secteur funéraire demeure le plus important avec 9 coopératives.")
    assert [(s["sector"], s["value"]) for s in out["coop_stats"]] == [("services funéraires", 9)]
    # another count between 'secteur' and the co-operatives: the sector is that count's, not theirs
    out = extract("Le secteur de l'économie sociale regroupe 120 entreprises et 53 coopératives.")
    assert [(s["sector"], s["value"]) for s in out["coop_stats"]] == [(None, 53)]
    # the whole field is not a sector of it
    for text in ("Le secteur de l'économie sociale regroupe 53 coopératives.", "Le secteur coopératif compte 53 coopératives."):
        assert [(s["sector"], s["value"]) for s in extract(text)["coop_stats"]] == [(None, 53)]


def test_funder_after_a_participle_the_tagger_reads_as_a_noun(extract):
    out = extract("Le projet a été rendu possible grâce à un prêt de 250 000 $ consenti par la Caisse Desjardins "
                  "de la Baie-des-Chaleurs.")
    assert [(f["funder"], f["amount"]) for f in out["funding"]] == [("Caisse Desjardins de la Baie-des-Chaleurs", 250000)]
    # a word that is not a participle still stops the search: the SADC is no funder, and a grant whose
    # funder nothing names is no funding record (the amount stays a MONEY mention)
    out = extract("La coopérative a obtenu un prêt de 90 000 $ malgré les réserves de la SADC des Basques.")
    assert out["funding"] == [] and [m["text"] for m in out["mentions"] if m["label"] == "MONEY"] == ["90 000 $"]


def test_event_title_stops_at_a_reflexive_pronoun(extract):
    out = extract("Le Forum régional de l'économie sociale se tiendra les 3 et 4 octobre 2013 à Gaspé.")
    assert [(e["title"], e["date"], e["place"]) for e in out["events"]] == \
        [("Forum régional de l'économie sociale", "2013-10-03", "Gaspé")]


def test_territory_ending_a_name_after_a_lower_case_word_is_a_place(extract):
    out = extract("Annie Leblanc est conseillère à la Coopérative de développement régional "
                  "Gaspésie–Îles-de-la-Madeleine. Développement économique Canada appuie le projet.")
    places = [m["text"] for m in out["mentions"] if m["label"] == "LOC"]
    assert places == ["Gaspésie–Îles-de-la-Madeleine"]        # not 'Canada', the agency's brand


def test_sector_comma_count_list_after_a_colon(extract):
    out = extract("La région compte aujourd'hui 58 coopératives non financières. Elles se répartissent ainsi : "
                  "habitation, 18; services à domicile, 9; foresterie, 8; alimentation, 6.")
    assert {(s["sector"], s["value"]) for s in out["coop_stats"]} == \
        {(None, 58), ("habitation", 18), ("services à domicile", 9), ("foresterie", 8), ("alimentation", 6)}
    # the same shape about something else than co-operatives is no statistic
    assert extract("Au programme du colloque : accueil, 9; conférence, 10; dîner, 12.")["coop_stats"] == []


def test_second_giver_with_its_verb_left_out_and_their_total(extract):
    out = extract("Le Pôle dispose d'un budget annuel de 180 000 $. Le ministère de l'Économie, de l'Innovation et "
                  "des Exportations y contribue pour 120 000 $ et la Conférence régionale des élus de "
                  "l'Abitibi-Témiscamingue pour 60 000 $. La Coopérative de solidarité Le Bon Goût a obtenu un prêt "
                  "de 1,5 million $ d'Investissement Québec.")
    rows = {(f["funder"], f["amount"], f["is_total"]) for f in out["funding"]}
    assert rows == {("ministère de l'Économie, de l'Innovation et des Exportations", 120000, False),
                    ("Conférence régionale des élus de l'Abitibi-Témiscamingue", 60000, False),
                    ("Investissement Québec", 1_500_000, False), (None, 180000, True)}
    # an organisation before 'pour' that is the recipient, not a second giver, is not taken for one
    out = extract("Le CLD a accordé un prêt à la Coopérative Les Jardins pour 60 000 $.")
    assert [(f["funder"], f["amount"]) for f in out["funding"]] == [("CLD", 60000)]


def test_name_ends_before_the_sentence_s_own_phrase(extract):
    out = extract("Par ailleurs, la MRC de Matawinie a confirmé le 15 juin dernier une aide de 35 000 $ à la "
                  "Coopérative de solidarité de Saint-Zénon pour la relance de son épicerie.", "2015-06-30")
    assert [o["name"] for o in out["organizations"]] == ["MRC de Matawinie", "Coopérative de solidarité de Saint-Zénon"]
    assert [(f["funder"], f["amount"], f["recipient"], f["kind"], f["date"]) for f in out["funding"]] == \
        [("MRC de Matawinie", 35000, "Coopérative de solidarité de Saint-Zénon", "subvention", "2015-06-15")]
    # before any capitalised complement, 'à' and 'pour' may be part of the name
    out = extract("La Coopérative de services à domicile du Témiscouata a embauché dix personnes.")
    assert [o["name"] for o in out["organizations"]] == ["Coopérative de services à domicile du Témiscouata"]


def test_funder_after_a_loan_taken_from_it(extract):
    out = extract("L'investissement total atteint 3,4 M$, dont 2 M$ provenant d'un emprunt auprès de la Caisse "
                  "Desjardins de Joliette et 500 000 dollars du Fonds de développement de la coopérative elle-même.")
    rows = {(f["funder"], f["amount"], f["is_total"]) for f in out["funding"]}
    assert rows == {(None, 3_400_000, True), ("Caisse Desjardins de Joliette", 2_000_000, False),
                    ("Fonds de développement de la coopérative", 500_000, False)}


def test_cooperative_sector_from_the_adjective_of_its_name(extract):
    out = extract("La Coopérative funéraire de Lanaudière a ouvert son complexe. La Coopérative de solidarité de "
                  "Saint-Zénon a rouvert son épicerie.")
    assert {o["name"]: o["sector"] for o in out["organizations"]} == \
        {"Coopérative funéraire de Lanaudière": "services funéraires", "Coopérative de solidarité de Saint-Zénon": None}

"""One positive and one negative real French sentence for every token pattern of rules/entities.jsonl,
and for the resolution rules built on them (acronyms, headlines, bylines, organisation names)."""
import json
from pathlib import Path

import pytest

from pipeline.nlp.rules import RULES, read_jsonl

# pattern id -> (sentence, text the pattern must match, sentence where it must not match)
CASES = {
    "org-head:cooperative": ("La Coopérative des Petites Écores a ouvert.", "Coopérative", "Les membres ont ouvert."),
    "org-head:government": ("Le ministère de la Famille appuie le projet.", "ministère", "La famille appuie le projet."),
    "org-head:regional_body": ("La CRÉ appuie le projet.", "CRÉ", "La région appuie le projet."),
    "org-head:union": ("La Centrale des syndicats nationaux appuie le projet.", "Centrale", "Le syndicalisme appuie le projet."),
    "org-head:financial": ("La Caisse populaire de Granby appuie le projet.", "Caisse", "La population de Granby appuie le projet."),
    "org-head:nonprofit": ("La Corporation de développement communautaire appuie le projet.", "Corporation", "Le développement appuie le projet."),
    "org-head:enterprise": ("Le Musée de Société des Deux-Rives ouvre ses portes.", "Musée", "Les gens ouvrent leurs portes."),
    "per-honorific": ("Depuis 2012, madame Véronica Pérez assume le rôle.", "madame", "Depuis 2012, Véronica assume le rôle."),
    "per-byline": ("par CLAIRE L'HEUREUX", "par", "CLAIRE L'HEUREUX"),
    "role-noun": ("Clément Bergeron, conseiller principal à la CRÉ, a parlé.", "conseiller", "Clément Bergeron a parlé."),
    "event-noun": ("Le premier colloque régional a eu lieu le 8 avril 2011.", "colloque", "Le premier bilan régional a paru le 8 avril 2011."),
    "fund-verb-give": ("Le MAMROT a injecté 250 000 $.", "injecté", "Le MAMROT a publié un rapport."),
    "fund-verb-give-form": ("Un montant de 75 000 $ a été versé à la coopérative.", "versé", "Un rapport a été publié par la coopérative."),
    "fund-verb-give-present": ("Le Fonds de solidarité FTQ y injecte pour sa part 2,2 millions de dollars.", "injecte",
                               "Le Fonds de solidarité FTQ y tient pour sa part une rencontre."),
    "fund-verb-receive": ("La coopérative a reçu 50 000 $ de la SADC.", "reçu", "La coopérative a publié un rapport."),
    "fund-kind:subvention": ("Une subvention de 30 000 $ a été accordée.", "subvention", "Une rencontre a été organisée."),
    "fund-kind:subvention:aide-financiere": ("Une aide financière de 30 000 $ a été accordée.", "aide financière", "Une aide précieuse a été offerte."),
    "fund-kind:subvention:aide-de": ("La MRC a confirmé une aide de 35 000 $ à la coopérative.", "aide de 35",
                                     "La MRC a confirmé une aide précieuse à la coopérative."),
    "fund-kind:prêt": ("Un prêt de 100 000 $ a été consenti.", "prêt", "Un projet a été présenté."),
    "fund-kind:contribution": ("La contribution de la Ville atteint 5 000 $.", "contribution", "La Ville compte 5 000 habitants."),
    "fund-kind:contribution:non-remboursable": ("La SADC y ajoute 40 000 $ non remboursables.", "non remboursables",
                                                "La SADC y ajoute un prêt remboursable en cinq ans."),
    "fund-kind:contribution:non-remboursable-hyphen": ("Le Fonds verse 25 000 $ non-remboursables.", "non-remboursables",
                                                       "Le Fonds verse un prêt de 25 000 $."),
    "fund-cue:coup-de-pouce": ("La Ville donne un coup de pouce de 5 000 $ au marché.", "coup de pouce",
                               "Le joueur s'est blessé au pouce pendant le match."),
    "fund-kind:fonds": ("Le fonds dispose de 2 M$.", "fonds", "Le groupe dispose de 20 membres."),
    "total-cue": ("Pour un total de 575 000 $.", "total", "Pour une partie de 575 000 $."),
    "total-cue:en-tout": ("En tout, 300 personnes sont venues.", "En tout", "En avril, 300 personnes sont venues."),
    "total-cue:au-total": ("Au total, 300 personnes sont venues.", "Au total", "Au printemps, 300 personnes sont venues."),
    "each-cue": ("Ils ont versé 10 000 $ chacun.", "chacun", "Ils ont versé 10 000 $ ensemble."),
    "fund-verb-receive:idiom": ("La maison des jeunes met la main sur 12 000 $.", "met la main sur",
                                "La maison des jeunes met la table pour ses membres."),
    "fund-cue:financing": ("Le financement de 20 000 $ arrive à point.", "financement", "Le local de 20 mètres arrive à point."),
    "programme-head": ("Le Programme de soutien aux régions a été renouvelé.", "Programme",
                       "Le projet de soutien aux régions a été renouvelé."),
    "amount:cost": ("L'événement a coûté près de 180 000 $.", "coûté", "L'événement a reçu près de 180 000 $."),
    "amount:investment": ("Les travaux représentent des investissements de 2 M$.", "investissements",
                          "Les travaux représentent des efforts de deux ans."),
    "amount:budget": ("Le budget de 310 000 $ a été adopté.", "budget", "Le rapport de 31 pages a été adopté."),
    "amount:turnover": ("Son chiffre d'affaires atteint 3 M$.", "chiffre d'affaires", "Son chiffre de vente atteint trois."),
    "amount:sales": ("Les ventes ont atteint 800 000 $.", "ventes", "Les membres ont atteint 800 personnes."),
    "amount:revenue": ("Les revenus de 521 000 $ sont stables.", "revenus", "Les membres de la coopérative sont stables."),
    "amount:expense": ("Les dépenses de 530 000 $ ont augmenté.", "dépenses", "Les activités de l'été ont augmenté."),
    "amount:payable": ("Les comptes à payer du mois, totalisant 12 400,50 $, sont approuvés.", "comptes à payer",
                       "Les comptes rendus du mois sont approuvés."),
    "amount:deficit": ("Une légère perte de 9 000 $ est prévue.", "perte", "Une légère hausse des membres est prévue."),
    "amount:surplus": ("Le surplus de 12 000 $ sera réinvesti.", "surplus", "Le local de la coopérative sera rénové."),
    "amount:balance": ("La réserve atteint 273 000 $.", "réserve", "La coopérative atteint ses objectifs."),
    "amount:salary": ("Le salaire annuel est de 45 000 $.", "salaire", "Le mandat annuel est de deux ans."),
    "amount:dividend": ("Une ristourne de 385 000 $ a été votée.", "ristourne", "Une résolution a été votée."),
    "amount:price": ("Le tarif du billet est de 25 $.", "tarif", "Le nom du gagnant est connu."),
    "amount:cap": ("Chaque projet pourra recevoir jusqu'à 100 000 $.", "jusqu'à", "Chaque projet pourra recevoir 100 000 $."),
    "amount:cap:maximum": ("L'aide maximale est de 75 000 $.", "maximale", "L'aide accordée est de 75 000 $."),
    "amount:cap:exceed": ("L'aide ne peut dépasser 50 000 $ par projet.", "dépasser", "L'aide ne peut attendre : 50 000 $ sont versés."),
    "amount:cap:reach": ("L'aide peut atteindre 5 M$.", "peut atteindre", "L'aide a atteint 5 M$."),
    "amount:instalment": ("La somme sera versée en trois versements de 5 000 $.", "versements", "La somme de 15 000 $ sera versée en juin."),
    "amount:instalment:ordinal": ("Un premier versement de 4 000 $ suivra en mai.", "premier versement",
                                  "Un premier bilan de la saison suivra en mai."),
    "amount:balance:endowment": ("Le fonds de dotation atteint 1,2 million de dollars.", "fonds de dotation",
                                 "Le fonds de roulement atteint 12 000 $."),
    "amount:average": ("Le prêt moyen s'établit à 53 000 $.", "moyen", "Le prêt consenti s'établit à 53 000 $."),
    "fund-cue:payment": ("Le conseil approuve le versement de 9 000 $ aux organismes.", "versement de",
                         "Le conseil approuve le verdict des organismes."),
    "fund-verb-give:surety": ("La Ville se porte caution de l'emprunt de la coopérative.", "porte caution",
                              "La Ville porte attention à l'emprunt de la coopérative."),
    "fund-verb-give:surety-verb": ("La MRC cautionne un emprunt de 80 000 $.", "cautionne",
                                   "La MRC commente un emprunt de 80 000 $."),
    "fund-verb-receive:share": ("Les trois clubs se partagent 6 000 $.", "se partagent",
                                "Les trois clubs partagent leurs locaux."),
    "amount:contract": ("Octroi d'un contrat de 48 000 $ à Pavage Roy inc.", "contrat", "Octroi d'une aide de 48 000 $ à la coop."),
    "amount:sale": ("La municipalité cède le terrain pour 1 $.", "cède", "La municipalité verse 1 000 $."),
    "amount:request": ("Le comité a reçu 31 demandes totalisant 412 000 $.", "demandes", "Le comité a reçu 31 projets."),
    "amount:project": ("Ce projet de 1,2 million $ ouvrira en juin.", "projet de", "Ce projet ouvrira en juin."),
    "amount:prize-or-price": ("Le prix du billet est de 25 $.", "prix", "Le tarif est de 25 $ par personne."),
    "amount:equity": ("Les fondateurs ont fait une mise de fonds de 25 000 $.", "mise de fonds",
                      "Les fondateurs ont fait une demande au fonds de 25 000 $."),
    "amount:value": ("Le terrain, d'une valeur de 310 000 $, est cédé.", "valeur", "Le terrain de 310 000 $ est cédé."),
    "amount:envelope": ("Doté d'une enveloppe de 12 M$, le programme soutient les coopératives.", "Doté d'une enveloppe",
                        "Une enveloppe de 12 000 $ est remise à la coopérative."),
    "amount:campaign": ("La campagne de capitalisation a permis d'amasser 90 000 $.", "campagne de capitalisation",
                        "La campagne de promotion a coûté 9 000 $."),
    "amount:crowdfunding": ("Le sociofinancement a rapporté 8 000 $.", "sociofinancement",
                            "Le financement a rapporté 8 000 $."),
}


def test_every_pattern_has_cases():
    ids = {r["id"] for r in read_jsonl(RULES / "entities.jsonl")}
    assert ids == set(CASES), (ids - set(CASES), set(CASES) - ids)


def test_cue_meanings_are_fields_of_their_rules(analyse_text):
    """What a cue means is a field of its rule, read as data: the kind of funding, of organisation."""
    rules = read_jsonl(RULES / "entities.jsonl")
    for r in rules:
        if r["label"] == "FUND_KIND":
            assert set(r["meaning"]) == {"fund_kind"}, r["id"]
        if r["label"] == "ORG_HEAD":
            assert set(r["meaning"]) == {"org_kind"}, r["id"]
    a = analyse_text("Un prêt de 100 000 $ a été consenti par la Caisse populaire de Granby.")
    kinds = {c.label: dict(c.meaning) for c in a.cues if c.label in ("FUND_KIND", "ORG_HEAD")}
    assert kinds == {"FUND_KIND": {"fund_kind": "prêt"}, "ORG_HEAD": {"org_kind": "financial"}}


def test_a_rule_with_a_bad_meaning_is_refused(tmp_path):
    from pipeline.errors import RuleError
    bad = tmp_path / "rules.jsonl"
    bad.write_text('{"id": "x", "label": "FUND_KIND", "meaning": {"fund_kind": 3}, "pattern": [{"LOWER": "x"}]}\n')
    with pytest.raises(RuleError, match="meaning"):
        read_jsonl(bad)


def _matches(a, pid):
    return [a.span_text(c.start, c.end) for c in a.cues if c.rule == pid]


@pytest.mark.parametrize("pid", sorted(CASES))
def test_pattern_positive(analyse_text, pid):
    sentence, text, _ = CASES[pid]
    assert text in _matches(analyse_text(sentence), pid)


@pytest.mark.parametrize("pid", sorted(CASES))
def test_pattern_negative(analyse_text, pid):
    _, _, sentence = CASES[pid]
    assert not _matches(analyse_text(sentence), pid)


def ents(a, label=None):
    return [e.text for e in a.entities if label is None or e.label == label]


def acronyms(a):
    return {x.short: x for x in a.acronyms}


def test_long_ministry_name_kept_whole(analyse_text):
    doc = analyse_text("L'entente a été conclue entre le ministère des Affaires municipales, des Régions et de "
                       "l'Occupation du territoire (MAMROT) et la CRÉ.")
    assert "ministère des Affaires municipales, des Régions et de l'Occupation du territoire" in ents(doc, "ORG")
    assert acronyms(doc)["MAMROT"].long.startswith("ministère des Affaires")


def test_long_council_name_kept_whole(analyse_text):
    doc = analyse_text("Le Conseil régional des partenaires du marché du travail de la Montérégie a signé l'entente.")
    assert "Conseil régional des partenaires du marché du travail de la Montérégie" in ents(doc, "ORG")


def test_acronym_linked_and_reused(analyse_text):
    doc = analyse_text("Les cinq centres locaux de développement (CLD) du territoire ont signé. Le CLD de Beauharnois a suivi.")
    assert "centres locaux de développement" in ents(doc, "ORG")
    assert any(t.startswith("CLD") for t in ents(doc, "ORG"))


def test_acronym_inside_letters(analyse_text):
    doc = analyse_text("Emploi-Québec Montérégie (EQ) a investi dans le projet.")
    assert acronyms(doc)["EQ"].long == "Emploi-Québec Montérégie"


def test_headline_in_capitals_is_not_an_entity(analyse_text):
    doc = analyse_text("SEPT NOUVELLES COOPÉRATIVES ONT ÉTÉ CRÉÉES DEPUIS LES TROIS DERNIÈRES ANNÉES\n\nLe texte suit.")
    assert ents(doc) == []


def test_byline_is_a_person(analyse_text):
    doc = analyse_text("par CLÉMENT BERGERON\n\nConseiller principal en développement social.")
    assert ents(doc, "PER") == ["CLÉMENT BERGERON"]


def test_byline_needs_a_line_start(analyse_text):
    doc = analyse_text("Le projet a été porté par Les Ateliers du Bois.")
    assert "Les Ateliers du Bois" not in ents(doc, "PER")


def test_names_before_a_sector_are_organisations(analyse_text):
    doc = analyse_text("Huit entreprises en font partie, soit Coup de pouce des Moissons (aide à domicile), "
                       "Nature Action Québec Inc. (ressources naturelles) et la Société du vieux canal de Beauharnois (tourisme).")
    orgs = ents(doc, "ORG")
    assert "Coup de pouce des Moissons" in orgs and "Nature Action Québec Inc." in orgs
    assert "Société du vieux canal de Beauharnois" in orgs


def test_common_noun_phrase_is_not_an_organisation(analyse_text):
    doc = analyse_text("La formule coopérative en plein effervescence sur le territoire de la Vallée-du-Haut-Saint-Laurent.")
    assert not [o for o in ents(doc, "ORG") if "effervescence" in o]


def test_places_nested_in_names(analyse_text):
    doc = analyse_text("La Société du vieux canal de Beauharnois et Nature Action Québec ont signé.")
    places = [p.text for p in doc.places]
    assert "Beauharnois" in places and "Québec" not in places


def _ents(extract, text, label):
    return {m["text"] for m in extract(text)["mentions"] if m["label"] == label}


def test_role_noun_after_a_name_is_not_part_of_it(extract):
    # regression (Sainte-Adèle by-law, bench/ner.py): 'Me Audrey Senécal Mairesse' read as one person
    people = _ents(extract, "Signé par Me Audrey Senécal Mairesse de la Ville, le 10 juin 2021.", "PER")
    assert "Audrey Senécal" in people and not any("Mairesse" in p for p in people)
    assert "Marie-Ève Tremblay" in _ents(extract, "Signé par Me Marie-Ève Tremblay, le 10 juin 2021.", "PER")


def test_model_entity_over_a_line_break_keeps_its_first_line():
    # regression (real municipal minutes): the model's 'Service du greffe\n\n1' was dropped whole
    from pipeline import extract_file
    doc = extract_file(Path(__file__).parent / "data" / "peer" / "pdfs" / "2023-06-20-PV.pdf")
    orgs = {m["text"] for m in doc["mentions"] if m["label"] == "ORG"}
    assert "Service du greffe" in orgs and not any("\n" in o for o in orgs)


def test_lower_case_body_name_needs_a_capitalised_head_not_opening_the_sentence(extract):
    orgs = _ents(extract, "La demande a été transmise au Service du greffe de la municipalité.", "ORG")
    assert any(o.startswith("Service du greffe") for o in orgs)
    assert not any(o.startswith("Services") for o in _ents(extract, "Services offerts aux membres du comité.", "ORG"))

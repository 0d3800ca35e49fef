"""Across documents (pipeline.resolve): one organisation or person whatever the spelling, the same text in
two files, one fact however often it is printed. Variant lists written for the test as bulletins spell
bodies; each rule with a case it joins and a case it must keep apart."""
import random

import pytest

from pipeline.resolve import Decision, Mention, near_duplicates, resolve_entities
from pipeline.resolve.documents import twin_groups
from pipeline.resolve.entities import long_core, one_word_apart, variant, variant_ids
from pipeline.resolve.facts import FactRecord, carry_over, group_facts


def orgs(*items):
    """Mentions from (name, doc) or (name, doc, acronym)."""
    out = []
    for i, it in enumerate(items):
        name, doc, acr = (it + (None,))[:3]
        out.append(Mention("organization", name, doc, f"r{i}", acr))
    return out


def clusters(kind, mentions, decisions=()):
    ents, of_ref = resolve_entities(kind, mentions, decisions)
    by_id = {}
    for m in mentions:
        by_id.setdefault(of_ref[m.ref], set()).add((m.name, m.doc_id))
    return sorted(sorted(c) for c in by_id.values()), ents


def together(mentions, a, b, decisions=(), kind="organization"):
    ents, of_ref = resolve_entities(kind, mentions, decisions)
    ref = {(m.name, m.doc_id): of_ref[m.ref] for m in mentions}
    return ref[a] == ref[b]


CRE = orgs(("Conférence régionale des élus de la Mauricie", "d1", "CRÉ"), ("CRÉ", "d1"), ("CRÉ Mauricie", "d2"),
           ("CRÉ de la Mauricie", "d3"), ("Conférence régionale des élus (CRÉ) de l'Abitibi-Témiscamingue", "d4"),
           ("CRÉ", "d4"), ("CRÉ Abitibi-Témiscamingue", "d5"), ("la CRÉ", "d6"))


def test_acronym_long_form_and_place_are_one_body():
    assert together(CRE, ("CRÉ Mauricie", "d2"), ("Conférence régionale des élus de la Mauricie", "d1"))
    assert together(CRE, ("CRÉ de la Mauricie", "d3"), ("CRÉ Mauricie", "d2"))
    assert together(CRE, ("CRÉ Abitibi-Témiscamingue", "d5"),
                    ("Conférence régionale des élus (CRÉ) de l'Abitibi-Témiscamingue", "d4"))


def test_the_place_keeps_bodies_apart():
    assert not together(CRE, ("CRÉ Mauricie", "d2"), ("CRÉ Abitibi-Témiscamingue", "d5"))


def test_an_acronym_alone_is_the_body_its_document_names_else_stays_unplaced():
    assert together(CRE, ("CRÉ", "d1"), ("CRÉ Mauricie", "d2"))             # d1 names the Mauricie's
    assert together(CRE, ("CRÉ", "d4"), ("CRÉ Abitibi-Témiscamingue", "d5"))
    assert not together(CRE, ("CRÉ", "d1"), ("CRÉ", "d4"))                   # same spelling, two bodies
    assert not together(CRE, ("la CRÉ", "d6"), ("CRÉ Mauricie", "d2"))     # d6 names no place
    ents, of_ref = resolve_entities("organization", CRE)
    alone = next(e for e in ents if ("la CRÉ", 1) in e.variants)
    assert alone.key.endswith("@ ?")


def test_coop_spellings_articles_accents_and_saint():
    ms = orgs(("Coop de Saint-Fidèle", "a"), ("La Coopérative de St-Fidèle", "b"), ("COOP DE SAINT-FIDÈLE", "c"),
              ("Co-op de Saint-Fidele", "d"), ("Coopérative de solidarité de Saint-Élzéar", "a"),
              ("Coopérative de solidarité de Saint-Éloi", "b"), ("Coop de Saint-Fabien", "e"))
    cl, _ = clusters("organization", ms)
    assert sorted(n for n, _ in cl[[("COOP DE SAINT-FIDÈLE", "c") in c for c in cl].index(True)]) == [
        "COOP DE SAINT-FIDÈLE", "Co-op de Saint-Fidele", "Coop de Saint-Fidèle", "La Coopérative de St-Fidèle"]
    assert not together(ms, ("Coopérative de solidarité de Saint-Élzéar", "a"), ("Coopérative de solidarité de Saint-Éloi", "b"))
    assert not together(ms, ("Coop de Saint-Fidèle", "a"), ("Coop de Saint-Fabien", "e"))
    more = ms + orgs(("COOP Saint-Fidèle", "f"), ("Coop d'habitation Les Pignons", "g"), ("Coopérative d’habitation des Pignons", "h"))
    more = [Mention(m.kind, m.name, m.doc_id, f"m{i}", m.acronym) for i, m in enumerate(more)]
    assert together(more, ("COOP Saint-Fidèle", "f"), ("Coop de Saint-Fidèle", "a"))      # 'de' left out
    assert together(more, ("Coop d'habitation Les Pignons", "g"), ("Coopérative d’habitation des Pignons", "h"))


def test_caisses_desjardins_by_town_and_the_movement():
    ms = orgs(("Caisse Desjardins de Rimouski", "a"), ("Caisse populaire Desjardins de Rimouski", "b"),
              ("Caisse populaire de Rimouski", "c"), ("Caisse Desjardins du Bic", "a"), ("Desjardins", "b"),
              ("Mouvement Desjardins", "c"), ("Fédération des caisses Desjardins", "d"))
    assert together(ms, ("Caisse Desjardins de Rimouski", "a"), ("Caisse populaire Desjardins de Rimouski", "b"))
    assert together(ms, ("Caisse Desjardins de Rimouski", "a"), ("Caisse populaire de Rimouski", "c"))
    assert together(ms, ("Desjardins", "b"), ("Mouvement Desjardins", "c"))      # the gazetteer's forms
    assert together(ms, ("Desjardins", "b"), ("Fédération des caisses Desjardins", "d"))
    assert not together(ms, ("Caisse Desjardins de Rimouski", "a"), ("Caisse Desjardins du Bic", "a"))
    assert not together(ms, ("Caisse Desjardins de Rimouski", "a"), ("Mouvement Desjardins", "c"))
    local = ms + orgs(("la caisse populaire", "a"), ("caisse populaire", "z"), ("Caisse Desjardins", "y"))
    local = [Mention(m.kind, m.name, m.doc_id, f"l{i}", m.acronym) for i, m in enumerate(local)]
    assert not together(local, ("caisse populaire", "z"), ("Mouvement Desjardins", "c"))   # a local caisse
    assert together(local, ("caisse populaire", "z"), ("Caisse Desjardins", "y"))          # place not stated
    assert not together(local, ("la caisse populaire", "a"), ("Caisse Desjardins de Rimouski", "a"))  # a names two


def test_acronyms_defined_by_the_text_and_the_gazetteer():
    ms = orgs(("Centre local de développement de Maskinongé", "a", "CLD"), ("CLD de Maskinongé", "b"),
              ("CLD de la Matawinie", "c"), ("Société de développement des Basques", "d", "SDB"), ("SDB", "e"),
              ("MAMROT", "a"), ("ministère des Affaires municipales, des Régions et de l'Occupation du territoire", "b"),
              ("MAMR0T", "c"), ("MAMH", "d"))
    assert together(ms, ("CLD de Maskinongé", "b"), ("Centre local de développement de Maskinongé", "a"))
    assert not together(ms, ("CLD de Maskinongé", "b"), ("CLD de la Matawinie", "c"))
    assert together(ms, ("SDB", "e"), ("Société de développement des Basques", "d"))   # defined in the text only
    assert together(ms, ("MAMROT", "a"), ("ministère des Affaires municipales, des Régions et de l'Occupation du territoire", "b"))
    assert together(ms, ("MAMR0T", "c"), ("MAMROT", "a"))                 # OCR: one letter, 6 letters
    assert not together(ms, ("MAMH", "d"), ("MAMROT", "a"))


def test_a_place_written_as_initials():
    ms = orgs(("CRÉ VHSL", "a"), ("CRÉ de la Vallée-du-Haut-Saint-Laurent", "b"), ("CRÉ Montérégie Est", "c"))
    assert together(ms, ("CRÉ VHSL", "a"), ("CRÉ de la Vallée-du-Haut-Saint-Laurent", "b"))
    assert not together(ms, ("CRÉ VHSL", "a"), ("CRÉ Montérégie Est", "c"))


def test_one_word_misread_joins_two_words_do_not():
    assert one_word_apart("cooperative forestiere de petit paris", "cooperative forestlere de petit paris")
    assert not one_word_apart("cooperative forestiere de petit paris", "cooperative forestlere de petit pares")
    assert not one_word_apart("fonds de la mauricie", "fonds de la monteregie")
    assert not one_word_apart("coop du bic", "coop du bac")                 # short words are names, not typos


def test_long_core_reads_initials():
    assert long_core("CLD", "centre local de developpement de maskinonge") == "centre local de developpement"
    assert long_core("SADC", "societe d'aide au developpement des collectivites de la neigette") == \
        "societe d'aide au developpement des collectivites"
    assert long_core("CLD", "conseil de la culture") is None


def test_people_spellings_and_surnames():
    ms = [Mention("person", n, d, f"p{i}") for i, (n, d) in enumerate([
        ("Jean-Guy Côté", "a"), ("M. Jean-Guy Cote", "b"), ("JEAN-GUY CÔTÉ", "c"), ("Côté", "c"),
        ("Marie Tremblay", "a"), ("Mme Marie Tremblai", "b"), ("Louise Tremblay", "d"), ("Tremblay", "e"),
        ("Tremblay", "a")])]
    assert together(ms, ("Jean-Guy Côté", "a"), ("M. Jean-Guy Cote", "b"), kind="person")
    assert together(ms, ("Côté", "c"), ("JEAN-GUY CÔTÉ", "c"), kind="person")      # surname in its document
    assert together(ms, ("Marie Tremblay", "a"), ("Mme Marie Tremblai", "b"), kind="person")   # one letter
    assert together(ms, ("Tremblay", "a"), ("Marie Tremblay", "a"), kind="person")
    assert not together(ms, ("Marie Tremblay", "a"), ("Louise Tremblay", "d"), kind="person")
    assert not together(ms, ("Tremblay", "e"), ("Louise Tremblay", "d"), kind="person")  # not in its document


def test_reviewer_decisions_merge_and_split_by_spelling():
    ms = orgs(("Chantier de l'économie sociale", "a"), ("Le Chantier", "b"), ("CRÉ Mauricie", "c"),
              ("Conférence régionale des élus de la Mauricie", "d"))
    assert not together(ms, ("Le Chantier", "b"), ("Chantier de l'économie sociale", "a"))
    merge = Decision("merge", "organization", variant("organization", "Le Chantier"),
                     variant("organization", "Chantier de l'économie sociale"))
    assert together(ms, ("Le Chantier", "b"), ("Chantier de l'économie sociale", "a"), [merge])
    split = Decision("split", "organization", variant("organization", "CRÉ Mauricie"))
    assert together(ms, ("CRÉ Mauricie", "c"), ("Conférence régionale des élus de la Mauricie", "d"))
    assert not together(ms, ("CRÉ Mauricie", "c"), ("Conférence régionale des élus de la Mauricie", "d"), [split])
    # a later ingestion spelling it the same way: the decision holds for the new mention too
    later = ms + orgs(("CRÉ MAURICIE", "e"))
    later = [Mention(m.kind, m.name, m.doc_id, f"x{i}", m.acronym) for i, m in enumerate(later)]
    assert not together(later, ("CRÉ MAURICIE", "e"), ("Conférence régionale des élus de la Mauricie", "d"), [split])


def test_entity_ids_are_stable_and_deterministic():
    e1, _ = resolve_entities("organization", CRE)
    e2, _ = resolve_entities("organization", list(reversed(CRE)))
    assert sorted((e.id, e.key) for e in e1) == sorted((e.id, e.key) for e in e2)
    # a new spelling joining an entity keeps its id (the id its spellings had last time)
    more = CRE + orgs(("Conf. régionale des élus de la Mauricie", "d9"), ("Conférence régionale des élus - Mauricie", "d9"))
    e3, _ = resolve_entities("organization", more, previous=variant_ids(e1))
    maur = [e for e in e1 if e.key.endswith("@ mauricie")][0]
    assert any(e.id == maur.id and e.key == maur.key for e in e3)


def test_every_entity_says_why():
    ents, _ = resolve_entities("organization", CRE)
    maur = next(e for e in ents if e.key.endswith("@ mauricie"))
    assert any("acronym CRÉ" in w and "gazetteer" in w for w in maur.why)
    assert any("alone in its document" in w for w in maur.why)


# -- documents ------------------------------------------------------------------------------------
ARTICLE = ("La Coopérative de solidarité de Saint-Fidèle a reçu une subvention de 45 000 $ du ministère des "
           "Affaires municipales pour agrandir son épicerie. Selon la présidente, Marie Tremblay, le projet "
           "créera six emplois d'ici l'automne et permettra de garder le seul commerce du village ouvert toute "
           "l'année. La Caisse Desjardins de la Malbaie ajoute un prêt de 30 000 $ sur cinq ans. ")
OTHER = ("Le Festival de la chanson de Tadoussac revient en juin avec quarante spectacles en plein air et une "
         "programmation jeunesse sur le quai; les billets sont en vente au bureau touristique dès le premier mai. ")
OTHERS = (OTHER,
          "La Table de concertation des aînés de Charlevoix tiendra son assemblée générale annuelle le 12 mars à "
          "Baie-Saint-Paul; les membres y éliront trois administrateurs et adopteront le plan d'action triennal. ",
          "Le nouveau service de transport collectif relie maintenant Clermont, La Malbaie et Saint-Siméon six fois "
          "par jour en semaine, grâce à une entente entre la MRC et le transporteur régional. ",
          "Les producteurs de bleuets sauvages ont connu une saison difficile : le gel tardif de juin a réduit les "
          "récoltes du tiers dans plusieurs bleuetières du secteur nord, selon leur syndicat. ")


def ocr_noise(text, share, seed=3):
    """A scan's reading: a share of the words with one letter misread."""
    rnd = random.Random(seed)
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rnd.random() < share:
            j = rnd.randrange(len(w))
            words[i] = w[:j] + {"e": "c", "i": "l", "o": "0"}.get(w[j], "e") + w[j + 1:]
    return " ".join(words)


def test_near_duplicate_documents():
    texts = {"digital": ARTICLE + OTHERS[1], "byte": ARTICLE + OTHERS[1] + ".", "scan": ocr_noise(ARTICLE + OTHERS[1], 0.08),
             "issue2": OTHERS[0] + ARTICLE + OTHERS[2] + OTHERS[3], "other": OTHERS[0] + OTHERS[3]}
    links = {(l.doc_id, l.other_id): l for l in near_duplicates(texts, {d: i for i, d in enumerate(texts)})}
    assert links[("byte", "digital")].kind == "same text" and links[("byte", "digital")].jaccard > 0.95
    assert links[("scan", "digital")].kind == "same text"
    assert links[("issue2", "digital")].kind == "repeats text"
    assert ("other", "digital") not in links and ("other", "scan") not in links
    groups = twin_groups(list(links.values()))
    assert groups["scan"] == groups["byte"] == "digital" and "issue2" not in groups


def test_unrelated_documents_are_not_twins():
    a = ARTICLE * 2
    b = ("Le conseil d'administration de la Coopérative funéraire du Saguenay a nommé un nouveau directeur "
         "général, qui entrera en fonction à l'automne après vingt ans à la tête d'une entreprise de Chicoutimi. ") * 2
    assert near_duplicates({"a": a, "b": b}) == []


# -- facts ----------------------------------------------------------------------------------------
def grant(rid, doc, funder_id, amount, recipient_id=None, status="pending", text="", date=None, movable=None):
    return FactRecord("funding", rid, doc, {"funder": "x" if funder_id else None, "recipient": "y" if recipient_id else None,
                                            "amount": amount, "is_total": False, "date": date},
                      ("funder", "amount", "recipient", "is_total"), status, text,
                      {k: v for k, v in (("funder", funder_id), ("recipient", recipient_id)) if v},
                      order=doc, reviewed_at="2026-01-01" if status != "pending" else "",
                      movable=status == "pending" if movable is None else movable)


def test_funding_is_one_fact_across_documents():
    recs = [grant("a1", "issue1", "org-mamrot", 250000, "org-coop"), grant("b1", "issue2", "org-mamrot", 250000.0, "org-coop"),
            grant("c1", "scan1", "org-mamrot", 250000, "org-coop"), grant("a2", "issue1", "org-mamrot", 75000, "org-coop"),
            grant("d1", "issue3", "org-cre", 250000, "org-coop"),
            grant("e1", "issue4", "org-mamrot", 250000, "org-coop", date="2012")]     # the grant of another year
    facts = group_facts(recs)
    sizes = sorted(len(f.members) for f in facts)
    assert sizes == [1, 1, 1, 3]


def test_funding_without_names_is_one_fact_only_in_the_same_passage():
    a = grant("a", "d1", None, 5000, text="Une aide de 5 000 $ a été versée pour la fête du village.")
    b = grant("b", "d2", None, 5000, text="Une aide de 5 000 $ a été versée pour la fête du village.")
    c = grant("c", "d3", None, 5000, text="Le club de soccer recevra 5 000 $ pour ses équipements.")
    facts = group_facts([a, b, c])
    assert sorted(len(f.members) for f in facts) == [1, 2]


def test_reviews_carry_over_in_the_same_passage_only():
    src = grant("a", "digital", "org-m", 250000, status="approved", text="Le MAMROT accorde 250 000 $.")
    twin = grant("b", "scan", "org-m", 250000, text="Le MAMR0T accorde 250 000 $.")
    later = grant("c", "issue9", "org-m", 250000, text="Rappelons que le ministère avait versé 250 000 $ à la coop en 2010.")
    flagged = grant("d", "copy", "org-m", 250000, text="Le MAMROT accorde 250 000 $.", movable=False)
    recs = [src, twin, later, flagged]
    twins = {"digital": "digital", "scan": "digital"}
    facts = group_facts(recs, twins)
    assert len(facts) == 1 and facts[0].members[0] == "a"          # the reviewed record is the canonical one
    moves = carry_over(facts, {r.id: r for r in recs}, twins)
    assert moves == {"b": "a"}           # the twin; not the other issue's sentence; not a record flagged for review


def test_a_grant_read_without_its_recipient_joins_the_one_grant_that_fits():
    full = grant("a", "issue1", "org-desj", 250000, "org-sante")
    partial = grant("b", "issue2", "org-desj", 250000)                   # the recipient was not read here
    other = grant("c", "issue3", "org-cre", 120000)                      # no full reading of it anywhere
    assert sorted(len(f.members) for f in group_facts([full, partial, other])) == [1, 2]
    twice = grant("d", "issue4", "org-desj", 250000, "org-pignons")      # two grants fit: left alone
    assert sorted(len(f.members) for f in group_facts([full, partial, twice])) == [1, 1, 1]


def test_an_acronym_two_documents_define_differently_is_read_in_each_document():
    ms = orgs(("Conseil de la coopération de l'Outaouais", "a", "CCO"), ("CCO", "a"),
              ("Conseil de la coopération de l'Ontario", "b", "CCO"), ("CCO", "b"), ("CCO", "c"))
    assert together(ms, ("CCO", "a"), ("Conseil de la coopération de l'Outaouais", "a"))
    assert together(ms, ("CCO", "b"), ("Conseil de la coopération de l'Ontario", "b"))
    assert not together(ms, ("CCO", "a"), ("CCO", "b"))
    assert not together(ms, ("CCO", "c"), ("CCO", "a")) and not together(ms, ("CCO", "c"), ("CCO", "b"))   # ambiguous: alone


def test_a_known_name_is_read_whole_before_its_acronym_head():
    ents, _ = resolve_entities("organization", orgs(("CNW Telbec", "a"), ("CNW Telbec", "b")))
    assert [e.key for e in ents] == ["cnw telbec"]


def test_a_definition_in_the_plural_is_the_gazetteer_body():
    ms = orgs(("conférences régionales des élus", "a", "CRÉ"), ("CRÉ VHSL", "a"), ("CRÉ de la Vallée-du-Haut-Saint-Laurent", "b"))
    assert together(ms, ("CRÉ VHSL", "a"), ("CRÉ de la Vallée-du-Haut-Saint-Laurent", "b"))


def test_many_copies_of_one_text_are_all_twins_of_the_first():
    texts = {f"d{i:03d}": ARTICLE + OTHERS[1] for i in range(120)}
    texts["other"] = OTHERS[0] + OTHERS[3]
    links = near_duplicates(texts)
    assert len(links) == 119 and {l.other_id for l in links} == {"d000"}
    assert twin_groups(links)["d119"] == "d000" and "other" not in twin_groups(links)

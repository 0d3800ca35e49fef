"""Across documents in a real store (a SQLite file and a real PostgreSQL server): a re-issued file one byte
apart is linked to the first, its records take the review done on the first, exports and the ``_facts``
views count each fact once with all its evidence, reviewers' merges and splits hold at the next
ingestion, and the views read with typed columns by pandas."""
import pytest

from conftest import SAMPLE_TXT


@pytest.fixture(scope="module")
def twins():
    """The sample page, and the same page re-issued one byte apart (another document id)."""
    from pipeline import extract_text
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    a, b = extract_text(text), extract_text(text + " ")
    b["document"]["id"] = "b" * 64
    b["document"]["source"] = "raw/reissued.txt"
    assert a["document"]["id"] != b["document"]["id"] and a["funding"]
    return a, b


def test_a_reissued_file_is_one_set_of_facts_and_review_work_carries_over(store, twins):
    from pipeline.store.resolved import document_links, links, resolve
    from pipeline.store.export import table
    a, b = twins
    store.save(a, "1")
    store.save(b, "1")
    counts = resolve(store)
    assert [(l["doc_id"], l["kind"]) for l in document_links(store)] == [("b" * 64, "same text")]
    n = len(a["funding"])
    assert counts["records"]["funding"] == 2 * n and counts["facts"]["funding"] == n
    first = store.records("funding", doc_id=a["document"]["id"])[0]
    store.review("funding", first["id"], "edit", "ana", {"kind": "subvention"})
    counts = resolve(store)
    assert counts["carried"] == 1
    twin = [r for r in store.records("funding", doc_id="b" * 64) if r["amount"] == first["amount"]
            and r["funder"] == first["funder"]][0]
    assert twin["status"] == "edited" and twin["kind"] == "subvention" and twin["reviewer"] == "ana"
    assert any(x["action"] == "carry" and x["new"]["from"] == first["id"] for x in store.audit(twin["id"]))
    link = links(store, "funding")[twin["id"]]
    assert link["carried_from"] == first["id"] and link["evidence_count"] == 2 and first["id"] in link["evidence_ids"]
    # exports: each fact once, whatever the status asked, with the ids of all its evidence
    df = table(store, "funding", "all")
    assert len(df) == n and df["fact_id"].is_unique and (df["evidence_count"] == 2).all()
    edited = table(store, "funding", "edited")
    assert len(edited) == 1 and edited.iloc[0]["evidence_ids"] in (first["id"], twin["id"])
    # resolving again changes nothing
    again = resolve(store)
    assert again["carried"] == 0 and again["facts"] == counts["facts"]


def test_a_different_document_is_not_linked(store, twins):
    from pipeline import extract_text
    from pipeline.store.resolved import document_links, resolve
    a, _ = twins
    other = extract_text("La Coopérative funéraire du Saguenay a nommé Louise Gagnon au poste de directrice "
                         "générale. Elle entrera en fonction le 4 septembre 2023 après vingt ans chez Desjardins. "
                         "La Caisse Desjardins de Chicoutimi lui a remis une bourse de 2 000 $ pour sa formation.")
    store.save(a, "1")
    store.save(other, "1")
    counts = resolve(store)
    assert document_links(store) == [] and counts["carried"] == 0
    assert counts["facts"]["funding"] == counts["records"]["funding"]


def test_views_are_flat_and_typed(store, twins):
    import pandas as pd
    from pipeline.store.resolved import resolve, view_names
    a, b = twins
    store.save(a, "1")
    store.save(b, "1")
    resolve(store)
    rec = store.records("funding", doc_id=a["document"]["id"])[0]
    store.review("funding", rec["id"], "edit", "ana", {"amount": "123 456 $", "period_years": "sur trois ans"})
    resolve(store)
    with store.engine.connect() as conn:
        facts = pd.read_sql("select * from funding_facts", conn)
        records = pd.read_sql("select * from funding_records", conn)
        orgs = pd.read_sql("select * from organizations_facts", conn)
        people = pd.read_sql("select * from people_records", conn)
        for v in view_names():
            pd.read_sql(f"select * from {v}", conn)
    assert len(records) == 2 * len(facts) and facts["fact_id"].is_unique
    assert pd.api.types.is_float_dtype(facts["amount"]) and pd.api.types.is_float_dtype(facts["confidence"])
    assert pd.api.types.is_integer_dtype(facts["page"]) and pd.api.types.is_integer_dtype(facts["evidence_count"])
    edited = facts[facts["status"] == "edited"].iloc[0]          # the reviewed values over the extracted ones
    assert edited["amount"] == 123456.0 and edited["period_years"] == 3.0 and edited["reviewer"] == "ana"
    assert (facts["evidence_count"] == 2).all() and set(facts["source"]) <= {"raw/reissued.txt", a["document"]["source"]}
    assert facts["funder_id"].notna().any() and facts["funder_name"].notna().any()
    assert {"entity_id", "entity_name", "document_title", "issue_date", "page", "evidence_text"} <= set(orgs.columns)
    assert orgs["entity_id"].is_unique and people["entity_id"].notna().all() and people["organization_id"].notna().any()
    assert set(facts["is_total"].dropna().map(bool)) <= {True, False}


def test_reviewer_decisions_hold_at_the_next_ingestion(store, twins):
    from pipeline.store.resolved import entities, resolve, store_decision
    from pipeline.resolve.entities import variant
    a, b = twins
    store.save(a, "1")
    resolve(store)
    orgs = {e["name"]: e for e in entities(store, "organization")}
    cre = next(e for e in orgs.values() if any(v == "CRÉ VHSL" for v, _ in e["variants"]))
    assert len(cre["variants"]) > 1
    store_decision(store, "split", "organization", variant("organization", "CRÉ VHSL"), None, "ana")
    resolve(store)
    after = entities(store, "organization")
    alone = [e for e in after if [v for v, _ in e["variants"]] == ["CRÉ VHSL"]]
    assert len(alone) == 1 and "reviewer split" in alone[0]["why"]
    pole = [e for e in after if e["name"].startswith("Pôle régional")]
    assert len(pole) == 2                                        # two spellings, two entities so far
    store_decision(store, "merge", "organization", variant("organization", pole[0]["name"]),
                   variant("organization", pole[1]["name"]), "ana")
    resolve(store)
    store.save(b, "1")                                           # a later ingestion: the decisions still hold
    resolve(store)
    final = entities(store, "organization")
    assert len([e for e in final if e["name"].startswith("Pôle régional")]) == 1
    alone = [e for e in final if [v for v, _ in e["variants"]] == ["CRÉ VHSL"]]
    assert len(alone) == 1 and alone[0]["id"] == [e for e in after if [v for v, _ in e["variants"]] == ["CRÉ VHSL"]][0]["id"]


def test_export_has_an_entities_table(store, twins, tmp_path):
    import pandas as pd
    from pipeline.store.export import export
    a, b = twins
    store.save(a, "1")
    store.save(b, "1")
    res = export(store, tmp_path / "out", fmt="csv", status="all")
    ents = pd.read_csv(res["entities"])
    funding = pd.read_csv(res["funding"])
    assert len(funding) == len(a["funding"]) and res.rows["entities"] == len(ents) > 0
    assert set(ents["kind"]) == {"organization", "person"} and ents["id"].is_unique
    assert funding["funder_id"].dropna().isin(ents["id"]).all()


def test_a_review_carries_to_the_twin_at_once(store, twins):
    from pipeline.store.resolved import carry_now, resolve
    a, b = twins
    store.save(a, "1")
    store.save(b, "1")
    resolve(store)
    recs = store.records("people", doc_id=a["document"]["id"])
    store.review("people", recs[0]["id"], "reject", "ana")
    assert carry_now(store, "people", [recs[0]["id"]]) == 1
    twin = [r for r in store.records("people", doc_id="b" * 64) if r["name"] == recs[0]["name"]][0]
    assert twin["status"] == "rejected" and twin["reviewer"] == "ana"
    assert carry_now(store, "people", [recs[0]["id"]]) == 0            # done once
    other = store.records("people", doc_id=a["document"]["id"])[1]
    assert carry_now(store, "people", [other["id"]]) == 0              # pending: nothing to carry

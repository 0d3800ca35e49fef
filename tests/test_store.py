"""The record store on a real SQLite file and a real PostgreSQL server: stable ids, upserts,
review actions with their audit trail, review work kept across re-extraction."""
import copy

import pytest

from conftest import SAMPLE_TXT
from pipeline.store import Store, StoreError, record_id


@pytest.fixture(scope="module")
def sample_doc():
    from pipeline import extract_text
    return extract_text(SAMPLE_TXT.read_text(encoding="utf-8"))


def test_save_is_an_upsert(store, sample_doc):
    counts = store.save(sample_doc, "1")
    assert counts["funding"] == len(sample_doc["funding"]) > 0
    first = {t: [r["id"] for r in store.records(t)] for t in ("funding", "people", "coop_stats")}
    store.save(sample_doc, "1")
    again = {t: [r["id"] for r in store.records(t)] for t in ("funding", "people", "coop_stats")}
    assert first == again and len(set(first["funding"])) == len(first["funding"])
    assert all(r["status"] == "pending" for r in store.records("funding"))
    docs = store.documents()
    assert len(docs) == 1 and docs[0]["status"] == "ok" and docs[0]["pages"] == 1


def test_record_ids_are_stable_and_depend_on_key_fields():
    a = {"funder": "MAMROT", "amount": 250000, "recipient": None, "is_total": False, "kind": None}
    assert record_id("d1", "funding", a) == record_id("d1", "funding", dict(a, kind="subvention"))
    assert record_id("d1", "funding", a) == record_id("d1", "funding", dict(a, funder="mamrot"))
    assert record_id("d1", "funding", a) != record_id("d1", "funding", dict(a, amount=75000))
    assert record_id("d1", "funding", a) != record_id("d2", "funding", a)


def test_review_actions_are_audited(store, sample_doc):
    store.save(sample_doc, "1")
    f1, f2, f3 = store.records("funding")[:3]
    store.review("funding", f1["id"], "approve", "ana")
    store.review("funding", f2["id"], "edit", "ana", {"kind": "subvention", "period_years": 5})
    store.review("funding", f3["id"], "reject", "ben")
    by_id = {r["id"]: r for r in store.records("funding")}
    assert by_id[f1["id"]]["status"] == "approved" and by_id[f1["id"]]["reviewer"] == "ana"
    assert by_id[f2["id"]]["status"] == "edited" and by_id[f2["id"]]["kind"] == "subvention"
    assert by_id[f3["id"]]["status"] == "rejected"
    assert [r["id"] for r in store.records("funding", status="approved")] == [f1["id"]]
    trail = store.audit(f2["id"])
    assert {(a["field"], a["new"]) for a in trail} >= {("kind", "subvention"), ("status", "edited")}
    assert all(a["reviewer"] == "ana" and a["at"] for a in trail)
    with pytest.raises(StoreError, match="no editable field 'nope'"):
        store.review("funding", f1["id"], "edit", "ana", {"nope": 1})
    with pytest.raises(StoreError, match="unknown status 'done'"):
        store.records("funding", status="done")


def test_reextraction_keeps_review_work_and_flags_changed_sources(store, sample_doc):
    store.save(sample_doc, "1")
    recs = store.records("funding")
    store.review("funding", recs[0]["id"], "edit", "ana", {"kind": "contribution"})
    store.review("funding", recs[1]["id"], "approve", "ana")
    changed = copy.deepcopy(sample_doc)
    target = next(f for f in changed["funding"] if record_id(changed["document"]["id"], "funding", f) == recs[1]["id"])
    target["evidence"]["text"] = target["evidence"]["text"] + " (corrigé)"
    counts = store.save(changed, "2")
    assert counts["flagged"] == 1
    by_id = {r["id"]: r for r in store.records("funding")}
    assert by_id[recs[0]["id"]]["status"] == "edited" and by_id[recs[0]["id"]]["kind"] == "contribution"
    assert not by_id[recs[0]["id"]]["needs_review"]
    assert by_id[recs[1]["id"]]["status"] == "approved" and by_id[recs[1]["id"]]["needs_review"]
    assert len(by_id) == len(recs)


def test_failed_document_is_recorded_with_its_reason(store):
    store.save_failure("abc", "raw/bad.pdf", "cannot read raw/bad.pdf: not a readable PDF", "1")
    store.save_failure("abc", "raw/bad.pdf", "cannot read raw/bad.pdf: not a readable PDF", "1")
    docs = store.documents()
    assert [(d["id"], d["status"]) for d in docs] == [("abc", "failed")] and "not a readable PDF" in docs[0]["error"]
    assert store.known_versions() == {"abc": ("1", "failed")}


def test_bad_url_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open store 'nosuchdb://x'"):
        Store("nosuchdb://x")


def test_stores_of_one_url_share_an_engine_but_hold_no_connection_after_close(tmp_path, sample_doc):
    # the engine (and its compiled-statement cache) is shared per URL, so a Store per ingested document
    # no longer recompiles every statement; a closed store must still let go of the file: deleted and
    # made again, the database is found empty and gets its tables back (no write into the deleted file)
    url = f"sqlite:///{tmp_path / 'b.db'}"
    first = Store(url)
    first.save(sample_doc, "1")
    first.close()
    for f in tmp_path.glob("b.db*"):
        f.unlink()
    second = Store(url)
    try:
        assert second.engine is first.engine
        assert second.documents() == []
        second.save(sample_doc, "1")
        assert len(second.documents()) == 1 and (tmp_path / "b.db").exists()
    finally:
        second.close()


def test_a_closed_postgresql_store_lets_its_database_be_dropped(postgres_server, sample_doc):
    import psycopg
    from sqlalchemy.engine import make_url
    url = postgres_server.new_database("store_close_drop")
    store = Store(url)
    store.save(sample_doc, "1")
    store.close()
    u = make_url(url)
    with psycopg.connect(f"host={u.host} port={u.port} user={u.username} dbname=postgres", autocommit=True) as c:
        c.execute('DROP DATABASE "store_close_drop"')     # fails while a pooled connection is open
    assert Store(postgres_server.new_database("store_close_drop")).documents() == []


# -- reviewed values are sacred, concurrency, the queue (issue 19) -----------------------------------

def _funding(doc, funder):
    return next(f for f in doc["funding"] if f["funder"] == funder)


def test_a_reextraction_never_changes_what_a_reviewed_record_shows_or_exports(store, sample_doc):
    # the bug: a changed non-key field replaced the approved value, which then showed and exported as approved
    from pipeline.store.export import table
    store.save(sample_doc, "1")
    doc_id = sample_doc["document"]["id"]
    rid = record_id(doc_id, "funding", _funding(sample_doc, "MAMROT"))
    v = store.record("funding", rid)["review"]["version"]
    store.review("funding", rid, "edit", "ana", {"amount": "125 000", "kind": "subvention"}, version=v)
    store.review("funding", rid, "approve", "ana")
    changed = copy.deepcopy(sample_doc)
    _funding(changed, "MAMROT").update(kind="prêt", period_years=3)
    assert store.save(changed, "2")["flagged"] == 1
    rec = store.record("funding", rid)
    assert (rec["status"], rec["amount"], rec["kind"], rec["period_years"]) == ("approved", 125000.0, "subvention", 5)
    assert rec["needs_review"] and rec["review"]["change"] == "changed" and rec["review"]["todo"]
    assert rec["review"]["proposed"]["fields"]["kind"] == "prêt" and rec["review"]["extracted"]["kind"] is None
    df = table(store, "funding", "approved").set_index("id")
    assert df.loc[rid, "amount"] == 125000 and df.loc[rid, "kind"] == "subvention" and df.loc[rid, "period_years"] == 5
    assert any(a["action"] == "reextract" and a["new"]["kind"] == "prêt" for a in store.audit(rid))
    assert store.save(changed, "2")["flagged"] == 0                  # the same extraction again: flagged once
    store.save(sample_doc, "3")                                      # back to what was reviewed: no longer changed
    rec = store.record("funding", rid)
    assert not rec["needs_review"] and rec["review"]["proposed"] is None and rec["amount"] == 125000.0
    store.save(changed, "4")
    store.review("funding", rid, "approve", "ben")                   # approved again, over the new extraction
    rec = store.record("funding", rid)
    assert not rec["needs_review"] and rec["kind"] == "subvention" and rec["review"]["extracted"]["kind"] == "prêt"


def test_a_reviewed_record_whose_key_changed_is_linked_to_its_successor(store, sample_doc):
    # the bug: a new pending duplicate appeared with nothing linking it to the approved record
    store.save(sample_doc, "1")
    doc_id = sample_doc["document"]["id"]
    old = record_id(doc_id, "funding", _funding(sample_doc, "CRÉ"))
    store.review("funding", old, "approve", "ana")
    changed = copy.deepcopy(sample_doc)
    _funding(changed, "CRÉ")["recipient"] = "Pôle régional d'économie sociale"      # a key field
    counts = store.save(changed, "2")
    new = record_id(doc_id, "funding", _funding(changed, "CRÉ"))
    assert new != old and counts["flagged"] == 1
    o, n = store.record("funding", old), store.record("funding", new)
    assert o["status"] == "approved" and o["needs_review"] and o["review"]["change"] == "key_changed"
    assert o["review"]["successor_id"] == new and n["review"]["predecessor_id"] == old and n["status"] == "pending"
    assert o["recipient"] is None                                    # still what was approved
    # a record no longer extracted at all is flagged as gone; one a reviewer added is the reviewer's
    added = store.add_record("funding", doc_id, {"funder": "Desjardins", "amount": "10 000 $"},
                             {"page": 1, "start": 0, "end": 20}, "ana")
    gone = copy.deepcopy(changed)
    gone["funding"] = [f for f in gone["funding"] if f["funder"] != "Emploi-Québec"]
    emploi = record_id(doc_id, "funding", _funding(sample_doc, "Emploi-Québec"))
    store.review("funding", emploi, "reject", "ana")
    store.save(gone, "3")
    assert store.record("funding", emploi)["review"]["change"] == "gone"
    a = store.record("funding", added["id"])
    assert a["status"] == "edited" and not a["needs_review"] and a["review"]["origin"] == "reviewer"
    # even sent back to pending, a record a reviewer added is never removed by a re-extraction
    store.review("funding", added["id"], "undo", "ana")
    store.save(gone, "4")
    assert store.record("funding", added["id"])["status"] == "pending"


def test_a_stale_change_is_a_conflict_and_never_overwrites(store, sample_doc):
    # the bug: two reviewers on one record, the stale reject silently overwrote the approve
    from pipeline.store import StoreConflict
    store.save(sample_doc, "1")
    rec = store.records("funding")[0]
    seen = rec["review"]["version"]
    store.review("funding", rec["id"], "approve", "ana", version=seen)
    with pytest.raises(StoreConflict) as e:
        store.review("funding", rec["id"], "reject", "ben", version=seen)
    assert e.value.current["status"] == "approved" and e.value.current["review"]["version"] == seen + 1
    assert store.record("funding", rec["id"])["status"] == "approved"
    assert [a["reviewer"] for a in store.audit(rec["id"]) if a["field"] == "status"] == ["ana"]


def test_two_reviewers_at_the_same_instant_one_wins_the_other_gets_a_conflict(store, sample_doc):
    import threading
    from pipeline.store import StoreConflict
    store.save(sample_doc, "1")
    for rec in store.records("funding"):
        seen, results, gate = rec["review"]["version"], [], threading.Barrier(2)

        def act(who, action):
            gate.wait()
            try:
                store.review("funding", rec["id"], action, who, version=seen)
                results.append(who)
            except StoreConflict:
                results.append("conflict")
        threads = [threading.Thread(target=act, args=a) for a in (("ana", "approve"), ("ben", "reject"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count("conflict") == 1, results
        final = store.record("funding", rec["id"])
        winner = next(r for r in results if r != "conflict")
        assert final["reviewer"] == winner and final["review"]["version"] == seen + 1


def test_undo_bulk_and_a_record_added_by_a_reviewer(store, sample_doc):
    from pipeline.store import InvalidReview, StoreError
    store.save(sample_doc, "1")
    doc_id = sample_doc["document"]["id"]
    f1, f2, f3 = store.records("funding")[:3]
    store.review("funding", f1["id"], "edit", "ana", {"recipient": "Coopérative de solidarité de Huntingdon"})
    store.review("funding", f1["id"], "undo", "ana")
    r = store.record("funding", f1["id"])
    assert r["status"] == "pending" and r["recipient"] == f1["recipient"] and r["reviewer"] is None
    assert any(a["action"] == "undo" and a["old"] == "Coopérative de solidarité de Huntingdon" for a in store.audit(f1["id"]))
    out = store.review_many("funding", [{"id": f2["id"], "version": f2["review"]["version"]},
                                        {"id": f3["id"], "version": f3["review"]["version"] - 1},
                                        {"id": "0" * 32, "version": 1}], "approve", "ben")
    assert [d["id"] for d in out["done"]] == [f2["id"]] and [c["id"] for c in out["conflicts"]] == [f3["id"]]
    assert out["missing"] == ["0" * 32] and store.record("funding", f3["id"])["status"] == "pending"
    page = store.page(doc_id, 1)["text"]
    start = page.index("Emploi-Québec")
    added = store.add_record("people", doc_id, {"name": "Gaétan Rivard", "role": "directeur", "since": "mars 2010"},
                             {"page": 1, "start": start, "end": start + 13, "text": "Emploi-Québec"}, "ana")
    assert added["since"] == "2010-03" and added["status"] == "edited" and added["evidence"]["text"] == "Emploi-Québec"
    with pytest.raises(StoreError, match="already in the store"):
        store.add_record("people", doc_id, {"name": "Gaétan Rivard"}, {"page": 1, "start": 0, "end": 5}, "ana")
    with pytest.raises(InvalidReview) as e:
        store.add_record("funding", doc_id, {"funder": "Desjardins"}, {"page": 1, "start": 0, "end": 5}, "ana")
    assert e.value.errors == {"amount": "a value is required"}
    with pytest.raises(InvalidReview, match="not text of this page"):
        store.add_record("people", doc_id, {"name": "Luce Gagnon"}, {"page": 1, "start": 0, "end": 10 ** 6}, "ana")
    with pytest.raises(InvalidReview, match="not text of this page"):
        store.add_record("people", doc_id, {"name": "Luce Gagnon"},
                         {"page": 1, "start": 0, "end": 5, "text": "absent de la page"}, "ana")


def _many_records(n, doc_id="d" * 64, confidences=True):
    """A document JSON of n funding records, some with a confidence, over several pages."""
    from pipeline.records import names
    doc = {"document": {"id": doc_id, "source": f"raw/{doc_id[:6]}.pdf", "pages": 3, "page_methods": ["text"] * 3},
           "text": [{"page": p, "text": f"Page {p} du bulletin."} for p in (1, 2, 3)], "mentions": [],
           **{t: [] for t in names()}}
    for i in range(n):
        rec = {"funder": f"Caisse Desjardins n° {i}", "recipient": "Coopérative de Rimouski" if i % 7 == 0 else None,
               "amount": 1000.0 * (i + 1), "currency": "CAD", "kind": None, "period_years": None, "is_total": False,
               "date": None, "evidence": {"page": 1 + i % 3, "start": 0, "end": 5, "text": f"Phrase {i} du bulletin.", "bbox": None}}
        if confidences and i % 3:
            rec["confidence"] = round((i * 37 % 100) / 100, 2)
        doc["funding"].append(rec)
    return doc


@pytest.mark.parametrize("sort", ["page", "confidence", "value", "status"])
def test_queue_pages_cover_every_record_once_in_order_both_ways(store, sort):
    from pipeline.store import Filters
    store.save(_many_records(53), "1")
    f = Filters(status="all")
    seen, after = [], None
    while True:
        page = store.queue("funding", f, sort, after=after, limit=10)
        seen += [r["id"] for r in page["rows"]]
        if not page["more"]:
            break
        after = page["rows"][-1]["id"]
    assert len(seen) == len(set(seen)) == 53
    back, before = [], seen[-1]
    while before:
        page = store.queue("funding", f, sort, before=before, limit=10)
        back = [r["id"] for r in page["rows"]] + back
        before = page["rows"][0]["id"] if page["more"] else None
    assert back == seen[:-1]
    assert store.position("funding", seen[20], f, sort) == (21, 53)
    assert store.neighbours("funding", seen[20], f, sort) == (seen[19], seen[21])


def test_queue_filters_search_confidence_and_progress(store):
    from pipeline.store import Filters
    store.save(_many_records(30), "1")
    rows = store.queue("funding", Filters(), "confidence", limit=100)["rows"]
    conf = [r["confidence"] for r in rows]
    known = [c for c in conf if c is not None]
    assert known == sorted(known) and len(known) == 20               # least confident first
    assert all(c is None for c in conf[len(known):])                 # records without one come last
    ids = [r["id"] for r in rows]
    store.review("funding", ids[0], "approve", "ana")
    store.review("funding", ids[1], "edit", "ana", {"kind": "prêt"})
    store.review("funding", ids[2], "reject", "ana")
    assert store.progress("funding") == {"total": 30, "todo": 27, "reviewed": 3, "changed": 0, "pending": 27,
                                         "approved": 1, "edited": 1, "rejected": 1}
    todo = store.queue("funding", Filters(), "page", limit=100)["rows"]
    assert len(todo) == 27 and not {ids[0], ids[1], ids[2]} & {r["id"] for r in todo}
    both = store.queue("funding", Filters(status="approved,edited"), "page", limit=100)["rows"]
    assert {r["id"] for r in both} == {ids[0], ids[1]}
    found = store.queue("funding", Filters(status="all", q="cooperative RIMOUSKI"), "page", limit=100)["rows"]
    assert len(found) == 5                                           # accents and case ignored
    assert len(store.queue("funding", Filters(status="all", q="12 000 $"), "page", limit=100)["rows"]) == 1
    assert store.queue("funding", Filters(status="all", q="100%_"), "page", limit=100)["rows"] == []
    with pytest.raises(StoreError, match="unknown status"):
        store.queue("funding", Filters(status="approuvé"))


def test_a_store_made_by_the_previous_version_is_upgraded_in_place(tmp_path, sample_doc):
    import sqlite3
    from pipeline.records import names
    from pipeline.store import Base, Filters
    from pipeline.store.db import AuditRow, DocumentRow, MentionRow, PageRow
    path = tmp_path / "ancien.db"
    from sqlalchemy import create_engine
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine, tables=[t.__table__ for t in (DocumentRow, PageRow, MentionRow, AuditRow)])
    engine.dispose()
    con = sqlite3.connect(path)
    for t in names():                     # the record tables as the previous version made them
        con.execute(f"CREATE TABLE {t} (id VARCHAR(32) PRIMARY KEY, doc_id VARCHAR(64) NOT NULL, status VARCHAR(12) "
                    "NOT NULL, needs_review BOOLEAN NOT NULL, confidence FLOAT, fields JSON NOT NULL, reviewed JSON, "
                    "reviewer VARCHAR(120), reviewed_at DATETIME, page INTEGER, evidence JSON, updated_at DATETIME NOT NULL)")
        con.execute(f"CREATE INDEX ix_{t}_status ON {t} (status)")
    con.execute("INSERT INTO documents (id, source, status, pipeline_version, pages, page_methods, ingested_at) "
                "VALUES ('dd', 'raw/ancien.pdf', 'ok', '3', 1, '[\"text\"]', '2024-01-01 00:00:00')")
    con.execute("INSERT INTO funding VALUES ('a1', 'dd', 'approved', 0, NULL, ?, ?, 'ana', NULL, 1, ?, "
                "'2024-01-01 00:00:00')", ('{"funder": "MAMROT", "amount": 250000.0, "currency": "CAD", '
                                           '"is_total": false}', '{"kind": "subvention"}', '{"page": 1, "text": "x"}'))
    con.execute("INSERT INTO funding VALUES ('a2', 'dd', 'pending', 0, NULL, ?, NULL, NULL, NULL, NULL, NULL, "
                "'2024-01-01 00:00:00')", ('{"funder": "CRÉ", "amount": 75000.0, "currency": "CAD", "is_total": false}',))
    con.commit()
    con.close()
    store = Store(f"sqlite:///{path}")
    a1 = store.record("funding", "a1")
    assert a1["kind"] == "subvention" and a1["review"]["version"] == 1 and not a1["review"]["todo"]
    assert a1["review"]["label"] == "MAMROT · 250 000 $"
    assert [r["id"] for r in store.queue("funding", Filters())["rows"]] == ["a2"]
    store.review("funding", "a2", "approve", "ana", version=1)
    store.save(sample_doc, "4")
    con = sqlite3.connect(path)
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'funding'")}
    assert {"ix_funding_todo_page", "ix_funding_todo_conf", "ix_funding_status_page"} <= indexes


def test_queue_counts_from_progress_agree_with_counting(store):
    from pipeline.store import Filters
    store.save(_many_records(30), "1")
    ids = [r["id"] for r in store.queue("funding", Filters(), "page", limit=100)["rows"]]
    store.review("funding", ids[0], "approve", "ana")
    store.review("funding", ids[1], "reject", "ana")
    for status in ("todo", "changed", "all", "approved", "approved,rejected", "pending"):
        f = Filters(status=status)
        assert store.count("funding", f) == len(store.queue("funding", f, "page", limit=100)["rows"]), status
    f = Filters(status="all", q="rimouski")
    assert store.count("funding", f) == 5 and store.position("funding", None, f)[1] == 5

"""The record store on a real SQLite file and a real PostgreSQL server: stable ids, upserts,
review actions with their audit trail, review work kept across re-extraction."""
import copy

import pytest

from conftest import SAMPLE_TXT
from pipeline.store import Store, StoreError, record_id


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bulletins.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    s = Store(url)
    yield s
    from pipeline.store import Base
    Base.metadata.drop_all(s.engine)
    s.close()


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

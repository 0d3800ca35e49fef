"""The record types' registry (pipeline/records): one module and one spec per type, iterated by every
stage that handles records: the document JSON, the store, export, the review page and eval."""
from dataclasses import dataclass
from typing import Optional

import pytest

from pipeline.records import Column, RecordSpec, names, spec, specs
from pipeline.records.spec import Record


def test_the_contract_s_record_types_come_first_in_order():
    # CONTRACT.md's types; a new type may follow them
    assert names()[:5] == ("organizations", "coop_stats", "funding", "people", "events")


def test_a_spec_must_name_fields_of_its_record():
    @dataclass(frozen=True)
    class Grant(Record):
        amount: float
        evidence: Optional[object] = None
    with pytest.raises(ValueError, match="'donor'"):
        RecordSpec(name="grants", record=Grant, build=lambda doc: [], key_fields=("donor",),
                   columns={"amount": Column("float")}, label="Grants", title_fields=("amount",))
    with pytest.raises(ValueError, match="column type"):
        Column("decimal")


def test_funding_kinds_are_the_kinds_the_rules_declare():
    from pipeline.nlp.rules import values_of
    assert spec("funding").columns["kind"].allowed == values_of("FUND_KIND", "fund_kind")
    assert {"subvention", "prêt", "contribution", "fonds"} <= spec("funding").columns["kind"].allowed


def test_every_stage_iterates_the_registry(site, tmp_path):
    from fastapi.testclient import TestClient
    from pipeline import extract_text
    from pipeline.evaluate import report_fields
    from pipeline.store import MODELS, Store
    from pipeline.store.export import export
    from review.app import create_app
    doc = extract_text("Le CLD de Rimouski a versé 5 000 $ à la Coopérative de Rimouski.")
    assert all(n in doc for n in names())
    assert set(MODELS) == set(names())
    store = Store(site["db"])
    paths = export(store, tmp_path / "out", "csv", "all")
    assert set(paths) == set(names()) | {"entities"}        # one file per record type, and the entities across documents
    client = TestClient(create_app(db=site["db"], raw_dir=site["raw"], out_dir=site["out"], reviewer="ana"),
                        base_url="http://127.0.0.1:8765")
    for n in names():
        assert client.get(f"/?type={n}&status=all").status_code == 200, n
    assert {e.name for s in specs() for e in s.evaluations} <= set(report_fields())
    store.close()

"""``bulletins export``: one file per record type in CSV, Parquet and JSON, schema-checked before
anything is written (the columns come from each record type's spec)."""
import pytest


def test_export_formats_and_schema(site, tmp_path):
    import pandas as pd
    from pipeline.store.export import ExportError, export
    from pipeline.store import Store
    store = Store(site["db"])
    recs = store.records("funding")
    store.review("funding", recs[0]["id"], "approve", "ana")
    store.review("funding", recs[1]["id"], "edit", "ana", {"kind": "subvention"})
    paths = export(store, tmp_path / "csv", "csv", "approved")
    df = pd.read_csv(paths["funding"])
    assert list(df["id"]) == [recs[0]["id"]] and df["amount"].iloc[0] == recs[0]["amount"]
    pq = export(store, tmp_path / "pq", "parquet", "all")
    assert len(pd.read_parquet(pq["funding"])) == len(recs)
    js = export(store, tmp_path / "js", "json", "edited")
    assert pd.read_json(js["funding"])["kind"].tolist() == ["subvention"]
    store.review("funding", recs[0]["id"], "edit", "ana", {"amount": -5})
    with pytest.raises(ExportError, match="negative value -5"):
        export(store, tmp_path / "bad", "csv", "all")
    with pytest.raises(ExportError, match="unknown format 'xls'"):
        export(store, tmp_path / "bad", "xls")

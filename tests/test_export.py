"""``bulletins export``: one file per record type in CSV, Parquet and JSON, each row checked against the
schema of its record type's spec; a row that breaks it is left out and reported, the rest written."""
import json
import math

import pytest


def _put_reviewed(store, rtype, rid, **values):
    """Write values into a record as an older version of the program (or another tool) could have stored them."""
    from sqlalchemy.orm import Session
    from pipeline.store import MODELS
    with Session(store.engine) as s, s.begin():
        r = s.get(MODELS[rtype], rid)
        r.reviewed = dict(r.reviewed or {}, **values)
        r.status = "edited"


def test_export_formats_and_schema(site, tmp_path):
    import pandas as pd
    from pipeline.store.export import ExportError, export
    from pipeline.store import InvalidReview, Store
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
    both = export(store, tmp_path / "both", "csv", "approved,edited")
    assert set(pd.read_csv(both["funding"])["id"]) == {recs[0]["id"], recs[1]["id"]}
    with pytest.raises(InvalidReview, match="must not be negative"):
        store.review("funding", recs[0]["id"], "edit", "ana", {"amount": -5})
    with pytest.raises(ExportError, match="unknown format 'xls'"):
        export(store, tmp_path / "bad", "xls")
    with pytest.raises(ExportError, match="unknown status 'done'"):
        export(store, tmp_path / "bad", "csv", "approved,done")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_a_stored_value_that_breaks_the_schema_is_reported_and_the_rest_written(site, tmp_path, fmt):
    # the bug: one amount saved as text ('2') made every export fail, in every format
    import pandas as pd
    from pipeline.store import Store
    from pipeline.store.export import export
    store = Store(site["db"])
    recs = store.records("funding")
    for r in recs:
        store.review("funding", r["id"], "approve", "ana")
    _put_reviewed(store, "funding", recs[0]["id"], amount="2")
    _put_reviewed(store, "funding", recs[1]["id"], amount=math.inf, kind="cadeau")
    result = export(store, tmp_path / fmt, fmt, "approved,edited")
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "json": pd.read_json}[fmt]
    written = read(result["funding"])
    assert set(written["id"]) == {r["id"] for r in recs[2:]}
    assert result.rows["funding"] == len(recs) - 2
    assert {(p["id"], p["field"]) for p in result.problems} == {
        (recs[0]["id"], "amount"), (recs[1]["id"], "amount"), (recs[1]["id"], "kind")}
    assert any("'2' is not float" in p["problem"] for p in result.problems)
    report = json.loads(result.report.read_text(encoding="utf-8"))
    assert report["left_out"] == 2 and len(report["problems"]) == 3 and report["rows"]["funding"] == len(recs) - 2


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(site, tmp_path):
    import csv
    import pandas as pd
    from pipeline.store import Store
    from pipeline.store.export import export
    store = Store(site["db"])
    recs = store.records("funding")
    payloads = ['=HYPERLINK("http://exemple.org","Cliquez")', "+33 1 23 45", "-2+3", "@SOMME(A1:A2)"]
    for r, p in zip(recs, payloads):
        store.review("funding", r["id"], "edit", "ana", {"recipient": p})
    paths = export(store, tmp_path / "csv", "csv", "edited")
    with open(paths["funding"], newline="", encoding="utf-8") as fh:
        cells = {row["id"]: row["recipient"] for row in csv.DictReader(fh)}
    for r, p in zip(recs, payloads):
        assert cells[r["id"]] == "'" + p
    # numbers stay numbers, and the other formats keep the text as it is
    assert pd.read_csv(paths["funding"])["amount"].dtype.kind == "f"
    pq = export(store, tmp_path / "pq", "parquet", "edited")
    assert set(pd.read_parquet(pq["funding"])["recipient"]) == set(payloads[:len(recs)])


def test_the_export_command_takes_several_statuses_and_reports_rows_left_out(site, tmp_path, capsys):
    import pandas as pd
    from bulletins.cli import main
    from pipeline.store import Store
    store = Store(site["db"])
    recs = store.records("funding")
    store.review("funding", recs[0]["id"], "approve", "ana")
    store.review("funding", recs[1]["id"], "edit", "ana", {"amount": "1,2 M$"})
    store.review("funding", recs[2]["id"], "approve", "ana")
    out = tmp_path / "export"
    assert main(["export", "--db", site["db"], "--status", "approved,edited", "--out", str(out)]) == 0
    assert "funding: " in capsys.readouterr().out
    df = pd.read_csv(out / "funding.csv")
    assert set(df["status"]) == {"approved", "edited"} and 1200000.0 in set(df["amount"])
    _put_reviewed(store, "funding", recs[2]["id"], amount="2")
    assert main(["export", "--db", site["db"], "--status", "approved,edited", "--out", str(out)]) == 1
    cap = capsys.readouterr()
    assert "(2 rows)" in cap.out and "1 row(s) left out" in cap.err and "'2' is not float" in cap.err
    assert "export-report.json" in cap.err and (out / "export-report.json").exists()
    assert main(["export", "--db", site["db"], "--status", "approuvé", "--out", str(out)]) == 2
    assert "unknown status" in capsys.readouterr().err

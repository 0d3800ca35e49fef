"""End to end: the installed command on the sample page, and its error contract."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_TXT, load_json

BULLETINS = [sys.executable, "-m", "pipeline"]


def run(*args, cwd=ROOT):
    return subprocess.run(BULLETINS + [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample_json():
    r = run("extract", SAMPLE_TXT, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_contract_shape(sample_json):
    doc = sample_json
    assert set(doc) >= {"document", "text", "mentions", "organizations", "coop_stats", "funding", "people", "events"}
    d = doc["document"]
    assert len(d["id"]) == 64 and d["pages"] == 1 and d["page_methods"] == ["text"]
    assert {m["label"] for m in doc["mentions"]} <= {"PER", "ORG", "LOC", "MONEY", "COUNT", "DATE", "PERCENT"}
    page = doc["text"][0]["text"]
    for m in doc["mentions"]:
        assert page[m["start"]:m["end"]] == m["text"] and m["page"] == 1 and m["rule"]
    for kind in ("organizations", "coop_stats", "funding", "people", "events"):
        for r in doc[kind]:
            ev = r["evidence"]
            assert page[ev["start"]:ev["end"]] == ev["text"]


def test_sample_values(sample_json):
    doc = sample_json
    funding = {(f["funder"], f["amount"], f["period_years"], f["is_total"]) for f in doc["funding"]}
    assert funding == {("MAMROT", 250000, 5, False), ("CRÉ", 250000, 5, False), ("Emploi-Québec", 75000, None, False),
                       (None, 575000, None, True)}
    stats = {(s["measure"], s["sector"], s["value"]) for s in doc["coop_stats"]}
    assert {("cooperatives", None, 53), ("cooperatives", "habitation", 21), ("members", None, 10000),
            ("jobs", None, 500), ("new_cooperatives", None, 7)} <= stats
    assert len(stats) == 11
    dates = {m["value"] for m in doc["mentions"] if m["label"] == "DATE"}
    assert dates == {"2005", "2011-04-08", "2012-04-16"}
    people = {p["name"] for p in doc["people"]}
    assert people == {"Clément Bergeron", "Claire L’Heureux", "Véronica Pérez"}
    coops = {o["name"]: o["sector"] for o in doc["organizations"] if o["kind"] == "cooperative"}
    assert coops == {"Coopérative des Petites Écores": "agroalimentaire",
                     "Coopérative régionale de development de la Montérégie".replace("development", "développement"): None}
    (event,) = doc["events"]
    assert event["date"] == "2011-04-08" and event["place"] == "Salaberry-de-Valleyfield" and event["participants"] == 100
    text = doc["text"][0]["text"]
    assert "communautaire" in text and "communau-" not in text and "LES PÔLES" not in text


def test_sample_scores_against_gold(sample_json):
    from pipeline.evaluate import score_document
    res = score_document(load_json(SAMPLE_TXT.with_name("vhsl-p71.gold.json")), sample_json)
    assert all(c.f1 >= 0.9 for c in res.values()), {k: round(v.f1, 2) for k, v in res.items()}


def test_eval_command(tmp_path):
    for f in ("vhsl-p71.txt", "vhsl-p71.gold.json"):
        (tmp_path / f).write_bytes((SAMPLE_TXT.parent / f).read_bytes())
    r = run("eval", tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["field", "precision", "recall", "f1"]
    assert [l.split()[0] for l in lines[1:9]] == ["people", "orgs", "places", "money", "dates", "coops", "stats", "funding"]
    assert lines[9].startswith("mean") and float(lines[9].split()[1]) >= 0.9


@pytest.mark.parametrize("make,needle", [
    (lambda d: d / "absent.pdf", "no such file"),
    (lambda d: (d / "empty.txt").write_text("") and None or d / "empty.txt", "empty file"),
    (lambda d: (d / "blank.txt").write_text("  \n\n ") and None or d / "blank.txt", "empty file"),
    (lambda d: (d / "table.xlsx").write_bytes(b"PK\x03\x04 not a bulletin") and None or d / "table.xlsx", "unsupported file type"),
    (lambda d: (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 50) and None or d / "binary.txt", "unsupported file type"),
])
def test_errors_are_one_line_exit_2(tmp_path, make, needle):
    path = make(tmp_path)
    r = run("extract", path, "--json")
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0] and str(path.name) in lines[0]
    assert "Traceback" not in r.stderr


def test_python_api():
    from pipeline import extract_file, extract_text
    a = extract_file(SAMPLE_TXT)
    b = extract_text(SAMPLE_TXT.read_text(encoding="utf-8"))
    assert a["funding"] == b["funding"] and a["document"]["source"] == str(SAMPLE_TXT)


def test_resolve_command(tmp_path):
    """`bulletins resolve`: counts across documents, the entities of several spellings with why, JSON."""
    import json
    import shutil
    from pipeline.ingest import ingest_file
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "samples" / "vhsl-p71.txt", raw / "a.txt")
    (raw / "b.txt").write_text((raw / "a.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    for f in sorted(raw.iterdir()):
        ingest_file(f, tmp_path / "out", db)
    listed = run("resolve", "--db", db, "--list")
    assert listed.returncode == 0, listed.stderr
    assert "1 near-duplicate document pairs" in listed.stdout and "CRÉ VHSL" in listed.stdout
    assert "acronym CRÉ = conference regionale des elus (defined in its document)" in listed.stdout
    as_json = json.loads(run("resolve", "--db", db, "--json").stdout)
    assert as_json["facts"]["funding"] * 2 == as_json["records"]["funding"] and as_json["document_links"] == 1
    bad = run("resolve", "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "secret" not in bad.stderr

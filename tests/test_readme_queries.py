"""The three questions of the README's *Across documents* section, run as written (every ```sql and
```python block of that section) on a SQLite file (as Datasette reads it: the sqlite3 module) and on a real
PostgreSQL server, over a store holding the sample page twice (a re-issued file): each grant counted once."""
import re
import sqlite3

import pytest

from conftest import ROOT, SAMPLE_TXT
from pipeline.store import Store


def blocks(lang: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Across documents")
    section = text[start:text.index("\n### ", start + 10)]
    return re.findall(rf"```{lang}\n(.*?)```", section, re.S)


@pytest.fixture(params=["sqlite", "postgresql"])
def filled(request, tmp_path):
    from pipeline import extract_text
    from pipeline.store.resolved import resolve
    url = f"sqlite:///{tmp_path / 'b.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = Store(url)
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    a, b = extract_text(text), extract_text(text + " ")
    b["document"]["id"] = "c" * 64
    store.save(a, "1")
    store.save(b, "1")
    for t in ("funding", "organizations", "people"):
        store.review_many(t, [{"id": r["id"], "version": r["review"]["version"]} for r in store.records(t)
                              if r["doc_id"] == a["document"]["id"]], "approve", "ana")
    resolve(store)                                    # the twin's records take the review
    yield url, store, a
    from pipeline.store import Base
    Base.metadata.drop_all(store.engine)
    store.close()


def test_the_readme_has_the_three_questions():
    sql, py = blocks("sql"), blocks("python")
    assert len(sql) == 3 and len(py) == 1
    assert "funding_facts" in sql[0] and "organizations_facts" in sql[1] and "people_facts" in sql[2]


def test_the_sql_runs_as_written(filled):
    import pandas as pd
    url, store, doc = filled
    sql = blocks("sql")
    if url.startswith("sqlite"):
        with sqlite3.connect(url[len("sqlite:///"):]) as conn:        # what Datasette does
            results = [pd.read_sql(q, conn) for q in sql]
    else:
        with store.engine.connect() as conn:
            results = [pd.read_sql(q, conn) for q in sql]
    by_funder, coops, people = results
    grants = [f for f in doc["funding"] if not f["is_total"]]
    assert by_funder["grants"].sum() == len(grants)                    # each grant once, not twice
    assert by_funder["total"].sum() == pytest.approx(sum(f["amount"] for f in grants))
    assert by_funder["funder_name"].notna().any()
    n_coops = len({o["name"] for o in doc["organizations"] if o["kind"] == "cooperative"})
    assert coops["coops"].sum() <= n_coops and coops["coops"].sum() > 0
    assert len(people) == len(doc["people"]) and people["person"].notna().all()


def test_the_pandas_runs_as_written(filled):
    url, store, doc = filled
    code = blocks("python")[0]
    code = re.sub(r'db = "[^"]*"', f"db = {url!r}", code)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    grants = [f for f in doc["funding"] if not f["is_total"]]
    assert scope["by_funder_year"]["count"].sum() == len(grants)
    assert scope["by_funder_year"]["sum"].sum() == pytest.approx(sum(f["amount"] for f in grants))
    assert scope["by_sector_region"].sum() > 0
    assert len(scope["roles"]) == len(doc["people"])

"""Reviewed values (pipeline.records.values): what a reviewer types is read with the French parsers of
extraction, per column of the record type's spec, and refused with a message when the column cannot
hold it; stored values that would break an export are named; values are shown as French readers write them."""
import math

import pytest

from pipeline.records import spec
from pipeline.records.values import InvalidValues, display, displayed, parse, problem, validate_changes

FUNDING = spec("funding")
COL = FUNDING.columns


@pytest.mark.parametrize("typed, value", [
    ("125 000", 125000.0), ("125\u202f000 $", 125000.0), ("1,2 M$", 1200000.0), ("2,3 millions de dollars", 2300000.0),
    ("75000", 75000.0), (75000, 75000.0), ("12 500,50 $", 12500.5), ("deux millions de dollars", 2000000.0),
])
def test_amounts_are_read_as_french_readers_write_them(typed, value):
    assert parse(COL["amount"], typed) == value


@pytest.mark.parametrize("typed", ["-5", "−5 000", -5, "beaucoup", "12 pommes", {"montant": 5}, [5], True, "1e309",
                                   1e309, float("nan"), "∞", "=1+1"])
def test_amounts_that_are_not_amounts_are_refused(typed):
    with pytest.raises(ValueError):
        parse(COL["amount"], typed)


def test_periods_counts_dates_kinds_and_booleans():
    assert parse(COL["period_years"], "sur cinq ans") == 5
    assert parse(COL["period_years"], "5") == 5 and parse(COL["period_years"], "3 années") == 3
    assert parse(COL["period_years"], "quinquennal") == 5 and parse(COL["period_years"], "pendant 2,5 ans") == 2.5
    stats = spec("coop_stats").columns
    assert parse(stats["value"], "quarante-deux") == 42 and parse(stats["value"], "une centaine") == 100
    with pytest.raises(ValueError, match="not a count"):
        parse(stats["value"], "2,5")
    assert parse(COL["date"], "8 avril 2011") == "2011-04-08"
    assert parse(COL["date"], "juin 2010") == "2010-06" and parse(COL["date"], "2005") == "2005"
    assert parse(COL["date"], "2010-06") == "2010-06" and parse(COL["date"], "le 2 décembre", "2011-11-15") == "2011-12-02"
    for bad in ("2011-13", "2011-02-30", "bientôt", "le 2 décembre"):
        with pytest.raises(ValueError, match="not a date"):
            parse(COL["date"], bad)
    assert parse(COL["kind"], "Prêt") == "prêt" and parse(COL["kind"], "") is None
    with pytest.raises(ValueError, match="not one of"):
        parse(COL["kind"], "cadeau")
    assert parse(COL["is_total"], "oui") is True and parse(COL["is_total"], False) is False
    with pytest.raises(ValueError, match="required"):
        parse(COL["is_total"], "")
    assert parse(COL["currency"], "eur") == "EUR" and parse(COL["currency"], "euros") == "EUR"
    assert parse(COL["recipient"], "  Coopérative\tde  Rimouski ") == "Coopérative de Rimouski"
    with pytest.raises(ValueError, match="expected text"):
        parse(COL["recipient"], {"nom": "x"})
    with pytest.raises(ValueError, match="too long"):
        parse(COL["recipient"], "x" * 501)


def test_changes_are_validated_together_and_an_amount_s_currency_follows_it():
    current = {"amount": 250000.0, "currency": "CAD", "kind": None}
    assert validate_changes(FUNDING, {"amount": "125 000"}, current) == {"amount": 125000.0}
    assert validate_changes(FUNDING, {"amount": "50 000 €"}, current) == {"amount": 50000.0, "currency": "EUR"}
    with pytest.raises(InvalidValues) as e:
        validate_changes(FUNDING, {"amount": "50 000 €", "currency": "USD"}, current)
    assert "written in EUR" in e.value.errors["amount"]
    with pytest.raises(InvalidValues) as e:
        validate_changes(FUNDING, {"amount": "-1", "kind": "cadeau", "nope": 1, "evidence": {}}, current)
    assert set(e.value.errors) == {"amount", "kind", "nope", "evidence"}
    assert "no editable field 'nope'" in e.value.errors["nope"]
    with pytest.raises(InvalidValues):
        validate_changes(FUNDING, ["amount"], current)


def test_problems_of_stored_values_and_how_values_are_shown():
    assert problem(COL["amount"], "2") == "'2' is not float"
    assert problem(COL["amount"], math.inf) and problem(COL["amount"], -5) == "negative value -5"
    assert problem(COL["kind"], "cadeau") and problem(COL["amount"], None) == "empty"
    assert problem(COL["amount"], 45000) is None and problem(COL["kind"], None) is None
    assert display(COL["amount"], 45000.0) == "45 000 $" and display(COL["amount"], 1234.5, "EUR") == "1 234,50 €"
    assert display(COL["period_years"], 5) == "5 ans" and display(COL["is_total"], True) == "oui"
    shown = displayed(FUNDING, {"amount": 45000.0, "currency": "USD", "period_years": None, "kind": "prêt"})
    assert shown["amount"] == "45 000 $ US" and shown["period_years"] == "" and shown["kind"] == "prêt"
    for f, col in FUNDING.columns.items():      # what is shown reads back as the same value
        v = {"amount": 45000.0, "currency": "CAD", "period_years": 5, "is_total": False, "date": "2011-04",
             "kind": "subvention", "funder": "MAMROT", "recipient": None}[f]
        assert parse(col, display(col, v, "CAD")) == v, f

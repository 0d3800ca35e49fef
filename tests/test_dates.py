import pytest

from pipeline.lang_fr.dates import duration_years, issue_date_in, normalise


@pytest.mark.parametrize("text,iso", [
    ("8 avril 2011", "2011-04-08"), ("1er mai 2012", "2012-05-01"), ("juin 2010", "2010-06"), ("2005", "2005"),
    ("08/04/2011", "2011-04-08"), ("2011-04-08", "2011-04-08"), ("7 sept. 2011", "2011-09-07"),
    ("mercredi 16 avril 2012", "2012-04-16"), ("décembre 2009", "2009-12"), ("printemps 2011", "2011"),
    ("août 2010", "2010-08"), ("le 3 février 2013", "2013-02-03"),
])
def test_normalise_absolute(text, iso):
    assert normalise(text) == iso


def test_day_month_needs_an_anchor():
    assert normalise("2 décembre") is None
    assert normalise("2 décembre", "2011-11") == "2011-12-02"
    assert normalise("8 janvier", "2011-12-15") == "2012-01-08"      # the nearest 8 January


@pytest.mark.parametrize("text", ["31 février 2011", "sept", "32/13/2011"])
def test_normalise_rejects(text):
    assert normalise(text) is None


def test_relative_weekday_uses_issue_date():
    assert normalise("mercredi prochain", "2016-09-07") is not None
    assert normalise("mercredi prochain") is None


@pytest.mark.parametrize("text,years", [("sur cinq ans", 5), ("pendant 3 années", 3), ("quinquennale", 5),
                                        ("sur une période de deux ans", 2), ("triennale", 3)])
def test_duration_years(text, years):
    assert duration_years(text) == years


def test_issue_date_in():
    assert issue_date_in("Bulletin no 12\nJuin 2010\nLes pôles") == "2010-06"
    assert issue_date_in("Volume 3, numéro 2, 15 mars 2012") == "2012-03-15"
    assert issue_date_in("Une nouvelle région") is None


@pytest.mark.parametrize("text,iso", [
    ("21/04/2016", "2016-04-21"), ("21-04-2016", "2016-04-21"), ("05/05/89", "1989-05-05"), ("3-7-07", "2007-07-03"),
    ("2015/08/12", "2015-08-12"), ("2015.5.13", "2015-05-13"), ("02/22/2016", "2016-02-22"),
    ("12 janvier, 2016", "2016-01-12"),
])
def test_numeric_and_comma_dates(text, iso):
    assert normalise(text) == iso

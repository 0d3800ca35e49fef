import pytest

from pipeline.lang_fr.numbers import parse_count, parse_digits, parse_money, parse_number, parse_percent, parse_words


@pytest.mark.parametrize("text,value", [
    ("250 000", 250000), ("250\u00a0000", 250000), ("250\u202f000", 250000), ("1,2", 1.2), ("94.000", 94000),
    ("125.000,50", 125000.5), ("1,250,000", 1250000), ("12,345", 12.345), ("0.5", 0.5), ("2005", 2005),
])
def test_parse_digits(text, value):
    assert parse_digits(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "--", "1 2a"])
def test_parse_digits_rejects(text):
    assert parse_digits(text) is None


@pytest.mark.parametrize("text,value", [
    ("sept", 7), ("quarante-deux", 42), ("vingt et un", 21), ("soixante-dix", 70), ("quatre-vingts", 80),
    ("quatre-vingt-dix-neuf", 99), ("deux cent cinquante", 250), ("trois mille", 3000), ("cinq millions", 5_000_000),
    ("dix-sept", 17), ("Treize", 13), ("cent", 100), ("deux millions cinq cent mille", 2_500_000),
])
def test_parse_words(text, value):
    assert parse_words(text) == value


@pytest.mark.parametrize("text", ["septembre", "nouvelles", "neuve", ""])
def test_parse_words_rejects(text):
    assert parse_words(text) is None


@pytest.mark.parametrize("text,value", [("une centaine", 100), ("une dizaine", 10), ("un millier", 1000),
                                        ("53", 53), ("10 000", 10000), ("sept", 7), ("quarante-deux", 42),
                                        ("1,900", 1900)])     # an old English-style thousands comma
def test_parse_count(text, value):
    assert parse_count(text) == value


def test_parse_count_rejects_fractions_and_words():
    assert parse_count("1,5") is None
    assert parse_count("plusieurs") is None


@pytest.mark.parametrize("text,amount,currency", [
    ("250 000 $", 250000, "CAD"), ("75 000$", 75000, "CAD"), ("1,2 M$", 1_200_000, "CAD"),
    ("$15,000", 15000, "CAD"), ("$184,320.00", 184320, "CAD"), ("1,250 M$", 1_250_000, "CAD"),
    ("2,3 millions de dollars", 2_300_000, "CAD"), ("50 000 dollars", 50000, "CAD"), ("$ 75 millions", 75_000_000, "CAD"),
    ("10k$", 10000, "CAD"), ("323 millions d'euros", 323_000_000, "EUR"), ("£ 8,10 millions", 8_100_000, "GBP"),
    ("150 millions de $ usd", 150_000_000, "USD"), ("cinq millions de yens", 5_000_000, "JPY"), ("12 cents", 0.12, "CAD"),
    ("1 milliard de $", 1e9, "CAD"), ("16,4 millions de $ c", 16_400_000, "CAD"),
])
def test_parse_money(text, amount, currency):
    assert parse_money(text) == {"amount": pytest.approx(amount), "currency": currency}


def test_parse_money_rejects_text_without_amount():
    assert parse_money("des dollars") is None


@pytest.mark.parametrize("text,value", [("15 %", 15), ("3,5%", 3.5), ("100 pour cent", 100), ("cinquante pour cent", 50)])
def test_parse_percent(text, value):
    assert parse_percent(text) == pytest.approx(value)


def test_parse_number_scales():
    assert parse_number("2,3 millions") == pytest.approx(2_300_000)
    assert parse_number("1,2 M") == pytest.approx(1_200_000)
    assert parse_number("nouvelles") is None

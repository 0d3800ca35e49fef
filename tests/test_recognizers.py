"""Microsoft Recognizers-Text's French specs (MIT, tests/data/peer) through our normalisation.
The shares are measured by ``python -m bench.recognizers``; these tests hold the issue's floor
(currency and absolute dates >= 85 %) and the measured level of the others, so a rule change that
loses cases fails here. Each case list is the spec file's, not a selection."""
from testkit.recognizers import DEFAULT_DIR, currency, dates, durations, numbers


def test_currency_cases():
    t = currency(DEFAULT_DIR)
    assert t.total >= 100 and t.share >= 0.85, t.misses


def test_absolute_dates():
    absolute, _ = dates(DEFAULT_DIR)
    assert absolute.total >= 20 and absolute.share >= 0.85, absolute.misses


def test_integer_numbers():
    t = numbers(DEFAULT_DIR)
    assert t.share >= 0.60, t.misses


def test_every_duration_in_whole_years_is_found():
    t = durations(DEFAULT_DIR)
    assert t.total >= 2 and t.right == t.total, t.misses

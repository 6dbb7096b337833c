import pytest

from expenses.money import cents_to_number, format_cents, to_cents


def test_to_cents_reads_numbers_and_strings():
    assert to_cents(12.5) == 1250
    assert to_cents("3.07") == 307
    assert to_cents(4) == 400


@pytest.mark.parametrize("value", ["abc", True, None, "1.234", float("nan")])
def test_to_cents_refuses_what_is_not_an_amount(value):
    with pytest.raises(ValueError):
        to_cents(value)


def test_formatting():
    assert format_cents(1250) == "12.50"
    assert format_cents(-5) == "-0.05"
    assert cents_to_number(1250) == 12.5

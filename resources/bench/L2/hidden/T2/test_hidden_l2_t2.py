import math

import pytest

from calculator import Calculator


def test_integer_powers():
    assert Calculator().power(3, 4) == 81
    assert Calculator().power(5, 0) == 1
    assert Calculator().power(-2, 3) == -8


def test_negative_and_fractional_exponents():
    assert Calculator().power(4, -2) == 0.0625
    assert Calculator().power(9, 0.5) == pytest.approx(3.0)


def test_zero_to_a_negative_power():
    with pytest.raises(ValueError):
        Calculator().power(0, -2)


def test_zero_to_a_positive_power():
    assert Calculator().power(0, 3) == 0


def test_sqrt_values():
    assert Calculator().sqrt(16) == 4.0
    assert Calculator().sqrt(0) == 0.0
    assert Calculator().sqrt(2.25) == 1.5
    assert Calculator().sqrt(10) == pytest.approx(math.sqrt(10))


def test_sqrt_returns_a_float():
    assert isinstance(Calculator().sqrt(25), float)


def test_sqrt_negative():
    with pytest.raises(ValueError):
        Calculator().sqrt(-0.01)

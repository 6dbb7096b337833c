import pytest

from calculator import Calculator


def test_multiply_ints():
    assert Calculator().multiply(6, 7) == 42


def test_multiply_floats_and_negatives():
    assert Calculator().multiply(-1.5, 4) == -6.0
    assert Calculator().multiply(0, 99) == 0


def test_divide_exact_and_inexact():
    assert Calculator().divide(10, 4) == 2.5
    assert Calculator().divide(9, 3) == 3
    assert isinstance(Calculator().divide(9, 3), float)


def test_divide_negative():
    assert Calculator().divide(-9, 2) == -4.5


def test_divide_by_int_zero():
    with pytest.raises(ValueError, match="cannot divide by zero"):
        Calculator().divide(5, 0)


def test_divide_by_float_zero():
    with pytest.raises(ValueError, match="cannot divide by zero"):
        Calculator().divide(5, 0.0)


def test_zero_divided_is_zero():
    assert Calculator().divide(0, 5) == 0


def test_add_and_subtract_unchanged():
    assert Calculator().add(2, 3) == 5
    assert Calculator().subtract(2, 3) == -1

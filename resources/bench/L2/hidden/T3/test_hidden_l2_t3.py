import pytest

from calculator import Calculator

BINARY = ["add", "subtract", "multiply", "divide", "power"]


@pytest.mark.parametrize("operation", BINARY)
@pytest.mark.parametrize("bad", ["1", None, [1], True, {}])
def test_binary_refuses_a_bad_first_operand(operation, bad):
    with pytest.raises(TypeError):
        getattr(Calculator(), operation)(bad, 2)


@pytest.mark.parametrize("operation", BINARY)
@pytest.mark.parametrize("bad", ["1", None, False])
def test_binary_refuses_a_bad_second_operand(operation, bad):
    with pytest.raises(TypeError):
        getattr(Calculator(), operation)(2, bad)


@pytest.mark.parametrize("bad", ["9", None, True, [9]])
def test_sqrt_refuses(bad):
    with pytest.raises(TypeError):
        Calculator().sqrt(bad)


def test_string_concatenation_is_refused():
    with pytest.raises(TypeError):
        Calculator().add("a", "b")


def test_list_repetition_is_refused():
    with pytest.raises(TypeError):
        Calculator().multiply([1], 3)


def test_numbers_are_accepted():
    calculator = Calculator()
    assert calculator.add(1, 2.5) == 3.5
    assert calculator.subtract(1.5, 1) == 0.5
    assert calculator.multiply(2, 3) == 6
    assert calculator.divide(1, 4) == 0.25
    assert calculator.power(2, 3) == 8
    assert calculator.sqrt(4) == 2.0


def test_divide_by_zero_is_still_a_value_error():
    with pytest.raises(ValueError):
        Calculator().divide(1, 0)

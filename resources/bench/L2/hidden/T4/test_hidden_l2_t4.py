import pytest

from calculator import Calculator


def test_new_calculator_has_empty_history():
    assert Calculator().history() == []


def test_every_operation_is_recorded_in_order():
    calculator = Calculator()
    calculator.add(1, 2)
    calculator.subtract(5, 3)
    calculator.multiply(2, 3)
    calculator.divide(9, 3)
    calculator.power(2, 4)
    calculator.sqrt(16)
    assert calculator.history() == [
        ("add", (1, 2), 3),
        ("subtract", (5, 3), 2),
        ("multiply", (2, 3), 6),
        ("divide", (9, 3), 3.0),
        ("power", (2, 4), 16),
        ("sqrt", (16,), 4.0),
    ]


def test_errors_are_not_recorded():
    calculator = Calculator()
    with pytest.raises(ValueError):
        calculator.sqrt(-1)
    with pytest.raises(TypeError):
        calculator.add("1", 2)
    with pytest.raises(ValueError):
        calculator.divide(1, 0)
    assert calculator.history() == []


def test_clear_history_then_record_again():
    calculator = Calculator()
    calculator.add(1, 1)
    calculator.clear_history()
    calculator.add(2, 2)
    assert calculator.history() == [("add", (2, 2), 4)]


def test_returned_history_is_a_copy():
    calculator = Calculator()
    calculator.add(1, 1)
    returned = calculator.history()
    returned.append(("fake", (), 0))
    assert calculator.history() == [("add", (1, 1), 2)]


def test_calculators_do_not_share_history():
    first, second = Calculator(), Calculator()
    first.add(1, 1)
    assert second.history() == []


def test_results_are_still_returned():
    calculator = Calculator()
    assert calculator.add(2, 3) == 5
    assert calculator.sqrt(9) == 3.0

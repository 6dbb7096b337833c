from calculator.core import Calculator

__all__ = ["Calculator"]

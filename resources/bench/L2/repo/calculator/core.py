class Calculator:
    """Arithmetic on ints and floats."""

    def add(self, a, b):
        return a + b

    def subtract(self, a, b):
        return a - b

from decimal import Decimal, InvalidOperation


def to_cents(value):
    """An amount given as a number or a decimal string, in whole cents; refuses more than two decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("must be a number")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not amount.is_finite():
        raise ValueError("must be a number")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError("must have at most two decimals")
    return int(cents)


def format_cents(cents):
    """Cents as a decimal string with two decimals: 1250 -> "12.50", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"


def cents_to_number(cents):
    """Cents as a JSON number of currency units: 1250 -> 12.5."""
    return cents / 100

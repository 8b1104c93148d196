"""Rounding the way the rule book says: half-up to a unit (numpy's round is half-even)."""

import numpy


def round_half_up(x, unit):
    """Half-up rounding to a multiple of `unit` (0.01 = fen, 1 = yuan)."""
    per_unit = round(1 / unit)  # 100 for fen, 1 for yuan
    return numpy.floor(x * per_unit + 0.5) / per_unit


def ceil_to(x, unit):
    """Rounding up to a multiple of `unit`."""
    per_unit = round(1 / unit)
    return numpy.ceil(x * per_unit) / per_unit

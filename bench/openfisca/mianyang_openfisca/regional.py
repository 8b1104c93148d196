"""Region-scoped parameters: one value per county (区县) of 绵阳市, resolved by a vectorised lookup.

OpenFisca's own fancy indexing (``node[county_enum_array]``) gives the same values, but in
openfisca-core 46 it builds one Python object per household (a loop in Python over the
array); the lookup below reads the node's value for each of the nine counties once and
indexes that small array with the county codes, which is plain numpy.
"""

import numpy


def by_county(node, county):
    """The value of the per-county parameter `node` for each element of the EnumArray `county`."""
    enum = county.possible_values
    table = numpy.array([node[member.name] for member in enum], dtype=numpy.float64)
    return table[numpy.asarray(county)]

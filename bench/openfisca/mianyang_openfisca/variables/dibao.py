"""最低生活保障 — dibao (household), dibao_single (person) and dibao_edge (household):
reference-rules.md, "dibao" and "dibao_edge"."""

from numpy import logical_not as not_, maximum as max_, select, where

from openfisca_core.variables import Variable

from ..entities import Household, Person
from ..rounding import round_half_up
from .inputs import MONTH, Illness


class increment(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "分类施保增发"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        rates = parameters(period).dibao.increment
        standard = person.household("dibao_standard", period)
        grade = person("disability_grade", period)
        age = person("age", period)
        high = (grade == 1) + (grade == 2) + (person("illness", period) == Illness.severe)
        low = (age >= 60) + (age < 18) + (grade == 3) + (grade == 4)
        # Each member gets the larger applicable increment.
        return select([high, low], [rates.high * standard, rates.low * standard], 0)


class dibao_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "最低生活保障：符合条件"

    def formula(household, period, parameters):
        size = household("household_size", period)
        standard = household("dibao_standard", period)
        return (
            (size > 0)  # a household of only tekun members has no household programs
            * (household("household_income", period) < standard * size)
            * household("assets_ok", period)
        )


class dibao_gap(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "最低生活保障：差额加分类施保增发（取整前）"
    unit = "currency-CNY"

    def formula(household, period, parameters):
        size = household("household_size", period)
        standard = household("dibao_standard", period)
        increments = household.members("increment", period)
        tekun = household.members("tekun_eligible", period)
        return (
            standard * size
            - household("household_income", period)
            + household.sum(where(tekun, 0, increments))
        )


class dibao_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "最低生活保障：月金额"
    unit = "currency-CNY"

    def formula(household, period, parameters):
        # Rounded half-up to whole yuan; an amount that rounds to 0 stays eligible (clar. 6).
        gap = household("dibao_gap", period)
        return where(household("dibao_eligible", period), round_half_up(gap, 1), 0)


class severe_condition(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "重度残疾或重病（单人户低保）"

    def formula(person, period, parameters):
        return person("severe_disability", period) + (person("illness", period) == Illness.severe)


class dibao_single_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "单人户低保：符合条件"

    def formula(person, period, parameters):
        household = person.household
        multiple = parameters(period).edge.income_multiple
        size = household("household_size", period)
        below = household("household_income", period) < (
            multiple * household("dibao_standard", period) * size
        )
        return (
            not_(person("tekun_eligible", period))
            * not_(household("dibao_eligible", period))
            * (size > 0)
            * below
            * household("assets_ok", period)
            * (person("age", period) >= 18)
            * not_(person("working", period))
            * person("severe_condition", period)
        )


class dibao_single_gap(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "单人户低保：差额加分类施保增发（取整前）"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        standard = person.household("dibao_standard", period)
        return max_(0, standard - person("counted_income", period)) + person("increment", period)


class dibao_single_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "单人户低保：月金额"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        gap = person("dibao_single_gap", period)
        return where(person("dibao_single_eligible", period), round_half_up(gap, 1), 0)


class dibao_edge_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保边缘家庭：符合条件"

    def formula(household, period, parameters):
        p = parameters(period)
        size = household("household_size", period)
        standard = household("dibao_standard", period)
        return (
            (size > 0)
            * not_(household("dibao_eligible", period))
            * (household("household_income", period) < p.edge.income_multiple * standard * size)
            * (household("savings", period) <= p.edge.savings_months * standard * size)
            # clarification 8: the house and vehicle limits are the dibao ones
            * (household("houses", period) <= p.assets.max_houses)
            * (household("vehicles", period) <= p.assets.max_vehicles)
        )

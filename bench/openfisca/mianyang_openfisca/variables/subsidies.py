"""个人补贴 — person subsidies: reference-rules.md, "Person subsidies" and clarification 7
(disability_care, elderly_allowance and orphan_support are paid to tekun persons too)."""

from numpy import logical_not as not_, select, where

from openfisca_core.variables import Variable

from ..entities import Person
from .inputs import MONTH


class disability_living_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "困难残疾人生活补贴：符合条件"

    def formula(person, period, parameters):
        dibao = person.household("dibao_eligible", period) + person("dibao_single_eligible", period)
        return (
            (person("disability_grade", period) >= 1)
            * not_(person("tekun_eligible", period))
            * dibao
        )


class disability_living_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "困难残疾人生活补贴：月金额"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        amount = parameters(period).disability.living
        return where(person("disability_living_eligible", period), amount, 0)


class disability_care_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "重度残疾人护理补贴：符合条件"

    def formula(person, period, parameters):
        grade = person("disability_grade", period)
        return (grade == 1) + (grade == 2)


class disability_care_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "重度残疾人护理补贴：月金额"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        care = parameters(period).disability.care
        grade = person("disability_grade", period)
        return select([grade == 1, grade == 2], [care.grade1, care.grade2], 0)


class elderly_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "高龄津贴：符合条件"

    def formula(person, period, parameters):
        return person("age", period) >= 80


class elderly_allowance_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "高龄津贴：月金额"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        elderly = parameters(period).elderly
        age = person("age", period)
        return select(
            [age >= 100, age >= 90, age >= 80],
            [elderly.age_100_plus, elderly.age_90_99, elderly.age_80_89],
            0,
        )


class orphan_support_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "分散供养孤儿基本生活费：符合条件"

    def formula(person, period, parameters):
        return person("orphan", period) * (person("age", period) < 18)


class orphan_support_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "分散供养孤儿基本生活费：月金额"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        amount = parameters(period).orphan.monthly
        return where(person("orphan_support_eligible", period), amount, 0)

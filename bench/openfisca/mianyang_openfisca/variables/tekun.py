"""特困人员救助供养 — tekun (person): reference-rules.md, "tekun"."""

from numpy import logical_not as not_, select, where

from openfisca_core.variables import Variable

from ..entities import Person
from ..rounding import ceil_to
from .inputs import MONTH, DisabilityKind, SelfCare


class severe_disability(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "残疾等级1–2级，或3级智力、精神残疾"

    def formula(person, period, parameters):
        grade = person("disability_grade", period)
        kind = person("disability_kind", period)
        intellectual_or_mental = (kind == DisabilityKind.intellectual) + (
            kind == DisabilityKind.mental
        )
        return (grade == 1) + (grade == 2) + (grade == 3) * intellectual_or_mental


class unable_to_work(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "无劳动能力"

    def formula(person, period, parameters):
        age = person("age", period)
        return (age >= 60) + (age < 16) + person("severe_disability", period)


class tekun_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困人员救助供养：符合条件"

    def formula(person, period, parameters):
        standard = person.household("dibao_standard", period)
        return (
            person("unable_to_work", period)
            * (person("counted_income", period) < standard)
            # assets_ok of the household computed with its full membership
            * person.household("assets_ok_all", period)
            * not_(person("capable_supporter", period))
            * not_(person("orphan", period))
        )


class tekun_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "特困人员救助供养：月金额"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        tekun = parameters(period).tekun
        standard = person.household("dibao_standard", period)
        self_care = person("self_care", period)
        care = select(
            [self_care == SelfCare.full, self_care == SelfCare.partial, self_care == SelfCare.none],
            [tekun.care.full, tekun.care.partial, tekun.care.none],
        )
        amount = ceil_to(tekun.basic_multiple * standard, 1) + care
        return where(person("tekun_eligible", period), amount, 0)

"""医疗保障 — the medical chain's categories and inputs, and 支出型困难家庭
(expenditure_hardship): reference-rules.md, "Medical chain" and "expenditure_hardship".

The chain itself runs per hospital stay, an entity OpenFisca does not have: it is computed
beside the simulation by `mianyang_openfisca.medical_chain` (numpy/pandas, vectorised), which
reads `medical_category` and the household's top-up terms from the simulation and hands back
each person's self-pay of the 12 months as the input `medical_self_paid_12m`.
"""

from numpy import logical_not as not_, select, where

from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from ..entities import Household, Person
from ..regional import by_county
from .inputs import MONTH, Area


class MedicalCategory(Enum):
    none = "无"
    tekun = "特困人员"
    dibao = "低保对象"
    edge = "低保边缘家庭成员"


class medical_category(Variable):
    value_type = Enum
    possible_values = MedicalCategory
    default_value = MedicalCategory.none
    entity = Person
    definition_period = MONTH
    label = "医疗救助对象类别"

    def formula(person, period, parameters):
        household = person.household
        dibao = household("dibao_eligible", period) + person("dibao_single_eligible", period)
        return select(
            [person("tekun_eligible", period), dibao, household("dibao_edge_eligible", period)],
            [MedicalCategory.tekun.index, MedicalCategory.dibao.index, MedicalCategory.edge.index],
            MedicalCategory.none.index,
        )


class district_topup(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "区县城镇困难群众住院自付封顶（城镇户且所在区县实施）"

    def formula(household, period, parameters):
        topup = parameters(period).medical.district_topup
        in_force = by_county(topup.in_force, household("county", period)) > 0
        return in_force * (household("area", period) == Area.urban)


class district_topup_self_pay_cap_rate(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "住院个人自付封顶比例（占单次住院总费用）"

    def formula(household, period, parameters):
        topup = parameters(period).medical.district_topup
        return by_county(topup.self_pay_cap_rate, household("county", period))


class medical_self_paid_12m(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "近12个月住院个人自付 (input: set from the medical chain)"
    unit = "currency-CNY"


class medical_burden(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "近12个月住院个人自付（特困人员除外）"
    unit = "currency-CNY"

    def formula(household, period, parameters):
        # Clarification 3: tekun members' self-pay is left out, like their income.
        paid = household.members("medical_self_paid_12m", period)
        tekun = household.members("tekun_eligible", period)
        return household.sum(where(tekun, 0, paid))


class expenditure_hardship_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "支出型困难家庭：符合条件"

    def formula(household, period, parameters):
        multiple = parameters(period).hardship.income_multiple
        size = household("household_size", period)
        standard = household("dibao_standard", period)
        income = household("household_income", period)
        return (
            (size > 0)
            * not_(household("dibao_eligible", period))
            * not_(household("dibao_edge_eligible", period))
            * (income < multiple * standard * size)
            * household("assets_ok", period)
            * (12 * income - household("medical_burden", period) < 12 * standard * size)
        )

"""收入与财产 — income and assets (reference-rules.md, "Conventions" and "Income and assets")."""

from numpy import maximum as max_, minimum as min_, where
from numpy import logical_not as not_

from openfisca_core.variables import Variable

from ..entities import Household, Person
from ..regional import by_county
from ..rounding import round_half_up
from .inputs import MONTH, Area, Employment


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "年龄：M 月第一天的周岁 (negative for a person born after that day)"

    def formula(person, period, parameters):
        # As in openfisca-country-template: full years on the first day of the period.
        birth = person("birth_date", period)
        birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
        birth_month = birth.astype("datetime64[M]").astype(int) % 12 + 1
        birth_day = (birth - birth.astype("datetime64[M]") + 1).astype(int)
        is_birthday_past = (birth_month < period.start.month) + (
            birth_month == period.start.month
        ) * (birth_day <= period.start.day)
        return (period.start.year - birth_year) - where(is_birthday_past, 0, 1)


class dibao_standard(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "当地低保标准 (dibao.standard[area] of the household's county)"
    unit = "currency-CNY"

    def formula(household, period, parameters):
        standard = parameters(period).dibao.standard
        county = household("county", period)
        urban = household("area", period) == Area.urban
        return where(urban, by_county(standard.urban, county), by_county(standard.rural, county))


class working(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "就业或灵活就业 (employment ∈ {employed, flexible})"

    def formula(person, period, parameters):
        employment = person("employment", period)
        return (employment == Employment.employed) + (employment == Employment.flexible)


class employment_cost(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "必要就业成本"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        income = parameters(period).income
        standard = person.household("dibao_standard", period)
        # Clarification 1: wage × 20% is rounded half-up to the fen before the min.
        share = round_half_up(person("wage_income", period) * income.employment_cost_rate, 0.01)
        cap = standard * income.employment_cost_cap_rate
        return where(person("working", period), min_(share, cap), 0)


class counted_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "计入收入"
    unit = "currency-CNY"

    def formula(person, period, parameters):
        gross = (
            person("wage_income", period)
            + person("business_income", period)
            + person("property_income", period)
            + person("transfer_income", period)
        )
        return max_(0, gross - person("employment_cost", period))


class household_size_all(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "家庭人数（含特困人员）"

    def formula(household, period, parameters):
        return household.nb_persons()


class assets_ok_all(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "家庭财产符合规定（按全部成员计，特困人员认定用）"

    def formula(household, period, parameters):
        assets = parameters(period).assets
        limit = assets.savings_months * household("dibao_standard", period) * household(
            "household_size_all", period
        )
        return (
            (household("savings", period) <= limit)
            * (household("houses", period) <= assets.max_houses)
            * (household("vehicles", period) <= assets.max_vehicles)
        )


class household_size(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "家庭人数（特困人员除外）"

    def formula(household, period, parameters):
        # Tekun members are excluded from their household for every household program.
        return household.sum(not_(household.members("tekun_eligible", period)))


class household_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "家庭月收入（特困人员除外）"
    unit = "currency-CNY"

    def formula(household, period, parameters):
        counted = household.members("counted_income", period)
        tekun = household.members("tekun_eligible", period)
        return household.sum(where(tekun, 0, counted))


class assets_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "家庭财产符合规定"

    def formula(household, period, parameters):
        assets = parameters(period).assets
        limit = assets.savings_months * household("dibao_standard", period) * household(
            "household_size", period
        )
        return (
            (household("savings", period) <= limit)
            * (household("houses", period) <= assets.max_houses)
            * (household("vehicles", period) <= assets.max_vehicles)
        )

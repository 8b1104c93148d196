"""Input variables: the interchange-v1 columns the rules read (households.csv, persons.csv).

Defaults: OpenFisca has no "unknown" value, so an empty cell becomes the variable's
`default_value` (run.py fills empty cells with it). The defaults are the rule book's own
"unless stated otherwise" of its worked examples where it has one (capable_supporter =
true, disability grade 0, illness none, orphan false, self_care full, 1 house, no
vehicle), else zero / the "none" code; `area` defaults to urban.
"""

from datetime import date

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from ..entities import Household, Person

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY


# --- codes -----------------------------------------------------------------------------


class County(Enum):
    """区县: the first six digits of region_code (统计用区划代码)."""

    fucheng = "510703 涪城区"
    youxian = "510704 游仙区"
    anzhou = "510705 安州区"
    santai = "510722 三台县"
    yanting = "510723 盐亭县"
    zitong = "510725 梓潼县"
    beichuan = "510726 北川羌族自治县"
    pingwu = "510727 平武县"
    jiangyou = "510781 江油市"


COUNTY_OF_CODE = {member.value.split()[0]: member.name for member in County}


class Area(Enum):
    urban = "城镇"
    rural = "农村"


class DisabilityKind(Enum):
    none = "无"
    visual = "视力"
    hearing = "听力"
    speech = "言语"
    physical = "肢体"
    intellectual = "智力"
    mental = "精神"
    multiple = "多重"


class SelfCare(Enum):
    full = "生活自理"
    partial = "部分失能"
    none = "完全失能"


class Employment(Enum):
    employed = "就业"
    flexible = "灵活就业"
    unemployed = "失业"
    retired = "退休"
    student = "学生"
    none = "无"


class Illness(Enum):
    none = "无"
    chronic = "慢性病"
    severe = "重病"


# --- household inputs (households.csv) -------------------------------------------------


class county(Variable):
    value_type = Enum
    possible_values = County
    default_value = County.fucheng
    entity = Household
    definition_period = ETERNITY
    label = "区县 (region_code 前6位)"


class area(Variable):
    value_type = Enum
    possible_values = Area
    default_value = Area.urban
    entity = Household
    definition_period = MONTH
    label = "城镇或农村"


class savings(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "存款及有价证券"
    unit = "currency-CNY"


class houses(Variable):
    value_type = int
    default_value = 1
    entity = Household
    definition_period = MONTH
    label = "住房套数"


class vehicles(Variable):
    value_type = int
    default_value = 0
    entity = Household
    definition_period = MONTH
    label = "机动车辆数"


# --- person inputs (persons.csv) -------------------------------------------------------


class birth_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    definition_period = ETERNITY
    label = "出生日期"


class disability_grade(Variable):
    value_type = int
    default_value = 0
    entity = Person
    definition_period = MONTH
    label = "残疾等级 (0 = 无, 1 = 最重)"


class disability_kind(Variable):
    value_type = Enum
    possible_values = DisabilityKind
    default_value = DisabilityKind.none
    entity = Person
    definition_period = MONTH
    label = "残疾类别"


class self_care(Variable):
    value_type = Enum
    possible_values = SelfCare
    default_value = SelfCare.full
    entity = Person
    definition_period = MONTH
    label = "生活自理能力"


class employment(Variable):
    value_type = Enum
    possible_values = Employment
    default_value = Employment.none
    entity = Person
    definition_period = MONTH
    label = "就业状况"


class wage_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "工资性收入"
    unit = "currency-CNY"


class business_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "经营净收入"
    unit = "currency-CNY"


class property_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "财产净收入"
    unit = "currency-CNY"


class transfer_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "转移净收入"
    unit = "currency-CNY"


class illness(Variable):
    value_type = Enum
    possible_values = Illness
    default_value = Illness.none
    entity = Person
    definition_period = MONTH
    label = "慢性病 / 重病"


class capable_supporter(Variable):
    value_type = bool
    default_value = True
    entity = Person
    definition_period = MONTH
    label = "有有能力的法定赡养、抚养、扶养义务人"


class orphan(Variable):
    value_type = bool
    default_value = False
    entity = Person
    definition_period = MONTH
    label = "孤儿或事实无人抚养儿童"

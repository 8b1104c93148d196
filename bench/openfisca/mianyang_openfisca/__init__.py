"""绵阳市 reference rules (shared/policy/reference-rules.md, version 1) as an OpenFisca
tax-benefit system: entities Person and Household, dated YAML parameters (per county where
the rules are region-scoped) and vectorised monthly variables; the per-stay medical chain
runs beside the simulation (`medical_chain`)."""

import inspect
import os

from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from . import entities
from .variables import dibao, income, inputs, medical, subsidies, tekun

PARAMETERS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parameters")

# The programs, as minsheng's results.csv names them: (program, entity, eligibility
# variable, amount variable or None for status programs whose amount is 0).
PROGRAMS = [
    ("tekun", "person", "tekun_eligible", "tekun_amount"),
    ("dibao", "household", "dibao_eligible", "dibao_amount"),
    ("dibao_single", "person", "dibao_single_eligible", "dibao_single_amount"),
    ("dibao_edge", "household", "dibao_edge_eligible", None),
    ("expenditure_hardship", "household", "expenditure_hardship_eligible", None),
    ("disability_living", "person", "disability_living_eligible", "disability_living_amount"),
    ("disability_care", "person", "disability_care_eligible", "disability_care_amount"),
    ("elderly_allowance", "person", "elderly_allowance_eligible", "elderly_allowance_amount"),
    ("orphan_support", "person", "orphan_support_eligible", "orphan_support_amount"),
]


class MianyangTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self):
        super().__init__(entities.entities)
        for module in (inputs, income, tekun, dibao, medical, subsidies):
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, Variable) and obj is not Variable and obj.__module__ == module.__name__:
                    self.add_variable(obj)
        self.load_parameters(PARAMETERS_DIR)

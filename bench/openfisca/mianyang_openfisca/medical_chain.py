"""The medical chain — 三重保障 plus the district top-up, per hospital stay (reference-rules.md,
"Medical chain", clarifications 2, 4 and 5), vectorised with numpy/pandas beside the
OpenFisca simulation (OpenFisca has no entity below the person).

Stays are taken per person in (discharge date, stay_id) order, grouped by the calendar year
of discharge; every "annual" amount accumulates within its (person, year) group. The annual
caps look sequential, but each capped payment is `round(min(x, cap − paid before))` and
rounding half-up is monotone, so "paid before" is `min(cap, Σ uncapped rounded payments of
the earlier stays)`: a groupby-cumsum of the uncapped payments gives it exactly. Only the
stays of M's year and the previous one, discharged up to the last day of M, are settled:
the previous year's stays (in the 12-month window of expenditure_hardship) go through the
chain of their own year with the person's category in M and the parameters of M.

Money here is float64 (pandas' default), rounded half-up to the fen at each step as the
rules say; self_paid is the remainder.
"""

import numpy
import pandas

from .rounding import round_half_up
from .variables.medical import MedicalCategory

FEN = 0.01


def _cumsum_by(values, groups):
    """Running total of `values` within each group (groups are contiguous: the stays are sorted)."""
    return pandas.Series(values).groupby(groups, sort=False).cumsum().to_numpy()


def _part_above(total_before, total_after, threshold):
    """The part of this stay's amount that lies above the annual threshold."""
    return numpy.maximum(0, total_after - threshold) - numpy.maximum(0, total_before - threshold)


def _capped(amount, cap, groups):
    """round(min(amount, cap − paid earlier in the year)), paid earlier being the capped payments."""
    uncapped = round_half_up(amount, FEN)
    paid_before = numpy.minimum(cap, _cumsum_by(uncapped, groups) - uncapped)
    return round_half_up(numpy.minimum(amount, cap - paid_before), FEN)


def settle(stays, category, topup, topup_rate, medical, year, last_day):
    """Settles the stays of one month's evaluation.

    stays: DataFrame with stay_id, person_id, discharge_date (datetime64), hospital_level,
        in_district (bool), total_cost, covered_cost (float64) and `person`, the person's
        position in the simulation (−1 for a person who does not count in M).
    category: MedicalCategory index of each simulated person; topup (bool) and topup_rate
        (float): the district top-up terms of each simulated person's household.
    medical: the `medical` parameter node at M. year: M's year. last_day: M's last day.

    Returns the settled stays sorted by (person_id, discharge_date, stay_id), with the five
    payment columns.
    """
    discharge = stays["discharge_date"]
    keep = (stays["person"].to_numpy() >= 0) & (discharge <= last_day) & (discharge.dt.year >= year - 1)
    s = stays[keep].sort_values(["person_id", "discharge_date", "stay_id"])

    person = s["person"].to_numpy()
    groups = person * 2 + (s["discharge_date"].dt.year.to_numpy() - (year - 1))
    level = s["hospital_level"].to_numpy()
    covered = s["covered_cost"].to_numpy()
    total = s["total_cost"].to_numpy()
    cat = numpy.asarray(category)[person]

    # 1. Basic insurance, per stay, within the annual cap.
    basic_p = medical.basic
    deductible = numpy.select(
        [level == 1, level == 2, level == 3],
        [basic_p.deductible.l1, basic_p.deductible.l2, basic_p.deductible.l3],
    )
    rate = numpy.select(
        [level == 1, level == 2, level == 3], [basic_p.rate.l1, basic_p.rate.l2, basic_p.rate.l3]
    )
    basic = _capped(numpy.maximum(0, covered - deductible) * rate, basic_p.annual_cap, groups)

    # 2. Critical illness: the part of the annual self-pay S above the threshold.
    crit_p = medical.critical
    needy = (cat == MedicalCategory.tekun.index) | (cat == MedicalCategory.dibao.index)
    s_after = _cumsum_by(covered - basic, groups)
    s_before = s_after - (covered - basic)
    threshold = numpy.where(needy, crit_p.threshold * crit_p.needy_threshold_factor, crit_p.threshold)
    above = _part_above(s_before, s_after, threshold)
    critical = numpy.where(
        needy,
        round_half_up(above * (crit_p.rate + crit_p.needy_rate_bonus), FEN),  # no cap for the needy
        _capped(above * crit_p.rate, crit_p.annual_cap, groups),
    )

    # 3. Medical assistance (tekun, dibao, edge): the part of R above the annual deductible.
    assist_p = medical.assistance
    is_cat = [cat == MedicalCategory.tekun.index, cat == MedicalCategory.dibao.index, cat == MedicalCategory.edge.index]
    assisted = is_cat[0] | is_cat[1] | is_cat[2]
    a_rate = numpy.select(is_cat, [assist_p.rate.tekun, assist_p.rate.dibao, assist_p.rate.edge], 0)
    a_deductible = numpy.select(
        is_cat, [assist_p.deductible.tekun, assist_p.deductible.dibao, assist_p.deductible.edge], 0
    )
    remainder = covered - basic - critical
    r_after = _cumsum_by(remainder, groups)
    r_before = r_after - remainder
    part = _part_above(r_before, r_after, a_deductible)
    assistance = numpy.where(assisted, _capped(part * a_rate, assist_p.annual_cap, groups), 0)

    # 4. District top-up (涪城区): tekun/dibao/edge persons of an urban household of a county
    #    with the fund, at a stay in the district; the payment is rounded, not the cap.
    applies = assisted & numpy.asarray(topup)[person] & s["in_district"].to_numpy()
    after = total - basic - critical - assistance
    cap = total * numpy.asarray(topup_rate)[person]
    local_fund = numpy.where(applies, round_half_up(numpy.maximum(0, after - cap), FEN), 0)

    # 5. What the patient still pays: the remainder.
    self_paid = total - basic - critical - assistance - local_fund

    out = s[["stay_id", "person_id", "person", "discharge_date"]].copy()
    out["basic_paid"] = basic
    out["critical_paid"] = critical
    out["assistance_paid"] = assistance
    out["local_fund_paid"] = local_fund
    out["self_paid"] = self_paid
    return out

"""End to end: the reference rules of 绵阳市 as an OpenFisca model, on one district folder.

    python run.py DISTRICT_DIR --month 2024-06 --out OUT/results.csv --medical-out OUT/medical.csv

Reads households.csv, persons.csv and hospital_stays.csv with pandas (events.csv and
enrollments.csv are not read by the rules), builds an OpenFisca simulation (SimulationBuilder,
integer entity ids, set_input), computes every program for the month, runs the medical chain
beside it, and writes results.csv and medical.csv in the interchange-v1 format with the rows
and the order of `minsheng eval`'s default output. Prints the time of each phase and the total.
"""

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy  # noqa: E402
import pandas  # noqa: E402
from openfisca_core import periods  # noqa: E402
from openfisca_core.indexed_enums import Enum  # noqa: E402
from openfisca_core.simulations import SimulationBuilder  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mianyang_openfisca as model  # noqa: E402
from mianyang_openfisca import medical_chain  # noqa: E402
from mianyang_openfisca.variables.inputs import COUNTY_OF_CODE  # noqa: E402

T_IMPORTS = time.perf_counter()

HOUSEHOLD_INPUTS = ["area", "savings", "houses", "vehicles"]
PERSON_INPUTS = [
    "disability_grade",
    "disability_kind",
    "self_care",
    "employment",
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "illness",
    "capable_supporter",
    "orphan",
]
# interchange-v1 booleans: true/false, 1/0, 是/否 (true/false case-insensitive).
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "是": True, "否": False}


class Phases:
    def __init__(self):
        self.times = []
        self.last = time.perf_counter()

    def done(self, name):
        now = time.perf_counter()
        self.times.append((name, now - self.last))
        self.last = now


def read_csv(folder, name, columns, dtypes):
    # Only an empty cell is missing (interchange-v1): no "NA"/"null" guessing. An optional
    # column that the file does not have is all empty; a missing file is an empty table.
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return pandas.DataFrame({c: pandas.Series(dtype=dtypes[c]) for c in columns})
    frame = pandas.read_csv(
        path,
        usecols=lambda c: c in columns,
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
    )
    for column in columns:
        if column not in frame:
            frame[column] = pandas.Series(numpy.nan, index=frame.index, dtype=dtypes[column])
    return frame


def read(folder):
    households = read_csv(
        folder,
        "households.csv",
        ["household_id", "region_code", "area", "savings", "houses", "vehicles"],
        {"household_id": str, "region_code": str, "area": str, "savings": float, "houses": float, "vehicles": float},
    )
    persons = read_csv(
        folder,
        "persons.csv",
        ["person_id", "household_id", "birth_date", "relation", "deceased_on"] + PERSON_INPUTS,
        {
            "person_id": str,
            "household_id": str,
            "birth_date": str,
            "relation": str,
            "deceased_on": str,
            "disability_grade": float,
            "disability_kind": str,
            "self_care": str,
            "employment": str,
            "wage_income": float,
            "business_income": float,
            "property_income": float,
            "transfer_income": float,
            "illness": str,
            "capable_supporter": str,
            "orphan": str,
        },
    )
    stays = read_csv(
        folder,
        "hospital_stays.csv",
        ["stay_id", "person_id", "discharge_date", "hospital_level", "in_district", "total_cost", "covered_cost"],
        {
            "stay_id": str,
            "person_id": str,
            "discharge_date": str,
            "hospital_level": int,
            "in_district": str,
            "total_cost": float,
            "covered_cost": float,
        },
    )
    return households, persons, stays


def to_input(series, variable):
    """A CSV column as the input array of an OpenFisca variable; an empty cell (unknown)
    becomes the variable's default value, since OpenFisca has no unknown."""
    default = variable.default_value
    if variable.value_type is Enum:
        names = [member.name for member in variable.possible_values]
        codes = pandas.Categorical(series, categories=names).codes  # -1: empty
        return numpy.where(codes < 0, default.index, codes).astype(numpy.int16)
    if variable.value_type is bool:
        return series.str.lower().map(BOOLEANS).fillna(default).to_numpy(dtype=bool)
    return series.fillna(default).to_numpy(dtype=variable.dtype)


def prepare(households, persons, stays, month):
    first = numpy.datetime64(month.start.date, "D")
    # Clarification 9: a person is ignored from the first day of the month after their death.
    persons["birth_date"] = pandas.to_datetime(persons["birth_date"], format="%Y-%m-%d")
    deceased = pandas.to_datetime(persons["deceased_on"], format="%Y-%m-%d")
    persons = persons[deceased.isna() | (deceased >= first)]
    # Households with no member counted in M have no program: they are left out of the
    # simulation (OpenFisca's group entities need members).
    household_index = pandas.Index(households["household_id"])
    persons = persons[household_index.get_indexer(persons["household_id"]) >= 0]
    households = households[households["household_id"].isin(persons["household_id"])].reset_index(drop=True)
    persons = persons.reset_index(drop=True)
    persons["household"] = pandas.Index(households["household_id"]).get_indexer(persons["household_id"])
    households["county"] = households["region_code"].str[:6].map(COUNTY_OF_CODE)

    person_index = pandas.Index(persons["person_id"])
    stays["person"] = person_index.get_indexer(stays["person_id"])  # -1: not counted in M
    stays["discharge_date"] = pandas.to_datetime(stays["discharge_date"], format="%Y-%m-%d")
    stays["in_district"] = stays["in_district"].str.lower().map(BOOLEANS).astype(bool)
    return households, persons, stays


def build(tbs, households, persons, month):
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", numpy.arange(len(persons)))
    household_instance = builder.declare_entity("household", numpy.arange(len(households)))
    roles = numpy.where(persons["relation"].to_numpy() == "head", 0, 1)  # 0: head, 1: other
    builder.join_with_persons(household_instance, persons["household"].to_numpy(), roles)
    simulation = builder.build(tbs)

    simulation.set_input("county", month, to_input(households["county"], tbs.variables["county"]))
    for name in HOUSEHOLD_INPUTS:
        simulation.set_input(name, month, to_input(households[name], tbs.variables[name]))
    simulation.set_input("birth_date", month, persons["birth_date"].to_numpy().astype("datetime64[D]"))
    for name in PERSON_INPUTS:
        simulation.set_input(name, month, to_input(persons[name], tbs.variables[name]))
    return simulation


def compute(tbs, simulation, stays, month, phases):
    """Every program for the month, in the rules' order; the medical chain between
    dibao_edge and expenditure_hardship."""
    values = {}
    for program in ["tekun", "dibao", "dibao_single", "dibao_edge"]:
        _, _, eligible, amount = next(p for p in model.PROGRAMS if p[0] == program)
        values[eligible] = simulation.calculate(eligible, month)
        if amount:
            values[amount] = simulation.calculate(amount, month)
    phases.done("compute: tekun, dibao, dibao_single, dibao_edge")

    person = simulation.populations["person"]
    category = simulation.calculate("medical_category", month)
    topup = person.household("district_topup", month)
    topup_rate = person.household("district_topup_self_pay_cap_rate", month)
    last_day = pandas.Timestamp(month.stop.date)
    settled = medical_chain.settle(
        stays, category, topup, topup_rate, tbs.parameters(month).medical, month.start.year, last_day
    )
    # E: self-pay of the stays discharged in the 12 months ending on the last day of M.
    window_first = pandas.Timestamp(month.start.offset(-11, "month").date)
    in_window = (settled["discharge_date"] >= window_first).to_numpy()
    self_paid_12m = numpy.bincount(
        settled["person"].to_numpy()[in_window],
        weights=settled["self_paid"].to_numpy()[in_window],
        minlength=person.count,
    )
    simulation.set_input("medical_self_paid_12m", month, self_paid_12m)
    phases.done("compute: medical chain")

    for program, _, eligible, amount in model.PROGRAMS:
        if eligible not in values:
            values[eligible] = simulation.calculate(eligible, month)
            if amount:
                values[amount] = simulation.calculate(amount, month)
    phases.done("compute: expenditure_hardship and person subsidies")
    medical = settled[settled["discharge_date"].dt.year == month.start.year]
    return values, medical


def money(values):
    """Round to 0.01 on output (and no -0.00)."""
    return numpy.round(numpy.asarray(values, dtype=numpy.float64), 2) + 0.0


def write(values, households, persons, medical, out, medical_out):
    frames = []
    for program, entity, eligible, amount in model.PROGRAMS:
        mask = values[eligible]
        if entity == "household":
            household_ids = households["household_id"].to_numpy()[mask]
            person_ids = numpy.full(len(household_ids), "", dtype=object)
        else:
            household_ids = persons["household_id"].to_numpy()[mask]
            person_ids = persons["person_id"].to_numpy()[mask]
        frames.append(
            pandas.DataFrame(
                {
                    "household_id": household_ids,
                    "person_id": person_ids,
                    "program": program,
                    "eligible": "true",
                    "monthly_amount": money(values[amount][mask]) if amount else 0.0,
                }
            )
        )
    results = pandas.concat(frames, ignore_index=True)
    results = results.sort_values(["household_id", "person_id", "program"], ignore_index=True)
    for path in (out, medical_out):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    results.to_csv(out, index=False, float_format="%.2f")

    columns = ["basic_paid", "critical_paid", "assistance_paid", "local_fund_paid", "self_paid"]
    table = medical[["stay_id", "person_id"]].copy()
    for column in columns:
        table[column] = money(medical[column])
    table.to_csv(medical_out, index=False, float_format="%.2f")
    return results, table


def write_ties(simulation, month, households, persons, path):
    """Diagnostics for compare.py: the eligible units whose whole-yuan amount was rounded
    from a float32 value within half a fen of x.50. Every input is in whole fen, so the
    exact value there is x.50, which rounds up; float32 may have landed on either side."""
    frames = []
    for program, entity, gap_variable in (
        ("dibao", "household", "dibao_gap"),
        ("dibao_single", "person", "dibao_single_gap"),
    ):
        gap = simulation.calculate(gap_variable, month).astype(numpy.float64)
        eligible = simulation.calculate(f"{program}_eligible", month)
        tie = eligible & (numpy.abs(gap - numpy.floor(gap) - 0.5) < 0.005)
        frame = households if entity == "household" else persons
        frames.append(
            pandas.DataFrame(
                {
                    "household_id": frame["household_id"].to_numpy()[tie],
                    "person_id": frame["person_id"].to_numpy()[tie] if entity == "person" else "",
                    "program": program,
                    "float32_value": gap[tie],
                }
            )
        )
    pandas.concat(frames).to_csv(path, index=False, float_format="%.6f")


def run(data, month_text, out, medical_out, ties_out=None):
    """The whole evaluation of one district folder; returns the phase times, the counts
    and the results table."""
    month = periods.period(month_text)
    phases = Phases()
    tbs = model.MianyangTaxBenefitSystem()
    phases.done("tax-benefit system (entities, variables, YAML parameters)")
    households, persons, stays = read(data)
    phases.done("read CSV (pandas)")
    households, persons, stays = prepare(households, persons, stays, month)
    phases.done("prepare (dates, deaths, ids, county)")
    simulation = build(tbs, households, persons, month)
    phases.done("build simulation (SimulationBuilder, set_input)")
    values, medical = compute(tbs, simulation, stays, month, phases)
    results, table = write(values, households, persons, medical, out, medical_out)
    phases.done("write results.csv, medical.csv")
    if ties_out:
        # Not timed: a diagnostic for compare.py, not part of the model's output.
        write_ties(simulation, month, households, persons, ties_out)
    counts = (len(households), len(persons), len(table))
    return phases, counts, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="district folder of interchange-v1 CSV files")
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--out", default="openfisca-out/results.csv")
    parser.add_argument("--medical-out", default=None, help="default: medical.csv beside --out")
    args = parser.parse_args()
    out_dir = os.path.dirname(os.path.abspath(args.out))
    medical_out = args.medical_out or os.path.join(out_dir, "medical.csv")
    ties_out = os.path.join(out_dir, "rounding_ties.csv")

    phases, (n_households, n_persons, n_stays), results = run(
        args.data, args.month, args.out, medical_out, ties_out
    )
    t_end = phases.last

    print(f"month {args.month}: {n_households} households with members counted, {n_persons} persons "
          f"counted, {n_stays} stays in medical.csv")
    summary = results.groupby("program", sort=True)["monthly_amount"].agg(["count", "sum"])
    print(f"{'program':<22}{'units':>10}{'amount':>16}")
    for program, row in summary.iterrows():
        print(f"{program:<22}{int(row['count']):>10}{row['sum']:>16.2f}")
    print(f"written: {os.path.abspath(args.out)}, {os.path.abspath(medical_out)} "
          f"(and {ties_out}, a diagnostic for compare.py, not timed)")
    print("phases (seconds):")
    print(f"  {'python imports (numpy, pandas, openfisca-core)':<58}{T_IMPORTS - T_START:8.3f}")
    for name, seconds in phases.times:
        print(f"  {name:<58}{seconds:8.3f}")
    print(f"  {'total (imports included)':<58}{t_end - T_START:8.3f}")


if __name__ == "__main__":
    main()

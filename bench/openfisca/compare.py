"""Compares the OpenFisca model's results.csv / medical.csv with minsheng's.

    python compare.py MINSHENG_DIR OPENFISCA_DIR [--examples 10]

Each folder holds results.csv and medical.csv; MINSHENG_DIR also holds minsheng's
undecided.csv (units it cannot decide for missing inputs: OpenFisca, which has no unknown,
decides them with default values). Prints, per program, the eligible units and the total
monthly amount of each side, then the rows that differ, by class:

- money differences of at most 0.01 (float rounding of cents),
- units minsheng left undecided (in undecided.csv; for medical.csv: the persons undecided
  for "medical") that OpenFisca decided with default values,
- everything else (real differences), with the first examples of each class.

It also checks that each file is in minsheng's order: results by (household_id, person_id,
program), medical by person_id then discharge order (the common rows in the same order).
Exit status 0 when there is no real difference.
"""

import argparse
import os
import sys

import numpy
import pandas

MONEY_TOLERANCE = 0.0100001  # one fen, with room for the binary representation


def read(path):
    return pandas.read_csv(path, dtype=str, keep_default_na=False)


def to_fen(series):
    return numpy.round(series.astype(float).to_numpy() * 100).astype(numpy.int64)


def show(title, frame, examples):
    print(f"  {title}: {len(frame)}")
    if len(frame):
        text = frame.head(examples).to_string(index=False)
        print("\n".join("      " + line for line in text.splitlines()))


def compare_results(ms_dir, of_dir, examples):
    ms = read(os.path.join(ms_dir, "results.csv"))
    of = read(os.path.join(of_dir, "results.csv"))
    undecided_path = os.path.join(ms_dir, "undecided.csv")
    undecided = read(undecided_path) if os.path.exists(undecided_path) else None

    print("results.csv — eligible units and monthly amounts per program")
    summary = pandas.DataFrame(
        {
            "minsheng units": ms.groupby("program").size(),
            "openfisca units": of.groupby("program").size(),
            "minsheng amount": ms.assign(a=ms.monthly_amount.astype(float)).groupby("program").a.sum(),
            "openfisca amount": of.assign(a=of.monthly_amount.astype(float)).groupby("program").a.sum(),
        }
    ).fillna(0)
    summary["units diff"] = summary["openfisca units"] - summary["minsheng units"]
    summary["amount diff"] = summary["openfisca amount"] - summary["minsheng amount"]
    with pandas.option_context("display.float_format", "{:.2f}".format, "display.width", 200):
        print("\n".join("  " + line for line in summary.to_string().splitlines()))
    print(f"  rows: minsheng {len(ms)}, openfisca {len(of)}")

    keys = ["household_id", "person_id", "program"]
    for name, frame in (("minsheng", ms), ("openfisca", of)):
        in_order = frame[keys].apply(tuple, axis=1).is_monotonic_increasing
        print(f"  {name} results.csv sorted by (household_id, person_id, program): {in_order}")

    merged = ms.merge(of, on=keys, how="outer", suffixes=("_ms", "_of"), indicator=True)
    both = merged[merged["_merge"] == "both"].copy()
    both["diff"] = (to_fen(both["monthly_amount_of"]) - to_fen(both["monthly_amount_ms"])) / 100
    cents = both[(both["diff"] != 0) & (both["diff"].abs() <= MONEY_TOLERANCE)]
    amount = both[both["diff"].abs() > MONEY_TOLERANCE]
    # run.py's rounding_ties.csv: units whose whole-yuan amount was rounded from a float32
    # value within half a fen of x.50 (exactly x.50 in exact arithmetic, which rounds up).
    ties_path = os.path.join(of_dir, "rounding_ties.csv")
    if os.path.exists(ties_path):
        ties = pandas.MultiIndex.from_frame(read(ties_path)[keys])
        at_tie = pandas.MultiIndex.from_frame(amount[keys]).isin(ties) & (amount["diff"].abs() == 1)
    else:
        at_tie = numpy.zeros(len(amount), dtype=bool)
    tie_rows = amount[at_tie]
    amount = amount[~at_tie]
    only_ms = merged[merged["_merge"] == "left_only"]
    only_of = merged[merged["_merge"] == "right_only"]
    if undecided is not None:
        undecided_keys = pandas.MultiIndex.from_frame(undecided[keys])
        of_undecided = only_of[pandas.MultiIndex.from_frame(only_of[keys]).isin(undecided_keys)]
        only_of = only_of[~pandas.MultiIndex.from_frame(only_of[keys]).isin(undecided_keys)]
    else:
        of_undecided = only_of.iloc[:0]

    cols = keys + ["monthly_amount_ms", "monthly_amount_of"]
    print(f"  identical rows: {int((both['diff'] == 0).sum())}")
    show("amount differs by 0.01 (float cents)", cents[cols], examples)
    show("amount differs by 1.00 at an exact .50 rounding tie (float32 landed below it)", tie_rows[cols], examples)
    show(
        "only in OpenFisca, undecided in minsheng (OpenFisca used default values)",
        of_undecided[keys + ["monthly_amount_of"]],
        examples,
    )
    if len(of_undecided):
        print("      by program: " + ", ".join(f"{k} {v}" for k, v in of_undecided.groupby("program").size().items()))
    real = len(amount) + len(only_ms) + len(only_of)
    print(f"  real differences: {real}")
    show("amount differs by more than 0.01", amount[cols + ["diff"]], examples)
    if len(amount):
        print("      by program and difference: " + ", ".join(
            f"{k[0]} {k[1]:+.2f}: {v}" for k, v in amount.groupby(["program", "diff"]).size().items()))
    show("only in minsheng", only_ms[keys + ["monthly_amount_ms"]], examples)
    show("only in OpenFisca, decided by minsheng", only_of[keys + ["monthly_amount_of"]], examples)
    return real, len(cents) + len(tie_rows), len(of_undecided)


def compare_medical(ms_dir, of_dir, examples):
    ms = read(os.path.join(ms_dir, "medical.csv"))
    of = read(os.path.join(of_dir, "medical.csv"))
    undecided_path = os.path.join(ms_dir, "undecided.csv")
    undecided_persons = set()
    if os.path.exists(undecided_path):
        u = read(undecided_path)
        undecided_persons = set(u.loc[u["program"] == "medical", "person_id"])

    print("medical.csv — settled stays")
    columns = ["basic_paid", "critical_paid", "assistance_paid", "local_fund_paid", "self_paid"]
    totals = pandas.DataFrame(
        {
            "minsheng": [len(ms)] + [ms[c].astype(float).sum() for c in columns],
            "openfisca": [len(of)] + [of[c].astype(float).sum() for c in columns],
        },
        index=["stays"] + columns,
    )
    totals["diff"] = totals["openfisca"] - totals["minsheng"]
    with pandas.option_context("display.float_format", "{:.2f}".format):
        print("\n".join("  " + line for line in totals.to_string().splitlines()))

    common = pandas.Index(ms["stay_id"]).intersection(pandas.Index(of["stay_id"]))
    same_order = (
        ms.loc[ms["stay_id"].isin(common), "stay_id"].to_numpy()
        == of.loc[of["stay_id"].isin(common), "stay_id"].to_numpy()
    ).all()
    print(f"  common stays in the same order: {bool(same_order)}")

    merged = ms.merge(of, on=["stay_id"], how="outer", suffixes=("_ms", "_of"), indicator=True)
    both = merged[merged["_merge"] == "both"].copy()
    worst = numpy.zeros(len(both), dtype=numpy.int64)
    for c in columns:
        both[f"d_{c}"] = (to_fen(both[f"{c}_of"]) - to_fen(both[f"{c}_ms"])) / 100
        worst = numpy.maximum(worst, numpy.abs(to_fen(both[f"{c}_of"]) - to_fen(both[f"{c}_ms"])))
    person_differs = both["person_id_ms"] != both["person_id_of"]
    cents = both[(worst == 1) & ~person_differs]
    real_rows = both[(worst > 1) | person_differs]
    only_ms = merged[merged["_merge"] == "left_only"]
    only_of = merged[merged["_merge"] == "right_only"]
    of_undecided = only_of[only_of["person_id_of"].isin(undecided_persons)]
    only_of = only_of[~only_of["person_id_of"].isin(undecided_persons)]

    show_cols = ["stay_id", "person_id_ms"] + [f"{c}_{s}" for c in columns for s in ("ms", "of")]
    print(f"  identical rows: {int((worst == 0).sum())}")
    show("a payment differs by 0.01 (float cents)", cents[show_cols], examples)
    show(
        "only in OpenFisca, person undecided for 'medical' in minsheng",
        of_undecided[["stay_id", "person_id_of"]],
        examples,
    )
    real = len(real_rows) + len(only_ms) + len(only_of)
    print(f"  real differences: {real}")
    show("a payment differs by more than 0.01", real_rows[show_cols], examples)
    show("only in minsheng", only_ms[["stay_id", "person_id_ms"]], examples)
    show("only in OpenFisca, decided by minsheng", only_of[["stay_id", "person_id_of"]], examples)
    return real, len(cents), len(of_undecided)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("minsheng_dir")
    parser.add_argument("openfisca_dir")
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    r = compare_results(args.minsheng_dir, args.openfisca_dir, args.examples)
    print()
    m = compare_medical(args.minsheng_dir, args.openfisca_dir, args.examples)
    print()
    print(
        f"summary: results.csv {r[0]} real differences, {r[1]} float differences (cents, .50 ties), "
        f"{r[2]} rows undecided in minsheng; medical.csv {m[0]} real differences, "
        f"{m[1]} cent differences, {m[2]} rows undecided in minsheng"
    )
    sys.exit(0 if r[0] == 0 and m[0] == 0 else 1)


if __name__ == "__main__":
    main()

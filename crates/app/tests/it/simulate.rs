//! A reform's cost: raising the urban standard 610 → 650 from 2024-07 on a synthetic
//! district costs more 低保, and some households gain, in the month it applies only.

use minsheng_app::evaluate::{Source, simulate};
use std::path::Path;

#[test]
fn raising_the_urban_standard_costs_more_from_its_month() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = minsheng_app::synth::SynthConfig {
        households: 1500,
        seed: 5,
        month: crate::support::date("2024-06-01"),
    };
    let data = dir.path().join("district");
    minsheng_app::synth::synth_to_dir(&cfg, &data).unwrap();
    let pack = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let reform = pack.join("reforms/urban-standard-650.toml");
    let source = Source::Data(vec![data]);

    let july = simulate(&source, pack, &reform, crate::support::date("2024-07-01")).unwrap();
    let [(bn, ba), (an, aa)] = july.programs["dibao"];
    assert!(
        an >= bn && aa > ba,
        "dibao: {bn} units {ba} → {an} units {aa}"
    );
    let gains: u64 = july.counties.values().map(|c| c[0]).sum();
    assert!(gains > 0, "{:?}", july.counties);
    assert!(
        july.counties
            .keys()
            .any(|(code, name)| code == "510703000000" && name == "涪城区"),
        "{:?}",
        july.counties
    );

    // In June the reform is not yet in force: nothing changes.
    let june = simulate(&source, pack, &reform, crate::support::date("2024-06-01")).unwrap();
    assert!(june.programs.values().all(|[b, a]| b == a));
    assert!(june.counties.is_empty());
}

/// Two urban households of 涪城区: H1's head earns a wage of 1000 (counted 800 after the
/// employment cost of 200), H2's head has a transfer income of 300 and no work.
fn two_households(dir: &Path) -> Source {
    use crate::support::{Batch, household, person, with};
    let data = Batch::new()
        .family("H1", "P1", 1)
        .add("households", household("H2"))
        .add(
            "persons",
            with(
                person("P2", "H2", "head", 2),
                &[
                    ("employment", "unemployed"),
                    ("wage_income", "0"),
                    ("transfer_income", "300"),
                ],
            ),
        )
        .write(&dir.join("data"));
    Source::Data(vec![data])
}

fn pack_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ))
}

/// The two households of `two_households` in June 2024, baseline and `reform`.
fn june(
    dir: &Path,
    reform: &Path,
) -> Result<minsheng_app::evaluate::Simulation, minsheng_app::evaluate::EvalFailure> {
    let source = two_households(dir);
    simulate(
        &source,
        pack_dir(),
        reform,
        crate::support::date("2024-06-01"),
    )
}

#[test]
fn counting_70_percent_of_wages_brings_a_working_household_into_dibao() {
    use minsheng_model::Fen;
    let dir = tempfile::tempdir().unwrap();
    let reform = pack_dir().join("reforms/wage-income-70.toml");
    let sim = june(dir.path(), &reform).unwrap();
    // H1: 800 ≥ 610, an edge household; with 70 %: 560 < 610, dibao round(610 − 560) = 50.
    // H2: no wages, dibao 610 − 300 = 310 either way.
    assert_eq!(sim.programs["dibao"], [(1, Fen(31_000)), (2, Fen(36_000))]);
    assert_eq!(sim.programs["dibao_edge"], [(1, Fen(0)), (0, Fen(0))]);
    assert_eq!(
        sim.counties[&("510703000000".to_owned(), "涪城区".to_owned())],
        [1, 0, 0]
    );
    assert_eq!(sim.counties.len(), 1);
}

/// The simulation's refusal, as text.
fn refusal(reform_text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let reform = dir.path().join("reform.toml");
    std::fs::write(&reform, reform_text).unwrap();
    let e = june(dir.path(), &reform).unwrap_err();
    e.to_string()
        .replace(&reform.display().to_string(), "reform.toml")
}

#[test]
fn a_wrong_reform_is_refused_with_its_place_in_the_reform_file() {
    let e =
        refusal("[[replace]]\nvariable = \"household_income\"\nreason = \"x\"\nformula = \"0\"\n");
    assert!(
        e.contains("\n  reform.toml:2:12: 政策包中没有变量 household_income，可替换的变量："),
        "{e}"
    );
    assert!(e.starts_with("政策包有 1 处问题，未执行"), "{e}");
    let e = refusal(
        "[[replace]]\nvariable = \"hh_income\"\nreason = \"x\"\nformula = \"sum(members, counted_income *)\"\n",
    );
    assert!(
        e.contains("\n  reform.toml:4:41: 此处出现意外的“)”，应为数字、名称或左括号"),
        "{e}"
    );
    let e = refusal(
        "[[replace]]\nprogram = \"tekun\"\npart = \"eligible\"\nreason = \"x\"\nformula = \"household.dibao\"\n",
    );
    // tekun → size → dibao → tekun: the cycle is the reform's, reported at its formula.
    assert!(
        e.contains("\n  reform.toml:5:12: 变量相互依赖，无法计算："),
        "{e}"
    );
    assert!(e.contains("tekun") && e.contains("dibao"), "{e}");
}

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

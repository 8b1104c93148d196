//! Round trips on a synthetic district, on SQLite and on a real PostgreSQL: CSV → store →
//! export gives back exactly the generated records, and exported CSV imports again
//! unchanged.

use crate::support::*;
use minsheng_app::synth::SynthConfig;
use minsheng_interchange::regions;
use minsheng_model::{RecordSink, Registry};

fn district(households: u64) -> SynthConfig {
    SynthConfig {
        households,
        seed: 7,
        month: date("2024-06-01"),
    }
}

#[test]
fn synthetic_district_round_trips_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = district(1500);
    let mut generated = Registry::default();
    minsheng_synth::generate(&cfg, &regions::default_table(), &mut generated).unwrap();
    generated.sort();
    let csv_dir = dir.path().join("synth");
    minsheng_app::synth::synth_to_dir(&cfg, &csv_dir).unwrap();

    for (name, mut store) in backends(dir.path()) {
        let out = run_import(store.as_mut(), &csv_dir, false);
        assert!(
            out.rejected.is_empty(),
            "{name}: {:?}",
            &out.rejected[..out.rejected.len().min(5)]
        );
        let rows = (generated.households.len()
            + generated.persons.len()
            + generated.stays.len()
            + generated.events.len()
            + generated.enrollments.len()) as u64;
        assert_eq!(
            (out.summary.rows_read, out.summary.rows_imported),
            (rows, rows),
            "{name}"
        );

        let mut exported = Registry::default();
        store.export(&mut exported as &mut dyn RecordSink).unwrap();
        assert_eq!(
            exported.households, generated.households,
            "{name}: households"
        );
        assert_eq!(exported.persons, generated.persons, "{name}: persons");
        assert_eq!(exported.stays, generated.stays, "{name}: stays");
        assert_eq!(exported.events, generated.events, "{name}: events");
        assert_eq!(
            exported.enrollments, generated.enrollments,
            "{name}: enrollments"
        );

        // Exported CSV is importable as it stands and changes nothing.
        let back = dir.path().join(format!("export-{name}"));
        minsheng_app::export::export(store.as_mut(), &back).unwrap();
        let again = run_import(store.as_mut(), &back, false);
        assert_eq!(
            (again.summary.rows_imported, again.summary.rows_unchanged),
            (0, rows),
            "{name}"
        );
    }
}

#[test]
fn export_writes_the_files_synth_wrote() {
    // Same writer, same order by key: the exported files equal the generated ones once
    // each is sorted by line (generation order need not be key order for enrollments).
    let dir = tempfile::tempdir().unwrap();
    let cfg = district(300);
    let csv_dir = dir.path().join("synth");
    minsheng_app::synth::synth_to_dir(&cfg, &csv_dir).unwrap();
    let mut store = sqlite(dir.path());
    run_import(store.as_mut(), &csv_dir, false);
    let back = dir.path().join("export");
    minsheng_app::export::export(store.as_mut(), &back).unwrap();
    for t in minsheng_interchange::Table::ALL {
        let read = |d: &std::path::Path| {
            let text = std::fs::read_to_string(d.join(t.file_name())).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines.sort();
            lines
        };
        assert_eq!(read(&back), read(&csv_dir), "{t}");
    }
}

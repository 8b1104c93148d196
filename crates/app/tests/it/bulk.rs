//! The fast load of valid CSV (`evaluate::bulk`) held to the exact road (the import's
//! check feeding the frame builder): the same frames on valid data in any row order and
//! with quoted cells, and on broken data both refuse — the fast road by giving way.

use crate::support::{Batch, date, enrollment, event, person, stay};
use minsheng_app::evaluate::bulk;
use minsheng_app::import::{self, NoProgress};
use minsheng_policy::frame::{Frame, FrameBuilder};
use std::path::{Path, PathBuf};

const MONTH: &str = "2024-06-01";

/// The exact road: `Err` with the number of refused rows.
fn exact(dir: &Path) -> Result<String, u64> {
    exact_frames(dir, 64).map(|f| shown(&f))
}

/// The exact road's frames in chunks of `per_chunk` households.
fn exact_frames(dir: &Path, per_chunk: usize) -> Result<Vec<Frame>, u64> {
    let regions = minsheng_interchange::regions::default_table();
    let mut builder = FrameBuilder::default();
    let summary = import::check_files(
        &[dir.to_path_buf()],
        &regions,
        &NoProgress,
        &mut |_| {},
        &mut builder,
    )
    .unwrap();
    if summary.rows_rejected > 0 {
        return Err(summary.rows_rejected);
    }
    Ok(builder.finish(date(MONTH), per_chunk).unwrap())
}

fn fast(dir: &Path) -> Result<String, bulk::GiveWay> {
    fast_in_pieces(dir, bulk::PIECE_BYTES)
}

/// The fast road reading its files in pieces of about `piece_bytes`.
fn fast_in_pieces(dir: &Path, piece_bytes: u64) -> Result<String, bulk::GiveWay> {
    let regions = minsheng_interchange::regions::default_table();
    bulk::load(
        &[dir.to_path_buf()],
        &regions,
        date(MONTH),
        64,
        piece_bytes,
        &NoProgress,
    )
    .map(|f| shown(&f))
}

/// Piece sizes for the tests: whole files, a few kilobytes, and less than a line (every
/// cut then lands on the next line end).
const PIECE_SIZES: [u64; 3] = [bulk::PIECE_BYTES, 4096, 1];

/// The fast road gives `want` at every piece size.
fn fast_gives(dir: &Path, want: &str) {
    for size in PIECE_SIZES {
        let got = fast_in_pieces(dir, size).unwrap();
        assert_eq!(got, want, "pieces of {size}");
    }
}

/// The fast road gives way at every piece size.
fn fast_gives_way(dir: &Path, name: &str) {
    for size in PIECE_SIZES {
        let gave_way = fast_in_pieces(dir, size).is_err();
        assert!(
            gave_way,
            "{name}: the fast road must give way (pieces of {size})"
        );
    }
}

/// Frames compared as their full debug text (every column of every chunk).
fn shown(frames: &[Frame]) -> String {
    format!("{frames:?}")
}

fn synthetic(dir: &Path, households: u64) -> PathBuf {
    let cfg = minsheng_app::synth::SynthConfig {
        households,
        seed: 11,
        month: date(MONTH),
    };
    let data = dir.join("district");
    minsheng_app::synth::synth_to_dir(&cfg, &data).unwrap();
    data
}

/// Rewrites `file` in `dir` keeping its header line: `edit` gets the data lines.
fn edit_lines(dir: &Path, file: &str, edit: impl FnOnce(&mut Vec<String>)) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header = lines.remove(0);
    edit(&mut lines);
    lines.insert(0, header);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn valid_district_gives_the_same_frames_on_both_roads() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path(), 600);
    let want = exact(&data).unwrap();
    fast_gives(&data, &want);
    assert!(
        want.contains("H0000600"),
        "the last household is in the frames"
    );

    // Every file backwards: the fast road sorts instead of trusting the order.
    for file in [
        "households.csv",
        "persons.csv",
        "hospital_stays.csv",
        "events.csv",
        "enrollments.csv",
    ] {
        edit_lines(&data, file, |l| l.reverse());
    }
    assert_eq!(exact(&data).unwrap(), want);
    fast_gives(&data, &want);
}

/// The fast road's frames in chunks of `per_chunk` households equal the exact road's.
fn same_frames_in_chunks_of(dir: &Path, per_chunk: usize) {
    let regions = minsheng_interchange::regions::default_table();
    let fast = bulk::load(
        &[dir.to_path_buf()],
        &regions,
        date(MONTH),
        per_chunk,
        bulk::PIECE_BYTES,
        &NoProgress,
    )
    .unwrap();
    let exact = exact_frames(dir, per_chunk).unwrap();
    assert_eq!(fast.len(), exact.len(), "{per_chunk} households per chunk");
    assert_eq!(
        shown(&fast),
        shown(&exact),
        "{per_chunk} households per chunk"
    );
}

#[test]
fn files_in_frame_order_are_cut_at_every_chunk_of_households() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path(), 90);
    // Blank lines (one of empty cells) between rows, where cuts may land; CRLF line
    // ends; no line end after the last row.
    edit_lines(&data, "persons.csv", |l| {
        for i in (1..l.len()).step_by(5).rev() {
            l.insert(
                i,
                if i % 2 == 0 {
                    ",,, ".into()
                } else {
                    String::new()
                },
            );
        }
    });
    let persons = data.join("persons.csv");
    let text = std::fs::read_to_string(&persons).unwrap();
    std::fs::write(&persons, text.trim_end().replace('\n', "\r\n")).unwrap();
    for per_chunk in [1, 2, 7, 64, 89, 90, 1000] {
        same_frames_in_chunks_of(&data, per_chunk);
    }
    let frames = exact_frames(&data, 7).unwrap();
    assert_eq!(frames.len(), 13, "90 households in chunks of 7");
    assert!(frames.iter().all(|f| !f.persons.id.is_empty()));

    // Not in frame order (the first person last; two of one household swapped): the
    // general road, to the same frames.
    let text = std::fs::read_to_string(&persons).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    let household = |l: &str| l.split(',').nth(1).unwrap_or("").to_owned();
    let first = lines.iter().position(|l| l.starts_with('P')).unwrap();
    let mut moved = lines.clone();
    let row = moved.remove(first);
    moved.push(row);
    std::fs::write(&persons, moved.join("\n")).unwrap();
    for per_chunk in [1, 7, 1000] {
        same_frames_in_chunks_of(&data, per_chunk);
    }
    let pair = (1..lines.len() - 1)
        .find(|&i| lines[i].starts_with('P') && household(lines[i]) == household(lines[i + 1]))
        .unwrap();
    let mut swapped = lines.clone();
    swapped.swap(pair, pair + 1);
    std::fs::write(&persons, swapped.join("\n")).unwrap();
    same_frames_in_chunks_of(&data, 7);
}

#[test]
fn a_quoted_cell_and_crlf_line_ends_load_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path(), 50);
    let path = data.join("households.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // The address is the last column: quote it, with a comma and a line end inside.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let cells: Vec<&str> = lines[1].split(',').take(6).collect();
    lines[1] = format!("{},\"城厢, 一号\n二单元\"", cells.join(","));
    // No line end after the last household; a blank line in the middle of the persons.
    std::fs::write(&path, lines.join("\r\n")).unwrap();
    edit_lines(&data, "persons.csv", |l| l.insert(3, "  ".into()));
    // Line ends in CRLF in a file without quotes too (split in place, not by the reader).
    let persons = data.join("persons.csv");
    let text = std::fs::read_to_string(&persons).unwrap();
    std::fs::write(&persons, text.replace('\n', "\r\n")).unwrap();
    let want = exact(&data).unwrap();
    fast_gives(&data, &want);
    assert!(want.contains("H0000050"));
}

#[test]
fn text_not_in_utf8_is_refused_by_both_roads() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path(), 20);
    let path = data.join("persons.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    // A byte that never occurs in UTF-8, in the middle of the third person's row.
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .map(|(i, _)| i)
        .unwrap();
    bytes[third + 12] = 0xFF;
    std::fs::write(&path, bytes).unwrap();
    assert!(exact(&data).is_err(), "the import refuses the row");
    fast_gives_way(&data, "text not in UTF-8");
}

#[test]
fn files_with_bare_carriage_returns_take_the_exact_road_to_the_same_frames() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path(), 30);
    for file in ["households.csv", "persons.csv", "hospital_stays.csv"] {
        let path = data.join(file);
        let text = std::fs::read_to_string(&path).unwrap().replace('\n', "\r");
        std::fs::write(&path, text).unwrap();
    }
    let want = exact(&data).unwrap();
    assert!(want.contains("H0000030"));
    // Lines counted by line feeds undercount such a file: the fast road gives way …
    assert!(fast(&data).is_err());
    // … and the evaluation's load takes the exact road to the same frames.
    let frames = minsheng_app::evaluate::load_frames(
        &minsheng_app::evaluate::Source::Data(vec![data.clone()]),
        date(MONTH),
        &NoProgress,
    )
    .unwrap();
    let exact = exact_frames(&data, minsheng_app::evaluate::HOUSEHOLDS_PER_CHUNK).unwrap();
    assert_eq!(shown(&frames), shown(&exact));
}

/// A small valid batch: two families, a stay, an event and an enrollment.
fn small() -> Batch {
    Batch::new()
        .family("H1", "P1", 1)
        .family("H2", "P2", 2)
        .add("hospital_stays", stay("S1", "P1"))
        .add("events", event("E1", "H1", "P1"))
        .add("enrollments", enrollment("H2", "P2", "dibao"))
}

#[test]
fn every_broken_batch_is_refused_by_both_roads() {
    let dir = tempfile::tempdir().unwrap();
    let ok = small().write(&dir.path().join("ok"));
    assert_eq!(fast(&ok).unwrap(), exact(&ok).unwrap());

    let cases: Vec<(&str, Batch)> = vec![
        ("duplicate household", small().family("H1", "P3", 3)),
        (
            "duplicate person",
            small().add("persons", person("P2", "H2", "spouse", 4)),
        ),
        (
            "unknown household",
            small().add("persons", person("P5", "H9", "head", 5)),
        ),
        (
            "two heads",
            small().add("persons", person("P6", "H1", "head", 6)),
        ),
        (
            "no head",
            small().add("households", crate::support::household("H7")),
        ),
        (
            "stay of nobody",
            small().add("hospital_stays", stay("S2", "P9")),
        ),
        (
            "duplicate stay",
            small().add("hospital_stays", stay("S1", "P2")),
        ),
        (
            "event of a stranger",
            small().add("events", event("E2", "H1", "P2")),
        ),
        (
            "duplicate event",
            small().add("events", event("E1", "H2", "P2")),
        ),
        (
            "enrollment of an unknown household",
            small().add("enrollments", enrollment("H8", "", "dibao")),
        ),
        (
            "duplicate enrollment",
            small().add("enrollments", enrollment("H2", "P2", "dibao")),
        ),
        (
            "a bad cell",
            small().add(
                "hospital_stays",
                crate::support::with(stay("S3", "P1"), &[("total_cost", "abc")]),
            ),
        ),
    ];
    for (name, batch) in cases {
        let data = batch.write(&dir.path().join(name.replace(' ', "-")));
        let refused = exact(&data).expect_err(name);
        assert!(refused >= 1, "{name}");
        fast_gives_way(&data, name);
    }
}

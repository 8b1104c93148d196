//! The input tables of a policy test case (interchange-v1 CSV texts) read into a
//! [`Registry`] with the real readers: the texts are written to a fresh temporary folder
//! and read back through `discover` → `Source::open` → `decode`, so a case is valid input
//! exactly when the importer would accept it. The cross-row rules the importer adds (unique
//! ids, known references, one head per household) are checked here too, in a few lines.

use minsheng_interchange::{Table, decode, discover};
use minsheng_model::{Problem, Registry, Relation};
use std::collections::{HashMap, HashSet};

/// The texts of one case, by table; `None` = table omitted.
pub struct Texts<'a> {
    pub tables: Vec<(Table, &'a str)>,
}

/// Reads the tables; every refused row is reported as "table line N column C: reason".
pub fn read(texts: &Texts<'_>) -> Result<Registry, Vec<String>> {
    let dir = tempfile::tempdir().map_err(|e| vec![format!("temp dir: {e}")])?;
    for (table, text) in &texts.tables {
        std::fs::write(dir.path().join(table.file_name()), text)
            .map_err(|e| vec![format!("writing {table}: {e}")])?;
    }
    let (sources, _notices) =
        discover(&[dir.path().to_path_buf()]).map_err(|e| vec![e.to_string()])?;
    let mut reg = Registry::default();
    let mut errors = Vec::new();
    let describe = |table: Table, line: u64, p: &Problem| {
        format!(
            "{table} line {line} column {}: {:?} {}",
            p.column, p.value, p.kind
        )
    };
    for source in sources {
        let table = source.table;
        let mut reader = source.open().map_err(|e| vec![e.to_string()])?;
        for p in &reader.header.problems {
            errors.push(describe(table, reader.header.line, p));
        }
        if !reader.header_ok() {
            continue;
        }
        while let Some(row) = reader.next_row() {
            let raw = match row {
                Ok(raw) => raw,
                Err(bad) => {
                    errors.push(describe(table, bad.line, &bad.problem));
                    continue;
                }
            };
            let line = raw.line;
            let decoded = match table {
                Table::Households => {
                    decode::household(&raw, crate::regions()).map(|r| reg.households.push(r))
                }
                Table::Persons => decode::person(&raw).map(|r| reg.persons.push(r)),
                Table::HospitalStays => decode::stay(&raw).map(|r| reg.stays.push(r)),
                Table::Events => decode::event(&raw).map(|r| reg.events.push(r)),
                Table::Enrollments => decode::enrollment(&raw).map(|r| reg.enrollments.push(r)),
            };
            if let Err(problems) = decoded {
                errors.extend(problems.iter().map(|p| describe(table, line, p)));
            }
        }
    }
    errors.extend(cross_row(&reg));
    if errors.is_empty() {
        Ok(reg)
    } else {
        Err(errors)
    }
}

/// The importer's cross-row rules, restated for a single batch.
fn cross_row(reg: &Registry) -> Vec<String> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for h in &reg.households {
        if !seen.insert(h.household_id.as_str()) {
            errors.push(format!("households: duplicate id {}", h.household_id));
        }
    }
    let mut heads: HashMap<&str, usize> = HashMap::new();
    let mut persons = HashSet::new();
    let mut id_numbers = HashSet::new();
    for p in &reg.persons {
        if !persons.insert(p.person_id.as_str()) {
            errors.push(format!("persons: duplicate id {}", p.person_id));
        }
        if !id_numbers.insert(p.id_number.as_str()) {
            errors.push(format!("persons: duplicate id_number {}", p.id_number));
        }
        if !seen.contains(p.household_id.as_str()) {
            errors.push(format!(
                "persons: {} refers to unknown household {}",
                p.person_id, p.household_id
            ));
        }
        if p.relation == Relation::Head {
            *heads.entry(p.household_id.as_str()).or_default() += 1;
        }
    }
    for h in &reg.households {
        let n = heads.get(h.household_id.as_str()).copied().unwrap_or(0);
        if n != 1 {
            errors.push(format!("households: {} has {n} heads", h.household_id));
        }
    }
    let mut stays = HashSet::new();
    for s in &reg.stays {
        if !stays.insert(s.stay_id.as_str()) {
            errors.push(format!("hospital_stays: duplicate id {}", s.stay_id));
        }
        if !persons.contains(s.person_id.as_str()) {
            errors.push(format!(
                "hospital_stays: {} refers to unknown person {}",
                s.stay_id, s.person_id
            ));
        }
    }
    errors
}

//! Region tables in the `code,level,name,parent_code` CSV form of `shared/regions/`, and
//! the built-in tree of 绵阳市 (统计用区划代码 2023), compiled into the binary so that a
//! new deployment works without any file.

use minsheng_model::{Region, RegionCode, RegionLevel, RegionTable};

/// The built-in region file (a verbatim copy of the NBS 2023 codes of 绵阳市).
pub const MIANYANG_2023_CSV: &str = include_str!("../../../data/regions/mianyang-2023.csv");

/// A region file that could not be read, with the line and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("{source_name} 第 {line} 行：{message}")]
pub struct RegionFileError {
    pub source_name: String,
    pub line: u64,
    pub message: String,
}

/// The built-in tree of 绵阳市.
pub fn default_table() -> RegionTable {
    parse(MIANYANG_2023_CSV.as_bytes(), "mianyang-2023.csv")
        .expect("built-in region table is valid")
}

/// Reads a region file; `source_name` names it in errors.
pub fn parse(input: impl std::io::Read, source_name: &str) -> Result<RegionTable, RegionFileError> {
    let err = |line: u64, message: String| RegionFileError {
        source_name: source_name.to_owned(),
        line,
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let header = rdr.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let col = |name: &str| {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| {
            err(
                1,
                format!("缺少列 {name}（应有 code,level,name,parent_code）"),
            )
        })
    };
    let (c_code, c_level, c_name, c_parent) = (
        col("code")?,
        col("level")?,
        col("name")?,
        col("parent_code")?,
    );
    let mut regions = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let code = RegionCode::parse(field(c_code))
            .ok_or_else(|| err(line, format!("区划代码 {:?} 应为12位数字", field(c_code))))?;
        let level = RegionLevel::from_code(field(c_level)).ok_or_else(|| {
            err(
                line,
                format!(
                    "级别 {:?} 应为 province/city/county/township/village",
                    field(c_level)
                ),
            )
        })?;
        if level != code.level() {
            return Err(err(
                line,
                format!("级别 {} 与代码 {code} 的层级不符", level.code()),
            ));
        }
        let parent = match field(c_parent) {
            "" => None,
            p => Some(
                RegionCode::parse(p)
                    .ok_or_else(|| err(line, format!("上级代码 {p:?} 应为12位数字")))?,
            ),
        };
        regions.push(Region {
            code,
            level,
            name: field(c_name).to_owned(),
            parent,
        });
    }
    RegionTable::new(regions).map_err(|e| err(0, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_table_is_mianyang_2023() {
        let t = default_table();
        assert_eq!(t.len(), 1 + 1 + 9 + 167 + 2071);
        assert_eq!(t.at_level(RegionLevel::County).count(), 9);
        assert_eq!(t.at_level(RegionLevel::Village).count(), 2071);
        let fucheng = RegionCode::parse("510703000000").unwrap();
        assert_eq!(t.get(fucheng).unwrap().name, "涪城区");
        assert_eq!(
            t.path_name(RegionCode::parse("510703001000").unwrap()),
            "四川省 绵阳市 涪城区 城厢街道"
        );
    }

    #[test]
    fn bad_file_names_the_line() {
        let e = parse("code,level,name,parent_code\n510000000000,province,四川省,\n51070,city,x,510000000000\n".as_bytes(), "r.csv")
            .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("r.csv 第 3 行"), "{e}");
    }
}

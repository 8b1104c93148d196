//! interchange-v1: the files other departments send and the platform hands back.
//!
//! - [`table`]: the five tables, their columns and which are required;
//! - [`source`]: finding tables in files and folders (CSV by file name, XLSX by sheet
//!   name) and reading them row by row, streaming, with 1-based source line numbers;
//! - [`decode`]: one raw row → one typed record, or every [`Problem`] it has;
//! - [`write`](mod@write): typed records → interchange CSV (export, synthetic districts);
//! - [`regions`]: region tables (`code,level,name,parent_code`), and the built-in 绵阳 tree.
//!
//! Cross-row rules (duplicates, references, one head per household) need the whole batch
//! and the stored registry; they live with the import use case in `minsheng-app`.
//!
//! [`Problem`]: minsheng_model::Problem

pub mod decode;
pub mod regions;
pub mod source;
pub mod table;
pub mod write;

pub use source::{Location, Source, SourceError, TableReader, discover};
pub use table::Table;
pub use write::CsvDirWriter;

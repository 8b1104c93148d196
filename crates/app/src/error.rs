//! The one error type of the use cases; every variant says what failed and where.

use minsheng_interchange::SourceError;
use minsheng_interchange::regions::RegionFileError;
use minsheng_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Regions(#[from] RegionFileError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("写出数据失败：{0}")]
    Sink(minsheng_model::SinkError),
    #[error(
        "{file} 第 {line} 行在导入过程中被改动（校验时有效，写入时无效）；本批次未写入任何数据，请重新导入"
    )]
    Changed { file: String, line: u64 },
    #[error("没有找到要导入的文件：请给出 households.csv 等文件，或包含它们的文件夹")]
    NoInput,
}

impl AppError {
    pub fn io(path: &std::path::Path, source: std::io::Error) -> AppError {
        AppError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

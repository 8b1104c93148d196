//! The one error type of the use cases; every variant says what failed and where.

use minsheng_interchange::SourceError;
use minsheng_interchange::regions::RegionFileError;
use minsheng_model::RegionCode;
use minsheng_model::audit::ChainBroken;
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
    #[error(
        "用户名 {0:?} 无效：应为 1–32 个字母、数字或 _ . - / invalid username: 1–32 characters of A–Z a–z 0–9 _ . -"
    )]
    Username(String),
    #[error("密码至少需要 {min} 个字符 / the password needs at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("区划代码 {0} 不在本库的区划表中 / region {0} is not in the registry's region table")]
    UnknownRegion(RegionCode),
    #[error("密码哈希失败 / password hashing failed: {0}")]
    PasswordHash(String),
    #[error("系统随机数发生器不可用 / the system random generator failed: {0}")]
    Random(String),
    #[error(transparent)]
    AuditBroken(#[from] ChainBroken),
}

impl AppError {
    pub fn io(path: &std::path::Path, source: std::io::Error) -> AppError {
        AppError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

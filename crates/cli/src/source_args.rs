//! Where a command reads the registry from: a database, or interchange files checked like
//! an import. Shared by `eval` and `explain`.

use minsheng_app::evaluate::Source;
use std::path::PathBuf;

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct SourceArgs {
    /// SQLite file path or postgres:// URL of the registry
    #[arg(long)]
    db: Option<String>,
    /// Interchange files or a folder of them (checked like an import) instead of a database
    #[arg(long, num_args = 1..)]
    data: Vec<PathBuf>,
}

impl SourceArgs {
    /// The database URL, when the registry is a database.
    pub fn db(&self) -> Option<&str> {
        self.db.as_deref()
    }

    pub fn source(self) -> Source {
        match self.db {
            Some(url) => Source::Db(url),
            None => Source::Data(self.data),
        }
    }
}

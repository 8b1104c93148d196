//! `minsheng explain`: one household's decisions for a month, with the values and
//! parameters behind them, in Chinese (or as JSON).

use minsheng_app::evaluate::explain;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    source: crate::source_args::SourceArgs,
    /// The month, YYYY-MM
    #[arg(long)]
    month: String,
    /// The household id
    #[arg(long)]
    household: String,
    /// Only this program
    #[arg(long)]
    program: Option<String>,
    /// The policy pack folder
    #[arg(long, default_value = "policies/mianyang")]
    policy: PathBuf,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let month = crate::parse_month(&args.month)?;
    let source = args.source.source();
    let mut e = explain(&source, &args.policy, month, &args.household)?;
    if let Some(p) = &args.program {
        e.programs.retain(|x| &x.program == p);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        print!("{}", e.to_text());
    }
    Ok(ExitCode::SUCCESS)
}

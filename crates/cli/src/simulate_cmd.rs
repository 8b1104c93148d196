//! `minsheng simulate`: the cost of a reform — baseline and reform side by side per
//! program, and by county the households that gain, lose or change.

use minsheng_app::evaluate::simulate;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    source: crate::source_args::SourceArgs,
    /// The month, YYYY-MM
    #[arg(long)]
    month: String,
    /// The reform file: parameter values that go on top of the pack's, and
    /// `[[replace]]` tables replacing formulas (docs/policy-engine.md, "Reforms")
    #[arg(long)]
    reform: PathBuf,
    /// The policy pack folder
    #[arg(long, default_value = "policies/mianyang")]
    policy: PathBuf,
}

pub fn run(args: SimulateArgs) -> anyhow::Result<ExitCode> {
    let month = crate::parse_month(&args.month)?;
    let sim = simulate(&args.source.source(), &args.policy, &args.reform, month)?;
    println!(
        "{:<22} {:>10} {:>16} {:>10} {:>16} {:>14}",
        "项目 program", "现行 units", "现行 amount", "改革 units", "改革 amount", "变化 Δ amount"
    );
    for (program, [(bn, ba), (an, aa)]) in &sim.programs {
        println!(
            "{program:<22} {bn:>10} {:>16} {an:>10} {:>16} {:>14}",
            ba.to_string(),
            aa.to_string(),
            (*aa - *ba).to_string()
        );
    }
    println!(
        "{:<28} {:>8} {:>8} {:>8}",
        "区县 county", "增加 gain", "减少 lose", "变化 change"
    );
    for ((code, name), [gain, lose, change]) in &sim.counties {
        println!(
            "{:<28} {gain:>8} {lose:>8} {change:>8}",
            format!("{name} {code}")
        );
    }
    Ok(ExitCode::SUCCESS)
}

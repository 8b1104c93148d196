//! `minsheng` — the one command of the platform. Parses flags, calls `minsheng-app`,
//! prints. Exit codes: 0 success, 1 failure (also: the audit chain is broken), 2 rows
//! were refused (import).

mod account_cmd;
mod eval_cmd;
mod explain_cmd;
mod import_cmd;
mod memory;
mod progress;
mod serve_cmd;
mod simulate_cmd;
mod source_args;

// mimalloc: the import allocates and frees millions of small strings; glibc's allocator
// spent about a tenth of the import's time in consolidation (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "minsheng",
    version,
    about = "民生 minsheng — 社会救助与基本公共服务平台 / social assistance and basic public services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 导入部门数据（interchange-v1 CSV/XLSX）/ import interchange-v1 files into the registry
    Import(import_cmd::ImportArgs),
    /// 按政策包计算某月的待遇认定 / evaluate a policy pack for a month → results.csv, medical.csv
    Eval(eval_cmd::EvalArgs),
    /// 解释某户某月的认定结果及依据 / explain one household's decisions and their reasons
    Explain(explain_cmd::ExplainArgs),
    /// 网页服务：工作人员页面、服务找人与 API / serve the web application
    Serve(serve_cmd::ServeArgs),
    /// 改革测算：现行与改革方案对比 / simulate a reform against the baseline
    Simulate(simulate_cmd::SimulateArgs),
    /// 导出登记库为 interchange-v1 CSV / export the registry as interchange-v1 CSV
    Export {
        /// SQLite file path or postgres:// URL
        #[arg(long)]
        db: String,
        /// Folder to write households.csv … enrollments.csv into
        #[arg(long)]
        out: PathBuf,
    },
    /// 生成模拟辖区数据 / write a seeded synthetic district as interchange-v1 CSV
    Synth {
        #[arg(long)]
        households: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Reference month (ages, stays, enrollments), YYYY-MM
        #[arg(long, default_value = "2024-06")]
        month: String,
    },
    /// 演示：创建（或复用）一个约两万户的模拟辖区 SQLite 数据库 / create or reuse the demo district
    Demo {
        #[arg(long, default_value = "demo/minsheng-demo.sqlite")]
        db: PathBuf,
        #[arg(long, default_value_t = minsheng_app::demo::DEMO_HOUSEHOLDS)]
        households: u64,
        /// The policy pack whose results for 2024-06 are stored in the demo
        #[arg(long, default_value = "policies/mianyang")]
        policy: PathBuf,
        /// Where to serve the web application
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Prepare the demo district and its accounts, but do not serve it
        #[arg(long)]
        no_serve: bool,
    },
    /// 政策包 / policy packs
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// 区划表 / region table
    Regions {
        #[command(subcommand)]
        command: RegionsCommand,
    },
    /// 登记库概况 / row counts of the registry
    Stats {
        #[arg(long)]
        db: String,
    },
    /// 用户账户 / user accounts of the web application
    User {
        #[command(subcommand)]
        command: account_cmd::UserCommand,
    },
    /// 审计日志 / the audit log
    Audit {
        #[command(subcommand)]
        command: account_cmd::AuditCommand,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Run the test cases next to a pack (<DIR>/tests/*.toml) through the engine
    Test {
        #[arg(default_value = "policies/mianyang")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum RegionsCommand {
    /// Replace the region table with a file of `code,level,name,parent_code`
    Load {
        #[arg(long)]
        db: String,
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 / error: {e:#}");
            ExitCode::from(1)
        }
    }
}

pub(crate) fn parse_month(s: &str) -> anyhow::Result<minsheng_model::Date> {
    minsheng_model::date::parse_iso(&format!("{s}-01"))
        .with_context(|| format!("月份 {s:?} 应为 YYYY-MM，如 2024-06"))
}

fn print_counts(c: &minsheng_store::Counts) {
    println!(
        "  家庭 households {}  人员 persons {}  住院结算 stays {}  事件 events {}  待遇 enrollments {}  区划 regions {}",
        c.households, c.persons, c.stays, c.events, c.enrollments, c.regions
    );
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if !matches!(cli.command, Command::Serve(_)) {
        memory::small_pages_for_a_batch_job();
    }
    match cli.command {
        Command::Import(args) => import_cmd::run(args),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Explain(args) => explain_cmd::run(args),
        Command::Simulate(args) => simulate_cmd::run(args),
        Command::Export { db, out } => {
            let mut store = minsheng_app::registry::open(&db)?;
            minsheng_app::export::export(store.as_mut(), &out)?;
            println!("已导出到 {} / exported", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Synth {
            households,
            seed,
            out,
            month,
        } => {
            let cfg = minsheng_app::synth::SynthConfig {
                households,
                seed,
                month: parse_month(&month)?,
            };
            let s = minsheng_app::synth::synth_to_dir(&cfg, &out)?;
            println!(
                "已生成模拟辖区 / synthetic district written to {}: {} households, {} persons, {} stays, {} events, {} enrollments",
                out.display(),
                s.households,
                s.persons,
                s.stays,
                s.events,
                s.enrollments
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => serve_cmd::run(args),
        Command::Demo {
            db,
            households,
            policy,
            addr,
            no_serve,
        } => {
            let progress = progress::Bars::new(false);
            let started = std::time::Instant::now();
            let outcome = minsheng_app::demo::demo(&db, households, &policy, &progress)?;
            match &outcome.imported {
                Some(s) => println!(
                    "已创建演示辖区 / demo district created: {}（生成并导入 {} 行，用时 {:.1} 秒）",
                    outcome.db.display(),
                    s.rows_imported,
                    started.elapsed().as_secs_f64()
                ),
                None => println!(
                    "已复用演示辖区 / reusing the demo district: {}",
                    outcome.db.display()
                ),
            }
            print_counts(&outcome.counts);
            if let Some(n) = outcome.results {
                println!(
                    "已计算并保存 2024-06 的 {n} 条结果（{}）/ stored {n} results for 2024-06",
                    policy.display()
                );
            }
            let url = outcome.db.display().to_string();
            let mut store = minsheng_app::registry::open(&url)?;
            let origin = minsheng_app::accounts::Origin::cli(chrono::Utc::now());
            minsheng_app::demo_users::ensure(store.as_mut(), &origin)?;
            drop(store);
            println!(
                "演示账户（密码均为 {}）/ demo accounts (password {}):",
                minsheng_app::demo_users::DEMO_PASSWORD,
                minsheng_app::demo_users::DEMO_PASSWORD
            );
            for (username, role, region, name) in minsheng_app::demo_users::DEMO_ACCOUNTS {
                println!("  {username:<12} {:<16} {region}  {name}", role.label());
            }
            if no_serve {
                println!("下一步 / next: minsheng serve --db {url}");
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "请用浏览器打开 / open in a browser: http://{addr}/  （例如以 chengxiang 登录 / e.g. sign in as chengxiang）"
            );
            serve_cmd::run(serve_cmd::ServeArgs {
                db: url,
                addr,
                policy,
                month: None,
                insecure_cookies: false,
            })
        }
        Command::Policy {
            command: PolicyCommand::Test { dir },
        } => {
            let reports = minsheng_app::policy_test::run(&dir)?;
            let failed = reports.iter().filter(|r| !r.problems.is_empty()).count();
            for r in &reports {
                let mark = if r.problems.is_empty() {
                    "通过 ok  "
                } else {
                    "失败 FAIL"
                };
                println!("{mark} {} / {}", r.file, r.name);
                for p in &r.problems {
                    println!("          {p}");
                }
            }
            println!("{} passed, {failed} failed", reports.len() - failed);
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Regions {
            command: RegionsCommand::Load { db, file },
        } => {
            let mut store = minsheng_app::registry::open(&db)?;
            let t = minsheng_app::registry::load_regions(store.as_mut(), &file)?;
            println!("已载入区划表 / region table loaded: {} regions", t.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command } => account_cmd::user(command),
        Command::Audit { command } => account_cmd::audit(command),
        Command::Stats { db } => {
            let mut store = minsheng_app::registry::open(&db)?;
            print_counts(&store.counts()?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

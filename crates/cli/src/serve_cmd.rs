//! `minsheng serve`: the web application over a registry, until Ctrl-C.

use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// SQLite file path or postgres:// URL
    #[arg(long)]
    pub db: String,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The policy pack folder (decisions and explanations on the pages)
    #[arg(long, default_value = "policies/mianyang")]
    pub policy: PathBuf,
    /// The month the pages show, YYYY-MM (default: the newest month with stored results)
    #[arg(long)]
    pub month: Option<String>,
    /// Do not mark cookies Secure (only for a plain-HTTP deployment reached by a host
    /// name other than localhost; keep the default otherwise)
    #[arg(long)]
    pub insecure_cookies: bool,
}

/// Starts the server; prints the URL first.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let month = args.month.as_deref().map(crate::parse_month).transpose()?;
    let state = minsheng_web::state::AppState::load(&minsheng_web::state::Config {
        db: &args.db,
        policy: &args.policy,
        month,
        secure_cookies: !args.insecure_cookies,
    })
    .map_err(|e| anyhow::anyhow!(e))?;
    println!(
        "民生已启动 / minsheng is serving: http://{}/  （{} 月；Ctrl-C 停止 / to stop）",
        args.addr,
        state.month_key()
    );
    tokio::runtime::Runtime::new()
        .context("无法启动异步运行时 / cannot start the runtime")?
        .block_on(minsheng_web::serve(state, args.addr))
        .with_context(|| format!("无法在 {} 上提供服务 / cannot serve", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

//! `minsheng user add`, `minsheng user token` and `minsheng audit verify`: accounts of the
//! web application and their API tokens, created at the server's command line, and the
//! audit chain checked from it.

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use minsheng_app::accounts::{self, Origin, UserSpec};
use minsheng_app::error::AppError;
use minsheng_model::RegionCode;
use minsheng_model::access::Role;
use std::io::Read;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCommand {
    /// 添加用户（密码从标准输入读取）/ add a user; the password is read from standard input
    Add {
        /// SQLite file path or postgres:// URL
        #[arg(long)]
        db: String,
        /// 1–32 characters of A–Z a–z 0–9 _ . -
        #[arg(long)]
        username: String,
        /// community, street, county, planner, auditor or admin
        #[arg(long)]
        role: String,
        /// The 12-digit code of the region the user works in (their jurisdiction)
        #[arg(long)]
        region: String,
        /// Read the password from standard input (one line; the newline is dropped)
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The name shown on pages (default: the username)
        #[arg(long)]
        display_name: Option<String>,
    },
    /// 为用户签发 API 访问令牌（只显示一次）/ issue an API bearer token for a user (shown once)
    Token {
        /// SQLite file path or postgres:// URL
        #[arg(long)]
        db: String,
        #[arg(long)]
        username: String,
        /// What the token is for (kept with it, shown in the audit log)
        #[arg(long, default_value = "api")]
        label: String,
        /// Days until it expires (default: 90)
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// 校验审计日志的哈希链 / check the audit log's hash chain
    Verify {
        /// SQLite file path or postgres:// URL
        #[arg(long)]
        db: String,
    },
}

fn now() -> DateTime<Utc> {
    DateTime::from(std::time::SystemTime::now())
}

/// The password as piped in: everything read, one trailing line ending dropped.
fn read_password(mut input: impl Read) -> anyhow::Result<String> {
    let mut s = String::new();
    input
        .read_to_string(&mut s)
        .context("无法从标准输入读取密码 / cannot read the password from standard input")?;
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    Ok(s)
}

pub fn user(command: UserCommand) -> anyhow::Result<ExitCode> {
    let (db, username, role, region, display_name) = match command {
        UserCommand::Add {
            db,
            username,
            role,
            region,
            password_stdin: _,
            display_name,
        } => (db, username, role, region, display_name),
        UserCommand::Token {
            db,
            username,
            label,
            days,
        } => return token(&db, &username, &label, days),
    };
    let Some(role) = Role::from_code(&role) else {
        bail!(
            "角色 {role:?} 无效，应为以下之一：{} / unknown role, expected one of: {}",
            Role::expected_list(),
            Role::CODES.join(", ")
        );
    };
    let Some(region) = RegionCode::parse(&region) else {
        bail!(
            "区划代码 {region:?} 无效：应为 12 位数字，如 510703001000 / invalid region code: 12 digits expected"
        );
    };
    let password = read_password(std::io::stdin().lock())?;
    let mut store = minsheng_app::registry::open(&db)?;
    let spec = UserSpec {
        username: &username,
        role,
        region,
        password: &password,
        display_name: display_name.as_deref().unwrap_or(&username),
    };
    let user = accounts::add_user(store.as_mut(), &spec, &Origin::cli(now()))?;
    println!(
        "已添加用户 / user added: {}（{}，{}）",
        user.username,
        user.role.label(),
        store.regions()?.path_name(user.region)
    );
    Ok(ExitCode::SUCCESS)
}

/// `minsheng user token`: prints a new bearer token for the API.
fn token(db: &str, username: &str, label: &str, days: i64) -> anyhow::Result<ExitCode> {
    if !(1..=3650).contains(&days) {
        bail!("--days {days} 无效：应为 1 到 3650 / --days must be 1 to 3650");
    }
    let mut store = minsheng_app::registry::open(db)?;
    let Some(user) = store.user(username)? else {
        bail!("用户 {username:?} 不存在 / no such user");
    };
    let token = accounts::issue_api_token(
        store.as_mut(),
        &user,
        label,
        &Origin::cli(now()),
        Some(chrono::TimeDelta::days(days)),
    )?;
    println!("{token}");
    eprintln!(
        "令牌只显示这一次，请妥善保存；请求时使用 Authorization: Bearer <令牌> / shown once: send it as Authorization: Bearer <token>"
    );
    Ok(ExitCode::SUCCESS)
}

pub fn audit(command: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify { db } = command;
    let mut store = minsheng_app::registry::open(&db)?;
    match accounts::verify_audit(store.as_mut()) {
        Ok(n) => {
            println!("审计链完整：{n} 条 / audit chain intact: {n} entries");
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::AuditBroken(broken)) => {
            eprintln!("错误 / error: {broken}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::read_password;

    #[test]
    fn one_line_ending_is_dropped() {
        assert_eq!(read_password(&b"secret pw\n"[..]).unwrap(), "secret pw");
        assert_eq!(read_password(&b"secret pw\r\n"[..]).unwrap(), "secret pw");
        assert_eq!(read_password(&b"secret pw"[..]).unwrap(), "secret pw");
        assert_eq!(read_password(&b" two\n\n"[..]).unwrap(), " two\n");
    }
}

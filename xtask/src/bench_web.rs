//! `cargo xtask bench-web`: the web benchmark of BENCHMARKS.md.
//!
//! Prepares (once, cached as `target/bench/web-N.sqlite`) a registry of the synthetic
//! district of N households with June 2024's results stored and a county-wide account,
//! starts the release `minsheng serve` on it, signs in over HTTP, then runs a closed-loop
//! load on loopback: C concurrent users, each on its own keep-alive connection, each
//! requesting as soon as the previous answer arrived, for D seconds after a warm-up —
//! first household pages (random households), then searches (random household ids, ID
//! numbers' region digits and common surnames). Latency percentiles are printed as a
//! Markdown table. The load generator is plain `std` threads and sockets: one process,
//! no other tool to install.

use crate::bench::{district, release_binary, timed_output};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Options {
    pub households: u64,
    pub users: usize,
    pub seconds: u64,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            households: 1_000_000,
            users: 50,
            seconds: 20,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut number = |name: &str| -> Result<u64> {
                it.next()
                    .with_context(|| format!("{name} needs a number"))?
                    .parse()
                    .with_context(|| format!("{name} needs a number"))
            };
            match a.as_str() {
                "--households" => o.households = number("--households")?,
                "--users" => o.users = number("--users")? as usize,
                "--seconds" => o.seconds = number("--seconds")?,
                other => bail!("bench-web: unknown argument {other}"),
            }
        }
        Ok(o)
    }
}

const USER: &str = "bench";
const PASSWORD: &str = "bench-password";

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 exchange on a keep-alive connection: status and body length.
fn exchange(
    conn: &mut BufReader<TcpStream>,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> Result<(u16, Vec<String>, String)> {
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.get_mut().write_all(req.as_bytes())?;
    let mut status_line = String::new();
    conn.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("bad status line {status_line:?}"))?;
    let (mut length, mut chunked, mut cookies) = (0usize, false, Vec::new());
    loop {
        let mut line = String::new();
        conn.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "set-cookie" => cookies.push(value.trim().split(';').next().unwrap_or("").to_owned()),
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            conn.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            conn.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        body.resize(length, 0);
        conn.read_exact(&mut body)?;
    }
    Ok((status, cookies, String::from_utf8_lossy(&body).into_owned()))
}

fn connect(port: u16) -> Result<BufReader<TcpStream>> {
    let s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_nodelay(true)?;
    Ok(BufReader::new(s))
}

/// Signs in; the session cookie.
fn login(port: u16) -> Result<String> {
    let mut c = connect(port)?;
    let (_, cookies, page) = exchange(&mut c, "GET", "/login", "", "")?;
    let form_cookie = cookies.first().context("no form cookie")?.clone();
    let at = page.find("name=\"csrf\" value=\"").context("no csrf")? + 19;
    let token = &page[at..at + 64];
    let body = format!("csrf={token}&username={USER}&password={PASSWORD}&next=%2F");
    let (status, cookies, _) = exchange(
        &mut c,
        "POST",
        "/login",
        &format!("Cookie: {form_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"),
        &body,
    )?;
    if status != 303 {
        bail!("login answered {status}");
    }
    cookies
        .into_iter()
        .find(|c| c.starts_with("ms_session="))
        .context("no session cookie")
}

/// A small deterministic generator (xorshift), so runs request the same sequence.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Closed-loop load: latencies in microseconds and the count of non-200 answers.
fn load(
    port: u16,
    cookie: &str,
    users: usize,
    seconds: u64,
    path: &(dyn Fn(&mut Rng) -> String + Sync),
) -> Result<(Vec<u64>, u64)> {
    let warm = Duration::from_secs(3);
    let run = Duration::from_secs(seconds);
    let start = Instant::now();
    let results: Vec<Result<(Vec<u64>, u64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..users)
            .map(|u| {
                s.spawn(move || -> Result<(Vec<u64>, u64)> {
                    let mut c = connect(port)?;
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((u as u64 + 1) * 0x2545_F491));
                    let headers = format!("Cookie: {cookie}\r\n");
                    let (mut lat, mut bad) = (Vec::new(), 0u64);
                    loop {
                        let now = start.elapsed();
                        if now > warm + run {
                            break;
                        }
                        let p = path(&mut rng);
                        let t = Instant::now();
                        let (status, _, _) = exchange(&mut c, "GET", &p, &headers, "")?;
                        let us = t.elapsed().as_micros() as u64;
                        if now >= warm {
                            lat.push(us);
                            if status != 200 {
                                bad += 1;
                            }
                        }
                    }
                    Ok((lat, bad))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a load thread panicked")))
            })
            .collect()
    });
    let (mut all, mut bad) = (Vec::new(), 0);
    for r in results {
        let (l, b) = r?;
        all.extend(l);
        bad += b;
    }
    all.sort_unstable();
    Ok((all, bad))
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn prepare(bin: &Path, target: &Path, households: u64) -> Result<std::path::PathBuf> {
    let db = target
        .join("bench")
        .join(format!("web-{households}.sqlite"));
    if db.exists() {
        return Ok(db);
    }
    let data = district(bin, target, households)?;
    let tmp = db.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    eprintln!("bench-web: importing {households} households…");
    timed_output(
        Command::new(bin)
            .arg("import")
            .arg("--db")
            .arg(&tmp)
            .arg(&data),
    )?;
    eprintln!("bench-web: evaluating and storing 2024-06…");
    timed_output(
        Command::new(bin)
            .args(["eval", "--month", "2024-06", "--save", "--db"])
            .arg(&tmp),
    )?;
    let mut child = Command::new(bin)
        .args([
            "user",
            "add",
            "--role",
            "county",
            "--region",
            "510700000000",
        ])
        .args(["--username", USER, "--password-stdin", "--db"])
        .arg(&tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(format!("{PASSWORD}\n").as_bytes())?;
    if !child.wait()?.success() {
        bail!("minsheng user add failed");
    }
    std::fs::rename(&tmp, &db)?;
    Ok(db)
}

pub fn run(root: &Path, target: &Path, o: &Options) -> Result<()> {
    let bin = release_binary(root, target)?;
    let db = prepare(&bin, target, o.households)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let _server = Server(
        Command::new(&bin)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db"])
            .arg(&db)
            .current_dir(root)
            .stdout(Stdio::null())
            .spawn()?,
    );
    let up = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if up.elapsed() > Duration::from_secs(60) {
            bail!("minsheng serve did not start");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let cookie = login(port)?;
    let n = o.households;
    let page = move |r: &mut Rng| format!("/households/H{:07}", 1 + r.below(n));
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    let search = move |r: &mut Rng| match r.below(3) {
        0 => format!("/search?q=H{:07}", 1 + r.below(n)),
        1 => format!(
            "/search?q={}",
            surnames[r.below(surnames.len() as u64) as usize]
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        ),
        _ => "/search?q=510703001".to_owned(),
    };
    println!(
        "{} households, {} concurrent users, {} s per scenario after a 3 s warm-up",
        n, o.users, o.seconds
    );
    println!();
    println!("| scenario | requests | per second | p50 | p95 | p99 | max | non-200 |");
    println!("|---|---|---|---|---|---|---|---|");
    for (name, f) in [
        (
            "household page",
            &page as &(dyn Fn(&mut Rng) -> String + Sync),
        ),
        ("search", &search),
    ] {
        let (lat, bad) = load(port, &cookie, o.users, o.seconds, f)?;
        println!(
            "| {name} | {} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {bad} |",
            lat.len(),
            lat.len() as f64 / o.seconds as f64,
            percentile(&lat, 0.50),
            percentile(&lat, 0.95),
            percentile(&lat, 0.99),
            percentile(&lat, 1.0),
        );
    }
    Ok(())
}

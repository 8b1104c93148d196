//! A throwaway PostgreSQL cluster for one test run.
//!
//! The PostgreSQL backend is tested against a real server on every run, not
//! only where someone happened to set one up: `cargo xtask test` `initdb`s a
//! private cluster into a fresh directory under the target directory, starts
//! it with `pg_ctl` on 127.0.0.1 and a free port (its socket in that
//! directory too), and on drop stops it and deletes the directory. No system
//! service, no shared state, nothing left behind. Durability is switched off
//! because the data is thrown away anyway.
//!
//! `initdb` and `postgres` refuse to run as root. As root (CI containers) the
//! cluster directory is given to the `postgres` user, which Debian's
//! `postgresql` package creates, and the server programs run through
//! `runuser -u postgres --`.
//!
//! A run killed by Ctrl-C cannot clean up (std has no signal handling), so
//! starting a cluster first stops and deletes those whose xtask is gone.

use anyhow::{Context, Result, bail};
use std::fs;
use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{self, Command};

/// The account the server runs as when xtask runs as root.
const SERVER_USER: &str = "postgres";

/// A running cluster; dropping it stops the server and deletes its files.
pub struct Cluster {
    server: Server,
    /// Holds `data/`, the server log and the Unix socket.
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    /// Creates and starts a cluster in `base/<pid>`.
    pub fn start(base: &Path) -> Result<Cluster> {
        let server = Server::find()?;
        let base = server.usable_base(base)?;
        server.reap_stale(&base);

        let dir = base.join(process::id().to_string());
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        if server.as_root {
            run(Command::new("chown").arg(SERVER_USER).arg(&dir))?;
        }
        // From here on, dropping `cluster` (also on error) deletes `dir`.
        let cluster = Cluster {
            server,
            dir,
            port: free_port()?,
        };
        cluster.init_and_start()?;
        Ok(cluster)
    }

    /// The server URL for `MINSHENG_TEST_PG_URL`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn init_and_start(&self) -> Result<()> {
        let data = self.dir.join("data");
        run(self
            .server
            .command("initdb", &self.dir)
            .arg("--pgdata")
            .arg(&data)
            .args(["--auth=trust", "--username=postgres"])
            .args(["--encoding=UTF8", "--locale=C", "--no-sync"]))?;

        // Settings go into the configuration file rather than `pg_ctl -o`,
        // which would pass the socket path through a shell.
        let Some(socket_dir) = self.dir.to_str() else {
            bail!("cluster directory {} is not UTF-8", self.dir.display());
        };
        let settings = format!(
            "\n# cargo xtask: throwaway test cluster\n\
             listen_addresses = '127.0.0.1'\n\
             port = {port}\n\
             unix_socket_directories = '{socket}'\n\
             max_connections = 200\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n",
            port = self.port,
            socket = socket_dir.replace('\'', "''"),
        );
        let conf = data.join("postgresql.conf");
        fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .and_then(|mut file| file.write_all(settings.as_bytes()))
            .with_context(|| format!("configuring {}", conf.display()))?;

        let log = self.dir.join("server.log");
        let started = run(self.server.pg_ctl(&self.dir, "start").arg("-l").arg(&log));
        if started.is_err() {
            let log = fs::read_to_string(&log).unwrap_or_default();
            eprintln!("xtask: PostgreSQL server log:\n{log}");
        }
        started
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.dir.join("data/postmaster.pid").exists() {
            let stop = |mode| run(self.server.pg_ctl(&self.dir, "stop").args(["-m", mode]));
            if let Err(err) = stop("fast").or_else(|_| stop("immediate")) {
                eprintln!("xtask: stopping PostgreSQL: {err:#}");
            }
        }
        if let Err(err) = fs::remove_dir_all(&self.dir) {
            eprintln!("xtask: removing {}: {err}", self.dir.display());
        }
    }
}

/// Where the server programs are, and whether they must run as [`SERVER_USER`].
struct Server {
    bindir: PathBuf,
    as_root: bool,
}

impl Server {
    /// `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`
    /// (Debian keeps the server programs off `PATH`).
    fn find() -> Result<Server> {
        let from_pg_config = Command::new("pg_config")
            .arg("--bindir")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        let mut debian: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let version = name
                    .split('.')
                    .map(|part| part.parse().unwrap_or(0))
                    .collect();
                (version, entry.path().join("bin"))
            })
            .collect();
        debian.sort();
        let bindir = from_pg_config
            .into_iter()
            .chain(debian.into_iter().rev().map(|(_, bin)| bin))
            .find(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file());
        let Some(bindir) = bindir else {
            bail!(
                "PostgreSQL server programs (initdb, pg_ctl) not found via `pg_config --bindir` \
                 or in /usr/lib/postgresql/*/bin. Install the server \
                 (Debian/Ubuntu: `apt-get install postgresql`) or set MINSHENG_TEST_PG_URL \
                 to a server the tests may create databases on."
            );
        };
        Ok(Server {
            bindir,
            as_root: running_as_root(),
        })
    }

    /// A command running `program` from the server's bindir in `cwd`, as
    /// [`SERVER_USER`] when we are root.
    fn command(&self, program: &str, cwd: &Path) -> Command {
        let program = self.bindir.join(program);
        let mut command = if self.as_root {
            let mut runuser = Command::new("runuser");
            runuser.args(["-u", SERVER_USER, "--"]).arg(program);
            runuser
        } else {
            Command::new(program)
        };
        command.current_dir(cwd);
        command
    }

    /// `pg_ctl <action> --wait` for the cluster in `dir`.
    fn pg_ctl(&self, dir: &Path, action: &str) -> Command {
        let mut command = self.command("pg_ctl", dir);
        command
            .arg(action)
            .args(["--wait", "--silent", "--pgdata"])
            .arg(dir.join("data"));
        command
    }

    /// `base`, or when [`SERVER_USER`] cannot reach it (a checkout in root's
    /// home, say) a directory under the system temp dir.
    fn usable_base(&self, base: &Path) -> Result<PathBuf> {
        fs::create_dir_all(base).with_context(|| format!("creating {}", base.display()))?;
        let reachable = || {
            let mut test = Command::new("runuser");
            test.args(["-u", SERVER_USER, "--", "test", "-x"]).arg(base);
            test.status().is_ok_and(|status| status.success())
        };
        if !self.as_root || reachable() {
            return Ok(base.to_owned());
        }
        let fallback = std::env::temp_dir().join("minsheng-xtask-pg");
        fs::create_dir_all(&fallback)
            .with_context(|| format!("creating {}", fallback.display()))?;
        Ok(fallback)
    }

    /// Stops and deletes clusters under `base` whose xtask process is gone
    /// (interrupted runs). Only where `/proc` tells which processes live.
    fn reap_stale(&self, base: &Path) {
        if !Path::new("/proc/self").exists() {
            return;
        }
        for entry in fs::read_dir(base).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|name| name.parse::<u32>().ok()) else {
                continue;
            };
            if pid == process::id() || Path::new("/proc").join(pid.to_string()).exists() {
                continue;
            }
            let dir = entry.path();
            eprintln!(
                "xtask: removing the cluster of an interrupted run: {}",
                dir.display()
            );
            if dir.join("data/postmaster.pid").exists() {
                let _ = run(self.pg_ctl(&dir, "stop").args(["-m", "immediate"]));
            }
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// Runs `command` to completion; on failure the error carries its output.
fn run(command: &mut Command) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("running {command:?}"))?;
    if !output.status.success() {
        bail!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// A TCP port that was free a moment ago (bound to port 0, then released).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Whether this process runs as root: `Uid:` in `/proc/self/status`, else `id -u`.
fn running_as_root() -> bool {
    if let Ok(status) = fs::read_to_string("/proc/self/status") {
        let uid = status.lines().find_map(|line| line.strip_prefix("Uid:"));
        return uid.and_then(|ids| ids.split_whitespace().next()) == Some("0");
    }
    let id = Command::new("id").arg("-u").output();
    id.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

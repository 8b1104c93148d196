//! Browser tests: the web application served on 127.0.0.1 (a free port, over a fresh
//! copy of the registry fixture in `tests/common`) and driven in headless Chromium
//! through WebDriver (`chromedriver`, started by the test on a free port; the
//! `fantoccini` crate speaks the protocol). A caseworker signs in, sees the dashboard,
//! searches, reads a household's decisions and the engine's reasoning, meets the 404 of
//! another street's household and signs out; a resident uses the public self-check.
//!
//! Chromium and chromedriver come from Debian (`apt-get install chromium
//! chromium-driver`, done by `.ci/run`). Without them these tests fail with that hint:
//! they never skip. `MINSHENG_CHROMIUM` and `MINSHENG_CHROMEDRIVER` name other binaries.
//! Every wait is an explicit wait for an element, with generous limits for a slow machine.

mod common;

use common::{PASSWORD, Registry};
use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long one element may take to appear (page loads on a busy 2-core machine).
const WAIT: Duration = Duration::from_secs(30);

/// The street office `chengxiang` works for, and the street next to it.
const CHENGXIANG: &str = "510703001000";
const GONGQU: &str = "510703003000";

/// `name` from the environment variable `var`, else `default`; a missing program is a
/// failure that says how to install it.
fn program(var: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{} not found: the browser tests need Debian's Chromium and ChromeDriver \
         (`apt-get install chromium chromium-driver`, as `.ci/run` does), or {var} naming \
         the program",
        path.display()
    );
    path
}

/// A port nobody listens on now (the OS picks it; the program given it binds it soon
/// after, so a clash is very unlikely and would fail loudly).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `chromedriver` process of this test, with its own process group so that dropping
/// it (also while a failed test unwinds) ends chromedriver and the Chromium it started.
struct Chromedriver {
    child: Child,
    url: String,
    chromium: PathBuf,
    log: PathBuf,
    dir: tempfile::TempDir,
}

impl Chromedriver {
    fn start() -> Chromedriver {
        let chromium = program("MINSHENG_CHROMIUM", "/usr/bin/chromium");
        let driver = program("MINSHENG_CHROMEDRIVER", "/usr/bin/chromedriver");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("chromedriver.log");
        let port = free_port();
        let mut child = std::os::unix::process::CommandExt::process_group(
            Command::new(&driver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
            0,
        )
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", driver.display()));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let start = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "chromedriver exited ({status}) before listening: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            assert!(
                start.elapsed() < WAIT,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            chromium,
            log,
            dir,
        }
    }

    /// A new browser session: headless Chromium with a fresh, empty profile and the flags
    /// this machine's closed network needs.
    async fn session(&self, name: &str) -> Client {
        let profile = self.dir.path().join(name);
        let caps: Capabilities = serde_json::from_value(serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-breakpad",
                    "--disable-crash-reporter",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }))
        .unwrap();
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "no Chromium session: {e}\nchromedriver log:\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                )
            })
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the browsers it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The application served on 127.0.0.1 over a fresh registry copy; stopped on drop.
struct Server {
    registry: Registry,
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    async fn start() -> Server {
        let registry = Registry::new();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        tokio::spawn(minsheng_web::serve_on(listener, registry.state(), shutdown));
        Server {
            registry,
            base: format!("http://127.0.0.1:{port}"),
            stop: Some(stop),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Waits for an element.
async fn wait(c: &Client, what: Locator<'_>) -> Element {
    c.wait()
        .at_most(WAIT)
        .for_element(what)
        .await
        .unwrap_or_else(|e| panic!("waiting for {what:?}: {e}"))
}

/// Waits for the page whose main heading is `h1`.
async fn wait_for_heading(c: &Client, h1: &str) -> Element {
    wait(
        c,
        Locator::XPath(&format!("//h1[normalize-space(.)='{h1}']")),
    )
    .await
}

/// The text of an element that is on the page now.
async fn text_of(c: &Client, what: Locator<'_>) -> String {
    let e = c
        .find(what)
        .await
        .unwrap_or_else(|e| panic!("finding {what:?}: {e}"));
    e.text().await.unwrap()
}

/// The current URL's path.
async fn path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_owned()
}

async fn type_into(c: &Client, css: &str, text: &str) {
    let e = wait(c, Locator::Css(css)).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn click(c: &Client, what: Locator<'_>) {
    wait(c, what).await.click().await.unwrap();
}

/// The login page, waited for (its username field), at `/login`.
async fn expect_login_page(c: &Client) {
    wait(c, Locator::Id("username")).await;
    assert_eq!(path(c).await, "/login");
    let title = c.title().await.unwrap();
    assert!(title.starts_with("登录"), "{title}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_signs_in_searches_reads_a_household_and_signs_out() {
    let server = Server::start().await;
    let mine = server.registry.households_under(CHENGXIANG);
    let theirs = server.registry.households_under(GONGQU);
    let (id, other) = (&mine[0], &theirs[0]);
    let driver = Chromedriver::start();
    let c = driver.session("caseworker").await;

    // Not signed in: the dashboard sends the browser to the login page.
    c.goto(&server.url("/")).await.unwrap();
    expect_login_page(&c).await;
    type_into(&c, "#username", "chengxiang").await;
    type_into(&c, "#password", PASSWORD).await;
    click(
        &c,
        Locator::Css("form[action='/login'] button[type='submit']"),
    )
    .await;

    // The dashboard of the street office, with its charts. (The `Secure` session cookie
    // sticks: Chromium treats http://127.0.0.1 as a secure context.)
    wait_for_heading(&c, "工作台").await;
    assert_eq!(path(&c).await, "/");
    assert_eq!(
        text_of(&c, Locator::Css(".who span")).await,
        "城厢街道审核员（街道/乡镇审核）"
    );
    let charts = c.find_all(Locator::Css("main svg")).await.unwrap();
    assert!(!charts.is_empty(), "no chart on the dashboard");
    let main = text_of(&c, Locator::Css("main")).await;
    assert!(main.contains("2024-06") && main.contains("低保"), "{main}");

    // Search through the form, then follow the hit.
    click(&c, Locator::LinkText("查找家庭")).await;
    wait_for_heading(&c, "查找家庭").await;
    type_into(&c, "#q", id).await;
    click(
        &c,
        Locator::Css("form[role='search'] button[type='submit']"),
    )
    .await;
    let hit = wait(&c, Locator::Css(&format!("a[href='/households/{id}']"))).await;
    assert_eq!(hit.text().await.unwrap(), *id);
    let status = text_of(&c, Locator::Css("p[role='status']")).await;
    assert!(status.starts_with("找到 "), "{status}");
    hit.click().await.unwrap();

    // The household page: the decisions table and the engine's full reasoning, folded.
    wait_for_heading(&c, &format!("家庭 {id}")).await;
    assert_eq!(path(&c).await, format!("/households/{id}"));
    // 低保 (最低生活保障, the household program) and its edge program, each decided.
    let cells = c
        .find_all(Locator::XPath("//table[1]/tbody/tr/td[1]"))
        .await
        .unwrap();
    let mut programs = Vec::new();
    for cell in &cells {
        programs.push(cell.text().await.unwrap());
    }
    for p in ["最低生活保障", "低保边缘家庭"] {
        assert!(programs.iter().any(|l| l == p), "{p} not in {programs:?}");
    }
    let decision = text_of(
        &c,
        Locator::XPath("//table[1]/tbody/tr[td[1][normalize-space(.)='最低生活保障']]/td[3]"),
    )
    .await;
    assert!(
        ["符合", "不符合", "无法认定"]
            .iter()
            .any(|d| decision.starts_with(d)),
        "{decision}"
    );
    let reasoning = c.find(Locator::Css("pre.explain")).await.unwrap();
    assert!(!reasoning.is_displayed().await.unwrap(), "folded at first");
    click(
        &c,
        Locator::XPath("//details/summary[contains(., '完整计算过程')]"),
    )
    .await;
    assert!(reasoning.is_displayed().await.unwrap(), "unfolded");
    let text = reasoning.text().await.unwrap();
    assert!(
        text.starts_with(&format!("家庭 {id} · 2024 年 06 月")) && text.contains("计算过程："),
        "{text}"
    );
    assert!(text.contains("【最低生活保障】"), "{text}");

    // Another street's household is "not found", like a missing one.
    c.goto(&server.url(&format!("/households/{other}")))
        .await
        .unwrap();
    wait_for_heading(&c, "404").await;
    let body = text_of(&c, Locator::Css("main")).await;
    assert!(
        body.contains("找不到该页面或记录，或不在您的辖区内。"),
        "{body}"
    );
    assert!(!body.contains(other.as_str()), "{body}");

    // Sign out with the button; the dashboard then leads to the login page again.
    c.goto(&server.url("/")).await.unwrap();
    wait_for_heading(&c, "工作台").await;
    click(&c, Locator::Css("form[action='/logout'] button")).await;
    expect_login_page(&c).await;
    c.goto(&server.url("/")).await.unwrap();
    expect_login_page(&c).await;
    let next = c.current_url().await.unwrap();
    assert_eq!(next.query(), Some("next=/"));

    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_uses_the_self_check_without_signing_in() {
    let server = Server::start().await;
    let driver = Chromedriver::start();
    let c = driver.session("resident").await;

    // An 85-year-old living alone on a pension of 3 000 yuan, with a supporter.
    c.goto(&server.url("/check")).await.unwrap();
    wait(&c, Locator::Id("m0_age")).await;
    assert_eq!(path(&c).await, "/check");
    let region = c.find(Locator::Id("region")).await.unwrap();
    region.select_by_value("510703000000").await.unwrap();
    let area = c.find(Locator::Id("area")).await.unwrap();
    area.select_by_value("urban").await.unwrap();
    type_into(&c, "#savings", "200000").await;
    type_into(&c, "#houses", "1").await;
    type_into(&c, "#vehicles", "0").await;
    type_into(&c, "#m0_age", "85").await;
    let sex = c.find(Locator::Id("m0_sex")).await.unwrap();
    sex.select_by_value("F").await.unwrap();
    type_into(&c, "#m0_income", "3000").await;
    let employment = c.find(Locator::Id("m0_employment")).await.unwrap();
    employment.select_by_value("retired").await.unwrap();
    let supporter = c
        .find(Locator::Css("input[name='m0_capable_supporter']"))
        .await
        .unwrap();
    supporter.click().await.unwrap();
    assert!(supporter.is_selected().await.unwrap());
    click(
        &c,
        Locator::Css("form[action='/check'] button[type='submit']"),
    )
    .await;

    // The answer: the old-age allowance, 50.00 yuan a month, open, with where to apply.
    let answer = wait(&c, Locator::Id("answer")).await;
    assert!(answer.text().await.unwrap().starts_with("估算结果"));
    let text = text_of(
        &c,
        Locator::XPath("//section//details[summary/strong[contains(., '高龄')]]"),
    )
    .await;
    assert!(
        text.contains("可能符合") && text.contains("50.00") && text.contains("在哪里申请"),
        "{text}"
    );
    // The form comes back filled in, for another try.
    let age = c.find(Locator::Id("m0_age")).await.unwrap();
    assert_eq!(age.prop("value").await.unwrap().as_deref(), Some("85"));

    // A bad age: the message stands next to the field, and there is no answer.
    type_into(&c, "#m0_age", "abc").await;
    click(
        &c,
        Locator::Css("form[action='/check'] button[type='submit']"),
    )
    .await;
    let message = wait(&c, Locator::Id("m0_age-error")).await;
    let m = message.text().await.unwrap();
    assert!(
        m.contains("成员 1 的年龄（周岁）") && m.contains("abc"),
        "{m}"
    );
    let next_to_field = c
        .find(Locator::XPath(
            "//input[@id='m0_age']/following-sibling::*[1]",
        ))
        .await
        .unwrap();
    assert_eq!(
        next_to_field.attr("id").await.unwrap().as_deref(),
        Some("m0_age-error")
    );
    assert!(c.find_all(Locator::Id("answer")).await.unwrap().is_empty());

    c.close().await.unwrap();
}

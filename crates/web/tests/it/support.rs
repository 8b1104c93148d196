//! The application over a fresh copy of the shared registry fixture (`tests/common`) and
//! a small client for the router: cookies, forms, and the CSRF tokens pages carry.

use crate::common::Registry;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use std::net::SocketAddr;
use tower::ServiceExt;

pub use crate::common::PASSWORD;

/// A fresh copy of the shared registry fixture and the application over it.
pub struct App {
    pub registry: Registry,
    pub db: String,
    pub router: Router,
}

impl App {
    pub fn new() -> App {
        let registry = Registry::new();
        let router = minsheng_web::router(registry.state());
        App {
            db: registry.db.clone(),
            registry,
            router,
        }
    }

    pub fn store(&self) -> Box<dyn minsheng_store::Store> {
        minsheng_app::registry::open(&self.db).unwrap()
    }

    /// Sends a request from 127.0.0.1 (or `from`).
    pub async fn send(&self, req: Request<Body>) -> Resp {
        self.send_from(req, "127.0.0.1:50000").await
    }

    pub async fn send_from(&self, mut req: Request<Body>, from: &str) -> Resp {
        let addr: SocketAddr = from.parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
            .await
            .unwrap();
        Resp {
            status,
            cookies: headers
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect(),
            location: headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            content_type: headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
            headers: headers
                .iter()
                .map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or("")))
                .collect(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: &str) -> Resp {
        let req = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Resp {
        self.send(post_request(path, cookie, form)).await
    }

    /// Signs in through the login form; the session cookie ("ms_session=…") and the
    /// session's CSRF token (read from the dashboard's sign-out form).
    pub async fn login(&self, username: &str) -> Session {
        let (cookie, status) = self.try_login(username, PASSWORD, "127.0.0.1:50000").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login of {username}");
        let cookie = cookie.expect("a session cookie");
        let page = self.get("/", &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let csrf = page.csrf().expect("the dashboard has a CSRF token");
        Session { cookie, csrf }
    }

    /// One login attempt from `from`: the session cookie if one was set, and the status.
    pub async fn try_login(
        &self,
        username: &str,
        password: &str,
        from: &str,
    ) -> (Option<String>, StatusCode) {
        let form = self
            .send_from(Request::get("/login").body(Body::empty()).unwrap(), from)
            .await;
        let form_cookie = form.cookie("ms_form_csrf").expect("a form cookie");
        let token = form.csrf().expect("a form token");
        let res = self
            .send_from(
                post_request(
                    "/login",
                    &form_cookie,
                    &[
                        ("csrf", &token),
                        ("username", username),
                        ("password", password),
                    ],
                ),
                from,
            )
            .await;
        (res.cookie("ms_session"), res.status)
    }
}

pub fn post_request(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A signed-in browser.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub location: Option<String>,
    pub content_type: String,
    /// Every header as "name: value" lines.
    pub headers: String,
    pub body: String,
}

impl Resp {
    /// "name=value" of a Set-Cookie with that name and a non-empty value.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find_map(|c| {
            let pair = c.split(';').next()?;
            let (n, v) = pair.split_once('=')?;
            (n == name && !v.is_empty()).then(|| pair.to_owned())
        })
    }

    /// The value of the first hidden `csrf` input.
    pub fn csrf(&self) -> Option<String> {
        let at = self.body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
        let end = self.body[at..].find('"')?;
        Some(self.body[at..at + end].to_owned())
    }
}

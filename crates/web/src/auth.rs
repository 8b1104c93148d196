//! Signing in and out, sessions and CSRF.
//!
//! - A session is a random token in an `HttpOnly`, `SameSite=Strict` (and by default
//!   `Secure`) cookie; the store keeps only its hash, with an absolute expiry
//!   (`minsheng_app::accounts::SESSION_TTL`). The API also takes `Authorization: Bearer`
//!   tokens issued to a user.
//! - Every form carries the session's CSRF token and every POST handler checks it
//!   ([`Viewer::check_csrf`]); the login form, before there is a session, uses a
//!   double-submit cookie.
//! - Repeated failures lock the account (`minsheng_app::accounts::authenticate`), and a
//!   source address with too many failures is slowed down here ([`Throttle`]).

use crate::error::WebError;
use crate::i18n::{Lang, safe_local};
use crate::layout;
use crate::state::{Shared, with_store};
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use maud::html;
use minsheng_app::access::Scope;
use minsheng_app::accounts::{self, LoginError, Origin};
use minsheng_model::access::User;
use serde::Deserialize;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "ms_session";
const FORM_CSRF_COOKIE: &str = "ms_form_csrf";

/// The signed-in user of a request, with their jurisdiction.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user: User,
    pub scope: Scope,
    /// The session's CSRF token (empty for bearer-token requests, which have no forms).
    pub csrf: String,
    /// Where the request came from, for the audit log.
    pub source: String,
}

impl Viewer {
    pub fn origin(&self) -> Origin {
        Origin {
            actor: self.user.username.clone(),
            source: self.source.clone(),
            at: Utc::now(),
        }
    }

    /// Refuses a form whose token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if self.csrf.is_empty() || !constant_time_eq(self.csrf.as_bytes(), token.as_bytes()) {
            return Err(WebError::Csrf);
        }
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client address (the connection's peer).
pub fn source_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

impl FromRequestParts<Shared> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, WebError> {
        // Under `nest("/api", …)` the request's URI has lost its prefix; the original has it.
        let uri = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |o| o.0.clone());
        let api = uri.path().starts_with("/api/");
        let next = uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
        let sign_in = || WebError::SignIn {
            next: next.clone(),
            api,
        };
        let source = source_of(parts);
        let cookie = CookieJar::from_headers(&parts.headers)
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_owned());
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        let found = match (cookie, bearer) {
            (Some(token), _) => {
                with_store(state, move |s, _| {
                    Ok(accounts::session_user(s, &token, Utc::now())?
                        .map(|(user, session)| (user, session.csrf_token)))
                })
                .await?
            }
            (None, Some(token)) if api => {
                with_store(state, move |s, _| {
                    Ok(accounts::token_user(s, &token, Utc::now())?.map(|u| (u, String::new())))
                })
                .await?
            }
            _ => None,
        };
        let (user, csrf) = found.ok_or_else(sign_in)?;
        if user.disabled {
            return Err(sign_in());
        }
        Ok(Viewer {
            scope: Scope::of(&user),
            user,
            csrf,
            source,
        })
    }
}

/// Failed logins per source address, to slow down guessing across many accounts.
#[derive(Default)]
pub struct Throttle {
    failures: std::sync::Mutex<std::collections::HashMap<String, (u32, chrono::DateTime<Utc>)>>,
}

/// Failures from one address within [`THROTTLE_WINDOW`] after which it must wait.
pub const THROTTLE_LIMIT: u32 = 20;
pub const THROTTLE_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

impl Throttle {
    fn blocked(&self, source: &str) -> bool {
        let now = Utc::now();
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.get(source)
            .is_some_and(|(n, since)| *n >= THROTTLE_LIMIT && now - *since < THROTTLE_WINDOW)
    }

    fn failed(&self, source: &str) {
        let now = Utc::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let e = map.entry(source.to_owned()).or_insert((0, now));
        if now - e.1 >= THROTTLE_WINDOW {
            *e = (0, now);
        }
        e.0 += 1;
    }

    fn succeeded(&self, source: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(source);
    }
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

fn cookie<'c>(name: &'c str, value: String, secure: bool) -> Cookie<'c> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build()
}

fn login_form(
    lang: Lang,
    csrf: &str,
    next: &str,
    username: &str,
    message: Option<&str>,
) -> maud::Markup {
    layout::bare(
        lang,
        lang.t("登录", "Sign in"),
        html! {
            h1 { "民生 · " (lang.t("登录", "Sign in")) }
            @if let Some(m) = message {
                p.error role="alert" id="login-error" { (m) }
            }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label for="username" { (lang.t("用户名", "Username")) }
                input id="username" name="username" autocomplete="username" required value=(username)
                    aria-describedby=[message.map(|_| "login-error")];
                label for="password" { (lang.t("密码", "Password")) }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                button type="submit" { (lang.t("登录", "Sign in")) }
            }
            p { a href="/check" { (lang.t("居民自助查询：我可能享受哪些救助？", "Residents: what may I be entitled to?")) } }
        },
    )
}

/// A CSRF token for a form shown before there is a session (login, the public
/// self-check): set as a cookie and echoed by the form (double submit).
pub fn form_token(jar: CookieJar, secure: bool) -> Result<(CookieJar, String), WebError> {
    if let Some(t) = jar.get(FORM_CSRF_COOKIE).map(|c| c.value().to_owned())
        && t.len() == 64
    {
        return Ok((jar, t));
    }
    let t = accounts::random_token()?;
    Ok((jar.add(cookie(FORM_CSRF_COOKIE, t.clone(), secure)), t))
}

/// Refuses a form whose token does not match its cookie.
pub fn check_form_token(jar: &CookieJar, token: &str) -> Result<(), WebError> {
    match jar.get(FORM_CSRF_COOKIE).map(|c| c.value()) {
        Some(e) if !e.is_empty() && constant_time_eq(e.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(WebError::Csrf),
    }
}

/// `GET /login`.
pub async fn login_page(
    State(state): State<Shared>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::of(&headers);
    let (jar, csrf) = form_token(jar, state.secure_cookies)?;
    Ok((jar, login_form(lang, &csrf, &safe_local(&q.next), "", None)).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    username: String,
    password: String,
}

/// `POST /login`.
pub async fn login(
    State(state): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = Lang::of(&headers);
    if let Err(e) = check_form_token(&jar, &f.csrf) {
        return e.into_response();
    }
    let source = peer.ip().to_string();
    let throttle = &state.throttle;
    if throttle.blocked(&source) {
        let m = lang.t(
            "此地址登录失败次数过多，请 15 分钟后再试。",
            "Too many failed sign-ins from this address; try again in 15 minutes.",
        );
        return (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            login_form(lang, &f.csrf, &safe_local(&f.next), &f.username, Some(m)),
        )
            .into_response();
    }
    let (username, password, src) = (f.username.clone(), f.password.clone(), source.clone());
    let outcome = with_store(&state, move |s, _| {
        match accounts::authenticate(s, &username, &password, &src, Utc::now()) {
            Ok(user) => {
                // Expired sessions are swept whenever someone signs in.
                s.delete_expired_sessions(&minsheng_model::audit::timestamp(Utc::now()))?;
                let (token, _csrf) =
                    accounts::new_session(s, &user, &src, Utc::now(), accounts::SESSION_TTL)?;
                Ok(Ok(token))
            }
            Err(LoginError::Store(e)) => Err(WebError::from(e)),
            Err(e) => Ok(Err(e)),
        }
    })
    .await;
    match outcome {
        Ok(Ok(token)) => {
            throttle.succeeded(&source);
            let jar = jar.add(cookie(SESSION_COOKIE, token, state.secure_cookies));
            (jar, Redirect::to(&safe_local(&f.next))).into_response()
        }
        Ok(Err(e)) => {
            throttle.failed(&source);
            let message = match (&e, lang) {
                (LoginError::Locked { until }, Lang::En) => {
                    format!("Account locked until {until} after repeated failures.")
                }
                (LoginError::Locked { until }, Lang::Zh) => {
                    format!("连续登录失败次数过多，账户已锁定至 {until}。")
                }
                (_, lang) => lang
                    .t("用户名或密码错误。", "Wrong username or password.")
                    .to_owned(),
            };
            (
                axum::http::StatusCode::UNAUTHORIZED,
                login_form(
                    lang,
                    &f.csrf,
                    &safe_local(&f.next),
                    &f.username,
                    Some(&message),
                ),
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// `POST /logout`: ends the session (CSRF-checked, so another site cannot sign you out).
pub async fn logout(
    State(state): State<Shared>,
    viewer: Viewer,
    jar: CookieJar,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&f.csrf)?;
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        let origin = viewer.origin();
        with_store(&state, move |s, _| {
            s.delete_session(&accounts::token_hash(&token))?;
            accounts::record(s, &origin, "logout", &origin.actor, "")?;
            Ok(())
        })
        .await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

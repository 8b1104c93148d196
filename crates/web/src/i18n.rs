//! Chinese first, English second: the viewer's language comes from the `lang` cookie
//! (default Chinese) and every piece of text is written as a pair at its point of use.

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language of a request.
    pub fn of(headers: &HeaderMap) -> Lang {
        match CookieJar::from_headers(headers)
            .get("lang")
            .map(|c| c.value())
        {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// `zh` or `en`.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

#[derive(Deserialize)]
pub struct Switch {
    to: String,
    #[serde(default)]
    back: String,
}

/// `GET /lang?to=en&back=/search`: remembers the choice and goes back.
pub async fn switch(jar: CookieJar, Query(q): Query<Switch>) -> impl IntoResponse {
    let value = if q.to == "en" { "en" } else { "zh" };
    let cookie = Cookie::build(("lang", value))
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .build();
    (jar.add(cookie), Redirect::to(&safe_local(&q.back)))
}

/// `next`/`back` targets: only paths of this site, never another host.
pub fn safe_local(path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_local("/households/H1"), "/households/H1");
        assert_eq!(safe_local("//evil.example/x"), "/");
        assert_eq!(safe_local("https://evil.example"), "/");
        assert_eq!(safe_local("/\\evil"), "/");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            url_encode("/search?q=张 三"),
            "/search%3Fq%3D%E5%BC%A0%20%E4%B8%89"
        );
    }
}

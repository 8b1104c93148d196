//! The page frame: skip link, navigation by role, the language switch, the signed-in user
//! and the sign-out form (CSRF-protected); and the one stylesheet.

use crate::auth::Viewer;
use crate::i18n::Lang;
use axum::http::header;
use axum::response::IntoResponse;
use maud::{DOCTYPE, Markup, html};
use minsheng_model::access::Role;

const CSS: &str = include_str!("../static/app.css");

/// `GET /static/app.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

fn head(lang: Lang, title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · 民生 minsheng" }
            link rel="stylesheet" href="/static/app.css";
            meta name="color-scheme" content="light";
            @if lang == Lang::En { meta name="description" content="minsheng social assistance"; }
        }
    }
}

fn lang_switch(lang: Lang, here: &str) -> Markup {
    let back = crate::i18n::url_encode(here);
    html! {
        @match lang {
            Lang::Zh => a href={ "/lang?to=en&back=" (back) } lang="en" { "English" },
            Lang::En => a href={ "/lang?to=zh&back=" (back) } lang="zh-CN" { "中文" },
        }
    }
}

/// A page for a signed-in user.
pub fn page(lang: Lang, viewer: &Viewer, here: &str, title: &str, body: Markup) -> Markup {
    let role = viewer.user.role;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(lang, title))
            body {
                a.skip href="#main" { (lang.t("跳到正文", "Skip to content")) }
                header.top {
                    a.brand href="/" { "民生" }
                    nav aria-label=(lang.t("主导航", "Main")) {
                        ul {
                            li { a href="/" { (lang.t("工作台", "Dashboard")) } }
                            li { a href="/search" { (lang.t("查找家庭", "Find a household")) } }
                            li { a href="/regions" { (lang.t("区划", "Regions")) } }
                            li { a href="/policy" { (lang.t("政策参数", "Policy")) } }
                            @if role.may_read_audit() {
                                li { a href="/audit" { (lang.t("审计日志", "Audit log")) } }
                            }
                            li { a href="/check" { (lang.t("服务找人", "Self-check")) } }
                        }
                    }
                    div.who {
                        span { (viewer.user.display_name) "（" (role_label(lang, role)) "）" }
                        (lang_switch(lang, here))
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(viewer.csrf);
                            button.link type="submit" { (lang.t("退出", "Sign out")) }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page without the signed-in frame (login, errors, the public self-check).
pub fn bare(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(lang, title))
            body {
                a.skip href="#main" { (lang.t("跳到正文", "Skip to content")) }
                header.top {
                    a.brand href="/" { "民生" }
                    div.who { (lang_switch(lang, "/check")) }
                }
                main id="main" tabindex="-1" { (body) }
            }
        }
    }
}

pub fn role_label(lang: Lang, role: Role) -> &'static str {
    match lang {
        Lang::Zh => role.label(),
        Lang::En => match role {
            Role::Community => "community worker",
            Role::Street => "street-office reviewer",
            Role::County => "county approver",
            Role::Planner => "planner",
            Role::Auditor => "auditor",
            Role::Admin => "administrator",
        },
    }
}

/// Yuan with two decimals and thousands separators, from fen.
pub fn yuan(f: minsheng_model::Fen) -> String {
    let s = f.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use minsheng_model::Fen;

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(Fen(123_456_789)), "1,234,567.89");
        assert_eq!(yuan(Fen(5)), "0.05");
        assert_eq!(yuan(Fen(-100_000)), "-1,000.00");
    }
}

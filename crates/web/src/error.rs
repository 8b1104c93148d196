//! Errors of a request and how they look: a page in the viewer's language (or JSON under
//! `/api/`). A household outside the jurisdiction and a missing one are the same 404.

use crate::i18n::Lang;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};

/// Why a request was not answered with its page.
#[derive(Debug)]
pub enum WebError {
    /// Not found — or not in the viewer's jurisdiction, which must look the same.
    NotFound,
    /// Signed in, but the role may not do this.
    Forbidden,
    /// Not signed in: pages redirect to the login page, the API answers 401.
    SignIn { next: String, api: bool },
    /// A form without a valid CSRF token.
    Csrf,
    /// Bad input, said in words a person can act on.
    BadRequest(String),
    /// Something broke on our side (logged; the message names what).
    Internal(String),
}

impl WebError {
    pub fn internal(e: impl std::fmt::Display) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl From<minsheng_app::error::AppError> for WebError {
    fn from(e: minsheng_app::error::AppError) -> Self {
        WebError::internal(e)
    }
}

impl From<minsheng_store::StoreError> for WebError {
    fn from(e: minsheng_store::StoreError) -> Self {
        WebError::internal(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, zh, en) = match &self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "找不到该页面或记录，或不在您的辖区内。".to_owned(),
                "Not found, or not in your jurisdiction.".to_owned(),
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "您的角色无权进行此操作。".to_owned(),
                "Your role may not do this.".to_owned(),
            ),
            WebError::SignIn { next, api: false } => {
                let to = format!("/login?next={}", crate::i18n::url_encode(next));
                return Redirect::to(&to).into_response();
            }
            WebError::SignIn { api: true, .. } => (
                StatusCode::UNAUTHORIZED,
                "请先登录，或提供有效的访问令牌。".to_owned(),
                "Sign in, or send a valid bearer token.".to_owned(),
            ),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "表单已过期或来源不明（缺少有效的 CSRF 令牌），请返回重新提交。".to_owned(),
                "The form has expired or did not come from this site (missing CSRF token)."
                    .to_owned(),
            ),
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone(), String::new()),
            WebError::Internal(m) => {
                eprintln!("minsheng serve: internal error: {m}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("服务器出错：{m}"),
                    "Server error.".to_owned(),
                )
            }
        };
        let body = crate::layout::bare(
            Lang::Zh,
            status.canonical_reason().unwrap_or("error"),
            maud::html! {
                h1 { (status.as_u16()) }
                p { (zh) }
                @if !en.is_empty() { p lang="en" { (en) } }
                p { a href="/" { "返回工作台 / Back to the dashboard" } }
            },
        );
        (status, body).into_response()
    }
}

/// The fallback route.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"error": "not_found"})),
        )
            .into_response();
    }
    WebError::NotFound.into_response()
}

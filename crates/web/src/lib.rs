//! The web application: caseworkers' pages, the public self-check 服务找人 at `/check`,
//! and the JSON API under `/api/`, served by `minsheng serve` (axum on tokio).
//!
//! Pages are rendered on the server (maud), Chinese first with an English switch, usable
//! without JavaScript. Every request that reads personal data goes through one extractor
//! ([`auth::Viewer`]: a session cookie or a bearer token) and one jurisdiction check
//! (`minsheng_app::access::Scope`); a household outside the viewer's region subtree is
//! answered exactly like a household that does not exist (404), and the attempt is
//! audited. The store is synchronous; handlers run it on tokio's blocking pool through
//! [`state::with_store`].

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod i18n;
pub mod layout;
pub mod pages;
pub mod state;

use axum::Router;
use axum::routing::{get, post};
use state::Shared;
use std::net::SocketAddr;

/// Every route of the application.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(pages::dashboard::page))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", get(i18n::switch))
        .route("/search", get(pages::search::page))
        .route("/households/{id}", get(pages::household::page))
        .route("/households/{id}/reveal", post(pages::household::reveal))
        .route("/households/{id}/export.csv", get(pages::household::export))
        .route("/regions", get(pages::regions::root))
        .route("/regions/{code}", get(pages::regions::page))
        .route("/regions/{code}/results.csv", get(pages::regions::export))
        .route("/policy", get(pages::policy::page))
        .route("/audit", get(pages::audit::page))
        .route("/check", get(pages::check::form).post(pages::check::submit))
        .route("/static/app.css", get(layout::stylesheet))
        .nest("/api", api::router())
        .fallback(error::not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers every answer carries: no framing (clickjacking), no type sniffing, resources
/// only from this site (no inline script is ever needed), no referrer to other sites,
/// and personal pages never cached.
async fn security_headers(mut res: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let h = res.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Serves `router` on `addr` until Ctrl-C.
pub async fn serve(state: Shared, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves `router` on a bound `listener` until `shutdown` completes, then finishes the
/// requests in flight. Tests bind `127.0.0.1:0`, read the port, and stop the server.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Shared,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

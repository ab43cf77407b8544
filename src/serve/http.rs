//! The HTTP side of `marrow serve` (axum): the built site from memory, the
//! live-reload script and its Server-Sent Events channel.
//!
//! Only files of the current build can be served: request paths are decoded
//! and checked, then looked up in the in-memory file map, so `..`, encoded
//! slashes or absolute paths can never reach the disk. HTML responses get
//! the live-reload script (and the error overlay while a change has errors)
//! added on the way out; the build output itself never contains them.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::pages::SharedBuild;
use crate::output::Files;

/// Path of the live-reload script.
pub(crate) const LIVE_JS_PATH: &str = "/__marrow/live.js";
/// Path of the event stream the script listens to.
pub(crate) const EVENTS_PATH: &str = "/__marrow/events";
/// Path of the error overlay's stylesheet.
pub(crate) const LIVE_CSS_PATH: &str = "/__marrow/live.css";

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

/// Sent with every response. The default theme, the search and the live
/// reload all work under it: scripts and styles only from the site itself,
/// no inline code, no plugins, no framing. (JSON-LD is data, not script.)
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

/// What the browser is told.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Reload if showing one of these URL paths (`*`: any).
    Reload(Vec<String>),
    /// Swap stylesheets.
    Styles,
    /// The current errors as terminal text (empty: none).
    Errors(String),
    /// The server is stopping: end the stream.
    Shutdown,
}

/// What is being served right now.
#[derive(Default)]
pub struct Snapshot {
    /// The last good build's files besides its pages (empty before the
    /// first one succeeds).
    pub files: Arc<Files>,
    /// Its pages, rendered when asked for.
    pub(crate) pages: SharedBuild,
    /// Errors of the latest change, as printed in the terminal.
    pub errors: String,
}

impl Snapshot {
    /// Serves `files` alone, with no pages to render and no errors.
    pub fn of_files(files: Arc<Files>) -> Snapshot {
        Snapshot {
            files,
            ..Snapshot::default()
        }
    }
}

/// State shared by the request handlers and the rebuild loop.
pub struct Shared {
    /// The files and errors served now.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Reload and error messages for open pages.
    pub events: broadcast::Sender<LiveEvent>,
}

impl Shared {
    /// Nothing served yet.
    pub fn new() -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            events,
        })
    }

    /// The snapshot to answer one request from: a request never sees half
    /// of one build and half of another.
    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Serves `snapshot` from now on.
    pub fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(snapshot);
    }

    /// Sends an event to every connected browser (none connected is fine).
    pub fn notify(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }
}

/// The router: the reload script, its event stream, and the site.
pub fn router(shared: Arc<Shared>, hosts: AllowedHosts) -> Router {
    Router::new()
        .route(LIVE_JS_PATH, get(live_js))
        .route(LIVE_CSS_PATH, get(live_css))
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .layer(axum::middleware::from_fn(move |request, next| {
            let hosts = hosts.clone();
            async move { guard(hosts, request, next).await }
        }))
        .with_state(shared)
}

/// Which `Host` headers the server answers.
#[derive(Debug, Clone)]
pub enum AllowedHosts {
    /// Bound to loopback: only `localhost`, `127.0.0.1` and `[::1]` (with
    /// any port). A web page elsewhere that points its own name at
    /// 127.0.0.1 (DNS rebinding) gets nothing, not drafts, not the event
    /// stream.
    Loopback,
    /// Bound to another address on purpose (`--bind`): any name.
    Any,
}

impl AllowedHosts {
    /// Whether a request with this `Host` header may be answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        match self {
            AllowedHosts::Any => true,
            AllowedHosts::Loopback => host.is_some_and(|h| {
                let name = match h.strip_prefix('[') {
                    Some(v6) => v6.split(']').next().unwrap_or(""),
                    None => h.rsplit_once(':').map_or(h, |(name, _)| name),
                };
                matches!(
                    name.to_ascii_lowercase().as_str(),
                    "localhost" | "127.0.0.1" | "::1"
                )
            }),
        }
    }
}

/// Refuses unexpected `Host` headers, and adds the security headers to
/// every response.
async fn guard(
    hosts: AllowedHosts,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let mut response = if hosts.allows(host) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "marrow serve answers only to localhost, 127.0.0.1 and [::1].\n",
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn live_js() -> Response {
    static_response("text/javascript; charset=utf-8", LIVE_JS)
}

async fn live_css() -> Response {
    static_response("text/css; charset=utf-8", LIVE_CSS)
}

fn static_response(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state so no change falls in between.
    let receiver = shared.events.subscribe();
    let first = LiveEvent::Errors(shared.current().errors.clone());
    let stream = tokio_stream::once(first)
        .chain(BroadcastStream::new(receiver).filter_map(Result::ok))
        .take_while(|e| !matches!(e, LiveEvent::Shutdown))
        .map(|e| Ok(to_sse(&e)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_sse(e: &LiveEvent) -> Event {
    match e {
        LiveEvent::Reload(paths) => Event::default()
            .event("reload")
            .data(serde_json::json!({ "paths": paths }).to_string()),
        LiveEvent::Styles => Event::default().event("css").data("{}"),
        LiveEvent::Errors(text) => Event::default()
            .event("errors")
            .data(serde_json::json!({ "text": text }).to_string()),
        LiveEvent::Shutdown => Event::default().event("shutdown").data("{}"),
    }
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "",
        )
            .into_response();
    }
    let snapshot = shared.current();
    let Some(rel) = request_path(uri.path()) else {
        return not_found(&snapshot);
    };
    let lookup = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(bytes) = snapshot.files.get(&lookup) {
        return file_response(StatusCode::OK, &lookup, bytes, &snapshot);
    }
    match snapshot.pages.page_file(&lookup) {
        Some(Ok(bytes)) => return file_response(StatusCode::OK, &lookup, &bytes, &snapshot),
        Some(Err(error)) => return page_error(&error, &snapshot),
        None => {}
    }
    // `/process` → `/process/` when that is a page, as web servers do.
    let folder = format!("{rel}/index.html");
    if !rel.is_empty()
        && !rel.ends_with('/')
        && (snapshot.files.contains_key(&folder) || snapshot.pages.has_page_file(&folder))
    {
        let location = format!("{}/", uri.path());
        if let Ok(value) = HeaderValue::from_str(&location) {
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, value)],
                "",
            )
                .into_response();
        }
    }
    not_found(&snapshot)
}

/// Decodes a request path into a key of the file map, or `None` when it is
/// not a plain path below the site root (`..`, `.`, empty segments from
/// encoded or doubled slashes, backslashes, NUL, invalid UTF-8).
pub(crate) fn request_path(raw: &str) -> Option<String> {
    let path = raw.strip_prefix('/')?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    if decoded.is_empty() {
        return Some(String::new());
    }
    let trailing = decoded.ends_with('/');
    let body = decoded.strip_suffix('/').unwrap_or(&decoded);
    for segment in body.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." || segment.contains(':') {
            return None;
        }
    }
    Some(if trailing {
        format!("{body}/")
    } else {
        body.to_string()
    })
}

/// A page whose template failed: the error, where the page would be (the
/// overlay lists it with the site's other errors).
fn page_error(error: &crate::diagnostics::Diagnostic, snapshot: &Snapshot) -> Response {
    let text = crate::html::escape(&error.to_string());
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>marrow: this page has an error</title></head><body><h1>This page could not be rendered</h1><pre>{text}</pre></body></html>"
    );
    file_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "index.html",
        html.as_bytes(),
        snapshot,
    )
}

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.files.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes, snapshot),
        None => {
            // Nothing built yet (the first build failed): show the errors.
            let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>marrow</title></head><body><h1>No page here yet</h1></body></html>";
            file_response(
                StatusCode::NOT_FOUND,
                "index.html",
                html.as_bytes(),
                snapshot,
            )
        }
    }
}

fn file_response(status: StatusCode, path: &str, bytes: &[u8], snapshot: &Snapshot) -> Response {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        Body::from(inject(bytes, &snapshot.errors))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The content type of a served file.
pub(crate) fn content_type(path: &str) -> String {
    let guess = mime_guess::from_path(path).first_or_octet_stream();
    match guess.type_() {
        mime_guess::mime::TEXT => format!("{guess}; charset=utf-8"),
        _ if guess.subtype() == "javascript" || guess.subtype() == "json" => {
            format!("{guess}; charset=utf-8")
        }
        _ => guess.to_string(),
    }
}

/// Adds the live-reload script, and the error overlay when there are
/// errors, before `</body>`.
fn inject(html: &[u8], errors: &str) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    extra.push_str(&format!(
        "<link rel=\"stylesheet\" href=\"{LIVE_CSS_PATH}\">\n<script src=\"{LIVE_JS_PATH}\"></script>\n"
    ));
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The error overlay, styled by `live.css` so it does not depend on the
/// theme. `live.js` builds the same markup for errors that arrive later.
pub(crate) fn overlay(errors: &str) -> String {
    let escaped = crate::html::escape(errors);
    format!(
        "<div id=\"marrow-overlay\" role=\"alert\"><div class=\"marrow-overlay-box\">\
<p class=\"marrow-overlay-title\">marrow: the latest change has errors. You are seeing the last good build.</p>\
<pre>{escaped}</pre>\
<button type=\"button\" data-marrow-close>Close</button></div></div>\n"
    )
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_only() {
        let l = AllowedHosts::Loopback;
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:8",
            "[::1]:1111",
            "[::1]",
            "LocalHost",
        ] {
            assert!(l.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "127.0.0.1.evil.example:1",
            "localhost.evil",
            "[::2]:1",
            "",
        ] {
            assert!(!l.allows(Some(bad)), "{bad}");
        }
        assert!(!l.allows(None));
        assert!(AllowedHosts::Any.allows(Some("my-laptop.local:1111")));
    }

    #[test]
    fn request_paths() {
        assert_eq!(request_path("/").as_deref(), Some(""));
        assert_eq!(request_path("/process/").as_deref(), Some("process/"));
        assert_eq!(request_path("/a/b.css").as_deref(), Some("a/b.css"));
        assert_eq!(
            request_path("/%E6%8C%87%E5%8D%97/").as_deref(),
            Some("指南/")
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2f..%2fetc/passwd",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/a/%00",
            "/%ff",
            "/C:/windows",
            "relative",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a.css"), "text/css; charset=utf-8");
        assert!(content_type("a.js").contains("javascript"));
        assert_eq!(content_type("a.svg"), "image/svg+xml");
        assert_eq!(content_type("a.wasm"), "application/wasm");
        assert_eq!(content_type("a.woff2"), "font/woff2");
    }

    #[test]
    fn injection_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", "")).unwrap();
        assert!(out.ends_with(&format!(
            "<script src=\"{LIVE_JS_PATH}\"></script>\n</body></html>"
        )));
        let out = String::from_utf8(inject(b"<p>x</p>", "error: <bad>")).unwrap();
        assert!(out.contains("marrow-overlay") && out.contains("error: &lt;bad&gt;"));
    }
}

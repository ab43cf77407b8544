//! `marrow serve` over real sockets: live reload, error overlay, pages
//! created/renamed/deleted while serving, path safety (and the path guard
//! through the real router, in this process), content types, `HEAD`,
//! ports, `--bind 0.0.0.0` and shutdown; and a headless Chromium that sees
//! an edit without being told to reload.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::browser::Browser;
use common::copy_fixture;
use common::server::{Server, request, request_to};
use marrow::harness::internals::Files;
use marrow::harness::internals::{AllowedHosts, Shared, Snapshot, router};
use serde_json::json;

const SOON: Duration = Duration::from_secs(10);

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let old = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, old + text).unwrap();
}

#[test]
fn editing_a_page_sends_a_reload_and_serves_the_new_text() {
    let (_tmp, root) = copy_fixture("basic");
    write(&root, "static/site.css", "body { color: black; }\n");
    let server = Server::start(&root, &[]);
    let events = server.connected_events();

    append(
        &root,
        "content/process/conditioning.md",
        "\nFreshly edited sentence.\n",
    );
    let reload = events.expect("reload", SOON);
    assert_eq!(
        reload.data, r#"{"paths":["/process/conditioning/"]}"#,
        "only the edited page"
    );
    let page = server.get("/process/conditioning/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Freshly edited sentence."));
    assert!(
        page.body.contains("/__marrow/live.js"),
        "live reload script injected"
    );

    // A new title shows in other pages' navigation: everything reloads.
    let text = std::fs::read_to_string(root.join("content/process/conditioning.md")).unwrap();
    write(
        &root,
        "content/process/conditioning.md",
        &text.replace("title: Conditioning", "title: Conditioning treatment"),
    );
    let reload = events.expect("reload", SOON);
    assert_eq!(reload.data, r#"{"paths":["*"]}"#);
    let other = server.get("/process/deeper/engraftment/");
    assert!(
        other.body.contains("Conditioning treatment"),
        "nav of another page updated"
    );

    // A stylesheet change swaps styles without a reload.
    write(&root, "static/site.css", "body { color: #111; }\n");
    events.expect("css", SOON);
    assert!(server.get("/site.css").body.contains("#111"));
}

#[test]
fn errors_show_an_overlay_and_keep_the_last_good_site() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    let events = server.connected_events();
    let good = std::fs::read_to_string(root.join("content/process/conditioning.md")).unwrap();

    write(
        &root,
        "content/process/conditioning.md",
        &good.replace("title: Conditioning", "titel: Conditioning"),
    );
    let errors = events.expect("errors", SOON);
    assert!(
        errors.data.contains("content/process/conditioning.md:2:1"),
        "{}",
        errors.data
    );
    assert!(
        errors.data.contains("did you mean `title`?"),
        "{}",
        errors.data
    );
    let page = server.get("/process/conditioning/");
    assert_eq!(page.status, 200, "last good build still served");
    assert!(page.body.contains("marrow-overlay"), "overlay served");
    assert!(page.body.contains("content/process/conditioning.md:2:1"));
    assert!(page.body.contains("Intensity"), "last good content");
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/process/deeper/engraftment/").status, 200);

    // A broken link in another page is reported too, with its line.
    append(
        &root,
        "content/process/deeper/engraftment.md",
        "\n[gone](nowhere.md)\n",
    );
    let errors = events.expect("errors", SOON);
    assert!(
        errors
            .data
            .contains("content/process/deeper/engraftment.md"),
        "{}",
        errors.data
    );

    // A template error is reported with the template's file and line.
    write(
        &root,
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | nope }}\n{% endblock content %}\n",
    );
    let errors = events.expect("errors", SOON);
    assert!(
        errors.data.contains("templates/page.html:3:"),
        "{}",
        errors.data
    );
    std::fs::remove_file(root.join("templates/page.html")).unwrap();

    // Fixing everything clears the overlay.
    write(&root, "content/process/conditioning.md", &good);
    let text = std::fs::read_to_string(root.join("content/process/deeper/engraftment.md")).unwrap();
    write(
        &root,
        "content/process/deeper/engraftment.md",
        &text.replace("[gone](nowhere.md)", ""),
    );
    let deadline = std::time::Instant::now() + SOON;
    loop {
        let e = events.expect("errors", SOON);
        if e.data == r#"{"text":""}"# {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "errors never cleared: {}",
            e.data
        );
    }
    let page = server.wait_for("/process/conditioning/", "Intensity");
    assert!(!page.body.contains("marrow-overlay"), "overlay gone");
}

#[test]
fn pages_created_renamed_and_deleted_while_serving() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    let events = server.connected_events();

    write(
        &root,
        "content/process/aftercare.md",
        "---\ntitle: Aftercare\n---\nLooking after yourself.\n",
    );
    events.expect("reload", SOON);
    assert_eq!(server.get("/process/aftercare/").status, 200);
    assert!(
        server
            .get("/process/conditioning/")
            .body
            .contains("Aftercare"),
        "new page in the nav"
    );

    std::fs::rename(
        root.join("content/process/aftercare.md"),
        root.join("content/process/home-care.md"),
    )
    .unwrap();
    events.expect("reload", SOON);
    assert_eq!(server.get("/process/aftercare/").status, 404);
    assert_eq!(server.get("/process/home-care/").status, 200);

    // Deleting a page that others link to is an error until the link goes.
    std::fs::remove_file(root.join("content/process/deeper/engraftment.md")).unwrap();
    let errors = events.expect("errors", SOON);
    assert!(errors.data.contains("missing page"), "{}", errors.data);
    assert!(
        errors.data.contains("content/process/conditioning.md:26:5"),
        "{}",
        errors.data
    );
    let text = std::fs::read_to_string(root.join("content/process/conditioning.md")).unwrap();
    write(
        &root,
        "content/process/conditioning.md",
        &text.replace("See [engraftment](deeper/engraftment.md) and", "See"),
    );
    events.expect("reload", SOON);
    assert_eq!(server.get("/process/deeper/engraftment/").status, 404);
    assert!(
        !server
            .get("/process/conditioning/")
            .body
            .contains("Engraftment"),
        "gone from the nav"
    );
}

#[test]
fn only_the_built_site_is_served() {
    let (tmp, root) = copy_fixture("basic");
    std::fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = Server::start(&root, &[]);
    let attempts = [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/process/../../secret.txt",
        "/process/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/%2f%2fetc%2fpasswd",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/process/..%00/index.html",
        "/etc/passwd",
        "/site.yaml",
        "/content/_index.md",
        "/templates/page.html",
        "/./index.html",
        "/process//conditioning/",
        "/files/",
        "/process/conditioning/../../../secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%255csecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/process/%2e/%2e%2e/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/process/..;/..;/secret.txt",
        "/process%00/../secret.txt",
        "/\\../secret.txt",
        "/C:/Windows/win.ini",
        "/~/.bashrc",
        "/.git/config",
        "/output/index.html",
        "/static/",
    ];
    for path in attempts {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path} → {}", r.status);
        assert!(
            !r.body.contains("TOP SECRET") && !r.body.contains("root:"),
            "{path} leaked"
        );
        assert!(
            !r.body.contains("Index of"),
            "{path}: no directory listings"
        );
    }
    // An absolute-form request target is judged by its path only.
    let r = request(
        server.port,
        "GET http://127.0.0.1/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert!(r.status == 404 || r.status == 400, "{}", r.status);
    assert!(!r.body.contains("TOP SECRET"));
    // Missing pages get the themed 404 page with status 404.
    let r = server.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"));
    // A page URL without its slash redirects, like a web server.
    let r = server.get("/process");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/process/"));
    // Only GET and HEAD.
    let r = request(
        server.port,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 405);
}

/// Paths the guard must refuse before any lookup: `..`, `.`, empty
/// segments (doubled or encoded slashes), backslashes, NUL, drive letters,
/// invalid UTF-8, however they are encoded.
const REFUSED: [&str; 27] = [
    "/../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/.%2e/secret.txt",
    "/%2e./secret.txt",
    "/process/..",
    "/process/../",
    "/process/../secret.txt",
    "/process/../../secret.txt",
    "/process/%2e%2e/%2e%2e/secret.txt",
    "/process/%2e/%2e%2e/%2e%2e/secret.txt",
    "/process/conditioning/../../../secret.txt",
    "/./index.html",
    "/process/./",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/\\../secret.txt",
    "//etc/passwd",
    "/%2f%2fetc%2fpasswd",
    "/process//conditioning/",
    "/process/..%00/index.html",
    "/process%00/../secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/C:/Windows/win.ini",
    "/process/c:secret.txt",
];

/// Paths that are harmless decoded once, and traversals decoded twice.
const DOUBLE_ENCODED: [&str; 3] = [
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..%255csecret.txt",
];

const CANARY: &str = "CANARY: this file is reachable only past the path guard";

/// The real router of `marrow serve` (host check, path guard, lookup), in
/// this process on a port of its own, serving `files` from memory.
fn serve_files(files: Files) -> (tokio::runtime::Runtime, u16) {
    let shared = Shared::new();
    shared.publish(Snapshot::of_files(Arc::new(files)));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, router(shared, AllowedHosts::Loopback)).await
    });
    (runtime, port)
}

/// The file-map keys a request for `key` (decoded, without the leading
/// slash) is looked up under: the file, a folder's index, and the index
/// the trailing-slash redirect looks for.
fn lookups(key: &str) -> [String; 3] {
    [
        key.to_string(),
        format!("{key}index.html"),
        format!("{key}/index.html"),
    ]
}

fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// The site is served from memory, so `/process/../secret.txt` looks up the
/// key `process/../secret.txt`, which no build has: the attempts in
/// `only_the_built_site_is_served` are 404 even without a path guard. Here
/// the real router, over a real socket, serves a file map with a canary
/// under every key such a request would be looked up under if it got past
/// the guard (or were decoded twice, or normalised), so a guard that lets
/// one through serves the canary.
#[test]
fn the_path_guard_stops_traversals_before_the_lookup() {
    let mut files = Files::new();
    let canary: Arc<[u8]> = Arc::from(CANARY.as_bytes());
    let mut plant = |key: &str| {
        for k in lookups(key) {
            files.insert(k, Arc::clone(&canary));
        }
    };
    for path in REFUSED {
        plant(&decode(&path[1..]));
    }
    for path in DOUBLE_ENCODED {
        plant(&decode(&decode(&path[1..])));
    }
    // Where normalising `..` would lead.
    for key in ["secret.txt", "etc/passwd", "", "process/"] {
        plant(key);
    }
    let (_runtime, port) = serve_files(files);
    let get = |path: &str| {
        request(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    };
    // The canaries are there to be found by plain requests.
    for path in ["/secret.txt", "/etc/passwd", "/"] {
        let r = get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.starts_with(CANARY), "{path}: {}", r.body);
    }
    for path in REFUSED.iter().chain(&DOUBLE_ENCODED) {
        let r = get(path);
        assert_eq!(r.status, 404, "{path} got past the path guard");
        assert!(!r.body.contains("CANARY"), "{path} reached a file");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let (tmp, root) = copy_fixture("basic");
    std::fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("static/link.txt"))
        .unwrap();
    let server = Server::start(&root, &[]);
    let events = server.events();
    let errors = events.expect("errors", SOON);
    assert!(
        errors.data.contains("symlink points outside the site"),
        "{}",
        errors.data
    );
    let r = server.get("/link.txt");
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("TOP SECRET"));
    // `marrow build` refuses it the same way.
    let run = common::build(&root, &root.join("output"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("symlink points outside the site"),
        "{}",
        run.stderr
    );
    // A symlink inside the site is fine.
    std::fs::remove_file(root.join("static/link.txt")).unwrap();
    std::os::unix::fs::symlink(
        root.join("static/files/leaflet.txt"),
        root.join("static/leaflet.txt"),
    )
    .unwrap();
    assert_eq!(common::build(&root, &root.join("output"), &[]).code, 0);
    assert!(root.join("output/leaflet.txt").is_file());
}

#[test]
fn content_types_are_right() {
    let (_tmp, root) = copy_fixture("basic");
    write(&root, "static/app.wasm", "\0asm");
    write(&root, "static/fonts/body.woff2", "font");
    write(&root, "static/data.json", "{}");
    let server = Server::start(&root, &[]);
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/marrow.css", "text/css; charset=utf-8"),
        ("/marrow.js", "text/javascript; charset=utf-8"),
        ("/process/diagram.svg", "image/svg+xml"),
        ("/app.wasm", "application/wasm"),
        ("/fonts/body.woff2", "font/woff2"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/__marrow/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(expected), "{path}");
    }
    assert_eq!(
        server.get("/marrow.css").header("x-content-type-options"),
        Some("nosniff")
    );
}

/// `HEAD` (link checkers, `curl -I`) answers exactly like `GET`, status
/// and headers, Content-Length and Content-Type included, with no body:
/// for a page, an asset, the live-reload script, a redirect and a 404.
#[test]
fn head_answers_like_get_without_a_body() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    for (path, status) in [
        ("/process/conditioning/", 200),
        ("/marrow.css", 200),
        ("/process/diagram.svg", 200),
        ("/__marrow/live.js", 200),
        ("/process", 301),
        ("/no/such/page/", 404),
    ] {
        let get = server.get(path);
        let head = server.head(path);
        assert_eq!(get.status, status, "GET {path}");
        assert_eq!(head.status, status, "HEAD {path}");
        assert_eq!(head.body, "", "HEAD {path} sent a body");
        let length = get.header("content-length");
        assert_eq!(
            length.and_then(|l| l.parse().ok()),
            Some(get.body.len()),
            "GET {path}: Content-Length"
        );
        if status != 301 {
            assert!(get.header("content-type").is_some(), "GET {path}");
            assert!(!get.body.is_empty(), "GET {path}");
        }
        // Every header but the date, with the same value.
        let without_date = |r: &common::server::Response| {
            let mut headers: Vec<_> = r
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("date"))
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect();
            headers.sort();
            headers
        };
        assert_eq!(without_date(&head), without_date(&get), "{path}");
    }
}

/// `--bind 0.0.0.0`, to show the site to another machine: the server
/// listens on every address, not only loopback, says where, and answers
/// whatever name the other machine uses for this one (the loopback-only
/// `Host` check would refuse it). On Linux all of 127.0.0.0/8 is loopback,
/// so 127.0.0.2 stands for "an address other than 127.0.0.1"; this
/// machine's network address is tried too, when it has one.
#[cfg(target_os = "linux")]
#[test]
fn bind_all_addresses_is_reachable_beyond_127_0_0_1_under_any_name() {
    let (_tmp, root) = copy_fixture("basic");
    let request_at = |ip: [u8; 4], port: u16, host: &str| {
        request_to(
            std::net::SocketAddr::from((ip, port)),
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    // The default, for comparison: 127.0.0.2 is not 127.0.0.1.
    let local = Server::start(&root, &[]);
    assert_eq!(local.url, format!("http://127.0.0.1:{}/", local.port));
    assert!(
        std::net::TcpStream::connect(("127.0.0.2", local.port)).is_err(),
        "the default bind listens beyond 127.0.0.1"
    );
    assert_eq!(local.get_as("my-laptop.local", "/").status, 403);

    let server = Server::start(&root, &["--bind", "0.0.0.0"]);
    let port = server.port;
    assert_eq!(
        server.url,
        format!("http://127.0.0.1:{port}/"),
        "0.0.0.0 is no address to open: offer loopback"
    );
    // stderr and stdout arrive through separate pipes: the warning may
    // come after the "Serving at" line.
    let warned = |l: &String| l.starts_with("warning: listening on 0.0.0.0");
    if !server.log.iter().any(warned) {
        let line = server.output.recv_timeout(Duration::from_secs(10));
        assert!(
            line.as_ref().is_ok_and(warned),
            "a bind beyond loopback says so: {:?} then {line:?}",
            server.log
        );
    }
    let local_said: Vec<String> = local
        .log
        .iter()
        .cloned()
        .chain(local.output.try_iter())
        .collect();
    assert!(
        !local_said.iter().any(|l| l.contains("warning")),
        "loopback is no warning: {local_said:?}"
    );
    drop(local);
    let r = request_at([127, 0, 0, 1], port, "127.0.0.1");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("/__marrow/live.js"), "the site, live");
    let r = request_at([127, 0, 0, 2], port, &format!("my-laptop.local:{port}"));
    assert_eq!(r.status, 200, "another address, another name");
    assert!(r.body.contains("/__marrow/live.js"));
    let r = server.get_as("192.0.2.7", "/process/conditioning/");
    assert_eq!(r.status, 200, "an address as the host name");

    let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    if probe.connect("10.255.255.255:1").is_ok()
        && let Ok(local) = probe.local_addr()
        && let std::net::IpAddr::V4(ip) = local.ip()
        && !ip.is_loopback()
        && !ip.is_unspecified()
    {
        let r = request_at(ip.octets(), port, &format!("{ip}:{port}"));
        assert_eq!(r.status, 200, "reachable on {ip}");
    }
}

#[test]
fn port_taken_falls_through_and_ctrl_c_stops_cleanly() {
    let (_tmp, root) = copy_fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut server = Server::start(&root, &["--port", &port.to_string()]);
    assert_ne!(server.port, port, "moved off the taken port");
    assert!(
        server
            .log
            .iter()
            .any(|l| l.contains(&format!("Port {port} is taken"))),
        "{:?}",
        server.log
    );
    assert_eq!(server.get("/").status, 200);
    // Listening on loopback only by default: this machine's other address
    // (if it has one) must not reach the server.
    let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    if probe.connect("10.255.255.255:1").is_ok()
        && let Ok(local) = probe.local_addr()
        && !local.ip().is_loopback()
        && !local.ip().is_unspecified()
    {
        let outside = std::net::TcpStream::connect_timeout(
            &std::net::SocketAddr::new(local.ip(), server.port),
            Duration::from_secs(2),
        );
        assert!(outside.is_err(), "reachable on {}", local.ip());
    }

    // An open stream must not block shutdown: wait until it is open.
    let _events = server.connected_events();
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        server.wait_exit(Duration::from_secs(10)),
        Some(0),
        "exits 0 on Ctrl-C"
    );
}

#[test]
fn the_live_reload_script_never_reaches_build_output() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    assert_eq!(common::build(&root, &out, &[]).code, 0);
    for page in common::html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(!html.contains("__marrow"), "{}", page.display());
    }
}

#[test]
fn a_real_browser_shows_an_edit_without_being_reloaded_and_keeps_its_place() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, root) = copy_fixture("basic");
    // Make the page long enough to scroll.
    let filler: String = (0..80)
        .map(|i| format!("\nParagraph {i} of filler text.\n"))
        .collect();
    append(&root, "content/process/conditioning.md", &filler);
    let server = Server::start(&root, &[]);
    browser.viewport(1024, 700);
    browser.goto(&format!(
        "http://127.0.0.1:{}/process/conditioning/",
        server.port
    ));
    assert!(live_reload_connected(&browser), "event stream opened");
    // The browser's own scroll restoration off, so the position kept is
    // the live-reload script's doing.
    browser.eval(
        "history.scrollRestoration = 'manual'; window.scrollTo(0, 600); window.__before_edit = true;",
        json!([]),
    );

    append(
        &root,
        "content/process/conditioning.md",
        "\nText typed in the editor just now.\n",
    );
    // Poll from outside the page: the reload replaces the page's scripts.
    let state = browser.wait_until(
        "return { shown: document.body.innerText.includes('Text typed in the editor just now.'),
                  y: window.scrollY, marker: window.__before_edit === true };",
        "the browser to show the edit",
        |v| v["shown"] == true,
    );
    assert_eq!(
        state["marker"], false,
        "the page was reloaded by live reload"
    );
    // The script restores the position in its `load` handler: once the
    // reloaded page's load event has been handled, the position is final.
    let y = browser
        .wait_until(
            "const load = performance.getEntriesByType('navigation')[0];
             return load && load.loadEventEnd > 0 ? window.scrollY : null;",
            "the reloaded page's load event to be handled",
            |v| !v.is_null(),
        )
        .as_f64()
        .unwrap_or(0.0);
    assert!((y - 600.0).abs() < 2.0, "scroll position kept: {y}");
}

#[test]
fn polling_mode_sees_edits_too() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &["--poll"]);
    let events = server.connected_events();
    append(
        &root,
        "content/process/conditioning.md",
        "\nSeen by polling.\n",
    );
    events.expect("reload", SOON);
    assert!(
        server
            .get("/process/conditioning/")
            .body
            .contains("Seen by polling.")
    );
}

#[test]
fn the_search_index_catches_up_after_the_reload() {
    let (_tmp, root) = copy_fixture("basic");
    // Unreviewed pages are kept out of search unless the site says otherwise.
    write(
        &root,
        "site.yaml",
        "title: Fixture\nreview:\n  noindex_unreviewed: false\n",
    );
    let server = Server::start(&root, &[]);
    let events = server.connected_events();
    // The first pages are served before the index is built: it follows.
    let until = |path: &str, what: &str, ready: &dyn Fn(&common::server::Response) -> bool| {
        let deadline = std::time::Instant::now() + SOON;
        loop {
            let now = server.get(path);
            if ready(&now) {
                return now;
            }
            assert!(std::time::Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    until("/search/index.json", "the index was never built", &|r| {
        r.status == 200
    });
    // The vocabulary of words starting with z (src/search/files.rs).
    let words = "/search/w/z.json";
    let before = server.get(words);
    assert!(!before.body.contains("\"zygomorphic\""), "not a word yet");
    append(
        &root,
        "content/process/_index.md",
        "\nA brand new searchable word: zygomorphic.\n",
    );
    events.expect("reload", SOON);
    until(words, "the index was never updated", &|r| {
        r.status == 200 && r.body.contains("\"zygomorphic\"")
    });
}

/// DNS rebinding: a page on another site that points its own name at
/// 127.0.0.1 must get nothing, not pages, drafts or the event stream. Every
/// response carries a Content-Security-Policy the theme works under.
#[test]
fn other_host_names_are_refused_and_every_response_has_a_csp() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    for host in [
        "evil.example",
        "evil.example:1111",
        "127.0.0.1.evil.example",
        "localhost.evil",
    ] {
        for path in ["/", "/__marrow/events", "/__marrow/live.js"] {
            let r = server.get_as(host, path);
            assert_eq!(r.status, 403, "Host {host} {path}");
            assert!(!r.body.contains("<html"), "no page for {host}");
        }
    }
    let port = server.port;
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".to_string(),
    ] {
        let r = server.get_as(&host, "/");
        assert_eq!(r.status, 200, "Host {host}");
        let csp = r
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-security-policy"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(
            r.body.contains("/__marrow/live.css"),
            "overlay styles are a file"
        );
    }
    let css = server.get("/__marrow/live.css");
    assert_eq!(css.status, 200);
    assert!(css.body.contains("#marrow-overlay"));
}

/// Under the server's Content-Security-Policy (no inline scripts or
/// styles) the theme, the live reload and the error overlay all work: the
/// browser reports no violation.
#[test]
fn the_theme_and_live_reload_work_under_the_csp() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, root) = copy_fixture("basic");
    // Aligned table columns: pulldown-cmark would write style attributes.
    append(
        &root,
        "content/process/conditioning.md",
        "\n| Day | Step |\n|:-:|--:|\n| −7 | start |\n",
    );
    let server = Server::start(&root, &[]);
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));" }),
    );
    browser.goto(&format!(
        "http://localhost:{}/process/conditioning/",
        server.port
    ));
    assert!(
        live_reload_connected(&browser),
        "live reload connected under the CSP"
    );
    // A broken edit brings the overlay (markup and styles from live.js/css).
    let events = server.events();
    append(
        &root,
        "content/process/conditioning.md",
        "\n[broken](nowhere.md)\n",
    );
    events.expect("errors", SOON);
    let overlay = browser.eval_async(
        "const done = arguments[arguments.length - 1];
         const t = Date.now();
         (function poll() {
           const o = document.getElementById('marrow-overlay');
           if (o || Date.now() - t > 5000) done(o ? getComputedStyle(o).position : null); else setTimeout(poll, 50);
         })();",
        json!([]),
    );
    assert_eq!(overlay, "fixed", "the overlay is styled by live.css");
    let violations = browser.eval("return window.__csp;", json!([]));
    assert_eq!(violations, json!([]), "CSP violations");
    // The listener does see violations: an inline style attribute is one.
    let control = browser.eval_async(
        "const done = arguments[arguments.length - 1];
         document.body.setAttribute('style', 'outline: 1px solid red');
         setTimeout(() => done(window.__csp.length), 300);",
        json!([]),
    );
    assert_eq!(control, 1, "an inline style is reported");
}

/// Files that would overwrite each other are errors in serve too (as in
/// `marrow build`), shown in the overlay, while the last good site stays.
#[test]
fn output_clashes_are_errors_while_serving() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    let events = server.connected_events();
    write(
        &root,
        "content/clash.md",
        "---\ntitle: Clash\nslug: marrow.css\n---\nText.\n",
    );
    let errors = events.expect("errors", SOON);
    assert!(
        errors.data.contains("clash.md") && errors.data.contains("marrow.css"),
        "{}",
        errors.data
    );
    let css = server.get("/marrow.css");
    assert_eq!(css.status, 200);
    assert!(
        !css.body.contains("Clash"),
        "the stylesheet was not replaced"
    );
}

/// Waits (up to 5 s) until the page's live-reload stream is connected.
fn live_reload_connected(browser: &Browser) -> bool {
    browser.eval_async(
        "const done = arguments[arguments.length - 1];
         const t = Date.now();
         (function poll() {
           const ok = document.documentElement.dataset.marrowLive === 'connected';
           if (ok || Date.now() - t > 5000) done(ok); else setTimeout(poll, 50);
         })();",
        json!([]),
    ) == true
}

/// Pages are rendered when asked for: a page whose template fails answers
/// with its error, and the error reaches the terminal and the overlay once
/// the rest of the site has been checked behind the first request.
#[test]
fn a_page_whose_template_fails_answers_with_its_error() {
    let (_tmp, root) = copy_fixture("basic");
    write(
        &root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.title | round }}{% endblock content %}",
    );
    let server = Server::start(&root, &[]);
    let events = server.connected_events();
    let page = server.get("/process/conditioning/");
    assert_eq!(page.status, 500, "{}", page.body);
    assert!(page.body.contains("templates/page.html"), "{}", page.body);
    assert!(server.get("/").status == 200, "other templates still work");
    // The stream starts with the errors as they were when it connected.
    let deadline = std::time::Instant::now() + SOON;
    while !events
        .expect("errors", SOON)
        .data
        .contains("templates/page.html")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the check never reported it"
        );
    }
}

/// Navigation fragments are rendered when a page first needs one; a
/// broken `nav.html` still fails the rebuild (the 404 page needs a
/// fragment at once), so the last good build, fragments and all, is kept.
#[test]
fn a_broken_navigation_template_keeps_the_last_good_site() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    let events = server.connected_events();
    let before = server.get("/process/deeper/engraftment/");
    assert_eq!(before.status, 200);
    write(&root, "templates/nav.html", "{{ nav | round }}");
    let errors = events.expect("errors", SOON);
    assert!(
        errors.data.contains("templates/nav.html:1:4"),
        "{}",
        errors.data
    );
    assert_eq!(errors.data.matches("round").count(), 1, "{}", errors.data);
    // A page nobody asked for yet is rendered with the last good build's
    // navigation, and one asked for before is unchanged.
    for path in ["/process/conditioning/", "/process/deeper/engraftment/"] {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.body.contains("marrow-overlay"), "{}", page.body);
        let nav = page.body.split("id=\"site-nav\"").nth(1).unwrap_or("");
        let nav = nav.split("</nav>").next().unwrap_or("");
        assert!(nav.contains("<li"), "{path} lost its navigation: {nav}");
    }
}

/// Taxonomy pages are made when asked for: over HTTP they answer like any
/// page (a folder without its slash is redirected), and a retitled page
/// shows on them at once.
#[test]
fn taxonomy_pages_are_served_when_asked_for_and_follow_a_title_edit() {
    let (_tmp, root) = copy_fixture("basic");
    let server = Server::start(&root, &[]);
    let events = server.connected_events();
    let term = server.get("/tags/treatment/");
    assert_eq!(term.status, 200, "{}", term.body);
    assert!(term.body.contains("Conditioning"), "{}", term.body);
    assert_eq!(server.get("/tags/").status, 200);
    let bare = server.get("/tags/treatment");
    assert_eq!(bare.status, 301);
    assert_eq!(bare.header("location"), Some("/tags/treatment/"));
    assert_eq!(server.get("/tags/nothing-here/").status, 404);

    let page = root.join("content/process/conditioning.md");
    let text = std::fs::read_to_string(&page).unwrap();
    write(
        &root,
        "content/process/conditioning.md",
        &text.replace("title: Conditioning", "title: Getting ready"),
    );
    events.expect("reload", SOON);
    let term = server.get("/tags/treatment/");
    assert!(term.body.contains("Getting ready"), "{}", term.body);
}

//! A small WebDriver client for headless Chromium (Debian's `chromium` and
//! `chromium-driver`), enough to load pages, run scripts and click.
//!
//! Browser tests skip when Chromium or its driver is missing, unless
//! `MARROW_REQUIRE_BROWSER=1` (set by `.ci/run`), which turns the skip into
//! a failure. No test tool downloads a browser of its own.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// True when missing browser tooling must fail the test instead of skipping.
pub fn required() -> bool {
    std::env::var("MARROW_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Skips (returns `None`) or fails, depending on [`required`].
pub fn skip_or_fail(what: &str) -> Option<std::convert::Infallible> {
    if required() {
        panic!("{what} is missing and MARROW_REQUIRE_BROWSER=1");
    }
    eprintln!("skipped: {what} is missing (install chromium and chromium-driver; see .ci/run)");
    None
}

/// Files the test tools installed by `.ci/run` (npm packages) live under.
pub fn test_tools_dir() -> PathBuf {
    std::env::var_os("MARROW_TEST_TOOLS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-tools"),
        PathBuf::from,
    )
}

/// A running chromedriver with one browser session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or `None` when they are
    /// not installed (and not required).
    pub fn start() -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            skip_or_fail("Chromium or chromedriver")?;
        }
        // A test machine that cannot bind a loopback port is broken, not
        // a reason to skip: fail loudly.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("bind a free port on 127.0.0.1 for chromedriver")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1280,900",
                    // Headless has no pointing device: report a mouse, as
                    // a desktop browser does (`hover: hover`, `pointer:
                    // fine`); `touch` emulates a touch screen instead.
                    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
                ]
            },
            // Console messages (errors, failed resource loads) for `logs`.
            "goog:loggingPrefs": { "browser": "ALL" }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            _profile: profile,
        };
        let resp = browser.post("/session", caps);
        browser.session = resp["sessionId"]
            .as_str()
            .or_else(|| resp["value"]["sessionId"].as_str())
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_string();
        Some(browser)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        self.try_post(path, body).unwrap_or_else(|e| panic!("{e}"))
    }

    fn try_post(&self, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}{}", self.base, path);
        let mut resp = ureq::post(&url)
            .config()
            .http_status_as_error(false)
            .build()
            .send_json(&body)
            .map_err(|e| format!("POST {path}: {e}"))?;
        let value: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
        if value["value"]["error"].is_string() {
            return Err(format!("WebDriver error on {path}: {}", value["value"]));
        }
        Ok(value)
    }

    fn session_post(&self, path: &str, body: Value) -> Value {
        self.post(&format!("/session/{}{}", self.session, path), body)["value"].clone()
    }

    /// Loads `url` and waits for it.
    pub fn goto(&self, url: &str) {
        self.session_post("/url", json!({ "url": url }));
    }

    /// Runs `script` (a function body; `arguments` available) and returns
    /// its result.
    pub fn eval(&self, script: &str, args: Value) -> Value {
        self.session_post("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Like [`Self::eval`], but a script error (say, the page is between
    /// two loads) is returned instead of failing the test.
    pub fn try_eval(&self, script: &str, args: Value) -> Result<Value, String> {
        self.try_post(
            &format!("/session/{}/execute/sync", self.session),
            json!({ "script": script, "args": args }),
        )
        .map(|v| v["value"].clone())
    }

    /// Runs an asynchronous script: the body must call
    /// `arguments[arguments.length - 1](result)`.
    pub fn eval_async(&self, script: &str, args: Value) -> Value {
        self.session_post("/timeouts", json!({ "script": 60_000 }));
        self.session_post("/execute/async", json!({ "script": script, "args": args }))
    }

    /// Runs a Chrome DevTools Protocol command (e.g. media emulation).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.session_post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
    }

    /// Polls `script` (a function body returning a value) on the fully
    /// loaded page until `done` accepts its result, and returns that result.
    /// A script error or a page still loading counts as "not yet"; after
    /// 30 s the test fails naming `what` and the last value seen.
    pub fn wait_until(&self, script: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let guarded = format!("if (document.readyState !== 'complete') return null; {script}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.try_eval(&guarded, json!([])).unwrap_or(Value::Null);
            if done(&v) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; last: {v}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Like [`Self::wait_until`], but gives up after 5 s with `None`
    /// instead of failing, so a test can report what it saw.
    pub fn try_wait_until(&self, script: &str, done: impl Fn(&Value) -> bool) -> Option<Value> {
        let guarded = format!("if (document.readyState !== 'complete') return null; {script}");
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let v = self.try_eval(&guarded, json!([])).unwrap_or(Value::Null);
            if done(&v) {
                return Some(v);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the document title differs from `old`, as after
    /// following a link; returns the new title.
    pub fn wait_for_title_change(&self, old: &str) -> String {
        let title = self.wait_until(
            "return document.title;",
            &format!("the page title to change from `{old}`"),
            |t| t.as_str().is_some_and(|t| t != old),
        );
        title.as_str().unwrap_or_default().to_string()
    }

    /// Emulates a viewport of `width`×`height` CSS pixels (device metrics
    /// emulation: exact, unlike window sizes, which have a minimum).
    pub fn viewport(&self, width: u32, height: u32) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
        let inner = self.eval("return window.innerWidth;", json!([]));
        assert_eq!(
            inner.as_u64(),
            Some(u64::from(width)),
            "viewport emulation failed"
        );
    }

    /// Emulates `prefers-color-scheme`.
    pub fn color_scheme(&self, scheme: &str) {
        self.media(&[("prefers-color-scheme", scheme)]);
    }

    /// Emulates media features (`("hover", "none")`…); replaces the ones
    /// set before, so `&[]` ends the emulation.
    pub fn media(&self, features: &[(&str, &str)]) {
        let features: Vec<Value> = features
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": features }),
        );
    }

    /// Emulates a touch screen without a mouse (`hover: none`,
    /// `pointer: coarse`, touch events), or ends that emulation.
    pub fn touch(&self, on: bool) {
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": on, "maxTouchPoints": if on { 5 } else { 1 } }),
        );
    }

    /// Saves a PNG of the viewport (for looking at a layout while working
    /// on the theme).
    pub fn screenshot(&self, path: &Path) {
        let url = format!("{}/session/{}/screenshot", self.base, self.session);
        let mut resp = ureq::get(&url).call().expect("screenshot");
        let value: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
        let data = value["value"].as_str().unwrap_or_default();
        std::fs::write(path, base64_decode(data)).unwrap();
    }

    /// The browser's console messages since the last call, as
    /// `(level, message)`: script errors, `console.*` calls, and resources
    /// that failed to load (a 404 for `/favicon.ico` among them).
    pub fn logs(&self) -> Vec<(String, String)> {
        let entries = self.session_post("/se/log", json!({ "type": "browser" }));
        entries
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or_default().to_string(),
                            e["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sends a key to the focused element (e.g. `"\u{E00C}"` for Escape).
    pub fn press(&self, key: &str) {
        self.session_post(
            "/actions",
            json!({ "actions": [{ "type": "key", "id": "kbd", "actions": [
                { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
            ]}]}),
        );
    }

    /// The WebDriver id of the first element matching `css`.
    fn element(&self, css: &str) -> String {
        let el = self.session_post("/element", json!({ "using": "css selector", "value": css }));
        el.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {el}"))
            .to_string()
    }

    /// Clicks the first element matching `css` like a user would.
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.session_post(&format!("/element/{id}/click"), json!({}));
    }

    /// Taps the first element matching `css` with a finger (a touch
    /// pointer), as on a phone.
    pub fn tap(&self, css: &str) {
        let id = self.element(css);
        let origin = json!({ "element-6066-11e4-a52e-4f735466cecf": id });
        self.session_post(
            "/actions",
            json!({ "actions": [{ "type": "pointer", "id": "finger", "parameters": { "pointerType": "touch" },
                "actions": [
                    { "type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0 },
                    { "type": "pointerDown", "button": 0 },
                    { "type": "pointerUp", "button": 0 }
                ]}]}),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A static web server for a built site, at `http://127.0.0.1:PORT/PREFIX`
/// (a sub-path such as `/docs/`, as many hospitals host): files by path,
/// `index.html` for folders, 404 for anything else, including everything
/// outside the prefix (so a request for `/favicon.ico` is a 404, as on a
/// real server without one). Stops on drop.
pub struct StaticServer {
    pub url: String,
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let dir = dir.to_path_buf();
        let url = format!("http://127.0.0.1:{port}{prefix}");
        let prefix = prefix.to_string();
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let mut request = String::new();
                let mut reader = BufReader::new(&stream);
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                // Headers are read and ignored.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split(['?', '#']).next().unwrap_or("");
                let file = path
                    .strip_prefix(&prefix)
                    .map(|rel| {
                        percent_encoding::percent_decode_str(rel)
                            .decode_utf8_lossy()
                            .into_owned()
                    })
                    .filter(|rel| !rel.split('/').any(|s| s == ".."))
                    .map(|rel| {
                        let f = dir.join(rel);
                        if f.is_dir() { f.join("index.html") } else { f }
                    })
                    .filter(|f| f.is_file());
                let (status, body, kind) = match file {
                    Some(f) => (
                        "200 OK",
                        std::fs::read(&f).unwrap_or_default(),
                        content_type(&f),
                    ),
                    None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        StaticServer {
            url,
            port,
            stop,
            thread: Some(thread),
        }
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// `file://` URL of a local path.
pub fn file_url(path: &Path) -> String {
    let abs = path.canonicalize().unwrap();
    format!("file://{}", abs.display())
}

/// The axe-core rule sets the site is held to: WCAG 2.2 A and AA, and
/// best practice.
pub const AXE_TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// Runs axe on the loaded page; returns violations as readable lines.
pub fn axe(browser: &Browser, source: &str) -> Vec<String> {
    let script = r#"
        const [src, tags, done] = arguments;
        if (!window.axe) {
            const s = document.createElement('script');
            s.textContent = src;
            document.head.appendChild(s);
        }
        window.axe.run(document, { runOnly: { type: 'tag', values: tags } })
            .then(r => done(r.violations.map(v =>
                `${v.id} (${v.impact}): ${v.help}\n      ` +
                v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\n/g, ' ')).join('\n      '))))
            .catch(e => done(['axe failed: ' + e]));
    "#;
    let result = browser.eval_async(script, json!([source, AXE_TAGS]));
    result
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_else(|| vec![format!("unexpected axe result: {result}")])
}

/// axe on every page of a built site, light and dark, desktop and phone,
/// plus the reflow check; returns the failures.
pub fn axe_every_page(browser: &Browser, source: &str, out: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    for (scheme, width) in [
        ("light", 1280),
        ("dark", 1280),
        ("light", 360),
        ("dark", 360),
    ] {
        browser.color_scheme(scheme);
        browser.viewport(width, 800);
        // 404.html links from the server root (it is served at any depth),
        // so from file:// its stylesheet cannot load; it shares base.html.
        for page in super::html_files(out)
            .into_iter()
            .filter(|p| !p.ends_with("404.html"))
        {
            browser.goto(&file_url(&page));
            let shown = format!(
                "{} [{scheme}, {width}px]",
                page.strip_prefix(out).unwrap().display()
            );
            for v in axe(browser, source) {
                failures.push(format!("{shown}: {v}"));
            }
            // Reflow (WCAG 1.4.10): no horizontal scrolling on a phone.
            let overflow = browser.eval(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                json!([]),
            );
            if overflow.as_i64().unwrap_or(0) > 0 {
                failures.push(format!("{shown}: page scrolls sideways by {overflow}px"));
            }
        }
    }
    failures
}

/// A test tool installed by `.ci/run` under `target/test-tools`, or
/// `None` (skip) without it.
pub fn tool(rel: &str) -> Option<PathBuf> {
    let path = test_tools_dir().join(rel);
    if path.is_file() {
        Some(path)
    } else {
        skip_or_fail(&format!("{} (run .ci/run's npm install)", path.display()))?;
        None
    }
}

/// A browser and the axe-core source, or `None` (skip) without them.
pub fn browser_with_axe() -> Option<(Browser, String)> {
    let axe_path = tool("node_modules/axe-core/axe.min.js")?;
    let browser = Browser::start()?;
    Some((browser, std::fs::read_to_string(axe_path).unwrap()))
}

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
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
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
                ]
            }
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
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
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

/// `file://` URL of a local path.
pub fn file_url(path: &Path) -> String {
    let abs = path.canonicalize().unwrap();
    format!("file://{}", abs.display())
}

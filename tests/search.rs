//! Site search in headless Chromium: the bundled site, built for and served
//! under a sub-path (`/docs/`), found by typing into the header's search
//! box with real key events; and the message shown instead of results when
//! the site is opened from `file://`.
//!
//! Skips without Chromium, unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use common::browser::{Browser, file_url, skip_or_fail, test_tools_dir};
use serde_json::{Value, json};

const ESCAPE: &str = "\u{E00C}";
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

fn build_bundled(tmp: &Path, extra: &[&str]) -> PathBuf {
    build_site(Path::new(env!("CARGO_MANIFEST_DIR")), tmp, extra)
}

fn build_site(root: &Path, tmp: &Path, extra: &[&str]) -> PathBuf {
    let out = tmp.join("output");
    let run = common::build(root, &out, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        out.join("search/index.json").is_file(),
        "the build wrote no search index (search/)"
    );
    out
}

/// Serves the files of `dir` under `/{prefix}/` on `listener`, one thread
/// per connection, for the rest of the test.
fn serve(listener: TcpListener, dir: PathBuf, prefix: &'static str) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || answer(stream, &dir, prefix));
        }
    });
}

fn answer(mut stream: TcpStream, dir: &Path, prefix: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Headers are read and ignored.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let file = path
        .strip_prefix(&format!("/{prefix}/"))
        .filter(|rel| !rel.split('/').any(|s| s == ".."))
        .map(|rel| {
            let f = dir.join(rel);
            if rel.is_empty() || rel.ends_with('/') {
                f.join("index.html")
            } else {
                f
            }
        });
    let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => {
            let mime = match f.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("json") => "application/json",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(&body);
            r
        }
        None => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&response);
}

/// Types `text` into the focused element, one real key press per character.
fn type_text(browser: &Browser, text: &str) {
    for c in text.chars() {
        browser.press(&c.to_string());
    }
}

const STATE: &str = r#"
    const box = document.querySelector('.search-input');
    const panel = document.querySelector('.search-results');
    const status = document.querySelector('.search-status');
    const links = [...document.querySelectorAll('.search-result-link')];
    const r = panel.getBoundingClientRect();
    const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    return {
        widget: visible(document.querySelector('.site-search')),
        focus: document.activeElement === box ? 'input'
             : links.indexOf(document.activeElement) >= 0 ? 'result' + links.indexOf(document.activeElement)
             : document.activeElement && document.activeElement.tagName,
        value: box.value,
        open: panel.classList.contains('is-open') && r.width > 1 && r.height > 1,
        left: r.left, right: r.right,
        status: status.textContent,
        live: status.getAttribute('aria-live'),
        links: links.filter(visible).map(a => ({
            text: a.textContent,
            href: a.getAttribute('href'),
            review: (a.closest('li').querySelector('.search-result-review') || {}).textContent || '',
        })),
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        url: location.href,
    };
"#;

fn state(browser: &Browser) -> Value {
    browser.eval(STATE, json!([]))
}

#[test]
fn search_finds_pages_when_served_under_a_sub_path() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (base, _tmp) = serve_site(&browser, root, true);
    browser.goto(&format!("{base}process/"));

    let s = browser.wait_until(STATE, "the search box", |s| s["widget"] == true);
    assert_eq!(s["live"], "polite", "{s}");
    assert_eq!(s["open"], false, "{s}");

    // "/" from the page focuses the box; then type like a person.
    browser.press("/");
    assert_eq!(state(&browser)["focus"], "input", "`/` focuses the box");
    type_text(&browser, "glossary");
    let s = browser.wait_until(STATE, "results", |s| {
        s["links"].as_array().is_some_and(|l| !l.is_empty())
    });
    assert_eq!(s["value"], "glossary", "{s}");
    assert_eq!(s["open"], true, "{s}");
    let first = &s["links"][0];
    assert_eq!(first["text"], "Glossary", "{s}");
    assert_eq!(first["href"], "/docs/glossary/", "{s}");
    let status = s["status"].as_str().unwrap_or_default();
    assert!(
        status.contains("result") && status.contains("glossary"),
        "the live region says how many results: {s}"
    );
    let excerpt = browser.eval(
        "const m = document.querySelector('.search-result-excerpt mark'); return m && m.textContent.toLowerCase();",
        json!([]),
    );
    assert!(
        excerpt.as_str().is_some_and(|m| m.contains("glossary")),
        "excerpts mark the words found: {excerpt}"
    );

    // The open panel passes axe (WCAG 2.2 AA), light and dark.
    let axe = test_tools_dir().join("node_modules/axe-core/axe.min.js");
    if let Ok(source) = std::fs::read_to_string(&axe) {
        for scheme in ["light", "dark"] {
            browser.color_scheme(scheme);
            let found = browser.eval_async(
                r#"const [src, done] = arguments;
                   if (!window.axe) { const s = document.createElement('script'); s.textContent = src; document.head.appendChild(s); }
                   axe.run(document.querySelector('.site-search'), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } })
                      .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                      .catch(e => done(['axe failed: ' + e]));"#,
                json!([source]),
            );
            assert_eq!(found, json!([]), "axe, {scheme}");
        }
        browser.color_scheme("light");
    } else {
        skip_or_fail(&format!("{} (run .ci/run's npm install)", axe.display()));
    }
    browser.eval(
        "document.querySelector('.search-input').focus();",
        json!([]),
    );

    // Keyboard: Down arrow and Tab reach the results; Escape closes them
    // and returns to the box, a second Escape clears it.
    browser.press(DOWN);
    assert_eq!(state(&browser)["focus"], "result0");
    browser.press(ESCAPE);
    let s = state(&browser);
    assert_eq!(s["open"], false, "{s}");
    assert_eq!(s["focus"], "input", "{s}");
    assert_eq!(s["value"], "glossary", "{s}");
    browser.press(ESCAPE);
    let s = state(&browser);
    assert_eq!(s["value"], "", "{s}");
    assert_eq!(s["open"], false, "{s}");

    // Phone width: the panel stays on screen and the page does not scroll
    // sideways.
    browser.viewport(360, 800);
    type_text(&browser, "neutrophil");
    let s = browser.wait_until(STATE, "results on a phone", |s| {
        s["links"].as_array().is_some_and(|l| !l.is_empty())
    });
    assert!(
        s["left"].as_f64().unwrap_or(-1.0) >= 0.0 && s["right"].as_f64().unwrap_or(999.0) <= 360.0,
        "panel fits a 360 px screen: {s}"
    );
    assert_eq!(s["overflow"], 0, "{s}");
    // No clinician has reviewed the bundled guide: its pages are found,
    // and each result says so; the generated glossary page is not medical
    // content and carries no such label.
    let links = s["links"].as_array().cloned().unwrap_or_default();
    let label = |title: &str| {
        links
            .iter()
            .find(|l| l["text"] == title)
            .map(|l| l["review"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(
        label("Engraftment and blood counts").as_deref(),
        Some("Sources checked, not yet reviewed by a clinician"),
        "{s}"
    );
    if let Some(glossary) = label("Glossary") {
        assert_eq!(glossary, "", "{s}");
    }

    // Tab into the results and follow the first with Enter: the link works
    // under the sub-path.
    browser.press(TAB);
    assert_eq!(state(&browser)["focus"], "result0");
    let href = s["links"][0]["href"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    browser.press(ENTER);
    let s = browser.wait_until("return location.href;", "the result page", |u| {
        u.as_str().is_some_and(|u| u.ends_with(&href))
    });
    assert!(s.as_str().unwrap_or_default().starts_with(&base), "{s}");
}

#[test]
fn from_file_urls_the_search_box_says_it_needs_a_web_server() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = build_bundled(tmp.path(), &[]);
    browser.cdp(
        "Emulation.setFocusEmulationEnabled",
        json!({ "enabled": true }),
    );
    browser.viewport(1280, 900);
    browser.goto(&file_url(&out.join("index.html")));
    browser.wait_until(STATE, "the search box", |s| s["widget"] == true);
    browser.click(".search-input");
    let s = browser.wait_until(STATE, "the message", |s| s["open"] == true);
    let status = s["status"].as_str().unwrap_or_default();
    assert!(
        status.contains("served by a web server") && status.contains("marrow serve"),
        "{s}"
    );
    // Typing does not hide it behind a silent failure. The signal that the
    // search for what was typed has run: the status is written while the
    // box holds the whole query (searching waits for a pause in typing).
    browser.eval(
        r#"
        const box = document.querySelector('.search-input');
        window.statusWrites = [];
        new MutationObserver(() => window.statusWrites.push(box.value)).observe(
            document.querySelector('.search-status'),
            { childList: true, characterData: true, subtree: true });
        "#,
        json!([]),
    );
    type_text(&browser, "transplant");
    browser.wait_until(
        "return window.statusWrites;",
        "the search for what was typed",
        |w| {
            w.as_array()
                .is_some_and(|w| w.iter().any(|v| v == "transplant"))
        },
    );
    let s = state(&browser);
    assert_eq!(s["open"], true, "{s}");
    assert!(
        s["status"]
            .as_str()
            .is_some_and(|t| t.contains("served by a web server")),
        "{s}"
    );
    assert_eq!(s["links"], json!([]), "{s}");
}

/// What the results show: the status, and each result's link, title,
/// excerpt, marked words and sections (sub-results).
const RESULTS: &str = r#"
    const all = document.querySelector('.search-all-link');
    const more = document.querySelector('.search-more');
    return {
        status: document.querySelector('.search-status').textContent,
        fields: document.querySelectorAll('input[type=search]').length,
        all: all && all.getAttribute('href'),
        fix: (document.querySelector('.search-suggestion-link') || { getAttribute: () => null }).getAttribute('href'),
        more: !!more && !more.hidden,
        focus: document.activeElement && document.activeElement.getAttribute('href'),
        url: location.href,
        items: [...document.querySelectorAll('.search-result')].map(li => ({
            link: li.querySelector('.search-result-link').getAttribute('href'),
            title: li.querySelector('.search-result-link').textContent,
            term: li.classList.contains('search-result-term'),
            excerpt: (li.querySelector(':scope > .search-result-excerpt') || {}).textContent || '',
            marks: [...li.querySelectorAll(':scope > .search-result-excerpt mark')].map(m => m.textContent.toLowerCase()),
            subs: [...li.querySelectorAll('.search-subresult-link')].map(a => a.getAttribute('href')),
        })),
    };
"#;

/// Puts `query` in the search field and waits until the status answers it.
fn ask(browser: &Browser, query: &str) -> Value {
    browser.eval(
        "const box = document.querySelector('input[type=search]'); box.focus(); \
         box.value = arguments[0]; box.dispatchEvent(new Event('input', { bubbles: true }));",
        json!([query]),
    );
    let script = format!(
        "const q = {}; const s = document.querySelector('.search-status').textContent; \
         return s.includes('\u{201C}' + q.trim() + '\u{201D}') ? (() => {{ {RESULTS} }})() : null;",
        json!(query)
    );
    browser.wait_until(&script, query, |v| !v.is_null())
}

/// The words marked in the first result's excerpt.
fn first_marks(r: &Value) -> Vec<Value> {
    r["items"][0]["marks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Whether the page at `href` has an element with the id its `#fragment`
/// names.
fn anchor_exists(browser: &Browser, href: &str) -> bool {
    browser.eval_async(
        "const [href, done] = arguments; const [page, id] = href.split('#'); \
         fetch(page).then(r => r.text()).then(t => done(!!new DOMParser() \
         .parseFromString(t, 'text/html').getElementById(decodeURIComponent(id))));",
        json!([href]),
    ) == json!(true)
}

/// The bundled guide, built and served under `/docs/`; returns its base
/// URL and keeps the build folder alive.
fn serve_bundled_site(browser: &Browser) -> (String, tempfile::TempDir) {
    serve_site(browser, Path::new(env!("CARGO_MANIFEST_DIR")), false)
}

/// The site at `root`, built (for its address, with `base_url`) and served
/// under `/docs/` to a focused window.
fn serve_site(browser: &Browser, root: &Path, base_url: bool) -> (String, tempfile::TempDir) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/docs/");
    let tmp = tempfile::tempdir().unwrap();
    let extra: &[&str] = if base_url {
        &["--base-url", &base]
    } else {
        &[]
    };
    let out = build_site(root, tmp.path(), extra);
    serve(listener, out, "docs");
    // A headless window never has focus; behave as a real, focused one.
    browser.cdp(
        "Emulation.setFocusEmulationEnabled",
        json!({ "enabled": true }),
    );
    browser.viewport(1280, 900);
    (base, tmp)
}

#[test]
fn the_box_shows_sections_glossary_entries_and_corrections() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (base, _tmp) = serve_bundled_site(&browser);
    browser.goto(&format!("{base}process/"));
    browser.wait_until(STATE, "the search box", |s| s["widget"] == true);

    // Sections of a page where the words are: links to their headings.
    let r = ask(&browser, "sore mouth");
    let subs: Vec<String> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["subs"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| s.as_str().map(String::from))
        .collect();
    assert!(!subs.is_empty(), "sub-results: {r}");
    for href in &subs {
        assert!(href.starts_with("/docs/") && href.contains('#'), "{href}");
        assert!(anchor_exists(&browser, href), "{href} names no heading");
    }

    // A glossary entry is a result of its own, with its definition.
    let r = ask(&browser, "gvhd");
    let term = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "graft-versus-host disease")
        .cloned()
        .unwrap_or_else(|| panic!("the glossary entry: {r}"));
    assert_eq!(term["term"], true, "{term}");
    let link = term["link"].as_str().unwrap();
    assert!(link.starts_with("/docs/glossary/#"), "{link}");
    assert!(anchor_exists(&browser, link), "{link}");
    assert!(
        term["excerpt"]
            .as_str()
            .unwrap()
            .contains("immune cells from the donor attack"),
        "{term}"
    );
    // GvHD is also written out in full on pages: the synonym finds them.
    assert!(
        first_marks(&r).iter().any(|m| m == "graft" || m == "gvhd"),
        "{r}"
    );

    // A typo: the box says what it searched instead.
    let r = ask(&browser, "thalasemia");
    let status = r["status"].as_str().unwrap();
    assert!(
        status.starts_with("Did you mean \u{201C}thalassemia\u{201D}?"),
        "{status}"
    );
    assert_eq!(r["fix"], "/docs/search/?q=thalassemia", "{r}");
    assert!(
        first_marks(&r).contains(&json!("thalassaemia")),
        "the British spelling on the page is found: {r}"
    );

    // The box shows the best five, and links to the rest.
    let r = ask(&browser, "transplant");
    assert_eq!(r["items"].as_array().unwrap().len(), 5, "{r}");
    assert_eq!(r["all"], "/docs/search/?q=transplant", "{r}");
    assert!(
        r["status"]
            .as_str()
            .unwrap()
            .contains("Showing the best 5."),
        "{r}"
    );
}

#[test]
fn the_results_page_lists_every_result_under_a_sub_path() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (base, _tmp) = serve_bundled_site(&browser);
    browser.goto(&format!("{base}search/?q=transplant"));
    let r = browser.wait_until(
        &format!("return document.querySelectorAll('.search-result').length ? (() => {{ {RESULTS} }})() : null;"),
        "results on the results page",
        |v| !v.is_null(),
    );
    assert_eq!(r["fields"], 1, "one search field on the page: {r}");
    assert_eq!(r["items"].as_array().unwrap().len(), 10, "{r}");
    assert_eq!(r["more"], true, "{r}");
    let status = r["status"].as_str().unwrap().to_string();
    let total: usize = status
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{status}"));
    assert!(total > 20, "{status}");
    for item in r["items"].as_array().unwrap() {
        assert!(
            item["link"].as_str().unwrap().starts_with("/docs/"),
            "{item}"
        );
    }
    // Keyboard: "Show more results" adds ten and moves focus to the first
    // new result.
    browser.eval("document.querySelector('.search-more').focus();", json!([]));
    browser.press(ENTER);
    let r = browser.wait_until(
        &format!("return document.querySelectorAll('.search-result').length > 10 ? (() => {{ {RESULTS} }})() : null;"),
        "more results",
        |v| !v.is_null(),
    );
    assert_eq!(r["items"].as_array().unwrap().len(), 20.min(total), "{r}");
    assert_eq!(r["focus"], r["items"][10]["link"], "{r}");

    // A new query: new results, and the address says what was searched.
    let r = ask(&browser, "engraftment");
    assert_eq!(r["items"][0]["link"], "/docs/process/engraftment/", "{r}");
    assert!(
        r["url"]
            .as_str()
            .unwrap()
            .ends_with("/docs/search/?q=engraftment"),
        "{r}"
    );

    let axe = test_tools_dir().join("node_modules/axe-core/axe.min.js");
    if let Ok(source) = std::fs::read_to_string(&axe) {
        for scheme in ["light", "dark"] {
            browser.color_scheme(scheme);
            let found = common::browser::axe(&browser, &source);
            assert_eq!(found, Vec::<String>::new(), "axe, {scheme}");
        }
    } else {
        skip_or_fail(&format!("{} (run .ci/run's npm install)", axe.display()));
    }
}

#[test]
fn a_chinese_query_finds_a_chinese_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (base, _tmp) = serve_site(&browser, &common::fixture("search-zh"), false);
    browser.goto(&base);
    browser.wait_until(STATE, "the search box", |s| s["widget"] == true);
    // Two characters inside a longer run of text, with no spaces around.
    let r = ask(&browser, "检查");
    assert_eq!(r["items"][0]["link"], "/docs/tests/", "{r}");
    assert_eq!(r["items"][0]["title"], "移植前的检查", "{r}");
    assert!(first_marks(&r).contains(&json!("检查")), "{r}");
    let r = ask(&browser, "饮食卫生");
    assert_eq!(r["items"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["items"][0]["marks"], json!(["饮食卫生"]), "{r}");
}

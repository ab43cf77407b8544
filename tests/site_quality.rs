//! The bundled site in a real browser and a real validator: valid HTML
//! (the Nu Html Checker), WCAG 2.2 AA (axe-core in headless Chromium, light
//! and dark schemes, desktop and a 360 px phone), navigation from `file://`
//! and the phone menu.
//!
//! The tools come from Debian (chromium, chromium-driver, a JRE) and npm
//! (axe-core, vnu-jar), installed by `.ci/run` into `target/test-tools`.
//! Without them these tests skip, unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::browser::{Browser, file_url, skip_or_fail, test_tools_dir};
use common::{build, html_files};
use serde_json::{Value, json};

fn build_bundled(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let run = build(root, &out, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, out)
}

fn tool(rel: &str) -> Option<PathBuf> {
    let path = test_tools_dir().join(rel);
    if path.is_file() {
        Some(path)
    } else {
        skip_or_fail(&format!("{} (run .ci/run's npm install)", path.display()))?;
        None
    }
}

const AXE_TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// Runs axe on the loaded page; returns violations as readable lines.
fn axe(browser: &Browser, source: &str) -> Vec<String> {
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

/// A browser and the axe-core source, or `None` (skip) without them.
fn browser_with_axe() -> Option<(Browser, String)> {
    let axe_path = tool("node_modules/axe-core/axe.min.js")?;
    let browser = Browser::start()?;
    Some((browser, std::fs::read_to_string(axe_path).unwrap()))
}

#[test]
fn every_page_passes_axe_wcag22_aa_light_dark_and_phone() {
    let Some((browser, source)) = browser_with_axe() else {
        return;
    };
    let (_tmp, out) = build_bundled(&[]);
    let failures = axe_every_page(&browser, &source, &out);
    assert!(
        failures.is_empty(),
        "accessibility failures:\n{}",
        failures.join("\n")
    );
}

/// A hospital's branding (a pale accent, a logo, footer text with a link)
/// must keep the theme WCAG AA: marrow adjusts the accent, axe checks it.
#[test]
fn a_branded_starter_site_passes_axe() {
    let Some((browser, source)) = browser_with_axe() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let failures: Vec<String> = ["#ffd700", "#1a1a40"]
        .iter()
        .flat_map(|accent| {
            let site = common::branded_starter(tmp.path(), accent);
            let out = site.join("output");
            let run = build(&site, &out, &[]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            axe_every_page(&browser, &source, &out)
                .into_iter()
                .map(move |f| format!("accent {accent}: {f}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "accessibility failures:\n{}",
        failures.join("\n")
    );
}

/// axe on every page of a built site, light and dark, desktop and phone,
/// plus the reflow check; returns the failures.
fn axe_every_page(browser: &Browser, source: &str, out: &Path) -> Vec<String> {
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
        for page in html_files(out)
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

#[test]
fn every_page_is_valid_html() {
    let Some(vnu) = tool("node_modules/vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    if Command::new("java").arg("-version").output().is_err() {
        skip_or_fail("java (for the Nu Html Checker)");
        return;
    }
    let (_tmp, out) = build_bundled(&["--base-url", "https://example.org/docs/"]);
    let pages: Vec<String> = html_files(&out)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let result = Command::new("java")
        .args([
            "-jar",
            vnu.to_str().unwrap(),
            "--errors-only",
            "--format",
            "gnu",
        ])
        .args(&pages)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success() && report.trim().is_empty(),
        "invalid HTML:\n{report}"
    );
}

#[test]
fn navigation_works_from_file_urls_and_the_phone_menu_toggles() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled(&[]);
    browser.viewport(1280, 900);
    browser.goto(&file_url(&out.join("index.html")));
    let title = |b: &Browser| {
        b.eval("return document.title;", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let home_title = title(&browser);

    // Follow the first section link in the nav, then "Next" in the pager.
    browser.click("#site-nav .nav-section > a");
    let section_title = browser.wait_for_title_change(&home_title);
    assert_ne!(
        section_title, home_title,
        "nav link opened a page from file://"
    );
    let current = browser.eval(
        "const a = document.querySelector('#site-nav [aria-current=page]'); return a && a.textContent;",
        json!([]),
    );
    assert!(
        section_title.starts_with(current.as_str().unwrap_or("?")),
        "{current} marks {section_title}"
    );
    browser.click(".pager-next");
    // Panics if the title never changes: the pager link opened nothing.
    browser.wait_for_title_change(&section_title);

    // On a phone the nav starts collapsed behind the Menu button.
    browser.viewport(360, 800);
    browser.goto(&file_url(&out.join("index.html")));
    // Under load the emulated width can reach a freshly loaded document a
    // moment late; the layout checks below only mean something once it has.
    browser.wait_until(
        "return window.innerWidth;",
        "the phone viewport on the reloaded page",
        |w| w == 360,
    );
    let state = |b: &Browser| -> Value {
        b.eval(
            "const n = document.getElementById('site-nav'); const btn = document.querySelector('.nav-toggle');
             return { expanded: btn.getAttribute('aria-expanded'), buttonVisible: btn.offsetParent !== null,
                      navVisible: n.offsetHeight > 0 && getComputedStyle(n).visibility !== 'hidden',
                      focus: document.activeElement === btn, width: window.innerWidth };",
            json!([]),
        )
    };
    let s = state(&browser);
    assert_eq!(s["buttonVisible"], true, "{s}");
    assert_eq!(s["expanded"], "false", "{s}");
    assert_eq!(s["navVisible"], false, "{s}");
    browser.click(".nav-toggle");
    let s = state(&browser);
    assert_eq!(s["expanded"], "true", "{s}");
    assert_eq!(s["navVisible"], true, "{s}");
    browser.press("\u{E00C}"); // Escape
    let s = state(&browser);
    assert_eq!(s["expanded"], "false", "{s}");
    assert_eq!(s["navVisible"], false, "{s}");
    assert_eq!(s["focus"], true, "focus returns to the button: {s}");
}

#[test]
fn glossary_terms_open_on_focus_and_tap_and_close_on_escape() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled(&[]);
    browser.viewport(1024, 800);
    // A headless window never has focus; make the page behave as if it had,
    // as a real browser window does while someone reads it.
    browser.cdp(
        "Emulation.setFocusEmulationEnabled",
        json!({ "enabled": true }),
    );
    let page = out.join("process/engraftment/index.html");
    browser.goto(&file_url(&page));
    let state = |b: &Browser| -> Value {
        b.eval(
            "const term = document.querySelector('a.gloss');
             const box = document.getElementById(term.getAttribute('aria-describedby'));
             const r = box.getBoundingClientRect();
             return { shown: !box.hidden && r.width > 0 && r.height > 0,
                      text: box.textContent, focused: document.activeElement === term,
                      more: !!box.querySelector('.gloss-more'), url: location.href };",
            json!([]),
        )
    };
    let s = state(&browser);
    assert_eq!(s["shown"], false, "definitions start hidden: {s}");

    // Keyboard: focusing the term shows its definition; Escape hides it
    // and leaves focus where it was.
    browser.eval("document.querySelector('a.gloss').focus();", json!([]));
    let s = state(&browser);
    assert_eq!(s["shown"], true, "shown on focus: {s}");
    assert!(!s["text"].as_str().unwrap_or("").is_empty());
    browser.press("\u{E00C}");
    let s = state(&browser);
    assert_eq!(s["shown"], false, "Escape hides it: {s}");
    assert_eq!(s["focused"], true, "focus stays on the term: {s}");

    // Touch: the first tap shows the definition with a link to the
    // glossary instead of leaving the page.
    browser.eval(
        "document.activeElement.blur(); window.scrollTo(0, 0);",
        json!([]),
    );
    browser.tap("a.gloss");
    let s = state(&browser);
    assert_eq!(s["shown"], true, "shown on tap: {s}");
    assert_eq!(s["more"], true, "tap offers the glossary link: {s}");
    assert!(
        s["url"]
            .as_str()
            .unwrap_or("")
            .ends_with("engraftment/index.html"),
        "did not navigate: {s}"
    );
    browser.press("\u{E00C}");
    assert_eq!(state(&browser)["shown"], false);

    // Without the script the term is still a link to its glossary entry.
    let href = browser.eval("return document.querySelector('a.gloss').href;", json!([]));
    let href = href.as_str().unwrap_or("");
    assert!(href.contains("/glossary/index.html#term-"), "{href}");
    browser.goto(href);
    let target = browser.eval(
        "return location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null;",
        json!([]),
    );
    assert_eq!(target, true, "the glossary has the entry");
}

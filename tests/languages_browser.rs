//! The multilingual fixture (`tests/fixtures/languages/`) in headless
//! Chromium: its Chinese and Arabic pages pass axe (WCAG 2.2 AA) light and
//! dark, desktop and phone; the language switcher keeps the reader on the
//! same page; a Chinese query in the search box finds the Chinese page;
//! and the Arabic pages are mirrored (navigation on the right).
//!
//! Without Chromium these tests skip, unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::path::Path;

use common::browser::{Browser, StaticServer, axe_every_page, browser_with_axe, file_url};
use common::built_on;
use serde_json::json;

fn built() -> tempfile::TempDir {
    built_on("2026-12-01", &common::fixture("languages"), &[]).0
}

#[test]
fn chinese_and_arabic_pages_pass_axe_light_dark_desktop_and_phone() {
    let Some((browser, source)) = browser_with_axe() else {
        return;
    };
    let out = built();
    let failures = axe_every_page(&browser, &source, out.path());
    assert!(
        failures.is_empty(),
        "accessibility failures:\n{}",
        failures.join("\n")
    );
}

fn href(browser: &Browser) -> String {
    browser
        .eval("return location.href;", json!([]))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_language_switcher_keeps_the_reader_on_the_same_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let out = built();
    let out = out.path();
    for width in [1280, 360] {
        browser.viewport(width, 800);
        browser.goto(&file_url(&out.join("zh/process/engraftment/index.html")));
        // The switcher names each language in itself; the current one is
        // marked, not a link.
        let offered = browser.eval(
            "return [...document.querySelectorAll('a[hreflang]:not(link)')]
                .filter(a => a.closest('nav'))
                .map(a => [a.getAttribute('hreflang'), a.textContent.trim(), a.offsetParent !== null]);",
            json!([]),
        );
        let offered = offered.as_array().unwrap();
        let tags: Vec<&str> = offered.iter().map(|o| o[0].as_str().unwrap()).collect();
        assert_eq!(tags, ["en-GB", "ar"], "{offered:?} at {width}px");
        assert!(offered.iter().all(|o| o[2] == true), "visible: {offered:?}");
        browser.click("nav a[hreflang=\"ar\"]");
        browser.wait_until("return location.href;", "the Arabic page", |h| {
            h.as_str()
                .unwrap_or("")
                .ends_with("/ar/process/engraftment/index.html")
        });
        browser.click("nav a[hreflang=\"en-GB\"]");
        browser.wait_until("return location.href;", "the English page", |h| {
            let h = h.as_str().unwrap_or("");
            h.ends_with("/process/engraftment/index.html") && !h.contains("/ar/")
        });
        assert!(!href(&browser).contains("/zh/"), "{}", href(&browser));
    }
}

#[test]
fn a_chinese_query_finds_the_chinese_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let out = built();
    let server = StaticServer::start(out.path(), "/docs/");
    browser.viewport(1280, 800);
    browser.goto(&format!("{}zh/index.html", server.url));
    browser.wait_until(
        "const w = document.querySelector('.site-search'); return !!w && !w.hidden;",
        "the search box",
        |v| v == true,
    );
    browser.eval(
        "const box = document.querySelector('.search-input'); box.focus(); box.value = '植入';
         box.dispatchEvent(new Event('input', { bubbles: true }));",
        json!([]),
    );
    let links = browser.wait_until(
        "return [...document.querySelectorAll('.search-result-link')].map(a => a.getAttribute('href'));",
        "search results for 植入",
        |v| v.as_array().is_some_and(|a| !a.is_empty()),
    );
    let links: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert!(
        links[0].contains("zh/process/engraftment/"),
        "first result: {links:?}"
    );
    assert!(
        links.iter().all(|l| l.contains("zh/")),
        "only Chinese pages: {links:?}"
    );
}

#[test]
fn arabic_pages_are_mirrored_with_the_navigation_on_the_right() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let out = built();
    browser.viewport(1280, 900);
    let place = |page: &Path| {
        browser.goto(&file_url(page));
        browser.eval(
            "const nav = document.getElementById('site-nav').getBoundingClientRect();
             const main = document.querySelector('main').getBoundingClientRect();
             return { nav: nav.left + nav.width / 2, main: main.left + main.width / 2,
                      dir: getComputedStyle(document.body).direction };",
            json!([]),
        )
    };
    let ar = place(&out.path().join("ar/process/engraftment/index.html"));
    assert_eq!(ar["dir"], "rtl", "{ar}");
    assert!(
        ar["nav"].as_f64().unwrap() > ar["main"].as_f64().unwrap(),
        "navigation right of the text: {ar}"
    );
    let en = place(&out.path().join("process/engraftment/index.html"));
    assert_eq!(en["dir"], "ltr", "{en}");
    assert!(
        en["nav"].as_f64().unwrap() < en["main"].as_f64().unwrap(),
        "navigation left of the text: {en}"
    );
}

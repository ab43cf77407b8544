//! The bundled site in a real browser and a real validator: valid HTML
//! (the Nu Html Checker), WCAG 2.2 AA (axe-core in headless Chromium, light
//! and dark schemes, desktop and a 360 px phone), navigation from `file://`
//! and the phone menu; on a phone every table cell in sight, no console
//! error on any page, favicons, a compact header, "On this page" following
//! the reading, and print showing each address once.
//!
//! The tools come from Debian (chromium, chromium-driver, a JRE) and npm
//! (axe-core, vnu-jar), installed by `.ci/run` into `target/test-tools`.
//! Without them these tests skip, unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::browser::{
    Browser, StaticServer, axe_every_page, browser_with_axe, file_url, skip_or_fail, tool,
};
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

/// Every cell of the tables on the loaded page, measured: one line per
/// table with cells a reader cannot see whole (cut off by the viewport or
/// by a scrolling box around the table, or with content spilling out of
/// the cell), as `table N (header…): K of M cells cut off`. A header row
/// hidden from sight (kept for screen readers, as in the narrow layout) is
/// not shown to anyone, and is skipped.
const CUT_OFF_CELLS: &str = r#"
    const vw = document.documentElement.clientWidth;
    const unseen = el => {
        for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
            const cs = getComputedStyle(e);
            if (cs.display === 'none' || cs.visibility === 'hidden') return true;
            const r = e.getBoundingClientRect();
            if (cs.position === 'absolute' && cs.overflow === 'hidden' && r.width <= 1 && r.height <= 1) return true;
        }
        return false;
    };
    const out = [];
    const tables = document.querySelectorAll('main table');
    tables.forEach((table, i) => {
        let cut = 0, cells = 0;
        table.querySelectorAll('th, td').forEach(cell => {
            if (unseen(cell)) return;
            cells++;
            let left = 0, right = vw;
            for (let e = cell.parentElement; e && e !== document.documentElement; e = e.parentElement) {
                if (getComputedStyle(e).overflowX !== 'visible') {
                    const b = e.getBoundingClientRect();
                    left = Math.max(left, b.left + e.clientLeft);
                    right = Math.min(right, b.left + e.clientLeft + e.clientWidth);
                }
            }
            const r = cell.getBoundingClientRect();
            if (r.left < left - 1 || r.right > right + 1 || cell.scrollWidth > cell.clientWidth + 1) cut++;
        });
        if (cut) {
            const head = (table.querySelector('th') || table).textContent.trim().slice(0, 30);
            out.push(`table ${i + 1} (${head}…): ${cut} of ${cells} cells cut off`);
        }
    });
    const icons = [...document.querySelectorAll('link[rel~="icon"]')];
    return { cut: out, tables: tables.length,
             sideways: document.documentElement.scrollWidth - vw,
             svgIcon: icons.filter(l => l.type === 'image/svg+xml').map(l => l.href),
             otherIcon: icons.filter(l => l.type !== 'image/svg+xml').map(l => l.href) };
"#;

/// A table a writer could put on any page: many columns, long words,
/// code and a link, inline markup in a header, an empty header cell and
/// aligned columns; then a footnote giving its source as a bare address.
const AWKWARD_TABLE: &str = "\n\n## A wide table\n\n| | **Dose** (mg) | `next_review` | Where | When | Notes |\n|---|--:|:-:|---|---|---|\n| Ciclosporin | 100 | `2026-01-01` | Haematology day unit | Twice a day | Take it at the same times every day, with or without food, unless [your team](https://www.example.org/a/rather/long/address/for/a/phone) says |\n| Immunosuppressants | 2.5 | `2027-12-31` | Ward | Morning | Immunosuppressive |\n\nDoses vary.[^doses]\n\n[^doses]: Source: <https://www.example.org/doses>\n";

/// What [`check_pages_on_a_phone`] saw.
#[derive(Default)]
struct PhoneReport {
    tables: usize,
    /// Every icon address the pages declare (SVG, then the others).
    svg_icons: std::collections::BTreeSet<String>,
    other_icons: std::collections::BTreeSet<String>,
}

/// Loads each page under `out` (served at `base`) at 360 px: its tables,
/// sideways scrolling, declared favicons and console errors.
fn check_pages_on_a_phone(
    browser: &Browser,
    out: &Path,
    base: &str,
    failures: &mut Vec<String>,
) -> PhoneReport {
    let mut report = PhoneReport::default();
    browser.viewport(360, 800);
    browser.logs();
    for page in html_files(out) {
        let rel = page
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        browser.goto(&format!("{base}{rel}"));
        browser.wait_until("return window.innerWidth;", "the phone viewport", |w| {
            w == 360
        });
        failures.extend(console_errors(browser, &rel));
        // A redirect page (an alias) has moved on to the page it names.
        if std::fs::read_to_string(&page)
            .unwrap()
            .contains("http-equiv=\"refresh\"")
        {
            continue;
        }
        let r = browser.eval(CUT_OFF_CELLS, json!([]));
        report.tables += r["tables"].as_u64().unwrap_or(0) as usize;
        for cut in r["cut"].as_array().into_iter().flatten() {
            failures.push(format!("{rel} [360px]: {}", cut.as_str().unwrap_or("")));
        }
        if r["sideways"].as_i64().unwrap_or(0) > 0 {
            failures.push(format!(
                "{rel} [360px]: page scrolls sideways by {}px",
                r["sideways"]
            ));
        }
        let icons = |key: &str| -> Vec<String> {
            r[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let (svg, other) = (icons("svgIcon"), icons("otherIcon"));
        if svg.len() != 1 || other.is_empty() {
            failures.push(format!(
                "{rel}: favicons declared: SVG {svg:?}, others {other:?} (want one SVG and a fallback)"
            ));
        }
        report.svg_icons.extend(svg);
        report.other_icons.extend(other);
    }
    // Late messages (browsers ask for icons after the page has loaded).
    std::thread::sleep(std::time::Duration::from_millis(300));
    failures.extend(console_errors(browser, "(after the last page)"));
    report
}

fn console_errors(browser: &Browser, page: &str) -> Vec<String> {
    browser
        .logs()
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .map(|(_, message)| format!("{page}: console error: {message}"))
        .collect()
}

/// Each icon loads as an image (over HTTP, or from `file://`).
fn icons_load(browser: &Browser, icons: &[String], failures: &mut Vec<String>) {
    let loaded = browser.eval_async(
        "const [urls, done] = arguments;
         Promise.all(urls.map(u => new Promise(ok => {
             const img = new Image();
             img.onload = () => ok([u, img.naturalWidth]);
             img.onerror = () => ok([u, 0]);
             img.src = u;
         }))).then(done);",
        json!([icons]),
    );
    for pair in loaded.as_array().into_iter().flatten() {
        if pair[1].as_u64().unwrap_or(0) == 0 {
            failures.push(format!("favicon {} does not load", pair[0]));
        }
    }
}

/// The site header on a phone: under `MAX_PHONE_HEADER` px, with the
/// title, the search box and the Menu button all shown and not overlapping.
fn header_is_compact(browser: &Browser, url: &str, failures: &mut Vec<String>) {
    browser.viewport(360, 800);
    browser.goto(url);
    browser.wait_until("return window.innerWidth;", "the phone viewport", |w| {
        w == 360
    });
    let h = browser.wait_until(
        "const box = s => { const e = document.querySelector(s); const r = e.getBoundingClientRect();
                            return r.width > 0 ? [r.left, r.top, r.right, r.bottom] : null; };
         const search = document.querySelector('.site-search');
         if (!search || search.hidden) return null;
         return { height: document.querySelector('.site-header').getBoundingClientRect().height,
                  title: box('.site-title'), search: box('.search-input'), menu: box('.nav-toggle') };",
        "the search box and Menu button (shown by the scripts)",
        |v| v.is_object(),
    );
    let height = h["height"].as_f64().unwrap_or(f64::MAX);
    if height > MAX_PHONE_HEADER {
        failures.push(format!(
            "the header is {height:.0}px tall at 360px (at most {MAX_PHONE_HEADER}px): {h}"
        ));
    }
    let boxes: Vec<(&str, Vec<f64>)> = ["title", "search", "menu"]
        .iter()
        .map(|k| {
            let b = h[*k]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect());
            (*k, b.unwrap_or_default())
        })
        .collect();
    for (i, (a, ra)) in boxes.iter().enumerate() {
        if ra.len() != 4 || ra[0] < 0.0 || ra[2] > 360.0 {
            failures.push(format!("header at 360px: the {a} is not shown whole: {h}"));
            continue;
        }
        for (b, rb) in &boxes[i + 1..] {
            let apart = rb.len() != 4
                || ra[2] <= rb[0]
                || rb[2] <= ra[0]
                || ra[3] <= rb[1]
                || rb[3] <= ra[1];
            if !apart {
                failures.push(format!("header at 360px: the {a} and the {b} overlap: {h}"));
            }
        }
    }
}

/// In the meta line under the title and the review footer, a "·"
/// separator ends the item before it: on a narrow screen a wrapped line
/// never starts with one.
fn separators_end_lines(browser: &Browser, base: &str, failures: &mut Vec<String>) {
    browser.viewport(360, 800);
    for page in ["", "process/conditioning/"] {
        browser.goto(&format!("{base}{page}"));
        browser.wait_until("return window.innerWidth;", "the phone viewport", |w| {
            w == 360
        });
        let found = browser.eval(
            "const out = [];
             for (const box of document.querySelectorAll('.page-meta, .review-dates')) {
                 const items = [...box.children].filter(e => e.tagName === 'SPAN');
                 const left = Math.min(...items.map(e => e.getBoundingClientRect().left));
                 let marks = 0;
                 items.forEach((e, i) => {
                     const before = getComputedStyle(e, '::before').content;
                     const after = getComputedStyle(e, '::after').content;
                     if (before.includes('\\u00b7')) marks++;
                     if (after.includes('\\u00b7')) marks++;
                     const starts = Math.abs(e.getBoundingClientRect().left - left) < 1;
                     if (i > 0 && starts && before.includes('\\u00b7'))
                         out.push(box.className + ': a line starts with a separator: ' + e.textContent.trim());
                 });
                 if (items.length > 1 && marks !== items.length - 1)
                     out.push(box.className + ': ' + marks + ' separators between ' + items.length + ' items');
             }
             return out;",
            json!([]),
        );
        for f in found.as_array().into_iter().flatten() {
            failures.push(format!("/{page} [360px]: {}", f.as_str().unwrap_or("")));
        }
    }
}

/// Printed, a link's web address follows its text once: not after a link
/// whose text is the address already (the footnotes' sources).
fn print_shows_each_address_once(browser: &Browser, url: &str, failures: &mut Vec<String>) {
    browser.viewport(1280, 800);
    browser.goto(url);
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    let found = browser.eval(
        "const links = [...document.querySelectorAll('main a[href^=\"http\"]')];
         const twice = links.filter(a => {
             const shown = a.textContent + getComputedStyle(a, '::after').content;
             return shown.split(a.href.replace(/\\/$/, '')).length > 2;
         }).map(a => a.href);
         const bare = links.filter(a => a.textContent.trim() === a.href).length;
         const shownOnce = links.filter(a => getComputedStyle(a, '::after').content.includes(a.getAttribute('href'))).length;
         return { twice, bare, shownOnce };",
        json!([]),
    );
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
    for href in found["twice"].as_array().into_iter().flatten() {
        failures.push(format!("printed, {url} shows {href} twice"));
    }
    // The page has both kinds of link, so both rules were seen at work.
    if found["bare"].as_u64().unwrap_or(0) == 0 || found["shownOnce"].as_u64().unwrap_or(0) == 0 {
        failures.push(format!("printed {url}: want links of both kinds: {found}"));
    }
}

/// The added table of the starter page ([`AWKWARD_TABLE`]) at 360 px is
/// laid out as blocks, yet Chromium's accessibility tree still has a
/// table with its column headers and cells, and no label read as text;
/// wide, and printed, it is a table again.
fn stacked_tables_stay_tables(browser: &Browser, url: &str, failures: &mut Vec<String>) {
    let display = |b: &Browser| {
        b.eval(
            "return getComputedStyle(document.querySelector('main table')).display;",
            json!([]),
        )
    };
    browser.viewport(360, 800);
    browser.goto(url);
    browser.wait_until("return window.innerWidth;", "the phone viewport", |w| {
        w == 360
    });
    if display(browser) != json!("block") {
        failures.push(format!(
            "360px: the table is not in blocks: {}",
            display(browser)
        ));
    }
    browser.cdp("Accessibility.enable", json!({}));
    let tree = browser.cdp("Accessibility.getFullAXTree", json!({}));
    browser.cdp("Accessibility.disable", json!({}));
    let nodes = tree["nodes"].as_array().cloned().unwrap_or_default();
    let shown: Vec<(String, String)> = nodes
        .iter()
        .filter(|n| n["ignored"] != json!(true))
        .map(|n| {
            (
                n["role"]["value"].as_str().unwrap_or("").to_string(),
                n["name"]["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let count = |role: &str| shown.iter().filter(|(r, _)| r == role).count();
    // 5 headers (the empty corner is a cell), the corner + 2 rows of 6.
    let (tables, headers, cells) = (count("table"), count("columnheader"), count("cell"));
    if (tables, headers, cells) != (1, 5, 13) {
        failures.push(format!(
            "360px: the accessibility tree has {tables} tables, {headers} column headers, {cells} cells (want 1, 5, 13)"
        ));
    }
    let where_read = shown
        .iter()
        .filter(|(r, n)| r == "StaticText" && n == "Where")
        .count();
    if where_read != 1 {
        failures.push(format!(
            "360px: the header `Where` is read {where_read} times (the labels must be silent)"
        ));
    }
    if let Some((_, n)) = shown
        .iter()
        .find(|(r, n)| r == "cell" && n.starts_with("Where"))
    {
        failures.push(format!("360px: a cell is named with its label: `{n}`"));
    }
    browser.viewport(1280, 800);
    if display(browser) != json!("table") {
        failures.push(format!(
            "1280px: the table is not a table: {}",
            display(browser)
        ));
    }
    browser.viewport(360, 800);
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    if display(browser) != json!("table") {
        failures.push(format!(
            "printed: the table is not a table: {}",
            display(browser)
        ));
    }
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
}

/// The tallest the site header may be on a 360 px phone. Measured: 178 px
/// before the compact header (title, Menu and search box on three rows),
/// 95 px after (the title, then the search box beside the Menu button).
const MAX_PHONE_HEADER: f64 = 100.0;

/// Scrolling a heading to the top of the window marks its link in "On
/// this page" with `aria-current`, and only that link; so does following a
/// link to the last section.
fn toc_follows_scrolling(browser: &Browser, url: &str, failures: &mut Vec<String>) {
    browser.viewport(1280, 800);
    browser.goto(url);
    let current = |b: &Browser| -> Value {
        b.eval(
            "const on = [...document.querySelectorAll('.toc a[aria-current]')];
             return on.map(a => a.getAttribute('href'));",
            json!([]),
        )
    };
    let ids = browser.eval(
        "return [...document.querySelectorAll('.toc a')].map(a => a.getAttribute('href'));",
        json!([]),
    );
    let ids: Vec<String> = ids
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if ids.len() < 3 {
        failures.push(format!(
            "{url}: want a page with 3 or more sections: {ids:?}"
        ));
        return;
    }
    for href in [&ids[1], &ids[ids.len() / 2], &ids[0]] {
        browser.eval(
            "document.getElementById(decodeURIComponent(arguments[0].slice(1))).scrollIntoView();",
            json!([href]),
        );
        let seen = browser
            .try_wait_until(
                "return [...document.querySelectorAll('.toc a[aria-current]')].map(a => a.getAttribute('href'));",
                |v| v == &json!([href]),
            )
            .unwrap_or_else(|| current(browser));
        if seen != json!([href]) {
            failures.push(format!(
                "scrolled to {href}: the links marked current are {seen}"
            ));
        }
    }
    let last = ids.last().unwrap();
    browser.click(&format!(".toc a[href=\"{last}\"]"));
    let seen = browser
        .try_wait_until(
            "return [...document.querySelectorAll('.toc a[aria-current]')].map(a => a.getAttribute('href'));",
            |v| v == &json!([last]),
        )
        .unwrap_or_else(|| current(browser));
    if seen != json!([last]) {
        failures.push(format!(
            "followed the link to {last}: the links marked current are {seen}"
        ));
    }
}

/// The "/" key hint shows where there is a mouse and keyboard, not on a
/// touch screen.
fn search_hint_needs_a_keyboard(browser: &Browser, url: &str, failures: &mut Vec<String>) {
    let shown = |b: &Browser| -> Value {
        b.wait_until(
            "const k = document.querySelector('.search-key');
             const s = document.querySelector('.site-search');
             if (!k || !s || s.hidden) return null;
             return k.getBoundingClientRect().width > 0 && getComputedStyle(k).display !== 'none';",
            "the search box (shown by search.js)",
            |v| v.is_boolean(),
        )
    };
    browser.viewport(1280, 800);
    browser.goto(url);
    if shown(browser) != json!(true) {
        failures.push("with a mouse, the \"/\" hint is hidden".into());
    }
    let described = browser.eval(
        "return document.querySelector('.search-input').getAttribute('aria-describedby');",
        json!([]),
    );
    if described != json!("marrow-search-key") {
        failures.push(format!(
            "with a keyboard, the box is not described by the \"/\" hint ({described})"
        ));
    }
    // Some touch screens claim to hover (a stylus, or mouse emulation):
    // headless Chromium cannot be made one, so the rule is read instead.
    let coarse_rule = browser.eval(
        "const rules = s => [...s.cssRules].flatMap(r => r.cssRules ? [r, ...rules(r)] : [r]);
         return [...document.styleSheets].flatMap(rules).some(r =>
             r instanceof CSSMediaRule && /pointer:\\s*coarse/.test(r.conditionText) &&
             [...r.cssRules].some(i => i.selectorText === '.search-key' && i.style.display === 'none'));",
        json!([]),
    );
    if coarse_rule != json!(true) {
        failures.push("no `(pointer: coarse)` rule hides the \"/\" hint".into());
    }
    let touching = |b: &Browser| {
        b.eval(
            "return matchMedia('(hover: none) and (pointer: coarse)').matches;",
            json!([]),
        ) == json!(true)
    };
    if touching(browser) {
        failures.push("a mouse is emulated, yet the page sees a touch screen".into());
    }
    for width in [1280, 360] {
        browser.viewport(width, 800);
        browser.touch(true);
        browser.goto(url);
        // The first page a new renderer shows may miss the emulation.
        if !touching(browser) {
            browser.goto(url);
        }
        if !touching(browser) {
            failures.push("touch emulation did not reach the page".into());
        }
        if shown(browser) != json!(false) {
            failures.push(format!(
                "on a touch screen {width}px wide, the \"/\" hint shows"
            ));
        }
        let described = browser.eval(
            "return document.querySelector('.search-input').getAttribute('aria-describedby');",
            json!([]),
        );
        if described != Value::Null {
            failures.push(format!(
                "on a touch screen {width}px wide, screen readers still announce the \"/\" hint ({described})"
            ));
        }
        browser.touch(false);
    }
}

/// In Chromium, one session for everything: on a 360 px phone every cell
/// of every table is visible whole (the bundled guide with its writer's
/// guide, and a starter site with an awkward table added); no page of
/// either logs a console error (a missing favicon included) hosted under
/// a sub-path; every page declares a favicon (SVG and a fallback) that
/// loads over HTTP and from `file://`; the phone header is compact; "On
/// this page" follows the scrolling; the "/" hint needs a keyboard.
#[test]
fn phones_console_favicon_and_reading_aids() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled(&["--base-url", "https://example.org/docs/"]);
    let mut failures = Vec::new();
    let server = StaticServer::start(&out, "/docs/");
    let report = check_pages_on_a_phone(&browser, &out, &server.url, &mut failures);
    assert!(
        report.tables >= 20,
        "the bundled guide has its tables: {}",
        report.tables
    );
    // One address each for the whole site, under the sub-path.
    for icons in [&report.svg_icons, &report.other_icons] {
        if icons.len() > 2 || !icons.iter().all(|u| u.starts_with(&server.url)) {
            failures.push(format!("favicons not at the site's root: {icons:?}"));
        }
    }
    let icons: Vec<String> = report
        .svg_icons
        .iter()
        .chain(&report.other_icons)
        .cloned()
        .collect();
    icons_load(&browser, &icons, &mut failures);
    // From disk: the same icons, relative to a page two folders down.
    browser.goto(&file_url(&out.join("process/conditioning/index.html")));
    let on_disk = browser.eval(
        "return [...document.querySelectorAll('link[rel~=\"icon\"]')].map(l => l.href);",
        json!([]),
    );
    let on_disk: Vec<String> = on_disk
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if on_disk.len() < 2 {
        failures.push(format!("from file://, favicons declared: {on_disk:?}"));
    }
    icons_load(&browser, &on_disk, &mut failures);

    let page = format!("{}process/conditioning/", server.url);
    header_is_compact(&browser, &page, &mut failures);
    separators_end_lines(&browser, &server.url, &mut failures);
    toc_follows_scrolling(&browser, &page, &mut failures);
    search_hint_needs_a_keyboard(&browser, &page, &mut failures);
    drop(server);

    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("starter");
    let run = common::marrow(&["new", "site", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.join("content/treatment/before-treatment.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str(AWKWARD_TABLE);
    std::fs::write(&page, text).unwrap();
    let starter_out = site.join("output");
    let run = build(&site, &starter_out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = StaticServer::start(&starter_out, "/");
    let report = check_pages_on_a_phone(&browser, &starter_out, &server.url, &mut failures);
    assert_eq!(report.tables, 1, "the starter with the added table");
    let page = format!("{}treatment/before-treatment/", server.url);
    print_shows_each_address_once(&browser, &page, &mut failures);
    stacked_tables_stay_tables(&browser, &page, &mut failures);

    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Reader details that need no browser, on every page of the bundled
/// guide: the home page is "Home" wherever it is linked by name (menu,
/// breadcrumbs, pager), and a section's "Related pages" never repeat the
/// pages it lists right above them.
#[test]
fn home_is_home_everywhere_and_related_pages_are_new() {
    use scraper::{Html, Selector};
    let (_tmp, out) = build_bundled(&[]);
    let sel = |s: &str| Selector::parse(s).unwrap();
    let (menu_home, crumb, pager, cards, related) = (
        sel(".nav-home a"),
        sel(".breadcrumbs a"),
        sel(".pager a"),
        sel(".card-list a"),
        sel(".related a"),
    );
    let home = std::fs::canonicalize(out.join("index.html")).unwrap();
    let target = |page: &Path, href: &str| {
        std::fs::canonicalize(page.parent().unwrap().join(href.split('#').next().unwrap()))
            .unwrap_or_default()
    };
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let mut failures = Vec::new();
    let mut sections = 0;
    // 404.html links from the server root; it has no breadcrumbs or pager.
    for page in html_files(&out)
        .into_iter()
        .filter(|p| !p.ends_with("404.html"))
    {
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let shown = page.strip_prefix(&out).unwrap().display().to_string();
        for a in doc
            .select(&menu_home)
            .chain(doc.select(&crumb))
            .chain(doc.select(&pager))
        {
            let href = a.value().attr("href").unwrap_or("");
            let name = a
                .select(&sel(".pager-title"))
                .next()
                .map_or_else(|| text(a), text);
            if (target(&page, href) == home) != (name == "Home") {
                failures.push(format!("{shown}: link `{name}` to {href}"));
            }
        }
        let listed: Vec<PathBuf> = doc
            .select(&cards)
            .map(|a| target(&page, a.value().attr("href").unwrap_or("")))
            .collect();
        if !listed.is_empty() && doc.select(&related).next().is_some() {
            sections += 1;
        }
        for a in doc.select(&related) {
            if listed.contains(&target(&page, a.value().attr("href").unwrap_or(""))) {
                failures.push(format!(
                    "{shown}: related page `{}` is listed above already",
                    text(a)
                ));
            }
        }
    }
    assert!(sections > 0, "some section pages have related pages");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

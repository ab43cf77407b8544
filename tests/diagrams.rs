//! The bundled site's SVG pictures (`![alt](picture.svg)`, shown as
//! `<img>`) in headless Chromium, as a reader sees them:
//!
//! - on a 360 px phone, every piece of text in every picture renders at
//!   10 px or more and none is cut off at the picture's edge;
//! - in the dark scheme the picture itself turns dark (no white panel), and
//!   in both schemes its text keeps WCAG AA contrast against what is really
//!   drawn behind it;
//! - the pages that show pictures pass axe-core in the dark scheme.
//!
//! Sizes are measured, not read from the source: each picture is loaded
//! into an iframe exactly as large as its `<img>` on the page (so the
//! picture's own `@media` rules see the same size as in the `<img>`), and
//! each `<text>`'s computed font size is multiplied by the scale of its
//! `getScreenCTM()`. Colours come from a screenshot of the `<img>` itself.
//! A last test breaks a picture on purpose and checks that every check
//! notices. Skips without Chromium unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::browser::{Browser, axe, file_url, skip_or_fail, test_tools_dir};
use common::{build, html_files};
use serde_json::{Value, json};

/// Phone width of the issue: smallest text is measured here.
const PHONE: u32 = 360;
/// Smallest text size a picture may render at on the phone, in CSS px.
const MIN_TEXT_PX: f64 = 10.0;
/// The pictures the bundled guide ships; the checks must find them all.
const BUNDLED_PICTURES: [&str; 2] = ["process/timeline.svg", "process/blood-counts.svg"];

fn build_bundled() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let run = build(root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, out)
}

/// Pages that show an SVG `<img>` (404.html excepted: from `file://` its
/// stylesheet cannot load, and it shows no pictures).
fn pages_with_pictures(out: &Path) -> Vec<PathBuf> {
    let img = scraper::Selector::parse("img[src]").unwrap();
    html_files(out)
        .into_iter()
        .filter(|p| !p.ends_with("404.html"))
        .filter(|p| {
            let doc = scraper::Html::parse_document(&std::fs::read_to_string(p).unwrap());
            doc.select(&img).any(|i| {
                let src = i.value().attr("src").unwrap_or_default();
                src.split(['?', '#'])
                    .next()
                    .is_some_and(|s| s.to_ascii_lowercase().ends_with(".svg"))
            })
        })
        .collect()
}

/// One SVG `<img>` on a loaded page.
struct Picture {
    /// The file it shows, relative to the output folder.
    file: String,
    path: PathBuf,
    /// Rendered box in document coordinates (CSS px).
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// Loads `page` at `width` in `scheme` and lists its SVG images once they
/// have loaded and the emulated width has reached the document.
fn load(browser: &Browser, out: &Path, page: &Path, scheme: &str, width: u32) -> Vec<Picture> {
    browser.color_scheme(scheme);
    browser.viewport(width, 1000);
    browser.goto(&file_url(page));
    let script = format!(
        "if (window.innerWidth !== {width}) return null;
         const imgs = [...document.images].filter(i => /\\.svg$/i.test(new URL(i.currentSrc || i.src).pathname));
         if (!imgs.every(i => i.complete)) return null;
         return imgs.map(i => {{
             const r = i.getBoundingClientRect();
             return {{ src: i.currentSrc || i.src, x: r.left + scrollX, y: r.top + scrollY,
                      width: r.width, height: r.height, loaded: i.naturalWidth > 0 }};
         }});"
    );
    let list = browser.wait_until(&script, "the page's SVG images to load", Value::is_array);
    let root = out.canonicalize().unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let src = i["src"].as_str().unwrap();
            assert_eq!(i["loaded"], true, "{}: {src} did not load", page.display());
            let local = src
                .strip_prefix("file://")
                .unwrap_or_else(|| panic!("{src}"));
            let path = PathBuf::from(
                percent_encoding::percent_decode_str(local)
                    .decode_utf8_lossy()
                    .into_owned(),
            );
            let file = path
                .strip_prefix(&root)
                .map_or_else(|_| src.to_string(), |p| p.display().to_string());
            Picture {
                file,
                path,
                x: i["x"].as_f64().unwrap(),
                y: i["y"].as_f64().unwrap(),
                width: i["width"].as_f64().unwrap(),
                height: i["height"].as_f64().unwrap(),
            }
        })
        .collect()
}

/// Puts the SVG into an off-screen iframe as large as its `<img>` and
/// measures every rendered piece of text: its size in CSS px, its box
/// (relative to the picture) and its computed fill.
const MEASURE_TEXT: &str = r#"
    const [svgText, width, height, done] = arguments;
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.style.cssText = `position:absolute;left:-20000px;top:0;border:0;margin:0;padding:0;width:${width}px;height:${height}px`;
    frame.srcdoc = '<!DOCTYPE html><style>html,body{margin:0;height:100%}svg{display:block;width:100%;height:100%}</style>';
    const finish = r => { frame.remove(); done(r); };
    frame.onload = () => {
        try {
            const doc = frame.contentDocument, win = frame.contentWindow;
            const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
            const err = parsed.querySelector('parsererror');
            if (err || parsed.documentElement.localName !== 'svg') {
                finish({ error: 'not a well-formed SVG: ' + (err ? err.textContent : parsed.documentElement.localName) });
                return;
            }
            const svg = doc.importNode(parsed.documentElement, true);
            doc.body.appendChild(svg);
            const box = svg.getBoundingClientRect();
            const texts = [];
            for (const el of svg.querySelectorAll('text, tspan, textPath')) {
                const own = [...el.childNodes].filter(n => n.nodeType === 3)
                    .map(n => n.textContent).join('').trim();
                if (!own) continue;
                const r = el.getBoundingClientRect();
                const cs = win.getComputedStyle(el);
                if (r.width === 0 || r.height === 0 || cs.visibility !== 'visible') continue;
                const m = el.getScreenCTM();
                const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
                texts.push({ text: own.slice(0, 60), px: parseFloat(cs.fontSize) * scale,
                             bold: parseInt(cs.fontWeight, 10) >= 700, fill: cs.fill,
                             left: r.left - box.left, top: r.top - box.top,
                             right: r.right - box.left, bottom: r.bottom - box.top });
            }
            finish({ texts, width: box.width, height: box.height });
        } catch (e) {
            finish({ error: String(e) });
        }
    };
    document.body.appendChild(frame);
"#;

/// Reads a screenshot of a picture (PNG, base64) into a canvas and reports
/// the colour most of it is painted in, the share of near-white pixels,
/// and, for each text, the colour most of its box is painted in and the
/// contrast of the text's fill against it.
const READ_PIXELS: &str = r#"
    const [png, texts, done] = arguments;
    const lum = ([r, g, b]) => {
        const f = c => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const parse = s => {
        const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(s || '');
        return m && (m[4] === undefined || +m[4] === 1) ? [+m[1], +m[2], +m[3]] : null;
    };
    const img = new Image();
    img.onerror = () => done({ error: 'the screenshot did not decode' });
    img.onload = () => {
        const c = document.createElement('canvas');
        c.width = img.width; c.height = img.height;
        const ctx = c.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        const mostly = (x0, y0, x1, y1) => {
            x0 = Math.max(0, Math.floor(x0)); y0 = Math.max(0, Math.floor(y0));
            x1 = Math.min(c.width, Math.ceil(x1)); y1 = Math.min(c.height, Math.ceil(y1));
            const counts = new Map();
            let best = null, most = 0;
            for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
                const i = (y * c.width + x) * 4;
                const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
                const n = (counts.get(key) || 0) + 1;
                counts.set(key, n);
                if (n > most) { most = n; best = key; }
            }
            return best === null ? null : [best >> 16, (best >> 8) & 255, best & 255];
        };
        let bright = 0;
        for (let i = 0; i < data.length; i += 4) if (lum([data[i], data[i + 1], data[i + 2]]) > 0.9) bright++;
        const background = mostly(0, 0, c.width, c.height);
        done({
            background, backgroundLuminance: lum(background),
            brightShare: bright / (c.width * c.height),
            texts: texts.map(t => {
                const fill = parse(t.fill);
                const behind = mostly(t.left, t.top, t.right, t.bottom);
                return { text: t.text, fill: t.fill, behind: behind && `rgb(${behind.join(', ')})`,
                         ratio: fill && behind ? ratio(fill, behind) : null };
            }),
        });
    };
    img.src = 'data:image/png;base64,' + png;
"#;

/// What the checks found wrong, by kind, as readable lines.
#[derive(Default)]
struct Findings {
    /// Text under [`MIN_TEXT_PX`] on the phone.
    small: Vec<String>,
    /// Text reaching past the picture's edge.
    cut: Vec<String>,
    /// Text under WCAG AA contrast against what is drawn behind it.
    contrast: Vec<String>,
    /// A picture that stays light in the dark scheme.
    light_in_dark: Vec<String>,
    /// Pictures that could not be measured at all.
    broken: Vec<String>,
    /// Every picture checked, with its smallest text size in px.
    smallest: BTreeMap<String, f64>,
    /// Every text's contrast, for the report: (picture, scheme) -> lowest ratio.
    lowest_contrast: BTreeMap<(String, String), f64>,
}

impl Findings {
    fn all(&self) -> Vec<String> {
        [
            &self.small,
            &self.cut,
            &self.contrast,
            &self.light_in_dark,
            &self.broken,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

/// Measures every SVG picture of `pages` on a phone, light and dark.
fn check_pictures(browser: &Browser, out: &Path, pages: &[PathBuf]) -> Findings {
    let mut found = Findings::default();
    for scheme in ["light", "dark"] {
        for page in pages {
            let shown_page = page.strip_prefix(out).unwrap().display().to_string();
            for pic in load(browser, out, page, scheme, PHONE) {
                let at = format!("{shown_page}: {} [{scheme}, {PHONE}px]", pic.file);
                if pic.width < 1.0 || pic.height < 1.0 {
                    continue; // not shown at this width
                }
                let svg = std::fs::read_to_string(&pic.path)
                    .unwrap_or_else(|e| panic!("{at}: read {}: {e}", pic.path.display()));
                let m = browser.eval_async(MEASURE_TEXT, json!([svg, pic.width, pic.height]));
                if let Some(e) = m["error"].as_str() {
                    found.broken.push(format!("{at}: {e}"));
                    continue;
                }
                let texts = m["texts"].as_array().cloned().unwrap_or_default();
                let (w, h) = (pic.width, pic.height);
                let mut smallest = f64::INFINITY;
                let mut small = Vec::new();
                for t in &texts {
                    let text = t["text"].as_str().unwrap_or_default();
                    let px = t["px"].as_f64().unwrap_or(0.0);
                    smallest = smallest.min(px);
                    if px < MIN_TEXT_PX {
                        small.push((px, text.to_string()));
                    }
                    let (l, tp, r, b) = (
                        t["left"].as_f64().unwrap_or(0.0),
                        t["top"].as_f64().unwrap_or(0.0),
                        t["right"].as_f64().unwrap_or(0.0),
                        t["bottom"].as_f64().unwrap_or(0.0),
                    );
                    if l < -0.5 || tp < -0.5 || r > w + 0.5 || b > h + 0.5 {
                        found.cut.push(format!(
                            "{at}: \"{text}\" reaches outside the picture \
                             ({l:.0}..{r:.0} × {tp:.0}..{b:.0} in {w:.0} × {h:.0})"
                        ));
                    }
                }
                if !small.is_empty() {
                    small.sort_by(|a, b| a.0.total_cmp(&b.0));
                    let shown: Vec<String> = small
                        .iter()
                        .take(4)
                        .map(|(px, text)| format!("\"{text}\" {px:.1} px"))
                        .collect();
                    let more = small.len().saturating_sub(shown.len());
                    found.small.push(format!(
                        "{at}: {} under {MIN_TEXT_PX} px (picture {w:.0} px wide): {}{}",
                        if small.len() == 1 {
                            "1 text".to_string()
                        } else {
                            format!("{} texts", small.len())
                        },
                        shown.join(", "),
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    ));
                }
                let entry = found
                    .smallest
                    .entry(pic.file.clone())
                    .or_insert(f64::INFINITY);
                *entry = entry.min(smallest);

                // What the reader sees: a screenshot of the <img> itself.
                // Centred in the viewport, clear of anything fixed at its edges.
                browser.eval(
                    "window.scrollTo(0, Math.max(0, arguments[0] - (innerHeight - arguments[1]) / 2));",
                    json!([pic.y, h]),
                );
                let in_view = browser.eval(
                    "return arguments[0] >= scrollY && arguments[0] + arguments[1] <= scrollY + innerHeight;",
                    json!([pic.y, h]),
                );
                assert_eq!(
                    in_view, true,
                    "{at}: the picture ({h:.0} px tall) does not fit in the test viewport"
                );
                let shot = browser.cdp(
                    "Page.captureScreenshot",
                    json!({ "format": "png", "captureBeyondViewport": false,
                            "clip": { "x": pic.x, "y": pic.y, "width": w, "height": h, "scale": 1 } }),
                );
                let png = shot["data"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{at}: no screenshot: {shot}"));
                let px = browser.eval_async(READ_PIXELS, json!([png, texts]));
                if let Some(e) = px["error"].as_str() {
                    found.broken.push(format!("{at}: {e}"));
                    continue;
                }
                let bg_lum = px["backgroundLuminance"].as_f64().unwrap_or(1.0);
                let bright = px["brightShare"].as_f64().unwrap_or(1.0);
                if scheme == "dark" && (bg_lum > 0.1 || bright > 0.05) {
                    found.light_in_dark.push(format!(
                        "{at}: mostly painted {} (relative luminance {bg_lum:.2}; \
                         {:.0}% near-white pixels): not dark",
                        px["background"],
                        bright * 100.0
                    ));
                }
                let lowest = found
                    .lowest_contrast
                    .entry((pic.file.clone(), scheme.to_string()))
                    .or_insert(f64::INFINITY);
                for (t, measured) in texts
                    .iter()
                    .zip(px["texts"].as_array().into_iter().flatten())
                {
                    let text = t["text"].as_str().unwrap_or_default();
                    let size = t["px"].as_f64().unwrap_or(0.0);
                    // WCAG large text: 18 pt, or 14 pt bold.
                    let large = size >= 24.0 || (size >= 18.66 && t["bold"] == true);
                    let needed = if large { 3.0 } else { 4.5 };
                    match measured["ratio"].as_f64() {
                        Some(ratio) => {
                            *lowest = lowest.min(ratio);
                            if ratio < needed {
                                found.contrast.push(format!(
                                    "{at}: \"{text}\" {} on {}: {ratio:.2}:1, needs {needed}:1",
                                    measured["fill"], measured["behind"]
                                ));
                            }
                        }
                        None => found.contrast.push(format!(
                            "{at}: \"{text}\": fill {} is not a plain colour; contrast unknown",
                            measured["fill"]
                        )),
                    }
                }
            }
        }
    }
    found
}

/// axe on `pages` in the dark scheme, desktop and phone.
fn axe_dark(browser: &Browser, source: &str, out: &Path, pages: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for width in [1280, PHONE] {
        for page in pages {
            load(browser, out, page, "dark", width);
            let shown = format!(
                "{} [dark, {width}px]",
                page.strip_prefix(out).unwrap().display()
            );
            failures.extend(
                axe(browser, source)
                    .into_iter()
                    .map(|v| format!("{shown}: {v}")),
            );
        }
    }
    failures
}

fn axe_source() -> Option<String> {
    let path = test_tools_dir().join("node_modules/axe-core/axe.min.js");
    if !path.is_file() {
        skip_or_fail(&format!("{} (run .ci/run's npm install)", path.display()))?;
    }
    Some(std::fs::read_to_string(path).unwrap())
}

/// The pictures checked must include every picture the guide ships.
fn assert_found_bundled(found: &Findings) {
    let checked: BTreeSet<&str> = found.smallest.keys().map(String::as_str).collect();
    for pic in BUNDLED_PICTURES {
        assert!(
            checked.contains(pic),
            "{pic} was not found on any page; checked: {checked:?}"
        );
    }
}

fn report(found: &Findings) {
    for (file, px) in &found.smallest {
        eprintln!("{file}: smallest text {px:.1} px at {PHONE} px");
    }
    for ((file, scheme), ratio) in &found.lowest_contrast {
        eprintln!("{file}: lowest text contrast {ratio:.2}:1 [{scheme}]");
    }
}

#[test]
fn picture_text_is_at_least_10px_and_uncut_on_a_360px_phone() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled();
    let pages = pages_with_pictures(&out);
    let found = check_pictures(&browser, &out, &pages);
    report(&found);
    assert_found_bundled(&found);
    let failures: Vec<String> = [&found.small, &found.cut, &found.broken]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    assert!(
        failures.is_empty(),
        "picture text too small or cut off on a phone:\n{}",
        failures.join("\n")
    );
}

#[test]
fn pictures_turn_dark_in_the_dark_scheme_and_keep_aa_text_contrast() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled();
    let pages = pages_with_pictures(&out);
    let found = check_pictures(&browser, &out, &pages);
    assert_found_bundled(&found);
    let failures: Vec<String> = [&found.light_in_dark, &found.contrast, &found.broken]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    assert!(
        failures.is_empty(),
        "pictures in light and dark schemes:\n{}",
        failures.join("\n")
    );
}

#[test]
fn pages_with_pictures_pass_axe_in_the_dark_scheme() {
    let Some(source) = axe_source() else {
        return;
    };
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled();
    let pages = pages_with_pictures(&out);
    assert!(!pages.is_empty(), "no page shows an SVG picture");
    let failures = axe_dark(&browser, &source, &out, &pages);
    assert!(
        failures.is_empty(),
        "accessibility failures in the dark scheme:\n{}",
        failures.join("\n")
    );
}

/// Printed, the theme puts the page on white paper even for a reader who
/// uses the dark scheme; the pictures must print light with it. (Chromium
/// shows an SVG `<img>` in the `color-scheme` of the `<img>`, which the
/// theme's print stylesheet sets to `light`.)
#[test]
fn pictures_print_light_even_in_the_dark_scheme() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled();
    let mut failures = Vec::new();
    let mut checked = 0;
    for page in pages_with_pictures(&out) {
        let pictures = load(&browser, &out, &page, "dark", 1280);
        browser.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": "print",
                    "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
        );
        for (n, pic) in pictures.iter().enumerate() {
            // The print stylesheet moves things: find the picture again.
            let r = browser.eval(
                "const i = [...document.images]
                     .filter(i => /\\.svg$/i.test(new URL(i.currentSrc || i.src).pathname))[arguments[0]];
                 i.scrollIntoView({ block: 'center' });
                 const r = i.getBoundingClientRect();
                 return [r.left + scrollX, r.top + scrollY, r.width, Math.min(r.height, 300)];",
                json!([n]),
            );
            let shot = browser.cdp(
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": false,
                        "clip": { "x": r[0], "y": r[1], "width": r[2], "height": r[3], "scale": 1 } }),
            );
            let px = browser.eval_async(READ_PIXELS, json!([shot["data"], []]));
            let lum = px["backgroundLuminance"].as_f64().unwrap_or(0.0);
            checked += 1;
            if lum < 0.5 {
                failures.push(format!(
                    "{}: {} prints mostly {} (relative luminance {lum:.2})",
                    page.strip_prefix(&out).unwrap().display(),
                    pic.file,
                    px["background"]
                ));
            }
        }
        browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
    }
    assert!(checked > 0, "no picture was checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A picture drawn the old way (wide, small type, a fixed white panel, pale
/// text, a label past the edge) and a page that lost its alt text: every
/// check above must say so.
#[test]
fn the_checks_catch_a_broken_picture() {
    let Some(source) = axe_source() else {
        return;
    };
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_tmp, out) = build_bundled();
    std::fs::write(
        out.join("process/timeline.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400" width="640" height="400" role="img" aria-labelledby="t">
  <title id="t">A broken picture</title>
  <rect width="640" height="400" fill="#ffffff"/>
  <text x="20" y="40" font-size="14" fill="#1b2631">Dark text, 14 units of 640: too small on a phone</text>
  <text x="20" y="200" font-size="40" fill="#b4b4b4">Pale text</text>
  <text x="560" y="300" font-size="40" fill="#1b2631">Cut off</text>
</svg>
"##,
    )
    .unwrap();
    let page = out.join("process/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let without_alt = html.replacen(" alt=\"", " data-alt=\"", 1);
    assert_ne!(html, without_alt, "process/index.html has no alt text");
    std::fs::write(&page, without_alt).unwrap();

    let pages = pages_with_pictures(&out);
    let found = check_pictures(&browser, &out, &pages);
    let on_timeline = |v: &[String]| v.iter().any(|f| f.contains("process/timeline.svg"));
    assert!(
        on_timeline(&found.small),
        "small text missed: {:?}",
        found.all()
    );
    assert!(
        on_timeline(&found.cut),
        "cut-off text missed: {:?}",
        found.all()
    );
    assert!(
        found.contrast.iter().any(|f| f.contains("Pale text")),
        "pale text missed: {:?}",
        found.all()
    );
    assert!(
        on_timeline(&found.light_in_dark),
        "white panel in the dark scheme missed: {:?}",
        found.all()
    );
    let axe_failures = axe_dark(&browser, &source, &out, &[page]);
    assert!(
        axe_failures.iter().any(|f| f.contains("image-alt")),
        "axe missed the missing alt text: {axe_failures:?}"
    );
}

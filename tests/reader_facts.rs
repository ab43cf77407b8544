//! What readers and machines read off a built page, held to the strings a
//! writer set: every front matter and `site.yaml` string full of markup
//! reaches the HTML, its attributes, JSON-LD, the feed and the search index
//! as text (fixture `hostile-strings`); the pager points the right way;
//! `--drafts` reaches `check`, `build` and `serve`; and every page of the
//! bundled guide describes itself in exactly one JSON-LD block. Runs are
//! pinned to 2026-12-01 with `MARROW_TODAY`.

mod common;

use std::path::{Component, Path, PathBuf};

use common::Run;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

const TODAY: &str = "2026-12-01";
const BASE: &str = "https://example.org/docs/";

// The strings of tests/fixtures/hostile-strings, as its YAML decodes them.
const SITE: &str = r#"Site <b>s</b> & "s" 's' &amp; </script><script>s()</script><!--s-->"#;
const DISCLAIMER: &str = r#"Disclaimer <b>x</b> & "x" 'x' &lt;x&gt; </script><script>x()</script>"#;
const FEEDBACK_URL: &str = r#"https://example.org/feedback?a=1&b="2"&c='3'&d=<4>"#;
const FEEDBACK: &str = r#"Feedback <b>f</b> & "f" 'f' &amp; </script><script>f()</script>"#;
const FOOTER: &str = r#"Footer <b>bf</b> & "bf" 'bf' </script><script>bf()</script><!--bf-->"#;
const HOME: &str = r#"Home <b>h</b> & "h" 'h' &amp; </script><script>h()</script><!--h-->"#;
const SECTION: &str = r#"Section <b>c</b> & "c" 'c' &amp; </script><script>c()</script><!--c-->"#;
const SECTION_DESC: &str = r#"Section description <b>cd</b> & "cd" 'cd' </script>"#;
const TITLE: &str =
    r#"Title <b>t</b> & "t" 't' &amp; &lt;t&gt; </script><script>t()</script><!--t-->"#;
const DESC: &str = r#"Description <b>d</b> & "d" 'd' &amp; </script><script>d()</script><!--d-->"#;
const AUDIENCE: &str = r#"Audience <b>au</b> & "au" 'au' </script><script>au()</script>"#;
const TAG: &str = r#"Tag <b>g</b> & "g" 'g' &amp; </script><script>g()</script><!--g-->"#;
const CONDITION: &str = r#"Condition <b>k</b> & "k" 'k' </script><script>k()</script>"#;
const REVIEWER: &str = r#"Dr <b>r</b> & "r" 'r' &amp; </script><script>r()</script><!--r-->"#;
const ROLE: &str = r#"Role <b>o</b> & "o" 'o' </script><script>o()</script>"#;
const REF_TITLE: &str =
    r#"Reference <b>rt</b> & "rt" 'rt' &amp; </script><script>rt()</script><!--rt-->"#;
const PUBLISHER: &str = r#"Publisher <b>p</b> & "p" 'p' </script><script>p()</script>"#;
const REF_URL: &str = r#"https://example.org/guide?a=1&b="2"&c='3'&d=<4>&e=&amp;"#;
const SECOND: &str = r#"Second <b>b</b> & "b" 'b' &amp; </script><script>b()</script><!--b-->"#;
const SECOND_DESC: &str =
    r#"Second description <b>bd</b> & "bd" 'bd' &amp; </script><script>bd()</script>"#;
const CHECKER: &str =
    r#"Checker <b>ch</b> & "ch" 'ch' &amp; </script><script>ch()</script><!--ch-->"#;
const DEFINITION: &str =
    r#"Definition <b>n</b> & "n" 'n' &amp; </script><script>n()</script><!--n-->"#;
const ALIAS: &str = r#"neutro <b>al</b> & "al""#;
const WORD: &str = r#"Word <b>w</b> & "w" 'w' </script>"#;
const WORD_DEF: &str = r#"Other definition <b>od</b> & "od" 'od' </script><script>od()</script>"#;

fn marrow(args: &[&str]) -> Run {
    common::marrow_with_env(args, &[("MARROW_TODAY", TODAY)])
}

fn build(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    common::built_on(TODAY, root, extra).0
}

fn hostile_build() -> tempfile::TempDir {
    build(&common::fixture("hostile-strings"), &["--base-url", BASE])
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"))
}

/// Text of an element with runs of white space made one space, as a
/// reader sees it (the strings under test have no double spaces).
fn text_of(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One built HTML page, parsed.
struct Page {
    file: PathBuf,
    doc: Html,
}

impl Page {
    fn open(out: &Path, rel: &str) -> Page {
        Page::read(out.join(rel))
    }

    fn read(file: PathBuf) -> Page {
        let html =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        Page {
            file,
            doc: Html::parse_document(&html),
        }
    }

    fn texts(&self, css: &str) -> Vec<String> {
        self.doc.select(&sel(css)).map(text_of).collect()
    }

    /// The text of the one element matching `css`.
    fn text(&self, css: &str) -> String {
        let all = self.texts(css);
        assert_eq!(all.len(), 1, "{}: {css}: {all:?}", self.file.display());
        all.into_iter().next().unwrap()
    }

    fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.doc
            .select(&sel(css))
            .map(|e| e.value().attr(name).unwrap_or_default().to_string())
            .collect()
    }

    fn attr(&self, css: &str, name: &str) -> String {
        let all = self.attrs(css, name);
        assert_eq!(
            all.len(),
            1,
            "{}: {css}[{name}]: {all:?}",
            self.file.display()
        );
        all.into_iter().next().unwrap()
    }

    fn json_ld(&self) -> Value {
        let text = self.text_raw("script[type='application/ld+json']");
        serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: JSON-LD does not parse ({e}), so markup ended it early: {text}",
                self.file.display()
            )
        })
    }

    fn text_raw(&self, css: &str) -> String {
        let all: Vec<String> = self
            .doc
            .select(&sel(css))
            .map(|e| e.text().collect())
            .collect();
        assert_eq!(all.len(), 1, "{}: {css}: {all:?}", self.file.display());
        all.into_iter().next().unwrap()
    }

    /// The output file a relative `href` of this page leads to.
    fn target(&self, href: &str) -> PathBuf {
        let mut path = self.file.parent().unwrap().to_path_buf();
        for part in Path::new(href.split('#').next().unwrap()).components() {
            match part {
                Component::ParentDir => {
                    path.pop();
                }
                Component::Normal(p) => path.push(p),
                _ => panic!("{href} is not relative"),
            }
        }
        path
    }
}

/// Every page of the built site: no markup but the theme's, however the
/// strings were written. Injected markup shows in the bytes as `<b>`, a bare
/// `<script>` or a comment, and in the document as an element.
fn assert_no_injected_markup(out: &Path) {
    let pages = common::html_files(out);
    assert!(pages.len() >= 10, "{pages:?}");
    for file in pages {
        let rel = file.strip_prefix(out).unwrap().display().to_string();
        let html = std::fs::read_to_string(&file).unwrap();
        for raw in ["<b>", "</b>", "<script>", "<!--"] {
            assert!(!html.contains(raw), "{rel}: raw `{raw}` in\n{html}");
        }
        let doc = Html::parse_document(&html);
        assert_eq!(doc.select(&sel("b")).count(), 0, "{rel}: a <b> element");
        let mut json_ld = 0;
        for script in doc.select(&sel("script")) {
            let v = script.value();
            match (v.attr("type"), v.attr("src")) {
                (Some("application/ld+json"), None) => json_ld += 1,
                (None, Some(src))
                    if [
                        "marrow.js",
                        "search-text.js",
                        "search-excerpt.js",
                        "search-engine.js",
                        "search.js",
                    ]
                    .iter()
                    .any(|theirs| src.ends_with(theirs)) => {}
                _ => panic!(
                    "{rel}: a script the theme did not write: {:?}",
                    script.html()
                ),
            }
        }
        assert!(json_ld <= 1, "{rel}: {json_ld} JSON-LD scripts");
        // The JSON-LD is one complete JSON text: `</script` inside it would
        // have ended the element early and left half a document.
        if json_ld == 1 {
            let start = html.find("<script type=\"application/ld+json\">").unwrap();
            let body = &html[start..];
            let body = &body[body.find('>').unwrap() + 1..];
            let end = body.find("</script>").unwrap();
            serde_json::from_str::<Value>(&body[..end])
                .unwrap_or_else(|e| panic!("{rel}: {e}: {}", &body[..end]));
            assert!(
                !body[..end].to_ascii_lowercase().contains("<!--"),
                "{rel}: `<!--` inside the script changes where it ends"
            );
        }
        let page = Page { file, doc };
        // What every page shows of site.yaml.
        assert_eq!(page.text(".site-title"), SITE, "{rel}");
        assert_eq!(page.text(".brand-footer"), FOOTER, "{rel}");
        assert_eq!(
            page.text(".disclaimer"),
            format!("Important: {DISCLAIMER}"),
            "{rel}"
        );
        let title = page.text("title");
        assert!(
            title == SITE || title.ends_with(&format!(" – {SITE}")),
            "{rel}: {title}"
        );
    }
}

#[test]
fn hostile_strings_are_text_in_every_page() {
    let out = hostile_build();
    let out = out.path();
    assert_no_injected_markup(out);

    let a = Page::open(out, "sec/a/index.html");
    // Head: title, description, Open Graph, feed link.
    assert_eq!(a.text("title"), format!("{TITLE} – {SITE}"));
    assert_eq!(a.attr("meta[name=description]", "content"), DESC);
    assert_eq!(a.attr("meta[property='og:title']", "content"), TITLE);
    assert_eq!(a.attr("meta[property='og:description']", "content"), DESC);
    assert_eq!(a.attr("meta[property='og:site_name']", "content"), SITE);
    assert_eq!(
        a.attr("link[rel=alternate][type='application/atom+xml']", "title"),
        format!("{SITE} – What's changed")
    );
    // The page's own header.
    assert_eq!(a.text("h1"), TITLE);
    assert_eq!(a.text(".page-header .lede"), DESC);
    assert!(
        a.texts(".page-meta span")
            .contains(&format!("Written for {AUDIENCE}")),
        "{:?}",
        a.texts(".page-meta span")
    );
    assert_eq!(
        a.texts(".breadcrumbs li"),
        ["Home", SECTION, TITLE],
        "breadcrumbs"
    );
    // Navigation, pager, related pages, topics.
    let nav = a.texts("#site-nav a");
    for title in [SECTION, TITLE, SECOND] {
        assert!(nav.iter().any(|t| t == title), "{title} not in {nav:?}");
    }
    assert_eq!(a.text(".pager-prev .pager-title"), SECTION);
    assert_eq!(a.text(".pager-next .pager-title"), SECOND);
    assert_eq!(a.texts(".related li a"), [SECOND]);
    assert_eq!(a.texts(".page-terms a"), [TAG, CONDITION]);
    // Glossary tooltip, sources, review dates, feedback.
    assert_eq!(a.text(".gloss-def"), DEFINITION);
    assert_eq!(a.text(".sources cite a"), REF_TITLE);
    assert_eq!(a.attr(".sources cite a", "href"), REF_URL);
    assert_eq!(a.text(".sources .print-url"), REF_URL);
    assert_eq!(
        a.text(".sources li"),
        format!("{REF_TITLE}. {PUBLISHER}, 2025. {REF_URL}")
    );
    let review = a.texts(".review-dates span");
    assert!(
        review.contains(&format!("Reviewed by {REVIEWER}, {ROLE}")),
        "{review:?}"
    );
    assert_eq!(a.text(".feedback a"), FEEDBACK);
    assert_eq!(a.attr(".feedback a", "href"), FEEDBACK_URL);

    // The sources check's "by …" on a page without a clinical review.
    let b = Page::open(out, "sec/b/index.html");
    assert_eq!(b.text("h1"), SECOND);
    assert_eq!(b.texts(".breadcrumbs li"), ["Home", SECTION, SECOND]);
    assert_eq!(b.text(".pager-prev .pager-title"), TITLE);
    assert_eq!(b.texts(".related li a"), [TITLE]);
    let review = b.texts(".review-dates span");
    assert!(
        review.contains(&format!("Sources checked: 10 November 2026 by {CHECKER}")),
        "{review:?}"
    );

    // The section's own page lists its pages with their descriptions.
    let sec = Page::open(out, "sec/index.html");
    assert_eq!(sec.text("h1"), SECTION);
    assert_eq!(sec.text(".page-header .lede"), SECTION_DESC);
    assert_eq!(sec.texts(".card-list .card > a"), [TITLE, SECOND]);
    assert_eq!(sec.texts(".card-list .card p"), [DESC, SECOND_DESC]);
    let home = Page::open(out, "index.html");
    assert_eq!(home.text("h1"), HOME);
    assert_eq!(
        home.text("title"),
        SITE,
        "the home page goes by the site's name"
    );
    assert_eq!(home.texts(".card-list .card > a"), ["Glossary", SECTION]);
    assert_eq!(
        home.texts(".card-list .card p")[1..],
        [SECTION_DESC.to_string()]
    );

    // Each term's page, reached from the page's own "Topics" links.
    let links = a.attrs(".page-terms a", "href");
    for (term, href) in [TAG, CONDITION].into_iter().zip(&links) {
        let page = Page::read(a.target(href));
        assert_eq!(page.text("h1"), term);
        assert_eq!(page.text("title"), format!("{term} – {SITE}"));
        assert_eq!(page.texts(".breadcrumbs li").last().unwrap(), term);
        assert_eq!(
            page.attr("meta[name=description]", "content"),
            format!("Pages about {term}.")
        );
        assert_eq!(page.attr("meta[property='og:title']", "content"), term);
        let (titles, descriptions) = if term == TAG {
            (vec![TITLE, SECOND], vec![DESC, SECOND_DESC])
        } else {
            (vec![TITLE], vec![DESC])
        };
        assert_eq!(page.texts(".card-list .card > a"), titles, "{term}");
        assert_eq!(page.texts(".card-list .card p"), descriptions, "{term}");
    }
    assert_eq!(
        Page::open(out, "tags/index.html").texts(".term-list a"),
        [TAG]
    );
    assert_eq!(
        Page::open(out, "conditions/index.html").texts(".term-list a"),
        [CONDITION]
    );

    // The glossary page.
    let glossary = Page::open(out, "glossary/index.html");
    assert_eq!(glossary.texts("dfn"), ["neutrophil", WORD]);
    assert_eq!(glossary.text(".glossary-aliases"), format!("({ALIAS})"));
    let definitions = glossary.texts(".glossary-entry dd");
    assert_eq!(
        definitions,
        [
            format!("{DEFINITION} See also: {WORD}."),
            WORD_DEF.to_string()
        ]
    );
    assert_eq!(glossary.text(".glossary-see a"), WORD);
}

#[test]
fn hostile_strings_are_data_in_json_ld_the_feed_the_sitemap_and_search() {
    let out = hostile_build();
    let out = out.path();

    let ld = Page::open(out, "sec/a/index.html").json_ld();
    assert_eq!(ld["name"], TITLE);
    assert_eq!(ld["description"], DESC);
    assert_eq!(ld["audience"]["audienceType"], AUDIENCE);
    assert_eq!(ld["reviewedBy"]["name"], REVIEWER);
    assert_eq!(ld["reviewedBy"]["jobTitle"], ROLE);
    assert_eq!(ld["citation"][0]["name"], REF_TITLE);
    assert_eq!(ld["citation"][0]["url"], REF_URL);
    assert_eq!(ld["citation"][0]["publisher"]["name"], PUBLISHER);
    assert_eq!(ld["url"], format!("{BASE}sec/a/"));
    for (page, name) in [
        ("index.html", HOME),
        ("sec/index.html", SECTION),
        ("sec/b/index.html", SECOND),
    ] {
        let ld = Page::open(out, page).json_ld();
        assert_eq!(ld["name"], name, "{page}");
    }

    // The Atom feed: well-formed XML whose text is the writer's.
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(
        !feed.contains("<b>") && !feed.contains("<script>"),
        "{feed}"
    );
    let xml = roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("{e}: {feed}"));
    let child_text = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    let root = xml.root_element();
    assert_eq!(
        child_text(root, "title"),
        format!("{SITE} – What's changed")
    );
    let entries: Vec<(String, String)> = root
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| (child_text(e, "title"), child_text(e, "summary")))
        .collect();
    let reviewed = "Clinically reviewed on 1 November 2026.".to_string();
    assert_eq!(
        entries,
        [
            (SECOND.to_string(), SECOND_DESC.to_string()),
            (HOME.to_string(), reviewed.clone()),
            (SECTION.to_string(), reviewed.clone()),
            (TITLE.to_string(), reviewed),
        ]
    );

    // The sitemap: well-formed, the indexable pages' addresses.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let xml = roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("{e}: {sitemap}"));
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let expected: Vec<String> = ["", "glossary/", "sec/", "sec/a/"]
        .iter()
        .map(|p| format!("{BASE}{p}"))
        .collect();
    assert_eq!(locs, expected);

    // The search index: titles and sections as written.
    let docs = common::search_docs(out);
    // Pages (glossary entries, with a `#` in their link, are documents too).
    let pages: Vec<(&str, &str, &str)> = docs
        .iter()
        .filter(|d| !d["u"].as_str().unwrap().contains('#'))
        .map(|d| {
            (
                d["u"].as_str().unwrap(),
                d["t"].as_str().unwrap(),
                d["s"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            ("index.html", HOME, ""),
            ("sec/index.html", SECTION, SECTION),
            ("sec/a/index.html", TITLE, SECTION),
            ("sec/b/index.html", SECOND, SECTION),
            ("glossary/index.html", "Glossary", ""),
        ]
    );
}

/// A site of one section whose pages' weights (1, 2, 3) go against the
/// alphabet of their titles and file names, so only the weights give the
/// order.
fn stepped_site(root: &Path) {
    let files = [
        ("_index.md", "---\ntitle: Start\n---\nThe start.\n"),
        ("steps/_index.md", "---\ntitle: Steps\n---\nThe steps.\n"),
        ("steps/a.md", "---\ntitle: Zinc\nweight: 3\n---\nThird.\n"),
        ("steps/b.md", "---\ntitle: Mango\nweight: 2\n---\nSecond.\n"),
        ("steps/c.md", "---\ntitle: Apple\nweight: 1\n---\nFirst.\n"),
    ];
    for (rel, text) in files {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A page's pager: (label, title, the file the link leads to) of its
/// "Previous" and "Next" links.
type PagerLink = Option<(String, String, PathBuf)>;

fn pager(out: &Path, rel: &str) -> (PagerLink, PagerLink) {
    let page = Page::open(out, rel);
    let link = |class: &str, rel_attr: &str| {
        let links: Vec<ElementRef> = page
            .doc
            .select(&sel(&format!(".pager a.{class}")))
            .collect();
        assert!(links.len() <= 1, "{rel}: {} .{class} links", links.len());
        links.first().map(|a| {
            assert_eq!(a.value().attr("rel"), Some(rel_attr), "{rel}");
            let part = |css: &str| text_of(a.select(&sel(css)).next().unwrap());
            (
                part(".pager-label"),
                part(".pager-title"),
                page.target(a.value().attr("href").unwrap()),
            )
        })
    };
    (link("pager-prev", "prev"), link("pager-next", "next"))
}

#[test]
fn the_pager_goes_back_to_the_page_before_and_on_to_the_page_after() {
    let site = tempfile::tempdir().unwrap();
    stepped_site(site.path());
    let out = build(site.path(), &[]);
    let out = out.path();
    let link =
        |label: &str, title: &str, rel: &str| Some((label.into(), title.into(), out.join(rel)));

    assert_eq!(
        pager(out, "steps/b/index.html"),
        (
            link("Previous", "Apple", "steps/c/index.html"),
            link("Next", "Zinc", "steps/a/index.html")
        ),
        "weight 2 sits between weights 1 and 3"
    );
    assert_eq!(
        pager(out, "steps/c/index.html"),
        (
            link("Previous", "Steps", "steps/index.html"),
            link("Next", "Mango", "steps/b/index.html")
        ),
        "the first page of a section follows the section's own page"
    );
    assert_eq!(
        pager(out, "steps/a/index.html"),
        (link("Previous", "Mango", "steps/b/index.html"), None),
        "the last page in reading order has no Next"
    );
    assert_eq!(
        pager(out, "index.html"),
        (None, link("Next", "Steps", "steps/index.html")),
        "the home page has no Previous"
    );
}

const DRAFT: &str = "content/process/draft.md";

fn checked_sources(root: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let run = marrow(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn drafts_are_checked_and_built_only_with_drafts() {
    let root = common::fixture("basic");
    assert!(
        std::fs::read_to_string(root.join(DRAFT))
            .unwrap()
            .contains("draft: true")
    );
    let without = checked_sources(&root, &[]);
    let with = checked_sources(&root, &["--drafts"]);
    assert!(!without.iter().any(|s| s == DRAFT), "{without:?}");
    assert!(with.iter().any(|s| s == DRAFT), "{with:?}");
    assert_eq!(with.len(), without.len() + 1, "{with:?}");
    let text = marrow(&["check", "--root", root.to_str().unwrap(), "--drafts"]).stdout;
    assert!(text.contains(DRAFT), "{text}");

    let page = "process/draft/index.html";
    let out = build(&root, &[]);
    assert!(!out.path().join(page).exists());
    let out = build(&root, &["--drafts"]);
    assert_eq!(Page::open(out.path(), page).text("h1"), "Unfinished page");
}

/// Polls `path` until it answers `status`; returns the last answer.
fn wait_for_status(
    server: &common::server::Server,
    path: &str,
    status: u16,
) -> common::server::Response {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let r = server.get(path);
        if r.status == status || std::time::Instant::now() > deadline {
            return r;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn drafts_are_served_only_with_drafts_and_follow_their_draft_flag() {
    use common::server::Server;
    let (_tmp, root) = common::copy_fixture("basic");
    let path = "/process/draft/";

    let server = Server::start(&root, &["--drafts"]);
    let r = server.get(path);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Unfinished page"), "{}", r.body);
    drop(server);

    let server = Server::start(&root, &[]);
    assert_eq!(server.get(path).status, 404);
    // Published while serving, it appears; made a draft again, it goes.
    let draft = root.join(DRAFT);
    let text = std::fs::read_to_string(&draft).unwrap();
    std::fs::write(&draft, text.replace("draft: true\n", "")).unwrap();
    let r = wait_for_status(&server, path, 200);
    assert_eq!(r.status, 200, "published: {}", r.body);
    assert!(r.body.contains("Unfinished page"), "{}", r.body);
    std::fs::write(&draft, &text).unwrap();
    assert_eq!(
        wait_for_status(&server, path, 404).status,
        404,
        "a draft again"
    );
}

/// The front matter of a Markdown file, as YAML.
fn front_matter(file: &Path) -> serde_yaml::Value {
    let text = std::fs::read_to_string(file).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map_or("", |(y, _)| y);
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn every_page_of_the_guide_describes_itself_in_one_json_ld_block() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = "https://example.org/guide/";
    let out = build(root, &["--base-url", base]);
    let out = out.path();

    // Each published Markdown file is one page, at its folder's address;
    // the glossary file makes one more.
    let content = root.join("content");
    let mut expected: Vec<(String, String)> = vec![("glossary/".into(), "Glossary".into())];
    if content.join("glossary.zh.yaml").is_file() {
        let zh: serde_yaml::Value = serde_yaml::from_str(
            &std::fs::read_to_string(root.join("themes/default/i18n/zh.yaml")).unwrap(),
        )
        .unwrap();
        let title = zh["glossary_title"].as_str().unwrap_or("Glossary");
        expected.push(("zh/glossary/".into(), title.into()));
    }
    for entry in walkdir::WalkDir::new(&content) {
        let file = entry.unwrap().into_path();
        // Snippets are pasted into pages by `include`, never pages.
        if file.extension().is_none_or(|e| e != "md") || file.starts_with(content.join("_snippets"))
        {
            continue;
        }
        let front = front_matter(&file);
        if front["draft"].as_bool() == Some(true) {
            continue;
        }
        let rel = file.strip_prefix(&content).unwrap().to_str().unwrap();
        // A translation (`x.zh.md`) is published under its language's folder.
        let (lang, rel) = match rel.strip_suffix(".zh.md") {
            Some(stem) => ("zh/", format!("{stem}.md")),
            None => ("", rel.to_string()),
        };
        let rel = rel.as_str();
        let dir = match rel.strip_suffix("_index.md") {
            Some(dir) => dir.to_string(),
            None => {
                let (parent, name) = rel.rsplit_once('/').map_or(("", rel), |(p, n)| (p, n));
                let slug = front["slug"]
                    .as_str()
                    .unwrap_or(name.trim_end_matches(".md"));
                if parent.is_empty() {
                    format!("{slug}/")
                } else {
                    format!("{parent}/{slug}/")
                }
            }
        };
        let title = front["title"]
            .as_str()
            .unwrap_or_else(|| panic!("{rel}: no title"));
        expected.push((format!("{lang}{dir}"), title.to_string()));
    }
    expected.sort();
    assert!(expected.len() > 30, "{expected:?}");

    let mut found = Vec::new();
    for file in common::html_files(out) {
        let rel = file
            .strip_prefix(out)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let page = Page::read(file);
        let blocks = page.texts("script[type='application/ld+json']").len();
        let Some(dir) = rel.strip_suffix("index.html") else {
            assert_eq!(blocks, 0, "{rel}");
            continue;
        };
        let Some((_, title)) = expected.iter().find(|(d, _)| d == dir) else {
            // Tag pages, the 404 page, redirects from old addresses.
            assert_eq!(blocks, 0, "{rel} is not a page but has JSON-LD");
            continue;
        };
        assert_eq!(blocks, 1, "{rel}");
        let ld = page.json_ld();
        assert_eq!(ld["@context"], "https://schema.org", "{rel}");
        assert_eq!(ld["name"], title.as_str(), "{rel}");
        assert_eq!(ld["name"], page.text("h1").as_str(), "{rel}");
        // The writer's guide is not medical content (`review.exempt`), nor
        // is the generated glossary page, which has no review to record.
        let kind = if dir.starts_with("authoring/") || dir.ends_with("glossary/") {
            "WebPage"
        } else {
            "MedicalWebPage"
        };
        assert_eq!(ld["@type"], kind, "{rel}");
        assert_eq!(ld["url"], format!("{base}{dir}"), "{rel}");
        let language = if dir.starts_with("zh/") {
            "zh-Hans"
        } else {
            "en-GB"
        };
        assert_eq!(ld["inLanguage"], language, "{rel}");
        found.push(dir.to_string());
    }
    found.sort();
    let expected: Vec<String> = expected.into_iter().map(|(d, _)| d).collect();
    assert_eq!(found, expected, "pages with JSON-LD");
}

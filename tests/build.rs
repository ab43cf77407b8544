//! Whole-binary tests of `marrow build` on the bundled site and on small
//! fixture sites under `tests/fixtures/`.

mod common;

use std::path::Path;

use common::{broken_links, build, copy_fixture, html_files, snapshot};

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn bundled_site_builds_with_a_page_for_every_content_file_and_no_broken_links() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let run = build(root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Built "),
        "one-line summary: {}",
        run.stdout
    );

    let mut pages = 0;
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(root.join("content")).unwrap();
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        if rel_s.starts_with("_snippets/") {
            // Snippets are pasted into pages by `include`: never published.
            assert!(!out.join(rel).exists(), "snippet {rel_s} published");
            assert!(
                !out.join("_snippets").exists(),
                "snippets are not published"
            );
        } else if rel_s.ends_with(".md") {
            // A translation (`x.zh.md`) is built under its language's folder.
            let (lang, rel_s) = match rel_s.strip_suffix(".zh.md") {
                Some(stem) => ("zh/", format!("{stem}.md")),
                None => ("", rel_s.clone()),
            };
            let page_dir = rel_s.trim_end_matches("_index.md").trim_end_matches(".md");
            let html = out.join(format!("{lang}{page_dir}")).join("index.html");
            assert!(html.is_file(), "no page for {rel_s} at {}", html.display());
            pages += 1;
        } else if rel_s == "glossary.yaml" || rel_s == "glossary.zh.yaml" {
            // The glossary file becomes the glossary page.
            let lang = if rel_s == "glossary.yaml" { "" } else { "zh/" };
            assert!(
                out.join(format!("{lang}glossary/index.html")).is_file(),
                "no glossary page for {rel_s}"
            );
            assert!(
                !out.join(rel).exists(),
                "the glossary source is not published"
            );
        } else if entry.file_type().is_file() {
            assert!(out.join(rel).is_file(), "asset {rel_s} not copied");
        }
    }
    assert!(
        pages >= 10,
        "the bundled site has real content ({pages} pages)"
    );
    let broken = broken_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // Every page has one h1, a skip link, landmarks and the disclaimer; and
    // no external resources are loaded.
    for page in html_files(&out) {
        let html = read(&page);
        let shown = page.strip_prefix(&out).unwrap().display().to_string();
        assert_eq!(html.matches("<h1").count(), 1, "{shown}: one h1");
        if html.contains("http-equiv=\"refresh\"") {
            // An old address (`aliases`): a bare page that moves on at once.
            assert!(html.contains("<main"), "{shown}: main landmark");
            continue;
        }
        assert!(html.contains("class=\"skip-link\""), "{shown}: skip link");
        assert!(html.contains("<main"), "{shown}: main landmark");
        // In the page's language (site.yaml's `languages: zh: disclaimer`).
        let disclaimer = if shown.starts_with("zh/") {
            "不能代替"
        } else {
            "does not replace"
        };
        assert!(html.contains(disclaimer), "{shown}: disclaimer");
        for bad in ["src=\"http", "href=\"//", "@import", "fonts.googleapis"] {
            assert!(!html.contains(bad), "{shown}: external resource `{bad}`");
        }
    }
    let css = read(out.join("marrow.css"));
    assert!(
        !css.contains("url(http"),
        "no external fonts or images in the theme"
    );
}

#[test]
fn fixture_site_features() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Built 7 pages in 4 sections"),
        "{}",
        run.stdout
    );

    // Pretty URLs, sections, unicode names; drafts and editor leftovers skipped.
    for page in [
        "index.html",
        "process/index.html",
        "process/conditioning/index.html",
        "process/deeper/index.html",
        "process/deeper/engraftment/index.html",
        "指南/index.html",
        "指南/检查/index.html",
        "404.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    assert!(!out.join("process/draft").exists());
    assert!(!out.join("process/conditioning.md~").exists());
    // Assets next to their page, static files at the root.
    assert!(out.join("process/diagram.svg").is_file());
    assert_eq!(read(out.join("files/leaflet.txt")), "Leaflet text\n");

    let home = read(out.join("index.html"));
    assert!(
        home.contains(r#"href="process/conditioning/index.html#intensity""#),
        "{home}"
    );
    // pulldown-cmark percent-encodes non-ASCII hrefs in the body.
    assert!(
        home.contains(r#"href="%E6%8C%87%E5%8D%97/%E6%A3%80%E6%9F%A5/index.html#%E7%A7%BB%E6%A4%8D%E5%89%8D%E7%9A%84%E6%A3%80%E6%9F%A5""#),
        "{home}"
    );
    assert!(home.contains(r#"<html lang="en-GB" dir="ltr">"#));

    let cond = read(out.join("process/conditioning/index.html"));
    // The site's templates/page.html overrides the theme's.
    assert!(cond.contains("data-override=\"yes\""), "override used");
    assert!(cond.contains("<title>Conditioning · overridden</title>"));
    assert!(
        cond.contains(r#"src="../../process/diagram.svg""#),
        "{cond}"
    );
    assert!(cond.contains(r#"<div class="callout callout-note" role="note">"#));
    assert!(cond.contains("class=\"hl-"), "highlighted yaml");
    assert!(
        cond.contains("&lt;not highlighted&gt;"),
        "unknown language escaped"
    );
    // The nav fragment is shared but marks the current page.
    assert_eq!(cond.matches("aria-current=\"page\"").count(), 1, "{cond}");
    assert!(cond.contains(r#"href="../../process/conditioning/index.html" aria-current="page""#));

    let broken = broken_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // Drafts come back with --drafts.
    let run = build(&root, &out, &["--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("process/draft/index.html").is_file());
}

#[test]
fn site_with_only_content_uses_the_embedded_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Only content\n---\nHello.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/page.md"),
        "\u{feff}---\r\ntitle: CRLF page\r\n---\r\n",
    )
    .unwrap();
    let run = common::marrow(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = root.join("output");
    assert!(read(out.join("index.html")).contains("Only content"));
    assert!(read(out.join("page/index.html")).contains("CRLF page"));
    assert!(
        out.join("marrow.css").is_file(),
        "embedded theme assets copied"
    );
    assert!(out.join("highlight.css").is_file());
}

#[test]
fn bad_front_matter_exits_1_and_leaves_previous_output_untouched() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    assert_eq!(build(&root, &out, &[]).code, 0);
    let before = snapshot(&out);

    std::fs::write(
        root.join("content/process/conditioning.md"),
        "---\ntitle: Conditioning\nreviewd: 2026-01-01\n---\nBody\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/process/other.md"),
        "---\ntitle: Other\nweight: high\n---\n",
    )
    .unwrap();
    // A good page with a broken link: reported in the same run; its link
    // to the page with a front matter error is not reported as missing.
    std::fs::write(
        root.join("content/process/third.md"),
        "---\ntitle: Third\n---\n[ok](other.md) [x](gone.md)\n",
    )
    .unwrap();
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Both errors, each at file:line:col in the Markdown file, with a hint.
    assert!(
        run.stderr.contains("content/process/conditioning.md:3:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `reviewed`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" 3 | reviewd: 2026-01-01"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/process/other.md:3:9"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/process/third.md:4:16"),
        "{}",
        run.stderr
    );
    // The page with the misspelt key is still checked as a link target:
    // its new body lost the heading that two pages link to.
    assert!(
        run.stderr
            .contains("`content/process/conditioning.md` has no heading with id `intensity`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("5 errors"), "{}", run.stderr);

    assert_eq!(snapshot(&out), before, "previous output byte-identical");
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        // The manifest and search counts beside the output are the last
        // good build's records; the spare is the build before it.
        .filter(|n| {
            n.contains("marrow")
                && !n.ends_with(".marrow-manifest")
                && !n.ends_with(".marrow-search")
                && !n.ends_with(".marrow-spare")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders left: {leftovers:?}"
    );
}

#[test]
fn broken_links_and_anchors_are_reported_with_file_and_line() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("content/process/links.md"),
        "---\ntitle: Links\n---\nIntro.\n\n[gone](missing.md)\n\n[bad anchor](conditioning.md#nope)\n\n[self](#nowhere) ![img](nope.png)\n",
    )
    .unwrap();
    // static/files/leaflet.txt is there, but not under content/.
    std::fs::write(
        root.join("content/static-links.md"),
        "---\ntitle: Static links\n---\n[ok](/files/leaflet.txt) [relative](files/leaflet.txt)\n",
    )
    .unwrap();
    let out = root.join("output");
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/process/links.md:6:1",
        "missing page `content/process/missing.md`",
        "content/process/links.md:8:1",
        "has no heading with id `nope`",
        "content/process/links.md:10:1",
        "`#nowhere`",
        "content/process/links.md:10:18",
        "content/static-links.md:4:26",
        "help: files in static/ are linked from the site root: write `/files/leaflet.txt`",
        "5 errors",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stderr
        );
    }
    assert!(!out.exists(), "a failed first build writes nothing");
}

#[test]
fn sub_path_base_url_keeps_links_working() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    let run = build(&root, &out, &["--base-url", "https://example.org/docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let broken = broken_links(&out, "/docs/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let home = read(out.join("index.html"));
    assert!(
        home.contains(r#"<link rel="canonical" href="https://example.org/docs/">"#),
        "{home}"
    );
    // 404.html is served at any depth, so its links start at the sub-path.
    let not_found = read(out.join("404.html"));
    assert!(
        not_found.contains(r#"href="/docs/marrow.css""#),
        "{not_found}"
    );
}

#[test]
fn editor_leftovers_in_static_and_templates_are_not_published() {
    let (_tmp, root) = copy_fixture("basic");
    for junk in [
        "static/files/leaflet.txt~",
        "static/files/.DS_Store",
        "static/files/#leaflet.txt#",
        "static/Thumbs.db",
    ] {
        std::fs::write(root.join(junk), "junk").unwrap();
    }
    // Read as a template, this swap file would fail the build.
    std::fs::write(root.join("templates/page.html.swp"), "{% if unclosed %}").unwrap();
    let out = root.join("output");
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("files/leaflet.txt").is_file());
    let mut published: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| {
            n.contains("leaflet")
                || n.contains("DS_Store")
                || n.contains("Thumbs")
                || n.contains("swp")
        })
        .collect();
    published.sort();
    assert_eq!(published, ["leaflet.txt"]);
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    assert_eq!(build(&root, &out, &[]).code, 0);
    std::fs::write(out.join("stale.html"), "old").unwrap();
    std::fs::remove_file(root.join("content/process/deeper/engraftment.md")).unwrap();
    std::fs::write(
        root.join("content/process/conditioning.md"),
        "---\ntitle: Conditioning\n---\n## Intensity\n\nNo more links.\n",
    )
    .unwrap();
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!out.join("stale.html").exists());
    assert!(!out.join("process/deeper/engraftment").exists());
}

#[test]
fn config_errors_exit_2_with_the_closest_key() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(root.join("site.yaml"), "title: x\ntheem: default\n").unwrap();
    let run = build(&root, &root.join("output"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("site.yaml:2:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `theme`?"),
        "{}",
        run.stderr
    );

    let run = common::marrow(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "usage errors exit 2");
}

#[test]
fn template_errors_name_the_template_and_line() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | no_such_filter }}\n{% endblock content %}\n",
    )
    .unwrap();
    let run = build(&root, &root.join("output"), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/page.html:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_inside_content_is_refused() {
    let (_tmp, root) = copy_fixture("basic");
    let run = build(&root, &root.join("content"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        root.join("content/_index.md").is_file(),
        "content untouched"
    );
}

#[test]
fn link_checker_itself_catches_breakage() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    assert_eq!(build(&root, &out, &[]).code, 0);
    std::fs::remove_file(out.join("process/deeper/engraftment/index.html")).unwrap();
    let page = out.join("process/index.html");
    let html = read(&page).replace("</main>", "<a href=\"#no-such-id\">x</a></main>");
    std::fs::write(&page, html).unwrap();
    let broken = broken_links(&out, "/");
    assert!(
        broken.iter().any(|b| b.contains("engraftment")),
        "{broken:?}"
    );
    assert!(
        broken.iter().any(|b| b.contains("no id `no-such-id`")),
        "{broken:?}"
    );
}

#[test]
fn unknown_template_in_front_matter_points_at_the_page() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("content/process/special.md"),
        "---\ntitle: Special\ndescription: x\ntemplate: landing.html\n---\nBody\n",
    )
    .unwrap();
    let run = build(&root, &root.join("output"), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/process/special.md:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("template `landing.html` does not exist"),
        "{}",
        run.stderr
    );

    // Once the site has it in its own templates/ (the theme has none), it is used.
    std::fs::write(
        root.join("templates/landing.html"),
        "{% extends \"base.html\" %}\n{% block content %}<p data-landing>{{ page.title }}{% if page.is_home %} (home){% endif %}</p>{% endblock content %}\n",
    )
    .unwrap();
    let run = build(&root, &root.join("output"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let special = read(root.join("output/process/special/index.html"));
    assert!(special.contains("<p data-landing>Special</p>"), "{special}");
}

#[test]
fn aliases_write_redirects_and_collisions_fail() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("content/process/moved.md"),
        "---\ntitle: Moved page\naliases: [/old/leaflet-page/]\n---\nNew home.\n",
    )
    .unwrap();
    let out = root.join("output");
    let run = build(&root, &out, &["--base-url", "https://example.org/docs/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let redirect = read(out.join("old/leaflet-page/index.html"));
    assert!(
        redirect.contains(
            r#"<meta http-equiv="refresh" content="0; url=../../process/moved/index.html">"#
        ),
        "{redirect}"
    );
    assert!(
        redirect
            .contains(r#"<link rel="canonical" href="https://example.org/docs/process/moved/">"#)
    );
    assert!(broken_links(&out, "/docs/").is_empty());
    // Site-wide files are well-formed XML with absolute addresses.
    let sitemap = read(out.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    let feed = read(out.join("feed.xml"));
    roxmltree::Document::parse(&feed).unwrap();
    assert!(read(out.join("robots.txt")).contains("Sitemap: https://example.org/docs/sitemap.xml"));

    // An alias that is a real page's address is an error naming both.
    std::fs::write(
        root.join("content/process/moved.md"),
        "---\ntitle: Moved page\naliases: [/process/conditioning/]\n---\nNew home.\n",
    )
    .unwrap();
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/process/moved.md:3:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("is the address of `content/process/conditioning.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_base_url_absolute_files_are_left_out_and_that_is_said_once() {
    let (_tmp, root) = copy_fixture("basic");
    let out = root.join("output");
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("base_url").count(), 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Built "),
        "the result comes first: {}",
        run.stdout
    );
    assert!(!out.join("sitemap.xml").exists());
    assert!(!out.join("feed.xml").exists());
    assert!(out.join("robots.txt").is_file());
}

#[test]
fn taxonomy_pages_and_related_pages() {
    let (_tmp, root) = copy_fixture("basic");
    std::fs::write(
        root.join("site.yaml"),
        "title: Fixture\ntaxonomies: [conditions]\n",
    )
    .unwrap();
    // Use the theme's page template, which shows related pages and topics.
    std::fs::remove_file(root.join("templates/page.html")).unwrap();
    std::fs::write(
        root.join("content/process/aml.md"),
        "---\ntitle: AML and transplant\ntags: [Treatment, leukaemia]\ntaxonomies:\n  conditions: [AML]\n---\nText.\n",
    )
    .unwrap();
    let out = root.join("output");
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tags = read(out.join("tags/index.html"));
    assert!(tags.contains(r#"<a href="../tags/treatment/index.html">treatment</a> <span class="term-count">(2 pages)</span>"#), "{tags}");
    let term = read(out.join("tags/treatment/index.html"));
    assert!(
        term.contains("../../process/conditioning/index.html")
            && term.contains("../../process/aml/index.html"),
        "{term}"
    );
    let conditions = read(out.join("conditions/aml/index.html"));
    assert!(conditions.contains("AML and transplant"), "{conditions}");
    // Related pages: the page sharing a tag comes first.
    let cond = read(out.join("process/conditioning/index.html"));
    let related = cond.split("Related pages").nth(1).unwrap_or("");
    let first = related.split("<li>").nth(1).unwrap_or("");
    assert!(first.contains("AML and transplant"), "{related}");
    assert!(
        cond.contains(r#"Topics: <a href="../../tags/treatment/index.html">treatment</a>"#),
        "{cond}"
    );
    assert!(
        broken_links(&out, "/").is_empty(),
        "{:?}",
        broken_links(&out, "/")
    );

    // A taxonomy the site does not declare is an error with a suggestion.
    std::fs::write(
        root.join("content/process/aml.md"),
        "---\ntitle: AML\ntaxonomies:\n  condition: [AML]\n---\nText.\n",
    )
    .unwrap();
    let run = build(&root, &out, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/process/aml.md:3:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `conditions`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn long_sections_are_listed_in_parts_that_hold_each_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let page = |rel: &str, title: &str, weight: usize| {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            path,
            format!("---\ntitle: {title}\nweight: {weight}\n---\nText.\n"),
        )
        .unwrap();
    };
    std::fs::write(root.join("site.yaml"), "title: T\nnav:\n  max_entries: 4\n").unwrap();
    page("_index.md", "Home", 1);
    page("long/_index.md", "Long", 1);
    for i in 1..=11 {
        page(&format!("long/p{i:02}.md"), &format!("Page {i}"), i);
    }
    page("long/inner/_index.md", "Inner", 6);
    page("long/inner/a.md", "Inner A", 1);
    let out = root.join("output");
    let run = build(root, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(broken_links(&out, "/"), Vec::<String>::new());

    let list = scraper::Selector::parse(".site-nav ul").unwrap();
    let entry = scraper::Selector::parse(":scope > li:not(.nav-more)").unwrap();
    let more = scraper::Selector::parse(".site-nav .nav-more a").unwrap();
    let current = scraper::Selector::parse(".site-nav [aria-current=page]").unwrap();
    let mut listed = std::collections::BTreeSet::new();
    for file in html_files(&out) {
        let rel = file.strip_prefix(&out).unwrap().display().to_string();
        if !rel.starts_with("long/") {
            continue;
        }
        let doc = scraper::Html::parse_document(&read(&file));
        // Every page finds itself in its menu…
        assert_eq!(doc.select(&current).count(), 1, "{rel}");
        // …no list is longer than the limit…
        for ul in doc.select(&list) {
            assert!(ul.select(&entry).count() <= 4, "{rel}: {}", ul.html());
        }
        // …and the section's 12 entries are reached in parts of 4.
        let parts: Vec<String> = doc.select(&more).map(|a| a.inner_html()).collect();
        if rel == "long/p10/index.html" {
            assert_eq!(parts, ["Earlier pages (5–8 of 12)"], "{rel}");
        }
        if rel == "long/index.html" {
            assert_eq!(parts, ["Later pages (5–8 of 12)"], "{rel}");
        }
        for a in doc.select(&scraper::Selector::parse(".site-nav a").unwrap()) {
            listed.insert(a.inner_html());
        }
    }
    for i in 1..=11 {
        assert!(
            listed.contains(&format!("Page {i}")),
            "Page {i} never listed"
        );
    }
    assert!(listed.contains("Inner A"));
}

#[test]
fn timings_list_every_stage_with_wall_and_cpu_time() {
    let (_tmp, root) = copy_fixture("basic");
    let run = build(&root, &root.join("output"), &["--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stages: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| {
            // "   12.3 ms       20.1 ms CPU  render and write pages"
            let (times, name) = l.split_once(" ms CPU  ")?;
            let mut numbers = times.split(" ms").map(|n| n.trim().parse::<f64>());
            assert!(
                numbers.all(|n| n.is_ok_and(|n| n >= 0.0)),
                "not two durations: {l}"
            );
            Some(name)
        })
        .collect();
    for stage in [
        "compare with the last build",
        "read settings, theme and pages",
        "model the site",
        "derive taxonomies, reviews and translations",
        "render Markdown and pages, check links, write",
        "write site-wide files and assets",
        "swap in the new output",
        "record the build, set the old output aside",
    ] {
        assert!(
            stages.contains(&stage),
            "{stage} missing from:\n{}",
            run.stderr
        );
    }
    // Without the flag, none of it.
    let quiet = build(&root, &root.join("output"), &[]);
    assert!(!quiet.stderr.contains("ms CPU"), "{}", quiet.stderr);
}

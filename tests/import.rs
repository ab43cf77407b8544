//! Whole-binary tests of `marrow import`: small Hugo and Jekyll sites
//! under `tests/fixtures/import-*` are imported into a temporary folder,
//! the report and chosen pages are read back, and the imported site must
//! build with no template syntax left on any page.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, html_files, marrow};

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// Imports fixture `name` with `source` into a new folder.
fn import(source: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("site");
    let run = marrow(&[
        "import",
        source,
        fixture(name).to_str().unwrap(),
        "--into",
        dst.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("Imported "), "{}", run.stdout);
    (tmp, dst)
}

/// A page's front matter, as YAML.
fn front(site: &Path, page: &str) -> serde_yaml::Value {
    let text = read(site.join("content").join(page));
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(y, _)| y)
        .unwrap_or_else(|| panic!("{page} has no front matter:\n{text}"));
    serde_yaml::from_str(yaml).unwrap()
}

fn body(site: &Path, page: &str) -> String {
    let text = read(site.join("content").join(page));
    text.splitn(3, "---\n").nth(2).unwrap_or("").to_string()
}

/// Builds the imported site; it must succeed. Returns the output folder.
/// The imported sites use marrow's `figure` and `include` shortcodes and
/// `content/_snippets/`: these assertions need the shortcodes of the
/// Import issue's part C on main.
fn builds(site: &Path) -> PathBuf {
    let out = site.join("output");
    let run = marrow(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.code, 0,
        "the imported site builds:\n{}{}",
        run.stdout, run.stderr
    );
    out
}

/// Text of an HTML page outside `<pre>` and `<code>`, where template
/// syntax shown as an example is fine.
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["<pre", "<code"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let close = if tag == "<pre" { "</pre>" } else { "</code>" };
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => return out,
        }
    }
}

/// Template syntax on built pages, outside code: (file, what).
fn template_syntax(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for file in html_files(out) {
        let text = outside_code(&read(&file));
        for marker in ["{{<", "{{%", "{%", "{{ figure(", "{{ include("] {
            if text.contains(marker) {
                found.push(format!("{}: {marker}", file.display()));
            }
        }
        let mut at = 0;
        while let Some(i) = text[at..].find("{{") {
            let start = at + i;
            let end = text[start..].find("}}").map_or(text.len(), |j| start + j);
            if text[start..end].contains('|') {
                found.push(format!("{}: {}", file.display(), &text[start..end + 2]));
            }
            at = start + 2;
        }
    }
    found
}

#[test]
fn hugo_site_imports_with_its_report_and_builds() {
    let (_tmp, site) = import("hugo", "import-hugo");
    let report = read(site.join("IMPORT.md"));
    for expected in [
        "| broken links, refs and missing files in the source | 1 |",
        "| embedded media replaced by links | 2 |",
        "- `content/about.md:32` — `{{< ref \"missing-page.md\" >}}` — no page of the site has that name",
        "- `content/about.md:26` — `{{< columns >}} Left column text. {{< /columns >}}` — no marrow equivalent; its inner content is kept",
        "- `content/about.md:30` — `{{< newsletter-signup >}}` — no marrow equivalent; removed",
        "`{{ .Title }}` — template syntax Hugo shows as text; kept as text in code",
        "- `content/posts/first-post.md:19` — `{{< youtube id=\"dQw4w9WgXcQ\" title=\"A tour of the clinic\" >}}` — replaced by a plain link",
        "- `content/posts/first-post.md:10` — `author` — kept as `extra.author`",
        "- `content/docs/guide.md:6` — `toc` — kept as `extra.toc`",
        "- `layouts/` — Hugo templates — not imported",
        "- `config/_default/` — `menus` — a Hugo setting marrow has no use for",
    ] {
        assert!(
            report.contains(expected),
            "IMPORT.md lacks {expected:?}:\n{report}"
        );
    }
    let settings = read(site.join("site.yaml"));
    for expected in [
        "title: Clinic handbook",
        "base_url: https://clinic.example.org/",
        "language: en-gb",
        "- categories\n- topics",
        "links: warn",
        "enabled: false",
        "description: What to expect at the clinic",
    ] {
        assert!(
            settings.contains(expected),
            "site.yaml lacks {expected:?}:\n{settings}"
        );
    }

    // TOML front matter with a date-time, a permalink pattern, relative
    // and absolute aliases and a custom taxonomy.
    let post = front(&site, "posts/first-post.md");
    assert_eq!(post["date"], "2020-02-13");
    assert_eq!(post["updated"], "2020-03-01");
    assert_eq!(post["slug"], "opening-hours");
    assert_eq!(
        post["tags"],
        serde_yaml::from_str::<serde_yaml::Value>("[hours, visiting]").unwrap()
    );
    assert_eq!(post["taxonomies"]["topics"][0], "access");
    assert_eq!(post["taxonomies"]["categories"][0], "news");
    let aliases: Vec<&str> = post["aliases"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        aliases,
        [
            "/news/old-hours/",
            "/2020/02/older-hours/",
            "/2020/02/opening-hours/"
        ]
    );
    assert_eq!(post["extra"]["author"], "Clinic team");
    let text = body(&site, "posts/first-post.md");
    assert!(
        text.contains("> [!NOTE]\n> The pharmacy keeps its **old hours**."),
        "{text}"
    );
    assert!(text.contains("[A tour of the clinic](https://www.youtube.com/watch?v=dQw4w9WgXcQ)"));
    assert!(text.contains("[the guide](../docs/guide.md) and [its steps](../docs/guide.md#steps)"));

    // YAML: `url` as a slug, expirydate, summary, publishDate.
    let about = front(&site, "about.md");
    assert_eq!(about["slug"], "about-us");
    assert_eq!(about["expires"], "2031-01-01");
    assert_eq!(about["date"], "2019-05-03");
    assert_eq!(about["description"], "Who we are and how to reach us.");
    let text = body(&site, "about.md");
    assert!(
        text.contains("> [!WARNING]\n> **Emergencies**\n>\n> In an emergency call **999**."),
        "{text}"
    );
    assert!(
        text.contains("> [!TIP]\n> Bring your appointment letter."),
        "{text}"
    );
    assert!(
        text.contains("> [!CAUTION]\n> Parking is limited."),
        "{text}"
    );
    assert!(text.contains("```yaml\nclinic: open\n```"), "{text}");
    assert!(
        text.contains("```markdown\n{{< note >}}\nYour text.\n{{< /note >}}\n```"),
        "{text}"
    );
    assert!(text.contains("[page](missing-page.md)"), "{text}");

    // A leaf bundle with a resource becomes a section page beside it.
    let bundle = front(&site, "posts/bundle-post/_index.md");
    assert_eq!(bundle["date"], "2021-06-01");
    assert!(
        site.join("content/posts/bundle-post/entrance.png")
            .is_file()
    );
    let text = body(&site, "posts/bundle-post/_index.md");
    assert!(text.contains(
        "{{ figure(src=\"entrance.png\", alt=\"The main entrance, with the ramp on the left\", caption=\"The main entrance\") }}"
    ), "{text}");
    assert!(
        text.contains("![The clinic's logo](/images/logo.png)"),
        "{text}"
    );
    assert!(site.join("static/images/logo.png").is_file());

    // JSON front matter, HTML entities, `param`.
    assert_eq!(front(&site, "docs/guide.md")["extra"]["toc"], true);
    assert!(
        body(&site, "docs/guide.md")
            .contains("<a href=\"../../about-us/index.html\">About the clinic</a>"),
        "a ref inside raw HTML links to the built page"
    );
    assert_eq!(front(&site, "docs/_index.md")["title"], "Guides & help");
    assert!(body(&site, "_index.md").contains("Call us on 0100 000 0000."));

    let out = builds(&site);
    let left = template_syntax(&out);
    assert!(
        left.is_empty(),
        "template syntax on built pages:\n{}",
        left.join("\n")
    );
    let html = read(out.join("posts/bundle-post/index.html"));
    assert!(
        html.contains("<figcaption>\n<p>The main entrance</p>"),
        "{html}"
    );
    assert!(out.join("posts/bundle-post/entrance.png").is_file());
    assert!(
        out.join("2020/02/opening-hours/index.html").is_file(),
        "the old permalink redirects"
    );
}

#[test]
fn import_refuses_a_non_empty_destination_and_writes_nothing_into_the_source() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let run = marrow(&[
        "import",
        "hugo",
        fixture("import-hugo").to_str().unwrap(),
        "--into",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    let inside = fixture("import-hugo").join("imported");
    let run = marrow(&[
        "import",
        "hugo",
        fixture("import-hugo").to_str().unwrap(),
        "--into",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("inside the source"), "{}", run.stderr);
    assert!(!inside.exists());
}

#[test]
fn jekyll_site_imports_with_its_report_and_builds() {
    let (_tmp, site) = import("jekyll", "import-jekyll");
    let report = read(site.join("IMPORT.md"));
    for expected in [
        "| broken links, refs and missing files in the source | 1 |",
        "| files not imported as pages | 6 |",
        "| documents that had no page of their own, imported as pages | 1 |",
        "- `about.md:24` — `{% link missing.md %}` — no such file in the site",
        "- `about.md:10` — `{% include note.html content=\"Bring a list of your medicines.\" %}` — an include with parameters; its text is written in place with the values given",
        "- `about.md:14` — `{% if page.show_team %}` — Liquid logic; the tag is removed",
        "- `about.md:12` — `{{ page.title }}` — replaced by its value “Who we are & what we do”",
        "- `_includes/` — Jekyll includes",
        "- `README.md` — a Markdown file without front matter — Jekyll copies such files as they are; copied to static/",
        "- `_staff/jane.md` — a document of the `staff` collection",
        "- `feed.xml` — a Liquid template for a generated file",
        "- `_layouts/` — Jekyll layouts — not imported",
        "- `index.md:1` — no `title` — titled “Welcome to the day unit” from its first heading",
        "- `_config.yml` — `plugins` — a Jekyll setting marrow has no use for",
    ] {
        assert!(
            report.contains(expected),
            "IMPORT.md lacks {expected:?}:\n{report}"
        );
    }
    assert!(
        !report.contains("notes.md"),
        "excluded files are not mentioned:\n{report}"
    );
    assert!(!site.join("content/notes.md").exists() && !site.join("static/notes.md").exists());
    assert!(
        !site.join("static/deploy.sh").exists(),
        "excluded by a glob"
    );
    assert!(site.join("static/README.md").is_file());
    assert!(site.join("static/assets/logo.png").is_file());
    assert!(
        !site.join("content/old-page.md").exists(),
        "a redirect stub is no page"
    );
    assert!(
        site.join("content/staff/jane.md").is_file(),
        "an `output: false` collection's documents are kept (and reported)"
    );

    let settings = read(site.join("site.yaml"));
    for expected in [
        "title: Patient & carer guide",
        "language: en-GB",
        "base_url: https://example.org/guide/",
        "- categories",
        "links: warn",
    ] {
        assert!(
            settings.contains(expected),
            "site.yaml lacks {expected:?}:\n{settings}"
        );
    }

    // HTML entities, excerpt, last_modified_at, redirect_from and a redirect stub.
    let about = front(&site, "about.md");
    assert_eq!(about["title"], "Who we are & what we do");
    assert_eq!(about["description"], "The team – and how we work.");
    assert_eq!(about["updated"], "2021-02-03");
    assert_eq!(
        about["aliases"],
        serde_yaml::from_str::<serde_yaml::Value>("[/about-us/, /old-page/]").unwrap()
    );
    let text = body(&site, "about.md");
    assert!(
        text.contains("<div class=\"note\">\n<p>Bring a list of your medicines.</p>\n</div>"),
        "{text}"
    );
    assert!(
        text.contains("{{ include(file=\"when-to-call.md\") }}"),
        "{text}"
    );
    assert!(
        text.contains("write `{{ page.title }}` in a page"),
        "{text}"
    );
    assert!(
        text.contains("```liquid\n{% include note.html %}\n```"),
        "{text}"
    );
    assert!(text.contains("[missing page](/missing.md)"), "{text}");
    assert!(!text.contains("{% if"), "{text}");
    assert!(site.join("content/_snippets/when-to-call.md").is_file());
    assert!(!site.join("content/_snippets/note.md").exists());
    // kramdown attribute lists: a callout, a table of contents, a class.
    assert!(
        text.contains("> [!NOTE]\n> Please arrive ten minutes early."),
        "{text}"
    );
    assert!(!text.contains("{:"), "{text}");
    assert!(
        report.contains("- `about.md:27` — `{:toc}` — a kramdown table of contents; removed"),
        "{report}"
    );
    assert!(
        report.contains("- `about.md:33` — `{: .lead}` — a kramdown attribute list; removed"),
        "{report}"
    );

    // Posts: the date from the name, the old permalink as an alias,
    // space-separated tags, categories as a taxonomy, defaults applied.
    let post = front(&site, "posts/clinic-opens.md");
    assert_eq!(post["date"], "2020-05-03");
    assert_eq!(
        post["tags"],
        serde_yaml::from_str::<serde_yaml::Value>("[news, clinic]").unwrap()
    );
    assert_eq!(post["taxonomies"]["categories"][0], "updates");
    assert_eq!(post["aliases"][0], "/updates/2020/05/03/clinic-opens/");
    assert_eq!(post["extra"]["layout"], "post");
    let post = front(&site, "posts/new-phone-line.md");
    assert_eq!(post["date"], "2021-01-15");
    assert_eq!(post["aliases"][0], "/2021/01/15/new-phone-line/");
    assert!(body(&site, "posts/new-phone-line.md").contains("[contact](../pages/contact.md)"));
    // Links written as the source's file paths follow the files.
    assert!(
        body(&site, "posts/new-phone-line.md").contains(
            "Read [when we opened](clinic-opens.md). ![The unit's logo](/assets/logo.png)"
        )
    );

    // An `include`d folder, a collection with output, the home page.
    assert_eq!(front(&site, "pages/contact.md")["aliases"][0], "/contact/");
    // Inside raw HTML, links are to the built pages and files.
    assert!(body(&site, "pages/contact.md").contains(
        "<a href=\"../../about/index.html\">Back to who we are</a> <img src=\"../../assets/logo.png\""
    ));
    assert_eq!(
        front(&site, "conditions/sickle-cell.md")["title"],
        "Sickle cell disease"
    );
    let home = body(&site, "_index.md");
    assert!(
        !home.contains("# Welcome"),
        "the heading became the title:\n{home}"
    );
    for link in [
        "[who we are](about.md)",
        "[contact us](pages/contact.md)",
        "[the clinic opens](posts/clinic-opens.md)",
        "![The unit's logo](/assets/logo.png)",
        "[sickle cell disease](conditions/sickle-cell.md)",
    ] {
        assert!(home.contains(link), "{link} in:\n{home}");
    }

    let out = builds(&site);
    let left = template_syntax(&out);
    assert!(
        left.is_empty(),
        "template syntax on built pages:\n{}",
        left.join("\n")
    );
    let html = read(out.join("about/index.html"));
    assert!(
        html.contains("<div class=\"note\">"),
        "the include is written in place:\n{html}"
    );
    assert!(
        out.join("old-page/index.html").is_file(),
        "the redirect stub's address redirects"
    );
    assert!(!out.join("_snippets").exists(), "snippets are no pages");
}

#[test]
fn hugo_taxonomy_pages_move_aside_and_dated_permalinks_have_one_date() {
    let (_tmp, site) = import("hugo", "import-hugo");
    let news = front(&site, "news/2013-02-14-parking.md");
    assert_eq!(news["aliases"][0], "/2013/02/14/parking/");
    // marrow's own /topics/ and /topics/access/ pages win; Hugo's move.
    assert!(!site.join("content/topics").exists());
    let term = front(&site, "topics-pages/access/_index.md");
    assert_eq!(term["aliases"][0], "/access-old/");
    assert_eq!(term["aliases"].as_sequence().map(Vec::len), Some(1));
    let report = read(site.join("IMPORT.md"));
    assert!(
        report.contains("- `content/topics/access/_index.md` — a Hugo `topics` taxonomy page (`/topics/access/`)"),
        "{report}"
    );
    let out = builds(&site);
    assert!(out.join("topics/access/index.html").is_file());
    assert!(out.join("2013/02/14/parking/index.html").is_file());
}

/// Writes `files` (path, text) under a new folder: a source site.
fn site_of(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    tmp
}

#[test]
fn hugo_mounts_a_base_path_frontmatter_dates_and_a_custom_tag_key() {
    let src = site_of(&[
        (
            "config.toml",
            "baseURL = \"https://example.org/docs/\"\ntitle = \"Docs\"\n[frontmatter]\npublishDate = [\"published\", \"publishDate\", \"date\"]\n",
        ),
        (
            "config/_default/module.toml",
            "[[mounts]]\nsource = \"docs/guides\"\ntarget = \"content/guides\"\n[[mounts]]\nsource = \"missing\"\ntarget = \"content/gone\"\n",
        ),
        (
            "docs/guides/a/index.md",
            "---\ntitle: A\npublished: 2020-10-07\ntag: featured\n---\nSee [B](/docs/guides/b/).\n",
        ),
        ("docs/guides/b.md", "---\ntitle: B\n---\nB.\n"),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("site");
    let run = marrow(&[
        "import",
        "hugo",
        src.path().to_str().unwrap(),
        "--into",
        dst.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("Imported 2 pages"), "{}", run.stdout);
    let a = front(&dst, "guides/a.md");
    assert_eq!(a["date"], "2020-10-07");
    assert_eq!(a["extra"]["tag"], "featured");
    assert!(a["tags"].is_null(), "{a:?}");
    assert!(
        body(&dst, "guides/a.md").contains("[B](b.md)"),
        "{}",
        body(&dst, "guides/a.md")
    );
    let report = read(dst.join("IMPORT.md"));
    assert!(
        report.contains("module mount `docs/guides` → `content/guides`"),
        "{report}"
    );
    assert!(
        report.contains("module mount `missing` → `content/gone`"),
        "{report}"
    );
    builds(&dst);
}

#[test]
fn a_jekyll_404_page_is_left_to_marrow_and_the_site_builds() {
    let (_tmp, site) = import("jekyll", "import-jekyll");
    assert!(!site.join("content/404.md").exists());
    assert!(read(site.join("IMPORT.md")).contains("- `404.html` — the site's 404"));
    let out = builds(&site);
    assert!(out.join("404.html").is_file(), "marrow's own 404 page");
}

#[test]
fn a_jekyll_snippets_links_work_from_pages_at_every_depth() {
    let (_tmp, site) = import("jekyll", "import-jekyll");
    let snippet = read(site.join("content/_snippets/when-to-call.md"));
    assert!(
        snippet.contains("[sickle cell](/conditions/sickle-cell.md)"),
        "root-relative, the same from every includer: {snippet}"
    );
    let out = builds(&site);
    for page in ["about/index.html", "conditions/sickle-cell/index.html"] {
        let html = read(out.join(page));
        let at = html.find(">sickle cell</a>").expect(page);
        let start = html[..at].rfind("href=\"").unwrap() + 6;
        let href = &html[start..at];
        let href = href.split('"').next().unwrap();
        let dir = out.join(page);
        let target = dir.parent().unwrap().join(href);
        let target = if href.ends_with('/') || href.is_empty() {
            target.join("index.html")
        } else {
            target
        };
        assert!(target.is_file(), "{page}: {href} → {}", target.display());
    }
}

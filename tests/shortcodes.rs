//! Whole-binary tests of marrow's shortcodes: a fixture site
//! (`tests/fixtures/shortcodes/`) that uses every built-in and the site's
//! own templates, and sites with mistakes, built with `marrow build`.

mod common;

use std::path::Path;

use common::{build, copy_fixture, fixture, html_files, search_docs};

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn every_shortcode_is_expanded_and_nothing_of_them_reaches_readers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let run = build(&fixture("shortcodes"), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let home = read(out.join("index.html"));
    // fact, and include with the snippet's heading id and its own fact.
    assert!(home.contains("engrafted at 0.5 × 10⁹/L."), "{home}");
    assert!(home.contains("<h2 id=\"when-to-call\">"), "{home}");
    assert!(home.contains("temperature is 38°C or above"), "{home}");
    // Shortcodes shown as code stay as written.
    assert!(
        home.contains("<code>{{ fact(name=\"x\") }}</code>"),
        "{home}"
    );
    assert!(
        home.contains("{% include hugo.html %} and {{ .Title }}"),
        "{home}"
    );
    assert!(home.contains("escape it: {{ like this }}"), "{home}");

    let care = read(out.join("care/index.html"));
    assert!(care.contains("The chance is 1 in 4."), "{care}");
    // figure: the image is checked and linked like any other.
    assert!(care.contains("<figure class=\"figure\">"), "{care}");
    assert!(
        care.contains("<img src=\"../care/chart.svg\" alt=\"A rising line\""),
        "{care}"
    );
    assert!(
        care.contains("<figcaption>\n<p>Counts rise after <strong>engraftment</strong>.</p>"),
        "{care}"
    );
    // A site template with a body rendered as Markdown, its link checked.
    assert!(care.contains("<aside class=\"note note-tip\">"), "{care}");
    assert!(
        care.contains("A <em>tip</em> with a <a href=\"../index.html#when-to-call\">link</a>."),
        "{care}"
    );
    // An include inside a list item stays in the item.
    assert!(
        care.contains("A list item:\nKeep your phone charged.</li>"),
        "{care}"
    );
    // urgent, from site.yaml.
    assert!(
        care.contains("<p class=\"callout-title\">Get help now</p>"),
        "{care}"
    );
    assert!(
        care.contains("<a href=\"tel:08000000000\">0800 000 0000</a>"),
        "{care}"
    );
    assert!(
        care.contains("A <span class=\"badge\" title=\"Shortcode fixture\">new</span> badge."),
        "{care}"
    );

    // Snippets are never pages, and no page shows template syntax.
    assert!(!out.join("_snippets").exists());
    for file in html_files(&out) {
        let html = read(&file);
        assert!(!html.contains("marrow-sc-"), "{}", file.display());
        let outside_code = html
            .split("<code")
            .map(|part| part.split("</code>").last().unwrap_or(""))
            .collect::<String>();
        for junk in ["{{ fact", "{{ include", "{% end", "{{ urgent", "{{ figure"] {
            assert!(!outside_code.contains(junk), "{junk} in {}", file.display());
        }
    }
    // Search reads the expanded text.
    let docs = search_docs(&out)
        .iter()
        .map(|d| d.to_string())
        .collect::<String>();
    assert!(docs.contains("Keep your phone charged"), "{docs}");
}

/// Builds the fixture with `file` written as `text`; the build's stderr.
fn build_with(file: &str, text: &str) -> (i32, String) {
    let (_tmp, root) = copy_fixture("shortcodes");
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    let out = root.join("output");
    let run = build(&root, &out, &[]);
    (run.code, run.stderr)
}

#[test]
fn foreign_template_syntax_stops_the_build_at_its_place() {
    let (code, err) = build_with(
        "content/moved.md",
        "---\ntitle: Moved\n---\nSee {{< ref \"care.md\" >}}.\n\n{{% note %}}Careful.{{% /note %}}\n\n[Home]({{ \"/\" | relative_url }})\n\n{% include footer.html %}\n",
    );
    assert_eq!(code, 1, "{err}");
    for place in [
        "content/moved.md:4:5",
        "content/moved.md:6:1",
        "content/moved.md:8:8",
        "content/moved.md:10:1",
    ] {
        assert!(err.contains(place), "{place} missing:\n{err}");
    }
    assert!(err.contains("Hugo shortcode"), "{err}");
    assert!(err.contains("template filter"), "{err}");
    assert!(err.contains("marrow import"), "{err}");
}

#[test]
fn shortcode_mistakes_are_all_reported_in_one_build() {
    let (code, err) = build_with(
        "content/wrong.md",
        "---\ntitle: Wrong\n---\n{{ include(file=\"when-to-cal.md\") }}\n\nAt {{ fact(name=\"fever_temprature\") }}.\n\n{{ figure(src=\"care/chart.svg\") }}\n\n{{ notte(kind=\"x\") }}\n\n[gone](gone.md)\n",
    );
    assert_eq!(code, 1, "{err}");
    for (place, what) in [
        ("content/wrong.md:4:12", "did you mean `when-to-call.md`?"),
        ("content/wrong.md:6:12", "did you mean `fever_temperature`?"),
        ("content/wrong.md:8:4", "`figure` needs `alt`"),
        ("content/wrong.md:10:4", "unknown shortcode `notte`"),
        ("content/wrong.md:12:1", "gone.md"),
    ] {
        assert!(err.contains(place), "{place} missing:\n{err}");
        assert!(err.contains(what), "{what} missing:\n{err}");
    }
}

#[test]
fn a_malformed_facts_file_is_a_located_error() {
    let (code, err) = build_with(
        "data/facts.yaml",
        "fever_temperature: \"38°C\nsibling_match: 1 in 4\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("data/facts.yaml:1:"), "{err}");
}

use std::path::{Path, PathBuf};

use super::library::{FactsFile, Snippet, parse_facts};
use super::parse::{Call, Found, TagKind, Value, regions, scan};
use super::*;
use crate::config::Urgent;

fn tags(text: &str) -> Vec<Found> {
    scan(text, &regions(text, crate::markdown::parser_options()))
}

fn only_call(text: &str) -> Call {
    match tags(text).as_slice() {
        [
            Found {
                tag: Ok(TagKind::Inline(c)),
                ..
            },
        ] => c.clone(),
        other => panic!("{other:?}"),
    }
}

/// A library with two snippets, three facts, `urgent` and a `note` template.
fn library() -> Library {
    let mut lib = Library::default();
    for (key, text) in [
        (
            "call.md",
            "Call your team if:\n\n- you have a fever\n- you feel unwell\n",
        ),
        ("nested.md", "Before. {{ include(file=\"call.md\") }}"),
        ("loop-a.md", "{{ include(file=\"loop-b.md\") }}"),
        ("loop-b.md", "{{ include(file=\"loop-a.md\") }}"),
        ("broken-link.md", "See [this](nowhere.md).\n"),
    ] {
        lib.snippets.insert(
            key.into(),
            Snippet {
                display: Path::new("content/_snippets").join(key),
                text: text.into(),
            },
        );
    }
    lib.facts =
        parse_facts("fever_temperature: \"38 °C\"\nsibling_match: 1 in 4\nstars: \"*a*\"\n")
            .unwrap();
    lib.facts_file = FactsFile::Loaded;
    lib.urgent = Some(Urgent {
        text: "Call your team straight away:".into(),
        phone: "0800 123 456".into(),
        title: None,
    });
    let mut tera = tera::Tera::new();
    tera.add_raw_template(
        "shortcodes/note.html",
        "<aside class=\"note {{ kind }}\">{{ body | safe }}</aside>",
    )
    .unwrap();
    tera.global_context()
        .insert("site", &crate::config::SiteConfig::default());
    tera.add_raw_template("shortcodes/badge.html", "<b>{{ label }}</b>")
        .unwrap();
    lib.templates = Some(tera);
    lib.template_names = vec!["badge".into(), "note".into()];
    lib
}

const FRONT: &str = "---\ntitle: P\n---\n";

fn expand_body(lib: &Library, body: &str) -> Expanded {
    let text = format!("{FRONT}{body}");
    let options = crate::markdown::parser_options();
    expand(
        lib,
        PathBuf::from("content/p.md"),
        &text,
        FRONT.len(),
        options,
    )
}

fn errors(e: &Expanded) -> Vec<String> {
    e.diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

#[test]
fn arguments_are_strings_numbers_and_booleans() {
    let c = only_call(
        r#"{{ figure(src="a.png", alt="A \"b\"\\c", n=3, x=0.5, neg=-2, on=true, off=false,) }}"#,
    );
    assert_eq!(c.name, "figure");
    let values: Vec<(&str, &Value)> = c.args.iter().map(|a| (a.key.as_str(), &a.value)).collect();
    assert_eq!(
        values,
        [
            ("src", &Value::Str("a.png".into())),
            ("alt", &Value::Str("A \"b\"\\c".into())),
            ("n", &Value::Int(3)),
            ("x", &Value::Float(0.5)),
            ("neg", &Value::Int(-2)),
            ("on", &Value::Bool(true)),
            ("off", &Value::Bool(false)),
        ]
    );
    assert_eq!(only_call("{{urgent()}}").args, []);
    assert_eq!(
        only_call("{{ fact(name=\"a\\nb\") }}").args[0].value,
        Value::Str("a\nb".into())
    );
}

#[test]
fn bad_arguments_are_located() {
    let cases = [
        ("{{ fact(name=x) }}", 13, "not a string, number"),
        ("{{ fact(name=\"x) }}", 13, "never closed"),
        ("{{ fact(name=\"\\q\") }}", 14, "unknown escape"),
        ("{{ fact(name=\"x\" n=1) }}", 17, "`,` or `)` expected"),
        ("{{ fact(\"x\") }}", 8, "argument name expected"),
        ("{{ fact(name=\"x\", name=\"y\") }}", 18, "given twice"),
        ("{{ fact(name=\"x\") %}", 18, "`}}` expected"),
    ];
    for (text, at, message) in cases {
        let found = tags(text);
        let Some(Found { tag: Err(p), .. }) = found.first() else {
            panic!("{text}: {found:?}");
        };
        assert_eq!(p.at, at, "{text}: {p:?}");
        assert!(p.message.contains(message), "{text}: {}", p.message);
    }
}

#[test]
fn code_is_never_scanned() {
    let text = "Write `{{ fact(name=\"x\") }}` inline.\n\n```\n{% include x.html %}\n```\n\n    {{ .Title }}\n\nAnd \\{{ this }} is escaped <!-- {{< old >}} -->.\n\n<!--\n{% raw %}\n-->\n";
    assert_eq!(tags(text), []);
}

#[test]
fn tags_have_their_ranges_and_blocks_their_end() {
    let text = "Hi\n{% note(kind=\"tip\") %}\nBody\n{% end %}\n";
    let found = tags(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].range, 3..25);
    assert!(matches!(&found[0].tag, Ok(TagKind::Open(c)) if c.name == "note" && c.at == 6));
    assert_eq!(found[1].range, 31..40);
    assert_eq!(found[1].tag, Ok(TagKind::End));
}

#[test]
fn foreign_template_syntax_is_an_error_naming_marrows() {
    let cases = [
        (
            "{{< ref \"x.md\" >}}",
            "Hugo shortcode `{{< ref \"x.md\" >}}`",
        ),
        (
            "{{% note %}}Careful{{% /note %}}",
            "Hugo shortcode `{{% note %}}`",
        ),
        ("{{ \"x\" | relative_url }}", "template filter"),
        (
            "{% include x.html %}",
            "template tag `{% include x.html %}` (`include`",
        ),
        ("{{ .Title }}", "Hugo template code"),
        (
            "{{ page.title }}",
            "`{{ page.title }}` is not a marrow shortcode",
        ),
        ("{% raw %}", "(`raw`"),
    ];
    for (text, message) in cases {
        let found = tags(text);
        let Some(Found { tag: Err(p), .. }) = found.first() else {
            panic!("{text}: {found:?}");
        };
        assert_eq!(p.at, 0);
        assert!(p.message.contains(message), "{text}: {}", p.message);
        assert!(p.help.contains("marrow import"), "{}", p.help);
        assert!(p.help.contains("{{ name(key=\"value\") }}"), "{}", p.help);
    }
}

#[test]
fn foreign_syntax_in_a_page_is_located_and_dropped() {
    let e = expand_body(
        &library(),
        "Intro.\n\nSee {{< ref \"x.md\" >}} and {% include x.html %}.\n",
    );
    assert_eq!(errors(&e).len(), 2, "{:?}", errors(&e));
    assert!(
        errors(&e)[0].starts_with("content/p.md:6:5:"),
        "{:?}",
        errors(&e)
    );
    assert!(
        errors(&e)[1].starts_with("content/p.md:6:28:"),
        "{:?}",
        errors(&e)
    );
    assert!(!e.text.contains('{'), "{}", e.text);
}

#[test]
fn fact_writes_its_value_as_text() {
    let e = expand_body(
        &library(),
        "Over {{ fact(name=\"fever_temperature\") }}; {{ fact(name=\"stars\") }}.\n",
    );
    assert_eq!(errors(&e), Vec::<String>::new());
    assert_eq!(e.text, "Over 38 °C; \\*a\\*.\n");
    assert_eq!(
        e.uses,
        [
            Dependency::Fact("fever_temperature".into()),
            Dependency::Fact("stars".into())
        ]
    );
    // Raw HTML is not Markdown: there the value is escaped for HTML.
    let e = expand_body(
        &library(),
        "<div>\n{{ fact(name=\"stars\") }} & <b>{{ fact(name=\"fever_temperature\") }}</b>\n</div>\n\nAnd {{ fact(name=\"stars\") }}.\n",
    );
    assert_eq!(
        e.text,
        "<div>\n*a* & <b>38 °C</b>\n</div>\n\nAnd \\*a\\*.\n"
    );
}

#[test]
fn unknown_facts_get_a_suggestion() {
    let e = expand_body(&library(), "A\n{{ fact(name=\"fever_temprature\") }}\n");
    assert_eq!(
        errors(&e),
        ["content/p.md:5:9: no fact `fever_temprature` in data/facts.yaml"]
    );
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("did you mean `fever_temperature`?")
    );
    let mut lib = library();
    lib.facts_file = FactsFile::Missing;
    let e = expand_body(&lib, "{{ fact(name=\"x\") }}");
    assert!(
        errors(&e)[0].contains("the site has no data/facts.yaml"),
        "{:?}",
        errors(&e)
    );
    lib.facts_file = FactsFile::Broken;
    assert_eq!(
        errors(&expand_body(&lib, "{{ fact(name=\"x\") }}")),
        Vec::<String>::new()
    );
}

#[test]
fn a_malformed_facts_file_is_located() {
    let d = parse_facts("a: 1\nb: [1, 2]\n").unwrap_err();
    let d: Vec<_> = d
        .iter()
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    assert_eq!(
        d,
        [(
            "data/facts.yaml:2:1".into(),
            "fact `b` is not a single value".into()
        )]
    );
    let d = parse_facts("a: \"open\nb: 2\n").unwrap_err();
    assert!(
        d.iter()
            .next()
            .unwrap()
            .location()
            .starts_with("data/facts.yaml:"),
        "{d}"
    );
}

#[test]
fn include_pastes_the_snippet_in_its_containers() {
    let lib = library();
    let e = expand_body(
        &lib,
        "Intro.\n\n{{ include(file=\"call.md\") }}\n\nAfter.\n",
    );
    assert_eq!(errors(&e), Vec::<String>::new());
    assert_eq!(
        e.text,
        "Intro.\n\nCall your team if:\n\n- you have a fever\n- you feel unwell\n\nAfter.\n"
    );
    let e = expand_body(&lib, "> {{ include(file=\"call.md\") }}\n");
    assert_eq!(
        e.text,
        "> Call your team if:\n> \n> - you have a fever\n> - you feel unwell\n"
    );
    let e = expand_body(&lib, "- {{ include(file=\"call.md\") }}\n");
    assert_eq!(
        e.text,
        "- Call your team if:\n  \n  - you have a fever\n  - you feel unwell\n"
    );
    let e = expand_body(&lib, "{{ include(file=\"nested.md\") }}\n");
    assert!(
        e.text.starts_with("Before. Call your team if:"),
        "{}",
        e.text
    );
    assert_eq!(
        e.uses,
        [
            Dependency::Snippet("nested.md".into()),
            Dependency::Snippet("call.md".into())
        ]
    );
}

#[test]
fn include_errors_say_what_to_do() {
    let lib = library();
    let e = expand_body(&lib, "{{ include(file=\"cal.md\") }}\n");
    assert_eq!(
        errors(&e),
        ["content/p.md:4:12: no snippet `cal.md` in content/_snippets/"]
    );
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("did you mean `call.md`?")
    );
    assert_eq!(e.uses, [Dependency::Snippet("cal.md".into())]);
    let e = expand_body(&lib, "{{ include(file=\"loop-a.md\") }}\n");
    assert_eq!(errors(&e).len(), 1, "{:?}", errors(&e));
    assert!(errors(&e)[0].starts_with("content/_snippets/loop-b.md:1:4: snippets include each other without end: loop-a.md → loop-b.md → loop-a.md"), "{:?}", errors(&e));
    let e = expand_body(&lib, "{{ include() }}\n");
    assert!(
        errors(&e)[0].contains("`include` needs `file`"),
        "{:?}",
        errors(&e)
    );
    let e = expand_body(&lib, "{{ include(fil=\"call.md\") }}\n");
    assert!(
        errors(&e)[0].contains("`include` has no argument `fil`"),
        "{:?}",
        errors(&e)
    );
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("did you mean `file`?")
    );
}

#[test]
fn figure_needs_alt_and_a_line_of_its_own() {
    let lib = library();
    let e = expand_body(
        &lib,
        "{{ figure(src=\"a b.png\", alt=\"A [chart]\", caption=\"Counts\") }}\n",
    );
    assert_eq!(errors(&e), Vec::<String>::new());
    assert!(e.text.contains("![A \\[chart\\]](<a b.png>)"), "{}", e.text);
    assert_eq!(
        e.html,
        [
            "<figure class=\"figure\">",
            "<figcaption>",
            "</figcaption>",
            "</figure>"
        ]
    );
    let e = expand_body(&lib, "{{ figure(src=\"a.png\") }}\n");
    assert_eq!(errors(&e), ["content/p.md:4:4: `figure` needs `alt`"]);
    let e = expand_body(&lib, "{{ figure(src=\"a.png\", alt=\" \") }}\n");
    assert!(errors(&e)[0].contains("`alt` is empty"), "{:?}", errors(&e));
    let e = expand_body(&lib, "See {{ figure(src=\"a.png\", alt=\"x\") }} here.\n");
    assert!(
        errors(&e)[0].contains("must be on a line of its own"),
        "{:?}",
        errors(&e)
    );
}

#[test]
fn urgent_comes_from_site_yaml() {
    let mut lib = library();
    let e = expand_body(&lib, "{{ urgent() }}\n");
    assert_eq!(errors(&e), Vec::<String>::new());
    assert!(
        e.text
            .contains("Call your team straight away: **[0800 123 456](tel:0800123456)**"),
        "{}",
        e.text
    );
    lib.urgent = None;
    let e = expand_body(&lib, "{{ urgent() }}\n");
    assert!(
        errors(&e)[0].contains("site.yaml has none"),
        "{:?}",
        errors(&e)
    );
    assert!(
        e.diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("urgent: {")
    );
}

#[test]
fn site_templates_get_arguments_and_the_body() {
    let lib = library();
    let e = expand_body(&lib, "A {{ badge(label=\"<new>\") }} b.\n");
    assert_eq!(errors(&e), Vec::<String>::new());
    assert_eq!(e.html, ["<b>&lt;new&gt;</b>"]);
    assert_eq!(e.text, "A <marrow-sc-0> b.\n");
    let e = expand_body(&lib, "{% note(kind=\"tip\") %}\nThe *body*.\n{% end %}\n");
    assert_eq!(errors(&e), Vec::<String>::new());
    assert_eq!(e.html, ["<aside class=\"note tip\">", "</aside>"]);
    assert!(e.text.contains("\nThe *body*.\n"), "{}", e.text);
    let e = expand_body(&lib, "{% note() %}\nnever closed\n");
    assert!(
        errors(&e)[0].contains("is never closed"),
        "{:?}",
        errors(&e)
    );
    let e = expand_body(&lib, "{% include(file=\"call.md\") %}\nx\n{% end %}\n");
    assert!(
        errors(&e)[0].contains("`include` takes no body"),
        "{:?}",
        errors(&e)
    );
}

#[test]
fn unknown_shortcodes_list_the_known_ones() {
    let e = expand_body(&library(), "{{ bage(label=\"x\") }}\n");
    assert_eq!(errors(&e), ["content/p.md:4:4: unknown shortcode `bage`"]);
    let help = e.diagnostics[0].help.clone().unwrap_or_default();
    assert!(help.starts_with("did you mean `badge`?"), "{help}");
    assert!(
        help.contains("include, fact, figure, urgent, badge, note"),
        "{help}"
    );
}

#[test]
fn placeholders_are_filled() {
    let parts = vec!["<b>x</b>".to_string()];
    assert_eq!(fill_placeholders("a<marrow-sc-0>b", &parts), "a<b>x</b>b");
    assert_eq!(fill_placeholders("<marrow-sc-7>", &parts), "<marrow-sc-7>");
    assert_eq!(fill_placeholders("plain", &parts), "plain");
}

mod properties;
mod rendered;

use super::*;

fn page(front: &str) -> SourcePage {
    let split = split(front);
    let (format, text) = split.front.unwrap();
    SourcePage {
        src_rel: "content/a.md".into(),
        dst_rel: "a.md".into(),
        front: parse(format, text).unwrap(),
        key_lines: key_lines(text, 2),
        body: split.body.into(),
        ..SourcePage::default()
    }
}

#[test]
fn splits_yaml_toml_and_json_front_matter() {
    let s = split("\n\n---\ntitle: A\n---\nbody\n");
    assert_eq!(s.front, Some((Format::Yaml, "title: A\n")));
    assert_eq!((s.body, s.body_line), ("body\n", 6));
    let s = split("+++\ntitle = \"A\"\n+++\nbody");
    assert_eq!(s.front, Some((Format::Toml, "title = \"A\"\n")));
    assert_eq!(s.body_line, 4);
    let s = split("{\n \"title\": \"}\"\n}\nbody");
    assert_eq!(s.front, Some((Format::Json, "{\n \"title\": \"}\"\n}")));
    assert_eq!((s.body, s.body_line), ("body", 4));
    assert_eq!(split("no front matter").front, None);
    assert_eq!(split("---\nnever closed\n").front, None);
}

#[test]
fn date_times_are_cut_to_their_date() {
    for (text, want) in [
        ("2020-02-13", Some("2020-02-13")),
        ("2020-02-13 10:25:54 -0400", Some("2020-02-13")),
        ("2020-02-13T10:25:54Z", Some("2020-02-13")),
        ("13/02/2020", None),
        ("2020-02-13x", None),
    ] {
        let got = date_of(&Value::String(text.into())).map(|d| d.to_string());
        assert_eq!(got.as_deref(), want, "{text}");
    }
    let toml = parse(Format::Toml, "date = 2020-02-13T10:25:54-04:00").unwrap();
    assert_eq!(date_of(&toml["date"]).unwrap().to_string(), "2020-02-13");
}

#[test]
fn maps_every_known_key_and_keeps_the_rest_under_extra() {
    let info = SiteInfo {
        taxonomies: vec!["categories".into(), "topics".into()],
        space_separated_terms: true,
        ..SiteInfo::default()
    };
    let p = page(
        "---\ntitle: \"Fish &amp; chips&#8217;\"\nexcerpt: Short\ndate: 2020-01-02 10:00:00 +0100\n\
         last_modified_at: 2020-02-03\nexpiryDate: 2030-01-01\npublished: false\nnav_order: 3\n\
         slug: fish\ntags: a b\ncategory: food\ntopics: [x]\nredirect_from: [/old/]\n\
         permalink: /fish/\nlayout: post\nauthor:\n  name: Sam\n---\n",
    );
    let mut findings = Vec::new();
    let f = map(&p, &info, &mut findings);
    assert_eq!(f.title, "Fish & chips’");
    assert_eq!(f.description.as_deref(), Some("Short"));
    assert_eq!(f.date.unwrap().to_string(), "2020-01-02");
    assert_eq!(f.updated.unwrap().to_string(), "2020-02-03");
    assert_eq!(f.expires.unwrap().to_string(), "2030-01-01");
    assert!(f.draft);
    assert_eq!(f.weight, Some(3));
    assert_eq!(f.slug.as_deref(), Some("fish"));
    assert_eq!(f.tags, ["a", "b"]);
    assert_eq!(f.taxonomies["categories"], ["food"]);
    assert_eq!(f.taxonomies["topics"], ["x"]);
    assert_eq!(f.aliases, ["/old/"]);
    assert_eq!(f.extra.keys().collect::<Vec<_>>(), ["author", "layout"]);
    let extra: Vec<_> = findings.iter().filter(|f| f.kind == Kind::Extra).collect();
    assert_eq!(extra.len(), 2);
    assert_eq!(extra[0].line, 16, "{extra:?}");
}

#[test]
fn titles_come_from_display_name_heading_slug_then_the_undated_file_name() {
    let mut findings = Vec::new();
    let info = SiteInfo::default();
    let mut p = page("---\ndisplay_name: Jeremy Zilar\n---\n");
    p.dst_rel = "authors/jeremyzilar.md".into();
    assert_eq!(map(&p, &info, &mut findings).title, "Jeremy Zilar");
    let mut p = page("---\nslug: becoming-a-product-manager\n---\n");
    p.dst_rel = "posts/2019-03-17-becoming.md".into();
    assert_eq!(
        map(&p, &info, &mut findings).title,
        "Becoming a product manager"
    );
    let mut p = page("---\ndate: 2019-03-17\n---\n");
    p.dst_rel = "posts/2019-03-17-hello-there.md".into();
    assert_eq!(map(&p, &info, &mut findings).title, "Hello there");
}

#[test]
fn full_old_addresses_on_the_sites_own_host_keep_their_path() {
    let base = Some("https://www.plainlanguage.gov/");
    assert_eq!(
        own_path("http://plainlanguage.gov/a/b.cfm", base).as_deref(),
        Some("/a/b.cfm")
    );
    assert_eq!(own_path("https://other.org/a/", base), None);
    assert_eq!(own_path("http://x.org/a/", None).as_deref(), Some("/a/"));
    assert_eq!(own_path("/a/", base), None);
    assert_eq!(server_side("/a/index.cfm"), Some("cfm"));
    assert_eq!(server_side("/a/b.html"), None);
    let mut findings = Vec::new();
    let info = SiteInfo {
        base_url: base.map(str::to_string),
        ..SiteInfo::default()
    };
    let f = map(
        &page("---\ntitle: a\nredirect_from:\n- http://www.plainlanguage.gov/x.cfm\n---\n"),
        &info,
        &mut findings,
    );
    assert_eq!(f.aliases, ["/x.cfm"]);
    assert!(
        findings
            .iter()
            .any(|f| format!("{f:?}").contains("server redirect"))
    );
}

#[test]
fn order_is_a_weight_unless_there_is_one_and_a_singular_tag_is_not_a_tag() {
    let mut findings = Vec::new();
    let info = SiteInfo::default();
    let f = map(
        &page("---\ntitle: a\norder: 3\ntag: x\n---\n"),
        &info,
        &mut findings,
    );
    assert_eq!(f.weight, Some(3));
    assert!(f.tags.is_empty());
    assert_eq!(f.extra["tag"], "x");
    let f = map(
        &page("---\ntitle: a\norder: 3\nweight: 7\n---\n"),
        &info,
        &mut findings,
    );
    assert_eq!(f.weight, Some(7));
}

#[test]
fn a_page_without_a_title_gets_one_and_a_bad_slug_goes_to_extra() {
    let mut p = page("---\nslug: a/b\n---\n");
    p.body = "Intro\n# The heading\n".into();
    let mut findings = Vec::new();
    let f = map(&p, &SiteInfo::default(), &mut findings);
    assert_eq!(f.title, "The heading");
    assert_eq!(f.slug, None);
    assert_eq!(f.extra["slug"], "a/b");
    assert_eq!(findings.len(), 2, "{findings:?}");
    p.body.clear();
    p.dst_rel = "posts/my-first_post.md".into();
    assert_eq!(
        map(&p, &SiteInfo::default(), &mut findings).title,
        "My first post"
    );
}

#[test]
fn publish_date_is_the_date_only_without_a_date() {
    let mut findings = Vec::new();
    let f = map(
        &page("---\ntitle: A\npublishDate: 2019-05-03\n---\n"),
        &SiteInfo::default(),
        &mut findings,
    );
    assert_eq!(f.date.unwrap().to_string(), "2019-05-03");
    let f = map(
        &page("---\ntitle: A\ndate: 2020-01-01\npublishDate: 2019-05-03\n---\n"),
        &SiteInfo::default(),
        &mut findings,
    );
    assert_eq!(f.date.unwrap().to_string(), "2020-01-01");
    assert_eq!(f.extra["publishDate"], "2019-05-03");
}

#[test]
fn pages_hugo_does_not_publish_become_drafts() {
    let mut findings = Vec::new();
    for fm in [
        "headless = true",
        "[_build]\nrender = \"never\"",
        "[build]\nrender = false",
    ] {
        let mut p = page(&format!("+++\ntitle = \"A\"\n{fm}\n+++\n"));
        p.src_rel = "content/x/index.md".into();
        let f = map(&p, &SiteInfo::default(), &mut findings);
        assert!(f.draft, "{fm}");
    }
    let f = map(
        &page("+++\ntitle = \"A\"\nheadless = false\n+++\n"),
        &SiteInfo::default(),
        &mut findings,
    );
    assert!(!f.draft);
    assert_eq!(f.extra["headless"], false);
}

#[test]
fn key_lines_of_yaml_toml_and_json() {
    let yaml = key_lines("title: A\ntags:\n  - x\ndate: 2020-01-01\n", 2);
    assert_eq!((yaml["title"], yaml["date"]), (2, 5));
    let toml = key_lines("title = \"A\"\n[params]\nx = 1\n", 2);
    assert_eq!(toml["title"], 2);
    let json = key_lines(
        "{\n  \"title\": \"A\",\n  \"p\": {\n    \"x\": 1\n  },\n  \"toc\": true\n}",
        1,
    );
    assert_eq!((json["title"], json["toc"]), (2, 6));
    assert!(!json.contains_key("x"));
}

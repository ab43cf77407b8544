//! Jekyll sites: settings from `_config.yml`, pages (files with front
//! matter), `_posts` (the date from the file name), collections with
//! `output: true`, `include`d folders; files without front matter are
//! copied as they are, as Jekyll does; `_includes` become snippets.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};
use walkdir::WalkDir;

use super::front;
use super::report::{Finding, Kind};
use super::rewrite::liquid::Liquid;
use super::rewrite::shortcodes::{lookup, scalar};
use super::rewrite::{Context, Rewritten};
use super::{CopyFile, Dialect, ImportError, SiteInfo, Snippet, SourcePage, SourceSite, io_error};
use crate::slug::path_segment;

pub(crate) struct Jekyll;

const MARKDOWN: [&str; 6] = ["md", "markdown", "mkd", "mkdn", "mdown", "mdwn"];
/// Never part of the built site, whatever `exclude` says.
const ALWAYS_OUT: [&str; 9] = [
    "_site",
    ".jekyll-cache",
    ".sass-cache",
    ".jekyll-metadata",
    "node_modules",
    "vendor",
    "Gemfile",
    "Gemfile.lock",
    ".bundle",
];
/// Settings the import carries over or reads.
const USED: [&str; 12] = [
    "title",
    "description",
    "baseurl",
    "url",
    "include",
    "exclude",
    "collections",
    "collections_dir",
    "permalink",
    "lang",
    "locale",
    "defaults",
];

impl Dialect for Jekyll {
    fn read(&self, root: &Path) -> Result<SourceSite, ImportError> {
        let (settings, config) = read_settings(root)?;
        if config.is_none() && !root.join("_posts").is_dir() && !root.join("index.md").is_file() {
            return Err(ImportError::Refused(format!(
                "{} is not a Jekyll site: it has no _config.yml, _posts/ or index.md",
                root.display()
            )));
        }
        let mut site = SourceSite::default();
        let config = config.unwrap_or_else(|| "_config.yml".into());
        site.info = site_info(&settings, &config, &mut site.findings);
        let rules = Rules::new(&settings);
        walk(root, &rules, &mut site)?;
        Ok(site)
    }

    fn rewrite(&self, page: &SourcePage, cx: &Context<'_>) -> Rewritten {
        Liquid::rewrite(cx, page)
    }

    fn snippets(
        &self,
        root: &Path,
        wanted: &[(String, String)],
        cx: &Context<'_>,
    ) -> (Vec<Snippet>, Vec<Finding>) {
        let mut todo: Vec<(String, String)> = wanted.to_vec();
        let mut done = HashSet::new();
        let (mut snippets, mut findings) = (Vec::new(), Vec::new());
        while let Some((source, name)) = todo.pop() {
            if !done.insert(name.clone()) {
                continue;
            }
            let path = root.join(&source);
            let Ok(text) = fs::read_to_string(&path) else {
                findings.push(Finding::new(
                    Kind::Broken,
                    &source,
                    0,
                    "an include file",
                    "cannot be read; its snippet is empty",
                ));
                snippets.push(Snippet {
                    name,
                    text: String::new(),
                });
                continue;
            };
            let text = crate::content::front_matter::normalize(&text);
            let page = SourcePage {
                src_rel: source.clone(),
                dst_rel: format!("_snippets/{name}"),
                body: text,
                body_line: 1,
                ..SourcePage::default()
            };
            let r = Liquid::rewrite(cx, &page);
            findings.extend(r.findings);
            todo.extend(r.snippets);
            snippets.push(Snippet { name, text: r.text });
        }
        (snippets, findings)
    }
}

fn read_settings(root: &Path) -> Result<(Value, Option<String>), ImportError> {
    for name in ["_config.yml", "_config.yaml"] {
        let path = root.join(name);
        if path.is_file() {
            let text = fs::read_to_string(&path).map_err(io_error(&path))?;
            let text = crate::content::front_matter::normalize(&text);
            let m = front::parse(front::Format::Yaml, &text).map_err(|message| {
                ImportError::Config {
                    path: path.clone(),
                    message,
                }
            })?;
            return Ok((Value::Object(m), Some(name.to_string())));
        }
    }
    Ok((Value::Object(Map::new()), None))
}

fn site_info(settings: &Value, file: &str, findings: &mut Vec<Finding>) -> SiteInfo {
    let text = |k: &str| {
        lookup(settings, k)
            .and_then(scalar)
            .filter(|s| !s.trim().is_empty())
    };
    let base_url = text("url").and_then(|u| {
        let full = format!(
            "{}{}/",
            u.trim_end_matches('/'),
            text("baseurl").unwrap_or_default().trim_end_matches('/')
        );
        let ok = url::Url::parse(&full).is_ok_and(|p| matches!(p.scheme(), "http" | "https"));
        if !ok {
            findings.push(Finding::new(
                Kind::Setting,
                file,
                0,
                format!("`url: {u}`"),
                "not a full http(s) address; `base_url` left out of site.yaml",
            ));
        }
        ok.then_some(full)
    });
    if let Some(m) = settings.as_object() {
        for key in m.keys().filter(|k| !USED.contains(&k.as_str())) {
            findings.push(Finding::new(
                Kind::Setting,
                file,
                0,
                format!("`{key}`"),
                "a Jekyll setting marrow has no use for; not carried over",
            ));
        }
    }
    SiteInfo {
        title: text("title").map(|t| html_escape::decode_html_entities(&t).into_owned()),
        description: text("description")
            .map(|t| html_escape::decode_html_entities(&t).into_owned()),
        language: text("lang")
            .or_else(|| text("locale"))
            .map(|l| l.replace('_', "-")),
        base_url,
        taxonomies: Vec::new(),
        space_separated_terms: true,
        settings: settings.clone(),
    }
}

/// What `_config.yml` says about which files are what.
struct Rules {
    include: Vec<String>,
    exclude: Vec<String>,
    /// Collection name → (output, permalink pattern).
    collections: BTreeMap<String, (bool, Option<String>)>,
    collections_dir: String,
    /// The site's post permalink pattern, styles spelled out.
    permalink: String,
    /// Whether page addresses end in `/` (`permalink: pretty`) or `.html`.
    pretty: bool,
    defaults: Vec<(String, Option<String>, Map<String, Value>)>,
}

impl Rules {
    fn new(settings: &Value) -> Rules {
        let list = |k: &str| -> Vec<String> {
            match lookup(settings, k) {
                Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
                Some(Value::String(s)) => vec![s.clone()],
                _ => Vec::new(),
            }
        };
        let mut collections = BTreeMap::new();
        match lookup(settings, "collections") {
            Some(Value::Object(m)) => {
                for (name, c) in m {
                    let output = c.get("output").and_then(Value::as_bool).unwrap_or(false);
                    let permalink = c.get("permalink").and_then(scalar);
                    collections.insert(name.clone(), (output, permalink));
                }
            }
            Some(Value::Array(a)) => {
                for name in a.iter().filter_map(scalar) {
                    collections.insert(name, (false, None));
                }
            }
            _ => {}
        }
        let style = lookup(settings, "permalink")
            .and_then(scalar)
            .unwrap_or_else(|| "date".into());
        let pretty = style == "pretty" || style.ends_with('/');
        let permalink = match style.as_str() {
            "date" => "/:categories/:year/:month/:day/:title:output_ext".to_string(),
            "pretty" => "/:categories/:year/:month/:day/:title/".to_string(),
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext".to_string(),
            "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".to_string(),
            "none" => "/:categories/:title:output_ext".to_string(),
            other => other.to_string(),
        };
        let defaults = match lookup(settings, "defaults") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|d| {
                    let scope = d.get("scope");
                    let path = scope
                        .and_then(|s| s.get("path"))
                        .and_then(scalar)
                        .unwrap_or_default();
                    let kind = scope.and_then(|s| s.get("type")).and_then(scalar);
                    Some((path, kind, d.get("values")?.as_object()?.clone()))
                })
                .collect(),
            _ => Vec::new(),
        };
        Rules {
            include: list("include"),
            exclude: list("exclude"),
            collections,
            collections_dir: lookup(settings, "collections_dir")
                .and_then(scalar)
                .unwrap_or_default(),
            permalink,
            pretty,
            defaults,
        }
    }

    /// Whether `rel` (a file or folder) is left out of the build.
    fn excluded(&self, rel: &str, name: &str, is_dir: bool) -> bool {
        if self
            .include
            .iter()
            .any(|i| i.trim_matches('/') == rel || i == name)
        {
            return false;
        }
        if ALWAYS_OUT.contains(&name) || name.starts_with('.') || name.ends_with('~') {
            return true;
        }
        if (name.starts_with('_') || name.starts_with('#')) && !is_dir {
            return true;
        }
        self.exclude.iter().any(|pattern| matches(pattern, rel))
    }
}

/// Jekyll's `exclude` entries: a path, a folder (with or without `/`),
/// or a glob with `*`.
fn matches(pattern: &str, rel: &str) -> bool {
    let p = pattern.trim_start_matches("./").trim_end_matches('/');
    if p == rel || rel.starts_with(&format!("{p}/")) {
        return true;
    }
    if !p.contains('*') {
        return false;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    glob(p, rel) || (!p.contains('/') && glob(p, name))
}

fn glob(p: &str, s: &str) -> bool {
    match p.split_once('*') {
        None => p == s,
        Some((head, tail)) => {
            let Some(rest) = s.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len()).any(|i| rest.is_char_boundary(i) && glob(tail, &rest[i..]))
        }
    }
}

/// What a file of the source is.
enum Role {
    Page,
    Post {
        categories: Vec<String>,
        draft: bool,
    },
    Collection(String),
}

fn walk(root: &Path, rules: &Rules, site: &mut SourceSite) -> Result<(), ImportError> {
    let coll_dir = rules.collections_dir.trim_matches('/');
    let mut skipped_dirs = Vec::new();
    let mut walker = WalkDir::new(root).sort_by_file_name().into_iter();
    let mut taken = HashSet::new();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = entry.file_name().to_string_lossy().to_string();
        let is_dir = entry.file_type().is_dir();
        if rules.excluded(&rel, &name, is_dir) {
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        let role = role_of(&rel, rules, coll_dir);
        if is_dir {
            let special =
                name.starts_with('_') && !rules.include.iter().any(|i| i.trim_matches('/') == rel);
            let known = name == "_posts"
                || name == "_drafts"
                || collection_dir(&rel, rules, coll_dir).is_some();
            if special && !known {
                walker.skip_current_dir();
                skipped_dirs.push(rel);
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(entry.path()).map_err(io_error(entry.path()))?;
        let text = crate::content::front_matter::normalize(&String::from_utf8_lossy(&bytes));
        let has_front = text.trim_start_matches('\u{feff}').starts_with("---");
        let ext = name
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        if let Role::Collection(c) = &role
            && !rules.collections.get(c).is_some_and(|(output, _)| *output)
        {
            site.findings.push(Finding::new(
                Kind::Skipped,
                &rel,
                0,
                format!("a document of the `{c}` collection"),
                "the collection has no `output: true`, so Jekyll makes no page of it; not imported",
            ));
            continue;
        }
        if !has_front || !(MARKDOWN.contains(&ext.as_str()) || ext == "html" || ext == "htm") {
            if has_front {
                site.findings.push(Finding::new(
                    Kind::Skipped,
                    &rel,
                    0,
                    "a Liquid template for a generated file (feed, sitemap, stylesheet…)",
                    "not imported: marrow makes its own feed and sitemap",
                ));
                continue;
            }
            if MARKDOWN.contains(&ext.as_str()) {
                site.findings.push(Finding::new(
                    Kind::Skipped,
                    &rel,
                    0,
                    "a Markdown file without front matter",
                    "Jekyll copies such files as they are; copied to static/",
                ));
            }
            site.files.push(CopyFile {
                from: entry.path().to_path_buf(),
                to: format!("static/{rel}"),
            });
            continue;
        }
        let page = read_page(
            &rel,
            &text,
            &ext,
            &role,
            rules,
            &mut taken,
            &mut site.findings,
        );
        site.pages.push(page);
    }
    for dir in skipped_dirs {
        let what = match dir.as_str() {
            "_layouts" => "Jekyll layouts",
            "_includes" => "Jekyll includes (those pages use are snippets now)",
            "_sass" => "stylesheets",
            "_data" => "data files",
            "_plugins" => "plugins",
            _ => "a folder Jekyll does not publish",
        };
        site.findings.push(Finding::new(
            Kind::Skipped,
            &format!("{dir}/"),
            0,
            what,
            "not imported: marrow uses its own theme and templates",
        ));
    }
    Ok(())
}

fn collection_dir<'r>(rel: &str, rules: &'r Rules, coll_dir: &str) -> Option<&'r String> {
    let under = if coll_dir.is_empty() {
        rel
    } else {
        rel.strip_prefix(&format!("{coll_dir}/"))?
    };
    let first = under.split('/').next()?;
    rules
        .collections
        .keys()
        .find(|c| first == format!("_{c}") && c.as_str() != "posts")
}

fn role_of(rel: &str, rules: &Rules, coll_dir: &str) -> Role {
    let parts: Vec<&str> = rel.split('/').collect();
    if let Some(i) = parts.iter().position(|p| *p == "_posts" || *p == "_drafts") {
        return Role::Post {
            categories: parts[..i].iter().map(|s| s.to_string()).collect(),
            draft: parts[i] == "_drafts",
        };
    }
    match collection_dir(rel, rules, coll_dir) {
        Some(c) => Role::Collection(c.clone()),
        None => Role::Page,
    }
}

/// `2020-01-02-hello-world` → (2020-01-02, `hello-world`).
pub(crate) fn dated_name(stem: &str) -> Option<(NaiveDate, &str)> {
    let date = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let slug = stem.get(10..)?.strip_prefix('-')?;
    (!slug.is_empty()).then_some((date, slug))
}

fn read_page(
    rel: &str,
    text: &str,
    ext: &str,
    role: &Role,
    rules: &Rules,
    taken: &mut HashSet<String>,
    findings: &mut Vec<Finding>,
) -> SourcePage {
    let split = front::split(text);
    let mut page = SourcePage {
        src_rel: rel.to_string(),
        body: split.body.to_string(),
        body_line: split.body_line,
        ..SourcePage::default()
    };
    if let Some((format, yaml)) = split.front {
        page.key_lines = front::key_lines(yaml, 2);
        match front::parse(format, yaml) {
            Ok(m) => page.front = m,
            Err(e) => {
                findings.push(Finding::new(
                    Kind::FrontMatter,
                    rel,
                    1,
                    format!("front matter that cannot be read ({e})"),
                    "kept as text under `extra.unread_front_matter`",
                ));
                page.front.insert(
                    "unread_front_matter".into(),
                    Value::String(yaml.to_string()),
                );
            }
        }
    }
    apply_defaults(&mut page, role, rules);
    if ext == "html" || ext == "htm" {
        findings.push(Finding::new(
            Kind::Template,
            rel,
            0,
            "an HTML page",
            "its HTML is kept as the page's body",
        ));
    }
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let front_copy = page.front.clone();
    let fm = |k: &str| front_copy.get(k).and_then(scalar);
    let permalink = fm("permalink");
    let (dst, old) = match role {
        Role::Post { categories, draft } => {
            let (date, slug) = match dated_name(stem) {
                Some((d, s)) => (Some(d), s),
                None => (None, stem),
            };
            page.date = date;
            if *draft {
                page.front.entry("draft").or_insert(Value::Bool(true));
            }
            let mut cats = categories.clone();
            cats.extend(front_terms(
                page.front.get("categories").or(page.front.get("category")),
            ));
            let slug_fm = fm("slug").unwrap_or_else(|| slug.to_string());
            let pattern = permalink.clone().unwrap_or_else(|| rules.permalink.clone());
            let date = front::date_of(page.front.get("date").unwrap_or(&Value::Null)).or(date);
            let old = fill(
                &pattern,
                &Placeholders {
                    date,
                    title: &slug_fm,
                    categories: &cats,
                    path: stem,
                    collection: "posts",
                },
            );
            let mut dst = format!("posts/{slug}.md");
            if taken.contains(&dst) {
                dst = format!("posts/{stem}.md");
            }
            (dst, old)
        }
        Role::Collection(c) => {
            let under = rel.split_once(&format!("_{c}/")).map_or(stem, |(_, r)| r);
            let path = under.rsplit_once('.').map_or(under, |(s, _)| s);
            let pattern = permalink
                .clone()
                .or_else(|| rules.collections.get(c).and_then(|(_, p)| p.clone()))
                .unwrap_or_else(|| "/:collection/:path:output_ext".into());
            let title = fm("slug").unwrap_or_else(|| stem.to_string());
            let old = fill(
                &pattern,
                &Placeholders {
                    date: None,
                    title: &title,
                    categories: &[],
                    path,
                    collection: c,
                },
            );
            let dst = match path.strip_suffix("index") {
                Some(d) if d.is_empty() || d.ends_with('/') => format!("{c}/{d}_index.md"),
                _ => format!("{c}/{path}.md"),
            };
            (dst, old)
        }
        Role::Page => {
            let dst_dir: Vec<String> = dir
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_start_matches('_').to_string())
                .collect();
            let dst_dir = dst_dir.join("/");
            let join = |f: &str| {
                if dst_dir.is_empty() {
                    f.to_string()
                } else {
                    format!("{dst_dir}/{f}")
                }
            };
            let (dst, default) = if stem == "index" {
                (
                    join("_index.md"),
                    if dir.is_empty() {
                        "/".to_string()
                    } else {
                        format!("/{dir}/")
                    },
                )
            } else if rules.pretty {
                (join(&format!("{stem}.md")), format!("/{}/", join(stem)))
            } else {
                (
                    join(&format!("{stem}.md")),
                    format!(
                        "/{}.html",
                        if dir.is_empty() {
                            stem.to_string()
                        } else {
                            format!("{dir}/{stem}")
                        }
                    ),
                )
            };
            let old = match &permalink {
                Some(p) => fill(
                    p,
                    &Placeholders {
                        date: None,
                        title: stem,
                        categories: &[],
                        path: &join(stem),
                        collection: "",
                    },
                ),
                None => default,
            };
            (dst, old)
        }
    };
    taken.insert(dst.clone());
    page.dst_rel = dst;
    page.old_url = Some(old);
    let redirect = page
        .front
        .get("redirect_to")
        .or_else(|| page.front.get("redirect"))
        .and_then(|v| match v {
            Value::Array(a) => a.first().and_then(scalar),
            other => scalar(other),
        });
    if redirect.is_some()
        && (fm("layout").as_deref() == Some("redirect") || page.front.contains_key("redirect_to"))
    {
        page.redirect_to = redirect;
    }
    page
}

/// Front matter defaults of `_config.yml` whose scope fits the page,
/// under the page's own keys (which win).
fn apply_defaults(page: &mut SourcePage, role: &Role, rules: &Rules) {
    let kind = match role {
        Role::Page => "pages",
        Role::Post { .. } => "posts",
        Role::Collection(c) => c.as_str(),
    };
    for (path, scope_kind, values) in &rules.defaults {
        let path_ok = path.is_empty() || page.src_rel.starts_with(path.trim_start_matches("./"));
        if path_ok && scope_kind.as_deref().is_none_or(|k| k == kind) {
            for (k, v) in values {
                page.front.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

fn front_terms(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

struct Placeholders<'a> {
    date: Option<NaiveDate>,
    title: &'a str,
    categories: &'a [String],
    path: &'a str,
    collection: &'a str,
}

/// A permalink pattern filled in (`/:year/:month/:day/:title/`).
fn fill(pattern: &str, p: &Placeholders<'_>) -> String {
    let d = p.date;
    let f = |fmt: &str| d.map(|d| d.format(fmt).to_string()).unwrap_or_default();
    let cats: Vec<String> = p.categories.iter().map(|c| path_segment(c)).collect();
    let name = p.path.rsplit('/').next().unwrap_or(p.path);
    let reps: Vec<(&str, String)> = vec![
        (":categories", cats.join("/")),
        (":collection", p.collection.to_string()),
        (":output_ext", ".html".into()),
        (":short_year", f("%y")),
        (":year", f("%Y")),
        (
            ":i_month",
            d.map(|d| d.month().to_string()).unwrap_or_default(),
        ),
        (":month", f("%m")),
        (":i_day", d.map(|d| d.day().to_string()).unwrap_or_default()),
        (":y_day", f("%j")),
        (":day", f("%d")),
        (":title", p.title.to_string()),
        (":slug", path_segment(p.title)),
        (":basename", name.to_string()),
        (":name", name.to_string()),
        (":path", p.path.to_string()),
    ];
    let mut out = pattern.to_string();
    for (token, value) in reps {
        out = out.replace(token, &value);
    }
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_post_names() {
        let (d, s) = dated_name("2020-01-02-hello-world").unwrap();
        assert_eq!((d.to_string().as_str(), s), ("2020-01-02", "hello-world"));
        assert!(dated_name("hello").is_none());
        assert!(dated_name("2020-01-02").is_none());
    }

    #[test]
    fn permalinks_are_filled_in() {
        let p = Placeholders {
            date: NaiveDate::from_ymd_opt(2020, 1, 2),
            title: "hello",
            categories: &["News".into()],
            path: "2020-01-02-hello",
            collection: "posts",
        };
        assert_eq!(
            fill("/:categories/:year/:month/:day/:title:output_ext", &p),
            "/news/2020/01/02/hello.html"
        );
        assert_eq!(fill("/:year/:month/:day/:title/", &p), "/2020/01/02/hello/");
        let none = Placeholders {
            categories: &[],
            ..p
        };
        assert_eq!(fill("/:categories/:title/", &none), "/hello/");
    }

    #[test]
    fn exclude_takes_paths_folders_and_globs() {
        assert!(matches("drafts/", "drafts/a.md"));
        assert!(matches("notes.md", "notes.md"));
        assert!(matches("*.gemspec", "x/y.gemspec"));
        assert!(matches("docs/*.txt", "docs/a.txt"));
        assert!(!matches("docs", "docsite/a.md"));
    }
}

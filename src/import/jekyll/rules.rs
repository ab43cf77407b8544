//! What Jekyll's `_config.yml` says about files and addresses: which
//! files are left out (`exclude`, `include`), which folders are
//! collections, and the permalink patterns that gave pages their old
//! addresses.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

use crate::import::rewrite::shortcodes::{lookup, scalar};
use crate::slug::path_segment;

/// Never part of the built site, whatever `exclude` says.
pub(super) const ALWAYS_OUT: [&str; 9] = [
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
/// What `_config.yml` says about which files are what.
pub(super) struct Rules {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Collection name → (output, permalink pattern).
    pub collections: BTreeMap<String, (bool, Option<String>)>,
    pub collections_dir: String,
    /// The site's post permalink pattern, styles spelled out.
    pub permalink: String,
    /// Whether page addresses end in `/` (`permalink: pretty`) or `.html`.
    pub pretty: bool,
    pub defaults: Vec<(String, Option<String>, Map<String, Value>)>,
    /// The site's own address (`url`), to tell its full addresses from others'.
    pub url: Option<String>,
    /// The settings file and line of `defaults`, where the report names
    /// the keys pages got from it.
    pub defaults_at: Option<(String, usize)>,
}

impl Rules {
    pub(super) fn new(settings: &Value) -> Rules {
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
            url: lookup(settings, "url").and_then(scalar),
            defaults_at: None,
        }
    }

    /// Whether `rel` (a file or folder) is left out of the build.
    pub(super) fn excluded(&self, rel: &str, name: &str, is_dir: bool) -> bool {
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

/// `2020-01-02-hello-world` → (2020-01-02, `hello-world`).
pub(crate) fn dated_name(stem: &str) -> Option<(NaiveDate, &str)> {
    let date = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let slug = stem.get(10..)?.strip_prefix('-')?;
    (!slug.is_empty()).then_some((date, slug))
}

pub(super) struct Placeholders<'a> {
    pub date: Option<NaiveDate>,
    pub title: &'a str,
    pub categories: &'a [String],
    pub path: &'a str,
    pub collection: &'a str,
}

/// A permalink pattern filled in (`/:year/:month/:day/:title/`).
pub(super) fn fill(pattern: &str, p: &Placeholders<'_>) -> String {
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

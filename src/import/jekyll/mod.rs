//! Jekyll sites: settings from `_config.yml`, pages (files with front
//! matter), `_posts` (the date from the file name), collections with
//! `output: true`, `include`d folders; files without front matter are
//! copied as they are, as Jekyll does; `_includes` become snippets.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value};
use walkdir::WalkDir;

use super::front;
use super::report::{Finding, Kind};
use super::rewrite::liquid::Liquid;
use super::rewrite::shortcodes::{lookup, scalar};
use super::rewrite::{Context, Rewritten};
use super::{CopyFile, Dialect, ImportError, SiteInfo, Snippet, SourcePage, SourceSite, io_error};
mod address;
mod rules;

use address::{collection_address, page_address, post_address};

use rules::Rules;

pub(crate) struct Jekyll;

const MARKDOWN: [&str; 6] = ["md", "markdown", "mkd", "mkdn", "mdown", "mdwn"];
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
        let (settings, config, defaults_line) = read_settings(root)?;
        if config.is_none() && !root.join("_posts").is_dir() && !root.join("index.md").is_file() {
            return Err(ImportError::Refused(format!(
                "{} is not a Jekyll site: it has no _config.yml, _posts/ or index.md",
                root.display()
            )));
        }
        let mut site = SourceSite::default();
        let config = config.unwrap_or_else(|| "_config.yml".into());
        site.info = site_info(&settings, &config, &mut site.findings);
        let mut rules = Rules::new(&settings);
        rules.defaults_at = defaults_line.map(|l| (config.clone(), l));
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
            let mut text = crate::content::front_matter::normalize(&text);
            if source.ends_with(".html") || source.ends_with(".htm") {
                text = super::rewrite::one_html_block(&text);
            }
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

/// The settings, their file's name and the line of its `defaults`.
type Settings = (Value, Option<String>, Option<usize>);

fn read_settings(root: &Path) -> Result<Settings, ImportError> {
    for name in ["_config.yml", "_config.yaml"] {
        let path = root.join(name);
        if path.is_file() {
            let text = fs::read_to_string(&path).map_err(io_error(&path))?;
            let text = crate::content::front_matter::normalize(&text);
            let m = front::parse_located(front::Format::Yaml, &text).map_err(
                |(line, col, message)| ImportError::Config {
                    // Shown as `_config.yml:LINE:COL`, where editors jump to.
                    path: match (line, col) {
                        (0, _) => path.clone(),
                        (l, 0) => format!("{}:{l}", path.display()).into(),
                        (l, c) => format!("{}:{l}:{c}", path.display()).into(),
                    },
                    message,
                },
            )?;
            let line = front::key_lines(&text, 1).get("defaults").copied();
            return Ok((Value::Object(m), Some(name.to_string()), line));
        }
    }
    Ok((Value::Object(Map::new()), None, None))
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
    if let (None, Some(sub)) = (text("url"), text("baseurl")) {
        let sub = sub.trim_matches('/');
        if !sub.is_empty() {
            findings.push(Finding::new(
                Kind::Setting,
                file,
                0,
                format!("`baseurl: /{sub}` without `url`"),
                format!(
                    "the site is served under /{sub}/; marrow's `base_url` is a full \
                     address: add `base_url: https://YOUR-HOST/{sub}/` to site.yaml"
                ),
            ));
        }
    }
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
    let mut files = Vec::new();
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
        if entry.file_type().is_file() {
            files.push((entry.path().to_path_buf(), rel, name, role));
        }
    }
    let outcomes: Vec<Result<Outcome, ImportError>> = files
        .into_par_iter()
        .map(|(path, rel, name, role)| classify(path, rel, &name, &role, rules))
        .collect();
    for outcome in outcomes {
        let Outcome {
            page,
            copy,
            mut findings,
        } = outcome?;
        site.pages.extend(page);
        site.files.extend(copy);
        site.findings.append(&mut findings);
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

fn read_page(
    rel: &str,
    text: &str,
    ext: &str,
    role: &Role,
    rules: &Rules,
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
        // The keys start below the opening fence; JSON's on its own lines.
        let first = split.body_line - yaml.lines().count() - 1;
        page.key_lines = front::key_lines(yaml, first + usize::from(format == front::Format::Json));
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
        if let Some(why) = layout_logic(&page.body) {
            page.body = String::new();
            findings.push(Finding::new(
                Kind::Template,
                rel,
                0,
                format!("an HTML page that is {why}"),
                "not page content: its body is left empty; write the page again in Markdown",
            ));
        } else {
            page.body = super::rewrite::one_html_block(&page.body);
            findings.push(Finding::new(
                Kind::Template,
                rel,
                0,
                "an HTML page",
                "its HTML is kept as the page's body",
            ));
        }
    }
    let (dst, old) = match role {
        Role::Post { categories, draft } => post_address(&mut page, categories, *draft, rules),
        Role::Collection(c) => collection_address(&page, c, rules),
        Role::Page => page_address(&page, rules),
    };
    // The page at `/` is the home page, whatever folder it sits in.
    page.dst_rel = if old == "/" { "_index.md".into() } else { dst };
    page.old_url = Some(old);
    let redirect = page
        .front
        .get("redirect_to")
        .or_else(|| page.front.get("redirect"))
        .and_then(|v| match v {
            Value::Array(a) => a.first().and_then(scalar),
            other => scalar(other),
        });
    let layout = page.front.get("layout").and_then(scalar);
    let stub = layout.as_deref() == Some("redirect") || page.front.contains_key("redirect_to");
    match redirect.filter(|_| stub) {
        // Off the site: no page here to fold it into, so the page says
        // where the content went.
        // Without `url`, any full address counts as another site's.
        Some(to)
            if to.contains("://")
                && (rules.url.is_none()
                    || front::own_path(&to, rules.url.as_deref()).is_none()) =>
        {
            // What the stub had is kept under the link.
            page.body = format!("This page has moved to <{to}>.\n\n{}", page.body);
            for k in ["redirect_to", "redirect", "layout"] {
                if let Some(v) = page.front.remove(k) {
                    page.front.insert(format!("old_{k}"), v);
                }
            }
            findings.push(Finding::new(
                Kind::Address,
                rel,
                0,
                format!("a redirect to `{to}`, another site"),
                "written as a page that links there",
            ));
        }
        other => page.redirect_to = other,
    }
    page
}

/// What one file of the source becomes.
#[derive(Default)]
struct Outcome {
    page: Option<SourcePage>,
    copy: Option<CopyFile>,
    findings: Vec<Finding>,
}

/// Whether a file starts with front matter, reading only its start (a
/// big image need not be read for that).
fn starts_with_front_matter(path: &Path) -> Result<bool, ImportError> {
    use std::io::Read;
    let mut head = [0u8; 6];
    let mut f = fs::File::open(path).map_err(io_error(path))?;
    let n = f.read(&mut head).map_err(io_error(path))?;
    let head = &head[..n];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    Ok(head.starts_with(b"---"))
}

/// Reads one file and says what it becomes: a page, a copied file, or
/// nothing (with the reason for the report).
fn classify(
    path: std::path::PathBuf,
    rel: String,
    name: &str,
    role: &Role,
    rules: &Rules,
) -> Result<Outcome, ImportError> {
    let mut out = Outcome::default();
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    // A collection without `output: true` has no pages of its own, but
    // the old site often shows its documents through includes and loops:
    // they are imported as pages, so no content silently disappears.
    let hidden = match role {
        Role::Collection(c) if !rules.collections.get(c).is_some_and(|(o, _)| *o) => Some(c),
        _ => None,
    };
    let has_front = starts_with_front_matter(&path)?;
    let is_page = MARKDOWN.contains(&ext.as_str()) || ext == "html" || ext == "htm";
    if has_front && !is_page {
        out.findings.push(Finding::new(
            Kind::Skipped,
            &rel,
            0,
            "a Liquid template for a generated file (feed, sitemap, stylesheet…)",
            "not imported: marrow makes its own feed and sitemap",
        ));
        return Ok(out);
    }
    if !has_front {
        if MARKDOWN.contains(&ext.as_str()) {
            out.findings.push(Finding::new(
                Kind::Skipped,
                &rel,
                0,
                "a Markdown file without front matter",
                "Jekyll copies such files as they are; copied to static/",
            ));
        }
        out.copy = Some(CopyFile {
            from: path,
            to: format!("static/{rel}"),
        });
        return Ok(out);
    }
    let bytes = fs::read(&path).map_err(io_error(&path))?;
    let text = crate::content::front_matter::normalize(&String::from_utf8_lossy(&bytes));
    let mut page = read_page(&rel, &text, &ext, role, rules, &mut out.findings);
    if let Some(c) = hidden {
        page.old_url = None;
        out.findings.push(Finding::new(
            Kind::Hidden,
            &rel,
            0,
            format!("a document of the `{c}` collection, which has no `output: true`"),
            format!(
                "Jekyll made no page of it (the old site may show it inside other pages); \
                 imported as a page of `content/{c}/`"
            ),
        ));
    }
    if is_not_found_page(&page) {
        out.findings.push(Finding::new(
            Kind::Skipped,
            &rel,
            0,
            "the site's 404 (page not found) page",
            "not imported: marrow makes its own 404 page",
        ));
        return Ok(out);
    }
    out.page = Some(page);
    Ok(out)
}

/// Jekyll's 404 page (`404.md`/`404.html` at the root, or any page whose
/// permalink is `/404.html`): marrow writes its own `404.html`, and two
/// would clash in the built site.
fn is_not_found_page(page: &SourcePage) -> bool {
    let old = page.old_url.as_deref().unwrap_or_default();
    let old = old.trim_end_matches('/');
    let root_file = !page.src_rel.contains('/')
        && page
            .src_rel
            .rsplit_once('.')
            .is_some_and(|(s, _)| s == "404");
    root_file || matches!(old, "/404" | "/404.html" | "/404.htm")
}

/// Why an HTML page's body is a layout rather than content: a whole HTML
/// document (`<html>`, `<head>`, `<body>`) or Liquid logic (`{% for %}`,
/// `{% if %}`) that built the page from site data at build time.
fn layout_logic(body: &str) -> Option<&'static str> {
    let lower = body.to_ascii_lowercase();
    let tag = |t: &str| {
        lower.match_indices(t).any(|(i, _)| {
            lower[i + t.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c.is_whitespace())
        })
    };
    if tag("<html") || tag("<head") || tag("<body") {
        return Some("a whole HTML document (a layout)");
    }
    let liquid = |kw: &str| {
        lower.match_indices("{%").any(|(i, _)| {
            lower[i + 2..]
                .trim_start_matches('-')
                .trim_start()
                .starts_with(kw)
        })
    };
    (liquid("for ") || liquid("tablerow ")).then_some("built by a Liquid loop over site data")
}

/// Front matter defaults of `_config.yml` whose scope fits the page,
/// under the page's own keys (which win).
fn apply_defaults(page: &mut SourcePage, role: &Role, rules: &Rules) {
    page.defaults_at = rules.defaults_at.clone();
    let kind = match role {
        Role::Page => "pages",
        Role::Post { .. } => "posts",
        Role::Collection(c) => c.as_str(),
    };
    for (path, scope_kind, values) in &rules.defaults {
        let path_ok = path.is_empty() || page.src_rel.starts_with(path.trim_start_matches("./"));
        if path_ok && scope_kind.as_deref().is_none_or(|k| k == kind) {
            for (k, v) in values {
                if !page.front.contains_key(k) {
                    page.front.insert(k.clone(), v.clone());
                    page.defaulted.push(k.to_lowercase());
                }
            }
        }
    }
}

pub(super) fn front_terms(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;

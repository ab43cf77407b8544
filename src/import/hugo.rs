//! Hugo sites: settings from `hugo.*`/`config.*` (TOML, YAML or JSON) or
//! `config/_default/`, pages from `content/` (branch pages `_index.md`,
//! leaf bundles `x/index.md` with their resources), files from `static/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Value};
use walkdir::WalkDir;

use super::front::{self, Format};
use super::report::{Finding, Kind};
use super::rewrite::shortcodes::{self, lookup, scalar};
use super::rewrite::{Context, Rewritten};
use super::{CopyFile, Dialect, ImportError, SiteInfo, SourcePage, SourceSite, io_error, links};

mod dates;
mod permalink;
mod taxonomy;

pub(crate) struct Hugo;

const CONFIG_NAMES: [&str; 2] = ["hugo", "config"];
const CONFIG_EXTS: [(&str, Format); 4] = [
    ("toml", Format::Toml),
    ("yaml", Format::Yaml),
    ("yml", Format::Yaml),
    ("json", Format::Json),
];
/// Settings the import carries over (lower-cased, as Hugo reads them).
const USED: [&str; 12] = [
    "module",
    "frontmatter",
    "title",
    "baseurl",
    "languagecode",
    "defaultcontentlanguage",
    "taxonomies",
    "permalinks",
    "params",
    "contentdir",
    "staticdir",
    "description",
];
const MARKDOWN: [&str; 4] = ["md", "markdown", "mdown", "mkd"];
/// Content formats Hugo renders that marrow does not.
const OTHER_FORMATS: [&str; 9] = [
    "html", "htm", "org", "adoc", "asciidoc", "ad", "rst", "pandoc", "pdc",
];

impl Dialect for Hugo {
    fn read(&self, root: &Path) -> Result<SourceSite, ImportError> {
        let mut site = SourceSite::default();
        let (settings, config_file) = read_settings(root)?;
        if config_file.is_none() && !root.join("content").is_dir() {
            return Err(ImportError::Refused(format!(
                "{} is not a Hugo site: it has no hugo.toml, config.toml (or .yaml, .json), config/_default/ or content/",
                root.display()
            )));
        }
        let shown_config = config_file.unwrap_or_else(|| "config".into());
        site.info = site_info(&settings, &shown_config, &mut site.findings);
        let content_dir = get(&settings, "contentdir")
            .and_then(Value::as_str)
            .unwrap_or("content")
            .to_string();
        let permalinks = permalinks(&settings);
        let mounts = mounts(root, &settings, &shown_config, &mut site.findings);
        let content: Vec<(String, String)> = mounts
            .iter()
            .filter_map(|(src, target)| {
                let t = target.strip_prefix("content")?;
                (t.is_empty() || t.starts_with('/'))
                    .then(|| (src.clone(), t.trim_start_matches('/').to_string()))
            })
            .collect();
        // Pages are named under the folder they come from, or `content/`
        // (where the mounts put them) when the site mounts folders there.
        let (content, shown_dir) = if content.is_empty() {
            (
                vec![(content_dir.clone(), String::new())],
                content_dir.clone(),
            )
        } else {
            (content, "content".to_string())
        };
        let dates = dates::DateKeys::from_settings(&settings);
        read_content(root, &content, &shown_dir, &permalinks, &dates, &mut site)?;
        let declared = site.info.taxonomies.clone();
        for p in &mut site.pages {
            custom_term_keys(p, &declared, &mut site.findings);
        }
        let base_path = site
            .info
            .base_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .map(|u| u.path().to_string())
            .filter(|p| p.len() > 1);
        if let Some(bp) = &base_path {
            site.findings.push(Finding::new(
                Kind::Setting,
                &shown_config,
                0,
                format!("`baseURL` with the path `{bp}`"),
                format!("links written `{bp}…` are read from the site's root"),
            ));
            for p in &mut site.pages {
                p.body = links::strip_base_path(&p.body, bp);
            }
        }
        // Keys front matter mapping files as terms: the declared ones and
        // the two it always reads.
        let mut term_keys = site.info.taxonomies.clone();
        term_keys.extend(["tags".to_string(), "categories".to_string()]);
        taxonomy::clear_taxonomy_addresses(&mut site.pages, &term_keys, &mut site.findings);
        let statics: Vec<(String, String)> = mounts
            .iter()
            .filter(|(_, t)| t == "static" || t.starts_with("static/"))
            .cloned()
            .collect();
        if statics.is_empty() {
            for dir in static_dirs(&settings) {
                copy_tree(root, &dir, "static", &mut site.files);
            }
        }
        for (src, target) in statics {
            copy_tree(root, &src, &target, &mut site.files);
        }
        for (dir, what) in [
            ("layouts", "templates"),
            ("themes", "themes"),
            ("assets", "asset pipeline files"),
            ("data", "data files"),
            ("i18n", "translations"),
            ("archetypes", "page templates"),
        ] {
            if root.join(dir).is_dir() {
                site.findings.push(Finding::new(
                    Kind::Skipped,
                    &format!("{dir}/"),
                    0,
                    format!("Hugo {what}"),
                    "not imported: marrow uses its own theme and templates",
                ));
            }
        }
        Ok(site)
    }

    fn rewrite(&self, page: &SourcePage, cx: &Context<'_>) -> Rewritten {
        shortcodes::Hugo::rewrite(cx, page)
    }
}

/// A setting by its name in any letter case, as Hugo reads them.
fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    lookup(v, key)
}

fn parse_config(path: &Path, format: Format) -> Result<Value, ImportError> {
    let text = fs::read_to_string(path).map_err(io_error(path))?;
    let text = crate::content::front_matter::normalize(&text);
    front::parse(format, &text)
        .map(Value::Object)
        .map_err(|message| ImportError::Config {
            path: path.to_path_buf(),
            message,
        })
}

/// The site's settings, merged from `config/_default/` when there is no
/// single settings file, and the file's name for the report.
fn read_settings(root: &Path) -> Result<(Value, Option<String>), ImportError> {
    for name in CONFIG_NAMES {
        for (ext, format) in CONFIG_EXTS {
            let path = root.join(format!("{name}.{ext}"));
            if path.is_file() {
                let mut top = parse_config(&path, format)?;
                // Hugo reads `config/_default/` too; the file's own keys win.
                if let (Value::Object(t), (Value::Object(d), Some(_))) =
                    (&mut top, read_config_dir(root)?)
                {
                    for (k, v) in d {
                        t.entry(k).or_insert(v);
                    }
                }
                return Ok((top, Some(format!("{name}.{ext}"))));
            }
        }
    }
    read_config_dir(root)
}

/// The settings of `config/_default/`, merged, and its name; nothing
/// when there is no such folder.
fn read_config_dir(root: &Path) -> Result<(Value, Option<String>), ImportError> {
    let dir = root.join("config/_default");
    if !dir.is_dir() {
        return Ok((Value::Object(Map::new()), None));
    }
    let mut merged = Map::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(io_error(&dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let (Some(stem), Some(ext)) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let Some(&(_, format)) = CONFIG_EXTS.iter().find(|(e, _)| *e == ext) else {
            continue;
        };
        let Value::Object(m) = parse_config(&path, format)? else {
            continue;
        };
        if CONFIG_NAMES.contains(&stem) {
            merged.extend(m);
        } else {
            // `params.toml` holds what `[params]` would in one file.
            let entry = merged
                .entry(stem.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(e) = entry {
                e.extend(m);
            }
        }
    }
    Ok((Value::Object(merged), Some("config/_default/".into())))
}

fn site_info(settings: &Value, file: &str, findings: &mut Vec<Finding>) -> SiteInfo {
    let text = |k: &str| {
        get(settings, k)
            .and_then(scalar)
            .filter(|s| !s.trim().is_empty())
    };
    let base_url = text("baseurl").filter(|u| {
        let ok = url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https"));
        if !ok {
            findings.push(Finding::new(
                Kind::Setting,
                file,
                0,
                format!("`baseURL = \"{u}\"`"),
                "not a full http(s) address; `base_url` left out of site.yaml",
            ));
        }
        ok
    });
    let mut taxonomies: Vec<String> = match get(settings, "taxonomies").and_then(Value::as_object) {
        Some(m) => m.values().filter_map(scalar).collect(),
        None => vec!["tags".into(), "categories".into()],
    };
    taxonomies.retain(|t| t != "tags");
    if let Some(m) = settings.as_object() {
        for key in m.keys() {
            if !USED.contains(&key.to_lowercase().as_str()) {
                findings.push(Finding::new(
                    Kind::Setting,
                    file,
                    0,
                    format!("`{key}`"),
                    "a Hugo setting marrow has no use for; not carried over",
                ));
            }
        }
    }
    let decoded = |t: String| html_escape::decode_html_entities(&t).into_owned();
    SiteInfo {
        title: text("title").map(decoded),
        description: text("description")
            .or_else(|| text("params.description"))
            .map(decoded),
        language: text("languagecode").or_else(|| text("defaultcontentlanguage")),
        base_url,
        taxonomies,
        space_separated_terms: false,
        settings: settings.clone(),
    }
}

/// Section → URL pattern, from `[permalinks]` (or `[permalinks.page]`).
fn permalinks(settings: &Value) -> BTreeMap<String, String> {
    let Some(m) = get(settings, "permalinks").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    let m = m.get("page").and_then(Value::as_object).unwrap_or(m);
    m.iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// Hugo module mounts (`[[module.mounts]] source = "docs/guides"
/// target = "content/guides"`): (source folder, target) pairs, each
/// reported; a mount of a file or of another kind of folder is skipped.
fn mounts(
    root: &Path,
    settings: &Value,
    file: &str,
    findings: &mut Vec<Finding>,
) -> Vec<(String, String)> {
    let Some(list) = get(settings, "module.mounts").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in list {
        let (Some(src), Some(target)) = (
            get(m, "source").and_then(scalar),
            get(m, "target").and_then(scalar),
        ) else {
            continue;
        };
        let (src, target) = (
            src.trim_matches('/').to_string(),
            target.trim_matches('/').to_string(),
        );
        let kind = target.split('/').next().unwrap_or("");
        let did = if !root.join(&src).exists() {
            "its source is not in the site; skipped".to_string()
        } else if kind == "content" || kind == "static" {
            out.push((src.clone(), target.clone()));
            format!("its files read as `{target}/…`")
        } else {
            "not imported: marrow uses its own theme and templates".to_string()
        };
        findings.push(Finding::new(
            Kind::Setting,
            file,
            0,
            format!("module mount `{src}` → `{target}`"),
            did,
        ));
    }
    out
}

fn static_dirs(settings: &Value) -> Vec<String> {
    match get(settings, "staticdir") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
        _ => vec!["static".into()],
    }
}

/// `tag:` or `category:` in a page of a site that declares no taxonomy
/// of that name is the site's own parameter, not terms: kept under
/// `extra` (the shared mapping would read it as `tags`/`categories`).
fn custom_term_keys(p: &mut SourcePage, declared: &[String], findings: &mut Vec<Finding>) {
    for name in ["tag", "category"] {
        if declared.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            continue;
        }
        let keys: Vec<String> = p
            .front
            .keys()
            .filter(|k| k.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        for k in keys {
            let line = p.key_lines.get(&k.to_lowercase()).copied().unwrap_or(1);
            if let Some(v) = p.front.remove(&k)
                && let Some(m) = dates::extra(&mut p.front)
            {
                m.insert(k.clone(), v);
                findings.push(Finding::merged(
                    Kind::Extra,
                    &p.src_rel,
                    line,
                    format!("`{k}`"),
                    format!("kept as `extra.{k}` (the site has no `{name}` taxonomy)"),
                ));
            }
        }
    }
}

/// Copies every file under `root/dir` to `to/` in the new site.
fn copy_tree(root: &Path, dir: &str, to: &str, files: &mut Vec<CopyFile>) {
    let base = root.join(dir);
    for e in WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() || crate::content::is_ignored(&e.file_name().to_string_lossy())
        {
            continue;
        }
        if let Ok(rel) = e.path().strip_prefix(&base) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push(CopyFile {
                from: e.path().to_path_buf(),
                to: format!("{to}/{rel}"),
            });
        }
    }
}

/// One page file found under content/, before reading.
struct Found {
    path: PathBuf,
    /// Relative to content/.
    rel: String,
    dst: String,
    bundle: bool,
}

/// Reads the pages of every content folder: (folder under the root,
/// where it sits under content/).
fn read_content(
    root: &Path,
    dirs: &[(String, String)],
    content_dir: &str,
    permalinks: &BTreeMap<String, String>,
    dates: &dates::DateKeys,
    site: &mut SourceSite,
) -> Result<(), ImportError> {
    let mut all: Vec<(PathBuf, String)> = Vec::new();
    for (dir, prefix) in dirs {
        let base = root.join(dir);
        for e in WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !crate::content::is_ignored(&e.file_name().to_string_lossy())
            })
            .flatten()
        {
            if e.file_type().is_file()
                && let Ok(rel) = e.path().strip_prefix(&base)
            {
                let rel = rel.to_string_lossy().replace('\\', "/");
                all.push((e.path().to_path_buf(), join(prefix, &rel)));
            }
        }
    }
    // Leaf bundles: folders with an `index.md`; everything below is theirs.
    let bundles: Vec<String> = all
        .iter()
        .filter_map(|(_, rel)| {
            let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
            let (stem, ext) = file.rsplit_once('.')?;
            (stem == "index" && MARKDOWN.contains(&ext)).then(|| dir.to_string())
        })
        .collect();
    let bundle_of = |rel: &str| -> Option<&String> {
        bundles
            .iter()
            .filter(|b| b.is_empty() || rel.starts_with(&format!("{b}/")))
            .max_by_key(|b| b.len())
    };
    let mut found = Vec::new();
    for (path, rel) in &all {
        let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
        let is_md = MARKDOWN.contains(&ext.to_ascii_lowercase().as_str());
        if let Some(b) = bundle_of(rel) {
            let has_resources = all
                .iter()
                .any(|(_, r)| bundle_of(r) == Some(b) && !is_index(r, b));
            let page_dir = b.clone();
            if is_index(rel, b) {
                let dst = if b.is_empty() || has_resources {
                    join(&page_dir, "_index.md")
                } else {
                    format!("{b}.md")
                };
                found.push(Found {
                    path: path.clone(),
                    rel: rel.clone(),
                    dst,
                    bundle: true,
                });
            } else {
                site.files.push(CopyFile {
                    from: path.clone(),
                    to: format!("content/{rel}"),
                });
            }
        } else if is_md {
            let dst = match rel.rsplit_once('.') {
                Some((stem, _)) => format!("{stem}.md"),
                None => rel.clone(),
            };
            found.push(Found {
                path: path.clone(),
                rel: rel.clone(),
                dst,
                bundle: false,
            });
        } else {
            if OTHER_FORMATS.contains(&ext.to_ascii_lowercase().as_str()) {
                site.findings.push(Finding::new(
                    Kind::Skipped,
                    &format!("{content_dir}/{rel}"),
                    0,
                    format!("a content file in a format marrow does not read (`.{ext}`)"),
                    "copied as a file, not made a page",
                ));
            }
            site.files.push(CopyFile {
                from: path.clone(),
                to: format!("content/{rel}"),
            });
        }
    }
    let read: Vec<Result<(SourcePage, Vec<Finding>), ImportError>> = found
        .par_iter()
        .map(|f| read_page(f, content_dir, permalinks, dates))
        .collect();
    for r in read {
        let (page, findings) = r?;
        site.pages.push(page);
        site.findings.extend(findings);
    }
    Ok(())
}

fn is_index(rel: &str, bundle: &str) -> bool {
    let file = rel.strip_prefix(&format!("{bundle}/")).unwrap_or(rel);
    file.rsplit_once('.')
        .is_some_and(|(stem, ext)| stem == "index" && MARKDOWN.contains(&ext))
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// Reads one page: its front matter whatever the format, its body, and
/// the address Hugo gave it.
fn read_page(
    f: &Found,
    content_dir: &str,
    permalinks: &BTreeMap<String, String>,
    dates: &dates::DateKeys,
) -> Result<(SourcePage, Vec<Finding>), ImportError> {
    let raw = fs::read(&f.path).map_err(io_error(&f.path))?;
    let text = crate::content::front_matter::normalize(&String::from_utf8_lossy(&raw));
    let src_rel = format!("{content_dir}/{}", f.rel);
    let mut findings = Vec::new();
    let split = front::split(&text);
    let mut page = SourcePage {
        src_rel: src_rel.clone(),
        dst_rel: f.dst.clone(),
        body: split.body.to_string(),
        body_line: split.body_line,
        ..SourcePage::default()
    };
    if let Some((format, yaml)) = split.front {
        // The keys start below the opening fence; JSON's on its own lines.
        let first = split.body_line - yaml.lines().count() - 1;
        page.key_lines = front::key_lines(yaml, first + usize::from(format == Format::Json));
        match front::parse(format, yaml) {
            Ok(m) => page.front = m,
            Err(e) => {
                findings.push(Finding::new(
                    Kind::FrontMatter,
                    &src_rel,
                    1,
                    format!("front matter that cannot be read ({e})"),
                    "kept as text under `extra.unread_front_matter`; the page got a title of its own",
                ));
                page.front.insert(
                    "unread_front_matter".into(),
                    Value::String(yaml.to_string()),
                );
            }
        }
    }
    // A bundle's name is its folder's (`2020-01-02-x/index.md`).
    let named = if f.bundle {
        f.rel.rsplit_once('/').map_or("", |(d, _)| d)
    } else {
        &f.rel
    };
    let file = named.rsplit('/').next().unwrap_or(named);
    dates.apply(&mut page, file, &mut findings);
    page.old_url = Some(permalink::old_url(&page, &f.rel, f.bundle, permalinks));
    Ok((page, findings))
}

#[cfg(test)]
mod tests;

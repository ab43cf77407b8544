//! Where templates and theme assets come from.
//!
//! A theme is `themes/<name>/templates/*.html` plus `themes/<name>/static/`.
//! The default theme is compiled into the binary, so a folder holding only
//! `content/` builds; a `themes/default/` folder on disk (as in marrow's own
//! repository) takes precedence, which lets theme authors edit it live. A
//! site overrides single templates by putting a file with the same name in
//! `ROOT/templates/`, and adds or replaces assets in `ROOT/static/`.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template, named by its path relative to the site root
/// (`themes/default/templates/page.html`, `templates/page.html`): the name
/// tera reports in errors is then a path the writer can open.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    pub name: String,
    pub text: String,
}

/// A file copied as-is into the output root.
#[derive(Debug, Clone)]
pub(crate) enum StaticFile {
    Embedded { rel: String, bytes: &'static [u8] },
    Disk { rel: String, path: PathBuf },
}

impl Theme {
    /// Every template, as the shortcode library reads them (it picks the
    /// `shortcodes/` ones).
    pub(crate) fn shortcode_sources(&self) -> Vec<crate::shortcodes::Template<'_>> {
        self.templates
            .iter()
            .map(|t| crate::shortcodes::Template {
                name: &t.name,
                text: &t.text,
            })
            .collect()
    }
}

impl StaticFile {
    /// Path relative to the output root.
    pub(crate) fn rel(&self) -> &str {
        match self {
            StaticFile::Embedded { rel, .. } | StaticFile::Disk { rel, .. } => rel,
        }
    }
}

/// Everything a theme (plus the site's overrides) provides.
#[derive(Debug, Clone)]
pub(crate) struct Theme {
    pub name: String,
    /// Theme templates first, then site overrides.
    pub templates: Vec<TemplateSource>,
    /// Theme assets first, then the site's `static/` (later wins).
    pub static_files: Vec<StaticFile>,
    /// The theme's reader-facing strings for each of the site's languages
    /// (`i18n/<code>.yaml`), in the order asked for: the path to show and
    /// the text, `None` where the theme has no table.
    pub strings: Vec<Option<(PathBuf, String)>>,
}

impl Theme {
    /// Tera looks a template up by its bare name under these prefixes, in
    /// order: the site's overrides win over the theme.
    pub(crate) fn fallback_prefixes(&self) -> [String; 2] {
        [
            "templates/".into(),
            format!("themes/{}/templates/", self.name),
        ]
    }
}

/// Loads theme `name` for the site at `root`, with the strings tables of
/// languages `codes` (`en` reads the theme's `i18n/en.yaml`).
pub(crate) fn load(root: &Path, name: &str, codes: &[&str]) -> Result<Theme, Diagnostic> {
    let theme_dir = root.join("themes").join(name);
    let prefix = format!("themes/{name}/templates/");
    let tables: Vec<String> = codes.iter().map(|c| format!("i18n/{c}.yaml")).collect();
    let shown = |table: &str| PathBuf::from(format!("themes/{name}/{table}"));
    let mut templates = Vec::new();
    let mut static_files = Vec::new();
    let mut strings = Vec::new();
    if theme_dir.is_dir() {
        add_templates(&theme_dir.join("templates"), &prefix, &mut templates)?;
        add_static(&theme_dir.join("static"), &mut static_files)?;
        for table in &tables {
            let path = theme_dir.join(table);
            strings.push(if path.is_file() {
                Some((
                    shown(table),
                    read_text(&path, &format!("themes/{name}/{table}"))?,
                ))
            } else {
                None
            });
        }
    } else if name == "default" {
        strings = tables
            .iter()
            .map(|table| {
                DEFAULT_THEME
                    .get_file(table)
                    .and_then(|f| f.contents_utf8())
                    .map(|text| (shown(table), text.to_string()))
            })
            .collect();
        embedded(&DEFAULT_THEME, &mut |file| {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(rel) = path.strip_prefix("templates/") {
                let text = file.contents_utf8().unwrap_or_default().to_string();
                templates.push(TemplateSource {
                    name: format!("{prefix}{rel}"),
                    text,
                });
            } else if let Some(rel) = path.strip_prefix("static/") {
                static_files.push(StaticFile::Embedded {
                    rel: rel.to_string(),
                    bytes: file.contents(),
                });
            }
        });
    } else {
        return Err(Diagnostic::file(
            crate::config::CONFIG_FILE,
            format!("theme `{name}` not found: there is no folder themes/{name}/"),
        )
        .with_help(
            "create the theme folder, or remove `theme:` to use the built-in default theme",
        ));
    }
    add_templates(&root.join("templates"), "templates/", &mut templates)?;
    add_static(&root.join("static"), &mut static_files)?;
    templates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Theme {
        name: name.to_string(),
        templates,
        static_files,
        strings,
    })
}

fn embedded(dir: &'static Dir<'static>, f: &mut dyn FnMut(&'static include_dir::File<'static>)) {
    for file in dir.files() {
        f(file);
    }
    for sub in dir.dirs() {
        embedded(sub, f);
    }
}

/// Adds the templates under `dir`, named `prefix` + their relative path.
fn add_templates(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<TemplateSource>,
) -> Result<(), Diagnostic> {
    read_dir_files(dir, |rel, path| {
        let name = format!("{prefix}{rel}");
        let text = read_text(path, &name)?;
        out.push(TemplateSource { name, text });
        Ok(())
    })
}

/// Adds the files under `dir` as static files.
fn add_static(dir: &Path, out: &mut Vec<StaticFile>) -> Result<(), Diagnostic> {
    read_dir_files(dir, |rel, path| {
        out.push(StaticFile::Disk {
            rel: rel.to_string(),
            path: path.to_path_buf(),
        });
        Ok(())
    })
}

fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| Diagnostic::file(shown, format!("cannot read: {e}")))
}

/// Calls `f(relative path, path)` for every non-hidden file under `dir`
/// (nothing if `dir` does not exist).
fn read_dir_files(
    dir: &Path,
    mut f: impl FnMut(&str, &Path) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored(&e.file_name().to_string_lossy())
        });
    let site_root = dir.parent().unwrap_or(dir);
    for entry in walker {
        let entry = entry.map_err(|e| Diagnostic::file(dir, format!("cannot read: {e}")))?;
        if entry.path_is_symlink()
            && let Some(problem) = crate::content::symlink_problem(entry.path(), site_root)
        {
            return Err(problem.diagnostic(entry.path().to_path_buf()));
        }
        if !entry.path().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        f(&rel, entry.path())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn embedded_default_theme_matches_the_folder() {
        // Every file of themes/default must be embedded (include_dir picks
        // up new files; this guards against a stale build cache).
        let empty = tempfile::tempdir().unwrap();
        let theme = load(empty.path(), "default", &["en"]).unwrap();
        let names: Vec<_> = theme.templates.iter().map(|t| t.name.as_str()).collect();
        for required in [
            "base.html",
            "page.html",
            "section.html",
            "index.html",
            "404.html",
        ] {
            assert!(
                names.contains(&format!("themes/default/templates/{required}").as_str()),
                "{required} missing from {names:?}"
            );
        }
        // Same files with the same contents, byte for byte.
        let on_disk = load(Path::new(env!("CARGO_MANIFEST_DIR")), "default", &["en"]).unwrap();
        let texts = |t: &Theme| -> BTreeMap<String, String> {
            t.templates
                .iter()
                .map(|s| (s.name.clone(), s.text.clone()))
                .collect()
        };
        let (embedded_texts, disk_texts) = (texts(&theme), texts(&on_disk));
        assert_eq!(
            embedded_texts.keys().collect::<Vec<_>>(),
            disk_texts.keys().collect::<Vec<_>>()
        );
        for (name, text) in &disk_texts {
            assert!(!text.is_empty(), "{name} is empty on disk");
            assert!(
                embedded_texts[name] == *text,
                "{name}: the embedded template differs from the file"
            );
        }
        let bytes = |t: &Theme| -> BTreeMap<String, Vec<u8>> {
            t.static_files
                .iter()
                .map(|f| {
                    let data = match f {
                        StaticFile::Embedded { bytes, .. } => bytes.to_vec(),
                        StaticFile::Disk { path, .. } => std::fs::read(path).unwrap(),
                    };
                    (f.rel().to_string(), data)
                })
                .collect()
        };
        let (embedded_files, disk_files) = (bytes(&theme), bytes(&on_disk));
        assert_eq!(
            embedded_files.keys().collect::<Vec<_>>(),
            disk_files.keys().collect::<Vec<_>>()
        );
        assert!(
            disk_files.contains_key("marrow.css"),
            "{:?}",
            disk_files.keys()
        );
        for (rel, data) in &disk_files {
            assert!(
                embedded_files[rel] == *data,
                "static/{rel}: the embedded file differs from the file"
            );
        }
        // Each static file once: a later duplicate would silently win.
        assert_eq!(theme.static_files.len(), embedded_files.len());
        assert_eq!(on_disk.static_files.len(), disk_files.len());
    }

    #[test]
    fn unknown_theme_is_an_error() {
        let empty = tempfile::tempdir().unwrap();
        let e = load(empty.path(), "nope", &["en"]).unwrap_err();
        assert!(e.message.contains("theme `nope` not found"));
    }
}

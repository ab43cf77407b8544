//! What shortcodes read, loaded once per build: the snippets under
//! `content/_snippets/`, the facts of `data/facts.yaml`, the site's
//! `templates/shortcodes/*.html` and the `urgent` setting.
//!
//! Loading collects every problem it finds; a file that does not exist is
//! no problem until a page uses it (the page's error says what to create).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{SiteConfig, Urgent};
use crate::content::CONTENT_DIR;
use crate::diagnostics::{Diagnostic, Diagnostics};

use super::{BUILTINS, FACTS_FILE, SNIPPETS_DIR};

/// A snippet: the path shown in messages and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snippet {
    pub display: PathBuf,
    pub text: String,
}

/// The state of `data/facts.yaml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum FactsFile {
    #[default]
    Missing,
    /// It has errors, reported on their own: pages using facts say nothing
    /// more.
    Broken,
    Loaded,
}

/// Everything the shortcodes of a site read.
#[derive(Clone, Default)]
pub(crate) struct Library {
    /// By path under `content/_snippets/` (`when-to-call.md`).
    pub(crate) snippets: BTreeMap<String, Snippet>,
    /// Each fact's value as text.
    pub(crate) facts: BTreeMap<String, String>,
    pub(crate) facts_file: FactsFile,
    pub(crate) urgent: Option<Urgent>,
    /// The site's shortcode templates, by shortcode name.
    pub(crate) templates: Option<tera::Tera>,
    pub(crate) template_names: Vec<String>,
    /// The site's languages: a translation includes a snippet's own
    /// translation (`x.zh.md`) when there is one.
    pub(crate) langs: crate::i18n::Languages,
}

impl fmt::Debug for Library {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Library")
            .field("snippets", &self.snippets.keys().collect::<Vec<_>>())
            .field("facts", &self.facts)
            .field("urgent", &self.urgent)
            .field("templates", &self.template_names)
            .finish()
    }
}

/// A template file of the theme or the site: its name as the theme
/// loader gives it (`templates/shortcodes/note.html`) and its text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template<'a> {
    pub(crate) name: &'a str,
    pub(crate) text: &'a str,
}

impl Library {
    /// Reads everything from the site at `root`; the problems found come
    /// beside it.
    pub(crate) fn load(
        root: &Path,
        config: &SiteConfig,
        templates: &[Template<'_>],
    ) -> (Library, Diagnostics) {
        let mut errors = Diagnostics::default();
        let mut lib = Library {
            urgent: config.urgent.clone(),
            langs: config.langs.clone(),
            ..Library::default()
        };
        lib.snippets = load_snippets(root, &mut errors);
        (lib.facts, lib.facts_file) = load_facts(root, &mut errors);
        let (templates, names) = load_templates(templates, config, &mut errors);
        lib.templates = templates;
        lib.template_names = names;
        (lib, errors)
    }

    /// Every shortcode name a page may use.
    pub(crate) fn known(&self) -> impl Iterator<Item = &str> {
        BUILTINS
            .iter()
            .copied()
            .chain(self.template_names.iter().map(String::as_str))
    }
}

/// A file's text, or the error saying why it cannot be read.
fn read(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        let help = if e.kind() == std::io::ErrorKind::InvalidData {
            "save the file as UTF-8 text"
        } else {
            "check the file's permissions"
        };
        Diagnostic::file(shown, format!("cannot read: {e}")).with_help(help)
    })
}

fn load_snippets(root: &Path, errors: &mut Diagnostics) -> BTreeMap<String, Snippet> {
    let dir = root.join(CONTENT_DIR).join(SNIPPETS_DIR);
    let mut snippets = BTreeMap::new();
    if !dir.is_dir() {
        return snippets;
    }
    let walk = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored(&e.file_name().to_string_lossy())
        });
    for entry in walk.flatten() {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Some(rel) = path
            .strip_prefix(&dir)
            .ok()
            .and_then(crate::content::path::from_os)
        else {
            continue;
        };
        let display = Path::new(CONTENT_DIR).join(SNIPPETS_DIR).join(&rel);
        match read(path, &display) {
            Ok(text) => {
                snippets.insert(rel, Snippet { display, text });
            }
            Err(d) => errors.push(d),
        }
    }
    snippets
}

fn load_facts(root: &Path, errors: &mut Diagnostics) -> (BTreeMap<String, String>, FactsFile) {
    let shown = Path::new(FACTS_FILE);
    let path = root.join(shown);
    if !path.is_file() {
        return (BTreeMap::new(), FactsFile::Missing);
    }
    let text = match read(&path, shown) {
        Ok(t) => t,
        Err(d) => {
            errors.push(d);
            return (BTreeMap::new(), FactsFile::Broken);
        }
    };
    match parse_facts(&text) {
        Ok(facts) => (facts, FactsFile::Loaded),
        Err(d) => {
            errors.extend(d);
            (BTreeMap::new(), FactsFile::Broken)
        }
    }
}

/// `name: value` pairs, each value a string, number or true/false.
pub(crate) fn parse_facts(text: &str) -> Result<BTreeMap<String, String>, Diagnostics> {
    let shown = Path::new(FACTS_FILE);
    let raw: BTreeMap<String, serde_yaml::Value> = crate::yaml::from_str(text).map_err(|e| {
        let d = Diagnostic::at(shown, text, e.line, e.column, e.message);
        Diagnostics::from(match e.help {
            Some(h) => d.with_help(h),
            None => d.with_help("write one fact per line: `name: value`"),
        })
    })?;
    let mut facts = BTreeMap::new();
    let mut errors = Diagnostics::default();
    for (name, value) in raw {
        let shown_value = match value {
            serde_yaml::Value::String(s) => s,
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            _ => {
                let line = key_line(text, &name);
                errors.push(
                    Diagnostic::at(
                        shown,
                        text,
                        line,
                        1,
                        format!("fact `{name}` is not a single value"),
                    )
                    .with_help("a fact is text or a number on one line: `name: \"value\"`"),
                );
                continue;
            }
        };
        facts.insert(name, shown_value);
    }
    errors.into_result().map(|()| facts)
}

/// The line where top-level key `name` is written (1 if not found).
fn key_line(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start_matches(['"', '\'']);
            l.starts_with(name)
                && l[name.len()..]
                    .trim_start_matches(['"', '\''])
                    .starts_with(':')
        })
        .map_or(1, |i| i + 1)
}

/// The shortcode templates among the theme's and the site's templates
/// (`themes/T/templates/shortcodes/NAME.html`, `templates/shortcodes/NAME.html`;
/// the site's win), compiled.
fn load_templates(
    sources: &[Template<'_>],
    config: &SiteConfig,
    errors: &mut Diagnostics,
) -> (Option<tera::Tera>, Vec<String>) {
    let mut chosen: BTreeMap<&str, &Template<'_>> = BTreeMap::new();
    for t in sources {
        let Some(name) = shortcode_of(t.name) else {
            continue;
        };
        let site = t.name.starts_with("templates/");
        if site || !chosen.contains_key(name) {
            chosen.insert(name, t);
        }
    }
    let mut tera = tera::Tera::new();
    // As in the theme's templates: `site.extra.contact_phone` and the like.
    tera.global_context().insert("site", config);
    let mut names = Vec::new();
    for (name, t) in chosen {
        if BUILTINS.contains(&name) {
            errors.push(
                Diagnostic::file(t.name, format!("`{name}` is a built-in shortcode"))
                    .with_help("give the template another name"),
            );
            continue;
        }
        match tera.add_raw_template(&template_name(name), t.text) {
            Ok(()) => names.push(name.to_string()),
            Err(e) => errors.push(
                Diagnostic::file(t.name, format!("template error: {}", flatten(&e)))
                    .with_help("fix the template (see Themes and templates in the guide)"),
            ),
        }
    }
    if names.is_empty() {
        return (None, names);
    }
    (Some(tera), names)
}

/// The shortcode a template is for, if it is one (`…templates/shortcodes/NAME.html`).
pub(crate) fn shortcode_of(template: &str) -> Option<&str> {
    let (_, rest) = template.split_once("templates/shortcodes/")?;
    let name = rest.strip_suffix(".html")?;
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

/// The name a shortcode's template has in tera.
pub(crate) fn template_name(shortcode: &str) -> String {
    format!("shortcodes/{shortcode}.html")
}

/// A tera error and its causes, on one line.
pub(crate) fn flatten(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.replace('\n', " ")
}

impl Library {
    /// What differs between this library and `new`: snippets and facts
    /// added, removed or changed (serve re-renders the pages using them).
    pub(crate) fn changes(&self, new: &Library) -> Vec<super::Dependency> {
        use super::Dependency;
        let mut changed = Vec::new();
        let snippet = |l: &Library, k: &str| l.snippets.get(k).map(|s| s.text.clone());
        for key in self.snippets.keys().chain(new.snippets.keys()) {
            if snippet(self, key) != snippet(new, key) {
                changed.push(Dependency::Snippet(key.clone()));
            }
        }
        let fact = |l: &Library, k: &str| (l.facts_file, l.facts.get(k).cloned());
        for key in self.facts.keys().chain(new.facts.keys()) {
            if fact(self, key) != fact(new, key) {
                changed.push(Dependency::Fact(key.clone()));
            }
        }
        changed.sort();
        changed.dedup();
        changed
    }
}

/// Whether `rel` (relative to the site root) is something shortcodes read
/// as content: a snippet or the facts file.
pub(crate) fn is_input(rel: &str) -> bool {
    rel == FACTS_FILE
        || rel
            .strip_prefix("content/")
            .is_some_and(|r| r.starts_with(&format!("{SNIPPETS_DIR}/")))
}

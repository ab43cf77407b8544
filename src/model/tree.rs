//! Arranging loaded pages into the tree of sections, with URLs, order
//! and reading order.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::content::{Discovered, Document, FrontMatter, LoadedPage, SECTION_INDEX, SourceFile};
use crate::diagnostics::Diagnostics;
use crate::glossary::Glossary;
use crate::i18n::{DEFAULT, LangId};
use crate::slug;

use super::{Child, GLOSSARY_PATH, Page, PageId, PageKind, Section, SectionId, Site};

/// What a site is made from, besides its settings.
pub(crate) struct Sources<'a> {
    /// What discovery found under `content/`.
    pub discovered: &'a Discovered,
    /// The pages that parsed.
    pub loaded: Vec<LoadedPage>,
    /// The glossary files and their terms, one per language at most
    /// (`glossary.yaml`, `glossary.zh.yaml`).
    pub glossaries: Vec<(LangId, SourceFile, Glossary)>,
    /// Files of the site's `static/` folder, relative to it: links to
    /// `/file` may point at them.
    pub static_files: HashSet<String>,
}

/// The title and description of pages marrow makes, in the site's
/// language.
pub(crate) struct GeneratedText {
    /// Title of the glossary page.
    pub glossary_title: String,
    /// Description of the glossary page.
    pub glossary_description: String,
}

impl GeneratedText {
    /// The texts in a strings table.
    pub(crate) fn from_strings(strings: &crate::i18n::Strings) -> GeneratedText {
        GeneratedText {
            glossary_title: strings.get("glossary_title").into(),
            glossary_description: strings.get("glossary_description").into(),
        }
    }

    /// The texts in English, for sites built in memory.
    pub(crate) fn english() -> GeneratedText {
        GeneratedText::from_strings(&crate::i18n::Strings::english())
    }
}

/// Which pages are published: drafts only when asked for, expired pages
/// never.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Publish {
    /// Keep pages marked `draft: true` (`--drafts`).
    pub drafts: bool,
    /// The build's date: pages whose `expires` lies before it are left out.
    pub today: NaiveDate,
}

impl Publish {
    /// Why `front`'s page is left out, if it is.
    fn left_out(&self, front: &FrontMatter) -> Option<Unpublished> {
        if front.draft && !self.drafts {
            return Some(Unpublished::Draft);
        }
        front
            .expires
            .filter(|e| e.before(self.today))
            .map(|e| Unpublished::Expired(e.date))
    }
}

/// Why a page in `content/` is not on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unpublished {
    Draft,
    /// Its `expires` date has passed.
    Expired(NaiveDate),
}

/// Folders a left-out `_index.md` hides, with everything inside, and why.
struct Hidden(Vec<(String, Unpublished)>);

impl Hidden {
    fn new<'a>(loaded: impl Iterator<Item = &'a (String, LoadedPage)>, publish: Publish) -> Hidden {
        let dirs = loaded
            .filter(|(key, p)| is_section_index(key) && !p.source.dir().is_empty())
            .filter_map(|(_, p)| {
                let why = publish.left_out(&p.doc.front)?;
                Some((format!("{}/", p.source.dir()), why))
            })
            .collect();
        Hidden(dirs)
    }

    /// Why `rel` (a file or folder under `content/`) is hidden, if it is.
    fn why(&self, rel: &str) -> Option<Unpublished> {
        self.0
            .iter()
            .find(|(d, _)| rel.starts_with(d.as_str()) || format!("{rel}/") == *d)
            .map(|&(_, why)| why)
    }

    /// Whether `rel` is hidden.
    fn hides(&self, rel: &str) -> bool {
        self.why(rel).is_some()
    }
}

type Sorted = (
    HashMap<String, LoadedPage>,
    Vec<(String, LoadedPage)>,
    HashMap<String, Unpublished>,
);

/// Splits one language's loaded pages (with the key of each) into section
/// indexes (by folder) and plain pages, leaving out drafts and expired
/// pages; returns why each was left out.
fn sort_loaded(loaded: Vec<(String, LoadedPage)>, publish: Publish, hidden: &Hidden) -> Sorted {
    let mut by_dir_index = HashMap::new();
    let mut plain = Vec::new();
    let mut left_out = HashMap::new();
    for (key, p) in loaded {
        // A page inside a left-out section is left out for the same reason.
        let why = publish
            .left_out(&p.doc.front)
            .or_else(|| hidden.why(&p.source.rel));
        if let Some(why) = why {
            left_out.insert(p.source.rel.clone(), why);
        } else if is_section_index(&key) {
            by_dir_index.insert(p.source.dir().to_string(), p);
        } else {
            plain.push((key, p));
        }
    }
    (by_dir_index, plain, left_out)
}

/// Whether `key` (a default-language path) is a section's own page.
fn is_section_index(key: &str) -> bool {
    key.rsplit('/').next() == Some(SECTION_INDEX)
}

/// Folders holding Markdown somewhere below: the others are plain asset
/// folders, not sections.
fn section_dirs<'a>(pages: impl Iterator<Item = &'a SourceFile>) -> HashSet<String> {
    let mut dirs: HashSet<String> = HashSet::new();
    dirs.insert(String::new());
    for p in pages {
        let mut dir = p.dir();
        while dirs.insert(dir.to_string()) && !dir.is_empty() {
            dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    dirs
}

/// The tree as it is being built.
#[derive(Default)]
struct Tree {
    pages: Vec<Page>,
    sections: Vec<Section>,
    /// The sections of the language being added.
    section_of_dir: HashMap<String, SectionId>,
    /// Each language's root section.
    roots: Vec<Option<SectionId>>,
}

/// One language's pages, as they are added to the tree.
struct LanguagePart {
    lang: LangId,
    /// Its URL folder: `""` or `zh/`.
    prefix: String,
    /// Folders holding the language's Markdown.
    section_dirs: HashSet<String>,
    /// The title of its home page when it has no `_index` file.
    title: String,
}

impl Tree {
    fn push_page(
        &mut self,
        loaded: LoadedPage,
        section: SectionId,
        kind: PageKind,
        (lang, key, path): (LangId, String, String),
    ) -> PageId {
        self.pages.push(Page {
            source: loaded.source,
            doc: loaded.doc,
            section,
            kind,
            lang,
            key,
            path,
            prev: None,
            position: 0,
            next: None,
        });
        self.pages.len() - 1
    }

    /// Sections, parents before children (dirs are sorted, so a parent
    /// always comes before its subfolders).
    fn add_sections(
        &mut self,
        discovered: &Discovered,
        mut by_dir_index: HashMap<String, LoadedPage>,
        hidden: &Hidden,
        part: &LanguagePart,
    ) {
        self.section_of_dir.clear();
        for dir in &discovered.dirs {
            if !part.section_dirs.contains(dir.as_str()) || hidden.hides(dir) {
                continue;
            }
            let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
            let parent = if dir.is_empty() {
                None
            } else {
                match self.section_of_dir.get(parent_dir) {
                    Some(&s) => Some(s),
                    None => continue, // parent hidden as a draft
                }
            };
            let id = self.sections.len();
            let (loaded, kind) = match by_dir_index.remove(dir.as_str()) {
                Some(p) => (p, PageKind::Section),
                None => (synthetic_index(dir, &part.title), PageKind::Folder),
            };
            let key = if dir.is_empty() {
                SECTION_INDEX.to_string()
            } else {
                format!("{dir}/{SECTION_INDEX}")
            };
            let segment = loaded
                .doc
                .front
                .slug
                .clone()
                .unwrap_or_else(|| slug::path_segment(dir.rsplit('/').next().unwrap_or("")));
            let path = match parent {
                None => part.prefix.clone(),
                Some(ps) => format!("{}{}/", self.pages[self.sections[ps].index].path, segment),
            };
            let index = self.push_page(loaded, id, kind, (part.lang, key, path));
            if parent.is_none() {
                self.roots[part.lang] = Some(id);
            }
            self.sections.push(Section {
                dir: dir.clone(),
                index,
                parent,
                children: Vec::new(),
            });
            if let Some(ps) = parent {
                self.sections[ps].children.push(Child::Section(id));
            }
            self.section_of_dir.insert(dir.clone(), id);
        }
    }

    fn add_pages(&mut self, plain: Vec<(String, LoadedPage)>, lang: LangId) {
        for (key, p) in plain {
            let Some(&sid) = self.section_of_dir.get(p.source.dir()) else {
                continue; // inside a hidden draft section
            };
            // The source's name: a translation's `.zh` is not part of it.
            let stem = key
                .rsplit('/')
                .next()
                .unwrap_or(&key)
                .trim_end_matches(".md");
            let segment = p
                .doc
                .front
                .slug
                .clone()
                .unwrap_or_else(|| slug::path_segment(stem));
            let path = format!("{}{}/", self.pages[self.sections[sid].index].path, segment);
            let id = self.push_page(p, sid, PageKind::Page, (lang, key, path));
            self.sections[sid].children.push(Child::Page(id));
        }
    }

    /// A language's glossary page, made from its glossary file, at the
    /// top level of the language's pages.
    fn add_glossary_page(
        &mut self,
        lang: LangId,
        (key, source): (String, &SourceFile),
        text: &GeneratedText,
    ) -> Option<PageId> {
        let root = (*self.roots.get(lang)?)?;
        let front = FrontMatter {
            title: Some(text.glossary_title.clone()),
            description: Some(text.glossary_description.clone()),
            template: Some("glossary.html".into()),
            ..FrontMatter::default()
        };
        let loaded = LoadedPage {
            source: source.clone(),
            doc: Document::generated(front),
        };
        let path = format!(
            "{}{GLOSSARY_PATH}",
            self.pages[self.sections[root].index].path
        );
        let id = self.push_page(loaded, root, PageKind::Glossary, (lang, key, path));
        self.sections[root].children.push(Child::Page(id));
        Some(id)
    }
}

impl Tree {
    /// The trees of every language with pages, one after another; returns
    /// why pages were left out, and which folders of the default language
    /// are hidden (their assets are not copied).
    fn of_languages(
        by_language: Vec<Vec<(String, LoadedPage)>>,
        discovered: &Discovered,
        (config, publish): (&SiteConfig, Publish),
    ) -> (Tree, HashMap<String, Unpublished>, Hidden) {
        let langs = &config.langs;
        let mut tree = Tree {
            roots: vec![None; langs.len()],
            ..Tree::default()
        };
        let mut unpublished = HashMap::new();
        let mut default_hidden = Hidden(Vec::new());
        for (lang, loaded) in by_language.into_iter().enumerate() {
            if lang != DEFAULT && loaded.is_empty() {
                continue;
            }
            let hidden = Hidden::new(loaded.iter(), publish);
            let language = langs.get(lang);
            let part = LanguagePart {
                lang,
                prefix: language.prefix(lang),
                section_dirs: section_dirs(
                    (discovered.pages.iter()).filter(|p| langs.split(&p.rel).1 == lang),
                ),
                title: language
                    .title
                    .clone()
                    .unwrap_or_else(|| config.title.clone()),
            };
            let (by_dir_index, plain, left_out) = sort_loaded(loaded, publish, &hidden);
            unpublished.extend(left_out);
            tree.add_sections(discovered, by_dir_index, &hidden, &part);
            tree.add_pages(plain, lang);
            if lang == DEFAULT {
                default_hidden = hidden;
            }
        }
        (tree, unpublished, default_hidden)
    }
}

impl Site {
    /// Arranges the published pages into sections; `generated` names the
    /// pages marrow makes. The site comes with its errors (two pages at one
    /// URL, unknown taxonomies…) rather than instead of them, so the later
    /// stages can still check everything else in the same run.
    pub(crate) fn new(
        config: SiteConfig,
        root: &Path,
        sources: Sources<'_>,
        publish: Publish,
        generated: &[GeneratedText],
    ) -> (Site, Diagnostics) {
        let Sources {
            discovered,
            loaded,
            glossaries,
            static_files,
        } = sources;
        let mut errors = Diagnostics::default();
        let parsed: HashSet<&str> = loaded.iter().map(|p| p.source.rel.as_str()).collect();
        let unparsed: HashSet<String> = discovered
            .pages
            .iter()
            .filter(|p| !parsed.contains(p.rel.as_str()))
            .map(|p| p.rel.clone())
            .collect();
        let langs = config.langs.clone();
        let (by_language, orphans) = super::languages::split(loaded, discovered, &langs);
        errors.extend(orphans);
        let (mut tree, unpublished, hidden) =
            Tree::of_languages(by_language, discovered, (&config, publish));
        let mut glossary_pages = vec![None; langs.len()];
        let mut glossary_list: Vec<Option<Glossary>> = vec![None; langs.len()];
        let mut glossary_rels = HashSet::new();
        for (lang, source, glossary) in glossaries {
            let key = langs.split(&source.rel).0.into_owned();
            glossary_pages[lang] = tree.add_glossary_page(
                lang,
                (key, &source),
                &generated[lang.min(generated.len() - 1)],
            );
            glossary_rels.insert(source.rel.clone());
            glossary_list[lang] = Some(glossary);
        }
        let Tree {
            pages,
            sections,
            roots,
            ..
        } = tree;

        // Two files, one URL.
        let mut by_path: HashMap<String, PageId> = HashMap::new();
        for (id, page) in pages.iter().enumerate() {
            if let Some(&other) = by_path.get(&page.path) {
                errors.push(super::checks::url_clash(&pages[other], page));
            } else {
                by_path.insert(page.path.clone(), id);
            }
        }

        // Assets inside a hidden draft section are neither copied nor
        // linkable; glossary files become pages, not downloads.
        let assets: Vec<SourceFile> = discovered
            .assets
            .iter()
            .filter(|a| !hidden.hides(&a.rel) && !glossary_rels.contains(&a.rel))
            .cloned()
            .collect();
        let mut site = Site {
            config,
            root: root.to_path_buf(),
            by_source: pages
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.kind.is_generated())
                .map(|(i, p)| (p.source.rel.clone(), i))
                .collect(),
            by_path,
            by_alias: super::aliases::index(&pages),
            asset_set: assets.iter().map(|a| a.rel.clone()).collect(),
            assets,
            static_files,
            pages,
            sections,
            reading_order: Vec::new(),
            unpublished,
            unparsed,
            glossaries: glossary_list,
            glossary_pages,
            roots,
            by_key: HashMap::new(),
            shortcodes: Default::default(),
        };
        site.fix_child_order();
        site.link_reading_order();
        site.index_versions();
        errors.extend(site.check_taxonomies());
        errors.extend(site.check_search_weights());
        errors.extend(site.check_index_files());
        (site, errors)
    }

    /// Orders each section's children by weight, then title, then path.
    fn fix_child_order(&mut self) {
        let pages = &self.pages;
        let sections_snapshot: Vec<PageId> = self.sections.iter().map(|s| s.index).collect();
        for s in &mut self.sections {
            s.children.sort_by_cached_key(|c| {
                let id = match c {
                    Child::Page(p) => *p,
                    Child::Section(s) => sections_snapshot[*s],
                };
                let p = &pages[id];
                (
                    p.front().weight.unwrap_or(i64::MAX),
                    p.title().to_lowercase(),
                    p.source.rel.clone(),
                )
            });
        }
        for s in 0..self.sections.len() {
            for i in 0..self.sections[s].children.len() {
                let id = self.child_page(self.sections[s].children[i]);
                self.pages[id].position = i;
            }
        }
    }

    /// Reading order, one language after another: prev and next never
    /// lead into another language.
    fn link_reading_order(&mut self) {
        let mut order = Vec::with_capacity(self.pages.len());
        for root in self.roots.clone().into_iter().flatten() {
            let start = order.len();
            self.walk(root, &mut order);
            for w in order[start..].windows(2) {
                self.pages[w[0]].next = Some(w[1]);
                self.pages[w[1]].prev = Some(w[0]);
            }
        }
        self.reading_order = order;
    }

    fn walk(&self, section: SectionId, order: &mut Vec<PageId>) {
        order.push(self.sections[section].index);
        for child in &self.sections[section].children {
            match *child {
                Child::Page(p) => order.push(p),
                Child::Section(s) => self.walk(s, order),
            }
        }
    }
}

fn synthetic_index(dir: &str, site_title: &str) -> LoadedPage {
    let title = if dir.is_empty() {
        site_title.to_string()
    } else {
        let name = dir
            .rsplit('/')
            .next()
            .unwrap_or(dir)
            .replace(['-', '_'], " ");
        let mut chars = name.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => name,
        }
    };
    let rel = if dir.is_empty() {
        SECTION_INDEX.to_string()
    } else {
        format!("{dir}/{SECTION_INDEX}")
    };
    LoadedPage {
        source: SourceFile {
            path: PathBuf::from(&rel),
            rel,
        },
        doc: Document::generated(FrontMatter {
            title: Some(title),
            ..FrontMatter::default()
        }),
    }
}

//! The site model: parsed documents arranged into a tree of sections with
//! URLs, ordering, reading order and a link index.
//!
//! Everything later stages ask about the *shape* of the site lives here —
//! "what is this page's URL", "what does this `.md` link point to", "what
//! comes next" — answered from indexes built once, so no stage needs to scan
//! all pages per page (which would make big sites quadratic).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::path::normalize;
use crate::content::{Discovered, Document, FrontMatter, LoadedPage, SECTION_INDEX, SourceFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::slug;

/// Index into [`Site::pages`].
pub type PageId = usize;
/// Index into [`Site::sections`].
pub type SectionId = usize;

/// A page of the site: an ordinary page or the index page of a section.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: SourceFile,
    pub doc: Document,
    /// The section the page appears in (for a section's index page: the
    /// section itself).
    pub section: SectionId,
    /// What made the page.
    pub kind: PageKind,
    /// URL path below the site root: `""` (home), `process/`,
    /// `process/conditioning/`.
    pub path: String,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    /// Where the page (for a section's index page: the section) stands
    /// among its parent section's children; 0 for the home page. Lets the
    /// navigation find the part of a long section to show without a search.
    pub position: usize,
}

/// What a page was made from. Generated pages have no Markdown file of
/// their own: nothing in them can be reviewed, and messages about them name
/// the folder or the glossary file instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A Markdown file that is not a section's `_index.md`.
    Page,
    /// A section's own page, from its `_index.md`.
    Section,
    /// A section's page made up from the folder name (no `_index.md`).
    Folder,
    /// The glossary page, made from the glossary file.
    Glossary,
}

impl PageKind {
    /// The page of a section (lists the section's children).
    pub fn is_section(self) -> bool {
        matches!(self, PageKind::Section | PageKind::Folder)
    }

    /// Made by marrow rather than written as Markdown.
    pub fn is_generated(self) -> bool {
        matches!(self, PageKind::Folder | PageKind::Glossary)
    }
}

impl Page {
    pub fn front(&self) -> &FrontMatter {
        &self.doc.front
    }

    pub fn title(&self) -> &str {
        self.doc.front.title.as_deref().unwrap_or("")
    }

    /// Number of URL segments, i.e. how many `../` lead back to the root.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }

    /// The relative prefix from this page's HTML file to the site root.
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.depth())
    }

    /// File the page is written to, relative to the output folder.
    pub fn output_file(&self) -> String {
        format!("{}index.html", self.path)
    }
}

/// A child of a section, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Page(PageId),
    Section(SectionId),
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`""` for the root).
    pub dir: String,
    /// The section's own page (`_index.md`).
    pub index: PageId,
    pub parent: Option<SectionId>,
    /// Pages and subsections, ordered by weight, then title.
    pub children: Vec<Child>,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// The site root on disk.
    pub root: PathBuf,
    pub pages: Vec<Page>,
    /// `sections[0]` is the root (home page) section.
    pub sections: Vec<Section>,
    pub assets: Vec<SourceFile>,
    /// Pages in reading order (depth first).
    pub reading_order: Vec<PageId>,
    by_source: HashMap<String, PageId>,
    by_path: HashMap<String, PageId>,
    asset_set: HashSet<String>,
    drafts: HashSet<String>,
    /// Pages that failed to parse: links to them are not reported as
    /// missing (their own error says what is wrong).
    unparsed: HashSet<String>,
    /// The site's glossary, if it has one, and the page listing it.
    pub glossary: Option<Glossary>,
    pub glossary_page: Option<PageId>,
    /// Lower-case words left out of readability syllable counts: every
    /// word of the glossary's terms and of `readability.ignore_terms`.
    pub readability_ignore: HashSet<String>,
}

/// URL path of the generated glossary page.
pub const GLOSSARY_PATH: &str = "glossary/";

/// Where a link written in Markdown points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another scheme (`https:`, `mailto:`…): left as written.
    External,
    /// A page of this site, maybe with a heading anchor.
    Page {
        id: PageId,
        fragment: Option<String>,
    },
    /// A file copied from `content/` or `static/`, relative to the output root.
    File {
        path: String,
        fragment: Option<String>,
    },
    /// A page that failed to parse; it cannot be checked or linked.
    Unparsed,
    /// Nothing there: what is wrong and what to do.
    Missing { message: String, help: String },
}

impl Site {
    /// Arranges loaded pages into sections. `drafts` keeps draft pages.
    pub fn new(
        config: SiteConfig,
        root: &Path,
        discovered: &Discovered,
        loaded: Vec<LoadedPage>,
        drafts: bool,
        glossary: Option<(SourceFile, Glossary)>,
    ) -> Result<Site, Diagnostics> {
        let mut errors = Diagnostics::default();
        let mut draft_sources = HashSet::new();
        let parsed: HashSet<&str> = loaded.iter().map(|p| p.source.rel.as_str()).collect();
        let unparsed: HashSet<String> = discovered
            .pages
            .iter()
            .filter(|p| !parsed.contains(p.rel.as_str()))
            .map(|p| p.rel.clone())
            .collect();

        // Folders holding no Markdown anywhere below are plain asset folders.
        let mut section_dirs: HashSet<&str> = HashSet::new();
        section_dirs.insert("");
        for p in &discovered.pages {
            let mut dir = p.dir();
            loop {
                section_dirs.insert(dir);
                match dir.rsplit_once('/') {
                    Some((parent, _)) => dir = parent,
                    None if !dir.is_empty() => dir = "",
                    None => break,
                }
            }
        }
        // A draft section index hides its whole folder.
        let mut hidden_dirs: Vec<String> = Vec::new();
        if !drafts {
            for p in &loaded {
                if p.doc.front.draft && p.source.is_section_index() && !p.source.dir().is_empty() {
                    hidden_dirs.push(format!("{}/", p.source.dir()));
                }
            }
        }
        let hidden = |rel: &str| {
            hidden_dirs
                .iter()
                .any(|d| rel.starts_with(d.as_str()) || format!("{rel}/") == *d)
        };

        let mut pages: Vec<Page> = Vec::new();
        let mut sections: Vec<Section> = Vec::new();
        let mut section_of_dir: HashMap<String, SectionId> = HashMap::new();
        let mut by_dir_index: HashMap<String, LoadedPage> = HashMap::new();
        let mut plain: Vec<LoadedPage> = Vec::new();
        for p in loaded {
            if (p.doc.front.draft && !drafts) || hidden(&p.source.rel) {
                draft_sources.insert(p.source.rel.clone());
                continue;
            }
            if p.source.is_section_index() {
                by_dir_index.insert(p.source.dir().to_string(), p);
            } else {
                plain.push(p);
            }
        }

        // Sections, parents before children (dirs are sorted, so a parent
        // always comes before its subfolders).
        for dir in &discovered.dirs {
            if !section_dirs.contains(dir.as_str()) || hidden(dir) {
                continue;
            }
            let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
            let parent = if dir.is_empty() {
                None
            } else {
                match section_of_dir.get(parent_dir) {
                    Some(&s) => Some(s),
                    None => continue, // parent hidden as a draft
                }
            };
            let id = sections.len();
            let (loaded, kind) = match by_dir_index.remove(dir.as_str()) {
                Some(p) => (p, PageKind::Section),
                None => (synthetic_index(dir, &config), PageKind::Folder),
            };
            let segment = loaded
                .doc
                .front
                .slug
                .clone()
                .unwrap_or_else(|| slug::path_segment(dir.rsplit('/').next().unwrap_or("")));
            let path = match parent {
                None => String::new(),
                Some(ps) => format!("{}{}/", pages[sections[ps].index].path, segment),
            };
            let page_id = pages.len();
            pages.push(Page {
                source: loaded.source,
                doc: loaded.doc,
                section: id,
                kind,
                path,
                prev: None,
                position: 0,
                next: None,
            });
            sections.push(Section {
                dir: dir.clone(),
                index: page_id,
                parent,
                children: Vec::new(),
            });
            if let Some(ps) = parent {
                sections[ps].children.push(Child::Section(id));
            }
            section_of_dir.insert(dir.clone(), id);
        }

        for p in plain {
            let Some(&sid) = section_of_dir.get(p.source.dir()) else {
                continue; // inside a hidden draft section
            };
            let stem = p.source.file_name().trim_end_matches(".md");
            let segment = p
                .doc
                .front
                .slug
                .clone()
                .unwrap_or_else(|| slug::path_segment(stem));
            let path = format!("{}{}/", pages[sections[sid].index].path, segment);
            let id = pages.len();
            pages.push(Page {
                source: p.source,
                doc: p.doc,
                section: sid,
                kind: PageKind::Page,
                path,
                prev: None,
                position: 0,
                next: None,
            });
            sections[sid].children.push(Child::Page(id));
        }

        // The glossary page, made from the glossary file, at the top level.
        let mut glossary_page = None;
        if let Some((source, _)) = &glossary
            && !sections.is_empty()
        {
            let id = pages.len();
            pages.push(Page {
                source: source.clone(),
                doc: Document {
                    text: String::new(),
                    front: FrontMatter {
                        title: Some("Glossary".into()),
                        description: Some("What the medical words used on this site mean.".into()),
                        template: Some("glossary.html".into()),
                        ..FrontMatter::default()
                    },
                    body_start: 0,
                },
                section: 0,
                kind: PageKind::Glossary,
                path: GLOSSARY_PATH.into(),
                prev: None,
                position: 0,
                next: None,
            });
            sections[0].children.push(Child::Page(id));
            glossary_page = Some(id);
        }

        // Two files, one URL.
        let mut by_path: HashMap<String, PageId> = HashMap::new();
        for (id, page) in pages.iter().enumerate() {
            if let Some(&other) = by_path.get(&page.path) {
                errors.push(url_clash(&pages[other], page));
            } else {
                by_path.insert(page.path.clone(), id);
            }
        }

        // Assets inside a hidden draft section are neither copied nor
        // linkable; the glossary file becomes a page, not a download.
        let glossary_rel = glossary.as_ref().map(|(s, _)| s.rel.clone());
        let assets: Vec<SourceFile> = discovered
            .assets
            .iter()
            .filter(|a| !hidden(&a.rel) && Some(&a.rel) != glossary_rel.as_ref())
            .cloned()
            .collect();
        // Glossary words are left out of syllable counts only when they are
        // long (three syllables or more): "blood" or "cell" should count.
        let readability_ignore: HashSet<String> = glossary
            .as_ref()
            .map(|(_, g)| g.words())
            .unwrap_or_default()
            .into_iter()
            .filter(|w| crate::readability::syllables(w) >= 3)
            .chain(
                config
                    .readability
                    .ignore_terms
                    .iter()
                    .flat_map(|t| t.split_whitespace())
                    .map(str::to_lowercase),
            )
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
            asset_set: assets.iter().map(|a| a.rel.clone()).collect(),
            assets,
            pages,
            sections,
            reading_order: Vec::new(),
            drafts: draft_sources,
            unparsed,
            readability_ignore,
            glossary: glossary.map(|(_, g)| g),
            glossary_page,
        };
        site.fix_child_order();
        site.link_reading_order();
        errors.extend(site.check_taxonomies());
        errors.into_result().map(|()| site)
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

    fn link_reading_order(&mut self) {
        let mut order = Vec::with_capacity(self.pages.len());
        if !self.sections.is_empty() {
            self.walk(0, &mut order);
        }
        for w in order.windows(2) {
            self.pages[w[0]].next = Some(w[1]);
            self.pages[w[1]].prev = Some(w[0]);
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

    /// Pages may only use declared taxonomies.
    fn check_taxonomies(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for page in &self.pages {
            for name in page.front().taxonomies.keys() {
                if !self.config.taxonomies.contains(name) {
                    let line = crate::content::front_matter::find_key_line(
                        &page.doc.text,
                        2,
                        "taxonomies",
                    );
                    let hint = match crate::diagnostics::suggest(
                        name,
                        self.config.taxonomies.iter().map(String::as_str),
                    ) {
                        Some(s) => format!(
                            "did you mean `{s}`? Or declare it in site.yaml: `taxonomies: [{name}]`"
                        ),
                        None => format!("declare it in site.yaml: `taxonomies: [{name}]`"),
                    };
                    errors.push(
                        Diagnostic::at(
                            page.source.display(),
                            &page.doc.text,
                            line,
                            1,
                            format!("unknown taxonomy `{name}`"),
                        )
                        .with_help(hint),
                    );
                }
            }
        }
        errors
    }

    /// The page at a URL path (`process/conditioning/`).
    pub fn page_at(&self, path: &str) -> Option<PageId> {
        self.by_path.get(path).copied()
    }

    /// The page made from `content/<rel>`.
    pub fn page_from_source(&self, rel: &str) -> Option<PageId> {
        self.by_source.get(rel).copied()
    }

    /// The page a child stands for: itself, or a section's index page.
    pub fn child_page(&self, c: Child) -> PageId {
        match c {
            Child::Page(p) => p,
            Child::Section(s) => self.sections[s].index,
        }
    }

    /// Sections from the root down to (and including) `section`.
    pub fn ancestry(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// The link to `page` relative to the site root: `process/index.html`,
    /// or `process/` with `pretty_links`.
    pub fn link(&self, page: PageId) -> String {
        let path = &self.pages[page].path;
        if self.config.pretty_links {
            if path.is_empty() {
                "./".into()
            } else {
                encode_path(path)
            }
        } else {
            format!("{}index.html", encode_path(path))
        }
    }

    /// The absolute URL of `page` when a `base_url` is configured.
    pub fn permalink(&self, page: PageId) -> Option<String> {
        let base = self.config.base_url.as_deref()?;
        Some(format!("{base}{}", encode_path(&self.pages[page].path)))
    }

    /// Resolves a link written in the Markdown of page `from`.
    pub fn resolve_link(&self, from: PageId, dest: &str) -> LinkTarget {
        if dest
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
        {
            return LinkTarget::Missing {
                message: format!(
                    "link `{dest}` points to a file on this computer, which readers cannot open"
                ),
                help: "copy the file into content/ and link to it with a relative path".into(),
            };
        }
        if is_external(dest) {
            return LinkTarget::External;
        }
        let (before_fragment, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(decode(f))),
            None => (dest, None),
        };
        let path = before_fragment.split('?').next().unwrap_or("");
        if path.is_empty() {
            return LinkTarget::Page { id: from, fragment };
        }
        let path = crate::content::path::nfc(&decode(path)).into_owned();
        let page = &self.pages[from];
        let joined = if let Some(abs) = path.strip_prefix('/') {
            abs.to_string()
        } else if page.source.dir().is_empty() {
            path.clone()
        } else {
            format!("{}/{}", page.source.dir(), path)
        };
        let Some(rel) = normalize(&joined) else {
            return LinkTarget::Missing {
                message: format!("link `{dest}` points outside `content/`"),
                help: "link to a page or file inside content/".into(),
            };
        };
        // `file #2.pdf` written as is: the `#` started an anchor.
        let hash_in_name = || {
            let fragment = fragment.as_deref()?;
            let whole = normalize(&format!("{joined}#{fragment}"))?;
            (self.asset_set.contains(&whole) || self.by_source.contains_key(&whole)).then(|| {
                format!(
                    "`#` starts a heading anchor; write `%23` for the `#` in the file name: `{}`",
                    dest.replace('#', "%23")
                )
            })
        };
        let trimmed = rel.trim_end_matches('/');
        if rel.ends_with(".md") {
            if let Some(id) = self.page_from_source(&rel) {
                return LinkTarget::Page { id, fragment };
            }
            if self.unparsed.contains(&rel) {
                return LinkTarget::Unparsed;
            }
            if self.drafts.contains(&rel) {
                return LinkTarget::Missing {
                    message: format!("link `{dest}` points to a draft"),
                    help: "publish the page (remove `draft: true`) or build with --drafts".into(),
                };
            }
            return LinkTarget::Missing {
                message: format!("link `{dest}` points to a missing page `content/{rel}`"),
                help: hash_in_name().unwrap_or_else(|| self.suggest_page(&rel)),
            };
        }
        let index_rel = if trimmed.is_empty() {
            SECTION_INDEX.to_string()
        } else {
            format!("{trimmed}/{SECTION_INDEX}")
        };
        if let Some(id) = self.page_from_source(&index_rel) {
            return LinkTarget::Page { id, fragment };
        }
        if let Some(s) = self.sections.iter().find(|s| s.dir == trimmed) {
            return LinkTarget::Page {
                id: s.index,
                fragment,
            };
        }
        if self.asset_set.contains(&rel) {
            return LinkTarget::File {
                path: rel,
                fragment,
            };
        }
        // Written as a URL of the built site (`/process/conditioning/`).
        let url_path = rel.strip_suffix("index.html").unwrap_or(&rel);
        let url_path = if url_path.is_empty() || url_path.ends_with('/') {
            url_path.to_string()
        } else {
            format!("{url_path}/")
        };
        if let Some(id) = self.page_at(&url_path) {
            return LinkTarget::Page { id, fragment };
        }
        let in_static = self.root.join("static").join(&rel).is_file();
        if dest.starts_with('/') && in_static {
            return LinkTarget::File {
                path: rel,
                fragment,
            };
        }
        LinkTarget::Missing {
            message: format!("link `{dest}` points to nothing: no page or file `content/{rel}`"),
            help: if let Some(h) = hash_in_name() {
                h
            } else if in_static {
                format!("files in static/ are linked from the site root: write `/{rel}`")
            } else if path.ends_with(".html") {
                "link to the Markdown file (`page.md`) instead of the HTML it becomes".into()
            } else {
                "check the spelling and the relative path".into()
            },
        }
    }

    fn suggest_page(&self, rel: &str) -> String {
        let candidates = self.by_source.keys().map(String::as_str);
        match crate::diagnostics::suggest(rel, candidates) {
            Some(s) => format!("did you mean `content/{s}`?"),
            None => "check the file name and the relative path (`../` goes up one folder)".into(),
        }
    }

    /// The relative href from page `from` to a resolved target.
    pub fn href(&self, from: PageId, target: &LinkTarget) -> Option<String> {
        let prefix = self.pages[from].root_prefix();
        let with_fragment = |base: String, fragment: &Option<String>| match fragment {
            Some(f) => format!("{base}#{}", encode_fragment(f)),
            None => base,
        };
        match target {
            LinkTarget::Page { id, fragment } if *id == from => Some(with_fragment(
                if fragment.is_some() {
                    String::new()
                } else {
                    format!("{prefix}{}", self.link(*id))
                },
                fragment,
            )),
            LinkTarget::Page { id, fragment } => Some(with_fragment(
                format!("{prefix}{}", self.link(*id)),
                fragment,
            )),
            LinkTarget::File { path, fragment } => Some(with_fragment(
                format!("{prefix}{}", encode_path(path)),
                fragment,
            )),
            LinkTarget::External | LinkTarget::Unparsed | LinkTarget::Missing { .. } => None,
        }
    }
}

/// What made `page`, for messages: its file, or the folder or glossary it
/// was generated from.
fn describe(page: &Page) -> String {
    let shown = page.source.display();
    match page.kind {
        PageKind::Page | PageKind::Section => format!("`{}`", shown.display()),
        PageKind::Folder => {
            let dir = Path::new(crate::content::CONTENT_DIR).join(page.source.dir());
            format!("the folder `{}/`", dir.display())
        }
        PageKind::Glossary => format!("the glossary page (made from `{}`)", shown.display()),
    }
}

/// The error for two pages with one URL, reported at the one a writer can
/// change (at its `slug` line when it has one).
fn url_clash(first: &Page, second: &Page) -> Diagnostic {
    let message = format!(
        "{} and {} both want the URL /{}",
        describe(first),
        describe(second),
        second.path
    );
    // A file the writer can open: a real page, else the glossary file,
    // else the folder.
    let at = [second, first]
        .into_iter()
        .find(|p| !p.kind.is_generated())
        .or_else(|| {
            [second, first]
                .into_iter()
                .find(|p| p.kind == PageKind::Glossary)
        })
        .unwrap_or(first);
    let d = match at.front().slug {
        Some(_) if !at.kind.is_generated() => {
            let line = crate::content::front_matter::find_key_line(&at.doc.text, 2, "slug");
            Diagnostic::at(at.source.display(), &at.doc.text, line, 1, message)
        }
        _ if at.kind == PageKind::Folder => Diagnostic::file(
            Path::new(crate::content::CONTENT_DIR).join(at.source.dir()),
            message,
        ),
        _ => Diagnostic::file(at.source.display(), message),
    };
    let folder = [first, second]
        .into_iter()
        .find(|p| p.kind == PageKind::Folder);
    match folder {
        Some(f) if !at.kind.is_generated() => d.with_help(format!(
            "make `{}` the folder's own page by moving it to `{}/{}`, or rename one of them",
            at.source.display().display(),
            Path::new(crate::content::CONTENT_DIR)
                .join(f.source.dir())
                .display(),
            SECTION_INDEX
        )),
        Some(f) => d.with_help(format!(
            "rename the folder `{}/`, or give it another `slug` in its `{SECTION_INDEX}`",
            Path::new(crate::content::CONTENT_DIR)
                .join(f.source.dir())
                .display(),
        )),
        _ if first.kind.is_generated() || second.kind.is_generated() => {
            d.with_help("give the page another `slug` (this URL is taken by a generated page)")
        }
        _ => d.with_help("rename one of the files or give one a different `slug`"),
    }
}

fn synthetic_index(dir: &str, config: &SiteConfig) -> LoadedPage {
    let title = if dir.is_empty() {
        config.title.clone()
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
        doc: Document {
            text: String::new(),
            front: FrontMatter {
                title: Some(title),
                ..FrontMatter::default()
            },
            body_start: 0,
        },
    }
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Characters escaped in the path part of generated links. Non-ASCII letters
/// stay as they are (valid in HTML5 URLs and readable in the source).
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Escapes what must be escaped in a URL path.
pub fn encode_path(path: &str) -> String {
    utf8_escape(path, PATH_ESCAPES)
}

fn encode_fragment(f: &str) -> String {
    utf8_escape(f, PATH_ESCAPES)
}

fn utf8_escape(s: &str, set: &'static percent_encoding::AsciiSet) -> String {
    // Only ASCII is escaped; leave other characters readable.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            let mut buf = [0u8; 1];
            out.extend(percent_encoding::utf8_percent_encode(
                c.encode_utf8(&mut buf),
                set,
            ));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links() {
        assert!(is_external("https://nhs.uk"));
        assert!(is_external("mailto:a@b.org"));
        assert!(is_external("//cdn.example"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
        assert!(!is_external(":no-scheme.md"));
    }

    #[test]
    fn encoding_keeps_unicode() {
        assert_eq!(encode_path("a b/c#d/移植/"), "a%20b/c%23d/移植/");
    }
}

/// Builds a site from in-memory `(path under content/, text)` pairs, for
/// unit tests of the later stages.
#[cfg(test)]
pub(crate) fn test_site(files: &[(&str, &str)]) -> Site {
    test_site_with_glossary(files, None)
}

/// Like [`test_site`], with a glossary parsed from `glossary` YAML.
#[cfg(test)]
pub(crate) fn test_site_with_glossary(files: &[(&str, &str)], glossary: Option<&str>) -> Site {
    Site::from_memory(files, glossary).unwrap_or_else(|d| panic!("{d}"))
}

impl Site {
    /// A site from in-memory `(path under content/, text)` pairs and an
    /// optional glossary (YAML), with default settings: for tests, fuzzing
    /// and tools without a folder on disk.
    pub fn from_memory(
        files: &[(&str, &str)],
        glossary: Option<&str>,
    ) -> Result<Site, Diagnostics> {
        let mut discovered = Discovered::default();
        let mut loaded = Vec::new();
        let mut errors = Diagnostics::default();
        let mut dirs: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        dirs.insert(String::new());
        for (rel, text) in files {
            let source = SourceFile {
                rel: rel.to_string(),
                path: PathBuf::from(rel),
            };
            let mut dir = source.dir();
            while !dir.is_empty() {
                dirs.insert(dir.to_string());
                dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
            }
            if rel.ends_with(".md") {
                match crate::content::front_matter::parse(&source.display(), text) {
                    Ok(doc) => {
                        discovered.pages.push(source.clone());
                        loaded.push(LoadedPage { source, doc });
                    }
                    Err(d) => errors.push(d),
                }
            } else {
                discovered.assets.push(source);
            }
        }
        let glossary = match glossary {
            Some(yaml) => match Glossary::parse(Path::new("content/glossary.yaml"), yaml) {
                Ok(g) => Some((
                    SourceFile {
                        rel: "glossary.yaml".into(),
                        path: PathBuf::from("glossary.yaml"),
                    },
                    g,
                )),
                Err(d) => {
                    errors.push(d);
                    None
                }
            },
            None => None,
        };
        errors.into_result()?;
        discovered.dirs = dirs.into_iter().collect();
        Site::new(
            SiteConfig::default(),
            Path::new("/nonexistent"),
            &discovered,
            loaded,
            false,
            glossary,
        )
    }
}

#[cfg(test)]
mod site_tests {
    use super::*;

    const P: &str = "---\ntitle: T\n---\n";

    #[test]
    fn urls_order_and_reading_order() {
        let site = test_site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("b/_index.md", "---\ntitle: B\nweight: 1\n---\n"),
            ("b/z.md", "---\ntitle: Zed\nweight: 1\n---\n"),
            ("b/a.md", "---\ntitle: Alpha\nweight: 2\n---\n"),
            ("a/x y.md", "---\ntitle: X\n---\n"),
            ("b/s.md", "---\ntitle: S\nslug: custom\n---\n"),
        ]);
        let paths: Vec<_> = site
            .reading_order
            .iter()
            .map(|&p| site.pages[p].path.as_str())
            .collect();
        // b has weight 1 so comes before a (no weight); inside b, weight then title.
        assert_eq!(
            paths,
            ["", "b/", "b/z/", "b/a/", "b/custom/", "a/", "a/x-y/"]
        );
        let z = site.page_at("b/z/").unwrap();
        assert_eq!(site.pages[z].prev, site.page_at("b/"));
        assert_eq!(site.link(z), "b/z/index.html");
        assert_eq!(site.pages[z].root_prefix(), "../../");
        // A folder without _index.md still becomes a section, titled after it.
        let a = site.page_at("a/").unwrap();
        assert_eq!(site.pages[a].title(), "A");
    }

    #[test]
    fn link_resolution() {
        let site = test_site(&[
            ("_index.md", P),
            ("process/_index.md", P),
            ("process/conditioning.md", P),
            ("process/diagram.svg", ""),
            ("indications/thalassaemia.md", P),
        ]);
        let from = site.page_from_source("process/conditioning.md").unwrap();
        let thal = site
            .page_from_source("indications/thalassaemia.md")
            .unwrap();
        let t = site.resolve_link(from, "../indications/thalassaemia.md#donors");
        assert_eq!(
            t,
            LinkTarget::Page {
                id: thal,
                fragment: Some("donors".into())
            }
        );
        assert_eq!(
            site.href(from, &t).unwrap(),
            "../../indications/thalassaemia/index.html#donors"
        );
        let t = site.resolve_link(from, "/indications/thalassaemia.md");
        assert_eq!(
            site.href(from, &t).unwrap(),
            "../../indications/thalassaemia/index.html"
        );
        let t = site.resolve_link(from, "diagram.svg");
        assert_eq!(site.href(from, &t).unwrap(), "../../process/diagram.svg");
        let t = site.resolve_link(from, "#top");
        assert_eq!(site.href(from, &t).unwrap(), "#top");
        let t = site.resolve_link(from, "_index.md");
        assert_eq!(site.href(from, &t).unwrap(), "../../process/index.html");
        assert_eq!(
            site.resolve_link(from, "https://nhs.uk"),
            LinkTarget::External
        );
        assert!(matches!(
            site.resolve_link(from, "missing.md"),
            LinkTarget::Missing { .. }
        ));
        let help = |dest: &str| match site.resolve_link(from, dest) {
            LinkTarget::Missing { help, .. } => help,
            other => panic!("{dest}: {other:?}"),
        };
        assert_eq!(
            help("../indications/thalasaemia.md"),
            "did you mean `content/indications/thalassaemia.md`?"
        );
        assert_eq!(
            help("/qqqqqqqqqqqqqqqqqqqqqqqq.md"),
            "check the file name and the relative path (`../` goes up one folder)"
        );
        assert!(matches!(
            site.resolve_link(from, "../../../x.md"),
            LinkTarget::Missing { .. }
        ));
        assert!(matches!(
            site.resolve_link(from, "nope.png"),
            LinkTarget::Missing { .. }
        ));
    }

    #[test]
    fn duplicate_urls_name_both_files() {
        let mut discovered = Discovered::default();
        let mut loaded = Vec::new();
        for rel in ["a.md", "b.md", "_index.md"] {
            let source = SourceFile {
                rel: rel.into(),
                path: PathBuf::from(rel),
            };
            let text = if rel == "b.md" {
                "---\ntitle: B\nslug: a\n---\n"
            } else {
                P
            };
            let doc = crate::content::front_matter::parse(&source.display(), text).unwrap();
            discovered.pages.push(source.clone());
            loaded.push(LoadedPage { source, doc });
        }
        discovered.dirs = vec![String::new()];
        let err = Site::new(
            SiteConfig::default(),
            Path::new("/x"),
            &discovered,
            loaded,
            false,
            None,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("content/a.md") && msg.contains("content/b.md"),
            "{msg}"
        );
    }

    #[test]
    fn drafts_are_left_out_and_links_to_them_explained() {
        let site = test_site(&[
            ("_index.md", P),
            ("a.md", P),
            ("d.md", "---\ntitle: D\ndraft: true\n---\n"),
        ]);
        assert_eq!(site.pages.len(), 2);
        let a = site.page_from_source("a.md").unwrap();
        match site.resolve_link(a, "d.md") {
            LinkTarget::Missing { message, .. } => assert!(message.contains("draft"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}

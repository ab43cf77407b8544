//! Pages through tera templates.
//!
//! [`Renderer`] compiles the theme's templates once. Each page is rendered
//! with a context of plain serializable views (`site`, `page`, `root`,
//! `nav`). The navigation tree is the expensive part of a big site, so it is
//! rendered once per section (and link depth) by `nav.html` and shared by
//! every page of that section; the current page is then marked with
//! `aria-current="page"` by a string edit of the shared fragment. A section
//! with more than `nav.max_entries` children is listed in parts (the part
//! holding the current page, with links to the parts around it), so neither
//! the fragment nor each page grows with the section. That keeps the build
//! linear in the number of pages.
//!
//! Links in templates are written `{{ root }}{{ item.link }}`: `root` is the
//! relative way back to the site root (`../../`) and every `link` is relative
//! to the root, so the output works under any sub-path and from `file://`.

pub mod brand;
pub mod structured;
pub mod theme;

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use crate::config::SiteConfig;
use crate::content::FrontMatter;
use crate::derive::{Derived, Taxonomy, Term, taxonomy};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::i18n::Strings;
use crate::markdown::{Rendered, TocEntry};
use crate::model::{Child, PageId, SectionId, Site};
use crate::review::{self, Review};

pub use theme::{StaticFile, Theme};

/// Words read per minute, for `page.reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// Compiled templates.
pub struct Renderer {
    tera: Tera,
    sources: HashMap<String, String>,
    /// The site's branding of the theme.
    pub brand: brand::Brand,
}

/// A link to a page, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    /// Relative to the site root; write `{{ root }}{{ x.link }}`.
    pub link: String,
    pub description: Option<String>,
    pub is_section: bool,
}

/// One entry of the navigation tree.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub link: String,
    pub is_section: bool,
    /// True for the sections on the way to the current page: their
    /// children are listed.
    pub expanded: bool,
    /// The listed children, with `earlier` and `later` when a long
    /// section is listed in parts.
    #[serde(flatten)]
    pub children: NavList,
}

/// A list of the navigation: all of a section's children, or the part of
/// at most `nav.max_entries` of them that holds the current page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NavList {
    #[serde(rename = "children")]
    pub items: Vec<NavItem>,
    /// The part before this one, if the list is cut.
    pub earlier: Option<NavMore>,
    /// The part after this one, if the list is cut.
    pub later: Option<NavMore>,
}

/// A link to another part of a long section's list.
#[derive(Debug, Clone, Serialize)]
pub struct NavMore {
    /// Its first entry's link.
    pub link: String,
    /// Entry numbers (from 1) of the part's first and last entries, and
    /// how many the section has.
    pub first: usize,
    pub last: usize,
    pub total: usize,
}

/// The `page` variable of templates.
#[derive(Serialize)]
struct PageView<'a> {
    /// All front matter fields: `page.title`, `page.reviewed`, `page.extra`…
    #[serde(flatten)]
    front: &'a FrontMatter,
    content: &'a str,
    toc: &'a [TocEntry],
    link: String,
    path: &'a str,
    permalink: Option<String>,
    /// The Markdown file, relative to the site root.
    source: String,
    word_count: usize,
    reading_time: usize,
    is_section: bool,
    is_home: bool,
    prev: Option<LinkView>,
    next: Option<LinkView>,
    breadcrumbs: Vec<LinkView>,
    /// For section pages: the section's pages and subsections, in order.
    children: Vec<LinkView>,
    /// Medical review status and dates.
    review: Review,
    /// Keep the page out of search engines (no clinical review yet).
    noindex: bool,
    /// schema.org `MedicalWebPage` JSON-LD.
    json_ld: String,
    /// Up to five related pages.
    related: Vec<LinkView>,
    /// The page's taxonomy terms, with links to their pages.
    terms: Vec<TermLink>,
}

/// A taxonomy term as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub taxonomy: String,
    pub name: String,
    /// Relative to the site root.
    pub link: String,
    /// Pages carrying the term.
    pub count: usize,
}

impl Renderer {
    /// Compiles `theme`'s templates for `config`.
    pub fn new(
        theme: &Theme,
        config: &SiteConfig,
        strings: &Strings,
    ) -> Result<Renderer, Diagnostics> {
        let mut tera = Tera::new();
        let sources: HashMap<String, String> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.text.clone()))
            .collect();
        let prefixes = theme.fallback_prefixes();
        tera.set_fallback_prefixes(prefixes.clone())
            .map_err(|e| Diagnostics::from(Diagnostic::file("templates", e.to_string())))?;
        let dates = strings.clone();
        tera.register_filter("human_date", move |value: &str, _: Kwargs, _: &State| {
            human_date(&dates, value)
        });
        tera.global_context().insert("site", config);
        tera.global_context().insert("t", strings);
        let brand = brand::Brand::new(&config.branding);
        tera.global_context().insert(
            "brand_css",
            &brand.stylesheet.as_ref().map(|_| brand::BRAND_CSS),
        );
        tera.global_context()
            .insert("brand_footer", &brand.footer_html);
        let home = if config.pretty_links {
            "./"
        } else {
            "index.html"
        };
        tera.global_context().insert("home", home);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        )
        .map_err(|e| template_errors(&e, &sources, "templates"))?;
        let renderer = Renderer {
            tera,
            sources,
            brand,
        };
        for required in [
            "page.html",
            "section.html",
            "index.html",
            "404.html",
            "nav.html",
        ] {
            if !renderer.has_template(required) {
                return Err(Diagnostic::file(
                    format!("{}{required}", prefixes[1]),
                    format!("template `{required}` is missing"),
                )
                .with_help(
                    "every theme needs page.html, section.html, index.html, 404.html and nav.html",
                )
                .into());
            }
        }
        Ok(renderer)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| {
            n == name
                || n.strip_prefix("templates/") == Some(name)
                || n.ends_with(&format!("/templates/{name}"))
        })
    }

    /// The template a page uses.
    pub fn template_for(site: &Site, page: PageId) -> String {
        let p = &site.pages[page];
        if let Some(t) = &p.front().template {
            return t.clone();
        }
        if page == site.sections[0].index {
            "index.html".into()
        } else if p.kind.is_section() {
            "section.html".into()
        } else {
            "page.html".into()
        }
    }

    /// Renders the navigation fragment shared by the pages of `section`,
    /// for pages whose way back to the root is `root`.
    /// `part` is which part of the section's list to show when it has
    /// more than `nav.max_entries` entries (see [`nav_part`]).
    pub fn render_nav(
        &self,
        site: &Site,
        section: SectionId,
        part: usize,
        root: &str,
    ) -> Result<String, Diagnostic> {
        let open = site.ancestry(section);
        let list = nav_items(site, &open, 0, part);
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("nav", &list.items);
        ctx.insert("nav_earlier", &list.earlier);
        ctx.insert("nav_later", &list.later);
        self.tera
            .render("nav.html", &ctx)
            .map_err(|e| template_error(&e, &self.sources, "nav.html"))
    }

    /// Renders one page. `nav` is the fragment from [`Self::render_nav`]
    /// for this page's section and depth.
    pub fn render_page(
        &self,
        site: &Site,
        derived: &Derived,
        page: PageId,
        rendered: &Rendered,
        nav: &str,
    ) -> Result<String, Diagnostic> {
        let p = &site.pages[page];
        let root = p.root_prefix();
        let review = derived.review(page).clone();
        let noindex = review::noindex(&review, &site.config.review);
        let json_ld = structured::medical_web_page(site, page, &review);
        let view = PageView {
            front: &p.doc.front,
            content: &rendered.html,
            toc: &rendered.toc,
            link: site.link(page),
            path: &p.path,
            permalink: site.permalink(page),
            source: p.source.display().display().to_string().replace('\\', "/"),
            word_count: rendered.word_count,
            reading_time: rendered.word_count.div_ceil(WORDS_PER_MINUTE).max(1),
            is_section: p.kind.is_section(),
            is_home: page == site.sections[0].index,
            prev: p.prev.map(|id| link_view(site, id)),
            next: p.next.map(|id| link_view(site, id)),
            breadcrumbs: breadcrumbs(site, page),
            children: if p.kind.is_section() {
                site.sections[p.section]
                    .children
                    .iter()
                    .map(|c| link_view(site, site.child_page(*c)))
                    .collect()
            } else {
                Vec::new()
            },
            review,
            noindex,
            json_ld,
            related: derived
                .related
                .get(page)
                .map(|ids| ids.iter().map(|&id| link_view(site, id)).collect())
                .unwrap_or_default(),
            terms: page_terms(site, derived, page),
        };
        let nav = mark_current(nav, &root, &site.link(page));
        let mut ctx = Context::new();
        ctx.insert("root", &root);
        ctx.insert("page", &view);
        ctx.insert("nav", &nav);
        if site.glossary_page == Some(page)
            && let Some(g) = &site.glossary
        {
            ctx.insert("glossary", &glossary_groups(g));
        }
        let template = Self::template_for(site, page);
        if !self.has_template(&template) {
            return Err(p
                .error_at_key("template", format!("template `{template}` does not exist"))
                .with_help("put it in templates/ or in the theme's templates/ folder"));
        }
        self.tera
            .render(&template, &ctx)
            .map_err(|e| template_error(&e, &self.sources, &template))
    }

    /// Renders a taxonomy's page (`term: None`, all its terms) or one
    /// term's page, at output path `path`.
    pub fn render_taxonomy(
        &self,
        site: &Site,
        taxonomy: &Taxonomy,
        term: Option<&Term>,
    ) -> Result<String, Diagnostic> {
        let path = term.map_or_else(|| taxonomy.path(), |t| taxonomy.term_path(t));
        let root = "../".repeat(path.matches('/').count());
        let nav = self.render_nav(site, 0, 0, &root)?;
        let mut ctx = Context::new();
        ctx.insert("root", &root);
        ctx.insert("nav", &nav);
        ctx.insert("taxonomy", &taxonomy.name);
        ctx.insert("taxonomy_link", &link_to(site, &taxonomy.path()));
        ctx.insert(
            "permalink",
            &site
                .config
                .base_url
                .as_ref()
                .map(|base| format!("{base}{}", crate::model::encode_path(&path))),
        );
        let template = match term {
            None => {
                let terms: Vec<TermLink> = taxonomy
                    .terms
                    .iter()
                    .map(|t| TermLink {
                        taxonomy: taxonomy.name.clone(),
                        name: t.name.clone(),
                        link: link_to(site, &taxonomy.term_path(t)),
                        count: t.pages.len(),
                    })
                    .collect();
                ctx.insert("terms", &terms);
                "taxonomy.html"
            }
            Some(t) => {
                ctx.insert("term", &t.name);
                let pages: Vec<LinkView> = t.pages.iter().map(|&id| link_view(site, id)).collect();
                ctx.insert("pages", &pages);
                "taxonomy_term.html"
            }
        };
        self.tera
            .render(template, &ctx)
            .map_err(|e| template_error(&e, &self.sources, template))
    }

    /// Renders `404.html`. A server shows it at any depth, so its links are
    /// absolute: from the path of `base_url`, or from `/`.
    pub fn render_404(&self, site: &Site) -> Result<String, Diagnostic> {
        let root = site
            .config
            .base_url
            .as_deref()
            .map(base_path)
            .unwrap_or_else(|| "/".into());
        let nav = self.render_nav(site, 0, 0, &root)?;
        let mut ctx = Context::new();
        ctx.insert("root", &root);
        ctx.insert("nav", &nav);
        self.tera
            .render("404.html", &ctx)
            .map_err(|e| template_error(&e, &self.sources, "404.html"))
    }
}

/// One letter of the glossary page.
#[derive(Serialize)]
struct GlossaryGroup {
    letter: String,
    /// Id-safe form of the letter.
    id: String,
    terms: Vec<GlossaryEntry>,
}

#[derive(Serialize)]
struct GlossaryEntry {
    term: String,
    anchor: String,
    definition: String,
    aliases: Vec<String>,
    see_also: Vec<GlossaryRef>,
}

#[derive(Serialize)]
struct GlossaryRef {
    term: String,
    anchor: String,
}

/// The glossary's terms grouped by first letter, A–Z.
fn glossary_groups(g: &Glossary) -> Vec<GlossaryGroup> {
    let mut groups: Vec<GlossaryGroup> = Vec::new();
    for (i, t) in g.terms().iter().enumerate() {
        let letter: String = t
            .term
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        if groups.last().is_none_or(|last| last.letter != letter) {
            groups.push(GlossaryGroup {
                id: crate::slug::heading_id(&letter),
                letter,
                terms: Vec::new(),
            });
        }
        let see_also = g
            .see_also(i)
            .into_iter()
            .map(|j| GlossaryRef {
                term: g.terms()[j].term.clone(),
                anchor: g.anchor(j),
            })
            .collect();
        if let Some(group) = groups.last_mut() {
            group.terms.push(GlossaryEntry {
                term: t.term.clone(),
                anchor: g.anchor(i),
                definition: t.definition.clone(),
                aliases: t.aliases.clone(),
                see_also,
            });
        }
    }
    groups
}

/// The path part of a base URL (`https://a.org/docs/` → `/docs/`).
fn base_path(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/".into(), |i| rest[i..].to_string()),
        None => url.to_string(),
    }
}

/// The link to output path `path` (`tags/`), relative to the site root.
fn link_to(site: &Site, path: &str) -> String {
    let encoded = crate::model::encode_path(path);
    if site.config.pretty_links {
        encoded
    } else {
        format!("{encoded}index.html")
    }
}

fn page_terms(site: &Site, derived: &Derived, page: PageId) -> Vec<TermLink> {
    let mut out = Vec::new();
    for t in &derived.taxonomies {
        for raw in taxonomy::terms_of(site, page, &t.name) {
            let slug = crate::slug::heading_id(raw);
            if let Some(term) = t.terms.iter().find(|term| term.slug == slug) {
                out.push(TermLink {
                    taxonomy: t.name.clone(),
                    name: term.name.clone(),
                    link: link_to(site, &t.term_path(term)),
                    count: term.pages.len(),
                });
            }
        }
    }
    out
}

fn link_view(site: &Site, id: PageId) -> LinkView {
    let p = &site.pages[id];
    LinkView {
        title: p.title().to_string(),
        link: site.link(id),
        description: p.front().description.clone(),
        is_section: p.kind.is_section(),
    }
}

fn breadcrumbs(site: &Site, page: PageId) -> Vec<LinkView> {
    let p = &site.pages[page];
    let mut chain = site.ancestry(p.section);
    if p.kind.is_section() {
        chain.pop();
    }
    chain
        .into_iter()
        .map(|s| link_view(site, site.sections[s].index))
        .collect()
}

/// Deepest level of the navigation tree that is expanded. Themes render
/// the tree with a component that calls itself once per level, and tera
/// stops components nested more than 20 deep; below this level (50 nested
/// folders are possible) pages are reached through their section's page
/// and the breadcrumbs.
pub const NAV_MAX_DEPTH: usize = 16;

fn nav_items(site: &Site, open: &[SectionId], depth: usize, page_part: usize) -> NavList {
    let section = open[depth];
    let children = &site.sections[section].children;
    let max = site.config.nav.max_entries.get();
    // The part to show: the one holding the next open section on the way
    // to the page, or for the page's own section the page's part.
    let part = match open.get(depth + 1) {
        Some(&next) => site.pages[site.sections[next].index].position / max,
        None => page_part,
    };
    let start = (part * max).min(children.len().saturating_sub(1) / max * max);
    let end = (start + max).min(children.len());
    let more = |from: usize| NavMore {
        link: site.link(site.child_page(children[from])),
        first: from + 1,
        last: (from + max).min(children.len()),
        total: children.len(),
    };
    let items = children[start..end]
        .iter()
        .map(|c| match *c {
            Child::Page(p) => NavItem {
                title: site.pages[p].title().to_string(),
                link: site.link(p),
                is_section: false,
                expanded: false,
                children: NavList::default(),
            },
            Child::Section(s) => {
                let expanded = open.get(depth + 1) == Some(&s) && depth + 1 < NAV_MAX_DEPTH;
                NavItem {
                    title: site.pages[site.sections[s].index].title().to_string(),
                    link: site.link(site.sections[s].index),
                    is_section: true,
                    expanded,
                    children: if expanded {
                        nav_items(site, open, depth + 1, page_part)
                    } else {
                        NavList::default()
                    },
                }
            }
        })
        .collect();
    NavList {
        items,
        earlier: (start > 0).then(|| more(start - max)),
        later: (end < children.len()).then(|| more(end)),
    }
}

/// Which part of its section's navigation list page `id` is in.
pub fn nav_part(site: &Site, id: PageId) -> usize {
    let p = &site.pages[id];
    if p.kind.is_section() {
        0
    } else {
        p.position / site.config.nav.max_entries.get()
    }
}

/// Adds `aria-current="page"` to the nav link pointing at `link`.
fn mark_current(nav: &str, root: &str, link: &str) -> String {
    let mut href = Vec::new();
    let _ = tera::escape_html(&format!("{root}{link}"), &mut href);
    let needle = format!("href=\"{}\"", String::from_utf8_lossy(&href));
    match nav.find(&needle) {
        Some(i) => {
            let end = i + needle.len();
            let mut out = String::with_capacity(nav.len() + 24);
            out.push_str(&nav[..end]);
            out.push_str(" aria-current=\"page\"");
            out.push_str(&nav[end..]);
            out
        }
        None => nav.to_string(),
    }
}

/// `2026-03-03` → `3 March 2026` (in English: the NHS date style), as the
/// strings table writes dates.
fn human_date(strings: &Strings, value: &str) -> String {
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => strings.date(d),
        Err(_) => value.to_string(),
    }
}

/// Turns a tera error into a diagnostic naming the template file and line.
fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, String>,
    fallback: &str,
) -> Diagnostic {
    let mut all = template_errors(e, sources, fallback).0;
    all.sort_by_key(|d| (d.file.clone(), d.line, d.column));
    all.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::file(fallback, "template error"))
}

/// The template's path as the site holds it (`templates/page.html` or
/// `themes/default/templates/page.html`) for a name tera used (`page.html`).
fn template_path<'a>(sources: &'a HashMap<String, String>, name: &'a str) -> &'a str {
    if sources.contains_key(name) {
        return name;
    }
    let site = format!("templates/{name}");
    if let Some((k, _)) = sources.get_key_value(&site) {
        return k;
    }
    let theme = format!("/templates/{name}");
    let mut found: Vec<&String> = sources.keys().filter(|k| k.ends_with(&theme)).collect();
    found.sort();
    found.first().map_or(name, |k| k.as_str())
}

/// What to do about a template error in `file`.
fn template_help(file: &str, message: &str) -> String {
    let what = if message.contains("Unexpected end of input") {
        "a `{% if %}`, `{% for %}`, `{% block %}` or `{% component %}` tag is never closed: add its `{% end… %}` tag"
    } else if message.contains("recursion depth") {
        "a component calls itself without end: put the inner call inside an `{% if %}` that becomes false"
    } else {
        "fix the template"
    };
    if file.starts_with("templates/") {
        format!("{what} (or delete `{file}` to use the theme's own)")
    } else {
        what.to_string()
    }
}

/// Every problem in a tera error: compiling a set of templates reports all
/// unknown filters, functions and includes at once, as text.
fn template_errors(
    e: &tera::Error,
    sources: &HashMap<String, String>,
    fallback: &str,
) -> Diagnostics {
    let fallback = template_path(sources, fallback);
    let located = |name: &str, line: usize, col: usize, message: &str| {
        let name = template_path(sources, name);
        let text = sources.get(name).map_or("", String::as_str);
        Diagnostic::at(
            name,
            text,
            line.max(1),
            col.max(1),
            format!("template error: {message}"),
        )
        .with_help(template_help(name, message))
    };
    let d = match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                fallback
            } else {
                report.filename()
            };
            let span = report.span();
            located(name, span.start_line, span.start_col + 1, report.message())
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::file(
            template_path(sources, tpl),
            format!(
                "template error: templates include each other in a loop: {}",
                include_chain.join(" → ")
            ),
        )
        .with_help("remove one of the `{% include %}` tags of the loop"),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::file(
            template_path(sources, tpl),
            format!(
                "template error: templates extend each other in a loop: {} → {tpl}",
                inheritance_chain.join(" → ")
            ),
        )
        .with_help("a template may only extend a template that does not extend it back"),
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::file(
            template_path(sources, current),
            format!("template error: it extends `{parent}`, which does not exist"),
        )
        .with_help("fix the name in `{% extends %}`, or add the missing template"),
        tera::ErrorKind::Msg(message) => {
            // Reports rendered to text: "error: MESSAGE\n --> FILE:L:C …".
            let mut found = Diagnostics::default();
            let mut lines = message.lines().peekable();
            while let Some(line) = lines.next() {
                let Some(msg) = line.strip_prefix("error: ") else {
                    continue;
                };
                let at = lines
                    .peek()
                    .and_then(|l| l.trim_start().strip_prefix("--> "))
                    .and_then(|loc| {
                        let mut parts = loc.rsplitn(3, ':');
                        let col = parts.next()?.parse::<usize>().ok()?;
                        let line = parts.next()?.parse::<usize>().ok()?;
                        Some((parts.next()?.to_string(), line, col))
                    });
                found.push(match at {
                    Some((file, line, col)) => located(&file, line, col, msg),
                    None => Diagnostic::file(fallback, format!("template error: {msg}"))
                        .with_help(template_help(fallback, msg)),
                });
            }
            if !found.is_empty() {
                return found;
            }
            unlocated(e, fallback)
        }
        _ => unlocated(e, fallback),
    };
    d.into()
}

/// A template error tera gives no place for: reported against `fallback`.
fn unlocated(e: &tera::Error, fallback: &str) -> Diagnostic {
    let message = flatten(e);
    let help = template_help(fallback, &message);
    Diagnostic::file(fallback, format!("template error: {message}")).with_help(help)
}

fn flatten(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_link_is_marked_once() {
        let nav = r#"<a href="../a/index.html">A</a><a href="../b/index.html">B</a>"#;
        let out = mark_current(nav, "../", "b/index.html");
        assert_eq!(
            out,
            r#"<a href="../a/index.html">A</a><a href="../b/index.html" aria-current="page">B</a>"#
        );
    }

    /// A list as (titles listed, part before, part after), each part as
    /// `(first, last, total)`.
    type Part = (
        Vec<String>,
        Option<(usize, usize, usize)>,
        Option<(usize, usize, usize)>,
    );

    fn part(list: &NavList) -> Part {
        let span = |m: &Option<NavMore>| m.as_ref().map(|m| (m.first, m.last, m.total));
        (
            list.items.iter().map(|i| i.title.clone()).collect(),
            span(&list.earlier),
            span(&list.later),
        )
    }

    #[test]
    fn long_sections_are_listed_in_parts() {
        let page = |t: &str, w: u32| format!("---\ntitle: {t}\nweight: {w}\n---\nx\n");
        let mut files: Vec<(String, String)> = (1..=7)
            .map(|i| (format!("big/p{i}.md"), page(&format!("P{i}"), i)))
            .collect();
        files.push(("big/sub/_index.md".into(), page("Sub", 8)));
        files.push(("big/sub/deep.md".into(), page("Deep", 1)));
        files.push(("_index.md".into(), page("Home", 1)));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let mut site = crate::model::test_site(&refs);
        site.config.nav.max_entries = std::num::NonZeroUsize::new(3).unwrap();
        let list_of = |site: &Site, path: &str| {
            let id = site.page_at(path).unwrap();
            let open = site.ancestry(site.pages[id].section);
            // The list of `big/`, the first open section under the root.
            let root = nav_items(site, &open, 0, nav_part(site, id));
            assert_eq!(root.items.len(), 1, "the root has one child");
            root.items[0].children.clone()
        };
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // A page in the middle part: links to both neighbours.
        assert_eq!(
            part(&list_of(&site, "big/p5/")),
            (names(&["P4", "P5", "P6"]), Some((1, 3, 8)), Some((7, 8, 8)))
        );
        // The section's own page shows the first part.
        assert_eq!(
            part(&list_of(&site, "big/")),
            (names(&["P1", "P2", "P3"]), None, Some((4, 6, 8)))
        );
        // A page of a subsection: the part of `big/` holding the
        // subsection, which is open and lists its page.
        let list = list_of(&site, "big/sub/deep/");
        assert_eq!(part(&list), (names(&["P7", "Sub"]), Some((4, 6, 8)), None));
        assert!(list.items[1].expanded);
        assert_eq!(
            part(&list.items[1].children),
            (names(&["Deep"]), None, None)
        );
        // A part past the end (out of step with the list) shows the last.
        let big = site.page_at("big/").unwrap();
        let open = site.ancestry(site.pages[big].section);
        let last = nav_items(&site, &open, 1, 99);
        assert_eq!(part(&last), (names(&["P7", "Sub"]), Some((4, 6, 8)), None));
        // Without a limit in reach, nothing is cut.
        site.config.nav.max_entries = std::num::NonZeroUsize::new(50).unwrap();
        assert_eq!(part(&list_of(&site, "big/p5/")).0.len(), 8);
    }

    #[test]
    fn navigation_opens_nested_sections_down_to_the_depth_limit() {
        let page = |t: &str| format!("---\ntitle: {t}\n---\nx\n");
        let mut dir = String::new();
        let mut files = vec![("_index.md".to_string(), page("Home"))];
        for level in 1..=NAV_MAX_DEPTH + 3 {
            dir.push_str(&format!("d{level}/"));
            files.push((format!("{dir}_index.md"), page(&format!("Level {level}"))));
        }
        files.push((format!("{dir}leaf.md"), page("Leaf")));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let site = crate::model::test_site(&refs);
        let leaf = site.page_at(&format!("{dir}leaf/")).unwrap();
        let open = site.ancestry(site.pages[leaf].section);
        let mut list = nav_items(&site, &open, 0, nav_part(&site, leaf));
        let mut levels = 1;
        while let Some(open) = list.items.iter().find(|i| i.expanded) {
            assert_eq!(open.title, format!("Level {levels}"));
            list = open.children.clone();
            levels += 1;
        }
        assert_eq!(levels, NAV_MAX_DEPTH, "lists shown, the root's included");
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/docs/"), "/docs/");
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://example.org/a/b/"), "/a/b/");
        assert_eq!(base_path("/docs/"), "/docs/");
    }

    #[test]
    fn glossary_is_grouped_by_first_letter_with_links_between_terms() {
        let yaml = "- term: neutrophil\n  definition: A white cell.\n\
                    - term: apheresis\n  definition: Collecting cells.\n\
                    - term: anaemia\n  aliases: [anemia]\n  definition: Too few red cells.\n  see_also: [Neutrophil]\n\
                    - term: ward\n  definition: A room.\n";
        let g = Glossary::parse(std::path::Path::new("glossary.yaml"), yaml).unwrap();
        let groups = glossary_groups(&g);
        let shape: Vec<(&str, &str, Vec<&str>)> = groups
            .iter()
            .map(|gr| {
                let terms = gr.terms.iter().map(|t| t.term.as_str()).collect();
                (gr.letter.as_str(), gr.id.as_str(), terms)
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("A", "a", vec!["anaemia", "apheresis"]),
                ("N", "n", vec!["neutrophil"]),
                ("W", "w", vec!["ward"]),
            ]
        );
        let anaemia = &groups[0].terms[0];
        assert_eq!(anaemia.aliases, ["anemia"]);
        assert_eq!(anaemia.definition, "Too few red cells.");
        let see: Vec<(&str, &str)> = anaemia
            .see_also
            .iter()
            .map(|r| (r.term.as_str(), r.anchor.as_str()))
            .collect();
        assert_eq!(see, [("neutrophil", groups[1].terms[0].anchor.as_str())]);
        assert_ne!(anaemia.anchor, groups[0].terms[1].anchor);
    }

    #[test]
    fn template_help_says_what_to_do_and_offers_the_theme_s_own() {
        assert_eq!(
            template_help("themes/default/templates/page.html", "oops"),
            "fix the template"
        );
        assert_eq!(
            template_help("templates/page.html", "Unexpected end of input"),
            "a `{% if %}`, `{% for %}`, `{% block %}` or `{% component %}` tag is never closed: \
             add its `{% end… %}` tag (or delete `templates/page.html` to use the theme's own)"
        );
        assert!(
            template_help("templates/nav.html", "Reached maximum recursion depth")
                .starts_with("a component calls itself without end")
        );
    }

    #[test]
    fn dates_read_like_the_nhs() {
        let mut tera = Tera::new();
        let strings = Strings::english();
        tera.register_filter("human_date", move |v: &str, _: Kwargs, _: &State| {
            human_date(&strings, v)
        });
        tera.add_raw_template("t", "{{ d | human_date }}|{{ bad | human_date }}")
            .unwrap();
        let mut ctx = Context::new();
        ctx.insert("d", "2026-03-03");
        ctx.insert("bad", "soon");
        assert_eq!(tera.render("t", &ctx).unwrap(), "3 March 2026|soon");
    }
}

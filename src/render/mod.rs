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

pub(crate) mod brand;
mod errors;
mod glossary_page;
mod languages;
mod nav;
pub(crate) mod structured;
pub(crate) mod theme;

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use crate::config::SiteConfig;
use crate::content::FrontMatter;
use crate::derive::{Derived, Taxonomy, Term, taxonomy};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::markdown::{Rendered, TocEntry};
use crate::model::{PageId, SectionId, Site};
use crate::review::{self, Review};

pub(crate) use nav::nav_part;
pub(crate) use theme::{StaticFile, Theme};

use errors::{template_error, template_errors};
use glossary_page::glossary_groups;
use nav::{mark_current, nav_items};

/// The theme, its strings and compiled templates of a site.
pub(crate) struct Templates {
    pub(crate) theme: Theme,
    /// Each language's strings ([`crate::i18n::LangId`] order).
    pub(crate) strings: Vec<Strings>,
    /// Strings a language's table leaves out (`check` warns of them).
    pub(crate) untranslated: Vec<String>,
    pub(crate) renderer: Renderer,
}

/// Words read per minute, for `page.reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// Compiled templates.
pub(crate) struct Renderer {
    tera: Tera,
    /// Each language's strings, as templates see them (`t`).
    strings: Vec<Strings>,
    sources: HashMap<String, String>,
    /// The site's branding of the theme.
    pub brand: brand::Brand,
}

/// A link to a page, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView {
    pub title: String,
    /// Relative to the site root; write `{{ root }}{{ x.link }}`.
    pub link: String,
    pub description: Option<String>,
    pub is_section: bool,
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
    review: &'a Review,
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
pub(crate) struct TermLink {
    pub taxonomy: String,
    pub name: String,
    /// Relative to the site root.
    pub link: String,
    /// Pages carrying the term.
    pub count: usize,
}

impl Renderer {
    /// Compiles `theme`'s templates for `config`.
    pub(crate) fn new(
        theme: &Theme,
        config: &SiteConfig,
        strings: &[Strings],
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
        let dates = strings.to_vec();
        tera.register_filter(
            "human_date",
            move |value: &str, _: Kwargs, state: &State| {
                // In the language of the page being rendered.
                let lang = state.get::<usize>("lang_id").ok().flatten().unwrap_or(0);
                human_date(&dates[lang.min(dates.len() - 1)], value)
            },
        );
        tera.global_context().insert("site", config);
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
                // Shortcode templates are the shortcodes' own (see
                // `shortcodes::library`), never pages'.
                .filter(|t| !t.name.contains("templates/shortcodes/"))
                .map(|t| (t.name.as_str(), t.text.as_str())),
        )
        .map_err(|e| template_errors(&e, &sources, "templates"))?;
        let renderer = Renderer {
            tera,
            strings: strings.to_vec(),
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

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| {
            n == name
                || n.strip_prefix("templates/") == Some(name)
                || n.ends_with(&format!("/templates/{name}"))
        })
    }

    /// The template a page uses.
    pub(crate) fn template_for(site: &Site, page: PageId) -> String {
        let p = &site.pages[page];
        if let Some(t) = &p.front().template {
            return t.clone();
        }
        if site.is_home(page) {
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
    pub(crate) fn render_nav(
        &self,
        site: &Site,
        section: SectionId,
        part: usize,
        root: &str,
    ) -> Result<String, Diagnostic> {
        let open = site.ancestry(section);
        let list = nav_items(site, &open, 0, part);
        let mut ctx = Context::new();
        let lang = site.pages[site.sections[section].index].lang;
        languages::insert(&mut ctx, site, &self.strings, lang, None);
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
    pub(crate) fn render_page(
        &self,
        site: &Site,
        derived: &Derived,
        page: PageId,
        rendered: &Rendered,
        nav: &str,
    ) -> Result<String, Diagnostic> {
        let (ctx, template) = self.page_context(site, derived, page, rendered, nav)?;
        self.tera
            .render(&template, &ctx)
            .map_err(|e| template_error(&e, &self.sources, &template))
    }

    /// Runs page `page` through its template exactly as [`Self::render_page`]
    /// does, with the same context, but writes the HTML nowhere: `check`
    /// wants the template's errors, not a page of about 30 KB to drop.
    pub(crate) fn check_page(
        &self,
        site: &Site,
        derived: &Derived,
        page: PageId,
        rendered: &Rendered,
        nav: &str,
    ) -> Result<(), Diagnostic> {
        let (ctx, template) = self.page_context(site, derived, page, rendered, nav)?;
        self.tera
            .render_to(&template, &ctx, std::io::sink())
            .map_err(|e| template_error(&e, &self.sources, &template))
    }

    /// What page `page`'s template sees, and which template it is (an
    /// error if the template does not exist).
    fn page_context(
        &self,
        site: &Site,
        derived: &Derived,
        page: PageId,
        rendered: &Rendered,
        nav: &str,
    ) -> Result<(Context, String), Diagnostic> {
        let p = &site.pages[page];
        let root = p.root_prefix();
        let review = derived.review(page);
        let noindex = review::noindex(review, &site.config.review);
        let json_ld = structured::medical_web_page(site, page, review);
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
            is_home: site.is_home(page),
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
        languages::insert(&mut ctx, site, &self.strings, p.lang, Some((page, derived)));
        ctx.insert("root", &root);
        ctx.insert("page", &view);
        ctx.insert("nav", &nav);
        if site.is_glossary_page(page)
            && let Some(g) = site.glossary(p.lang)
        {
            ctx.insert("glossary", &glossary_groups(g));
        }
        let template = Self::template_for(site, page);
        if !self.has_template(&template) {
            return Err(p
                .error_at_key("template", format!("template `{template}` does not exist"))
                .with_help("put it in templates/ or in the theme's templates/ folder"));
        }
        Ok((ctx, template))
    }

    /// Renders a taxonomy's page (`term: None`, all its terms) or one
    /// term's page, at output path `path`.
    pub(crate) fn render_taxonomy(
        &self,
        site: &Site,
        taxonomy: &Taxonomy,
        term: Option<&Term>,
    ) -> Result<String, Diagnostic> {
        let path = term.map_or_else(|| taxonomy.path(), |t| taxonomy.term_path(t));
        let root = "../".repeat(path.matches('/').count());
        let home = site.root_of(taxonomy.lang).unwrap_or(0);
        let nav = self.render_nav(site, home, 0, &root)?;
        let mut ctx = Context::new();
        languages::insert(&mut ctx, site, &self.strings, taxonomy.lang, None);
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
    pub(crate) fn render_404(&self, site: &Site) -> Result<String, Diagnostic> {
        let root = site
            .config
            .base_url
            .as_ref()
            .map_or("/", |base| base.path());
        let nav = self.render_nav(site, 0, 0, root)?;
        let mut ctx = Context::new();
        languages::insert(&mut ctx, site, &self.strings, crate::i18n::DEFAULT, None);
        ctx.insert("root", &root);
        ctx.insert("nav", &nav);
        self.tera
            .render("404.html", &ctx)
            .map_err(|e| template_error(&e, &self.sources, "404.html"))
    }
}

impl Renderer {
    /// The theme's template for the full search results page.
    pub(crate) const SEARCH_PAGE: &'static str = "search_page.html";

    /// Renders the full search results page of `lang`, `search/index.html`
    /// or `zh/search/index.html` (results are filled in by `search.js`), if
    /// the theme has the template.
    pub(crate) fn render_search_page(
        &self,
        site: &Site,
        lang: crate::i18n::LangId,
    ) -> Option<Result<String, Diagnostic>> {
        if !site.config.search.enabled || !self.has_template(Self::SEARCH_PAGE) {
            return None;
        }
        let home = site.root_of(lang)?;
        let root = "../".repeat(1 + site.languages().get(lang).prefix(lang).matches('/').count());
        let root = root.as_str();
        let result = self.render_nav(site, home, 0, root).and_then(|nav| {
            let mut ctx = Context::new();
            languages::insert(&mut ctx, site, &self.strings, lang, None);
            ctx.insert("root", root);
            ctx.insert("nav", &nav);
            ctx.insert("search_page", &true);
            self.tera
                .render(Self::SEARCH_PAGE, &ctx)
                .map_err(|e| template_error(&e, &self.sources, Self::SEARCH_PAGE))
        });
        Some(result)
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
    let lang = site.pages[page].lang;
    for t in derived.taxonomies.iter().filter(|t| t.lang == lang) {
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

/// `2026-03-03` → `3 March 2026` (in English: the NHS date style), as the
/// strings table writes dates.
fn human_date(strings: &Strings, value: &str) -> String {
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => strings.date(d),
        Err(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        let base_path = |url: &str| {
            crate::config::BaseUrl::parse(url)
                .unwrap()
                .path()
                .to_string()
        };
        assert_eq!(base_path("https://example.org/docs/"), "/docs/");
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://example.org/a/b/"), "/a/b/");
        assert_eq!(base_path("/docs/"), "/docs/");
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

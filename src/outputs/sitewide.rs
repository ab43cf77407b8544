//! Files about the whole site: `sitemap.xml`, `robots.txt`, the Atom feed
//! of recently updated or reviewed pages ("What's changed"), and redirect
//! pages for old URLs (`aliases`) — printed leaflets carry old links for
//! years.
//!
//! Sitemaps and feeds need absolute URLs, so they are only written when the
//! site has a `base_url`; the build says so once when it has not.

use std::collections::HashMap;

use crate::content::Stamp;
use crate::derive::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::html::escape;
use crate::i18n::{LangId, Strings};
use crate::model::{PageId, Site, alias_path, encode_path, redirect_file};

/// Path of the Atom feed in the output.
pub(crate) const FEED: &str = "feed.xml";
/// How many entries the feed keeps.
pub(crate) const FEED_ENTRIES: usize = 20;

/// When a page last changed: the latest of `updated`, `reviewed` and
/// `date` (with the time, when one was written).
pub(crate) fn last_modified(site: &Site, page: PageId) -> Option<Stamp> {
    let f = site.pages[page].front();
    [f.updated, f.reviewed.map(Stamp::day), f.date]
        .into_iter()
        .flatten()
        .max()
}

/// `sitemap.xml`, or `None` without a `base_url`. On a site with
/// translations, each page lists its versions in every language
/// (`xhtml:link` alternates, itself included, as search engines ask).
pub(crate) fn sitemap(site: &Site, derived: &Derived) -> Option<String> {
    site.config.base_url.as_ref()?;
    let multilingual = site.languages().is_multilingual();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if multilingual {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for &id in &site.reading_order {
        if !derived.indexable(site, id) {
            continue;
        }
        let Some(url) = site.permalink(id) else {
            continue;
        };
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&url));
        xml.push_str("</loc>");
        if let Some(d) = last_modified(site, id) {
            xml.push_str(&format!("<lastmod>{}</lastmod>", d.date));
        }
        let versions: Vec<PageId> = site
            .versions(id)
            .iter()
            .copied()
            .filter(|&v| derived.indexable(site, v))
            .collect();
        if multilingual && versions.len() > 1 {
            for v in versions {
                let tag = &site.languages().get(site.pages[v].lang).tag;
                xml.push_str(&format!(
                    "\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape(tag),
                    escape(&site.permalink(v).unwrap_or_default())
                ));
            }
            xml.push_str("\n  ");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// `robots.txt`: everything may be crawled; points at the sitemap when
/// there is one.
pub(crate) fn robots(site: &Site) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        text.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    text
}

/// Where the feed of `lang` is written: `feed.xml`, `zh/feed.xml`.
pub(crate) fn feed_path(site: &Site, lang: LangId) -> String {
    format!("{}{FEED}", site.languages().get(lang).prefix(lang))
}

/// The Atom feed of the most recently updated or reviewed pages in
/// `lang`, or `None` without a `base_url`.
pub(crate) fn feed(
    site: &Site,
    derived: &Derived,
    strings: &Strings,
    lang: LangId,
) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    let language = site.languages().get(lang);
    let home = format!("{base}{}", language.prefix(lang));
    let mut pages: Vec<(Stamp, PageId)> = site
        .reading_order
        .iter()
        .filter(|&&id| site.pages[id].lang == lang)
        .filter_map(|&id| {
            // A translation changes when it is translated again.
            let translated = site.pages[id].front().translated.map(Stamp::day);
            last_modified(site, id).max(translated).map(|d| (d, id))
        })
        .collect();
    // Newest first; ties in reading order, so the feed is deterministic.
    pages.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    pages.truncate(FEED_ENTRIES);
    let updated = pages
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |(d, _)| d.rfc3339());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title} – {suffix}</title>\n  <id>{home}</id>\n  <link rel=\"alternate\" href=\"{home}\"/>\n  <link rel=\"self\" href=\"{home}{FEED}\"/>\n  <updated>{updated}</updated>\n",
        lang = escape(&language.tag),
        title = escape(language.title.as_deref().unwrap_or(&site.config.title)),
        suffix = escape(strings.get("feed_title_suffix")),
        home = escape(&home),
    );
    for (stamp, id) in pages {
        let p = &site.pages[id];
        let date = stamp.date;
        let moment = stamp.rfc3339();
        let url = escape(&site.permalink(id).unwrap_or_default());
        let reviewed = derived.review(id).last_reviewed == Some(date);
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{url}</id>\n    <link rel=\"alternate\" href=\"{url}\"/>\n    <updated>{moment}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(p.title()),
            escape(&if reviewed {
                strings.fill("feed_reviewed_on", &[("date", &strings.date(date))])
            } else {
                p.front().description.clone().unwrap_or_else(|| {
                    strings.fill("feed_updated_on", &[("date", &strings.date(date))])
                })
            }),
        ));
    }
    xml.push_str("</feed>\n");
    Some(xml)
}

/// Redirect pages for checked `aliases` ([`alias_targets`]): (output file,
/// HTML).
pub(crate) fn redirects(
    site: &Site,
    aliases: &[Alias],
    strings: &[Strings],
) -> Vec<(String, String)> {
    aliases
        .iter()
        .map(|a| {
            let depth = a.path.matches('/').count();
            let target = format!("{}{}", "../".repeat(depth), site.link(a.page));
            (
                redirect_file(&a.path),
                redirect_page(site, a.page, &target, &strings[site.pages[a.page].lang]),
            )
        })
        .collect()
}

/// One old address of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    /// As written in the front matter.
    pub alias: String,
    /// Output folder of the redirect page (`old/page/`), or its file for
    /// an old `.html` address (`old/page.html`).
    pub path: String,
    pub page: PageId,
}

impl Alias {
    /// An error about this alias, at its `aliases` line.
    pub(crate) fn error(&self, site: &Site, message: String) -> Diagnostic {
        site.pages[self.page].error_at_key("aliases", message)
    }
}

/// Every page's `aliases`, checked: an alias that is not a path of the
/// site, is a real page's URL, or that two pages claim, is an error.
pub(crate) fn alias_targets(site: &Site) -> Result<Vec<Alias>, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut claimed: HashMap<String, PageId> = HashMap::new();
    let mut out = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        for alias in &page.front().aliases {
            let at = |message: String| page.error_at_key("aliases", message);
            let path = match alias_path(alias) {
                Ok(path) => path,
                Err(why) => {
                    errors.push(at(format!("alias `{alias}` {why}")).with_help(
                        "write old addresses as site paths, such as /process/preparing-for-transplant/",
                    ));
                    continue;
                }
            };
            if let Some(other) = site.page_at(&path) {
                errors.push(
                    at(format!(
                        "alias `{alias}` is the address of `{}`",
                        site.pages[other].source.display().display()
                    ))
                    .with_help("remove the alias, or move that page first"),
                );
                continue;
            }
            if let Some(&other) = claimed.get(&path) {
                if other != id {
                    errors.push(
                        at(format!(
                            "alias `{alias}` is also an alias of `{}`",
                            site.pages[other].source.display().display()
                        ))
                        .with_help("an old address can lead to one page only"),
                    );
                }
                continue;
            }
            claimed.insert(path.clone(), id);
            out.push(Alias {
                alias: alias.clone(),
                path,
                page: id,
            });
        }
    }
    errors.into_result().map(|()| out)
}

/// A page that sends the browser on to `target`. Its icon is empty: a
/// page without one makes browsers ask the server root for /favicon.ico,
/// which the site (under a sub-path, or with another theme) may not have.
fn redirect_page(site: &Site, id: PageId, target: &str, strings: &Strings) -> String {
    let title = escape(site.pages[id].title());
    let href = escape(&encode_path(target));
    let canonical = site
        .permalink(id)
        .map(|u| format!("<link rel=\"canonical\" href=\"{}\">\n", escape(&u)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} – {site_title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"icon\" href=\"data:,\">\n{canonical}</head>\n<body>\n<main>\n<h1>{heading}</h1>\n<p>{body}</p>\n</main>\n</body>\n</html>\n",
        lang = escape(&site.languages().get(site.pages[id].lang).tag),
        site_title = escape(&site.config.title),
        heading = escape(strings.get("redirect_heading")),
        body = strings.fill_html(
            "redirect_body",
            &[("link", &format!("<a href=\"{href}\">{title}</a>"))]
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;
    use chrono::NaiveDate;

    fn derived(site: &Site, today: NaiveDate) -> Derived {
        Derived::new(site, today).unwrap()
    }

    // The sitemap as it is made on `today`.
    fn sitemap(site: &Site, today: NaiveDate) -> Option<String> {
        super::sitemap(site, &derived(site, today))
    }

    fn feed(site: &Site) -> Option<String> {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        super::feed(site, &derived(site, today), &Strings::english(), 0)
    }

    // Redirect pages for every alias, or the alias errors.
    fn aliases(site: &Site) -> Result<Vec<(String, String)>, Diagnostics> {
        alias_targets(site).map(|a| redirects(site, &a, &[Strings::english()]))
    }

    fn site_with_base(files: &[(&str, &str)]) -> Site {
        let mut site = test_site(files);
        site.config.base_url = crate::config::BaseUrl::parse("https://example.org/docs/").ok();
        site
    }

    const HOME: (&str, &str) = (
        "_index.md",
        "---\ntitle: Home & more\nreviewed: 2026-01-10\n---\n",
    );

    #[test]
    fn sitemap_lists_indexable_pages_with_lastmod() {
        let site = site_with_base(&[
            HOME,
            (
                "a.md",
                "---\ntitle: A\nreviewed: 2026-02-01\nupdated: 2026-03-01\n---\n",
            ),
            ("b.md", "---\ntitle: B never reviewed\n---\n"),
        ]);
        let today = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let xml = sitemap(&site, today).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let urls: Vec<(String, Option<String>)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("url"))
            .map(|u| {
                let child = |name: &str| {
                    u.children()
                        .find(|c| c.has_tag_name(name))
                        .and_then(|c| c.text())
                        .map(str::to_string)
                };
                (child("loc").unwrap(), child("lastmod"))
            })
            .collect();
        assert_eq!(
            urls,
            [
                (
                    "https://example.org/docs/".to_string(),
                    Some("2026-01-10".to_string())
                ),
                (
                    "https://example.org/docs/a/".to_string(),
                    Some("2026-03-01".to_string())
                ),
            ],
            "never-reviewed pages are kept out"
        );
        assert!(
            sitemap(&test_site(&[HOME]), today).is_none(),
            "needs a base_url"
        );
        assert!(robots(&site).contains("Sitemap: https://example.org/docs/sitemap.xml"));
    }

    #[test]
    fn feed_has_newest_first_and_escapes() {
        let site = site_with_base(&[
            HOME,
            (
                "a.md",
                "---\ntitle: A\nupdated: 2026-03-01\ndescription: About <A>\n---\n",
            ),
            ("b.md", "---\ntitle: B\nreviewed: 2026-05-05\n---\n"),
            ("c.md", "---\ntitle: C no dates\n---\n"),
        ]);
        let xml = feed(&site).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let feed = doc.root_element();
        assert_eq!(
            feed.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        let entries: Vec<_> = feed
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .collect();
        let text = |n: &roxmltree::Node, name: &str| {
            n.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
                .unwrap_or("")
                .to_string()
        };
        let titles: Vec<String> = entries.iter().map(|e| text(e, "title")).collect();
        assert_eq!(titles, ["B", "A", "Home & more"]);
        assert_eq!(
            text(&entries[0], "summary"),
            "Clinically reviewed on 5 May 2026."
        );
        assert_eq!(text(&entries[1], "summary"), "About <A>");
        assert_eq!(text(&entries[0], "updated"), "2026-05-05T00:00:00Z");
        assert_eq!(text(&feed, "updated"), "2026-05-05T00:00:00Z");
    }

    #[test]
    fn aliases_redirect_and_collisions_are_errors() {
        let site = test_site(&[
            HOME,
            ("p/_index.md", "---\ntitle: P\n---\n"),
            (
                "p/new.md",
                "---\ntitle: New\naliases: [/old/page/, old-two]\n---\n",
            ),
        ]);
        let pages = aliases(&site).unwrap();
        let (path, html) = &pages[0];
        assert_eq!(path, "old/page/index.html");
        assert!(
            html.contains("content=\"0; url=../../p/new/index.html\""),
            "{html}"
        );
        assert!(html.contains("<a href=\"../../p/new/index.html\">New</a>"));
        assert_eq!(pages[1].0, "old-two/index.html");

        let site = test_site(&[
            HOME,
            ("p/_index.md", "---\ntitle: P\n---\n"),
            ("p/a.md", "---\ntitle: A\naliases: [/p/]\n---\n"),
            ("p/b.md", "---\ntitle: B\n\naliases: [/gone/]\n---\n"),
            (
                "p/c.md",
                "---\ntitle: C\naliases: [/gone/, 'https://x.org/']\n---\n",
            ),
        ]);
        let errors = aliases(&site).unwrap_err();
        let text = errors.to_string();
        assert!(
            text.contains("content/p/a.md:3:1")
                && text.contains("is the address of `content/p/_index.md`"),
            "{text}"
        );
        assert!(text.contains("also an alias of `content/p/b.md`"), "{text}");
        assert!(text.contains("is a full address"), "{text}");
    }
}

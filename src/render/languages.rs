//! What templates know about languages: the page's language (for `lang`
//! and `dir`), its strings table, the versions of the page in other
//! languages (switcher, `hreflang`), and on a translation, where it came
//! from and whether it has fallen behind.

use serde::Serialize;
use tera::Context;

use crate::derive::Derived;
use crate::i18n::{DEFAULT, LangId, Strings};
use crate::model::{PageId, Site};

/// The page's language, as templates see it (`lang`).
#[derive(Debug, Serialize)]
struct LangView<'a> {
    code: &'a str,
    tag: &'a str,
    name: String,
    dir: &'static str,
    default: bool,
    /// Its folder in the built site: `""`, `zh/`.
    prefix: String,
    /// The site's title, description and disclaimer in this language.
    title: &'a str,
    description: &'a str,
    disclaimer: &'a str,
}

/// One version of the page (`translations`).
#[derive(Debug, Serialize)]
struct VersionView<'a> {
    code: &'a str,
    tag: &'a str,
    name: String,
    dir: &'static str,
    /// Relative to the site root.
    href: String,
    permalink: Option<String>,
    current: bool,
}

/// A link for `x_default`.
#[derive(Debug, Serialize)]
struct DefaultView {
    href: String,
    permalink: Option<String>,
}

/// Where a translation came from (`translation`).
#[derive(Debug, Serialize)]
struct TranslationView {
    source_href: Option<String>,
    source_title: Option<String>,
    source_language: String,
    translated: Option<String>,
    translator: Option<String>,
    stale: bool,
    source_updated: Option<String>,
}

/// The name of `lang` in itself.
fn language_name(site: &Site, lang: LangId) -> String {
    site.languages().get(lang).name.clone()
}

/// Adds what templates need to know about `lang` (and, for a page, its
/// versions and translation state) to `ctx`.
pub(super) fn insert(
    ctx: &mut Context,
    site: &Site,
    strings: &[Strings],
    lang: LangId,
    page: Option<(PageId, &Derived)>,
) {
    let l = site.languages().get(lang);
    let table = &strings[lang.min(strings.len() - 1)];
    ctx.insert("t", table);
    ctx.insert("lang_id", &lang);
    ctx.insert(
        "lang",
        &LangView {
            code: &l.code,
            tag: &l.tag,
            name: language_name(site, lang),
            dir: l.dir,
            default: lang == DEFAULT,
            prefix: l.prefix(lang),
            title: l.title.as_deref().unwrap_or(&site.config.title),
            description: l.description.as_deref().unwrap_or(&site.config.description),
            disclaimer: l.disclaimer.as_deref().unwrap_or(&site.config.disclaimer),
        },
    );
    let prefix = l.prefix(lang);
    ctx.insert(
        "search_base",
        &format!("{prefix}{}/", crate::search::SEARCH_DIR),
    );
    let home = site
        .root_of(lang)
        .map_or_else(|| "./".to_string(), |s| site.link(site.sections[s].index));
    ctx.insert("home_href", &home);
    let Some((page, derived)) = page else {
        ctx.insert("translations", &Vec::<VersionView>::new());
        ctx.insert("x_default", &None::<DefaultView>);
        ctx.insert("translation", &None::<TranslationView>);
        return;
    };
    let versions: Vec<VersionView> = site
        .versions(page)
        .iter()
        .map(|&v| {
            let vl = site.pages[v].lang;
            let language = site.languages().get(vl);
            VersionView {
                code: &language.code,
                tag: &language.tag,
                name: language_name(site, vl),
                dir: language.dir,
                href: site.link(v),
                permalink: site.permalink(v),
                current: v == page,
            }
        })
        .collect();
    let x_default = (versions.len() > 1)
        .then(|| site.version_in(page, DEFAULT))
        .flatten()
        .map(|v| DefaultView {
            href: site.link(v),
            permalink: site.permalink(v),
        });
    ctx.insert("translations", &versions);
    ctx.insert("x_default", &x_default);
    let translation = (lang != DEFAULT && !site.pages[page].kind.is_generated()).then(|| {
        let front = site.pages[page].front();
        let state = derived.translation(page);
        let source = site.source_of(page);
        TranslationView {
            source_href: source.map(|s| site.link(s)),
            source_title: source.map(|s| site.pages[s].title().to_string()),
            source_language: language_name(site, DEFAULT),
            translated: front.translated.map(|d| table.date(d)),
            translator: front.translator.clone(),
            stale: state.is_some_and(|s| s.is_stale()),
            source_updated: state.and_then(|s| s.source_changed).map(|d| table.date(d)),
        }
    });
    ctx.insert("translation", &translation);
}

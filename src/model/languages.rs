//! Translations in the model: which language each file is in, which pages
//! are versions of one another, and the questions later stages ask about
//! them ("this page in Chinese", "the home page of Arabic").

use std::collections::HashSet;
use std::path::Path;

use crate::content::{CONTENT_DIR, Discovered, LoadedPage};
use crate::diagnostics::Diagnostic;
use crate::glossary::Glossary;
use crate::i18n::{DEFAULT, LangId, Languages};

use super::{PageId, SectionId, Site};

/// Loaded pages by language, each with its key (the default language's
/// file it translates), and an error for every translation whose source
/// file is not in `content/`.
pub(super) fn split(
    loaded: Vec<LoadedPage>,
    discovered: &Discovered,
    langs: &Languages,
) -> (Vec<Vec<(String, LoadedPage)>>, Vec<Diagnostic>) {
    let sources: HashSet<&str> = discovered
        .pages
        .iter()
        .map(|p| p.rel.as_str())
        .filter(|rel| langs.split(rel).1 == DEFAULT)
        .collect();
    let mut by_language: Vec<Vec<(String, LoadedPage)>> = vec![Vec::new(); langs.len()];
    let mut errors = Vec::new();
    for page in loaded {
        let (key, lang) = langs.split(&page.source.rel);
        let key = key.into_owned();
        if lang != DEFAULT && !sources.contains(key.as_str()) {
            errors.push(orphan(&page, &key, langs.get(lang).name.as_str()));
            continue;
        }
        by_language[lang].push((key, page));
    }
    (by_language, errors)
}

/// The error for a translation without its source page.
fn orphan(page: &LoadedPage, key: &str, language: &str) -> Diagnostic {
    let source = Path::new(CONTENT_DIR).join(key);
    Diagnostic::file(
        page.source.display(),
        format!(
            "this is the {language} translation of `{}`, which does not exist",
            source.display()
        ),
    )
    .with_help(format!(
        "restore `{}` (or rename this translation after the page it translates now); a translation lives beside its source page",
        source.display()
    ))
}

impl Site {
    /// Records which pages are versions of one another.
    pub(super) fn index_versions(&mut self) {
        self.by_key.clear();
        for (id, page) in self.pages.iter().enumerate() {
            self.by_key.entry(page.key.clone()).or_default().push(id);
        }
        let pages = &self.pages;
        for ids in self.by_key.values_mut() {
            ids.sort_by_key(|&id| pages[id].lang);
            ids.dedup_by_key(|id| pages[*id].lang);
        }
    }

    /// Every version of `page` (itself included), in language order.
    pub(crate) fn versions(&self, page: PageId) -> &[PageId] {
        self.by_key
            .get(&self.pages[page].key)
            .map_or(&[][..], Vec::as_slice)
    }

    /// `page` in `lang`, when it is translated into it.
    pub(crate) fn version_in(&self, page: PageId, lang: LangId) -> Option<PageId> {
        if self.pages[page].lang == lang {
            return Some(page);
        }
        self.versions(page)
            .iter()
            .copied()
            .find(|&id| self.pages[id].lang == lang)
    }

    /// The page a translation was made from (its default-language
    /// version), if it is a translation and that page is on the site.
    pub(crate) fn source_of(&self, page: PageId) -> Option<PageId> {
        if self.pages[page].lang == DEFAULT {
            return None;
        }
        self.version_in(page, DEFAULT)
    }

    /// The root section of `lang`, when it has pages.
    pub(crate) fn root_of(&self, lang: LangId) -> Option<SectionId> {
        self.roots.get(lang).copied().flatten()
    }

    /// Whether `page` is a home page (of any language).
    pub(crate) fn is_home(&self, page: PageId) -> bool {
        let p = &self.pages[page];
        p.kind.is_section() && self.sections[p.section].parent.is_none()
    }

    /// The glossary of `lang`, if it has one.
    pub(crate) fn glossary(&self, lang: LangId) -> Option<&Glossary> {
        self.glossaries.get(lang)?.as_ref()
    }

    /// The glossary page of `lang`, if it has one.
    pub(crate) fn glossary_page(&self, lang: LangId) -> Option<PageId> {
        self.glossary_pages.get(lang).copied().flatten()
    }

    /// Whether `page` is a glossary page (of any language).
    pub(crate) fn is_glossary_page(&self, page: PageId) -> bool {
        self.pages[page].kind == super::PageKind::Glossary
    }

    /// The site's languages.
    pub(crate) fn languages(&self) -> &Languages {
        &self.config.langs
    }
}

//! `site.yaml`: the site-wide settings, typed.
//!
//! The file is optional; every key has a default so a folder holding only
//! `content/` builds. Unknown keys are an error with the nearest valid key,
//! because a misspelt setting that is silently ignored is worse than none.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::path::Path;

use serde::{Deserialize, Serialize};

mod languages;

pub(crate) use languages::{DEFAULT, LangId, Languages};

use crate::color::Rgb;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The settings of one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SiteConfig {
    /// Shown in the header and in every page's `<title>`.
    pub title: String,
    /// The site's one-sentence summary (meta description of the home page).
    pub description: String,
    /// Where the site will be hosted, e.g. `https://example.org/docs/`. Only
    /// needed for absolute URLs (canonical links); internal links are
    /// relative so the output works anywhere, including `file://`.
    #[serde(skip_deserializing)]
    pub base_url: Option<BaseUrl>,
    /// `base_url` as written, checked into [`SiteConfig::base_url`].
    #[serde(rename = "base_url", skip_serializing)]
    written_base_url: Option<String>,
    /// BCP 47 language tag for `<html lang>`: the default language.
    pub language: String,
    /// Translations, keyed by the code used in file names and URLs
    /// (`zh: { name: 简体中文, language: zh-Hans }`), in the order the
    /// language switcher lists them.
    pub languages: indexmap::IndexMap<String, LanguageSettings>,
    /// `language` and `languages` checked and resolved, set by
    /// [`SiteConfig::parse`].
    #[serde(skip)]
    pub langs: Languages,
    /// Theme folder under `themes/`; `default` is built in.
    pub theme: String,
    /// Link to folders (`process/conditioning/`) instead of their
    /// `index.html`. Prettier on a web server, but such links do not open
    /// from `file://`, so it is off by default.
    pub pretty_links: bool,
    /// What broken links, images and anchors are: `error` (the default)
    /// stops the build; `warn` reports them and builds anyway, for a site
    /// brought in from elsewhere whose old links are fixed one by one.
    pub links: LinkPolicy,
    /// Text of the medical disclaimer the theme shows on every page.
    pub disclaimer: String,
    /// Optional "Was this page helpful?" link shown on every page.
    pub feedback: Option<Feedback>,
    /// The urgent-care advice the `{{ urgent() }}` shortcode shows. Kept
    /// here, once, so the phone number cannot differ between pages.
    pub urgent: Option<Urgent>,
    /// Medical review governance.
    pub review: ReviewConfig,
    /// Readability targets.
    pub readability: ReadabilityConfig,
    /// The glossary file, relative to the site root.
    pub glossary: String,
    /// The site search: `search: false` turns it off,
    /// `search: { include_unreviewed: false }` leaves out medical pages
    /// without a clinical review.
    pub search: SearchConfig,
    /// Taxonomies besides `tags` (e.g. `conditions`): pages list their
    /// terms under `taxonomies:` in front matter.
    pub taxonomies: Vec<String>,
    /// A hospital's branding of the default theme.
    pub branding: Branding,
    /// The navigation menu.
    pub nav: NavConfig,
    /// Reader-facing strings of the theme replaced one by one
    /// (`strings: { glossary_title: Word list }`); keys are those of the
    /// theme's `i18n/<language>.yaml`.
    pub strings: BTreeMap<String, String>,
    /// Free settings for themes.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// What to do in an emergency, and the number to call: `urgent: { text:
/// "…", phone: "…" }`, with an optional `title` above the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Urgent {
    pub text: String,
    pub phone: String,
    #[serde(default)]
    pub title: Option<String>,
}

/// One entry of `languages:`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct LanguageSettings {
    /// The language's name in itself, for the switcher: `简体中文`.
    pub name: String,
    /// Its BCP 47 tag (`zh-Hans`); the code when left out.
    pub language: Option<String>,
    /// The site's title in this language.
    pub title: Option<String>,
    /// The site's description in this language.
    pub description: Option<String>,
    /// The medical disclaimer in this language (`disclaimer` when left
    /// out, which a reader of this language may not understand).
    pub disclaimer: Option<String>,
}

/// `links:` in `site.yaml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LinkPolicy {
    /// Broken links stop the build.
    #[default]
    Error,
    /// Broken links are warnings: listed by `build` and `check`, and
    /// `check --strict` still fails on them.
    Warn,
}

/// Where readers can say what they think of a page (PIF TICK asks for a
/// feedback route).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Feedback {
    /// A `mailto:` or `https:` address.
    pub url: String,
    #[serde(default = "Feedback::default_text")]
    pub text: String,
}

impl Feedback {
    fn default_text() -> String {
        "Was this page helpful? Tell us".into()
    }
}

/// Branding of the default theme, so a hospital need not copy templates
/// to look like itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Branding {
    /// Colour of links, focus rings and the current page in the menu. It
    /// is adjusted where needed so text stays WCAG AA in both schemes.
    pub accent: Option<Rgb>,
    /// A file of the built site (e.g. `logo.svg` from `static/`), shown
    /// before the site title. Decorative: the title stays the link text.
    pub logo: Option<String>,
    /// Short footer text, inline Markdown.
    pub footer: Option<String>,
}

/// The navigation menu every page carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct NavConfig {
    /// Most entries listed for one section. A longer section is listed in
    /// parts of this size (the part holding the current page) with links
    /// to the parts before and after, so a page's menu, and the build,
    /// stay the same size however many pages a section has.
    pub max_entries: NonZeroUsize,
}

impl Default for NavConfig {
    fn default() -> Self {
        NavConfig {
            max_entries: const { NonZeroUsize::new(50).unwrap() },
        }
    }
}

/// How often pages are medically reviewed, and how overdue or unreviewed
/// pages are flagged (the NHS "Next review due" pattern).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReviewConfig {
    /// Review governance at all: `false` for writers' guides and
    /// non-medical sites turns off review notices and dates, `noindex`,
    /// MedicalWebPage JSON-LD and readability errors.
    pub enabled: bool,
    /// Months from `reviewed` to the next review, unless a page sets
    /// `next_review`.
    pub interval_months: u32,
    /// A review due within this many days is flagged by `marrow check`.
    pub warn_days: u32,
    /// Show a notice on pages whose review is overdue.
    pub overdue_notice: bool,
    /// Show a notice on medical pages without a clinical review (sources
    /// checked only, or not reviewed at all).
    pub unreviewed_notice: bool,
    /// Keep medical pages without a clinical review out of search engines.
    pub noindex_unreviewed: bool,
    /// Pages that are not medical content (say `authoring/`), as path
    /// prefixes under `content/`: no review dates or notices.
    pub exempt: Vec<String>,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            enabled: true,
            interval_months: 12,
            warn_days: 30,
            overdue_notice: true,
            unreviewed_notice: true,
            noindex_unreviewed: true,
            exempt: Vec::new(),
        }
    }
}

/// The site search. Written as `search: true|false` or as a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SearchConfig {
    /// Build a search index and show the search box.
    pub enabled: bool,
    /// Search medical pages that no clinician has reviewed yet (they carry
    /// their notice, and results show their review state).
    pub include_unreviewed: bool,
    /// Ranking weights by content path: a folder (`authoring/`) or a file
    /// (`about/sources.md`), so a site can rank its patient pages above its
    /// writer's guide. The longest match wins; front matter
    /// (`search: { weight: … }`) wins over both. Default 1.
    pub weight: BTreeMap<String, f64>,
    /// Words or phrases that mean the same to a reader (`[chemo,
    /// chemotherapy]`), besides the glossary's terms and aliases.
    pub synonyms: Vec<Vec<String>>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            include_unreviewed: true,
            weight: BTreeMap::new(),
            synonyms: Vec::new(),
        }
    }
}

/// The range a search weight must be in: above 0 (0 would hide a page
/// that is still listed as searchable), at most 100.
pub(crate) fn valid_search_weight(w: f64) -> bool {
    w > 0.0 && w <= 100.0
}

impl<'de> Deserialize<'de> for SearchConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(default, deny_unknown_fields)]
        struct Full {
            enabled: bool,
            include_unreviewed: bool,
            weight: BTreeMap<String, f64>,
            synonyms: Vec<Vec<String>>,
        }
        impl Default for Full {
            fn default() -> Self {
                let d = SearchConfig::default();
                Full {
                    enabled: d.enabled,
                    include_unreviewed: d.include_unreviewed,
                    weight: d.weight,
                    synonyms: d.synonyms,
                }
            }
        }
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = SearchConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                // Worded for people by `yaml`'s error messages.
                f.write_str("a switch or its settings")
            }
            fn visit_bool<E: serde::de::Error>(self, enabled: bool) -> Result<SearchConfig, E> {
                Ok(SearchConfig {
                    enabled,
                    ..SearchConfig::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SearchConfig, A::Error> {
                use serde::de::Error;
                let f = Full::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                if let Some((path, w)) = f.weight.iter().find(|(_, w)| !valid_search_weight(**w)) {
                    return Err(A::Error::custom(format!(
                        "search weight {w} for `{path}` must be above 0 and at most 100 (1 is the default; 0.3 ranks pages lower)"
                    )));
                }
                if let Some(group) = f.synonyms.iter().find(|g| g.len() < 2) {
                    return Err(A::Error::custom(format!(
                        "a synonyms group needs at least two words or phrases, found {group:?}"
                    )));
                }
                Ok(SearchConfig {
                    enabled: f.enabled,
                    include_unreviewed: f.include_unreviewed,
                    weight: f.weight,
                    synonyms: f.synonyms,
                })
            }
        }
        d.deserialize_any(Either)
    }
}

/// Readability targets for patient information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ReadabilityConfig {
    /// Highest acceptable Flesch–Kincaid grade (8: the NIH recommendation
    /// for patient materials). Pages may set their own `max_grade`.
    pub max_grade: f64,
    /// Words left out of syllable counting (besides glossary terms):
    /// medical words that cannot be made simpler.
    pub ignore_terms: Vec<String>,
}

impl Default for ReadabilityConfig {
    fn default() -> Self {
        ReadabilityConfig {
            max_grade: 8.0,
            ignore_terms: Vec::new(),
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Documentation".into(),
            description: String::new(),
            base_url: None,
            written_base_url: None,
            language: "en".into(),
            languages: indexmap::IndexMap::new(),
            langs: Languages::default(),
            theme: "default".into(),
            pretty_links: false,
            links: LinkPolicy::Error,
            disclaimer: "This information is for general education. It does not replace \
                         the advice of your doctor, nurse or transplant team, who know \
                         your situation."
                .into(),
            feedback: None,
            urgent: None,
            review: ReviewConfig::default(),
            readability: ReadabilityConfig::default(),
            glossary: "content/glossary.yaml".into(),
            taxonomies: Vec::new(),
            search: SearchConfig::default(),
            branding: Branding::default(),
            nav: NavConfig::default(),
            strings: BTreeMap::new(),
            extra: BTreeMap::new(),
        }
    }
}

/// The file name marrow looks for in the site root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

impl SiteConfig {
    /// Reads `ROOT/site.yaml`, or returns the defaults when there is none.
    pub(crate) fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text =
            match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(SiteConfig::default());
                }
                Err(e) => {
                    return Err(Diagnostic::file(CONFIG_FILE, format!("cannot read: {e}"))
                        .with_help(if e.kind() == std::io::ErrorKind::InvalidData {
                            "save the file as UTF-8 text"
                        } else {
                            "check the file's permissions"
                        }));
                }
            };
        Self::parse(&text)
    }

    /// Parses the text of a `site.yaml`.
    pub(crate) fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: SiteConfig = yaml::from_str(text).map_err(|e| {
            let help = if e.message.starts_with("expected a group of settings") {
                // The whole file is not `key: value` lines.
                Some(
                    "site.yaml holds `setting: value` lines, e.g. `title: Transplant guide`".into(),
                )
            } else {
                e.help
            };
            let d = Diagnostic::at(CONFIG_FILE, text, e.line, e.column, e.message);
            match help {
                Some(h) => d.with_help(h),
                None => d,
            }
        })?;
        config.langs = Languages::from_config(&config, text)?;
        if let Some(logo) = &mut config.branding.logo {
            // A path in the built site, however it was written.
            *logo = logo.trim_start_matches('/').to_string();
        }
        if let Some(written) = config.written_base_url.take() {
            config.base_url = Some(BaseUrl::parse(&written).map_err(|m| {
                let keys = yaml::KeyPositions::of(text, 1);
                let (line, column) = keys.key("base_url").map_or((1, 1), |k| k.at.pair());
                Diagnostic::at(CONFIG_FILE, text, line, column, m)
                    .with_help("write it as https://example.org/ or https://example.org/docs/")
            })?);
        }
        Ok(config)
    }
}

/// The site's public address, checked once and parsed with `url`: absolute
/// (`https://example.org/docs/`), or a path from the server's root
/// (`/docs/`) for a site whose host is not known yet. It always ends with
/// exactly one `/`, so a page's path is simply appended to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct BaseUrl {
    url: url::Url,
    /// Written as a path: shown without the placeholder origin.
    path_only: bool,
}

/// The origin a path-only base URL is parsed against; never shown.
const PATH_ONLY_ORIGIN: &str = "http://path-only.invalid/";

impl BaseUrl {
    /// Checks a base URL as written and gives it one trailing slash.
    pub fn parse(written: &str) -> Result<BaseUrl, String> {
        let written = written.trim();
        let bad = || format!("base URL `{written}` must start with http://, https:// or /");
        let path_only = written.starts_with('/') && !written.starts_with("//");
        let parsed = if path_only {
            url::Url::parse(PATH_ONLY_ORIGIN).and_then(|origin| origin.join(written))
        } else {
            url::Url::parse(written)
        };
        let mut url = parsed.map_err(|e| {
            if written.contains("://") || path_only {
                format!("base URL `{written}` is not a valid address: {e}")
            } else {
                bad()
            }
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(bad());
        }
        let path = format!("{}/", url.path().trim_end_matches('/'));
        url.set_path(&path);
        Ok(BaseUrl { url, path_only })
    }

    /// The address as links use it.
    pub fn as_str(&self) -> &str {
        let full = self.url.as_str();
        match self.path_only {
            true => &full[PATH_ONLY_ORIGIN.len() - 1..],
            false => full,
        }
    }

    /// The path part (`https://a.org/docs/` → `/docs/`).
    pub fn path(&self) -> &str {
        self.url.path()
    }
}

impl std::ops::Deref for BaseUrl {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<BaseUrl> for String {
    fn from(b: BaseUrl) -> String {
        b.as_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_defaults_only_when_the_file_is_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let c = SiteConfig::load(tmp.path()).unwrap();
        assert_eq!(c.title, SiteConfig::default().title);

        std::fs::write(tmp.path().join(CONFIG_FILE), b"title: caf\xe9\n").unwrap();
        let d = SiteConfig::load(tmp.path()).unwrap_err();
        assert_eq!(d.location(), "site.yaml");
        assert_eq!(d.help.as_deref(), Some("save the file as UTF-8 text"));

        std::fs::remove_file(tmp.path().join(CONFIG_FILE)).unwrap();
        std::fs::create_dir(tmp.path().join(CONFIG_FILE)).unwrap();
        let d = SiteConfig::load(tmp.path()).unwrap_err();
        assert!(d.message.starts_with("cannot read"), "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("check the file's permissions"));
    }

    #[test]
    fn missing_keys_take_defaults() {
        let c = SiteConfig::parse("title: Transplant guide\n").unwrap();
        assert_eq!(c.title, "Transplant guide");
        assert_eq!(c.theme, "default");
        assert!(!c.pretty_links);
    }

    #[test]
    fn unknown_key_names_the_closest() {
        let d = SiteConfig::parse("title: x\nbase_ulr: https://a.org\n").unwrap_err();
        assert_eq!(d.location(), "site.yaml:2:1");
        assert!(
            d.message.contains("did you mean `base_url`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn nested_settings_have_defaults_and_reject_typos() {
        let c = SiteConfig::parse("search: false\n").unwrap();
        assert!(!c.search.enabled && c.search.include_unreviewed);
        let c = SiteConfig::parse("search:\n  include_unreviewed: false\n").unwrap();
        assert!(c.search.enabled && !c.search.include_unreviewed);
        assert!(SiteConfig::parse("search:\n  include_unreviewd: false\n").is_err());
        let c = SiteConfig::parse("review: { enabled: false }\n").unwrap();
        assert!(!c.review.enabled);
        let c = SiteConfig::parse("review:\n  interval_months: 24\n").unwrap();
        assert_eq!(c.review.interval_months, 24);
        assert_eq!(c.review.warn_days, 30);
        assert_eq!(c.readability.max_grade, 8.0);
        let d = SiteConfig::parse("review:\n  interval_month: 24\n").unwrap_err();
        assert_eq!(d.location(), "site.yaml:2:3");
        assert!(
            d.message.contains("did you mean `interval_months`"),
            "{}",
            d.message
        );
        let c = SiteConfig::parse("feedback:\n  url: mailto:a@b.org\n").unwrap();
        assert_eq!(c.feedback.unwrap().text, "Was this page helpful? Tell us");
    }

    #[test]
    fn branding_colour_errors_point_at_the_value() {
        let c = SiteConfig::parse("branding:\n  accent: \"#7A1F5C\"\n").unwrap();
        assert_eq!(c.branding.accent, Some(Rgb::new(0x7a, 0x1f, 0x5c)));
        let d = SiteConfig::parse("title: a\nbranding:\n  accent: crimson\n").unwrap_err();
        assert_eq!(d.line, Some(3), "{}", d.message);
        assert!(d.message.contains("#rrggbb"), "{}", d.message);
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let c = SiteConfig::parse("base_url: https://example.org/docs//\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://example.org/docs/"));
        let d = SiteConfig::parse("title: a\nbase_url: example.org\n").unwrap_err();
        assert_eq!(d.line, Some(2));
    }
}

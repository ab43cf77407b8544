//! The languages a site is written in: the default one (`language:` in
//! `site.yaml`) and its translations (`languages:`), each with the short
//! code used in file names (`engraftment.zh.md`) and URLs (`/zh/…`), its
//! BCP 47 tag for `lang` and `hreflang`, and its writing direction.

use serde::Serialize;

use super::{CONFIG_FILE, SiteConfig};
use crate::diagnostics::Diagnostic;

/// Index into [`Languages`]; 0 is the site's default language.
pub(crate) type LangId = usize;

/// The default language's [`LangId`].
pub(crate) const DEFAULT: LangId = 0;

/// Primary subtags of languages written right to left.
const RIGHT_TO_LEFT: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi",
];

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Language {
    /// In file names and URLs: `zh`. The default language's is the primary
    /// subtag of its tag (`en` for `en-GB`).
    pub code: String,
    /// BCP 47 tag: `zh-Hans`.
    pub tag: String,
    /// Shown in the language switcher, in the language itself. The default
    /// language's is a common language's own name (`English`), unless
    /// `languages:` names it.
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The site's title, description and disclaimer in this language,
    /// when given.
    pub title: Option<String>,
    pub description: Option<String>,
    pub disclaimer: Option<String>,
}

impl Language {
    /// The folder of this language's pages in the built site: `""` for
    /// the default language, `zh/` for the others.
    pub(crate) fn prefix(&self, id: LangId) -> String {
        if id == DEFAULT {
            String::new()
        } else {
            format!("{}/", self.code)
        }
    }
}

/// The writing direction of a BCP 47 tag, from its primary subtag (and an
/// explicit script subtag: `az-Arab` is right to left, `ku-Latn` is not).
pub(crate) fn direction(tag: &str) -> &'static str {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    let script = parts
        .find(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase);
    let rtl = match script.as_deref() {
        Some("arab" | "hebr" | "thaa" | "syrc" | "nkoo" | "adlm" | "rohg") => true,
        Some(_) => false,
        None => RIGHT_TO_LEFT.contains(&primary.as_str()),
    };
    if rtl { "rtl" } else { "ltr" }
}

/// The site's languages, the default one first, then `languages:` in the
/// order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Languages(Vec<Language>);

impl Default for Languages {
    fn default() -> Languages {
        Languages::single("en")
    }
}

impl Languages {
    /// The languages `config` declares, checked: codes are short lowercase
    /// names that can be part of a file name and a URL, and none repeats
    /// the default language.
    pub(crate) fn from_config(config: &SiteConfig, text: &str) -> Result<Languages, Diagnostic> {
        let default_code = primary_subtag(&config.language);
        let mut list = vec![Language {
            name: own_name(&default_code).unwrap_or(&default_code).to_string(),
            code: default_code.clone(),
            tag: config.language.clone(),
            dir: direction(&config.language),
            title: None,
            description: None,
            disclaimer: None,
        }];
        let at = |code: &str| {
            let keys = crate::yaml::KeyPositions::of(text, 1);
            keys.key("languages")
                .and_then(|l| l.value.key(code).map(|k| k.at.pair()))
                .or_else(|| keys.key("languages").map(|k| k.at.pair()))
                .unwrap_or((1, 1))
        };
        for (code, lang) in &config.languages {
            let (line, column) = at(code);
            let error = |m: String| Diagnostic::at(CONFIG_FILE, text, line, column, m);
            if !valid_code(code) {
                return Err(error(format!("language code `{code}` cannot be used in file names and URLs"))
                    .with_help("use a short lowercase code such as `zh`, `ar` or `pt-br` (letters, digits, `-`)"));
            }
            if *code == default_code {
                // Naming the default language: only its display name counts.
                list[DEFAULT].name.clone_from(&lang.name);
                continue;
            }
            let tag = lang.language.clone().unwrap_or_else(|| code.clone());
            if tag.trim().is_empty() || tag.contains(char::is_whitespace) {
                return Err(error(format!("language `{code}` has no usable BCP 47 tag"))
                    .with_help(
                        "write it as `language: zh-Hans` (or leave it out to use the code)",
                    ));
            }
            list.push(Language {
                code: code.clone(),
                dir: direction(&tag),
                tag,
                name: if lang.name.is_empty() {
                    code.clone()
                } else {
                    lang.name.clone()
                },
                title: lang.title.clone(),
                description: lang.description.clone(),
                disclaimer: lang.disclaimer.clone(),
            });
        }
        Ok(Languages(list))
    }

    /// Only the default language, for sites without `languages:`.
    pub(crate) fn single(tag: &str) -> Languages {
        let code = primary_subtag(tag);
        Languages(vec![Language {
            name: own_name(&code).unwrap_or(&code).to_string(),
            code,
            tag: tag.into(),
            dir: direction(tag),
            title: None,
            description: None,
            disclaimer: None,
        }])
    }

    pub(crate) fn get(&self, id: LangId) -> &Language {
        &self.0[id.min(self.0.len() - 1)]
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the site has translations at all.
    pub(crate) fn is_multilingual(&self) -> bool {
        self.0.len() > 1
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (LangId, &Language)> {
        self.0.iter().enumerate()
    }

    /// The language of a translation's code (`zh`), never the default's.
    pub(crate) fn by_code(&self, code: &str) -> Option<LangId> {
        self.0
            .iter()
            .skip(1)
            .position(|l| l.code == code)
            .map(|i| i + 1)
    }

    /// Splits a path under `content/` into the source it translates and
    /// the translation's language: `process/engraftment.zh.md` →
    /// (`process/engraftment.md`, zh). Files of other languages than the
    /// site's (`a.fr.md` on a site without French) are their own source.
    pub(crate) fn split<'a>(&self, rel: &'a str) -> (std::borrow::Cow<'a, str>, LangId) {
        for ext in [".md", ".yaml", ".yml"] {
            let Some(stem) = rel.strip_suffix(ext) else {
                continue;
            };
            let Some((base, code)) = stem.rsplit_once('.') else {
                continue;
            };
            if base.is_empty() || base.ends_with('/') {
                continue;
            }
            if let Some(id) = self.by_code(code) {
                return (format!("{base}{ext}").into(), id);
            }
        }
        (rel.into(), DEFAULT)
    }

    /// The file translating `rel` (a default-language path) into `lang`.
    pub(crate) fn translated_path(&self, rel: &str, lang: LangId) -> String {
        if lang == DEFAULT {
            return rel.to_string();
        }
        let code = &self.get(lang).code;
        match rel.rsplit_once('.') {
            Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => {
                format!("{stem}.{code}.{ext}")
            }
            _ => format!("{rel}.{code}"),
        }
    }
}

/// The name of a common language in itself, for the default language's
/// entry in the switcher when `site.yaml` does not name it.
fn own_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "English",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "pt" => "Português",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "zh" => "中文",
        "ja" => "日本語",
        "ar" => "العربية",
        "ur" => "اردو",
        "bn" => "বাংলা",
        "hi" => "हिन्दी",
        "tr" => "Türkçe",
        "ru" => "Русский",
        _ => return None,
    })
}

/// `en` for `en-GB`, lowercased.
fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// A language code usable in a file name and a URL segment.
fn valid_code(code: &str) -> bool {
    (2..=12).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(yaml: &str) -> Result<Languages, Diagnostic> {
        let config = SiteConfig::parse(yaml)?;
        Languages::from_config(&config, yaml)
    }

    #[test]
    fn the_default_comes_first_then_languages_in_written_order() {
        let l = site(
            "language: en-GB\nlanguages:\n  zh: { name: 简体中文, language: zh-Hans }\n  ar: { name: العربية }\n",
        )
        .unwrap();
        let codes: Vec<_> = l
            .iter()
            .map(|(_, l)| (l.code.as_str(), l.tag.as_str(), l.dir))
            .collect();
        assert_eq!(
            codes,
            [
                ("en", "en-GB", "ltr"),
                ("zh", "zh-Hans", "ltr"),
                ("ar", "ar", "rtl")
            ]
        );
        assert_eq!(l.by_code("ar"), Some(2));
        assert_eq!(l.by_code("en"), None, "the default language has no suffix");
        assert_eq!(l.get(2).dir, "rtl");
        assert_eq!(l.get(1).prefix(1), "zh/");
        assert_eq!(l.get(0).prefix(0), "");
    }

    #[test]
    fn file_names_split_into_source_and_language() {
        let l = site("languages: { zh: { name: 中文 } }\n").unwrap();
        assert_eq!(
            l.split("process/engraftment.zh.md"),
            ("process/engraftment.md".into(), 1)
        );
        assert_eq!(
            l.split("process/_index.zh.md"),
            ("process/_index.md".into(), 1)
        );
        assert_eq!(l.split("glossary.zh.yaml"), ("glossary.yaml".into(), 1));
        assert_eq!(
            l.split("a.fr.md"),
            ("a.fr.md".into(), 0),
            "not a language of the site"
        );
        assert_eq!(l.split("zh.md"), ("zh.md".into(), 0));
        assert_eq!(l.split("x/.zh.md"), ("x/.zh.md".into(), 0));
        assert_eq!(
            l.translated_path("process/_index.md", 1),
            "process/_index.zh.md"
        );
        assert_eq!(l.translated_path("glossary.yaml", 1), "glossary.zh.yaml");
    }

    #[test]
    fn directions_follow_the_language_and_an_explicit_script() {
        for (tag, dir) in [
            ("ar", "rtl"),
            ("he-IL", "rtl"),
            ("fa", "rtl"),
            ("ur-PK", "rtl"),
            ("az-Arab", "rtl"),
            ("ku-Latn", "ltr"),
            ("zh-Hans", "ltr"),
            ("en", "ltr"),
        ] {
            assert_eq!(direction(tag), dir, "{tag}");
        }
    }

    #[test]
    fn bad_codes_are_located_errors() {
        let e = site("title: x\nlanguages:\n  Zh Hans: { name: x }\n").unwrap_err();
        assert_eq!(e.location(), "site.yaml:3:3");
        assert!(
            e.message.contains("cannot be used in file names"),
            "{}",
            e.message
        );
        let l = site("language: en\nlanguages:\n  en: { name: English }\n  zh: {}\n").unwrap();
        assert_eq!(l.get(0).name, "English");
        assert_eq!(l.get(1).name, "zh", "no name: its code");
        assert_eq!(site("language: de-AT\n").unwrap().get(0).name, "Deutsch");
        assert_eq!(l.len(), 2);
    }
}

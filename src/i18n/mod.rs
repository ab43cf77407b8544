//! Reader-facing strings: the words marrow itself writes into a site
//! (callout titles, hidden link labels, the glossary page's title, feed
//! summaries, dates), one table per language.
//!
//! They live in the theme, not in Rust, so a site in another language
//! needs a YAML file and no code: `themes/<theme>/i18n/<language>.yaml`
//! holds a table, and `site.yaml` may override single strings. The default
//! theme's English table (`themes/default/i18n/en.yaml`) is compiled in,
//! both as the fallback for every key a table leaves out and as the list
//! of keys there are, so a misspelt key is an error with a suggestion
//! rather than a string that silently stays English.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Datelike;
use serde::Serialize;

use crate::config::CONFIG_FILE;

pub(crate) use crate::config::{DEFAULT, LangId, Languages};
use crate::diagnostics::{Diagnostic, Diagnostics, suggest};

/// The text of `themes/default/i18n/en.yaml`, embedded so a site without a
/// `themes/` folder still has every string.
const ENGLISH: &str = include_str!("../../themes/default/i18n/en.yaml");

/// Where the English table is, for messages.
const ENGLISH_FILE: &str = "themes/default/i18n/en.yaml";

/// One language's reader-facing strings, every key present (those the
/// theme and site leave out are English). Serializes as a map from key to
/// text, which templates see as `t`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(crate) struct Strings {
    table: BTreeMap<String, String>,
}

impl Strings {
    /// The built-in English table (themes/default/i18n/en.yaml). Parses
    /// the embedded YAML on every call: build it once and pass it on.
    pub(crate) fn english() -> Strings {
        // The embedded file is checked by this module's tests.
        let table = crate::yaml::from_str(ENGLISH).unwrap_or_else(|e: crate::yaml::YamlError| {
            panic!("{ENGLISH_FILE}:{}:{}: {}", e.line, e.column, e.message)
        });
        Strings { table }
    }

    /// A theme's table for `language` (the path to show in messages and
    /// the YAML text of `i18n/<language>.yaml`, or `None` when the theme
    /// has none), with the site's single-string overrides applied on top.
    /// Keys missing from both stay English. Keys English does not have are
    /// errors naming the file (`site.yaml` for overrides), with a "did you
    /// mean".
    pub(crate) fn load(
        theme_table: Option<(&Path, &str)>,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Strings, Diagnostics> {
        let mut strings = Strings::english();
        let mut errors = Diagnostics::default();
        if let Some((path, text)) = theme_table {
            match crate::yaml::from_str::<BTreeMap<String, String>>(text) {
                Ok(table) => {
                    for (key, value) in table {
                        match strings.table.get_mut(&key) {
                            Some(slot) => *slot = value,
                            None => errors.push(strings.unknown_in_table(path, text, &key)),
                        }
                    }
                }
                Err(e) => {
                    let d = Diagnostic::at(path, text, e.line, e.column, e.message);
                    errors.push(match e.help {
                        Some(help) => d.with_help(help),
                        None => d,
                    });
                }
            }
        }
        for (key, value) in overrides {
            match strings.table.get_mut(key) {
                Some(slot) => slot.clone_from(value),
                None => errors.push(
                    Diagnostic::file(CONFIG_FILE, format!("unknown reader-facing string `{key}`"))
                        .with_help(strings.help_for(key)),
                ),
            }
        }
        if errors.is_empty() {
            Ok(strings)
        } else {
            errors.sort();
            Err(errors)
        }
    }

    /// The keys of the English table that a table's YAML text does not
    /// have (those it shows in English).
    pub(crate) fn keys_missing_from(text: &str) -> Vec<String> {
        let table: BTreeMap<String, serde_yaml::Value> =
            crate::yaml::from_str(text).unwrap_or_default();
        Strings::english()
            .table
            .into_keys()
            .filter(|k| !table.contains_key(k))
            .collect()
    }

    /// The text of `key`. Every key of the English table is present; a key
    /// that is not one of them (a bug in the caller) is empty.
    pub(crate) fn get(&self, key: &str) -> &str {
        self.table.get(key).map_or("", String::as_str)
    }

    /// The text of `key` with each `{name}` of `args` replaced by its value.
    /// Placeholders without a value are left as written.
    pub(crate) fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        substitute(self.get(key), args)
    }

    /// Like [`fill`](Self::fill), for HTML (and XML): the table's text is
    /// escaped, the values are inserted as they are, so a value may be
    /// markup (a link) and must be escaped by the caller if it is text.
    pub(crate) fn fill_html(&self, key: &str, args: &[(&str, &str)]) -> String {
        substitute(&crate::html::escape(self.get(key)), args)
    }

    /// `d` in the table's style: `date_format` with `{day}`, `{month}` (the
    /// name, `month_1` … `month_12`), `{month_number}` and `{year}`.
    /// English: "3 March 2026" (the NHS style).
    pub(crate) fn date(&self, d: chrono::NaiveDate) -> String {
        let month = self.get(&format!("month_{}", d.month()));
        substitute(
            self.get("date_format"),
            &[
                ("day", &d.day().to_string()),
                ("month", month),
                ("month_number", &d.month().to_string()),
                ("year", &d.year().to_string()),
            ],
        )
    }

    fn unknown_in_table(&self, path: &Path, text: &str, key: &str) -> Diagnostic {
        let message = format!("unknown reader-facing string `{key}`");
        let d = match key_position(text, key) {
            Some((line, column)) => Diagnostic::at(path, text, line, column, message),
            None => Diagnostic::file(path, message),
        };
        d.with_help(self.help_for(key))
    }

    fn help_for(&self, key: &str) -> String {
        match suggest(key, self.table.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                format!("the strings there are, and what each is for, are listed in {ENGLISH_FILE}")
            }
        }
    }
}

/// `template` with `{name}` replaced by the value of `name` in `args`, in
/// one pass (a value holding braces is not filled again).
fn substitute(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Line and column (1-based) where `key:` is written in a flat YAML map,
/// quoted or not, to point an error at it.
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start();
        let indent = line.chars().count() - trimmed.chars().count();
        let rest = ["\"", "'", ""].iter().find_map(|q| {
            let r = trimmed.strip_prefix(q)?.strip_prefix(key)?;
            r.strip_prefix(q)
        })?;
        rest.trim_start()
            .starts_with(':')
            .then_some((i + 1, indent + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn overrides(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn english_is_the_default_theme_table() {
        let en = Strings::english();
        assert_eq!(en.get("callout_note"), "Note");
        assert_eq!(en.get("feed_title_suffix"), "What's changed");
        assert_eq!(en.get("month_12"), "December");
        assert_eq!(en.get("no_such_key"), "");
        let on_disk =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ENGLISH_FILE))
                .unwrap();
        assert_eq!(on_disk, ENGLISH, "stale build: the embedded table differs");
        assert!(en.table.values().all(|v| !v.trim().is_empty()));
    }

    #[test]
    fn a_theme_table_replaces_what_it_has_and_english_fills_the_rest() {
        let path = Path::new("themes/t/i18n/fr.yaml");
        let s = Strings::load(
            Some((path, "# French\ncallout_note: Remarque\nmonth_3: mars\n")),
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(s.get("callout_note"), "Remarque");
        assert_eq!(s.get("callout_tip"), "Tip", "missing keys stay English");
        assert_eq!(s.date(date(2026, 3, 3)), "3 mars 2026");
        assert_eq!(
            Strings::load(None, &BTreeMap::new()).unwrap(),
            Strings::english()
        );
    }

    #[test]
    fn site_overrides_win_over_the_theme_table() {
        let s = Strings::load(
            Some((Path::new("t.yaml"), "callout_note: Remarque\n")),
            &overrides(&[("callout_note", "À noter"), ("table_label", "Tableau")]),
        )
        .unwrap();
        assert_eq!(s.get("callout_note"), "À noter");
        assert_eq!(s.get("table_label"), "Tableau");
    }

    #[test]
    fn unknown_keys_are_located_errors_with_a_suggestion() {
        let path = Path::new("themes/t/i18n/fr.yaml");
        let e = Strings::load(
            Some((path, "callout_note: Remarque\n\"callout_tipp\": Astuce\n")),
            &overrides(&[("heading_anchor_lable", "x"), ("zzz", "y")]),
        )
        .unwrap_err();
        let found: Vec<_> = e
            .iter()
            .map(|d| (d.location(), d.message.as_str(), d.help.as_deref().unwrap()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "site.yaml".to_string(),
                    "unknown reader-facing string `heading_anchor_lable`",
                    "did you mean `heading_anchor_label`?"
                ),
                (
                    "site.yaml".to_string(),
                    "unknown reader-facing string `zzz`",
                    "the strings there are, and what each is for, are listed in themes/default/i18n/en.yaml"
                ),
                (
                    "themes/t/i18n/fr.yaml:2:1".to_string(),
                    "unknown reader-facing string `callout_tipp`",
                    "did you mean `callout_tip`?"
                ),
            ]
        );
    }

    #[test]
    fn yaml_errors_point_into_the_table() {
        let path = Path::new("themes/t/i18n/fr.yaml");
        let e =
            Strings::load(Some((path, "callout_note: [a, b]\n")), &BTreeMap::new()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e.iter()
                .next()
                .unwrap()
                .location()
                .starts_with("themes/t/i18n/fr.yaml:1:")
        );
    }

    #[test]
    fn dates_in_english_are_the_nhs_style() {
        let en = Strings::english();
        assert_eq!(en.date(date(2026, 3, 3)), "3 March 2026");
        assert_eq!(en.date(date(2027, 12, 31)), "31 December 2027");
        // The same as chrono's `%-d %B %Y`, which this replaces.
        for (m, d) in [(1, 1), (5, 5), (9, 28), (10, 10)] {
            let day = date(2025, m, d);
            assert_eq!(en.date(day), day.format("%-d %B %Y").to_string());
        }
    }

    #[test]
    fn another_language_writes_its_date_pattern_in_the_table() {
        let zh = Strings::load(
            Some((
                Path::new("themes/t/i18n/zh.yaml"),
                "date_format: \"{year}年{month_number}月{day}日\"\n",
            )),
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(zh.date(date(2026, 3, 3)), "2026年3月3日");
        let ar = Strings::load(
            Some((
                Path::new("themes/t/i18n/ar.yaml"),
                "month_3: مارس\ndate_format: \"{day} {month}، {year}\"\n",
            )),
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(ar.date(date(2026, 3, 3)), "3 مارس، 2026");
    }

    #[test]
    fn placeholders_are_filled_once() {
        let en = Strings::english();
        assert_eq!(
            en.fill("feed_reviewed_on", &[("date", "5 May 2026")]),
            "Clinically reviewed on 5 May 2026."
        );
        assert_eq!(
            substitute("{a}{b} {c} {", &[("a", "{b}"), ("b", "B")]),
            "{b}B {c} {"
        );
        assert_eq!(
            en.fill_html("redirect_body", &[("link", "<a href=\"x\">X &amp; Y</a>")]),
            "It is now at <a href=\"x\">X &amp; Y</a>."
        );
        let s = Strings::load(None, &overrides(&[("redirect_body", "<{link}> & more")])).unwrap();
        assert_eq!(
            s.fill_html("redirect_body", &[("link", "<a>")]),
            "&lt;<a>&gt; &amp; more"
        );
    }

    #[test]
    fn templates_see_a_map() {
        let json = serde_json::to_value(Strings::english()).unwrap();
        assert_eq!(json["glossary_title"], "Glossary");
    }
}

//! Hugo's `[frontmatter]` settings: which front matter keys (or the file
//! name) give a page's date, publish date, last change and expiry. The
//! answer is written back under the keys the shared mapping reads
//! (`date`, `lastmod`, `expirydate`), so `published: 2020-10-07` is the
//! page's date when the site says so, as it was on the old site.

use serde_json::{Map, Value};

use crate::import::SourcePage;
use crate::import::front::date_of;
use crate::import::report::{Finding, Kind};
use crate::import::rewrite::shortcodes::lookup;

/// For each of Hugo's four dates, the keys to try in order (lower case;
/// `:filename` for a `2024-01-02-name.md` file name).
#[derive(Debug, Clone)]
pub(crate) struct DateKeys {
    date: Vec<String>,
    publish: Vec<String>,
    lastmod: Vec<String>,
    expiry: Vec<String>,
}

/// Hugo's defaults, as its documentation gives them.
const DATE: [&str; 6] = [
    "date",
    "publishdate",
    "pubdate",
    "published",
    "lastmod",
    "modified",
];
const PUBLISH: [&str; 4] = ["publishdate", "pubdate", "published", "date"];
const LASTMOD: [&str; 7] = [
    "lastmod",
    "modified",
    "date",
    "publishdate",
    "pubdate",
    "published",
    ":git",
];
const EXPIRY: [&str; 2] = ["expirydate", "unpublishdate"];

impl DateKeys {
    pub(crate) fn from_settings(settings: &Value) -> DateKeys {
        let fm = lookup(settings, "frontmatter");
        let keys = |name: &str, default: &[&str]| -> Vec<String> {
            let defaults = || default.iter().map(|s| s.to_string());
            match fm.and_then(|f| lookup(f, name)).and_then(Value::as_array) {
                Some(list) => list
                    .iter()
                    .filter_map(Value::as_str)
                    .flat_map(|k| -> Vec<String> {
                        if k.eq_ignore_ascii_case(":default") {
                            defaults().collect()
                        } else {
                            vec![k.to_lowercase()]
                        }
                    })
                    .collect(),
                None => defaults().collect(),
            }
        };
        DateKeys {
            date: keys("date", &DATE),
            publish: keys("publishdate", &PUBLISH),
            lastmod: keys("lastmod", &LASTMOD),
            expiry: keys("expirydate", &EXPIRY),
        }
    }

    /// Settles `page`'s dates by the site's rules; `file` is its file name.
    pub(crate) fn apply(&self, page: &mut SourcePage, file: &str, findings: &mut Vec<Finding>) {
        let (date, slug) = from_file_name(file);
        let found = |keys: &[String], page: &SourcePage| -> Option<(String, String)> {
            keys.iter().find_map(|k| {
                if k == ":filename" {
                    return date.clone().map(|d| (k.clone(), d));
                }
                page.front
                    .iter()
                    .find(|(key, v)| key.eq_ignore_ascii_case(k) && date_of(v).is_some())
                    .and_then(|(key, v)| Some((key.clone(), v.as_str()?.to_string())))
            })
        };
        let date_is = found(&self.date, page).or_else(|| found(&self.publish, page));
        if let Some((key, value)) = date_is {
            if key == ":filename"
                && !page.front.keys().any(|k| k.eq_ignore_ascii_case("slug"))
                && let Some(s) = &slug
            {
                page.front.insert("slug".into(), Value::String(s.clone()));
            }
            self.put(page, &key, "date", &["date"], value, findings);
        }
        if let Some((key, value)) = found(&self.lastmod, page)
            && !PUBLISH.contains(&key.to_lowercase().as_str())
        {
            self.put(
                page,
                &key,
                "lastmod",
                &["lastmod", "modified"],
                value,
                findings,
            );
        }
        if let Some((key, value)) = found(&self.expiry, page) {
            self.put(page, &key, "expirydate", &["expirydate"], value, findings);
        }
    }

    /// Makes `value` (from `from`) the page's `to`, moving what `to`
    /// held before under `extra`; nothing when it is there already.
    fn put(
        &self,
        page: &mut SourcePage,
        from: &str,
        to: &str,
        same: &[&str],
        value: String,
        findings: &mut Vec<Finding>,
    ) {
        if same.iter().any(|s| from.eq_ignore_ascii_case(s)) {
            return;
        }
        page.front.remove(from);
        let old: Vec<String> = page
            .front
            .keys()
            .filter(|k| k.eq_ignore_ascii_case(to))
            .cloned()
            .collect();
        for k in old {
            if let Some(v) = page.front.remove(&k)
                && let Some(m) = extra(&mut page.front)
            {
                m.insert(k, v);
            }
        }
        let what = if from == ":filename" {
            "the date in the file name".to_string()
        } else {
            format!("`{from}`")
        };
        findings.push(Finding::new(
            Kind::FrontMatter,
            &page.src_rel,
            page.key_lines
                .get(&from.to_lowercase())
                .copied()
                .unwrap_or(1),
            what,
            format!("is the page's `{to}`, as the site's Hugo settings say"),
        ));
        page.front.insert(to.to_string(), Value::String(value));
    }
}

/// The page's `extra` map, made when missing (a non-map `extra` is kept
/// beside it as `extra_value`).
pub(crate) fn extra(front: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    if !front.get("extra").is_some_and(Value::is_object) {
        if let Some(v) = front.remove("extra") {
            front.insert("extra_value".into(), v);
        }
        front.insert("extra".into(), Value::Object(Map::new()));
    }
    front.get_mut("extra").and_then(Value::as_object_mut)
}

/// `2019-03-17-becoming-a-pm.md` → (`2019-03-17`, `becoming-a-pm`).
fn from_file_name(file: &str) -> (Option<String>, Option<String>) {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let Some(head) = stem.get(..10) else {
        return (None, None);
    };
    if date_of(&Value::String(head.to_string())).is_none() {
        return (None, None);
    }
    let rest = stem[10..].trim_start_matches(['-', '_']);
    (
        Some(head.to_string()),
        (!rest.is_empty()).then(|| rest.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(front: Value) -> SourcePage {
        SourcePage {
            front: front.as_object().cloned().unwrap_or_default(),
            ..SourcePage::default()
        }
    }

    #[test]
    fn frontmatter_settings_choose_each_date() {
        let keys = DateKeys::from_settings(&serde_json::json!({"frontMatter": {
            "date": ["published", ":filename", ":default"],
            "lastmod": ["reviewed", "lastmod"],
            "expiryDate": ["retire"],
        }}));
        let mut findings = Vec::new();
        let mut p = page(serde_json::json!({
            "published": "2020-10-07", "date": "2019-01-01",
            "reviewed": "2021-01-01", "retire": "2030-01-01",
        }));
        keys.apply(&mut p, "x.md", &mut findings);
        assert_eq!(p.front["date"], "2020-10-07");
        assert_eq!(p.front["extra"]["date"], "2019-01-01");
        assert_eq!(p.front["lastmod"], "2021-01-01");
        assert_eq!(p.front["expirydate"], "2030-01-01");
        assert_eq!(findings.len(), 3);
        let mut p = page(serde_json::json!({}));
        keys.apply(&mut p, "2019-03-17-becoming-a-pm.md", &mut findings);
        assert_eq!(p.front["date"], "2019-03-17");
        assert_eq!(p.front["slug"], "becoming-a-pm");
        // Hugo's defaults: `published` is a date; `date` wins over it.
        let keys = DateKeys::from_settings(&serde_json::json!({}));
        let mut p = page(serde_json::json!({"published": "2020-10-07"}));
        keys.apply(&mut p, "x.md", &mut findings);
        assert_eq!(p.front["date"], "2020-10-07");
        let mut p = page(serde_json::json!({"published": "2020-10-07", "date": "2021-01-01"}));
        keys.apply(&mut p, "x.md", &mut findings);
        assert_eq!(p.front["date"], "2021-01-01");
        assert_eq!(p.front["published"], "2020-10-07");
    }
}

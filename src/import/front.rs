//! Front matter of other generators: splitting it from the body (YAML
//! `---`, TOML `+++`, JSON `{…}`), reading it into one map whatever the
//! format, and mapping that map onto marrow's keys. Anything marrow has
//! no key for goes under `extra`, so nothing is dropped.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::SiteInfo;
use super::SourcePage;
use super::report::{Finding, Kind};

/// A file split into its front matter and body.
#[derive(Debug, PartialEq)]
pub(crate) struct Split<'a> {
    /// The front matter's format and text, when the file has any.
    pub front: Option<(Format, &'a str)>,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Toml,
    Json,
}

/// Splits `text` (line endings already `\n`). Blank lines before the
/// opening fence are allowed, as both Hugo and Jekyll's users write them.
pub(crate) fn split(text: &str) -> Split<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let blank_lines = text[..start].matches('\n').count();
    let rest = &text[start..];
    let none = Split {
        front: None,
        body: text,
        body_line: 1,
    };
    let fenced = |fence: &str, format: Format| -> Option<Split<'_>> {
        let first = rest.lines().next()?;
        if first.trim_end() != fence {
            return None;
        }
        let after = first.len() + 1;
        let mut at = after.min(rest.len());
        let mut line = 1;
        loop {
            let end = rest[at..].find('\n').map_or(rest.len(), |i| at + i);
            let l = rest[at..end].trim_end();
            line += 1;
            if l == fence || (format == Format::Yaml && l == "...") {
                let body_at = (end + 1).min(rest.len());
                return Some(Split {
                    front: Some((format, &rest[after.min(at)..at])),
                    body: &rest[body_at..],
                    body_line: blank_lines + line + 1,
                });
            }
            if end >= rest.len() {
                return None;
            }
            at = end + 1;
        }
    };
    if let Some(s) = fenced("---", Format::Yaml).or_else(|| fenced("+++", Format::Toml)) {
        return s;
    }
    if rest.starts_with('{')
        && let Some(end) = json_end(rest)
    {
        let body = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
        let body_line = blank_lines + rest[..end].matches('\n').count() + 2;
        return Split {
            front: Some((Format::Json, &rest[..end])),
            body,
            body_line,
        };
    }
    none
}

/// Where a JSON object at the start of `s` ends (just past its `}`).
fn json_end(s: &str) -> Option<usize> {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Reads front matter text into a map, or says why it cannot.
pub(crate) fn parse(format: Format, text: &str) -> Result<Map<String, Value>, String> {
    parse_located(format, text).map_err(|(line, _, message)| match line {
        0 => message,
        n => format!("line {n}: {message}"),
    })
}

/// [`parse`], with the error's line and column (1-based; 0 when unknown),
/// so a settings file's error can be shown at `file:line:col`.
pub(crate) fn parse_located(
    format: Format,
    text: &str,
) -> Result<Map<String, Value>, (usize, usize, String)> {
    let value = match format {
        Format::Yaml => crate::yaml::from_str::<Value>(text)
            .map_err(|e| (e.line, e.column, e.message.to_string()))?,
        Format::Toml => toml_to_json(toml::from_str::<toml::Value>(text).map_err(
            |e| match e.span() {
                Some(r) => {
                    let before = text.get(..r.start).unwrap_or(text);
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                    (line, col, e.message().to_string())
                }
                None => (0, 0, e.message().to_string()),
            },
        )?),
        Format::Json => {
            serde_json::from_str(text).map_err(|e| (e.line(), e.column(), e.to_string()))?
        }
    };
    match value {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err((0, 0, "front matter is not a list of keys and values".into())),
    }
}

/// TOML values as JSON ones; dates and date-times become their text, as
/// YAML front matter has them.
pub(crate) fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The 1-based line of each top-level key of front matter text, found by
/// its look (`key:`, `key =`, `"key":`), for the report's locations.
pub(crate) fn key_lines(text: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    // JSON's keys are indented one level inside its braces.
    let json = text.starts_with('{');
    let mut depth = 0i32;
    for (n, line) in text.lines().enumerate() {
        let line = if json {
            let at = depth;
            depth +=
                line.matches(['{', '[']).count() as i32 - line.matches(['}', ']']).count() as i32;
            if at != 1 {
                continue;
            }
            line.trim_start()
        } else {
            line
        };
        if line.starts_with([' ', '\t', '-', '#', '[']) {
            continue;
        }
        let l = line.trim_start_matches(['"', '\'']);
        let end = l.find([':', '=', '"', '\'']).unwrap_or(0);
        let key = l[..end].trim();
        if !key.is_empty() {
            out.entry(key.to_lowercase()).or_insert(first_line + n);
        }
    }
    out
}

/// A marrow page's front matter, as the import writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct OutFront {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
    /// The title is the body's first `# heading`, which the body then
    /// loses (the theme shows the title as the page's heading).
    #[serde(skip)]
    pub title_from_heading: bool,
}

/// Keys the dialects read for themselves (addresses, redirects), so they
/// are neither mapped here nor kept under `extra`.
const CONSUMED: [&str; 4] = ["url", "permalink", "redirect_to", "redirect"];

/// Maps a page's front matter onto marrow's keys.
pub(crate) fn map(page: &SourcePage, info: &SiteInfo, findings: &mut Vec<Finding>) -> OutFront {
    let mut out = OutFront::default();
    let mut title = None;
    // A key not in the file: from the settings' `defaults`, named there.
    let file = |key: &str| match &page.defaults_at {
        Some((f, _)) if page.defaulted.iter().any(|k| k.eq_ignore_ascii_case(key)) => f.as_str(),
        _ => page.src_rel.as_str(),
    };
    let at = |key: &str| match &page.defaults_at {
        Some((_, l)) if page.defaulted.iter().any(|k| k.eq_ignore_ascii_case(key)) => *l,
        _ => page.key_lines.get(key).copied().unwrap_or(0),
    };
    for (key, raw) in &page.front {
        let value = decode_entities(raw.clone());
        let lower = key.to_lowercase();
        let mut to_extra = |value: Value, why: Option<&str>, out: &mut OutFront| {
            findings.push(match why {
                None => Finding::merged(
                    Kind::Extra,
                    file(&lower),
                    at(&lower),
                    format!("`{key}`"),
                    format!("kept as `extra.{key}`"),
                ),
                Some(why) => Finding::new(
                    Kind::FrontMatter,
                    file(&lower),
                    at(&lower),
                    format!("`{key}: {}`", short(&value)),
                    format!("{why}; kept as `extra.{key}`"),
                ),
            });
            out.extra.insert(key.clone(), value);
        };
        match lower.as_str() {
            "title" => title = Some(text_of(&value)),
            "description" | "summary" | "excerpt" if out.description.is_none() => {
                out.description = Some(text_of(&value)).filter(|d| !d.trim().is_empty())
            }
            "date" | "publishdate" | "pubdate" if out.date.is_none() && page.front_date(key) => {
                match date_of(&value) {
                    Some(d) => out.date = Some(d),
                    None => to_extra(value, Some("not a date"), &mut out),
                }
            }
            "lastmod" | "last_modified_at" | "modified" | "updated" if out.updated.is_none() => {
                match date_of(&value) {
                    Some(d) => out.updated = Some(d),
                    None => to_extra(value, Some("not a date"), &mut out),
                }
            }
            "expirydate" | "expirationdate" | "expires" => match date_of(&value) {
                Some(d) => out.expires = Some(d),
                None => to_extra(value, Some("not a date"), &mut out),
            },
            "draft" => out.draft |= truthy(&value),
            // Hugo publishes no page for these: a draft keeps the text.
            "headless" | "_build" | "build" if unpublished(&value) => {
                out.draft = true;
                findings.push(Finding::new(
                    Kind::FrontMatter,
                    file(&lower),
                    at(&lower),
                    format!("`{key}: {}`", short(&value)),
                    "Hugo makes no page of it; imported as a draft",
                ));
                out.extra.insert(key.clone(), value);
            }
            "published" if matches!(value, Value::Bool(_)) => out.draft |= !truthy(&value),
            // `weight` wins over the themes' `nav_order` and `order`.
            "weight" | "nav_order" | "order"
                if lower == "weight"
                    || (out.weight.is_none()
                        && !page.front.keys().any(|k| k.eq_ignore_ascii_case("weight"))) =>
            {
                match int_of(&value) {
                    Some(w) => out.weight = Some(w),
                    None => to_extra(value, Some("not a whole number"), &mut out),
                }
            }
            "slug" => {
                let s = text_of(&value);
                if valid_slug(&s) {
                    out.slug = Some(s);
                } else {
                    to_extra(value, Some("not a single URL segment"), &mut out);
                }
            }
            // A singular `tag:` is a site's own key, not the taxonomy.
            "tags" => out.tags.extend(terms(&value, info.space_separated_terms)),
            "categories" | "category" => out
                .taxonomies
                .entry("categories".into())
                .or_default()
                .extend(terms(&value, info.space_separated_terms)),
            _ if info.taxonomies.iter().any(|t| t.eq_ignore_ascii_case(key)) => out
                .taxonomies
                .entry(lower.clone())
                .or_default()
                .extend(terms(&value, info.space_separated_terms)),
            "aliases" | "redirect_from" => {
                for alias in terms(&value, false) {
                    let alias = own_path(&alias, info.base_url.as_deref()).unwrap_or(alias);
                    if let Some(ext) = server_side(&alias) {
                        findings.push(Finding::new(
                            Kind::Address,
                            file(&lower),
                            at(&lower),
                            format!("old address `{alias}`"),
                            format!(
                                "a `.{ext}` address was made by a server program; a static \
                                 host serves the redirect only if told to: add a server \
                                 redirect there"
                            ),
                        ));
                    }
                    out.aliases.push(alias);
                }
            }
            "extra" if value.is_object() => {
                if let Value::Object(m) = value {
                    out.extra.extend(m);
                }
            }
            "layout" if value.as_str() == Some("redirect") => {}
            _ if CONSUMED.contains(&lower.as_str()) => {}
            _ => to_extra(value, None, &mut out),
        }
    }
    if out.date.is_none() {
        out.date = page.date;
    }
    out.aliases.extend(page.extra_aliases.iter().cloned());
    out.title = match title.filter(|t| !t.trim().is_empty()) {
        Some(t) => t,
        None => {
            let (t, from) = made_up_title(page, info);
            out.title_from_heading = from == "its first heading";
            findings.push(Finding::new(
                Kind::FrontMatter,
                &page.src_rel,
                1,
                "no `title`",
                format!("titled “{t}” from {from}"),
            ));
            t
        }
    };
    for terms in out.taxonomies.values_mut() {
        terms.dedup();
    }
    out.taxonomies.retain(|_, v| !v.is_empty());
    out
}

impl SourcePage {
    /// Whether `key` is this page's date key: `date` always, Hugo's
    /// `publishDate` only when there is no `date` (else it goes to extra).
    fn front_date(&self, key: &str) -> bool {
        key.eq_ignore_ascii_case("date")
            || !self.front.keys().any(|k| k.eq_ignore_ascii_case("date"))
    }
}

/// A title for a page without one: its first `# heading`, else its file
/// name in words, else the site's title for the home page.
fn made_up_title(page: &SourcePage, info: &SiteInfo) -> (String, &'static str) {
    let key = |k: &str| {
        page.front
            .get(k)
            .map(text_of)
            .filter(|t| !t.trim().is_empty())
    };
    if let Some(name) = key("display_name") {
        return (name, "its `display_name`");
    }
    if let Some(h) = page.body.lines().find_map(|l| l.strip_prefix("# ")) {
        return (h.trim().to_string(), "its first heading");
    }
    if let Some(slug) = key("slug").filter(|s| valid_slug(s)) {
        return (in_words(&slug), "its `slug`");
    }
    let stem = page
        .dst_rel
        .trim_end_matches(".md")
        .trim_end_matches("_index")
        .trim_end_matches('/');
    let name = stem.rsplit('/').next().unwrap_or("");
    if name.is_empty() {
        return (
            info.title.clone().unwrap_or_else(|| "Home".into()),
            "the site's title",
        );
    }
    // A post's file name starts with its date, which is no part of a title.
    let dated = name.get(..11).is_some_and(|d| {
        chrono::NaiveDate::parse_from_str(&d[..10], "%Y-%m-%d").is_ok() && d.ends_with('-')
    }) && name.len() > 11;
    let name = if dated { &name[11..] } else { name };
    (in_words(name), "its file name")
}

/// `becoming-a-product_manager` → "Becoming a product manager".
fn in_words(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Page".into(),
    }
}

/// The path of a full old address on the site's own host (`url`, with or
/// without `www.`, over http or https; any host when the site has no
/// `url`), which is an address of this site like any other.
pub(crate) fn own_path(alias: &str, base_url: Option<&str>) -> Option<String> {
    let a = url::Url::parse(alias.trim()).ok()?;
    if !matches!(a.scheme(), "http" | "https") {
        return None;
    }
    let bare = |h: &str| h.trim_start_matches("www.").to_ascii_lowercase();
    let host = bare(a.host_str()?);
    if let Some(base) = base_url.and_then(|b| url::Url::parse(b).ok())
        && base.host_str().map(bare) != Some(host)
    {
        return None;
    }
    let mut path = a.path().to_string();
    if let Some(q) = a.query() {
        path = format!("{path}?{q}");
    }
    Some(path)
}

/// The extension of an old address made by a server program (`.php`,
/// `.cfm`, `.asp`…), which a static host cannot answer by itself.
fn server_side(alias: &str) -> Option<&str> {
    let last = alias.trim_end_matches('/').rsplit('/').next()?;
    let (_, ext) = last.rsplit_once('.')?;
    ["cfm", "php", "asp", "aspx", "jsp", "cgi", "pl", "shtml"]
        .iter()
        .find(|e| ext.eq_ignore_ascii_case(e))
        .copied()
}

/// The same test marrow's front matter applies to `slug`.
pub(crate) fn valid_slug(s: &str) -> bool {
    !(s.trim().is_empty()
        || s.trim() != s
        || s.contains(['/', '\\', '#', '?'])
        || s.chars().any(char::is_control)
        || s == "."
        || s == "..")
}

/// HTML entities (`&amp;`, `&#8217;`) in every string of a value, decoded:
/// in front matter they are text, not markup.
pub(crate) fn decode_entities(v: Value) -> Value {
    match v {
        Value::String(s) if s.contains('&') => {
            Value::String(html_escape::decode_html_entities(&s).into_owned())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(decode_entities).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, decode_entities(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `headless: true`, `_build: { render: never }` (or `false`).
fn unpublished(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Object(m) => m.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("render")
                && (v == &Value::Bool(false)
                    || v.as_str().is_some_and(|s| s == "never" || s == "false"))
        }),
        _ => false,
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn short(v: &Value) -> String {
    let s = text_of(v);
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// A date from `2020-02-13`, `2020-02-13 10:25:54 -0400` or
/// `2020-02-13T10:25:54Z`: the date as written, the time left out.
pub(crate) fn date_of(v: &Value) -> Option<NaiveDate> {
    let s = v.as_str()?.trim();
    let head = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with([' ', 'T', 't'])) {
        return None;
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("yes"),
        _ => false,
    }
}

/// A list of terms from a list, or from one string (Jekyll splits
/// `tags: a b` at spaces; a comma always separates).
fn terms(v: &Value, split_spaces: bool) -> Vec<String> {
    let mut out: Vec<String> = match v {
        Value::Array(a) => a.iter().map(text_of).collect(),
        Value::String(s) if s.contains(',') => s.split(',').map(str::to_string).collect(),
        Value::String(s) if split_spaces => s.split_whitespace().map(str::to_string).collect(),
        Value::Null => Vec::new(),
        other => vec![text_of(other)],
    };
    for t in &mut out {
        *t = t.trim().to_string();
    }
    out.retain(|t| !t.is_empty());
    out
}

#[cfg(test)]
mod tests;

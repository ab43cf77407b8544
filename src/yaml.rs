//! The one place that parses YAML.
//!
//! `serde_yaml` is marked deprecated upstream; keeping every call behind
//! [`from_str`] means swapping the parser touches this file only. Errors come
//! back with a 1-based line and column *inside the YAML text*; callers shift
//! them into the file they came from. Unknown-key errors are rewritten into a
//! short "did you mean" form, which is what a writer needs after a typo.

use serde::de::DeserializeOwned;

use crate::diagnostics::suggest;

/// A YAML problem at a position inside the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the YAML text (1 when the parser gave none).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

/// Deserializes `text` into `T`. Empty or comment-only text is an empty map,
/// so `T`'s own defaults and required fields decide what that means.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    let result = if blank {
        serde_yaml::from_str("{}")
    } else {
        serde_yaml::from_str(text)
    };
    result.map_err(|e| convert(&e))
}

fn convert(e: &serde_yaml::Error) -> YamlError {
    let mut message = e.to_string();
    let (line, column) = match e.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            if let Some(stripped) = message.strip_suffix(&suffix) {
                message = stripped.to_string();
            }
            (loc.line().max(1), loc.column().max(1))
        }
        None => (1, 1),
    };
    let (message, help) = explain(&message);
    YamlError {
        line,
        column,
        message,
        help,
    }
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into
/// "unknown field `x`" plus a suggestion, and adds advice for common YAML
/// slips (tabs, wrong types).
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(start) = message.find("unknown field `") {
        let prefix = &message[..start];
        let rest = &message[start + "unknown field `".len()..];
        if let Some(end) = rest.find('`') {
            let field = &rest[..end];
            let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
            let head = format!("{prefix}unknown field `{field}`");
            return match suggest(field, expected.iter().copied()) {
                Some(s) => (
                    format!("{head} — did you mean `{s}`?"),
                    Some(format!("rename `{field}` to `{s}`")),
                ),
                None => {
                    let list = expected
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (head, Some(format!("valid fields are {list}")))
                }
            };
        }
    }
    if message.contains("found character that cannot start any token")
        || message.contains("found a tab character")
    {
        return (
            message.to_string(),
            Some("YAML does not allow tabs for indentation; indent with spaces".into()),
        );
    }
    if message.contains("invalid type") {
        return (
            message.to_string(),
            Some("check the value's type: lists use `[a, b]` or `- item` lines, dates are written YYYY-MM-DD".into()),
        );
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        #[serde(default)]
        reviewed: Option<String>,
    }

    #[test]
    fn unknown_field_gets_suggestion_and_position() {
        let err = from_str::<Doc>("title: A\nreviewd: x\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.column, 1);
        assert_eq!(
            err.message,
            "unknown field `reviewd` — did you mean `reviewed`?"
        );
    }

    #[test]
    fn unknown_field_without_near_miss_lists_fields() {
        let err = from_str::<Doc>("title: A\ncolour: x\n").unwrap_err();
        assert_eq!(err.message, "unknown field `colour`");
        assert!(err.help.unwrap().contains("`title`, `reviewed`"));
    }

    #[test]
    fn blank_text_is_an_empty_map() {
        let err = from_str::<Doc>("# only a comment\n").unwrap_err();
        assert!(
            err.message.contains("missing field `title`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn syntax_error_has_position() {
        let err = from_str::<Doc>("title: [a\n").unwrap_err();
        assert!(err.line >= 1);
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}

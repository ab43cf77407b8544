//! Tera's errors as located diagnostics: the template file and line, and
//! what to do.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Turns a tera error into a diagnostic naming the template file and line.
pub(super) fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, String>,
    fallback: &str,
) -> Diagnostic {
    let mut all: Vec<Diagnostic> = template_errors(e, sources, fallback).into_iter().collect();
    all.sort_by_key(|d| (d.file.clone(), d.line, d.column));
    all.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::file(fallback, "template error"))
}

/// The template's path as the site holds it (`templates/page.html` or
/// `themes/default/templates/page.html`) for a name tera used (`page.html`).
fn template_path<'a>(sources: &'a HashMap<String, String>, name: &'a str) -> &'a str {
    if sources.contains_key(name) {
        return name;
    }
    let site = format!("templates/{name}");
    if let Some((k, _)) = sources.get_key_value(&site) {
        return k;
    }
    let theme = format!("/templates/{name}");
    let mut found: Vec<&String> = sources.keys().filter(|k| k.ends_with(&theme)).collect();
    found.sort();
    found.first().map_or(name, |k| k.as_str())
}

/// What to do about a template error in `file`.
fn template_help(file: &str, message: &str) -> String {
    let what = if message.contains("Unexpected end of input") {
        "a `{% if %}`, `{% for %}`, `{% block %}` or `{% component %}` tag is never closed: add its `{% end… %}` tag"
    } else if message.contains("recursion depth") {
        "a component calls itself without end: put the inner call inside an `{% if %}` that becomes false"
    } else {
        "fix the template"
    };
    if file.starts_with("templates/") {
        format!("{what} (or delete `{file}` to use the theme's own)")
    } else {
        what.to_string()
    }
}

/// Every problem in a tera error: compiling a set of templates reports all
/// unknown filters, functions and includes at once, as text.
pub(super) fn template_errors(
    e: &tera::Error,
    sources: &HashMap<String, String>,
    fallback: &str,
) -> Diagnostics {
    let fallback = template_path(sources, fallback);
    let located = |name: &str, line: usize, col: usize, message: &str| {
        let name = template_path(sources, name);
        let text = sources.get(name).map_or("", String::as_str);
        Diagnostic::at(
            name,
            text,
            line.max(1),
            col.max(1),
            format!("template error: {message}"),
        )
        .with_help(template_help(name, message))
    };
    let d = match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                fallback
            } else {
                report.filename()
            };
            let span = report.span();
            located(name, span.start_line, span.start_col + 1, report.message())
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::file(
            template_path(sources, tpl),
            format!(
                "template error: templates include each other in a loop: {}",
                include_chain.join(" → ")
            ),
        )
        .with_help("remove one of the `{% include %}` tags of the loop"),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::file(
            template_path(sources, tpl),
            format!(
                "template error: templates extend each other in a loop: {} → {tpl}",
                inheritance_chain.join(" → ")
            ),
        )
        .with_help("a template may only extend a template that does not extend it back"),
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::file(
            template_path(sources, current),
            format!("template error: it extends `{parent}`, which does not exist"),
        )
        .with_help("fix the name in `{% extends %}`, or add the missing template"),
        tera::ErrorKind::Msg(message) => {
            // Reports rendered to text: "error: MESSAGE\n --> FILE:L:C …".
            let mut found = Diagnostics::default();
            let mut lines = message.lines().peekable();
            while let Some(line) = lines.next() {
                let Some(msg) = line.strip_prefix("error: ") else {
                    continue;
                };
                let at = lines
                    .peek()
                    .and_then(|l| l.trim_start().strip_prefix("--> "))
                    .and_then(|loc| {
                        let mut parts = loc.rsplitn(3, ':');
                        let col = parts.next()?.parse::<usize>().ok()?;
                        let line = parts.next()?.parse::<usize>().ok()?;
                        Some((parts.next()?.to_string(), line, col))
                    });
                found.push(match at {
                    Some((file, line, col)) => located(&file, line, col, msg),
                    None => Diagnostic::file(fallback, format!("template error: {msg}"))
                        .with_help(template_help(fallback, msg)),
                });
            }
            if !found.is_empty() {
                return found;
            }
            unlocated(e, fallback)
        }
        _ => unlocated(e, fallback),
    };
    d.into()
}

/// A template error tera gives no place for: reported against `fallback`.
fn unlocated(e: &tera::Error, fallback: &str) -> Diagnostic {
    let message = flatten(e);
    let help = template_help(fallback, &message);
    Diagnostic::file(fallback, format!("template error: {message}")).with_help(help)
}

fn flatten(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_help_says_what_to_do_and_offers_the_theme_s_own() {
        assert_eq!(
            template_help("themes/default/templates/page.html", "oops"),
            "fix the template"
        );
        assert_eq!(
            template_help("templates/page.html", "Unexpected end of input"),
            "a `{% if %}`, `{% for %}`, `{% block %}` or `{% component %}` tag is never closed: \
             add its `{% end… %}` tag (or delete `templates/page.html` to use the theme's own)"
        );
        assert!(
            template_help("templates/nav.html", "Reached maximum recursion depth")
                .starts_with("a component calls itself without end")
        );
    }
}

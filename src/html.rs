//! The one HTML (and XML) escape of marrow's own markup.

/// Escapes text for element content and attribute values (`&`, `<`, `>`,
/// `"` and `'`).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

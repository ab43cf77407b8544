//! Old addresses of pages (`aliases`): what path each names, and which
//! page a link to one leads to.

use std::collections::HashMap;

use super::{PageId, Site};

/// `/old/page/`, `old/page`, `/old/page/index.html`, `/caf%C3%A9/` →
/// `old/page/`, `café/`; or why the alias is not a path of this site.
pub(crate) fn alias_path(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err("is a full address (aliases are old addresses on this site)");
    }
    if trimmed.contains(['?', '#']) {
        return Err("has a `?` or `#` part, which never reaches the server's files");
    }
    // Written as a browser shows it (`%20` for a space): the file is named
    // like the decoded address.
    let decoded = percent_encoding::percent_decode_str(trimmed)
        .decode_utf8()
        .map_err(|_| "has `%` escapes that are not UTF-8 text")?;
    if decoded.contains('\\') || decoded.chars().any(char::is_control) {
        return Err("contains a backslash or an invisible control character");
    }
    let path = decoded.trim_start_matches('/');
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err("uses `.` or `..`, which could point outside the site");
    }
    if segments.is_empty() {
        return Err("is the address of the home page");
    }
    // An old page address ending in `.html` is the file itself: the
    // redirect is written there, so the address keeps working on any host.
    let last = segments.last().map_or("", |s| s);
    let lower = last.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return Ok(segments.join("/"));
    }
    Ok(format!("{}/", segments.join("/")))
}

/// The file a redirect for alias `path` ([`alias_path`]) is written to.
pub(crate) fn redirect_file(path: &str) -> String {
    if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

impl Site {
    /// The page whose `aliases` name `path` (`old/page/`): links written
    /// to an old address lead to the page it redirects to. The first page
    /// claiming it wins here; the plan reports the clash.
    pub(crate) fn page_with_alias(&self, path: &str) -> Option<PageId> {
        self.by_alias.get(path).copied().or_else(|| {
            // `old/page.html` is kept as a file, and links may be written
            // with or without a final `/`.
            self.by_alias.get(path.trim_end_matches('/')).copied()
        })
    }
}

/// Every alias of the site and its page, for [`Site::page_with_alias`].
pub(super) fn index(pages: &[super::Page]) -> HashMap<String, PageId> {
    let mut by_alias = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        for alias in &page.front().aliases {
            if let Ok(path) = alias_path(alias) {
                by_alias.entry(path).or_insert(id);
            }
        }
    }
    by_alias
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths() {
        assert_eq!(alias_path("/a/b/").as_deref(), Ok("a/b/"));
        assert_eq!(alias_path("a/b/index.html").as_deref(), Ok("a/b/"));
        assert_eq!(
            alias_path("/docs/clipping.html").as_deref(),
            Ok("docs/clipping.html")
        );
        assert_eq!(alias_path("/A/Old.HTM").as_deref(), Ok("A/Old.HTM"));
        assert_eq!(alias_path("/x/list.cfm").as_deref(), Ok("x/list.cfm/"));
        assert_eq!(redirect_file("docs/clipping.html"), "docs/clipping.html");
        assert_eq!(redirect_file("a/b/"), "a/b/index.html");
        assert_eq!(alias_path("/caf%C3%A9/").as_deref(), Ok("café/"));
        assert!(alias_path("/").is_err());
        assert!(alias_path("/../x").is_err());
        assert!(alias_path("/%2e%2e/x").is_err());
        assert!(alias_path("/a/\0/").is_err());
        assert!(alias_path("https://a.org/x").is_err());
    }
}

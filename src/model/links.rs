//! What a link written in Markdown points to, and the href it becomes.

use crate::content::SECTION_INDEX;
use crate::content::path::normalize;

use super::{PageId, Site, Unpublished};

/// Where a link written in Markdown points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// Another scheme (`https:`, `mailto:`…): left as written.
    External,
    /// A page of this site, maybe with a heading anchor.
    Page {
        id: PageId,
        fragment: Option<String>,
    },
    /// A file copied from `content/` or `static/`, relative to the output root.
    File {
        path: String,
        fragment: Option<String>,
    },
    /// A page that failed to parse; it cannot be checked or linked.
    Unparsed,
    /// Nothing there: what is wrong, said after "link `dest`" (or "image
    /// `dest`"), and what to do.
    Missing { problem: String, help: String },
}

impl Site {
    /// Resolves a link written in the Markdown of page `from`. In a
    /// translation, a link to a page leads to that page in the same
    /// language when it is translated (links are written to the source's
    /// file names, `engraftment.md`); otherwise to the page as written,
    /// which the Markdown stage marks as being in another language.
    pub(crate) fn resolve_link(&self, from: PageId, dest: &str) -> LinkTarget {
        let target = self.resolve_as_written(from, dest);
        let lang = self.pages[from].lang;
        match target {
            LinkTarget::Page { id, fragment } if self.pages[id].lang != lang => LinkTarget::Page {
                id: self.version_in(id, lang).unwrap_or(id),
                fragment,
            },
            other => other,
        }
    }

    /// Resolves `dest` as written, whatever the language of `from`.
    fn resolve_as_written(&self, from: PageId, dest: &str) -> LinkTarget {
        if dest
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
        {
            return LinkTarget::Missing {
                problem: "points to a file on this computer, which readers cannot open".into(),
                help: "copy the file into content/ and link to it with a relative path".into(),
            };
        }
        if is_external(dest) {
            return LinkTarget::External;
        }
        let (before_fragment, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(decode(f))),
            None => (dest, None),
        };
        let path = before_fragment.split('?').next().unwrap_or("");
        if path.is_empty() {
            return LinkTarget::Page { id: from, fragment };
        }
        let decoded = decode(path);
        let path = match crate::content::path::nfc(&decoded) {
            std::borrow::Cow::Borrowed(_) => decoded,
            std::borrow::Cow::Owned(composed) => composed,
        };
        let page = &self.pages[from];
        let joined = if let Some(abs) = path.strip_prefix('/') {
            abs.to_string()
        } else if page.source.dir().is_empty() {
            path.clone()
        } else {
            format!("{}/{}", page.source.dir(), path)
        };
        let Some(rel) = normalize(&joined) else {
            return LinkTarget::Missing {
                problem: "points outside `content/`".into(),
                help: "link to a page or file inside content/".into(),
            };
        };
        // `file #2.pdf` written as is: the `#` started an anchor.
        let hash_in_name = || {
            let fragment = fragment.as_deref()?;
            let whole = normalize(&format!("{joined}#{fragment}"))?;
            (self.asset_set.contains(&whole) || self.by_source.contains_key(&whole)).then(|| {
                format!(
                    "`#` starts a heading anchor; write `%23` for the `#` in the file name: `{}`",
                    dest.replace('#', "%23")
                )
            })
        };
        let trimmed = rel.trim_end_matches('/');
        if rel.ends_with(".md") {
            if let Some(id) = self.page_from_source(&rel) {
                return LinkTarget::Page { id, fragment };
            }
            if self.unparsed.contains(&rel) {
                return LinkTarget::Unparsed;
            }
            match self.unpublished.get(&rel) {
                Some(Unpublished::Draft) => {
                    return LinkTarget::Missing {
                        problem: "points to a draft".into(),
                        help: "publish the page (remove `draft: true`) or build with --drafts"
                            .into(),
                    };
                }
                Some(Unpublished::Expired(day)) => {
                    return LinkTarget::Missing {
                        problem: format!("points to a page that expired on {day}"),
                        help: "link to the page that replaces it, or remove or move its `expires` date".into(),
                    };
                }
                None => {}
            }
            return LinkTarget::Missing {
                problem: format!("points to a missing page `content/{rel}`"),
                help: hash_in_name().unwrap_or_else(|| self.suggest_page(&rel)),
            };
        }
        let index_rel = if trimmed.is_empty() {
            SECTION_INDEX.to_string()
        } else {
            format!("{trimmed}/{SECTION_INDEX}")
        };
        if let Some(id) = self.page_from_source(&index_rel) {
            return LinkTarget::Page { id, fragment };
        }
        if let Some(s) = self.sections.iter().find(|s| s.dir == trimmed) {
            return LinkTarget::Page {
                id: s.index,
                fragment,
            };
        }
        if self.asset_set.contains(&rel) {
            return LinkTarget::File {
                path: rel,
                fragment,
            };
        }
        // Written as a URL of the built site (`/process/conditioning/`).
        let url_path = rel.strip_suffix("index.html").unwrap_or(&rel);
        let url_path = if url_path.is_empty() || url_path.ends_with('/') {
            url_path.to_string()
        } else {
            format!("{url_path}/")
        };
        if let Some(id) = self.page_at(&url_path) {
            return LinkTarget::Page { id, fragment };
        }
        // An old address (`/2019/05/03/old-post/`) kept in a page's `aliases`.
        if let Some(id) = self.page_with_alias(&url_path) {
            return LinkTarget::Page { id, fragment };
        }
        let in_static = self.static_files.contains(&rel);
        if dest.starts_with('/') && in_static {
            return LinkTarget::File {
                path: rel,
                fragment,
            };
        }
        LinkTarget::Missing {
            problem: format!("points to nothing: no page or file `content/{rel}`"),
            help: if let Some(h) = hash_in_name() {
                h
            } else if let Some(s) = self.suggest_file(&rel) {
                s
            } else if in_static {
                format!("files in static/ are linked from the site root: write `/{rel}`")
            } else if path.ends_with(".html") {
                "link to the Markdown file (`page.md`) instead of the HTML it becomes".into()
            } else {
                "check the spelling and the relative path".into()
            },
        }
    }

    /// A file of `content/` (an image, a PDF) named like `rel`: the same
    /// but for letter case (which the writer's computer may ignore but a
    /// web server does not), or a near spelling.
    fn suggest_file(&self, rel: &str) -> Option<String> {
        let lower = rel.to_lowercase();
        if let Some(same) = self.asset_set.iter().find(|a| a.to_lowercase() == lower) {
            return Some(format!(
                "did you mean `content/{same}`? Only the letter case differs, and web servers treat `A.png` and `a.png` as different files"
            ));
        }
        crate::diagnostics::suggest_path(rel, self.asset_set.iter().map(String::as_str))
            .map(|s| format!("did you mean `content/{s}`?"))
    }

    fn suggest_page(&self, rel: &str) -> String {
        let candidates = self.by_source.keys().map(String::as_str);
        match crate::diagnostics::suggest_path(rel, candidates) {
            Some(s) => format!("did you mean `content/{s}`?"),
            None => "check the file name and the relative path (`../` goes up one folder)".into(),
        }
    }

    /// The relative href from page `from` to a resolved target.
    pub(crate) fn href(&self, from: PageId, target: &LinkTarget) -> Option<String> {
        let prefix = self.pages[from].root_prefix();
        let with_fragment = |base: String, fragment: &Option<String>| match fragment {
            Some(f) => format!("{base}#{}", encode_fragment(f)),
            None => base,
        };
        match target {
            LinkTarget::Page { id, fragment } if *id == from => Some(with_fragment(
                if fragment.is_some() {
                    String::new()
                } else {
                    format!("{prefix}{}", self.link(*id))
                },
                fragment,
            )),
            LinkTarget::Page { id, fragment } => Some(with_fragment(
                format!("{prefix}{}", self.link(*id)),
                fragment,
            )),
            LinkTarget::File { path, fragment } => Some(with_fragment(
                format!("{prefix}{}", encode_path(path)),
                fragment,
            )),
            LinkTarget::External | LinkTarget::Unparsed | LinkTarget::Missing { .. } => None,
        }
    }
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Characters escaped in the path part of generated links. Non-ASCII letters
/// stay as they are (valid in HTML5 URLs and readable in the source).
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Escapes what must be escaped in a URL path.
pub(crate) fn encode_path(path: &str) -> String {
    utf8_escape(path, PATH_ESCAPES)
}

fn encode_fragment(f: &str) -> String {
    utf8_escape(f, PATH_ESCAPES)
}

fn utf8_escape(s: &str, set: &'static percent_encoding::AsciiSet) -> String {
    // Only ASCII is escaped; leave other characters readable.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            let mut buf = [0u8; 1];
            out.extend(percent_encoding::utf8_percent_encode(
                c.encode_utf8(&mut buf),
                set,
            ));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links() {
        assert!(is_external("https://nhs.uk"));
        assert!(is_external("mailto:a@b.org"));
        assert!(is_external("//cdn.example"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
        assert!(!is_external(":no-scheme.md"));
    }

    #[test]
    fn encoding_keeps_unicode() {
        assert_eq!(encode_path("a b/c#d/移植/"), "a%20b/c%23d/移植/");
    }
}

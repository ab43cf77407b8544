//! Paths under `content/` as marrow compares them: `/`-separated, with
//! `.` and `..` resolved, and Unicode in NFC.
//!
//! The same name can be stored two ways: `é` as one character (NFC, what
//! keyboards type on Windows and Linux and what Markdown text holds) or as
//! `e` plus a combining accent (NFD, what some macOS tools write to disk).
//! They look identical, so a writer cannot tell why `[x](café.md)` finds
//! no page. Every path under `content/` — a page's or asset's `rel`, a
//! link's destination, a path the file watcher reports — goes through
//! this module before it is compared or used as a key, so all of them are
//! in one form. Only the key changes: files are still opened by the path
//! the OS gave.

use std::borrow::Cow;
use std::path::{Component, Path};

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `s` in Unicode NFC. Borrows when it already is, which the quick check
/// tells at once for ASCII and almost all other text, so the common case
/// costs a scan and no allocation.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        // `Maybe` needs the full normalisation to decide; it is rare.
        IsNormalized::No | IsNormalized::Maybe => {
            let normal: String = s.nfc().collect();
            if normal == s {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(normal)
            }
        }
    }
}

/// A `/`-separated path with `.` and `..` resolved and its text in NFC;
/// `None` if it climbs above the top. Empty segments go (`a//b` is
/// `a/b`), a trailing `/` stays (it marks a folder link), and a leading
/// one goes (the result is relative to the top).
///
/// This is the one normaliser for link destinations and other paths under
/// `content/` written by people; it does not turn `\` into `/`, since in a
/// link a backslash is part of the name (see [`from_os`] for paths from
/// the file system).
pub(crate) fn normalize(path: &str) -> Option<String> {
    let path = nfc(path);
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// A relative path from the file system (as `strip_prefix` of a walked
/// path gives it) as a content path: its names joined by `/` whatever the
/// OS's separator, in NFC. `None` if a name is not UTF-8, or the path is
/// not plainly relative (it has a root, a drive or a `..`), so the caller
/// can report the file rather than guess a name for it.
pub(crate) fn from_os(rel: &Path) -> Option<String> {
    let mut out = String::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(&nfc(name.to_str()?));
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// `path` relative to `root` as a content path (see [`from_os`]), for paths
/// that may be absolute (the file watcher's) or already relative to
/// `root`. `None` if an absolute `path` is outside `root`. A name that is
/// not UTF-8 is kept lossily (with U+FFFD) rather than dropped, so that a
/// change to such a file still triggers the rebuild that reports it.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = if path.is_absolute() {
        path.strip_prefix(root).ok()?
    } else {
        path
    };
    let joined = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy()),
            // Kept as written: the caller decides what a climb means.
            Component::CurDir => Some(".".into()),
            Component::ParentDir => Some("..".into()),
            Component::RootDir | Component::Prefix(_) => None,
        })
        .collect::<Vec<_>>()
        .join("/");
    Some(nfc(&joined).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NFC: &str = "caf\u{e9}.md";
    const NFD: &str = "cafe\u{301}.md";

    #[test]
    fn normalize_paths() {
        // The cases of the normaliser this one replaces (model.rs).
        assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("a/b/").as_deref(), Some("a/b/"));
        assert_eq!(normalize("../x"), None);
    }

    #[test]
    fn normalize_edges() {
        assert_eq!(normalize("").as_deref(), Some(""));
        assert_eq!(normalize("/").as_deref(), Some(""));
        assert_eq!(normalize("./").as_deref(), Some(""));
        assert_eq!(normalize("/a//b").as_deref(), Some("a/b"));
        assert_eq!(normalize("a/..").as_deref(), Some(""));
        assert_eq!(normalize("a/../..").as_deref(), None);
        assert_eq!(normalize("a/b/../../c/").as_deref(), Some("c/"));
        // A backslash is part of a name here, not a separator.
        assert_eq!(normalize("a\\b.md").as_deref(), Some("a\\b.md"));
    }

    #[test]
    fn normalize_gives_nfc() {
        assert_eq!(normalize(NFD).as_deref(), Some(NFC));
        assert_eq!(
            normalize(&format!("x/../{NFD}/")).as_deref(),
            Some(&*format!("{NFC}/"))
        );
    }

    #[test]
    fn nfc_borrows_text_that_is_already_nfc() {
        for s in ["", "plain/ascii.md", NFC, "移植前的检查.md", "Größe"] {
            assert!(matches!(nfc(s), Cow::Borrowed(_)), "{s}");
        }
        assert_eq!(nfc(NFD), NFC);
        // Hangul jamo compose too.
        assert_eq!(nfc("\u{1100}\u{1161}"), "\u{ac00}");
    }

    #[test]
    fn os_paths_become_content_paths() {
        assert_eq!(
            from_os(&Path::new("a").join(NFD)).as_deref(),
            Some(&*format!("a/{NFC}"))
        );
        assert_eq!(from_os(Path::new("")).as_deref(), Some(""));
        assert_eq!(from_os(Path::new("./a.md")).as_deref(), Some("a.md"));
        assert_eq!(from_os(Path::new("../a.md")), None);
        assert_eq!(from_os(Path::new("/a.md")), None);
    }

    #[cfg(unix)]
    #[test]
    fn os_paths_that_are_not_utf8_are_refused() {
        use std::os::unix::ffi::OsStrExt;
        let bad = Path::new(std::ffi::OsStr::from_bytes(b"a/\xff.md"));
        assert_eq!(from_os(bad), None);
        // ... but kept (lossily) where a change must still be noticed.
        assert_eq!(
            relative(Path::new("/site"), &Path::new("/site").join(bad)).as_deref(),
            Some("a/\u{fffd}.md")
        );
    }

    #[test]
    fn relative_to_a_root() {
        let root = Path::new("/site");
        assert_eq!(
            relative(root, &root.join("content").join(NFD)).as_deref(),
            Some(&*format!("content/{NFC}"))
        );
        assert_eq!(
            relative(root, Path::new("content/a.md")).as_deref(),
            Some("content/a.md")
        );
        assert_eq!(relative(root, Path::new("/elsewhere/a.md")), None);
        assert_eq!(
            relative(root, Path::new("../a.md")).as_deref(),
            Some("../a.md")
        );
    }
}

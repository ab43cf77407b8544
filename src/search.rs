//! Full-text search: a [Pagefind](https://pagefind.app) index of the
//! rendered pages, built in-process and written under `pagefind/` in the
//! output, next to the pages it indexes.
//!
//! What gets indexed is decided by attributes in the page HTML, emitted by
//! the theme's templates:
//!
//! - `data-pagefind-body` on the element that holds a page's content. Once
//!   any page has it, pages without it (drafts, `noindex` pages, `404.html`)
//!   are left out, and so is everything outside it (navigation, footer).
//! - `data-pagefind-meta="title"` on the `<h1>`: the result's title.
//! - `data-pagefind-filter="section:…"` and `data-pagefind-meta="section:…"`:
//!   the section, as a filter and as text shown in results.
//! - `data-pagefind-ignore` on parts of the body that should not be
//!   searched (say, a table of contents).
//!
//! The browser side is the theme's `search.js`, which loads
//! `pagefind/pagefind.js` relative to the site root.

use std::path::PathBuf;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;

/// The folder, under the output root, that holds the search index.
pub const SEARCH_DIR: &str = "pagefind";

/// Files of pagefind's own ready-made search UIs. The theme has its own UI,
/// so these are not written (they are most of the index's bytes on small
/// sites).
const UNUSED_UI_FILES: [&str; 4] = [
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];

/// The search index of a site: files to write under `pagefind/` in the
/// output.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// (path relative to the output root, e.g. `pagefind/pagefind.js`,
    /// bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    /// Pages in the index (pages without `data-pagefind-body` are not, when
    /// other pages have it).
    pub pages: usize,
    /// Total size of `files`.
    pub bytes: usize,
}

/// Indexes rendered pages, given as (output path like
/// `process/conditioning/index.html`, full HTML). The order of `pages` does
/// not matter: the same pages give the same files.
pub fn index<'a>(
    pages: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<SearchIndex, Diagnostic> {
    let mut pages: Vec<(&str, &str)> = pages.into_iter().collect();
    // Pages arrive in whatever order parallel rendering finished them.
    pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
    pages.dedup_by(|a, b| a.0 == b.0);

    // Pagefind is async. Run it on a runtime of its own, on a thread of its
    // own, so this function may be called from anywhere, including from
    // inside another tokio runtime (`marrow serve`).
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| failure(format!("cannot start the indexer: {e}")))?;
                runtime.block_on(index_async(&pages))
            })
            .join()
            .unwrap_or_else(|_| Err(failure("the search indexer crashed")))
    })
}

async fn index_async(pages: &[(&str, &str)]) -> Result<SearchIndex, Diagnostic> {
    let config = PagefindServiceConfig::builder().build();
    let mut pagefind = PagefindIndex::new(Some(config))
        .map_err(|e| failure(format!("cannot set up the indexer: {e}")))?;
    for (path, html) in pages {
        pagefind
            .add_html_file(Some((*path).to_string()), None, (*html).to_string())
            .await
            .map_err(|e| {
                Diagnostic::file(*path, format!("cannot index this page for search: {e}"))
            })?;
    }
    let synthetic = pagefind
        .get_files()
        .await
        .map_err(|e| failure(format!("cannot build the search index: {e}")))?;

    let mut files: Vec<(String, Vec<u8>)> = synthetic
        .into_iter()
        .map(|f| (slash_path(&f.filename), f.contents))
        .filter(|(name, _)| !UNUSED_UI_FILES.iter().any(|ui| name.starts_with(ui)))
        .map(|(name, bytes)| (format!("{SEARCH_DIR}/{name}"), bytes))
        .collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let pages = indexed_pages(&files);
    let bytes = files.iter().map(|(_, b)| b.len()).sum();
    Ok(SearchIndex {
        files,
        pages,
        bytes,
    })
}

/// A relative path with `/` separators, whatever the platform.
fn slash_path(path: &std::path::Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The number of pages in the index, from `pagefind-entry.json` (one count
/// per language), which knows which pages pagefind left out.
fn indexed_pages(files: &[(String, Vec<u8>)]) -> usize {
    let entry = format!("{SEARCH_DIR}/pagefind-entry.json");
    files
        .iter()
        .find(|(name, _)| *name == entry)
        .and_then(|(_, bytes)| serde_json::from_slice::<serde_json::Value>(bytes).ok())
        .and_then(|v| {
            v["languages"].as_object().map(|langs| {
                langs
                    .values()
                    .filter_map(|l| l["page_count"].as_u64())
                    .sum::<u64>() as usize
            })
        })
        .unwrap_or(0)
}

fn failure(message: impl Into<String>) -> Diagnostic {
    Diagnostic::file(PathBuf::from(SEARCH_DIR), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, section: &str, body: &str, indexed: bool) -> String {
        let body_attr = if indexed {
            format!(
                r#" data-pagefind-body data-pagefind-filter="section:{section}" data-pagefind-meta="section:{section}""#
            )
        } else {
            String::new()
        };
        format!(
            r#"<!DOCTYPE html><html lang="en-GB"><head><title>{title} – Guide</title></head>
<body><nav><a href="../">Home</a> Navigation words like menu</nav>
<main><article{body_attr}><h1 data-pagefind-meta="title">{title}</h1>
<p>{body}</p></article></main><footer>Disclaimer footer</footer></body></html>"#
        )
    }

    fn sample() -> Vec<(String, String)> {
        vec![
            (
                "process/conditioning/index.html".into(),
                page(
                    "Conditioning",
                    "The transplant process",
                    "Conditioning is chemotherapy before the transplant.",
                    true,
                ),
            ),
            (
                "process/engraftment/index.html".into(),
                page(
                    "Engraftment",
                    "The transplant process",
                    "Engraftment is when your neutrophil count recovers.",
                    true,
                ),
            ),
            (
                "drafts/secret/index.html".into(),
                page(
                    "Secret draft",
                    "Drafts",
                    "Unpublished neutrophil notes.",
                    false,
                ),
            ),
        ]
    }

    fn run(pages: &[(String, String)]) -> SearchIndex {
        index(pages.iter().map(|(p, h)| (p.as_str(), h.as_str()))).unwrap()
    }

    #[test]
    fn indexes_pages_with_a_body_and_skips_the_others() {
        let idx = run(&sample());
        let names: Vec<&str> = idx.files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("pagefind/index/") && n.ends_with(".pf_index")),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.ends_with(".pf_meta")), "{names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("pagefind/wasm.")),
            "{names:?}"
        );
        // Two pages carry data-pagefind-body; the draft does not.
        assert_eq!(idx.pages, 2);
        // One fragment per indexed page.
        let fragments = names
            .iter()
            .filter(|n| n.starts_with("pagefind/fragment/"))
            .count();
        assert_eq!(fragments, 2, "{names:?}");
        // The theme has its own UI: pagefind's is not written.
        assert!(
            !names.iter().any(|n| n.contains("pagefind-ui")),
            "{names:?}"
        );
        assert!(names.iter().all(|n| n.starts_with("pagefind/")));
        assert_eq!(
            idx.bytes,
            idx.files.iter().map(|(_, b)| b.len()).sum::<usize>()
        );
    }

    #[test]
    fn the_same_pages_in_any_order_give_the_same_files() {
        let pages = sample();
        let a = run(&pages);
        let mut reversed = pages.clone();
        reversed.reverse();
        let b = run(&reversed);
        let names = |i: &SearchIndex| i.files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        // Pagefind's file names are hashes of their contents.
        assert_eq!(a.files, b.files);
    }

    #[test]
    fn works_from_inside_a_tokio_runtime() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let idx = rt.block_on(async { run(&sample()) });
        assert_eq!(idx.pages, 2);
    }

    #[test]
    fn no_pages_give_an_empty_index() {
        let idx = index(std::iter::empty()).unwrap();
        assert_eq!(idx.pages, 0);
    }
}

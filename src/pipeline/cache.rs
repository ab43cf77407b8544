//! What a build remembers of each page for the next build into the same
//! folder, so that an everyday rebuild renders only the pages that changed.
//!
//! A page's HTML is made from its own file and from the rest of the site:
//! the settings, theme, templates, glossary, snippets and facts, the
//! options and the marrow binary, and every page's address, title and
//! other front matter (navigation, listings, links and review states read
//! them). All of that but the pages' bodies goes into one key, the
//! [`context`]. A page whose text and context are those of the last build
//! gets the file that build wrote for it (see [`crate::output::Sink::keep`])
//! without rendering its Markdown or its template.
//!
//! What the link checks need of a page is kept with it (its ids and its
//! links to headings of other pages), so a link to a heading that an edit
//! removed is still reported. Pages with any finding are never kept: they
//! are rendered, and their findings reported, on every build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::derive::Derived;
use crate::markdown::{AnchorRef, Rendered};
use crate::model::Site;

/// Pages of one build, by source path relative to `content/`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct PageRecords {
    /// The [`context`] they were built in.
    pub(crate) context: u128,
    pub(crate) pages: HashMap<String, PageRecord>,
}

/// What the last build made of one page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PageRecord {
    /// xxh3-128 of the page's file as read (front matter and body).
    pub(crate) text: u128,
    /// xxh3-128 of the HTML written for it.
    pub(crate) output: u128,
    /// Every id a link may target on the page.
    pub(crate) ids: Vec<String>,
    /// Its links to headings of other pages.
    pub(crate) anchor_refs: Vec<AnchorRef>,
}

impl PageRecord {
    /// The record of a page rendered from text hashing to `text` into HTML
    /// hashing to `output`; `None` when it had findings (it is rendered
    /// again).
    pub(crate) fn of(text: u128, output: u128, rendered: &Rendered) -> Option<PageRecord> {
        if !rendered.diagnostics.is_empty() || !rendered.link_problems.is_empty() {
            return None;
        }
        let mut ids: Vec<String> = rendered.ids.iter().cloned().collect();
        ids.sort_unstable();
        Some(PageRecord {
            text,
            output,
            ids,
            anchor_refs: rendered.anchor_refs.clone(),
        })
    }

    /// What the link checks read of the page, as rendering it would give.
    pub(crate) fn rendered(&self) -> Rendered {
        Rendered {
            ids: self.ids.iter().cloned().collect(),
            anchor_refs: self.anchor_refs.clone(),
            ..Rendered::default()
        }
    }
}

/// What a build knows of the last one: the hash of each input file it
/// read this time (to tell the pages' files from the rest), the options
/// and binary, and the last build's records.
pub(crate) struct Prior {
    /// Hash of the binary and the options.
    pub(crate) options: u128,
    /// Every input file on disk and the hash of its bytes (`None`:
    /// unreadable).
    pub(crate) inputs: Vec<(PathBuf, Option<u128>)>,
    /// The last build's pages, when it recorded them.
    pub(crate) records: Option<PageRecords>,
    /// The pages' bytes, as read for the fingerprint.
    pub(crate) preread: crate::content::Preread,
    /// The last build's search counts, when the manifest vouched for them
    /// (read while the pages are: the index is the last thing built).
    pub(crate) search: Pending<Option<crate::search::SearchCounts>>,
    /// Where this build's search counts go (see [`crate::search::Recall`]).
    pub(crate) search_out: Option<std::sync::Arc<std::sync::Mutex<dyn std::io::Write + Send>>>,
}

/// A value made on a thread of its own, waited for when first asked for.
pub(crate) struct Pending<T> {
    value: std::sync::OnceLock<T>,
    making: std::sync::Mutex<Option<std::thread::JoinHandle<T>>>,
}

impl<T: Default + Send + 'static> Pending<T> {
    /// Starts making the value with `make`. Where no thread can be
    /// started the value is the default (for search counts: none, so every
    /// page is counted again).
    pub(crate) fn start(make: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
        let making = (std::thread::Builder::new().name("marrow-prior".into()))
            .spawn(make)
            .ok();
        Pending {
            value: std::sync::OnceLock::new(),
            making: std::sync::Mutex::new(making),
        }
    }

    /// The value, waiting for it if it is still being made (the default if
    /// making it failed).
    pub(crate) fn get(&self) -> &T {
        self.value.get_or_init(|| {
            let making = self.making.lock().unwrap_or_else(|p| p.into_inner()).take();
            making.and_then(|h| h.join().ok()).unwrap_or_default()
        })
    }
}

/// What this build holds its pages against the last build's with: its
/// [`context`] and the hash of each page's text, by page id (taken once).
pub(crate) struct Against<'a> {
    pub(crate) prior: &'a Prior,
    pub(crate) context: u128,
    pub(crate) texts: Vec<u128>,
}

impl<'a> Against<'a> {
    pub(crate) fn new(site: &Site, derived: &Derived, prior: &'a Prior) -> Against<'a> {
        use rayon::prelude::*;
        Against {
            prior,
            context: context(site, derived, prior),
            texts: (site.pages.par_iter())
                .map(|p| xxh3_128(p.doc.text.as_bytes()))
                .collect(),
        }
    }

    /// The last build's record of page `id` (of source `rel`), when it was
    /// built in this context from the same text.
    pub(crate) fn lookup(&self, id: usize, rel: &str) -> Option<&'a PageRecord> {
        let records = (self.prior.records.as_ref()).filter(|r| r.context == self.context)?;
        let record = records.pages.get(rel)?;
        (Some(&record.text) == self.texts.get(id)).then_some(record)
    }

    /// What the search index may take from the last build, when the build
    /// records its own counts.
    pub(crate) fn recall(&self) -> Option<crate::search::Recall<'_>> {
        Some(crate::search::Recall {
            out: self.prior.search_out.as_deref()?,
            context: self.context,
            last: (self.prior.search.get().as_ref()).filter(|s| s.context == self.context),
            texts: &self.texts,
        })
    }
}

/// The key of everything a page's HTML depends on besides its own body
/// (see the module's documentation).
pub(crate) fn context(site: &Site, derived: &Derived, prior: &Prior) -> u128 {
    let pages: std::collections::HashSet<&Path> =
        site.pages.iter().map(|p| p.source.path.as_path()).collect();
    let mut key = Xxh3::new();
    key.update(&prior.options.to_le_bytes());
    for (path, hash) in &prior.inputs {
        if pages.contains(path.as_path()) {
            continue;
        }
        key.update(path.as_os_str().as_encoded_bytes());
        key.update(&[0]);
        key.update(&hash.unwrap_or(0).to_le_bytes());
    }
    for (id, p) in site.pages.iter().enumerate() {
        let front = p.doc.text.get(..p.doc.body_start).unwrap_or("");
        let line = format!("{}\0{:?}\0{}\0", p.source.rel, p.kind, p.doc.body_start);
        key.update(line.as_bytes());
        // A generated page (a section without `_index.md`, the glossary)
        // has no file of its own: all of its text counts.
        key.update(match p.kind.is_generated() {
            true => p.doc.text.as_bytes(),
            false => front.as_bytes(),
        });
        // A translation's state reads its source's body.
        if let Some(state) = derived.translation(id) {
            key.update(format!("{state:?}").as_bytes());
        }
        key.update(&[0]);
    }
    key.digest128()
}

#[cfg(test)]
mod tests {
    use super::Pending;

    #[test]
    fn a_pending_value_is_waited_for_and_a_failed_one_is_the_default() {
        let (tell, told) = std::sync::mpsc::channel::<()>();
        let value = Pending::start(move || {
            // Not made until the other thread below says so, which is
            // after `get` was called: `get` has to wait for it.
            let _ = told.recv();
            vec![1, 2, 3]
        });
        let teller = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            tell.send(()).unwrap();
        });
        assert_eq!(value.get(), &[1, 2, 3]);
        assert_eq!(value.get(), &[1, 2, 3], "made once");
        teller.join().unwrap();
        let failed: Pending<Option<u32>> = Pending::start(|| panic!("cannot read"));
        assert_eq!(failed.get(), &None);
    }
}

//! What serve does behind the browser's reload: the Markdown and links of
//! every page (after the first build), the templates of the pages nobody
//! asked for, and the search index. Each stops as soon as a file changes,
//! to start again at the next quiet moment.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Engine, IndexTodo, Refresh, Stop, Update};
use crate::diagnostics::Diagnostic;
use crate::model::PageId;
use crate::output::Files;
use crate::pipeline;

impl Engine {
    /// Renders every page's Markdown and checks the site's links, when the
    /// first build left that for later ([`Self::start`]). Stops early, to
    /// start again later, when `stop` says so. Returns the update to
    /// publish when it found errors.
    pub(crate) fn render_markdown(&mut self, stop: &Stop<'_>) -> Option<Update> {
        let started = Instant::now();
        let all = {
            let guard = self.build.read();
            let built = guard.as_ref().filter(|b| b.markdown_pending())?;
            built.render_markdown(stop)?
        };
        let mut guard = self.build.write();
        let built = guard.as_mut()?;
        self.link_errors = pipeline::markdown_findings(&all, built.site.config.links).errors;
        built.rendered = all;
        drop(guard);
        let summary = "checked the Markdown and links of every page".into();
        (!self.link_errors.is_empty()).then(|| self.update(Refresh::None, summary, started))
    }

    /// Checks the templates of every page of the last rebuild (pages are
    /// rendered only when asked for, so their errors are found here, after
    /// the browser has reloaded). Returns the update to publish when that
    /// changed the errors.
    /// Stops early, to start again later, when `stop` says so.
    pub(crate) fn check_pages(&mut self, stop: &Stop<'_>) -> Option<Update> {
        if !self.unchecked {
            return None;
        }
        let started = Instant::now();
        let (found, listings) = self.build.read().as_ref()?.check(stop)?;
        self.unchecked = false;
        // A page edited since the rebuild reports its own errors.
        let found: BTreeMap<PageId, Diagnostic> = (found.into_iter())
            .filter(|(id, _)| !self.page_errors.contains_key(id))
            .collect();
        if found == self.template_errors && listings == self.listing_errors {
            return None;
        }
        self.template_errors = found;
        self.listing_errors = listings;
        Some(self.update(Refresh::None, "checked every page".into(), started))
    }

    /// Brings the search index up to date with the served pages. Called
    /// after a change is published, so the browser reloads first and the
    /// index catches up behind it: edited pages re-send only the index
    /// files their words are in. Returns the time taken, if it ran. A
    /// whole index stops early when `stop` says so, to start again later.
    pub(crate) fn reindex(&mut self, stop: &Stop<'_>) -> Option<Duration> {
        let todo = std::mem::take(&mut self.index_todo);
        let guard = self.build.read();
        let state = guard.as_ref()?;
        if !state.site.config.search.enabled || matches!(todo, IndexTodo::Nothing) {
            return None;
        }
        let started = Instant::now();
        let mut files = Files::clone(self.files.as_ref()?);
        let incremental = match (&todo, self.search.as_mut()) {
            (IndexTodo::Pages(pages), Some(live)) => pages
                .iter()
                .map(|&id| live.update(&state.site, &state.derived, id))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        match incremental {
            Some(changes) => {
                for (path, bytes) in changes.into_iter().flatten() {
                    files.insert(path, Arc::from(bytes));
                }
            }
            None => {
                let Some((live, fragments)) =
                    crate::search::SiteSearch::build(&state.site, &state.derived, stop)
                else {
                    self.index_todo = IndexTodo::All;
                    return None;
                };
                files.retain(|path, _| !crate::search::is_index_file(path));
                for (path, bytes) in fragments.into_iter().chain(live.files(&state.site)) {
                    files.insert(path, Arc::from(bytes));
                }
                self.search = Some(live);
            }
        }
        self.files = Some(Arc::new(files));
        Some(started.elapsed())
    }
}

//! Serve's edits of what shortcodes read: a snippet or `data/facts.yaml`
//! re-renders only the pages whose shortcodes read what changed.

use super::{Engine, PageId};
use crate::shortcodes;

impl Engine {
    /// Reads snippets and facts again; the pages using one that changed
    /// (`None` when the new files have errors: a rebuild reports them).
    pub(super) fn reload_shortcodes(&mut self) -> Option<Vec<PageId>> {
        let mut guard = self.build.write();
        let state = guard.as_mut()?;
        let (library, errors) = shortcodes::Library::load(
            &self.opts.root,
            &state.site.config,
            &state.templates.theme.shortcode_sources(),
        );
        if !errors.is_empty() {
            return None;
        }
        let changed = state.site.shortcodes.changes(&library);
        state.site.shortcodes = library;
        let users = state.rendered.iter().enumerate();
        Some(
            users
                .filter(|(_, r)| r.uses.iter().any(|u| changed.contains(u)))
                .map(|(id, _)| id)
                .collect(),
        )
    }
}

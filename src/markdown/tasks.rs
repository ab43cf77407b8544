//! Task list items (`- [x]`).

use super::escape;
use crate::i18n::Strings;

/// A task list checkbox: read-only, and labelled with its state, as a
/// checkbox without a label has no accessible name.
pub(super) fn task_marker(done: bool, strings: &Strings) -> String {
    if done {
        format!(
            "<input type=\"checkbox\" disabled checked aria-label=\"{}\"> ",
            escape(strings.get("task_done"))
        )
    } else {
        format!(
            "<input type=\"checkbox\" disabled aria-label=\"{}\"> ",
            escape(strings.get("task_not_done"))
        )
    }
}

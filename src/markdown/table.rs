//! Markdown tables as HTML that works on a phone: every body cell carries
//! its column's header as a label, for the theme's narrow layout.

use pulldown_cmark::{Alignment, Event};

use super::escape;
use crate::i18n::Strings;

/// A Markdown table, written here rather than by pulldown-cmark so that
/// it works on any screen and under any Content-Security-Policy:
///
/// - Each body cell starts with its column's header as a label,
///   `<span class="cell-label" aria-hidden="true" hidden>`. Browsers hide
///   it (and so does a theme that knows nothing about it); the default
///   theme shows it when the table is too narrow for its columns and each
///   row becomes a block of labelled cells (the NHS website's responsive
///   table), without JavaScript. Screen readers never read it: they keep
///   the real table and announce the column headers themselves. (No
///   explicit `role`s: HTML forbids them on a table's parts, and browsers
///   keep a table's semantics when CSS changes how it is displayed;
///   `tests/site_quality.rs` checks Chromium's accessibility tree.)
/// - `table-stack` (two columns or more) lets the theme switch layouts.
/// - Column alignment is a class (`align-left`…), not a `style`
///   attribute, as pages must work without `'unsafe-inline'` styles.
/// - A header cell with no text is a `<td>`, not an empty `<th>`; a
///   header row with no text at all is left out.
/// - `table-cols-N` says how many columns it has, for themes.
pub(super) struct Table {
    align: Vec<Alignment>,
    /// Each column's header as label HTML: its text and code, no links,
    /// ids or other markup (which must not appear twice on a page).
    labels: Vec<String>,
    in_head: bool,
    in_cell: bool,
    column: usize,
    body_open: bool,
    /// Indexes into the output events: the header row's first event and
    /// the current cell's.
    head_at: usize,
    cell_at: usize,
}

impl Table {
    pub(super) fn new(align: Vec<Alignment>) -> Table {
        Table {
            labels: vec![String::new(); align.len()],
            align,
            in_head: false,
            in_cell: false,
            column: 0,
            body_open: false,
            head_at: 0,
            cell_at: 0,
        }
    }

    /// The scrolling box (named for screen readers, as it is focusable)
    /// and the table's start.
    pub(super) fn start(&self, strings: &Strings) -> String {
        let n = self.align.len();
        let stack = if n > 1 { " table-stack" } else { "" };
        let label = escape(strings.get("table_label"));
        format!(
            "<div class=\"table-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"{label}\">\n<table class=\"table-cols-{n}{stack}\">\n"
        )
    }

    /// Collects the header text for the labels (called for every event
    /// inside the table, before any rewriting).
    pub(super) fn observe(&mut self, event: &Event) {
        if !(self.in_head && self.in_cell) {
            return;
        }
        let Some(label) = self.labels.get_mut(self.column) else {
            return;
        };
        match event {
            Event::Text(t) => label.push_str(&escape(t)),
            Event::Code(t) => {
                label.push_str("<code>");
                label.push_str(&escape(t));
                label.push_str("</code>");
            }
            Event::SoftBreak | Event::HardBreak => label.push(' '),
            _ => {}
        }
    }

    pub(super) fn head_start(&mut self, at: usize) -> &'static str {
        self.in_head = true;
        self.column = 0;
        self.head_at = at;
        "<thead><tr>"
    }

    pub(super) fn head_end(&mut self, out: &mut Vec<Event>) {
        self.in_head = false;
        if self.labels.iter().all(|l| l.trim().is_empty())
            && out[self.head_at..]
                .iter()
                .all(|e| matches!(e, Event::Html(_)))
        {
            // Nothing to show in the header: no header row at all.
            out.truncate(self.head_at);
        } else {
            out.push(Event::Html("</tr></thead>\n".into()));
        }
    }

    pub(super) fn row_start(&mut self) -> String {
        self.column = 0;
        if self.body_open {
            "<tr>".into()
        } else {
            self.body_open = true;
            "<tbody>\n<tr>".into()
        }
    }

    pub(super) fn align_class(&self) -> &'static str {
        match self.align.get(self.column) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            _ => "",
        }
    }

    pub(super) fn cell_start(&mut self, at: usize) -> String {
        self.in_cell = true;
        self.cell_at = at;
        let class = self.align_class();
        if self.in_head {
            return format!("<th scope=\"col\"{class}>");
        }
        let label = self.labels.get(self.column).map_or("", |l| l.trim());
        if label.is_empty() {
            format!("<td{class}>")
        } else {
            format!(
                "<td{class}><span class=\"cell-label\" aria-hidden=\"true\" hidden>{label}</span>"
            )
        }
    }

    pub(super) fn cell_end(&mut self, out: &mut [Event]) -> &'static str {
        self.in_cell = false;
        let class = self.align_class();
        self.column += 1;
        if !self.in_head {
            "</td>"
        } else if out.len() == self.cell_at + 1 {
            // An empty header cell (a table's top-left corner) heads nothing.
            out[self.cell_at] = Event::Html(format!("<td{class}>").into());
            "</td>"
        } else {
            "</th>"
        }
    }

    pub(super) fn end(self) -> String {
        let body = if self.body_open { "</tbody>\n" } else { "" };
        format!("{body}</table>\n</div>\n")
    }
}

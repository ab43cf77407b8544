//! Footnotes, numbered in order of first reference, with ids that cannot
//! collide with heading ids (`fn-…`, `fnref-…`) and links both ways.

use std::collections::HashMap;

use super::{encode_fragment, escape};
use crate::i18n::Strings;

#[derive(Default)]
pub(super) struct Footnotes {
    numbers: HashMap<String, usize>,
    references: HashMap<String, usize>,
    open: Option<(String, usize)>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    /// A reference: the number, linking to the note (each use of a note
    /// gets its own id, for the way back).
    pub(super) fn reference(&mut self, label: &str, strings: &Strings) -> String {
        let n = self.number(label);
        let key = footnote_key(label);
        let count = self.references.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            format!("fnref-{key}")
        } else {
            format!("fnref-{key}-{count}")
        };
        let hidden = escape(strings.get("footnote_label"));
        format!(
            "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{key}\"><span class=\"visually-hidden\">{hidden} </span>{n}</a></sup>"
        )
    }

    /// The start of a note: its HTML and its id.
    pub(super) fn definition_start(&mut self, label: &str) -> (String, String) {
        let n = self.number(label);
        let key = footnote_key(label);
        self.open = Some((key.clone(), n));
        (
            format!(
                "<div class=\"footnote-definition\" id=\"fn-{key}\">\n<sup class=\"footnote-definition-label\">{n}</sup>\n"
            ),
            format!("fn-{key}"),
        )
    }

    /// The end of a note, with the link back to its first reference.
    pub(super) fn definition_end(&mut self, strings: &Strings) -> String {
        match self.open.take() {
            Some((key, n)) => {
                let back = strings.fill_html("footnote_back", &[("n", &n.to_string())]);
                format!(
                    "<a class=\"footnote-backref\" href=\"#fnref-{key}\"><span aria-hidden=\"true\">↩</span><span class=\"visually-hidden\">{back}</span></a>\n</div>\n"
                )
            }
            None => "</div>\n".into(),
        }
    }
}

/// A footnote label as an id fragment: no whitespace, HTML-safe.
fn footnote_key(label: &str) -> String {
    let joined: String = label
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    escape(&encode_fragment(&joined))
}

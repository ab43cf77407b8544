//! Shortcodes whose rewrite depends on where they stand: a fenced block
//! set inside the list item or quote around it, and the site's own
//! address (`{{ site.baseurl }}`) joined to the path after it.

use super::super::{Body, code_block, scan, shown};
use super::{Hugo, Tag};
use crate::import::report::Kind;

impl Hugo<'_> {
    /// Whether the site has a shortcode template `name` of its own
    /// (in `layouts/shortcodes/` or a theme's), which then means what
    /// that template does, not what Hugo's built-in does.
    pub(super) fn site_defines(&self, name: &str) -> bool {
        let file = format!("layouts/shortcodes/{name}.html");
        if self.cx.root.join(&file).is_file() {
            return true;
        }
        std::fs::read_dir(self.cx.root.join("themes"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|t| t.path().join(&file).is_file())
    }

    /// `{{< highlight lang >}}…{{< /highlight >}}`: a fenced block, set
    /// inside the list item or quote the tag stands in; used inline with
    /// no language (a site marking text), its text.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn highlight(
        &mut self,
        body: &Body<'_>,
        tag: &Tag,
        at: usize,
        inner: std::ops::Range<usize>,
        close_end: usize,
        src: &str,
        line: usize,
    ) -> String {
        let text = body.text;
        let lang = tag
            .positional(0)
            .or_else(|| tag.arg(&["lang"]))
            .unwrap_or("");
        let line_start = text[..at].rfind('\n').map_or(0, |k| k + 1);
        let before = &text[line_start..at];
        let (cont, lead) = container(before);
        let line_end = text[close_end..]
            .find('\n')
            .map_or(text.len(), |k| close_end + k);
        let trail = text[close_end..line_end].trim();
        // The closing tag's own indentation is not code.
        let code = &text[inner.clone()];
        let code = match code.rsplit_once('\n') {
            Some((head, last)) if last.chars().all(|c| matches!(c, ' ' | '\t' | '>')) => {
                &code[..head.len() + 1]
            }
            _ => code,
        };
        if lang.is_empty() && !code.contains('\n') && (!lead.trim().is_empty() || !trail.is_empty())
        {
            self.note(
                Kind::Template,
                line,
                shown(src),
                "a highlight with no language inside a sentence; its text is kept",
            );
            let mut out = String::new();
            scan(body, inner, self, &mut out);
            return out;
        }
        let block = code_block(code, lang);
        if cont.is_empty() && lead.trim().is_empty() {
            return block;
        }
        let mut out = String::new();
        let inline = !lead.trim().is_empty();
        if inline {
            out.push('\n');
        }
        for (i, l) in block.trim_start_matches('\n').lines().enumerate() {
            if i > 0 || inline {
                out.push_str(&cont);
            }
            out.push_str(l.strip_prefix(cont.as_str()).unwrap_or(l));
            out.push('\n');
        }
        if trail.is_empty() {
            out.pop(); // the line's own newline follows
        } else {
            out.push_str(&cont);
        }
        out
    }
}

/// The list markers and quote marks `before` starts with, as the prefix
/// that continues their container on a new line (`- ` → `  `, `> ` →
/// `> `), and the text after them.
fn container(before: &str) -> (String, &str) {
    let mut i = 0;
    let b = before.as_bytes();
    loop {
        let start = i;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i < b.len() && b[i] == b'>' {
            i += 1;
            if i < b.len() && b[i] == b' ' {
                i += 1;
            }
            continue;
        }
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let marker = if i < b.len() && b"-*+".contains(&b[i]) {
            1
        } else if digits > 0 && digits < 10 && b.get(i + digits).is_some_and(|c| b".)".contains(c))
        {
            digits + 1
        } else {
            0
        };
        if marker > 0 && b.get(i + marker) == Some(&b' ') {
            i += marker;
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            continue;
        }
        i = start;
        break;
    }
    let cont = before[..i]
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect();
    (cont, &before[i..])
}

/// The path a template expression stands for when it is the site's own
/// address: `site.baseurl`, `.Site.BaseURL` (→ ``), `"x" | relURL`,
/// `absURL "x"` (→ `x`); `None` for any other expression.
pub(super) fn site_address(expr: &str) -> Option<String> {
    let e = expr
        .trim()
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    let bare = e.trim_start_matches('$').trim_start_matches('.');
    if bare.eq_ignore_ascii_case("site.baseurl") {
        return Some(String::new());
    }
    const FUNCS: [&str; 4] = ["relurl", "absurl", "rellangurl", "abslangurl"];
    let quoted = |s: &str| {
        let s = s.trim();
        s.strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .filter(|s| !s.contains(['"', '{', '}']))
            .map(str::to_string)
    };
    if let Some((value, func)) = e.split_once('|') {
        return FUNCS
            .contains(&func.trim().to_ascii_lowercase().as_str())
            .then(|| quoted(value))
            .flatten();
    }
    let (func, value) = e.split_once(' ')?;
    FUNCS
        .contains(&func.to_ascii_lowercase().as_str())
        .then(|| quoted(value))
        .flatten()
}

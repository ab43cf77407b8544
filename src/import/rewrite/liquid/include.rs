//! Jekyll includes: as marrow snippets, or written in place when they
//! are given values they read (`{{ include.text }}`).

use super::Liquid;
use crate::import::SourcePage;
use crate::import::report::Kind;
use crate::import::rewrite::shortcodes::scalar;

impl Liquid<'_> {
    /// An include that reads its parameters (`{{ include.text }}`) and is
    /// given some: a snippet would lose them, so its text is written in
    /// place with the values filled in. Returns whether it was.
    pub(super) fn inline(
        &mut self,
        source: &str,
        params: &str,
        line: usize,
        src: &str,
        out: &mut String,
    ) -> bool {
        let params = include_params(params, &self.page.front);
        if params.is_empty() || self.depth >= 5 {
            return false;
        }
        let Ok(text) = std::fs::read_to_string(self.cx.root.join(source)) else {
            return false;
        };
        if !text.contains("include.") {
            return false;
        }
        let mut text = crate::content::front_matter::normalize(&text);
        if source.ends_with(".html") || source.ends_with(".htm") {
            text = crate::import::rewrite::one_html_block(&text);
        }
        let page = SourcePage {
            src_rel: source.to_string(),
            dst_rel: self.page.dst_rel.clone(),
            front: self.page.front.clone(),
            body: fill_include(&text, &params),
            body_line: 1,
            ..SourcePage::default()
        };
        let r = Liquid::rewrite_at(self.cx, &page, self.depth + 1);
        self.out.findings.extend(r.findings);
        self.out.snippets.extend(r.snippets);
        self.note(
            Kind::Template,
            line,
            src,
            "an include with parameters; its text is written in place with the values given",
        );
        out.push_str(r.text.trim_end_matches('\n'));
        true
    }
}

/// `text="Hi" kind='note' n=page.x` → the values (a variable only when
/// it is a key of the page's front matter).
pub(super) fn include_params(
    s: &str,
    front: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (Some(after[1..1 + end].to_string()), &after[end + 2..]),
                None => (None, ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                let var = &after[..end];
                let v = var
                    .strip_prefix("page.")
                    .and_then(|k| front.get(k))
                    .and_then(scalar);
                (v, &after[end..])
            }
        };
        if let Some(v) = value
            && !key.is_empty()
            && !key.contains(char::is_whitespace)
        {
            out.push((key, v));
        }
        rest = next.trim_start();
    }
    out
}

/// The include's text with `{{ include.key }}` outputs given their value.
pub(super) fn fill_include(text: &str, params: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(i) = text[at..].find("{{") {
        let p = at + i;
        out.push_str(&text[at..p]);
        let Some(j) = text[p..].find("}}") else {
            at = p;
            break;
        };
        let inner = text[p + 2..p + j].trim_matches('-').trim();
        let key = inner.strip_prefix("include.").map(|k| {
            k.split(|c: char| c.is_whitespace() || c == '|')
                .next()
                .unwrap_or("")
        });
        match key.and_then(|k| params.iter().find(|(pk, _)| pk == k)) {
            Some((_, v)) => out.push_str(v),
            None => out.push_str(&text[p..p + j + 2]),
        }
        at = p + j + 2;
    }
    out.push_str(&text[at..]);
    out
}

/// The snippet file for an include: `_includes/a/b.html` → `a-b.md`.
pub(crate) fn snippet_name(source: &str, relative: bool) -> String {
    let rel = if relative {
        source
    } else {
        source.strip_prefix("_includes/").unwrap_or(source)
    };
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    format!(
        "{}.md",
        stem.replace('/', "-").trim_start_matches(['_', '.'])
    )
}

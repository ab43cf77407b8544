//! Jekyll's Liquid (`{{ output | filter }}`, `{% tag %}`) rewritten into
//! Markdown links, marrow snippets and plain text.

use std::borrow::Cow;

use super::shortcodes::{lookup, scalar};
use super::{Body, Context, Rewritten, Templates, code_block, code_span, scan, shown, tidy};
use crate::import::SourcePage;
use crate::import::report::{Finding, Kind};

mod include;

pub(crate) use include::snippet_name;
#[cfg(test)]
use include::{fill_include, include_params};

/// Liquid tags whose only effect is logic or variables: removed, the
/// text between them kept.
const LOGIC: [&str; 22] = [
    "if",
    "elsif",
    "else",
    "endif",
    "unless",
    "endunless",
    "for",
    "endfor",
    "case",
    "when",
    "endcase",
    "assign",
    "increment",
    "decrement",
    "break",
    "continue",
    "cycle",
    "tablerow",
    "endtablerow",
    "with",
    "endwith",
    "liquid",
];

/// Rewrites the Liquid of one page (or include file).
pub(crate) struct Liquid<'a> {
    cx: &'a Context<'a>,
    page: &'a SourcePage,
    out: Rewritten,
    /// The construct being rewritten is inside an HTML attribute.
    in_html: bool,
    depth: usize,
}

impl<'a> Liquid<'a> {
    pub(crate) fn rewrite(cx: &'a Context<'a>, page: &'a SourcePage) -> Rewritten {
        Liquid::rewrite_at(cx, page, 0)
    }

    /// `depth`: how many includes deep this text is (an include that
    /// includes itself stops at 5).
    fn rewrite_at(cx: &'a Context<'a>, page: &'a SourcePage, depth: usize) -> Rewritten {
        let (text, changes) = super::kramdown::attribute_lists(&page.body);
        let body = Body::new(&text, page.body_line);
        let mut l = Liquid {
            cx,
            page,
            out: Rewritten::default(),
            in_html: false,
            depth,
        };
        for (line, what, did) in changes {
            l.out.findings.push(Finding::new(
                Kind::Template,
                &page.src_rel,
                page.body_line + line,
                what,
                did,
            ));
        }
        let mut out = String::with_capacity(text.len());
        scan(&body, 0..text.len(), &mut l, &mut out);
        l.out.text = tidy(&out);
        l.out
    }

    fn note(&mut self, kind: Kind, line: usize, src: &str, did: impl Into<String>) {
        self.out.findings.push(Finding::new(
            kind,
            &self.page.src_rel,
            line,
            shown(src),
            did,
        ));
    }

    /// An old-site address as a link of the new site; as written (and
    /// reported) when the site has nothing there.
    fn url(&mut self, url: &str, line: usize, src: &str) -> String {
        let url = url.trim();
        if url.contains("://") || url.starts_with("mailto:") || url.starts_with("//") {
            return url.to_string();
        }
        let base = lookup(&self.cx.info.settings, "baseurl")
            .and_then(scalar)
            .unwrap_or_default();
        let base = base.trim_end_matches('/');
        let path = match url.strip_prefix(base) {
            Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => rest,
            _ => url,
        };
        let path = if path.starts_with('/') || path.starts_with('#') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        match self.cx.index.resolve_url(self.from(), &path, self.in_html) {
            Some(link) => self.rooted(link),
            None => {
                self.note(
                    Kind::Broken,
                    line,
                    src,
                    format!("no page or file of the site has that address; written as `{path}`"),
                );
                path
            }
        }
    }

    /// `{{ … }}` from `at` to `close_end`; returns where the rewrite ends
    /// (past `close_end` when a path after `site.baseurl` was taken in).
    fn output(
        &mut self,
        body: &Body<'_>,
        at: usize,
        close_end: usize,
        end: usize,
        out: &mut String,
    ) -> usize {
        let text = body.text;
        let src = &text[at..close_end];
        let line = body.line(at);
        let inner = src[2..src.len() - 2].trim_matches('-').trim();
        let parts = split_outside_quotes(inner, '|');
        let expr = parts[0].trim();
        let filters: Vec<&str> = parts[1..]
            .iter()
            .map(|f| f.split(':').next().unwrap_or("").trim())
            .collect();
        let url_filter = filters
            .iter()
            .any(|f| *f == "relative_url" || *f == "absolute_url")
            || parts[1..]
                .iter()
                .any(|f| f.contains("site.baseurl") || f.contains("site.url"));
        if let Some(lit) = unquote(expr) {
            if url_filter {
                out.push_str(&self.url(lit, line, src));
            } else {
                out.push_str(lit);
                if !filters.is_empty() {
                    self.note(
                        Kind::Template,
                        line,
                        src,
                        "Liquid filters dropped; the text is kept",
                    );
                }
            }
            return close_end;
        }
        if matches!(expr, "site.baseurl" | "site.url" | "site.github.url") && filters.is_empty() {
            let rest = &text[close_end..end];
            if rest.starts_with("{{") || rest.starts_with("{%") {
                return close_end; // the link that follows makes its own address
            }
            let path_len = rest
                .find(|c: char| c.is_whitespace() || "()\"'<>[]".contains(c))
                .unwrap_or(rest.len());
            let path = &rest[..path_len];
            let whole = &text[at..close_end + path_len];
            let path = if path.starts_with('/') { path } else { "/" };
            out.push_str(&self.url(path, line, whole));
            return close_end + path_len;
        }
        let value = if let Some(key) = expr.strip_prefix("page.") {
            let front = serde_json::Value::Object(self.page.front.clone());
            lookup(&front, key).and_then(scalar)
        } else if let Some(key) = expr.strip_prefix("site.") {
            lookup(&self.cx.info.settings, key).and_then(scalar)
        } else {
            None
        };
        match value.filter(|_| filters.is_empty()) {
            Some(v) => {
                let v = html_escape::decode_html_entities(&v).into_owned();
                self.note(
                    Kind::Template,
                    line,
                    src,
                    format!("replaced by its value “{v}”"),
                );
                out.push_str(&v);
            }
            None if text[..at].ends_with("mailto:") => self.note(
                Kind::Broken,
                line,
                src,
                "an e-mail address marrow cannot know (not in the site's settings); \
                 the `mailto:` link is left empty: write the address in",
            ),
            None => self.note(
                Kind::Template,
                line,
                src,
                "a Liquid value marrow cannot know; removed",
            ),
        }
        close_end
    }

    /// `{% … %}` from `at` to `close_end`.
    fn tag(
        &mut self,
        body: &Body<'_>,
        at: usize,
        close_end: usize,
        end: usize,
        out: &mut String,
    ) -> usize {
        let text = body.text;
        let src = &text[at..close_end];
        let line = body.line(at);
        let inner = src[2..src.len() - 2].trim_matches('-').trim();
        let (name, args) = inner
            .split_once(char::is_whitespace)
            .map_or((inner, ""), |(n, a)| (n, a.trim()));
        match name {
            "raw" | "highlight" | "comment" | "capture" => {
                let closer = format!("end{name}");
                let Some((inner_end, after)) = find_tag(text, close_end, end, &closer) else {
                    self.note(
                        Kind::Template,
                        line,
                        src,
                        format!("`{name}` without `{closer}`; kept as text in code"),
                    );
                    out.push_str(&code_span(src));
                    return close_end;
                };
                let inner = &text[close_end..inner_end];
                match name {
                    "raw" => {
                        out.push_str(&if body.has_template_outside_code(close_end..inner_end) {
                            if inner.contains('\n') {
                                code_block(inner, "")
                            } else {
                                code_span(inner)
                            }
                        } else {
                            inner.to_string()
                        })
                    }
                    "highlight" => {
                        let lang = args.split_whitespace().next().unwrap_or("");
                        out.push_str(&code_block(inner, lang));
                    }
                    "capture" => self.note(
                        Kind::Template,
                        line,
                        src,
                        "a Liquid variable capture; removed with its content",
                    ),
                    _ => {} // a comment readers never saw
                }
                after
            }
            "link" => {
                let path = args.trim_matches(['"', '\'']);
                out.push_str(&self.link(path, line, src));
                close_end
            }
            "post_url" => {
                out.push_str(&self.post_url(args.trim_matches(['"', '\'']), line, src));
                close_end
            }
            "include" | "include_relative" => {
                self.include(name == "include_relative", args, line, src, out);
                close_end
            }
            _ if LOGIC.contains(&name) => {
                if !name.starts_with("end") && name != "else" {
                    self.note(
                        Kind::Template,
                        line,
                        src,
                        "Liquid logic; the tag is removed, the text around it kept",
                    );
                }
                close_end
            }
            _ => {
                self.note(
                    Kind::Template,
                    line,
                    src,
                    "a Liquid tag without a marrow equivalent; removed",
                );
                close_end
            }
        }
    }

    fn link(&mut self, path: &str, line: usize, src: &str) -> String {
        let ix = self.cx.index;
        if let Some(i) = ix.page_by_src(path, false) {
            return self.rooted(ix.link_in(self.from(), i, None, self.in_html));
        }
        if ix.is_static(path) {
            return format!("/{}", path.trim_start_matches('/'));
        }
        self.note(
            Kind::Broken,
            line,
            src,
            "no such file in the site; the link points at it as written",
        );
        // Jekyll's `link` paths are from the site's root, not the page's folder.
        format!("/{}", path.trim_start_matches('/'))
    }

    /// The content path links are made from: a snippet is shown inside
    /// pages at any depth, so its links start at the root (see [`Self::rooted`]).
    fn from(&self) -> &str {
        if self.page.dst_rel.starts_with("_snippets/") {
            ""
        } else {
            &self.page.dst_rel
        }
    }

    /// A link made from [`Self::from`], root-relative in a snippet
    /// (`/guide/a.md`), which marrow resolves the same from every page
    /// that includes it.
    fn rooted(&self, link: String) -> String {
        let relative = !link.starts_with(['/', '#', '\u{1A}']) && !link.contains("://");
        if self.page.dst_rel.starts_with("_snippets/") && relative {
            format!("/{link}")
        } else {
            link
        }
    }

    fn post_url(&mut self, name: &str, line: usize, src: &str) -> String {
        let ix = self.cx.index;
        let (dir, file) = name.rsplit_once('/').unwrap_or(("", name));
        let found = [format!("_posts/{name}"), format!("{dir}/_posts/{file}")]
            .iter()
            .find_map(|p| ix.page_by_src(p, false))
            .or_else(|| ix.page_by_src(file, true));
        match found {
            Some(i) => self.rooted(ix.link_in(self.from(), i, None, self.in_html)),
            None => {
                self.note(
                    Kind::Broken,
                    line,
                    src,
                    "no such post; the link points at it as written",
                );
                format!("{file}.md")
            }
        }
    }

    /// `{% include x.html %}`: the include as a snippet of the new site.
    fn include(&mut self, relative: bool, args: &str, line: usize, src: &str, out: &mut String) {
        let file = args
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(['"', '\'']);
        if file.is_empty() || file.contains("{{") {
            self.note(
                Kind::Template,
                line,
                src,
                "an include named by a variable; removed",
            );
            return;
        }
        let source = if relative {
            let dir = self.page.src_rel.rsplit_once('/').map_or("", |(d, _)| d);
            if dir.is_empty() {
                file.to_string()
            } else {
                format!("{dir}/{file}")
            }
        } else {
            format!("_includes/{file}")
        };
        if !self.cx.root.join(&source).is_file() {
            self.note(
                Kind::Broken,
                line,
                src,
                format!("`{source}` does not exist; removed"),
            );
            return;
        }
        let rest = args.trim_start().get(file.len()..).unwrap_or("").trim();
        let rest = rest.trim_start_matches(['"', '\'']);
        if self.inline(&source, rest, line, src, out) {
            return;
        }
        let name = snippet_name(&source, relative);
        if args.split_whitespace().nth(1).is_some() {
            self.note(
                Kind::Template,
                line,
                src,
                format!("the include's parameters are dropped; it is the snippet `{name}`"),
            );
        }
        out.push_str(&format!("{{{{ include(file=\"{name}\") }}}}"));
        self.out.snippets.push((source, name));
    }
}

impl Templates for Liquid<'_> {
    fn construct(
        &mut self,
        body: &Body<'_>,
        at: usize,
        end: usize,
        out: &mut String,
    ) -> Option<usize> {
        let text = body.text;
        self.in_html = super::in_html_attribute(text, at);
        let closer = if text[at..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let Some(close_end) = find_closer(text, at + 2, end, closer) else {
            // Never closed: Jekyll would stop; keep it as text in code.
            let line_end = text[at..end].find('\n').map_or(end, |k| at + k);
            let src = &text[at..line_end];
            self.note(
                Kind::Template,
                body.line(at),
                src,
                "unclosed Liquid; kept as text in code",
            );
            out.push_str(&code_span(src));
            return Some(line_end);
        };
        Some(if closer == "}}" {
            self.output(body, at, close_end, end, out)
        } else {
            self.tag(body, at, close_end, end, out)
        })
    }

    fn code<'t>(&mut self, code: &'t str) -> Cow<'t, str> {
        strip_raw_tags(code)
    }
}

/// Code with Liquid's `{% raw %}` and `{% endraw %}` taken out: Jekyll
/// shows what is between them as it is, which code in marrow already does.
pub(crate) fn strip_raw_tags(code: &str) -> Cow<'_, str> {
    if !code.contains("{%") {
        return Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len());
    let mut at = 0;
    while let Some(i) = code[at..].find("{%") {
        let p = at + i;
        out.push_str(&code[at..p]);
        match code[p..].find("%}") {
            Some(j)
                if matches!(
                    code[p + 2..p + j].trim_matches('-').trim(),
                    "raw" | "endraw"
                ) =>
            {
                at = p + j + 2;
            }
            _ => {
                out.push_str("{%");
                at = p + 2;
            }
        }
    }
    out.push_str(&code[at..]);
    Cow::Owned(out)
}

/// Just past `closer` (`}}`, `%}`) after `from`, skipping quoted text.
fn find_closer(text: &str, from: usize, end: usize, closer: &str) -> Option<usize> {
    let mut quote = None;
    let bytes = text.as_bytes();
    let mut i = from;
    while i < end {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if bytes[i..end].starts_with(closer.as_bytes()) => return Some(i + 2),
            None if c == b'\n' && bytes[i + 1..end].starts_with(b"\n") => return None,
            None => {}
        }
        i += 1;
    }
    None
}

/// The tag `name` (`endraw`) after `from`: (where it starts, just past it).
fn find_tag(text: &str, from: usize, end: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = text[at..end].find("{%") {
        let p = at + i;
        let j = text[p..end].find("%}")?;
        if text[p + 2..p + j].trim_matches('-').trim() == name {
            return Some((p, p + j + 2));
        }
        at = p + 2;
    }
    None
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == sep => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            None => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn unquote(s: &str) -> Option<&str> {
    let s = s.trim();
    (s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\''))))
    .then(|| &s[1..s.len() - 1])
}

#[cfg(test)]
mod tests;

//! Hugo shortcodes (`{{< name args >}}`, `{{% name args %}}`, with or
//! without a body) rewritten into Markdown and marrow's own shortcodes.

use super::{
    Body, Context, Rewritten, Templates, callout, callout_kind, code_span, destination, quoted,
    scan, shown,
};
use crate::import::SourcePage;
use crate::import::report::{Finding, Kind};
use std::borrow::Cow;

mod placed;
mod tag;

pub(crate) use tag::{Tag, find_close, parse_tag};

/// Rewrites the Hugo shortcodes of one page.
pub(crate) struct Hugo<'a> {
    pub cx: &'a Context<'a>,
    pub page: &'a SourcePage,
    pub out: Rewritten,
}

impl<'a> Hugo<'a> {
    pub(crate) fn rewrite(cx: &'a Context<'a>, page: &'a SourcePage) -> Rewritten {
        let body = Body::new(&page.body, page.body_line);
        let mut h = Hugo {
            cx,
            page,
            out: Rewritten::default(),
        };
        let mut text = String::with_capacity(page.body.len());
        scan(&body, 0..page.body.len(), &mut h, &mut text);
        h.out.text = super::tidy(&text);
        h.out
    }

    fn note(&mut self, kind: Kind, line: usize, what: String, did: &str) {
        self.out
            .findings
            .push(Finding::new(kind, &self.page.src_rel, line, what, did));
    }

    /// `{{< ref "x" >}}`: the relative Markdown link to the page named.
    fn reference(&mut self, tag: &Tag, at: usize, line: usize, src: &str) -> String {
        let target = tag
            .arg(&["path", "page"])
            .or_else(|| tag.positional(0))
            .unwrap_or("");
        let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
        let fragment = (!fragment.is_empty()).then_some(fragment);
        if path.is_empty() {
            return fragment.map(|f| format!("#{f}")).unwrap_or_default();
        }
        let dir = self.page.src_rel.rsplit_once('/').map_or("", |(d, _)| d);
        let ix = self.cx.index;
        let found = if let Some(abs) = path.strip_prefix('/') {
            ix.page_by_src(&format!("content/{abs}"), false)
        } else {
            ix.page_by_src(
                &crate::import::links::normalise(&format!("{dir}/{path}")).unwrap_or_default(),
                false,
            )
            .or_else(|| ix.page_by_src(&format!("content/{path}"), false))
            .or_else(|| ix.page_by_src(path, true))
        };
        match found {
            Some(i) => ix.link_in(
                &self.page.dst_rel,
                i,
                fragment,
                super::in_html_attribute(&self.page.body, at),
            ),
            None => {
                self.note(
                    Kind::Broken,
                    line,
                    shown(src),
                    "no page of the site has that name; the link points at it as written",
                );
                let mut out = path.to_string();
                if let Some(f) = fragment {
                    out.push('#');
                    out.push_str(f);
                }
                out
            }
        }
    }

    fn image(&mut self, tag: &Tag, line: usize, src_text: &str) -> String {
        let src = tag
            .arg(&["src", "source", "url", "path", "file", "name", "image"])
            .or_else(|| tag.positional(0))
            .unwrap_or("");
        let caption = tag
            .arg(&["caption"])
            .or_else(|| tag.arg(&["title"]))
            .filter(|c| !c.trim().is_empty());
        let alt = tag
            .arg(&["alt", "alt_text", "alttext", "description"])
            .or_else(|| tag.positional(1))
            .filter(|a| !a.trim().is_empty());
        if src.is_empty() {
            self.note(
                Kind::Template,
                line,
                shown(src_text),
                "image without a source; removed",
            );
            return String::new();
        }
        if !looks_like_path(src) {
            // `{{< img src="analytics-usa-gov" >}}`: the site's templates
            // looked the image up by a name marrow cannot follow.
            self.note(
                Kind::Broken,
                line,
                shown(src_text),
                "names an image by an ID, not a file; removed (its alt text kept)",
            );
            return alt.or(caption).unwrap_or("").to_string();
        }
        if src.starts_with("http://") || src.starts_with("https://") || src.starts_with("//") {
            self.note(
                Kind::Embed,
                line,
                shown(src_text),
                "an image from another website, replaced by a link (marrow sites load nothing from third parties)",
            );
            let text = alt.or(caption).unwrap_or("Image").replace(['[', ']'], "");
            return format!("[{text}]({})", destination(src));
        }
        if src.starts_with('/') && !self.cx.index.is_static(src) {
            self.note(
                Kind::Broken,
                line,
                shown(src_text),
                "the image is not in static/; the reference is kept as written",
            );
        }
        if tag.arg(&["link"]).is_some() {
            self.note(
                Kind::Template,
                line,
                shown(src_text),
                "the image's link is not kept",
            );
        }
        match caption {
            Some(c) => {
                let alt = match alt {
                    Some(a) => a.to_string(),
                    None => {
                        self.note(
                            Kind::Template,
                            line,
                            shown(src_text),
                            "no alt text: the caption is used as alt text, write a better one",
                        );
                        strip_markup(c)
                    }
                };
                format!(
                    "{{{{ figure(src={}, alt={}, caption={}) }}}}",
                    quoted(src),
                    quoted(&alt),
                    quoted(c)
                )
            }
            None => {
                if alt.is_none() {
                    self.note(
                        Kind::Template,
                        line,
                        shown(src_text),
                        "image without alt text; write one",
                    );
                }
                let alt = alt.unwrap_or("").replace(['[', ']'], "");
                format!("![{alt}]({})", destination(src))
            }
        }
    }

    fn embed(&mut self, tag: &Tag, line: usize, src_text: &str) -> String {
        let id = tag.arg(&["id"]).or_else(|| tag.positional(0)).unwrap_or("");
        let user = tag
            .arg(&["user"])
            .or_else(|| tag.positional(0))
            .unwrap_or("");
        let (url, what) = match tag.name.to_ascii_lowercase().as_str() {
            "youtube" => (
                format!("https://www.youtube.com/watch?v={id}"),
                "Watch the video on YouTube",
            ),
            "vimeo" => (
                format!("https://vimeo.com/{id}"),
                "Watch the video on Vimeo",
            ),
            "gist" => (
                format!(
                    "https://gist.github.com/{user}/{}",
                    tag.positional(1).unwrap_or(id)
                ),
                "See the code on GitHub",
            ),
            "instagram" => (
                format!("https://www.instagram.com/p/{id}/"),
                "See the post on Instagram",
            ),
            _ => {
                let id = tag.arg(&["id"]).or_else(|| tag.positional(1)).unwrap_or("");
                (
                    format!("https://x.com/{user}/status/{id}"),
                    "See the post on X",
                )
            }
        };
        let text = tag.arg(&["title"]).unwrap_or(what);
        self.note(
            Kind::Embed,
            line,
            shown(src_text),
            "replaced by a plain link (marrow sites load nothing from third parties)",
        );
        format!("[{}]({url})", text.replace(['[', ']'], ""))
    }

    /// `{{< param "x" >}}`: the page's or the site's parameter, as text.
    fn param(&mut self, tag: &Tag, line: usize, src_text: &str) -> String {
        let name = tag
            .arg(&["name"])
            .or_else(|| tag.positional(0))
            .unwrap_or("");
        let page = serde_json::Value::Object(self.page.front.clone());
        let found = [
            lookup(&page, name),
            lookup(&page, &format!("params.{name}")),
            lookup(&self.cx.info.settings, &format!("params.{name}")),
        ]
        .into_iter()
        .flatten()
        .find_map(scalar);
        match found {
            Some(v) => v,
            None => {
                self.note(
                    Kind::Template,
                    line,
                    shown(src_text),
                    "parameter not found; removed",
                );
                String::new()
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn paired(
        &mut self,
        body: &Body<'_>,
        tag: &Tag,
        at: usize,
        inner: std::ops::Range<usize>,
        close_end: usize,
        src: &str,
        line: usize,
    ) -> String {
        let lower = tag.name.to_ascii_lowercase();
        if lower == "highlight" && !self.site_defines("highlight") {
            return self.highlight(body, tag, at, inner, close_end, src, line);
        }
        let mut text = String::new();
        scan(body, inner, self, &mut text);
        let kind = callout_kind(&lower).map(|k| {
            // `notice warning`, `alert type="danger"`: the argument says which.
            tag.arg(&["type", "kind", "class", "color", "style", "theme"])
                .or_else(|| tag.positional(0))
                .and_then(callout_kind)
                .unwrap_or(k)
        });
        let title = tag.arg(&["title", "header", "heading"]).or_else(|| {
            tag.positional(0)
                .filter(|p| callout_kind(p).is_none() && tag.positional(1).is_none())
        });
        match kind {
            Some(k) => callout(k, title, &text),
            None => {
                self.note(
                    Kind::Template,
                    line,
                    shown(src),
                    "no marrow equivalent; its inner content is kept",
                );
                text
            }
        }
    }
}

/// A dotted key (`params.author.name`) in a value, case-insensitively as
/// Hugo reads settings.
pub(crate) fn lookup<'v>(v: &'v serde_json::Value, dotted: &str) -> Option<&'v serde_json::Value> {
    let mut cur = v;
    for key in dotted.split('.').filter(|k| !k.is_empty()) {
        let m = cur.as_object()?;
        cur = m.get(key).or_else(|| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })?;
    }
    Some(cur)
}

pub(crate) fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Text without Markdown emphasis or HTML tags, for alt text.
fn strip_markup(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            '*' | '_' | '`' if !in_tag => {}
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

const IMAGES: [&str; 8] = [
    "figure",
    "img",
    "image",
    "imgproc",
    "picture",
    "photo",
    "gallery-image",
    "resize",
];
/// File endings of images a browser shows.
const IMAGE_EXTS: [&str; 9] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico",
];

/// A site's own shortcode that shows an image (`{{< legacy-img src=…
/// alt=… >}}`): a `src` that is an image file, or a `src` and an `alt`.
fn image_like(tag: &Tag) -> bool {
    let Some(src) = tag.arg(&["src", "source", "image"]) else {
        return false;
    };
    is_image_file(src) || (tag.arg(&["alt"]).is_some() && looks_like_path(src))
}

fn is_image_file(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether `src` names a file or an address, not an ID the site's
/// templates resolve: it has a `/` or a file ending.
fn looks_like_path(src: &str) -> bool {
    src.contains('/') || src.contains("://") || is_image_file(src) || src.contains('.')
}

const EMBEDS: [&str; 6] = ["youtube", "vimeo", "gist", "tweet", "twitter", "instagram"];

impl Templates for Hugo<'_> {
    fn construct(
        &mut self,
        body: &Body<'_>,
        at: usize,
        end: usize,
        out: &mut String,
    ) -> Option<usize> {
        let text = body.text;
        let line = body.line(at);
        let Some(tag) = parse_tag(text, at, end) else {
            return Some(self.foreign(body, at, end, out));
        };
        let src = &text[at..tag.end];
        if let Some(lit) = &tag.literal {
            out.push_str(&code_span(lit));
            return Some(tag.end);
        }
        if tag.closing {
            self.note(
                Kind::Template,
                line,
                shown(src),
                "closing tag without an opening one; removed",
            );
            return Some(tag.end);
        }
        let lower = tag.name.to_ascii_lowercase();
        let close = if tag.self_closing {
            None
        } else {
            find_close(text, tag.end, end, &tag.name)
        };
        if let Some((close_start, close_end)) = close {
            let whole = &text[at..close_end];
            let r = self.paired(body, &tag, at, tag.end..close_start, close_end, whole, line);
            out.push_str(&r);
            return Some(close_end);
        }
        let r = match lower.as_str() {
            "ref" | "relref" => self.reference(&tag, at, line, src),
            n if IMAGES.contains(&n) || image_like(&tag) => self.image(&tag, line, src),
            n if EMBEDS.contains(&n) => self.embed(&tag, line, src),
            "param" => self.param(&tag, line, src),
            _ => {
                self.note(
                    Kind::Template,
                    line,
                    shown(src),
                    "no marrow equivalent; removed",
                );
                String::new()
            }
        };
        out.push_str(&r);
        Some(tag.end)
    }

    fn code<'t>(&mut self, code: &'t str) -> Cow<'t, str> {
        if !code.contains("/*") {
            return Cow::Borrowed(code);
        }
        // Hugo shows `{{</* x */>}}` as `{{< x >}}`, in code too.
        Cow::Owned(
            code.replace("{{</*", "{{<")
                .replace("*/>}}", ">}}")
                .replace("{{%/*", "{{%")
                .replace("*/%}}", "%}}"),
        )
    }
}

impl Hugo<'_> {
    /// Template syntax that is not a shortcode (`{{ .Title }}`, `{% x %}`,
    /// a tag Hugo could not parse either): kept as text in code.
    fn foreign(&mut self, body: &Body<'_>, at: usize, end: usize, out: &mut String) -> usize {
        let text = &body.text[..end];
        let closer = if text[at..].starts_with("{%") {
            "%}"
        } else {
            "}}"
        };
        let line_end = text[at..].find('\n').map_or(end, |k| at + k);
        let stop = text[at + 2..line_end]
            .find(closer)
            .map_or(line_end, |k| at + 2 + k + 2);
        let src = &text[at..stop];
        if let Some(path) = src
            .strip_prefix("{{")
            .and_then(|s| s.strip_suffix("}}"))
            .and_then(placed::site_address)
        {
            return self.site_address(body, at, stop, &path, out);
        }
        self.note(
            Kind::Template,
            body.line(at),
            shown(src),
            "template syntax Hugo shows as text; kept as text in code",
        );
        out.push_str(&code_span(src));
        stop
    }

    /// `{{ site.baseurl }}/x/`, `{{ "x" | relURL }}` (left from a Jekyll
    /// past or copied from a template): the address written from the
    /// site's root, linked to its page when the site has one.
    fn site_address(
        &mut self,
        body: &Body<'_>,
        at: usize,
        stop: usize,
        path: &str,
        out: &mut String,
    ) -> usize {
        let text = body.text;
        // What follows the tag belongs to the address: `{{ site.baseurl }}/a/`.
        let rest = &text[stop..];
        let tail_len = rest
            .find(|c: char| c.is_whitespace() || "()\"'<>[]".contains(c))
            .unwrap_or(rest.len());
        let tail = &rest[..tail_len];
        let joined = format!("/{}{tail}", path.trim_start_matches('/'));
        let joined = if joined.starts_with("//") {
            joined[1..].to_string()
        } else {
            joined
        };
        let html = super::in_html_attribute(text, at);
        let link = self
            .cx
            .index
            .resolve_url(&self.page.dst_rel, &joined, html)
            .unwrap_or_else(|| joined.clone());
        self.note(
            Kind::Template,
            body.line(at),
            shown(&text[at..stop]),
            format!("the site's address in a template tag; written as `{joined}`").as_str(),
        );
        out.push_str(&link);
        stop + tail_len
    }
}

#[cfg(test)]
pub(crate) mod tests;

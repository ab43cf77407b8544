//! Links and images: destinations rewritten to the page's output URL and
//! checked, anchors checked (same page now, other pages once every page
//! has its ids), and links written as their own address marked.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use super::event_loop::PageCx;
use super::{AnchorRef, Rendered, escape};
use crate::diagnostics::Diagnostic;
use crate::model::{LinkTarget, PageId};

/// The links of one page being read.
#[derive(Default)]
pub(super) struct Links {
    /// Anchors on this page linked to, and where: checked at the end, when
    /// every id of the page is known.
    local_anchors: Vec<(String, usize)>,
    /// The link being read outside headings: where its start event is in
    /// the output, and its text.
    bare: Option<(usize, String)>,
    /// The link being read leads to a page in another language (a page
    /// not translated yet): the note to write after it.
    other_language: Option<String>,
}

impl Links {
    /// Rewrites and checks the destination of a link or image starting at
    /// `offset`; `out_len` is where its start event goes in the output.
    pub(super) fn start<'a>(
        &mut self,
        tag: Tag<'a>,
        in_heading: bool,
        out_len: usize,
        offset: usize,
        cx: &PageCx,
        r: &mut Rendered,
    ) -> Tag<'a> {
        // `<a@b.org>`: an email address, never a page of the site.
        if let Tag::Link {
            link_type: LinkType::Email,
            ..
        } = tag
        {
            return tag;
        }
        if matches!(tag, Tag::Link { .. }) && !in_heading {
            self.bare = Some((out_len, String::new()));
        }
        let what = if matches!(tag, Tag::Image { .. }) {
            "image"
        } else {
            "link"
        };
        map_destination(tag, |dest| {
            let target = cx.site.resolve_link(cx.page, &dest);
            self.check(&target, what, &dest, offset, cx, r);
            if let LinkTarget::Page { id, .. } = target
                && what == "link"
                && cx.site.pages[id].lang != cx.site.pages[cx.page].lang
            {
                let language = cx.site.languages().get(cx.site.pages[id].lang);
                self.other_language = Some(format!(
                    " <span class=\"lang-fallback\">{}</span>",
                    cx.strings.fill_html(
                        "translation_fallback",
                        &[("language", &escape(&language.name))]
                    )
                ));
            }
            // External and unparsed links have no href of ours: they stay
            // as written.
            cx.site.href(cx.page, &target).map_or(dest, CowStr::from)
        })
    }

    /// Records link text, to tell whether a link is its own address.
    pub(super) fn text(&mut self, t: &str) {
        if let Some((_, text)) = &mut self.bare {
            text.push_str(t);
        }
    }

    /// At a link's end: marks its start in `out` if the link is a bare URL.
    /// Returns the note to write after a link to a page in another
    /// language.
    pub(super) fn end(&mut self, out: &mut [Event]) -> Option<String> {
        if let Some((at, text)) = self.bare.take()
            && let Some(html) = bare_url_link(&out[at], &text)
        {
            out[at] = Event::Html(html.into());
        }
        self.other_language.take()
    }

    /// Errors for same-page anchors that no id of the page (`r.ids`) has.
    pub(super) fn check_local_anchors(self, r: &mut Rendered, cx: &PageCx) {
        for (anchor, offset) in self.local_anchors {
            if !r.ids.contains(&anchor) {
                r.link_problems.push(
                    cx.at(
                        offset,
                        format!("link to `#{anchor}`: no heading with that id on this page"),
                    )
                    .with_help(suggest_anchor(&anchor, &r.ids)),
                );
            }
        }
    }

    /// `what` is "link" or "image", as messages call it.
    fn check(
        &mut self,
        target: &LinkTarget,
        what: &str,
        dest: &str,
        offset: usize,
        cx: &PageCx,
        r: &mut Rendered,
    ) {
        match target {
            LinkTarget::Missing { problem, help } => r.link_problems.push(
                cx.at(offset, format!("{what} `{dest}` {problem}"))
                    .with_help(help.clone()),
            ),
            LinkTarget::Page {
                id,
                fragment: Some(f),
            } if *id == cx.page => self.local_anchors.push((f.clone(), offset)),
            LinkTarget::Page {
                id,
                fragment: Some(f),
            } => r.anchor_refs.push(AnchorRef {
                target: *id,
                anchor: f.clone(),
                missing: cx.at(
                    offset,
                    format!(
                        "link `{dest}`: `{}` has no heading with id `{f}`",
                        cx.site.pages[*id].source.display().display()
                    ),
                ),
            }),
            _ => {}
        }
    }
}

/// A web link whose text is its own address (`<https://…>`, or
/// `[nhs.uk](https://www.nhs.uk/)`), written with `class="bare-url"`: the
/// theme prints the address after every other link, and would print these
/// twice.
fn bare_url_link(start: &Event, text: &str) -> Option<String> {
    let Event::Start(Tag::Link {
        dest_url, title, ..
    }) = start
    else {
        return None;
    };
    // The address as people write it: no scheme, `www.` or final `/`.
    let plain = |s: &str| {
        let s = s.trim().to_lowercase();
        let s = ["https://", "http://"]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .unwrap_or(&s);
        let s = s.strip_prefix("www.").unwrap_or(s);
        s.trim_end_matches('/').to_string()
    };
    let web = ["https://", "http://"].iter().any(|p| {
        dest_url
            .get(..p.len())
            .is_some_and(|d| d.eq_ignore_ascii_case(p))
    });
    if !web || plain(text) != plain(dest_url) {
        return None;
    }
    let mut html = String::from("<a class=\"bare-url\" href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut html, dest_url);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        html.push_str(&escape(title));
        html.push('"');
    }
    html.push('>');
    Some(html)
}

/// Applies `f` to the destination of a link or image tag.
fn map_destination<'a>(tag: Tag<'a>, f: impl FnOnce(CowStr<'a>) -> CowStr<'a>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        other => other,
    }
}

fn suggest_anchor(anchor: &str, ids: &HashSet<String>) -> String {
    match crate::diagnostics::suggest(anchor, ids.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => "this page has no headings to link to".into(),
        None => "heading ids are the heading text in lower case with hyphens, or set one with `## Heading {#my-id}`".into(),
    }
}

/// Looks up which ids a rendered page declares, for cross-page checks.
pub(crate) fn missing_anchors<'a>(
    refs: impl IntoIterator<Item = &'a AnchorRef>,
    ids_of: impl Fn(PageId) -> Option<&'a HashSet<String>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in refs {
        if let Some(ids) = ids_of(r.target)
            && !ids.contains(&r.anchor)
        {
            out.push(r.missing.clone().with_help(suggest_anchor(&r.anchor, ids)));
        }
    }
    out
}

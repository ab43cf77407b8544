//! The publishing checks of one page: review dates and reviewers, and
//! script in its Markdown.

use crate::review::{Review, Status};

use super::report::{Problem, Severity};

/// Script in a page's Markdown: `<script>` elements, inline event
/// handlers (`onclick=`…) and `javascript:` links, with their line in the
/// file. Writers may need raw HTML; running code is the theme's business.
pub(crate) fn unsafe_html(
    doc: &crate::content::front_matter::Document,
) -> Vec<(usize, &'static str)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let body = doc.body();
    if !may_hold_script(body) {
        return Vec::new();
    }
    let line_of = |offset: usize| doc.text[..doc.body_start + offset].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (event, range) in
        Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter()
    {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.contains("<script") {
                    found.push((line_of(range.start), "a <script> element"));
                }
                // Embeds load another site's page, with its scripts and
                // cookies, into ours: a video is better linked to.
                for tag in ["<iframe", "<embed", "<object"] {
                    if lower.contains(tag) {
                        found.push((line_of(range.start), embed_name(tag)));
                    }
                }
                if has_event_handler(&lower) {
                    found.push((line_of(range.start), "an inline event handler (on…=)"));
                }
                if has_javascript_url(&lower) {
                    found.push((line_of(range.start), "a javascript: URL"));
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if has_javascript_url(&dest_url.to_ascii_lowercase()) =>
            {
                found.push((line_of(range.start), "a javascript: link"));
            }
            _ => {}
        }
    }
    found.dedup();
    found
}

/// False only when no Markdown parse of `body` can find script, so most
/// pages skip the parse: raw HTML needs a `<`, and a link's URL is the
/// body's own text with backslashes removed before punctuation, unless a
/// `<…>` destination or an `&` entity changes it. So without `<` and `&`,
/// a `javascript:` URL needs "javascript" in the body, apart from the
/// whitespace and control characters [`has_javascript_url`] drops too.
fn may_hold_script(body: &str) -> bool {
    body.contains(['<', '&']) || has_javascript_url_word(body)
}

/// Whether `text`, lower-cased and without whitespace and control
/// characters, contains "javascript". Only from each `j` on is it read
/// character by character: the search for the next `j` is the fast part.
fn has_javascript_url_word(text: &str) -> bool {
    const WORD: &[u8] = b"javascript";
    let mut rest = text;
    while let Some(at) = rest.find(['j', 'J']) {
        let from = &rest[at..];
        let mut matched = 0;
        let mut stopped = None;
        for (i, c) in from.char_indices() {
            if c.is_whitespace() || c.is_control() {
                continue;
            }
            if c.to_ascii_lowercase() == char::from(WORD[matched]) {
                matched += 1;
                if matched == WORD.len() {
                    return true;
                }
            } else {
                // Never at 0 (a `j` matches): the search moves on.
                stopped = Some(i);
                break;
            }
        }
        let Some(i) = stopped else {
            return false;
        };
        rest = &from[i..];
    }
    false
}

fn embed_name(tag: &str) -> &'static str {
    match tag {
        "<iframe" => "an <iframe> (another site's page embedded in this one: link to it instead)",
        "<embed" => "an <embed> element (content from elsewhere: link to it instead)",
        _ => "an <object> element (content from elsewhere: link to it instead)",
    }
}

/// An attribute `on…=` inside a tag (`<a onclick="…">`), however spaced.
fn has_event_handler(lower_html: &str) -> bool {
    lower_html.match_indices("on").any(|(at, _)| {
        let before = lower_html[..at].chars().next_back();
        let rest = &lower_html[at + 2..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_lowercase()).count();
        before.is_some_and(|c| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            && name_len > 0
            && rest[name_len..].trim_start().starts_with('=')
    })
}

/// `javascript:`, also with the spaces, tabs and newlines browsers ignore
/// inside the scheme.
fn has_javascript_url(lower: &str) -> bool {
    let squeezed: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    squeezed.contains("javascript:")
}

pub(super) fn review_problems(
    review: &Review,
    front: &crate::content::FrontMatter,
    warn_days: u32,
    problems: &mut Vec<Problem>,
) {
    let due = review
        .next_review
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default();
    let problem = match review.status {
        Status::Overdue => Some((Severity::Error, "review_overdue", format!("clinical review was due on {due}: review the page again and record it with `marrow review`"))),
        Status::DueSoon => Some((
            Severity::Warning,
            "review_due_soon",
            format!("clinical review is due on {due} (within {warn_days} days)"),
        )),
        Status::SourcesChecked => Some((
            Severity::Warning,
            "not_clinically_reviewed",
            "sources checked, but no clinical review yet: after a clinician reviews the page, record it with `marrow review PAGE --reviewer NAME --role ROLE`".into(),
        )),
        Status::NeverReviewed => Some((
            Severity::Warning,
            "never_reviewed",
            "not reviewed: record the editors' check of the sources (`sources_checked`, `checked_by`), and a clinician's review with `marrow review`".into(),
        )),
        Status::Ok | Status::Exempt => None,
    };
    if let Some((severity, kind, message)) = problem {
        problems.push(Problem {
            severity,
            kind,
            message,
        });
    }
    if review.status == Status::Exempt {
        return;
    }
    let mut warn = |kind: &'static str, message: String| {
        problems.push(Problem {
            severity: Severity::Warning,
            kind,
            message,
        })
    };
    if front.reviewed.is_none() && (front.reviewer.is_some() || front.next_review.is_some()) {
        warn(
            "review_incomplete",
            "`reviewer` or `next_review` without a `reviewed` date is ignored: the page counts as not clinically reviewed until the date of a clinical review is recorded (`marrow review`)".into(),
        );
    }
    match (front.sources_checked, &front.checked_by) {
        (None, Some(_)) => warn(
            "sources_check_incomplete",
            "`checked_by` without `sources_checked`: add the date the sources were checked".into(),
        ),
        (Some(_), None) => warn(
            "sources_check_incomplete",
            "`sources_checked` without `checked_by`: say who checked the sources".into(),
        ),
        _ => {}
    }
    if let Some(r) = &front.reviewer
        && looks_like_a_sources_check(&r.to_string())
    {
        problems.push(Problem {
            severity: Severity::Warning,
            kind: "reviewer_not_clinical",
            message: format!(
                "`reviewer: {r}` describes a check of the sources, not a clinical review: record it as `sources_checked` and `checked_by`, and keep `reviewed`/`reviewer` for a named clinician's review"
            ),
        });
    }
    if review.status.clinically_reviewed() {
        match &review.reviewer {
            None => problems.push(Problem {
                severity: Severity::Error,
                kind: "no_reviewer",
                message: "a clinical review is recorded (`reviewed`) without a `reviewer`: a review date alone does not tell readers who checked the page. Name the reviewer and their role, e.g. `reviewer: { name: \"Dr Jane Smith\", role: \"Consultant haematologist\" }`".into(),
            }),
            Some(r) if r.role.is_none() => problems.push(Problem {
                severity: Severity::Warning,
                kind: "reviewer_role",
                message: "the reviewer has no role: write `reviewer: { name: \"…\", role: \"…\" }` so readers can see who reviewed the page".into(),
            }),
            Some(_) => {}
        }
    }
}

/// A `reviewer` written to say that no clinician reviewed the page, the way
/// marrow's own guide once did ("writing team: checked against the listed
/// sources (not a clinical review)").
fn looks_like_a_sources_check(reviewer: &str) -> bool {
    let r = reviewer.to_lowercase();
    [
        "not a clinical",
        "not clinical",
        "not a medical",
        "checked against",
        "fact check",
        "fact-check",
        "sources checked",
    ]
    .iter()
    .any(|w| r.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(usize, &'static str)> {
        let text = format!("---\ntitle: T\n---\n{body}");
        let doc = crate::content::front_matter::parse(std::path::Path::new("p.md"), &text).unwrap();
        unsafe_html(&doc)
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_found_with_their_line() {
        assert_eq!(
            found("Text.\n\n<script>alert(1)</script>\n"),
            [(6, "a <script> element")]
        );
        assert_eq!(
            found("Hi <img src=x.png onerror=\"x()\"> there\n"),
            [(4, "an inline event handler (on…=)")]
        );
        assert_eq!(
            found("[click](javascript:alert(1))\n"),
            [(4, "a javascript: link")]
        );
        assert_eq!(
            found("<a href=\"java\tscript:x\">x</a>\n"),
            [(4, "a javascript: URL")]
        );
        assert_eq!(found("<A ONCLICK = 'x'>y</A>\n").len(), 1);
        let video = found("<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n");
        assert_eq!(video.len(), 1);
        assert!(video[0].1.starts_with("an <iframe>"), "{video:?}");
    }

    /// The pages `may_hold_script` lets skip the parse hold none of these.
    #[test]
    fn javascript_links_without_html_are_still_found() {
        for body in [
            "[a](JavaScript:alert(1))\n",
            "[a](javascript\\:alert(1))\n",
            "[a](&#106;avascript:alert(1))\n",
            "[a][r]\n\n[r]: jAvAsCrIpT:x\n",
            "![a](javascript:x)\n",
        ] {
            assert!(may_hold_script(body), "{body}");
            assert_eq!(found(body).len(), 1, "{body}");
        }
        assert!(!may_hold_script(
            "Plain prose, a [link](https://example.org/java/script).\n"
        ));
        assert!(has_javascript_url_word("jjava script"));
        assert!(has_javascript_url_word("Java\u{a0}Scrip\u{85}t"));
        assert!(!has_javascript_url_word("java scrip jam javascrip"));
    }

    #[test]
    fn ordinary_html_and_prose_are_fine() {
        assert!(
            found("<details><summary>More on this</summary>Text about javascript and onions.</details>\n")
                .is_empty()
        );
        assert!(
            found("Words like onion= in prose, and `<script>` in code.\n\n```html\n<script>x</script>\n```\n")
                .is_empty()
        );
        assert!(found("<a href=\"https://example.org/\" data-on=\"1\">x</a>\n").is_empty());
    }
}

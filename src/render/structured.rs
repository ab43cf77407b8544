//! Structured data for search engines: schema.org `MedicalWebPage` in
//! JSON-LD, with the review facts (`lastReviewed`, `reviewedBy`) and the
//! page's citations.

use serde_json::{Value, json};

use crate::model::{PageId, Site};
use crate::review::Review;

/// The JSON-LD of a page, ready to go inside
/// `<script type="application/ld+json">` (`<` is escaped so the text can
/// never close the script element).
pub fn medical_web_page(site: &Site, page: PageId, review: &Review) -> String {
    let p = &site.pages[page];
    let front = p.front();
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": p.title(),
        "inLanguage": site.config.language,
    });
    let fields = [
        ("description", front.description.as_ref().map(|d| json!(d))),
        ("url", site.permalink(page).map(Value::from)),
        ("datePublished", front.date.map(|d| json!(d))),
        (
            "dateModified",
            front
                .updated
                .or(front.date)
                .or(review.last_reviewed)
                .map(|d| json!(d)),
        ),
        ("lastReviewed", review.last_reviewed.map(|d| json!(d))),
        (
            "reviewedBy",
            review
                .reviewer
                .as_ref()
                .filter(|_| review.last_reviewed.is_some())
                .map(|r| json!({ "@type": "Person", "name": r })),
        ),
        (
            "audience",
            front
                .audience
                .as_ref()
                .map(|a| json!({ "@type": "Audience", "audienceType": a })),
        ),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            doc[key] = v;
        }
    }
    if !front.references.is_empty() {
        doc["citation"] = front
            .references
            .iter()
            .map(|r| {
                let mut c = json!({ "@type": "CreativeWork", "name": r.title, "url": r.url });
                if let Some(p) = &r.publisher {
                    c["publisher"] = json!({ "@type": "Organization", "name": p });
                }
                if let Some(y) = r.year {
                    c["datePublished"] = json!(y.to_string());
                }
                c
            })
            .collect();
    }
    doc.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;
    use crate::review::{Status, review};

    #[test]
    fn json_ld_carries_review_and_citations() {
        let site = test_site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            (
                "a.md",
                "---\ntitle: A </script>\nreviewed: 2026-03-03\nreviewer: Dr B, nurse\nupdated: 2026-04-01\nreferences:\n  - title: NHS\n    url: https://www.nhs.uk\n    publisher: NHS\n---\n",
            ),
        ]);
        let id = site.page_from_source("a.md").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let r = review(site.pages[id].front(), &site.config.review, today);
        assert_eq!(r.status, Status::Ok);
        let text = medical_web_page(&site, id, &r);
        assert!(!text.contains("</script>"), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["@type"], "MedicalWebPage");
        assert_eq!(v["lastReviewed"], "2026-03-03");
        assert_eq!(v["reviewedBy"]["name"], "Dr B, nurse");
        assert_eq!(v["dateModified"], "2026-04-01");
        assert_eq!(v["citation"][0]["publisher"]["name"], "NHS");
        assert_eq!(v["name"], "A </script>");
    }
}

//! Structured data for search engines: schema.org `MedicalWebPage` in
//! JSON-LD (`WebPage` for pages that are not medical content), with the
//! page's citations and, only after a clinical review, `lastReviewed` and
//! `reviewedBy`. A sources check is not a review and is not claimed as one.

use serde_json::{Value, json};

use crate::model::{PageId, Site};
use crate::review::{Review, Status};

/// The JSON-LD of a page, ready to go inside
/// `<script type="application/ld+json">` (`<` is escaped so the text can
/// never close the script element).
pub(crate) fn medical_web_page(site: &Site, page: PageId, review: &Review) -> String {
    let p = &site.pages[page];
    let front = p.front();
    let clinical = review.status.clinically_reviewed();
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": if review.status == Status::Exempt { "WebPage" } else { "MedicalWebPage" },
        "name": p.title(),
        "inLanguage": site.languages().get(site.pages[page].lang).tag,
    });
    let fields = [
        ("description", front.description.as_ref().map(|d| json!(d))),
        ("url", site.permalink(page).map(Value::from)),
        ("datePublished", front.date.map(|d| json!(d.to_string()))),
        (
            "dateModified",
            front
                .updated
                .or(front.date)
                .map(|d| d.to_string())
                .or(review.last_reviewed.map(|d| d.to_string()))
                .map(Value::from),
        ),
        (
            "lastReviewed",
            clinical
                .then_some(review.last_reviewed)
                .flatten()
                .map(|d| json!(d)),
        ),
        (
            "reviewedBy",
            review
                .reviewer
                .as_ref()
                .filter(|_| clinical)
                .map(|r| match &r.role {
                    Some(role) => json!({ "@type": "Person", "name": r.name, "jobTitle": role }),
                    None => json!({ "@type": "Person", "name": r.name }),
                }),
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

    #[test]
    fn only_a_clinical_review_is_claimed() {
        let site = test_site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            (
                "checked.md",
                "---\ntitle: C\nsources_checked: 2026-03-03\nchecked_by: Editors\nreviewer: Not A Reviewer\n---\n",
            ),
            (
                "reviewed.md",
                "---\ntitle: R\nreviewed: 2026-03-03\nreviewer: { name: Dr J Smith, role: Consultant haematologist }\n---\n",
            ),
        ]);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let ld = |source: &str, config: &crate::config::ReviewConfig| {
            let id = site.page_from_source(source).unwrap();
            let r = crate::review::for_page(source, site.pages[id].front(), config, today);
            serde_json::from_str::<Value>(&medical_web_page(&site, id, &r)).unwrap()
        };
        let config = crate::config::ReviewConfig::default();
        let v = ld("checked.md", &config);
        assert_eq!(v["@type"], "MedicalWebPage");
        assert!(
            v.get("lastReviewed").is_none() && v.get("reviewedBy").is_none(),
            "{v}"
        );
        let v = ld("reviewed.md", &config);
        assert_eq!(v["lastReviewed"], "2026-03-03");
        assert_eq!(v["reviewedBy"]["name"], "Dr J Smith");
        assert_eq!(v["reviewedBy"]["jobTitle"], "Consultant haematologist");
        let off = crate::config::ReviewConfig {
            enabled: false,
            ..config
        };
        let v = ld("reviewed.md", &off);
        assert_eq!(v["@type"], "WebPage");
        assert!(v.get("lastReviewed").is_none(), "{v}");
    }
}

//! The bundled site is a living test of the tool's medical-publishing
//! rules: every patient page is described, tagged, sourced, checked against
//! its sources and readable; none claims a clinical review that did not
//! happen; it covers the topics a transplant guide must cover; and its
//! pictures have text alternatives.

mod common;

use std::path::Path;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `marrow check` of the bundled site, on a fixed day so the result does
/// not change with the calendar.
fn check_report() -> Value {
    let run = common::marrow_with_env(
        &[
            "check",
            "--root",
            root().to_str().unwrap(),
            "--format",
            "json",
        ],
        &[("MARROW_TODAY", "2026-12-01")],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// Words that describe an editorial check, not a clinician: a `reviewer`
/// holding them is a sources check dressed up as a clinical review.
const NOT_A_CLINICIAN: [&str; 5] = [
    "not a clinical",
    "checked against",
    "writing team",
    "editor",
    "sources",
];

#[test]
fn every_patient_page_is_described_tagged_sourced_checked_and_readable() {
    let report = check_report();
    let pages = report["pages"].as_array().unwrap();
    let mut failures = Vec::new();
    let mut patient_pages = 0;
    let mut unchecked_translations = 0;
    for page in pages {
        let source = page["source"].as_str().unwrap();
        let text = std::fs::read_to_string(root().join(source)).unwrap();
        let doc = marrow::harness::internals::parse_front_matter(Path::new(source), &text).unwrap();
        let front = &doc.front;
        let status = page["review"]["status"].as_str().unwrap();
        let readability = &page["readability"];
        // The grade formula is English; translations are held to short
        // sentences instead (Chinese: at most 25 characters on average).
        match readability["flesch_kincaid_grade"].as_f64() {
            Some(grade) if grade > 8.0 => failures.push(format!("{source}: reading grade above 8")),
            Some(_) => {}
            None => {
                assert_eq!(
                    readability["measure"], "sentence length in characters",
                    "{source}"
                );
                let mean = readability["mean_sentence_length"].as_f64().unwrap();
                if mean > 25.0 {
                    failures.push(format!("{source}: {mean} characters a sentence on average"));
                }
            }
        }
        if front.description.as_deref().unwrap_or("").trim().is_empty() {
            failures.push(format!("{source}: no description"));
        }
        // No clinician has reviewed the bundled guide: no page may say so,
        // in any words, on any page.
        if front.reviewed.is_some() || front.next_review.is_some() {
            failures.push(format!("{source}: claims a clinical review (`reviewed`)"));
        }
        if let Some(r) = &front.reviewer {
            let said = r.to_string().to_lowercase();
            let disguised = NOT_A_CLINICIAN.iter().any(|w| said.contains(w));
            failures.push(format!(
                "{source}: `reviewer: {r}` {}",
                if disguised {
                    "describes a sources check, not a clinician"
                } else {
                    "claims a clinical review"
                }
            ));
        }
        if status == "exempt" {
            continue; // writers' guides: not medical content
        }
        patient_pages += 1;
        // A translation is checked against its sources on its own, by
        // someone who reads it; until then it says so (`never_reviewed`)
        // rather than borrowing its English page's check.
        let unchecked_translation = page["translation"].is_object()
            && front.sources_checked.is_none()
            && status == "never_reviewed";
        unchecked_translations += u64::from(unchecked_translation);
        if status != "sources_checked" && !unchecked_translation {
            failures.push(format!(
                "{source}: review status {status}, not sources_checked"
            ));
        }
        if front.sources_checked.is_some()
            && front
                .checked_by
                .as_deref()
                .is_none_or(|c| c.trim().is_empty())
            || front.sources_checked.is_none() && !unchecked_translation
        {
            failures.push(format!("{source}: no `checked_by`"));
        }
        if front.tags.is_empty() {
            failures.push(format!("{source}: no tags"));
        }
        if front.references.is_empty() {
            failures.push(format!("{source}: no sources"));
        }
        for r in &front.references {
            if !r.url.starts_with("https://") {
                failures.push(format!("{source}: source `{}` is not https", r.url));
            }
            if r.accessed.is_none() {
                failures.push(format!(
                    "{source}: source `{}` has no `accessed` date",
                    r.url
                ));
            }
        }
    }
    assert!(patient_pages >= 30, "only {patient_pages} patient pages");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // check reports the same truth in its summary.
    let r = &report["review"];
    assert_eq!(r["clinically_reviewed"], 0, "{r}");
    assert_eq!(
        r["not_reviewed"].as_u64(),
        Some(unchecked_translations),
        "{r}"
    );
    assert_eq!(
        r["sources_checked"].as_u64(),
        Some(patient_pages - unchecked_translations),
        "{r}"
    );
}

#[test]
fn the_guide_covers_every_stage_and_condition() {
    let report = check_report();
    let sources: Vec<&str> = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    let required = [
        "content/_index.md",
        "content/process/tests-before-transplant.md",
        "content/process/finding-a-donor.md",
        "content/process/collecting-stem-cells.md",
        "content/process/conditioning.md",
        "content/process/transplant-day.md",
        "content/process/engraftment.md",
        "content/process/life-on-the-ward.md",
        "content/process/going-home.md",
        "content/process/complications.md",
        "content/process/long-term-follow-up.md",
        "content/process/relapse.md",
        "content/support/_index.md",
        "content/support/feelings-and-emotional-support.md",
        "content/support/for-carers.md",
        "content/support/money-travel-and-work.md",
        "content/process/questions-to-ask.md",
        "content/indications/blood-cancers.md",
        "content/indications/aplastic-anaemia.md",
        "content/indications/thalassaemia.md",
        "content/indications/sickle-cell-disease.md",
        "content/indications/immune-deficiencies.md",
        "content/indications/inherited-metabolic-disorders.md",
        "content/for-donors/_index.md",
        "content/about/_index.md",
        "content/authoring/front-matter.md",
        "content/authoring/markdown.md",
        "content/authoring/glossary.md",
        "content/authoring/site-settings.md",
        "content/authoring/serve-and-check.md",
        "content/authoring/themes-and-templates.md",
        "content/authoring/hosting.md",
    ];
    let missing: Vec<&&str> = required.iter().filter(|r| !sources.contains(r)).collect();
    assert!(missing.is_empty(), "missing pages: {missing:?}");

    let glossary = std::fs::read_to_string(root().join("content/glossary.yaml")).unwrap();
    let terms = glossary.matches("\n- term: ").count();
    assert!(terms >= 100, "glossary has {terms} terms");
    let defined = |term: &str| {
        glossary
            .to_lowercase()
            .contains(&format!("- term: {}", term.to_lowercase()))
    };
    let required_terms = [
        "relapse",
        "chimerism",
        "ATG",
        "total body irradiation",
        "donor lymphocyte infusion",
        "ciclosporin",
        "tacrolimus",
        "neutropenic sepsis",
        "PICC line",
        "Hickman line",
        "DMSO",
        "CAR T-cell therapy",
        "tissue type",
        "graft failure",
        "gene therapy",
        "metachromatic leukodystrophy",
        "ADA-SCID",
    ];
    let missing: Vec<&&str> = required_terms.iter().filter(|t| !defined(t)).collect();
    assert!(missing.is_empty(), "glossary lacks {missing:?}");
    assert_eq!(
        report["unused_glossary_terms"].as_array().map(Vec::len),
        Some(0),
        "every glossary term is used by a page"
    );
}

/// Pictures carry their information in text too: SVGs have a title and a
/// description, and every image on a page has alt text.
#[test]
fn pictures_have_text_alternatives() {
    let mut failures = Vec::new();
    for entry in walkdir::WalkDir::new(root().join("content")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let shown = path.strip_prefix(root()).unwrap().display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("svg") => {
                let svg = std::fs::read_to_string(path).unwrap();
                for needed in ["role=\"img\"", "<title", "<desc", "aria-labelledby"] {
                    if !svg.contains(needed) {
                        failures.push(format!("{shown}: no {needed}"));
                    }
                }
                for external in ["href=\"http", "@import", "<script"] {
                    if svg.contains(external) {
                        failures.push(format!("{shown}: has {external}"));
                    }
                }
            }
            Some("md") => {
                let text = std::fs::read_to_string(path).unwrap();
                if text.contains("![](") {
                    failures.push(format!("{shown}: image without alt text"));
                }
            }
            _ => {}
        }
    }
    let svgs = walkdir::WalkDir::new(root().join("content"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "svg"))
        })
        .count();
    assert!(svgs >= 2, "a timeline and a blood count chart at least");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

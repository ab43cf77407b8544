//! `marrow translate mark PAGE`: records in a translation that it matches
//! its source as the source is now — `translated:` (today, or the date
//! given) and `source_fingerprint:`, the fingerprint of the source's text
//! ([`crate::derive::translation::fingerprint`]). From then on an edit to
//! the source makes the translation stale even if nobody updates the
//! source's `updated`. Nothing else in the file changes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::CONTENT_DIR;
use crate::derive::translation::text_fingerprint;
use crate::review::record::{RecordError, editable, find_page, rewrite_file, set_keys};

/// What `marrow translate mark` was asked to do.
#[derive(Debug, Clone)]
pub struct MarkRequest {
    /// The site root.
    pub root: PathBuf,
    /// The translation: a path as given, or relative to `ROOT/content/`.
    pub page: PathBuf,
    /// The day it was brought up to date (today when not given).
    pub date: Option<NaiveDate>,
}

/// What was recorded.
#[derive(Debug, Clone)]
pub struct Marked {
    /// The translation's file.
    pub page: PathBuf,
    /// The source page's file.
    pub source: PathBuf,
    /// The `translated:` date written.
    pub date: NaiveDate,
    /// The `source_fingerprint:` written.
    pub fingerprint: String,
}

/// Marks the translation `req.page` as made from its source as it is now.
pub fn mark_translation(req: &MarkRequest, today: NaiveDate) -> Result<Marked, RecordError> {
    let config =
        crate::config::SiteConfig::load(&req.root).map_err(|d| RecordError::Page(Box::new(d)))?;
    let date = req.date.unwrap_or(today);
    if date > today {
        return Err(RecordError::Refused(format!(
            "the date {date} is in the future: mark a translation on or after the day it was brought up to date"
        )));
    }
    let content = req.root.join(CONTENT_DIR);
    let (path, rel) = find_page(&req.root, &req.page)?;
    let rel = rel.ok_or_else(|| {
        RecordError::Refused(format!(
            "{} is not inside {}",
            path.display(),
            content.display()
        ))
    })?;
    let (source_rel, lang) = config.langs.split(&rel);
    if lang == crate::i18n::DEFAULT {
        let codes: Vec<String> = config
            .langs
            .iter()
            .skip(1)
            .map(|(_, l)| l.code.clone())
            .collect();
        return Err(RecordError::Refused(if codes.is_empty() {
            "the site has no translations: list its languages under `languages:` in site.yaml"
                .into()
        } else {
            format!(
                "content/{rel} is not a translation: translations are named after their source with a language code ({})",
                codes
                    .iter()
                    .map(|c| format!("`page.{c}.md`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }));
    }
    let source_shown = Path::new(CONTENT_DIR).join(source_rel.as_ref());
    let source_text = std::fs::read_to_string(content.join(source_rel.as_ref())).map_err(|e| {
        RecordError::Refused(format!(
            "cannot read the source page {}: {e}",
            source_shown.display()
        ))
    })?;
    let source = crate::content::front_matter::parse(&source_shown, &source_text)
        .map_err(|d| RecordError::Page(Box::new(d)))?;
    let title = source.front.title.clone().unwrap_or_default();
    let fingerprint = text_fingerprint(&title, source.body());
    let shown = Path::new(CONTENT_DIR).join(&rel);
    rewrite_file(&path, &shown, |text| {
        let before = editable(&shown, text)?;
        let edited = set_keys(
            text,
            &["translated", "source_fingerprint"],
            &[date.to_string(), format!("\"{fingerprint}\"")],
        )?;
        let after = crate::content::front_matter::parse(&shown, &edited)
            .map_err(|d| RecordError::Page(Box::new(d)))?;
        let mut same = crate::content::FrontMatter::clone(&after.front);
        same.translated = before.front.translated;
        same.source_fingerprint = before.front.source_fingerprint.clone();
        if same != *before.front
            || after.body() != before.body()
            || after.front.translated != Some(date)
            || after.front.source_fingerprint.as_deref() != Some(fingerprint.as_str())
        {
            return Err(RecordError::Refused(format!(
                "could not record the translation in {} without changing other parts of it; add `translated: {date}` and `source_fingerprint: \"{fingerprint}\"` by hand",
                shown.display()
            )));
        }
        Ok(edited)
    })?;
    Ok(Marked {
        page: path,
        source: source_shown,
        date,
        fingerprint,
    })
}

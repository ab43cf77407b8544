//! Sites built from text in memory, for unit tests and fuzzing.

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::{Discovered, LoadedPage, SourceFile};
use crate::diagnostics::Diagnostics;
use crate::glossary::Glossary;

use super::{GeneratedText, Publish, Site, Sources};

/// Builds a site from in-memory `(path under content/, text)` pairs, for
/// unit tests of the later stages.
#[cfg(test)]
pub(crate) fn test_site(files: &[(&str, &str)]) -> Site {
    test_site_with_glossary(files, None)
}

/// Like [`test_site`], with a glossary parsed from `glossary` YAML.
#[cfg(test)]
pub(crate) fn test_site_with_glossary(files: &[(&str, &str)], glossary: Option<&str>) -> Site {
    Site::from_memory(files, glossary).unwrap_or_else(|d| panic!("{d}"))
}

impl Site {
    /// A site from in-memory `(path under content/, text)` pairs and an
    /// optional glossary (YAML), with default settings: for tests, fuzzing
    /// and tools without a folder on disk.
    pub(crate) fn from_memory(
        files: &[(&str, &str)],
        glossary: Option<&str>,
    ) -> Result<Site, Diagnostics> {
        // No drafts, nothing expired.
        let publish = Publish {
            drafts: false,
            today: chrono::NaiveDate::MIN,
        };
        Site::from_memory_on(files, glossary, publish)
    }

    /// Like [`Site::from_memory`], publishing what `publish` says.
    pub(crate) fn from_memory_on(
        files: &[(&str, &str)],
        glossary: Option<&str>,
        publish: Publish,
    ) -> Result<Site, Diagnostics> {
        let mut discovered = Discovered::default();
        let mut loaded = Vec::new();
        let mut errors = Diagnostics::default();
        let mut dirs: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        dirs.insert(String::new());
        for (rel, text) in files {
            let source = SourceFile {
                rel: rel.to_string(),
                path: PathBuf::from(rel),
            };
            let mut dir = source.dir();
            while !dir.is_empty() {
                dirs.insert(dir.to_string());
                dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
            }
            if rel.ends_with(".md") {
                match crate::content::front_matter::parse(&source.display(), text) {
                    Ok(doc) => {
                        discovered.pages.push(source.clone());
                        loaded.push(LoadedPage { source, doc });
                    }
                    Err(d) => errors.push(d),
                }
            } else {
                discovered.assets.push(source);
            }
        }
        let glossary = match glossary {
            Some(yaml) => match Glossary::parse(Path::new("content/glossary.yaml"), yaml) {
                Ok(g) => Some((
                    SourceFile {
                        rel: "glossary.yaml".into(),
                        path: PathBuf::from("glossary.yaml"),
                    },
                    g,
                )),
                Err(d) => {
                    errors.push(d);
                    None
                }
            },
            None => None,
        };
        discovered.dirs = dirs.into_iter().collect();
        let sources = Sources {
            discovered: &discovered,
            loaded,
            glossaries: glossary.map(|(s, g)| (0, s, g)).into_iter().collect(),
            static_files: Default::default(),
        };
        let root = Path::new("");
        let (site, site_errors) = Site::new(
            SiteConfig::default(),
            root,
            sources,
            publish,
            std::slice::from_ref(&GeneratedText::english()),
        );
        errors.extend(site_errors);
        errors.into_result().map(|()| site)
    }
}

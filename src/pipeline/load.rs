//! The first stages: settings, content and theme read from disk and
//! arranged into a [`Site`].

use std::path::Path;

use crate::config::{SiteConfig, normalize_base_url};
use crate::content::{self, CONTENT_DIR, SourceFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::model::Site;
use crate::render::{self, Renderer, Theme};

use super::{BuildError, BuildOptions};

/// Reads the site's configuration, applying command-line overrides.
pub(crate) fn load_config(opts: &BuildOptions) -> Result<SiteConfig, BuildError> {
    let mut config = SiteConfig::load(&opts.root).map_err(|d| BuildError::Config(d.into()))?;
    if let Some(url) = &opts.base_url {
        config.base_url = Some(
            normalize_base_url(url)
                .map_err(|m| BuildError::Config(Diagnostic::file("--base-url", m).into()))?,
        );
    }
    Ok(config)
}

/// Reads, parses and arranges the site without writing anything. Pages that
/// fail to parse are left out and their errors returned beside the site, so
/// later stages can still report everything else that is wrong.
pub(crate) fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    let config = load_config(opts)?;
    let content_dir = opts.root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(BuildError::Config(
            Diagnostic::file(
                CONTENT_DIR,
                format!("no `content/` folder in {}", opts.root.display()),
            )
            .with_help("run marrow in the site's folder, or pass --root DIR")
            .into(),
        ));
    }
    let discovered = content::discover(&content_dir).map_err(BuildError::Content)?;
    let (loaded, mut parse_errors) = content::load(&discovered.pages);
    let glossary = match load_glossary(&opts.root, &config) {
        Ok(g) => g,
        Err(d) => {
            parse_errors.push(d);
            None
        }
    };
    let site = Site::new(
        config,
        &opts.root,
        &discovered,
        loaded,
        opts.drafts,
        glossary,
    )
    .map_err(|mut e| {
        e.extend(parse_errors.iter().cloned());
        BuildError::Content(e)
    })?;
    Ok((site, parse_errors))
}

/// Reads the glossary file named in `site.yaml` (default
/// `content/glossary.yaml`), if there is one.
fn load_glossary(
    root: &Path,
    config: &SiteConfig,
) -> Result<Option<(SourceFile, Glossary)>, Diagnostic> {
    let shown = Path::new(&config.glossary);
    let path = root.join(shown);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(
                Diagnostic::file(shown, format!("cannot read: {e}")).with_help(
                    if e.kind() == std::io::ErrorKind::InvalidData {
                        "save the file as UTF-8 text"
                    } else {
                        "check the file's permissions"
                    },
                ),
            );
        }
    };
    let glossary = Glossary::parse(shown, &text)?;
    // As a page, the glossary is named by its path under content/.
    let under_content = config
        .glossary
        .strip_prefix("content/")
        .unwrap_or(&config.glossary);
    let rel = content::path::normalize(under_content).unwrap_or_else(|| under_content.into());
    Ok(Some((SourceFile { rel, path }, glossary)))
}

/// The theme and compiled templates of a site.
pub(crate) struct Templates {
    pub(crate) theme: Theme,
    pub(crate) renderer: Renderer,
}

/// Loads the site's theme and compiles its templates.
pub(crate) fn load_templates(site: &Site) -> Result<Templates, BuildError> {
    let theme = render::theme::load(&site.root, &site.config.theme)
        .map_err(|d| BuildError::Config(d.into()))?;
    let renderer = Renderer::new(&theme, &site.config).map_err(BuildError::Content)?;
    render::brand::check_logo(&site.config.branding, |f| {
        site.assets.iter().any(|a| a.rel == f) || theme.static_files.iter().any(|s| s.rel() == f)
    })
    .map_err(|d| BuildError::Config(d.into()))?;
    Ok(Templates { theme, renderer })
}

//! The first stages: settings, content and theme read from disk and
//! arranged into a [`Site`].

use std::path::Path;

use crate::config::{BaseUrl, SiteConfig};
use crate::content::{self, CONTENT_DIR, SourceFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::i18n::Strings;
use crate::model::{GeneratedText, Publish, Site, Sources};
use crate::render::{self, Renderer, StaticFile, Templates, Theme};

use super::{BuildError, BuildOptions};

/// Reads the site's configuration, applying command-line overrides.
pub(crate) fn load_config(opts: &BuildOptions) -> Result<SiteConfig, BuildError> {
    let mut config = SiteConfig::load(&opts.root).map_err(|d| BuildError::Config(d.into()))?;
    if let Some(url) = &opts.base_url {
        config.base_url = Some(
            BaseUrl::parse(url)
                .map_err(|m| BuildError::Config(Diagnostic::file("--base-url", m).into()))?,
        );
    }
    Ok(config)
}

/// The site read from disk: its tree, theme and strings.
pub(crate) struct Inputs {
    pub(crate) site: Site,
    pub(crate) theme: Theme,
    pub(crate) strings: Strings,
    /// Errors of pages (those that could not be read are left out of the
    /// site) and of the site's arrangement; the site is what could be
    /// made regardless.
    pub(crate) errors: Diagnostics,
}

/// Reads, parses and arranges the site without writing anything. Pages that
/// fail to parse are left out and their errors returned beside the site, so
/// later stages can still report everything else that is wrong.
pub(crate) fn load_inputs(opts: &BuildOptions) -> Result<Inputs, BuildError> {
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
    let config_error = |d: Diagnostic| BuildError::Config(d.into());
    let theme =
        render::theme::load(&opts.root, &config.theme, &config.language).map_err(config_error)?;
    let table = theme
        .strings
        .as_ref()
        .map(|(p, t)| (p.as_path(), t.as_str()));
    let strings = Strings::load(table, &config.strings).map_err(BuildError::Config)?;
    let discovered = content::discover(&content_dir).map_err(BuildError::Content)?;
    let (loaded, mut errors) = content::load(&discovered.pages);
    let glossary = match load_glossary(&opts.root, &config) {
        Ok(g) => g,
        Err(d) => {
            errors.extend(d);
            None
        }
    };
    let static_dir = opts.root.join("static");
    let static_files = theme
        .static_files
        .iter()
        .filter_map(|s| match s {
            StaticFile::Disk { rel, path } if path.starts_with(&static_dir) => Some(rel.clone()),
            _ => None,
        })
        .collect();
    let sources = Sources {
        discovered: &discovered,
        loaded,
        glossary,
        static_files,
    };
    let generated = GeneratedText::from_strings(&strings);
    let (shortcodes, shortcode_errors) =
        crate::shortcodes::Library::load(&opts.root, &config, &theme.shortcode_sources());
    errors.extend(shortcode_errors);
    let publish = Publish {
        drafts: opts.drafts,
        today: opts.today,
    };
    let (mut site, site_errors) = Site::new(config, &opts.root, sources, publish, &generated);
    errors.extend(site_errors);
    site.shortcodes = shortcodes;
    Ok(Inputs {
        site,
        theme,
        strings,
        errors,
    })
}

/// The site alone (`marrow check --due-within` needs no more).
pub(crate) fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    let inputs = load_inputs(opts)?;
    Ok((inputs.site, inputs.errors))
}

/// Reads the glossary file named in `site.yaml` (default
/// `content/glossary.yaml`), if there is one.
fn load_glossary(
    root: &Path,
    config: &SiteConfig,
) -> Result<Option<(SourceFile, Glossary)>, Diagnostics> {
    let shown = Path::new(&config.glossary);
    let path = root.join(shown);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::file(shown, format!("cannot read: {e}"))
                .with_help(if e.kind() == std::io::ErrorKind::InvalidData {
                    "save the file as UTF-8 text"
                } else {
                    "check the file's permissions"
                })
                .into());
        }
    };
    let glossary = Glossary::parse_all(shown, &text)?;
    // As a page, the glossary is named by its path under content/.
    let under_content = config
        .glossary
        .strip_prefix("content/")
        .unwrap_or(&config.glossary);
    let rel = content::path::normalize(under_content).unwrap_or_else(|| under_content.into());
    Ok(Some((SourceFile { rel, path }, glossary)))
}

/// Compiles the theme's templates for the site.
pub(crate) fn compile_templates(
    site: &Site,
    theme: Theme,
    strings: Strings,
) -> Result<Templates, BuildError> {
    let renderer = Renderer::new(&theme, &site.config, &strings).map_err(BuildError::Content)?;
    render::brand::check_logo(&site.config.branding, |f| {
        site.assets.iter().any(|a| a.rel == f) || theme.static_files.iter().any(|s| s.rel() == f)
    })
    .map_err(|d| BuildError::Config(d.into()))?;
    Ok(Templates {
        theme,
        strings,
        renderer,
    })
}

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
    /// Each language's strings ([`crate::i18n::LangId`] order).
    pub(crate) strings: Vec<Strings>,
    /// Strings a language's table leaves out (they stay English), for
    /// `check` to name.
    pub(crate) untranslated: Vec<String>,
    /// Errors of pages (those that could not be read are left out of the
    /// site) and of the site's arrangement; the site is what could be
    /// made regardless.
    pub(crate) errors: Diagnostics,
}

/// Reads, parses and arranges the site without writing anything. Pages that
/// fail to parse are left out and their errors returned beside the site, so
/// later stages can still report everything else that is wrong.
pub(crate) fn load_inputs(
    opts: &BuildOptions,
    parsed: Option<&content::Parsed>,
    preread: &content::Preread,
    timer: &mut super::Timer,
) -> Result<Inputs, BuildError> {
    // Asked first: an error below must not leave the promise to a later run.
    let same_files = parsed.is_some_and(content::Parsed::take_same_files);
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
    let codes: Vec<&str> = config.langs.iter().map(|(_, l)| l.code.as_str()).collect();
    let theme = render::theme::load(&opts.root, &config.theme, &codes).map_err(config_error)?;
    let (strings, untranslated) = load_strings(&theme, &config)?;
    let discovered = match parsed {
        Some(kept) => kept.discover(&content_dir, same_files),
        None => content::discover(&content_dir).map(std::sync::Arc::new),
    }
    .map_err(BuildError::Content)?;
    let (loaded, mut errors) = match parsed {
        Some(kept) => kept.load(&discovered.pages),
        None => content::load(&discovered.pages, preread),
    };
    let mut glossaries = Vec::new();
    for (lang, _) in config.langs.iter() {
        let file = config.langs.translated_path(&config.glossary, lang);
        match load_glossary(&opts.root, &file) {
            Ok(Some((source, g))) => glossaries.push((lang, source, g)),
            Ok(None) => {}
            Err(d) => errors.extend(d),
        }
    }
    timer.mark("read settings, theme and pages");
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
        glossaries,
        static_files,
    };
    let generated: Vec<GeneratedText> = strings.iter().map(GeneratedText::from_strings).collect();
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
    timer.mark("model the site");
    Ok(Inputs {
        site,
        theme,
        strings,
        untranslated,
        errors,
    })
}

/// Each language's strings: the theme's table for it, English for what it
/// leaves out (named in the second list), and for the default language
/// the overrides of `site.yaml`.
fn load_strings(
    theme: &Theme,
    config: &SiteConfig,
) -> Result<(Vec<Strings>, Vec<String>), BuildError> {
    let mut all = Vec::new();
    let mut untranslated = Vec::new();
    let mut errors = Diagnostics::default();
    let none = std::collections::BTreeMap::new();
    for (lang, language) in config.langs.iter() {
        let table = theme.strings.get(lang).and_then(Option::as_ref);
        let overrides = if lang == crate::i18n::DEFAULT {
            &config.strings
        } else {
            &none
        };
        match Strings::load(table.map(|(p, t)| (p.as_path(), t.as_str())), overrides) {
            Ok(s) => all.push(s),
            Err(d) => errors.extend(d),
        }
        if language.code == "en" {
            continue;
        }
        match table {
            None => untranslated.push(format!(
                "the theme has no strings for {} (`themes/{}/i18n/{}.yaml`): its pages use the English ones",
                language.tag, theme.name, language.code
            )),
            Some((path, text)) => untranslated.extend(
                Strings::keys_missing_from(text)
                    .into_iter()
                    .map(|key| format!("`{key}` is not in {}: {} pages show it in English", path.display(), language.tag)),
            ),
        }
    }
    if errors.is_empty() {
        Ok((all, untranslated))
    } else {
        Err(BuildError::Config(errors))
    }
}

/// The site alone (`marrow check --due-within` needs no more).
pub(crate) fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    let inputs = load_inputs(
        opts,
        None,
        &content::Preread::default(),
        &mut super::Timer::start(),
    )?;
    Ok((inputs.site, inputs.errors))
}

/// Reads the glossary file named in `site.yaml` (default
/// `content/glossary.yaml`), if there is one.
fn load_glossary(root: &Path, file: &str) -> Result<Option<(SourceFile, Glossary)>, Diagnostics> {
    let shown = Path::new(file);
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
    let under_content = file.strip_prefix("content/").unwrap_or(file);
    let rel = content::path::normalize(under_content).unwrap_or_else(|| under_content.into());
    Ok(Some((SourceFile { rel, path }, glossary)))
}

/// Compiles the theme's templates for the site.
pub(crate) fn compile_templates(
    site: &Site,
    theme: Theme,
    strings: Vec<Strings>,
    untranslated: Vec<String>,
) -> Result<Templates, BuildError> {
    let renderer = Renderer::new(&theme, &site.config, &strings).map_err(BuildError::Content)?;
    render::brand::check_logo(&site.config.branding, |f| {
        site.assets.iter().any(|a| a.rel == f) || theme.static_files.iter().any(|s| s.rel() == f)
    })
    .map_err(|d| BuildError::Config(d.into()))?;
    Ok(Templates {
        theme,
        strings,
        untranslated,
        renderer,
    })
}

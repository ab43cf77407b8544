//! The output folder may not be one whose replacement destroys the site.

use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;

/// Refuses output folders whose replacement would destroy the site itself.
pub(crate) fn check_output_path(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| normalize_lexically(&a))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    let protected = [
        root_abs.clone(),
        root_abs.join(CONTENT_DIR),
        root_abs.join("themes"),
        root_abs.join("templates"),
        root_abs.join("static"),
    ];
    let bad =
        root_abs.starts_with(&out_abs) || protected.iter().skip(1).any(|p| out_abs.starts_with(p));
    if bad || out_abs.parent().is_none() {
        return Err(Diagnostic::file(
            output,
            "the output folder would replace the site's own files",
        )
        .with_help(
            "choose an output folder outside content/, themes/, templates/ and static/, e.g. `output`",
        ));
    }
    Ok(())
}

fn normalize_lexically(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_swallow_the_site() {
        let root = Path::new("/srv/site");
        assert!(check_output_path(root, Path::new("/srv/site/output")).is_ok());
        assert!(check_output_path(root, Path::new("/srv/out")).is_ok());
        for bad in [
            "/srv/site",
            "/srv",
            "/srv/site/content",
            "/srv/site/content/x",
            "/srv/site/static",
            "/",
        ] {
            assert!(check_output_path(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_output_path(root, Path::new("/srv/site/output/../content")).is_err());
    }
}

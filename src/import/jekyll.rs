//! Jekyll sites (in progress).

use std::path::Path;

use super::rewrite::{Context, Rewritten};
use super::{Dialect, ImportError, SourcePage, SourceSite};

pub(crate) struct Jekyll;

impl Dialect for Jekyll {
    fn read(&self, root: &Path) -> Result<SourceSite, ImportError> {
        Err(ImportError::Refused(format!("{}: Jekyll import is not built yet", root.display())))
    }

    fn rewrite(&self, page: &SourcePage, _cx: &Context<'_>) -> Rewritten {
        Rewritten { text: page.body.clone(), ..Rewritten::default() }
    }
}

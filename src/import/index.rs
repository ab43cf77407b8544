//! Links between imported pages: finding a page by its source file, its
//! bare name or its old address, writing the relative Markdown link to
//! it, and settling every page's old addresses into slugs and aliases
//! that marrow will accept (no clashes, no duplicates).

use std::collections::{HashMap, HashSet};

use super::report::{Finding, Kind};
use super::{Converted, CopyFile, SourcePage};
use crate::slug::path_segment;

/// Every imported page and static file, by the ways the source names them.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Source path (relative to the source root), with and without its
    /// extension, and as a bundle folder.
    by_src: HashMap<String, usize>,
    /// File stem → page, `None` when two pages share it.
    by_name: HashMap<String, Option<usize>>,
    /// Old address (normalised, see [`url_key`]) → page.
    by_url: HashMap<String, usize>,
    /// New content path of each page.
    dst: Vec<String>,
    /// Files under the new `static/`, by their path there.
    statics: HashSet<String>,
    /// Files copied under the new `content/`: source path → new path.
    content_files: HashMap<String, String>,
}

impl Index {
    pub(crate) fn new(pages: &[SourcePage], files: &[CopyFile]) -> Index {
        let mut ix = Index::default();
        for (i, p) in pages.iter().enumerate() {
            ix.dst.push(p.dst_rel.clone());
            let src = p.src_rel.as_str();
            let stem = strip_ext(src);
            for key in [src, stem] {
                ix.by_src.entry(key.to_string()).or_insert(i);
            }
            for bundle in ["/index", "/_index"] {
                if let Some(dir) = stem.strip_suffix(bundle) {
                    ix.by_src.entry(dir.to_string()).or_insert(i);
                    let name = dir.rsplit('/').next().unwrap_or(dir).to_string();
                    ix.add_name(name, i);
                }
            }
            let name = stem.rsplit('/').next().unwrap_or(stem);
            if name != "index" && name != "_index" {
                ix.add_name(name.to_string(), i);
                ix.add_name(src.rsplit('/').next().unwrap_or(src).to_string(), i);
            }
            if let Some(u) = &p.old_url {
                ix.by_url.entry(url_key(u)).or_insert(i);
            }
            // Its old addresses lead to it too (links to them resolve).
            for (key, v) in &p.front {
                if key.eq_ignore_ascii_case("aliases") || key == "redirect_from" {
                    let list = match v {
                        serde_json::Value::Array(a) => {
                            a.iter().filter_map(|x| x.as_str()).collect()
                        }
                        serde_json::Value::String(s) => vec![s.as_str()],
                        _ => Vec::new(),
                    };
                    for a in list.into_iter().filter(|a| a.starts_with('/')) {
                        ix.by_url.entry(url_key(a)).or_insert(i);
                    }
                }
            }
            for a in &p.extra_aliases {
                ix.by_url.entry(url_key(a)).or_insert(i);
            }
        }
        for f in files {
            if let Some(s) = f.to.strip_prefix("static/") {
                ix.statics.insert(s.to_string());
            } else if let Some(c) = f.to.strip_prefix("content/") {
                let src = f.from.to_string_lossy().replace('\\', "/");
                ix.content_files.insert(src, c.to_string());
            }
        }
        ix
    }

    fn add_name(&mut self, name: String, i: usize) {
        self.by_name
            .entry(name)
            .and_modify(|e| {
                if *e != Some(i) {
                    *e = None
                }
            })
            .or_insert(Some(i));
    }

    /// The page a source path names: exactly, without its extension, or
    /// (when `by_name`) by its file name alone when that is unique.
    pub(crate) fn page_by_src(&self, path: &str, by_name: bool) -> Option<usize> {
        let path = path.trim_start_matches("./").trim_matches('/');
        if let Some(&i) = self
            .by_src
            .get(path)
            .or_else(|| self.by_src.get(strip_ext(path)))
        {
            return Some(i);
        }
        if by_name && !path.contains('/') {
            return self
                .by_name
                .get(path)
                .or_else(|| self.by_name.get(strip_ext(path)))
                .copied()
                .flatten();
        }
        None
    }

    /// The page that had address `url` on the old site.
    pub(crate) fn page_by_url(&self, url: &str) -> Option<usize> {
        let key = url_key(url);
        self.by_url.get(&key).copied().or_else(|| {
            // `/about.html` and `/about/` name the same page on most hosts.
            let alt = key
                .strip_suffix(".html/")
                .map(|k| format!("{k}/"))
                .unwrap_or_else(|| format!("{}.html/", key.trim_end_matches('/')));
            self.by_url.get(&alt).copied()
        })
    }

    /// Whether `path` (relative to the site root) is a file of `static/`.
    pub(crate) fn is_static(&self, path: &str) -> bool {
        self.statics.contains(path.trim_start_matches('/'))
    }

    /// The relative Markdown link from the page at `from` (a content
    /// path) to page `to`, with `#fragment` if any.
    pub(crate) fn link(&self, from: &str, to: usize, fragment: Option<&str>) -> String {
        let target = &self.dst[to];
        let mut out = relative(from, target);
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            out.push('#');
            out.push_str(f);
        }
        out
    }

    /// A link to page `to` inside raw HTML (`<a href="…">`), where marrow
    /// rewrites nothing: a mark that [`fill_html_links`] replaces with the
    /// relative address of the built page once every page's address is
    /// settled.
    pub(crate) fn link_in(
        &self,
        from: &str,
        to: usize,
        fragment: Option<&str>,
        html: bool,
    ) -> String {
        if !html {
            return self.link(from, to, fragment);
        }
        let fragment = fragment.filter(|f| !f.is_empty()).unwrap_or("");
        format!("{MARK}p{to}#{fragment}{MARK}")
    }

    /// What an old-site address becomes in a page at `from`: a relative
    /// link to the page that had it, a root-relative link to a static
    /// file, or `None` when the site has neither. `html`: the address is
    /// inside raw HTML (see [`Index::link_in`]).
    pub(crate) fn resolve_url(&self, from: &str, url: &str, html: bool) -> Option<String> {
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            return fragment.map(|f| format!("#{f}"));
        }
        if let Some(i) = self.page_by_url(path) {
            return Some(self.link_in(from, i, fragment, html));
        }
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if self.is_static(&decoded) {
            let file = decoded.trim_start_matches('/');
            let mut out = if html {
                format!("{MARK}f{file}{MARK}")
            } else {
                format!("/{file}")
            };
            if let Some(f) = fragment {
                out.push('#');
                out.push_str(f);
            }
            return Some(out);
        }
        None
    }
}

/// Brackets a link inside raw HTML until addresses are known; never in
/// text a writer types.
const MARK: char = '\u{1A}';

/// Replaces the marks [`Index::link_in`] left in each page's body with
/// the relative address (`../about/index.html`) of the built page or file.
pub(crate) fn fill_html_links(pages: &mut [Converted], urls: &[String]) {
    for (i, p) in pages.iter_mut().enumerate() {
        if !p.body.contains(MARK) {
            continue;
        }
        let from = format!("{}index.html", urls[i].trim_start_matches('/'));
        let mut out = String::with_capacity(p.body.len());
        let mut parts = p.body.split(MARK);
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        let rest: Vec<&str> = parts.collect();
        for pair in rest.chunks(2) {
            let (mark, text) = (pair[0], pair.get(1).copied().unwrap_or(""));
            if let Some(file) = mark.strip_prefix('f') {
                out.push_str(&relative(&from, file));
            } else if let Some((n, fragment)) =
                mark.strip_prefix('p').and_then(|m| m.split_once('#'))
            {
                let target = n.parse::<usize>().ok().and_then(|n| urls.get(n));
                if let Some(t) = target {
                    out.push_str(&relative(
                        &from,
                        &format!("{}index.html", t.trim_start_matches('/')),
                    ));
                }
                if !fragment.is_empty() {
                    out.push('#');
                    out.push_str(fragment);
                }
            }
            out.push_str(text);
        }
        p.body = out;
    }
}

fn strip_ext(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') && !stem.is_empty() => stem,
        _ => path,
    }
}

/// An address in one form for lookups: decoded, no `index.html`, a
/// leading and a trailing `/` (`/a/b.html` → `/a/b.html/`).
pub(crate) fn url_key(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let path = decoded.trim().trim_start_matches('/');
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        "/".into()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// The relative path from the file `from` to the file `to`, both paths
/// under the same root (`a/b.md`, `c/d.md` → `../c/d.md`).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The new site's address of each page, as marrow will give it: folder
/// segments from the sections' slugs or names, then the page's slug or
/// file name.
fn new_urls(pages: &[Converted]) -> Vec<String> {
    let section_slug: HashMap<String, String> = pages
        .iter()
        .filter_map(|p| {
            let dir = p.dst_rel.strip_suffix("_index.md")?.trim_end_matches('/');
            Some((dir.to_string(), p.front.slug.clone()?))
        })
        .collect();
    let dir_url = |dir: &str| -> String {
        let mut url = String::from("/");
        let mut so_far = String::new();
        for seg in dir.split('/').filter(|s| !s.is_empty()) {
            if !so_far.is_empty() {
                so_far.push('/');
            }
            so_far.push_str(seg);
            url.push_str(
                &section_slug
                    .get(&so_far)
                    .cloned()
                    .unwrap_or_else(|| path_segment(seg)),
            );
            url.push('/');
        }
        url
    };
    pages
        .iter()
        .map(|p| match p.dst_rel.strip_suffix("_index.md") {
            Some(dir) => dir_url(dir.trim_end_matches('/')),
            None => {
                let (dir, file) = p.dst_rel.rsplit_once('/').unwrap_or(("", &p.dst_rel));
                let seg = p
                    .front
                    .slug
                    .clone()
                    .unwrap_or_else(|| path_segment(file.trim_end_matches(".md")));
                format!("{}{seg}/", dir_url(dir))
            }
        })
        .collect()
}

/// Turns each page's old address and `aliases` into what marrow accepts:
/// the old address as a slug when only the last segment differs, else as
/// an alias; aliases that are another page's address, or claimed twice,
/// or not paths of this site, are left out and reported.
pub(crate) fn settle_aliases(pages: &mut [Converted], findings: &mut Vec<Finding>) -> Vec<String> {
    let mut urls = new_urls(pages);
    let taken: HashSet<String> = urls.iter().cloned().collect();
    for (i, p) in pages.iter_mut().enumerate() {
        let Some(old) = p.old_url.as_deref().map(url_key) else {
            continue;
        };
        if old == urls[i] || p.front.slug.is_some() || p.dst_rel.ends_with("_index.md") {
            continue;
        }
        let (old_parent, old_last) = parent_and_last(&old);
        let (new_parent, _) = parent_and_last(&urls[i]);
        let as_url = format!("{new_parent}{old_last}/");
        if old_parent == new_parent
            && !old_last.contains('.')
            && super::front::valid_slug(old_last)
            && !taken.contains(&as_url)
        {
            p.front.slug = Some(old_last.to_string());
            urls[i] = as_url;
        }
    }
    separate_clashes(pages, &mut urls, findings);
    let taken: HashMap<String, usize> = urls.iter().cloned().zip(0..).collect();
    // marrow makes a page for every folder of pages, `_index.md` or not:
    // each proper prefix of a page's address is one.
    let folders: HashSet<String> = urls
        .iter()
        .flat_map(|u| {
            u.match_indices('/')
                .map(|(k, _)| u[..=k].to_string())
                .filter(|p| p.len() > 1 && p.len() < u.len())
                .collect::<Vec<_>>()
        })
        .collect();
    let dsts: Vec<String> = pages.iter().map(|p| p.dst_rel.clone()).collect();
    let mut claimed: HashMap<String, usize> = HashMap::new();
    for (i, p) in pages.iter_mut().enumerate() {
        let mut wanted: Vec<String> = std::mem::take(&mut p.front.aliases);
        if let Some(old) = &p.old_url {
            wanted.push(old.clone());
        }
        let base = p.old_url.as_deref().map_or(urls[i].clone(), url_key);
        let mut kept = Vec::new();
        for alias in wanted {
            if url_key(&alias) == urls[i] {
                continue; // its own address: nothing to redirect
            }
            let why = match alias_key(&alias, &base) {
                Err(why) => Some(why.to_string()),
                // Its own address: nothing to redirect.
                Ok(key) if key == urls[i] => Some(String::new()),
                Ok(key) if !taken.contains_key(&key) && folders.contains(&key) => Some(format!(
                    "is the address of the page marrow makes for the folder `content{key}`"
                )),
                Ok(key) => match (taken.get(&key), claimed.get(&key)) {
                    (Some(&other), _) if other != i => {
                        Some(format!("is the address of `content/{}`", dsts[other]))
                    }
                    (_, Some(&other)) if other != i => {
                        Some("is also an old address of another page".to_string())
                    }
                    (_, Some(_)) => Some(String::new()),
                    _ => {
                        claimed.insert(key.clone(), i);
                        // `/a/b.html`, as the old site wrote it, not `/a/b.html/`.
                        let last = key.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                        kept.push(if last.contains('.') {
                            key.trim_end_matches('/').to_string()
                        } else {
                            key
                        });
                        None
                    }
                },
            };
            match why {
                Some(w) if !w.is_empty() => findings.push(Finding::new(
                    Kind::Address,
                    &p.src_rel,
                    0,
                    format!("old address `{alias}`"),
                    format!("{w}; not kept as an alias"),
                )),
                _ => {}
            }
        }
        p.front.aliases = kept;
    }
    urls
}

/// Two pages at one address (Jekyll's `about.md` and `about/index.md`)
/// would stop marrow's build: the one that is not a section page gets a
/// slug of its own, and the report says so.
fn separate_clashes(pages: &mut [Converted], urls: &mut [String], findings: &mut Vec<Finding>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut all: HashSet<String> = urls.iter().cloned().collect();
    for i in 0..pages.len() {
        let Some(&first) = seen.get(&urls[i]) else {
            seen.insert(urls[i].clone(), i);
            continue;
        };
        let moved = if pages[i].dst_rel.ends_with("_index.md") {
            first
        } else {
            i
        };
        if pages[moved].dst_rel.ends_with("_index.md") {
            continue; // two sections cannot share a folder: never happens
        }
        let (parent, last) = parent_and_last(&urls[moved]);
        let (parent, last) = (parent.to_string(), last.to_string());
        let mut n = 2;
        while all.contains(&format!("{parent}{last}-{n}/")) {
            n += 1;
        }
        let slug = format!("{last}-{n}");
        let url = format!("{parent}{slug}/");
        findings.push(Finding::new(
            Kind::Address,
            &pages[moved].src_rel,
            0,
            format!("a second page at `{}`", urls[moved]),
            format!("given `slug: {slug}`, so it is at `{url}`"),
        ));
        pages[moved].front.slug = Some(slug);
        all.insert(url.clone());
        urls[moved] = url;
        seen.insert(urls[i].clone(), i);
        seen.insert(urls[first].clone(), first);
    }
}

fn parent_and_last(url: &str) -> (&str, &str) {
    let t = url.trim_end_matches('/');
    match t.rsplit_once('/') {
        Some((parent, last)) => (&url[..parent.len() + 1], last),
        None => ("/", t),
    }
}

/// An alias as a site path, resolved against `base` (the page's own old
/// address) when relative; or why it is not one.
fn alias_key(alias: &str, base: &str) -> Result<String, &'static str> {
    let a = alias.trim();
    if a.contains("://") || a.starts_with("//") {
        return Err("is a full address (an alias is an address on this site)");
    }
    if a.contains(['?', '#']) {
        return Err("has a `?` or `#` part");
    }
    if a.contains('\\') || a.chars().any(char::is_control) {
        return Err("contains a backslash or a control character");
    }
    let joined = if a.starts_with('/') {
        a.to_string()
    } else {
        let (parent, _) = parent_and_last(base);
        format!("{parent}{a}")
    };
    let key = url_key(&joined);
    if key == "/" {
        return Err("is the address of the home page");
    }
    if key.split('/').any(|s| s == ".." || s == ".") {
        return Err("uses `.` or `..`");
    }
    Ok(key)
}

/// Jekyll-style redirect stubs (pages whose only job is to send readers
/// elsewhere) are not written: their own address becomes an alias of the
/// page they point at.
pub(crate) fn fold_redirects(pages: &mut Vec<SourcePage>, findings: &mut Vec<Finding>) {
    if pages.iter().all(|p| p.redirect_to.is_none()) {
        return;
    }
    let by_url: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.redirect_to.is_none())
        .filter_map(|(i, p)| Some((url_key(p.old_url.as_deref()?), i)))
        .collect();
    let mut moves = Vec::new();
    for p in pages.iter() {
        let Some(target) = &p.redirect_to else {
            continue;
        };
        let key = url_key(target);
        let alt = format!("{}.html/", key.trim_end_matches('/'));
        let found = by_url.get(&key).or_else(|| by_url.get(&alt));
        match (found, &p.old_url) {
            (Some(&t), Some(old)) => moves.push((t, old.clone())),
            _ => findings.push(Finding::new(
                Kind::Broken,
                &p.src_rel,
                0,
                format!("redirect to `{target}`"),
                "no imported page has that address; the redirect is not kept",
            )),
        }
    }
    for (t, old) in moves {
        pages[t].extra_aliases.push(old);
    }
    pages.retain(|p| p.redirect_to.is_none());
}

#[cfg(test)]
mod tests;

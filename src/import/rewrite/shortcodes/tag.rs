//! Reading one Hugo shortcode tag (`{{< name "pos" key="value" >}}`,
//! `{{% /name %}}`, `{{</* shown */>}}`) and finding its closing tag.

/// One shortcode tag as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tag {
    pub name: String,
    /// Positional (`None`) and named arguments, in order.
    pub args: Vec<(Option<String>, String)>,
    /// `<` or `%`.
    pub delim: char,
    pub closing: bool,
    pub self_closing: bool,
    /// Byte just past the tag.
    pub end: usize,
    /// `{{</* x */>}}`: the tag Hugo shows literally (`{{< x >}}`).
    pub literal: Option<String>,
}

impl Tag {
    pub(crate) fn arg(&self, names: &[&str]) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k.as_deref().is_some_and(|k| names.contains(&k)))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn positional(&self, n: usize) -> Option<&str> {
        self.args
            .iter()
            .filter(|(k, _)| k.is_none())
            .nth(n)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the shortcode tag starting at `at` (`{{<` or `{{%`).
pub(crate) fn parse_tag(text: &str, at: usize, limit: usize) -> Option<Tag> {
    let t = &text[..limit];
    let delim = match t.get(at..at + 3)? {
        "{{<" => '<',
        "{{%" => '%',
        _ => return None,
    };
    let close = if delim == '<' { ">}}" } else { "%}}" };
    let mut i = skip_ws(t, at + 3);
    if t[i..].starts_with("/*") {
        let inner_end = t[i..].find("*/")? + i;
        let j = skip_ws(t, inner_end + 2);
        if !t[j..].starts_with(close) {
            return None;
        }
        let open = if delim == '<' { "{{<" } else { "{{%" };
        return Some(Tag {
            name: String::new(),
            args: Vec::new(),
            delim,
            closing: false,
            self_closing: true,
            end: j + 3,
            literal: Some(format!("{open} {} {close}", t[i + 2..inner_end].trim())),
        });
    }
    let closing = t[i..].starts_with('/');
    if closing {
        i = skip_ws(t, i + 1);
    }
    let name_end = t[i..]
        .char_indices()
        .find(|&(k, c)| {
            c.is_whitespace()
                || c == '>'
                || c == '%'
                || (c == '/' && t[i + k + 1..].starts_with(['>', '%']))
        })
        .map_or(t.len(), |(k, _)| i + k);
    let name = t[i..name_end].to_string();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c))
    {
        return None;
    }
    i = name_end;
    let mut args = Vec::new();
    loop {
        i = skip_ws(t, i);
        if t[i..].starts_with(close) {
            return Some(tag(name, args, delim, closing, false, i + 3));
        }
        if t[i..].starts_with('/') && t[i + 1..].starts_with(close) {
            return Some(tag(name, args, delim, closing, true, i + 4));
        }
        let (first, next) = token(t, i)?;
        if t[next..].starts_with('=') {
            let (value, after) = token(t, next + 1)?;
            args.push((Some(first), value));
            i = after;
        } else {
            args.push((None, first));
            i = next;
        }
    }
}

fn tag(
    name: String,
    args: Vec<(Option<String>, String)>,
    delim: char,
    closing: bool,
    self_closing: bool,
    end: usize,
) -> Tag {
    Tag {
        name,
        args,
        delim,
        closing,
        self_closing,
        end,
        literal: None,
    }
}

fn skip_ws(t: &str, i: usize) -> usize {
    i + (t[i..].len() - t[i..].trim_start().len())
}

/// One argument token: `"quoted \" text"`, `` `raw` ``, or a bare word.
fn token(t: &str, i: usize) -> Option<(String, usize)> {
    let rest = &t[i..];
    if let Some(r) = rest.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = r.char_indices();
        while let Some((k, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => return Some((out, i + 1 + k + 1)),
                _ => out.push(c),
            }
        }
        return None;
    }
    if let Some(r) = rest.strip_prefix('`') {
        let k = r.find('`')?;
        return Some((r[..k].to_string(), i + 1 + k + 1));
    }
    let k = rest
        .char_indices()
        .find(|&(k, c)| {
            c.is_whitespace()
                || c == '='
                || rest[k..].starts_with(">}}")
                || rest[k..].starts_with("%}}")
                || rest[k..].starts_with("/>}}")
                || rest[k..].starts_with("/%}}")
        })
        .map_or(rest.len(), |(k, _)| k);
    if k == 0 {
        return None;
    }
    Some((rest[..k].to_string(), i + k))
}

/// The closing tag of `name` after `from`, nested tags of the same name
/// counted: (where it starts, where it ends).
pub(crate) fn find_close(
    text: &str,
    from: usize,
    limit: usize,
    name: &str,
) -> Option<(usize, usize)> {
    let mut depth = 1usize;
    let mut at = from;
    while let Some(k) = text[at..limit].find("{{") {
        let p = at + k;
        match parse_tag(text, p, limit) {
            Some(t) if t.name == name && t.closing => {
                depth -= 1;
                if depth == 0 {
                    return Some((p, t.end));
                }
                at = t.end;
            }
            Some(t) if t.name == name && !t.self_closing => {
                depth += 1;
                at = t.end;
            }
            Some(t) => at = t.end,
            None => at = p + 2,
        }
    }
    None
}

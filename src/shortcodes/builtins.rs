//! What each shortcode writes: the built-ins (`include`, `fact`, `figure`,
//! `urgent`) and the site's own templates.
//!
//! Built-ins write Markdown where they can (a figure's image, a snippet),
//! so the page's rules apply to it: the image is checked and its address
//! made relative like any other. Only the markup around it is HTML.

use std::ops::Range;

use crate::diagnostics::suggest;
use crate::html::escape;

use super::expand::{Dependency, Expander, Placement, Src, placement};
use super::library::{FactsFile, template_name};
use super::parse::{Call, Found, Problem, Value};
use super::{BUILTINS, FACTS_FILE, SNIPPETS_DIR};

/// Stands for a block's body in its template's output, which is split
/// there: the body is then rendered with the page (two private-use
/// characters no writer types).
const BODY_MARK: &str = "\u{F8FF}marrow-body\u{F8FF}";

impl Expander<'_> {
    /// `{{ name(…) }}`, found as `f`.
    pub(super) fn inline(&mut self, src: &Src, f: &Found, call: &Call) {
        let place = placement(src.text(), &f.range);
        let done = match call.name.as_str() {
            "include" => self.include(call, &place),
            "fact" => self.fact(src, call, f.in_html),
            "figure" => self.figure(src, call, &place),
            "urgent" => self.urgent(src, call, &place),
            _ => self.template(src, call, &place),
        };
        if let Err(p) = done {
            self.problem(src, &p);
        }
    }

    /// `{% name(…) %}` at `tags.0`, its body at `body` holding the tags
    /// `inner`, and `{% end %}` at `tags.1`.
    pub(super) fn block(
        &mut self,
        src: &Src,
        tags: (Range<usize>, Range<usize>),
        call: &Call,
        body: Range<usize>,
        inner: &[Found],
    ) {
        let done = self.try_block(src, &tags, call, body, inner);
        if let Err(p) = done {
            self.problem(src, &p);
        }
    }

    fn try_block(
        &mut self,
        src: &Src,
        (open, end): &(Range<usize>, Range<usize>),
        call: &Call,
        body: Range<usize>,
        inner: &[Found],
    ) -> Result<(), Problem> {
        if BUILTINS.contains(&call.name.as_str()) {
            return Err(Problem {
                at: open.start,
                message: format!("`{}` takes no body", call.name),
                help: format!(
                    "write it inline, `{{{{ {}(…) }}}}`, with no `{{% end %}}`",
                    call.name
                ),
            });
        }
        let own_line = |r: &Range<usize>| match placement(src.text(), r) {
            Placement::Line(indent) => Some(indent),
            Placement::Inline => None,
        };
        let (Some(indent), Some(_)) = (own_line(open), own_line(end)) else {
            return Err(Problem {
                at: open.start,
                message: format!(
                    "`{{% {}(…) %}}` and its `{{% end %}}` must each be on a line of their own",
                    call.name
                ),
                help: "put the opening tag, the body and `{% end %}` on separate lines".into(),
            });
        };
        self.known_template(call)?;
        let html = self.render_template(call, BODY_MARK)?;
        let (before, after) = match html.split_once(BODY_MARK) {
            Some((b, a)) if !a.contains(BODY_MARK) => (b.to_string(), a.to_string()),
            Some(_) => {
                return Err(Problem {
                    at: call.at,
                    message: format!(
                        "templates/shortcodes/{}.html writes `body` more than once",
                        call.name
                    ),
                    help: "write `{{ body | safe }}` once".into(),
                });
            }
            None => (html, String::new()),
        };
        self.indented(&indent, |ex| ex.write_html_block(src, open.start, before));
        self.walk(src, inner, body);
        self.indented(&indent, |ex| ex.write_html_block(src, end.start, after));
        Ok(())
    }

    /// `include(file="x.md")`: the snippet's Markdown, as if written here.
    fn include(&mut self, call: &Call, place: &Placement) -> Result<(), Problem> {
        allow(call, &["file"])?;
        let file = required_str(call, "file", "when-to-call.md")?;
        let key = file
            .trim_start_matches("./")
            .trim_start_matches("content/")
            .trim_start_matches("_snippets/")
            .to_string();
        let lib = self.lib;
        // The snippet in the page's language, when it is translated.
        let page = self.page.to_string_lossy().replace('\\', "/");
        let page = page.strip_prefix("content/").unwrap_or(&page);
        let lang = lib.langs.split(page).1;
        let translated = lib.langs.translated_path(&key, lang);
        let key = if lib.snippets.contains_key(&translated) {
            translated
        } else {
            key
        };
        self.out.uses.push(Dependency::Snippet(key.clone()));
        let Some(snippet) = lib.snippets.get(&key) else {
            let help = match suggest(&key, lib.snippets.keys().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if lib.snippets.is_empty() => {
                    format!(
                        "snippets are Markdown files in content/{SNIPPETS_DIR}/; create content/{SNIPPETS_DIR}/{key}"
                    )
                }
                None => format!(
                    "the snippets are: {}",
                    lib.snippets.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(arg_problem(
                call,
                "file",
                format!("no snippet `{key}` in content/{SNIPPETS_DIR}/"),
                help,
            ));
        };
        if self.including.contains(&key) || self.too_deep() {
            let mut chain = self.including.clone();
            chain.push(key.clone());
            return Err(Problem {
                at: call.at,
                message: format!(
                    "snippets include each other without end: {}",
                    chain.join(" → ")
                ),
                help: "remove one of these includes".into(),
            });
        }
        let inner = self.snippet_src(&key, &snippet.display, &snippet.text);
        let text = snippet.text.as_str();
        self.including.push(key);
        match place {
            Placement::Line(indent) => {
                let len = text.trim_end().len();
                self.indented(indent, |ex| ex.expand_all(&inner, len));
            }
            Placement::Inline => {
                let len = text.trim_end().len();
                let lead = len - text[..len].trim_start().len();
                let mut sub = inner;
                sub.skip(lead);
                self.expand_all(&sub, len - lead);
            }
        }
        self.including.pop();
        Ok(())
    }

    /// `fact(name="x")`: the value, as text (escaped for HTML inside a raw
    /// HTML block, for Markdown elsewhere).
    fn fact(&mut self, src: &Src, call: &Call, in_html: bool) -> Result<(), Problem> {
        allow(call, &["name"])?;
        let name = required_str(call, "name", "fever_temperature")?;
        self.out.uses.push(Dependency::Fact(name.to_string()));
        let lib = self.lib;
        match lib.facts_file {
            // Its own errors are reported; the page adds nothing.
            FactsFile::Broken => Ok(()),
            FactsFile::Missing => Err(arg_problem(
                call,
                "name",
                format!("no fact `{name}`: the site has no {FACTS_FILE}"),
                format!("create {FACTS_FILE} with a line `{name}: \"…\"`"),
            )),
            FactsFile::Loaded => match lib.facts.get(name) {
                Some(value) => {
                    let text = if in_html {
                        escape(value)
                    } else {
                        markdown_text(value)
                    };
                    self.write(src, call.at, &text);
                    Ok(())
                }
                None => {
                    let help = match suggest(name, lib.facts.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("add `{name}: \"…\"` to {FACTS_FILE}"),
                    };
                    Err(arg_problem(
                        call,
                        "name",
                        format!("no fact `{name}` in {FACTS_FILE}"),
                        help,
                    ))
                }
            },
        }
    }

    /// `figure(src, alt, caption)`: an image with its caption, in a
    /// `<figure>`. The image is Markdown, so it is checked and linked like
    /// every other; the caption is inline Markdown (one paragraph).
    fn figure(&mut self, src: &Src, call: &Call, place: &Placement) -> Result<(), Problem> {
        allow(call, &["src", "alt", "caption"])?;
        let image = required_str(call, "src", "images/chart.png")?;
        let alt = required_str(call, "alt", "What the image shows")?;
        if alt.trim().is_empty() {
            return Err(arg_problem(
                call,
                "alt",
                "`alt` is empty".into(),
                "say what the image shows, for readers who cannot see it".into(),
            ));
        }
        let caption = optional_str(call, "caption")?;
        if image.contains(['<', '>', '\n']) {
            return Err(arg_problem(
                call,
                "src",
                "`src` holds `<`, `>` or a line break".into(),
                "give the image's path, relative to the page".into(),
            ));
        }
        let indent = own_line(call, place)?;
        let at = call.at;
        self.indented(&indent, |ex| {
            ex.write_html_block(src, at, "<figure class=\"figure\">".into());
            ex.write(src, at, &format!("![{}](<{image}>)", markdown_text(alt)));
            if let Some(caption) = caption {
                ex.write_html_block(src, at, "<figcaption>".into());
                ex.write(src, at, &caption.replace(['\n', '\r'], " "));
                ex.write_html_block(src, at, "</figcaption>".into());
            }
            ex.write_html_block(src, at, "</figure>".into());
        });
        Ok(())
    }

    /// `urgent()`: the site's urgent-care advice, from `site.yaml`.
    fn urgent(&mut self, src: &Src, call: &Call, place: &Placement) -> Result<(), Problem> {
        allow(call, &[])?;
        let Some(urgent) = self.lib.urgent.clone() else {
            return Err(Problem {
                at: call.at,
                message: "`urgent` needs the site's urgent-care advice, and site.yaml has none".into(),
                help: "add to site.yaml: `urgent: { text: \"Call your transplant team straight away, day or night:\", phone: \"…\" }`".into(),
            });
        };
        let indent = own_line(call, place)?;
        let tel: String = urgent
            .phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        let title = urgent.title.as_deref().map_or(String::new(), |t| {
            format!("\n<p class=\"callout-title\">{}</p>", escape(t))
        });
        let at = call.at;
        self.indented(&indent, |ex| {
            ex.write_html_block(
                src,
                at,
                format!("<div class=\"callout callout-caution urgent\" role=\"note\">{title}"),
            );
            ex.write(
                src,
                at,
                &format!(
                    "{} **[{}](tel:{tel})**",
                    markdown_text(&urgent.text),
                    markdown_text(&urgent.phone)
                ),
            );
            ex.write_html_block(src, at, "</div>".into());
        });
        Ok(())
    }

    /// A site template used inline (`body` is empty).
    fn template(&mut self, src: &Src, call: &Call, place: &Placement) -> Result<(), Problem> {
        self.known_template(call)?;
        let html = self.render_template(call, "")?;
        match place {
            Placement::Line(indent) => {
                let html = html.trim().to_string();
                self.indented(indent, |ex| ex.write_html_block(src, call.at, html));
            }
            Placement::Inline => self.write_html(src, call.at, html.trim().to_string()),
        }
        Ok(())
    }

    /// An error unless the site has a template for `call`.
    fn known_template(&self, call: &Call) -> Result<(), Problem> {
        let lib = self.lib;
        if lib.template_names.contains(&call.name) {
            return Ok(());
        }
        let known: Vec<&str> = lib.known().collect();
        let did_you_mean = suggest(&call.name, known.iter().copied())
            .map_or(String::new(), |s| format!("did you mean `{s}`? "));
        Err(Problem {
            at: call.at,
            message: format!("unknown shortcode `{}`", call.name),
            help: format!(
                "{did_you_mean}the shortcodes are: {}; a site adds its own as templates/shortcodes/NAME.html",
                known.join(", ")
            ),
        })
    }

    fn render_template(&self, call: &Call, body: &str) -> Result<String, Problem> {
        let Some(tera) = &self.lib.templates else {
            return Err(Problem {
                at: call.at,
                message: format!("unknown shortcode `{}`", call.name),
                help: String::new(),
            });
        };
        let mut ctx = tera::Context::new();
        for arg in &call.args {
            match &arg.value {
                Value::Str(s) => ctx.insert(arg.key.clone(), s),
                Value::Int(n) => ctx.insert(arg.key.clone(), n),
                Value::Float(x) => ctx.insert(arg.key.clone(), x),
                Value::Bool(b) => ctx.insert(arg.key.clone(), b),
            }
        }
        ctx.insert("body", body);
        tera.render(&template_name(&call.name), &ctx)
            .map_err(|e| Problem {
                at: call.at,
                message: format!(
                    "templates/shortcodes/{}.html failed: {}",
                    call.name,
                    super::library::flatten(&e)
                ),
                help: "check the arguments the template uses against the ones given here".into(),
            })
    }
}

/// The indent for a shortcode that must be on a line of its own.
fn own_line(call: &Call, place: &Placement) -> Result<String, Problem> {
    match place {
        Placement::Line(indent) => Ok(indent.clone()),
        Placement::Inline => Err(Problem {
            at: call.at,
            message: format!("`{}` must be on a line of its own", call.name),
            help: "put the shortcode on its own line, with a blank line before and after".into(),
        }),
    }
}

/// An error for the first argument of `call` not in `allowed`.
fn allow(call: &Call, allowed: &[&str]) -> Result<(), Problem> {
    let Some(extra) = call
        .args
        .iter()
        .find(|a| !allowed.contains(&a.key.as_str()))
    else {
        return Ok(());
    };
    let help = match (suggest(&extra.key, allowed.iter().copied()), allowed) {
        (Some(s), _) => format!("did you mean `{s}`?"),
        (None, []) => format!("write `{}()`", call.name),
        (None, _) => format!("its arguments are: {}", allowed.join(", ")),
    };
    Err(Problem {
        at: extra.at,
        message: format!("`{}` has no argument `{}`", call.name, extra.key),
        help,
    })
}

fn optional_str<'c>(call: &'c Call, key: &str) -> Result<Option<&'c str>, Problem> {
    match call.arg(key) {
        None => Ok(None),
        Some(a) => match &a.value {
            Value::Str(s) => Ok(Some(s)),
            other => Err(Problem {
                at: a.at,
                message: format!(
                    "`{key}` of `{}` is {}, not a string",
                    call.name,
                    other.kind()
                ),
                help: format!("put it in double quotes: `{key}=\"…\"`"),
            }),
        },
    }
}

fn required_str<'c>(call: &'c Call, key: &str, example: &str) -> Result<&'c str, Problem> {
    optional_str(call, key)?.ok_or_else(|| Problem {
        at: call.at,
        message: format!("`{}` needs `{key}`", call.name),
        help: format!("write `{}({key}=\"{example}\")`", call.name),
    })
}

/// An error at argument `key` of `call` (or at the call).
fn arg_problem(call: &Call, key: &str, message: String, help: String) -> Problem {
    Problem {
        at: call.arg(key).map_or(call.at, |a| a.at),
        message,
        help,
    }
}

/// `value` as Markdown that reads as exactly that text: the characters
/// Markdown would take for markup are escaped, line breaks become spaces.
pub(super) fn markdown_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '!' | '~' | '{'
            | '}' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

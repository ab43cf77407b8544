//! Bad input (issue 8): hostile and odd sites through the real binary.
//!
//! Every case starts from the same small, good site (`content/_index.md`,
//! `content/ok.md`), changes or adds files, and runs `marrow build` (and,
//! where it adds something, `marrow check`). Each has one exact expected
//! outcome, listed in [`cases`]:
//!
//! - [`Expect::Builds`]: exit 0, and the check function asserts what was
//!   produced;
//! - [`Expect::Fails`]: exit 1 (content) or 2 (configuration), and stderr
//!   holds every listed string — the message, `--> file:line:col`, advice.
//!
//! Whatever the case, [`run_case`] also asserts: no panic (exit 101,
//! "panicked"), no hang (every run is killed after [`DEADLINE`]), and no
//! partial output — a failed build leaves the previous output
//! byte-identical, never creates an output folder when there was none and
//! leaves no staging folders behind. A failure also has to say what to do
//! (`help:`).
//!
//! Big inputs (a 20 MB page, 100,000 lines, 50 nested folders) are made in
//! the temporary folder at test time. The cases run on a few threads; the
//! whole file takes well under a minute in a debug build.
//!
//! Unix only: several cases need symlinks and permissions.

#![cfg(unix)]

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{broken_links, snapshot};

/// Longest any one `marrow` run may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(20);

/// What a case must do.
enum Expect {
    /// Exit 0; then the function checks the output folder (and stderr).
    Builds(fn(&Path, &str)),
    /// Exit with this code, stderr holding each string.
    Fails(i32, &'static [&'static str]),
    /// The file `content/secret.md` cannot be read: like `Fails(1, …)`,
    /// unless the tests run as root (who reads it anyway): then it builds.
    Unreadable(&'static [&'static str]),
}

struct Case {
    name: &'static str,
    /// Turns the good site at the given root into the hostile one.
    setup: fn(&Path),
    expect: Expect,
    /// Also run `marrow check`, which must agree with the build.
    check: bool,
}

const HOME: &str = "---\ntitle: Home\n---\nWelcome.\n";
const OK: &str = "---\ntitle: Fine page\n---\n## Part\n\nText.\n";

/// The table: every hostile input and its one expected outcome.
fn cases() -> Vec<Case> {
    use Expect::{Builds, Fails, Unreadable};
    let c = |name, setup, expect, check| Case {
        name,
        setup,
        expect,
        check,
    };
    vec![
        // ---- Front matter and YAML ----
        c(
            "front matter fence never closed",
            |r| write(r, "content/bad.md", "---\ntitle: A\nbody text\n"),
            Fails(
                1,
                &[
                    "error: front matter opened with `---` on line 1 is never closed",
                    "--> content/bad.md:3:1",
                    "help: add a line holding only `---` after line 2",
                ],
            ),
            true,
        ),
        c(
            "YAML indented with a tab",
            |r| write(r, "content/bad.md", "---\ntitle: A\ntags:\n\t- x\n---\n"),
            Fails(
                1,
                &[
                    "error: a tab is used for indentation",
                    "--> content/bad.md:4:1",
                    "help: YAML does not allow tabs for indentation; indent with spaces",
                ],
            ),
            true,
        ),
        c(
            "YAML field indented under a plain value",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\n  description: x\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: unexpected `:` — a value containing `: ` must be quoted",
                    "--> content/bad.md:3:14",
                    "indent this line like the fields above it",
                ],
            ),
            false,
        ),
        c(
            "YAML duplicate key",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\ndescription: x\ntitle: B\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: `title` is set twice",
                    "--> content/bad.md:4:1",
                    "help: keep one `title:` line and delete the other",
                ],
            ),
            false,
        ),
        c(
            "YAML quote never closed",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: \"A\ndescription: x\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: this quoted value is never closed",
                    "--> content/bad.md:2:8",
                    "help: add the closing quote",
                ],
            ),
            false,
        ),
        c(
            "YAML list never closed",
            |r| write(r, "content/bad.md", "---\ntitle: A\ntags: [a, b\n---\n"),
            Fails(
                1,
                &[
                    "error: a list opened with `[` is not closed",
                    "--> content/bad.md:3:7",
                    "help: close it with `]`",
                ],
            ),
            false,
        ),
        c(
            "YAML billion laughs (aliases of aliases)",
            |r| write(r, "content/bad.md", billion_laughs()),
            Fails(
                1,
                &[
                    "error: YAML aliases (`*name`) here repeat an anchored value",
                    "--> content/bad.md:5:10",
                    "help: write the values out",
                ],
            ),
            true,
        ),
        c(
            "YAML big anchored list referenced 3,000 times",
            |r| {
                let items = vec!["x"; 3000].join(",");
                let refs = vec!["*a"; 3000].join(",");
                let fm = format!("---\ntitle: A\nextra:\n  a: &a [{items}]\n  b: [{refs}]\n---\n");
                write(r, "content/bad.md", &fm)
            },
            Fails(
                1,
                &["error: YAML aliases (`*name`)", "--> content/bad.md:5:7"],
            ),
            false,
        ),
        c(
            "YAML 100,000 nested brackets",
            |r| {
                let n = 100_000;
                let fm = format!(
                    "---\ntitle: A\nextra:\n  x: {}{}\n---\n",
                    "[".repeat(n),
                    "]".repeat(n)
                );
                write(r, "content/bad.md", &fm)
            },
            Fails(
                1,
                &[
                    "error: lists and maps are nested more than 100 levels deep here",
                    "--> content/bad.md:4:106",
                    "help: flatten the data",
                ],
            ),
            false,
        ),
        c(
            "YAML 20,000 nested block lists",
            |r| {
                let fm = format!(
                    "---\ntitle: A\nextra:\n  x:\n    {}x\n---\n",
                    "- ".repeat(20_000)
                );
                write(r, "content/bad.md", &fm)
            },
            Fails(
                1,
                &[
                    "error: lists and maps are nested too deeply (more than 128 levels)",
                    "--> content/bad.md:5:",
                ],
            ),
            false,
        ),
        c(
            "wrong type: weight: \"high\"",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\nweight: \"high\"\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: weight: expected a whole number, found the text \"high\"",
                    "--> content/bad.md:3:9",
                    "help: write a whole number without quotes",
                ],
            ),
            true,
        ),
        c(
            "wrong type: tags: foo",
            |r| write(r, "content/bad.md", "---\ntitle: A\ntags: foo\n---\n"),
            Fails(
                1,
                &[
                    "error: tags: expected a list, found the text \"foo\"",
                    "--> content/bad.md:3:7",
                    "help: write a list: `[first, second]`",
                ],
            ),
            false,
        ),
        c(
            "wrong type: reviewed: 31/02/2026",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\nreviewed: 31/02/2026\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: reviewed: not a date in the form YYYY-MM-DD",
                    "--> content/bad.md:3:11",
                    "help: write dates as YYYY-MM-DD",
                ],
            ),
            false,
        ),
        c(
            "impossible date: reviewed: 2026-02-31",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\nreviewed: 2026-02-31\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: reviewed: there is no such date",
                    "--> content/bad.md:3:11",
                ],
            ),
            false,
        ),
        c(
            "wrong type: draft: maybe",
            |r| write(r, "content/bad.md", "---\ntitle: A\ndraft: maybe\n---\n"),
            Fails(
                1,
                &[
                    "error: draft: expected `true` or `false`, found the text \"maybe\"",
                    "--> content/bad.md:3:8",
                    "help: write `true` or `false`",
                ],
            ),
            false,
        ),
        c(
            "wrong type: title: [a, b]",
            |r| write(r, "content/bad.md", "---\ntitle: [a, b]\n---\n"),
            Fails(
                1,
                &[
                    "error: title: expected text, found a list",
                    "--> content/bad.md:2:8",
                    "put it in quotes",
                ],
            ),
            false,
        ),
        c(
            "a value starting with `*` (read as an alias)",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\ndescription: *Important* read this\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: a value starting with `*` or `&` is read as a YAML alias or anchor",
                    "--> content/bad.md:3:14",
                    "put the whole value in quotes",
                ],
            ),
            false,
        ),
        // ---- Encodings and bytes ----
        c(
            "non-UTF-8 byte in a page",
            |r| write(r, "content/bad.md", b"---\ntitle: A\n---\nok \xff bad\n"),
            Fails(
                1,
                &[
                    "error: file is not valid UTF-8 text",
                    "--> content/bad.md:4:4",
                    "help: save the file as UTF-8",
                ],
            ),
            true,
        ),
        c(
            "UTF-8 byte order mark",
            |r| {
                write(
                    r,
                    "content/bom.md",
                    "\u{feff}---\ntitle: With BOM\n---\nText.\n",
                )
            },
            Builds(|out, _| {
                assert!(read(out.join("bom/index.html")).contains("<h1>With BOM</h1>"));
            }),
            true,
        ),
        c(
            "CRLF line endings",
            |r| {
                write(
                    r,
                    "content/crlf.md",
                    "---\r\ntitle: CRLF\r\n---\r\n## Intro\r\n\r\nSee [ok](ok.md) and [intro](#intro).\r\n",
                )
            },
            Builds(|out, _| {
                let html = read(out.join("crlf/index.html"));
                assert!(html.contains("<h1>CRLF</h1>"), "{html}");
                assert!(html.contains("id=\"intro\""), "{html}");
                assert!(html.contains("href=\"../ok/index.html\""), "{html}");
                assert!(!html.contains('\r'), "no CR left");
            }),
            true,
        ),
        c(
            "lone CR line endings",
            |r| {
                write(
                    r,
                    "content/cr.md",
                    "---\rtitle: Old Mac\r---\r## Intro\r\rText.\r",
                )
            },
            Builds(|out, _| {
                let html = read(out.join("cr/index.html"));
                assert!(html.contains("<h1>Old Mac</h1>"), "{html}");
                assert!(html.contains("id=\"intro\""), "{html}");
            }),
            false,
        ),
        c(
            "UTF-16 page",
            |r| {
                let utf16: Vec<u8> = "\u{feff}---\ntitle: A\n---\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect();
                write(r, "content/bad.md", &utf16)
            },
            Fails(
                1,
                &[
                    "error: this file is saved as UTF-16 text, not UTF-8",
                    "--> content/bad.md",
                    "help: save the file as UTF-8",
                ],
            ),
            false,
        ),
        c(
            "NUL byte in text",
            |r| write(r, "content/bad.md", "---\ntitle: A\n---\nText \0 here\n"),
            Fails(
                1,
                &[
                    "error: the file contains a NUL character",
                    "--> content/bad.md:4:6",
                    "help: delete it",
                ],
            ),
            true,
        ),
        c(
            "PNG image named .md",
            |r| {
                write(
                    r,
                    "content/image.md",
                    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
                )
            },
            Fails(
                1,
                &[
                    "error: this is not a text file: it is a PNG image",
                    "--> content/image.md",
                    "help: Markdown pages must be text; rename the file",
                ],
            ),
            false,
        ),
        c(
            "random bytes named .md",
            |r| write(r, "content/noise.md", noise(8192)),
            Fails(
                1,
                &[
                    "error: this is not a text file: it holds binary data",
                    "--> content/noise.md",
                ],
            ),
            false,
        ),
        c(
            "empty .md file",
            |r| write(r, "content/empty.md", ""),
            Fails(
                1,
                &[
                    "error: page has no `title`",
                    "--> content/empty.md",
                    "help: start the file with front matter:",
                ],
            ),
            false,
        ),
        c(
            "only `---` and `---`",
            |r| write(r, "content/fences.md", "---\n---\n"),
            Fails(
                1,
                &[
                    "error: page has no `title`",
                    "--> content/fences.md:1:1",
                    "help: add `title: Your page title`",
                ],
            ),
            false,
        ),
        // ---- Size and depth ----
        c(
            "a 20 MB page",
            |r| {
                let para = "Patients receive conditioning before the transplant. \
                            This prepares the marrow for new cells. "
                    .repeat(10)
                    + "\n\n";
                let body = para.repeat(20_000_000 / para.len() + 1);
                write(r, "content/big.md", format!("---\ntitle: Big\n---\n{body}"))
            },
            Builds(|out, _| {
                let size = std::fs::metadata(out.join("big/index.html")).unwrap().len();
                assert!(size > 20_000_000, "{size} bytes");
            }),
            false,
        ),
        c(
            "a 100,000-line page",
            |r| {
                let body: String = (0..100_000)
                    .map(|i| format!("Line {i} of text.\n"))
                    .collect();
                write(
                    r,
                    "content/long.md",
                    format!("---\ntitle: Long\n---\n{body}"),
                )
            },
            Builds(|out, _| {
                let html = read(out.join("long/index.html"));
                assert!(html.contains("Line 0 of text.") && html.contains("Line 99999 of text."));
            }),
            false,
        ),
        c(
            "1,000 nested lists",
            |r| {
                let body: String = (0..1000)
                    .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                    .collect();
                write(
                    r,
                    "content/lists.md",
                    format!("---\ntitle: Lists\n---\n{body}"),
                )
            },
            Builds(|out, _| {
                let html = read(out.join("lists/index.html"));
                assert!(html.contains("item 999"));
                let article = html.split("<main").nth(1).unwrap();
                assert!(article.matches("<ul>").count() >= 1000);
            }),
            true,
        ),
        c(
            "1,000 nested blockquotes",
            |r| {
                let body = format!("{}deep\n", "> ".repeat(1000));
                write(
                    r,
                    "content/quotes.md",
                    format!("---\ntitle: Quotes\n---\n{body}"),
                )
            },
            Builds(|out, _| {
                let html = read(out.join("quotes/index.html"));
                assert_eq!(html.matches("<blockquote>").count(), 1000);
                assert!(html.contains("deep"));
            }),
            true,
        ),
        c(
            "a 10,000-character title",
            |r| {
                let title = "Transplant ".repeat(909) + "X";
                write(
                    r,
                    "content/title.md",
                    format!("---\ntitle: {title}\n---\nBody.\n"),
                )
            },
            Builds(|out, _| {
                let html = read(out.join("title/index.html"));
                let title = "Transplant ".repeat(909) + "X";
                assert!(html.contains(&format!("<h1>{title}</h1>")));
            }),
            false,
        ),
        c(
            "50 nested folders",
            |r| {
                let dir: String = (0..50).map(|i| format!("level{i}/")).collect();
                write(
                    r,
                    &format!("content/{dir}deep.md"),
                    "---\ntitle: Deep page\n---\n[home](/_index.md) [ok](/ok.md#part)\n",
                )
            },
            Builds(|out, _| {
                let dir: String = (0..50).map(|i| format!("level{i}/")).collect();
                let html = read(out.join(format!("{dir}deep/index.html")));
                assert!(html.contains("<h1>Deep page</h1>"));
                assert!(html.contains(&format!("href=\"{}index.html\"", "../".repeat(51))));
                let broken = broken_links(out, "/");
                assert!(broken.is_empty(), "{broken:?}");
            }),
            true,
        ),
        c(
            "5,000 headings with the same text",
            |r| {
                let body = "## Same\n\nText.\n\n".repeat(5000) + "[last](#same-4999)\n";
                write(
                    r,
                    "content/heads.md",
                    format!("---\ntitle: Heads\n---\n{body}"),
                )
            },
            Builds(|out, _| {
                let html = read(out.join("heads/index.html"));
                let ids: std::collections::HashSet<&str> = html
                    .match_indices("<h2 id=\"same")
                    .map(|(i, _)| html[i + 8..].split('"').next().unwrap())
                    .collect();
                assert_eq!(ids.len(), 5000, "unique ids");
                assert!(ids.contains("same") && ids.contains("same-4999"));
            }),
            false,
        ),
        c(
            "heading id `{#}` left empty",
            |r| {
                write(
                    r,
                    "content/ids.md",
                    "---\ntitle: Ids\n---\n## Heading {#}\n\n## Other {#x}\n",
                )
            },
            Builds(|out, _| {
                let html = read(out.join("ids/index.html"));
                assert!(html.contains("<h2 id=\"heading\">"), "{html}");
                assert!(html.contains("<h2 id=\"x\">"), "{html}");
                assert!(!html.contains("id=\"\""), "{html}");
            }),
            false,
        ),
        c(
            "HTML comment never closed",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\n---\nBefore.\n\n<!-- never closed\n\n## Hidden\n\nText.\n",
                )
            },
            Fails(
                1,
                &[
                    "error: HTML comment `<!--` is never closed",
                    "--> content/bad.md:6:1",
                    "help: add `-->` where the comment should end",
                ],
            ),
            true,
        ),
        c(
            "<script> never closed",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\n---\nText.\n\n<script>\nlet x = 1;\n",
                )
            },
            Fails(
                1,
                &[
                    "error: `<script>` is never closed",
                    "--> content/bad.md:6:1",
                    "help: add `</script>`",
                ],
            ),
            false,
        ),
        // ---- Names and URLs ----
        c(
            "page named like a folder (foo.md beside foo/)",
            |r| {
                write(r, "content/foo.md", "---\ntitle: Foo\n---\n");
                write(r, "content/foo/bar.md", "---\ntitle: Bar\n---\n");
            },
            Fails(
                1,
                &[
                    "error: the folder `content/foo/` and `content/foo.md` both want the URL /foo/",
                    "--> content/foo.md",
                    "help: make `content/foo.md` the folder's own page by moving it to `content/foo/_index.md`",
                ],
            ),
            true,
        ),
        c(
            "two pages with the same slug",
            |r| {
                write(r, "content/a.md", "---\ntitle: A\nslug: same\n---\n");
                write(r, "content/b.md", "---\ntitle: B\nslug: same\n---\n");
            },
            Fails(
                1,
                &[
                    "error: `content/a.md` and `content/b.md` both want the URL /same/",
                    "--> content/b.md:3:1",
                    "help: rename one of the files or give one a different `slug`",
                ],
            ),
            false,
        ),
        c(
            "two file names with one URL",
            |r| {
                write(r, "content/Side Effects.md", "---\ntitle: A\n---\n");
                write(r, "content/side-effects.md", "---\ntitle: B\n---\n");
            },
            Fails(
                1,
                &[
                    "`content/Side Effects.md` and `content/side-effects.md` both want the URL /side-effects/",
                ],
            ),
            false,
        ),
        c(
            "a folder named like the glossary page",
            |r| {
                write(
                    r,
                    "content/glossary.yaml",
                    "- term: ANC\n  definition: A count.\n",
                );
                write(r, "content/glossary/words.md", "---\ntitle: Words\n---\n");
            },
            Fails(
                1,
                &[
                    "error: the folder `content/glossary/` and the glossary page (made from `content/glossary.yaml`) both want the URL /glossary/",
                    "--> content/glossary.yaml",
                    "help: rename the folder `content/glossary/`",
                ],
            ),
            false,
        ),
        c(
            "unicode and Chinese names and titles",
            |r| {
                write(
                    r,
                    "content/检查.md",
                    "---\ntitle: 移植前的检查\n---\n## 准备\n\n[Café](café.md) [说明](指南/说明.md#准备) [自己](#准备)\n",
                );
                write(r, "content/café.md", "---\ntitle: Café ☕ émigré\n---\n");
                write(
                    r,
                    "content/指南/说明.md",
                    "---\ntitle: 说明\n---\n## 准备\n",
                );
            },
            Builds(|out, _| {
                assert!(read(out.join("检查/index.html")).contains("<h1>移植前的检查</h1>"));
                assert!(read(out.join("café/index.html")).contains("Café ☕ émigré"));
                assert!(out.join("指南/说明/index.html").is_file());
                let broken = broken_links(out, "/");
                assert!(broken.is_empty(), "{broken:?}");
            }),
            true,
        ),
        c(
            "spaces, #, ? and % in file names",
            |r| {
                write(
                    r,
                    "content/a b/my page.md",
                    "---\ntitle: Spaced\n---\n## Q?\n",
                );
                write(r, "content/c#1.md", "---\ntitle: Hash\n---\n");
                write(r, "content/#2 tips.md", "---\ntitle: Tips\n---\n");
                write(r, "content/why?.md", "---\ntitle: Why\n---\n");
                write(r, "content/100%.md", "---\ntitle: Percent\n---\n");
                write(r, "content/a b/file #1 100%.txt", "data\n");
                write(
                    r,
                    "content/links.md",
                    "---\ntitle: Links\n---\n[1](<a b/my page.md#q>) [2](a%20b/my%20page.md) \
                     [3](c%231.md) [4](%232%20tips.md) [5](why%3F.md) [6](100%25.md) \
                     [7](a%20b/file%20%231%20100%25.txt)\n",
                );
            },
            Builds(|out, _| {
                for page in ["a-b/my-page", "c1", "2-tips", "why", "100"] {
                    assert!(out.join(page).join("index.html").is_file(), "{page}");
                }
                assert_eq!(read(out.join("a b/file #1 100%.txt")), "data\n");
                let links = read(out.join("links/index.html"));
                assert!(
                    links.contains("href=\"../a%20b/file%20%231%20100%25.txt\""),
                    "{links}"
                );
                let broken = broken_links(out, "/");
                assert!(broken.is_empty(), "{broken:?}");
            }),
            true,
        ),
        c(
            "a `#` in a linked file name, not escaped",
            |r| {
                write(r, "content/file #1.txt", "data\n");
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\n---\n[file](<file #1.txt>)\n",
                );
            },
            Fails(
                1,
                &[
                    "error: link `file #1.txt` points to nothing",
                    "--> content/bad.md:4:1",
                    "help: `#` starts a heading anchor; write `%23` for the `#` in the file name: `file %231.txt`",
                ],
            ),
            false,
        ),
        // ---- Symlinks and permissions ----
        c(
            "symlink loop inside content/",
            |r| symlink("loop.md", &r.join("content/loop.md")),
            Fails(
                1,
                &[
                    "error: symlink loop: the link leads back to itself",
                    "--> content/loop.md",
                    "help: delete the link",
                ],
            ),
            true,
        ),
        c(
            "folder symlink back up (a cycle for a naive walker)",
            |r| {
                write(r, "content/d/page.md", "---\ntitle: In d\n---\n");
                symlink("..", &r.join("content/d/up"));
            },
            Builds(|out, _| {
                assert!(out.join("d/page/index.html").is_file());
                assert!(
                    !out.join("d/up").exists(),
                    "links to folders are not followed"
                );
            }),
            false,
        ),
        c(
            "symlink pointing outside content/",
            |r| {
                let outside = r.parent().unwrap().join("secret.md");
                write(&outside, "", "---\ntitle: Secret\n---\nPrivate.\n");
                symlink(&outside, &r.join("content/secret.md"));
            },
            Fails(
                1,
                &[
                    "error: symlink points outside the site",
                    "--> content/secret.md",
                    "help: copy the file into the site instead",
                ],
            ),
            false,
        ),
        c(
            "unreadable page (chmod 000)",
            |r| {
                write(r, "content/secret.md", "---\ntitle: Secret\n---\n");
                set_mode(&r.join("content/secret.md"), 0o000);
            },
            Unreadable(&[
                "error: cannot read: Permission denied",
                "--> content/secret.md",
                "help: check the file's permissions",
            ]),
            false,
        ),
        // ---- site.yaml ----
        c(
            "site.yaml with an unknown key",
            |r| write(r, "site.yaml", "title: Guide\ncolour: blue\n"),
            Fails(
                2,
                &[
                    "error: unknown field `colour`",
                    "--> site.yaml:2:1",
                    "help: valid fields are `title`",
                ],
            ),
            true,
        ),
        c(
            "site.yaml with a wrong type",
            |r| write(r, "site.yaml", "title: Guide\nsearch: maybe\n"),
            Fails(
                2,
                &[
                    "error: search: expected `true` or `false`, found the text \"maybe\"",
                    "--> site.yaml:2:9",
                ],
            ),
            false,
        ),
        c(
            "site.yaml with a number for a group",
            |r| write(r, "site.yaml", "review: 12\n"),
            Fails(
                2,
                &[
                    "error: review: expected a group of settings, found the number `12`",
                    "--> site.yaml:1:9",
                    "help: write its settings as `key: value` lines below it",
                ],
            ),
            false,
        ),
        c(
            "site.yaml with invalid YAML",
            |r| write(r, "site.yaml", "title: \"Guide\nlanguage: en\n"),
            Fails(
                2,
                &[
                    "error: this quoted value is never closed",
                    "--> site.yaml:1:8",
                ],
            ),
            true,
        ),
        c(
            "site.yaml that is a list",
            |r| write(r, "site.yaml", "- title\n- Guide\n"),
            Fails(
                2,
                &[
                    "error: expected a group of settings, found a list",
                    "--> site.yaml:1:1",
                    "help: site.yaml holds `setting: value` lines",
                ],
            ),
            false,
        ),
        c(
            "empty site.yaml",
            |r| write(r, "site.yaml", ""),
            Builds(|out, _| {
                assert!(
                    read(out.join("index.html")).contains("Documentation"),
                    "default title"
                );
            }),
            true,
        ),
        c(
            "site.yaml billion laughs",
            |r| {
                let bomb = billion_laughs();
                let yaml = bomb
                    .trim_start_matches("---\ntitle: A\n")
                    .trim_end_matches("---\n");
                write(r, "site.yaml", yaml)
            },
            Fails(2, &["error: YAML aliases (`*name`)", "--> site.yaml:3:10"]),
            false,
        ),
        c(
            "no content/ folder",
            |r| std::fs::remove_dir_all(r.join("content")).unwrap(),
            Fails(
                2,
                &[
                    "error: no `content/` folder in",
                    "help: run marrow in the site's folder, or pass --root DIR",
                ],
            ),
            false,
        ),
        // ---- Templates ----
        c(
            "template with a syntax error",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "<html>\n{% if page.title %}\n{{ page.title }\n</html>\n",
                )
            },
            Fails(
                1,
                &[
                    "error: template error: Found `}` but expected }}.",
                    "--> templates/page.html:3:15",
                    "help: fix the template (or delete `templates/page.html` to use the theme's own)",
                ],
            ),
            true,
        ),
        c(
            "template with a block never closed",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "<html>\n{% if page.title %}\n{{ page.title }}\n</html>\n",
                )
            },
            Fails(
                1,
                &[
                    "error: template error: Unexpected end of input",
                    "--> templates/page.html:5:1",
                    "is never closed: add its `{% end… %}` tag",
                ],
            ),
            false,
        ),
        c(
            "template with unknown filters",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "<html>{{ page.title | shout }}\n{{ page.title | whisper }}</html>\n",
                )
            },
            Fails(
                1,
                &[
                    "error: template error: Unknown filter `shout`",
                    "--> templates/page.html:1:23",
                    "error: template error: Unknown filter `whisper`",
                    "--> templates/page.html:2:17",
                    "2 errors",
                ],
            ),
            false,
        ),
        c(
            "template component that calls itself forever",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "{% component again(n) %}<i>{{ <again n={n} /> }}</i>{% endcomponent again %}\n<html>{{ <again n={1} /> }}</html>\n",
                )
            },
            Fails(
                1,
                &[
                    "error: template error: Maximum render recursion depth for components exceeded.",
                    "--> templates/page.html",
                    "help: a component calls itself without end",
                ],
            ),
            true,
        ),
        c(
            "templates that include each other",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "<html>{% include \"part.html\" %}</html>\n",
                );
                write(r, "templates/part.html", "{% include \"page.html\" %}\n");
            },
            Fails(
                1,
                &[
                    "error: template error: templates include each other in a loop: templates/page.html → templates/part.html → templates/page.html",
                    "--> templates/page.html",
                    "help: remove one of the `{% include %}` tags of the loop",
                ],
            ),
            false,
        ),
        c(
            "template that extends itself",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "{% extends \"page.html\" %}{% block x %}{% endblock x %}\n",
                )
            },
            Fails(
                1,
                &[
                    "error: template error: templates extend each other in a loop",
                    "--> templates/page.html",
                ],
            ),
            false,
        ),
        c(
            "template that extends one that does not exist",
            |r| {
                write(
                    r,
                    "templates/page.html",
                    "{% extends \"bsae.html\" %}{% block x %}{% endblock x %}\n",
                )
            },
            Fails(
                1,
                &[
                    "error: template error: it extends `bsae.html`, which does not exist",
                    "--> templates/page.html",
                    "help: fix the name in `{% extends %}`, or add the missing template",
                ],
            ),
            false,
        ),
        // ---- Glossary ----
        c(
            "glossary with a misspelt field",
            |r| {
                write(
                    r,
                    "content/glossary.yaml",
                    "- term: ANC\n  defintion: A count.\n",
                )
            },
            Fails(
                1,
                &[
                    "error: unknown field `defintion` — did you mean `definition`?",
                    "--> content/glossary.yaml:2:3",
                    "help: rename `defintion` to `definition`",
                ],
            ),
            true,
        ),
        c(
            "glossary that is not a list",
            |r| {
                write(
                    r,
                    "content/glossary.yaml",
                    "term: ANC\ndefinition: A count.\n",
                )
            },
            Fails(
                1,
                &[
                    "error: expected a list, found a group of `key: value` fields",
                    "--> content/glossary.yaml:1:1",
                    "help: the glossary is a list: start each entry with `- term:`",
                ],
            ),
            false,
        ),
        c(
            "glossary with a wrong type inside an entry",
            |r| {
                write(
                    r,
                    "content/glossary.yaml",
                    "- term: ANC\n  definition: A count.\n  aliases: neutrophils\n",
                )
            },
            Fails(
                1,
                &[
                    "error: aliases: expected a list, found the text \"neutrophils\"",
                    "--> content/glossary.yaml:3:12",
                    "help: write a list",
                ],
            ),
            false,
        ),
        c(
            "glossary with a duplicate term and a dangling see_also",
            |r| {
                write(
                    r,
                    "content/glossary.yaml",
                    "- term: ANC\n  definition: A count.\n- term: anc\n  definition: Again.\n  see_also: [platelets]\n",
                )
            },
            Fails(
                1,
                &[
                    "error: duplicate glossary term `anc`: same as the term `ANC`",
                    "--> content/glossary.yaml:3:9",
                ],
            ),
            false,
        ),
        // ---- Links, slugs and aliases ----
        c(
            "link to a missing page and to a missing anchor",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\n---\n[gone](nope.md) [part](ok.md#nope)\n",
                )
            },
            Fails(
                1,
                &[
                    "error: link `nope.md` points to a missing page `content/nope.md`",
                    "--> content/bad.md:4:1",
                    "error: link `ok.md#nope`: `content/ok.md` has no heading with id `nope`",
                    "--> content/bad.md:4:17",
                    "2 errors",
                ],
            ),
            true,
        ),
        c(
            "image pointing outside the site",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\n---\n![x](../../etc/passwd) ![y](file:///etc/passwd)\n",
                )
            },
            Fails(
                1,
                &[
                    "error: image `../../etc/passwd` points outside `content/`",
                    "--> content/bad.md:4:1",
                    "error: image `file:///etc/passwd` points to a file on this computer",
                    "--> content/bad.md:4:24",
                ],
            ),
            false,
        ),
        c(
            "slug with ../",
            |r| write(r, "content/bad.md", "---\ntitle: A\nslug: ../up\n---\n"),
            Fails(
                1,
                &[
                    "error: slug `../up` is not a single URL segment",
                    "--> content/bad.md:3:1",
                    "help: use letters, digits and hyphens",
                ],
            ),
            false,
        ),
        c(
            "slug holding a NUL character",
            |r| write(r, "content/bad.md", "---\ntitle: A\nslug: \"a\\0b\"\n---\n"),
            Fails(
                1,
                &["is not a single URL segment", "--> content/bad.md:3:1"],
            ),
            false,
        ),
        c(
            "aliases with .. and absolute URLs",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\naliases: [/../x/, 'https://evil.example/', /ok/../../up/]\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: alias `/../x/` uses `.` or `..`, which could point outside the site",
                    "error: alias `https://evil.example/` is a full address",
                    "error: alias `/ok/../../up/` uses `.` or `..`",
                    "--> content/bad.md:3:1",
                ],
            ),
            false,
        ),
        c(
            "alias over a file marrow writes",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\naliases: [/search/index.json]\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: `search/index.json` is a file of the built site (marrow's search index), but the alias `/search/index.json` of `content/bad.md` would be written inside `search/index.json/`",
                    "--> content/bad.md:3:1",
                    "help: choose another old address",
                ],
            ),
            true,
        ),
        c(
            "slug that is a theme file's name",
            |r| {
                write(
                    r,
                    "content/bad.md",
                    "---\ntitle: A\nslug: marrow.css\n---\n",
                )
            },
            Fails(
                1,
                &[
                    "error: `marrow.css` is a file of the built site (the theme's `marrow.css`), but the page `content/bad.md` would be written inside `marrow.css/`",
                    "--> content/bad.md:3:1",
                ],
            ),
            false,
        ),
        c(
            "a copied file over a page",
            |r| {
                write(r, "content/guide.md", "---\ntitle: Guide\n---\n");
                write(r, "content/guide/index.html", "<p>old export</p>\n");
            },
            Fails(
                1,
                &[
                    "error: the file `content/guide/index.html` and the page `content/guide.md` both write `guide/index.html` of the built site",
                    "--> content/guide.md",
                ],
            ),
            false,
        ),
    ]
}

#[test]
fn hostile_inputs() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "two cases named `{}`", c.name);
    }
    // Cases are independent: run them a few at a time, report every failure.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 6));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(case)));
                    if let Err(e) = outcome {
                        let why = e
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("[{}] {why}", case.name));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Runs one case: a good build first (the "previous output"), then the
/// hostile site into that output and into a fresh one.
fn run_case(case: &Case) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(&root, "content/_index.md", HOME);
    write(&root, "content/ok.md", OK);
    let out = tmp.path().join("out");
    let first = build(&root, &out);
    assert_eq!(first.code, 0, "the good site builds: {}", first.stderr);
    let before = snapshot(&out);

    (case.setup)(&root);
    let expect = match &case.expect {
        Expect::Unreadable(strings) => {
            if std::fs::read(root.join("content/secret.md")).is_ok() {
                // Root (or a capability) reads the file anyway.
                Expect::Builds(|out, _| assert!(out.join("secret/index.html").is_file()))
            } else {
                Expect::Fails(1, strings)
            }
        }
        Expect::Builds(f) => Expect::Builds(*f),
        Expect::Fails(code, s) => Expect::Fails(*code, s),
    };
    let run = build(&root, &out);
    assert_sane(&run);
    match expect {
        Expect::Builds(verify) => {
            assert_eq!(run.code, 0, "expected a build, got:\n{}", run.stderr);
            assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
            verify(&out, &run.stderr);
        }
        Expect::Fails(code, strings) => {
            assert_eq!(run.code, code, "exit code; stderr:\n{}", run.stderr);
            for s in strings {
                assert!(
                    run.stderr.contains(s),
                    "stderr lacks `{s}`:\n{}",
                    run.stderr
                );
            }
            assert!(
                run.stderr.contains("= help: "),
                "every error says what to do:\n{}",
                run.stderr
            );
            assert!(
                snapshot(&out) == before,
                "a failed build changed the previous output"
            );
            let fresh = tmp.path().join("fresh");
            let again = build(&root, &fresh);
            assert_sane(&again);
            assert_eq!(again.code, code, "{}", again.stderr);
            assert_eq!(again.stderr, run.stderr, "the same errors every run");
            assert!(!fresh.exists(), "a failed build created an output folder");
        }
        Expect::Unreadable(_) => unreachable!(),
    }
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".marrow-") && !n.ends_with(".marrow-manifest"))
        .filter(|n| !n.ends_with(".marrow-search") && !n.ends_with(".marrow-spare"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");

    if case.check {
        let check = run_bounded(&["check", "--root", path_str(&root), "--format", "json"]);
        assert_sane(&check);
        match &case.expect {
            Expect::Fails(2, strings) => {
                assert_eq!(check.code, 2, "{}", check.stderr);
                assert!(check.stderr.contains(strings[0]), "{}", check.stderr);
            }
            Expect::Fails(code, strings) => {
                assert_eq!(check.code, *code, "{}{}", check.stdout, check.stderr);
                let report: serde_json::Value = serde_json::from_str(&check.stdout)
                    .unwrap_or_else(|e| panic!("{e}: {}", check.stdout));
                let errors = report["errors"].to_string();
                // The first expected string is the message.
                let message = strings[0].trim_start_matches("error: ");
                let message = serde_json::to_string(message).unwrap();
                assert!(
                    errors.contains(message.trim_matches('"')),
                    "check reports `{message}`: {errors}"
                );
            }
            _ => {
                let report: serde_json::Value = serde_json::from_str(&check.stdout)
                    .unwrap_or_else(|e| panic!("{e}: {}", check.stdout));
                assert_eq!(report["errors"], serde_json::json!([]), "check agrees");
            }
        }
    }
}

/// Never a panic, never a Rust backtrace.
fn assert_sane(run: &common::Run) {
    assert_ne!(run.code, 101, "panic:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "panic:\n{}", run.stderr);
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
}

fn build(root: &Path, out: &Path) -> common::Run {
    run_bounded(&["build", "--root", path_str(root), "--output", path_str(out)])
}

/// Runs marrow, killing it (and failing) after [`DEADLINE`].
fn run_bounded(args: &[&str]) -> common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marrow"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run marrow");
    // Read both pipes while waiting, so a chatty run cannot block on them.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`marrow {}` hung: killed after {DEADLINE:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    common::Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path: PathBuf = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Front matter whose anchors nest nine times nine times…: 9^9 values.
fn billion_laughs() -> String {
    let mut yaml = String::from(
        "---\ntitle: A\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        yaml.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
    }
    yaml + "---\n"
}

/// Deterministic bytes that look like /dev/urandom.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The permission-error path, even where the tests run as root (as in CI),
/// for whom `chmod 000` changes nothing: the build is then run as the
/// unprivileged user `nobody` (uid 65534) with `setpriv`.
#[test]
fn an_unreadable_page_is_a_located_error_even_under_root() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let as_root = std::fs::metadata(tmp.path()).unwrap().uid() == 0;
    let setpriv = Path::new("/usr/bin/setpriv");
    if as_root && !setpriv.exists() {
        eprintln!("skipped: running as root without setpriv to drop privileges");
        return;
    }
    // Everything `nobody` must reach: the folders, the site, the output.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let root = tmp.path().join("site");
    write(&root, "content/_index.md", HOME);
    write(&root, "content/ok.md", OK);
    for dir in [&root, &root.join("content")] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = tmp.path().join("out");
    let run_build = || {
        let mut cmd = if as_root {
            let mut c = Command::new(setpriv);
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_marrow"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_marrow"))
        };
        let o = cmd
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    if as_root {
        // The checkout itself may sit where `nobody` cannot reach the binary.
        let probe = Command::new(setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_marrow"))
            .arg("--version")
            .output();
        if !probe.is_ok_and(|o| o.status.success()) {
            eprintln!(
                "skipped: the unprivileged user cannot run {}",
                env!("CARGO_BIN_EXE_marrow")
            );
            return;
        }
    }
    let (code, stderr) = run_build();
    assert_eq!(code, Some(0), "the good site builds: {stderr}");
    let before = snapshot(&out);
    write(&root, "content/secret.md", "---\ntitle: Secret\n---\n");
    set_mode(&root.join("content/secret.md"), 0o000);
    let (code, stderr) = run_build();
    assert_eq!(code, Some(1), "{stderr}");
    for s in [
        "error: cannot read: Permission denied",
        "--> content/secret.md",
        "help: check the file's permissions",
    ] {
        assert!(stderr.contains(s), "stderr lacks `{s}`:\n{stderr}");
    }
    assert_eq!(snapshot(&out), before, "the previous output is untouched");
}

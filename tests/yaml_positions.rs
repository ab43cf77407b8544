//! The front matter key positions agree with the files: on every page of
//! the bundled guide and the test fixtures, each top-level key is found on
//! the line that starts with it, and each item of a list right after its
//! `- ` or inside its `[…]`.

use std::path::{Path, PathBuf};

use marrow::harness::internals::parse_front_matter;

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn every_top_level_key_is_on_its_line() {
    let mut files = Vec::new();
    pages(Path::new("content"), &mut files);
    pages(Path::new("tests/fixtures"), &mut files);
    let mut checked = 0;
    for file in &files {
        let raw = std::fs::read_to_string(file).unwrap();
        let Ok(doc) = parse_front_matter(file, &raw) else {
            continue; // fixtures of broken pages
        };
        let lines: Vec<&str> = doc.text.lines().collect();
        for (name, (line_no, _)) in doc.keys() {
            let line = lines[line_no - 1];
            assert!(
                line.starts_with(&format!("{name}:")),
                "{}:{line_no}: {line:?} for `{name}`",
                file.display(),
            );
            assert_eq!(doc.key_line(name), Some(line_no));
            let mut n = 0;
            while let Some((item_line, column)) = doc.item_position(name, n) {
                let line = lines[item_line - 1];
                let before: String = line.chars().take(column - 1).collect();
                assert!(
                    before.trim_end().ends_with('-') || before.contains('['),
                    "{}:{item_line}:{column}: {line:?}",
                    file.display(),
                );
                n += 1;
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// One common front matter mistake: the page as written, where the error
/// must point (line, and column when it matters) and a fragment of what
/// the message or its advice must say.
struct Mistake {
    what: &'static str,
    page: &'static str,
    line: usize,
    column: Option<usize>,
    says: &'static str,
}

/// The mistakes writers make most, each with the line they got wrong.
/// Every page starts with `---` on line 1, so line 2 is the first field.
const MISTAKES: &[Mistake] = &[
    Mistake {
        what: "an unclosed double quote",
        page: "---\ntitle: \"Stem cell transplant\ndescription: What happens\n---\nBody\n",
        line: 2,
        column: Some(8),
        says: "closing quote",
    },
    Mistake {
        what: "an unclosed quote followed by lines with colons and quotes",
        page: "---\ntitle: \"Stem cells\ndescription: \"What: happens next\"\nweight: 3\ntags: [\"a\", \"b\"]\naudience: \"patients: and carers\"\n---\nBody\n",
        line: 2,
        column: Some(8),
        says: "closing quote",
    },
    Mistake {
        what: "an unclosed single quote",
        page: "---\ntitle: 'Stem cells\ndescription: What happens\nweight: 2\n---\nBody\n",
        line: 2,
        column: Some(8),
        says: "closing quote",
    },
    Mistake {
        what: "an apostrophe inside single quotes",
        page: "---\ntitle: 'Don't panic'\nweight: 2\n---\nBody\n",
        line: 2,
        column: None,
        says: "''",
    },
    Mistake {
        what: "a missing space after a colon",
        page: "---\nweight: 2\ntitle:Foo\ndescription: What happens\n---\nBody\n",
        line: 3,
        column: Some(6),
        says: "space after the `:`",
    },
    Mistake {
        what: "a missing space after the colon of the only field",
        page: "---\ntitle:Foo\n---\nBody\n",
        line: 2,
        column: Some(6),
        says: "space after the `:`",
    },
    Mistake {
        what: "a tab used for indentation",
        page: "---\ntitle: A\ntags:\n\t- a\n---\nBody\n",
        line: 4,
        column: Some(1),
        says: "indent with spaces",
    },
    Mistake {
        what: "a missing closing ---",
        page: "---\ntitle: A\ndescription: B\n\n# What happens\n\nBody text.\n",
        line: 5,
        column: Some(1),
        says: "after line 3",
    },
    Mistake {
        what: "an unclosed [",
        page: "---\ntitle: A\ntags: [a, b\nweight: 3\n---\nBody\n",
        line: 3,
        column: Some(7),
        says: "close it with `]`",
    },
    Mistake {
        what: "an unclosed {",
        page: "---\ntitle: A\nreviewer: { name: Dr A, role: nurse\nweight: 3\n---\nBody\n",
        line: 3,
        column: Some(11),
        says: "close it with `}`",
    },
    Mistake {
        what: "a duplicate key",
        page: "---\ntitle: A\nweight: 1\ndescription: x\ntitle: B\n---\nBody\n",
        line: 5,
        column: Some(1),
        says: "delete the other",
    },
    Mistake {
        what: "a list item indented less than the one above",
        page: "---\ntitle: A\ntags:\n  - a\n - b\n---\nBody\n",
        line: 5,
        column: Some(2),
        says: "indent every `- ` item of a list by the same number of spaces",
    },
    Mistake {
        what: "a field indented under a list by mistake",
        page: "---\ntitle: A\ntags:\n  - a\n  - b\n weight: 3\n---\nBody\n",
        line: 6,
        column: None,
        says: "same number of spaces",
    },
    Mistake {
        what: "a colon inside an unquoted title",
        page: "---\ntitle: Stem cells: the basics\nweight: 1\n---\nBody\n",
        line: 2,
        column: Some(18),
        says: "put the whole value in quotes: title: \"Stem cells: the basics\"",
    },
    Mistake {
        what: "a Windows path with backslashes inside double quotes",
        page: "---\ntitle: A\ndescription: \"Saved in C:\\docs\\forms\"\n---\nBody\n",
        line: 3,
        column: Some(26),
        says: "use single quotes ('C:\\docs\\forms') or forward slashes",
    },
    Mistake {
        what: "a Windows path whose backslashes are valid escapes",
        page: "---\ntitle: A\ndescription: \"Saved in C:\\new\\table\"\n---\nBody\n",
        line: 3,
        column: Some(26),
        says: "use single quotes ('C:\\docs\\forms') or forward slashes",
    },
    Mistake {
        what: "a Windows path where the backslash looks like a character code",
        page: "---\ntitle: A\ndescription: \"See C:\\Users\\me\"\n---\nBody\n",
        line: 3,
        column: Some(21),
        says: "forward slashes (C:/docs/forms)",
    },
    Mistake {
        what: "a # starting a value meant as text",
        page: "---\ntitle: #1 guide to transplants\nweight: 1\n---\nBody\n",
        line: 2,
        column: Some(8),
        says: "comment",
    },
    Mistake {
        what: "a value starting with @",
        page: "---\ntitle: A\nchecked_by: @nurse-team\n---\nBody\n",
        line: 3,
        column: Some(13),
        says: "cannot start with `@`",
    },
    Mistake {
        what: "a value starting with a backtick",
        page: "---\ntitle: `marrow` guide\n---\nBody\n",
        line: 2,
        column: Some(8),
        says: "put the whole value in quotes: \"`marrow` guide\"",
    },
    Mistake {
        what: "a value starting with %",
        page: "---\ntitle: A\ndescription: %50 of patients\n---\nBody\n",
        line: 3,
        column: Some(14),
        says: "quotes",
    },
    Mistake {
        what: "a key with the wrong case",
        page: "---\nTitle: A\nweight: 1\n---\nBody\n",
        line: 2,
        column: Some(1),
        says: "did you mean `title`",
    },
    Mistake {
        what: "a misspelt key",
        page: "---\nweight: 1\ntittle: A\n---\nBody\n",
        line: 3,
        column: Some(1),
        says: "did you mean `title`",
    },
    Mistake {
        what: "a value starting with [ meant as text",
        page: "---\ntitle: [Draft] Stem cells\n---\nBody\n",
        line: 2,
        column: Some(14),
        says: "put the whole value in quotes",
    },
    Mistake {
        what: "a value starting with * meant as text",
        page: "---\ntitle: *Important* notes\n---\nBody\n",
        line: 2,
        column: Some(8),
        says: "quotes",
    },
    Mistake {
        what: "fields of a group not indented under it",
        page: "---\ntitle: A\nreviewer:\nname: Dr A\nrole: nurse\n---\nBody\n",
        line: 4,
        column: Some(1),
        says: "indent",
    },
    Mistake {
        what: "a list item on the line of its key",
        page: "---\ntitle: A\ntags: - a\n  - b\n---\nBody\n",
        line: 3,
        column: None,
        says: "- ",
    },
    Mistake {
        what: "yes or no for a switch",
        page: "---\ntitle: A\ndraft: yes\n---\nBody\n",
        line: 3,
        column: Some(8),
        says: "write `true` or `false`",
    },
    Mistake {
        what: "TOML front matter between +++ lines",
        page: "+++\ntitle = \"A\"\n+++\nBody\n",
        line: 1,
        column: Some(1),
        says: "between `---` lines",
    },
    Mistake {
        what: "a list item without a space after the dash",
        page: "---\ntitle: A\ntags:\n  -first\n  -second\n---\nBody\n",
        line: 4,
        column: Some(3),
        says: "space after the `-`",
    },
    Mistake {
        what: "a field name with a space",
        page: "---\ntitle: A\nnext review: 2027-01-01\n---\nBody\n",
        line: 3,
        column: Some(1),
        says: "did you mean `next_review`",
    },
    Mistake {
        what: "a date written in words",
        page: "---\ntitle: A\nreviewed: 1 March 2026\n---\nBody\n",
        line: 3,
        column: Some(11),
        says: "YYYY-MM-DD",
    },
    Mistake {
        what: "a date that does not exist",
        page: "---\ntitle: A\nreviewed: 2026-02-30\n---\nBody\n",
        line: 3,
        column: Some(11),
        says: "no such date",
    },
    Mistake {
        what: "front matter without its opening ---",
        page: "title: A\ndescription: B\n---\nBody\n",
        line: 1,
        column: Some(1),
        says: "add a line holding only `---` before",
    },
    Mistake {
        what: "the first field indented",
        page: "---\n  title: A\ndescription: B\n---\nBody\n",
        line: 2,
        column: Some(1),
        says: "no spaces before it",
    },
    Mistake {
        what: "a closing bracket too many",
        page: "---\ntitle: A\ntags: [a, b]]\n---\nBody\n",
        line: 3,
        column: Some(12),
        says: "delete what follows the `]`",
    },
];

#[test]
fn common_mistakes_point_at_the_line_to_fix() {
    let mut wrong = Vec::new();
    for m in MISTAKES {
        let Err(e) = parse_front_matter(Path::new("content/a.md"), m.page) else {
            wrong.push(format!("{}: no error", m.what));
            continue;
        };
        let said = format!("{} / {}", e.message, e.help.as_deref().unwrap_or(""));
        let at_line = e.line == Some(m.line);
        let at_column = m.column.is_none_or(|c| e.column == Some(c));
        if !at_line || !at_column || !said.contains(m.says) {
            wrong.push(format!(
                "{}: got {}:{} {said:?}; want {}:{:?} saying {:?}",
                m.what,
                e.line.unwrap_or(0),
                e.column.unwrap_or(0),
                m.line,
                m.column,
                m.says
            ));
        }
    }
    assert!(MISTAKES.len() >= 14);
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// Odd front matter, closed or not: every error is on a line of the file.
#[test]
fn errors_on_odd_front_matter_are_on_a_line_of_the_file() {
    let pieces = [
        "\"", "'", ":", ": ", " ", "\n", "- ", "[", "]", "{", "#", "\\", "é", "\t", "title",
        "C:\\", "|", "*", "@", "---\n", "  ",
    ];
    let mut seed: u64 = 5;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..2000 {
        let mut page = String::from("---\n");
        for _ in 0..next() % 20 {
            page.push_str(pieces[next() % pieces.len()]);
        }
        if next() % 2 == 0 {
            page.push_str("\n---\nBody\n");
        }
        if let Err(e) = parse_front_matter(Path::new("content/a.md"), &page) {
            let lines = page.lines().count().max(1);
            let line = e.line.unwrap_or(1);
            assert!((1..=lines).contains(&line), "{page:?}: {e:?}");
        }
    }
}

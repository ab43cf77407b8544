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

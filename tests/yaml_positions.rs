//! The front matter key positions agree with the files: on every page of
//! the bundled guide and the test fixtures, each top-level key is found on
//! the line that starts with it, and each `- ` entry of a list on its line.

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
        let keys = doc.key_positions();
        let lines: Vec<&str> = doc.text.lines().collect();
        for key in keys.root().keys() {
            let line = lines[key.at.line - 1];
            assert!(
                line.starts_with(&format!("{}:", key.name)),
                "{}:{}: {line:?} for `{}`",
                file.display(),
                key.at.line,
                key.name
            );
            assert_eq!(doc.key_line(&key.name), Some(key.at.line));
            for (n, entry) in key.value.entries().iter().enumerate() {
                let line = lines[entry.at.line - 1];
                let dash = line.chars().nth(entry.at.column - 1);
                assert!(
                    dash == Some('-') || line.contains('['),
                    "{}:{}: {line:?}",
                    file.display(),
                    entry.at.line
                );
                let item = doc.item_position(&key.name, n);
                assert_eq!(item, Some(entry.value_at.pair()));
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

//! The fuzzers' regression corpus (`fuzz/regressions/TARGET/*`) and a few
//! hand-made hard cases, run through the same harness as the fuzz targets.
//!
//! The corpus holds, per target, 40 small inputs kept from a minimised
//! (`cargo fuzz cmin`) corpus after a short fuzzing run seeded with the
//! bundled guide (`corpus-*`, see `fuzz/README.md`), and every input that
//! ever crashed marrow (named for the bug). None has crashed so far, so
//! this test guards against new crashes on inputs that reach deep paths,
//! not against a known old one.

use std::path::Path;

fn run_dir(target: &str, f: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| f(&data));
            assert!(outcome.is_ok(), "{} crashes again", path.display());
            n += 1;
        }
    }
    assert!(n > 0, "{} holds no inputs", dir.display());
    n
}

/// Inputs that stress each stage, kept here so they run even before the
/// fuzzers have found anything.
const HARD: &[&str] = &[
    "",
    "---",
    "---\n",
    "---\n---",
    "---\r\n---\r\n",
    "\u{feff}---\ntitle: x\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\na: &a [*a]\n---\n",
    "# \n## {#}\n### {#a}\n### {#a}\n",
    "[x](#)\n[y](../../../../etc/passwd)\n[z](a/../../x.md#y)\n![](picture.png)\n",
    "<!-- never closed\n# Heading",
    "> > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > deep",
    "- a\n  - b\n    - c\n      - d\n        - e\n          - f\n            - g\n",
    "```\nunclosed fence\n",
    "```rust\nfn main() {}\n```\n```no-such-language\nx\n```\n",
    "[^1]\n\n[^1]: note [^1]\n",
    "> [!WARNING]\n> > [!NOTE]\n",
    "neutrophil ANC anc Neutrophils stem cells STEM CELL\n",
    "e.g. i.e. 0.5 ... ?!?! ...... \n\n\n",
    "\u{0}\u{1}\u{7f}\u{200b}\u{fffd}",
    "移植前的检查。造血干细胞。",
];

#[test]
fn front_matter_inputs_never_crash() {
    for h in HARD {
        marrow::harness::front_matter(h.as_bytes());
    }
    marrow::harness::front_matter(&[0xff, 0xfe, 0x2d, 0x2d, 0x2d]);
    run_dir("front_matter", marrow::harness::front_matter);
}

#[test]
fn markdown_inputs_never_crash() {
    for h in HARD {
        marrow::harness::markdown(h.as_bytes());
    }
    let deep = "> ".repeat(1000) + "x\n" + &"- ".repeat(1000) + "y\n";
    marrow::harness::markdown(deep.as_bytes());
    run_dir("markdown", marrow::harness::markdown);
}

#[test]
fn readability_inputs_never_crash() {
    for h in HARD {
        marrow::harness::readability(h.as_bytes());
    }
    run_dir("readability", marrow::harness::readability);
}

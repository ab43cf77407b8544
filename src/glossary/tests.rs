use std::collections::HashSet;
use std::path::Path;

use super::*;
use crate::diagnostics::Diagnostic;

const YAML: &str = "\
# The site glossary.
- term: neutrophil
  definition: A type of white blood cell that fights infection.
- term: absolute neutrophil count
  aliases: [ANC]
  definition: The number of neutrophils in a set amount of blood.
  see_also: [neutrophil]
- term: graft-versus-host disease
  aliases:
    - GvHD
  definition: When the donor's immune cells attack the body.
- term: graft
  definition: Transplanted cells.
- term: therapy
  definition: Treatment.
- term: platelet
  definition: A tiny cell that helps blood to clot.
- term: Day 0
  definition: The day of the transplant.
- term: PET scan
  aliases: [PET]
  definition: A scan.
- term: myeloablative
  definition: Strong enough to wipe out the bone marrow.
";

fn glossary() -> Glossary {
    Glossary::parse(Path::new("content/glossary.yaml"), YAML).unwrap()
}

/// The matched text and term of each first occurrence.
fn marks<'a>(g: &'a Glossary, text: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut seen = HashSet::new();
    g.find(text, &mut seen)
        .into_iter()
        .map(|(r, i)| (&text[r], g.terms()[i].term.as_str()))
        .collect()
}

fn err(text: &str) -> Diagnostic {
    Glossary::parse(Path::new("content/glossary.yaml"), text).unwrap_err()
}

#[test]
fn sorted_a_to_z_ignoring_case() {
    let g = glossary();
    let names: Vec<&str> = g.terms().iter().map(|t| t.term.as_str()).collect();
    assert_eq!(
        names,
        [
            "absolute neutrophil count",
            "Day 0",
            "graft",
            "graft-versus-host disease",
            "myeloablative",
            "neutrophil",
            "PET scan",
            "platelet",
            "therapy"
        ]
    );
}

#[test]
fn plurals_and_possessives() {
    let g = glossary();
    assert_eq!(
        marks(&g, "Two neutrophils."),
        [("neutrophils", "neutrophil")]
    );
    assert_eq!(marks(&g, "the platelets' job"), [("platelets", "platelet")]);
    assert_eq!(marks(&g, "new therapies"), [("therapies", "therapy")]);
    assert_eq!(
        marks(&g, "GvHD's signs"),
        [("GvHD", "graft-versus-host disease")]
    );
    assert_eq!(marks(&g, "ANCs"), [("ANCs", "absolute neutrophil count")]);
    // Not plurals: longer words.
    assert!(marks(&g, "neutrophilia plateletsy").is_empty());
}

#[test]
fn aliases_are_the_same_term() {
    let g = glossary();
    let text = "Your ANC is the absolute neutrophil count.";
    assert_eq!(marks(&g, text), [("ANC", "absolute neutrophil count")]);
}

#[test]
fn case_is_ignored_except_for_acronyms() {
    let g = glossary();
    assert_eq!(marks(&g, "NEUTROPHIL"), [("NEUTROPHIL", "neutrophil")]);
    assert_eq!(marks(&g, "on day 0"), [("day 0", "Day 0")]);
    assert_eq!(marks(&g, "gvhd"), [("gvhd", "graft-versus-host disease")]);
    // Acronyms match in capitals only: "pet" and "anc" are other words.
    assert!(marks(&g, "a pet; anc").is_empty());
    assert_eq!(marks(&g, "a PET"), [("PET", "PET scan")]);
    assert_eq!(marks(&g, "a pet scan"), [("pet scan", "PET scan")]);
}

#[test]
fn whole_words_only() {
    let g = glossary();
    assert!(marks(&g, "ANCHOR engraftment grafted regraft Day 01").is_empty());
    assert!(marks(&g, "non-myeloablative").is_empty());
    assert!(marks(&g, "graft-like").is_empty());
    assert_eq!(marks(&g, "(graft)"), [("graft", "graft")]);
    assert_eq!(marks(&g, "graft-"), [("graft", "graft")]);
}

#[test]
fn words_match_across_spaces_newlines_and_hyphens() {
    let g = glossary();
    assert_eq!(
        marks(&g, "absolute\nneutrophil  count"),
        [("absolute\nneutrophil  count", "absolute neutrophil count")]
    );
    assert_eq!(
        marks(&g, "graft versus host disease"),
        [("graft versus host disease", "graft-versus-host disease")]
    );
    assert_eq!(marks(&g, "Day\u{a0}0"), [("Day\u{a0}0", "Day 0")]);
}

#[test]
fn longest_match_wins() {
    let g = glossary();
    assert_eq!(
        marks(&g, "Absolute neutrophil counts rise."),
        [("Absolute neutrophil counts", "absolute neutrophil count")]
    );
    assert_eq!(
        marks(&g, "graft-versus-host disease and graft"),
        [
            ("graft-versus-host disease", "graft-versus-host disease"),
            ("graft", "graft")
        ]
    );
}

#[test]
fn first_occurrence_only_across_calls() {
    let g = glossary();
    let mut seen = HashSet::new();
    let first = "Neutrophils fight infection. A neutrophil is a white cell.";
    let found = g.find(first, &mut seen);
    assert_eq!(found.len(), 1);
    assert_eq!(&first[found[0].0.clone()], "Neutrophils");
    let second = "More neutrophils, and an absolute neutrophil count.";
    let found = g.find(second, &mut seen);
    assert_eq!(found.len(), 1);
    assert_eq!(&second[found[0].0.clone()], "absolute neutrophil count");
    // Seen terms are skipped whole: "neutrophil" inside is not marked.
    let mut seen: HashSet<usize> = [0].into();
    let text = "absolute neutrophil count";
    assert!(g.find(text, &mut seen).is_empty());
    // Everything seen: nothing left to do.
    let mut all: HashSet<usize> = (0..g.terms().len()).collect();
    assert!(g.find("neutrophil platelet", &mut all).is_empty());
}

#[test]
fn unicode_around_terms() {
    let g = glossary();
    let text = "Los neutrófilos — “neutrophil”, 血小板 platelet。Ä-graft";
    let mut seen = HashSet::new();
    let found = g.find(text, &mut seen);
    let got: Vec<&str> = found.iter().map(|(r, _)| &text[r.clone()]).collect();
    assert_eq!(got, ["neutrophil", "platelet"]);
    // Letters of other scripts are word characters too.
    assert!(marks(&g, "éneutrophil neutrophilé").is_empty());
    // Case folding beyond ASCII never panics and keeps byte ranges valid.
    assert!(marks(&g, "İİİ ﬃ ǅ").is_empty());
}

#[test]
fn yaml_errors_are_located() {
    let e = err("- term: a\n  defintion: b\n");
    assert_eq!((e.line, e.column), (Some(2), Some(3)));
    assert!(
        e.message.contains("did you mean `definition`?"),
        "{}",
        e.message
    );
    // A parser error is located in the file: the line and column of the
    // value, in the third entry.
    let e = err("- term: [a\n");
    assert_eq!((e.line, e.column), (Some(1), Some(9)), "{}", e.message);
    let e = err("- term: a\n  definition: b\n- term: [c\n  definition: d\n");
    assert_eq!((e.line, e.column), (Some(3), Some(9)), "{}", e.message);
    assert!(
        e.message.contains("expected text, found a list"),
        "{}",
        e.message
    );
    let e = err("- term: a\n  definition: b\n- term: \"c\n  definition: d\n");
    assert_eq!((e.line, e.column), (Some(3), Some(9)), "{}", e.message);
    assert_eq!(e.message, "this quoted value is never closed");
    assert!(
        Glossary::parse(Path::new("g.yaml"), "# nothing yet\n")
            .unwrap()
            .terms()
            .is_empty()
    );
}

#[test]
fn empty_fields_are_errors() {
    let e = err("- term: a\n  definition: b\n- term: \" \"\n  definition: c\n");
    assert_eq!(e.line, Some(3));
    assert_eq!(e.message, "glossary term is empty");
    let e = err("- term: a\n  definition: b\n- term: c\n  definition: \"\"\n");
    assert_eq!(e.line, Some(4));
    assert!(e.message.contains("`c` has an empty definition"));
    let e = err("- term: \"?!\"\n  definition: b\n");
    assert!(e.message.contains("no letters or digits"), "{}", e.message);
}

#[test]
fn duplicates_name_both() {
    let e = err("\
- term: Neutrophil
  definition: a
- term: platelet
  definition: b
- term: neutrophil
  definition: c
");
    assert_eq!((e.line, e.column), (Some(5), Some(9)));
    assert_eq!(
        e.message,
        "duplicate glossary term `neutrophil`: same as the term `Neutrophil`"
    );
    let e = err("\
- term: absolute neutrophil count
  aliases: [ANC]
  definition: a
- term: anc
  definition: b
");
    assert_eq!(e.line, Some(4));
    assert!(
        e.message
            .contains("`anc`: same as `ANC`, an alias of `absolute neutrophil count`"),
        "{}",
        e.message
    );
    let e = err("\
- term: graft-versus-host disease
  definition: a
- term: GvHD
  aliases:
    - graft versus host disease
  definition: b
");
    assert_eq!((e.line, e.column), (Some(5), Some(7)));
    assert!(
        e.message.starts_with("duplicate glossary alias"),
        "{}",
        e.message
    );
}

#[test]
fn see_also_must_exist() {
    let e = err("\
- term: neutrophil
  definition: a
- term: platelet
  definition: b
  see_also: [neutrofil]
");
    assert_eq!((e.line, e.column), (Some(5), Some(14)));
    assert!(
        e.message
            .contains("`neutrofil`, which is not in the glossary")
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `neutrophil`?"));
    // Aliases and other spellings resolve to the entry's term.
    let g = Glossary::parse(
        Path::new("g.yaml"),
        "- term: absolute neutrophil count\n  aliases: [ANC]\n  definition: a\n\
         - term: platelet\n  definition: b\n  see_also: [anc]\n",
    )
    .unwrap();
    assert_eq!(g.terms()[1].see_also, ["absolute neutrophil count"]);
    // Lookup by name ignores case, even for acronyms.
    assert_eq!(g.lookup("anc"), Some(0));
    assert_eq!(g.lookup("Absolute  Neutrophil Count"), Some(0));
}

#[test]
fn yaml_messages_are_short() {
    let e = err("- term: a\n  defintion: b\n");
    assert_eq!(
        e.message,
        "unknown field `defintion` — did you mean `definition`?"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("rename `defintion` to `definition`")
    );
    let e = err("term: a\ndefinition: b\n");
    assert_eq!((e.line, e.column), (Some(1), Some(1)));
    assert!(e.help.unwrap().contains("`- term:`"));
}

#[test]
fn all_errors_are_collected() {
    let errors = Glossary::parse_all(
        Path::new("g.yaml"),
        "- term: a\n  definition: \"\"\n- term: A\n  definition: x\n  see_also: [zzz]\n",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 3, "{errors}");
}

#[test]
fn anchors_are_unique_and_stable() {
    let g = glossary();
    assert_eq!(g.anchor(0), "term-absolute-neutrophil-count");
    assert_eq!(g.anchor(1), "term-day-0");
    assert_eq!(
        g.definition_id(0),
        "gloss-def-term-absolute-neutrophil-count"
    );
    let anchors: HashSet<String> = (0..g.terms().len()).map(|i| g.anchor(i)).collect();
    assert_eq!(anchors.len(), g.terms().len());
    // Different terms with the same slug get numbered ids.
    let g = Glossary::parse(
        Path::new("g.yaml"),
        "- term: don't\n  definition: a\n- term: dont\n  definition: b\n",
    )
    .unwrap();
    assert_eq!(g.anchor(0), "term-dont");
    assert_eq!(g.anchor(1), "term-dont-1");
}

#[test]
fn words_for_readability() {
    let words = glossary().words();
    for w in [
        "neutrophil",
        "anc",
        "graft-versus-host",
        "versus",
        "gvhd",
        "day",
        "pet",
    ] {
        assert!(words.contains(w), "{w}");
    }
    assert!(!words.contains("0"));
}

#[test]
fn bundled_glossary_is_valid() {
    let text = include_str!("../../content/glossary.yaml");
    let g =
        Glossary::parse(Path::new("content/glossary.yaml"), text).unwrap_or_else(|d| panic!("{d}"));
    assert!(g.terms().len() >= 45);
}

#[test]
fn definition_id_is_the_one_the_markup_uses() {
    let g = glossary();
    // The marked term's `aria-describedby` and the hidden definition's id
    // are `gloss-def-` and the anchor.
    for i in 0..g.terms().len() {
        assert_eq!(g.definition_id(i), format!("gloss-def-{}", g.anchor(i)));
    }
    assert_eq!(g.definition_id(1), "gloss-def-term-day-0");
}

#[test]
fn lookup_follows_the_matching_rules() {
    let g = glossary();
    let term = |name: &str| g.lookup(name).map(|i| g.terms()[i].term.as_str());
    assert_eq!(
        term("graft versus host disease"),
        Some("graft-versus-host disease")
    );
    assert_eq!(
        term("Graft-Versus-Host\u{a0}Disease"),
        Some("graft-versus-host disease")
    );
    assert_eq!(term("gvhd"), Some("graft-versus-host disease"));
    assert_eq!(term("pet"), Some("PET scan"));
    assert_eq!(term(" neutrophil "), Some("neutrophil"));
    assert_eq!(term("Day  0"), Some("Day 0"));
    // Names, not text: no plurals, no parts, no strangers.
    assert_eq!(term("neutrophils"), None);
    assert_eq!(term("versus"), None);
    assert_eq!(term("?!"), None);
    assert_eq!(Glossary::default().lookup("neutrophil"), None);
}

#[test]
fn see_also_resolves_to_indices() {
    let g = glossary();
    let anc = g.lookup("ANC").unwrap();
    let neutrophil = g.lookup("neutrophil").unwrap();
    assert_eq!(g.see_also(anc), [neutrophil]);
    assert!(g.see_also(neutrophil).is_empty());
    assert!(g.see_also(g.terms().len()).is_empty());
    // Names the glossary does not hold are left out.
    let mut terms = g.terms().to_vec();
    terms[neutrophil].see_also = vec!["platelet".into(), "nothing".into(), "anc".into()];
    let built = Glossary::build(terms);
    let platelet = built.lookup("platelet").unwrap();
    assert_eq!(built.see_also(neutrophil), [platelet, anc]);
}

#[test]
fn errors_are_located_by_the_yaml_layout() {
    // `term:` inside block text is not the key.
    let e = err("- definition: |\n    term: a line of text\n  term: \" \"\n");
    assert_eq!((e.line, e.column), (Some(3), Some(3)), "{e:?}");
    assert_eq!(e.message, "glossary term is empty");
    // A quoted key, comments and CRLF line endings.
    let e =
        err("- term: a\r\n  definition: b\r\n# - term: A\r\n- \"term\": A\r\n  definition: c\r\n");
    assert_eq!((e.line, e.column), (Some(4), Some(11)), "{e:?}");
    assert!(
        e.message.starts_with("duplicate glossary term `A`"),
        "{}",
        e.message
    );
    // An entry whose fields start on the line after its `-`.
    let e = err("- term: a\n  definition: b\n-\n  term: c\n  definition: \"\"\n");
    assert_eq!((e.line, e.column), (Some(5), Some(3)), "{e:?}");
    // A `see_also` list, one name per line.
    let e = err("\
- term: neutrophil
  definition: a
- term: platelet
  definition: b
  see_also:
    - neutrophil
    - neutrofil
");
    assert_eq!((e.line, e.column), (Some(7), Some(7)), "{e:?}");
}

#[test]
fn chinese_terms_are_found_inside_runs_of_characters() {
    let g = Glossary::parse(
        Path::new("content/glossary.zh.yaml"),
        "- term: 植入\n  definition: 新的干细胞开始造血。\n- term: 移植物抗宿主病\n  aliases: [GVHD]\n  definition: 供者的免疫细胞攻击身体。\n- term: 移植\n  definition: 把干细胞输进身体。\n",
    )
    .unwrap();
    let mut seen = HashSet::new();
    let text = "移植后两到四周会植入。GVHD是移植物抗宿主病的缩写。";
    let found: Vec<_> = g
        .find(text, &mut seen)
        .into_iter()
        .map(|(r, t)| (&text[r], g.terms()[t].term.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("移植", "移植"),
            ("植入", "植入"),
            ("GVHD", "移植物抗宿主病")
        ],
        "the longest name wins; a Latin alias ends where the Chinese starts"
    );
}

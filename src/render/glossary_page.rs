//! The glossary page's terms, grouped by letter.

use serde::Serialize;

use crate::glossary::Glossary;

/// One letter of the glossary page.
#[derive(Serialize)]
pub(super) struct GlossaryGroup {
    letter: String,
    /// Id-safe form of the letter.
    id: String,
    terms: Vec<GlossaryEntry>,
}

#[derive(Serialize)]
struct GlossaryEntry {
    term: String,
    anchor: String,
    definition: String,
    aliases: Vec<String>,
    see_also: Vec<GlossaryRef>,
}

#[derive(Serialize)]
struct GlossaryRef {
    term: String,
    anchor: String,
}

/// The glossary's terms grouped by first letter, A–Z.
pub(super) fn glossary_groups(g: &Glossary) -> Vec<GlossaryGroup> {
    let mut groups: Vec<GlossaryGroup> = Vec::new();
    for (i, t) in g.terms().iter().enumerate() {
        let letter: String = t
            .term
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        if groups.last().is_none_or(|last| last.letter != letter) {
            groups.push(GlossaryGroup {
                id: crate::slug::heading_id(&letter),
                letter,
                terms: Vec::new(),
            });
        }
        let see_also = g
            .see_also(i)
            .into_iter()
            .map(|j| GlossaryRef {
                term: g.terms()[j].term.clone(),
                anchor: g.anchor(j),
            })
            .collect();
        if let Some(group) = groups.last_mut() {
            group.terms.push(GlossaryEntry {
                term: t.term.clone(),
                anchor: g.anchor(i),
                definition: t.definition.clone(),
                aliases: t.aliases.clone(),
                see_also,
            });
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_is_grouped_by_first_letter_with_links_between_terms() {
        let yaml = "- term: neutrophil\n  definition: A white cell.\n\
                    - term: apheresis\n  definition: Collecting cells.\n\
                    - term: anaemia\n  aliases: [anemia]\n  definition: Too few red cells.\n  see_also: [Neutrophil]\n\
                    - term: ward\n  definition: A room.\n";
        let g = Glossary::parse(std::path::Path::new("glossary.yaml"), yaml).unwrap();
        let groups = glossary_groups(&g);
        let shape: Vec<(&str, &str, Vec<&str>)> = groups
            .iter()
            .map(|gr| {
                let terms = gr.terms.iter().map(|t| t.term.as_str()).collect();
                (gr.letter.as_str(), gr.id.as_str(), terms)
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("A", "a", vec!["anaemia", "apheresis"]),
                ("N", "n", vec!["neutrophil"]),
                ("W", "w", vec!["ward"]),
            ]
        );
        let anaemia = &groups[0].terms[0];
        assert_eq!(anaemia.aliases, ["anemia"]);
        assert_eq!(anaemia.definition, "Too few red cells.");
        let see: Vec<(&str, &str)> = anaemia
            .see_also
            .iter()
            .map(|r| (r.term.as_str(), r.anchor.as_str()))
            .collect();
        assert_eq!(see, [("neutrophil", groups[1].terms[0].anchor.as_str())]);
        assert_ne!(anaemia.anchor, groups[0].terms[1].anchor);
    }
}

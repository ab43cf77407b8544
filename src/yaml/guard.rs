//! The guards that run before the parser: nesting depth and alias
//! expansion, both cheap to abuse.

use std::cell::Cell;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use super::{MAX_NESTING, YamlError};

/// How many values (scalars, lists and maps, aliases expanded) a document
/// of `len` bytes may hold. Without aliases every value needs at least one
/// byte or two of text (`[:,:]` is the densest YAML there is), so only
/// aliases can exceed this.
pub(super) fn expansion_budget(len: usize) -> usize {
    2 * len + 1024
}

const OVER_BUDGET: &str = "marrow: YAML expansion budget exceeded";

/// Walks the document like a deserializer would, aliases expanded, counting
/// values, and stops as soon as there are more than [`expansion_budget`].
pub(super) fn check_expansion(text: &str, scan: &Scan) -> Result<(), YamlError> {
    let (_, over) = count_values(text, expansion_budget(text.len()));
    if over {
        let (line, column) = scan.first_alias.or(scan.first_anchor).unwrap_or((1, 1));
        return Err(YamlError {
            line,
            column,
            message: EXPANDS.into(),
            help: Some("write the values out instead of repeating them with `&anchor` and `*alias`; if a text starts with `*`, put it in quotes".into()),
        });
    }
    // Syntax errors are reported by the real parse, with its message.
    Ok(())
}

pub(super) const EXPANDS: &str = "YAML aliases (`*name`) here repeat an anchored value so often that it would expand far beyond the file's size";

/// Counts the values of `text`, aliases expanded, stopping at the first
/// one over `budget`: how many were counted (that one included), and
/// whether the budget (or serde_yaml's own repetition limit) ran out.
pub(super) fn count_values(text: &str, budget: usize) -> (usize, bool) {
    let counted = Cell::new(0);
    let result = Count(&counted, budget).deserialize(serde_yaml::Deserializer::from_str(text));
    let over = result.is_err_and(|e| {
        let e = e.to_string();
        e.contains(OVER_BUDGET) || e.contains("repetition")
    });
    (counted.get(), over)
}

/// A deserialization that builds nothing and counts values (in the cell)
/// up to a budget.
#[derive(Clone, Copy)]
struct Count<'a>(&'a Cell<usize>, usize);

impl Count<'_> {
    /// Counts one value; an error once there are more than the budget.
    fn tick<E: de::Error>(self) -> Result<(), E> {
        let counted = self.0.get() + 1;
        self.0.set(counted);
        if counted > self.1 {
            return Err(E::custom(OVER_BUDGET));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.tick()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.tick()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.tick()
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.tick()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`).
        use de::VariantAccess;
        self.tick()?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// What a quick look at the text finds before parsing: where flow
/// collections nest too deep, and where the first alias and anchor are (to
/// point at when the expansion guard trips). Quotes, comments and block
/// scalars are skipped; it only has to be right for YAML that parses.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) too_deep: Option<(usize, usize)>,
    first_alias: Option<(usize, usize)>,
    first_anchor: Option<(usize, usize)>,
}

impl Scan {
    pub(super) fn of(text: &str) -> Scan {
        #[derive(PartialEq)]
        enum Quote {
            None,
            Single,
            Double,
        }
        let mut scan = Scan::default();
        let mut quote = Quote::None;
        let mut depth = 0usize;
        // Indentation of the line that opened a block scalar (`|`, `>`):
        // more indented lines after it are text.
        let mut block: Option<usize> = None;
        for (i, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            if let Some(n) = block {
                if line.trim().is_empty() || indent > n {
                    continue;
                }
                block = None;
            }
            // The last significant character before this one, and whether
            // white space came after it.
            let mut prev: Option<char> = None;
            let mut spaced = true;
            let mut chars = line.chars().enumerate().peekable();
            while let Some((col, c)) = chars.next() {
                let at = (i + 1, col + 1);
                match quote {
                    Quote::Double => {
                        if c == '\\' {
                            chars.next();
                        } else if c == '"' {
                            quote = Quote::None;
                            prev = Some('"');
                            spaced = false;
                        }
                        continue;
                    }
                    Quote::Single => {
                        if c == '\'' {
                            quote = Quote::None;
                            prev = Some('\'');
                            spaced = false;
                        }
                        continue;
                    }
                    Quote::None => {}
                }
                if c.is_whitespace() {
                    spaced = true;
                    continue;
                }
                if c == '#' && spaced {
                    break; // a comment
                }
                let token_start = match prev {
                    None => true,
                    Some('[' | '{' | ',') => true,
                    Some(':' | '-' | '?') => spaced,
                    _ => false,
                };
                match c {
                    '[' | '{' if token_start || depth > 0 => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            scan.too_deep = Some(at);
                            return scan;
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    '"' if token_start => quote = Quote::Double,
                    '\'' if token_start => quote = Quote::Single,
                    '*' if token_start && chars.peek().is_some_and(|(_, n)| !n.is_whitespace()) => {
                        scan.first_alias.get_or_insert(at);
                    }
                    '&' if token_start => {
                        scan.first_anchor.get_or_insert(at);
                    }
                    '|' | '>' if token_start && depth == 0 => block = Some(indent),
                    _ => {}
                }
                prev = Some(c);
                spaced = false;
            }
        }
        scan
    }
}

//! The search shapes of the built-in rules, worked out ahead of time.
//!
//! A rule's shape (keyword lines, keyword windows as far as a match reaches, or the whole
//! chunk) comes from parsing its regex, and a pre-commit run asks it of every candidate rule
//! before it knows whether any keyword sits on a staged line: parsing a few dozen patterns
//! was a tenth of the hook's instructions. `shapes.tsv` holds the shape of every built-in
//! pattern, keyed by rule id and a checksum of the pattern; a pattern whose checksum differs
//! (the table is stale) is parsed as before, so the table can make a run slower, never
//! wrong. A test recomputes the table and fails when it differs from the file.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::reach::Reach;
use super::rule::Shape;

/// One line per built-in rule with a regex: `id`, the CRC-32 of its pattern (hex) and its
/// shape (`lines`, `whole`, or `window`, the budget and the stretch set as 64 hex digits).
const TABLE: &str = include_str!("shapes.tsv");

/// The shape of the pattern, worked out by parsing it: keyword lines when no match crosses a
/// line, keyword windows when a match's reach is bounded, otherwise the whole chunk.
pub(crate) fn parse(pattern: &str) -> Shape {
    let parsed = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern);
    match parsed {
        Err(_) => Shape::Whole,
        Ok(hir) if !super::window::matches_newline(&hir) => Shape::KeywordLines,
        Ok(hir) => Reach::of(&hir).map_or(Shape::Whole, Shape::KeywordWindows),
    }
}

/// The stored shape of built-in rule `id`, if the table holds one for this very `pattern`.
pub(crate) fn stored(id: &str, pattern: &str) -> Option<Shape> {
    static ROWS: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    let rows = ROWS.get_or_init(|| {
        TABLE
            .lines()
            .filter_map(|line| {
                let (id, rest) = line.split_once('\t')?;
                let (checksum, shape) = rest.split_once('\t')?;
                Some((id, (checksum, shape)))
            })
            .collect()
    });
    let (checksum, shape) = rows.get(id)?;
    (*checksum == self::checksum(pattern)).then(|| decode(shape))?
}

fn checksum(pattern: &str) -> String {
    format!("{:08x}", crc32fast::hash(pattern.as_bytes()))
}

#[cfg(test)]
fn encode(shape: &Shape) -> String {
    match shape {
        Shape::KeywordLines => "lines".into(),
        Shape::Whole => "whole".into(),
        Shape::KeywordWindows(reach) => {
            let (budget, stretch) = reach.parts();
            let bits: String = stretch
                .chunks(4)
                .map(|nibble| {
                    let value = nibble
                        .iter()
                        .enumerate()
                        .fold(0u32, |v, (i, &set)| v | (u32::from(set) << i));
                    char::from_digit(value, 16).expect("a nibble is one hex digit")
                })
                .collect();
            format!("window {budget} {bits}")
        }
    }
}

fn decode(text: &str) -> Option<Shape> {
    let mut words = text.split(' ');
    match words.next()? {
        "lines" => Some(Shape::KeywordLines),
        "whole" => Some(Shape::Whole),
        "window" => {
            let budget = words.next()?.parse().ok()?;
            let bits = words.next()?;
            if bits.len() != 64 {
                return None;
            }
            let mut stretch = [false; 256];
            for (at, digit) in bits.chars().enumerate() {
                let value = digit.to_digit(16)?;
                for i in 0..4 {
                    stretch[at * 4 + i] = value & (1 << i) != 0;
                }
            }
            Some(Shape::KeywordWindows(Reach::from_parts(budget, stretch)))
        }
        _ => None,
    }
}

/// The table for the built-in catalog, as `shapes.tsv` must read.
#[cfg(test)]
fn table() -> String {
    let config = crate::config::builtin().unwrap();
    config
        .rules
        .iter()
        .filter_map(|rule| {
            let pattern = rule.spec.regex.as_ref()?;
            let shape = encode(&parse(pattern));
            Some(format!(
                "{}\t{}\t{shape}\n",
                rule.spec.id,
                checksum(pattern)
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerate with `LEAKWARD_BLESS=1 cargo test --lib shapes`.
    #[test]
    fn the_stored_table_is_the_catalog_s() {
        let want = table();
        if std::env::var_os("LEAKWARD_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/scan/shapes.tsv");
            std::fs::write(path, &want).unwrap();
            return;
        }
        assert!(
            TABLE == want,
            "src/scan/shapes.tsv is stale: run `LEAKWARD_BLESS=1 cargo test --lib shapes`"
        );
    }

    #[test]
    fn every_stored_shape_reads_back_as_the_parsed_one() {
        let config = crate::config::builtin().unwrap();
        let mut windows = 0;
        for rule in &config.rules {
            let Some(pattern) = &rule.spec.regex else {
                continue;
            };
            let parsed = parse(pattern);
            windows += usize::from(matches!(parsed, Shape::KeywordWindows(_)));
            assert_eq!(
                stored(&rule.spec.id, pattern),
                Some(parsed),
                "{}",
                rule.spec.id
            );
        }
        assert!(windows > 0, "the catalog has rules searched in windows");
    }

    #[test]
    fn a_pattern_the_table_does_not_know_is_not_looked_up() {
        let config = crate::config::builtin().unwrap();
        let rule = config
            .rules
            .iter()
            .find(|r| r.spec.regex.is_some())
            .unwrap();
        assert_eq!(stored(&rule.spec.id, "(?-u)edited[a-z]{8}"), None);
        assert_eq!(
            stored("no-such-rule", rule.spec.regex.as_ref().unwrap()),
            None
        );
    }
}

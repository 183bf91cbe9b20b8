//! The rule registry: every rule a pass can apply, with its stable id and its documentation.

use serde::Serialize;

/// One rule: a kind of change, with a stable kebab-case id and user-facing documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable kebab-case id, used in reports, settings and exceptions.
    pub id: &'static str,
    /// The pass that applies it.
    pub pass: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What it does.
    pub what: &'static str,
    /// Why it is there.
    pub why: &'static str,
    /// An example input, as the pass sees it.
    pub example_before: &'static str,
    /// What the whole pipeline makes of `example_before`.
    pub example_after: &'static str,
    /// What can go wrong.
    pub risks: &'static str,
    /// Whether the rule changes only layout (line breaks, blank lines, spaces), not words.
    pub layout: bool,
    /// The language the example is in, for rules that depend on the language
    /// ([`Lang::Unknown`] for language-neutral rules).
    pub example_lang: crate::Lang,
}

/// The built-in rules (those of the passes, not the data-driven ones), in pipeline order.
pub fn builtin() -> impl Iterator<Item = &'static Rule> {
    crate::passes::decode::RULES
        .iter()
        .chain(crate::passes::PASSES.iter().flat_map(|p| p.rules().iter()))
}

/// Every default rule: the built-in ones, then the embedded boilerplate and confusion tables'.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    let boilerplate = crate::passes::boilerplate::BoilerplateTable::embedded();
    let confusions = crate::passes::confusion::ConfusionTable::embedded();
    let data: Vec<&'static Rule> = boilerplate
        .registry()
        .chain(confusions.registry())
        .collect();
    builtin().chain(data)
}

/// The default rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// Put `item` in place of the entry of `items` with the same rule id, or add it: how a rule
/// file layered on top replaces a rule of the same id.
pub(crate) fn replace_or_push<T>(items: &mut Vec<T>, item: T, id: impl Fn(&T) -> &'static str) {
    match items.iter_mut().find(|old| id(old) == id(&item)) {
        Some(old) => *old = item,
        None => items.push(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                !rule.id.is_empty()
                    && rule.id.split('-').all(|w| !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "rule id {:?} is not kebab-case",
                rule.id
            );
            for (field, text) in [
                ("summary", rule.summary),
                ("what", rule.what),
                ("why", rule.why),
                ("risks", rule.risks),
                ("example_before", rule.example_before),
            ] {
                assert!(!text.trim().is_empty(), "rule {} has no {field}", rule.id);
            }
            assert_ne!(
                rule.example_before, rule.example_after,
                "rule {}: the example must show a change",
                rule.id
            );
        }
    }
}

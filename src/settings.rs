//! Settings: `ocrtidy.toml` in the rules directory, validated when loaded.
//!
//! The library parses settings text; reading the files is the caller's business.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Error, LangSetting};

/// The embedded default settings file (`rules/ocrtidy.toml`).
pub const DEFAULT_TOML: &str = include_str!("../rules/ocrtidy.toml");

/// Settings in force, after layering.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The language of the documents.
    pub lang: LangSetting,
    /// Edits less sure than this are reported (flagged) instead of applied, unless a rule
    /// sets its own threshold.
    pub min_confidence: f32,
    /// Per-rule settings, by rule id.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Keep the original line breaks (no paragraph reflow), for corpora aligned line by line.
    pub keep_lines: bool,
    /// Re-wrap the output at this many columns.
    pub width: Option<usize>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: LangSetting::Auto,
            min_confidence: 0.5,
            rules: BTreeMap::new(),
            keep_lines: false,
            width: None,
        }
    }
}

/// What to do with a rule's edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Apply them (when sure enough).
    #[default]
    Fix,
    /// Report them, apply none.
    Flag,
    /// Neither.
    Off,
}

/// The settings of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    #[serde(default)]
    pub action: Action,
    /// This rule's own threshold (else the global `min_confidence`).
    pub min_confidence: Option<f32>,
}

impl Settings {
    /// What to do with an edit of `rule` made with `confidence`.
    pub fn decide(&self, rule: &str, confidence: f32) -> Decision {
        let setting = self.rules.get(rule).copied().unwrap_or_default();
        match setting.action {
            Action::Off => Decision::Drop,
            Action::Flag => Decision::Flag,
            Action::Fix => {
                let min = setting.min_confidence.unwrap_or(self.min_confidence);
                if confidence < min {
                    Decision::BelowThreshold(min)
                } else {
                    Decision::Apply
                }
            }
        }
    }
}

/// What [`Settings::decide`] says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    Apply,
    Flag,
    BelowThreshold(f32),
    Drop,
}

/// One settings file: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    lang: Option<LangSetting>,
    min_confidence: Option<f32>,
    keep_lines: Option<bool>,
    width: Option<usize>,
    #[serde(default)]
    rules: BTreeMap<String, RuleSetting>,
}

impl Settings {
    /// The embedded defaults.
    pub fn embedded() -> Self {
        let mut settings = Settings::default();
        settings
            .layer("rules/ocrtidy.toml", DEFAULT_TOML)
            .expect("the embedded settings are valid");
        settings
    }

    /// Layer one settings file on top: each key it sets replaces the current value. Errors
    /// name the file and the line.
    pub fn layer(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let file: SettingsFile = parse_toml(name, text)?;
        if let Some(lang) = file.lang {
            self.lang = lang;
        }
        if let Some(min) = file.min_confidence {
            self.min_confidence = min;
        }
        if let Some(keep) = file.keep_lines {
            self.keep_lines = keep;
        }
        if let Some(width) = file.width {
            self.width = (width > 0).then_some(width);
        }
        for (id, setting) in file.rules {
            if let Some(min) = setting.min_confidence
                && !(0.0..=1.0).contains(&min)
            {
                let line = text
                    .lines()
                    .position(|l| l.contains(&format!("[rules.{id}]")))
                    .map_or(1, |i| i + 1);
                return Err(Error::Config {
                    name: name.to_owned(),
                    line,
                    message: format!("rules.{id}: min_confidence must be between 0 and 1"),
                });
            }
            self.rules.insert(id, setting);
        }
        Ok(())
    }
}

/// Deserialize TOML text; an error names the file and the line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| Error::Config {
        name: name.to_owned(),
        line: e.span().map_or(1, |span| {
            text[..span.start.min(text.len())].matches('\n').count() + 1
        }),
        message: e.message().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults() {
        assert_eq!(Settings::embedded().lang, LangSetting::Auto);
    }

    #[test]
    fn layering_replaces_what_it_sets() {
        let mut s = Settings::embedded();
        s.layer("user.toml", "# nothing\n").unwrap();
        assert_eq!(s.lang, LangSetting::Auto);
        s.layer("user.toml", "lang = \"fr\"\n").unwrap();
        assert_eq!(s.lang, LangSetting::Fr);
    }

    #[test]
    fn per_rule_actions_and_thresholds() {
        let mut s = Settings::embedded();
        s.layer(
            "user.toml",
            "min_confidence = 0.7\n[rules.lig-split]\naction = \"flag\"\n\
             [rules.dehyphen]\nmin_confidence = 0.9\n[rules.confusion-one-for-l]\naction = \"off\"\n",
        )
        .unwrap();
        assert_eq!(s.decide("lig-split", 1.0), Decision::Flag);
        assert_eq!(s.decide("dehyphen", 0.8), Decision::BelowThreshold(0.9));
        assert_eq!(s.decide("dehyphen", 0.95), Decision::Apply);
        assert_eq!(s.decide("confusion-one-for-l", 1.0), Decision::Drop);
        assert_eq!(
            s.decide("trailing-blank", 0.6),
            Decision::BelowThreshold(0.7)
        );
        let err = s
            .layer("user.toml", "\n[rules.x]\nmin_confidence = 2.0\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "user.toml:2: rules.x: min_confidence must be between 0 and 1"
        );
        let err = s
            .layer("user.toml", "[rules.x]\nactoin = \"fix\"\n")
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("user.toml:2: unknown field `actoin`"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let mut s = Settings::embedded();
        let err = s
            .layer("user.toml", "# c\n\nlangue = \"fr\"\n")
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("user.toml:3: unknown field `langue`"),
            "{msg}"
        );
        let err = s.layer("user.toml", "lang = \"de\"\n").unwrap_err();
        assert!(err.to_string().starts_with("user.toml:1:"), "{err}");
    }
}

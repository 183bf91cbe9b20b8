//! Settings: `ocrtidy.toml` in the rules directory, validated when loaded.
//!
//! The library parses settings text; reading the files is the caller's business.

use serde::Deserialize;

use crate::{Error, LangSetting};

/// The embedded default settings file (`rules/ocrtidy.toml`).
pub const DEFAULT_TOML: &str = include_str!("../rules/ocrtidy.toml");

/// Settings in force, after layering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The language of the documents.
    pub lang: LangSetting,
}

/// One settings file: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    lang: Option<LangSetting>,
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

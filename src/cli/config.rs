//! Loading the rules directory: the embedded defaults, with a user's `--rules DIR` on top.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use ocrtidy::{LangSetting, Lexicon, Pipeline, Settings};

/// Settings and lexicon from the embedded `rules/` with `dir` (if any) layered on top:
/// `DIR/ocrtidy.toml` replaces the settings it sets, `DIR/words/*.txt` add protected words
/// (and [`pipeline`] adds `DIR/confusions.toml`, `DIR/boilerplate.toml` and
/// `DIR/exceptions.toml`).
/// `lang`, from the command line, beats both.
pub fn load(dir: Option<&Path>, lang: Option<LangSetting>) -> Result<(Settings, Lexicon)> {
    let mut settings = Settings::embedded();
    let mut lexicon = Lexicon::default();
    if let Some(dir) = dir {
        if !dir.is_dir() {
            bail!("--rules {}: not a directory", dir.display());
        }
        let toml = dir.join("ocrtidy.toml");
        if toml.is_file() {
            let text = std::fs::read_to_string(&toml)
                .with_context(|| format!("{}: cannot read", toml.display()))?;
            settings.layer(&toml.display().to_string(), &text)?;
        }
        let words = dir.join("words");
        if words.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(&words)
                .with_context(|| format!("{}: cannot read", words.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("{}: cannot read", file.display()))?;
                lexicon.add_words(&file.display().to_string(), &text)?;
            }
        }
    }
    if let Some(lang) = lang {
        settings.lang = lang;
    }
    Ok((settings, lexicon))
}

/// The file of a rules directory where rejected edits are remembered.
pub const EXCEPTIONS_FILE: &str = "exceptions.toml";

/// The pipeline the settings describe, with `DIR/confusions.toml` layered on the embedded
/// confusion rules.
pub fn pipeline(
    dir: Option<&Path>,
    lang: Option<LangSetting>,
    layout: super::LayoutArgs,
) -> Result<Pipeline> {
    let (mut settings, lexicon) = load(dir, lang)?;
    if layout.keep_lines {
        settings.keep_lines = true;
    }
    if let Some(width) = layout.width {
        settings.width = (width > 0).then_some(width);
    }
    let mut pipeline = Pipeline::new(lexicon, settings);
    if let Some(dir) = dir {
        let builtin: Vec<&str> = ocrtidy::rules::builtin().map(|r| r.id).collect();
        // A user's rule table, if the directory has one: its text and its name for messages.
        let read = |file: &str| -> Result<Option<(String, String)>> {
            let path = dir.join(file);
            if !path.is_file() {
                return Ok(None);
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            Ok(Some((path.display().to_string(), text)))
        };
        if let Some((name, text)) = read("confusions.toml")? {
            let mut table = pipeline.confusions().clone();
            table.layer(&name, &text, &builtin)?;
            pipeline = pipeline.with_confusions(table);
        }
        if let Some((name, text)) = read("boilerplate.toml")? {
            let mut table = pipeline.boilerplate().clone();
            table.layer(&name, &text, &builtin)?;
            pipeline = pipeline.with_boilerplate(table);
        }
        if let Some((name, text)) = read(EXCEPTIONS_FILE)? {
            let mut exceptions = ocrtidy::Exceptions::default();
            exceptions.layer(&name, &text)?;
            pipeline = pipeline.with_exceptions(exceptions);
        }
    }
    for id in pipeline.settings().rules.keys() {
        if !pipeline.rules().any(|r| r.id == id) {
            let known: Vec<&str> = pipeline.rules().map(|r| r.id).collect();
            bail!(
                "ocrtidy.toml: [rules.{id}]: no such rule; the rules are: {}",
                known.join(", ")
            );
        }
    }
    Ok(pipeline)
}

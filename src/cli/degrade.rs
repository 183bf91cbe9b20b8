//! `ocrtidy degrade`: a synthetic OCR corpus with exact gold, from clean text.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use ocrtidy::degrade::{DegradeOptions, Recipe, degrade, output_name, title_from_stem};
use ocrtidy::{Document, Lang, LangSetting, language};
use rayon::prelude::*;

use super::inputs::{self, io_reason};
use super::{DegradeArgs, EXIT_ERROR, EXIT_OK, config, write};

pub fn run(args: DegradeArgs, rules_dir: Option<&Path>) -> Result<u8> {
    let (_, lexicon) = config::load(rules_dir, None)?;
    if let Some(recipe) = &args.recipe {
        return run_recipe(recipe, &args.output, &lexicon);
    }
    let found = inputs::find(&args.inputs, &args.globs)?;
    let out_dir = inputs::check_output_dir(&args.inputs, &args.output)?;
    for err in &found.errors {
        eprintln!("ocrtidy: {err}");
    }
    let failures: usize = found
        .jobs
        .par_iter()
        .map(|job| {
            let result = (|| -> Result<()> {
                let bytes = super::inputs::read_input(&job.source)?;
                let doc = Document::from_bytes(job.source.display().to_string(), &bytes)?;
                let lang = match args.lang.unwrap_or(LangSetting::Auto) {
                    LangSetting::Fr => Lang::Fr,
                    LangSetting::En => Lang::En,
                    LangSetting::Auto => language::detect(&doc.text),
                };
                let stem = job
                    .rel
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                let options = DegradeOptions {
                    title: args.title.clone().unwrap_or_else(|| title_from_stem(&stem)),
                    ..args.options.to_options()
                };
                let degraded = degrade(&doc.text, lang, &lexicon, &options, args.seed);
                let name: PathBuf = job.rel.with_file_name(output_name(&stem, args.seed));
                for (sub, text) in [("raw", &degraded.raw), ("gold", &degraded.gold)] {
                    let dest = out_dir.join(sub).join(&name);
                    write::atomic(&dest, text.as_bytes()).map_err(|e| {
                        anyhow!("{}: cannot write: {}", dest.display(), io_reason(&e))
                    })?;
                }
                Ok(())
            })();
            match result {
                Ok(()) => 0,
                Err(err) => {
                    eprintln!("ocrtidy: {err:#}");
                    1
                }
            }
        })
        .sum();
    let failures = failures + found.errors.len();
    Ok(if failures > 0 { EXIT_ERROR } else { EXIT_OK })
}

/// `degrade --recipe FILE -o DIR`: every document of the recipe, sources relative to it.
fn run_recipe(recipe_path: &Path, out: &Path, lexicon: &ocrtidy::Lexicon) -> Result<u8> {
    let text = std::fs::read_to_string(recipe_path)
        .map_err(|e| anyhow!("{}: {}", recipe_path.display(), io_reason(&e)))?;
    let recipe = Recipe::from_toml(&recipe_path.display().to_string(), &text)?;
    if let Some(name) = recipe.collisions().first() {
        anyhow::bail!(
            "{}: two documents would both be written to {name}",
            recipe_path.display()
        );
    }
    let base = recipe_path.parent().unwrap_or(Path::new("."));
    let outputs = recipe.generate(lexicon, |source| -> Result<String> {
        let path = base.join(source);
        let bytes =
            std::fs::read(&path).map_err(|e| anyhow!("{}: {}", path.display(), io_reason(&e)))?;
        Ok(Document::from_bytes(path.display().to_string(), &bytes)?.text)
    })?;
    for (name, degraded) in outputs {
        for (sub, text) in [("raw", &degraded.raw), ("gold", &degraded.gold)] {
            let dest = out.join(sub).join(&name);
            write::atomic(&dest, text.as_bytes())
                .map_err(|e| anyhow!("{}: cannot write: {}", dest.display(), io_reason(&e)))?;
        }
    }
    Ok(EXIT_OK)
}

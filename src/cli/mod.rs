//! Command-line interface: argument parsing and dispatch. Exit codes: 0 success, 1 differences
//! found (`check`, `diff --exit-code`), 2 usage, configuration or I/O errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ocrtidy::LangSetting;

mod clean;
mod config;
mod corpus;
mod inputs;
mod lexicon;
mod rules;
mod write;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code when a check found differences.
#[allow(dead_code)] // used by `check` and `diff --exit-code`
pub const EXIT_DIFF: u8 = 1;
/// Exit code for usage, configuration and I/O errors.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "ocrtidy",
    version,
    about = "Turn raw OCR and PDF-extracted text into clean reading text, and show what changed and why",
    after_help = "Exit codes: 0 success, 1 differences found (check, diff --exit-code), 2 usage, configuration or I/O errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// A rules directory layered on the built-in rules: `ocrtidy.toml` settings and
    /// `words/*.txt` protected words
    #[arg(long = "rules", value_name = "DIR", global = true)]
    rules: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Clean files or directories of text into an output directory
    Clean(CleanArgs),
    /// List the rules, or show the documentation of one
    Rules(RulesArgs),
    /// Show what the language resources say about words: validity, frequency,
    /// hyphenation points, corpus count
    Lexicon(LexiconArgs),
}

#[derive(Args, Debug)]
pub struct CleanArgs {
    /// Files or directories to clean (directories recursively); `-` reads standard input and
    /// writes standard output
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Directory to write the cleaned files to, mirroring the inputs' relative paths (created
    /// if needed; it must not be inside an input directory)
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Which files to take inside directories, as a glob (repeatable) [default: *.txt]
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Number of files processed at once [default: one per core]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Print neither progress nor summary (errors are still printed)
    #[arg(short, long)]
    pub quiet: bool,
    /// The documents' language: fr, en, or auto to detect each one [default: from the
    /// rules' ocrtidy.toml, built in: auto]
    #[arg(long, value_name = "LANG")]
    pub lang: Option<LangSetting>,
}

#[derive(Args, Debug)]
pub struct LexiconArgs {
    /// Words to look up
    #[arg(required = true, value_name = "WORD")]
    pub words: Vec<String>,
    /// The language to look them up in: fr, en, or auto for the one each word fits best
    #[arg(long, value_name = "LANG")]
    pub lang: Option<LangSetting>,
    /// Count each word's occurrences in the text files under this directory (repeatable)
    #[arg(long, value_name = "DIR")]
    pub corpus: Vec<PathBuf>,
    /// Which files to count inside --corpus directories [default: *.txt]
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Show the full documentation of this rule
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Print the registry as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let rules_dir = cli.rules.as_deref();
    let result = match cli.command {
        Command::Clean(args) => clean::run(args, rules_dir),
        Command::Rules(args) => rules::run(args),
        Command::Lexicon(args) => lexicon::run(args, rules_dir),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("ocrtidy: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

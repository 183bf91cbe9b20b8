//! Command-line interface: argument parsing and dispatch. Exit codes: 0 success, 1 differences
//! found (`check`, `diff --exit-code`), 2 usage, configuration or I/O errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ocrtidy::LangSetting;

mod analyse;
mod boilerplate;
mod check;
mod clean;
mod compare;
mod config;
mod corpus;
mod degrade;
mod diff;
mod eval;
mod inputs;
mod lexicon;
mod pending;
mod report;
mod review;
mod rules;
mod write;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code when a check found differences (a quality gate, `rules --test`).
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
    /// Refuse input files larger than this (bytes, or with K, M or G) [default: 256M]
    #[arg(long, value_name = "SIZE", global = true, value_parser = inputs::parse_size)]
    max_file_size: Option<u64>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Clean files or directories of text into an output directory
    Clean(CleanArgs),
    /// List every edit the pipeline makes, with its rule, place in the raw input and
    /// confidence
    Diff(DiffArgs),
    /// Compare the pipeline's outputs with the accepted ones; exit 1 when any differs
    Check(CheckArgs),
    /// List pending outputs (NAME.txt.new) waiting for review
    Pending(PendingArgs),
    /// Review pending outputs interactively: accept, reject or skip, per file or per change
    Review(ReviewArgs),
    /// Accept pending outputs (all their changes, or those of --rule) without prompts
    Accept(DecideArgs),
    /// Reject pending outputs' changes without prompts; the rejected edits are remembered
    /// as exceptions in the rules directory
    Reject(DecideArgs),
    /// List the rules, or show the documentation of one
    Rules(RulesArgs),
    /// Show what the language resources say about words: validity, frequency,
    /// hyphenation points, corpus count
    Lexicon(LexiconArgs),
    /// Measure quality against gold: WER, CER, fixed and broken tokens, break accuracy,
    /// per-rule precision; with --baseline, fail when quality drops
    Eval(EvalArgs),
    /// Make OCR-like raw text and its exact gold from clean text (a synthetic test corpus)
    Degrade(DegradeArgs),
    /// List lines repeated across many files of a batch: candidates for boilerplate rules
    Boilerplate(BoilerplateArgs),
    /// Write one self-contained HTML page showing every edit in context, for review
    Report(ReportArgs),
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files or directories to report on (directories recursively)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The HTML file to write
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// List layout-only edits (line joins, spaces) one by one too, not only as counts
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// How `diff` and `check` print.
#[derive(ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Lines for people, coloured on a terminal
    #[default]
    Text,
    /// One JSON object
    Json,
    /// GitHub workflow annotations
    Github,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Files or directories (directories recursively)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print counts of edits per rule and per file instead of the edits
    #[arg(long)]
    pub stat: bool,
    /// Only the edits of this rule (repeatable)
    #[arg(long = "rule", id = "rule_ids", value_name = "ID")]
    pub rules: Vec<String>,
    /// List layout-only edits (line joins, spaces) and edits left alone in foreign passages
    /// one by one too
    #[arg(long)]
    pub all: bool,
    /// Exit 1 when there is any edit
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories (directories recursively)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Directory of the accepted outputs (the same relative paths as the inputs)
    #[arg(long, value_name = "DIR")]
    pub cleaned: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write each differing output as a pending file beside the accepted one
    /// (NAME.txt.new), for `ocrtidy review`
    #[arg(long)]
    pub write_pending: bool,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

#[derive(Args, Debug)]
pub struct PendingArgs {
    /// Directories to search, or files [default: the current directory]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// Directories to search, or pending or accepted files [default: the current directory]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    /// Directories to search, or pending or accepted files [default: the current directory]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Only the changes behind which an edit of this rule is (repeatable)
    #[arg(long = "rule", id = "rule_ids", value_name = "ID")]
    pub rules: Vec<String>,
}

#[derive(Args, Debug)]
pub struct BoilerplateArgs {
    /// Files or directories of the batch
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Report lines found in at least N files [default: a fifth of the files, at least 3]
    #[arg(long, value_name = "N")]
    pub min_files: Option<usize>,
    /// Which files to take inside directories [default: *.txt]
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Directory of gold files (the same relative paths as in RAW_DIR)
    #[arg(long, value_name = "GOLD_DIR")]
    pub gold: PathBuf,
    /// Directory of raw files
    #[arg(value_name = "RAW_DIR")]
    pub raw: PathBuf,
    /// Print one JSON object instead of tables
    #[arg(long)]
    pub json: bool,
    /// Compare the totals with this baseline; exit 1 when worse beyond its tolerance
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the totals to the --baseline file instead of comparing
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Which files to take in the directories [default: *.txt]
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// The documents' language: fr, en or auto
    #[arg(long, value_name = "LANG")]
    pub lang: Option<LangSetting>,
}

#[derive(Args, Debug)]
pub struct DegradeArgs {
    /// Clean text files or directories
    #[arg(required_unless_present = "recipe", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Degrade the documents a recipe (TOML) lists instead, each with its own seed and options
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    pub recipe: Option<PathBuf>,
    /// Output directory: raw text goes to DIR/raw/NAME-sSEED.txt, gold to DIR/gold/
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Seed of the generator: the same seed gives the same output
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Language for hyphenation: fr, en or auto
    #[arg(long, value_name = "LANG")]
    pub lang: Option<LangSetting>,
    /// Running header text [default: from the file name]
    #[arg(long)]
    pub title: Option<String>,
    /// Which files to take inside directories [default: *.txt]
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    #[command(flatten)]
    pub options: DegradeRates,
}

/// How the text is typeset and damaged (rates are probabilities per opportunity).
#[derive(Args, Debug, Clone)]
pub struct DegradeRates {
    /// Line width in characters
    #[arg(long, default_value_t = 64)]
    pub width: usize,
    /// Lines per page (0: no page breaks)
    #[arg(long, default_value_t = 40)]
    pub page_lines: usize,
    /// Per word that does not fit: hyphenate it at a valid break point
    #[arg(long, default_value_t = 0.8)]
    pub hyphenate: f64,
    /// Per ligature (fi fl ff ffi ffl) inside a word: a space after it
    #[arg(long, default_value_t = 0.15)]
    pub lig_split: f64,
    /// Per ligature inside a word: its code point
    #[arg(long, default_value_t = 0.05)]
    pub lig_codepoint: f64,
    /// Per "la" and "l'": "1a", "1'"
    #[arg(long, default_value_t = 0.08)]
    pub one_for_l: f64,
    /// Per end-of-line hyphen (and per long word): a soft hyphen
    #[arg(long, default_value_t = 0.05)]
    pub soft_hyphen: f64,
    /// Per space: two spaces
    #[arg(long, default_value_t = 0.01)]
    pub double_space: f64,
    /// Per line: trailing blanks
    #[arg(long, default_value_t = 0.3)]
    pub trailing_blank: f64,
    /// Per word ending with , or .: a space before it
    #[arg(long, default_value_t = 0.02)]
    pub space_before_punct: f64,
    /// CRLF line ends
    #[arg(long)]
    pub crlf: bool,
}

impl DegradeRates {
    fn to_options(&self) -> ocrtidy::degrade::DegradeOptions {
        ocrtidy::degrade::DegradeOptions {
            width: self.width,
            page_lines: self.page_lines,
            title: String::new(),
            hyphenate: self.hyphenate,
            lig_split: self.lig_split,
            lig_codepoint: self.lig_codepoint,
            one_for_l: self.one_for_l,
            soft_hyphen: self.soft_hyphen,
            double_space: self.double_space,
            trailing_blank: self.trailing_blank,
            space_before_punct: self.space_before_punct,
            crlf: self.crlf,
        }
    }
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
    /// Never replace an existing output: write a changed one beside it as NAME.txt.new,
    /// for `ocrtidy review`
    #[arg(long)]
    pub pending: bool,
    /// The documents' language: fr, en, or auto to detect each one [default: from the
    /// rules' ocrtidy.toml, built in: auto]
    #[arg(long, value_name = "LANG")]
    pub lang: Option<LangSetting>,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

/// Which files to take and how to clean them, for the commands that run the pipeline in
/// memory (`diff`, `check`, `report`).
#[derive(Args, Debug, Clone, Default)]
pub struct PipelineArgs {
    /// Which files to take inside directories, as a glob (repeatable) [default: *.txt]
    #[arg(long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// The documents' language: fr, en, or auto to detect each one
    #[arg(long, value_name = "LANG")]
    pub lang: Option<LangSetting>,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

/// How the output is laid out.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct LayoutArgs {
    /// Keep the original line breaks: no paragraph reflow (the other repairs still apply)
    #[arg(long)]
    pub keep_lines: bool,
    /// Re-wrap the output at N columns
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
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
    /// Run every rule's examples (the user's rules too) and report failures; exit 1 if any
    #[arg(long, conflicts_with_all = ["id", "json"])]
    pub test: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(size) = cli.max_file_size {
        inputs::set_max_file_size(size);
    }
    let rules_dir = cli.rules.as_deref();
    let result = match cli.command {
        Command::Clean(args) => clean::run(args, rules_dir),
        Command::Diff(args) => diff::run(args, rules_dir),
        Command::Check(args) => check::run(args, rules_dir),
        Command::Pending(args) => review::list(args),
        Command::Review(args) => review::review(args, rules_dir),
        Command::Accept(args) => review::decide(args, rules_dir, pending::Verdict::Accept),
        Command::Reject(args) => review::decide(args, rules_dir, pending::Verdict::Reject),
        Command::Rules(args) => rules::run(args, rules_dir),
        Command::Lexicon(args) => lexicon::run(args, rules_dir),
        Command::Eval(args) => eval::run(args, rules_dir),
        Command::Degrade(args) => degrade::run(args, rules_dir),
        Command::Boilerplate(args) => boilerplate::run(args),
        Command::Report(args) => report::run(args, rules_dir),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("ocrtidy: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command line's defaults for `degrade` are the library's.
    #[test]
    fn degrade_defaults_match_the_library() {
        let cli = Cli::try_parse_from(["ocrtidy", "degrade", "in", "-o", "out"]).unwrap();
        let Command::Degrade(args) = cli.command else {
            panic!("not degrade");
        };
        let defaults = ocrtidy::degrade::DegradeOptions {
            title: String::new(),
            ..Default::default()
        };
        assert_eq!(args.options.to_options(), defaults);
    }
}

//! `ocrtidy report`: one self-contained HTML page for review.
//!
//! The page has summary tables (edits per rule, per file) rendered here, and every listed edit
//! embedded as JSON in a `<script type="application/json">` element, which the page's script
//! renders a page of files at a time. Layout-only edits are counted, not listed, unless
//! `--all`: they are most of the edits and say little to a reviewer.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Result, anyhow, bail};
use ocrtidy::visible;
use rayon::prelude::*;

use super::analyse::{self, Analysis, EditRecord};
use super::inputs::{self, Job, io_reason};
use super::{EXIT_ERROR, EXIT_OK, ReportArgs, write};

const TEMPLATE: &str = include_str!("report.html");
const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Files analysed at once: bounds memory on big corpora (each chunk's analyses are reduced to
/// their report data before the next chunk is read).
const CHUNK: usize = 256;
/// At most this many per-file table rows are open on load; more and the table starts closed.
const FILE_TABLE_OPEN_MAX: usize = 50;
/// At most this many input errors are listed in the page (all go to standard error).
const ERRORS_SHOWN_MAX: usize = 100;

pub fn run(args: ReportArgs, rules_dir: Option<&Path>) -> Result<u8> {
    let started = Instant::now();
    let setup = analyse::setup(rules_dir, &args.pipeline, &args.inputs)?;
    check_output(&args.output, &setup.found.jobs)?;
    let mut errors: Vec<String> = Vec::new();
    for err in &setup.found.errors {
        eprintln!("ocrtidy: {err}");
        errors.push(err.clone());
    }
    let rules = setup.pipeline.rules().map(|r| RuleInfo {
        id: r.id,
        summary: r.summary,
        layout: r.layout,
    });
    let mut report = Report::new(rules.collect(), args.all);
    // Files are named by their paths relative to the inputs (as `clean` writes them) when
    // these are unique, else by their paths as given.
    let rels: std::collections::HashSet<&Path> =
        setup.found.jobs.iter().map(|j| j.rel.as_path()).collect();
    let by_rel = rels.len() == setup.found.jobs.len();
    let progress = super::clean::progress_bar(
        setup.found.jobs.len() as u64,
        setup.found.jobs.len() <= CHUNK,
    );
    for chunk in setup.found.jobs.chunks(CHUNK) {
        let files: Vec<Result<FileData>> = analyse::analyse_all(&setup.pipeline, chunk)
            .into_par_iter()
            .map(|a| a.map(|a| FileData::new(&a, &setup.layout_rules, args.all, by_rel)))
            .collect();
        for file in files {
            match file {
                Ok(file) => report.add(file),
                Err(err) if super::inputs::is_binary(&err) => {
                    progress.suspend(|| eprintln!("ocrtidy: warning: {err:#}"));
                }
                Err(err) => {
                    let msg = format!("{err:#}");
                    progress.suspend(|| eprintln!("ocrtidy: {msg}"));
                    errors.push(msg);
                }
            }
        }
        progress.inc(chunk.len() as u64);
    }
    progress.finish_and_clear();
    if report.files == 0 && !errors.is_empty() {
        eprintln!(
            "ocrtidy: no report written to {}: no input could be read",
            args.output.display()
        );
        return Ok(EXIT_ERROR);
    }
    let html = report.html(&errors);
    write::atomic(&args.output, html.as_bytes())
        .map_err(|e| anyhow!("{}: cannot write: {}", args.output.display(), io_reason(&e)))?;
    eprintln!(
        "{}",
        report.summary(&args.output, html.len(), &errors, started)
    );
    Ok(if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// Refuse to write the report over one of the inputs (inputs are never written).
fn check_output(output: &Path, jobs: &[Job]) -> Result<()> {
    if !output.exists() {
        return Ok(());
    }
    let out = inputs::resolve(output)?;
    for job in jobs {
        if job.source.canonicalize().is_ok_and(|s| s == out) {
            bail!(
                "refusing to write the report to {}: it is an input file (inputs are never \
                 written)",
                output.display()
            );
        }
    }
    Ok(())
}

/// What the page says about a rule.
#[derive(Debug, Clone)]
struct RuleInfo {
    id: &'static str,
    summary: &'static str,
    layout: bool,
}

/// Edits applied and not applied.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    applied: usize,
    not_applied: usize,
}

impl Tally {
    fn total(self) -> usize {
        self.applied + self.not_applied
    }
}

/// One file's part of the report: its counts, and the edits listed one by one.
#[derive(Debug)]
struct FileData {
    name: String,
    lang: String,
    encoding: &'static str,
    /// Every edit, by rule, layout-only ones included.
    counts: BTreeMap<&'static str, Tally>,
    /// Layout-only edits counted but not listed.
    hidden: usize,
    /// The listed edits, their texts made visible (line feeds as ⏎ and so on).
    edits: Vec<EditRecord>,
}

impl FileData {
    fn new(
        analysis: &Analysis,
        layout_rules: &std::collections::HashSet<&'static str>,
        all: bool,
        by_rel: bool,
    ) -> Self {
        let name = if by_rel {
            analysis.job.rel.display().to_string()
        } else {
            analysis.name.clone()
        };
        Self::from_records(
            name,
            analysis.outcome.lang.to_string(),
            analysis.encoding,
            analysis.records(layout_rules),
            all,
        )
    }

    fn from_records(
        name: String,
        lang: String,
        encoding: &'static str,
        records: Vec<EditRecord>,
        all: bool,
    ) -> Self {
        let mut counts: BTreeMap<&'static str, Tally> = BTreeMap::new();
        let mut hidden = 0;
        let mut edits = Vec::new();
        for mut r in records {
            let tally = counts.entry(r.rule).or_default();
            if r.applied {
                tally.applied += 1;
            } else {
                tally.not_applied += 1;
            }
            if r.layout && !all {
                hidden += 1;
                continue;
            }
            for text in [
                &mut r.before,
                &mut r.after,
                &mut r.context_before,
                &mut r.context_after,
                &mut r.evidence,
            ] {
                *text = visible(text);
            }
            edits.push(r);
        }
        FileData {
            name,
            lang,
            encoding,
            counts,
            hidden,
            edits,
        }
    }
}

/// One listed edit in the page's data: rule index, 0 if applied or 1 + the index of the reason
/// it was not, `LINE:COLUMN`, before, after, confidence, context before and after, evidence.
type EditRow<'a> = (
    usize,
    usize,
    String,
    &'a str,
    &'a str,
    f64,
    &'a str,
    &'a str,
    &'a str,
);

/// The report being built, file by file.
#[derive(Debug)]
struct Report {
    all: bool,
    rules: Vec<RuleInfo>,
    rule_index: HashMap<&'static str, usize>,
    /// Per rule (by index): edits, files with one, and layout-only edits counted only.
    rule_tallies: Vec<Tally>,
    rule_files: Vec<usize>,
    rule_counted: Vec<usize>,
    reasons: Vec<String>,
    reason_index: HashMap<String, usize>,
    /// The files' JSON entries, comma-separated.
    json_files: String,
    /// The rows of the per-file table.
    file_rows: String,
    files: usize,
    files_without_edits: usize,
    total: Tally,
    listed: usize,
    hidden: usize,
}

impl Report {
    fn new(rules: Vec<RuleInfo>, all: bool) -> Self {
        let mut report = Report {
            all,
            rules: Vec::new(),
            rule_index: HashMap::new(),
            rule_tallies: Vec::new(),
            rule_files: Vec::new(),
            rule_counted: Vec::new(),
            reasons: Vec::new(),
            reason_index: HashMap::new(),
            json_files: String::new(),
            file_rows: String::new(),
            files: 0,
            files_without_edits: 0,
            total: Tally::default(),
            listed: 0,
            hidden: 0,
        };
        for rule in rules {
            report.rule(rule.id, Some(rule));
        }
        report
    }

    /// The index of rule `id`, registered on first sight (with the built-in documentation
    /// when `info` is not given).
    fn rule(&mut self, id: &'static str, info: Option<RuleInfo>) -> usize {
        if let Some(&i) = self.rule_index.get(id) {
            return i;
        }
        let info = info.unwrap_or_else(|| {
            let doc = ocrtidy::rules::find(id);
            RuleInfo {
                id,
                summary: doc.map_or("", |r| r.summary),
                layout: doc.is_some_and(|r| r.layout),
            }
        });
        self.rules.push(info);
        self.rule_tallies.push(Tally::default());
        self.rule_files.push(0);
        self.rule_counted.push(0);
        self.rule_index.insert(id, self.rules.len() - 1);
        self.rules.len() - 1
    }

    /// 0 for an applied edit, else 1 + the index of its reason.
    fn reason(&mut self, reason: Option<&str>) -> usize {
        let Some(reason) = reason else { return 0 };
        if let Some(&i) = self.reason_index.get(reason) {
            return i + 1;
        }
        self.reasons.push(reason.to_owned());
        self.reason_index
            .insert(reason.to_owned(), self.reasons.len() - 1);
        self.reasons.len()
    }

    fn add(&mut self, file: FileData) {
        self.files += 1;
        let mut file_total = Tally::default();
        for (&rule, &tally) in &file.counts {
            let i = self.rule(rule, None);
            self.rule_tallies[i].applied += tally.applied;
            self.rule_tallies[i].not_applied += tally.not_applied;
            self.rule_files[i] += 1;
            if self.rules[i].layout && !self.all {
                self.rule_counted[i] += tally.total();
            }
            file_total.applied += tally.applied;
            file_total.not_applied += tally.not_applied;
        }
        self.total.applied += file_total.applied;
        self.total.not_applied += file_total.not_applied;
        self.listed += file.edits.len();
        self.hidden += file.hidden;
        if file_total.total() == 0 {
            self.files_without_edits += 1;
        }
        self.file_row(&file, file_total);
        if file.edits.is_empty() && file.hidden == 0 {
            return;
        }
        let mut rows: Vec<EditRow<'_>> = Vec::with_capacity(file.edits.len());
        for e in &file.edits {
            let rule = self.rule(e.rule, None);
            let status = self.reason(e.reason.as_deref());
            rows.push((
                rule,
                status,
                e.position(),
                &e.before,
                &e.after,
                round_confidence(e.confidence),
                &e.context_before,
                &e.context_after,
                &e.evidence,
            ));
        }
        if !self.json_files.is_empty() {
            self.json_files.push(',');
        }
        let entry = serde_json::to_string(&(&file.name, file.hidden, rows))
            .expect("serializing strings, numbers and tuples cannot fail");
        self.json_files.push_str(&entry);
    }

    /// One row of the per-file table.
    fn file_row(&mut self, file: &FileData, total: Tally) {
        let layout: usize = file
            .counts
            .iter()
            .filter(|(rule, _)| {
                self.rule_index
                    .get(*rule)
                    .is_some_and(|&i| self.rules[i].layout)
            })
            .map(|(_, t)| t.total())
            .sum();
        let mut by_rule: Vec<(&str, usize)> =
            file.counts.iter().map(|(r, t)| (*r, t.total())).collect();
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let rules: Vec<String> = by_rule
            .iter()
            .map(|(r, n)| format!("{} {n}", escape(r)))
            .collect();
        let link = if total.total() > 0 {
            format!(
                "<a href=\"#file={}\">{}</a>",
                escape(&percent_encode(&file.name)),
                escape(&file.name)
            )
        } else {
            escape(&file.name)
        };
        let _ = writeln!(
            self.file_rows,
            // Classless cells (styled by column): this table has a row per file.
            "<tr><td>{link}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&file.lang),
            escape(file.encoding),
            total.total(),
            total.not_applied,
            layout,
            rules.join(", ")
        );
    }

    /// The edits-per-rule table, most frequent first.
    fn rule_table(&self) -> String {
        let mut order: Vec<usize> = (0..self.rules.len())
            .filter(|&i| self.rule_tallies[i].total() > 0)
            .collect();
        order.sort_by(|&a, &b| {
            self.rule_tallies[b]
                .total()
                .cmp(&self.rule_tallies[a].total())
        });
        if order.is_empty() {
            return "<p class=\"note\">No edits.</p>\n".to_owned();
        }
        let mut out = String::from(
            "<table class=\"rules-table\">\n<thead><tr><th>Rule</th><th>What it does</th>\
             <th class=\"n\">Edits</th><th class=\"n\">Applied</th><th class=\"n\">Not applied</th>\
             <th class=\"n\">Files</th></tr></thead>\n<tbody>\n",
        );
        for i in order {
            let rule = &self.rules[i];
            let tally = self.rule_tallies[i];
            let tag = if rule.layout {
                if self.all {
                    " <span class=\"tag\">layout</span>"
                } else {
                    " <span class=\"tag\" title=\"Layout-only: counted, not listed (--all lists them)\">layout, counted only</span>"
                }
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"rule-id\"><a href=\"#rule={}\"><code>{}</code></a>{tag}</td>\
                 <td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td></tr>",
                escape(&percent_encode(rule.id)),
                escape(rule.id),
                escape(rule.summary),
                thousands(tally.total()),
                thousands(tally.applied),
                thousands(tally.not_applied),
                thousands(self.rule_files[i])
            );
        }
        let _ = writeln!(
            out,
            "</tbody>\n<tfoot><tr><th>Total</th><th></th><th class=\"n\">{}</th>\
             <th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></tfoot>\n</table>",
            thousands(self.total.total()),
            thousands(self.total.applied),
            thousands(self.total.not_applied),
            self.files
        );
        out
    }

    fn file_table(&self) -> String {
        format!(
            "<details id=\"per-file\"{}><summary><h2>Edits per file <span class=\"count\">({} file{})</span></h2></summary>\n\
             <p class=\"note\">Click a column header to sort; click a file name to show only its edits.</p>\n\
             <table class=\"files-table\" id=\"files-table\">\n<thead><tr><th data-sort=\"s\">File</th>\
             <th data-sort=\"s\">Language</th><th data-sort=\"s\">Encoding</th><th class=\"n\" data-sort=\"n\">Edits</th>\
             <th class=\"n\" data-sort=\"n\">Not applied</th><th class=\"n\" data-sort=\"n\">Layout-only</th>\
             <th>Rules</th></tr></thead>\n<tbody>\n{}</tbody>\n</table>\n</details>\n",
            if self.files <= FILE_TABLE_OPEN_MAX {
                " open"
            } else {
                ""
            },
            thousands(self.files),
            plural(self.files),
            self.file_rows
        )
    }

    /// The page's data: rules, reasons and files, as JSON safe inside a script element.
    fn data_json(&self) -> String {
        let rules: Vec<serde_json::Value> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                serde_json::json!({
                    "id": r.id,
                    "summary": r.summary,
                    "layout": r.layout,
                    "counted": self.rule_counted[i],
                })
            })
            .collect();
        let head = serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "all": self.all,
            "rules": rules,
            "reasons": self.reasons,
        })
        .to_string();
        // `head` is an object: open it up and add the files (already JSON) as the last member.
        let mut json = String::with_capacity(head.len() + self.json_files.len() + 16);
        json.push_str(&head[..head.len() - 1]);
        json.push_str(",\"files\":[");
        json.push_str(&self.json_files);
        json.push_str("]}");
        script_safe_json(&json)
    }

    fn html(&self, errors: &[String]) -> String {
        let mut lead = format!("{} file{}", thousands(self.files), plural(self.files));
        if self.files_without_edits > 0 {
            let _ = write!(
                lead,
                " ({} without edits)",
                thousands(self.files_without_edits)
            );
        }
        let _ = write!(
            lead,
            " · {} edit{}: {} applied, {} not applied",
            thousands(self.total.total()),
            plural(self.total.total()),
            thousands(self.total.applied),
            thousands(self.total.not_applied)
        );
        let layout_note = if self.all {
            "Layout-only edits (line joins, spaces, blank lines) are listed too (<code>--all</code>)."
                .to_owned()
        } else if self.hidden > 0 {
            let _ = write!(
                lead,
                " · {} layout-only, counted but not listed",
                thousands(self.hidden)
            );
            format!(
                "Layout-only edits (line joins, spaces, blank lines: {} here) are counted in the \
                 tables but not listed one by one, to keep this page small; \
                 <code>ocrtidy report --all</code> lists them too.",
                thousands(self.hidden)
            )
        } else {
            "Layout-only edits (line joins, spaces, blank lines) would be counted, not listed; \
             <code>--all</code> lists them."
                .to_owned()
        };
        let _ = write!(lead, " · ocrtidy {}", env!("CARGO_PKG_VERSION"));
        let errors_html = if errors.is_empty() {
            String::new()
        } else {
            let mut out = format!(
                "<details class=\"errors\"><summary>{} input{} could not be read</summary><ul>\n",
                errors.len(),
                plural(errors.len())
            );
            for err in errors.iter().take(ERRORS_SHOWN_MAX) {
                let _ = writeln!(out, "<li><code>{}</code></li>", escape(err));
            }
            if errors.len() > ERRORS_SHOWN_MAX {
                let _ = writeln!(
                    out,
                    "<li>and {} more (see standard error)</li>",
                    errors.len() - ERRORS_SHOWN_MAX
                );
            }
            out.push_str("</ul></details>\n");
            out
        };
        let title = format!(
            "ocrtidy report: {} file{}, {} edit{}",
            thousands(self.files),
            plural(self.files),
            thousands(self.total.total()),
            plural(self.total.total())
        );
        fill(
            TEMPLATE,
            &[
                ("TITLE", &escape(&title)),
                ("VERSION", &escape(env!("CARGO_PKG_VERSION"))),
                ("CSS", CSS),
                ("LEAD", &escape(&lead)),
                ("ERRORS", &errors_html),
                ("LAYOUT_NOTE", &layout_note),
                ("RULE_TABLE", &self.rule_table()),
                ("FILE_TABLE", &self.file_table()),
                ("DATA", &self.data_json()),
                ("JS", JS),
            ],
        )
    }

    /// The one-line summary for standard error.
    fn summary(&self, output: &Path, bytes: usize, errors: &[String], started: Instant) -> String {
        let mut out = format!(
            "ocrtidy: report of {} file{}, {} edit{} ({} applied, {} not applied",
            self.files,
            plural(self.files),
            self.total.total(),
            plural(self.total.total()),
            self.total.applied,
            self.total.not_applied
        );
        if self.hidden > 0 {
            let _ = write!(out, "; {} layout-only counted, not listed", self.hidden);
        }
        let size = if bytes >= 1_000_000 {
            format!("{:.1} MB", bytes as f64 / 1_000_000.0)
        } else {
            format!("{} KB", bytes.div_ceil(1000))
        };
        let _ = write!(
            out,
            ") written to {} ({size}) in {:.2} s",
            output.display(),
            started.elapsed().as_secs_f64()
        );
        if !errors.is_empty() {
            let _ = write!(out, "; {} error{}", errors.len(), plural(errors.len()));
        }
        out
    }
}

/// `n` with thousands separated by commas, as the page's script writes numbers.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Confidence to two decimals: enough to filter on, and short in the page's data.
fn round_confidence(c: f32) -> f64 {
    (f64::from(c) * 100.0).round() / 100.0
}

/// Escape text for HTML element content and quoted attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON made safe to embed in a `<script>` element: `<`, `>` and `&` as `\u` escapes, so no
/// `</script` or `<!--` can appear, and U+2028 and U+2029 escaped too. These characters only
/// ever occur inside JSON strings, where the escapes mean the same.
fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 32);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encode for a URL fragment parameter: everything but ASCII letters, digits and
/// `-._~/`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `template` with each `{{KEY}}` replaced by its value, in one pass: a value is never
/// searched for keys itself.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let extra: usize = values.iter().map(|(_, v)| v.len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after
            .find("}}")
            .and_then(|end| Some((end, values.iter().find(|(k, _)| *k == &after[..end])?)))
        {
            Some((end, (_, value))) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(rule: &'static str, layout: bool, before: &str, after: &str) -> EditRecord {
        EditRecord {
            rule,
            pass: "test",
            layout,
            applied: true,
            reason: None,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            raw_start: 0,
            raw_end: 1,
            before: before.to_owned(),
            after: after.to_owned(),
            confidence: 0.9,
            evidence: "<!-- evidence </script>".to_owned(),
            context_before: "</script><script>alert(1)</script>".to_owned(),
            context_after: " <!-- & \u{2028}".to_owned(),
        }
    }

    fn rules() -> Vec<RuleInfo> {
        vec![
            RuleInfo {
                id: "lig-split",
                summary: "Join a word split <after> a ligature",
                layout: false,
            },
            RuleInfo {
                id: "reflow",
                summary: "Join lines",
                layout: true,
            },
        ]
    }

    #[test]
    fn escape_escapes_the_five_characters() {
        assert_eq!(
            escape(r#"<b class="x">Tom & Jerry's</b>"#),
            "&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;"
        );
        assert_eq!(escape("réfl exions ⏎"), "réfl exions ⏎");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn embedded_json_cannot_close_the_script_and_round_trips() {
        let nasty = "</script><!-- <script>alert(1)</script> & \u{2028}\u{2029} </SCRIPT";
        let json = serde_json::to_string(&serde_json::json!({ "s": nasty })).unwrap();
        let safe = script_safe_json(&json);
        for bad in [
            "</script", "</SCRIPT", "<!--", "<", ">", "&", "\u{2028}", "\u{2029}",
        ] {
            assert!(!safe.contains(bad), "{bad:?} in {safe}");
        }
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["s"], nasty);
    }

    #[test]
    fn page_escapes_all_data() {
        let mut report = Report::new(rules(), false);
        let records = vec![
            record("lig-split", false, "fl e", "</script><!--fle"),
            record("reflow", true, "\n", " "),
        ];
        report.add(FileData::from_records(
            "dir/<b>&\"x'.txt".to_owned(),
            "fr".to_owned(),
            "UTF-8",
            records,
            false,
        ));
        let html = report.html(&["<i>missing</i>: no such file".to_owned()]);
        // Only the page's own two script elements open and close.
        assert_eq!(html.matches("<script").count(), 2, "{html}");
        assert_eq!(html.matches("</script").count(), 2);
        assert!(!html.contains("<!--"));
        assert!(!html.contains("<b>&"));
        assert!(!html.contains("<i>missing"));
        assert!(html.contains("dir/&lt;b&gt;&amp;&quot;x&#39;.txt"));
        assert!(html.contains("&lt;i&gt;missing&lt;/i&gt;"));
        assert!(html.contains("Join a word split &lt;after&gt; a ligature"));
        // The layout edit is counted, not listed.
        assert_eq!(
            (report.total.total(), report.listed, report.hidden),
            (2, 1, 1)
        );
        // The data parses back to the text.
        let start = html.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        let file = &data["files"][0];
        assert_eq!(file[0], "dir/<b>&\"x'.txt");
        assert_eq!(file[1], 1);
        assert_eq!(file[2][0][4], "</script><!--fle");
        assert_eq!(file[2][0][6], "</script><script>alert(1)</script>");
        // Invisible characters are shown.
        assert_eq!(file[2][0][7], " <!-- & ⟨U+2028⟩");
    }

    #[test]
    fn all_lists_layout_edits() {
        let mut report = Report::new(rules(), true);
        report.add(FileData::from_records(
            "a.txt".to_owned(),
            "fr".to_owned(),
            "UTF-8",
            vec![record("reflow", true, "\n", " ")],
            true,
        ));
        assert_eq!((report.listed, report.hidden), (1, 0));
        let json = report.data_json();
        assert!(json.contains("\"⏎\""), "{json}");
    }

    #[test]
    fn fill_replaces_keys_once() {
        assert_eq!(
            fill("a {{X}} b {{Y}} {{Z}} {{", &[("X", "{{Y}}"), ("Y", "y")]),
            "a {{Y}} b y {{Z}} {{"
        );
    }

    #[test]
    fn assets_cannot_break_the_page() {
        for asset in [CSS, JS] {
            assert!(!asset.to_ascii_lowercase().contains("</script"));
            assert!(!asset.to_ascii_lowercase().contains("</style"));
            assert!(!asset.contains("<!--"));
        }
        // Every key of the template is filled.
        for key in [
            "TITLE",
            "VERSION",
            "CSS",
            "LEAD",
            "ERRORS",
            "LAYOUT_NOTE",
            "RULE_TABLE",
            "FILE_TABLE",
            "DATA",
            "JS",
        ] {
            assert!(TEMPLATE.contains(&format!("{{{{{key}}}}}")), "{key}");
        }
    }

    #[test]
    fn thousands_are_separated() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (405_000, "405,000"),
        ];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn percent_encoding_for_hash_links() {
        assert_eq!(percent_encode("a b+c/é&.txt"), "a%20b%2Bc/%C3%A9%26.txt");
    }
}

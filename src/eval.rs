//! Quality against gold: word and character error rates, fixed and broken tokens, break
//! accuracy, and whether each edit moved the text toward the gold.
//!
//! Tokens are whitespace-separated words. Alignment is a word-level Levenshtein alignment,
//! computed between the anchors a Myers diff finds (equal runs), so long texts cost about
//! their length, not its square. Character errors are the character-level Levenshtein
//! distance between the unaligned stretches (tokens joined by single spaces), so a token split
//! or joined by a space costs one character.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp};

use crate::AppliedEdit;

/// The kind of white space between two tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Break {
    /// Spaces or tabs within a line.
    Space,
    /// One line break.
    Line,
    /// A blank line (or more), or a page break.
    Paragraph,
}

/// A token and the white space that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The break after it (`None` after the last token).
    pub next: Option<Break>,
}

/// The whitespace-separated tokens of a text.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut start = None;
    let mut gap_newlines = 0;
    let mut gap_blank = false;
    let mut line_has_text = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Token {
                    text: &text[s..i],
                    range: s..i,
                    next: None,
                });
                gap_newlines = 0;
                gap_blank = false;
            }
            if c == '\n' || c == '\u{c}' {
                if c == '\u{c}' || (gap_newlines > 0 && !line_has_text) {
                    gap_blank = true;
                }
                gap_newlines += 1;
                line_has_text = false;
            }
        } else {
            if start.is_none() {
                if let Some(last) = out.last_mut() {
                    last.next = Some(if gap_blank {
                        Break::Paragraph
                    } else if gap_newlines > 0 {
                        Break::Line
                    } else {
                        Break::Space
                    });
                }
                start = Some(i);
            }
            line_has_text = true;
        }
    }
    if let Some(s) = start {
        out.push(Token {
            text: &text[s..],
            range: s..text.len(),
            next: None,
        });
    }
    out
}

/// One step of an alignment of a reference (gold) with a hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Reference token `.0` equals hypothesis token `.1`.
    Match(usize, usize),
    /// Reference token `.0` was replaced by hypothesis token `.1`.
    Sub(usize, usize),
    /// Reference token `.0` is missing from the hypothesis.
    Del(usize),
    /// Hypothesis token `.0` is not in the reference.
    Ins(usize),
}

/// Cells above which a stretch between anchors is aligned greedily instead of by dynamic
/// programming (an upper bound on its distance; only texts that share almost nothing get
/// there).
const MAX_CELLS: usize = 4_000_000;

/// A word-level Levenshtein alignment of `reference` with `hypothesis`.
pub fn align(reference: &[&str], hypothesis: &[&str]) -> Vec<Op> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let diff = similar::capture_diff_deadline(
        Algorithm::Myers,
        reference,
        0..reference.len(),
        hypothesis,
        0..hypothesis.len(),
        Some(deadline),
    );
    let mut ops = Vec::with_capacity(reference.len().max(hypothesis.len()));
    // Merge consecutive non-equal diff ops into one stretch, then align it exactly.
    let mut pending: Option<(Range<usize>, Range<usize>)> = None;
    let flush = |pending: &mut Option<(Range<usize>, Range<usize>)>, ops: &mut Vec<Op>| {
        if let Some((r, h)) = pending.take() {
            levenshtein_ops(reference, hypothesis, r, h, ops);
        }
    };
    for op in diff {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                flush(&mut pending, &mut ops);
                ops.extend((0..len).map(|k| Op::Match(old_index + k, new_index + k)));
            }
            other => {
                let (_, r, h) = other.as_tag_tuple();
                pending = Some(match pending.take() {
                    Some((pr, ph)) => (pr.start..r.end, ph.start..h.end),
                    None => (r, h),
                });
            }
        }
    }
    flush(&mut pending, &mut ops);
    ops
}

/// Exact Levenshtein alignment of one stretch, appended to `ops`.
fn levenshtein_ops(
    reference: &[&str],
    hypothesis: &[&str],
    r: Range<usize>,
    h: Range<usize>,
    ops: &mut Vec<Op>,
) {
    let (n, m) = (r.len(), h.len());
    if n == 0 || m == 0 || (n + 1) * (m + 1) > MAX_CELLS {
        // Greedy: substitute pairwise, then delete or insert the rest.
        let k = n.min(m);
        for i in 0..k {
            let (a, b) = (r.start + i, h.start + i);
            ops.push(if reference[a] == hypothesis[b] {
                Op::Match(a, b)
            } else {
                Op::Sub(a, b)
            });
        }
        ops.extend((r.start + k..r.end).map(Op::Del));
        ops.extend((h.start + k..h.end).map(Op::Ins));
        return;
    }
    let w = m + 1;
    let mut d = vec![0u32; (n + 1) * w];
    for i in 0..=n {
        d[i * w] = i as u32;
    }
    for (j, cell) in d.iter_mut().take(m + 1).enumerate() {
        *cell = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = u32::from(reference[r.start + i - 1] != hypothesis[h.start + j - 1]);
            d[i * w + j] = (d[(i - 1) * w + j - 1] + cost)
                .min(d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1);
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (a, b) = (r.start + i.saturating_sub(1), h.start + j.saturating_sub(1));
        if i > 0 && j > 0 {
            let cost = u32::from(reference[a] != hypothesis[b]);
            if d[i * w + j] == d[(i - 1) * w + j - 1] + cost {
                out.push(if cost == 0 {
                    Op::Match(a, b)
                } else {
                    Op::Sub(a, b)
                });
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if i > 0 && d[i * w + j] == d[(i - 1) * w + j] + 1 {
            out.push(Op::Del(a));
            i -= 1;
        } else {
            out.push(Op::Ins(b));
            j -= 1;
        }
    }
    out.reverse();
    ops.extend(out);
}

/// Character-level Levenshtein distance (bounded work: beyond [`MAX_CELLS`], the longer
/// length, an upper bound).
pub fn char_distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() || (a.len() + 1) * (b.len() + 1) > MAX_CELLS {
        return a.len().max(b.len());
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How a hypothesis compares with the gold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Errors {
    /// Word errors (substitutions + deletions + insertions).
    pub words: usize,
    /// Character errors.
    pub chars: usize,
    /// Adjacent gold token pairs whose break could be compared (both aligned, adjacent).
    pub breaks_compared: usize,
    /// ... and whose break is of the same kind as the gold's.
    pub breaks_same: usize,
}

/// A hypothesis aligned with the gold.
struct Aligned {
    errors: Errors,
    /// For each gold token, whether the hypothesis has it (aligned as equal).
    has: Vec<bool>,
    /// For each hypothesis token, the gold token it equals, if any.
    to_gold: Vec<Option<usize>>,
}

fn compare(gold: &[Token<'_>], hyp: &[Token<'_>]) -> Aligned {
    let g: Vec<&str> = gold.iter().map(|t| t.text).collect();
    let h: Vec<&str> = hyp.iter().map(|t| t.text).collect();
    let ops = align(&g, &h);
    let mut errors = Errors::default();
    let mut has = vec![false; g.len()];
    let mut to_gold = vec![None; h.len()];
    // Stretches between matches, for character errors.
    let (mut sg, mut sh): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let stretch = |sg: &mut Vec<&str>, sh: &mut Vec<&str>| -> usize {
        if sg.is_empty() && sh.is_empty() {
            return 0;
        }
        let join = |v: &[&str]| {
            if v.is_empty() {
                " ".to_owned()
            } else {
                format!(" {} ", v.join(" "))
            }
        };
        let d = char_distance(&join(sg), &join(sh));
        sg.clear();
        sh.clear();
        d
    };
    for op in &ops {
        match *op {
            Op::Match(i, j) => {
                errors.chars += stretch(&mut sg, &mut sh);
                has[i] = true;
                to_gold[j] = Some(i);
            }
            Op::Sub(i, j) => {
                errors.words += 1;
                sg.push(g[i]);
                sh.push(h[j]);
            }
            Op::Del(i) => {
                errors.words += 1;
                sg.push(g[i]);
            }
            Op::Ins(j) => {
                errors.words += 1;
                sh.push(h[j]);
            }
        }
    }
    errors.chars += stretch(&mut sg, &mut sh);
    // Breaks: adjacent gold pairs that are adjacent, aligned pairs in the hypothesis.
    for (j, pair) in to_gold.windows(2).enumerate() {
        if let [Some(a), Some(b)] = *pair
            && b == a + 1
        {
            errors.breaks_compared += 1;
            if gold[a].next == hyp[j].next {
                errors.breaks_same += 1;
            }
        }
    }
    Aligned {
        errors,
        has,
        to_gold,
    }
}

/// The figures for one file (or, summed, for many).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub gold_tokens: usize,
    pub gold_chars: usize,
    pub raw: Errors,
    pub out: Errors,
    /// Gold tokens the raw text missed and the output has.
    pub fixed: usize,
    /// Gold tokens the raw text had and the output lost.
    pub broken: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.gold_tokens += o.gold_tokens;
        self.gold_chars += o.gold_chars;
        for (a, b) in [(&mut self.raw, o.raw), (&mut self.out, o.out)] {
            a.words += b.words;
            a.chars += b.chars;
            a.breaks_compared += b.breaks_compared;
            a.breaks_same += b.breaks_same;
        }
        self.fixed += o.fixed;
        self.broken += o.broken;
    }
}

/// Rates derived from [`Counts`], as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub gold_tokens: usize,
    pub raw_wer: f64,
    pub out_wer: f64,
    pub fixed: usize,
    pub broken: usize,
    pub raw_cer: f64,
    pub out_cer: f64,
    pub raw_break_accuracy: f64,
    pub out_break_accuracy: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl Counts {
    pub fn rates(&self) -> Rates {
        let acc = |e: &Errors| {
            if e.breaks_compared == 0 {
                1.0
            } else {
                ratio(e.breaks_same, e.breaks_compared)
            }
        };
        Rates {
            gold_tokens: self.gold_tokens,
            raw_wer: ratio(self.raw.words, self.gold_tokens),
            out_wer: ratio(self.out.words, self.gold_tokens),
            fixed: self.fixed,
            broken: self.broken,
            raw_cer: ratio(self.raw.chars, self.gold_chars),
            out_cer: ratio(self.out.chars, self.gold_chars),
            raw_break_accuracy: acc(&self.raw),
            out_break_accuracy: acc(&self.out),
        }
    }
}

/// Whether an edit moved the text toward the gold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Toward,
    Away,
    /// No change in word or character distance (layout-only edits, mostly), or an edit that
    /// rewrote an earlier one and cannot be judged alone.
    Neutral,
}

/// Per-rule tallies of verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTally {
    pub edits: usize,
    pub toward: usize,
    pub away: usize,
    pub neutral: usize,
}

impl RuleTally {
    /// toward / (toward + away), or `None` when no edit moved the text either way.
    pub fn precision(&self) -> Option<f64> {
        let judged = self.toward + self.away;
        (judged > 0).then(|| ratio(self.toward, judged))
    }

    pub fn add(&mut self, verdict: Verdict) {
        self.edits += 1;
        match verdict {
            Verdict::Toward => self.toward += 1,
            Verdict::Away => self.away += 1,
            Verdict::Neutral => self.neutral += 1,
        }
    }

    pub fn merge(&mut self, o: &RuleTally) {
        self.edits += o.edits;
        self.toward += o.toward;
        self.away += o.away;
        self.neutral += o.neutral;
    }
}

/// The evaluation of one document.
#[derive(Debug, Clone, Default)]
pub struct FileEval {
    pub counts: Counts,
    pub rules: BTreeMap<&'static str, RuleTally>,
}

/// Evaluate one document: the raw text, the pipeline's output and its edits, against the gold.
pub fn evaluate(raw: &str, output: &str, edits: &[AppliedEdit], gold: &str) -> FileEval {
    let g = tokens(gold);
    let r = tokens(raw);
    let o = tokens(output);
    let raw_aligned = compare(&g, &r);
    let out_aligned = compare(&g, &o);
    let mut counts = Counts {
        gold_tokens: g.len(),
        gold_chars: g.iter().map(|t| t.text.chars().count()).sum::<usize>()
            + g.len().saturating_sub(1),
        raw: raw_aligned.errors,
        out: out_aligned.errors,
        ..Counts::default()
    };
    for (had, has) in raw_aligned.has.iter().zip(&out_aligned.has) {
        match (had, has) {
            (false, true) => counts.fixed += 1,
            (true, false) => counts.broken += 1,
            _ => {}
        }
    }
    let mut rules: BTreeMap<&'static str, RuleTally> = BTreeMap::new();
    for edit in edits {
        let verdict = judge(raw, &r, &raw_aligned.to_gold, &g, edit);
        rules.entry(edit.rule).or_default().add(verdict);
    }
    FileEval { counts, rules }
}

/// Judge one edit alone: apply it to the raw text and compare a window around it, bounded by
/// tokens aligned with the gold on both sides, before and after.
fn judge(
    raw: &str,
    raw_tokens: &[Token<'_>],
    to_gold: &[Option<usize>],
    gold: &[Token<'_>],
    edit: &AppliedEdit,
) -> Verdict {
    if raw.get(edit.raw.clone()) != Some(edit.before.as_str()) {
        return Verdict::Neutral;
    }
    const CONTEXT: usize = 2;
    let first = raw_tokens.partition_point(|t| t.range.end < edit.raw.start);
    let last = raw_tokens.partition_point(|t| t.range.start <= edit.raw.end);
    // Widen to tokens aligned with the gold (anchors), with some context.
    let mut a = first.saturating_sub(CONTEXT);
    while a > 0 && to_gold[a].is_none() {
        a -= 1;
    }
    let mut b = (last + CONTEXT).min(raw_tokens.len());
    while b < raw_tokens.len() && to_gold[b].is_none() {
        b += 1;
    }
    // Raw window: tokens a..=b (b may be past the end); gold window: between their anchors.
    let (ga, wa) = match to_gold.get(a).copied().flatten() {
        Some(g) => (g, raw_tokens[a].range.start),
        None => (0, 0),
    };
    let (gb, wb) = match to_gold.get(b).copied().flatten() {
        Some(g) => (g + 1, raw_tokens[b].range.end),
        None => (gold.len(), raw.len()),
    };
    let wa = wa.min(edit.raw.start);
    let wb = wb.max(edit.raw.end);
    let before = &raw[wa..wb];
    let after = format!(
        "{}{}{}",
        &raw[wa..edit.raw.start],
        edit.after,
        &raw[edit.raw.end..wb]
    );
    let gold_words: Vec<&str> = gold[ga.min(gb)..gb].iter().map(|t| t.text).collect();
    let wb_: Vec<&str> = before.split_whitespace().collect();
    let wa_: Vec<&str> = after.split_whitespace().collect();
    let d0 = distance(&gold_words, &wb_);
    let d1 = distance(&gold_words, &wa_);
    if d1 != d0 {
        return if d1 < d0 {
            Verdict::Toward
        } else {
            Verdict::Away
        };
    }
    let g = gold_words.join(" ");
    let c0 = char_distance(&g, &wb_.join(" "));
    let c1 = char_distance(&g, &wa_.join(" "));
    match c1.cmp(&c0) {
        std::cmp::Ordering::Less => Verdict::Toward,
        std::cmp::Ordering::Greater => Verdict::Away,
        std::cmp::Ordering::Equal => Verdict::Neutral,
    }
}

/// Word-level Levenshtein distance.
fn distance(a: &[&str], b: &[&str]) -> usize {
    align(a, b)
        .iter()
        .filter(|op| !matches!(op, Op::Match(..)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn tokens_and_breaks() {
        let t = tokens("a b\nc\n\nd\u{c}e \n  \nf");
        let got: Vec<(&str, Option<Break>)> = t.iter().map(|t| (t.text, t.next)).collect();
        assert_eq!(
            got,
            vec![
                ("a", Some(Break::Space)),
                ("b", Some(Break::Line)),
                ("c", Some(Break::Paragraph)),
                ("d", Some(Break::Paragraph)),
                ("e", Some(Break::Paragraph)),
                ("f", None),
            ]
        );
    }

    #[test]
    fn alignment_is_levenshtein() {
        let ops = align(&words("a b c d"), &words("a x c d e"));
        assert_eq!(
            ops,
            vec![
                Op::Match(0, 0),
                Op::Sub(1, 1),
                Op::Match(2, 2),
                Op::Match(3, 3),
                Op::Ins(4)
            ]
        );
        assert_eq!(distance(&words("kitten sat"), &words("sitting sat")), 1);
        assert_eq!(char_distance("kitten", "sitting"), 3);
    }
}

/// The accepted figures for a corpus, and how much worse a run may be before the gate fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// What the figures were measured on (free text).
    #[serde(default)]
    pub corpus: String,
    pub total: Rates,
    #[serde(default)]
    pub tolerance: Tolerance,
}

/// How much worse than the baseline a run may be.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    /// Output WER may rise by this much (absolute).
    pub wer: f64,
    /// Output CER may rise by this much (absolute).
    pub cer: f64,
    /// `fixed` may drop by this fraction of the gold tokens (at least one token).
    pub fixed: f64,
    /// `broken` may rise by this many tokens: none by default, since a false correction is
    /// worse than a missed one.
    pub broken: usize,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            wer: 0.0005,
            cer: 0.0005,
            fixed: 0.0005,
            broken: 0,
        }
    }
}

/// One way a run is worse than the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression(pub String);

impl std::fmt::Display for Regression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Baseline {
    /// Compare a run's totals with the baseline: the regressions beyond tolerance, and the
    /// improvements beyond it (which call for recording a new baseline).
    pub fn check(&self, now: &Rates) -> (Vec<Regression>, Vec<String>) {
        let base = &self.total;
        let tol = &self.tolerance;
        let token_slack = ((base.gold_tokens as f64 * tol.fixed).ceil() as usize).max(1);
        let mut worse = Vec::new();
        let mut better = Vec::new();
        if now.gold_tokens != base.gold_tokens {
            worse.push(Regression(format!(
                "the corpus changed: {} gold tokens, the baseline has {}; review and run with \
                 --update-baseline",
                now.gold_tokens, base.gold_tokens
            )));
        }
        let rate = |name: &str,
                    was: f64,
                    is: f64,
                    slack: f64,
                    worse: &mut Vec<Regression>,
                    better: &mut Vec<String>| {
            if is > was + slack {
                worse.push(Regression(format!(
                    "{name} up: {was:.4} -> {is:.4} (tolerance +{slack:.4})"
                )));
            } else if is < was - slack {
                better.push(format!("{name} down: {was:.4} -> {is:.4}"));
            }
        };
        rate(
            "output WER",
            base.out_wer,
            now.out_wer,
            tol.wer,
            &mut worse,
            &mut better,
        );
        rate(
            "output CER",
            base.out_cer,
            now.out_cer,
            tol.cer,
            &mut worse,
            &mut better,
        );
        if now.fixed + token_slack < base.fixed {
            worse.push(Regression(format!(
                "fixed down: {} -> {} (tolerance -{token_slack})",
                base.fixed, now.fixed
            )));
        } else if now.fixed > base.fixed + token_slack {
            better.push(format!("fixed up: {} -> {}", base.fixed, now.fixed));
        }
        if now.broken > base.broken + tol.broken {
            worse.push(Regression(format!(
                "broken up: {} -> {} (tolerance +{})",
                base.broken, now.broken, tol.broken
            )));
        } else if now.broken < base.broken {
            better.push(format!("broken down: {} -> {}", base.broken, now.broken));
        }
        (worse, better)
    }
}

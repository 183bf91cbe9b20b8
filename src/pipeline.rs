//! The pipeline: passes in a fixed order, their edits applied with provenance.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::edit::{AppliedEdit, Edit, SkipReason, SkippedEdit};
use crate::exceptions::Exceptions;
use crate::language::{self, LangSetting};
use crate::passes::boilerplate::BoilerplateTable;
use crate::passes::confusion::ConfusionTable;
use crate::passes::{PASSES, Pass};
use crate::settings::{Decision, Settings};
use crate::sourcemap::SourceMap;
use crate::{CorpusStats, Document, Lang, Lexicon, Rule};

/// What a pass knows besides the text it is given.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub document: &'a Document,
    /// The document's language: forced by the settings, or detected.
    pub lang: Lang,
    pub lexicon: &'a Lexicon,
    /// Word-form counts over the whole batch, when the caller computed them.
    pub corpus: Option<&'a CorpusStats>,
    /// What earlier passes did to the text this pass sees.
    pub history: History<'a>,
    /// The confusion rules in force.
    pub confusions: &'a ConfusionTable,
    /// The boilerplate rules in force.
    pub boilerplate: &'a BoilerplateTable,
    /// The settings in force.
    pub settings: &'a Settings,
}

/// The edits applied so far, located in the current text.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    map: Option<&'a SourceMap>,
    edits: &'a [AppliedEdit],
    /// Where the text the pass is given starts in the current text (a piece of a long text
    /// cleaned in parallel; 0 for the whole text): added to the ranges asked about.
    offset: usize,
}

impl<'a> History<'a> {
    /// The earlier edit whose output holds `range` of the current text, if any: for example
    /// the `soft-hyphen-break` edit that produced a hyphen.
    pub fn produced_by(&self, range: std::ops::Range<usize>) -> Option<&'a AppliedEdit> {
        let range = range.start + self.offset..range.end + self.offset;
        let i = self.map?.origin(&range)?;
        self.edits.get(i)
    }
}

impl Context<'_> {
    /// How often `word` occurs in the batch (0 when no corpus statistics were computed).
    pub fn corpus_count(&self, word: &str) -> u32 {
        self.corpus.map_or(0, |c| c.count(word))
    }
}

/// A fixed sequence of passes, with the resources they decide from.
#[derive(Clone)]
pub struct Pipeline {
    passes: Vec<&'static dyn Pass>,
    lexicon: Arc<Lexicon>,
    settings: Arc<Settings>,
    confusions: Arc<ConfusionTable>,
    boilerplate: Arc<BoilerplateTable>,
    corpus: Option<Arc<CorpusStats>>,
    exceptions: Arc<Exceptions>,
    /// Texts at least this long have their local passes run on pieces in parallel.
    parallel_from: usize,
    /// The size of those pieces (at least; they end at a paragraph boundary).
    piece_size: usize,
    /// Applied edits keep no text (see [`Pipeline::lean`]).
    lean: bool,
    /// Texts at least this long are cleaned in sections (0: never).
    section_from: usize,
    /// The size of those sections (at least; they end at a paragraph boundary).
    section_size: usize,
}

/// Texts from 8 MB up are cleaned in sections.
pub(crate) const SECTION_FROM: usize = 8 << 20;
/// Sections of about 4 MB.
pub(crate) const SECTION_SIZE: usize = 4 << 20;
/// How long a thread cleaning sections waits at most for the joining to catch up.
const WINDOW_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

/// Texts from 1 MB up are cut into pieces for the local passes.
pub(crate) const PARALLEL_FROM: usize = 1 << 20;
/// Pieces of about 256 KB: enough work per task, and many tasks per thread.
pub(crate) const PIECE_SIZE: usize = 256 << 10;

/// Where a text may be cut into pieces that local passes treat alone: the byte offsets just
/// after a blank line (`"\n\n"`) that follows the end of a sentence (`.`, `!`, `?`, or a closing
/// quote or bracket) and precedes a capital letter or a digit, the first one at or after each
/// multiple of `size`. No repair joins across such a boundary: a word hyphenated or split
/// there would not end a sentence, and a sentence broken by a page would not go on in
/// capitals.
pub fn pieces(text: &str, size: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = size.max(1);
    while from < bytes.len() {
        let Some(p) = (from..bytes.len()).find(|&p| boundary(text, p)) else {
            break;
        };
        out.push(start..p);
        start = p;
        from = p + size.max(1);
    }
    out.push(start..bytes.len());
    out
}

/// The text of section `k` of `sections` ([`pieces`]): the section without the second line
/// feed of the blank line it is cut at (the line feed between two sections is neither's).
fn section_text(sections: &[Range<usize>], k: usize) -> Range<usize> {
    let r = &sections[k];
    if k + 1 < sections.len() {
        r.start..r.end - 1
    } else {
        r.clone()
    }
}

fn boundary(text: &str, p: usize) -> bool {
    let bytes = text.as_bytes();
    p >= 3
        && bytes[p - 1] == b'\n'
        && bytes[p - 2] == b'\n'
        && text.is_char_boundary(p)
        && text[p..].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        && text[..p - 2].ends_with(['.', '!', '?', '»', '”', '"', ')', ']'])
}

impl Default for Pipeline {
    /// Every built-in pass, in the documented order, with the embedded resources and the
    /// embedded settings (language detection).
    fn default() -> Self {
        Pipeline::new(Lexicon::default(), Settings::embedded())
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field(
                "passes",
                &self.passes.iter().map(|p| p.id()).collect::<Vec<_>>(),
            )
            .field("settings", &self.settings)
            .field("corpus", &self.corpus.is_some())
            .finish()
    }
}

/// The result of running a document through the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The cleaned text.
    pub text: String,
    /// Every edit applied, in the order applied (by pass, then by position).
    pub edits: Vec<AppliedEdit>,
    /// Edits that were proposed but not applied (see [`SkipReason`]).
    pub skipped: Vec<SkippedEdit>,
    /// The language the document was cleaned as.
    pub lang: Lang,
    /// The map from the cleaned text back to the raw text.
    map: SourceMap,
    /// Counts of applied edits per rule that are no longer in `edits` (a lean run's).
    folded: BTreeMap<&'static str, usize>,
    /// What language detection read ([`language::sample`]) and counted, when the language
    /// was detected.
    sample: Option<language::Sampled>,
}

impl Outcome {
    /// Number of applied edits per rule id.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = self.folded.clone();
        for e in &self.edits {
            *counts.entry(e.rule).or_default() += 1;
        }
        counts
    }

    /// Keep the applied edits as counts only, and drop the map (a lean run's outcome).
    fn fold(&mut self) {
        for e in self.edits.drain(..) {
            *self.folded.entry(e.rule).or_default() += 1;
        }
        self.edits = Vec::new();
        self.map = SourceMap::empty();
    }

    /// The raw byte range behind `range` of the cleaned text, widened to whole edit outputs:
    /// where an edit's output is touched, its whole raw input is included.
    pub fn raw_range(&self, range: Range<usize>) -> Range<usize> {
        self.map.raw_range(&range)
    }

    /// Number of skipped edits per rule id.
    pub fn skipped_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for e in &self.skipped {
            *counts.entry(e.rule).or_default() += 1;
        }
        counts
    }
}

impl Pipeline {
    /// Every built-in pass, with these resources and settings.
    pub fn new(lexicon: Lexicon, settings: Settings) -> Self {
        Pipeline {
            passes: PASSES.to_vec(),
            lexicon: Arc::new(lexicon),
            settings: Arc::new(settings),
            confusions: ConfusionTable::embedded(),
            boilerplate: BoilerplateTable::embedded(),
            corpus: None,
            exceptions: Arc::default(),
            parallel_from: PARALLEL_FROM,
            piece_size: PIECE_SIZE,
            lean: false,
            section_from: SECTION_FROM,
            section_size: SECTION_SIZE,
        }
    }

    /// Keep only the counts of the applied edits ([`Outcome::counts`]; [`Outcome::edits`]
    /// is left empty) and no map to the raw text ([`Outcome::raw_range`] is not to be
    /// asked): for a caller that only counts them, such as a batch `clean`, so that a long
    /// document's edits do not cost more memory than the document.
    pub fn lean(mut self, lean: bool) -> Self {
        self.lean = lean;
        self
    }

    /// Run local passes on pieces of `size` bytes (at least) of texts of `from` bytes or more,
    /// in parallel. The result is the same for any sizes: this is for tests and benchmarks.
    pub fn with_pieces(mut self, from: usize, size: usize) -> Self {
        self.parallel_from = from;
        self.piece_size = size;
        self
    }

    /// Clean texts of `from` bytes or more in sections of `size` bytes (at least; 0 for
    /// `from`: never), as [`Pipeline::run`] says: for tests and benchmarks.
    pub fn with_sections(mut self, from: usize, size: usize) -> Self {
        self.section_from = from;
        self.section_size = size;
        self
    }

    /// Do not make the edits these exceptions reject (a reviewer's "no").
    pub fn with_exceptions(mut self, exceptions: Exceptions) -> Self {
        self.exceptions = Arc::new(exceptions);
        self
    }

    /// The exceptions in force.
    pub fn exceptions(&self) -> &Exceptions {
        &self.exceptions
    }

    /// Use this table of boilerplate rules (the embedded one with a user's layered on top).
    pub fn with_boilerplate(mut self, table: BoilerplateTable) -> Self {
        self.boilerplate = Arc::new(table);
        self
    }

    /// The boilerplate rules in force.
    pub fn boilerplate(&self) -> &BoilerplateTable {
        &self.boilerplate
    }

    /// Use this table of confusion rules (the embedded one with a user's layered on top).
    pub fn with_confusions(mut self, table: ConfusionTable) -> Self {
        self.confusions = Arc::new(table);
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The same resources with other passes, in the given order.
    pub fn with_passes(mut self, passes: Vec<&'static dyn Pass>) -> Self {
        self.passes = passes;
        self
    }

    /// Give the passes word-form counts over the whole batch.
    pub fn with_corpus(mut self, corpus: Arc<CorpusStats>) -> Self {
        self.corpus = Some(corpus);
        self
    }

    /// Whether any pass uses corpus statistics, so the caller knows whether to count them.
    pub fn needs_corpus(&self) -> bool {
        self.passes.iter().any(|p| p.uses_corpus())
    }

    /// The resources the passes use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The language `document` is cleaned as: the one the settings force, else the
    /// document's own if known, else the detected one.
    pub fn language_of(&self, document: &Document) -> Lang {
        match self.settings.lang {
            LangSetting::Fr => Lang::Fr,
            LangSetting::En => Lang::En,
            LangSetting::Auto if document.lang != Lang::Unknown => document.lang,
            LangSetting::Auto => language::detect(&document.text),
        }
    }

    /// The passes, in order.
    pub fn passes(&self) -> impl Iterator<Item = &'static dyn Pass> + '_ {
        self.passes.iter().copied()
    }

    /// The rules the passes of this pipeline can apply, with the confusion table's.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        crate::passes::decode::RULES
            .iter()
            .chain(self.passes.iter().flat_map(|p| p.rules().iter()))
            .chain(self.boilerplate.registry())
            .chain(self.confusions.registry())
    }

    /// The confusion rules in force.
    pub fn confusions(&self) -> &ConfusionTable {
        &self.confusions
    }

    /// Run every pass over the document.
    ///
    /// Each pass sees the text left by the passes before it, so an earlier pass's edits always
    /// stand: a later pass can only build on them. Its edits are sorted by position; when two
    /// of them overlap, the first (by start, then by end) wins and the other is kept in
    /// [`Outcome::skipped`]. An edit that would cut through the output of an earlier edit
    /// (overlap it without covering it whole) is first widened to cover that output, so every
    /// edit maps back to whole ranges of the raw text.
    ///
    /// A pass that depends on the language runs only on French and English documents, and
    /// its edits inside passages in another language ([`language::foreign_spans`]) are
    /// skipped.
    ///
    /// A text of 8 MB or more is cleaned as sections of about 4 MB ([`pieces`]: cut at a
    /// blank line between a sentence end and a capital or a digit), each as a document of its
    /// own in the language of the first, several at a time: so a long text takes every core
    /// and a bounded amount of memory. Decisions made from the whole document (page
    /// furniture, the wrap width) are then made from its section; a section of 4 MB has
    /// hundreds of pages to decide from.
    pub fn run(&self, document: &Document) -> Outcome {
        let sections = if self.section_from > 0 && document.text.len() >= self.section_from {
            pieces(&document.text, self.section_size)
        } else {
            Vec::new()
        };
        if sections.len() <= 1 {
            let mut outcome = self.run_checked(document, None);
            if self.lean {
                outcome.fold();
            }
            return outcome;
        }
        self.run_in_sections(document, &sections)
    }

    /// [`Pipeline::run`] on the sections of a long document. The first decides the language;
    /// the others are cleaned in the language detection reads at its start, all of them taken
    /// in order as many at a time as there are threads, and joined in order as soon as they
    /// and those before them are done (no thread waits for a whole group to finish). When the
    /// first section, once cleaned, is in another language than that guess (its cleaning can
    /// change what detection reads), the others are cleaned again in its language. Sections
    /// meet at a blank line, which stays as it is.
    fn run_in_sections(&self, document: &Document, sections: &[Range<usize>]) -> Outcome {
        let guess = self
            .given_lang(document, None)
            .unwrap_or_else(|| language::detect(&document.text[section_text(sections, 0)]));
        match self.sections_in_order(document, sections, guess) {
            Ok(out) => out,
            Err(lang) => self
                .sections_in_order(document, sections, lang)
                .unwrap_or_else(|_| unreachable!("the first section's language is settled")),
        }
    }

    /// The sections of `document` cleaned and joined, the first as a document of its own and
    /// the others in `lang`; or the first section's language, when it is not `lang`.
    fn sections_in_order(
        &self,
        document: &Document,
        sections: &[Range<usize>],
        lang: Lang,
    ) -> Result<Outcome, Lang> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Condvar, Mutex};
        let section = |k: usize| Document {
            name: document.name.clone(),
            text: document.text[section_text(sections, k)].to_owned(),
            lang: document.lang,
            decoding: crate::Decoding::default(),
        };
        struct Joining {
            out: Outcome,
            /// The next section to join.
            next: usize,
            /// Sections done, waiting for those before them.
            done: BTreeMap<usize, Outcome>,
            /// The first section's language, when it is not the one the others are cleaned in.
            other: Option<Lang>,
        }
        let joining = Mutex::new(Joining {
            out: Outcome {
                text: String::with_capacity(document.text.len() + 1),
                map: SourceMap::empty(),
                ..Outcome::default()
            },
            next: 0,
            done: BTreeMap::new(),
            other: None,
        });
        let joined = Condvar::new();
        let threads = rayon::current_num_threads().max(1);
        // Sections taken but not yet joined, at most: a bound on the memory held.
        let window = 2 * threads;
        let taken = AtomicUsize::new(0);
        let lock = || joining.lock().unwrap_or_else(|e| e.into_inner());
        rayon::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|_| {
                    loop {
                        let k = taken.fetch_add(1, Ordering::Relaxed);
                        if k >= sections.len() {
                            break;
                        }
                        // Far ahead of the joining, wait for it a while (a bound on the memory
                        // held); not forever: a thread must never wait on work beneath it.
                        let (j, _) = joined
                            .wait_timeout_while(lock(), WINDOW_WAIT, |j| {
                                k >= j.next + window && j.other.is_none()
                            })
                            .unwrap_or_else(|e| e.into_inner());
                        if j.other.is_some() {
                            break;
                        }
                        drop(j);
                        let part = self.run_checked(&section(k), (k > 0).then_some(lang));
                        let mut j = lock();
                        if k == 0 && part.lang != lang {
                            j.other = Some(part.lang);
                        }
                        j.done.insert(k, part);
                        while j.other.is_none() {
                            let next = j.next;
                            let Some(part) = j.done.remove(&next) else {
                                break;
                            };
                            if next == 0 {
                                j.out.lang = part.lang;
                            } else {
                                // The line feed between the sections, as it was.
                                let at = sections[next].start - 1;
                                j.out.text.push('\n');
                                if !self.lean {
                                    let cur = j.out.text.len() - 1;
                                    j.out.map.push_copy(cur, at, 1);
                                }
                            }
                            self.join(&mut j.out, part, sections[next].start);
                            j.next += 1;
                        }
                        joined.notify_all();
                    }
                });
            }
        });
        let j = joining.into_inner().unwrap_or_else(|e| e.into_inner());
        match j.other {
            Some(other) => Err(other),
            None => Ok(j.out),
        }
    }

    /// Append the outcome of a section that starts at `raw_start` of the document.
    fn join(&self, out: &mut Outcome, mut part: Outcome, raw_start: usize) {
        let cur_start = out.text.len();
        let edits_before = out.edits.len();
        out.text.push_str(&part.text);
        for e in &mut part.edits {
            e.raw = e.raw.start + raw_start..e.raw.end + raw_start;
        }
        for e in &mut part.skipped {
            e.raw = e.raw.start + raw_start..e.raw.end + raw_start;
        }
        if self.lean {
            part.fold();
        } else {
            out.map.append(
                std::mem::take(&mut part.map),
                cur_start,
                raw_start,
                edits_before,
            );
        }
        out.edits.append(&mut part.edits);
        out.skipped.append(&mut part.skipped);
        for (rule, n) in part.folded {
            *out.folded.entry(rule).or_default() += n;
        }
    }

    /// The language `lang` given, or the one the settings force or the document knows; `None`
    /// when it is to be detected.
    fn given_lang(&self, document: &Document, lang: Option<Lang>) -> Option<Lang> {
        lang.or(match self.settings.lang {
            LangSetting::Fr => Some(Lang::Fr),
            LangSetting::En => Some(Lang::En),
            LangSetting::Auto if document.lang != Lang::Unknown => Some(document.lang),
            LangSetting::Auto => None,
        })
    }

    /// What a pass is given to run on `document` in `lang`, after the edits `edits` (located
    /// by `map`).
    fn context<'a>(
        &'a self,
        document: &'a Document,
        lang: Lang,
        map: Option<&'a SourceMap>,
        edits: &'a [AppliedEdit],
    ) -> Context<'a> {
        Context {
            document,
            lang,
            lexicon: &self.lexicon,
            corpus: self.corpus.as_deref(),
            history: History {
                map,
                edits,
                offset: 0,
            },
            confusions: &self.confusions,
            boilerplate: &self.boilerplate,
            settings: &self.settings,
        }
    }

    /// [`Pipeline::run_settled`], then, where the passes that remove or join whole lines (page
    /// furniture, page breaks to join, boilerplate, reflow) would find something to do in its
    /// output, a second cleaning of that output, the two composed into one outcome. Those passes
    /// decide from counts (repeats, letters between them) and line shapes that cleaning
    /// changes, and a second cleaning must leave the output as it is; the check costs those
    /// passes over the output, the second cleaning only the documents that need it.
    fn run_checked(&self, document: &Document, lang: Option<Lang>) -> Outcome {
        let mut first = self.run_settled(document, lang);
        // The output, lent to the check (no copy of a long text).
        let cleaned = Document {
            name: document.name.clone(),
            text: std::mem::take(&mut first.text),
            lang: first.lang,
            decoding: crate::Decoding::default(),
        };
        let ctx = self.context(&cleaned, first.lang, None, &[]);
        let settled = self
            .passes
            .iter()
            .filter(|p| match p.id() {
                "page" | "boilerplate" => true,
                // Re-wrapped output (`--width`) has its lines wrapped on purpose.
                "reflow" => self.settings.width.is_none_or(|w| w == 0),
                _ => false,
            })
            .all(|p| p.run(&cleaned.text, &ctx).is_empty());
        if settled {
            first.text = cleaned.text;
            return first;
        }
        // Settled like the first: an edit left out for a foreign passage that the second
        // cleaning changed (lines it removed) is made if the passage no longer reads as
        // foreign, as a third cleaning would make it.
        let second = self.run_settled(&cleaned, Some(first.lang));
        let out = compose(first, second);
        #[cfg(test)]
        if let Err(e) = out.map.verify(&out.text, &document.text) {
            panic!("composed source map broken: {e}");
        }
        out
    }

    /// [`Pipeline::run_known`], then again where a second cleaning of its output would decide
    /// otherwise than this one did, so that cleaning the output changes nothing:
    /// - where the language was detected, it is detected again on the output; when the
    ///   output reads as another language (whatlang's confidence can cross its threshold
    ///   once the text is cleaned), the document is cleaned as that language, if its output
    ///   reads as that language too, or as one without resources (a second cleaning then
    ///   makes only the language-neutral repairs);
    /// - an edit left out for being in a foreign passage, where the passage no longer reads as
    ///   foreign in the output (its neighbours were cleaned), is made.
    ///
    /// Each costs a second run only on the documents where it happens.
    fn run_settled(&self, document: &Document, lang: Option<Lang>) -> Outcome {
        let mut out = self.run_known(document, lang, &[]);
        if self.given_lang(document, lang).is_none() {
            // The output's language: the one detected when detection reads the same words
            // in it; else detected again, its words counted again only between the first
            // and the last that differ.
            let again = match &out.sample {
                Some(read) => {
                    let again = read.of_edited(&out.text);
                    if again.sample == read.sample {
                        out.lang
                    } else {
                        again.lang()
                    }
                }
                None => language::detect(&out.text),
            };
            if again != out.lang {
                let other = self.run_known(document, Some(again), &[]);
                // Its output is taken when it reads as that language too, or as one without
                // resources: cleaning it again then makes only the language-neutral repairs,
                // which it has had (the repairs of a language can make a mixed text read as
                // none); or when it reads as the first language again but cleaning it in
                // that one changes nothing ([`Pipeline::fixed`]).
                let then = language::detect(&other.text);
                if then == again || !then.has_resources() || self.fixed(&other, then) {
                    out = other;
                }
            }
        }
        let mut unblocked: Vec<Range<usize>> = Vec::new();
        for _ in 0..2 {
            let mut spans: Option<language::ForeignSpans<'_>> = None;
            let before = unblocked.len();
            for s in &out.skipped {
                if s.reason != SkipReason::ForeignLanguage {
                    continue;
                }
                let spans = spans.get_or_insert_with(|| {
                    language::ForeignSpans::new(&out.text, out.lang, &self.lexicon)
                });
                if !spans.overlaps(&out.map.cur_range(&s.raw)) {
                    unblocked.push(s.raw.clone());
                }
            }
            if unblocked.len() == before {
                break;
            }
            out = self.run_known(document, Some(out.lang), &unblocked);
        }
        out
    }

    /// Whether cleaning `out`'s text in `lang` leaves it as it is. A mixed text can read as
    /// each language once cleaned as the other (a few words joined or not move whatlang
    /// across its threshold): the output cleaned in the language it first read as not, taken
    /// when a second cleaning, which reads it as `lang`, changes nothing in it.
    fn fixed(&self, out: &Outcome, lang: Lang) -> bool {
        let cleaned = Document {
            name: String::new(),
            text: out.text.clone(),
            lang: Lang::Unknown,
            decoding: crate::Decoding::default(),
        };
        self.run_known(&cleaned, Some(lang), &[]).text == out.text
    }

    /// [`Pipeline::run`] on one document or section, in the language `lang` when given.
    /// Edits of language-specific passes inside the raw ranges `unblocked` are made even in
    /// a foreign passage (see [`Pipeline::run_settled`]).
    fn run_known(
        &self,
        document: &Document,
        lang: Option<Lang>,
        unblocked: &[Range<usize>],
    ) -> Outcome {
        // The language given, or the one the settings force or the document knows; else it
        // is detected just before the first pass that depends on it, on the text the
        // language-neutral passes left (boilerplate gone, characters repaired), which is
        // closer to what a second run sees: cleaning cleaned text must not change its
        // language.
        let mut known = self.given_lang(document, lang);
        // The raw text until a pass changes it (no copy of a long document).
        let mut text = std::borrow::Cow::Borrowed(document.text.as_str());
        let mut map = SourceMap::identity(text.len());
        let mut outcome = Outcome::default();
        let mut foreign: Option<language::ForeignSpans<'_>> = None;
        for pass in &self.passes {
            if pass.language_specific() && known.is_none() {
                let read = language::Sampled::of(&text);
                known = Some(read.lang());
                outcome.sample = Some(read);
            }
            let lang = known.unwrap_or(Lang::Unknown);
            if pass.language_specific() && !lang.has_resources() {
                continue;
            }
            let ctx = self.context(document, lang, Some(&map), &outcome.edits);
            let mut edits = if pass.local() && text.len() >= self.parallel_from {
                run_in_pieces(*pass, &text, &ctx, self.piece_size)
            } else {
                pass.run(&text, &ctx)
            };
            if edits.is_empty() {
                continue;
            }
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let edits = widen(edits, &map, &text);
            let mut accepted: Vec<(std::ops::Range<usize>, usize, std::ops::Range<usize>, usize)> =
                Vec::with_capacity(edits.len());
            let mut new_text = String::with_capacity(text.len());
            let mut copied_to = 0;
            let mut last_end = 0;
            let mut last_rule = "";
            for edit in edits {
                debug_assert!(
                    text.is_char_boundary(edit.range.start)
                        && text.is_char_boundary(edit.range.end)
                        && edit.range.start <= edit.range.end,
                    "pass {} made an edit off char boundaries: {edit:?}",
                    pass.id()
                );
                let raw = map.raw_range(&edit.range);
                let reason = match self.settings.decide(edit.rule, edit.confidence) {
                    Decision::Drop => continue,
                    _ if !self.exceptions.is_empty()
                        && self.exceptions.rejects(
                            edit.rule,
                            &document.name,
                            &document.text,
                            &raw,
                        ) =>
                    {
                        Some(SkipReason::Rejected)
                    }
                    Decision::Apply => None,
                    Decision::Flag => Some(SkipReason::Flagged),
                    Decision::BelowThreshold(min) => Some(SkipReason::BelowThreshold { min }),
                };
                if let Some(reason) = reason {
                    outcome
                        .skipped
                        .push(skipped(&text, &edit, pass.id(), raw, reason));
                    continue;
                }
                if !accepted.is_empty() && edit.range.start < last_end {
                    let reason = SkipReason::Overlap { with: last_rule };
                    outcome
                        .skipped
                        .push(skipped(&text, &edit, pass.id(), raw, reason));
                    continue;
                }
                if pass.language_specific() {
                    let spans = foreign.get_or_insert_with(|| {
                        language::ForeignSpans::new(&document.text, lang, &self.lexicon)
                    });
                    if spans.overlaps(&raw) && !unblocked.iter().any(|u| touch(u, &raw)) {
                        let reason = SkipReason::ForeignLanguage;
                        outcome
                            .skipped
                            .push(skipped(&text, &edit, pass.id(), raw, reason));
                        continue;
                    }
                }
                new_text.push_str(&text[copied_to..edit.range.start]);
                new_text.push_str(&edit.replacement);
                copied_to = edit.range.end;
                last_end = edit.range.end;
                last_rule = edit.rule;
                accepted.push((
                    edit.range.clone(),
                    edit.replacement.len(),
                    raw.clone(),
                    outcome.edits.len(),
                ));
                let (before, after, evidence) = if self.lean {
                    (String::new(), String::new(), String::new())
                } else {
                    (
                        text[edit.range.clone()].to_owned(),
                        edit.replacement.into_owned(),
                        edit.evidence.into_owned(),
                    )
                };
                outcome.edits.push(AppliedEdit {
                    rule: edit.rule,
                    pass: pass.id(),
                    raw,
                    before,
                    after,
                    confidence: edit.confidence,
                    evidence,
                });
            }
            new_text.push_str(&text[copied_to..]);
            map = map.apply(&accepted);
            text = std::borrow::Cow::Owned(new_text);
            #[cfg(test)]
            if let Err(e) = map.verify(&text, &document.text) {
                panic!("source map broken after pass {}: {e}", pass.id());
            }
        }
        outcome.lang = known.unwrap_or_else(|| {
            let read = language::Sampled::of(&text);
            let lang = read.lang();
            outcome.sample = Some(read);
            lang
        });
        outcome.text = text.into_owned();
        outcome.map = map;
        outcome
    }
}

/// `edits` (sorted, of one pass) widened so that none cuts through the output of an earlier
/// edit ([`SourceMap::widen`]: an edit that would is widened to cover that output whole), and
/// those of one rule widened over the same output made one: apart, all but the first would
/// overlap it and be left out, to be made by a second cleaning (one at a time). Together they
/// are one edit over the widened range, with each of them applied in it, the lowest
/// confidence of them and the first's evidence. Edits that overlap as proposed are left apart.
fn widen(edits: Vec<Edit>, map: &SourceMap, text: &str) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    // The edits of the group being gathered, and its widened range.
    let mut group: Vec<Edit> = Vec::new();
    let mut wide = 0..0;
    let flush = |group: &mut Vec<Edit>, wide: &Range<usize>, out: &mut Vec<Edit>| {
        match group.as_slice() {
            [] => return,
            [only] if only.range == *wide => {
                out.append(group);
                return;
            }
            _ => {}
        }
        let mut replacement = String::new();
        let mut at = wide.start;
        for e in group.iter() {
            replacement.push_str(&text[at..e.range.start]);
            replacement.push_str(&e.replacement);
            at = e.range.end;
        }
        replacement.push_str(&text[at..wide.end]);
        let confidence = group.iter().map(|e| e.confidence).fold(1.0, f32::min);
        let first = group.remove(0);
        out.push(Edit {
            range: wide.clone(),
            replacement: replacement.into(),
            rule: first.rule,
            confidence,
            evidence: first.evidence,
        });
        group.clear();
    };
    for edit in edits {
        let w = map.widen(&edit.range);
        let joins = group.last().is_some_and(|last: &Edit| {
            last.rule == edit.rule
                && last.range.end <= edit.range.start
                && !(last.range.is_empty() && edit.range.is_empty() && last.range == edit.range)
                && w.start < wide.end
        });
        if joins {
            wide.end = wide.end.max(w.end);
            group.push(edit);
        } else {
            flush(&mut group, &wide, &mut out);
            wide = w;
            group.push(edit);
        }
    }
    flush(&mut group, &wide, &mut out);
    out
}

/// The outcome of cleaning a document (`first`) and then its output (`second`), as one:
/// the second's edits located in the raw text, its map composed with the first's. An edit the
/// first left out and the second made, or left out again, is listed once.
fn compose(mut first: Outcome, mut second: Outcome) -> Outcome {
    for e in &mut second.edits {
        e.raw = first.map.raw_range(&e.raw);
    }
    for e in &mut second.skipped {
        e.raw = first.map.raw_range(&e.raw);
    }
    first.skipped.retain(|s| {
        !second
            .edits
            .iter()
            .any(|e| e.rule == s.rule && touch(&e.raw, &s.raw))
    });
    for s in second.skipped {
        if !first
            .skipped
            .iter()
            .any(|f| f.rule == s.rule && f.raw == s.raw)
        {
            first.skipped.push(s);
        }
    }
    first.map = first.map.compose(&second.map, first.edits.len());
    first.edits.append(&mut second.edits);
    first.text = second.text;
    first.lang = second.lang;
    first
}

/// Whether two ranges overlap or meet.
fn touch(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// A local pass run on the pieces of `text` in parallel, its edits placed in `text`.
fn run_in_pieces(pass: &dyn Pass, text: &str, ctx: &Context<'_>, size: usize) -> Vec<Edit> {
    use rayon::prelude::*;
    pieces(text, size)
        .into_par_iter()
        .map(|piece| {
            let ctx = Context {
                history: History {
                    offset: piece.start,
                    ..ctx.history
                },
                ..*ctx
            };
            let mut edits = pass.run(&text[piece.clone()], &ctx);
            for e in &mut edits {
                e.range = e.range.start + piece.start..e.range.end + piece.start;
            }
            edits
        })
        .flatten()
        .collect()
}

fn skipped(
    text: &str,
    edit: &Edit,
    pass: &'static str,
    raw: std::ops::Range<usize>,
    reason: SkipReason,
) -> SkippedEdit {
    SkippedEdit {
        rule: edit.rule,
        pass,
        raw,
        before: text[edit.range.clone()].to_owned(),
        after: edit.replacement.to_string(),
        confidence: edit.confidence,
        evidence: edit.evidence.to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineIndex;
    use crate::passes::Pass;
    use proptest::prelude::*;

    /// The texts of `raw/` and `quality/`, decoded.
    fn repository_documents() -> Vec<Document> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stack = vec![root.join("raw"), root.join("quality")];
        let mut docs = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "txt") {
                    let bytes = std::fs::read(&path).unwrap();
                    let name = path.display().to_string();
                    docs.push(Document::from_bytes(name, &bytes).unwrap());
                }
            }
        }
        docs
    }

    /// Where a second cleaning is needed (the fuzz fixtures that found page furniture,
    /// page breaks or boilerplate in the output), the two are one outcome: its map leads
    /// back to the raw text (checked inside `run_checked` too), every edit lies in the raw
    /// text, and a lean run gives the same text and counts.
    #[test]
    fn a_second_cleaning_composes_into_one_outcome() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz");
        let pipeline = Pipeline::default();
        let lean = Pipeline::default().lean(true);
        let mut second = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let Ok(doc) = Document::from_bytes(path.display().to_string(), &bytes) else {
                continue;
            };
            let out = pipeline.run(&doc);
            out.map.verify(&out.text, &doc.text).unwrap();
            for e in &out.edits {
                assert!(e.raw.start <= e.raw.end && e.raw.end <= doc.text.len());
                assert!(doc.text.is_char_boundary(e.raw.start));
            }
            let thin = lean.run(&doc);
            assert_eq!(thin.text, out.text);
            assert_eq!(thin.counts(), out.counts());
            if pipeline.run_settled(&doc, None).text != out.text {
                second += 1;
            }
        }
        assert!(second >= 2, "fixtures needing a second cleaning: {second}");
    }

    /// The repository's texts cleaned in sections of about 2 KB (instead of 4 MB): each
    /// section comes out as it does cleaned alone in the language of the first, the joined
    /// map leads back to the raw text, one thread gives what several give, and a lean run
    /// gives the same text and counts.
    #[test]
    fn sections_join_into_one_outcome() {
        let whole = Pipeline::default();
        let sectioned = whole.clone().with_sections(1, 2048);
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut joins = 0;
        for doc in repository_documents() {
            let sections = pieces(&doc.text, 2048);
            let out = sectioned.run(&doc);
            out.map.verify(&out.text, &doc.text).unwrap();
            if sections.len() > 1 {
                joins += sections.len() - 1;
                assert_eq!(out.text, sections_alone(&doc, &sections), "{}", doc.name);
            }
            let sequential = one_thread.install(|| sectioned.run(&doc));
            assert_eq!(sequential.text, out.text, "{}", doc.name);
            assert_eq!(sequential.edits, out.edits, "{}", doc.name);
            assert_eq!(sequential.skipped, out.skipped, "{}", doc.name);
            let lean = sectioned.clone().lean(true).run(&doc);
            assert_eq!(lean.text, out.text, "{}", doc.name);
            assert_eq!(lean.counts(), out.counts(), "{}", doc.name);
            assert!(lean.edits.is_empty());
        }
        assert!(joins > 100, "only {joins} joins");
    }

    /// The sections of `doc` cleaned one by one, the first as a document of its own and the
    /// others in its language, joined: what cleaning in sections must give.
    fn sections_alone(doc: &Document, sections: &[Range<usize>]) -> String {
        let whole = Pipeline::default();
        let first = whole.run(&Document::new("first", &doc.text[sections[0].clone()]));
        let alone: Vec<String> = (0..sections.len())
            .map(|k| {
                let mut part = Document::new("part", &doc.text[section_text(sections, k)]);
                part.lang = first.lang;
                let forced = Pipeline::default().with_sections(0, 0);
                if first.lang == Lang::Unknown {
                    forced.run_known(&part, Some(Lang::Unknown), &[]).text
                } else {
                    forced.run(&part).text
                }
            })
            .collect();
        alone.join("\n")
    }

    /// The sections after the first are cleaned in the language detection reads at the
    /// start of the raw text, before the first is done; where the first, once cleaned, reads
    /// as another language, they are cleaned again in that one.
    #[test]
    fn sections_follow_the_first_sections_language_when_it_is_not_the_guess() {
        let flip = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/fuzz/language-flips-after-cleaning-1.bin"),
        )
        .unwrap();
        let flip = Document::from_bytes("flip", &flip).unwrap().text;
        let first = format!("{}.", flip.trim_end());
        // French repairs ("1a" read for "la") show which language the rest was cleaned in.
        let rest = "Le comité a décidé de publier les textes des camarades. Nous avons \
                    traduit leurs lettres pour 1a section de Toulouse.\n";
        let text = format!("{first}\n\n{}", rest.repeat(40));
        let doc = Document::new("flip", &text);
        let sections = pieces(&text, first.len());
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0], 0..first.len() + 2);
        let whole = Pipeline::default();
        let cleaned_first = whole.run(&Document::new("first", &first));
        // The case: detection on the raw start and on the cleaned first section disagree.
        assert_ne!(language::detect(&first), cleaned_first.lang);
        let out = whole.clone().with_sections(1, first.len()).run(&doc);
        assert_eq!(out.lang, cleaned_first.lang);
        assert_eq!(out.text, sections_alone(&doc, &sections));
        assert!(out.text.contains("pour la section"));
        out.map.verify(&out.text, &doc.text).unwrap();
    }

    /// A test pass that proposes edits found by a function of the text.
    struct Fixed(&'static str, fn(&str) -> Vec<Edit>);

    impl Pass for Fixed {
        fn id(&self) -> &'static str {
            self.0
        }
        fn rules(&self) -> &'static [Rule] {
            &[]
        }
        fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
            (self.1)(text)
        }
    }

    /// The same, for a pass that depends on the language.
    struct Specific(fn(&str) -> Vec<Edit>);

    impl Pass for Specific {
        fn id(&self) -> &'static str {
            "specific"
        }
        fn rules(&self) -> &'static [Rule] {
            &[]
        }
        fn language_specific(&self) -> bool {
            true
        }
        fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
            (self.0)(text)
        }
    }

    /// Replace every "1a" by "la".
    fn one_a(text: &str) -> Vec<Edit> {
        text.match_indices("1a")
            .map(|(i, _)| edit(i..i + 2, "la", "one-a"))
            .collect()
    }

    #[test]
    fn language_specific_passes_skip_other_languages_and_foreign_spans() {
        static P: Specific = Specific(one_a);
        let pipeline = Pipeline::default().with_passes(vec![&P]);
        let french = "Le Conseil de 1a Défense fut formé en vertu d'un arrêté du Conseil \
                      exécutif central de Russie pour diriger l'œuvre de la défense de la \
                      République des Soviets. Il disposait de la plénitude du pouvoir en \
                      matière de mobilisation de tous les effectifs et moyens nécessaires.\nTiré de « Comunismo de Consejos y 1a \
                      Autonomía de Clase, una historia de la lucha obrera ».\n";
        let out = pipeline.run(&Document::new("fr", french));
        assert_eq!(out.lang, Lang::Fr);
        assert_eq!(out.edits.len(), 1, "{:?}", out.edits);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::ForeignLanguage);
        // A document in another language gets no language-specific edit at all.
        let spanish = "El consejo de 1a defensa fue formado por un decreto del comité \
                       ejecutivo central de Rusia, que dirigía la defensa de la república. \
                       Los trabajadores de todos los países tienen el derecho de decidir \
                       sobre su propio destino y de organizarse libremente.";
        let out = pipeline.run(&Document::new("es", spanish));
        assert_eq!(out.lang, Lang::Other("spa"));
        assert!(out.edits.is_empty() && out.skipped.is_empty());
        // Forcing the language overrides detection.
        let settings = Settings {
            lang: LangSetting::Fr,
            ..Settings::embedded()
        };
        let forced = Pipeline::new(Lexicon::default(), settings).with_passes(vec![&P]);
        // Forcing the language makes the pass run, but the Spanish lines are still passages in
        // another language: the edit is proposed and skipped.
        let out = forced.run(&Document::new("es", spanish));
        assert_eq!(out.lang, Lang::Fr);
        assert!(out.edits.is_empty());
        assert_eq!(out.skipped[0].reason, SkipReason::ForeignLanguage);
    }

    #[test]
    fn rejected_edits_are_skipped_with_their_reason() {
        static P: Fixed = Fixed("p", one_a);
        let raw = "de 1a Défense et de 1a Russie";
        let second = raw.rfind("1a").unwrap();
        let mut exceptions = Exceptions::default();
        exceptions.add(crate::Exception::capture(
            raw,
            second..second + 2,
            "one-a",
            "sub/doc.txt",
            "la",
        ));
        let pipeline = Pipeline::default()
            .with_passes(vec![&P])
            .with_exceptions(exceptions);
        let out = pipeline.run(&Document::new("in/sub/doc.txt", raw));
        assert_eq!(out.text, "de la Défense et de 1a Russie");
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::Rejected);
        assert_eq!(out.skipped[0].raw, second..second + 2);
        // Another file is not concerned.
        let out = pipeline.run(&Document::new("in/other.txt", raw));
        assert_eq!(out.text, "de la Défense et de la Russie");
    }

    fn edit(range: std::ops::Range<usize>, to: &'static str, rule: &'static str) -> Edit {
        Edit::new(range, to, rule, 1.0, "")
    }

    #[test]
    fn overlapping_edits_in_one_pass_first_wins() {
        static P: Fixed = Fixed("p", |_| {
            vec![
                edit(2..6, "Y", "second"),
                edit(0..3, "X", "first"),
                edit(6..6, "!", "insert"),
            ]
        });
        let out = Pipeline::default()
            .with_passes(vec![&P])
            .run(&Document::new("t", "abcdefgh"));
        assert_eq!(out.text, "Xdef!gh");
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].rule, "second");
        assert_eq!(out.skipped[0].reason, SkipReason::Overlap { with: "first" });
        assert_eq!(out.skipped_counts().get("second"), Some(&1));
    }

    #[test]
    fn a_later_edit_that_cuts_an_earlier_output_is_widened_to_cover_it() {
        // Pass a: "ab" -> "XYZ". Pass b: "Zc" -> "_" (cuts through "XYZ"), and "d" -> "D".
        static A: Fixed = Fixed("a", |_| vec![edit(0..2, "XYZ", "a-rule")]);
        static B: Fixed = Fixed("b", |t| {
            assert_eq!(t, "XYZcd");
            vec![edit(2..4, "_", "b-cut"), edit(4..5, "D", "b-ok")]
        });
        let out = Pipeline::default()
            .with_passes(vec![&A, &B])
            .run(&Document::new("t", "abcd"));
        assert_eq!(out.text, "XY_D");
        assert!(out.skipped.is_empty());
        let b = &out.edits[1];
        assert_eq!(
            (b.before.as_str(), b.after.as_str(), b.raw.clone()),
            ("XYZc", "XY_", 0..3)
        );
        assert_eq!(out.edits[2].raw, 3..4);
    }

    #[test]
    fn edits_of_one_rule_widened_over_one_earlier_output_are_made_together() {
        // Pass a: "ab" -> "x y z". Pass b: each space inside it -> "_" (rule b-space), and
        // "c" -> "C" (another rule, outside it).
        static A: Fixed = Fixed("a", |_| vec![edit(0..2, "x y z", "a-rule")]);
        static B: Fixed = Fixed("b", |t| {
            assert_eq!(t, "x y zc");
            vec![
                edit(1..2, "_", "b-space"),
                edit(3..4, "_", "b-space"),
                edit(5..6, "C", "b-other"),
            ]
        });
        let out = Pipeline::default()
            .with_passes(vec![&A, &B])
            .run(&Document::new("t", "abc"));
        assert_eq!(out.text, "x_y_zC");
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
        let b = &out.edits[1];
        assert_eq!(
            (b.rule, b.before.as_str(), b.after.as_str(), b.raw.clone()),
            ("b-space", "x y z", "x_y_z", 0..2)
        );
        assert_eq!(out.edits.len(), 3);
        // Edits of two rules in one output: the first made, the other left out as before.
        static C: Fixed = Fixed("c", |_| {
            vec![edit(1..2, "_", "c-one"), edit(3..4, "-", "c-two")]
        });
        let out = Pipeline::default()
            .with_passes(vec![&A, &C])
            .run(&Document::new("t", "abc"));
        assert_eq!(out.text, "x_y zc");
        assert_eq!(out.skipped.len(), 1);
    }

    #[test]
    fn a_later_edit_may_rewrite_an_earlier_output_whole() {
        static A: Fixed = Fixed("a", |_| vec![edit(1..2, "B", "a-rule")]);
        static B: Fixed = Fixed("b", |_| vec![edit(0..3, "xyz", "b-rule")]);
        let out = Pipeline::default()
            .with_passes(vec![&A, &B])
            .run(&Document::new("t", "abcd"));
        assert_eq!(out.text, "xyzd");
        assert!(out.skipped.is_empty());
        assert_eq!(out.edits[1].raw, 0..3);
        assert_eq!(out.edits[1].before, "aBc");
    }

    #[test]
    fn positions_point_into_the_raw_text_after_earlier_edits() {
        // The zero-width space and the ligature change lengths before the trailing blanks.
        let raw = "a\u{200b}\u{fb01}n.  \nSecond\u{a0}line";
        let out = Pipeline::default().run(&Document::new("t", raw));
        assert_eq!(out.text, "afin.\nSecond line\n");
        let index = LineIndex::new(raw);
        let found: Vec<(String, &str, &str)> = out
            .edits
            .iter()
            .map(|e| {
                (
                    index.position(e.raw.start).to_string(),
                    e.rule,
                    &raw[e.raw.clone()],
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("1:2".to_owned(), "zero-width", "\u{200b}"),
                ("1:3".to_owned(), "unicode-ligature", "\u{fb01}"),
                ("1:6".to_owned(), "trailing-blank", "  "),
                ("2:7".to_owned(), "nbsp-space", "\u{a0}"),
                ("2:12".to_owned(), "final-newline", ""),
            ]
        );
    }

    /// Characters that exercise every rule, mixed with plain text.
    fn messy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "é", "e\u{301}", "\u{fb01}", "\u{ad}", "\u{200b}", "\u{200d}", "\u{1}", "\u{92}",
            "\u{2028}", "\u{2029}", "\u{b}", "\u{c}", "\u{a0}", "\u{2003}", " ", "  ", "\t", "\n",
            "\n\n\n", "\r\n", "\r", ":", "«", "1", "-", "\u{feff}", "ф", "\u{200c}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        /// The source map stays consistent (checked inside `run` in test builds), every raw
        /// range is a valid range of the raw text, and `before` is what the raw text holds
        /// there when the edit did not rewrite earlier output.
        #[test]
        fn provenance_is_consistent(text in messy()) {
            let doc = Document::new("p", text);
            let out = Pipeline::default().run(&doc);
            for e in &out.edits {
                prop_assert!(e.raw.start <= e.raw.end && e.raw.end <= doc.text.len());
                prop_assert!(doc.text.is_char_boundary(e.raw.start));
                prop_assert!(doc.text.is_char_boundary(e.raw.end));
                if e.pass == "unicode" {
                    prop_assert_eq!(&doc.text[e.raw.clone()], e.before.as_str());
                }
            }
            prop_assert_eq!(crate::canonical::check(&out.text), Ok(()));
        }
    }
}

//! `ocrtidy lexicon`: what the language resources say about words.

use anyhow::Result;
use ocrtidy::{Lang, LangSetting, Lexicon};

use super::{EXIT_ERROR, EXIT_OK, LexiconArgs, config, corpus, rules::print};

pub fn run(args: LexiconArgs, rules_dir: Option<&std::path::Path>) -> Result<u8> {
    let (settings, lexicon) = config::load(rules_dir, args.lang)?;
    let (stats, errors) = if args.corpus.is_empty() {
        (None, Vec::new())
    } else {
        let (stats, errors) = corpus::count_dirs(&args.corpus, &args.globs)?;
        (Some(stats), errors)
    };
    for err in &errors {
        eprintln!("ocrtidy: {err}");
    }
    let mut out = String::new();
    for word in &args.words {
        let lang = match settings.lang {
            LangSetting::Fr => Lang::Fr,
            LangSetting::En => Lang::En,
            LangSetting::Auto => best_language(&lexicon, word),
        };
        out.push_str(&line(&lexicon, lang, word, stats.as_ref()));
        out.push('\n');
    }
    print(&out)?;
    Ok(if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// The language a lone word most likely belongs to: the one that knows it, else the one
/// where it is more frequent; French on a tie.
fn best_language(lexicon: &Lexicon, word: &str) -> Lang {
    let fr = lexicon.is_word(Lang::Fr, word);
    let en = lexicon.is_word(Lang::En, word);
    match (fr, en) {
        (true, false) => Lang::Fr,
        (false, true) => Lang::En,
        _ => {
            let zipf = |lang| lexicon.frequency(lang, word).unwrap_or(0.0);
            if zipf(Lang::En) > zipf(Lang::Fr) {
                Lang::En
            } else {
                Lang::Fr
            }
        }
    }
}

/// `word  valid|unknown  zipf=…  hyph=…  [corpus=…]  lang=…  [protected]`, tab-separated.
fn line(lexicon: &Lexicon, lang: Lang, word: &str, stats: Option<&ocrtidy::CorpusStats>) -> String {
    let valid = if lexicon.is_word(lang, word) {
        "valid"
    } else {
        "unknown"
    };
    let zipf = lexicon
        .frequency(lang, word)
        .map_or_else(|| "-".to_owned(), |z| format!("{z:.2}"));
    let points = lexicon.hyphenation_points(lang, word);
    let mut hyph = String::new();
    for (i, c) in word.chars().enumerate() {
        if points.contains(&i) {
            hyph.push('·');
        }
        hyph.push(c);
    }
    let mut fields = vec![
        word.to_owned(),
        valid.to_owned(),
        format!("zipf={zipf}"),
        format!("hyph={hyph}"),
    ];
    if let Some(stats) = stats {
        fields.push(format!("corpus={}", stats.count(word)));
    }
    fields.push(format!("lang={lang}"));
    if lexicon.is_protected(word) {
        fields.push("protected".to_owned());
    }
    fields.join("\t")
}

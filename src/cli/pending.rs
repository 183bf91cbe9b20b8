//! Pending outputs: a new output that differs from the accepted one is written beside it as
//! `NAME.txt.new`, never over it, with a hidden sidecar `.NAME.txt.new.json` that holds the
//! changes (hunks) and the edits behind each, so that review can accept or reject them one by
//! one and remember a rejection.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use ocrtidy::{Exception, Exceptions, LineIndex};
use serde::{Deserialize, Serialize};

use super::compare::{self, Hunk};
use super::inputs::io_reason;
use super::write;

/// The suffix of a pending output.
pub const SUFFIX: &str = ".new";

/// The sidecar's format version.
const VERSION: u32 = 1;

/// What the sidecar of a pending output holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sidecar {
    pub version: u32,
    /// The input the new output was made from, as given.
    pub source: String,
    /// Its path relative to its input directory.
    pub rel: String,
    /// There is no accepted output yet: the whole file is new.
    pub new_file: bool,
    /// The rules directory the output was made with (absolute), where rejections go.
    #[serde(default)]
    pub rules: Option<PathBuf>,
    pub hunks: Vec<Hunk>,
}

/// `NAME.txt.new` for the accepted output `NAME.txt`.
pub fn pending_path(accepted: &Path) -> PathBuf {
    let mut s = accepted.as_os_str().to_owned();
    s.push(SUFFIX);
    PathBuf::from(s)
}

/// `.NAME.txt.new.json`, beside the accepted output `NAME.txt`.
pub fn sidecar_path(accepted: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(accepted.file_name().unwrap_or_default());
    name.push(SUFFIX);
    name.push(".json");
    accepted.with_file_name(name)
}

/// The accepted output a pending file belongs to.
fn accepted_of(pending: &Path) -> Option<PathBuf> {
    let s = pending.to_str()?;
    s.strip_suffix(SUFFIX).map(PathBuf::from)
}

/// Whether the `CI` environment variable says this runs in CI: then nothing is written.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Refuse to write in CI.
pub fn refuse_in_ci(what: &str) -> Result<()> {
    if in_ci() {
        bail!(
            "CI is set: {what} would write pending or accepted outputs, and ocrtidy writes \
             nothing in CI; review pending outputs outside CI"
        );
    }
    Ok(())
}

/// Write `new` as the pending output of `accepted` (whose current text is `old`, if it
/// exists), with its sidecar. Both are written atomically, the sidecar first.
pub fn write_pending(accepted: &Path, new: &str, sidecar: &Sidecar) -> Result<()> {
    let json = serde_json::to_vec(sidecar).context("cannot encode the pending sidecar")?;
    let side = sidecar_path(accepted);
    write::atomic(&side, &json)
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {}", side.display(), io_reason(&e)))?;
    let pending = pending_path(accepted);
    write::atomic(&pending, new.as_bytes())
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {}", pending.display(), io_reason(&e)))?;
    Ok(())
}

/// Remove the pending output of `accepted` and its sidecar, if they exist. Returns whether
/// there was a pending output.
pub fn remove_pending(accepted: &Path) -> Result<bool> {
    let pending = pending_path(accepted);
    let existed = pending.exists();
    for path in [pending, sidecar_path(accepted)] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bail!("{}: cannot remove: {}", path.display(), io_reason(&e)),
        }
    }
    Ok(existed)
}

/// The accepted outputs with a pending output under `paths`: a directory is searched
/// recursively (hidden entries skipped); a file is either a pending output or an accepted
/// output that has one. In name order.
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let walker = ignore::WalkBuilder::new(path)
                .standard_filters(false)
                .hidden(true)
                .follow_links(false)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build();
            for entry in walker {
                let entry = entry.with_context(|| format!("{}: cannot walk", path.display()))?;
                if entry.file_type().is_some_and(|t| t.is_file())
                    && let Some(accepted) = accepted_of(entry.path())
                {
                    // "./a.txt" as "a.txt".
                    let tidy = accepted
                        .strip_prefix(".")
                        .map_or_else(|_| accepted.clone(), Path::to_path_buf);
                    out.push(tidy);
                }
            }
        } else if let Some(accepted) = accepted_of(path).filter(|_| path.is_file()) {
            out.push(accepted);
        } else if pending_path(path).is_file() {
            out.push(path.clone());
        } else if path.exists() {
            bail!("{}: has no pending output", path.display());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    out.dedup();
    Ok(out)
}

/// A pending output, loaded.
#[derive(Debug)]
pub struct Loaded {
    pub accepted_path: PathBuf,
    /// The accepted text (empty when there is none yet).
    pub accepted: String,
    pub new: String,
    pub new_file: bool,
    /// Where the new output came from, when the sidecar says.
    pub source: Option<String>,
    pub rel: Option<String>,
    /// The rules directory the output was made with.
    pub rules: Option<PathBuf>,
    pub hunks: Vec<Hunk>,
    /// Whether the hunks carry the edits behind them (the sidecar matches both files).
    pub labelled: bool,
}

/// An output file's text (outputs are UTF-8), or `None` when it does not exist.
pub fn read_output(path: &Path) -> Result<Option<String>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => bail!("{}: cannot read: {}", path.display(), io_reason(&e)),
    };
    String::from_utf8(bytes).map(Some).map_err(|e| {
        anyhow::anyhow!(
            "{}: not valid UTF-8 at byte {}",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Load the pending output of `accepted_path`, its accepted text and its hunks. When the
/// sidecar is missing or no longer matches the files (they were edited since), the hunks are
/// recomputed without the edits behind them.
pub fn load(accepted_path: &Path) -> Result<Loaded> {
    let pending = pending_path(accepted_path);
    let new = read_output(&pending)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{}: cannot read: no such file or directory",
            pending.display()
        )
    })?;
    let accepted = read_output(accepted_path)?;
    let new_file = accepted.is_none();
    let accepted = accepted.unwrap_or_default();
    let sidecar: Option<Sidecar> = std::fs::read(sidecar_path(accepted_path))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|s: &Sidecar| s.version == VERSION);
    let (source, rel, rules) = sidecar.as_ref().map_or((None, None, None), |s| {
        (Some(s.source.clone()), Some(s.rel.clone()), s.rules.clone())
    });
    let labelled_hunks = sidecar
        .filter(|s| !new_file && !s.new_file && consistent(&accepted, &new, &s.hunks))
        .map(|s| s.hunks);
    let labelled = labelled_hunks.is_some();
    let hunks = if new_file {
        vec![whole_file_hunk(&new)]
    } else {
        labelled_hunks.unwrap_or_else(|| unlabelled(&accepted, &new))
    };
    Ok(Loaded {
        accepted_path: accepted_path.to_owned(),
        accepted,
        new,
        new_file,
        source,
        rel,
        rules,
        hunks,
        labelled,
    })
}

/// The one hunk of a file that has no accepted output yet.
pub fn whole_file_hunk(new: &str) -> Hunk {
    Hunk {
        old_start: 0,
        old_end: 0,
        old: String::new(),
        new_start: 0,
        new_end: new.len(),
        new: String::new(),
        line: 1,
        context_before: String::new(),
        context_after: String::new(),
        edits: Vec::new(),
        note: Some("new output: there is no accepted file yet".to_owned()),
    }
}

/// Hunks between `accepted` and `new` with no edits behind them.
fn unlabelled(accepted: &str, new: &str) -> Vec<Hunk> {
    let index = LineIndex::new(accepted);
    compare::word_changes(accepted, new)
        .into_iter()
        .map(|(o, n)| {
            let note = "the edits behind this change are unknown (the files changed since the \
                        pending output was written)";
            Hunk::new(
                accepted,
                new,
                &index,
                o,
                n,
                Vec::new(),
                Some(note.to_owned()),
            )
        })
        .collect()
}

/// Whether applying all `hunks` to `accepted` gives `new`, each hunk in its place.
fn consistent(accepted: &str, new: &str, hunks: &[Hunk]) -> bool {
    let (mut old_at, mut new_at) = (0, 0);
    for h in hunks {
        if h.old_start < old_at
            || h.new_start < new_at
            || accepted.get(h.old_start..h.old_end) != Some(h.old.as_str())
            || new.get(h.new_start..h.new_end) != Some(h.new.as_str())
            || accepted.get(old_at..h.old_start) != new.get(new_at..h.new_start)
        {
            return false;
        }
        old_at = h.old_end;
        new_at = h.new_end;
    }
    accepted.get(old_at..) == new.get(new_at..)
}

/// What to do with one hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Reject,
    Skip,
}

/// The result of applying verdicts to a pending output.
#[derive(Debug)]
pub struct Resolution {
    pub accepted: String,
    pub new: String,
    /// The hunks still pending, located in the new texts.
    pub remaining: Vec<Hunk>,
    pub accepted_count: usize,
    pub rejected_count: usize,
}

/// Apply one verdict per hunk: accepted changes go into the accepted text, rejected ones are
/// taken out of the pending text, skipped ones stay pending.
pub fn resolve(loaded: &Loaded, verdicts: &[Verdict]) -> Resolution {
    if loaded.new_file {
        let verdict = verdicts.first().copied().unwrap_or(Verdict::Skip);
        let (accepted, new) = match verdict {
            Verdict::Accept => (loaded.new.clone(), loaded.new.clone()),
            Verdict::Reject => (String::new(), String::new()),
            Verdict::Skip => (String::new(), loaded.new.clone()),
        };
        return Resolution {
            remaining: if verdict == Verdict::Skip {
                loaded.hunks.clone()
            } else {
                Vec::new()
            },
            accepted,
            new,
            accepted_count: usize::from(verdict == Verdict::Accept),
            rejected_count: usize::from(verdict == Verdict::Reject),
        };
    }
    let (a, n) = (&loaded.accepted, &loaded.new);
    let mut acc = String::with_capacity(a.len());
    let mut new = String::with_capacity(n.len());
    let mut remaining = Vec::new();
    let (mut old_at, mut accepted_count, mut rejected_count) = (0, 0, 0);
    for (h, v) in loaded.hunks.iter().zip(verdicts) {
        let same = &a[old_at..h.old_start];
        acc.push_str(same);
        new.push_str(same);
        match v {
            Verdict::Accept => {
                acc.push_str(&h.new);
                new.push_str(&h.new);
                accepted_count += 1;
            }
            Verdict::Reject => {
                acc.push_str(&h.old);
                new.push_str(&h.old);
                rejected_count += 1;
            }
            Verdict::Skip => {
                let mut kept = h.clone();
                kept.old_start = acc.len();
                kept.new_start = new.len();
                acc.push_str(&h.old);
                new.push_str(&h.new);
                kept.old_end = acc.len();
                kept.new_end = new.len();
                remaining.push(kept);
            }
        }
        old_at = h.old_end;
    }
    acc.push_str(&a[old_at..]);
    new.push_str(&a[old_at..]);
    // Lines and contexts of what is left, in the new accepted text.
    let index = LineIndex::new(&acc);
    for h in &mut remaining {
        h.line = index.position(h.old_start).line;
        (h.context_before, h.context_after) = super::analyse::context(&acc, h.old_start..h.old_end);
    }
    Resolution {
        accepted: acc,
        new,
        remaining,
        accepted_count,
        rejected_count,
    }
}

/// Write a resolution: the accepted output (atomically) when it changed, and the pending
/// output with its sidecar when changes remain; else the pending output is removed.
pub fn commit(loaded: &Loaded, res: &Resolution) -> Result<()> {
    let path = &loaded.accepted_path;
    let accepted_changed = if loaded.new_file {
        res.accepted_count > 0
    } else {
        res.accepted != loaded.accepted
    };
    if accepted_changed {
        write::atomic(path, res.accepted.as_bytes())
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {}", path.display(), io_reason(&e)))?;
    }
    if res.remaining.is_empty() {
        remove_pending(path)?;
    } else if res.accepted_count + res.rejected_count > 0 {
        let sidecar = Sidecar {
            version: VERSION,
            source: loaded.source.clone().unwrap_or_default(),
            rel: loaded.rel.clone().unwrap_or_default(),
            new_file: loaded.new_file,
            rules: loaded.rules.clone(),
            hunks: if loaded.labelled || loaded.new_file {
                res.remaining.clone()
            } else {
                Vec::new()
            },
        };
        write_pending(path, &res.new, &sidecar)?;
    }
    Ok(())
}

/// The sidecar for a new pending output.
pub fn sidecar(
    source: &str,
    rel: &str,
    new_file: bool,
    rules: Option<&Path>,
    hunks: Vec<Hunk>,
) -> Sidecar {
    Sidecar {
        version: VERSION,
        source: source.to_owned(),
        rel: rel.to_owned(),
        new_file,
        rules: rules.and_then(|d| super::inputs::resolve(d).ok()),
        hunks,
    }
}

/// Append `exceptions` (those not already there) to `DIR/exceptions.toml`, creating it,
/// atomically. Returns how many were added.
pub fn record_exceptions(rules_dir: &Path, exceptions: &[Exception]) -> Result<usize> {
    if exceptions.is_empty() {
        return Ok(0);
    }
    let path = rules_dir.join(super::config::EXCEPTIONS_FILE);
    let mut text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            ocrtidy::exceptions::HEADER.to_owned()
        }
        Err(e) => bail!("{}: cannot read: {}", path.display(), io_reason(&e)),
    };
    let mut known = Exceptions::default();
    known.layer(&path.display().to_string(), &text)?;
    let mut new = Vec::new();
    for e in exceptions {
        if !known.contains(e) {
            known.add(e.clone());
            new.push(e.clone());
        }
    }
    if new.is_empty() {
        return Ok(0);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&ocrtidy::exceptions::to_toml(&new));
    write::atomic(&path, text.as_bytes())
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {}", path.display(), io_reason(&e)))?;
    Ok(new.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(accepted: &str, new: &str) -> Loaded {
        Loaded {
            accepted_path: PathBuf::from("x.txt"),
            accepted: accepted.to_owned(),
            new: new.to_owned(),
            new_file: false,
            source: None,
            rel: None,
            rules: None,
            hunks: unlabelled(accepted, new),
            labelled: false,
        }
    }

    #[test]
    fn resolve_accepts_rejects_and_keeps() {
        let l = loaded("un deux trois quatre\n", "un DEUX trois QUATRE\n");
        assert_eq!(l.hunks.len(), 2);
        assert!(consistent(&l.accepted, &l.new, &l.hunks));
        let r = resolve(&l, &[Verdict::Accept, Verdict::Skip]);
        assert_eq!(r.accepted, "un DEUX trois quatre\n");
        assert_eq!(r.new, "un DEUX trois QUATRE\n");
        assert_eq!(r.remaining.len(), 1);
        assert!(consistent(&r.accepted, &r.new, &r.remaining));
        let r = resolve(&l, &[Verdict::Reject, Verdict::Skip]);
        assert_eq!(r.accepted, "un deux trois quatre\n");
        assert_eq!(r.new, "un deux trois QUATRE\n");
        assert!(consistent(&r.accepted, &r.new, &r.remaining));
        let r = resolve(&l, &[Verdict::Reject, Verdict::Accept]);
        assert_eq!(r.accepted, r.new);
        assert!(r.remaining.is_empty());
    }

    #[test]
    fn sidecar_names() {
        let p = Path::new("out/sub/a.txt");
        assert_eq!(pending_path(p), Path::new("out/sub/a.txt.new"));
        assert_eq!(sidecar_path(p), Path::new("out/sub/.a.txt.new.json"));
        assert_eq!(
            accepted_of(Path::new("out/a.txt.new")).unwrap(),
            PathBuf::from("out/a.txt")
        );
    }
}

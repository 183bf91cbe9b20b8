//! A map from the current text back to the raw text, kept up to date as edits are applied.
//!
//! The current text is covered, in order, by segments. A *copy* segment is text that no edit
//! has touched: it equals the raw text at the same length, so positions inside it map one to
//! one. A *replaced* segment is the output of an edit: it maps, as a whole, to the raw range
//! the edit replaced (possibly empty, for an insertion; its own text is empty for a deletion).

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    cur_start: usize,
    cur_len: usize,
    raw_start: usize,
    raw_len: usize,
    copy: bool,
    /// For a replaced segment, the index of the applied edit that produced it.
    origin: usize,
}

impl Segment {
    fn cur_end(&self) -> usize {
        self.cur_start + self.cur_len
    }
    fn raw_end(&self) -> usize {
        self.raw_start + self.raw_len
    }
}

/// The segments of the current text, in order, with no gaps.
#[derive(Debug, Clone)]
pub(crate) struct SourceMap {
    segments: Vec<Segment>,
}

impl Default for SourceMap {
    fn default() -> Self {
        SourceMap::identity(0)
    }
}

impl SourceMap {
    /// The identity map over a raw text of `len` bytes.
    pub(crate) fn identity(len: usize) -> Self {
        SourceMap {
            segments: vec![Segment {
                cur_start: 0,
                cur_len: len,
                raw_start: 0,
                raw_len: len,
                copy: true,
                origin: usize::MAX,
            }],
        }
    }

    /// A map over nothing, to [`SourceMap::append`] to.
    pub(crate) fn empty() -> Self {
        SourceMap {
            segments: Vec::new(),
        }
    }

    /// Add the map of a text that follows this one: it starts at `cur_start` of the current
    /// text and `raw_start` of the raw text, and its edits are numbered from `first_edit`.
    pub(crate) fn append(
        &mut self,
        other: SourceMap,
        cur_start: usize,
        raw_start: usize,
        first_edit: usize,
    ) {
        self.segments
            .extend(other.segments.into_iter().map(|s| Segment {
                cur_start: s.cur_start + cur_start,
                raw_start: s.raw_start + raw_start,
                origin: if s.copy {
                    s.origin
                } else {
                    s.origin + first_edit
                },
                ..s
            }));
    }

    /// Add `len` bytes of text that no edit touched, at `cur_start` of the current text and
    /// `raw_start` of the raw text.
    pub(crate) fn push_copy(&mut self, cur_start: usize, raw_start: usize, len: usize) {
        self.segments.push(Segment {
            cur_start,
            cur_len: len,
            raw_start,
            raw_len: len,
            copy: true,
            origin: usize::MAX,
        });
    }

    /// Index of the first segment that starts at or after `pos`.
    fn first_at_or_after(&self, pos: usize) -> usize {
        self.segments.partition_point(|s| s.cur_start < pos)
    }

    /// The raw position of the boundary at `pos`, taken *after* any deletions sitting at `pos`
    /// (an edit starting there does not claim the deleted raw text).
    fn raw_start_at(&self, pos: usize) -> usize {
        let mut j = self.first_at_or_after(pos);
        while j < self.segments.len()
            && self.segments[j].cur_len == 0
            && self.segments[j].cur_start == pos
        {
            j += 1;
        }
        if j < self.segments.len() && self.segments[j].cur_start == pos {
            return self.segments[j].raw_start;
        }
        if j == self.segments.len() && j > 0 && self.segments[j - 1].cur_end() == pos {
            return self.segments[j - 1].raw_end();
        }
        // `pos` lies strictly inside the segment before the first one at or after it.
        let k = self.first_at_or_after(pos).saturating_sub(1);
        match self.segments.get(k) {
            Some(s) if s.copy => s.raw_start + (pos - s.cur_start).min(s.raw_len),
            Some(s) => s.raw_start,
            None => 0,
        }
    }

    /// The raw position of the boundary at `pos`, taken *before* any deletions sitting at
    /// `pos` (an edit ending there does not claim the deleted raw text).
    fn raw_end_at(&self, pos: usize) -> usize {
        let idx = self.first_at_or_after(pos);
        if idx == 0 {
            return self.segments.first().map_or(0, |s| s.raw_start);
        }
        let s = &self.segments[idx - 1];
        if s.copy {
            s.raw_start + (pos - s.cur_start).min(s.raw_len)
        } else {
            s.raw_end()
        }
    }

    /// The raw range behind `range` of the current text, widened to whole replaced segments.
    pub(crate) fn raw_range(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.raw_start_at(range.start);
        let end = self.raw_end_at(range.end).max(start);
        start..end
    }

    /// The range of the current text that `raw` (a range of the raw text) became: where a
    /// bound falls in text an edit replaced, the whole output of that edit is taken.
    pub(crate) fn cur_range(&self, raw: &Range<usize>) -> Range<usize> {
        let at = |pos: usize, end: bool| {
            // The last segment starting at or before `pos` in the raw text (before it, for an
            // end: an end at the start of a replaced text is before it). Segments are in raw
            // order too: edits replace raw ranges in order.
            let i = self
                .segments
                .partition_point(|s| s.raw_start < pos || (!end && s.raw_start == pos));
            match i.checked_sub(1).and_then(|i| self.segments.get(i)) {
                Some(s) if s.copy => s.cur_start + (pos - s.raw_start).min(s.cur_len),
                Some(s) if end => s.cur_end(),
                Some(s) => s.cur_start,
                None => 0,
            }
        };
        let start = at(raw.start, false);
        start..at(raw.end, true).max(start)
    }

    /// The index of the edit whose output holds all of `range` (a non-empty replaced
    /// segment that contains it), if any.
    pub(crate) fn origin(&self, range: &Range<usize>) -> Option<usize> {
        let i = self.first_at_or_after(range.start + 1).checked_sub(1)?;
        let s = self.segments.get(i)?;
        (!s.copy && s.cur_len > 0 && s.cur_start <= range.start && range.end <= s.cur_end())
            .then_some(s.origin)
    }

    /// `range` widened so that it does not cut through the output of an earlier edit: where
    /// it overlaps such an output without covering it whole, it grows to cover it. Empty
    /// outputs (deletions) never need it.
    pub(crate) fn widen(&self, range: &Range<usize>) -> Range<usize> {
        let mut out = range.clone();
        let mut i = self.first_at_or_after(range.start).saturating_sub(1);
        while let Some(s) = self.segments.get(i) {
            if s.cur_start > range.end {
                break;
            }
            if !s.copy && s.cur_len > 0 {
                let covered = range.start <= s.cur_start && s.cur_end() <= range.end;
                let intersects = if range.is_empty() {
                    s.cur_start < range.start && range.start < s.cur_end()
                } else {
                    range.start < s.cur_end() && s.cur_start < range.end
                };
                if intersects && !covered {
                    out.start = out.start.min(s.cur_start);
                    out.end = out.end.max(s.cur_end());
                }
            }
            i += 1;
        }
        out
    }

    /// The map after applying `edits`: sorted, non-overlapping, none of them cutting through
    /// an earlier output (see [`SourceMap::widen`]). Each edit is its range in the current text, the length
    /// of its replacement, its raw range (from [`SourceMap::raw_range`]) and its index in the
    /// list of applied edits.
    pub(crate) fn apply(&self, edits: &[(Range<usize>, usize, Range<usize>, usize)]) -> SourceMap {
        let mut out = Builder {
            segments: Vec::with_capacity(self.segments.len() + 2 * edits.len()),
            shift: 0,
        };
        let mut rest = self.segments.iter().copied();
        let mut front = rest.next();
        for (range, rep_len, raw, origin) in edits {
            let (a, b) = (range.start, range.end);
            // Everything before `a`, with deletions at `a` kept before the edit.
            while let Some(s) = front {
                if s.cur_len == 0 {
                    if s.cur_start <= a {
                        out.push(s);
                        front = rest.next();
                        continue;
                    }
                    break;
                }
                if s.cur_end() <= a {
                    out.push(s);
                    front = rest.next();
                    continue;
                }
                if s.cur_start < a {
                    let (left, right) = split_copy(s, a);
                    out.push(left);
                    front = Some(right);
                }
                break;
            }
            // What the edit covers: deletions strictly inside, whole segments, and the left
            // part of a copy segment that straddles `b`.
            while let Some(s) = front {
                if s.cur_len == 0 {
                    if a < s.cur_start && s.cur_start < b {
                        front = rest.next();
                        continue;
                    }
                    break;
                }
                if a <= s.cur_start && s.cur_end() <= b {
                    front = rest.next();
                    continue;
                }
                if s.cur_start < b {
                    let (_, right) = split_copy(s, b);
                    front = Some(right);
                }
                break;
            }
            out.push_new(Segment {
                cur_start: (a as isize + out.shift) as usize,
                cur_len: *rep_len,
                raw_start: raw.start,
                raw_len: raw.end - raw.start,
                copy: false,
                origin: *origin,
            });
            out.shift += *rep_len as isize - (b - a) as isize;
        }
        while let Some(s) = front {
            out.push(s);
            front = rest.next();
        }
        SourceMap {
            segments: out.segments,
        }
    }

    /// The map of a second cleaning composed with this one's: `then` maps a text made from
    /// this map's current text (its "raw" text) back to it; the result maps that text back
    /// to this map's raw text. The second cleaning's edits are numbered from `first_edit`.
    pub(crate) fn compose(&self, then: &SourceMap, first_edit: usize) -> SourceMap {
        // The second cleaning's replaced segments are edits of this map's current text, in
        // order and apart. Each is widened so as not to cut through an output of the first;
        // those that then overlap (or meet, one of them empty) are merged. A range's
        // replacement is its own length plus what the edits inside it added.
        let mut merged: Vec<(Range<usize>, isize, usize)> = Vec::new();
        for s in then.segments.iter().filter(|s| !s.copy) {
            let range = s.raw_start..s.raw_end();
            let grown = s.cur_len as isize - range.len() as isize;
            let wide = self.widen(&range);
            let origin = s.origin + first_edit;
            match merged.last_mut() {
                Some((last, added, last_origin))
                    if wide.start < last.end
                        || (wide.start == last.end
                            && (range.is_empty() || last.start == last.end)) =>
                {
                    last.start = last.start.min(wide.start);
                    last.end = last.end.max(wide.end);
                    *added += grown;
                    *last_origin = origin;
                }
                _ => merged.push((wide, grown, origin)),
            }
        }
        let edits: Vec<(Range<usize>, usize, Range<usize>, usize)> = merged
            .into_iter()
            .map(|(range, added, origin)| {
                let len = (range.len() as isize + added) as usize;
                let raw = self.raw_range(&range);
                (range, len, raw, origin)
            })
            .collect();
        self.apply(&edits)
    }

    /// Check that every copy segment of `current` equals the raw text behind it.
    #[cfg(test)]
    pub(crate) fn verify(&self, current: &str, raw: &str) -> Result<(), String> {
        let mut expect = 0;
        for s in &self.segments {
            if s.cur_start != expect {
                return Err(format!("gap or overlap at {expect}: {s:?}"));
            }
            expect = s.cur_end();
            if s.copy && current[s.cur_start..s.cur_end()] != raw[s.raw_start..s.raw_end()] {
                return Err(format!("copy segment differs: {s:?}"));
            }
        }
        if expect != current.len() {
            return Err(format!("map covers {expect} bytes of {}", current.len()));
        }
        Ok(())
    }
}

struct Builder {
    segments: Vec<Segment>,
    shift: isize,
}

impl Builder {
    /// Push an old segment, moved by the current shift.
    fn push(&mut self, s: Segment) {
        let cur_start = (s.cur_start as isize + self.shift) as usize;
        self.push_new(Segment { cur_start, ..s });
    }

    /// Push a segment already in new coordinates, merging contiguous copies.
    fn push_new(&mut self, s: Segment) {
        if s.copy && s.cur_len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.copy
            && s.copy
            && last.cur_end() == s.cur_start
            && last.raw_end() == s.raw_start
        {
            last.cur_len += s.cur_len;
            last.raw_len += s.raw_len;
            return;
        }
        self.segments.push(s);
    }
}

/// Split a copy segment at current position `at` (strictly inside it).
fn split_copy(s: Segment, at: usize) -> (Segment, Segment) {
    debug_assert!(s.copy, "only copy segments are split: {s:?} at {at}");
    let left_len = at - s.cur_start;
    (
        Segment {
            cur_len: left_len,
            raw_len: left_len,
            ..s
        },
        Segment {
            cur_start: at,
            cur_len: s.cur_len - left_len,
            raw_start: s.raw_start + left_len,
            raw_len: s.raw_len - left_len,
            copy: true,
            origin: usize::MAX,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cur_range_follows_edits_back_to_the_current_text() {
        // "abc def" → "abXef": "c d" (2..5) replaced by "X".
        let map = SourceMap::identity(7).apply(&[(2..5, 1, 2..5, 0)]);
        assert_eq!(map.cur_range(&(0..1)), 0..1);
        assert_eq!(map.cur_range(&(5..7)), 3..5);
        // Inside the replaced text: the whole output of the edit.
        assert_eq!(map.cur_range(&(3..4)), 2..3);
        assert_eq!(map.cur_range(&(1..6)), 1..4);
        // Every raw range maps back to itself through raw_range where no edit is.
        for r in [0..2, 5..7, 6..6] {
            assert_eq!(map.raw_range(&map.cur_range(&r)), r);
        }
    }

    #[test]
    fn a_second_cleaning_composes_with_the_first() {
        let raw = "abc def ghi";
        // First: "c d" (2..5) → "X": "abXef ghi".
        let first = SourceMap::identity(raw.len()).apply(&[(2..5, 1, 2..5, 0)]);
        first.verify("abXef ghi", raw).unwrap();
        // Second, on "abXef ghi": "bX" (1..3, through the first's output) → "Y", and "h"
        // (7..8) deleted: "aYef gi".
        let second = SourceMap::identity(9).apply(&[(1..3, 1, 1..3, 0), (7..8, 0, 7..8, 1)]);
        second.verify("aYef gi", "abXef ghi").unwrap();
        let both = first.compose(&second, 1);
        both.verify("aYef gi", raw).unwrap();
        // "Y" stands for "bc d" of the raw text; the deletion for "h".
        assert_eq!(both.raw_range(&(1..2)), 1..5);
        assert_eq!(both.origin(&(1..2)), Some(1));
        assert_eq!(both.raw_range(&(5..7)), 8..11);
        assert_eq!(both.raw_range(&(0..1)), 0..1);
        // Two edits of the second inside one output of the first are merged.
        let second = SourceMap::identity(9).apply(&[(2..2, 1, 2..2, 0), (3..3, 1, 3..3, 1)]);
        let both = first.compose(&second, 1);
        both.verify("ab-X-ef ghi", raw).unwrap();
        assert_eq!(both.raw_range(&(2..5)), 2..5);
    }
}

//! A value each thread uses its own copy of: compiled patterns searched from every worker.
//!
//! A `regex::Regex` (and a `RegexSet`) keeps the scratch memory of its searches in a pool.
//! The first thread to search owns the pool's fast slot; every other thread takes its
//! scratch from a locked stack and puts it back after each search. Passes search short lines
//! and tokens, many times per document, from all the workers at once: on two threads, those
//! pool visits were 2.2% of the samples of a run over many small files and 3.4% of one over
//! a 100 MB file (`perf`). A clone of a regex shares its compiled
//! form and has a pool of its own, so [`PerThread`] gives each thread a clone, made on its
//! first use, and every thread then takes the fast slot of its own pool.

use std::fmt;
use std::ops::Deref;

use thread_local::ThreadLocal;

/// `T`, cloned once for each thread that uses it; it dereferences to the calling thread's
/// copy.
pub struct PerThread<T: Clone + Send> {
    value: T,
    copies: ThreadLocal<T>,
}

impl<T: Clone + Send> PerThread<T> {
    pub fn new(value: T) -> Self {
        PerThread {
            value,
            copies: ThreadLocal::new(),
        }
    }

    /// The calling thread's copy.
    pub fn get(&self) -> &T {
        self.copies.get_or(|| self.value.clone())
    }
}

impl PerThread<regex::Regex> {
    /// A pattern written in the code, compiled once and searched per thread.
    pub fn regex(pattern: &str) -> Self {
        PerThread::new(regex::Regex::new(pattern).expect("a valid pattern"))
    }
}

impl<T: Clone + Send> Deref for PerThread<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.get()
    }
}

impl<T: Clone + Send> Clone for PerThread<T> {
    fn clone(&self) -> Self {
        PerThread::new(self.value.clone())
    }
}

impl<T: Clone + Send + fmt::Debug> fmt::Debug for PerThread<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_thread_has_its_own_copy() {
        let shared = PerThread::new(regex::Regex::new("a+").unwrap());
        let here = std::ptr::from_ref(shared.get()) as usize;
        assert_eq!(
            here,
            std::ptr::from_ref(shared.get()) as usize,
            "one copy per thread"
        );
        let there = std::thread::scope(|s| {
            s.spawn(|| {
                assert_eq!(shared.find("baa").map(|m| m.range()), Some(1..3));
                std::ptr::from_ref(shared.get()) as usize
            })
            .join()
            .unwrap()
        });
        assert_ne!(here, there, "another thread, another copy");
        assert_eq!(shared.clone().as_str(), "a+");
    }
}

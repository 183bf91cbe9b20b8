//! The `ocrtidy` command. All I/O, terminal output and exit codes live in [`cli`].

mod cli;

fn main() -> std::process::ExitCode {
    keep_freed_memory();
    cli::main()
}

/// Keep freed memory for the next allocation instead of giving it back to the system at once.
///
/// By default glibc serves an allocation of 128 KB or more (a pass's output text, a section's
/// edits) with pages of its own and unmaps them when it is freed, and gives back the top of a
/// heap once 128 KB of it is free; every pass over a long text then faults its pages in again,
/// zeroed by the kernel: 0.37–0.42 s of system time for a 100 MB file, half of it saved
/// here (BENCHMARKS.md). Allocations up to 32 MB now come from the heap, and up to 128 MB of
/// free memory stays there. The peak memory is 20–30 MB higher on a 100 MB file (within the
/// target of BENCHMARKS.md); the resident memory after a long file stays near that peak until
/// the run ends.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // SAFETY: `mallopt` only sets allocator parameters, which glibc reads under its own lock;
    // it is called first, before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}

//! Writing outputs: atomically, never leaving a partial file behind.

use std::io::Write as _;
use std::path::Path;

/// What writing an output did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist.
    Created,
    /// The file existed with other content and was replaced.
    Replaced,
    /// The file already had this content and was left alone (its time stamps too).
    Unchanged,
    /// The new content was written beside the file as a pending output (`clean --pending`).
    Pending,
}

/// Write `data` to `path` through a temporary file in the same directory, renamed into place:
/// a reader (or an interrupted run) sees the old complete file or the new complete file.
pub fn atomic(path: &Path, data: &[u8]) -> std::io::Result<Written> {
    match std::fs::read(path) {
        Ok(old) if old == data => Ok(Written::Unchanged),
        Ok(_) => replace(path, data, Written::Replaced),
        Err(_) => replace(path, data, Written::Created),
    }
}

/// [`atomic`] for a file that did not exist when the run began (the run checked): written
/// without trying to read it first, a failed open of a path saved per file. Should a file
/// have appeared there since, it is replaced as [`atomic`] would.
pub fn atomic_new(path: &Path, data: &[u8]) -> std::io::Result<Written> {
    replace(path, data, Written::Created)
}

/// Write `data` to `path` through a temporary file, renamed into place; `written` is what it
/// did.
fn replace(path: &Path, data: &[u8], written: Written) -> std::io::Result<Written> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    // Made readable by all (as `cp` makes a new file, within the umask), not just by its
    // owner as temporary files are.
    let temp = || {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".ocrtidy-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        builder.tempfile_in(dir)
    };
    // The directory is made only when it is missing (most outputs go to one that exists:
    // asking first would cost two system calls per file).
    let mut tmp = match temp() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            temp()?
        }
        other => other?,
    };
    tmp.write_all(data)?;
    tmp.flush()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_skips_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt");
        assert_eq!(atomic(&path, b"one").unwrap(), Written::Created);
        assert_eq!(atomic(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(atomic(&path, b"two").unwrap(), Written::Replaced);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        // Written without a look at what is there (the run found nothing there).
        let fresh = dir.path().join("new/fresh.txt");
        assert_eq!(atomic_new(&fresh, b"one").unwrap(), Written::Created);
        assert_eq!(std::fs::read(&fresh).unwrap(), b"one");
        assert_eq!(atomic_new(&fresh, b"two").unwrap(), Written::Created);
        assert_eq!(std::fs::read(&fresh).unwrap(), b"two");
        // Readable by all within the umask, as a file made by `File::create` (not only by
        // its owner, as the temporary file it was).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let reference = dir.path().join("reference");
            std::fs::File::create(&reference).unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), mode(&reference) & 0o644);
        }
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }
}

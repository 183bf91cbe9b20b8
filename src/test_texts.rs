//! The repository's texts, for the tests that check a fast version against the one it
//! replaces on real text.

/// Every text of the repository in French or English (`raw/`, `cleaned/`, `quality/` and the
/// test fixtures, the `.txt` files that are UTF-8), as (path, text).
pub(crate) fn repository_texts() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = ["raw", "cleaned", "quality", "tests/fixtures"]
        .iter()
        .map(|d| std::path::Path::new(root).join(d))
        .collect();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

//! Expanding a path into the files under it, in a stable order.

use std::io;
use std::path::{Path, PathBuf};

pub(crate) enum Expanded {
    File(PathBuf),
    Dir(Vec<PathBuf>),
}

/// A file stays itself; a directory becomes its files, recursively, sorted by path, hidden entries
/// (dot-names) left out. Symbolic links to directories are not followed, so a link loop cannot recur.
pub(crate) fn expand(path: &Path) -> Result<Expanded, (PathBuf, io::Error)> {
    let meta = std::fs::metadata(path).map_err(|e| (path.to_path_buf(), e))?;
    if !meta.is_dir() {
        return Ok(Expanded::File(path.to_path_buf()));
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| (dir.clone(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| (dir.clone(), e))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let file_type = entry.file_type().map_err(|e| (entry.path(), e))?;
            if file_type.is_dir() {
                stack.push(entry.path());
            } else if file_type.is_file() || (file_type.is_symlink() && entry.path().is_file()) {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(Expanded::Dir(files))
}

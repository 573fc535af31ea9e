//! Output: rendered files and static files written to a staging directory, which then replaces the
//! output directory in one rename, so a failed build leaves the previous output exactly as it was.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::RenderedFile;
use crate::theme::StaticOrigin;

/// Writes `files` and `static_files` into a fresh directory and swaps it in as `output`.
///
/// Rendered files win over static files with the same path. Returns the number of files written.
pub fn write_atomically(
    output: &Path,
    files: &[RenderedFile],
    static_files: &BTreeMap<String, StaticOrigin>,
) -> io::Result<usize> {
    if output.exists() && !output.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} finns redan och är ingen katalog", output.display()),
        ));
    }
    let staging = sibling(output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let written = write_all(&staging, files, static_files);
    match written {
        Ok(count) => {
            swap_in(&staging, output)?;
            Ok(count)
        }
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(error)
        }
    }
}

fn write_all(
    dir: &Path,
    files: &[RenderedFile],
    static_files: &BTreeMap<String, StaticOrigin>,
) -> io::Result<usize> {
    let rendered: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let statics: Vec<(&String, &StaticOrigin)> = static_files
        .iter()
        .filter(|(path, _)| !rendered.contains(path.as_str()))
        .collect();
    statics.par_iter().try_for_each(|(path, origin)| {
        let target = dir.join(path);
        ensure_parent(&target)?;
        match origin {
            StaticOrigin::Disk(source) => std::fs::copy(source, &target).map(|_| ()),
            StaticOrigin::Embedded(bytes) => std::fs::write(&target, bytes),
        }
    })?;
    files.par_iter().try_for_each(|file| {
        let target = dir.join(&file.path);
        ensure_parent(&target)?;
        std::fs::write(&target, &file.bytes)
    })?;
    Ok(files.len() + statics.len())
}

fn ensure_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// A hidden directory next to `output`, on the same file system so renames are atomic.
fn sibling(output: &Path, purpose: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.notis-{purpose}-{}", std::process::id()))
}

fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    let old = sibling(output, "old");
    std::fs::rename(output, &old)?;
    if let Err(error) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(error);
    }
    std::fs::remove_dir_all(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_and_leaves_no_staging_behind() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        std::fs::create_dir_all(output.join("gammal")).unwrap();
        std::fs::write(output.join("gammal/index.html"), "x").unwrap();
        let files = vec![RenderedFile {
            path: "a/index.html".into(),
            bytes: b"<p>".to_vec(),
        }];
        let mut statics = BTreeMap::new();
        statics.insert("css/notis.css".to_string(), StaticOrigin::Embedded(b"body{}"));
        assert_eq!(write_atomically(&output, &files, &statics).unwrap(), 2);
        assert!(output.join("a/index.html").is_file());
        assert!(output.join("css/notis.css").is_file());
        assert!(!output.join("gammal").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}

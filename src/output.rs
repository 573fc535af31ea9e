//! Output: the rendered site written to disk, and the manifest that lets an unchanged rebuild skip
//! all work.
//!
//! A first build writes into a staging directory next to the output and renames it into place, so a
//! reader never sees half a site. A rebuild into an existing output writes only the files whose
//! bytes changed (each through a temporary file and a rename) and removes the files that are gone,
//! so nothing is deleted and recreated wholesale. Either way, nothing is written unless the whole
//! site rendered without errors.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs::{File, Metadata};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::render::RenderedFile;
use crate::theme::StaticOrigin;

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Files removed because the site no longer has them.
    pub removed: usize,
}

/// An output file's size and modification time (nanoseconds since 1970).
pub type Stamp = (u64, u128);

/// What [`Writer::commit`] did, and the stamp of every file now in the output, for the manifest.
#[derive(Debug, Default)]
pub struct Committed {
    /// What was written, left alone and removed.
    pub report: WriteReport,
    /// Every output file (relative path) with its size and modification time.
    pub files: BTreeMap<String, Stamp>,
}

/// Where a build writes while it renders.
enum Mode {
    /// A first build: everything goes into a staging directory, renamed into place at the end.
    Fresh {
        staging: PathBuf,
        created: Mutex<HashSet<PathBuf>>,
    },
    /// A rebuild: files are compared with what is there; only changed ones are kept, and written at the end.
    InPlace {
        existing: HashSet<String>,
        changed: Mutex<Vec<RenderedFile>>,
    },
}

/// Receives rendered files as they are made and puts them in place when the build succeeds.
///
/// Memory stays small: a first build writes each file as it comes, and a rebuild keeps only the
/// files whose bytes differ from the output's.
pub struct Writer {
    output: PathBuf,
    mode: Mode,
    /// The rendered files already in their final form on disk, with their stamps: taken from the
    /// open file as it is written, so the manifest needs no second walk over the output.
    settled: Mutex<Vec<(String, Stamp)>>,
}

impl Writer {
    /// Starts writing to `output`.
    pub fn begin(output: &Path) -> io::Result<Writer> {
        if output.exists() && !output.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} finns redan och är ingen katalog", output.display()),
            ));
        }
        let mode = if output.is_dir() {
            let existing = WalkDir::new(output)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file())
                .filter_map(|entry| entry.path().strip_prefix(output).ok().map(relative))
                .collect();
            Mode::InPlace {
                existing,
                changed: Mutex::new(Vec::new()),
            }
        } else {
            let staging = sibling(output, "staging");
            if staging.exists() {
                std::fs::remove_dir_all(&staging)?;
            }
            std::fs::create_dir_all(&staging)?;
            Mode::Fresh {
                staging,
                created: Mutex::new(HashSet::new()),
            }
        };
        Ok(Writer {
            output: output.to_path_buf(),
            mode,
            settled: Mutex::new(Vec::new()),
        })
    }

    /// Takes one rendered file; may be called from many threads at once.
    pub fn put(&self, file: RenderedFile) -> io::Result<()> {
        match &self.mode {
            Mode::Fresh { staging, created } => {
                let target = staging.join(&file.path);
                ensure_parent(&target, created)?;
                let stamp = write_file(&target, &file.bytes)?;
                lock(&self.settled).push((file.path, stamp));
            }
            Mode::InPlace { existing, changed } => {
                let unchanged = existing
                    .contains(&file.path)
                    .then(|| same_bytes(&self.output.join(&file.path), &file.bytes))
                    .flatten();
                match unchanged {
                    Some(metadata) => lock(&self.settled).push((file.path, stamp(&metadata))),
                    None => lock(changed).push(file),
                }
            }
        }
        Ok(())
    }

    /// Adds the static files the rendered files do not replace, and puts everything in place.
    ///
    /// Returns what was done and the stamp of every file in the output.
    pub fn commit(self, static_files: &BTreeMap<String, StaticOrigin>) -> io::Result<Committed> {
        let mut settled = self.settled.into_inner().unwrap_or_else(PoisonError::into_inner);
        let changed = match self.mode {
            Mode::InPlace { ref changed, .. } => std::mem::take(&mut *lock(changed)),
            Mode::Fresh { .. } => Vec::new(),
        };
        let rendered: HashSet<&str> = settled
            .iter()
            .map(|(path, _)| path.as_str())
            .chain(changed.iter().map(|file| file.path.as_str()))
            .collect();
        let statics: Vec<(&String, &StaticOrigin)> = static_files
            .iter()
            .filter(|(path, _)| !rendered.contains(path.as_str()))
            .collect();
        let total = rendered.len() + statics.len();
        drop(rendered);
        match self.mode {
            Mode::Fresh { staging, created } => {
                let copied = statics
                    .par_iter()
                    .map(|(path, origin)| {
                        let target = staging.join(path);
                        ensure_parent(&target, &created)?;
                        let stamp = match origin {
                            StaticOrigin::Disk(source) => {
                                std::fs::copy(source, &target)?;
                                stamp(&std::fs::metadata(&target)?)
                            }
                            StaticOrigin::Embedded(bytes) => write_file(&target, bytes)?,
                        };
                        Ok(((*path).clone(), stamp))
                    })
                    .collect::<io::Result<Vec<(String, Stamp)>>>()
                    .and_then(|copied| std::fs::rename(&staging, &self.output).map(|()| copied));
                match copied {
                    Ok(copied) => settled.extend(copied),
                    Err(error) => {
                        let _ = std::fs::remove_dir_all(&staging);
                        return Err(error);
                    }
                }
                Ok(Committed {
                    report: WriteReport {
                        written: total,
                        ..WriteReport::default()
                    },
                    files: settled.into_iter().collect(),
                })
            }
            Mode::InPlace { existing, .. } => {
                let mut changed = changed;
                for (path, origin) in statics {
                    let bytes = match origin {
                        StaticOrigin::Disk(source) => std::fs::read(source)?,
                        StaticOrigin::Embedded(bytes) => bytes.to_vec(),
                    };
                    let unchanged = existing
                        .contains(path)
                        .then(|| same_bytes(&self.output.join(path), &bytes))
                        .flatten();
                    match unchanged {
                        Some(metadata) => settled.push((path.clone(), stamp(&metadata))),
                        None => changed.push(RenderedFile {
                            path: path.clone(),
                            bytes,
                        }),
                    }
                }
                let created = Mutex::new(HashSet::new());
                let written = changed
                    .par_iter()
                    .map(|file| {
                        let target = self.output.join(&file.path);
                        ensure_parent(&target, &created)?;
                        let temporary = target.with_file_name(format!(
                            ".{}.notis-{}",
                            target
                                .file_name()
                                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                            std::process::id()
                        ));
                        let stamp = write_file(&temporary, &file.bytes)?;
                        std::fs::rename(&temporary, &target)?;
                        Ok((file.path.clone(), stamp))
                    })
                    .collect::<io::Result<Vec<(String, Stamp)>>>()?;
                settled.extend(written);
                let wanted: HashSet<&str> = settled
                    .iter()
                    .map(|(path, _)| path.as_str())
                    .chain(static_files.keys().map(String::as_str))
                    .collect();
                let stale: Vec<&String> = existing
                    .iter()
                    .filter(|path| !wanted.contains(path.as_str()))
                    .collect();
                for path in &stale {
                    std::fs::remove_file(self.output.join(path))?;
                }
                remove_empty_dirs(&self.output)?;
                let report = WriteReport {
                    written: changed.len(),
                    unchanged: total - changed.len(),
                    removed: stale.len(),
                };
                Ok(Committed {
                    report,
                    files: settled.into_iter().collect(),
                })
            }
        }
    }

    /// Gives up: a first build's staging directory is removed; an existing output was never touched.
    pub fn abort(self) {
        if let Mode::Fresh { staging, .. } = self.mode {
            let _ = std::fs::remove_dir_all(staging);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Creates the parent directory of `path` unless this build already did.
fn ensure_parent(path: &Path, created: &Mutex<HashSet<PathBuf>>) -> io::Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    if lock(created).contains(parent) {
        return Ok(());
    }
    std::fs::create_dir_all(parent)?;
    lock(created).insert(parent.to_path_buf());
    Ok(())
}

/// Writes `bytes` to a new file at `path` and returns the file's stamp, read from the open file.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    Ok(stamp(&file.metadata()?))
}

/// The metadata of the file at `path` when it holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<Metadata> {
    let metadata = std::fs::metadata(path).ok()?;
    (metadata.len() == bytes.len() as u64 && std::fs::read(path).is_ok_and(|old| old == bytes))
        .then_some(metadata)
}

fn stamp(metadata: &Metadata) -> Stamp {
    (metadata.len(), modified(metadata))
}

fn remove_empty_dirs(root: &Path) -> io::Result<()> {
    let dirs: Vec<PathBuf> = WalkDir::new(root)
        .contents_first(true)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    for dir in dirs {
        if std::fs::read_dir(&dir)?.next().is_none() {
            std::fs::remove_dir(&dir)?;
        }
    }
    Ok(())
}

fn relative(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A hidden path next to `output`, on the same file system so renames are atomic.
fn sibling(output: &Path, purpose: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.notis-{purpose}"))
}

/// What the last build wrote: the fingerprint of its inputs and the size and modification time of
/// every output file, so that a rebuild from the same inputs can tell the output is still intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The fingerprint of everything the build read, and how it was asked to build.
    pub inputs: u64,
    /// What the build reported, as one line of text (the build stage owns its format).
    pub summary: String,
    /// Size and modification time (nanoseconds) of each output file.
    pub files: BTreeMap<String, Stamp>,
}

impl Manifest {
    /// The manifest of the files now in `output`, for a build from `inputs`.
    pub fn of(output: &Path, inputs: u64, summary: String) -> io::Result<Manifest> {
        let found: Vec<PathBuf> = WalkDir::new(output)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .collect();
        // Reading the metadata of tens of thousands of files is most of the work; it runs in parallel.
        let files = found
            .par_iter()
            .map(|path| {
                let metadata = std::fs::metadata(path)?;
                let name = path.strip_prefix(output).map(relative).unwrap_or_default();
                Ok((name, stamp(&metadata)))
            })
            .collect::<io::Result<BTreeMap<String, Stamp>>>()?;
        Ok(Manifest {
            inputs,
            summary,
            files,
        })
    }

    /// Where the manifest of `output` is kept: a hidden file next to it, never inside it.
    pub fn path(output: &Path) -> PathBuf {
        sibling(output, "manifest")
    }

    /// Reads the manifest of `output`, if a build left one.
    pub fn read(output: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(Manifest::path(output)).ok()?;
        let mut lines = text.lines();
        let inputs = lines.next()?.strip_prefix("notis-manifest 1 ")?.parse().ok()?;
        let summary = lines.next()?.to_string();
        let mut files = BTreeMap::new();
        for line in lines {
            let mut parts = line.splitn(3, ' ');
            let size = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            files.insert(parts.next()?.to_string(), (size, modified));
        }
        Some(Manifest {
            inputs,
            summary,
            files,
        })
    }

    /// Saves the manifest next to `output`.
    pub fn save(&self, output: &Path) -> io::Result<()> {
        let mut text = format!(
            "notis-manifest 1 {}\n{}\n",
            self.inputs,
            self.summary.replace('\n', " ")
        );
        for (path, (size, modified)) in &self.files {
            // Writing into a String cannot fail.
            let _ = writeln!(text, "{size} {modified} {path}");
        }
        std::fs::write(Manifest::path(output), text)
    }

    /// Whether every file the manifest lists is still in `output`, untouched, and nothing was added.
    pub fn matches(&self, output: &Path) -> bool {
        Manifest::of(output, self.inputs, self.summary.clone()).is_ok_and(|now| now == *self)
    }
}

fn modified(metadata: &std::fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |duration| duration.as_nanos())
}

/// Hashes the path, size and modification time of every file under `dirs` (and of the single
/// `files`) with `salt`, in a fixed order: the fingerprint of a build's inputs. Like make, it trusts
/// modification times, which every editor and `git checkout` update.
pub fn fingerprint(dirs: &[PathBuf], files: &[PathBuf], salt: &str) -> u64 {
    let mut paths: Vec<PathBuf> = files.iter().filter(|p| p.is_file()).cloned().collect();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        paths.extend(
            WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path),
        );
    }
    // Any fixed order will do; comparing bytes is faster than comparing path components.
    paths.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    let stamps: Vec<Option<(u64, u128)>> = paths
        .par_iter()
        .map(|path| std::fs::metadata(path).ok().map(|m| (m.len(), modified(&m))))
        .collect();
    let mut hasher = DefaultHasher::new();
    salt.hash(&mut hasher);
    for (path, stamp) in paths.iter().zip(stamps) {
        path.hash(&mut hasher);
        if let Some((len, modified)) = stamp {
            len.hash(&mut hasher);
            modified.hash(&mut hasher);
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(path: &str, text: &str) -> RenderedFile {
        RenderedFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn write(
        output: &Path,
        files: Vec<RenderedFile>,
        statics: &BTreeMap<String, StaticOrigin>,
    ) -> io::Result<WriteReport> {
        let writer = Writer::begin(output)?;
        for file in files {
            writer.put(file)?;
        }
        writer.commit(statics).map(|committed| committed.report)
    }

    fn one_stylesheet() -> BTreeMap<String, StaticOrigin> {
        BTreeMap::from([("css/notis.css".to_string(), StaticOrigin::Embedded(b"body{}"))])
    }

    #[test]
    fn a_first_build_leaves_nothing_but_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let statics = one_stylesheet();
        let report = write(&output, vec![rendered("a/index.html", "<p>")], &statics).unwrap();
        assert_eq!(report.written, 2);
        assert!(output.join("a/index.html").is_file() && output.join("css/notis.css").is_file());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let statics = BTreeMap::new();
        write(
            &output,
            vec![rendered("a/index.html", "A"), rendered("b/index.html", "B")],
            &statics,
        )
        .unwrap();
        let report = write(
            &output,
            vec![rendered("a/index.html", "A"), rendered("c/index.html", "C")],
            &statics,
        )
        .unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!output.join("b").exists(), "the empty directory is removed");
        assert_eq!(std::fs::read_to_string(output.join("c/index.html")).unwrap(), "C");
        let leftovers: Vec<_> = std::fs::read_dir(output.join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files are left");
    }

    #[test]
    fn the_stamps_of_a_commit_are_those_of_the_files_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let statics = one_stylesheet();
        for pages in [["a/index.html", "b/index.html"], ["a/index.html", "c/index.html"]] {
            let writer = Writer::begin(&output).unwrap();
            writer.put(rendered(pages[0], "A")).unwrap();
            writer.put(rendered(pages[1], pages[1])).unwrap();
            let committed = writer.commit(&statics).unwrap();
            let on_disk = Manifest::of(&output, 0, String::new()).unwrap().files;
            assert_eq!(committed.files, on_disk);
            assert_eq!(on_disk.len(), 3);
        }
    }

    #[test]
    fn the_manifest_notices_a_touched_output() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, vec![rendered("a/index.html", "A")], &BTreeMap::new()).unwrap();
        let manifest = Manifest::of(&output, 7, "{}".into()).unwrap();
        manifest.save(&output).unwrap();
        assert_eq!(Manifest::read(&output), Some(manifest.clone()));
        assert!(manifest.matches(&output));
        std::fs::write(output.join("a/index.html"), "changed by hand").unwrap();
        assert!(!manifest.matches(&output));
    }
}

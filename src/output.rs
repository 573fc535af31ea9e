//! Output: the rendered site put in place as one whole, and the manifest of what notis wrote there.
//!
//! notis owns exactly the files its manifest lists; everything else in the output (a `.git`, `CNAME`,
//! `.well-known/`, a file a colleague put there) is never changed or removed. Every build, a first one
//! or a rebuild, makes the complete new tree in a staging directory next to the output: the rendered
//! and static files, hard links to the output's files whose bytes did not change, and hard links to
//! every file notis did not write. The staging tree then takes the output's place in one atomic
//! exchange of the two directories. A reader, and a build interrupted at any moment, sees the old site
//! or the new one, never a mix and never a temporary file inside the output.
//!
//! The old tree stays beside the output as the next build's staging tree: most of its directories
//! and files are already right, so a rebuild changes only what differs instead of creating and
//! deleting every directory of the site (which costs seconds on a large site). Whatever state an
//! interrupted build left it in, the next build checks each entry of it again.
//!
//! Nothing is put in place unless the whole site rendered without errors, and a write that fails (a
//! full disk) leaves the output exactly as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs::{File, Metadata, Permissions};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::render::RenderedFile;
use crate::theme::StaticOrigin;

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written (new or changed).
    pub written: usize,
    /// Files carried over because their bytes were already right.
    pub unchanged: usize,
    /// Files of the last build that the site no longer has, and so are gone.
    pub removed: usize,
}

/// An output file's size and modification time (nanoseconds since 1970).
pub type Stamp = (u64, u128);

/// Why a build's files could not be put in place. Either way the output is exactly as it was.
#[derive(Debug)]
pub enum WriteError {
    /// Files that notis did not write stand where the site needs to write (paths relative to the output).
    Collisions(Vec<String>),
    /// The file system refused a write or a rename, for example because the disk is full.
    Io(io::Error),
}

impl From<io::Error> for WriteError {
    fn from(error: io::Error) -> Self {
        WriteError::Io(error)
    }
}

/// Refuses an output directory that would put the user's own files at risk, before anything is
/// written: the site's own directory or one that contains it, a directory inside the site's inputs,
/// another site's sources, a file, and a non-empty directory that notis never built into (it holds
/// files that notis would otherwise mix its own with). Dot-files such as `.git` alone do not make a
/// directory non-empty here: notis never touches them.
pub fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let shown = output.display().to_string();
    let refuse = |message: String, hint: &str| Err(Diagnostic::error(output, 0, message).with_hint(hint));
    let choose_own = "välj en egen katalog för den byggda webbplatsen, till exempel output/ i webbplatsens katalog (standard)";
    let Ok(root) = root.canonicalize() else {
        // A missing site directory is reported by loading, with a better message.
        return Ok(());
    };
    let target = resolve(output);
    if root.starts_with(&target) {
        return refuse(
            format!("utkatalogen {shown} är webbplatsens egen katalog eller innehåller den; ett bygge där skulle blanda den byggda webbplatsen med dina källfiler"),
            choose_own,
        );
    }
    for input in [
        crate::content::CONTENT_DIR,
        "static",
        "templates",
        "themes",
        "data",
    ] {
        if target.starts_with(root.join(input)) {
            return refuse(
                format!("utkatalogen {shown} ligger i webbplatsens {input}/; den byggda webbplatsen skulle läsas in igen som källfiler"),
                choose_own,
            );
        }
    }
    if target.exists() && !target.is_dir() {
        return refuse(
            format!("utkatalogen {shown} är en fil, inte en katalog"),
            choose_own,
        );
    }
    if !target.is_dir() {
        return Ok(());
    }
    for source in [crate::config::CONFIG_FILE, crate::content::CONTENT_DIR] {
        if target.join(source).exists() {
            return refuse(
                format!(
                    "utkatalogen {shown} innehåller {source}: den ser ut att vara en webbplats källfiler"
                ),
                choose_own,
            );
        }
    }
    if Manifest::path(&target).exists() || Manifest::pending_path(&target).exists() {
        return Ok(());
    }
    let foreign = std::fs::read_dir(&target)
        .map_err(|error| {
            Diagnostic::error(output, 0, format!("kan inte läsa utkatalogen {shown}: {error}"))
                .with_hint("kontrollera att katalogen finns och går att läsa")
        })?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .min();
    match foreign {
        Some(name) => refuse(
            format!("utkatalogen {shown} innehåller filer som notis inte har skrivit (till exempel {name}), och notis har aldrig byggt dit"),
            "välj en tom eller ny katalog, eller flytta filerna därifrån; punktfiler som .git och .nojekyll får ligga kvar, dem rör notis aldrig",
        ),
        None => Ok(()),
    }
}

/// The output directory as an absolute path with symbolic links resolved, so that the staging
/// directory lies next to the real directory, on the same file system.
fn resolve(output: &Path) -> PathBuf {
    if let Ok(real) = output.canonicalize() {
        return real;
    }
    let absolute = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    match (absolute.parent().map(Path::canonicalize), absolute.file_name()) {
        (Some(Ok(parent)), Some(name)) => parent.join(name),
        _ => absolute,
    }
}

/// What the output held when the build began.
#[derive(Default)]
struct Existing {
    /// Files that the last build wrote and that are still there as it left them.
    owned: HashSet<String>,
    /// Everything else, carried over into the new tree as it is: files, links, empty directories.
    foreign: HashMap<String, Foreign>,
    /// The output itself and the directories that hold what notis did not write, with their
    /// permissions, which the new tree keeps.
    permissions: Vec<(String, Permissions)>,
}

/// One entry of the output that notis did not write.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Foreign {
    /// A file, a symbolic link or any other entry that is not a directory.
    Entry,
    /// An empty directory.
    EmptyDir,
}

impl Existing {
    /// Sorts the entries of `output` into the files the last build wrote (by `manifest`) and the rest.
    fn scan(output: &Path, manifest: Option<&Manifest>) -> io::Result<Existing> {
        let mut existing = Existing::default();
        let mut entries = WalkDir::new(output).min_depth(1).into_iter().peekable();
        while let Some(entry) = entries.next() {
            let entry = entry.map_err(io::Error::other)?;
            let path = relative(entry.path().strip_prefix(output).unwrap_or(entry.path()));
            let kind = entry.file_type();
            if kind.is_dir() {
                // Walking depth first, a directory's entries come right after it.
                let empty = entries
                    .peek()
                    .is_none_or(|next| next.as_ref().map_or(true, |next| next.depth() <= entry.depth()));
                if empty {
                    existing.foreign.insert(path, Foreign::EmptyDir);
                }
            } else if kind.is_file() && manifest.is_some_and(|m| m.files.contains_key(&path)) {
                existing.owned.insert(path);
            } else {
                existing.foreign.insert(path, Foreign::Entry);
            }
        }
        // The output itself and the directories holding what notis did not write keep the
        // permissions someone gave them.
        let mut holders: HashSet<&str> = HashSet::from([""]);
        for (path, kind) in &existing.foreign {
            let mut path = path.as_str();
            if *kind == Foreign::EmptyDir {
                holders.insert(path);
            }
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !holders.insert(parent) {
                    break;
                }
                path = parent;
            }
        }
        existing.permissions = holders
            .into_iter()
            .map(|dir| {
                Ok((
                    dir.to_string(),
                    std::fs::metadata(output.join(dir))?.permissions(),
                ))
            })
            .collect::<io::Result<_>>()?;
        Ok(existing)
    }
}

/// Receives rendered files as they are made, writes them into the staging directory, and puts the
/// whole new tree in place when the build succeeds.
///
/// Memory stays small: each file is written or linked as it comes. After the first failed write the
/// writer ignores the files still coming, so a full disk gives one error, not one per file.
pub struct Writer {
    output: PathBuf,
    staging: PathBuf,
    existing: Existing,
    /// Directories created in the staging tree so far.
    created: Mutex<HashSet<PathBuf>>,
    /// Every file in the staging tree, with its stamp for the manifest.
    settled: Mutex<Vec<(String, Stamp)>>,
    /// How many of them were written rather than linked.
    written: AtomicUsize,
    /// Paths the site needs where a file notis did not write stands.
    collisions: Mutex<Vec<String>>,
    /// The first write that failed.
    failure: Mutex<Option<io::Error>>,
}

impl Writer {
    /// Starts a build into `output`: clears what an interrupted build left next to it, reads what is
    /// there and who wrote it, and creates the staging directory.
    pub fn begin(output: &Path) -> io::Result<Writer> {
        let output = resolve(output);
        if output.exists() && !output.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} finns redan och är ingen katalog", output.display()),
            ));
        }
        clear_leftovers(&output)?;
        let existing = if output.is_dir() {
            Existing::scan(&output, Manifest::read(&output).as_ref())?
        } else {
            Existing::default()
        };
        let staging = sibling(&output, "staging");
        if std::fs::symlink_metadata(&staging).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        Ok(Writer {
            output,
            staging,
            existing,
            created: Mutex::new(HashSet::new()),
            settled: Mutex::new(Vec::new()),
            written: AtomicUsize::new(0),
            collisions: Mutex::new(Vec::new()),
            failure: Mutex::new(None),
        })
    }

    /// Takes one rendered file; may be called from many threads at once.
    pub fn put(&self, file: RenderedFile) {
        self.place(
            &file.path,
            |old| same_bytes(old, &file.bytes),
            |target| write_file(target, &file.bytes),
        );
    }

    /// Puts one file at `path` in the staging tree: a hard link to the output's file when the last
    /// build wrote it and `unchanged` finds its bytes right, else whatever `write` makes.
    fn place(
        &self,
        path: &str,
        unchanged: impl FnOnce(&Path) -> Option<Metadata>,
        write: impl FnOnce(&Path) -> io::Result<Stamp>,
    ) {
        if lock(&self.failure).is_some() {
            return;
        }
        if let Some(in_the_way) = self.foreign_in_the_way(path) {
            lock(&self.collisions).push(in_the_way.to_string());
            return;
        }
        let target = self.staging.join(path);
        let placed = self.make_parent(&target).and_then(|()| {
            let old = self.output.join(path);
            if let Some(metadata) = self
                .existing
                .owned
                .contains(path)
                .then(|| unchanged(&old))
                .flatten()
            {
                // A tree kept from an earlier build often holds this very file already.
                if same_file(&target, &metadata) {
                    return Ok(stamp(&metadata));
                }
                clear(&target)?;
                if std::fs::hard_link(&old, &target).is_ok() {
                    return Ok(stamp(&metadata));
                }
            }
            clear(&target)?;
            self.written.fetch_add(1, Ordering::Relaxed);
            write(&target)
        });
        match placed {
            Ok(stamp) => lock(&self.settled).push((path.to_string(), stamp)),
            Err(error) => self.fail(error),
        }
    }

    /// What notis did not write that stands at `path` or where `path` would need a directory.
    fn foreign_in_the_way<'p>(&self, path: &'p str) -> Option<&'p str> {
        let foreign = &self.existing.foreign;
        if foreign.is_empty() {
            return None;
        }
        if foreign.contains_key(path) {
            return Some(path);
        }
        ancestors(path).find(|dir| foreign.get(*dir) == Some(&Foreign::Entry))
    }

    /// Makes sure the parent of `path` is a real directory in the staging tree, replacing a file or a
    /// link that an earlier build left where a directory is needed now (a link followed here could
    /// lead the build to write outside the staging tree).
    fn make_parent(&self, path: &Path) -> io::Result<()> {
        match path.parent() {
            Some(parent) => self.make_dir(parent),
            None => Ok(()),
        }
    }

    fn make_dir(&self, dir: &Path) -> io::Result<()> {
        if dir == self.staging || lock(&self.created).contains(dir) {
            return Ok(());
        }
        self.make_parent(dir)?;
        match std::fs::symlink_metadata(dir) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => {
                remove_if_there(std::fs::remove_file(dir))?;
                create_dir_if_missing(dir)?;
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => create_dir_if_missing(dir)?,
            Err(error) => return Err(error),
        }
        lock(&self.created).insert(dir.to_path_buf());
        Ok(())
    }

    fn fail(&self, error: io::Error) {
        lock(&self.failure).get_or_insert(error);
    }

    /// Adds the static files that no rendered file replaces and the entries notis did not write,
    /// then puts the new tree in place and saves its manifest (with `inputs` and `summary`).
    ///
    /// On any error the staging tree is removed and the output is exactly as it was.
    pub fn commit(
        self,
        static_files: &BTreeMap<String, StaticOrigin>,
        inputs: u64,
        summary: String,
    ) -> Result<WriteReport, WriteError> {
        match self.stage(static_files) {
            Ok(files) => self.publish(Manifest {
                inputs,
                summary,
                files,
            }),
            Err(error) => {
                self.abort();
                Err(error)
            }
        }
    }

    /// Completes the staging tree; returns the stamp of every file notis wrote into it.
    fn stage(
        &self,
        static_files: &BTreeMap<String, StaticOrigin>,
    ) -> Result<BTreeMap<String, Stamp>, WriteError> {
        let rendered: HashSet<String> = lock(&self.settled).iter().map(|(path, _)| path.clone()).collect();
        let statics: Vec<(&String, &StaticOrigin)> = static_files
            .iter()
            .filter(|(path, _)| !rendered.contains(*path))
            .collect();
        statics.par_iter().for_each(|(path, origin)| match origin {
            StaticOrigin::Disk(source) => self.place(
                path,
                |old| same_contents(source, old),
                |target| {
                    std::fs::copy(source, target)?;
                    Ok(stamp(&std::fs::metadata(target)?))
                },
            ),
            StaticOrigin::Embedded(bytes) => self.place(
                path,
                |old| same_bytes(old, bytes),
                |target| write_file(target, bytes),
            ),
        });
        if let Some(error) = lock(&self.failure).take() {
            return Err(WriteError::Io(error));
        }
        let placed: HashSet<String> = lock(&self.settled).iter().map(|(path, _)| path.clone()).collect();
        self.carry_over(&placed)?;
        let mut collisions = std::mem::take(&mut *lock(&self.collisions));
        if !collisions.is_empty() {
            collisions.sort();
            collisions.dedup();
            return Err(WriteError::Collisions(collisions));
        }
        self.prune(&placed)?;
        for (path, permissions) in &self.existing.permissions {
            let dir = self.staging.join(path);
            if std::fs::metadata(&dir).is_ok_and(|m| m.permissions() != *permissions) {
                std::fs::set_permissions(dir, permissions.clone())?;
            }
        }
        Ok(std::mem::take(&mut *lock(&self.settled)).into_iter().collect())
    }

    /// Links every entry notis did not write into the staging tree, where it was in the output.
    fn carry_over(&self, placed: &HashSet<String>) -> Result<(), WriteError> {
        for (path, kind) in &self.existing.foreign {
            // The site now writes a file where this entry would need a directory.
            if ancestors(path).any(|dir| placed.contains(dir)) {
                lock(&self.collisions).push(path.clone());
                continue;
            }
            let target = self.staging.join(path);
            match kind {
                Foreign::EmptyDir => self.make_dir(&target)?,
                Foreign::Entry => {
                    self.make_parent(&target)?;
                    let source = self.output.join(path);
                    if !std::fs::symlink_metadata(&source).is_ok_and(|m| same_file(&target, &m)) {
                        clear(&target)?;
                        link_or_copy(&source, &target)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Removes from the staging tree whatever an earlier build left there that the new tree does
    /// not have.
    fn prune(&self, placed: &HashSet<String>) -> io::Result<()> {
        let foreign = &self.existing.foreign;
        let mut needed: HashSet<&str> = foreign
            .iter()
            .filter(|(_, kind)| **kind == Foreign::EmptyDir)
            .map(|(path, _)| path.as_str())
            .collect();
        for path in placed.iter().chain(foreign.keys()) {
            for dir in ancestors(path) {
                if !needed.insert(dir) {
                    break;
                }
            }
        }
        let mut entries = WalkDir::new(&self.staging).min_depth(1).into_iter();
        while let Some(entry) = entries.next() {
            let entry = entry.map_err(io::Error::other)?;
            let path = relative(entry.path().strip_prefix(&self.staging).unwrap_or(entry.path()));
            if entry.file_type().is_dir() {
                if !needed.contains(path.as_str()) {
                    std::fs::remove_dir_all(entry.path())?;
                    entries.skip_current_dir();
                }
            } else if !placed.contains(&path) && !foreign.contains_key(&path) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// Saves the manifest as pending, exchanges the staging tree with the output, makes the manifest
    /// current; the old tree stays as the next staging tree.
    fn publish(self, manifest: Manifest) -> Result<WriteReport, WriteError> {
        let pending = Manifest::pending_path(&self.output);
        if let Err(error) = manifest.save_to(&pending) {
            let _ = std::fs::remove_file(&pending);
            self.abort();
            return Err(WriteError::Io(error));
        }
        let old_tree = match swap_in(&self.staging, &self.output) {
            Ok(had_one) => had_one,
            Err(error) => {
                let _ = std::fs::remove_file(&pending);
                self.abort();
                return Err(WriteError::Io(error));
            }
        };
        // The site is in place; if this rename is lost, the next build adopts the pending manifest.
        let _ = std::fs::rename(&pending, Manifest::path(&self.output));
        let written = self.written.load(Ordering::Relaxed);
        let removed = self
            .existing
            .owned
            .iter()
            .filter(|path| !manifest.files.contains_key(*path))
            .count();
        if old_tree {
            self.rescue_arrivals();
        }
        Ok(WriteReport {
            written,
            unchanged: manifest.files.len() - written,
            removed,
        })
    }

    /// Moves into the new output a file of the old tree (now the staging tree) that is neither
    /// notis's nor one it carried over: someone put it into the output while this build ran.
    fn rescue_arrivals(&self) {
        let arrived: Vec<(PathBuf, String)> = WalkDir::new(&self.staging)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| !entry.file_type().is_dir())
            .filter_map(|entry| {
                let path = relative(entry.path().strip_prefix(&self.staging).ok()?);
                let known = self.existing.owned.contains(&path) || self.existing.foreign.contains_key(&path);
                (!known).then(|| (entry.into_path(), path))
            })
            .collect();
        for (from, path) in arrived {
            let target = self.output.join(&path);
            if std::fs::symlink_metadata(&target).is_err() {
                let _ = target
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::rename(&from, &target));
            }
        }
    }

    /// Gives up: the staging tree is removed; the output was never touched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Replaces `output` with `staging` in one atomic step; the old tree, if there was one, is then
/// where `staging` was.
fn swap_in(staging: &Path, output: &Path) -> io::Result<bool> {
    if !output.exists() {
        std::fs::rename(staging, output)?;
        return Ok(false);
    }
    if exchange(staging, output)? {
        return Ok(true);
    }
    // Without an atomic exchange the output is missing for a moment between two renames; an
    // interruption there is repaired by the next build (`clear_leftovers`).
    let retired = sibling(output, "retired");
    std::fs::rename(output, &retired)?;
    if let Err(error) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&retired, output);
        return Err(error);
    }
    // Should this fail, the next build removes the retired tree and starts a new staging tree.
    let _ = std::fs::rename(&retired, staging);
    Ok(true)
}

/// Exchanges two directories atomically (`renameat2` with `RENAME_EXCHANGE`); `false` when the
/// file system or the kernel cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Ok(false),
        Err(errno) => Err(errno.into()),
    }
}

/// Exchanges two directories atomically; `false` where the system has no such call.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Clears what an interrupted build left next to `output`: puts back an output that was moved aside
/// (only when the system cannot exchange directories), settles a pending manifest, and removes a
/// retired tree. The staging tree is kept: the build checks every entry of it again.
fn clear_leftovers(output: &Path) -> io::Result<()> {
    let retired = sibling(output, "retired");
    if retired.is_dir() && !output.exists() {
        std::fs::rename(&retired, output)?;
    }
    Manifest::settle(output)?;
    if std::fs::symlink_metadata(&retired).is_ok() {
        std::fs::remove_dir_all(&retired)?;
    }
    Ok(())
}

/// The directories `path` lies in, nearest first, as relative paths ("a/b/c" → "a/b", "a").
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(path.rsplit_once('/').map(|(dir, _)| dir), |dir| {
        dir.rsplit_once('/').map(|(parent, _)| parent)
    })
}

/// Removes whatever stands at `path` (a file, a link, a directory), if anything does.
fn clear(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => remove_if_there(std::fs::remove_file(path)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

/// A removal that found nothing to remove (another thread was first) is fine.
fn remove_if_there(removed: io::Result<()>) -> io::Result<()> {
    match removed {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// Creates `dir` unless another thread just did.
fn create_dir_if_missing(dir: &Path) -> io::Result<()> {
    match std::fs::create_dir(dir) {
        Err(error) if !(error.kind() == io::ErrorKind::AlreadyExists && dir.is_dir()) => Err(error),
        _ => Ok(()),
    }
}

/// Whether the entry at `path` is the file `metadata` describes (the same inode).
#[cfg(unix)]
fn same_file(path: &Path, metadata: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .is_ok_and(|found| found.dev() == metadata.dev() && found.ino() == metadata.ino())
}

/// Whether the entry at `path` is the file `metadata` describes; without inode numbers, never.
#[cfg(not(unix))]
fn same_file(_: &Path, _: &Metadata) -> bool {
    false
}

/// A hard link to `from` at `to`, or a copy where the file system cannot link.
fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(error),
        Err(_) if std::fs::symlink_metadata(from)?.is_symlink() => {
            symlink_like(&std::fs::read_link(from)?, to)
        }
        Err(_) => std::fs::copy(from, to).map(drop),
    }
}

#[cfg(unix)]
fn symlink_like(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink_like(target: &Path, link: &Path) -> io::Result<()> {
    std::fs::copy(target, link).map(drop)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes `bytes` to a new file at `path` and returns the file's stamp, read from the open file.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    let mut file = File::create_new(path)?;
    file.write_all(bytes)?;
    Ok(stamp(&file.metadata()?))
}

/// The metadata of the file at `path` when it holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<Metadata> {
    let metadata = std::fs::metadata(path).ok()?;
    (metadata.len() == bytes.len() as u64 && std::fs::read(path).is_ok_and(|old| old == bytes))
        .then_some(metadata)
}

/// The metadata of the file at `path` when it holds exactly what the file at `source` holds.
fn same_contents(source: &Path, path: &Path) -> Option<Metadata> {
    let metadata = std::fs::metadata(path).ok()?;
    if std::fs::metadata(source).ok()?.len() != metadata.len() {
        return None;
    }
    same_bytes(path, &std::fs::read(source).ok()?)
}

fn stamp(metadata: &Metadata) -> Stamp {
    (metadata.len(), modified(metadata))
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
/// every file it wrote. The files it lists are the only ones notis ever replaces or removes, and a
/// rebuild from the same inputs can tell from their stamps that the output is still intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The fingerprint of everything the build read, and how it was asked to build.
    pub inputs: u64,
    /// What the build reported, as one line of text (the build stage owns its format).
    pub summary: String,
    /// Size and modification time (nanoseconds) of each file notis wrote.
    pub files: BTreeMap<String, Stamp>,
}

impl Manifest {
    /// Where the manifest of `output` is kept: a hidden file next to it, never inside it.
    pub fn path(output: &Path) -> PathBuf {
        sibling(&resolve(output), "manifest")
    }

    /// Where a build keeps the next manifest while it puts the new tree in place.
    fn pending_path(output: &Path) -> PathBuf {
        sibling(&resolve(output), "manifest-pending")
    }

    /// Reads the manifest of `output`, if a build left one.
    pub fn read(output: &Path) -> Option<Manifest> {
        Manifest::read_from(&Manifest::path(output))
    }

    fn read_from(path: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
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

    fn save_to(&self, path: &Path) -> io::Result<()> {
        let mut text = format!(
            "notis-manifest 1 {}\n{}\n",
            self.inputs,
            self.summary.replace('\n', " ")
        );
        for (path, (size, modified)) in &self.files {
            // Writing into a String cannot fail.
            let _ = writeln!(text, "{size} {modified} {path}");
        }
        let mut file = File::create(path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    }

    /// Whether every file the manifest lists is still in `output` as the build left it.
    pub fn matches(&self, output: &Path) -> bool {
        // Reading the metadata of tens of thousands of files is most of the work; it runs in parallel.
        self.files.par_iter().all(|(path, expected)| {
            std::fs::symlink_metadata(output.join(path))
                .is_ok_and(|metadata| metadata.is_file() && stamp(&metadata) == *expected)
        })
    }

    /// Makes a pending manifest current when its build put its tree in place before it was
    /// interrupted, and drops it otherwise.
    fn settle(output: &Path) -> io::Result<()> {
        let pending = Manifest::pending_path(output);
        if !pending.exists() {
            return Ok(());
        }
        let current = Manifest::read(output);
        let in_place = Manifest::read_from(&pending).is_some_and(|next| {
            let gone = |path: &&String| !next.files.contains_key(*path);
            next.matches(output)
                && current.as_ref().is_none_or(|current| {
                    current
                        .files
                        .keys()
                        .filter(gone)
                        .all(|path| std::fs::symlink_metadata(output.join(path)).is_err())
                })
        });
        if in_place {
            std::fs::rename(&pending, Manifest::path(output))
        } else {
            std::fs::remove_file(&pending)
        }
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
                .filter(|e| !e.file_type().is_dir())
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

    fn write(output: &Path, files: &[(&str, &str)]) -> Result<WriteReport, WriteError> {
        let writer = Writer::begin(output)?;
        for (path, text) in files {
            writer.put(rendered(path, text));
        }
        writer.commit(&one_stylesheet(), 7, "{}".into())
    }

    fn one_stylesheet() -> BTreeMap<String, StaticOrigin> {
        BTreeMap::from([("css/notis.css".to_string(), StaticOrigin::Embedded(b"body{}"))])
    }

    /// Every file under `dir` with its bytes, and every directory, by relative path.
    fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(Result::unwrap)
            .map(|entry| {
                let path = relative(entry.path().strip_prefix(dir).unwrap());
                let bytes = entry
                    .file_type()
                    .is_file()
                    .then(|| std::fs::read(entry.path()).unwrap());
                (path, bytes)
            })
            .collect()
    }

    fn siblings(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_first_build_leaves_nothing_but_the_output_and_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let report = write(&output, &[("a/index.html", "<p>")]).unwrap();
        assert_eq!(report.written, 2);
        assert!(output.join("a/index.html").is_file() && output.join("css/notis.css").is_file());
        assert_eq!(siblings(dir.path()), [".output.notis-manifest", "output"]);
    }

    #[test]
    fn a_rebuild_replaces_what_notis_wrote_and_keeps_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, &[("a/index.html", "A"), ("b/index.html", "B")]).unwrap();
        let foreign = [
            (".git/config", "[core]"),
            (".git/objects/ab/cdef", "object"),
            ("CNAME", "example.se"),
            (".well-known/security.txt", "Contact: mailto:x@example.se"),
            (
                "b/kvar.txt",
                "a colleague's file in a directory the site no longer has",
            ),
        ];
        for (path, text) in foreign {
            std::fs::create_dir_all(output.join(path).parent().unwrap()).unwrap();
            std::fs::write(output.join(path), text).unwrap();
        }
        std::fs::create_dir_all(output.join(".git/refs/tags")).unwrap();
        let kept_inode = std::fs::metadata(output.join("a/index.html")).unwrap();
        let report = write(&output, &[("a/index.html", "A"), ("c/index.html", "C")]).unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: 1,
                unchanged: 2,
                removed: 1
            }
        );
        for (path, text) in foreign {
            assert_eq!(
                std::fs::read_to_string(output.join(path)).unwrap(),
                text,
                "{path}"
            );
        }
        assert!(
            output.join(".git/refs/tags").is_dir(),
            "empty directories are kept too"
        );
        assert!(
            !output.join("b/index.html").exists(),
            "a page the site no longer has is gone"
        );
        assert_eq!(std::fs::read_to_string(output.join("c/index.html")).unwrap(), "C");
        let linked = std::fs::metadata(output.join("a/index.html")).unwrap();
        assert_eq!(
            stamp(&linked),
            stamp(&kept_inode),
            "an unchanged file is the same file"
        );
        assert_eq!(
            siblings(dir.path()),
            [".output.notis-manifest", ".output.notis-staging", "output"],
            "the old tree is kept as the next staging tree"
        );
    }

    #[test]
    fn a_file_notis_did_not_write_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, &[("a/index.html", "A")]).unwrap();
        std::fs::create_dir_all(output.join("b")).unwrap();
        std::fs::write(output.join("b/index.html"), "mine").unwrap();
        std::fs::write(output.join("c"), "a file where the site needs a directory").unwrap();
        let before = tree(&output);
        let error = write(
            &output,
            &[
                ("a/index.html", "A2"),
                ("b/index.html", "B"),
                ("c/index.html", "C"),
            ],
        );
        match error {
            Err(WriteError::Collisions(paths)) => assert_eq!(paths, ["b/index.html", "c"]),
            other => panic!("expected collisions, got {other:?}"),
        }
        assert_eq!(tree(&output), before, "the output is untouched");
    }

    #[test]
    fn what_an_interrupted_build_left_is_cleared_and_its_manifest_adopted_only_if_its_tree_is_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, &[("a/index.html", "A")]).unwrap();
        let current = Manifest::read(&output).unwrap();
        // Interrupted before the exchange: a staging tree and a pending manifest of files not in place.
        std::fs::create_dir_all(sibling(&output, "staging").join("x")).unwrap();
        let mut next = current.clone();
        next.inputs = 8;
        next.files.insert("x/index.html".into(), (1, 1));
        next.save_to(&Manifest::pending_path(&output)).unwrap();
        clear_leftovers(&output).unwrap();
        assert_eq!(Manifest::read(&output), Some(current.clone()));
        assert_eq!(
            siblings(dir.path()),
            [".output.notis-manifest", ".output.notis-staging", "output"]
        );
        // Interrupted after the exchange: the pending manifest describes the output.
        let mut next = current.clone();
        next.inputs = 9;
        next.save_to(&Manifest::pending_path(&output)).unwrap();
        clear_leftovers(&output).unwrap();
        assert_eq!(Manifest::read(&output).map(|m| m.inputs), Some(9));
    }

    #[test]
    fn a_full_disk_is_one_error_and_the_output_stays() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, &[("a/index.html", "A")]).unwrap();
        let before = tree(&output);
        let writer = Writer::begin(&output).unwrap();
        writer.fail(io::Error::from(io::ErrorKind::StorageFull));
        writer.put(rendered("b/index.html", "B"));
        let error = writer.commit(&one_stylesheet(), 7, "{}".into());
        assert!(matches!(error, Err(WriteError::Io(e)) if e.kind() == io::ErrorKind::StorageFull));
        assert_eq!(tree(&output), before);
        assert_eq!(siblings(dir.path()), [".output.notis-manifest", "output"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_staging_tree_kept_from_earlier_builds_gives_the_same_output_as_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let (kept, fresh) = (dir.path().join("kept"), dir.path().join("fresh"));
        write(&kept, &[("a/index.html", "A1"), ("b/index.html", "B1")]).unwrap();
        write(
            &kept,
            &[
                ("a/index.html", "A2"),
                ("b/index.html", "B1"),
                ("d/e/index.html", "E"),
            ],
        )
        .unwrap();
        // What an earlier build or an interruption may have left in the staging tree: a link to a
        // directory outside, a file where a directory is needed, a stray file and directory.
        let staging = sibling(&kept, "staging");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::remove_dir_all(staging.join("a")).unwrap();
        std::os::unix::fs::symlink(&outside, staging.join("a")).unwrap();
        std::fs::write(staging.join("c"), "stray").unwrap();
        std::fs::create_dir_all(staging.join("x/y")).unwrap();
        std::fs::write(staging.join("x/y/z.html"), "stray").unwrap();
        let pages = [
            ("a/index.html", "A3"),
            ("c/index.html", "C"),
            ("d/e/index.html", "E"),
        ];
        write(&kept, &pages).unwrap();
        write(&fresh, &pages).unwrap();
        assert_eq!(tree(&kept), tree(&fresh));
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            0,
            "nothing was written through the link"
        );
        // Once more, so that the kept tree is the one the stray entries were in.
        write(&kept, &pages).unwrap();
        assert_eq!(tree(&kept), tree(&fresh));
    }

    #[test]
    fn the_manifest_notices_a_touched_file_and_ignores_foreign_ones() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, &[("a/index.html", "A")]).unwrap();
        let manifest = Manifest::read(&output).unwrap();
        assert_eq!(manifest.files.len(), 2);
        std::fs::write(output.join("CNAME"), "example.se").unwrap();
        assert!(manifest.matches(&output));
        std::fs::write(output.join("a/index.html"), "changed by hand").unwrap();
        assert!(!manifest.matches(&output));
    }

    #[test]
    fn the_manifest_lists_the_stamps_of_the_files_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        for pages in [
            [("a/index.html", "A"), ("b/index.html", "B")],
            [("a/index.html", "A"), ("c/index.html", "C")],
        ] {
            write(&output, &pages).unwrap();
            let manifest = Manifest::read(&output).unwrap();
            for (path, expected) in &manifest.files {
                assert_eq!(
                    stamp(&std::fs::metadata(output.join(path)).unwrap()),
                    *expected,
                    "{path}"
                );
            }
            assert_eq!(manifest.files.len(), 3);
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_permissions_of_the_output_directory_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        write(&output, &[("a/index.html", "A")]).unwrap();
        std::fs::set_permissions(&output, Permissions::from_mode(0o750)).unwrap();
        write(&output, &[("a/index.html", "B")]).unwrap();
        assert_eq!(
            std::fs::metadata(&output).unwrap().permissions().mode() & 0o777,
            0o750
        );
    }

    #[test]
    fn outputs_that_would_risk_the_users_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for path in [
            "content/nyheter",
            "static",
            "annan/content",
            "egen/filer",
            "git/.git",
        ] {
            std::fs::create_dir_all(root.join(path)).unwrap();
        }
        std::fs::write(root.join("site.yaml"), "title: x").unwrap();
        std::fs::write(root.join("egen/filer/rapport.pdf"), "%PDF").unwrap();
        std::fs::write(root.join("fil"), "x").unwrap();
        let refused = |output: &str| check_target(&root, &root.join(output)).err().map(|d| d.message);
        for output in [
            ".",
            "..",
            "content",
            "content/nyheter/ut",
            "static/ut",
            "annan",
            "egen",
            "fil",
        ] {
            assert!(refused(output).is_some(), "{output} is refused");
        }
        assert!(refused("egen").unwrap().contains("(till exempel filer)"));
        for output in ["output", "ny/katalog", "git"] {
            assert_eq!(refused(output), None, "{output} is accepted");
        }
        write(&root.join("byggd"), &[("a/index.html", "A")]).unwrap();
        assert_eq!(refused("byggd"), None, "a directory notis built into is accepted");
    }
}

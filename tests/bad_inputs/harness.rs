//! Runs one bad-input case: builds the known-good site (tests/fixtures/good) into its output,
//! breaks it as the case says, runs the case's command and checks the exit code, the diagnostic and
//! that nothing the first build left (output/, the manifest next to it, the site itself) changed.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;

use crate::common::{copy_dir, describe, diagnostics, fixture, notis, snapshot, stderr, stdout};

/// The day every case builds for.
pub const TODAY: &str = "2026-06-01";

/// One way to break the known-good site. Paths are relative to the site root.
#[derive(Debug, Clone, Copy)]
pub enum Change {
    /// Writes a text file (creating its directory), replacing one that is there.
    Write(&'static str, &'static str),
    /// Writes bytes that need not be text.
    Bytes(&'static str, &'static [u8]),
    /// Replaces the first occurrence of a text in a file; the text must be there.
    Replace(&'static str, &'static str, &'static str),
    /// Removes a file or a directory with everything in it.
    Remove(&'static str),
}

/// The command a case runs on the broken site. `--root` is always added; `--today` is added to
/// every form but [`Command::Raw`].
#[derive(Debug, Clone, Copy)]
pub enum Command {
    /// `notis build`.
    Build,
    /// `notis check`.
    Check,
    /// `notis new …` with these arguments.
    New(&'static [&'static str]),
    /// Exactly these arguments (for usage errors, which are about the arguments themselves).
    Raw(&'static [&'static str]),
    /// `notis build --output ROOT/PATH`: an output directory given relative to the site.
    BuildInto(&'static str),
}

/// One bad input and what notis must say about it.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// What the case breaks; named in every failure.
    pub name: &'static str,
    /// How the known-good site is broken, in order.
    pub changes: &'static [Change],
    /// What runs on the broken site.
    pub command: Command,
    /// The expected exit code: 1 for content errors, 2 for usage errors, 0 when only a warning is
    /// expected.
    pub exit: i32,
    /// The file the diagnostic names, as printed (`content/om.md`); empty when the message names no
    /// file (usage errors, `notis new`'s own errors), and the phrase is then looked for anywhere in
    /// what the command printed.
    pub file: &'static str,
    /// The diagnostic's line; 0 when it is about the whole file and printed without one.
    pub line: usize,
    /// A phrase of the diagnostic's message.
    pub phrase: &'static str,
}

/// Every file and directory under a directory, by relative path: a file's bytes, `None` for a directory.
pub type Snapshot = BTreeMap<String, Option<Vec<u8>>>;

/// Runs `case` in a fresh temporary directory; `Err` says what went wrong, naming the case.
pub fn run_case(case: &Case) -> Result<(), String> {
    let fail = |what: String| Err(format!("case \"{}\": {what}", case.name));
    let dir = tempfile::tempdir().map_err(|e| format!("case \"{}\": temporary directory: {e}", case.name))?;
    let root = dir.path().join("site");
    copy_dir(&fixture("good"), &root);
    let built = notis()
        .args(site_args(&root, Command::Build))
        .output()
        .map_err(|e| format!("case \"{}\": notis does not run: {e}", case.name))?;
    if built.status.code() != Some(0) {
        return fail(format!(
            "the known-good site does not build\n{}",
            describe(&built)
        ));
    }
    for change in case.changes {
        if let Err(problem) = apply(&root, change) {
            return fail(problem);
        }
    }
    // The site root holds output/ and the files a build keeps next to it (the manifest, a staging
    // directory), so one snapshot covers all of them, and the inputs too.
    let before = snapshot(&root);
    let result = notis()
        .args(site_args(&root, case.command))
        .output()
        .map_err(|e| format!("case \"{}\": notis does not run: {e}", case.name))?;
    let after = snapshot(&root);
    let mut problems = Vec::new();
    if result.status.code() != Some(case.exit) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            result.status.code(),
            case.exit
        ));
    }
    if let Err(problem) = expect_diagnostic(case, &stdout(&result), &stderr(&result)) {
        problems.push(problem);
    }
    problems.extend(compare(&before, &after));
    if problems.is_empty() {
        Ok(())
    } else {
        fail(format!("{}\n{}", problems.join("\n"), describe(&result)))
    }
}

/// The arguments of `command` run on the site at `root`.
fn site_args(root: &Path, command: Command) -> Vec<OsString> {
    let (words, today): (Vec<&str>, bool) = match command {
        Command::Build => (vec!["build"], true),
        Command::Check => (vec!["check"], true),
        Command::New(args) => (std::iter::once("new").chain(args.iter().copied()).collect(), true),
        Command::Raw(args) => (args.to_vec(), false),
        Command::BuildInto(_) => (vec!["build"], true),
    };
    let mut all: Vec<OsString> = words.into_iter().map(OsString::from).collect();
    if let Command::BuildInto(output) = command {
        all.extend([OsString::from("--output"), root.join(output).into_os_string()]);
    }
    all.extend([OsString::from("--root"), root.as_os_str().to_owned()]);
    if today {
        all.extend([OsString::from("--today"), OsString::from(TODAY)]);
    }
    all
}

/// Applies one change to the site at `root`.
pub fn apply(root: &Path, change: &Change) -> Result<(), String> {
    let write = |path: &str, bytes: &[u8]| {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {path}'s directory: {e}"))?;
        }
        std::fs::write(&target, bytes).map_err(|e| format!("cannot write {path}: {e}"))
    };
    match *change {
        Change::Write(path, text) => write(path, text.as_bytes()),
        Change::Bytes(path, bytes) => write(path, bytes),
        Change::Replace(path, from, to) => {
            let text =
                std::fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))?;
            if !text.contains(from) {
                return Err(format!(
                    "{path} does not contain {from:?}, so the change would do nothing"
                ));
            }
            write(path, text.replacen(from, to, 1).as_bytes())
        }
        Change::Remove(path) => {
            let target = root.join(path);
            let removed = if target.is_dir() {
                std::fs::remove_dir_all(&target)
            } else {
                std::fs::remove_file(&target)
            };
            removed.map_err(|e| format!("cannot remove {path}: {e}"))
        }
    }
}

/// Whether what a command printed holds the case's diagnostic: at the case's file and line, an
/// error ("fel") when the case expects a failing exit code and a warning ("varning") otherwise,
/// with the phrase in its message.
pub fn expect_diagnostic(case: &Case, stdout: &str, stderr: &str) -> Result<(), String> {
    if case.file.is_empty() {
        return if stderr.contains(case.phrase) || stdout.contains(case.phrase) {
            Ok(())
        } else {
            Err(format!("nothing printed contains {:?}", case.phrase))
        };
    }
    let label = if case.exit == 0 { "varning" } else { "fel" };
    let printed = diagnostics(stderr);
    let found = printed.iter().any(|d| {
        d.path == case.file && d.line == case.line && d.label == label && d.message.contains(case.phrase)
    });
    if found {
        return Ok(());
    }
    let location = if case.line == 0 {
        case.file.to_string()
    } else {
        format!("{}:{}", case.file, case.line)
    };
    let elsewhere: Vec<String> = printed
        .iter()
        .filter(|d| d.message.contains(case.phrase))
        .map(|d| format!("{}:{}: {}: {}", d.path, d.line, d.label, d.message))
        .collect();
    let seen = if elsewhere.is_empty() {
        String::new()
    } else {
        format!("; the phrase was printed at {}", elsewhere.join(" | "))
    };
    Err(format!("no {label} at {location} with {:?}{seen}", case.phrase))
}

/// What differs between two snapshots: each added, removed or changed path, one line each (empty
/// when they are the same).
pub fn compare(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut differences = Vec::new();
    for (path, old) in before {
        match after.get(path) {
            None => differences.push(format!("{path} was removed")),
            Some(new) if new != old => {
                let at = match (old, new) {
                    (Some(old), Some(new)) => {
                        let first = old.iter().zip(new).position(|(a, b)| a != b);
                        format!(
                            " (first difference at byte {}, {} bytes before, {} after)",
                            first.unwrap_or(old.len().min(new.len())),
                            old.len(),
                            new.len()
                        )
                    }
                    _ => " (a file became a directory or the other way round)".to_string(),
                };
                differences.push(format!("{path} was changed{at}"));
            }
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        differences.push(format!("{path} was added"));
    }
    differences
}

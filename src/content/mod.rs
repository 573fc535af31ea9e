//! Content loading: every Markdown file under `content/` read once, in parallel, and split into
//! typed front matter and a Markdown body that remembers the line it starts on.
//!
//! Nothing downstream reads content files again. A file with mistakes yields diagnostics for all of
//! them and no source, so later stages see only files they can trust.

pub mod data;
pub mod front_matter;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{line_of_offset, Diagnostic};
use crate::yaml::{parse_mapping, Fields};
use front_matter::{
    file_stem, read_page, read_section, section_keys, split_date_prefix, PageFrontMatter, SectionFrontMatter,
    PAGE_KEYS,
};

/// The directory under the site root that holds the Markdown files.
pub const CONTENT_DIR: &str = "content";

/// The file that makes a directory a section.
pub const SECTION_FILE: &str = "_index.md";

/// The front matter of a loaded file: a section's or a page's.
#[derive(Debug, Clone)]
pub enum Front {
    /// From an `_index.md`.
    Section(SectionFrontMatter),
    /// From any other `.md` file.
    Page(Box<PageFrontMatter>),
}

/// One content file, read and split.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to `content/`, with `/` separators (`barnens-basta/2019-12-13-samverkan.md`).
    pub content_path: String,
    /// Path relative to the site root, for diagnostics (`content/barnens-basta/…`).
    pub display_path: PathBuf,
    /// The front matter.
    pub front: Front,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// The whole file as read: the body is not copied out of it.
    text: String,
    /// Where the body starts in `text`.
    body_start: usize,
}

impl Source {
    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The directory of the file, relative to `content/` (`""` at the top).
    pub fn content_dir(&self) -> &str {
        self.content_path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// Reads every content file under `root/content`; returns the good ones and the problems of the rest.
pub fn load(root: &Path) -> (Vec<Arc<Source>>, Vec<Diagnostic>) {
    read(root, find(root))
}

/// The Markdown files of a site, found and not yet read: a build looks for them while it
/// fingerprints its inputs, on the other core.
pub struct Found {
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
}

/// Finds the content files under `root/content`, with warnings for files that are not Markdown and
/// errors for what cannot be read.
pub fn find(root: &Path) -> Found {
    let (files, problems) = markdown_files(root, &root.join(CONTENT_DIR));
    Found { files, problems }
}

/// Reads the files `find` found; returns the good ones and the problems of the rest.
pub fn read(root: &Path, found: Found) -> (Vec<Arc<Source>>, Vec<Diagnostic>) {
    let content_root = root.join(CONTENT_DIR);
    let Found {
        files,
        problems: mut diagnostics,
    } = found;
    let results: Vec<Result<Arc<Source>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|path| read_source(root, &content_root, path).map(Arc::new))
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(source) => sources.push(source),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    (sources, diagnostics)
}

/// What a file read to, by its size and modification time, so the preview re-reads only changed files.
#[derive(Default)]
pub struct SourceCache {
    files: std::collections::HashMap<PathBuf, Cached>,
}

/// A file's size and modification time when it was read, and what it read to.
#[derive(Clone)]
struct Cached {
    len: u64,
    modified: Option<std::time::SystemTime>,
    result: Result<Arc<Source>, Vec<Diagnostic>>,
}

/// Like [`load`], but reuses what `cache` holds for files whose size and modification time are
/// unchanged, and leaves the cache holding the files read now. Sources are shared with the cache, so
/// the preview keeps one copy of each file.
pub fn load_cached(root: &Path, cache: &mut SourceCache) -> (Vec<Arc<Source>>, Vec<Diagnostic>) {
    let content_root = root.join(CONTENT_DIR);
    let (files, mut diagnostics) = markdown_files(root, &content_root);
    let previous = std::mem::take(&mut cache.files);
    let results: Vec<(PathBuf, Cached)> = files
        .into_par_iter()
        .map(|path| {
            let metadata = std::fs::metadata(&path).ok();
            let len = metadata.as_ref().map_or(0, std::fs::Metadata::len);
            let modified = metadata.and_then(|m| m.modified().ok());
            let cached = match previous.get(&path) {
                Some(old) if old.len == len && old.modified == modified && modified.is_some() => old.clone(),
                _ => Cached {
                    len,
                    modified,
                    result: read_source(root, &content_root, &path).map(Arc::new),
                },
            };
            (path, cached)
        })
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for (path, cached) in results {
        match &cached.result {
            Ok(source) => sources.push(Arc::clone(source)),
            Err(problems) => diagnostics.extend(problems.iter().cloned()),
        }
        cache.files.insert(path, cached);
    }
    (sources, diagnostics)
}

/// The Markdown files under `content_root`, sorted, with warnings for other files and errors for
/// what cannot be read.
fn markdown_files(root: &Path, content_root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if !content_root.is_dir() {
        diagnostics.push(
            Diagnostic::error(CONTENT_DIR, 0, "katalogen content/ saknas")
                .with_hint("skapa content/ med en startsida content/_index.md, eller en ny webbplats med \"notis init KATALOG\""),
        );
        return (Vec::new(), diagnostics);
    }
    let (entries, problems) = files_within(root, content_root);
    diagnostics.extend(problems);
    let mut files = Vec::new();
    for entry in entries {
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') || name.starts_with(".#") {
            continue;
        }
        if name.ends_with(".md") {
            files.push(entry.into_path());
        } else {
            let shown = crate::diagnostics::display_path(root, entry.path());
            diagnostics.push(
                Diagnostic::warning(
                    shown,
                    0,
                    "filen är ingen Markdown-fil och kommer inte med på webbplatsen",
                )
                .with_hint("lägg bilder och dokument i static/ och länka till dem med /bilder/namn.png"),
            );
        }
    }
    (in_walk_order(files), diagnostics)
}

/// Every file under `dir` of the site at `root`, in no particular order, with an error for each
/// link that leads out of `dir` and for what cannot be read.
///
/// Links that stay inside `dir` are followed, so a file or directory linked from elsewhere in the
/// same directory is read like any other. A link out of it is not followed: a site is built from
/// its own files, and a link must not bring `/etc/passwd` or another site's pages into the output.
/// Keeping links inside also keeps every file that is read among those the build's input
/// fingerprint looks at.
pub(crate) fn files_within(root: &Path, dir: &Path) -> (Vec<walkdir::DirEntry>, Vec<Diagnostic>) {
    let shown = |path: &Path| crate::diagnostics::display_path(root, path);
    let mut problems = Vec::new();
    let Ok(boundary) = dir.canonicalize() else {
        problems.push(Diagnostic::error(shown(dir), 0, "kan inte läsa katalogen"));
        return (Vec::new(), problems);
    };
    let mut links_out = Vec::new();
    let walk = WalkDir::new(dir).follow_links(true).into_iter().filter_entry(|entry| {
        if entry.depth() == 0 || !entry.path_is_symlink() {
            return true;
        }
        match entry.path().canonicalize() {
            Ok(target) if !target.starts_with(&boundary) => {
                links_out.push(
                    Diagnostic::error(
                        shown(entry.path()),
                        0,
                        format!(
                            "länken pekar på {}, som ligger utanför {}/",
                            target.display(),
                            shown(dir).display()
                        ),
                    )
                    .with_hint("kopiera in filen i stället för att länka till den; notis följer bara länkar som stannar i katalogen"),
                );
                false
            }
            // A broken link is reported by the walk, which cannot follow it.
            _ => true,
        }
    });
    let mut files = Vec::new();
    for entry in walk {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry),
            Ok(_) => {}
            Err(error) => {
                let path = error.path().map_or_else(|| shown(dir), shown);
                problems.push(Diagnostic::error(path, 0, format!("kan inte läsa: {error}")));
            }
        }
    }
    problems.append(&mut links_out);
    (files, problems)
}

/// `files` in the order of a walk that visits each directory's entries sorted by name, which is
/// the order of their paths compared component by component. Each path is split into components
/// once: sorting while walking, or comparing paths, splits them again at every comparison, which a
/// directory of 10,000 news items turns into a noticeable pause before anything runs in parallel.
fn in_walk_order(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut keyed: Vec<(Vec<std::ffi::OsString>, PathBuf)> = files
        .into_iter()
        .map(|path| {
            let key = path.components().map(|c| c.as_os_str().to_os_string()).collect();
            (key, path)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, path)| path).collect()
}

fn read_source(root: &Path, content_root: &Path, path: &Path) -> Result<Source, Vec<Diagnostic>> {
    let display_path = crate::diagnostics::display_path(root, path);
    let content_path = path
        .strip_prefix(content_root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let bytes = std::fs::read(path).map_err(|error| {
        vec![Diagnostic::error(
            &display_path,
            0,
            format!("kan inte läsa filen: {error}"),
        )]
    })?;
    let text = utf8_text(bytes).map_err(|bytes| {
        let offset = std::str::from_utf8(&bytes)
            .err()
            .map_or(bytes.len(), |error| error.valid_up_to());
        let valid = String::from_utf8_lossy(&bytes[..offset]).into_owned();
        let line = line_of_offset(&valid, offset);
        let column = valid[valid.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
        vec![
            Diagnostic::error(&display_path, line, "filen är inte sparad som UTF-8")
                .at_column(column)
                .with_hint(
                    "spara filen med teckenkodningen UTF-8 i din textredigerare (å, ä och ö blir annars fel)",
                ),
        ]
    })?;
    parse_source(text, content_path, display_path)
}

/// `bytes` as text, or back as they are when they are not UTF-8. Checked with SIMD: with å, ä and ö
/// on every line, the standard library's check leaves its fast path for plain ASCII and was 3 % of a
/// build.
fn utf8_text(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: simdutf8 has just checked that `bytes` is UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        Err(_) => Err(bytes),
    }
}

/// Splits `text` into front matter and body and reads the front matter.
pub fn parse_source(
    text: String,
    content_path: String,
    display_path: PathBuf,
) -> Result<Source, Vec<Diagnostic>> {
    let without_mark = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mark_len = text.len() - without_mark.len();
    let Some((yaml, body_offset, body_line)) = split_front_matter(without_mark) else {
        return Err(vec![Diagnostic::error(&display_path, 1, "filen börjar inte med front matter")
            .with_hint("börja filen med en rad \"---\", sedan till exempel \"title: Rubrik\", och avsluta med en rad \"---\"")]);
    };
    let entries = parse_mapping(yaml, &display_path, 2).map_err(|d| vec![d])?;
    let is_section = content_path.rsplit('/').next() == Some(SECTION_FILE);
    let (front, problems) = if is_section {
        let mut fields = Fields::new(&display_path, 2, entries, &section_keys());
        let front = read_section(&mut fields);
        (Front::Section(front), fields.into_diagnostics())
    } else {
        let mut fields = Fields::new(&display_path, 2, entries, PAGE_KEYS);
        let (file_date, _) = split_date_prefix(file_stem(Path::new(&content_path)));
        let front = read_page(&mut fields, file_date);
        (Front::Page(Box::new(front)), fields.into_diagnostics())
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Source {
        content_path,
        display_path,
        front,
        body_line,
        body_start: mark_len + body_offset,
        text,
    })
}

/// Splits `---` delimited front matter from the body: (YAML, where the body starts, line of the
/// body's first line).
fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &text[yaml_start..offset];
            let body_start = offset + line.len();
            let body_line = line_of_offset(text, body_start);
            return Some((yaml, body_start, body_line));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_in_the_order_of_a_walk_sorted_by_name() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let content = dir.path().join(CONTENT_DIR);
        // "a-b" and "a.md" sort between "a" and "b.md" by name, but not by whole path.
        for file in [
            "b.md",
            "a.md",
            "a-b/c.md",
            "a/c/d.md",
            "a/b.md",
            "a/c.md",
            "_index.md",
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directory");
            std::fs::write(&path, "---\ntitle: T\n---\n").expect("write file");
        }
        let walked: Vec<PathBuf> = WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .collect();
        let (files, problems) = markdown_files(dir.path(), &content);
        assert!(problems.is_empty());
        assert_eq!(files, walked);
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(&content)
                    .expect("under content")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(
            names,
            [
                "_index.md",
                "a/b.md",
                "a/c/d.md",
                "a/c.md",
                "a-b/c.md",
                "a.md",
                "b.md"
            ]
        );
    }

    #[test]
    fn body_line_counts_the_front_matter() {
        let source = parse_source(
            "---\ntitle: Hej\n---\nFörsta raden\n".into(),
            "a.md".into(),
            "content/a.md".into(),
        )
        .expect("valid");
        assert_eq!(source.body_line, 4);
        assert_eq!(source.body(), "Första raden\n");
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let source = parse_source(
            "\u{feff}---\r\ntitle: Hej\r\n---\r\nText\r\n".into(),
            "a.md".into(),
            "content/a.md".into(),
        )
        .expect("valid");
        assert_eq!(source.body_line, 4);
        assert_eq!(source.body(), "Text\r\n");
    }

    #[test]
    fn missing_front_matter_is_one_error() {
        let errors = parse_source("# Rubrik\n".into(), "a.md".into(), "content/a.md".into()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(parse_source("---\ntitle: Hej\n".into(), "a.md".into(), "content/a.md".into()).is_err());
    }

    #[test]
    fn sections_use_section_keys() {
        let errors = parse_source(
            "---\ntitle: A\ndate: 2019-01-01\n---\n".into(),
            "x/_index.md".into(),
            "content/x/_index.md".into(),
        )
        .unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("okänd nyckel"));
    }
}

//! Helpers shared by the integration tests: running the `notis` binary, copying fixture sites,
//! snapshotting directories, parsing the generated HTML and checking every internal link.
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{ElementRef, Html, Selector};

/// The day every test builds for unless it tests the day itself.
pub const TODAY: &str = "2026-11-23";

/// The bundled site's `base_url` (site.yaml at the repository root).
pub const BUNDLED_BASE_URL: &str = "https://example.se/barnhalsa/";

/// The repository root, which is also the bundled site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

/// The built `notis` binary, with `NOTIS_TODAY` removed so only `--today` decides the day.
pub fn notis() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notis"));
    command.env_remove("NOTIS_TODAY");
    command
}

/// Runs `notis` with `args` and returns what it did.
pub fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    notis().args(args).output().expect("the notis binary runs")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A one-line description of a run, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    )
}

/// Runs `notis COMMAND --root ROOT --today TODAY` and returns what it did.
pub fn run_on_site(command: &str, root: &Path) -> Output {
    run([
        OsStr::new(command),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

/// Builds the site at `root` for `today` into `output`; panics unless the build succeeds. Returns
/// what the command printed.
pub fn build_ok(root: &Path, output: &Path, today: &str) -> Output {
    let result = run([
        OsStr::new("build"),
        OsStr::new("--root"),
        root.as_os_str(),
        OsStr::new("--output"),
        output.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(today),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "building {} failed:\n{}",
        root.display(),
        describe(&result)
    );
    result
}

/// Builds the repository's own site for `today` into a fresh temporary directory (never into the
/// repository's output/). Returns the directory, which must be kept alive, and the output in it.
pub fn build_bundled(today: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = dir.path().join("out");
    build_ok(&repo_root(), &output, today);
    (dir, output)
}

/// Copies the directory tree `from` into `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Every file and directory under `dir`, by path relative to it (with `/`): a file's bytes, or
/// `None` for a directory. Two equal snapshots mean nothing was added, removed or changed.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Option<Vec<u8>>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read directory")
            .map(|e| e.expect("directory entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let relative = relative(root, &path);
            if entry.file_type().expect("file type").is_dir() {
                into.insert(format!("{relative}/"), None);
                walk(root, &path, into);
            } else {
                into.insert(relative, Some(std::fs::read(&path).expect("read file")));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// The paths of a snapshot, for readable assertion messages.
pub fn listing(snapshot: &BTreeMap<String, Option<Vec<u8>>>) -> Vec<&str> {
    snapshot.keys().map(String::as_str).collect()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `.html` file under `dir`, sorted.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .map(|p| dir.join(p))
        .collect()
}

/// Parses an HTML file.
pub fn parse_html(path: &Path) -> Html {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Html::parse_document(&text)
}

/// A CSS selector; panics on a typo in the test.
pub fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector:?}: {e:?}"))
}

/// The text of an element with runs of whitespace collapsed to one space and the ends trimmed.
pub fn text(element: ElementRef<'_>) -> String {
    normalise(&element.text().collect::<String>())
}

/// Collapses whitespace runs to one space and trims.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The texts of all elements matching `selector`.
pub fn texts(document: &Html, selector: &str) -> Vec<String> {
    document.select(&sel(selector)).map(text).collect()
}

/// The text of the one `<h1>` of a page; panics unless there is exactly one.
pub fn h1(document: &Html) -> String {
    let all = texts(document, "h1");
    assert_eq!(all.len(), 1, "expected exactly one <h1>, found {all:?}");
    all.into_iter().next().unwrap_or_default()
}

/// The path part of a base URL: `https://example.se/barnhalsa/` → `/barnhalsa/`.
pub fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(index) => after_scheme[index..].to_string(),
        None => "/".to_string(),
    }
}

/// Decodes `%XX` escapes in a URL path.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Some(value) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a URL names a scheme (`https:`, `mailto:`, `tel:` …).
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The ids (and `<a name>`s) of every element of an HTML file, cached by path.
struct Anchors {
    by_file: HashMap<PathBuf, HashSet<String>>,
}

impl Anchors {
    fn of(&mut self, file: &Path) -> &HashSet<String> {
        self.by_file.entry(file.to_path_buf()).or_insert_with(|| {
            let document = parse_html(file);
            document
                .select(&sel("[id], a[name]"))
                .filter_map(|e| e.value().attr("id").or_else(|| e.value().attr("name")))
                .map(str::to_string)
                .collect()
        })
    }
}

/// Checks every `href` and `src` in every HTML file under `output`, for a site published at
/// `base_url`. Returns one line per problem (empty when all is well):
///
/// - a root-relative URL (`/…`) must start with the site's base path and, with the base path
///   stripped, the query and `#fragment` removed and a trailing `/` read as `index.html`, name a
///   file that exists in the output; a fragment must name an id in that file when it is HTML;
/// - an absolute URL on the site itself (`base_url…`, e.g. canonical links) is checked the same way;
/// - a same-page fragment (`#x`) must name an id in the page;
/// - a relative URL (`bilder/x.svg`, `../a/`) is a problem: with pretty URLs, and on the 404 page
///   that is served from any directory, it points somewhere else than meant;
/// - other absolute URLs (`https://…`, `mailto:`, `//host/…`) are not checked.
pub fn check_links(output: &Path, base_url: &str) -> Vec<String> {
    let base_path = base_path_of(base_url);
    let links = sel("[href], [src]");
    let mut anchors = Anchors {
        by_file: HashMap::new(),
    };
    let mut problems = Vec::new();
    for file in html_files(output) {
        let shown = relative(output, &file);
        let document = parse_html(&file);
        for element in document.select(&links) {
            for attribute in ["href", "src"] {
                let Some(url) = element.value().attr(attribute) else {
                    continue;
                };
                let url = url.trim();
                let at = format!("{shown}: {attribute}=\"{url}\"");
                let local = if let Some(rest) = url.strip_prefix(base_url) {
                    format!("{base_path}{rest}")
                } else if url.starts_with("//") || has_scheme(url) {
                    continue;
                } else {
                    url.to_string()
                };
                if let Some(fragment) = local.strip_prefix('#') {
                    if !fragment.is_empty() && !anchors.of(&file).contains(&percent_decode(fragment)) {
                        problems.push(format!("{at}: no element with id \"{fragment}\" in the page"));
                    }
                    continue;
                }
                if !local.starts_with('/') {
                    problems.push(format!(
                        "{at}: relative URL; every internal URL should be root-relative with the base path {base_path}"
                    ));
                    continue;
                }
                let Some(inside) = local.strip_prefix(&base_path) else {
                    problems.push(format!("{at}: does not start with the base path {base_path}"));
                    continue;
                };
                let (path_and_query, fragment) = inside.split_once('#').unwrap_or((inside, ""));
                let path = path_and_query.split('?').next().unwrap_or("");
                let mut path = percent_decode(path);
                if path.is_empty() || path.ends_with('/') {
                    path.push_str("index.html");
                }
                let target = output.join(&path);
                if path.split('/').any(|segment| segment == "..") || !target.is_file() {
                    problems.push(format!("{at}: {path} does not exist in the output"));
                    continue;
                }
                if !fragment.is_empty()
                    && path.ends_with(".html")
                    && !anchors.of(&target).contains(&percent_decode(fragment))
                {
                    problems.push(format!("{at}: no element with id \"{fragment}\" in {path}"));
                }
            }
        }
    }
    problems
}

/// One diagnostic printed by `notis build`: `path:line[:column]: fel: message` and its `tips:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The file, as printed.
    pub path: String,
    /// The line (0 when none was printed).
    pub line: usize,
    /// The column (0 when none was printed).
    pub column: usize,
    /// `fel` or `varning`.
    pub label: String,
    /// The message.
    pub message: String,
    /// The hint, if a `    tips:` line followed.
    pub hint: Option<String>,
}

/// Reads the diagnostics from `notis build`'s standard error; other lines (the count, the closing
/// sentence) are left out.
pub fn diagnostics(stderr: &str) -> Vec<Printed> {
    let mut found: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        if let Some(hint) = line.strip_prefix("    tips: ") {
            if let Some(last) = found.last_mut() {
                assert!(
                    last.hint.is_none(),
                    "two tips lines after one diagnostic:\n{stderr}"
                );
                last.hint = Some(hint.to_string());
            }
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        for label in ["fel", "varning"] {
            let Some((location, message)) = line.split_once(&format!(": {label}: ")) else {
                continue;
            };
            let mut parts = location.split(':');
            let path = parts.next().unwrap_or("").to_string();
            let numbers: Vec<usize> = parts.map(|p| p.parse().unwrap_or(usize::MAX)).collect();
            found.push(Printed {
                path,
                line: numbers.first().copied().unwrap_or(0),
                column: numbers.get(1).copied().unwrap_or(0),
                label: label.to_string(),
                message: message.to_string(),
                hint: None,
            });
            break;
        }
    }
    found
}

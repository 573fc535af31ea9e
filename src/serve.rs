//! Live preview: `notis serve` keeps the site in memory, rebuilds incrementally when a file changes,
//! serves it over HTTP on the local machine and reloads the browser after each rebuild.
//!
//! A rebuild loads and models the whole site again (cheap next to rendering) and then renders only
//! the output files whose inputs changed: the context a job would render from, or a template it
//! uses. What is served is therefore byte-identical to a full `notis build` of the same files; the
//! reload script and the error overlay are added to HTML responses only, never to the stored pages.
//! A content or template error keeps the last good site and shows the error over every page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{load_cached, Loaded};
use crate::content::SourceCache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{self, RenderedFile, Renderer};
use crate::site::BuildOptions;
use crate::theme::StaticOrigin;

/// The URL path of the live-reload event stream; outside any base path a site can have.
pub const EVENTS_PATH: &str = "/__notis/livereload";

/// The script added before `</body>` of every HTML response: reload when the server says so.
const RELOAD_SCRIPT: &str =
    "<script data-notis-reload>(function(){var s=new EventSource(\"/__notis/livereload\");\
s.onmessage=function(){location.reload();};})();</script>";

/// How long a rebuild waits for more file events before it starts.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// The directories and files of a site that a change in triggers a rebuild.
pub const WATCHED: [&str; 5] = ["content", "themes", "templates", "static", "data"];

/// What a rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// The site was rebuilt.
    Rebuilt {
        /// Output files rendered again.
        rendered: usize,
        /// Output files that no longer exist.
        removed: usize,
        /// Output files in all.
        total: usize,
        /// Warnings.
        warnings: Vec<Diagnostic>,
        /// Wall time.
        elapsed: Duration,
    },
    /// The site has errors; the last good site is kept.
    Failed(Vec<Diagnostic>),
}

/// What a job rendered from last time, to tell whether it must be rendered again.
#[derive(Clone, PartialEq, Eq)]
struct Fingerprint {
    context: u64,
    template: String,
}

/// What a rebuild needs from the last one: the content it read and what each output was rendered
/// from. Only the rebuilding thread touches it, so requests are served while a rebuild runs.
pub struct Builder {
    root: PathBuf,
    options: BuildOptions,
    sources: SourceCache,
    fingerprints: HashMap<String, Fingerprint>,
    template_hashes: HashMap<String, u64>,
}

/// The result of a successful rebuild, to be swapped into the served site.
pub struct Update {
    rendered: Vec<crate::render::RenderedFile>,
    outputs: BTreeSet<String>,
    statics: BTreeMap<String, StaticOrigin>,
    base_path: String,
    warnings: Vec<Diagnostic>,
    started: Instant,
}

impl Builder {
    /// A builder for the site at `root` that has built nothing yet.
    pub fn new(root: &Path, options: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            options,
            sources: SourceCache::default(),
            fingerprints: HashMap::new(),
            template_hashes: HashMap::new(),
        }
    }

    /// Loads the site and renders the output files whose inputs changed since the last success.
    pub fn build(&mut self) -> Result<Update, Diagnostics> {
        let started = Instant::now();
        let Loaded {
            site,
            theme,
            templates: tera,
            warnings,
        } = load_cached(&self.root, &self.options, &mut self.sources)?;
        let with_warnings = |problems: Vec<Diagnostic>| {
            let mut all = warnings.clone();
            all.extend(problems);
            all
        };
        let template_hashes: HashMap<String, u64> = theme
            .templates
            .iter()
            .map(|(name, source)| (name.clone(), hash(&source.text)))
            .collect();
        let changed_templates: BTreeSet<&str> = template_hashes
            .iter()
            .filter(|(name, hash)| self.template_hashes.get(*name) != Some(hash))
            .map(|(name, _)| name.as_str())
            .chain(
                self.template_hashes
                    .keys()
                    .filter(|name| !template_hashes.contains_key(*name))
                    .map(String::as_str),
            )
            .collect();
        let uses = template_uses(
            &theme
                .templates
                .iter()
                .map(|(n, s)| (n.clone(), s.text.clone()))
                .collect(),
        );
        let affected = |template: &str| {
            uses.get(template)
                .is_some_and(|used| used.iter().any(|u| changed_templates.contains(u.as_str())))
        };

        let renderer = Renderer::new(&site, &theme, &tera).map_err(&with_warnings)?;
        let jobs = render::plan(&site, &theme);
        // Each job is prepared and fingerprinted, and rendered at once if its inputs changed: no
        // template context outlives its job, so even the first build holds only the output.
        let mut results: Vec<JobOutcome> = jobs
            .par_iter()
            .map_init(
                || renderer.shared_context(),
                |shared, job| {
                    let prepared = renderer.prepare(job);
                    let fingerprint = Fingerprint {
                        context: renderer.fingerprint(&prepared),
                        template: prepared.template.to_string(),
                    };
                    let output = prepared.output.clone();
                    let stale =
                        self.fingerprints.get(&output) != Some(&fingerprint) || affected(prepared.template);
                    let rendered = stale.then(|| {
                        renderer
                            .render_checked(job, prepared, shared)
                            .map(|(file, findings)| (file.kept(), findings))
                    });
                    (output, fingerprint, rendered)
                },
            )
            .collect();
        let (rendered, findings): (Vec<RenderedFile>, Vec<Vec<Diagnostic>>) = render::collect(
            results
                .iter_mut()
                .filter_map(|(_, _, rendered)| rendered.take())
                .collect(),
        )
        .map_err(&with_warnings)?
        .into_iter()
        .unzip();
        let checked = render::merge_findings(
            renderer
                .entry_findings()
                .iter()
                .cloned()
                .chain(findings.into_iter().flatten()),
        )
        .map_err(&with_warnings)?;
        let mut warnings = warnings;
        warnings.extend(checked);
        let outputs = results.iter().map(|(output, _, _)| output.clone()).collect();
        self.fingerprints = results
            .into_iter()
            .map(|(output, fingerprint, _)| (output, fingerprint))
            .collect();
        self.template_hashes = template_hashes;
        Ok(Update {
            rendered,
            outputs,
            statics: theme.static_files.clone(),
            base_path: site.config.base_path.clone(),
            warnings: warnings.into_sorted(),
            started,
        })
    }
}

/// One job of a rebuild: its output path, its fingerprint, and what rendering it gave if it had to.
type JobOutcome = (
    String,
    Fingerprint,
    Option<Result<(RenderedFile, Vec<Diagnostic>), Diagnostic>>,
);

/// A file to serve.
pub enum Served {
    /// Rendered bytes.
    Rendered(Arc<Vec<u8>>),
    /// A static file on disk.
    Disk(PathBuf),
    /// A static file of the built-in theme.
    Embedded(&'static [u8]),
}

/// The site being served: the output files in memory, and the error of the last rebuild, if any.
pub struct Preview {
    root: PathBuf,
    files: HashMap<String, Arc<Vec<u8>>>,
    statics: BTreeMap<String, StaticOrigin>,
    error: Option<String>,
    base_path: String,
    generation: u64,
}

impl Preview {
    /// An empty preview of the site at `root`.
    pub fn new(root: &Path) -> Preview {
        Preview {
            root: root.to_path_buf(),
            files: HashMap::new(),
            statics: BTreeMap::new(),
            error: None,
            base_path: "/".into(),
            generation: 0,
        }
    }

    /// Swaps in a rebuild's files, or keeps the last good site and shows the rebuild's errors.
    pub fn apply(&mut self, result: Result<Update, Diagnostics>) -> Outcome {
        self.generation += 1;
        match result {
            Ok(update) => {
                self.error = None;
                let before = self.files.len();
                self.files.retain(|path, _| update.outputs.contains(path));
                let removed = before - self.files.len();
                let rendered = update.rendered.len();
                for file in update.rendered {
                    self.files.insert(file.path, Arc::new(file.bytes));
                }
                self.statics = update.statics;
                self.base_path = update.base_path;
                Outcome::Rebuilt {
                    rendered,
                    removed,
                    total: self.files.len(),
                    warnings: update.warnings,
                    elapsed: update.started.elapsed(),
                }
            }
            Err(diagnostics) => {
                let sorted = diagnostics.into_sorted();
                let text: Vec<String> = sorted.iter().map(ToString::to_string).collect();
                self.error = Some(text.join("\n"));
                if self.files.is_empty() {
                    if let Ok((config, _)) = crate::config::SiteConfig::load_best_effort(&self.root) {
                        self.base_path = config.base_path;
                    }
                }
                Outcome::Failed(sorted)
            }
        }
    }

    /// The site's base path (`/barnhalsa/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The error shown over every page, if the last rebuild failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// How many rebuilds have been made.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The file at an output path (`barnens-basta/index.html`). Rendered files win over static files.
    pub fn file(&self, path: &str) -> Option<Served> {
        if let Some(bytes) = self.files.get(path) {
            return Some(Served::Rendered(Arc::clone(bytes)));
        }
        match self.statics.get(path)? {
            StaticOrigin::Disk(source) => Some(Served::Disk(source.clone())),
            StaticOrigin::Embedded(bytes) => Some(Served::Embedded(bytes)),
        }
    }

    /// Every rendered output path, sorted (for tests and comparisons with a full build).
    pub fn rendered_paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }
}

fn hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// For each template, every template it uses through `extends`, `include` and `import`, itself included.
fn template_uses(templates: &BTreeMap<String, String>) -> HashMap<String, BTreeSet<String>> {
    let direct: HashMap<&str, Vec<String>> = templates
        .iter()
        .map(|(name, text)| (name.as_str(), referenced_templates(text)))
        .collect();
    templates
        .keys()
        .map(|name| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![name.clone()];
            while let Some(current) = stack.pop() {
                if seen.insert(current.clone()) {
                    stack.extend(direct.get(current.as_str()).into_iter().flatten().cloned());
                }
            }
            (name.clone(), seen)
        })
        .collect()
}

/// The names in `{% extends "x" %}`, `{% include "x" %}` and `{% import "x" as y %}`.
fn referenced_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.trim_start_matches(['-', ' ']);
        let rest = ["extends", "include", "import"]
            .iter()
            .find_map(|keyword| tag.strip_prefix(keyword));
        if let Some(rest) = rest {
            let rest = rest.trim_start();
            if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if let Some(end) = rest[1..].find(quote) {
                    names.push(rest[1..=end].to_string());
                }
            }
        }
    }
    names
}

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's directory.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port (0 for any free port).
    pub port: u16,
    /// Build options (today, drafts).
    pub build: BuildOptions,
}

/// The served site, the builder and the signal that a rebuild finished, shared by the server's threads.
struct Shared {
    preview: Mutex<Preview>,
    builder: Mutex<Builder>,
    rebuilt: Condvar,
}

impl Shared {
    /// Rebuilds without holding the served site's lock, then swaps the result in and wakes the
    /// live-reload streams.
    fn rebuild(&self) -> Outcome {
        let result = lock(&self.builder).build();
        let outcome = lock(&self.preview).apply(result);
        self.rebuilt.notify_all();
        outcome
    }
}

/// A running preview server.
pub struct Server {
    shared: Arc<Shared>,
    listener: TcpListener,
    watcher: notify::RecommendedWatcher,
}

impl Server {
    /// Binds the listener, starts watching the site's files and builds the site once; `report`
    /// receives the outcome of every build. A change made during the first build triggers another.
    pub fn start(
        options: &ServeOptions,
        report: impl Fn(&Outcome) + Send + Sync + 'static,
    ) -> io::Result<Server> {
        let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port))?;
        let shared = Arc::new(Shared {
            preview: Mutex::new(Preview::new(&options.root)),
            builder: Mutex::new(Builder::new(&options.root, options.build.clone())),
            rebuilt: Condvar::new(),
        });
        let report = Arc::new(report);
        let watcher_report = Arc::clone(&report);
        let watcher = watch(&options.root, Arc::clone(&shared), move |outcome| {
            watcher_report(outcome)
        })?;
        report(&shared.rebuild());
        Ok(Server {
            shared,
            listener,
            watcher,
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The URL of the site's start page.
    pub fn url(&self) -> io::Result<String> {
        let base = lock(&self.shared.preview).base_path().to_string();
        Ok(format!("http://{}{base}", self.address()?))
    }

    /// Serves requests until the process ends.
    pub fn run(self) -> io::Result<()> {
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else { continue };
            let shared = Arc::clone(&self.shared);
            std::thread::spawn(move || {
                let _ = handle(stream, &shared);
            });
        }
        drop(self.watcher);
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Starts the file watcher; each batch of changes (events closer than [`DEBOUNCE`]) triggers one rebuild.
fn watch(
    root: &Path,
    shared: Arc<Shared>,
    report: impl Fn(&Outcome) + Send + 'static,
) -> io::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let to_io = |error: notify::Error| io::Error::other(error.to_string());
    // Events carry absolute paths; a relative root (the default ".") must be made absolute to match them.
    let root = &std::fs::canonicalize(root)?;
    let (sender, receiver) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(sender).map_err(to_io)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive).map_err(to_io)?;
        }
    }
    watcher.watch(root, RecursiveMode::NonRecursive).map_err(to_io)?;
    let root = root.to_path_buf();
    // Reading files is an event too on some systems; only changes count, or every rebuild would
    // trigger the next.
    let is_change = move |event: &notify::Result<notify::Event>| match event {
        Ok(event) => {
            !matches!(event.kind, EventKind::Access(_))
                && event.paths.iter().any(|path| is_watched(&root, path))
        }
        Err(_) => true,
    };
    std::thread::spawn(move || {
        while let Ok(event) = receiver.recv() {
            if !is_change(&event) {
                continue;
            }
            while receiver.recv_timeout(DEBOUNCE).is_ok() {}
            report(&shared.rebuild());
        }
    });
    Ok(watcher)
}

/// Whether a changed path is one the site is built from (not output/, target/ or editor litter).
fn is_watched(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    match parts.next() {
        Some(first) if first == crate::config::CONFIG_FILE => true,
        Some(first) => WATCHED.contains(&first.as_str()),
        None => false,
    }
}

/// A parsed request line.
struct Request {
    method: String,
    target: String,
}

fn read_request(stream: &TcpStream) -> io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut bytes = Vec::new();
    if reader.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    // A request line that is not UTF-8 names no file of the site; it becomes a path that is not found.
    let line = String::from_utf8_lossy(&bytes).into_owned();
    loop {
        let mut header = Vec::new();
        if reader.read_until(b'\n', &mut header)? == 0 || header.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    let mut words = line.split_whitespace();
    match (words.next(), words.next()) {
        (Some(method), Some(target)) => Ok(Some(Request {
            method: method.to_string(),
            target: target.to_string(),
        })),
        _ => Ok(None),
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(request) = read_request(&stream)? else {
        return Ok(());
    };
    if request.method != "GET" && request.method != "HEAD" {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            "Metoden stöds inte".as_bytes(),
            false,
        );
    }
    let head = request.method == "HEAD";
    let path = request.target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        return events(stream, shared, head);
    }
    let Some(path) = safe_path(path) else {
        return respond(
            &mut stream,
            400,
            "text/plain; charset=utf-8",
            b"Ogiltig adress",
            head,
        );
    };
    let preview = lock(&shared.preview);
    let base = preview.base_path().to_string();
    let Some(relative) = path
        .strip_prefix(&base)
        .or_else(|| (path.clone() + "/" == base).then_some(""))
    else {
        drop(preview);
        if path == "/" {
            return redirect(&mut stream, &base);
        }
        return not_found(&mut stream, shared, head);
    };
    let file = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    match preview.file(&file) {
        Some(served) => {
            let error = preview.error().map(str::to_string);
            drop(preview);
            let bytes = match served {
                Served::Rendered(bytes) => bytes.as_ref().clone(),
                Served::Embedded(bytes) => bytes.to_vec(),
                Served::Disk(source) => match std::fs::read(&source) {
                    Ok(bytes) => bytes,
                    Err(_) => return not_found(&mut stream, shared, head),
                },
            };
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") {
                decorate(bytes, error.as_deref())
            } else {
                bytes
            };
            respond(&mut stream, 200, kind, &body, head)
        }
        None if preview.file(&format!("{file}/index.html")).is_some() => {
            drop(preview);
            redirect(&mut stream, &format!("{path}/"))
        }
        None => {
            drop(preview);
            not_found(&mut stream, shared, head)
        }
    }
}

/// The decoded request path, or `None` when it tries to leave the site (`..`, encoded or not),
/// holds a backslash or a NUL, or is not valid UTF-8.
fn safe_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            decoded.push(value);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    let path = String::from_utf8(decoded).ok()?;
    let unsafe_segment = path.split('/').any(|segment| segment == ".." || segment == ".");
    if !path.starts_with('/') || unsafe_segment || path.contains(['\\', '\0']) || path.contains("//") {
        return None;
    }
    Some(path)
}

/// Adds the reload script, and the error overlay when the last rebuild failed, before `</body>`.
fn decorate(bytes: Vec<u8>, error: Option<&str>) -> Vec<u8> {
    let html = String::from_utf8_lossy(&bytes);
    let mut extra = String::new();
    if let Some(error) = error {
        let escaped = error
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        extra.push_str(&format!(
            "<div id=\"notis-fel\" role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;\
             z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;\
             font:1rem/1.5 ui-monospace,monospace\"><strong>Webbplatsen kunde inte byggas om. Sidan visar den senaste \
             fungerande versionen.</strong><pre style=\"white-space:pre-wrap;margin:.75rem 0 0\">{escaped}</pre></div>"
        ));
    }
    extra.push_str(RELOAD_SCRIPT);
    match html.rfind("</body>") {
        Some(index) => format!("{}{extra}{}", &html[..index], &html[index..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

/// Streams one server-sent event per rebuild, with a comment every few seconds to notice closed tabs.
fn events(mut stream: TcpStream, shared: &Shared, head: bool) -> io::Result<()> {
    let mut seen = lock(&shared.preview).generation();
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: notis\n\n",
    )?;
    stream.flush()?;
    if head {
        return Ok(());
    }
    loop {
        let preview = lock(&shared.preview);
        let (preview, _) = shared
            .rebuilt
            .wait_timeout_while(preview, Duration::from_secs(5), |p| p.generation() == seen)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let generation = preview.generation();
        let failed = preview.error().is_some();
        drop(preview);
        if generation != seen {
            seen = generation;
            let kind = if failed { "error" } else { "reload" };
            stream.write_all(format!("id: {generation}\ndata: {kind}\n\n").as_bytes())?;
        } else {
            stream.write_all(b": keepalive\n\n")?;
        }
        stream.flush()?;
    }
}

fn respond(stream: &mut TcpStream, status: u16, kind: &str, body: &[u8], head: bool) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn redirect(stream: &mut TcpStream, location: &str) -> io::Result<()> {
    let header = format!(
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(header.as_bytes())?;
    stream.flush()
}

fn not_found(stream: &mut TcpStream, shared: &Shared, head: bool) -> io::Result<()> {
    let preview = lock(&shared.preview);
    let page = match preview.file(crate::render::NOT_FOUND_TEMPLATE) {
        Some(Served::Rendered(bytes)) => decorate(bytes.as_ref().clone(), preview.error()),
        // No good build yet: a bare page that still carries the error overlay and the reload script.
        _ => decorate(
            "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>notis</title></head>\
             <body><p>Sidan finns inte.</p></body></html>"
                .as_bytes()
                .to_vec(),
            preview.error(),
        ),
    };
    drop(preview);
    respond(stream, 404, "text/html; charset=utf-8", &page, head)
}

/// The content type of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with(crate::site::listings::FEED_FILE) => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for attempt in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/%2E%2E/x",
            "/a/..%2fb",
            "/a\\b",
            "/a%00",
            "//etc",
            "/a/./b",
        ] {
            assert_eq!(safe_path(attempt), None, "{attempt}");
        }
        assert_eq!(
            safe_path("/barnhalsa/n%C3%A4tverket/").as_deref(),
            Some("/barnhalsa/nätverket/")
        );
    }

    #[test]
    fn templates_are_followed_through_extends_and_includes() {
        let mut templates = BTreeMap::new();
        templates.insert(
            "base.html".to_string(),
            "{% include \"partials/a.html\" %}".to_string(),
        );
        templates.insert(
            "page.html".to_string(),
            "{% extends \"base.html\" %}{% import 'm.html' as m %}".to_string(),
        );
        templates.insert(
            "news.html".to_string(),
            "{%- extends \"page.html\" -%}".to_string(),
        );
        templates.insert("partials/a.html".to_string(), String::new());
        templates.insert("m.html".to_string(), String::new());
        let uses = template_uses(&templates);
        let news: Vec<&str> = uses["news.html"].iter().map(String::as_str).collect();
        assert_eq!(
            news,
            vec!["base.html", "m.html", "news.html", "page.html", "partials/a.html"]
        );
        assert!(!uses["base.html"].contains("page.html"));
    }

    #[test]
    fn reload_script_and_overlay_go_before_the_body_end() {
        let page = decorate(
            b"<html><body><p>x</p></body></html>".to_vec(),
            Some("content/a.md:3:1: fel: <trasig>"),
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.contains("notis-fel") && page.contains("&lt;trasig&gt;"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("bilder/x.SVG"), "image/svg+xml");
    }
}

//! Helpers for the tests of `notis serve` (tests/serve.rs): a small generated site, the server as a
//! child process that is always killed, a minimal HTTP/1.1 client over `TcpStream` and a reader of
//! the live-reload event stream.
//!
//! No HTTP crate is used on purpose: the tests must send request lines exactly as written
//! (`/bas/..%2f..%2fetc/passwd`), with no client-side normalisation.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The day every serve test previews for.
pub const TODAY: &str = "2026-11-23";

/// The fixture's base path (from `base_url: https://example.se/bas/`).
pub const BASE: &str = "/bas/";

/// The longest any single wait in these tests may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// Topics of the fixture's news items: every item shares at least one with several others, so
/// every item gets a "Relaterade nyheter" list.
const NEWS: [(&str, &str, &[&str]); 8] = [
    ("2026-01-12", "Vaccinationer i skolan", &["vaccin", "barn"]),
    (
        "2026-02-03",
        "Ny vårdcentral öppnar",
        &["vårdcentral", "primärvård"],
    ),
    ("2026-03-18", "Barnvaccinationer ökar", &["vaccin", "barn"]),
    (
        "2026-04-07",
        "Primärvården får fler sjuksköterskor",
        &["primärvård", "personal"],
    ),
    (
        "2026-05-21",
        "Sommarens bemanning klar",
        &["personal", "vårdcentral"],
    ),
    ("2026-06-09", "Barnhälsovården samlas", &["barn", "primärvård"]),
    ("2026-07-30", "Influensavaccin i höst", &["vaccin", "personal"]),
    (
        "2026-09-14",
        "Väntetider på vårdcentralen",
        &["vårdcentral", "barn"],
    ),
];

/// The file name (without directory) of the fixture's news item `index` (0-based).
pub fn news_file(index: usize) -> String {
    let (date, title, _) = NEWS[index];
    format!("{date}-{}.md", slug(title))
}

/// The title the fixture gives news item `index`.
pub fn news_title(index: usize) -> &'static str {
    NEWS[index].1
}

/// How many news items the fixture has.
pub fn news_count() -> usize {
    NEWS.len()
}

/// The ASCII slug notis makes of a Swedish title (å, ä → a, ö → o).
pub fn slug(title: &str) -> String {
    let folded: String = title
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect();
    folded
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Front matter and body of a news item.
pub fn news_source(title: &str, date: &str, tags: &[&str], body_extra: &str) -> String {
    let tags = tags
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nsummary: \"Kort om {title}.\"\ntags: [{tags}]\n---\n\n\
         Regionen berättar om {title}. Barn, vaccin och vårdcentraler i länet berörs.\n\n\
         ## Bakgrund\n\nArbetet har pågått länge. {body_extra}\n"
    )
}

/// The template the fixture overrides: the theme's news template, with a marker paragraph.
pub const NEWS_TEMPLATE: &str = "{% extends \"page.html\" %}\n\
{% block page_lead %}{{ super() }}\n<p class=\"mall-markor\">Mallversion 1</p>{% endblock page_lead %}\n";

/// An SVG file served from static/.
pub const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\
<rect width=\"10\" height=\"10\" fill=\"#060\"/></svg>\n";

/// Writes the fixture site into `root`: site.yaml with a sub-path, a start page, a news section
/// of eight items sharing topics (three per listing page, so the listing is paginated), a draft,
/// a page that links to a news item by its `.md` file, a page nothing links to, an SVG in static/
/// and a site template `news.html` that extends the theme's `page.html`.
pub fn write_site(root: &Path) {
    let write = |relative: &str, text: &str| {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
        std::fs::write(&path, text).expect("write fixture file");
    };
    write(
        "site.yaml",
        "title: \"Testregionen\"\nbase_url: \"https://example.se/bas/\"\norganisation: \"Region Test\"\n\
         news_section: nyheter\nsections:\n  nyheter:\n    page_size: 3\n    default_kind: news\n",
    );
    write(
        "content/_index.md",
        "---\ntitle: \"Testregionen\"\nsummary: \"Startsidan.\"\n---\n\nVälkommen. Läs [om oss](om.md).\n",
    );
    write(
        "content/nyheter/_index.md",
        "---\ntitle: \"Nyheter\"\nsummary: \"Nyheter från regionen.\"\n---\n\nAlla nyheter.\n",
    );
    for (index, (date, title, tags)) in NEWS.iter().enumerate() {
        write(
            &format!("content/nyheter/{}", news_file(index)),
            &news_source(title, date, tags, ""),
        );
    }
    write(
        "content/nyheter/2026-10-01-utkast-om-vaccin.md",
        "---\ntitle: \"Utkast om vaccin\"\ndate: 2026-10-01\nsummary: \"Ett utkast.\"\ntags: [vaccin]\ndraft: true\n---\n\nInte klart.\n",
    );
    write(
        "content/om.md",
        &format!(
            "---\ntitle: \"Om oss\"\nsummary: \"Om regionen.\"\nkind: page\n---\n\n\
             Läs [nyheten om vaccinationer](nyheter/{}).\n\n![Regionens logga, en grön fyrkant](/bilder/logga.svg)\n",
            news_file(0)
        ),
    );
    write(
        "content/kontakt.md",
        "---\ntitle: \"Kontakt\"\nsummary: \"Kontakta oss.\"\nkind: page\n---\n\nRing oss.\n",
    );
    write("static/bilder/logga.svg", SVG);
    write("templates/news.html", NEWS_TEMPLATE);
}

/// A temporary directory holding the fixture site in `site/`, with `secret.txt` next to it.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub secret: String,
}

impl Fixture {
    /// Generates the fixture site and a secret file beside it that must never be served.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        write_site(&root);
        let secret = format!(
            "HEMLIGT-{}-{}",
            std::process::id(),
            dir.path().display().to_string().len()
        );
        std::fs::write(dir.path().join("secret.txt"), &secret).expect("write secret");
        Fixture { dir, root, secret }
    }

    /// Writes `text` to the site file at `relative` (creating directories).
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Saves `text` to the site file at `relative` like many editors do: into a temporary file
    /// beside it (not a `.md` file), then renamed over it.
    pub fn save_by_rename(&self, relative: &str, text: &str) {
        let path = self.root.join(relative);
        let temporary = path.with_extension("md.tmp~");
        std::fs::write(&temporary, text).expect("write the temporary file");
        std::fs::rename(&temporary, &path).expect("rename over the file");
    }

    /// Reads the site file at `relative`.
    pub fn read(&self, relative: &str) -> String {
        let path = self.root.join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Deletes the site file at `relative`.
    pub fn remove(&self, relative: &str) {
        let path = self.root.join(relative);
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Fixture::new()
    }
}

/// A running `notis serve`; killed and reaped when dropped, whatever the test did.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The URL it printed ("http://127.0.0.1:PORT/bas/").
    pub url: String,
    output: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies everything `reader` produces into `sink`, line by line, sending each line on `lines`
/// too, until the pipe closes. Draining keeps the child from blocking on a full pipe.
fn drain(
    reader: impl Read + Send + 'static,
    sink: Arc<Mutex<String>>,
    lines: Option<std::sync::mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(reader);
        let mut line = String::new();
        while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
            sink.lock().unwrap_or_else(|e| e.into_inner()).push_str(&line);
            if let Some(lines) = &lines {
                let _ = lines.send(line.clone());
            }
            line.clear();
        }
    });
}

impl Server {
    /// Starts `notis serve --root ROOT --port 0 --today TODAY` plus `extra` arguments and waits
    /// (at most [`WAIT`]) for the line with its URL.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_notis"));
        command.arg("serve").arg("--root").arg(root);
        Server::spawn(command, extra)
    }

    /// Starts `notis serve --port 0 --today TODAY` in the directory `root` without `--root`, as
    /// a communicator would run it (the root is then the relative path `.`).
    pub fn start_in(root: &Path) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_notis"));
        command.current_dir(root).arg("serve");
        Server::spawn(command, &[])
    }

    fn spawn(mut command: Command, extra: &[&str]) -> Server {
        command
            .env_remove("NOTIS_TODAY")
            .args(["--port", "0", "--today", TODAY])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("notis serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (sender, lines) = channel();
        drain(
            child.stdout.take().expect("stdout"),
            Arc::clone(&output),
            Some(sender),
        );
        drain(child.stderr.take().expect("stderr"), Arc::clone(&output), None);
        // From here on the child is killed on every path, panics included.
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            url: String::new(),
            output,
        };
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.trim().strip_prefix("Förhandsvisning på ") {
                        server.url = url.to_string();
                        break;
                    }
                }
                Err(_) => panic!(
                    "notis serve printed no URL within {WAIT:?}; exit {:?}; output:\n{}",
                    server.child.try_wait().ok().flatten(),
                    server.output()
                ),
            }
        }
        let authority = server
            .url
            .strip_prefix("http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("not an http URL: {}", server.url));
        server.addr = authority.parse().expect("a socket address in the URL");
        server
    }

    /// Everything the server printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// GET `target` (sent exactly as given).
    pub fn get(&self, target: &str) -> Response {
        get(self.addr, target)
    }

    /// GET `target`, asserting 200, and returns the body as text.
    pub fn page(&self, target: &str) -> String {
        let response = self.get(target);
        assert_eq!(response.status, 200, "GET {target}: {}", response.head);
        response.text()
    }

    /// Opens the live-reload stream.
    pub fn events(&self) -> Events {
        Events::open(self.addr)
    }
}

/// A response, read until the server closed the connection.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code (0 when the server answered with no status line at all).
    pub status: u16,
    /// The status line and headers as sent.
    pub head: String,
    /// Header names in lower case, to their values.
    pub headers: BTreeMap<String, String>,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Sends `request` as raw bytes and reads the whole answer (bounded by [`WAIT`]).
pub fn raw(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect to notis serve");
    stream.set_read_timeout(Some(WAIT)).expect("read timeout");
    stream.set_write_timeout(Some(WAIT)).expect("write timeout");
    stream.write_all(request).expect("send request");
    let mut bytes = Vec::new();
    let deadline = Instant::now() + WAIT;
    let mut buffer = [0u8; 16 * 1024];
    loop {
        assert!(
            Instant::now() < deadline,
            "the response took longer than {WAIT:?}"
        );
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("reading the response: {e}"),
        }
    }
    parse_response(&bytes)
}

/// GET `target` with HTTP/1.1 and `Connection: close`.
pub fn get(addr: SocketAddr, target: &str) -> Response {
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    raw(addr, request.as_bytes())
}

fn parse_response(bytes: &[u8]) -> Response {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let (head, body) = match split {
        Some(at) => (&bytes[..at], bytes[at + 4..].to_vec()),
        None => (bytes, Vec::new()),
    };
    let head = String::from_utf8_lossy(head).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Response {
        status,
        head,
        headers,
        body,
    }
}

/// The live-reload stream: each `data:` line of the server-sent events, in order.
pub struct Events {
    stream: TcpStream,
    data: Receiver<String>,
}

impl Events {
    /// Connects to `/__notis/livereload` and waits until the stream has begun (the server has
    /// answered with `text/event-stream`), so every rebuild after this returns is seen.
    pub fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect to the event stream");
        stream
            .write_all(
                format!(
                    "GET /__notis/livereload HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
                )
                .as_bytes(),
            )
            .expect("request the event stream");
        let reader = stream.try_clone().expect("clone stream");
        let (sender, data) = channel();
        let (started_sender, started) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(reader);
            let mut line = String::new();
            let mut head = String::new();
            let mut in_head = true;
            let mut first_comment = true;
            while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
                if in_head {
                    head.push_str(&line);
                    if line.trim().is_empty() {
                        in_head = false;
                    }
                } else if let Some(data) = line.strip_prefix("data:") {
                    if sender.send(data.trim().to_string()).is_err() {
                        break;
                    }
                } else if line.starts_with(':') && first_comment {
                    // The server's first comment follows its headers: the stream is live.
                    first_comment = false;
                    let _ = started_sender.send(head.clone());
                }
                line.clear();
            }
        });
        let head = started
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("the event stream did not start within {WAIT:?}"));
        assert!(head.starts_with("HTTP/1.1 200"), "event stream answered:\n{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "event stream answered:\n{head}"
        );
        Events { stream, data }
    }

    /// The next event's data within `timeout`, if any.
    pub fn next(&self, timeout: Duration) -> Option<String> {
        self.data.recv_timeout(timeout).ok()
    }

    /// Waits (at most [`WAIT`]) for the next event and asserts its data is `expected`
    /// (`reload` or `error`); events are then drained until the stream is quiet for `settle`,
    /// each checked too, so one save that causes two rebuilds is still one step.
    pub fn expect(&self, expected: &str, what: &str, server: &Server) -> Duration {
        let started = Instant::now();
        let Some(first) = self.next(WAIT) else {
            panic!(
                "no live-reload event within {WAIT:?} after {what}; server output:\n{}",
                server.output()
            );
        };
        let elapsed = started.elapsed();
        assert_eq!(
            first,
            expected,
            "event after {what}; server output:\n{}",
            server.output()
        );
        while let Some(more) = self.next(Duration::from_millis(300)) {
            assert_eq!(
                more,
                expected,
                "later event after {what}; server output:\n{}",
                server.output()
            );
        }
        elapsed
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// The HTML with the live-reload script the server adds (`<script data-notis-reload>…</script>`)
/// removed; panics when an HTML response lacks it.
pub fn strip_reload_script(html: &[u8]) -> Vec<u8> {
    const START: &[u8] = b"<script data-notis-reload>";
    const END: &[u8] = b"</script>";
    let at = html
        .windows(START.len())
        .position(|w| w == START)
        .expect("every HTML response carries the reload script");
    let end = html[at..]
        .windows(END.len())
        .position(|w| w == END)
        .map(|p| at + p + END.len())
        .expect("the reload script is closed");
    let mut stripped = html[..at].to_vec();
    stripped.extend_from_slice(&html[end..]);
    assert!(
        !stripped.windows(START.len()).any(|w| w == START),
        "the reload script is added only once"
    );
    stripped
}

/// The URL path the server serves an output file at: `x/index.html` → `/bas/x/`.
pub fn url_of(output_path: &str) -> String {
    let path = if output_path == "index.html" {
        ""
    } else {
        output_path.strip_suffix("index.html").unwrap_or(output_path)
    };
    format!("{BASE}{}", percent_encode(path))
}

/// Percent-encodes the bytes of a path that are not unreserved or `/`.
fn percent_encode(path: &str) -> String {
    path.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read output dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir");
                found.push(
                    relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    found.sort();
    found
}

/// Runs `notis build --drafts --today TODAY --root ROOT --output OUTPUT`; panics unless it succeeds.
pub fn full_build(root: &Path, output: &Path) {
    let result = Command::new(env!("CARGO_BIN_EXE_notis"))
        .env_remove("NOTIS_TODAY")
        .arg("build")
        .arg("--drafts")
        .args(["--today", TODAY])
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .expect("notis build runs");
    assert!(
        result.status.success(),
        "notis build failed:\n{}\n{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// The `href`s of the links matched by `selector` in `html`, with their text.
pub fn links(html: &str, selector: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    document
        .select(&selector)
        .filter_map(|a| {
            let href = a.value().attr("href")?.to_string();
            Some((href, a.text().collect::<String>().trim().to_string()))
        })
        .collect()
}

/// The text of the first element matched by `selector`, if any.
pub fn text_of(html: &str, selector: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    document
        .select(&selector)
        .next()
        .map(|e| e.text().collect::<String>())
}

//! YAML documents with line numbers: shared by `site.yaml`, front matter and `data/` files.
//!
//! serde_yaml reports syntax errors where it noticed them, relative to the YAML text, and does not
//! say where a key stands, so this module places every syntax error at its defect in the file
//! ([`syntax`]), maps every top-level key to its line in the file, resolves Swedish and Hugo
//! aliases, rejects unknown keys with a "did you mean" hint and converts values one key at a time,
//! so that one file can report all of its mistakes at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::{did_you_mean, Diagnostic};

mod syntax;

/// One top-level `key: value` of a YAML mapping, with the line of the key in the file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key as written.
    pub key: String,
    /// The parsed value.
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: usize,
}

/// A key a document accepts: its canonical name and the other names it may be written with.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The name used in code and documentation.
    pub name: &'static str,
    /// Other accepted spellings (Swedish names, Hugo's names).
    pub aliases: &'static [&'static str],
}

/// Parses `text`, which starts at line `first_line` of `path`, as one YAML value. A syntax error
/// becomes a diagnostic at the line and column of the defect (see [`syntax`]).
pub fn parse_value(text: &str, path: &Path, first_line: usize) -> Result<Value, Diagnostic> {
    serde_yaml::from_str(text).map_err(|error| {
        let defect = syntax::locate(text, &error, first_line);
        Diagnostic::error(path, first_line + defect.line.max(1) - 1, defect.message)
            .at_column(defect.column.max(1))
            .with_hint(defect.hint)
    })
}

/// Parses `text`, which starts at line `first_line` of `path`, as a mapping of top-level keys.
///
/// An empty document is an empty mapping. A syntax error or a document that is not a mapping
/// becomes one diagnostic with the line in the file.
pub fn parse_mapping(text: &str, path: &Path, first_line: usize) -> Result<Vec<Entry>, Diagnostic> {
    let value = parse_value(text, path, first_line)?;
    mapping_entries(value, text, path, first_line)
}

/// Like [`parse_mapping`], but goes on after a syntax error: the top-level entry the defect stands in
/// is left out and the rest is parsed again, until it parses. Returns the entries that did parse and
/// every syntax error, each at its own line.
pub fn parse_mapping_recovering(text: &str, path: &Path, first_line: usize) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut text = text.to_string();
    let mut problems = Vec::new();
    loop {
        match parse_value(&text, path, first_line) {
            Ok(value) => {
                return match mapping_entries(value, &text, path, first_line) {
                    Ok(entries) => (entries, problems),
                    Err(problem) => {
                        problems.push(problem);
                        (Vec::new(), problems)
                    }
                };
            }
            Err(problem) => {
                let line = problem.line + 1 - first_line;
                problems.push(problem);
                if !blank_top_level_entry(&mut text, line) {
                    return (Vec::new(), problems);
                }
            }
        }
    }
}

/// Blanks the lines of the top-level entry that `line` stands in (from its key to the next
/// top-level key), keeping the line count; returns whether a line that was not blank was blanked.
fn blank_top_level_entry(text: &mut String, line: usize) -> bool {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts_entry =
        |line: &str| !line.trim().is_empty() && !line.starts_with([' ', '\t', '#', '-', ']', '}']);
    let index = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    let start = (0..=index).rev().find(|&i| starts_entry(lines[i])).unwrap_or(0);
    let end = (index + 1..lines.len())
        .find(|&i| starts_entry(lines[i]))
        .unwrap_or(lines.len());
    let changed = lines[start..end].iter().any(|l| !l.trim().is_empty());
    let blanked: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if (start..end).contains(&i) {
                if l.ends_with('\n') {
                    "\n"
                } else {
                    ""
                }
            } else {
                l
            }
        })
        .collect();
    *text = blanked;
    changed
}

/// The top-level entries of a parsed document, each with the line of its key.
fn mapping_entries(
    value: Value,
    text: &str,
    path: &Path,
    first_line: usize,
) -> Result<Vec<Entry>, Diagnostic> {
    let mapping = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Mapping(mapping) => mapping,
        _ => {
            return Err(Diagnostic::error(
                path,
                first_line,
                "förväntade nycklar och värden (\"nyckel: värde\")",
            )
            .with_hint("varje rad ska ha formen \"title: Rubrik\""))
        }
    };
    let key_lines = top_level_key_lines(text);
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = match key {
            Value::String(key) => key,
            other => scalar_text(&other).unwrap_or_default(),
        };
        let line = key_lines
            .get(&key)
            .copied()
            .map_or(first_line, |l| first_line + l - 1);
        entries.push(Entry { key, value, line });
    }
    Ok(entries)
}

/// The entries of a nested mapping whose parent key stands on `parent_line` of `text`
/// (which starts at file line `first_line`); each child key's line is looked up below its parent.
pub fn nested_entries(
    text: &str,
    first_line: usize,
    parent_line: usize,
    mapping: &serde_yaml::Mapping,
) -> Vec<Entry> {
    let lines: Vec<&str> = text.lines().collect();
    mapping
        .iter()
        .map(|(key, value)| {
            let key = scalar_text(key).unwrap_or_default();
            let start = parent_line.saturating_sub(first_line);
            let line = lines
                .iter()
                .enumerate()
                .skip(start)
                .find(|(_, l)| {
                    let l = l.trim_start().trim_start_matches("- ");
                    l.strip_prefix(key.as_str())
                        .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
                })
                .map_or(parent_line, |(index, _)| first_line + index);
            Entry {
                key,
                value: value.clone(),
                line,
            }
        })
        .collect()
}

/// The 1-based line of each top-level key of a block mapping.
fn top_level_key_lines(text: &str) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            lines.entry(key.to_string()).or_insert(index + 1);
        }
    }
    lines
}

/// The text of a scalar value (strings, numbers and booleans), or `None` for lists and maps.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        _ => None,
    }
}

/// A human description of a value's type, for "expected X, found Y" messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "ett tomt värde",
        Value::Bool(_) => "sant/falskt",
        Value::Number(_) => "ett tal",
        Value::String(_) => "text",
        Value::Sequence(_) => "en lista",
        Value::Mapping(_) => "nycklar och värden",
        Value::Tagged(_) => "ett märkt värde",
    }
}

/// The entries of one document after aliases are resolved and unknown keys rejected,
/// with typed accessors that report wrong types as diagnostics.
pub struct Fields {
    path: PathBuf,
    first_line: usize,
    entries: BTreeMap<&'static str, Entry>,
    diagnostics: Vec<Diagnostic>,
}

impl Fields {
    /// Resolves `entries` against the accepted `keys`; unknown and repeated keys become errors.
    pub fn new(path: &Path, first_line: usize, entries: Vec<Entry>, keys: &[Key]) -> Fields {
        let mut fields = Fields {
            path: path.to_path_buf(),
            first_line,
            entries: BTreeMap::new(),
            diagnostics: Vec::new(),
        };
        for entry in entries {
            let found = keys
                .iter()
                .find(|k| k.name == entry.key || k.aliases.contains(&entry.key.as_str()));
            match found {
                Some(key) => {
                    if let Some(previous) = fields.entries.get(key.name) {
                        let message = format!(
                            "nyckeln \"{}\" anges två gånger (även som \"{}\" på rad {})",
                            entry.key, previous.key, previous.line
                        );
                        fields.diagnostics.push(
                            Diagnostic::error(path, entry.line, message).with_hint("ta bort en av raderna"),
                        );
                    } else {
                        fields.entries.insert(key.name, entry);
                    }
                }
                None => {
                    let names = keys
                        .iter()
                        .flat_map(|k| std::iter::once(k.name).chain(k.aliases.iter().copied()));
                    let hint = match did_you_mean(&entry.key, names) {
                        Some(close) => format!("menade du \"{close}\"?"),
                        None => format!(
                            "tillåtna nycklar är: {}",
                            keys.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    fields.diagnostics.push(
                        Diagnostic::error(path, entry.line, format!("okänd nyckel \"{}\"", entry.key))
                            .with_hint(hint),
                    );
                }
            }
        }
        fields
    }

    /// The file the fields come from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The line of `key` in the file, or the document's first line when the key is absent.
    pub fn line(&self, key: &str) -> usize {
        self.entries.get(key).map_or(self.first_line, |e| e.line)
    }

    /// Whether `key` is present (with any value, even an empty one).
    pub fn has(&self, key: &str) -> bool {
        self.entries.get(key).is_some_and(|e| !e.value.is_null())
    }

    /// Records an error about `key`.
    pub fn error(&mut self, key: &str, message: impl Into<String>, hint: impl Into<String>) {
        let line = self.line(key);
        self.diagnostics
            .push(Diagnostic::error(&self.path, line, message).with_hint(hint));
    }

    /// Records any diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, example: &str) {
        let found = self.entries.get(key).map_or("inget", |e| type_name(&e.value));
        let written = self.entries.get(key).map_or(key.to_string(), |e| e.key.clone());
        self.error(
            key,
            format!("\"{written}\" ska vara {expected}, men är {found}"),
            format!("exempel: {written}: {example}"),
        );
    }

    /// A text value; numbers are accepted as text. An empty value counts as absent.
    pub fn text(&mut self, key: &str, example: &str) -> Option<String> {
        let value = self.entries.get(key).map(|e| e.value.clone())?;
        match value {
            Value::Null => None,
            Value::String(_) | Value::Number(_) => scalar_text(&value),
            _ => {
                self.wrong_type(key, "text", example);
                None
            }
        }
    }

    /// A list of texts; a single text is accepted as a list of one.
    pub fn text_list(&mut self, key: &str, example: &str) -> Vec<String> {
        let Some(value) = self.entries.get(key).map(|e| e.value.clone()) else {
            return Vec::new();
        };
        match value {
            Value::Null => Vec::new(),
            Value::String(text) => vec![text],
            Value::Sequence(items) => {
                let texts: Option<Vec<String>> = items
                    .iter()
                    .map(|item| match item {
                        Value::String(_) | Value::Number(_) => scalar_text(item),
                        _ => None,
                    })
                    .collect();
                texts.unwrap_or_else(|| {
                    self.wrong_type(key, "en lista med text", example);
                    Vec::new()
                })
            }
            _ => {
                self.wrong_type(key, "en lista med text", example);
                Vec::new()
            }
        }
    }

    /// A boolean (`true`/`false`, also `ja`/`nej`).
    pub fn flag(&mut self, key: &str) -> Option<bool> {
        let value = self.entries.get(key).map(|e| e.value.clone())?;
        match value {
            Value::Null => None,
            Value::Bool(flag) => Some(flag),
            Value::String(text) if text.eq_ignore_ascii_case("ja") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("nej") => Some(false),
            _ => {
                self.wrong_type(key, "true eller false", "true");
                None
            }
        }
    }

    /// A whole number within `range`.
    pub fn integer(&mut self, key: &str, range: std::ops::RangeInclusive<i64>, example: &str) -> Option<i64> {
        let value = self.entries.get(key).map(|e| e.value.clone())?;
        let number = match &value {
            Value::Null => return None,
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        };
        match number {
            Some(n) if range.contains(&n) => Some(n),
            Some(n) => {
                self.error(
                    key,
                    format!(
                        "värdet {n} för \"{key}\" ligger utanför {}–{}",
                        range.start(),
                        range.end()
                    ),
                    format!("exempel: {key}: {example}"),
                );
                None
            }
            None => {
                self.wrong_type(key, "ett heltal", example);
                None
            }
        }
    }

    /// The raw value of a key, for nested structures.
    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.entries.get(key).map(|e| &e.value).filter(|v| !v.is_null())
    }

    /// The diagnostics found so far, consuming the fields.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[Key] = &[
        Key {
            name: "title",
            aliases: &["titel"],
        },
        Key {
            name: "tags",
            aliases: &["ämnen"],
        },
        Key {
            name: "draft",
            aliases: &[],
        },
    ];

    fn fields(text: &str) -> Fields {
        let entries = parse_mapping(text, Path::new("a.md"), 2).expect("valid yaml");
        Fields::new(Path::new("a.md"), 2, entries, KEYS)
    }

    #[test]
    fn keys_carry_their_line_in_the_file() {
        let f = fields("title: Hej\n\ntags: [a, b]\n");
        assert_eq!(f.line("title"), 2);
        assert_eq!(f.line("tags"), 4);
    }

    #[test]
    fn aliases_resolve_and_unknown_keys_suggest() {
        let mut f = fields("titel: Hej\ntitl: x\n");
        assert_eq!(f.text("title", "x").as_deref(), Some("Hej"));
        let diagnostics = f.into_diagnostics();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, 3);
        assert!(diagnostics[0].hint.as_deref().unwrap().contains("\"title\""));
    }

    #[test]
    fn wrong_types_are_reported_at_the_key() {
        let mut f = fields("title: Hej\ndraft: kanske\ntags: {a: 1}\n");
        assert_eq!(f.flag("draft"), None);
        assert!(f.text_list("tags", "[a]").is_empty());
        let lines: Vec<_> = f.into_diagnostics().iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 4]);
    }

    #[test]
    fn syntax_errors_are_placed_in_the_file() {
        let error = parse_mapping("title: Hej\ntags: [a, b\n", Path::new("a.md"), 2).unwrap_err();
        assert!(error.line >= 3, "{error}");
        assert!(error.message.starts_with("ogiltig YAML"));
    }

    /// The diagnostic of `text` as front matter: its first line is line 2 of the file.
    fn front_matter_error(text: &str) -> Diagnostic {
        parse_mapping(text, Path::new("a.md"), 2).expect_err("invalid YAML")
    }

    #[test]
    fn each_defect_is_reported_at_its_own_line_of_the_file() {
        // (YAML, line in the .md file, column, words of the message)
        let cases: &[(&str, usize, usize, &[&str])] = &[
            (
                "title: \"Hej\nsummary: x\ntags: [a]\n",
                2,
                8,
                &["citattecknet \""],
            ),
            (
                "title: Hej\nsummary: 'Barnens dag\ntags: [a]\n",
                3,
                10,
                &["citattecknet '"],
            ),
            ("title: \"Hej\nsummary: \"x\"\n", 2, 8, &["citattecknet \""]),
            (
                "title: 'Barnens dag\nsummary: det är 'bra'\n",
                2,
                8,
                &["citattecknet '"],
            ),
            (
                "title: A\nsummary: x\ntitle: B\n",
                4,
                1,
                &["\"title\"", "två gånger", "rad 2"],
            ),
            (
                "sections:\n  nyheter:\n    page_size: 3\n    sort: date\n    page_size: 4\n",
                6,
                5,
                &["\"page_size\"", "rad 4"],
            ),
            ("menu:\n  - a: 1\n    a: 2\n", 4, 5, &["\"a\"", "rad 3"]),
            (
                "sections:\n  nyheter:\n    page_size: 3\n   sort: date\n",
                5,
                4,
                &["indrag"],
            ),
            ("title: A\n summary: x\ntags: [a]\n", 3, 9, &["kolon"]),
            ("title: A\nsections:\n\tnyheter: 1\n", 4, 1, &["tabb"]),
            ("title: A\ntags: [a, b\nsummary: x\n", 3, 7, &["[", "]"]),
            ("title: A\nstrings: { a: b\nsummary: x\n", 3, 10, &["{", "}"]),
            ("title: A\nsummary\ndate: 2020-01-01\n", 3, 1, &["kolon saknas"]),
            ("title: \"Hej\" du\n", 2, 14, &["efter värdet"]),
        ];
        for (text, line, column, words) in cases {
            let error = front_matter_error(text);
            assert_eq!((error.line, error.column), (*line, *column), "{text:?}: {error}");
            for word in *words {
                assert!(error.message.contains(word), "{text:?}: {error}");
            }
            assert!(error.hint.is_some(), "{text:?}: {error}");
        }
    }

    #[test]
    fn recovering_reports_every_broken_entry_and_keeps_the_others() {
        let text = "title: \"A\nbase_url: x\nfoo: [1\nlanguage: sv\nfoo2: 1\nfoo2: 2\n";
        let (entries, problems) = parse_mapping_recovering(text, Path::new("site.yaml"), 1);
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["base_url", "language", "foo2"]);
        assert_eq!(entries[2].line, 5);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3, 6]);
    }

    #[test]
    fn repeated_key_through_alias_is_an_error() {
        let f = fields("title: A\ntitel: B\n");
        assert_eq!(f.into_diagnostics().len(), 1);
    }
}

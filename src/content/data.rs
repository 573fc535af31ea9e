//! Data files: `data/*.yaml` (and `.yml`, `.json`), given to templates as `data.<file name>`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::{display_path, Diagnostic};

/// The directory under the site root that holds data files.
pub const DATA_DIR: &str = "data";

/// Reads every data file into one JSON object keyed by file stem.
pub fn load(root: &Path) -> (Value, Vec<Diagnostic>) {
    let dir = root.join(DATA_DIR);
    let mut data = Map::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (Value::Object(data), problems);
    }
    let (mut entries, unreadable) = super::files_within(root, &dir);
    problems.extend(unreadable);
    // Sorted, so that of `a.yaml` and `a.json` the same one wins every time.
    entries.sort_by(|a, b| a.file_name().cmp(b.file_name()));
    for entry in entries.iter().filter(|entry| entry.depth() == 1) {
        let path = entry.path();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(extension, "yaml" | "yml" | "json") {
            continue;
        }
        let shown = display_path(root, path);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .replace('-', "_");
        let text = match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                problems.push(
                    Diagnostic::error(shown, 0, "filen är inte sparad som UTF-8")
                        .with_hint("spara filen som UTF-8"),
                );
                continue;
            }
            Err(error) => {
                problems.push(Diagnostic::error(
                    shown,
                    0,
                    format!("kan inte läsa filen: {error}"),
                ));
                continue;
            }
        };
        match serde_yaml::from_str::<Value>(&text) {
            Ok(value) => {
                data.insert(stem, value);
            }
            Err(error) => {
                let (line, column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
                problems.push(
                    Diagnostic::error(
                        shown,
                        line,
                        format!(
                            "ogiltig YAML: {}",
                            error.to_string().split(" at line ").next().unwrap_or("")
                        ),
                    )
                    .at_column(column.max(1))
                    .with_hint("kontrollera kolon, indrag och citattecken"),
                );
            }
        }
    }
    (Value::Object(data), problems)
}

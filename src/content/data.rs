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
        // Parsed as YAML first (JSON is YAML too): that finds duplicate keys, and places every
        // syntax error at its defect.
        let parsed = crate::yaml::parse_value(&text, &shown, 1).and_then(|value| {
            serde_json::to_value(value).map_err(|_| {
                Diagnostic::error(&shown, 1, "datafilen har en nyckel som mallarna inte kan använda")
                    .with_hint(
                    "nycklarna ska vara text eller tal, inte listor, tomma värden eller nycklar och värden",
                )
            })
        });
        match parsed {
            Ok(value) => {
                data.insert(stem, value);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (Value::Object(data), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_errors_are_reported_at_their_defect() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let data = dir.path().join(DATA_DIR);
        std::fs::create_dir_all(&data).expect("create data/");
        std::fs::write(
            data.join("a.yaml"),
            "namn: Ett\nadress: \"Storgatan 1\ntelefon: 010\n",
        )
        .expect("write");
        std::fs::write(data.join("b.yaml"), "namn: Två\ntelefon: 010\nnamn: Tre\n").expect("write");
        std::fs::write(data.join("c.yml"), "namn: Fyra\n").expect("write");
        let (value, problems) = load(dir.path());
        let places: Vec<(String, usize)> = problems
            .iter()
            .map(|p| (p.path.to_string_lossy().replace('\\', "/"), p.line))
            .collect();
        assert_eq!(
            places,
            [("data/a.yaml".to_string(), 2), ("data/b.yaml".to_string(), 3)]
        );
        assert_eq!(value["c"]["namn"], "Fyra");
    }
}

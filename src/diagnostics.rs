//! Diagnostics: every problem found in a site, as a value with a file, a line, a column and a hint.
//!
//! Stages never print and never stop at the first problem: they push [`Diagnostic`]s into a
//! [`Diagnostics`] collection, which is sorted and printed once by the command that ran them.
//! Messages are in Swedish because the people who read them are the communicators writing content.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    /// The build fails and nothing is written.
    Error,
    /// The build goes on; the communicator should still fix it.
    Warning,
}

/// One problem in one file, with the place it was found and a hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root when it lies inside it.
    pub path: PathBuf,
    /// 1-based line in the file (not in the front matter block); 0 when the whole file is meant.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when notis can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `path:line:column`.
    pub fn error(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            column: if line > 0 { 1 } else { 0 },
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `path:line`.
    pub fn warning(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, message)
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the column.
    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "fel",
            Severity::Warning => "varning",
        };
        let path = self.path.display().to_string().replace('\\', "/");
        match (self.line, self.column) {
            (0, _) => write!(f, "{path}: {label}: {}", self.message)?,
            (line, 0) => write!(f, "{path}:{line}: {label}: {}", self.message)?,
            (line, column) => write!(f, "{path}:{line}:{column}: {label}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    tips: {hint}")?;
        }
        Ok(())
    }
}

/// A collection of diagnostics from one run, kept sorted for printing.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all diagnostics from another collection or list.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// The number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file, line and column, with exact duplicates removed
    /// (a template error is found once per page that uses the template).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// The diagnostics in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The path to show for `path`: relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The 1-based line of a byte offset in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_column_and_hint() {
        let d =
            Diagnostic::error("content/a.md", 3, "okänd nyckel \"titl\"").with_hint("menade du \"title\"?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: fel: okänd nyckel \"titl\"\n    tips: menade du \"title\"?"
        );
    }

    #[test]
    fn sorted_by_file_then_line_and_deduplicated() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("b.md", 1, "x"));
        all.push(Diagnostic::error("a.md", 9, "y"));
        all.push(Diagnostic::error("a.md", 2, "z"));
        all.push(Diagnostic::error("a.md", 2, "z"));
        let lines: Vec<_> = all.into_sorted().iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 9, 1]);
    }

    #[test]
    fn within_a_line_sorted_by_column() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("a.md", 2, "x").at_column(9));
        all.push(Diagnostic::error("a.md", 2, "y").at_column(3));
        let columns: Vec<_> = all.into_sorted().iter().map(|d| d.column).collect();
        assert_eq!(columns, vec![3, 9]);
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("titl", ["title", "tags", "date"]), Some("title"));
        assert_eq!(did_you_mean("färg", ["title", "tags", "date"]), None);
    }

    #[test]
    fn line_of_offset_counts_newlines() {
        assert_eq!(line_of_offset("a\nb\nc", 0), 1);
        assert_eq!(line_of_offset("a\nb\nc", 4), 3);
    }
}

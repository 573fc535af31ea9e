//! Related news: the pages listed under "Relaterade nyheter" on a page.
//!
//! For now the list is what the communicator pinned with `related:`; each path is checked, so a
//! pinned page that is renamed or deleted is an error in the file that pins it.

use crate::diagnostics::Diagnostic;

/// Resolves a content path written in front matter, relative to `from_dir` or, with a leading `/`,
/// to `content/`; `..` steps up. Returns `None` when the path leaves `content/`.
pub fn resolve_content_path(from_dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') || from_dir.is_empty() {
        Vec::new()
    } else {
        from_dir.split('/').collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Looks up each pinned path with `find` and reports the ones that do not name another page.
pub fn resolve_pinned<T: Copy + PartialEq>(
    own: T,
    from_dir: &str,
    paths: &[String],
    find: impl Fn(&str) -> Option<T>,
    error_at: impl Fn(String, String) -> Diagnostic,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let target = resolve_content_path(from_dir, path).and_then(|p| find(&p));
        match target {
            Some(id) if id == own => problems.push(error_at(
                format!("sidan anger sig själv som relaterad (\"{path}\")"),
                "ta bort raden; sidan visas aldrig i sin egen lista".into(),
            )),
            Some(id) if found.contains(&id) => {}
            Some(id) => found.push(id),
            None => problems.push(error_at(
                format!("den relaterade sidan \"{path}\" finns inte"),
                "ange sökvägen till en .md-fil, räknat från den här filens katalog (eller från content/ med / först)"
                    .into(),
            )),
        }
    }
    (found, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_relative_and_from_the_root() {
        assert_eq!(resolve_content_path("a/b", "c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(resolve_content_path("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve_content_path("a/b", "/x/c.md").as_deref(), Some("x/c.md"));
        assert_eq!(resolve_content_path("", "../../c.md"), None);
    }

    #[test]
    fn itself_and_missing_pages_are_errors() {
        let find = |p: &str| match p {
            "n/a.md" => Some(1),
            "n/b.md" => Some(2),
            _ => None,
        };
        let paths = vec![
            "a.md".to_string(),
            "b.md".to_string(),
            "c.md".to_string(),
            "b.md".to_string(),
        ];
        let (found, problems) = resolve_pinned(1, "n", &paths, find, |m, h| {
            Diagnostic::error("x.md", 3, m).with_hint(h)
        });
        assert_eq!(found, vec![2]);
        assert_eq!(problems.len(), 2);
    }
}

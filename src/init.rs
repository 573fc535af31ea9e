//! `notis init`: a new site that builds at once with the built-in default theme.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// Creates a new site in `dir`, which must not exist or be empty. Returns the files written.
pub fn scaffold(dir: &Path, today: NaiveDate) -> io::Result<Vec<PathBuf>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} finns redan och är inte tom; välj en ny katalog",
                dir.display()
            ),
        ));
    }
    let date = today.format("%Y-%m-%d");
    let files: Vec<(String, String)> = vec![
        (
            "site.yaml".into(),
            "title: \"Min nyhetswebbplats\"\n\
             base_url: \"https://example.se/\"\n\
             organisation: \"Region Exempel\"\n\
             news_section: nyheter\n\
             menu: [nyheter, om.md]\n"
                .into(),
        ),
        (
            "content/_index.md".into(),
            "---\ntitle: \"Min nyhetswebbplats\"\n---\nVälkommen! Här publicerar vi nyheter om vårt arbete.\n".into(),
        ),
        (
            "content/nyheter/_index.md".into(),
            "---\ntitle: Nyheter\nsummary: \"Det senaste från oss.\"\ndefault_kind: news\n---\n".into(),
        ),
        (
            format!("content/nyheter/{date}-vi-har-en-ny-webbplats.md"),
            format!(
                "---\ntitle: \"Vi har en ny webbplats\"\ndate: {date}\nsummary: \"Här hittar du våra nyheter.\"\n\
                 tags: [webbplatsen]\nowner: \"Kommunikationsenheten <kommunikation@example.se>\"\n---\n\
                 Den här webbplatsen är byggd med notis. Skriv nya nyheter som Markdown-filer i content/nyheter/.\n\n\
                 ## Nästa steg\n\nLäs [om webbplatsen](../om.md) och ändra site.yaml.\n"
            ),
        ),
        (
            "content/om.md".into(),
            "---\ntitle: \"Om webbplatsen\"\n---\nHär berättar vi vilka vi är och hur du når oss.\n".into(),
        ),
        ("static/.gitkeep".into(), String::new()),
        ("data/.gitkeep".into(), String::new()),
        (".gitignore".into(), "/output/\n".into()),
    ];
    let mut written = Vec::new();
    for (relative, text) in files {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

//! Scaffolding: `notis init` (a new site that builds at once with the built-in theme) and
//! `notis new` (a new page with its front matter filled in, which builds at once).

use std::io;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{Owner, PageKind, SiteConfig};
use crate::content::CONTENT_DIR;
use crate::site::urls::slugify;

/// Creates a new site in `dir`, which must not exist or be empty. Returns the files written.
pub fn init(dir: &Path, today: NaiveDate) -> io::Result<Vec<PathBuf>> {
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

/// What `notis new` creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewPage {
    /// A news item with this title.
    News(String),
    /// A yearly summary of this year.
    Summary(i32),
    /// A project history page with this name.
    History(String),
}

/// Creates the file for `page` in `section` (relative to `content/`; when `None`, the news section
/// for news, otherwise the section that already holds pages of that kind) and returns its path.
/// Never overwrites a file.
pub fn new_page(
    root: &Path,
    config: &SiteConfig,
    page: &NewPage,
    section: Option<&str>,
    today: NaiveDate,
) -> io::Result<PathBuf> {
    let kind = match page {
        NewPage::News(_) => PageKind::News,
        NewPage::Summary(_) => PageKind::Summary,
        NewPage::History(_) => PageKind::History,
    };
    let section = match section {
        Some(dir) => {
            section_path(dir).map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?
        }
        None if kind == PageKind::News => config.news_section.clone(),
        None => section_holding(root, kind).unwrap_or_else(|| config.news_section.clone()),
    };
    let date = today.format("%Y-%m-%d").to_string();
    let (title, file_name, extra) = match page {
        NewPage::News(title) => (
            title.clone(),
            format!("{date}-{}.md", slugify(title)),
            String::new(),
        ),
        NewPage::Summary(year) => (
            format!("Vad hände {year} – vad händer {}?", year + 1),
            format!("vad-hande-{year}.md"),
            format!("year: {year}\n"),
        ),
        NewPage::History(name) => (
            name.clone(),
            format!("historik-{}.md", slugify(name)),
            format!(
                "period: \"{}\"  # ändra till hela perioden, till exempel 2012–2014\n",
                today.format("%Y")
            ),
        ),
    };
    if slugify(&title).is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "rubriken måste innehålla bokstäver eller siffror",
        ));
    }
    let content = root.join(CONTENT_DIR);
    let dir = content.join(&section);
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "avsnittet {} finns inte; ange ett annat med --section",
                dir.display()
            ),
        ));
    }
    // The name may be clean and still lead elsewhere: through a link, or from news_section in site.yaml.
    if !lies_within(&dir, &content) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} ligger utanför content/; sidan skapas inte", dir.display()),
        ));
    }
    let path = dir.join(file_name);
    let owner = config.owner.as_ref().map(Owner::to_string);
    let mut text = format!("---\ntitle: {}\n", quoted(&title));
    text.push_str(&format!("kind: {}\ndate: {date}\n", kind.name()));
    text.push_str(&extra);
    text.push_str("summary: \"\"\ntags: []\n");
    if let Some(owner) = owner {
        text.push_str(&format!("owner: {}\n", quoted(&owner)));
    }
    text.push_str("---\n");
    text.push_str(match kind {
        PageKind::News => {
            "Skriv nyheten här. Det första stycket visas i listor om du inte fyller i summary.\n"
        }
        PageKind::Summary => {
            "## Vad hände under året?\n\nSkriv här.\n\n## Vad händer nästa år?\n\nSkriv här.\n"
        }
        _ => "Skriv sidans text här.\n",
    });
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|error| {
            if error.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} finns redan och skrivs inte över", path.display()),
                )
            } else {
                error
            }
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    Ok(path)
}

/// A `--section` argument as a directory under `content/`, or why it is not one: it must be a
/// relative path that never goes up (`nyheter`, `projekt/2024`), so a new page cannot be written
/// outside the site's content.
pub fn section_path(text: &str) -> Result<String, String> {
    let path = Path::new(text.trim());
    let stays_inside = path
        .components()
        .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    let parts: Vec<String> = path
        .components()
        .filter(|part| matches!(part, Component::Normal(_)))
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if !stays_inside || parts.is_empty() {
        return Err(format!(
            "\"{text}\" är ingen katalog under content/; ange avsnittets katalog räknat från content/, till exempel --section nyheter"
        ));
    }
    Ok(parts.join("/"))
}

/// Whether `path` lies inside `dir` once links are followed (both must exist).
fn lies_within(path: &Path, dir: &Path) -> bool {
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(path), Ok(dir)) => path.starts_with(dir),
        _ => false,
    }
}

/// A YAML string in double quotes.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The directory (relative to `content/`) of the first page whose front matter says it is of `kind`.
fn section_holding(root: &Path, kind: PageKind) -> Option<String> {
    let content = root.join(CONTENT_DIR);
    walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find_map(|entry| {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                return None;
            }
            let text = std::fs::read_to_string(path).ok()?;
            let front = text.strip_prefix("---")?.split("\n---").next()?;
            let matches = front.lines().any(|line| {
                let line = line.trim();
                ["kind:", "typ:"].iter().any(|key| {
                    line.strip_prefix(key)
                        .and_then(|v| PageKind::parse(v.trim().trim_matches(['"', '\''])))
                        == Some(kind)
                })
            });
            let dir = path.parent()?.strip_prefix(&content).ok()?;
            matches.then(|| dir.to_string_lossy().replace('\\', "/"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_a_path_under_content_that_never_goes_up() {
        assert_eq!(section_path("nyheter").as_deref(), Ok("nyheter"));
        assert_eq!(section_path("./projekt/2024/").as_deref(), Ok("projekt/2024"));
        for outside in ["..", "../..", "nyheter/../../x", "content/../x", "/etc", "", "."] {
            assert!(section_path(outside).is_err(), "{outside:?} is refused");
        }
    }
}

//! Themes: the templates, UI strings and static files a site is rendered with.
//!
//! A theme is `themes/<name>/` (`templates/`, `static/`, `strings.yaml`). The default theme is also
//! embedded in the binary, so a site without `themes/` builds. The site's own `templates/` replaces
//! the theme's templates file by file, its `static/` adds to or replaces the theme's static files, and
//! `strings:` in `site.yaml` replaces single strings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content::files_within;
use crate::diagnostics::{did_you_mean, display_path, Diagnostic};
use crate::i18n::Strings;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name of the theme that is built into notis.
pub const DEFAULT_THEME_NAME: &str = "default";

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The template text.
    pub text: String,
    /// The file, for diagnostics (`themes/default/templates/page.html`, or `(inbyggt tema)/…`).
    pub display_path: PathBuf,
}

/// Where a static file's bytes are.
#[derive(Debug, Clone)]
pub enum StaticOrigin {
    /// A file on disk.
    Disk(PathBuf),
    /// A file of the embedded default theme.
    Embedded(&'static [u8]),
}

/// A loaded theme with the site's overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Templates by name (`page.html`, `partials/list.html`).
    pub templates: BTreeMap<String, TemplateSource>,
    /// UI strings, with the site's overrides.
    pub strings: Strings,
    /// Files copied to the output root, by their path there.
    pub static_files: BTreeMap<String, StaticOrigin>,
}

impl Theme {
    /// Whether a template of that name exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// Whether a static file with that output path exists (`bilder/trad.svg`).
    pub fn has_static(&self, path: &str) -> bool {
        self.static_files.contains_key(path.trim_start_matches('/'))
    }
}

/// Loads the theme named in the configuration, the site's templates and static files, with every
/// problem found. The theme is always made, as far as it can be: when the named theme does not
/// exist the built-in one stands in, so the other stages can still look for their problems.
pub fn load(root: &Path, config: &SiteConfig) -> (Theme, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut templates = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    let theme_dir = root.join("themes").join(&config.theme);
    let strings_text = if theme_dir.is_dir() {
        read_templates(root, &theme_dir.join("templates"), &mut problems, &mut templates);
        collect_static(root, &theme_dir.join("static"), &mut problems, &mut static_files);
        let strings_path = theme_dir.join("strings.yaml");
        match std::fs::read_to_string(&strings_path) {
            Ok(text) => Some((text, display_path(root, &strings_path))),
            Err(_) => {
                problems.push(
                    Diagnostic::error(
                        display_path(root, &strings_path),
                        0,
                        "temat saknar sin fil med texter",
                    )
                    .with_hint("kopiera strings.yaml från standardtemat (themes/default/strings.yaml)"),
                );
                None
            }
        }
    } else {
        if config.theme != DEFAULT_THEME_NAME {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    format!("temat \"{}\" finns inte i themes/", config.theme),
                )
                .with_hint(
                    "ta bort raden \"theme\" för att använda standardtemat, eller lägg temat i themes/",
                ),
            );
        }
        embedded_files(&DEFAULT_THEME, &mut |path, bytes| {
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let shown = PathBuf::from("(inbyggt tema)").join(path);
                templates.insert(
                    name.to_string(),
                    TemplateSource {
                        text,
                        display_path: shown,
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                static_files.insert(name.to_string(), StaticOrigin::Embedded(bytes));
            }
        });
        DEFAULT_THEME
            .get_file("strings.yaml")
            .and_then(|f| f.contents_utf8())
            .map(|text| (text.to_string(), PathBuf::from("(inbyggt tema)/strings.yaml")))
    };
    read_templates(root, &root.join("templates"), &mut problems, &mut templates);
    collect_static(root, &root.join("static"), &mut problems, &mut static_files);

    let mut strings = Strings::default();
    if let Some((text, shown)) = strings_text {
        match Strings::parse(&text) {
            Ok(parsed) => strings = parsed,
            Err(error) => problems.push(Diagnostic::error(
                shown,
                0,
                format!("temats texter går inte att läsa: {error}"),
            )),
        }
        for (key, value) in &config.strings {
            if strings.contains(key) {
                strings.set(key, &value.text);
            } else {
                let hint = match did_you_mean(key, strings.keys()) {
                    Some(close) => format!("menade du \"{close}\"?"),
                    None => "se temats strings.yaml för de texter som går att ändra".to_string(),
                };
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        value.line,
                        format!("okänd text \"{key}\" under strings"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    let theme = Theme {
        templates,
        strings,
        static_files,
    };
    (theme, problems)
}

/// Adds every template under `dir`, replacing templates of the same name read before.
fn read_templates(
    root: &Path,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    templates: &mut BTreeMap<String, TemplateSource>,
) {
    if !dir.is_dir() {
        return;
    }
    let (entries, unreadable) = files_within(root, dir);
    problems.extend(unreadable);
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let shown = display_path(root, entry.path());
        let name = relative_name(dir, entry.path());
        match std::fs::read(entry.path()).map(String::from_utf8) {
            Ok(Ok(text)) => {
                templates.insert(
                    name,
                    TemplateSource {
                        text,
                        display_path: shown,
                    },
                );
            }
            Ok(Err(_)) => problems.push(
                Diagnostic::error(shown, 0, "mallen är inte sparad som UTF-8")
                    .with_hint("spara filen som UTF-8"),
            ),
            Err(error) => problems.push(Diagnostic::error(
                shown,
                0,
                format!("kan inte läsa mallen: {error}"),
            )),
        }
    }
}

fn collect_static(
    root: &Path,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    files: &mut BTreeMap<String, StaticOrigin>,
) {
    if !dir.is_dir() {
        return;
    }
    let (entries, unreadable) = files_within(root, dir);
    problems.extend(unreadable);
    for entry in entries {
        if !entry.file_name().to_string_lossy().starts_with('.') {
            files.insert(
                relative_name(dir, entry.path()),
                StaticOrigin::Disk(entry.into_path()),
            );
        }
    }
}

fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn embedded_files(dir: &'static Dir<'static>, add: &mut impl FnMut(&str, &'static [u8])) {
    for file in dir.files() {
        add(&file.path().to_string_lossy().replace('\\', "/"), file.contents());
    }
    for sub in dir.dirs() {
        embedded_files(sub, add);
    }
}

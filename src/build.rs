//! The build: load → model → render → write, with every problem collected along the way.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{BuildOptions, Site};
use crate::theme::Theme;

/// The default output directory, relative to the site root.
pub const OUTPUT_DIR: &str = "output";

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Published pages.
    pub pages: usize,
    /// Sections, the start page included.
    pub sections: usize,
    /// Files written, static files included.
    pub files: usize,
    /// Warnings, sorted.
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
}

/// A site loaded and modelled, with its theme and the warnings found.
pub struct Loaded {
    /// The model.
    pub site: Site,
    /// The theme.
    pub theme: Theme,
    /// Warnings (the errors, if any, are returned instead of a `Loaded`).
    pub warnings: Diagnostics,
}

/// Loads the site at `root` and computes its model; on any error returns all diagnostics.
pub fn load(root: &Path, options: &BuildOptions) -> Result<Loaded, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let theme = crate::theme::load(root, &config);
    let (sources, content_problems) = crate::content::load(root);
    let (data, data_problems) = crate::content::data::load(root);
    diagnostics.extend(content_problems);
    diagnostics.extend(data_problems);
    let theme = match theme {
        Ok(theme) => theme,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let unreadable: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.path.strip_prefix(crate::content::CONTENT_DIR).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    match Site::build(config, &theme, sources, data, options, &unreadable) {
        Ok(site) if !diagnostics.has_errors() => Ok(Loaded {
            site,
            theme,
            warnings: diagnostics,
        }),
        Ok(_) => Err(diagnostics),
        Err(problems) => {
            diagnostics.extend(problems);
            Err(diagnostics)
        }
    }
}

/// Builds the site at `root` into `output` (default `root/output`). On any error nothing is written.
pub fn build(root: &Path, output: Option<&Path>, options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let Loaded {
        site,
        theme,
        warnings,
    } = load(root, options)?;
    let mut diagnostics = warnings;
    let tera = match crate::render::templates(&theme, &site.config.base_path) {
        Ok(tera) => tera,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let files = match crate::render::render_site(&site, &theme, &tera) {
        Ok(files) => files,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let output: PathBuf = output.map_or_else(|| root.join(OUTPUT_DIR), Path::to_path_buf);
    let written = match crate::output::write_atomically(&output, &files, &theme.static_files) {
        Ok(count) => count,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(&output, 0, format!("kunde inte skriva webbplatsen: {error}"))
                    .with_hint("kontrollera att katalogen går att skriva i och att disken inte är full"),
            );
            return Err(diagnostics);
        }
    };
    Ok(BuildReport {
        pages: site.pages.len(),
        sections: site.sections.len(),
        files: written,
        warnings: diagnostics.into_sorted(),
        elapsed: started.elapsed(),
    })
}

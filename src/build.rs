//! The build: load → model → render → write, with every problem collected along the way.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lifecycle::{report, ReportEntry, Reviewed};
use crate::site::{BuildOptions, Placement, Site};
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
    /// Pages past their archive date.
    pub archived: usize,
    /// Pages whose archive date comes within [`SOON_DAYS`].
    pub archiving_soon: usize,
    /// Archived pages left out by the `drop` policy.
    pub dropped: Vec<PathBuf>,
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
        Ok(mut site) => {
            diagnostics.extend(std::mem::take(&mut site.warnings));
            if diagnostics.has_errors() {
                Err(diagnostics)
            } else {
                Ok(Loaded {
                    site,
                    theme,
                    warnings: diagnostics,
                })
            }
        }
        Err(problems) => {
            diagnostics.extend(problems);
            Err(diagnostics)
        }
    }
}

/// The window, in days, of "archiving soon" in the build summary and the default of `notis check`.
pub const SOON_DAYS: u32 = 30;

fn lifecycle_counts(site: &Site) -> (usize, usize, Vec<PathBuf>) {
    let archived = site.pages.iter().filter(|p| p.placement.is_archived()).count();
    let soon = site
        .pages
        .iter()
        .filter(|p| !p.lifecycle.is_archived())
        .filter_map(|p| p.lifecycle.archive_date())
        .filter(|date| (*date - site.today).num_days() <= i64::from(SOON_DAYS))
        .count();
    let dropped = site
        .pages
        .iter()
        .filter(|p| p.placement == Placement::Dropped)
        .map(|p| p.display_path.clone())
        .collect();
    (archived, soon, dropped)
}

/// What `notis check` found: the lifecycle report and the warnings of the build.
#[derive(Debug)]
pub struct CheckReport {
    /// The day the report is made for.
    pub today: chrono::NaiveDate,
    /// The window of "soon", in days.
    pub within_days: u32,
    /// The report's lines, sorted by owner.
    pub entries: Vec<ReportEntry>,
    /// Warnings of the build.
    pub warnings: Vec<Diagnostic>,
}

/// Validates the site at `root` exactly like a build (templates rendered too) but writes nothing,
/// then reports what is archived, archiving or due for review within `within_days`.
pub fn check(root: &Path, options: &BuildOptions, within_days: u32) -> Result<CheckReport, Diagnostics> {
    let Loaded {
        site,
        theme,
        warnings,
    } = load(root, options)?;
    let mut diagnostics = warnings;
    let rendered = crate::render::templates(&theme, &site.config.base_path)
        .and_then(|tera| crate::render::render_site(&site, &theme, &tera));
    if let Err(problems) = rendered {
        diagnostics.extend(problems);
        return Err(diagnostics);
    }
    let pages = site.pages.iter().map(|page| Reviewed {
        path: page.display_path.to_string_lossy().replace('\\', "/"),
        title: &page.title,
        owner: page.owner.as_ref(),
        lifecycle: page.lifecycle,
        review_date: page.review_date,
    });
    Ok(CheckReport {
        today: site.today,
        within_days,
        entries: report(pages, site.today, within_days),
        warnings: diagnostics.into_sorted(),
    })
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
    let (archived, archiving_soon, dropped) = lifecycle_counts(&site);
    Ok(BuildReport {
        archived,
        archiving_soon,
        dropped,
        pages: site
            .pages
            .iter()
            .filter(|p| p.placement != Placement::Dropped)
            .count(),
        sections: site.sections.len(),
        files: written,
        warnings: diagnostics.into_sorted(),
        elapsed: started.elapsed(),
    })
}

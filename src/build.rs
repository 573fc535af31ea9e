//! The build: load → model → render → write, with every problem collected along the way.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::SourceCache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lifecycle::{report, ReportEntry, Reviewed};
use crate::output::{Manifest, WriteReport, Writer};
use crate::site::{BuildOptions, Placement, Site, Timings};
use crate::theme::Theme;

/// The default output directory, relative to the site root.
pub const OUTPUT_DIR: &str = "output";

/// What a successful build found; kept in the output's manifest, so a rebuild from unchanged inputs
/// can report it again without doing the work.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Published pages.
    pub pages: usize,
    /// Sections, the start page included.
    pub sections: usize,
    /// Warnings, sorted.
    pub warnings: Vec<Diagnostic>,
    /// Pages past their archive date.
    pub archived: usize,
    /// Pages whose archive date comes within [`SOON_DAYS`].
    pub archiving_soon: usize,
    /// Archived pages left out by the `drop` policy.
    pub dropped: Vec<PathBuf>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// What the build found.
    pub summary: Summary,
    /// What it wrote.
    pub written: WriteReport,
    /// Whether the inputs were unchanged since the last build into the same output, so nothing was done.
    pub unchanged_inputs: bool,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time per stage.
    pub timings: Timings,
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
    // No cache: the sources are freed as soon as their Markdown is rendered.
    load_with(root, options, crate::content::load)
}

/// Like [`load`], but reads only the content files that changed since `cache` was filled.
pub fn load_cached(
    root: &Path,
    options: &BuildOptions,
    cache: &mut SourceCache,
) -> Result<Loaded, Diagnostics> {
    load_with(root, options, |root| crate::content::load_cached(root, cache))
}

fn load_with(
    root: &Path,
    options: &BuildOptions,
    read_content: impl FnOnce(&Path) -> (Vec<std::sync::Arc<crate::content::Source>>, Vec<Diagnostic>),
) -> Result<Loaded, Diagnostics> {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let theme = crate::theme::load(root, &config);
    let (sources, content_problems) = read_content(root);
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
    let mut read = Timings::default();
    read.record("läsa", started);
    match Site::build(config, &theme, sources, data, options, &unreadable) {
        Ok(mut site) => {
            site.timings.stages.splice(0..0, read.stages);
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

fn write_error(output: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(output, 0, format!("kunde inte skriva webbplatsen: {error}"))
        .with_hint("kontrollera att katalogen går att skriva i och att disken inte är full")
}

/// The fingerprint of everything a build of `root` reads and of how it is asked to build.
fn input_fingerprint(root: &Path, options: &BuildOptions) -> u64 {
    let executable = std::env::current_exe().and_then(std::fs::metadata).ok();
    let salt = format!(
        "{} {:?} {:?} {} {}",
        env!("CARGO_PKG_VERSION"),
        executable.as_ref().map(std::fs::Metadata::len),
        executable.and_then(|m| m.modified().ok()),
        options.today,
        options.include_drafts
    );
    let dirs: Vec<PathBuf> = [
        crate::content::CONTENT_DIR,
        "data",
        "static",
        "templates",
        "themes",
    ]
    .iter()
    .map(|dir| root.join(dir))
    .collect();
    crate::output::fingerprint(&dirs, &[root.join(crate::config::CONFIG_FILE)], &salt)
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
    // Every page is rendered to find template errors, and let go at once: check keeps no output.
    let rendered = crate::render::templates(&theme, &site.config.base_path)
        .and_then(|tera| crate::render::render_each(&site, &theme, &tera, &|_| Ok(())));
    match rendered {
        Ok(warnings) => diagnostics.extend(warnings),
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    }
    let pages = site.pages.iter().map(|page| Reviewed {
        path: page.display_path.to_string_lossy().replace('\\', "/"),
        title: &page.title,
        owner: page.owner.as_ref(),
        lifecycle: page.lifecycle,
        // An archived page is no longer reviewed; it is reported as archived instead.
        review_date: page.review_date.filter(|_| !page.placement.is_archived()),
    });
    Ok(CheckReport {
        today: site.today,
        within_days,
        entries: report(pages, site.today, within_days),
        warnings: diagnostics.into_sorted(),
    })
}

/// Builds the site at `root` into `output` (default `root/output`). On any error nothing is written.
///
/// When the inputs (content, templates, themes, static and data files, `site.yaml`, the day, the
/// options and notis itself) are exactly those of the last build into the same output, and the output
/// is untouched since, nothing is done at all.
pub fn build(root: &Path, output: Option<&Path>, options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output: PathBuf = output.map_or_else(|| root.join(OUTPUT_DIR), Path::to_path_buf);
    // The content files are looked for while the inputs are fingerprinted: wasted when nothing
    // changed, but that walk is on the other core and a build needs it.
    let (inputs, found) = rayon::join(|| input_fingerprint(root, options), || crate::content::find(root));
    let previous = Manifest::read(&output).filter(|m| m.inputs == inputs && m.matches(&output));
    let loading = Instant::now();
    if let Some(summary) = previous.and_then(|m| serde_json::from_str::<Summary>(&m.summary).ok()) {
        return Ok(BuildReport {
            summary,
            written: WriteReport::default(),
            unchanged_inputs: true,
            elapsed: started.elapsed(),
            timings: Timings::default(),
        });
    }
    let Loaded {
        site,
        theme,
        warnings,
    } = load_with(root, options, |root| crate::content::read(root, found))?;
    let mut diagnostics = warnings;
    let mut timings = site.timings.clone();
    timings.record("läsa+modell", loading);
    let rendering = Instant::now();
    let tera = match crate::render::templates(&theme, &site.config.base_path) {
        Ok(tera) => tera,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let writer = match Writer::begin(&output) {
        Ok(writer) => writer,
        Err(error) => {
            diagnostics.push(write_error(&output, &error));
            return Err(diagnostics);
        }
    };
    match crate::render::render_each(&site, &theme, &tera, &|file| writer.put(file)) {
        Ok(warnings) => diagnostics.extend(warnings),
        Err(problems) => {
            writer.abort();
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    }
    timings.record("rendera", rendering);
    let writing = Instant::now();
    let committed = match writer.commit(&theme.static_files) {
        Ok(committed) => committed,
        Err(error) => {
            diagnostics.push(write_error(&output, &error));
            return Err(diagnostics);
        }
    };
    timings.record("skriva", writing);
    let (archived, archiving_soon, dropped) = lifecycle_counts(&site);
    let summary = Summary {
        pages: site
            .pages
            .iter()
            .filter(|p| p.placement != Placement::Dropped)
            .count(),
        sections: site.sections.len(),
        warnings: diagnostics.into_sorted(),
        archived,
        archiving_soon,
        dropped,
    };
    let save_manifest = || {
        // A build that cannot save its manifest is still a good build; the next one just does the work.
        let _ = serde_json::to_string(&summary)
            .map_err(std::io::Error::other)
            .and_then(|summary| {
                Manifest {
                    inputs,
                    summary,
                    files: committed.files,
                }
                .save(&output)
            });
    };
    // Freeing every page one by one takes long enough on a large site to be shared among the threads.
    rayon::join(save_manifest, || site.pages.into_par_iter().for_each(drop));
    Ok(BuildReport {
        summary,
        written: committed.report,
        unchanged_inputs: false,
        elapsed: started.elapsed(),
        timings,
    })
}

//! The build: load → model → render → write, with every problem collected along the way.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Tera;

use crate::config::SiteConfig;
use crate::content::SourceCache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lifecycle::{report, ReportEntry, Reviewed};
use crate::output::{Manifest, WriteError, WriteReport, Writer};
use crate::render::Job;
use crate::site::listings::ListingKind;
use crate::site::{BuildOptions, Placement, Site, Timings};
use crate::theme::{StaticOrigin, Theme};

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

/// A site loaded and modelled without errors, with its theme, its parsed templates and the warnings found.
pub struct Loaded {
    /// The model.
    pub site: Site,
    /// The theme.
    pub theme: Theme,
    /// The theme's templates, parsed.
    pub templates: Tera,
    /// Warnings (the errors, if any, are returned instead of a `Loaded`).
    pub warnings: Diagnostics,
}

/// Loads the site at `root`, computes its model and parses its templates; on any error returns
/// every problem of every stage.
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

/// Every stage runs whatever the others found, so that one run reports every problem: site.yaml's
/// mistakes leave a best-effort configuration ([`SiteConfig::load_best_effort`]), a content file
/// with mistakes is left out of the model, and the templates are parsed while the content is read.
/// When there are errors, the model is still rendered (and the result dropped) to find the
/// template errors too, unless that would only report the same problems again or problems that
/// are not there (see [`can_render_for_errors`]).
fn load_with(
    root: &Path,
    options: &BuildOptions,
    read_content: impl FnOnce(&Path) -> (Vec<std::sync::Arc<crate::content::Source>>, Vec<Diagnostic>) + Send,
) -> Result<Loaded, Diagnostics> {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let config = match SiteConfig::load_best_effort(root) {
        Ok((config, problems)) => {
            diagnostics.extend(problems);
            config
        }
        Err(problems) => {
            // Without a site.yaml there is no site to look at.
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let (theme, theme_problems) = crate::theme::load(root, &config);
    let ((sources, content_problems), ((data, data_problems), templates)) = rayon::join(
        || read_content(root),
        || {
            rayon::join(
                || crate::content::data::load(root),
                || crate::render::templates(&theme, &config.base_path),
            )
        },
    );
    let inputs_of_every_page_loaded = theme_problems.is_empty() && data_problems.is_empty();
    diagnostics.extend(theme_problems);
    diagnostics.extend(content_problems);
    diagnostics.extend(data_problems);
    let unreadable: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.path.strip_prefix(crate::content::CONTENT_DIR).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut read = Timings::default();
    read.record("läsa", started);
    let mut site = Site::build(config, &theme, sources, data, options, &unreadable);
    site.timings.stages.splice(0..0, read.stages);
    diagnostics.extend(std::mem::take(&mut site.diagnostics));
    diagnostics.extend(static_collisions(root, &site, &theme));
    let templates = match templates {
        Ok(templates) => templates,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    if !diagnostics.has_errors() {
        return Ok(Loaded {
            site,
            theme,
            templates,
            warnings: diagnostics,
        });
    }
    if inputs_of_every_page_loaded && can_render_for_errors(&site, &theme) {
        if let Err(problems) = crate::render::render_each(&site, &theme, &templates, &|_| Ok(())) {
            diagnostics.extend(problems);
        }
    }
    Err(diagnostics)
}

/// Whether a model with errors is worth rendering to find template errors. Its errors leave it
/// complete (a file that failed is left out, a page with a broken link is still made), but a section whose
/// template is missing is reported already and would only fail again. Rendering also needs the
/// theme and the data files, which every page's context comes from, loaded without errors: the
/// caller checks that.
fn can_render_for_errors(site: &Site, theme: &Theme) -> bool {
    site.sections
        .iter()
        .all(|section| theme.has_template(&section.template))
}

/// The diagnostics of a build whose files could not be put in place; the output is unchanged.
fn write_errors(output: &Path, error: WriteError) -> Vec<Diagnostic> {
    let shown = output.display();
    match error {
        WriteError::Collisions(paths) => paths
            .into_iter()
            .map(|path| {
                Diagnostic::error(
                    output.join(&path),
                    0,
                    "webbplatsen behöver skriva här, men filen (eller katalogen) är inte skriven av notis",
                )
                .with_hint(
                    "flytta eller ta bort den ur utkatalogen, eller ge sidan en annan adress; notis skriver aldrig över filer som den inte har skrivit",
                )
            })
            .collect(),
        WriteError::Io(error) if error.kind() == std::io::ErrorKind::StorageFull => vec![Diagnostic::error(
            output,
            0,
            format!("disken är full, så webbplatsen kunde inte skrivas; {shown} är oförändrad"),
        )
        .with_hint("frigör utrymme på disken och bygg igen")],
        WriteError::Io(error) => vec![Diagnostic::error(
            output,
            0,
            format!("kunde inte skriva webbplatsen ({error}); {shown} är oförändrad"),
        )
        .with_hint("kontrollera att katalogen bredvid utkatalogen går att skriva i och att disken inte är full")],
    }
}

/// Static files at the output path of a file notis generates. The generated file would replace the
/// static one without a word, so each is an error at the static file. (A site's static file that
/// replaces a theme's of the same path is meant to, and is no longer in `theme.static_files`.)
fn static_collisions(root: &Path, site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    if theme.static_files.is_empty() {
        return Vec::new();
    }
    crate::render::plan(site, theme)
        .iter()
        .filter_map(|job| {
            let file = job.output_file(site);
            let shown = match theme.static_files.get(&file)? {
                StaticOrigin::Disk(path) => crate::diagnostics::display_path(root, path),
                StaticOrigin::Embedded(_) => PathBuf::from("(inbyggt tema)/static").join(&file),
            };
            Some(
                Diagnostic::error(
                    shown,
                    0,
                    format!(
                        "filen skulle ersättas av {}, som hamnar på samma ställe: /{file}",
                        generated_by(site, job)
                    ),
                )
                .with_hint(
                    "byt namn på filen eller flytta den; det notis skapar kan inte ersättas med en fil i static/",
                ),
            )
        })
        .collect()
}

/// What a job makes, for messages: "sidan content/om.md", "ämnesöversikten".
fn generated_by(site: &Site, job: &Job) -> String {
    match *job {
        Job::Home => "startsidan".into(),
        Job::Listing { listing, number } => {
            let what = match site.listings.listings[listing].kind {
                ListingKind::Section(id) => format!("listan i avsnittet {}", site.sections[id].title),
                ListingKind::Year(index) => format!("årsarkivet {}", site.listings.years[index].year),
                ListingKind::Topic(index) => format!("ämnessidan {}", site.listings.topics[index].name),
            };
            if number > 1 {
                format!("{what} (sida {number})")
            } else {
                what
            }
        }
        Job::Page(id) => format!("sidan {}", site.pages[id].display_path.display()),
        Job::Redirect(id) => format!(
            "hänvisningen från den gamla adressen för {}",
            site.pages[id].display_path.display()
        ),
        Job::ArchiveIndex => "arkivet".into(),
        Job::YearIndex(_) => "nyhetsarkivet".into(),
        Job::TopicIndex => "ämnesöversikten".into(),
        Job::Feed(_) => "ett webbflöde (Atom)".into(),
        Job::Sitemap => "webbplatskartan".into(),
        Job::Robots => "robots.txt som notis skapar".into(),
        Job::NotFound => "sidan som visas när en adress inte finns".into(),
    }
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
        templates,
        warnings,
    } = load(root, options)?;
    let mut diagnostics = warnings;
    // Every page is rendered to find template errors, and let go at once: check keeps no output.
    match crate::render::render_each(&site, &theme, &templates, &|_| Ok(())) {
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
    if let Err(refused) = crate::output::check_target(root, &output) {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(refused);
        return Err(diagnostics);
    }
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
        templates: tera,
        warnings,
    } = load_with(root, options, |root| crate::content::read(root, found))?;
    let mut diagnostics = warnings;
    let mut timings = site.timings.clone();
    timings.record("läsa+modell", loading);
    let rendering = Instant::now();
    let writer = match Writer::begin(&output) {
        Ok(writer) => writer,
        Err(error) => {
            diagnostics.extend(write_errors(&output, WriteError::Io(error)));
            return Err(diagnostics);
        }
    };
    let sink = |file| {
        writer.put(file);
        Ok(())
    };
    match crate::render::render_each(&site, &theme, &tera, &sink) {
        Ok(warnings) => diagnostics.extend(warnings),
        Err(problems) => {
            writer.abort();
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    }
    timings.record("rendera", rendering);
    let writing = Instant::now();
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
    // Freeing every page one by one takes long enough on a large site to be shared among the threads.
    let summary_line = serde_json::to_string(&summary).unwrap_or_default();
    let (written, ()) = rayon::join(
        || writer.commit(&theme.static_files, inputs, summary_line),
        || site.pages.into_par_iter().for_each(drop),
    );
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(summary.warnings);
            diagnostics.extend(write_errors(&output, error));
            return Err(diagnostics);
        }
    };
    timings.record("skriva", writing);
    Ok(BuildReport {
        summary,
        written,
        unchanged_inputs: false,
        elapsed: started.elapsed(),
        timings,
    })
}

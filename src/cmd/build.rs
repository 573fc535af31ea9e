//! `notis build`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::out::{errln, outln};
use super::{count, print_diagnostics, CONTENT_ERROR, USAGE_ERROR};

/// Arguments of `notis build`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    site: super::SiteArgs,
    /// Where to write the site (default: output/ in the site's directory).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Publish drafts too.
    #[arg(long)]
    drafts: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

/// Runs the build and prints a summary line.
pub fn run(args: Args) -> ExitCode {
    let today = match args.site.day() {
        Ok(day) => day,
        Err(code) => return code,
    };
    let options = notis::BuildOptions {
        today,
        include_drafts: args.drafts,
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.site.root.join(notis::OUTPUT_DIR));
    if let Err(refused) = notis::output::check_target(&args.site.root, &output) {
        print_diagnostics(&[refused]);
        errln!("Inget skrevs.");
        return ExitCode::from(USAGE_ERROR);
    }
    let progress = super::progress::Spinner::start("Bygger webbplatsen");
    let result = notis::build(&args.site.root, args.output.as_deref(), &options);
    drop(progress);
    match result {
        Ok(report) => {
            let summary = &report.summary;
            print_diagnostics(&summary.warnings);
            let seconds = format!("{:.2}", report.elapsed.as_secs_f64()).replace('.', ",");
            let pages = format!(
                "{} i {}",
                count(summary.pages, "sida", "sidor"),
                count(summary.sections, "avsnitt", "avsnitt")
            );
            if report.unchanged_inputs {
                outln!(
                    "Klart: {pages}; inget har ändrats sedan förra bygget, inga filer skrivna ({seconds} s)"
                );
            } else {
                let written = &report.written;
                let mut changes = vec![count(written.written, "fil skriven", "filer skrivna")];
                if written.unchanged > 0 {
                    changes.push(format!("{} oförändrade", written.unchanged));
                }
                if written.removed > 0 {
                    changes.push(format!("{} borttagna", written.removed));
                }
                outln!("Klart: {pages}, {} på {seconds} s", changes.join(", "));
            }
            if args.timings {
                for stage in &report.timings.stages {
                    let memory = stage
                        .peak_memory
                        .map(|bytes| format!("{:>6} MB", bytes / 1_000_000))
                        .unwrap_or_default();
                    errln!(
                        "{:>12}: {:>8.3} s {memory}",
                        stage.name,
                        stage.duration.as_secs_f64()
                    );
                }
            }
            for path in &summary.dropped {
                outln!("Utelämnad eftersom den är arkiverad: {}", path.display());
            }
            outln!(
                "{}, {} arkiveras inom {} dagar",
                count(summary.archived, "sida arkiverad", "sidor arkiverade"),
                summary.archiving_soon,
                notis::SOON_DAYS
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.into_sorted());
            errln!("Inget skrevs: rätta felen ovan och bygg igen.");
            ExitCode::from(CONTENT_ERROR)
        }
    }
}

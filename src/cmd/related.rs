//! `notis related`: shows which related news a page gets and why.

use std::path::PathBuf;
use std::process::ExitCode;

use super::out::{errln, outln};
use super::{print_diagnostics, CONTENT_ERROR, USAGE_ERROR};

/// Arguments of `notis related`.
#[derive(clap::Args)]
pub struct Args {
    /// The page's file, e.g. content/nyheter/2019-12-13-samverkan.md.
    path: PathBuf,
    #[command(flatten)]
    site: super::SiteArgs,
}

/// Prints the chosen related pages with the parts of each score.
pub fn run(args: Args) -> ExitCode {
    let today = match args.site.day() {
        Ok(day) => day,
        Err(code) => return code,
    };
    let options = notis::BuildOptions {
        today,
        include_drafts: false,
    };
    let loaded = match notis::load(&args.site.root, &options) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.into_sorted());
            return ExitCode::from(CONTENT_ERROR);
        }
    };
    let site = &loaded.site;
    let wanted = args
        .path
        .strip_prefix(&args.site.root)
        .unwrap_or(&args.path)
        .to_path_buf();
    let wanted = wanted.to_string_lossy().replace('\\', "/");
    let wanted = wanted.trim_start_matches("./");
    let content_path = wanted.strip_prefix("content/").unwrap_or(wanted);
    let Some(page) = site.pages.iter().find(|p| p.content_path == content_path) else {
        errln!("notis: ingen publicerad sida heter {wanted}");
        errln!(
            "    tips: ange sökvägen till en .md-fil, till exempel content/nyheter/2019-12-13-samverkan.md"
        );
        return ExitCode::from(USAGE_ERROR);
    };
    outln!(
        "Relaterade nyheter för {} ({})",
        page.display_path.display(),
        page.title
    );
    if page.related.is_empty() {
        if page.kind == notis::config::PageKind::News {
            outln!("  inga: sidan delar varken ämnen eller tillräckligt mycket text med någon annan nyhet");
        } else {
            outln!("  inga: bara nyheter får relaterade nyheter automatiskt; andra sidor visar dem de fäster med related:");
        }
    }
    let number = |x: f64| format!("{x:.2}").replace('.', ",");
    for (index, choice) in page.related.iter().enumerate() {
        let other = &site.pages[choice.page];
        outln!(
            "  {}. {} ({})",
            index + 1,
            other.title,
            other.display_path.display()
        );
        if choice.pinned {
            outln!("     fäst med related: i sidans front matter");
        } else {
            let parts = &choice.parts;
            outln!(
                "     poäng {} = ämnen {} + text {} + samma avsnitt {} + närhet i tid {}",
                number(parts.total()),
                number(parts.topics),
                number(parts.text),
                number(parts.section),
                number(parts.time)
            );
        }
    }
    ExitCode::SUCCESS
}

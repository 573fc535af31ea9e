//! `notis check`: validates the site without writing anything and reports archiving and reviews.

use std::fmt::Write as _;
use std::process::ExitCode;

use notis::lifecycle::{Finding, ReportEntry};
use notis::CheckReport;

use super::{print_diagnostics, CONTENT_ERROR};

/// Report formats.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Grouped by owner, for people.
    Text,
    /// One JSON object, for programs.
    Json,
    /// One row per finding, for spreadsheets.
    Csv,
}

/// Arguments of `notis check`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    site: super::SiteArgs,
    /// Report archiving and reviews due within this many days.
    #[arg(long, default_value_t = notis::SOON_DAYS)]
    days: u32,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit with 1 when a page is past its archive date or overdue for review.
    #[arg(long)]
    strict: bool,
}

/// Runs the check and prints the report on stdout.
pub fn run(args: Args) -> ExitCode {
    let today = match args.site.day() {
        Ok(day) => day,
        Err(code) => return code,
    };
    let options = notis::BuildOptions {
        today,
        include_drafts: false,
    };
    let report = match notis::check(&args.site.root, &options, args.days) {
        Ok(report) => report,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics.into_sorted());
            return ExitCode::from(CONTENT_ERROR);
        }
    };
    print_diagnostics(&report.warnings);
    let text = match args.format {
        Format::Text => text(&report),
        Format::Json => json(&report),
        Format::Csv => csv(&report),
    };
    print!("{text}");
    let overdue = report.entries.iter().any(|e| e.finding.is_overdue());
    if args.strict && overdue {
        ExitCode::from(CONTENT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

fn owner_label(entry: &ReportEntry) -> String {
    entry
        .owner
        .as_ref()
        .map_or_else(|| "Ingen sidansvarig".to_string(), ToString::to_string)
}

fn when(days: i64) -> String {
    match days {
        0 => "i dag".to_string(),
        1 => "i morgon".to_string(),
        -1 => "i går".to_string(),
        d if d < 0 => format!("för {} dagar sedan", -d),
        d => format!("om {d} dagar"),
    }
}

fn text(report: &CheckReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Livscykelrapport {} (inom {} dagar)",
        report.today, report.within_days
    );
    if report.entries.is_empty() {
        let _ = writeln!(
            out,
            "Inget att göra: inga sidor är arkiverade, arkiveras snart eller behöver granskas."
        );
        return out;
    }
    let mut current_owner = None;
    let mut current_finding = None;
    for entry in &report.entries {
        let owner = owner_label(entry);
        if current_owner.as_ref() != Some(&owner) {
            let _ = writeln!(out, "\nSidansvarig: {owner}");
            current_owner = Some(owner);
            current_finding = None;
        }
        if current_finding != Some(entry.finding) {
            let _ = writeln!(out, "  {}", entry.finding.label());
            current_finding = Some(entry.finding);
        }
        let _ = writeln!(
            out,
            "    {}  {}  {} ({})",
            entry.date,
            entry.path,
            entry.title,
            when(entry.days)
        );
    }
    let count = |finding: Finding| report.entries.iter().filter(|e| e.finding == finding).count();
    let _ = writeln!(
        out,
        "\nSammanfattning: {} arkiverade, {} arkiveras snart, {} granskningar försenade, {} granskas snart",
        count(Finding::Archived),
        count(Finding::ArchivingSoon),
        count(Finding::ReviewOverdue),
        count(Finding::ReviewSoon)
    );
    out
}

fn json(report: &CheckReport) -> String {
    let value = serde_json::json!({
        "today": report.today,
        "within_days": report.within_days,
        "entries": report.entries,
    });
    format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv(report: &CheckReport) -> String {
    let mut out = String::from("owner,owner_email,finding,date,days,path,title\n");
    for entry in &report.entries {
        let finding = serde_json::to_value(entry.finding).ok();
        let finding = finding.as_ref().and_then(|v| v.as_str()).unwrap_or("");
        let row = [
            csv_field(&entry.owner.as_ref().map_or(String::new(), |o| o.name.clone())),
            csv_field(
                entry
                    .owner
                    .as_ref()
                    .and_then(|o| o.email.as_deref())
                    .unwrap_or(""),
            ),
            finding.to_string(),
            entry.date.to_string(),
            entry.days.to_string(),
            csv_field(&entry.path),
            csv_field(&entry.title),
        ];
        let _ = writeln!(out, "{}", row.join(","));
    }
    out
}

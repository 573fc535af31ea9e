//! `notis check`: validates the site without writing anything and reports archiving and reviews.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::NaiveDate;
use notis::diagnostics::Diagnostic;
use notis::lifecycle::{Finding, ReportEntry};
use notis::CheckReport;

use super::out::out;
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
    let (report, diagnostics) = match notis::check(&args.site.root, &options, args.days) {
        Ok(report) => {
            let warnings = report.warnings.clone();
            (Some(report), warnings)
        }
        Err(diagnostics) => (None, diagnostics.into_sorted()),
    };
    print_diagnostics(&diagnostics);
    // JSON is for programs, which get one document whatever happened; the other formats are
    // reports, of which there is none when the site has errors.
    let printed = match (args.format, &report) {
        (Format::Json, _) => json(today, args.days, &diagnostics, report.as_ref()),
        (Format::Text, Some(report)) => text(report),
        (Format::Csv, Some(report)) => csv(report),
        (_, None) => String::new(),
    };
    out!("{printed}");
    match report {
        None => ExitCode::from(CONTENT_ERROR),
        Some(report) if args.strict && report.entries.iter().any(|e| e.finding.is_overdue()) => {
            ExitCode::from(CONTENT_ERROR)
        }
        Some(_) => ExitCode::SUCCESS,
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

/// The JSON document of `notis check --format json`: the day, the window, every diagnostic and the
/// report's entries, or `null` when the site has errors and there is no report.
fn json(
    today: NaiveDate,
    within_days: u32,
    diagnostics: &[Diagnostic],
    report: Option<&CheckReport>,
) -> String {
    let diagnostics: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": if d.is_error() { "error" } else { "warning" },
                "file": d.path.to_string_lossy().replace('\\', "/"),
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    let value = serde_json::json!({
        "today": today,
        "within_days": within_days,
        "diagnostics": diagnostics,
        "entries": report.map(|r| &r.entries),
    });
    format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
}

/// A cell a spreadsheet shows as text. A cell starting with `=`, `+`, `-` or `@` (also after
/// spaces), a tab or a carriage return is a formula to spreadsheets: a page titled
/// `=HYPERLINK("http://x","y")` would become a link in the owner's report. As OWASP recommends,
/// such a cell starts with a `'` instead, which makes it text.
fn text_cell(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['\t', '\r']) || text.trim_start().starts_with(['=', '+', '-', '@']);
    if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn csv(report: &CheckReport) -> String {
    // Writing to memory cannot fail, so the results of the writer are not checked.
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["owner", "owner_email", "finding", "date", "days", "path", "title"]);
    for entry in &report.entries {
        let finding = serde_json::to_value(entry.finding).ok();
        let finding = finding.as_ref().and_then(|v| v.as_str()).unwrap_or("");
        let owner = entry.owner.as_ref();
        let row = [
            text_cell(owner.map_or("", |o| o.name.as_str())),
            text_cell(owner.and_then(|o| o.email.as_deref()).unwrap_or("")),
            Cow::Borrowed(finding),
            Cow::Owned(entry.date.to_string()),
            Cow::Owned(entry.days.to_string()),
            text_cell(&entry.path),
            text_cell(&entry.title),
        ];
        let _ = writer.write_record(row.iter().map(|cell| cell.as_bytes()));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_other_cells_stay_as_written() {
        for formula in ["=1+1", "+1", "-1", "@A1", "  =1", "\t1", "\r1", "\n=1"] {
            assert_eq!(text_cell(formula), format!("'{formula}"), "{formula:?}");
        }
        for plain in ["Rubrik", "content/a.md", "a=b", "", "e-post@example.se"] {
            assert_eq!(text_cell(plain), plain, "{plain:?}");
        }
    }
}

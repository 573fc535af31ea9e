//! One module per subcommand; each parses its own arguments and calls the library.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod out;
pub mod progress;
pub mod related;
pub mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

use notis::diagnostics::Diagnostic;

use out::errln;

/// Exit code for content errors.
pub const CONTENT_ERROR: u8 = 1;
/// Exit code for usage errors (clap uses the same).
pub const USAGE_ERROR: u8 = 2;

/// The arguments of every command that reads a site: where it is and which day it is.
#[derive(clap::Args)]
pub struct SiteArgs {
    /// The site's directory (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Decide as if today were this date (YYYY-MM-DD); also NOTIS_TODAY.
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

impl SiteArgs {
    /// The day every date decision is made for: `--today`, else `NOTIS_TODAY`, else today in the
    /// site's time zone.
    pub fn day(&self) -> Result<NaiveDate, ExitCode> {
        let timezone =
            notis::config::SiteConfig::load(&self.root).map_or(chrono_tz::Europe::Stockholm, |c| c.timezone);
        today(self.today, timezone)
    }
}

/// Parses a `--today` value.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" är inget datum; skriv ÅÅÅÅ-MM-DD"))?;
    let years = notis::content::front_matter::YEARS;
    if years.contains(&chrono::Datelike::year(&day)) {
        Ok(day)
    } else {
        Err(format!(
            "året i \"{text}\" ligger utanför {}–{}",
            years.start(),
            years.end()
        ))
    }
}

/// The day to build for: `--today`, else `NOTIS_TODAY`, else today in `timezone`.
pub fn today(given: Option<NaiveDate>, timezone: chrono_tz::Tz) -> Result<NaiveDate, ExitCode> {
    if let Some(day) = given {
        return Ok(day);
    }
    match std::env::var("NOTIS_TODAY") {
        Ok(text) if !text.trim().is_empty() => parse_day(&text).map_err(|message| {
            errln!("notis: NOTIS_TODAY: {message}");
            ExitCode::from(USAGE_ERROR)
        }),
        _ => Ok(chrono::Utc::now().with_timezone(&timezone).date_naive()),
    }
}

/// Prints diagnostics to stderr, one block each, followed by a count.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        errln!("{diagnostic}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        errln!(
            "{} och {}",
            count(errors, "fel", "fel"),
            count(warnings, "varning", "varningar")
        );
    }
}

/// "1 sida", "3 sidor".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

//! `notis new`: a new news item, yearly summary or project history page, ready to build.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;

use notis::scaffold::NewPage;

use super::out::{errln, outln};
use super::{parse_day, print_diagnostics, today, CONTENT_ERROR, USAGE_ERROR};

/// What to create.
#[derive(Subcommand)]
pub enum What {
    /// A news item: notis new news "Titel på nyheten".
    News {
        /// The title.
        title: String,
    },
    /// A yearly summary: notis new summary 2025.
    Summary {
        /// The year it summarises.
        #[arg(value_parser = summary_year)]
        year: i32,
    },
    /// A project history page: notis new history "Namn på projektet".
    History {
        /// The project's name, used as the title.
        name: String,
    },
}

/// Arguments of `notis new`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
    /// The site's directory (the one with site.yaml).
    #[arg(long, default_value = ".", global = true)]
    root: PathBuf,
    /// The section directory under content/ to create the page in.
    #[arg(long, global = true, value_parser = notis::scaffold::section_path)]
    section: Option<String>,
    /// Date the page as if today were this date (YYYY-MM-DD); also NOTIS_TODAY.
    #[arg(long, value_parser = parse_day, global = true)]
    today: Option<NaiveDate>,
}

/// A year a summary can be about: one a page's date can be in.
fn summary_year(text: &str) -> Result<i32, String> {
    let years = notis::content::front_matter::YEARS;
    match text.trim().parse() {
        Ok(year) if years.contains(&year) => Ok(year),
        _ => Err(format!(
            "\"{text}\" är inget årtal mellan {} och {}",
            years.start(),
            years.end()
        )),
    }
}

/// Creates the file and prints its path.
pub fn run(args: Args) -> ExitCode {
    let config = match notis::config::SiteConfig::load(&args.root) {
        Ok(config) => config,
        Err(problems) => {
            print_diagnostics(&problems);
            return ExitCode::from(CONTENT_ERROR);
        }
    };
    let today = match today(args.today, config.timezone) {
        Ok(day) => day,
        Err(code) => return code,
    };
    let page = match args.what {
        What::News { title } => NewPage::News(title),
        What::Summary { year } => NewPage::Summary(year),
        What::History { name } => NewPage::History(name),
    };
    match notis::scaffold::new_page(&args.root, &config, &page, args.section.as_deref(), today) {
        Ok(path) => {
            outln!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            errln!("notis: {error}");
            // A title without letters or a section outside content/ is a mistake on the command line.
            if error.kind() == std::io::ErrorKind::InvalidInput {
                ExitCode::from(USAGE_ERROR)
            } else {
                ExitCode::from(CONTENT_ERROR)
            }
        }
    }
}

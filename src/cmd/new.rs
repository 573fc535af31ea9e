//! `notis new`: a new news item, yearly summary or project history page, ready to build.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;

use notis::scaffold::NewPage;

use super::{parse_day, print_diagnostics, today, CONTENT_ERROR};

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
    #[arg(long, global = true)]
    section: Option<String>,
    /// Date the page as if today were this date (YYYY-MM-DD); also NOTIS_TODAY.
    #[arg(long, value_parser = parse_day, global = true)]
    today: Option<NaiveDate>,
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
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("notis: {error}");
            ExitCode::from(CONTENT_ERROR)
        }
    }
}

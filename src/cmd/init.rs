//! `notis init`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::out::{errln, outln};
use super::CONTENT_ERROR;

/// Arguments of `notis init`.
#[derive(clap::Args)]
pub struct Args {
    /// The directory to create the site in (must not exist or be empty).
    dir: PathBuf,
}

/// Creates the site and tells how to build it.
pub fn run(args: Args) -> ExitCode {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive();
    match notis::scaffold::init(&args.dir, today) {
        Ok(files) => {
            for file in files {
                outln!("skapade {}", file.display());
            }
            outln!("Bygg webbplatsen med: notis build --root {}", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            errln!("notis: {error}");
            ExitCode::from(CONTENT_ERROR)
        }
    }
}

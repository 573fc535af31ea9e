//! `notis serve`: the live preview.

use std::net::IpAddr;
use std::process::ExitCode;

use notis::serve::{Outcome, ServeOptions, Server};

use super::out::{errln, outln};
use super::{count, print_diagnostics, USAGE_ERROR};

/// Arguments of `notis serve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    site: super::SiteArgs,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; only this machine by default.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Show drafts, with an "Utkast" banner (on by default in the preview; --drafts false hides them).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    drafts: bool,
    /// Open the start page in the web browser.
    #[arg(long)]
    open: bool,
}

fn report(outcome: &Outcome) {
    match outcome {
        Outcome::Rebuilt {
            rendered,
            removed,
            total,
            warnings,
            elapsed,
        } => {
            print_diagnostics(warnings);
            let milliseconds = elapsed.as_millis();
            outln!(
                "Uppdaterat: {} av {} på {milliseconds} ms{}",
                count(*rendered, "fil", "filer"),
                total,
                if *removed > 0 {
                    format!(", {} borttagna", removed)
                } else {
                    String::new()
                }
            );
        }
        Outcome::Failed(diagnostics) => {
            print_diagnostics(diagnostics);
            errln!("Den senaste fungerande versionen visas tills felen är rättade.");
        }
    }
}

/// Serves the site until the process is stopped with Ctrl-C.
pub fn run(args: Args) -> ExitCode {
    let today = match args.site.day() {
        Ok(day) => day,
        Err(code) => return code,
    };
    let options = ServeOptions {
        root: args.site.root,
        bind: args.bind,
        port: args.port,
        build: notis::BuildOptions {
            today,
            include_drafts: args.drafts,
        },
    };
    let server = match Server::start(&options, report) {
        Ok(server) => server,
        Err(error) => {
            errln!(
                "notis: kan inte starta förhandsvisningen på {}:{}: {error}",
                options.bind,
                options.port
            );
            errln!("    tips: välj en annan port med --port, till exempel --port 1112");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let url = server.url().unwrap_or_default();
    outln!("Förhandsvisning på {url}");
    outln!("Sidorna laddas om när du sparar en fil. Avsluta med Ctrl-C.");
    if args.open {
        open_browser(&url);
    }
    match server.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            errln!("notis: förhandsvisningen stannade: {error}");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command).arg(url).spawn().is_err() {
        errln!("Kunde inte öppna webbläsaren; öppna {url} själv.");
    }
}

//! The `notis` command: parses the command line and calls the library.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A static site generator for the news pages of Swedish health-care networks and regions.
#[derive(Parser)]
#[command(name = "notis", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build(cmd::build::Args),
    /// Create a new site that builds at once.
    Init(cmd::init::Args),
    /// Validate the site without writing, and report archiving and reviews due.
    Check(cmd::check::Args),
    /// Create a news item, yearly summary or project history page.
    New(cmd::new::Args),
    /// Show which related news a page gets, and why.
    Related(cmd::related::Args),
    /// Preview the site with live reload while you edit.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Related(args) => cmd::related::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::New(args) => cmd::new::run(args),
    }
}

/// notis allocates many small strings in parallel; mimalloc handles that far better than the
/// system allocator (measured with `bench/`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

//! The `notis` command: parses the command line and calls the library.

// Output goes through `cmd::out`, which does not panic when a reader closes the pipe.
#![deny(clippy::print_stdout, clippy::print_stderr)]

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
    keep_freed_memory();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Related(args) => cmd::related::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::New(args) => cmd::new::run(args),
    };
    if cmd::out::stdout_failed() {
        ExitCode::from(cmd::CONTENT_ERROR)
    } else {
        code
    }
}

/// notis allocates many small strings in parallel; mimalloc handles that far better than the
/// system allocator (measured with `bench/`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc 3's `mimalloc.h`, which
/// libmimalloc-sys does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to return freed memory to the system. A build frees and allocates
/// rendered pages all the time; returning the memory made the kernel zero the same pages again
/// and again, a second of system time on 10,000 pages (measured with `bench/`). The peak stays
/// the same, and the preview reuses what it keeps from one rebuild to the next.
fn keep_freed_memory() {
    // SAFETY: called once, before any other thread exists, with a valid option and value.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_we_mean() {
        // mimalloc 3's default purge delay is 1000 ms; no neighbouring option has that default.
        // SAFETY: reading an option is always safe.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}

//! Printing that survives a reader going away: `notis check | head` must not panic when `head`
//! exits before notis has written everything.
//!
//! Rust ignores SIGPIPE, so writing to a pipe whose reader has closed fails with `BrokenPipe`, and
//! `println!` panics on that (exit 101). The macros here write instead: once a stream's reader has
//! gone, nothing more is written to it and the command goes on to exit with the code it would have
//! had, so `set -o pipefail` scripts that cut a report short do not fail. Any other failure to write
//! to stdout (a full disk behind `> report.csv`) is said on stderr and makes the exit code 1.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when stdout can no longer be written to.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// Set when stderr can no longer be written to.
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
/// Set when writing to stdout failed for another reason than a reader that has gone.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Like `print!`, without panicking when stdout is closed.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cmd::out::write_stdout(format_args!($($arg)*))
    };
}

/// Like `println!`, without panicking when stdout is closed.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cmd::out::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Like `eprintln!`, without panicking when stderr is closed.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cmd::out::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};

/// Writes to stdout; see the module's documentation for what happens when that fails.
pub fn write_stdout(text: fmt::Arguments<'_>) {
    if let Err(error) = write_to(&mut io::stdout().lock(), &STDOUT_CLOSED, text) {
        if error.kind() != io::ErrorKind::BrokenPipe {
            STDOUT_FAILED.store(true, Ordering::Relaxed);
            errln!("notis: kan inte skriva till standard ut: {error}");
        }
    }
}

/// Writes to stderr; a failure there has nowhere to be reported and only ends the writing.
pub fn write_stderr(text: fmt::Arguments<'_>) {
    let _ = write_to(&mut io::stderr().lock(), &STDERR_CLOSED, text);
}

/// Whether something meant for stdout was lost for another reason than a reader that has gone.
pub fn stdout_failed() -> bool {
    STDOUT_FAILED.load(Ordering::Relaxed)
}

/// Writes and flushes `text` unless the stream is already known to be closed, and marks it closed
/// when writing fails.
fn write_to(stream: &mut impl Write, closed: &AtomicBool, text: fmt::Arguments<'_>) -> io::Result<()> {
    if closed.load(Ordering::Relaxed) {
        return Ok(());
    }
    let written = stream.write_fmt(text).and_then(|()| stream.flush());
    if written.is_err() {
        closed.store(true, Ordering::Relaxed);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream whose reader has gone.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_stream_is_tried_once_and_then_left_alone() {
        let closed = AtomicBool::new(false);
        let first = write_to(&mut ClosedPipe, &closed, format_args!("a"));
        assert_eq!(first.map_err(|e| e.kind()), Err(io::ErrorKind::BrokenPipe));
        assert!(write_to(&mut ClosedPipe, &closed, format_args!("b")).is_ok());
    }

    #[test]
    fn an_open_stream_gets_the_text() {
        let closed = AtomicBool::new(false);
        let mut written = Vec::new();
        write_to(&mut written, &closed, format_args!("{} {}", 1, "två")).expect("written");
        assert_eq!(written, "1 två".as_bytes());
    }
}

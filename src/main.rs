//! The `ucert` binary: parse the command line, run, map the outcome to an exit code. Nothing else.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use ucert::cli::Cli;
use ucert::config::Config;
use ucert::exit::Exit;
use ucert::report::terminal::UntilClosed;

fn main() -> ExitCode {
    // A bug must not look like a crash dump: one line, then exit code 2 (see catch_unwind below).
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        eprintln!("{}", internal_error(&message, info.location().map(|l| (l.file(), l.line()))));
    }));
    // cmd.exe and PowerShell pass `certs\*.cer` as it is: on Windows ucert expands wildcards itself, as a unix
    // shell would (elsewhere `wild` hands the arguments over untouched)
    let cli = match Cli::try_parse_from(wild::args_os()) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let config = match Config::from_cli(cli) {
        Ok(config) => config,
        Err(usage) => {
            eprintln!("ucert: {}", ucert::untrusted::escape(&usage));
            json_usage_error(&usage);
            return ExitCode::from(Exit::Error.code());
        }
    };
    let stdout = io::stdout();
    let mut out = UntilClosed::new(io::BufWriter::new(stdout.lock()));
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ucert::commands::run(config, &mut out, &mut err)));
    // a reader that went away is not an error (`out` drops the rest and the run keeps its exit code); any other
    // write error (a full disk) is said once
    let written = match outcome {
        Ok(Ok(exit)) => out.flush().map(|()| exit),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(Exit::Error),
    };
    let exit = match written {
        Ok(exit) => exit,
        Err(e) => {
            let _ = writeln!(err, "ucert: cannot write the output: {}", ucert::untrusted::escape(&e.to_string()));
            Exit::Error
        }
    };
    ExitCode::from(exit.code())
}

/// clap's message (help, version or a usage error) through the escaping sink: a usage error quotes the argument it
/// refused, and an argument can be a stranger's file name. clap styles nothing (`Cli`'s `styles`), so the text is
/// taken as it is: stripping escape sequences (what `to_string` does) would show a file name other than the one
/// given, where the sink shows its escape codes as text.
fn usage_error(e: &clap::Error) -> ExitCode {
    use ucert::report::terminal::{Mode, Terminal};
    let text = e.render().ansi().to_string();
    let written = if e.use_stderr() {
        let mut err = io::stderr().lock();
        Terminal::new(&mut err, Mode::Human { color: false }).write_all(text.as_bytes())
    } else {
        let mut out = io::stdout().lock();
        Terminal::new(&mut out, Mode::Human { color: false }).write_all(text.as_bytes())
    };
    let _ = written;
    if e.use_stderr() {
        let first = text.lines().next().unwrap_or_default();
        json_usage_error(first.trim_start_matches("error: "));
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(Exit::Error.code()))
}

/// Under `--json` a usage error is a JSON object on stdout too, as every other error is.
fn json_usage_error(message: &str) {
    use ucert::report::terminal::{Mode, Terminal};
    if std::env::args_os().any(|a| a == "--json") {
        let mut out = io::stdout().lock();
        let mut sink = Terminal::new(&mut out, Mode::Json);
        let _ = ucert::report::json_error("usage", None, message, &mut sink).and_then(|()| sink.flush());
    }
}

/// The one line a panic prints instead of a backtrace.
fn internal_error(message: &str, location: Option<(&str, u32)>) -> String {
    let at = location.map(|(file, line)| format!(" at {file}:{line}")).unwrap_or_default();
    format!("ucert: internal error: {message}{at} (please report this at the project's issue tracker)")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_is_one_line_that_asks_for_a_report() {
        let line = super::internal_error("index out of bounds", Some(("src/x.rs", 7)));
        assert_eq!(
            line,
            "ucert: internal error: index out of bounds at src/x.rs:7 (please report this at the project's issue tracker)"
        );
        assert!(!line.contains('\n'));
    }
}

/// Only with `--features mimalloc`, for the musl build (see Cargo.toml).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

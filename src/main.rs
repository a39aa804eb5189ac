//! The `ucert` binary: parse the command line, run, map the outcome to an exit code. Nothing else.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use ucert::cli::Cli;
use ucert::config::Config;
use ucert::exit::Exit;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        eprintln!("ucert: internal error: {message}{location} (please report this at the project's issue tracker)");
    }));
    let cli = Cli::parse();
    let config = match Config::from_cli(cli) {
        Ok(config) => config,
        Err(usage) => {
            eprintln!("ucert: {usage}");
            return ExitCode::from(Exit::Error.code());
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ucert::commands::run(config, &mut out, &mut err)));
    let exit = match outcome {
        Ok(Ok(exit)) => exit,
        // `ucert ... | head`: the reader left; that is not an error.
        Ok(Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => Exit::Ok,
        Ok(Err(e)) => {
            let _ = writeln!(err, "ucert: cannot write the output: {e}");
            Exit::Error
        }
        Err(_) => Exit::Error,
    };
    // Flush what is buffered; a reader that has gone away is not an error.
    if let Err(e) = out.flush()
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "ucert: cannot write the output: {e}");
        return ExitCode::from(Exit::Error.code());
    }
    ExitCode::from(exit.code())
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

//! One module per subcommand. Each gathers its inputs and returns a report; [`run`] hands the report to a
//! renderer, writes diagnostics to stderr and works out the exit code.

pub mod chain_plan;
pub mod connect;
pub mod inspect;
pub mod logs;
pub mod matching;
pub mod modulus;
pub mod pair;
pub mod trust;

use std::io::{self, Write};

use crate::config::{Config, Output, Task};
use crate::exit::Exit;
use crate::report;

/// Runs the configured task, writing results to `out` and diagnostics (`ucert: <path>: <problem>`) to `err`.
pub fn run(config: Config, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    colored::control::set_override(config.color);
    match config.task {
        Task::Match { csr, cert, cas, purpose, at, output } => {
            let report = match matching::gather(&csr, &cert, &cas, purpose, at) {
                Ok(report) => report,
                Err(e) => {
                    diagnostic(err, &e.path, &e.message);
                    return Ok(Exit::Error);
                }
            };
            match output {
                Output::Human => report::human::matching(&report, out)?,
                Output::Json => report::json::matching(&report, out)?,
                Output::Quiet => {}
            }
            out.flush()?;
            Ok(if report.matched() { Exit::Ok } else { Exit::CheckFailed })
        }
        Task::Chain { inputs, purpose, split, at, json } => {
            let report = match chain_plan::chain(&inputs, purpose, split.as_deref(), at) {
                Ok(report) => report,
                Err(e) => {
                    diagnostic(err, &e.path, &e.message);
                    return Ok(Exit::Error);
                }
            };
            if json {
                report::json::chain(&report, out)?;
            } else {
                report::human::chain(&report, out)?;
            }
            out.flush()?;
            Ok(if report.analysis.complete() { Exit::Ok } else { Exit::CheckFailed })
        }
        Task::Trust { existing, new, at, json } => {
            let report = match trust::trust(&existing, &new, at) {
                Ok(report) => report,
                Err(e) => {
                    diagnostic(err, &e.path, &e.message);
                    return Ok(Exit::Error);
                }
            };
            if json {
                report::json::trust(&report, out)?;
            } else {
                report::human::trust(&report, out)?;
            }
            out.flush()?;
            Ok(if report.decision.outcome.new_is_stored() { Exit::Ok } else { Exit::CheckFailed })
        }
        Task::Pair { paths, at, json } => {
            let report = match pair::pair(&paths, at) {
                Ok(report) => report,
                Err(e) => {
                    diagnostic(err, &e.path, &e.message);
                    return Ok(Exit::Error);
                }
            };
            if json {
                report::json::pair(&report, out)?;
            } else {
                report::human::pair(&report, config.width, out)?;
            }
            out.flush()?;
            let exit = if report.pairing.has_failures() { Exit::CheckFailed } else { Exit::Ok };
            // Freeing tens of thousands of objects one by one takes a tenth of a second; let a helper thread do it
            // while the process exits (it is cut short then, which is what we want).
            std::thread::spawn(move || drop(report));
            Ok(exit)
        }
        Task::Logs { inputs, json } => {
            let (report, problems) = logs::logs(&inputs);
            if json {
                report::json::logs(&report, out)?;
            } else {
                report::human::logs(&report, out)?;
            }
            out.flush()?;
            for p in &problems {
                diagnostic(err, &p.path, &p.message);
            }
            Ok(if !problems.is_empty() {
                Exit::Error
            } else if report.has_errors() {
                Exit::CheckFailed
            } else {
                Exit::Ok
            })
        }
        Task::Connect { target, sni, timeout, cas, expect, save, at, json } => {
            let options = connect::Options {
                sni: sni.as_deref(),
                timeout,
                cas: &cas,
                expect: expect.as_ref(),
                save: save.as_deref(),
                at,
            };
            let report = match connect::connect(&target, options) {
                Ok(report) => report,
                Err(e) => {
                    diagnostic(err, &e.path, &e.message);
                    return Ok(Exit::Error);
                }
            };
            if json {
                report::json::connect(&report, out)?;
            } else {
                report::human::connect(&report, out)?;
            }
            out.flush()?;
            Ok(if report.expect.as_ref().is_some_and(|e| !e.matches) { Exit::CheckFailed } else { Exit::Ok })
        }
        Task::Explain { text, json } => {
            let found = crate::explain::explain(&text);
            if json {
                report::json::explain(&text, found.as_ref(), out)?;
            } else {
                report::human::explain(&text, found.as_ref(), out)?;
            }
            out.flush()?;
            Ok(if found.is_some() { Exit::Ok } else { Exit::CheckFailed })
        }
        Task::Completions { shell } => {
            let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "ucert", out);
            out.flush()?;
            Ok(Exit::Ok)
        }
        Task::Man => {
            let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(out)?;
            out.flush()?;
            Ok(Exit::Ok)
        }
        Task::Inspect { inputs, at, json } => {
            let report = inspect::inspect(&inputs, at);
            if json {
                report::json::inspect(&report, out)?;
            } else {
                report::human::inspect(&report, out)?;
            }
            out.flush()?;
            let mut exit = Exit::Ok;
            for file in &report.files {
                if let Some(problem) = &file.error {
                    diagnostic(err, &file.path, problem);
                    exit = Exit::Error;
                }
            }
            Ok(exit)
        }
        Task::Modulus { inputs } => {
            let lines = modulus::modulus(&inputs);
            report::human::modulus(&lines, out)?;
            out.flush()?;
            let mut exit = Exit::Ok;
            for line in &lines {
                match &line.outcome {
                    modulus::ModulusOutcome::Md5(_) => {}
                    modulus::ModulusOutcome::NoModulus { key } => {
                        diagnostic(
                            err,
                            &line.label,
                            &format!(
                                "no modulus: {key}; openssl's modulus pipeline cannot compare it, \
                                 compare pubkey_md5 from 'ucert inspect' instead"
                            ),
                        );
                        exit = exit.worst(Exit::CheckFailed);
                    }
                    modulus::ModulusOutcome::Unreadable(problem) => {
                        diagnostic(err, &line.label, problem);
                        exit = Exit::Error;
                    }
                }
            }
            Ok(exit)
        }
    }
}

/// One line on stderr: `ucert: <path>: <problem>`. Failure to write it is ignored (stderr is our last resort).
pub fn diagnostic(err: &mut dyn Write, path: &str, problem: &str) {
    let _ = writeln!(err, "ucert: {path}: {problem}");
}

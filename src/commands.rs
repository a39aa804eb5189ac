//! One module per subcommand. Each gathers its inputs and returns a report; [`run`] hands the report to a
//! renderer, writes diagnostics to stderr and works out the exit code.

pub mod chain;
pub mod connect;
pub mod inspect;
pub mod logs;
pub mod matching;
pub mod modulus;
pub mod pair;
pub mod pem_files;
pub mod trust;

use crate::untrusted::Untrusted;
use std::io::{self, Write};

use crate::config::{Config, Output, Task};
use crate::exit::Exit;
use crate::input::{self, Object, Reading, Source};
use crate::report::modulus::ModulusOutcome;
use crate::report::terminal::{Mode, Terminal};
use crate::report::{self, InputWarning};

/// Why a command could not run on its inputs: the path (file, directory, server) concerned and what is wrong.
/// Printed as one line, `ucert: <path>: <message>`, with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct Problem {
    pub path: Untrusted,
    pub message: String,
}

impl Problem {
    /// A problem with one input, named as the user gave it.
    pub fn about(source: &Source, message: impl Into<String>) -> Problem {
        Problem { path: source.display_name(), message: message.into() }
    }
}

/// Every object of an input, in order; an input with nothing readable is the problem that stops the command. A
/// damaged block beside readable objects goes into `warnings`.
fn objects(source: &Source, reading: Reading, warnings: &mut Vec<InputWarning>) -> Result<Vec<Object>, Problem> {
    let (located, damaged) = input::load(source, reading)
        .and_then(|d| d.into_objects())
        .map_err(|e| Problem::about(source, e.to_string()))?;
    if let Some(message) = damaged {
        warnings.push(InputWarning { path: source.display_name(), message });
    }
    Ok(located.into_iter().map(|l| l.object).collect())
}

/// Says each warning on stderr, one line each.
fn warn_all(err: &mut dyn Write, warnings: &[InputWarning]) {
    for w in warnings {
        diagnostic(err, &w.path, &format!("warning: {} (left out; the rest of the file was read)", w.message));
    }
}

impl From<crate::commands::pem_files::WriteError> for Problem {
    fn from(e: crate::commands::pem_files::WriteError) -> Problem {
        Problem { path: e.path, message: e.message }
    }
}

/// Runs the configured task, writing results to `out` and diagnostics (`ucert: <path>: <problem>`) to `err`.
pub fn run(config: Config, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    // Diagnostics pass the same sink as the reports: a file name or message cannot write escape codes to stderr.
    let mut err = Terminal::new(err, Mode::Human { color: false });
    let err: &mut dyn Write = &mut err;
    if config.task.reads_stdin() && std::io::IsTerminal::is_terminal(&io::stdin()) {
        // a person is to type or paste the input: say so, or ucert looks hung
        let _ = writeln!(err, "ucert: reading standard input (end with {END_OF_INPUT})");
    }
    match execute(config, out, err) {
        Ok(exit) => Ok(exit),
        Err(Stop::Problem(p)) => {
            diagnostic(err, &p.path, &p.message);
            Ok(Exit::Error)
        }
        Err(Stop::Io(e)) => Err(e),
    }
}

/// The keys that end typed input in a terminal.
const END_OF_INPUT: &str = if cfg!(windows) { "Ctrl-Z, Enter" } else { "Ctrl-D" };

/// Why a run stopped early: an input problem (one line, exit 2) or the output could not be written.
enum Stop {
    Problem(Problem),
    Io(io::Error),
}

impl From<Problem> for Stop {
    fn from(p: Problem) -> Stop {
        Stop::Problem(p)
    }
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Io(e)
    }
}

/// Writes a report as JSON or as text through the [`Terminal`] sink (which escapes whatever came from outside and
/// turns the renderer's style marks into colour when `color` says so), then flushes.
fn emit(
    out: &mut dyn Write,
    json: bool,
    color: bool,
    as_json: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    as_text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut sink = Terminal::new(out, if json { Mode::Json } else { Mode::Human { color } });
    if json {
        as_json(&mut sink)?
    } else {
        as_text(&mut sink)?
    }
    sink.flush()
}

fn execute(config: Config, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Stop> {
    let width = config.width;
    let color = config.color;
    let reading = config.reading;
    let pass_if = |ok: bool| if ok { Exit::Ok } else { Exit::CheckFailed };
    Ok(match config.task {
        Task::Match { csr, cert, cas, purpose, at, output } => {
            let report = matching::gather(&csr, &cert, &cas, purpose, at, reading)?;
            warn_all(err, &report.input_warnings);
            if output != Output::Quiet {
                let json = output == Output::Json;
                emit(
                    out,
                    json,
                    color,
                    |o| report::json::matching(&report, o),
                    |o| report::human::matching(&report, o),
                )?;
            }
            pass_if(report.matched())
        }
        Task::Chain { inputs, purpose, split, at, json } => {
            let report = chain::chain(&inputs, purpose, split.as_deref(), at, reading)?;
            warn_all(err, &report.input_warnings);
            emit(out, json, color, |o| report::json::chain(&report, o), |o| report::human::chain(&report, o))?;
            pass_if(report.analysis.complete())
        }
        Task::Trust { existing, new, at, json } => {
            let report = trust::trust(&existing, &new, at, reading)?;
            warn_all(err, &report.input_warnings);
            emit(out, json, color, |o| report::json::trust(&report, o), |o| report::human::trust(&report, o))?;
            pass_if(report.decision.outcome.new_is_stored())
        }
        Task::Pair { paths, at, json } => {
            let report = pair::pair(&paths, at, reading)?;
            emit(out, json, color, |o| report::json::pair(&report, o), |o| report::human::pair(&report, width, o))?;
            let exit = pass_if(!report.pairing.has_failures());
            // Freeing tens of thousands of objects one by one takes a tenth of a second; let a helper thread do it
            // while the process exits (it is cut short then, which is what we want).
            std::thread::spawn(move || drop(report));
            exit
        }
        Task::Logs { inputs, json } => {
            let (report, problems) = logs::logs(&inputs, reading);
            // when no input could be read there is no report: only the errors, on stderr
            if !report.files.is_empty() || problems.is_empty() {
                emit(out, json, color, |o| report::json::logs(&report, o), |o| report::human::logs(&report, o))?;
            }
            for p in &problems {
                diagnostic(err, &p.path, &p.message);
            }
            if problems.is_empty() { pass_if(!report.has_errors()) } else { Exit::Error }
        }
        Task::Connect { target, sni, timeout, cas, expect, save, at, json } => {
            let options = connect::Options {
                sni: sni.as_deref(),
                timeout,
                cas: &cas,
                expect: expect.as_ref(),
                save: save.as_deref(),
                at,
                reading,
            };
            let report = connect::connect(&target, options)?;
            warn_all(err, &report.input_warnings);
            emit(out, json, color, |o| report::json::connect(&report, o), |o| report::human::connect(&report, o))?;
            pass_if(report.passed())
        }
        Task::Explain { text, json } => {
            let found = crate::cucm::explain::explain(&text);
            emit(
                out,
                json,
                color,
                |o| report::json::explain(&text, found.as_ref(), o),
                |o| report::human::explain(&text, found.as_ref(), o),
            )?;
            pass_if(found.is_some())
        }
        Task::Completions { shell } => {
            let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "ucert", out);
            out.flush()?;
            Exit::Ok
        }
        Task::Man => {
            let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(out)?;
            out.flush()?;
            Exit::Ok
        }
        Task::Inspect { inputs, at, json } => {
            let report = inspect::inspect(&inputs, at, reading);
            emit(out, json, color, |o| report::json::inspect(&report, o), |o| report::human::inspect(&report, o))?;
            let mut exit = Exit::Ok;
            for file in &report.files {
                if let Some(problem) = &file.error {
                    diagnostic(err, &file.path, problem);
                    exit = Exit::Error;
                }
            }
            exit
        }
        Task::Modulus { inputs } => {
            let lines = modulus::modulus(&inputs, reading);
            emit(out, false, color, |_| Ok(()), |o| report::human::modulus(&lines, o))?;
            let mut exit = Exit::Ok;
            for line in &lines {
                match &line.outcome {
                    ModulusOutcome::Md5(_) => {}
                    ModulusOutcome::NoModulus { key } => {
                        let why = format!(
                            "no modulus: {key}; openssl's modulus pipeline cannot compare it, \
                             compare pubkey_md5 from 'ucert inspect' instead"
                        );
                        diagnostic(err, &line.label, &why);
                        exit = exit.worst(Exit::CheckFailed);
                    }
                    ModulusOutcome::Unreadable(problem) => {
                        diagnostic(err, &line.label, problem);
                        exit = Exit::Error;
                    }
                }
            }
            exit
        }
    })
}

/// One line on stderr: `ucert: <path>: <problem>`. Failure to write it is ignored (stderr is our last resort).
/// The path and the problem are escaped whole (they may hold a file name with a newline), so it stays one line.
pub fn diagnostic(err: &mut dyn Write, path: &Untrusted, problem: &str) {
    let problem = crate::untrusted::escape(problem);
    let _ = writeln!(err, "ucert: {path}: {problem}");
}

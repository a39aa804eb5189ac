//! One module per subcommand. Each gathers its inputs and returns a report; [`run`] hands the report to a
//! renderer, writes diagnostics to stderr and works out the exit code.

pub(crate) mod chain;
pub(crate) mod connect;
pub(crate) mod inspect;
pub(crate) mod logs;
pub(crate) mod matching;
pub(crate) mod modulus;
pub(crate) mod pair;
pub(crate) mod pem_files;
pub(crate) mod plan;
pub(crate) mod trust;
pub(crate) mod walk;

use std::io::{self, Write};
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::analysis::expiry::{Level, Thresholds};
use crate::config::{Config, Output, Task};
use crate::cucm::Purpose;
use crate::exit::Exit;
use crate::input::{self, Located, Object, Reading, Source};
use crate::model::Certificate;
use crate::report::connect::{Standing, WatchReport};
use crate::report::modulus::ModulusOutcome;
use crate::report::terminal::{Mode, Terminal};
use crate::report::{self, InputWarning};
use crate::untrusted::Untrusted;

/// Why a command could not run on its inputs: the path (file, directory, server) concerned, what kind of problem
/// and what is wrong. Printed as one line, `ucert: <path>: <message>`, with exit code 2 (and under `--json` as an
/// error object on stdout too).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct Problem {
    pub path: Untrusted,
    pub kind: ProblemKind,
    pub message: String,
}

/// What kind of problem stopped a command (the JSON error's `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    NotFound,
    PermissionDenied,
    /// A directory where a file goes.
    IsDirectory,
    TooLarge,
    /// A pipe, device or server stayed silent.
    Timeout,
    Empty,
    /// Not a certificate, CSR, key or log ucert can read (damaged, or another kind of file).
    Unreadable,
    /// A readable object of the wrong kind for its place (a certificate where the CSR goes).
    WrongKind,
    /// A server could not be reached or did not speak TLS.
    Network,
    /// A file could not be written (`--split`, `--save`).
    Write,
}

impl ProblemKind {
    const ALL: [ProblemKind; 10] = [
        ProblemKind::NotFound,
        ProblemKind::PermissionDenied,
        ProblemKind::IsDirectory,
        ProblemKind::TooLarge,
        ProblemKind::Timeout,
        ProblemKind::Empty,
        ProblemKind::Unreadable,
        ProblemKind::WrongKind,
        ProblemKind::Network,
        ProblemKind::Write,
    ];

    /// The kind [`ProblemKind::as_str`] names.
    pub fn named(name: &str) -> Option<ProblemKind> {
        ProblemKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::NotFound => "not-found",
            ProblemKind::PermissionDenied => "permission-denied",
            ProblemKind::IsDirectory => "is-directory",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::Timeout => "timeout",
            ProblemKind::Empty => "empty",
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::WrongKind => "wrong-kind",
            ProblemKind::Network => "network",
            ProblemKind::Write => "write",
        }
    }
}

impl Problem {
    /// An input that holds the wrong kind of object, named as the user gave it.
    pub fn about(source: &Source, message: impl Into<String>) -> Problem {
        Problem { path: source.display_name(), kind: ProblemKind::WrongKind, message: message.into() }
    }

    /// An input that could not be read; a directory where a file goes points to `ucert pair`.
    pub fn input(source: &Source, error: &input::InputError) -> Problem {
        use input::InputError as E;
        let kind = match error {
            E::NotFound => ProblemKind::NotFound,
            E::PermissionDenied => ProblemKind::PermissionDenied,
            E::IsDirectory => ProblemKind::IsDirectory,
            E::TooLarge => ProblemKind::TooLarge,
            E::Timeout(_) => ProblemKind::Timeout,
            E::Empty => ProblemKind::Empty,
            _ => ProblemKind::Unreadable,
        };
        let path = source.display_name();
        let message = match error {
            E::IsDirectory => format!("{error}: for a folder of CSRs and certificates, run 'ucert pair {path}'"),
            _ => error.to_string(),
        };
        Problem { path, kind, message }
    }
}

/// Every object of an input, in order; an input with nothing readable is the problem that stops the command. A
/// damaged block beside readable objects goes into `warnings`.
fn objects(source: &Source, reading: Reading, warnings: &mut Vec<InputWarning>) -> Result<Vec<Object>, Problem> {
    Ok(located(source, reading, warnings)?.into_iter().map(|l| l.object).collect())
}

/// The objects of `source` with where each was found (see [`objects`]).
fn located(source: &Source, reading: Reading, warnings: &mut Vec<InputWarning>) -> Result<Vec<Located>, Problem> {
    let (located, damaged) =
        input::load(source, reading).and_then(|d| d.into_objects()).map_err(|e| Problem::input(source, &e))?;
    if let Some(message) = damaged {
        warnings.push(InputWarning { path: source.display_name(), message });
    }
    Ok(located)
}

impl From<crate::commands::pem_files::WriteError> for Problem {
    fn from(e: crate::commands::pem_files::WriteError) -> Problem {
        Problem { path: e.path, kind: ProblemKind::Write, message: e.message }
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
    let output = config.output;
    let mut o = Outputs { out, err, output, color: config.color, width: config.width };
    match execute(config, &mut o) {
        Ok(exit) => Ok(exit),
        Err(Stop::Problem(p)) => {
            o.diagnostic(&p.path, &p.message);
            if output == Output::Json {
                // a script reading the JSON gets the error as JSON too
                let mut sink = Terminal::new(&mut *o.out, Mode::Json);
                report::json::error(p.kind.as_str(), Some(&p.path), &p.message, &mut sink)?;
                sink.flush()?;
            }
            if output == Output::Nagios {
                // a monitor reads the first line of stdout and the exit code: UNKNOWN, as plugins say of bad input
                let status = report::nagios::Status::unknown(&format!("{}: {}", p.path, p.message));
                let mut sink = Terminal::new(&mut *o.out, Mode::Human { color: false });
                status.write(&mut sink)?;
                sink.flush()?;
                return Ok(nagios_exit(&status));
            }
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

/// The certificates among an input's objects (a PKCS#7's in its order), and the other objects it held.
fn split_certificates(objects: Vec<Object>) -> (Vec<Certificate>, Vec<Object>) {
    let mut certificates = Vec::new();
    let mut others = Vec::new();
    for object in objects {
        match object {
            Object::Certificate(c) => certificates.push(*c),
            Object::Pkcs7(list) => certificates.extend(list),
            other => others.push(other),
        }
    }
    (certificates, others)
}

/// Where a task writes: the report to `out` (through the [`Terminal`] sink, which escapes whatever came from
/// outside and turns the renderer's style marks into colour when `color` says so), diagnostics to `err`.
struct Outputs<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    output: Output,
    color: bool,
    /// The width human text is wrapped and fitted to.
    width: usize,
}

impl Outputs<'_> {
    /// Writes a report as JSON or as text (wrapped to the width), or nothing with `--quiet`; then flushes.
    fn emit(
        &mut self,
        as_json: impl FnOnce(&mut dyn Write) -> io::Result<()>,
        as_text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        self.emit_wrapped(Some(self.width), as_json, as_text)
    }

    /// Writes a report, its text wrapped to `width` if any: text that scripts split into fields (`modulus`) is not.
    fn emit_wrapped(
        &mut self,
        width: Option<usize>,
        as_json: impl FnOnce(&mut dyn Write) -> io::Result<()>,
        as_text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mode = match self.output {
            Output::Quiet => return Ok(()),
            Output::Json => Mode::Json,
            Output::Human { .. } => Mode::Human { color: self.color },
            // the subcommands that take --format nagios or csv render those themselves (emit_raw)
            Output::Nagios | Output::Csv => Mode::Human { color: false },
        };
        let mut sink = Terminal::new(&mut *self.out, mode).wrapping(width);
        if mode == Mode::Json {
            as_json(&mut sink)?
        } else {
            as_text(&mut sink)?
        }
        sink.flush()
    }

    /// Writes Nagios's status line through the sink, not wrapped, no colour.
    fn emit_raw(&mut self, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let mut sink = Terminal::new(&mut *self.out, Mode::Human { color: false });
        render(&mut sink)?;
        sink.flush()
    }

    /// Writes CSV straight to stdout: RFC 4180 ends its records with CR LF, which the sink would show escaped.
    /// `report::csv` passes every cell of outside text through `untrusted::escape` itself (its `cell`).
    fn emit_csv(&mut self, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        render(&mut *self.out)?;
        self.out.flush()
    }

    fn verbose(&self) -> bool {
        matches!(self.output, Output::Human { verbose: true })
    }

    fn diagnostic(&mut self, path: &Untrusted, problem: &str) {
        diagnostic(self.err, path, problem);
    }

    /// Says each input warning on stderr, one line each.
    fn warn_all(&mut self, warnings: &[InputWarning]) {
        for w in warnings {
            let message = format!("warning: {}", w.message);
            self.diagnostic(&w.path, &message);
        }
    }
}

/// Nagios's exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the one place ucert's own 0/1/2 do not apply).
fn nagios_exit(status: &report::nagios::Status) -> Exit {
    use report::nagios::State;
    match status.state() {
        State::Ok => Exit::Ok,
        State::Warning => Exit::CheckFailed,
        State::Critical => Exit::Error,
        State::Unknown => Exit::Unknown,
    }
}

/// 0 when every check passed, else 1.
fn pass_if(ok: bool) -> Exit {
    if ok { Exit::Ok } else { Exit::CheckFailed }
}

fn execute(config: Config, o: &mut Outputs<'_>) -> Result<Exit, Stop> {
    let reading = config.reading;
    let verbose = o.verbose();
    match config.task {
        Task::Match { csr, cert, cas, purpose, at } => {
            let report = matching::gather(&csr, &cert, &cas, purpose, at, reading)?;
            o.warn_all(&report.input_warnings);
            o.emit(|w| report::json::matching(&report, w), |w| report::human::matching(&report, verbose, w))?;
            Ok(pass_if(report.matched()))
        }
        Task::Chain { inputs, purpose, split, at, thresholds } => {
            let report = chain::chain(&inputs, purpose, split.as_deref(), at, thresholds, reading)?;
            o.warn_all(&report.input_warnings);
            let width = o.width;
            o.emit(|w| report::json::chain(&report, w), |w| report::human::chain(&report, width, w))?;
            Ok(pass_if(report.passed()))
        }
        Task::Trust { existing, new, at } => {
            let report = trust::trust(&existing, &new, at, reading)?;
            o.warn_all(&report.input_warnings);
            o.emit(|w| report::json::trust(&report, w), |w| report::human::trust(&report, w))?;
            Ok(pass_if(report.decision.outcome.new_is_stored()))
        }
        Task::Pair { paths, purpose, at, thresholds } => run_pair(o, &paths, purpose, at, thresholds, reading),
        Task::Logs { inputs } => run_logs(o, &inputs, reading),
        Task::Plan { paths, trust_store, purpose, options, markdown } => {
            let report = plan::plan(&paths, trust_store.as_deref(), purpose, options, reading)?;
            let text = |w: &mut dyn Write| {
                if markdown { report::human::plan_markdown(&report, w) } else { report::human::plan(&report, w) }
            };
            // Markdown goes into a ticket: it is not wrapped to the terminal
            let width = (!markdown).then_some(o.width);
            o.emit_wrapped(width, |w| report::json::plan(&report, w), text)?;
            Ok(pass_if(report.plan.clear()))
        }
        Task::Connect {
            targets,
            targets_file,
            jobs,
            thresholds,
            sni,
            starttls,
            xmpp_domain,
            cas,
            expect,
            save,
            at,
        } => {
            let (sni, expect, save) = (sni.as_deref(), expect.as_ref(), save.as_deref());
            let xmpp_domain = xmpp_domain.as_deref();
            let options =
                connect::Options { sni, starttls, xmpp_domain, cas: &cas, expect, save, at, thresholds, reading, jobs };
            let single = targets.len() == 1 && targets_file.is_none();
            let report = connect::watch(&targets, targets_file.as_ref(), &options)?;
            o.warn_all(&report.input_warnings);
            run_connect(o, report, single)
        }
        Task::Explain { text } => {
            let found = crate::cucm::explain::explain(&text);
            let found = found.as_ref();
            o.emit(|w| report::json::explain(&text, found, w), |w| report::human::explain(&text, found, w))?;
            Ok(pass_if(found.is_some()))
        }
        Task::Completions { shell } => {
            let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            // what clap_complete::generate does, with the write error returned instead of a panic
            cmd.set_bin_name("ucert");
            cmd.build();
            clap_complete::Generator::try_generate(&shell, &cmd, o.out)?;
            o.out.flush()?;
            Ok(Exit::Ok)
        }
        Task::Man => {
            let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(o.out)?;
            o.out.flush()?;
            Ok(Exit::Ok)
        }
        Task::Inspect { inputs, at, thresholds } => run_inspect(o, &inputs, at, thresholds, reading),
        Task::Modulus { inputs } => run_modulus(o, &inputs, reading),
    }
}

fn run_pair(
    o: &mut Outputs<'_>,
    paths: &[PathBuf],
    purpose: Option<Purpose>,
    at: OffsetDateTime,
    thresholds: Thresholds,
    reading: Reading,
) -> Result<Exit, Stop> {
    let report = pair::pair(paths, purpose, at, thresholds, reading)?;
    let (width, verbose) = (o.width, o.verbose());
    if o.output == Output::Csv {
        o.emit_csv(|w| report::csv::pair(&report, w))?;
    } else {
        o.emit(|w| report::json::pair(&report, w), |w| report::human::pair(&report, width, verbose, w))?;
    }
    let exit = pass_if(!report.has_failures());
    // Freeing tens of thousands of objects one by one takes a tenth of a second; let a helper thread do it while
    // the process exits (it is cut short then, which is what we want).
    std::thread::spawn(move || drop(report));
    Ok(exit)
}

fn run_logs(o: &mut Outputs<'_>, inputs: &[Source], reading: Reading) -> Result<Exit, Stop> {
    let (report, mut problems) = logs::logs(inputs, reading);
    // when no input could be read there is no report: only the errors
    if report.files.is_empty() && !problems.is_empty() {
        let first = problems.remove(0);
        for p in &problems {
            o.diagnostic(&p.path, &p.message);
        }
        return Err(Stop::Problem(first));
    }
    let verbose = o.verbose();
    o.emit(|w| report::json::logs(&report, w), |w| report::human::logs(&report, verbose, w))?;
    for p in &problems {
        o.diagnostic(&p.path, &p.message);
    }
    Ok(if problems.is_empty() { pass_if(!report.has_errors()) } else { Exit::Error })
}

fn run_inspect(
    o: &mut Outputs<'_>,
    inputs: &[Source],
    at: OffsetDateTime,
    thresholds: Thresholds,
    reading: Reading,
) -> Result<Exit, Stop> {
    let report = inspect::inspect(inputs, at, thresholds, reading);
    match o.output {
        Output::Nagios => {
            let status = report::nagios::inspect(&report);
            o.emit_raw(|w| status.write(w))?;
            return Ok(nagios_exit(&status));
        }
        Output::Csv => o.emit_csv(|w| report::csv::inspect(&report, w))?,
        _ => o.emit(|w| report::json::inspect(&report, w), |w| report::human::inspect(&report, w))?,
    }
    let mut exit = pass_if(report.worst_expiry() < Some(Level::Critical));
    for file in &report.files {
        if let Some(problem) = &file.error {
            o.diagnostic(&file.path, problem);
            exit = Exit::Error;
        }
    }
    Ok(exit)
}

/// One target, in text or JSON: as before several were possible (a target that cannot be reached is the problem
/// that ends the run, exit 2). Several, or the Nagios and CSV forms: every target is a row.
fn run_connect(o: &mut Outputs<'_>, report: WatchReport, single: bool) -> Result<Exit, Stop> {
    let output = o.output;
    if single && matches!(output, Output::Human { .. } | Output::Json | Output::Quiet) {
        let Some(probe) = report.probes.into_iter().next() else {
            return Ok(Exit::Error);
        };
        let one = probe.outcome.map_err(|u| Problem {
            path: Untrusted::new(probe.target),
            kind: ProblemKind::named(u.kind).unwrap_or(ProblemKind::Network),
            message: u.message,
        })?;
        o.emit(|w| report::json::connect(&one, w), |w| report::human::connect(&one, w))?;
        return Ok(pass_if(one.passed()));
    }
    let worst = report.worst();
    match output {
        Output::Nagios => {
            let status = report::nagios::connect(&report);
            o.emit_raw(|w| status.write(w))?;
            return Ok(nagios_exit(&status));
        }
        Output::Csv => o.emit_csv(|w| report::csv::connect(&report, w))?,
        _ => {
            let width = o.width;
            o.emit(|w| report::json::watch(&report, w), |w| report::human::watch(&report, width, w))?
        }
    }
    Ok(match worst {
        Standing::Ok | Standing::Warning => Exit::Ok,
        Standing::Critical => Exit::CheckFailed,
        Standing::Unreached => Exit::Error,
    })
}

fn run_modulus(o: &mut Outputs<'_>, inputs: &[Source], reading: Reading) -> Result<Exit, Stop> {
    let (lines, warnings) = modulus::modulus(inputs, reading);
    o.emit_wrapped(None, |w| report::json::modulus(&lines, w), |w| report::human::modulus(&lines, w))?;
    o.warn_all(&warnings);
    let mut exit = Exit::Ok;
    for line in &lines {
        match &line.outcome {
            ModulusOutcome::Md5(_) => {}
            ModulusOutcome::NoModulus { key } => {
                let why = format!(
                    "no modulus: {key}; openssl's modulus pipeline cannot compare it, \
                     compare pubkey_md5 from 'ucert inspect' instead"
                );
                o.diagnostic(&line.label, &why);
                exit = exit.worst(Exit::CheckFailed);
            }
            ModulusOutcome::Unreadable(problem) => {
                o.diagnostic(&line.label, problem);
                exit = Exit::Error;
            }
        }
    }
    Ok(exit)
}

/// One line on stderr: `ucert: <path>: <problem>`. Failure to write it is ignored (stderr is our last resort).
/// The path and the problem are escaped whole (they may hold a file name with a newline), so it stays one line.
pub fn diagnostic(err: &mut dyn Write, path: &Untrusted, problem: &str) {
    let problem = crate::untrusted::escape(problem);
    let _ = writeln!(err, "ucert: {path}: {problem}");
}

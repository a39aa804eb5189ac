//! Cli -> Config: colour, output format and the time of evaluation are decided here, once. Nothing after this
//! reads the parsed command line.

use std::io::IsTerminal;
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::analysis::expiry::Thresholds;
use crate::cli::{AtArg, Cli, ColorChoice, Command, CommonArgs, Format, OutputArgs, ThresholdArgs};
use crate::cucm::Purpose;
use crate::input::{Reading, Source};

/// Everything a run needs, resolved.
#[derive(Debug)]
pub struct Config {
    /// Whether stdout gets colour (stderr never does).
    pub color: bool,
    /// The width human text is wrapped and fitted to: `COLUMNS`, else the terminal's, else 100.
    pub width: usize,
    /// How inputs are read, and how long a server may stay silent (`--timeout`).
    pub reading: Reading,
    /// Text, JSON or nothing (`--json`, `--quiet`, `--verbose`).
    pub output: Output,
    pub task: Task,
}

#[derive(Debug)]
pub enum Task {
    Match {
        csr: Source,
        cert: Source,
        cas: Vec<Source>,
        purpose: Option<Purpose>,
        at: OffsetDateTime,
    },
    Chain {
        inputs: Vec<Source>,
        purpose: Option<Purpose>,
        split: Option<PathBuf>,
        at: OffsetDateTime,
        thresholds: Thresholds,
    },
    Trust {
        existing: Source,
        new: Source,
        at: OffsetDateTime,
    },
    Pair {
        paths: Vec<PathBuf>,
        purpose: Option<Purpose>,
        at: OffsetDateTime,
        thresholds: Thresholds,
    },
    Plan {
        paths: Vec<PathBuf>,
        trust_store: Option<PathBuf>,
        purpose: Option<Purpose>,
        options: crate::analysis::plan::Options,
        markdown: bool,
    },
    Logs {
        inputs: Vec<Source>,
    },
    Connect {
        /// The targets named on the command line.
        targets: Vec<crate::input::tls::Target>,
        /// `--targets FILE`: more, one per line.
        targets_file: Option<Source>,
        /// How many connections at once.
        jobs: usize,
        thresholds: Thresholds,
        sni: Option<String>,
        /// `--starttls`, resolved per target by its port.
        starttls: crate::input::tls::StarttlsMode,
        /// `--xmpp-domain`.
        xmpp_domain: Option<String>,
        cas: Vec<Source>,
        expect: Option<Source>,
        save: Option<PathBuf>,
        at: OffsetDateTime,
    },
    Explain {
        text: String,
    },
    Completions {
        shell: clap_complete::Shell,
    },
    Man,
    Inspect {
        inputs: Vec<Source>,
        at: OffsetDateTime,
        thresholds: Thresholds,
    },
    Modulus {
        inputs: Vec<Source>,
    },
}

impl Task {
    /// How many of the task's inputs are standard input (`-`).
    fn stdin_uses(&self) -> usize {
        let count = |sources: &[&Source]| sources.iter().filter(|s| ***s == Source::Stdin).count();
        match self {
            Task::Match { csr, cert, cas, .. } => count(&[csr, cert]) + count(&cas.iter().collect::<Vec<_>>()),
            Task::Chain { inputs, .. } | Task::Logs { inputs, .. } => count(&inputs.iter().collect::<Vec<_>>()),
            Task::Inspect { inputs, .. } | Task::Modulus { inputs } => count(&inputs.iter().collect::<Vec<_>>()),
            Task::Trust { existing, new, .. } => count(&[existing, new]),
            Task::Connect { cas, expect, targets_file, .. } => {
                count(&cas.iter().collect::<Vec<_>>())
                    + usize::from(expect.as_ref() == Some(&Source::Stdin))
                    + usize::from(targets_file.as_ref() == Some(&Source::Stdin))
            }
            Task::Pair { .. } | Task::Plan { .. } | Task::Explain { .. } | Task::Completions { .. } | Task::Man => 0,
        }
    }

    /// Whether the task reads standard input (`-` among its inputs).
    pub fn reads_stdin(&self) -> bool {
        self.stdin_uses() > 0
    }
}

/// How a command reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// Text; with `verbose`, every check and every list in full.
    Human {
        verbose: bool,
    },
    Json,
    /// Nothing on stdout; the exit code says it all.
    Quiet,
    /// `--format nagios`: one status line, Nagios's exit codes.
    Nagios,
    /// `--format csv`: RFC 4180 rows.
    Csv,
}

impl Output {
    fn from_args(a: &OutputArgs) -> Output {
        Output::with_format(a, None)
    }

    /// `--format` wins over `--json`, `--quiet` and `--verbose` (clap lets only one of them through).
    fn with_format(a: &OutputArgs, format: Option<Format>) -> Output {
        match format {
            Some(Format::Json) => return Output::Json,
            Some(Format::Nagios) => return Output::Nagios,
            Some(Format::Csv) => return Output::Csv,
            Some(Format::Text) | None => {}
        }
        if a.json {
            Output::Json
        } else if a.quiet {
            Output::Quiet
        } else {
            Output::Human { verbose: a.verbose }
        }
    }
}

impl Config {
    /// Resolves the command line; Err is a usage error, shown as one line and exit code 2.
    pub fn from_cli(cli: Cli) -> Result<Config, String> {
        let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        let terminal = std::io::stdout().is_terminal();
        let (output, color, timeout) = settings(&cli.command);
        // colour only for text on a terminal (or when forced)
        let color = color.is_some_and(|c| decide_color(c, terminal, &env)) && matches!(output, Output::Human { .. });
        // a Windows console shows colour codes only once asked to (virtual terminal mode); where it cannot be
        // (an old console), no colour rather than raw escape codes; elsewhere this does nothing
        let color = color && (!terminal || anstyle_query::windows::enable_ansi_colors().unwrap_or(true));
        let reading = Reading { idle: std::time::Duration::from_secs_f64(timeout.unwrap_or(DEFAULT_TIMEOUT)) };
        let task = task(cli.command, OffsetDateTime::now_utc())?;
        let stdin_uses = task.stdin_uses();
        if stdin_uses > 1 {
            return Err("only one input can be standard input ('-')".into());
        }
        Ok(Config { color, width: output_width(terminal, &env), reading, output, task })
    }
}

/// Seconds a server, pipe or device may stay silent, without `--timeout`.
const DEFAULT_TIMEOUT: f64 = 10.0;

/// The output form, `--color` and `--timeout` of a subcommand (None where it has no such flag).
fn settings(command: &Command) -> (Output, Option<ColorChoice>, Option<f64>) {
    let with = |o: &OutputArgs, c: &CommonArgs| (Output::from_args(o), Some(c.color.color), Some(c.timeout));
    let formatted = |o: &OutputArgs, f: Option<Format>, c: &CommonArgs| {
        (Output::with_format(o, f), Some(c.color.color), Some(c.timeout))
    };
    match command {
        Command::Match(a) => with(&a.output, &a.common),
        Command::Chain(a) => with(&a.output, &a.common),
        Command::Trust(a) => with(&a.output, &a.common),
        Command::Pair(a) => formatted(&a.output, a.format.format, &a.common),
        Command::Plan(a) => with(&a.output, &a.common),
        Command::Logs(a) => with(&a.output, &a.common),
        Command::Connect(a) => formatted(&a.output, a.format.format, &a.common),
        Command::Inspect(a) => formatted(&a.output, a.format.format, &a.common),
        Command::Modulus(a) => with(&a.output, &a.common),
        Command::Explain(a) => (Output::from_args(&a.output), Some(a.color.color), None),
        Command::Completions(_) | Command::Man => (Output::Human { verbose: false }, None, None),
    }
}

/// The task a subcommand asks for, its paths turned into sources (`-` is standard input) and `--at` into a time.
fn task(command: Command, now: OffsetDateTime) -> Result<Task, String> {
    let sources = |files: Vec<PathBuf>| -> Result<Vec<Source>, String> { files.into_iter().map(source).collect() };
    let paths = |paths: Vec<PathBuf>| -> Result<Vec<PathBuf>, String> { paths.into_iter().map(path_arg).collect() };
    let at = |a: &AtArg| a.at.unwrap_or(now);
    Ok(match command {
        Command::Match(a) => Task::Match {
            csr: source(a.csr)?,
            cert: source(a.cert)?,
            cas: sources(a.ca)?,
            purpose: a.purpose,
            at: at(&a.at),
        },
        Command::Chain(a) => Task::Chain {
            inputs: sources(a.files)?,
            purpose: a.purpose,
            split: a.split.map(path_arg).transpose()?,
            at: at(&a.at),
            thresholds: thresholds(&a.thresholds)?,
        },
        Command::Trust(a) => Task::Trust { existing: source(a.existing)?, new: source(a.new)?, at: at(&a.at) },
        Command::Connect(a) if a.save.is_some() && (a.targets.len() > 1 || a.targets_file.is_some()) => {
            return Err("--save takes one target (the files of several servers would mix in one folder)".into());
        }
        Command::Connect(a) if a.xmpp_domain.as_deref().is_some_and(|d| d.trim().is_empty()) => {
            return Err("--xmpp-domain names no domain".into());
        }
        Command::Connect(a) => Task::Connect {
            targets: a.targets.iter().map(|t| crate::input::tls::Target::parse(t)).collect::<Result<_, _>>()?,
            targets_file: a.targets_file.map(source).transpose()?,
            jobs: usize::from(a.jobs),
            thresholds: thresholds(&a.thresholds)?,
            sni: a.sni,
            starttls: {
                use crate::cli::StarttlsChoice as C;
                use crate::input::tls::StarttlsMode as M;
                match a.starttls {
                    C::Auto => M::Auto,
                    C::None => M::None,
                    C::Xmpp => M::Xmpp,
                    C::XmppServer => M::XmppServer,
                }
            },
            xmpp_domain: a.xmpp_domain,
            cas: sources(a.ca)?,
            expect: a.expect.map(source).transpose()?,
            save: a.save.map(path_arg).transpose()?,
            at: at(&a.at),
        },
        Command::Logs(a) => Task::Logs { inputs: sources(a.files)? },
        Command::Pair(a) => {
            let (purpose, thresholds) = (a.purpose, thresholds(&a.thresholds)?);
            Task::Pair { paths: paths(a.paths)?, purpose, at: at(&a.at), thresholds }
        }
        Command::Plan(a) => {
            use crate::analysis::plan::{Options, SecurityMode};
            let security = match (a.mixed_mode, a.non_secure) {
                (true, _) => SecurityMode::Mixed,
                (_, true) => SecurityMode::NonSecure,
                _ => SecurityMode::Unknown,
            };
            let options = Options { security, sso: a.sso, publisher: a.publisher, at: at(&a.at) };
            let trust_store = a.trust_store.map(path_arg).transpose()?;
            Task::Plan { paths: paths(a.paths)?, trust_store, purpose: a.purpose, options, markdown: a.markdown }
        }
        Command::Explain(a) => Task::Explain { text: a.text.join(" ") },
        Command::Completions(a) => Task::Completions { shell: a.shell },
        Command::Man => Task::Man,
        Command::Inspect(a) => {
            Task::Inspect { inputs: sources(a.files)?, at: at(&a.at), thresholds: thresholds(&a.thresholds)? }
        }
        Command::Modulus(a) => Task::Modulus { inputs: sources(a.files)? },
    })
}

/// The width human output fits: `COLUMNS` when set (as shells export it, and as a user sets it for a pipe), else
/// what the terminal reports, else (a pipe, a file) 100 columns.
/// `--warn-days` and `--critical-days`, the warning threshold at least the critical one.
/// A file argument as a source (`-` is standard input), its path as the user meant it ([`path_arg`]).
fn source(path: PathBuf) -> Result<Source, String> {
    path_arg(path).map(|p| Source::from_arg(&p))
}

/// A path from the command line as the user meant it. On Windows, a quoted folder that ends in a backslash
/// (`"C:\My Certs\"` in cmd.exe, or PowerShell's completion `'C:\My Certs\'`, which Windows PowerShell passes on in
/// double quotes) reaches ucert as `C:\My Certs"`: the backslash escapes the closing quote, and whatever follows on
/// the line joins the same argument. No Windows file name holds a `"`.
fn path_arg(path: PathBuf) -> Result<PathBuf, String> {
    if cfg!(windows) { quoted_backslash(path) } else { Ok(path) }
}

/// A final `"` is read as the backslash it was; a `"` with more after it is refused, with how to write the folder.
fn quoted_backslash(path: PathBuf) -> Result<PathBuf, String> {
    let Some(text) = path.to_str() else { return Ok(path) };
    match text.find('"') {
        None => Ok(path),
        Some(quote) if quote + 1 == text.len() => Ok(PathBuf::from(format!("{}\\", &text[..quote]))),
        Some(quote) => Err(format!(
            "'{text}': in a Windows command line a backslash before a closing quote escapes it, so what came after \
             joined this argument: write the folder without its last backslash (\"{}\")",
            text[..quote].trim_end_matches('\\')
        )),
    }
}

fn thresholds(a: &ThresholdArgs) -> Result<Thresholds, String> {
    if a.critical_days > a.warn_days {
        return Err(format!(
            "--critical-days ({}) is more than --warn-days ({}): a certificate is critical before it is a warning",
            a.critical_days, a.warn_days
        ));
    }
    Ok(Thresholds { warn_days: a.warn_days, critical_days: a.critical_days })
}

fn output_width(terminal: bool, env: &dyn Fn(&str) -> Option<String>) -> usize {
    const PIPE_WIDTH: usize = 100;
    const NARROWEST: usize = 20;
    env("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= NARROWEST)
        .or_else(|| terminal.then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize)).flatten())
        .filter(|&w| w >= NARROWEST)
        .unwrap_or(PIPE_WIDTH)
}

/// `--color auto` follows the conventions of no-color.org and bixense.com/clicolors: NO_COLOR (non-empty) turns
/// colour off, CLICOLOR_FORCE (not "0") turns it on, TERM=dumb turns it off, otherwise colour iff a terminal.
pub fn decide_color(choice: ColorChoice, stdout_is_terminal: bool, env: &dyn Fn(&str) -> Option<String>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                return true;
            }
            if env("TERM").is_some_and(|v| v == "dumb") {
                return false;
            }
            stdout_is_terminal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_folder_ending_in_a_backslash_is_read_as_meant() {
        let read = |s: &str| quoted_backslash(PathBuf::from(s));
        // "C:\My Certs\" arrives as C:\My Certs"
        assert_eq!(read(r#"C:\My Certs""#).unwrap(), PathBuf::from(r"C:\My Certs\"));
        assert_eq!(read(r"C:\My Certs\tomcat.csr").unwrap(), PathBuf::from(r"C:\My Certs\tomcat.csr"));
        // "C:\My Certs\" --json: the option joined the folder's argument
        let err = read(r#"C:\My Certs" --json"#).unwrap_err();
        assert!(err.contains(r#"without its last backslash ("C:\My Certs")"#), "{err}");
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn auto_colour_follows_the_terminal() {
        assert!(decide_color(ColorChoice::Auto, true, &env_of(&[])));
        assert!(!decide_color(ColorChoice::Auto, false, &env_of(&[])));
    }

    #[test]
    fn no_color_beats_a_terminal_and_clicolor_force_beats_a_pipe() {
        assert!(!decide_color(ColorChoice::Auto, true, &env_of(&[("NO_COLOR", "1")])));
        assert!(decide_color(ColorChoice::Auto, true, &env_of(&[("NO_COLOR", "")])));
        assert!(decide_color(ColorChoice::Auto, false, &env_of(&[("CLICOLOR_FORCE", "1")])));
        assert!(!decide_color(ColorChoice::Auto, true, &env_of(&[("TERM", "dumb")])));
    }

    #[test]
    fn explicit_choice_wins() {
        assert!(decide_color(ColorChoice::Always, false, &env_of(&[("NO_COLOR", "1")])));
        assert!(!decide_color(ColorChoice::Never, true, &env_of(&[])));
    }
}

//! Cli -> Config: colour, output format and the time of evaluation are decided here, once. Nothing after this
//! reads the parsed command line.

use std::io::IsTerminal;
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::cli::{Cli, ColorChoice, Command};
use crate::cucm::Purpose;
use crate::input::{Reading, Source};

/// Everything a run needs, resolved.
#[derive(Debug)]
pub struct Config {
    /// Whether stdout gets colour (stderr never does).
    pub color: bool,
    /// The terminal's width when stdout is one; None when writing to a pipe or file (nothing is cut then).
    pub width: Option<usize>,
    /// How inputs are read (`--read-timeout`).
    pub reading: Reading,
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
        output: Output,
    },
    Chain {
        inputs: Vec<Source>,
        purpose: Option<Purpose>,
        split: Option<PathBuf>,
        at: OffsetDateTime,
        json: bool,
    },
    Trust {
        existing: Source,
        new: Source,
        at: OffsetDateTime,
        json: bool,
    },
    Pair {
        paths: Vec<PathBuf>,
        at: OffsetDateTime,
        json: bool,
    },
    Logs {
        inputs: Vec<Source>,
        json: bool,
    },
    Connect {
        target: crate::input::tls::Target,
        sni: Option<String>,
        timeout: std::time::Duration,
        cas: Vec<Source>,
        expect: Option<Source>,
        save: Option<PathBuf>,
        at: OffsetDateTime,
        json: bool,
    },
    Explain {
        text: String,
        json: bool,
    },
    Completions {
        shell: clap_complete::Shell,
    },
    Man,
    Inspect {
        inputs: Vec<Source>,
        at: OffsetDateTime,
        json: bool,
    },
    Modulus {
        inputs: Vec<Source>,
    },
}

impl Task {
    /// Whether the task reads standard input (`-` among its inputs).
    pub fn reads_stdin(&self) -> bool {
        let any = |sources: &[Source]| sources.contains(&Source::Stdin);
        match self {
            Task::Match { csr, cert, cas, .. } => any(&[csr.clone(), cert.clone()]) || any(cas),
            Task::Chain { inputs, .. } | Task::Logs { inputs, .. } => any(inputs),
            Task::Inspect { inputs, .. } | Task::Modulus { inputs } => any(inputs),
            Task::Trust { existing, new, .. } => any(&[existing.clone(), new.clone()]),
            Task::Connect { cas, expect, .. } => any(cas) || expect.as_ref() == Some(&Source::Stdin),
            Task::Pair { .. } | Task::Explain { .. } | Task::Completions { .. } | Task::Man => false,
        }
    }
}

/// How a checking command reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Human,
    Json,
    /// Nothing on stdout; the exit code says it all.
    Quiet,
}

impl Config {
    /// Resolves the command line; Err is a usage error, shown as one line and exit code 2. Long because it has one
    /// short arm per subcommand.
    pub fn from_cli(cli: Cli) -> Result<Config, String> {
        let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        let terminal = std::io::stdout().is_terminal();
        let mut color = decide_color(cli.color, terminal, &env);
        let sources = |files: Vec<std::path::PathBuf>| files.iter().map(|f| Source::from_arg(f)).collect::<Vec<_>>();
        let now = OffsetDateTime::now_utc();
        let reading = Reading { idle: std::time::Duration::from_secs_f64(cli.read_timeout) };
        let task = match cli.command {
            Command::Match(a) => {
                let (csr, cert) = (Source::from_arg(&a.csr), Source::from_arg(&a.cert));
                let cas = sources(a.ca);
                let stdin_uses = [&csr, &cert].into_iter().chain(cas.iter()).filter(|s| **s == Source::Stdin).count();
                if stdin_uses > 1 {
                    return Err("only one input can be standard input ('-')".into());
                }
                let output = if a.json.json {
                    Output::Json
                } else if a.quiet {
                    Output::Quiet
                } else {
                    Output::Human
                };
                color &= output == Output::Human;
                Task::Match { csr, cert, cas, purpose: a.purpose, at: a.at.at.unwrap_or(now), output }
            }
            Command::Chain(a) => {
                color &= !a.json.json;
                let inputs = sources(a.files);
                if inputs.iter().filter(|s| **s == Source::Stdin).count() > 1 {
                    return Err("only one input can be standard input ('-')".into());
                }
                Task::Chain {
                    inputs,
                    purpose: a.purpose,
                    split: a.split,
                    at: a.at.at.unwrap_or(now),
                    json: a.json.json,
                }
            }
            Command::Trust(a) => {
                color &= !a.json.json;
                let (existing, new) = (Source::from_arg(&a.existing), Source::from_arg(&a.new));
                if existing == Source::Stdin && new == Source::Stdin {
                    return Err("only one input can be standard input ('-')".into());
                }
                Task::Trust { existing, new, at: a.at.at.unwrap_or(now), json: a.json.json }
            }
            Command::Connect(a) => {
                color &= !a.json.json;
                let target = crate::input::tls::Target::parse(&a.target)?;
                Task::Connect {
                    target,
                    sni: a.sni,
                    timeout: std::time::Duration::from_secs(a.timeout),
                    cas: sources(a.ca),
                    expect: a.expect.as_deref().map(Source::from_arg),
                    save: a.save,
                    at: a.at.at.unwrap_or(now),
                    json: a.json.json,
                }
            }
            Command::Logs(a) => {
                color &= !a.json.json;
                Task::Logs { inputs: sources(a.files), json: a.json.json }
            }
            Command::Pair(a) => {
                color &= !a.json.json;
                Task::Pair { paths: a.paths, at: a.at.at.unwrap_or(now), json: a.json.json }
            }
            Command::Explain(a) => {
                color &= !a.json.json;
                Task::Explain { text: a.text.join(" "), json: a.json.json }
            }
            Command::Completions(a) => {
                color = false;
                Task::Completions { shell: a.shell }
            }
            Command::Man => {
                color = false;
                Task::Man
            }
            Command::Inspect(a) => {
                color &= !a.json.json;
                Task::Inspect { inputs: sources(a.files), at: a.at.at.unwrap_or(now), json: a.json.json }
            }
            Command::Modulus(a) => Task::Modulus { inputs: sources(a.files) },
        };
        let width = terminal.then(|| terminal_width(&env)).flatten();
        Ok(Config { color, width, reading, task })
    }
}

/// The width to fit: `COLUMNS` when set (as shells export it), else what the terminal reports.
fn terminal_width(env: &dyn Fn(&str) -> Option<String>) -> Option<usize> {
    env("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 20)
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
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

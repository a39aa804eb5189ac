//! `--format nagios`: the Nagios plugin convention (also read by Icinga, and by Zabbix's and PRTG's script checks):
//! one line `UCERT <STATE> - <summary> | <perfdata>` and the exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. The
//! performance data is the days left of each certificate, with the thresholds as Nagios ranges (`30:` warns below
//! 30), so a graph shows each certificate running down to its renewal.

use std::io::{self, Write};

use crate::analysis::expiry::{Level, Thresholds};
use crate::report::connect::{Standing, WatchReport};
use crate::report::inspect::InspectReport;
use crate::untrusted::Untrusted;

/// A plugin's states, best first (so the worst of several is their maximum, UNKNOWN below the real alarms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    Ok,
    Unknown,
    Warning,
    Critical,
}

impl State {
    fn word(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Warning => "WARNING",
            State::Critical => "CRITICAL",
            State::Unknown => "UNKNOWN",
        }
    }

    fn of(level: Level) -> State {
        match level {
            Level::Ok => State::Ok,
            Level::Warning => State::Warning,
            Level::Critical => State::Critical,
        }
    }
}

/// One performance value: the days left of one certificate.
struct Perf {
    label: String,
    days_left: i64,
}

/// The status line, before it is written.
pub struct Status {
    state: State,
    summary: String,
    perfdata: Vec<Perf>,
    thresholds: Thresholds,
}

impl Status {
    /// The line for a check that could not run (bad arguments, unreadable `--ca` or `--targets`).
    pub fn unknown(message: &str) -> Status {
        Status {
            state: State::Unknown,
            summary: message.to_string(),
            perfdata: Vec::new(),
            thresholds: Thresholds::default(),
        }
    }

    /// The state, for the exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
    pub fn state(&self) -> State {
        self.state
    }

    /// `UCERT CRITICAL - a: expired 3 days ago; 2 OK | 'a'=-3;30:;7:;; 'b'=120;30:;7:;;`, one line. `|` would end
    /// the summary early and a line break would end the output: both are taken out of outside text.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "UCERT {} - {}", self.state.word(), one_line(&self.summary).replace('|', "/"))?;
        if !self.perfdata.is_empty() {
            write!(out, " |")?;
            let (w, c) = (self.thresholds.warn_days, self.thresholds.critical_days);
            for p in &self.perfdata {
                write!(out, " '{}'={};{w}:;{c}:;;", label(&p.label), p.days_left)?;
            }
        }
        writeln!(out)
    }
}

/// Outside text on one line: control characters (line breaks included) shown escaped.
fn one_line(text: &str) -> String {
    Untrusted::new(text).escaped().into_owned()
}

/// A perfdata label: quoted, a quote doubled, `=` and `|` (which end a label) replaced.
fn label(text: &str) -> String {
    one_line(text).replace('\'', "''").replace(['=', '|'], "_")
}

/// `connect`: CRITICAL for a failed check, a certificate inside `--critical-days` or a target that gives no
/// chain (the service is down, as check_ssl_cert says of it); WARNING inside `--warn-days`.
pub fn connect(report: &WatchReport) -> Status {
    let mut problems: Vec<(State, String)> = Vec::new();
    let mut fine = 0;
    let mut perfdata = Vec::new();
    for probe in report.by_urgency() {
        match &probe.outcome {
            Err(u) => problems.push((State::Critical, format!("{}: {}", probe.target, u.message))),
            Ok(r) => {
                if let Some(days_left) = r.leaf().expiry.days_left {
                    perfdata.push(Perf { label: probe.target.clone(), days_left });
                }
                let findings = r.findings();
                if findings.iter().all(|(s, _)| *s == Standing::Ok) {
                    fine += 1;
                    continue;
                }
                let state = if r.standing() == Standing::Critical { State::Critical } else { State::Warning };
                let said: Vec<String> = findings.into_iter().map(|(_, f)| f).collect();
                problems.push((state, format!("{}: {}", probe.target, said.join(", "))));
            }
        }
    }
    let soonest = report.soonest().map(|(d, target)| (d, target.to_string()));
    summarise(problems, fine, "target", soonest, perfdata, report.thresholds)
}

/// `inspect`: the certificates of every file (those of a PKCS#7 each); UNKNOWN when a file cannot be read or
/// holds no certificate, unless something is worse.
pub fn inspect(report: &InspectReport) -> Status {
    let mut problems: Vec<(State, String)> = Vec::new();
    let mut fine = 0;
    let mut perfdata = Vec::new();
    for file in report.files.iter().filter(|f| f.error.is_some()) {
        problems.push((State::Unknown, format!("{}: {}", file.path, file.error.as_deref().unwrap_or_default())));
    }
    let mut soonest: Option<(i64, String)> = None;
    for (file, _, position, facts) in report.certificates() {
        let name = match position {
            Some(n) => format!("{}#{n}", file.path.raw()),
            None => file.path.raw().to_string(),
        };
        if let Some(d) = facts.expiry.days_left {
            perfdata.push(Perf { label: name.clone(), days_left: d });
            if soonest.as_ref().is_none_or(|(s, _)| d < *s) {
                soonest = Some((d, name.clone()));
            }
        }
        match facts.expiry.level {
            Level::Ok => fine += 1,
            level => problems.push((
                State::of(level),
                format!("{} ({}) {}", facts.certificate.display_name(), Untrusted::new(name), facts.expiry.describe()),
            )),
        }
    }
    if perfdata.is_empty() && problems.is_empty() {
        return Status::unknown("no certificate in the inputs");
    }
    summarise(problems, fine, "certificate", soonest, perfdata, report.thresholds)
}

/// The worst state; its problems first (worst first), then how many are fine; with nothing wrong, the soonest
/// expiry.
fn summarise(
    mut problems: Vec<(State, String)>,
    fine: usize,
    noun: &str,
    soonest: Option<(i64, String)>,
    perfdata: Vec<Perf>,
    thresholds: Thresholds,
) -> Status {
    problems.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    let state = problems.first().map_or(State::Ok, |(s, _)| *s);
    let plural = |n: usize| if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") };
    let summary = if problems.is_empty() {
        let soonest =
            soonest.map(|(d, what)| format!(", the soonest expires in {d} days ({what})")).unwrap_or_default();
        format!("{} OK{soonest}", plural(fine))
    } else {
        let mut parts: Vec<String> = problems.into_iter().map(|(_, p)| p).collect();
        if fine > 0 {
            parts.push(format!("{} OK", plural(fine)));
        }
        parts.join("; ")
    };
    Status { state, summary, perfdata, thresholds }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(status: &Status) -> String {
        let mut out = Vec::new();
        status.write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hostile_text_stays_on_one_line_and_out_of_the_perfdata() {
        let perf = vec![Perf { label: "a'b=c|d\n".into(), days_left: -3 }];
        let status = Status {
            state: State::Critical,
            summary: "evil | x\nUCERT OK - forged\u{1b}[2J".into(),
            perfdata: perf,
            thresholds: Thresholds::default(),
        };
        let text = line(&status);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert_eq!(text.matches('|').count(), 1, "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.ends_with(" | 'a''b_c_d\\n'=-3;30:;7:;;\n"), "{text}");
        assert_eq!(status.state(), State::Critical);
    }

    #[test]
    fn unknown_is_exit_3_and_below_real_alarms() {
        assert_eq!(Status::unknown("x").state(), State::Unknown);
        assert_eq!(line(&Status::unknown("x")), "UCERT UNKNOWN - x\n");
        assert!(State::Unknown < State::Warning);
    }
}

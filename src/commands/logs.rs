//! `ucert logs FILE...`: recognises each log by content and feeds it, line by line, to the analyser.

use crate::untrusted::Untrusted;
use std::io::BufRead;

use super::{Problem, ProblemKind};
use crate::analysis::logs::{self, Analyzer, LogReport};
use crate::input::lines::{self, Lines};
use crate::input::{Reading, Source};

/// Lines looked at to tell the kind of a log.
const SAMPLE_LINES: usize = 200;

/// Every log analysed; the ones that could not be read (whole or from some point on) come back as problems.
pub fn logs(sources: &[Source], reading: Reading) -> (LogReport, Vec<Problem>) {
    let mut analyzer = Analyzer::new();
    let mut problems = Vec::new();
    for source in sources {
        let path = source.display_name();
        if let Err((kind, message)) = one(source, reading, &path, &mut analyzer) {
            problems.push(Problem { path, kind, message });
        }
    }
    (analyzer.finish(), problems)
}

fn one(
    source: &Source,
    reading: Reading,
    path: &Untrusted,
    analyzer: &mut Analyzer,
) -> Result<(), (ProblemKind, String)> {
    let reader: Box<dyn BufRead> = lines::open(source, reading).map_err(|e| {
        let p = Problem::input(source, &e);
        (p.kind, p.message)
    })?;
    let unreadable = |message: String| (ProblemKind::Unreadable, message);
    let mut lines = Lines::new(reader);
    let mut sample = Vec::new();
    let mut sample_bytes = 0;
    while sample.len() < SAMPLE_LINES && sample_bytes < 256 * 1024 {
        match lines.next_line() {
            Ok(Some(line)) => {
                sample_bytes += line.len();
                sample.push(line.to_owned());
            }
            Ok(None) => break,
            Err(e) => return Err(unreadable(format!("cannot read: {e}"))),
        }
    }
    if sample.iter().all(|l| l.trim().is_empty()) {
        return Err((ProblemKind::Empty, "empty log".into()));
    }
    let kind = logs::kind::detect(&sample)
        .ok_or(unreadable("not a CAPF trace, CiscoRA log, NGINX error.log or IIS log".into()))?;
    analyzer.file(path, kind);
    for (i, line) in sample.iter().enumerate() {
        analyzer.line(i + 1, line);
    }
    let mut number = sample.len();
    loop {
        match lines.next_line() {
            Ok(Some(line)) => {
                number += 1;
                analyzer.line(number, line);
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                let after = number;
                return Err(unreadable(format!(
                    "unreadable after line {after} ({e}); the lines before it were analysed"
                )));
            }
        }
    }
}

//! `ucert logs FILE...`: recognises each log by content and feeds it, line by line, to the analyser; a folder is
//! read for every file under it.

use crate::untrusted::Untrusted;
use std::io::BufRead;
use std::path::PathBuf;

use super::{Problem, ProblemKind};
use crate::analysis::Skipped;
use crate::analysis::logs::{self, Analyzer, LogReport};
use crate::input::lines::{self, Lines, Opened, Packed};
use crate::input::{Reading, Source};

/// Lines looked at to tell the kind of a log.
const SAMPLE_LINES: usize = 200;

/// Every log analysed; the ones that could not be read (whole or from some point on) come back as problems. A
/// folder is read for every file under it (RTMT hands traces in folders), and a ZIP archive for every file inside
/// (traces zipped to send to TAC): what is not a log there is listed in the report's `skipped`, not a problem,
/// unless the folder or archive holds no log at all.
pub fn logs(sources: &[Source], reading: Reading) -> (LogReport, Vec<Problem>) {
    let mut analyzer = Analyzer::new();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    for source in sources {
        match source {
            Source::Path(root) if root.is_dir() => folder(root, reading, &mut analyzer, &mut problems, &mut skipped),
            _ => {
                let path = source.display_name();
                if let Err((kind, message)) = one(source, reading, &path, &mut analyzer, &mut problems, &mut skipped) {
                    problems.push(Problem { path, kind, message });
                }
            }
        }
    }
    let mut report = analyzer.finish();
    report.skipped = skipped;
    (report, problems)
}

/// Every file under `root`, in the walk's order (that of `pair`): a log is analysed, an archive read for the logs
/// inside; a file that is no log (or that cannot be opened) is skipped with its reason; a log that fails part-way
/// is a problem, as when given by name.
fn folder(
    root: &PathBuf,
    reading: Reading,
    analyzer: &mut Analyzer,
    problems: &mut Vec<Problem>,
    skipped: &mut Vec<Skipped>,
) {
    let (files, walked) = match super::walk::files_under(std::slice::from_ref(root)) {
        Ok(found) => found,
        Err(p) => return problems.push(p),
    };
    skipped.extend(walked);
    let before = analyzer.files_read();
    let total = files.len();
    for file in files {
        let source = Source::Path(file);
        let path = source.display_name();
        let logs_before = analyzer.files_read();
        let result = one(&source, reading, &path, analyzer, problems, skipped);
        sort_out(result, logs_before, path, analyzer, problems, skipped);
    }
    if analyzer.files_read() == before {
        problems.push(Problem {
            path: Untrusted::path(root),
            kind: ProblemKind::WrongKind,
            message: no_log_among(total),
        });
    }
}

/// One file: a log analysed, or an archive of logs read for every file inside.
fn one(
    source: &Source,
    reading: Reading,
    path: &Untrusted,
    analyzer: &mut Analyzer,
    problems: &mut Vec<Problem>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), (ProblemKind, String)> {
    match lines::open(source, reading) {
        Ok(Opened::Log(reader)) => analyse(reader, path, analyzer),
        Ok(Opened::Packed(packed)) => archive(path, packed, analyzer, problems, skipped),
        Err(e) => {
            let p = Problem::input(source, &e);
            Err((p.kind, p.message))
        }
    }
}

/// Every file inside an archive, in the archive's order, named `ARCHIVE/NAME`, sorted out as a folder's files are;
/// an error when the archive holds no log, or is damaged from some file on.
fn archive(
    path: &Untrusted,
    packed: Packed<'_>,
    analyzer: &mut Analyzer,
    problems: &mut Vec<Problem>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), (ProblemKind, String)> {
    let before = analyzer.files_read();
    let mut total = 0;
    let walked = packed.each_file(&mut |name, stream| {
        total += 1;
        let inside = Untrusted::new(format!("{}/{}", path.raw(), name.raw()));
        let logs_before = analyzer.files_read();
        let result = match stream.map(lines::from_reader) {
            Ok(Ok(Opened::Log(reader))) => analyse(reader, &inside, analyzer),
            Ok(Ok(Opened::Packed(_))) => {
                Err((ProblemKind::WrongKind, "an archive inside the archive: extract it first".into()))
            }
            Ok(Err(e)) => Err((ProblemKind::Unreadable, e.to_string())),
            Err(why) => Err((ProblemKind::Unreadable, why)),
        };
        sort_out(result, logs_before, inside, analyzer, problems, skipped);
    });
    walked.map_err(|e| (ProblemKind::Unreadable, e.to_string()))?;
    if analyzer.files_read() == before { Err((ProblemKind::WrongKind, no_log_among(total))) } else { Ok(()) }
}

/// What became of one file of a folder or archive: analysed, a problem if it failed part-way through (as a log given
/// by name), else skipped with why.
fn sort_out(
    result: Result<(), (ProblemKind, String)>,
    logs_before: usize,
    path: Untrusted,
    analyzer: &Analyzer,
    problems: &mut Vec<Problem>,
    skipped: &mut Vec<Skipped>,
) {
    match result {
        Ok(()) => {}
        // recognised as a log, then unreadable part-way: as for a log given by name
        Err((kind, message)) if analyzer.files_read() > logs_before => problems.push(Problem { path, kind, message }),
        Err((ProblemKind::Empty, _)) => skipped.push(Skipped { path, reason: "empty".into() }),
        Err((_, reason)) => skipped.push(Skipped { path, reason }),
    }
}

fn no_log_among(total: usize) -> String {
    let files = if total == 1 { "its 1 file".to_string() } else { format!("its {total} files") };
    format!("no CAPF trace, CiscoRA log, NGINX error.log or IIS log among {files}")
}

/// Tells the kind of the log from its first lines, then feeds it all to the analyser.
fn analyse(
    reader: Box<dyn BufRead + '_>,
    path: &Untrusted,
    analyzer: &mut Analyzer,
) -> Result<(), (ProblemKind, String)> {
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
    let sample: Vec<&str> = sample.iter().map(String::as_str).collect();
    analyzer.lines(1, &sample);
    // then in batches of a few megabytes, which the analyser spreads over the cores
    let mut batch = Batch::default();
    let mut number = sample.len();
    loop {
        let line = match lines.next_line() {
            Ok(line) => line,
            Err(e) => {
                batch.flush(analyzer);
                let after = number;
                return Err(unreadable(format!(
                    "unreadable after line {after} ({e}); the lines before it were analysed"
                )));
            }
        };
        let Some(line) = line else {
            batch.flush(analyzer);
            return Ok(());
        };
        number += 1;
        if batch.ends.is_empty() {
            batch.first = number;
        }
        batch.text.push_str(line);
        batch.ends.push(batch.text.len());
        if batch.text.len() >= BATCH_BYTES || batch.ends.len() >= BATCH_LINES {
            batch.flush(analyzer);
        }
    }
}

/// How much of a log is held at once: a few megabytes, however long the file.
const BATCH_BYTES: usize = 4 << 20;
const BATCH_LINES: usize = 32 * 1024;

/// Lines waiting for the analyser, in one buffer.
#[derive(Default)]
struct Batch {
    text: String,
    /// Where each line ends in `text`.
    ends: Vec<usize>,
    /// The number of the first line.
    first: usize,
}

impl Batch {
    fn flush(&mut self, analyzer: &mut Analyzer) {
        if self.ends.is_empty() {
            return;
        }
        let mut start = 0;
        let lines: Vec<&str> = self
            .ends
            .iter()
            .map(|&end| {
                let line = &self.text[start..end];
                start = end;
                line
            })
            .collect();
        analyzer.lines(self.first, &lines);
        self.first += self.ends.len();
        self.text.clear();
        self.ends.clear();
    }
}

//! The log reader and analyser on arbitrary bytes: line splitting (with invalid UTF-8 and endless lines), kind
//! detection, record splitting for each kind, signatures, timelines and the IIS parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucert::input::lines::Lines;
use ucert::analysis::logs::{Analyzer, LogKind};

/// Inputs are cut to this size: long logs repeat the same records, and short ones run ten times as many cases.
const MAX: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let rest = &rest[..rest.len().min(MAX)];
    let mut lines = Lines::new(rest);
    let mut all = Vec::new();
    while let Ok(Some(line)) = lines.next_line() {
        all.push(line.to_owned());
    }
    let detected = ucert::analysis::logs::kind::detect(&all);
    // the detected kind when there is one, else the kind the first byte picks: every splitter gets fuzzed
    let kind = detected.unwrap_or([LogKind::Capf, LogKind::CiscoRa, LogKind::Nginx, LogKind::Iis][selector as usize % 4]);
    let mut analyzer = Analyzer::new();
    analyzer.file(&ucert::untrusted::Untrusted::new("fuzz.log"), kind);
    // line by line, or in one batch as `ucert logs` reads big files: the same analysis either way
    if selector & 0x80 == 0 {
        for (i, line) in all.iter().enumerate() {
            analyzer.line(i + 1, line);
        }
    } else {
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        analyzer.lines(1, &refs);
    }
    let report = analyzer.finish();
    let _ = report.has_errors();
});

//! `explain --json`: the error a pasted text is about, with its meaning, causes, checks and ucert commands.

use std::io::{self, Write};

use serde::Serialize;

use super::{JSON_SCHEMA, write};
use crate::cucm::explain::{ENTRIES, Entry, Explanation};

#[derive(Serialize)]
struct EntryJson {
    id: &'static str,
    /// The text as CUCM shows it.
    text: &'static str,
    meaning: &'static str,
    causes: &'static [&'static str],
    checks: &'static [&'static str],
    /// ucert commands that check it.
    commands: &'static [&'static str],
}

#[derive(Serialize)]
struct ExplanationJson {
    entry: EntryJson,
    /// 0..1: how much of the entry's wording the text has.
    score: f64,
}

#[derive(Serialize)]
struct ExplainJson<'a> {
    schema: u32,
    text: &'a str,
    /// null when the text is not an error ucert knows.
    explanation: Option<ExplanationJson>,
    /// The errors ucert knows, when the text is none of them.
    known: Vec<&'static str>,
}

fn entry(e: &'static Entry) -> EntryJson {
    EntryJson { id: e.id, text: e.text, meaning: e.meaning, causes: e.causes, checks: e.checks, commands: e.commands }
}

pub fn explain(text: &str, found: Option<&Explanation>, out: &mut dyn Write) -> io::Result<()> {
    let known = if found.is_none() { ENTRIES.iter().map(|e| e.text).collect() } else { Vec::new() };
    let explanation = found.map(|f| ExplanationJson { entry: entry(f.entry), score: f.score });
    write(out, &ExplainJson { schema: JSON_SCHEMA, text, explanation, known })
}

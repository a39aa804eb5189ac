//! `modulus --json`: one entry per key, as the text's lines: the modulus MD5, or why there is none.

use std::io::{self, Write};

use serde::Serialize;

use super::{JSON_SCHEMA, write};
use crate::report::modulus::{ModulusLine, ModulusOutcome};
use crate::untrusted::Untrusted;

#[derive(Serialize)]
struct ModulusJson<'a> {
    schema: u32,
    keys: Vec<KeyJson<'a>>,
}

#[derive(Serialize)]
struct KeyJson<'a> {
    /// The file, with `#N` for the N-th key of a file holding several.
    label: &'a Untrusted,
    /// MD5 of `Modulus=<HEX>\n`, as `openssl ... -modulus | openssl md5`; null when there is none.
    modulus_md5: Option<&'a str>,
    /// The key, when it has no modulus (EC, Ed25519): null otherwise.
    no_modulus: Option<&'a str>,
    /// Why the file could not be read; null otherwise.
    error: Option<&'a str>,
}

pub fn modulus(lines: &[ModulusLine], out: &mut dyn Write) -> io::Result<()> {
    let keys = lines
        .iter()
        .map(|l| {
            let mut key = KeyJson { label: &l.label, modulus_md5: None, no_modulus: None, error: None };
            match &l.outcome {
                ModulusOutcome::Md5(md5) => key.modulus_md5 = Some(md5),
                ModulusOutcome::NoModulus { key: what } => key.no_modulus = Some(what),
                ModulusOutcome::Unreadable(why) => key.error = Some(why),
            }
            key
        })
        .collect();
    write(out, &ModulusJson { schema: JSON_SCHEMA, keys })
}

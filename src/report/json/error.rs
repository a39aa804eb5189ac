//! Under `--json`, an error is a JSON object on stdout too (with exit code 2), so a script reading the output gets
//! something it can read: `{"schema": 1, "error": {"kind": "not-found", "path": "x.pem", "message": "..."}}`.

use std::io::{self, Write};

use serde::Serialize;

use super::{JSON_SCHEMA, write};
use crate::untrusted::Untrusted;

#[derive(Serialize)]
struct ErrorJson<'a> {
    schema: u32,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    /// not-found, permission-denied, is-directory, too-large, timeout, empty, unreadable, wrong-kind, network,
    /// write or usage.
    kind: &'a str,
    /// The file, directory or server concerned; null for a usage error.
    path: Option<&'a Untrusted>,
    message: &'a str,
}

pub fn error(kind: &str, path: Option<&Untrusted>, message: &str, out: &mut dyn Write) -> io::Result<()> {
    write(out, &ErrorJson { schema: JSON_SCHEMA, error: ErrorBody { kind, path, message } })
}

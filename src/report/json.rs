//! JSON output: one module per command, each the home of that command's JSON schema, built from view types that
//! are filled from the report. Every document carries `"schema": 1`; the fields are documented in the README and
//! are stable: new fields may be added, existing ones keep their name and meaning (`tests/json_schema.rs` reads
//! each document into typed structs that refuse unknown fields).

mod chain;
pub mod common;
mod connect;
mod error;
mod explain;
mod inspect;
mod logs;
mod matching;
mod modulus;
mod pair;
mod plan;
mod trust;

use std::io::{self, Write};

use serde::Serialize;

pub use chain::chain;
pub use connect::{connect, watch};
pub use error::error;
pub use explain::explain;
pub use inspect::inspect;
pub use logs::logs;
pub use matching::matching;
pub use modulus::modulus;
pub use pair::pair;
pub use plan::plan;
pub use trust::trust;

/// The version of every JSON document's shape; bumped only when a field changes meaning or disappears.
pub const JSON_SCHEMA: u32 = 1;

/// Writes a value as pretty JSON and a final newline.
pub fn write<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    // serde writes token by token: buffer here, so the sink behind sees large pieces
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, &mut *out);
    // (serde_json gives an I/O error back as it was, so a closed pipe stays a broken pipe)
    serde_json::to_writer_pretty(&mut buffered, value).map_err(io::Error::from)?;
    writeln!(buffered)?;
    buffered.flush()
}

/// A time as RFC 3339 in UTC (`2026-06-01T00:00:00Z`).
fn rfc3339(t: time::OffsetDateTime) -> String {
    use time::format_description::well_known::Rfc3339;
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

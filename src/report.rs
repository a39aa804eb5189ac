//! Renderers: the human text and the JSON of every command's report. Nothing here decides or parses; each
//! function takes a finished report and writes it.

pub mod human;
pub mod json;
pub mod terminal;

/// The version of every JSON document's shape; bumped only when a field changes meaning or disappears.
pub const JSON_SCHEMA: u32 = 1;

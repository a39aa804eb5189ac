//! The domain's words in one place: CUCM's and IM and Presence's certificate purposes ([`purpose`]), the exact
//! texts CUCM shows when an upload fails ([`messages`]), and the table of those texts with their causes that
//! `ucert explain` reads ([`explain`]).

pub mod explain;
pub mod messages;
pub mod purpose;
pub mod renewal;

pub use messages::*;
pub use purpose::{KeyType, Purpose, PurposeSource, Requirements};

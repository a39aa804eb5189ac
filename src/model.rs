//! The owned model every check and renderer reads: certificates, CSRs, keys and names as plain data, converted
//! once from x509-parser's borrowed types so that nothing downstream carries lifetimes.

pub mod asn1;
pub mod certificate;
pub mod csr;
pub mod der;
pub mod digest;
pub mod encoding;
pub mod extensions;
pub mod key;
pub mod name;
pub mod oids;
pub mod signature;

pub use certificate::Certificate;
pub use csr::Csr;
pub use encoding::{KeyFormat, Origin};
pub use key::PublicKey;
pub use name::DistinguishedName;

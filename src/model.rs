//! The owned model every check and renderer reads: certificates, CSRs, keys and names as plain data, converted
//! once from x509-parser's borrowed types so that nothing downstream carries lifetimes.

pub mod asn1;
pub(crate) mod certificate;
pub(crate) mod csr;
pub mod der;
pub(crate) mod digest;
pub(crate) mod encoding;
pub(crate) mod extensions;
pub(crate) mod key;
pub mod name;
pub(crate) mod oids;
pub(crate) mod signature;

pub use certificate::Certificate;
pub use csr::Csr;
pub use encoding::{KeyFormat, Origin};
pub use key::{KeyIdentity, PublicKey};
pub use name::DistinguishedName;

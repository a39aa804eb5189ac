//! The exact texts CUCM shows when an upload fails, and the limits behind some of them. Sources: Cisco's
//! troubleshooting articles and the CUCM Security Guide (README, "What CUCM says"); two texts are confirmed word for
//! word, the others come from the articles' headings.

/// "CSR public key and Certificate public key do not match": the leaf's key is not the stored CSR's key.
pub const PUBLIC_KEY_MISMATCH: &str = "CSR public key and Certificate public key do not match";
/// "CSR SAN and Certificate SAN does not match" (sic, confirmed verbatim): the SAN sets differ either way.
pub const SAN_MISMATCH: &str = "CSR SAN and Certificate SAN does not match";
/// The issuer of the uploaded certificate is not in `<purpose>-trust`.
pub const CA_NOT_IN_TRUST_STORE: &str = "CA Certificate not available in Trust-Store";
/// The file is not a certificate CUCM can parse.
pub const READ_ERROR: &str = "Error reading the certificate";
/// Shown by some CUCM versions instead of either the missing-CSR or the public-key message.
pub const DER_NOT_UPLOADED: &str = "The file /usr/local/platform/upload/certs//tomcat.der could not be uploaded.";

/// The largest RSA key CUCM accepts.
pub const MAX_KEY_BITS: u32 = 4096;
/// Below this, CUCM's guide (and every CA today) considers an RSA key weak.
pub const MIN_KEY_BITS: u32 = 2048;

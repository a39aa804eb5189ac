//! What `trust` found: both certificates and CUCM's decision when NEW is uploaded while EXISTING is stored.

use time::OffsetDateTime;

use super::InputWarning;
use super::inspect::CertificateFacts;
use crate::analysis::trust_store::Decision;
use crate::untrusted::Untrusted;

pub struct TrustReport {
    pub existing: CertificateFacts,
    pub new: CertificateFacts,
    pub existing_path: Untrusted,
    pub new_path: Untrusted,
    pub decision: Decision,
    pub at: OffsetDateTime,
    /// Damaged blocks left out of the inputs.
    pub input_warnings: Vec<InputWarning>,
}

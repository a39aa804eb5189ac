//! `signature`: the CSR's self-signature must verify with its own key; a CSR that does not is corrupt (edited,
//! truncated or mangled in transfer), and so is anything issued from it.

use super::{CheckId, Finding, Pair, Request};
use crate::analysis::verify::Verification;
use crate::model::Csr;

pub fn check(pair: &Pair<'_>) -> Finding {
    let Request::Csr(csr) = pair.request else {
        return Finding::skip(CheckId::Signature, "a key carries no signature to verify");
    };
    judge(csr)
}

/// The check on the CSR alone, which is all it reads: a batch runs it as it reads the file (see [`super::facts`]).
pub(super) fn judge(csr: &Csr) -> Finding {
    match crate::analysis::verify::csr_self_signature(csr) {
        Verification::Valid => Finding::pass(CheckId::Signature, format!("the CSR's self-signature verifies ({})", csr.signature_algorithm.name)),
        Verification::Invalid => Finding::fail(CheckId::Signature, "the CSR's self-signature does not verify: the CSR is corrupt")
            .cause("the CSR was edited or damaged after CUCM generated it (a hand edit, a bad copy and paste, a transfer that changed bytes)")
            .remedy("download the CSR from CUCM again (Certificate Management > Download CSR) rather than regenerating it"),
        Verification::Unsupported(reason) => Finding::warn(CheckId::Signature, format!("the CSR's self-signature cannot be checked: {reason}")),
    }
}

/// True exactly when [`judge`] passes, without its words: a batch asks it of every CSR it reads.
pub(super) fn passes(csr: &Csr) -> bool {
    crate::analysis::verify::csr_self_signature(csr) == Verification::Valid
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, cert, csr};
    use super::super::{Pair, Request, Status};
    use super::*;

    #[test]
    fn corrupt_csr_fails_and_intact_csr_passes() {
        let crt = cert("cucm/tomcat.pem");
        let bad = csr("match/tomcat-corrupt.csr");
        let f = check(&Pair { request: Request::Csr(&bad), certificate: &crt, cas: &[], purpose: None, at: at() });
        assert_eq!(f.status, Status::Fail);
        let good = csr("cucm/tomcat.csr");
        let f = check(&Pair { request: Request::Csr(&good), certificate: &crt, cas: &[], purpose: None, at: at() });
        assert_eq!(f.status, Status::Pass);
    }
}

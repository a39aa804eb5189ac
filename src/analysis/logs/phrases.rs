//! Every phrase the analysis looks for, found in one pass per record by one Aho-Corasick automaton (a DFA,
//! ASCII case-insensitive): on a log of hundreds of megabytes, a chain of `contains` calls per record was the
//! main cost. The result is a bit set the timeline, start-up, level and signature logic consult.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

macro_rules! phrases {
    ($($name:ident => $text:literal,)*) => {
        /// The phrases, by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Phrase { $($name,)* }
        const PHRASES: &[&str] = &[$($text,)*];
    };
}

phrases! {
    Initiating => "Initiating Automatic Certificate Enrollment",
    CsrRead => "Completed action in X509_REQ *read_csr",
    CallingEst => "Calling enrollCertUsingEST",
    EnrollmentRv => "Enrollment rv = ",
    SignedWritten => "Signed Cert written",
    SigningOk => "Online Cert Signing successful",
    SigningFailed => "Online Cert Signing Failed",
    LscVerified => "LSC is verified",
    StoreCertReq => "Sending STORE_CERT_REQ",
    SetOperationStatus => "SetOperationStatus(",
    StatusIsSetTo => "Operation status is set to",
    OnlineCa => "Online CA",
    Certsrv => "certsrv",
    ChainRetrieved => "CA Cert chain retrieved from CA",
    ChainNotRetrieved => "Unable to retrieve CA Cert chain",
    Login => "login_to_certsrv_ca",
    CompletedOk => "completed successfully",
    Failed => "failed",
    UrlUsed => "URL used:",
    FollowingUrl => "following URL",
    Sep => "SEP",
    ReturnCode => "return code",
    EstErr => "EST_ERR_",
    AuthFailed => "HTTP authentication failed",
    Error401 => "Error 401",
    EnrollFailed => "est_client_enroll_csr() Failed",
    NotYetSet => "has not yet been set",
    SslShutdown => "SSL_shutdown failed",
    NoPeerCertificate => "no peer certificate",
    AddingCert => "Adding cert to store",
    PopEnabled => "pop_enabled",
    UnableToLogin => "Unable to execute login to certsrv",
    WordError => "error",
    WordFail => "fail",
    WordWarn => "warn",
}

/// The phrases whose presence makes a record worth the signatures' regular expressions.
pub const TRIGGERS: &[Phrase] = &[
    Phrase::ReturnCode,
    Phrase::ChainNotRetrieved,
    Phrase::EstErr,
    Phrase::AuthFailed,
    Phrase::Error401,
    Phrase::SigningFailed,
    Phrase::EnrollFailed,
    Phrase::NotYetSet,
    Phrase::SslShutdown,
    Phrase::NoPeerCertificate,
    Phrase::AddingCert,
    Phrase::UrlUsed,
    Phrase::PopEnabled,
    Phrase::UnableToLogin,
];

static SCANNER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder().ascii_case_insensitive(true).kind(Some(AhoCorasickKind::DFA)).build(PHRASES).ok()
});

/// Which phrases a record contains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Found(u64);

impl Found {
    pub fn has(self, p: Phrase) -> bool {
        self.0 & (1 << p as u8) != 0
    }

    pub fn any(self, list: &[Phrase]) -> bool {
        list.iter().any(|&p| self.has(p))
    }
}

/// One pass over the record.
pub fn scan(record: &str) -> Found {
    let mut bits = 0u64;
    if let Some(ac) = SCANNER.as_ref() {
        for m in ac.find_overlapping_iter(record) {
            bits |= 1 << m.pattern().as_usize();
        }
    }
    Found(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_phrases_are_all_found() {
        let f = scan("login_to_certsrv_ca: Curl call for MS CA login failed with return code 60");
        assert!(f.has(Phrase::Login) && f.has(Phrase::Certsrv) && f.has(Phrase::Failed) && f.has(Phrase::WordFail));
        assert!(f.has(Phrase::ReturnCode) && f.any(TRIGGERS));
        assert!(!f.has(Phrase::Sep));
        assert!(PHRASES.len() <= 64);
    }
}

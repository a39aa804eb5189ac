//! The known failure signatures of CAPF Online CA enrollment, from the excerpts of Cisco's "Troubleshoot CAPF Online
//! CA", each turned into what happened, the likely cause and what to change. The regular expressions run only on
//! records in which the one-pass phrase scan ([`super::phrases`]) found a trigger.

use std::sync::LazyLock;

use regex::Regex;

use super::phrases::{Found, TRIGGERS};
use super::re;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// The stable id of a finding (JSON `findings[].id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingId {
    EstAuthFailed,
    CaChainNotRetrieved,
    Curl60NotYetValid,
    Curl60Expired,
    Curl60Untrusted,
    Curl51NameMismatch,
    Curl6Unresolved,
    Curl28LoginTimeout,
    Curl28CacertsTimeout,
    Curl7Refused,
    CurlOther,
    EnrollmentFailed,
    IisLogonRefused,
    IisForbidden,
    IisServerError,
}

impl FindingId {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingId::EstAuthFailed => "est-auth-failed",
            FindingId::CaChainNotRetrieved => "ca-chain-not-retrieved",
            FindingId::Curl60NotYetValid => "curl-60-not-yet-valid",
            FindingId::Curl60Expired => "curl-60-expired",
            FindingId::Curl60Untrusted => "curl-60-untrusted",
            FindingId::Curl51NameMismatch => "curl-51-name-mismatch",
            FindingId::Curl6Unresolved => "curl-6-unresolved",
            FindingId::Curl28LoginTimeout => "curl-28-login-timeout",
            FindingId::Curl28CacertsTimeout => "curl-28-cacerts-timeout",
            FindingId::Curl7Refused => "curl-7-refused",
            FindingId::CurlOther => "curl-other",
            FindingId::EnrollmentFailed => "enrollment-failed",
            FindingId::IisLogonRefused => "iis-logon-refused",
            FindingId::IisForbidden => "iis-forbidden",
            FindingId::IisServerError => "iis-server-error",
        }
    }
}

/// One recognised signature in one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Stable id (JSON `findings[].id`).
    pub id: FindingId,
    /// What distinguishes two hits of one id that are different problems (two host names, two EST codes).
    pub key: String,
    pub severity: Level,
    pub title: String,
    pub what: String,
    pub cause: String,
    pub fixes: Vec<String>,
}

/// What a record is, as far as the signatures go.
pub enum Classified {
    LogFinding(Hit),
    /// A known line that is not a problem by itself (start-up chatter, a consequence logged after a cause).
    Known,
    Unrecognised,
}

static CURL: LazyLock<Regex> =
    // the text in parentheses may hold parentheses of its own, "(Could not resolve: x (Domain name not found))"
    LazyLock::new(|| re(r"(\w+): Curl (?:call|request)[^(]*? return code (\d+) \(([^()]*(?:\([^()]*\)[^()]*)*)\)"));
static SUBJECT_MISMATCH: LazyLock<Regex> =
    LazyLock::new(|| re(r"certificate subject name '([^']*)' does not match target host name '([^']*)'"));
static UNRESOLVED: LazyLock<Regex> = LazyLock::new(|| re(r"Could not resolve:? (?:host: )?([^\s()]+)"));
static ENROLL_RV: LazyLock<Regex> = LazyLock::new(|| re(r"Enrollment rv = (\d+) \((EST_ERR_\w+)\)"));

const CES: &str = "Cisco Certificate Enrollment Service";

/// Classifies one record, given the phrases [`super::phrases::scan`] found in it.
pub fn classify(record: &str, found: Found) -> Classified {
    if !found.any(TRIGGERS) {
        return Classified::Unrecognised;
    }
    if let Some(c) = CURL.captures(record) {
        let function = c.get(1).map_or("", |m| m.as_str());
        let code = c.get(2).map_or("", |m| m.as_str());
        let text = c.get(3).map_or("", |m| m.as_str());
        return Classified::LogFinding(curl(function, code, text));
    }
    if let Some(c) = ENROLL_RV.captures(record) {
        let rv = c.get(1).map_or("", |m| m.as_str());
        let name = c.get(2).map_or("", |m| m.as_str());
        if rv == "0" {
            return Classified::Known;
        }
        return Classified::LogFinding(enrollment(rv, name));
    }
    if record.contains("EST_ERR_AUTH_FAIL")
        || record.contains("HTTP authentication failed")
        || record.contains("Error 401")
    {
        return Classified::LogFinding(Hit {
            id: FindingId::EstAuthFailed,
            key: String::new(),
            severity: Level::Error,
            title: "the CA refused CES's credentials (HTTP 401, EST_ERR_AUTH_FAIL)".into(),
            what: "CES logged in to the CA's /certsrv, but the enrollment request was not authorised".into(),
            cause: "the Online CA user name or password in the CAPF service parameters is wrong, or that user may not use the certificate template".into(),
            fixes: vec![
                "check Online CA Username and Online CA Password (Cisco Unified CM Administration > System > Service Parameters > Cisco Certificate Authority Proxy Function)".into(),
                "check that the template named in Online CA Template exists and that the user has Enroll permission on it".into(),
                format!("restart {CES} and CAPF after changing them"),
            ],
        });
    }
    if record.contains("Unable to retrieve CA Cert chain from CA") {
        return Classified::LogFinding(Hit {
            id: FindingId::CaChainNotRetrieved,
            key: String::new(),
            severity: Level::Error,
            title: "CES could not retrieve the CA certificate chain".into(),
            what: "at start-up CES could not download certnew.p7b from the CA, so it cannot enroll any phone".into(),
            cause:
                "one of the connection failures listed with it (trust, host name, DNS, clock, credentials, time-out)"
                    .into(),
            fixes: vec!["fix the failure logged just before it; CES retries at its next start".into()],
        });
    }
    if record.contains("est_client_enroll_csr() Failed") || record.contains("Online Cert Signing Failed") {
        return Classified::Known; // the CAPF side of an Enrollment rv failure, reported with it
    }
    Classified::Known
}

/// The finding for one curl error of CES. Long on purpose: one arm per curl code and text Cisco's article shows,
/// read top to bottom as the table it is; split, the table would be scattered.
fn curl(function: &str, code: &str, text: &str) -> Hit {
    let login = function.contains("login");
    match code {
        "60" if text.contains("not yet valid") => Hit {
            id: FindingId::Curl60NotYetValid,
            key: String::new(),
            severity: Level::Error,
            title: "the CA's web server certificate is not yet valid (curl 60)".into(),
            what: format!("{function}: {text}"),
            cause: "the clocks disagree: NTP is not working on CUCM or on the CA".into(),
            fixes: vec!["check NTP on CUCM ('utils ntp status') and the CA's clock".into(), format!("restart {CES} once the clocks agree")],
        },
        "60" if text.contains("expired") => Hit {
            id: FindingId::Curl60Expired,
            key: String::new(),
            severity: Level::Error,
            title: "the CA's web server certificate has expired (curl 60)".into(),
            what: format!("{function}: {text}"),
            cause: "the IIS certificate of the CA's web enrollment has expired (or CUCM's clock is ahead)".into(),
            fixes: vec!["renew the IIS certificate on the CA".into(), "check NTP on CUCM ('utils ntp status')".into()],
        },
        "60" => Hit {
            id: FindingId::Curl60Untrusted,
            key: String::new(),
            severity: Level::Error,
            title: "CES does not trust the CA's web server certificate (curl 60)".into(),
            what: format!("{function}: {text}"),
            cause: "the root (and intermediate) that issued the IIS certificate are not in CAPF-trust; or IIS uses a self-signed certificate, which is not supported".into(),
            fixes: vec![
                "upload the CA chain that issued the IIS certificate as CAPF-trust ('ucert connect CA-HOST:443' shows it), then restart the Cisco Certificate Enrollment Service".into(),
                "if IIS uses a self-signed certificate, give it one issued by the CA".into(),
            ],
        },
        "51" => {
            let (cert_name, host) = SUBJECT_MISMATCH
                .captures(text)
                .map(|c| (c.get(1).map_or("", |m| m.as_str()).to_string(), c.get(2).map_or("", |m| m.as_str()).to_string()))
                .unwrap_or_default();
            Hit {
                id: FindingId::Curl51NameMismatch,
                key: format!("{cert_name}/{host}"),
                severity: Level::Error,
                title: format!("the CA's certificate names '{cert_name}', not the configured host '{host}' (curl 51)"),
                what: format!("{function}: {text}"),
                cause: "the Online CA Hostname in the CAPF service parameters is not the name in the IIS certificate's CN/SAN".into(),
                fixes: vec![
                    format!("set Online CA Hostname to the FQDN the IIS certificate names, or reissue the IIS certificate with CN/SAN '{host}'"),
                    format!("restart {CES} afterwards"),
                ],
            }
        }
        "6" => {
            let host = UNRESOLVED.captures(text).and_then(|c| c.get(1)).map_or("", |m| m.as_str()).to_string();
            Hit {
                id: FindingId::Curl6Unresolved,
                key: host.clone(),
                severity: Level::Error,
                title: format!("the Online CA host name '{host}' does not resolve (curl 6)"),
                what: format!("{function}: {text}"),
                cause: "a typo in Online CA Hostname, or DNS does not know the name".into(),
                fixes: vec![
                    format!("check the spelling of Online CA Hostname; test with 'utils network host {host}' on CUCM"),
                    "fix the DNS record, then restart the Cisco Certificate Enrollment Service".into(),
                ],
            }
        }
        "28" if login => Hit {
            id: FindingId::Curl28LoginTimeout,
            key: String::new(),
            severity: Level::Error,
            title: "the CA did not authenticate CES within 10 seconds (curl 28 at login)".into(),
            what: format!("{function}: {text}"),
            cause: "the CA is too slow to authenticate within CES's fixed 10 s timer (defects CSCvo58656 and CSCvf83629)".into(),
            fixes: vec![
                "check the CA's load and how long /certsrv takes to authenticate (IIS log time-taken)".into(),
                "see CSCvo58656 (a configurable time-out) and CSCvf83629 for fixed releases".into(),
            ],
        },
        "28" => Hit {
            id: FindingId::Curl28CacertsTimeout,
            key: String::new(),
            severity: Level::Error,
            title: "the CA chain (certnew.p7b) did not arrive within 10 seconds (curl 28)".into(),
            what: format!("{function}: {text}"),
            cause: "after a successful login, the CA was too slow to answer the request for its chain".into(),
            fixes: vec!["check the CA's response time for /certsrv/certnew.p7b in its IIS log".into(), "see CSCvo58656 and CSCvf83629".into()],
        },
        "7" => Hit {
            id: FindingId::Curl7Refused,
            key: String::new(),
            severity: Level::Error,
            title: "the CA refused the connection (curl 7)".into(),
            what: format!("{function}: {text}"),
            cause: "nothing listens on the Online CA port, or a firewall rejects the connection".into(),
            fixes: vec!["check Online CA Port and that IIS listens there; test with 'ucert connect HOST:PORT'".into()],
        },
        other => Hit {
            id: FindingId::CurlOther,
            key: other.to_string(),
            severity: Level::Error,
            title: format!("the connection to the CA failed (curl {other})"),
            what: format!("{function}: {text}"),
            cause: "see curl's error text".into(),
            fixes: vec!["look up the curl error code and text; check the CA's web server and the network path".into()],
        },
    }
}

fn enrollment(rv: &str, name: &str) -> Hit {
    let (cause, fixes): (String, Vec<String>) = match name {
        "EST_ERR_SSL_READ" => (
            "enrollment failed on the CES side (CES did not answer CAPF)".into(),
            vec!["read the NGINX error.log of CES for the reason (it holds CES's conversation with the CA)".into()],
        ),
        "EST_ERR_AUTH_FAIL" => (
            "the CA refused CES's credentials".into(),
            vec!["check the Online CA user name, password and template in the CAPF service parameters".into()],
        ),
        "EST_ERR_HTTP_WRITE" => (
            "CES could not send the request (see defect CSCvf83629)".into(),
            vec!["read the NGINX error.log of CES; see CSCvf83629".into()],
        ),
        _ => ("the EST enrollment between CAPF and CES failed".into(), vec!["read the NGINX error.log of CES".into()]),
    };
    Hit {
        id: FindingId::EnrollmentFailed,
        key: name.to_string(),
        severity: Level::Error,
        title: format!("phone enrollment failed: Enrollment rv = {rv} ({name})"),
        what: format!("CAPF asked CES to enroll a phone's certificate and got {name}"),
        cause,
        fixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(record: &str) -> Classified {
        super::classify(record, crate::analysis::logs::phrases::scan(record))
    }

    fn hit(record: &str) -> Hit {
        match classify(record) {
            Classified::LogFinding(h) => h,
            _ => panic!("no finding in {record}"),
        }
    }

    #[test]
    fn each_curl_signature_of_the_documents() {
        let rec = |code: &str, text: &str| {
            format!(
                "nginx: [warn] login_to_certsrv_ca: Curl call for MS CA login failed with return code {code} ({text})"
            )
        };
        assert_eq!(
            hit(&rec("60", "SSL certificate problem: unable to get local issuer certificate")).id,
            FindingId::Curl60Untrusted
        );
        assert_eq!(
            hit(&rec("60", "SSL certificate problem: certificate is not yet valid")).id,
            FindingId::Curl60NotYetValid
        );
        let h = hit(&rec(
            "51",
            "SSL: certificate subject name 'lab-dc' does not match target host name 'lab-dc.michamen.com'",
        ));
        assert_eq!(h.id, FindingId::Curl51NameMismatch);
        assert!(h.title.contains("'lab-dc'") && h.title.contains("'lab-dc.michamen.com'"));
        let h = hit(&rec("6", "Could not resolve: lab-dcc.michamen.com (Domain name not found)"));
        assert_eq!(h.id, FindingId::Curl6Unresolved);
        assert_eq!(h.key, "lab-dcc.michamen.com");
        assert!(h.what.ends_with("(Domain name not found)"), "balanced: {}", h.what);
        assert_eq!(
            hit(&rec("28", "Operation timed out after 10000 milliseconds with 0 bytes received")).id,
            FindingId::Curl28LoginTimeout
        );
        let cacerts = "nginx: [warn] retrieve_cacerts: Curl request failed with return code 28 (Operation timed out after 10001 milliseconds with 0 bytes received)";
        assert_eq!(hit(cacerts).id, FindingId::Curl28CacertsTimeout);
    }

    #[test]
    fn est_and_chain_signatures() {
        assert_eq!(
            hit("***EST [WARNING][est_http_request:1435]--> Enrollment failed with rc=22 (EST_ERR_AUTH_FAIL)").id,
            FindingId::EstAuthFailed
        );
        let h =
            hit("14:38:04.779 | debug 2:SEP001F6C81118B:Enrollment rv = 35 (EST_ERR_SSL_READ) with pkcs7 length = 0");
        assert_eq!((h.id, h.key.as_str()), (FindingId::EnrollmentFailed, "EST_ERR_SSL_READ"));
        assert_eq!(
            hit("nginx: [warn] ra_certsrv_ca_plugin_postconf: Unable to retrieve CA Cert chain from CA").id,
            FindingId::CaChainNotRetrieved
        );
        assert!(matches!(
            classify("debug 2:SEP74A02FC0A675:Enrollment rv = 0 (EST_ERR_NONE) with pkcs7 length = 1963"),
            Classified::Known
        ));
        assert!(matches!(classify("an ordinary line"), Classified::Unrecognised));
    }
}

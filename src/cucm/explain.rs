//! `ucert explain "<CUCM error text>"`: from the words a customer pasted to what they mean, their documented causes,
//! what to check, and the ucert command that checks it. Pasted text is matched tolerantly: any case, with or
//! without the path, CUCM's own wording or the HCS adapter's (CAA10xx codes), a few words missing or changed.

/// One error CUCM (or CAPF Online CA) shows, and what is known about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: &'static str,
    /// The text as CUCM shows it.
    pub text: &'static str,
    /// Other wordings of the same failure (the HCS adapter's codes, older versions, log lines).
    pub also: &'static [&'static str],
    pub meaning: &'static str,
    pub causes: &'static [&'static str],
    pub checks: &'static [&'static str],
    /// ucert commands that check it.
    pub commands: &'static [&'static str],
}

pub const ENTRIES: &[Entry] = &[
    Entry {
        id: "public-key",
        text: "CSR public key and Certificate public key do not match",
        also: &["CAA1015", "CSR public key and Certificate public key doesn't match", "public key mismatch"],
        meaning: "the certificate does not carry the key of the CSR stored on this node for this purpose",
        causes: &[
            "the certificate of another node was uploaded (certificates from the CA all look alike: certnew.cer)",
            "the CA issued the certificate from another CSR",
            "the CSR was regenerated after it was sent to the CA: generating a CSR replaces the previous one and its key",
            "the key types differ: a tomcat-ECDSA CSR (EC key) and a certificate for a tomcat CSR (RSA key), or the reverse",
        ],
        checks: &[
            "compare the key of the CSR downloaded from this node with the certificate's",
            "find which CSR the certificate belongs to among all the cluster's CSRs",
        ],
        commands: &["ucert match <purpose>.csr certnew.cer", "ucert pair <folder with every CSR and certificate>"],
    },
    Entry {
        id: "san",
        text: "CSR SAN and Certificate SAN does not match",
        also: &["CAA1016", "CSR SAN and Certificate SAN doesn't match", "SAN mismatch", "subject alternative name"],
        meaning: "the certificate's subject alternative names are not exactly those of the CSR (order does not matter)",
        causes: &[
            "the CA added entries: the CN, an IP address, a wildcard, www. names",
            "the CA dropped entries the CSR asked for",
            "the CA stripped the domain from the names",
        ],
        checks: &[
            "list the SANs missing from the certificate and those it has in excess",
            "ask the CA to issue exactly the CSR's SANs, or generate the CSR as the CA needs it (without the domain, without -ms)",
        ],
        commands: &["ucert match <purpose>.csr certnew.cer"],
    },
    Entry {
        id: "chain",
        text: "CA Certificate not available in Trust-Store",
        also: &[
            "CAA1018",
            "CA certificate is not available in the trust-store",
            "not available in trust store",
            // how the same gap is worded elsewhere: openssl verify, and a paraphrase of the upload's refusal
            "unable to get local issuer certificate",
            "chain is incomplete",
        ],
        meaning: "the CA that issued the certificate is not in <purpose>-trust",
        causes: &[
            "the root and intermediate certificates were not uploaded as <purpose>-trust before the certificate",
            "an intermediate is missing, or a CA certificate of the same name but another key was uploaded",
            "the CA certificate is expired",
        ],
        checks: &["work out the upload order of the CA's files and whether every issuer is there"],
        commands: &[
            "ucert chain certnew.p7b",
            "ucert match <purpose>.csr certnew.cer --ca root.cer --ca intermediate.cer",
        ],
    },
    Entry {
        id: "csr-missing",
        text: "The file /usr/local/platform/.security/<purpose>/keys/<purpose>.csr does not exist",
        also: &["CAA1017", "CAA1023", "CSR does not exist", "csr does not exist", "keys tomcat csr does not exist"],
        meaning: "no CSR exists on this node for the purpose the certificate was uploaded under",
        causes: &[
            "no CSR was generated for this purpose on this node (a valid certificate cannot be replaced without a new CSR)",
            "the certificate is uploaded on the wrong node, or under the wrong purpose",
            "the CSR was already used: a successful upload deletes it",
        ],
        checks: &[
            "find which node's CSR the certificate belongs to",
            "generate a CSR for the purpose, have it signed, upload that certificate",
        ],
        commands: &["ucert pair <folder with every CSR and certificate>", "ucert inspect certnew.cer"],
    },
    Entry {
        id: "der-not-uploaded",
        text: "The file /usr/local/platform/upload/certs//tomcat.der could not be uploaded.",
        also: &["could not be uploaded", "tomcat.der could not be uploaded"],
        meaning: "depending on the CUCM version, shown instead of either of two errors: no CSR for the purpose, or a key that does not match the CSR",
        causes: &[
            "no CSR exists for the purpose on this node (see \"The file .../<purpose>.csr does not exist\")",
            "the certificate's key is not the CSR's (see \"CSR public key and Certificate public key do not match\")",
        ],
        checks: &["check the key match first; if it matches, check that the CSR still exists on the node"],
        commands: &["ucert match <purpose>.csr certnew.cer", "ucert pair <folder>"],
    },
    Entry {
        id: "read",
        text: "Error reading the certificate",
        also: &["CAA1020", "Error occurred while reading the certificate", "error reading certificate"],
        meaning: "CUCM could not read the file as a certificate, or (as seen in the field) the pair does not belong together",
        causes: &[
            "the file is not a PEM or DER certificate: a DER .p7b, a .pfx, a text export, a CSR",
            "the certificate is for another CSR (check the key match)",
        ],
        checks: &["see what the file holds", "upload the leaf certificate alone, as PEM"],
        commands: &[
            "ucert inspect certnew.cer",
            "ucert chain certnew.p7b --split upload/",
            "ucert match <purpose>.csr certnew.cer",
        ],
    },
    Entry {
        id: "ca-error",
        text: "Error in CA certificate",
        also: &["CAA1019"],
        meaning: "a CA certificate is unusable",
        causes: &[
            "the CA certificate is expired or not yet valid",
            "it is not a CA (no CA:TRUE)",
            "its signature does not verify",
        ],
        checks: &["look at every CA certificate's validity, constraints and signature"],
        commands: &["ucert chain root.cer intermediate.cer certnew.cer"],
    },
    Entry {
        id: "not-pem",
        text: "Certificate is not in PEM format",
        also: &["CAA1021", "not in PEM format"],
        meaning: "the upload expects a PEM (or DER) certificate",
        causes: &["the file is DER PKCS#7 (.p7b), PKCS#12 (.pfx) or text"],
        checks: &["write each certificate of the file as its own PEM file"],
        commands: &["ucert chain certnew.p7b --split upload/"],
    },
    Entry {
        id: "invalid-file",
        text: "Invalid certificate file provided",
        also: &["CAA1022", "not a valid certificate", "invalid certificate file"],
        meaning: "the file is not a certificate",
        causes: &["a CSR, a key, a CRL, an encrypted or truncated file was chosen"],
        checks: &["see what the file holds"],
        commands: &["ucert inspect <file>"],
    },
    Entry {
        id: "wrong-type",
        text: "Invalid certificate type found",
        also: &["CAA1025", "invalid certificate type", "wrong purpose"],
        meaning: "the certificate does not fit the purpose it was uploaded under",
        causes: &[
            "a tomcat certificate uploaded as CallManager (or -ECDSA and RSA mixed up)",
            "a CA certificate uploaded as a service certificate",
        ],
        checks: &["see which purpose the certificate is for"],
        commands: &["ucert chain certnew.cer", "ucert match --purpose <purpose> <purpose>.csr certnew.cer"],
    },
    Entry {
        id: "upload-failed",
        text: "Certificate Upload failed",
        also: &["CAA1026", "upload failed"],
        meaning: "the upload failed without a more specific reason",
        causes: &["any of the checks CUCM runs at upload time"],
        checks: &["run every check CUCM runs"],
        commands: &["ucert match <purpose>.csr certnew.cer --ca root.cer"],
    },
    Entry {
        id: "trust-not-replaced",
        text: "(a trust certificate is not replaced by the new one)",
        also: &["trust certificate not replaced", "same cn", "not replaced", "old certificate still in trust store"],
        meaning: "CUCM keeps one trust certificate per CN and type, and kept the one already stored",
        causes: &["the new certificate is expired", "the stored certificate has a more recent \"not before\" date"],
        checks: &["compare the dates that decide it; delete the stored one first if it must go"],
        commands: &["ucert trust stored.pem new.pem"],
    },
    Entry {
        id: "capf-online-ca",
        text: "Unable to retrieve CA Cert chain from CA",
        also: &[
            "curl call for ms ca login failed",
            "return code 60",
            "return code 51",
            "return code 6",
            "return code 28",
            "EST_ERR_AUTH_FAIL",
            "EST_ERR_SSL_READ",
            "Enrollment rv",
            "Online Cert Signing Failed",
        ],
        meaning: "CAPF Online CA: CES could not work with the Microsoft CA's web enrollment, so phones are not enrolled",
        causes: &[
            "the CA web server's chain is not in CAPF-trust, or IIS uses a self-signed certificate (curl 60)",
            "the Online CA host name is not the name in the IIS certificate (curl 51), or does not resolve (curl 6)",
            "the clocks disagree (curl 60, not yet valid); the CA is too slow for CES's 10 s timer (curl 28)",
            "wrong Online CA credentials or template (EST_ERR_AUTH_FAIL, HTTP 401)",
        ],
        checks: &[
            "read CES's NGINX error.log, the CiscoRA log, the CAPF trace and the CA's IIS log together",
            "look at the certificate IIS presents",
        ],
        commands: &[
            "ucert logs error.log capf.txt ciscora.log u_ex*.log",
            "ucert connect <online-ca-host>:443 --ca ca-root.cer",
        ],
    },
    Entry {
        id: "expired",
        text: "(the certificate is expired)",
        also: &["expired", "certificate has expired", "not yet valid", "validity"],
        meaning: "CUCM cannot upload an expired certificate; one not yet valid points at a clock problem",
        causes: &["the CA returned an old certificate", "NTP is not working on CUCM or on the CA"],
        checks: &["look at the validity dates against now"],
        commands: &["ucert inspect certnew.cer", "ucert match <purpose>.csr certnew.cer"],
    },
];

/// How well a text fits an entry, and the entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub entry: &'static Entry,
    /// 0..1: how much of the entry's wording the text has.
    pub score: f64,
}

/// The entry a pasted text is about, if any is close enough.
pub fn explain(text: &str) -> Option<Explanation> {
    let words = tokens(text);
    if words.is_empty() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let codes = codes(&lower);
    let mut best: Option<Explanation> = None;
    for entry in ENTRIES {
        let mut score = 0.0f64;
        for phrase in std::iter::once(&entry.text).chain(entry.also.iter()) {
            let p = phrase.to_ascii_lowercase();
            if is_code(phrase) {
                if codes.contains(&p) {
                    score = score.max(1.0);
                }
                continue;
            }
            if p.len() > 12 && lower.contains(&p) {
                score = score.max(1.0);
            }
            score = score.max(overlap(&tokens(phrase), &words));
        }
        if best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Explanation { entry, score });
        }
    }
    best.filter(|b| b.score >= 0.6)
}

/// The HCS adapter's codes in a lower-cased text, however they were typed (`CAA1015`, `caa-1015`, `CAA 1015`),
/// each as `caa1015`.
fn codes(lower: &str) -> Vec<String> {
    lower
        .match_indices("caa")
        .filter_map(|(at, _)| {
            let rest = lower[at + 3..].trim_start_matches([' ', '-', '_', '#', ':']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (digits.len() == 4).then(|| format!("caa{digits}"))
        })
        .collect()
}

fn is_code(phrase: &str) -> bool {
    phrase.starts_with("CAA") && phrase[3..].chars().all(|c| c.is_ascii_digit())
}

/// Words that carry meaning: lower case, letters and digits, a path cut into its parts, short filler left out.
fn tokens(text: &str) -> Vec<String> {
    const FILLER: &[&str] =
        &["the", "and", "not", "does", "doesn", "do", "is", "in", "of", "a", "an", "to", "be", "could"];
    let mut out: Vec<String> = text
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !FILLER.contains(w))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The share of the phrase's words found in the text, the text's own extra words lowering it a little.
fn overlap(phrase: &[String], text: &[String]) -> f64 {
    if phrase.is_empty() {
        return 0.0;
    }
    let common = phrase.iter().filter(|w| text.contains(w)).count() as f64;
    let recall = common / phrase.len() as f64;
    let precision = common / text.len().max(1) as f64;
    0.8 * recall + 0.2 * precision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Option<&'static str> {
        explain(text).map(|e| e.entry.id)
    }

    #[test]
    fn exact_texts_are_recognised() {
        for e in ENTRIES.iter().filter(|e| !e.text.starts_with('(')) {
            assert_eq!(id(e.text), Some(e.id), "{}", e.text);
        }
    }

    #[test]
    fn approximate_texts_and_codes_are_recognised() {
        assert_eq!(id("csr public key and certificate public key doesn't match!!"), Some("public-key"));
        assert_eq!(id("Error: CSR SAN and Certificate SAN does not match."), Some("san"));
        assert_eq!(id("ca certificate not available in trust store"), Some("chain"));
        assert_eq!(
            id("The file /usr/local/platform/.security/CallManager/keys/CallManager.csr does not exist"),
            Some("csr-missing")
        );
        assert_eq!(
            id("The file /usr/local/platform/upload/certs//tomcat.der could not be uploaded."),
            Some("der-not-uploaded")
        );
        assert_eq!(id("CAA1015: upload failed"), Some("public-key"));
        for typed in ["caa-1015", "CAA 1015", "Error CAA_1015", "(CAA#1015)"] {
            assert_eq!(id(typed), Some("public-key"), "{typed}");
        }
        assert_eq!(id("CAA10150"), None, "five digits are no code of the adapter's");
        assert_eq!(id("Error while uploading certificate: the certificate chain is incomplete"), Some("chain"));
        assert_eq!(id("error 20 at 0 depth lookup: unable to get local issuer certificate"), Some("chain"));
        assert_eq!(id("error reading the cert"), Some("read"));
        assert_eq!(id("Curl call for MS CA login failed with return code 60"), Some("capf-online-ca"));
        // paraphrased from memory: the sense of CAA1022, not the "could not be uploaded" it shares a word with
        assert_eq!(id("Error: The uploaded file is not a valid certificate"), Some("invalid-file"));
        assert_eq!(id("invalid certificate file"), Some("invalid-file"));
    }

    #[test]
    fn unrelated_text_is_not_explained() {
        assert_eq!(id("the printer is out of paper"), None);
        assert_eq!(id(""), None);
    }
}

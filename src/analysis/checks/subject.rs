//! `subject`: field by field (CN, OU, O, L, ST, C, then any other). CUCM does not refuse a different subject, so
//! differences warn, with the fields side by side.

use super::{CheckId, Detail, Finding, Pair, Request};
use crate::model::DistinguishedName;
use crate::model::name::{canonical_value, push_canonical};

/// One subject field as the CSR asked for it and as the certificate carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectRow {
    pub field: String,
    pub csr: Option<String>,
    pub certificate: Option<String>,
    pub same: bool,
}

const ORDER: [&str; 6] = ["CN", "OU", "O", "L", "ST", "C"];

/// The side-by-side table: the usual fields first, then the others in order of appearance.
pub fn rows(csr: &DistinguishedName, cert: &DistinguishedName) -> Vec<SubjectRow> {
    let mut fields: Vec<String> = ORDER.iter().map(|s| s.to_string()).collect();
    for a in csr.attributes().chain(cert.attributes()) {
        if !fields.iter().any(|f| *f == a.name) {
            fields.push(a.name.to_string());
        }
    }
    fields
        .into_iter()
        .filter_map(|field| {
            let (a, b) = (values(csr, &field), values(cert, &field));
            if a.is_none() && b.is_none() {
                return None;
            }
            let same = a.as_deref().map(canonical_value) == b.as_deref().map(canonical_value);
            Some(SubjectRow { field, csr: a, certificate: b, same })
        })
        .collect()
}

/// The values of one field, joined as the table shows them; None when the name has no such field.
fn values(dn: &DistinguishedName, field: &str) -> Option<String> {
    let mut joined = String::new();
    push_values(dn, field, &mut joined).then_some(joined)
}

/// Appends the values of one field to `out`, joined by ` + `; false when the name has no such field.
fn push_values(dn: &DistinguishedName, field: &str, out: &mut String) -> bool {
    let mut any = false;
    for a in dn.attributes().filter(|a| a.name == field) {
        if any {
            out.push_str(" + ");
        }
        out.push_str(a.value.raw());
        any = true;
    }
    any
}

/// What the check compares of a name, field by field: two names give the same digest exactly when every row of
/// [`rows`] is the same (a batch keeps the digest, not the name; see [`super::facts`]).
pub(super) fn digest(dn: &DistinguishedName) -> super::facts::Digest {
    let mut fields: Vec<&str> = dn.attributes().map(|a| a.name.as_ref()).collect();
    fields.sort_unstable();
    fields.dedup();
    let mut digest = super::facts::Digester::new();
    // the field's values joined as the table shows them, then made canonical, in two buffers kept across fields
    let (mut joined, mut canonical) = (String::with_capacity(128), String::with_capacity(128));
    for field in fields {
        joined.clear();
        push_values(dn, field, &mut joined);
        canonical.clear();
        push_canonical(&joined, &mut canonical);
        std::hash::Hash::hash(&(field, canonical.as_str()), &mut digest);
    }
    digest.finish128()
}

pub fn check(pair: &Pair<'_>) -> Finding {
    let Request::Csr(csr) = pair.request else {
        return Finding::skip(CheckId::Subject, "a key has no subject to compare");
    };
    let table = rows(&csr.subject, &pair.certificate.subject);
    let differing: Vec<&SubjectRow> = table.iter().filter(|r| !r.same).collect();
    if differing.is_empty() {
        return Finding::pass(CheckId::Subject, "the same subject, field by field")
            .details(Detail::Subject { fields: table });
    }
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    let mut finding = Finding::warn(
        CheckId::Subject,
        format!(
            "the subject differs in {}: {}",
            if differing.len() == 1 { "one field".to_string() } else { format!("{} fields", differing.len()) },
            differing.iter().map(|r| r.field.as_str()).collect::<Vec<_>>().join(", ")
        ),
    );
    for r in &differing {
        finding = finding.evidence(format!("{}: CSR {} / certificate {}", r.field, show(&r.csr), show(&r.certificate)));
    }
    let cn_row = table.iter().find(|r| r.field == "CN");
    if let Some(r) = cn_row
        && !r.same
        && r.csr.as_deref().is_some_and(|c| c.to_ascii_lowercase().contains("-ms"))
    {
        finding = finding.cause("the CA removed \"-ms\" from the multi-server CN (some CAs refuse it)");
    } else if csr.public_key.same_key(&pair.certificate.public_key) {
        // only when the certificate carries this CSR's key: another key means another CSR's subject (see public-key)
        finding =
            finding.cause("the CA wrote its own values (a CA template or policy); CUCM accepts the certificate anyway");
    }
    finding.details(Detail::Subject { fields: table })
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    #[test]
    fn rewritten_subject_warns_with_the_fields_side_by_side() {
        let f = check_pair(check, "match/san-fqdn.csr", "match/subject-rewritten.pem", None, at());
        assert_eq!(f.status, Status::Warn);
        assert!(f.message.contains("CN, OU, O"), "{}", f.message);
        assert!(f.cause.unwrap().contains("-ms"));
        let Some(Detail::Subject { fields }) = f.details else { panic!() };
        let ou = fields.iter().find(|r| r.field == "OU").unwrap();
        assert_eq!(ou.csr.as_deref(), Some("UC"));
        assert_eq!(ou.certificate, None);
    }

    #[test]
    fn identical_subject_passes() {
        let f = check_pair(check, "cucm/tomcat.csr", "cucm/tomcat.pem", None, at());
        assert_eq!(f.status, Status::Pass);
    }
}

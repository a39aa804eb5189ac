//! Names for the object identifiers a certificate tool shows, spelled as openssl spells them, so that ucert's
//! output can be laid beside `openssl x509 -text` and read the same.

use std::borrow::Cow;

use x509_parser::asn1_rs::Oid;

/// The OIDs met in nearly every certificate, by their DER content, so that reading thousands of certificates
/// does not format each OID's arcs as text again (that showed in profiles of `pair`).
const COMMON: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "2.5.4.3"),
    (&[0x55, 0x04, 0x06], "2.5.4.6"),
    (&[0x55, 0x04, 0x07], "2.5.4.7"),
    (&[0x55, 0x04, 0x08], "2.5.4.8"),
    (&[0x55, 0x04, 0x0a], "2.5.4.10"),
    (&[0x55, 0x04, 0x0b], "2.5.4.11"),
    (&[0x55, 0x04, 0x05], "2.5.4.5"),
    (&[0x55, 0x1d, 0x0e], "2.5.29.14"),
    (&[0x55, 0x1d, 0x0f], "2.5.29.15"),
    (&[0x55, 0x1d, 0x11], "2.5.29.17"),
    (&[0x55, 0x1d, 0x13], "2.5.29.19"),
    (&[0x55, 0x1d, 0x1f], "2.5.29.31"),
    (&[0x55, 0x1d, 0x20], "2.5.29.32"),
    (&[0x55, 0x1d, 0x23], "2.5.29.35"),
    (&[0x55, 0x1d, 0x25], "2.5.29.37"),
    (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01], "1.3.6.1.5.5.7.1.1"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01], "1.2.840.113549.1.1.1"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], "1.2.840.113549.1.1.11"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c], "1.2.840.113549.1.1.12"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d], "1.2.840.113549.1.1.13"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05], "1.2.840.113549.1.1.5"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e], "1.2.840.113549.1.9.14"),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], "1.2.840.10045.2.1"),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], "1.2.840.10045.3.1.7"),
    (&[0x2b, 0x81, 0x04, 0x00, 0x22], "1.3.132.0.34"),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02], "1.2.840.10045.4.3.2"),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03], "1.2.840.10045.4.3.3"),
    (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01], "1.3.6.1.5.5.7.3.1"),
    (&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02], "1.3.6.1.5.5.7.3.2"),
];

/// An OID in dotted form (`2.5.4.3`), without formatting for the common ones.
pub fn dotted(oid: &Oid<'_>) -> Cow<'static, str> {
    let bytes = oid.as_bytes();
    match COMMON.iter().find(|(der, _)| *der == bytes) {
        Some((_, text)) => Cow::Borrowed(text),
        None => Cow::Owned(oid.to_id_string()),
    }
}

/// openssl's short name of a distinguished-name attribute, or None for one we do not name.
pub fn attribute_short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "2.5.4.9" => "street",
        "2.5.4.12" => "title",
        "2.5.4.13" => "description",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.44" => "generationQualifier",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "2.5.4.41" => "name",
        "2.5.4.17" => "postalCode",
        "2.5.4.15" => "businessCategory",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "1.2.840.113549.1.9.2" => "unstructuredName",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.3.6.1.4.1.311.60.2.1.3" => "jurisdictionC",
        "1.3.6.1.4.1.311.60.2.1.2" => "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.1" => "jurisdictionL",
        _ => return None,
    })
}

/// openssl's long name of a certificate extension.
pub fn extension_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.15" => "keyUsage",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.18" => "issuerAltName",
        "2.5.29.19" => "basicConstraints",
        "2.5.29.30" => "nameConstraints",
        "2.5.29.31" => "crlDistributionPoints",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.33" => "policyMappings",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.36" => "policyConstraints",
        "2.5.29.37" => "extendedKeyUsage",
        "2.5.29.54" => "inhibitAnyPolicy",
        "1.3.6.1.5.5.7.1.1" => "authorityInfoAccess",
        "1.3.6.1.5.5.7.1.11" => "subjectInfoAccess",
        "1.3.6.1.4.1.11129.2.4.2" => "ctPrecertificateSCTs",
        "1.3.6.1.4.1.11129.2.4.3" => "ctPrecertificatePoison",
        "2.16.840.1.113730.1.1" => "nsCertType",
        "2.16.840.1.113730.1.13" => "nsComment",
        "1.3.6.1.4.1.311.20.2" => "msCertificateTemplateName",
        "1.3.6.1.4.1.311.21.7" => "msCertificateTemplate",
        "1.3.6.1.4.1.311.21.10" => "msApplicationPolicies",
        "1.3.6.1.4.1.311.21.1" => "msCAVersion",
        "1.3.6.1.4.1.311.21.2" => "msPreviousCAHash",
        _ => return None,
    })
}

/// openssl's name of a named elliptic curve.
pub fn curve_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => "prime256v1",
        "1.3.132.0.34" => "secp384r1",
        "1.3.132.0.35" => "secp521r1",
        "1.3.132.0.10" => "secp256k1",
        "1.2.840.10045.3.1.1" => "prime192v1",
        "1.3.132.0.33" => "secp224r1",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        _ => return None,
    })
}

/// The size in bits of a named curve's field, for "EC 384 bits" style summaries.
pub fn curve_bits(oid: &str) -> Option<u32> {
    Some(match oid {
        "1.2.840.10045.3.1.7" | "1.3.132.0.10" | "1.3.36.3.3.2.8.1.1.7" => 256,
        "1.3.132.0.34" | "1.3.36.3.3.2.8.1.1.11" => 384,
        "1.3.132.0.35" => 521,
        "1.2.840.10045.3.1.1" => 192,
        "1.3.132.0.33" => 224,
        "1.3.36.3.3.2.8.1.1.13" => 512,
        _ => return None,
    })
}

pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
pub const ED25519: &str = "1.3.101.112";
pub const ED448: &str = "1.3.101.113";
pub const X25519: &str = "1.3.101.110";
pub const X448: &str = "1.3.101.111";
pub const DSA: &str = "1.2.840.10040.4.1";
pub const PKCS7_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";

/// The name of a PKCS#7 content type, for saying what a non-chain PKCS#7 file is.
pub fn pkcs7_content_name(oid: &str) -> &'static str {
    match oid {
        "1.2.840.113549.1.7.1" => "data",
        "1.2.840.113549.1.7.2" => "signedData",
        "1.2.840.113549.1.7.3" => "envelopedData",
        "1.2.840.113549.1.7.4" => "signedAndEnvelopedData",
        "1.2.840.113549.1.7.5" => "digestedData",
        "1.2.840.113549.1.7.6" => "encryptedData",
        _ => "unknown content type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_table_agrees_with_formatting() {
        for (der, text) in COMMON {
            let oid = Oid::new(std::borrow::Cow::Borrowed(der));
            assert_eq!(oid.to_id_string(), *text);
        }
    }

    #[test]
    fn curves_named_like_openssl() {
        assert_eq!(curve_name("1.3.132.0.34"), Some("secp384r1"));
        assert_eq!(curve_bits("1.2.840.10045.3.1.7"), Some(256));
    }
}

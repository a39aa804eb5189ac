//! The human form of `inspect` and `modulus`.

use std::io::{self, Write};

use crate::report::terminal::Colorize;

use super::{expiry_phrase, field, origin_phrase, verification_phrase, warning};
use crate::model::PublicKey;
use crate::model::certificate::format_utc_opt;
use crate::model::extensions::Extensions;
use crate::report::inspect::{CertificateFacts, CsrFacts, InspectReport, Item};
use crate::report::modulus::{ModulusLine, ModulusOutcome};

pub fn inspect(report: &InspectReport, out: &mut dyn Write) -> io::Result<()> {
    let mut first = true;
    for file in &report.files {
        if file.objects.is_empty() && file.encrypted.is_empty() {
            continue; // unreadable: said on stderr
        }
        if !first {
            writeln!(out)?;
        }
        first = false;
        writeln!(out, "{}", (&file.path).bold())?;
        let several = file.objects.len() > 1;
        for (i, object) in file.objects.iter().enumerate() {
            let number = if several { format!("#{} ", i + 1) } else { String::new() };
            let origin = origin_phrase(&object.origin);
            match &object.item {
                Item::Certificate(facts) => {
                    writeln!(out, "  {number}{} ({origin})", "certificate".cyan().bold())?;
                    certificate(out, 4, facts)?;
                }
                Item::Csr(facts) => {
                    writeln!(out, "  {number}{} ({origin})", "certificate signing request".cyan().bold())?;
                    csr(out, 4, facts)?;
                }
                Item::Pkcs7(certs) => {
                    let n = certs.len();
                    let what = format!("PKCS#7 with {n} certificate{}", if n == 1 { "" } else { "s" });
                    writeln!(out, "  {number}{} ({origin})", what.cyan().bold())?;
                    for (j, facts) in certs.iter().enumerate() {
                        writeln!(out, "    [{}/{n}] {}", j + 1, facts.certificate.display_name().bold())?;
                        certificate(out, 6, facts)?;
                    }
                }
                Item::PrivateKey { public, format } => {
                    writeln!(
                        out,
                        "  {number}{} ({format}, {origin}; only the public half is shown)",
                        "private key".cyan().bold()
                    )?;
                    key_fields(out, 4, public)?;
                }
                Item::PublicKey { public, format } => {
                    writeln!(out, "  {number}{} ({format}, {origin})", "public key".cyan().bold())?;
                    key_fields(out, 4, public)?;
                }
            }
        }
        for (origin, what) in &file.encrypted {
            // its kind and cipher come from the file's own header lines: outside text
            let what = crate::untrusted::escape(what);
            writeln!(out, "  {} ({what}; {})", "encrypted private key".cyan().bold(), origin_phrase(origin))?;
            writeln!(
                out,
                "    not decrypted (ucert never does); 'openssl pkey -in FILE -out plain.key' makes a plain copy to compare"
            )?;
        }
        for w in &file.warnings {
            // the problem quotes the block's label, which is the file's text
            warning(out, 2, &format!("{} (the rest of the file was read)", crate::untrusted::escape(w)))?;
        }
    }
    Ok(())
}

pub(crate) fn key_fields(out: &mut dyn Write, indent: usize, key: &PublicKey) -> io::Result<()> {
    field(out, indent, "public key", key.summary())?;
    if let Some(md5) = key.modulus_md5() {
        field(out, indent, "modulus md5", md5)?;
    }
    field(out, indent, "pubkey md5", key.pubkey_md5())?;
    field(out, indent, "spki sha256", key.spki_sha256())
}

pub(crate) fn certificate(out: &mut dyn Write, indent: usize, facts: &CertificateFacts) -> io::Result<()> {
    let c = &facts.certificate;
    field(out, indent, "subject", c.subject.to_openssl_string())?;
    field(out, indent, "issuer", c.issuer.to_openssl_string())?;
    field(out, indent, "serial", crate::model::digest::hex_colons_lower(&c.serial))?;
    field(out, indent, "not before", format_utc_opt(c.not_before))?;
    let standing = expiry_phrase(facts.validity, &facts.expiry);
    field(out, indent, "not after", format!("{} ({standing})", format_utc_opt(c.not_after)))?;
    key_fields(out, indent, &c.public_key)?;
    field(out, indent, "signature", c.signature_algorithm.described())?;
    field(out, indent, "self-signed", if facts.self_signed { "yes" } else { "no" })?;
    extension_fields(out, indent, &c.extensions)?;
    field(out, indent, "md5", &c.fingerprints().md5)?;
    field(out, indent, "sha1", &c.fingerprints().sha1)?;
    field(out, indent, "sha256", &c.fingerprints().sha256)?;
    for note in &c.notes {
        warning(out, indent, note)?;
    }
    Ok(())
}

pub(crate) fn csr(out: &mut dyn Write, indent: usize, facts: &CsrFacts) -> io::Result<()> {
    let c = &facts.csr;
    field(out, indent, "subject", c.subject.to_openssl_string())?;
    key_fields(out, indent, &c.public_key)?;
    field(
        out,
        indent,
        "signature",
        format!("{}, {}", c.signature_algorithm.described(), verification_phrase(&facts.signature)),
    )?;
    if c.requested_extensions.is_empty() {
        field(out, indent, "requests", "no extensions")?;
    } else {
        extension_fields(out, indent, &c.requested_extensions)?;
    }
    for attr in &c.attributes {
        let value = match (&attr.value, attr.name.as_str()) {
            (_, "challengePassword") => "present (value not shown)".to_string(),
            (Some(v), _) => v.to_string(),
            (None, _) => "(not a string)".to_string(),
        };
        field(out, indent, &attr.name, value)?;
    }
    field(out, indent, "sha256", &c.fingerprints().sha256)?;
    for note in &c.notes {
        warning(out, indent, note)?;
    }
    Ok(())
}

fn extension_fields(out: &mut dyn Write, indent: usize, e: &Extensions) -> io::Result<()> {
    match &e.subject_alt_names {
        None => field(out, indent, "SAN", "none")?,
        Some(entries) if entries.is_empty() => field(out, indent, "SAN", "(empty extension)")?,
        Some(entries) => {
            field(out, indent, "SAN", entries.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))?
        }
    }
    if let Some(ku) = &e.key_usage {
        let critical = if ku.critical { " (critical)" } else { "" };
        field(out, indent, "key usage", format!("{}{critical}", super::list(&ku.usages)))?;
    }
    if let Some(eku) = &e.extended_key_usage {
        let critical = if eku.critical { " (critical)" } else { "" };
        field(out, indent, "ext key usage", format!("{}{critical}", super::list(&eku.purposes)))?;
    }
    if let Some(bc) = &e.basic_constraints {
        let mut text = if bc.ca { "CA:TRUE".to_string() } else { "CA:FALSE".to_string() };
        if let Some(n) = bc.path_len {
            text.push_str(&format!(", pathlen:{n}"));
        }
        if bc.critical {
            text.push_str(" (critical)");
        }
        field(out, indent, "basic constr.", text)?;
    }
    if let Some(id) = &e.subject_key_id {
        field(out, indent, "subject key id", crate::model::digest::hex_colons_upper(&id.0))?;
    }
    if let Some(id) = &e.authority_key_id {
        field(out, indent, "auth. key id", crate::model::digest::hex_colons_upper(&id.0))?;
    }
    let others: Vec<String> = e
        .all
        .iter()
        .filter(|x| {
            !matches!(x.oid.as_ref(), "2.5.29.17" | "2.5.29.15" | "2.5.29.37" | "2.5.29.19" | "2.5.29.14" | "2.5.29.35")
        })
        .map(|x| format!("{}{}", x.name.unwrap_or(&x.oid), if x.critical { " (critical)" } else { "" }))
        .collect();
    if !others.is_empty() {
        field(out, indent, "other ext.", others.join(", "))?;
    }
    Ok(())
}

pub fn modulus(lines: &[ModulusLine], out: &mut dyn Write) -> io::Result<()> {
    for line in lines {
        if let ModulusOutcome::Md5(md5) = &line.outcome {
            writeln!(out, "{md5}  {}", line.label)?;
        }
    }
    Ok(())
}

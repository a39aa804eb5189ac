//! The floor under `ucert pair`, for `benches/pair.sh`: every file under the paths read once and decoded in parallel
//! by ucert's own reader, and each CSR's self-signature verified with ring, as `pair` does. No pairing, no other
//! check, no second read, no report: what `pair` costs above this is what it does beyond reading and verifying.
//!
//! With `--lean`, the floor under any program that checks CSRs in Rust: each file's base64 decoded by hand, parsed
//! by x509-parser alone (no ucert model, nothing owned) and each CSR's signature verified with ring as
//! RSA PKCS#1 SHA-256, which is what the benchmark's set holds; it reads nothing else, so it suits no other set.
//!
//! With `--read`, the floor under any program that reads the files at all: each file opened, read whole and closed
//! (`std::fs::read`), on every core, and nothing else: what the system calls alone cost, which no reader avoids.
//!
//!     cargo run --profile dist --example pair_floor -- [--lean | --read] DIR...

use base64::Engine;
use rayon::prelude::*;
use std::path::Path;
use ucert::analysis::verify::{Verification, csr_self_signature};
use ucert::input::{self, Object, Reading, Source};
use x509_parser::prelude::{FromDer, X509Certificate, X509CertificationRequest};

fn main() {
    let mut read: fn(&Path) -> (usize, usize) = ucert_read;
    let mut files = Vec::new();
    for root in std::env::args_os().skip(1) {
        if root == "--lean" {
            read = lean_read;
            continue;
        }
        if root == "--read" {
            read = read_only;
            continue;
        }
        for entry in walkdir::WalkDir::new(root)
            .sort_by(|a, b| a.path().as_os_str().as_encoded_bytes().cmp(b.path().as_os_str().as_encoded_bytes()))
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    let (objects, verified) = files.par_iter().map(|path| read(path)).reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{objects} objects read, {verified} CSR self-signatures verified");
}

/// The bytes of one file, read and dropped: counted as one object read when there are any, none verified.
fn read_only(path: &Path) -> (usize, usize) {
    (std::fs::read(path).map_or(0, |bytes| usize::from(!bytes.is_empty())), 0)
}

/// Objects read and CSR self-signatures verified in one file, by ucert's reader and model.
fn ucert_read(path: &Path) -> (usize, usize) {
    let Ok(decoded) = input::load(&Source::Path(path.to_path_buf()), Reading::default()) else { return (0, 0) };
    decoded.objects.iter().fold((0, 0), |(n, v), located| match &located.object {
        Object::Csr(csr) => (n + 1, v + usize::from(csr_self_signature(csr) == Verification::Valid)),
        _ => (n + 1, v),
    })
}

/// The same for a file holding one PEM certificate or CSR, with x509-parser and ring alone.
fn lean_read(path: &Path) -> (usize, usize) {
    let Ok(bytes) = std::fs::read(path) else { return (0, 0) };
    let Ok(text) = std::str::from_utf8(&bytes) else { return (0, 0) };
    let mut base64 = String::with_capacity(text.len());
    let mut csr = false;
    for line in text.lines() {
        if line.starts_with("-----") {
            csr |= line.contains("REQUEST");
        } else {
            base64.push_str(line.trim_end());
        }
    }
    let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&base64) else { return (0, 0) };
    if !csr {
        return (usize::from(X509Certificate::from_der(&der).is_ok()), 0);
    }
    let Ok((_, request)) = X509CertificationRequest::from_der(&der) else { return (0, 0) };
    let info = &request.certification_request_info;
    let key = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        &info.subject_pki.subject_public_key.data,
    );
    (1, usize::from(key.verify(info.raw, &request.signature_value.data).is_ok()))
}

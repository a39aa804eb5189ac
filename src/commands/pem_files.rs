//! Writing certificates out as PEM files (`chain --split`, `connect --save`): named in order, never overwriting.
//! Either every file is written or, when one already exists, none is.

use crate::untrusted::Untrusted;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::Certificate;

/// Why files could not be written: the path concerned and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct WriteError {
    pub path: Untrusted,
    pub message: String,
}

/// `01-Example_Root_CA.pem`: the position, then the CN made safe for any file system.
pub fn file_name(position: usize, cert: &Certificate) -> String {
    let safe: String = cert
        .display_name()
        .raw()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let safe = safe.trim_matches(['_', '.']);
    let safe = if safe.is_empty() { "certificate" } else { safe };
    format!("{position:02}-{safe}.pem")
}

/// Writes `certificates` into `dir` (created if missing) as `01-<CN>.pem`, `02-...`, in the order given.
pub fn write_all(dir: &Path, certificates: &[&Certificate]) -> Result<Vec<PathBuf>, WriteError> {
    let err = |path: &Path, message: String| WriteError { path: Untrusted::path(path), message };
    std::fs::create_dir_all(dir).map_err(|e| err(dir, format!("cannot create: {e}")))?;
    let targets: Vec<PathBuf> = certificates.iter().enumerate().map(|(i, c)| dir.join(file_name(i + 1, c))).collect();
    if let Some(existing) = targets.iter().find(|t| t.exists()) {
        return Err(err(
            existing,
            "already exists; nothing was written (ucert never overwrites: remove it or choose another directory)"
                .into(),
        ));
    }
    for (target, cert) in targets.iter().zip(certificates) {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .map_err(|e| err(target, format!("cannot create: {e}")))?;
        file.write_all(cert.to_pem().as_bytes()).map_err(|e| err(target, format!("cannot write: {e}")))?;
    }
    Ok(targets)
}

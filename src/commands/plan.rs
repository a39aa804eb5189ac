//! `ucert plan PATH...`: the renewal runbook of a cluster. Reads the same inputs as `pair` (a folder per node, the
//! CA's files, in any layout), pairs and checks everything, and hands the pairing to [`crate::analysis::plan`].
//! `--trust-store DIR` is a folder of the certificates the cluster's trust stores hold now.

use std::path::{Path, PathBuf};

use super::Problem;
use super::pair::{Gathered, gather};
use crate::analysis::pairing;
use crate::analysis::plan::{self, Options};
use crate::cucm::Purpose;
use crate::input::Reading;
use crate::report::plan::PlanReport;

pub fn plan(
    paths: &[PathBuf],
    trust_store: Option<&Path>,
    purpose: Option<Purpose>,
    options: Options,
    reading: Reading,
) -> Result<PlanReport, Problem> {
    let Gathered { inventory, unreadable, warnings, unknown, skipped, files } = gather(paths, reading)?;
    let store: Vec<crate::model::Certificate> = match trust_store {
        Some(dir) => {
            let found = gather(&[dir.to_path_buf()], reading)?.inventory.certificates;
            let reread = super::pair::rereader(reading);
            found.iter().filter_map(|f| pairing::reread_certificate(f, &*reread).ok()).collect()
        }
        None => Vec::new(),
    };
    let at = options.at;
    let pairing = pairing::pair(inventory, purpose, at, super::pair::rereader(reading));
    let plan = plan::plan(&pairing, &store, &options);
    Ok(PlanReport { plan, files, unreadable, warnings, unknown, skipped, store_certificates: store.len(), at })
}

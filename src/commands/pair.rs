//! `ucert pair PATH...`: walks files and directories, reads every file once in parallel, and pairs what it finds.
//! Unreadable and unknown files are listed, never fatal; a progress bar appears on stderr only when stderr is a
//! terminal and the work takes more than about a second.

use super::Problem;
use crate::untrusted::Untrusted;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use time::OffsetDateTime;

use crate::analysis::expiry::Thresholds;
use crate::analysis::pairing::{
    self, FiledCertificate, FiledCsr, Found, Inventory, Locator, LooseKey, Place, Reparsed, Reread,
};
use crate::cucm::Purpose;
use crate::input::{self, InputError, Object, Reading, Source};
use crate::report::pair::{PairReport, Skipped};

/// What pairing keeps of one object of a file.
enum Filed {
    Csr(FiledCsr),
    Certificate(FiledCertificate),
    /// The certificates of a PKCS#7.
    Certificates(Vec<FiledCertificate>),
    Key(LooseKey),
}

enum Scanned {
    /// Each object, its position when the file holds several, where it is in the file (or in the ZIP archive's
    /// entry that holds it, and which), and the name of that entry; and what to know about the file beside them (a
    /// damaged block left out, a block openssl does not read as it stands).
    Objects(Vec<(Filed, Option<usize>, Locator, Option<Untrusted>)>, Option<String>),
    Unreadable(String),
    Unknown(String),
}

pub fn pair(
    paths: &[PathBuf],
    purpose: Option<Purpose>,
    at: OffsetDateTime,
    thresholds: Thresholds,
    reading: Reading,
) -> Result<PairReport, Problem> {
    let Gathered { inventory, unreadable, warnings, unknown, skipped, files } = gather(paths, reading)?;
    let pairing = pairing::pair(inventory, purpose, at, rereader(reading));
    Ok(PairReport { pairing, unreadable, warnings, unknown, skipped, files, at, thresholds })
}

/// Everything found under some paths, before pairing, and the files that gave nothing.
pub(crate) struct Gathered {
    pub inventory: Inventory,
    pub unreadable: Vec<Skipped>,
    /// Files read, with something to know beside what was found (see [`input::Decoded::warning`]).
    pub warnings: Vec<Skipped>,
    pub unknown: Vec<Skipped>,
    pub skipped: Vec<Skipped>,
    /// How many files were read.
    pub files: usize,
}

/// Reads every file under `paths` once, in parallel, into an inventory of CSRs, certificates and keys.
pub(crate) fn gather(paths: &[PathBuf], reading: Reading) -> Result<Gathered, Problem> {
    let (files, skipped) = super::walk::files_under(paths)?;
    let progress = Progress::start(files.len() as u64);
    let total = files.len();
    // each file read, and what it holds placed, on every core; only the lists are put together here
    let found: Vec<FromFile> = files
        .into_par_iter()
        .map(|path| {
            let scanned = scan(&path, reading);
            progress.tick();
            FromFile::place(path, scanned)
        })
        .collect();
    progress.finish();
    let mut inventory = Inventory::default();
    // sized once: growing by doubling would hold two copies at the peak
    inventory.csrs.reserve_exact(found.iter().map(|f| f.inventory.csrs.len()).sum());
    inventory.certificates.reserve_exact(found.iter().map(|f| f.inventory.certificates.len()).sum());
    let mut unreadable = Vec::new();
    let mut warnings = Vec::new();
    let mut unknown = Vec::new();
    for file in found {
        inventory.csrs.extend(file.inventory.csrs);
        inventory.certificates.extend(file.inventory.certificates);
        inventory.keys.extend(file.inventory.keys);
        match file.said {
            Some(Said::Unreadable(s)) => unreadable.push(s),
            Some(Said::Unknown(s)) => unknown.push(s),
            Some(Said::Warning(s)) => warnings.push(s),
            None => {}
        }
    }
    Ok(Gathered { inventory, unreadable, warnings, unknown, skipped, files: total })
}

/// What one file gave: its objects, each with its place, and what to say of the file.
struct FromFile {
    inventory: Inventory,
    said: Option<Said>,
}

enum Said {
    Unreadable(Skipped),
    Unknown(Skipped),
    Warning(Skipped),
}

impl FromFile {
    fn place(path: PathBuf, scanned: Scanned) -> FromFile {
        let mut inventory = Inventory::default();
        let shown = Untrusted::path(&path);
        let (objects, warning) = match scanned {
            Scanned::Unreadable(reason) => {
                return FromFile { inventory, said: Some(Said::Unreadable(Skipped { path: shown, reason })) };
            }
            Scanned::Unknown(reason) => {
                return FromFile { inventory, said: Some(Said::Unknown(Skipped { path: shown, reason })) };
            }
            Scanned::Objects(objects, warning) => (objects, warning),
        };
        let said = warning.map(|reason| Said::Warning(Skipped { path: shown.clone(), reason }));
        // sized exactly: the lists of 40,000 files live until they are put together
        let count = |f: fn(&Filed) -> usize| objects.iter().map(|(filed, ..)| f(filed)).sum::<usize>();
        inventory.csrs.reserve_exact(count(|f| matches!(f, Filed::Csr(_)) as usize));
        inventory.certificates.reserve_exact(count(|f| match f {
            Filed::Certificate(_) => 1,
            Filed::Certificates(list) => list.len(),
            _ => 0,
        }));
        inventory.keys.reserve_exact(count(|f| matches!(f, Filed::Key(_)) as usize));
        let file: Arc<Path> = Arc::from(path);
        for (filed, position, locator, member) in objects {
            let place = |position, inner| Place {
                path: shown.clone(),
                position,
                file: file.clone(),
                locator: Locator { inner, ..locator },
                member: member.clone(),
            };
            match filed {
                Filed::Csr(c) => inventory.csrs.push(Found { item: c, place: place(position, None) }),
                Filed::Certificate(c) => inventory.certificates.push(Found { item: c, place: place(position, None) }),
                Filed::Certificates(list) => {
                    let base = position.unwrap_or(0);
                    let several = list.len() > 1 || position.is_some();
                    for (k, c) in (0u32..).zip(list) {
                        let at = place(several.then_some(base + k as usize + 1), Some(k));
                        inventory.certificates.push(Found { item: c, place: at });
                    }
                }
                Filed::Key(key) => inventory.keys.push(Found { item: key, place: place(position, None) }),
            }
        }
        FromFile { inventory, said }
    }
}

fn scan(path: &Path, reading: Reading) -> Scanned {
    let decoded = match input::load_listed(path, reading) {
        Ok(d) => d,
        Err(
            e @ (InputError::PermissionDenied
            | InputError::Io(_)
            | InputError::TooLarge
            | InputError::NotFound
            | InputError::Timeout(_)),
        ) => {
            return Scanned::Unreadable(e.to_string());
        }
        Err(e) => return Scanned::Unknown(e.to_string()),
    };
    if decoded.objects.is_empty() {
        return Scanned::Unknown(decoded.why_nothing());
    }
    let several = decoded.objects.len() > 1;
    let warning = decoded.warning();
    // each object reduced here, on the thread that parsed it: the parsed whole never outlives its file
    let filed = |object: Object| match object {
        Object::Csr(c) => Filed::Csr(FiledCsr::new(&c)),
        Object::Certificate(c) => Filed::Certificate(FiledCertificate::new(&c)),
        Object::Pkcs7(list) => Filed::Certificates(list.iter().map(FiledCertificate::new).collect()),
        Object::PrivateKey { public, .. } => Filed::Key(LooseKey { key: public, private: true }),
        Object::PublicKey { public, .. } => Filed::Key(LooseKey { key: public, private: false }),
    };
    // inside a ZIP archive, how many objects each file there holds: an object's position is counted in its file
    let mut per_entry: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    for entry in decoded.objects.iter().filter_map(|l| l.origin.member_entry()) {
        *per_entry.entry(entry).or_insert(0) += 1;
    }
    // and each object's index among those of its entry (the entry is what is read again)
    let mut in_entry: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    let mut locate = |i: u32, origin: &crate::model::Origin| match origin.member_entry() {
        Some(entry) => {
            let n = in_entry.entry(entry).or_insert(0);
            *n += 1;
            Locator { object: *n - 1, inner: None, entry: Some(entry) }
        }
        None => Locator { object: i, inner: None, entry: None },
    };
    Scanned::Objects(
        (0u32..)
            .zip(decoded.objects)
            .map(|(i, l)| {
                let locator = locate(i, &l.origin);
                let position = match locator.entry {
                    Some(entry) => {
                        (per_entry.get(&entry).copied().unwrap_or(0) > 1).then_some(locator.object as usize + 1)
                    }
                    None => several.then_some(i as usize + 1),
                };
                (filed(l.object), position, locator, l.origin.member().cloned())
            })
            .collect(),
        warning,
    )
}

/// How pairing reads an object again (see [`pairing::Reread`]): the file decoded again, the object at its place.
pub(crate) fn rereader(reading: Reading) -> Box<Reread> {
    Box::new(move |place: &Place| {
        let source = Source::Path(place.file.to_path_buf());
        let decoded = match place.locator.entry {
            Some(entry) => input::load_entry(&source, reading, entry),
            None => input::load(&source, reading),
        }
        .map_err(|e| e.to_string())?;
        let object = decoded.objects.into_iter().nth(place.locator.object as usize).map(|l| l.object);
        Ok(match (object, place.locator.inner) {
            (Some(Object::Csr(c)), None) => Reparsed::Csr(c),
            (Some(Object::Certificate(c)), None) => Reparsed::Certificate(c),
            (Some(Object::Pkcs7(list)), Some(k)) => {
                list.into_iter().nth(k as usize).map_or(Reparsed::Other, |c| Reparsed::Certificate(Box::new(c)))
            }
            _ => Reparsed::Other,
        })
    })
}

/// A progress bar that draws nothing unless stderr is a terminal and a second has passed.
struct Progress {
    bar: ProgressBar,
    done: Arc<AtomicBool>,
}

impl Progress {
    fn start(total: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let done = Arc::new(AtomicBool::new(false));
        if std::io::stderr().is_terminal() {
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
                bar.set_style(style);
            }
            let (bar2, done2) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(1));
                if !done2.load(Ordering::SeqCst) {
                    bar2.set_draw_target(ProgressDrawTarget::stderr());
                }
            });
        }
        Progress { bar, done }
    }

    fn tick(&self) {
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.bar.finish_and_clear();
    }
}

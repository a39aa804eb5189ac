//! `ucert pair PATH...`: walks files and directories, reads every file once in parallel, and pairs what it finds.
//! Unreadable and unknown files are listed, never fatal; a progress bar appears on stderr only when stderr is a
//! terminal and the work takes more than about a second.

use super::{Problem, ProblemKind};
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

/// The most files one run reads: a cluster's certificates are hundreds, a mistaken `pair /` millions.
pub const MAX_FILES: usize = 200_000;

/// What pairing keeps of one object of a file.
enum Filed {
    Csr(FiledCsr),
    Certificate(FiledCertificate),
    /// The certificates of a PKCS#7.
    Certificates(Vec<FiledCertificate>),
    Key(LooseKey),
}

enum Scanned {
    /// Each object, its position when the file holds several, and where it is in the file; and what to know about
    /// the file beside them (a damaged block left out, a block openssl does not read as it stands).
    Objects(Vec<(Filed, Option<usize>, u32)>, Option<String>),
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
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut over_cap = 0;
    for root in paths {
        collect(root, &mut files, &mut skipped, &mut over_cap)?;
    }
    if over_cap > 0 {
        // first, so that the text (which lists the first few) shows it
        skipped.insert(
            0,
            Skipped {
                path: Untrusted::new(format!("{over_cap} more files")),
                reason: format!("not read: ucert pairs at most {MAX_FILES} files in one run"),
            },
        );
    }
    let progress = Progress::start(files.len() as u64);
    let scans: Vec<(PathBuf, Scanned)> = files
        .into_par_iter()
        .map(|path| {
            let scanned = scan(&path, reading);
            progress.tick();
            (path, scanned)
        })
        .collect();
    progress.finish();
    let mut inventory = Inventory::default();
    // sized once: growing by doubling would hold two copies at the peak
    let (mut csrs, mut certificates) = (0, 0);
    for (_, scanned) in &scans {
        if let Scanned::Objects(objects, _) = scanned {
            for (object, ..) in objects {
                match object {
                    Filed::Csr(_) => csrs += 1,
                    Filed::Certificate(_) => certificates += 1,
                    Filed::Certificates(list) => certificates += list.len(),
                    Filed::Key(_) => {}
                }
            }
        }
    }
    inventory.csrs.reserve_exact(csrs);
    inventory.certificates.reserve_exact(certificates);
    let mut unreadable = Vec::new();
    let mut warnings = Vec::new();
    let mut unknown = Vec::new();
    let total = scans.len();
    for (path, scanned) in scans {
        let shown = Untrusted::path(&path);
        match scanned {
            Scanned::Unreadable(reason) => unreadable.push(Skipped { path: shown, reason }),
            Scanned::Unknown(reason) => unknown.push(Skipped { path: shown, reason }),
            Scanned::Objects(objects, warning) => {
                if let Some(reason) = warning {
                    warnings.push(Skipped { path: shown.clone(), reason });
                }
                let file: Arc<Path> = Arc::from(path);
                let place = |position, object, inner| Place {
                    path: shown.clone(),
                    position,
                    file: file.clone(),
                    locator: Locator { object, inner },
                };
                for (filed, position, object) in objects {
                    match filed {
                        Filed::Csr(c) => inventory.csrs.push(Found { item: c, place: place(position, object, None) }),
                        Filed::Certificate(c) => {
                            inventory.certificates.push(Found { item: c, place: place(position, object, None) })
                        }
                        Filed::Certificates(list) => {
                            let base = position.unwrap_or(0);
                            let several = list.len() > 1 || position.is_some();
                            for (k, c) in (0u32..).zip(list) {
                                let at = place(several.then_some(base + k as usize + 1), object, Some(k));
                                inventory.certificates.push(Found { item: c, place: at });
                            }
                        }
                        Filed::Key(key) => {
                            inventory.keys.push(Found { item: key, place: place(position, object, None) })
                        }
                    }
                }
            }
        }
    }
    Ok(Gathered { inventory, unreadable, warnings, unknown, skipped, files: total })
}

/// Regular files under `root` (or `root` itself), in a stable order. Symbolic links are followed only when they
/// stay inside the tree being walked (then the file is read once, through its real path).
fn collect(
    root: &Path,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
    over_cap: &mut usize,
) -> Result<(), Problem> {
    let meta = std::fs::metadata(root).map_err(|e| {
        let (kind, message) = match e.kind() {
            std::io::ErrorKind::NotFound => (ProblemKind::NotFound, "no such file or directory".to_string()),
            std::io::ErrorKind::PermissionDenied => (ProblemKind::PermissionDenied, "permission denied".to_string()),
            _ => (ProblemKind::Unreadable, e.to_string()),
        };
        Problem { path: Untrusted::path(root), kind, message }
    })?;
    if meta.is_file() {
        files.push(root.to_path_buf());
        return Ok(());
    }
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Where an entry really is (the walk follows no links, so the canonical root plus the relative part).
    let real = |p: &Path| canonical_root.join(p.strip_prefix(root).unwrap_or(p));
    let mut kernel_dirs = Vec::new();
    let walk = walkdir::WalkDir::new(root).follow_links(false).sort_by(by_name).into_iter().filter_entry(|e| {
        let kernel = e.file_type().is_dir() && input::is_kernel_interface(&real(e.path()));
        if kernel {
            kernel_dirs.push(Untrusted::path(e.path()));
        }
        !kernel
    });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = Untrusted::path(e.path().unwrap_or(root));
                skipped.push(Skipped {
                    path,
                    reason: format!("cannot be listed: {}", e.io_error().map(|io| io.to_string()).unwrap_or_default()),
                });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        // the name as shown, made only for what is skipped (the regular files are the tens of thousands)
        let shown = || Untrusted::path(entry.path());
        if ft.is_symlink() {
            let shown = shown();
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&canonical_root) => skipped.push(Skipped {
                    path: shown,
                    reason: format!("symbolic link to {} (read there)", Untrusted::path(&target)),
                }),
                Ok(target) => skipped.push(Skipped {
                    path: shown,
                    reason: format!("symbolic link out of the tree, to {}: not followed", Untrusted::path(&target)),
                }),
                Err(_) => skipped.push(Skipped { path: shown, reason: "dangling symbolic link".into() }),
            }
            continue;
        }
        if ft.is_file() && files.len() >= MAX_FILES {
            *over_cap += 1;
        } else if ft.is_file() {
            files.push(entry.into_path());
        } else {
            skipped.push(Skipped { path: shown(), reason: "not a regular file (a pipe, socket or device)".into() });
        }
    }
    skipped.extend(
        kernel_dirs
            .into_iter()
            .map(|path| Skipped { path, reason: "a kernel interface (/proc, /sys), not files: not read".into() }),
    );
    Ok(())
}

/// The order of the walk: entries of one directory by file name, byte by byte (as `sort_by_file_name` does). Siblings'
/// paths are their parent's path joined with their names, so comparing whole paths gives that order, without
/// finding each name again in its path at every comparison (which was more than half the walk's time in two folders
/// of 20,000 files).
fn by_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    a.path().as_os_str().as_encoded_bytes().cmp(b.path().as_os_str().as_encoded_bytes())
}

fn scan(path: &Path, reading: Reading) -> Scanned {
    let decoded = match input::load(&Source::Path(path.to_path_buf()), reading) {
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
    Scanned::Objects(
        (0u32..).zip(decoded.objects).map(|(i, l)| (filed(l.object), several.then_some(i as usize + 1), i)).collect(),
        warning,
    )
}

/// How pairing reads an object again (see [`pairing::Reread`]): the file decoded again, the object at its place.
pub(crate) fn rereader(reading: Reading) -> Box<Reread> {
    Box::new(move |place: &Place| {
        let decoded = input::load(&Source::Path(place.file.to_path_buf()), reading).map_err(|e| e.to_string())?;
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

#[cfg(test)]
mod tests {
    use super::by_name;

    /// Names that sort differently by bytes, by case, by length, with dots and dashes, non-ASCII, and a directory
    /// among them: the walk's order is `sort_by_file_name`'s. (No two names differ in case only, and none ends in a
    /// dot: Windows would take them for one.)
    #[test]
    fn the_walk_is_in_file_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b", "a-b", "ab", "B0", "é", "a.b", "Z9", "a0", "a"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("a.c")).unwrap();
        std::fs::write(dir.path().join("a.c").join("c"), "x").unwrap();
        let walk = |w: walkdir::WalkDir| -> Vec<_> { w.into_iter().map(|e| e.unwrap().into_path()).collect() };
        let ours = walk(walkdir::WalkDir::new(dir.path()).sort_by(by_name));
        assert_eq!(ours, walk(walkdir::WalkDir::new(dir.path()).sort_by_file_name()));
        assert_eq!(ours.len(), 12);
    }
}

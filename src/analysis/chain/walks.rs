//! The walks up from every certificate that issued none of the others, and the upload plan they give: CA
//! certificates root first, then the leaves, each certificate once.

use std::collections::HashSet;

use super::issuers::{Pool, Up};
use super::purpose::looks_like_ca;
use super::{Role, Step};

/// How a walk up from a certificate ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Root,
    Missing,
    Loop,
}

/// Where a walk ends: the certificate at its top, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Top {
    pub(super) index: usize,
    pub(super) end: End,
    /// The top is the walk's start itself (a certificate alone, not the end of a chain).
    pub(super) is_start: bool,
}

/// One walk: from `start` up through `part` (the certificates no earlier walk went through) to `top`.
struct Walk {
    start: usize,
    part: Vec<usize>,
    top: usize,
    end: End,
}

/// The walks up from every certificate that issued none of the others, each certificate's way up computed once.
pub(super) struct Walks {
    /// The upload plan: every walk reversed (root first), CAs before leaves, each certificate once.
    pub(super) plan: Vec<Step>,
    /// Starts whose walk is that certificate alone, when real chains exist beside it.
    pub(super) unrelated: Vec<usize>,
    /// Where the walks end, once per top certificate.
    pub(super) tops: Vec<Top>,
    /// The way up of every certificate walked through.
    pub(super) ups: Vec<(usize, Up)>,
    /// The way up of every certificate.
    pub(super) all: Vec<Up>,
}

impl Walks {
    pub(super) fn build(pool: &Pool<'_>) -> Walks {
        let up: Vec<Up> = pool.all_ups();
        let starts = starts(pool, &up);
        let (walks, ups) = walk_all(&starts, &up);
        let single = |start: usize| matches!(up[start], Up::Root | Up::Missing);
        let any_chain = starts.iter().any(|&s| !single(s));
        let unrelated: Vec<usize> =
            if any_chain { starts.iter().copied().filter(|&s| single(s)).collect() } else { Vec::new() };
        let unrelated_set: HashSet<usize> = unrelated.iter().copied().collect();
        let mut planned = vec![false; up.len()];
        let (mut cas, mut leaves) = (Vec::new(), Vec::new());
        let mut tops: Vec<Top> = Vec::new();
        let mut top_seen = HashSet::new();
        for walk in walks.iter().filter(|w| !unrelated_set.contains(&w.start)) {
            if top_seen.insert(walk.top) {
                tops.push(Top { index: walk.top, end: walk.end, is_start: walk.top == walk.start });
            }
            for (pos, &index) in walk.part.iter().enumerate().rev() {
                if std::mem::replace(&mut planned[index], true) {
                    continue;
                }
                let step = step(pool, &up[index], index, pos, single(walk.start));
                if step.role == Role::Leaf { leaves.push(step) } else { cas.push(step) }
            }
        }
        cas.extend(leaves);
        Walks { plan: cas, unrelated, tops, ups, all: up }
    }
}

/// Where the walks start: every certificate that issued none of the others. When every one could have issued
/// another (same-named CA certificates without key identifiers, or a loop): the self-signed ones, or the first.
fn starts(pool: &Pool<'_>, up: &[Up]) -> Vec<usize> {
    let n = up.len();
    let issues_another = pool.issuers();
    let mut starts: Vec<usize> = (0..n).filter(|&j| !issues_another[j]).collect();
    if starts.is_empty() && n > 0 {
        starts = (0..n).filter(|&i| up[i] == Up::Root).collect();
        if starts.is_empty() {
            starts.push(0);
        }
    }
    starts
}

/// Every walk, in the order of `starts`; a walk stops where an earlier one already went and takes its top.
fn walk_all(starts: &[usize], up: &[Up]) -> (Vec<Walk>, Vec<(usize, Up)>) {
    // the top of the walk through each certificate and how it ends, once known
    let mut top: Vec<Option<(usize, End)>> = vec![None; up.len()];
    let mut ups = Vec::new();
    let mut walks = Vec::new();
    for &start in starts {
        let mut part = vec![start];
        let mut on_walk = HashSet::from([start]);
        let mut current = start;
        let (top_index, end) = loop {
            if let Some(known) = top[current].filter(|_| current != start) {
                part.pop(); // already placed by an earlier walk
                break known;
            }
            ups.push((current, up[current].clone()));
            match up[current] {
                Up::Root => break (current, End::Root),
                Up::Missing => break (current, End::Missing),
                Up::Issuer { issuer, .. } if !on_walk.insert(issuer) => break (current, End::Loop),
                Up::Issuer { issuer, .. } => {
                    current = issuer;
                    part.push(issuer);
                }
            }
        };
        for &i in &part {
            top[i] = Some((top_index, end));
        }
        walks.push(Walk { start, part, top: top_index, end });
    }
    (walks, ups)
}

/// The step of the certificate at `index`, `pos` certificates above its walk's start: a root when self-signed
/// above a start (or looking like a CA, or alone), an intermediate when above a start or looking like a CA, else a
/// leaf.
fn step(pool: &Pool<'_>, up: &Up, index: usize, pos: usize, alone: bool) -> Step {
    let cert = pool.certificate(index);
    let link = up.link(index);
    let self_signed = link.issuer == Some(index);
    let role = if self_signed && (pos > 0 || looks_like_ca(cert) || alone) {
        Role::Root
    } else if pos > 0 || looks_like_ca(cert) {
        Role::Intermediate
    } else {
        Role::Leaf
    };
    Step {
        index,
        role,
        issuer: link.issuer.filter(|&i| i != index),
        signature: if self_signed { None } else { link.signature },
    }
}

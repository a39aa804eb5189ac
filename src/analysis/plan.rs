//! The renewal runbook of a cluster: the pairing of its CSRs and the CA's answers, turned into maintenance windows
//! in a safe order (one per family of purposes, CallManager before TVS), each a list of steps from Cisco's
//! regeneration guides ([`crate::cucm::renewal`]): cautions, trust uploads, certificate uploads node by node, the
//! CTL, the restarts, the phone reset and the wait for re-registration, the check of what is served. Every upload
//! is checked first; a step that would fail is a blocker, and nothing after it in its window is planned.

use std::collections::{BTreeMap, HashSet};

use time::OffsetDateTime;

use super::chain::{Pool, Up};
use super::pairing::{CsrEntry, Orphan, Pairing};
use super::trust_store::{self, Outcome};
use crate::cucm::KeyType;
use crate::cucm::renewal::{self, Family, Renewal, Where};
use crate::cucm::{self, Purpose};
use crate::model::Certificate;
use crate::model::certificate::ValidityStatus;
use crate::untrusted::Untrusted;

/// The cluster security mode (Enterprise Parameters > Cluster Security Mode), when the user says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecurityMode {
    Mixed,
    NonSecure,
    Unknown,
}

/// What the user tells `plan` about the cluster.
#[derive(Clone, Debug)]
pub struct Options {
    pub security: SecurityMode,
    /// `--sso`: SAML SSO is enabled (without it, unknown: the SSO steps are conditional).
    pub sso: bool,
    /// `--publisher NODE`: the publisher's name (a node's CN or host name).
    pub publisher: Option<String>,
    pub at: OffsetDateTime,
}

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Something to make sure of before the window (SSO, no backup, the previous window).
    Before,
    UploadTrust,
    /// A trust certificate of the same CN that CUCM would keep instead of the new one: delete it first.
    DeleteTrust,
    UploadCertificate,
    UpdateCtl,
    Restart,
    ResetPhones,
    WaitForRegistration,
    /// Check what the node serves.
    Verify,
    /// Something to undo after the window (SSO).
    After,
    /// A step that would fail: its reason and what to do; nothing after it in the window is planned.
    Blocked,
}

/// One step of a window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// What to do, in words (names and paths in it are escaped).
    pub text: String,
    pub node: Option<Untrusted>,
    pub purpose: Option<Purpose>,
    pub file: Option<Untrusted>,
    /// The command to type, if any (CLI or ucert).
    pub command: Option<String>,
    /// The step applies only if this holds ("the cluster is in mixed mode").
    pub condition: Option<String>,
    /// The certificate the step uploads (its index in the pairing): what tells two certificates of one file apart.
    pub certificate: Option<usize>,
}

impl Step {
    fn new(kind: StepKind, text: impl Into<String>) -> Step {
        Step {
            kind,
            text: text.into(),
            node: None,
            purpose: None,
            file: None,
            command: None,
            condition: None,
            certificate: None,
        }
    }
    fn certificate(mut self, index: usize) -> Step {
        self.certificate = Some(index);
        self
    }
    fn node(mut self, node: &Untrusted) -> Step {
        self.node = Some(node.clone());
        self
    }
    fn purpose(mut self, p: Purpose) -> Step {
        self.purpose = Some(p);
        self
    }
    fn file(mut self, f: &Untrusted) -> Step {
        self.file = Some(f.clone());
        self
    }
    fn command(mut self, c: impl Into<String>) -> Step {
        self.command = Some(c.into());
        self
    }
    fn condition(mut self, c: impl Into<String>) -> Step {
        self.condition = Some(c.into());
        self
    }
}

/// A maintenance window: one family of purposes.
#[derive(Clone, Debug)]
pub struct Window {
    pub family: Family,
    pub purposes: Vec<Purpose>,
    pub nodes: &'static str,
    pub impact: &'static str,
    pub steps: Vec<Step>,
}

impl Window {
    pub fn blocked(&self) -> bool {
        self.steps.iter().any(|s| s.kind == StepKind::Blocked)
    }
}

/// How the publisher was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublisherSource {
    Flag,
    /// The node that holds the CAPF CSR (CAPF runs on the publisher only).
    CapfCsr,
    Unknown,
}

/// The runbook.
#[derive(Clone, Debug)]
pub struct Plan {
    pub windows: Vec<Window>,
    /// Said once each: the guides' cautions that apply to these files.
    pub warnings: Vec<String>,
    /// Certificates and CSRs no window takes (no purpose known, no CSR at all).
    pub unplaced: Vec<Step>,
    pub publisher: Option<Untrusted>,
    pub publisher_source: PublisherSource,
    pub nodes: Vec<Untrusted>,
    pub security: SecurityMode,
    pub sso: bool,
}

impl Plan {
    /// Every step can be done: nothing blocks.
    pub fn clear(&self) -> bool {
        !self.windows.iter().any(Window::blocked) && self.unplaced.is_empty()
    }
}

/// A CSR with what belongs to it, as the plan sees it.
struct Leaf<'a> {
    node: Untrusted,
    entry: &'a CsrEntry,
}

/// Builds the runbook from the pairing. `store` is the cluster's current trust store, when given: certificates
/// already in it are not uploaded again, and CUCM's one-per-CN rule is applied to the others.
pub fn plan(pairing: &Pairing, store: &[Certificate], options: &Options) -> Plan {
    let names = node_names(pairing);
    let node_of = |c: usize| names[c].clone();
    let mut nodes: Vec<Untrusted> = Vec::new();
    for e in &pairing.entries {
        let n = node_of(e.csr);
        if !nodes.contains(&n) {
            nodes.push(n);
        }
    }
    let mut warnings = Vec::new();
    let (publisher, publisher_source) = find_publisher(pairing, &names, &nodes, options, &mut warnings);
    nodes.sort_by_key(|n| (Some(n) != publisher.as_ref(), n.raw().to_ascii_lowercase()));
    let order = |n: &Untrusted| nodes.iter().position(|m| m == n).unwrap_or(usize::MAX);
    // the CA certificates at hand and every leaf, in one pool, for the issuers of each leaf
    // (read again from their files: a cluster's few dozen certificates)
    let mut pool: Vec<Certificate> =
        pairing.ca_certificates.iter().filter_map(|&i| pairing.certificate(i).ok()).collect();
    let ca_count = pool.len();
    let mut leaf_index = BTreeMap::new();
    for e in &pairing.entries {
        for p in &e.certificates {
            if let Ok(leaf) = pairing.certificate(p.certificate) {
                leaf_index.insert(p.certificate, pool.len());
                pool.push(leaf);
            }
        }
    }
    let issuers = Pool::new(&pool);
    let ctx = Context {
        pairing,
        options,
        issuers: &issuers,
        pool: &pool,
        ca_count,
        leaf_index,
        store,
        publisher: publisher.clone(),
        names: &names,
    };
    let mut families: BTreeMap<Family, Vec<Leaf<'_>>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for e in &pairing.entries {
        match e.purpose {
            Some(p) => families.entry(Family::of(p)).or_default().push(Leaf { node: node_of(e.csr), entry: e }),
            None => unplaced.push(
                Step::new(
                    StepKind::Blocked,
                    format!(
                        "{}: the purpose of this CSR is unknown: name the file after its purpose (tomcat.csr) or give --purpose",
                        pairing.csrs[e.csr].place
                    ),
                )
                .node(&node_of(e.csr))
                .file(&pairing.csrs[e.csr].place.path),
            ),
        }
    }
    for leaves in families.values_mut() {
        leaves.sort_by_key(|l| (order(&l.node), l.entry.purpose.map(|p| p.name())));
    }
    let mut windows = Vec::new();
    for family in Family::ORDER {
        let Some(leaves) = families.get(&family) else { continue };
        let orphans: Vec<&Orphan> =
            pairing.orphans.iter().filter(|o| o.purpose.is_some_and(|p| Family::of(p) == family)).collect();
        match family.renewal() {
            Some(renewal) => windows.push(ctx.window(renewal, leaves, &orphans, &windows, &mut warnings)),
            None => unplaced.push(Step::new(
                StepKind::Blocked,
                format!(
                    "{}: Cisco's regeneration guides give no procedure for a CA-signed {} certificate: not planned",
                    leaves.iter().map(|l| l.node.to_string()).collect::<Vec<_>>().join(", "),
                    family.title(&[Purpose::ItlRecovery])
                ),
            )),
        }
    }
    // certificates without any CSR here, of a purpose no window has
    for o in pairing.orphans.iter().filter(|o| o.purpose.is_none_or(|p| !families.contains_key(&Family::of(p)))) {
        unplaced.push(orphan_step(pairing, o));
    }
    warnings.extend(ctx.ca_key_warnings(&windows));
    Plan {
        windows,
        warnings,
        unplaced,
        publisher,
        publisher_source,
        nodes,
        security: options.security,
        sso: options.sso,
    }
}

/// A node's name: the CN of its CSR, which CUCM makes the host's FQDN; a multi-server CSR's CN is the host's name
/// with `-ms` added to its first label (`cucm-pub-ms.example.com`), and names the node it was made on without it.
fn node_name(common_name: Option<&Untrusted>) -> Untrusted {
    let Some(cn) = common_name else { return Untrusted::new("(no CN)") };
    let (first, rest) = cn.raw().split_once('.').map_or((cn.raw(), None), |(f, r)| (f, Some(r)));
    match (first.strip_suffix("-ms"), rest) {
        (Some(host), Some(rest)) if !host.is_empty() => Untrusted::new(format!("{host}.{rest}")),
        (Some(host), None) if !host.is_empty() => Untrusted::new(host),
        _ => cn.clone(),
    }
}

/// What an upload step adds for a certificate that shares its file (a bundle, a `.p7b`, a ZIP archive): CUCM takes
/// a file holding one certificate, so it is written to a file of its own first, and the step says how.
fn extract_first(place: &super::pairing::Place) -> String {
    match (place.position, &place.member) {
        (None, None) => String::new(),
        (None, Some(_)) => "; first extract it from the ZIP archive".into(),
        (Some(_), _) => {
            // (the command ends the text: no quotes around it, which would nest with a quoted path)
            format!("; first write it to a file of its own: ucert chain {} --split DIR", shell_word(place.path.raw()))
        }
    }
}

/// The XMPP domain a cup-xmpp certificate was made for, to open the check's stream to: the one DNS name among its
/// SANs that `node`'s name lies in (`example.com` for `cucm-imp.example.com`), as IM and Presence puts its domain
/// beside the node's name. None when no name, or more than one, is such a parent: the check then opens the stream
/// to the node's name, and `connect` says to give `--xmpp-domain` if the server does not serve it.
fn xmpp_domain(certificate: &Certificate, node: &str) -> Option<String> {
    let node = node.trim_end_matches('.').to_ascii_lowercase();
    let sans = certificate.extensions.subject_alt_names.as_deref().unwrap_or_default();
    let mut parents = sans.iter().filter_map(|san| match san {
        crate::model::extensions::SanEntry::Dns(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            let parent = name.contains('.') && node.strip_suffix(name.as_str()).is_some_and(|head| head.ends_with('.'));
            parent.then_some(name)
        }
        _ => None,
    });
    let first = parents.next()?;
    parents.all(|other| other == first).then_some(first)
}

/// A word as the user's shell reads it back whole: quoted when it holds spaces or special characters. On Windows
/// that is PowerShell (and cmd.exe for words without quotes): single quotes, a quote inside doubled, backslashes as
/// they are; elsewhere a POSIX shell's quoting.
fn shell_word(word: &str) -> String {
    if cfg!(windows) {
        let plain = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || "-_.,:/\\@+=".contains(c));
        return if plain { word.to_string() } else { format!("'{}'", word.replace('\'', "''")) };
    }
    match shlex::try_quote(word) {
        Ok(quoted) => quoted.into_owned(),
        // a NUL cannot be passed on a command line at all: show it escaped
        Err(_) => Untrusted::new(word).to_string(),
    }
}

/// Whether a CN names no host: CUCM's CAPF CSR has `CN=CAPF-` and eight hex digits.
fn names_no_host(cn: &str) -> bool {
    cn.strip_prefix("CAPF-").is_some_and(|rest| rest.len() == 8 && rest.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Each CSR's node. A CAPF CSR names no host, so it takes the node of the other CSRs in its folder (the folder an
/// admin downloads one node's CSRs into), when they name exactly one; else its own CN.
fn node_names(pairing: &Pairing) -> Vec<Untrusted> {
    let folder = |c: usize| std::path::Path::new(pairing.csrs[c].place.path.raw()).parent().map(|p| p.to_path_buf());
    let own: Vec<Untrusted> = pairing.csrs.iter().map(|f| node_name(f.item.common_name.as_ref())).collect();
    (0..pairing.csrs.len())
        .map(|c| {
            if !names_no_host(own[c].raw()) {
                return own[c].clone();
            }
            let mut hosts: Vec<&Untrusted> = (0..pairing.csrs.len())
                .filter(|&o| !names_no_host(own[o].raw()) && folder(o) == folder(c))
                .map(|o| &own[o])
                .collect();
            hosts.sort_by_key(|h| h.raw().to_ascii_lowercase());
            hosts.dedup_by_key(|h| h.raw().to_ascii_lowercase());
            match hosts.as_slice() {
                [one] => (*one).clone(),
                _ => own[c].clone(),
            }
        })
        .collect()
}

fn same_node(a: &str, b: &str) -> bool {
    let host = |s: &str| s.split('.').next().unwrap_or(s).to_ascii_lowercase();
    a.eq_ignore_ascii_case(b) || host(a) == host(b)
}

/// The publisher: `--publisher`, else the node that holds the CAPF CSR.
fn find_publisher(
    pairing: &Pairing,
    names: &[Untrusted],
    nodes: &[Untrusted],
    options: &Options,
    warnings: &mut Vec<String>,
) -> (Option<Untrusted>, PublisherSource) {
    if let Some(given) = &options.publisher {
        return match nodes.iter().find(|n| same_node(n.raw(), given)) {
            Some(n) => (Some(n.clone()), PublisherSource::Flag),
            None => {
                warnings.push(format!(
                    "--publisher {} names none of the nodes whose CSRs are given ({})",
                    Untrusted::new(given.as_str()),
                    nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
                ));
                (Some(Untrusted::new(given.as_str())), PublisherSource::Flag)
            }
        };
    }
    let capf: Vec<Untrusted> =
        pairing.entries.iter().filter(|e| e.purpose == Some(Purpose::Capf)).map(|e| names[e.csr].clone()).collect();
    match capf.as_slice() {
        [one] => (Some(one.clone()), PublisherSource::CapfCsr),
        _ => (None, PublisherSource::Unknown),
    }
}

fn orphan_step(pairing: &Pairing, o: &Orphan) -> Step {
    let place = &pairing.certificates[o.certificate].place;
    let says =
        o.cucm_error.as_ref().map(|t| format!("CUCM would say \"{t}\"")).unwrap_or_else(|| "no CSR for it".into());
    let (why, todo) = match o.superseded_by {
        Some(c) => (
            format!("it was issued for a CSR since regenerated ({} has another key)", pairing.csrs[c].place),
            "send the current CSR to the CA and upload the certificate it issues",
        ),
        None => (
            "no CSR given here has its key".to_string(),
            "find the node and purpose whose CSR it was (ucert pair), or leave it out",
        ),
    };
    let mut step =
        Step::new(StepKind::Blocked, format!("{place}: {says}: {why}; what to do: {todo}")).file(&place.path);
    if let Some(p) = o.purpose {
        step = step.purpose(p);
    }
    step
}

/// What every window needs to look at.
struct Context<'a> {
    pairing: &'a Pairing,
    options: &'a Options,
    issuers: &'a Pool<'a>,
    pool: &'a [Certificate],
    /// `pool[..ca_count]` are the CA certificates.
    ca_count: usize,
    /// Certificate index in the pairing -> index in `pool`.
    leaf_index: BTreeMap<usize, usize>,
    store: &'a [Certificate],
    publisher: Option<Untrusted>,
    /// Each CSR's node ([`node_names`]).
    names: &'a [Untrusted],
}

/// Why the CA certificates above a leaf cannot all be uploaded.
enum ChainGap {
    Missing { below: usize },
    Loop,
}

impl Context<'_> {
    /// One window: cautions, then node by node the trust uploads and the certificate uploads, then the CTL, the
    /// restarts, the phone reset and wait, the check. A blocker ends the window's steps.
    fn window(
        &self,
        renewal: Renewal,
        leaves: &[Leaf<'_>],
        orphans: &[&Orphan],
        before: &[Window],
        warnings: &mut Vec<String>,
    ) -> Window {
        let family = renewal.family;
        let mut purposes: Vec<Purpose> = leaves.iter().filter_map(|l| l.entry.purpose).collect();
        purposes.sort_by_key(|p| p.name());
        purposes.dedup();
        let mut steps = self.cautions(family, before, warnings);
        let mut nodes: Vec<&Untrusted> = Vec::new();
        // a certificate for a CSR since regenerated: in the way only when the current CSR has no certificate
        let mut superseded: BTreeMap<usize, &Orphan> = BTreeMap::new();
        for o in orphans {
            let Some(c) = o.superseded_by else { continue };
            let has_certificate = self.pairing.entries.iter().any(|e| e.csr == c && !e.certificates.is_empty());
            if has_certificate {
                let place = &self.pairing.certificates[o.certificate].place;
                warnings.push(format!(
                    "{place} was issued for a CSR of {} since regenerated; the current CSR has its own certificate: \
                     leave {place} out",
                    self.names[c]
                ));
            } else {
                superseded.insert(c, o);
            }
        }
        // the steps up to the first blocker; after it, the other leaves are still checked, so that every blocker
        // of the window is known at once, but only their blockers are kept (nothing after a blocker is planned)
        let mut blocked = false;
        for leaf in leaves {
            if !nodes.contains(&&leaf.node) {
                nodes.push(&leaf.node);
            }
            let mut own = Vec::new();
            let mut own_warnings = Vec::new();
            if let (true, Some(o)) = (leaf.entry.certificates.is_empty(), superseded.get(&leaf.entry.csr)) {
                own.push(orphan_step(self.pairing, o).node(&leaf.node));
            } else {
                self.uploads(leaf, &steps, &mut own, &mut own_warnings);
            }
            if blocked {
                steps.extend(own.into_iter().filter(|s| s.kind == StepKind::Blocked));
                continue;
            }
            blocked = own.iter().any(|s| s.kind == StepKind::Blocked);
            steps.extend(own);
            warnings.extend(own_warnings);
        }
        // certificates no CSR here asked for: CUCM would refuse them on any node
        for o in orphans.iter().filter(|o| o.superseded_by.is_none()) {
            let node = node_name(self.pairing.certificates[o.certificate].item.common_name.as_ref());
            steps.push(orphan_step(self.pairing, o).node(&node));
            blocked = true;
        }
        if !blocked {
            steps.extend(self.after_uploads(&renewal, &nodes, leaves));
        }
        Window { family, purposes, nodes: renewal.nodes, impact: renewal.impact, steps }
    }

    /// What to make sure of before the window starts.
    fn cautions(&self, family: Family, before: &[Window], warnings: &mut Vec<String>) -> Vec<Step> {
        let mut steps = Vec::new();
        match family {
            Family::Tomcat => {
                let text = format!("Disable SAML SSO ({}) for the time of this window", renewal::SSO_PAGE);
                let step = Step::new(StepKind::Before, text);
                steps.push(if self.options.sso { step } else { step.condition("if SAML SSO is enabled") });
                warnings.push(
                    "if UCCX is integrated, upload the tomcat root and intermediate certificates into UCCX's tomcat-trust \
                     too: Finesse desktop logins depend on them"
                        .into(),
                );
            }
            Family::Ipsec => {
                steps.push(Step::new(StepKind::Before, "Run no backup or restore until this window is over"))
            }
            Family::Tvs => {
                let after = if before.iter().any(|w| w.family == Family::CallManager) {
                    "Start only after the CallManager window is complete and every phone has re-registered"
                } else {
                    "Do not renew TVS in the same window as CallManager: finish one, wait for every phone to re-register, \
                     then the other"
                };
                steps.push(Step::new(StepKind::Before, after));
            }
            Family::Capf => {
                for e in self.pairing.entries.iter().filter(|e| e.purpose == Some(Purpose::Capf)) {
                    let node = &self.names[e.csr];
                    if self.publisher.as_ref().is_some_and(|p| p != node) {
                        warnings.push(format!(
                            "CAPF runs on the publisher only: the CAPF CSR of {node} needs no CA-signed certificate"
                        ));
                    }
                }
            }
            _ => {}
        }
        steps
    }

    /// One leaf's uploads on its node: the CA certificates above it (root first) that `done` (the window's steps so
    /// far) has not uploaded yet, then the leaf. True when a step is blocked.
    fn uploads(&self, leaf: &Leaf<'_>, done: &[Step], steps: &mut Vec<Step>, warnings: &mut Vec<String>) -> bool {
        let p = &self.pairing;
        let e = leaf.entry;
        let purpose = e.purpose.unwrap_or(Purpose::Tomcat);
        let store_name = purpose.trust_store().unwrap_or("<purpose>-trust");
        let csr_place = &p.csrs[e.csr].place;
        let Some(paired) = e.certificates.first() else {
            let text = format!(
                "{purpose} on {}: no certificate yet for {csr_place}: what to do: send the CSR to the CA",
                leaf.node
            );
            steps.push(Step::new(StepKind::Blocked, text).node(&leaf.node).purpose(purpose).file(&csr_place.path));
            return true;
        };
        let cert_found = &p.certificates[paired.certificate];
        let index = self.leaf_index.get(&paired.certificate).copied().unwrap_or(0);
        match self.ca_path(index) {
            Ok(cas) => {
                for ca in cas {
                    if self.trust_steps(ca, store_name, leaf, purpose, done, steps) {
                        return true;
                    }
                }
            }
            Err(gap) => {
                let text = match gap {
                    ChainGap::Missing { below } => format!(
                        "{purpose} on {}: {} for {csr_place}: the issuer of {} ({}) is not among the files: CUCM would \
                         say \"{}\"; what to do: get it from the CA (its certnew.p7b holds the chain)",
                        leaf.node,
                        cert_found.place,
                        self.pool[below].display_name(),
                        self.pool[below].issuer.to_openssl_string(),
                        cucm::CA_NOT_IN_TRUST_STORE
                    ),
                    ChainGap::Loop => {
                        format!(
                            "{purpose} on {}: {} for {csr_place}: its issuers go round in a loop",
                            leaf.node, cert_found.place
                        )
                    }
                };
                steps.push(
                    Step::new(StepKind::Blocked, text).node(&leaf.node).purpose(purpose).file(&cert_found.place.path),
                );
                return true;
            }
        }
        let v = &paired.verdict;
        if !v.matched {
            let says = v
                .cucm_error
                .as_ref()
                .map(|t| format!("CUCM would say \"{t}\""))
                .unwrap_or_else(|| "CUCM would refuse it".into());
            let why = v.message.clone().unwrap_or_default();
            let text = format!(
                "{purpose} on {}: {} for {csr_place}: {says} ({why}); what to do: run 'ucert match {} {}' for the evidence and \
                 the remedy",
                leaf.node,
                cert_found.place,
                shell_word(csr_place.path.raw()),
                shell_word(cert_found.place.path.raw())
            );
            steps.push(
                Step::new(StepKind::Blocked, text).node(&leaf.node).purpose(purpose).file(&cert_found.place.path),
            );
            return true;
        }
        if cert_found
            .item
            .common_name
            .as_ref()
            .is_some_and(|cn| cn.raw().split('.').next().is_some_and(|h| h.ends_with("-ms")))
        {
            warnings.push(format!(
                "{} is a multi-server (SAN) certificate: it is uploaded on one node ({}) and CUCM distributes it to the \
                 others; Cisco's multi-SAN certificate regeneration guide has its own procedure for it",
                cert_found.place, leaf.node
            ));
        }
        let text =
            format!("Upload {} as {purpose} on {}{}", cert_found.place, leaf.node, extract_first(&cert_found.place));
        steps.push(
            Step::new(StepKind::UploadCertificate, text)
                .node(&leaf.node)
                .purpose(purpose)
                .file(&cert_found.place.path)
                .certificate(paired.certificate)
                .command("Cisco Unified OS Administration > Security > Certificate Management > Upload Certificate"),
        );
        false
    }

    /// The CA certificates above the leaf at `pool[start]`, root first.
    fn ca_path(&self, start: usize) -> Result<Vec<usize>, ChainGap> {
        let mut path = Vec::new();
        let mut seen = HashSet::from([start]);
        let mut current = start;
        loop {
            match self.issuers.up(current) {
                Up::Root => break,
                Up::Missing => return Err(ChainGap::Missing { below: current }),
                Up::Issuer { issuer, .. } => {
                    if !seen.insert(issuer) {
                        return Err(ChainGap::Loop);
                    }
                    if issuer >= self.ca_count {
                        // another leaf "issued" it: not a CA at hand
                        return Err(ChainGap::Missing { below: current });
                    }
                    path.push(issuer);
                    current = issuer;
                }
            }
        }
        path.reverse();
        Ok(path)
    }

    /// The steps for one CA certificate on the leaf's node: skipped when this node already had it in this window or
    /// the trust store holds it; a delete first where CUCM would keep the stored one of the same CN. True when
    /// blocked (an expired CA certificate).
    fn trust_steps(
        &self,
        ca: usize,
        store_name: &str,
        leaf: &Leaf<'_>,
        purpose: Purpose,
        done: &[Step],
        steps: &mut Vec<Step>,
    ) -> bool {
        let cert = &self.pool[ca];
        let index = self.pairing.ca_certificates[ca];
        let place = &self.pairing.certificates[index].place;
        // a store CUCM replicates needs each certificate once in the cluster; the others once per node
        let replicated = renewal::REPLICATED_TRUST_STORES.contains(&store_name);
        let already = done.iter().chain(steps.iter()).any(|s| {
            s.kind == StepKind::UploadTrust
                && s.certificate == Some(index)
                && (replicated || s.node.as_ref() == Some(&leaf.node))
        });
        if already || self.store.iter().any(|s| s.der == cert.der) {
            return false;
        }
        if let ValidityStatus::Expired { .. } | ValidityStatus::NotYetValid { .. } = cert.validity_at(self.options.at) {
            let text = format!(
                "{purpose} on {}: the CA certificate {} ({place}) {}: CUCM cannot take it; what to do: get the CA's current \
                 certificate",
                leaf.node,
                cert.display_name(),
                cert.validity_at(self.options.at).describe()
            );
            steps.push(Step::new(StepKind::Blocked, text).node(&leaf.node).purpose(purpose).file(&place.path));
            return true;
        }
        for stored in self.store {
            let d = trust_store::decide(stored, cert, self.options.at);
            if d.same_cn && d.outcome == Outcome::KeepsExisting && !stored.public_key.same_key(&cert.public_key) {
                let text =
                    format!("Delete {} from {store_name} on {} first: {}", stored.display_name(), leaf.node, d.reason);
                steps.push(Step::new(StepKind::DeleteTrust, text).node(&leaf.node).purpose(purpose));
            } else if d.same_cn && d.outcome == Outcome::KeepsExisting {
                // the stored certificate has the same key: it already vouches for the leaf
                return false;
            }
        }
        let role = if cert.is_self_issued() { "root" } else { "intermediate" };
        let once = if replicated { " (CUCM copies it to every node)" } else { "" };
        let text = format!(
            "Upload {place} ({role} {}) as {store_name} on {}{once}{}",
            cert.display_name(),
            leaf.node,
            extract_first(place)
        );
        steps.push(
            Step::new(StepKind::UploadTrust, text)
                .node(&leaf.node)
                .purpose(purpose)
                .file(&place.path)
                .certificate(index)
                .command("Cisco Unified OS Administration > Security > Certificate Management > Upload Certificate"),
        );
        false
    }

    /// After every upload of the window: the CTL, the restarts, the phones, the check, SSO back on.
    fn after_uploads(&self, renewal: &Renewal, nodes: &[&Untrusted], leaves: &[Leaf<'_>]) -> Vec<Step> {
        let mut steps = Vec::new();
        if renewal.ctl_update {
            let text = "Update the CTL (token or tokenless) before the restarts";
            match self.options.security {
                SecurityMode::Mixed => steps.push(Step::new(StepKind::UpdateCtl, text)),
                SecurityMode::NonSecure => {}
                SecurityMode::Unknown => steps.push(
                    Step::new(StepKind::UpdateCtl, text)
                        .condition(format!("if the cluster is in mixed mode ({}: 1)", renewal::SECURITY_MODE_PAGE)),
                ),
            }
        }
        let names = |ns: &[&Untrusted]| ns.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
        let publisher = self.publisher.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "the publisher".into());
        for r in renewal.restarts {
            match r.place {
                Where::PublisherFirstOneByOne => {
                    for node in nodes {
                        let text =
                            format!("Restart {} on {node} (publisher first, then each subscriber in turn)", r.service);
                        steps.push(Step::new(StepKind::Restart, text).node(node).command(r.how));
                    }
                }
                Where::Publisher => {
                    let text = format!("Restart {} on {publisher} ({}), where it runs", r.service, r.how);
                    let mut step = Step::new(StepKind::Restart, text);
                    if let Some(p) = &self.publisher {
                        step = step.node(p);
                    }
                    steps.push(step);
                }
                Where::EveryNode => {
                    let text = format!("Restart {} on {} ({}), where it runs", r.service, names(nodes), r.how);
                    steps.push(Step::new(StepKind::Restart, text));
                }
            }
        }
        if let Some(note) = renewal.note {
            steps.push(Step::new(StepKind::Restart, format!("Restarts: {note}")));
        }
        if renewal.reset_phones {
            steps.push(Step::new(StepKind::ResetPhones, format!("Reset all phones ({})", renewal::RESET_PHONES_PAGE)));
            steps.push(Step::new(
                StepKind::WaitForRegistration,
                "Watch registration in RTMT: go on only when every phone has registered again",
            ));
        }
        if let Some(port) = renewal.verify_port {
            // tomcat-ECDSA is left out: which of the two certificates the node serves depends on what the client
            // offers, so a check of it could fail on a good upload
            for leaf in leaves.iter().filter(|l| l.entry.purpose.is_none_or(|p| p.key_type() == KeyType::Rsa)) {
                let Some(paired) = leaf.entry.certificates.first() else { continue };
                let place = &self.pairing.certificates[paired.certificate].place;
                // a certificate that shares its file (a bundle, a ZIP) is expected by its CSR's key where the CSR
                // has a file of its own: `--expect` on a file of several answers would not know which is meant
                let csr_place = &self.pairing.csrs[leaf.entry.csr].place;
                let file =
                    if place.shares_its_file() && !csr_place.shares_its_file() { &csr_place.path } else { &place.path };
                // an XMPP server answers only for its domain: the one among the certificate's names
                let domain = match renewal.family {
                    Family::CupXmpp | Family::CupXmppS2s => self.pairing.certificate(paired.certificate).ok(),
                    _ => None,
                }
                .and_then(|c| xmpp_domain(&c, leaf.node.raw()))
                .map(|d| format!(" --xmpp-domain {}", shell_word(&d)))
                .unwrap_or_default();
                let command = format!(
                    "ucert connect {}:{port}{domain} --expect {}",
                    shell_word(leaf.node.raw()),
                    shell_word(file.raw())
                );
                let text = format!("Check that {} serves the new certificate", leaf.node);
                let step = Step::new(StepKind::Verify, text).node(&leaf.node).file(file).command(command);
                // federation is enabled node by node: elsewhere nothing listens on 5269
                steps.push(match renewal.family {
                    Family::CupXmppS2s => step.condition("where XMPP federation is enabled"),
                    _ => step,
                });
            }
        }
        if renewal.family == Family::Tomcat {
            let step = Step::new(StepKind::After, "Enable SAML SSO again");
            steps.push(if self.options.sso { step } else { step.condition("if it was disabled before the window") });
        }
        steps
    }

    /// CA certificates of 4096 bits or more, uploaded in a cluster that is (or may be) in mixed mode.
    fn ca_key_warnings(&self, windows: &[Window]) -> Vec<String> {
        if self.options.security == SecurityMode::NonSecure {
            return Vec::new();
        }
        let uploaded: HashSet<usize> = windows
            .iter()
            .flat_map(|w| &w.steps)
            .filter(|s| s.kind == StepKind::UploadTrust)
            .filter_map(|s| s.certificate)
            .collect();
        let mut out = Vec::new();
        for (k, &i) in self.pairing.ca_certificates.iter().enumerate().take(self.ca_count) {
            let big = self.pool[k].public_key.is_rsa()
                && self.pool[k].public_key.bits().is_some_and(|b| b >= cucm::MAX_KEY_BITS);
            if big && uploaded.contains(&i) {
                let mode = if self.options.security == SecurityMode::Mixed {
                    "the cluster is in mixed mode"
                } else {
                    "if the cluster is in mixed mode"
                };
                out.push(format!(
                    "{} has a key of {} bits: {mode}, some phones do not accept CA certificates of 4096 bits or more \
                     (CUCM Security Guide)",
                    self.pool[k].display_name(),
                    self.pool[k].public_key.bits().unwrap_or(0)
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(value: &str) -> Option<Untrusted> {
        Some(Untrusted::new(value))
    }

    #[test]
    fn a_multi_server_csr_names_its_node_without_ms() {
        assert_eq!(node_name(cn("cucm-pub-ms.example.com").as_ref()).raw(), "cucm-pub.example.com");
        assert_eq!(node_name(cn("cucm-pub-ms").as_ref()).raw(), "cucm-pub");
        assert_eq!(node_name(cn("cucm-pub.example.com").as_ref()).raw(), "cucm-pub.example.com");
        assert_eq!(node_name(cn("-ms.example.com").as_ref()).raw(), "-ms.example.com", "no host left: kept whole");
        assert_eq!(node_name(None).raw(), "(no CN)");
    }

    #[test]
    fn only_capf_cns_name_no_host() {
        assert!(names_no_host("CAPF-5e1f0c2a"));
        assert!(!names_no_host("CAPF-5e1f0c2"), "seven digits");
        assert!(!names_no_host("CAPF-server.example.com"));
        assert!(!names_no_host("cucm-pub.example.com"));
    }

    #[test]
    fn nodes_compare_by_host_name() {
        assert!(same_node("cucm-pub.example.com", "CUCM-PUB"));
        assert!(same_node("cucm-pub", "cucm-pub.example.com"));
        assert!(!same_node("cucm-pub.example.com", "cucm-sub.example.com"));
    }

    #[test]
    fn the_xmpp_domain_is_the_one_name_the_node_lies_in() {
        use crate::model::extensions::SanEntry;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("imp").join("cup-xmpp.pem");
        let pem = pem::parse(std::fs::read(path).unwrap()).unwrap();
        let mut cup_xmpp = Certificate::from_der(pem.contents()).unwrap().0;
        // DNS:cucm-imp.example.com, DNS:example.com
        assert_eq!(xmpp_domain(&cup_xmpp, "cucm-imp.example.com").as_deref(), Some("example.com"));
        assert_eq!(xmpp_domain(&cup_xmpp, "CUCM-IMP.Example.COM.").as_deref(), Some("example.com"));
        assert_eq!(xmpp_domain(&cup_xmpp, "example.com"), None, "a name is not its own parent");
        assert_eq!(xmpp_domain(&cup_xmpp, "imp.other.org"), None);
        assert_eq!(xmpp_domain(&cup_xmpp, "xexample.com"), None, "a suffix is not a parent unless a dot parts them");
        let dns = |names: &[&str]| Some(names.iter().map(|n| SanEntry::Dns(n.to_string())).collect());
        cup_xmpp.extensions.subject_alt_names = dns(&["imp1.uc.example.com", "uc.example.com", "example.com"]);
        assert_eq!(xmpp_domain(&cup_xmpp, "imp1.uc.example.com"), None, "two parents: which one is not known");
        cup_xmpp.extensions.subject_alt_names = dns(&["imp1.uc.example.com", "com"]);
        assert_eq!(xmpp_domain(&cup_xmpp, "imp1.uc.example.com"), None, "a top-level domain is no XMPP domain");
        cup_xmpp.extensions.subject_alt_names = None;
        assert_eq!(xmpp_domain(&cup_xmpp, "cucm-imp.example.com"), None);
    }

    #[cfg(not(windows))]
    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("fixtures/a.cer"), "fixtures/a.cer");
        assert_eq!(shell_word("certnew (1).cer"), "'certnew (1).cer'");
        assert_eq!(shell_word("it's.cer"), "\"it's.cer\"");
        assert_eq!(shell_word("a\0b"), "a\\x00b", "a NUL cannot be passed: shown escaped");
    }

    #[cfg(windows)]
    #[test]
    fn powershell_words_keep_their_backslashes() {
        assert_eq!(shell_word("fixtures\\a.cer"), "fixtures\\a.cer");
        assert_eq!(shell_word("certs\\certnew (1).cer"), "'certs\\certnew (1).cer'");
        assert_eq!(shell_word("it's.cer"), "'it''s.cer'");
    }
}

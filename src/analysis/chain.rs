//! Chains: who issued whom, by name and key identifier, with every signature verified ([`issuers`]), the walks up
//! from every certificate that give the CUCM upload plan ([`walks`]), what must be known before uploading
//! ([`flags`]), and what a leaf looks like ([`purpose`]). Used by `match` (the `chain` check), `chain` (the plan)
//! and `connect` (`--ca`).

mod flags;
mod issuers;
mod purpose;
mod walks;

use crate::analysis::verify::Verification;
use crate::cucm::{Purpose, PurposeSource};
use crate::model::Certificate;
use crate::model::certificate::ValidityStatus;
use crate::untrusted::Untrusted;

pub use issuers::{Link, Path, Pool, Up, could_issue, is_self_signed, path_from};
pub use purpose::{infer_purpose, looks_like_ca};
use walks::Walks;

/// A certificate's place in the upload plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Root,
    Intermediate,
    Leaf,
}

/// One line of the upload plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Index into [`Analysis::members`].
    pub index: usize,
    pub role: Role,
    /// The index of the certificate that issued it, and whether its signature verifies.
    pub issuer: Option<usize>,
    pub signature: Option<Verification>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Would make an upload fail.
    Fail,
    Warn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    IssuerMissing,
    BadSignature,
    UnverifiableSignature,
    Expired,
    NotYetValid,
    CaWithoutBasicConstraints,
    LeafIsCa,
    CapfNotCa,
    Duplicate,
    Unrelated,
    WeakHash,
    SeveralPaths,
    SameCommonName,
    Loop,
}

impl FlagKind {
    /// Whether a flag of this kind would make an upload fail.
    pub fn severity(self) -> Severity {
        match self {
            FlagKind::IssuerMissing
            | FlagKind::BadSignature
            | FlagKind::Expired
            | FlagKind::NotYetValid
            | FlagKind::Loop => Severity::Fail,
            FlagKind::UnverifiableSignature
            | FlagKind::CaWithoutBasicConstraints
            | FlagKind::LeafIsCa
            | FlagKind::CapfNotCa
            | FlagKind::Duplicate
            | FlagKind::Unrelated
            | FlagKind::WeakHash
            | FlagKind::SeveralPaths
            | FlagKind::SameCommonName => Severity::Warn,
        }
    }

    /// The stable id (JSON `flags[].kind`, and the text's second column).
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::IssuerMissing => "issuer-missing",
            FlagKind::BadSignature => "bad-signature",
            FlagKind::UnverifiableSignature => "unverifiable-signature",
            FlagKind::Expired => "expired",
            FlagKind::NotYetValid => "not-yet-valid",
            FlagKind::CaWithoutBasicConstraints => "ca-without-basic-constraints",
            FlagKind::LeafIsCa => "leaf-is-ca",
            FlagKind::CapfNotCa => "capf-not-ca",
            FlagKind::Duplicate => "duplicate",
            FlagKind::Unrelated => "unrelated",
            FlagKind::WeakHash => "weak-hash",
            FlagKind::SeveralPaths => "several-paths",
            FlagKind::SameCommonName => "same-common-name",
            FlagKind::Loop => "loop",
        }
    }
}

/// Something about the set of certificates that an admin must know before uploading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub kind: FlagKind,
    pub severity: Severity,
    /// Index into [`Analysis::members`] of the certificate concerned.
    pub index: usize,
    pub message: String,
    /// What happens at upload time because of it.
    pub consequence: String,
}

impl Flag {
    /// A flag of `kind` (which decides its severity) about the certificate at `index`.
    pub fn new(kind: FlagKind, index: usize, message: String, consequence: impl Into<String>) -> Flag {
        Flag { kind, severity: kind.severity(), index, message, consequence: consequence.into() }
    }
}

/// One certificate of an analysis, with what was found about it.
#[derive(Clone, Debug)]
pub struct Member {
    pub certificate: Certificate,
    /// The input it came from.
    pub origin: Untrusted,
    /// Self-issued, and its own key verifies its signature (verified once).
    pub self_signed: bool,
    /// At the time of the analysis.
    pub validity: ValidityStatus,
    /// Its number in the upload plan (1-based), if it is in the plan.
    pub step: Option<usize>,
}

/// Everything `chain` found in a set of certificates.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Each certificate once (duplicates removed), in input order; steps and flags refer to them by index.
    pub members: Vec<Member>,
    /// The upload plan, in order: CA certificates root first, then the leaves.
    pub plan: Vec<Step>,
    /// Certificates that belong to no chain of the others.
    pub unrelated: Vec<usize>,
    /// Certificates on another possible path (cross-signing) that the plan does not need.
    pub alternatives: Vec<usize>,
    pub flags: Vec<Flag>,
    pub purpose: Option<Purpose>,
    pub purpose_source: PurposeSource,
}

impl Analysis {
    /// No flag would make an upload fail.
    pub fn complete(&self) -> bool {
        !self.flags.iter().any(|f| f.severity == Severity::Fail)
    }

    /// `tomcat-trust` for a CA, `tomcat` for a leaf (or placeholders when the purpose is unknown).
    pub fn upload_as(&self, role: Role) -> String {
        match (role, self.purpose) {
            (Role::Leaf, Some(p)) => p.name().to_string(),
            (Role::Leaf, None) => "<purpose>".to_string(),
            (_, Some(p)) => p.trust_store().map(str::to_string).unwrap_or_else(|| format!("{}-trust", p.name())),
            (_, None) => "<purpose>-trust".to_string(),
        }
    }
}

/// The certificates of a bundle that may be its leaf: those that issued none of the others, not CAs among them where
/// there are some that are not. A CA's delivery (a `.p7b`, a bundle, a ZIP) puts the leaf anywhere: first, last, or
/// between its issuers.
pub fn leaves(certs: &[Certificate]) -> Vec<usize> {
    let issues_another = Pool::new(certs).issuers();
    let issue_none: Vec<usize> = (0..certs.len()).filter(|&i| !issues_another[i]).collect();
    let not_ca: Vec<usize> = issue_none.iter().copied().filter(|&i| !certs[i].is_ca()).collect();
    if not_ca.is_empty() { issue_none } else { not_ca }
}

/// Builds the chains among `certs` (with the input each came from), the upload plan and every flag. Near-linear
/// in the number of certificates: issuers are looked up in a [`Pool`], each certificate's way up is computed once,
/// and flags about a group (duplicates, CA certificates sharing a CN) are given once per group.
pub fn analyze(
    certs: Vec<(Certificate, Untrusted)>,
    purpose_flag: Option<Purpose>,
    at: time::OffsetDateTime,
) -> Analysis {
    let (certificates, origins, mut flags) = flags::without_duplicates(certs);
    let pool = Pool::new(&certificates);
    let walks = Walks::build(&pool);
    let first_leaf = walks.plan.iter().find(|s| s.role == Role::Leaf).map(|s| &certificates[s.index]);
    let (purpose, purpose_source) = match (purpose_flag, first_leaf.and_then(infer_purpose)) {
        (Some(p), _) => (Some(p), PurposeSource::Flag),
        (None, Some((p, why))) => (Some(p), PurposeSource::Inferred(why)),
        (None, None) => (None, PurposeSource::Unknown),
    };
    let trust = purpose.and_then(|p| p.trust_store()).unwrap_or("<purpose>-trust");
    flags.extend(flags::top_flags(&certificates, &walks.tops, trust));
    flags.extend(flags::step_flags(&certificates, &walks.plan, purpose, at));
    flags.extend(flags::several_paths_flags(&pool, &walks.ups));
    flags.extend(flags::same_cn_flags(&certificates, trust));
    flags.extend(flags::unrelated_flags(&certificates, &origins, &walks.unrelated));
    flags.sort_by_key(|f| f.severity);
    let n = certificates.len();
    let mut step = vec![None; n];
    walks.plan.iter().enumerate().for_each(|(k, s)| step[s.index] = Some(k + 1));
    let mut is_unrelated = vec![false; n];
    walks.unrelated.iter().for_each(|&u| is_unrelated[u] = true);
    let alternatives = (0..n).filter(|&i| !is_unrelated[i] && step[i].is_none()).collect();
    let members = certificates
        .into_iter()
        .zip(origins)
        .enumerate()
        .map(|(i, (certificate, origin))| Member {
            validity: certificate.validity_at(at),
            certificate,
            origin,
            self_signed: walks.all[i] == Up::Root,
            step: step[i],
        })
        .collect();
    let mut plan = walks.plan;
    plan.shrink_to_fit();
    Analysis { members, plan, unrelated: walks.unrelated, alternatives, flags, purpose, purpose_source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::{at, cert};

    #[test]
    fn same_named_cas_without_key_identifiers_are_planned_as_roots() {
        let certs: Vec<(Certificate, Untrusted)> = crate::input::load(
            &crate::input::Source::Path(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chain/same-cn-mesh-noid.pem"),
            ),
            Default::default(),
        )
        .unwrap()
        .objects
        .into_iter()
        .filter_map(|l| match l.object {
            crate::input::Object::Certificate(c) => Some((*c, Untrusted::new("mesh"))),
            _ => None,
        })
        .collect();
        let a = analyze(certs, None, at());
        assert_eq!(a.plan.len(), 5);
        assert!(a.plan.iter().all(|s| s.role == Role::Root));
        let same: Vec<&Flag> = a.flags.iter().filter(|f| f.kind == FlagKind::SameCommonName).collect();
        assert_eq!(same.len(), 1, "one flag for the group");
        assert!(same[0].message.starts_with("5 CA certificates share the CN"));
    }

    #[test]
    fn analysis_orders_cas_root_first_and_leaves_last() {
        let certs = ["cucm/tomcat.pem", "ca/issuing-ca.pem", "ca/root-ca.pem", "cucm/TVS.pem"]
            .iter()
            .map(|f| (cert(f), Untrusted::new(*f)))
            .collect();
        let a = analyze(certs, None, at());
        let roles: Vec<Role> = a.plan.iter().map(|s| s.role).collect();
        assert_eq!(roles, [Role::Root, Role::Intermediate, Role::Leaf, Role::Leaf]);
        assert!(a.complete());
        assert_eq!(a.upload_as(Role::Root), "tomcat-trust");
    }
}

//! How a CA-signed certificate of each purpose is renewed on a cluster, as Cisco's "Regenerate CA-signed
//! certificates in CUCM" lays it out step by step (and, for IM and Presence, the IM and Presence Configuration and
//! Administration guide): on which nodes, what to do before and after the upload, which services to restart where,
//! and what breaks when it is done wrong. `ucert plan` turns these into a checked runbook.

use super::Purpose;

/// A family of purposes renewed in one maintenance window: a purpose and its -ECDSA twin share their steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Tomcat,
    Ipsec,
    Capf,
    CallManager,
    Tvs,
    CupXmpp,
    CupXmppS2s,
    Cup,
    ItlRecovery,
}

/// Where a service is restarted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Where {
    /// On the publisher only.
    Publisher,
    /// On every node of the window where the service runs (and is active).
    EveryNode,
    /// From the CLI, on the publisher first, then each subscriber one by one.
    PublisherFirstOneByOne,
}

/// A service restart after the upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restart {
    pub service: &'static str,
    pub place: Where,
    /// Where to restart it: the CLI command, or the Serviceability page.
    pub how: &'static str,
}

/// The steps of one family's renewal, from the guides.
#[derive(Clone, Copy, Debug)]
pub struct Renewal {
    pub family: Family,
    /// The nodes whose certificate is renewed.
    pub nodes: &'static str,
    /// What fails when the renewal goes wrong (the guides' warning).
    pub impact: &'static str,
    /// In mixed mode, the CTL is updated (token or tokenless) before the restarts.
    pub ctl_update: bool,
    pub restarts: &'static [Restart],
    /// All phones are reset (Enterprise Parameters > Reset), and the next window waits until they re-register.
    pub reset_phones: bool,
    /// The port a node serves the certificate on, to check it after the restart.
    pub verify_port: Option<u16>,
    /// Said where the renewal has no documented restart (IM and Presence's cup).
    pub note: Option<&'static str>,
}

const NETWORK: &str = "Cisco Unified Serviceability > Tools > Control Center - Network Services";
const FEATURE: &str = "Cisco Unified Serviceability > Tools > Control Center - Feature Services";
const TVS: Restart = Restart { service: "Cisco Trust Verification Service", place: Where::EveryNode, how: NETWORK };
const TFTP: Restart = Restart { service: "Cisco TFTP", place: Where::EveryNode, how: FEATURE };
const IMP_FEATURE: &str = "Cisco Unified IM and Presence Serviceability > Tools > Control Center - Feature Services";

/// CUCM's command for restarting Cisco Tomcat.
pub const RESTART_TOMCAT: &str = "utils service restart Cisco Tomcat";
/// Where the cluster security mode is read (0 non-secure, 1 mixed mode).
pub const SECURITY_MODE_PAGE: &str =
    "Cisco Unified CM Administration > System > Enterprise Parameters > Cluster Security Mode";
/// Where all phones are reset.
pub const RESET_PHONES_PAGE: &str = "Cisco Unified CM Administration > System > Enterprise Parameters > Reset";
/// The trust stores whose certificates CUCM replicates to every node of the cluster: uploaded once, they are on
/// every node (the CUCM Security Guide: deleting one deletes it across the cluster; CAPF-trust is per node).
pub const REPLICATED_TRUST_STORES: [&str; 2] = ["tomcat-trust", "CallManager-trust"];

/// Where SAML SSO is turned off and on.
pub const SSO_PAGE: &str = "Cisco Unified CM Administration > System > SAML Single Sign-On";

impl Family {
    /// The windows in the order they are run: lower risk first, CallManager before TVS (never together: the
    /// phones' ITL would no longer match, recoverable only by deleting it on every phone).
    pub const ORDER: [Family; 9] = [
        Family::Tomcat,
        Family::Ipsec,
        Family::Capf,
        Family::CallManager,
        Family::Tvs,
        Family::CupXmpp,
        Family::CupXmppS2s,
        Family::Cup,
        Family::ItlRecovery,
    ];

    pub fn of(purpose: Purpose) -> Family {
        match purpose {
            Purpose::Tomcat | Purpose::TomcatEcdsa => Family::Tomcat,
            Purpose::Ipsec => Family::Ipsec,
            Purpose::Capf => Family::Capf,
            Purpose::CallManager | Purpose::CallManagerEcdsa => Family::CallManager,
            Purpose::Tvs => Family::Tvs,
            Purpose::CupXmpp | Purpose::CupXmppEcdsa => Family::CupXmpp,
            Purpose::CupXmppS2s | Purpose::CupXmppS2sEcdsa => Family::CupXmppS2s,
            Purpose::Cup | Purpose::CupEcdsa => Family::Cup,
            Purpose::ItlRecovery => Family::ItlRecovery,
        }
    }

    /// The steps the guides give for the family; None where they give none (ITLRecovery).
    pub fn renewal(self) -> Option<Renewal> {
        let base = Renewal {
            family: self,
            nodes: "every node",
            impact: "",
            ctl_update: false,
            restarts: &[],
            reset_phones: false,
            verify_port: None,
            note: None,
        };
        Some(match self {
            Family::Tomcat => Renewal {
                nodes: "every node (CallManager and IM and Presence)",
                impact: "SSO logins and the HTTPS services phones use (corporate directory, extension mobility) fail; \
                         Expressway traversal zones with TLS verify go down",
                restarts: &[Restart {
                    service: "Cisco Tomcat",
                    place: Where::PublisherFirstOneByOne,
                    how: RESTART_TOMCAT,
                }],
                verify_port: Some(8443),
                ..base
            },
            Family::Ipsec => Renewal {
                impact: "the Disaster Recovery System (DRS/DRF) and IPsec tunnels to gateways and other clusters stop working",
                restarts: &[
                    Restart { service: "Cisco DRF Master", place: Where::Publisher, how: NETWORK },
                    Restart { service: "Cisco DRF Local", place: Where::EveryNode, how: NETWORK },
                ],
                ..base
            },
            Family::Capf => Renewal {
                nodes: "the publisher only: CAPF runs there, subscribers need no CA-signed CAPF certificate",
                impact: "authentication and encryption of endpoints, phone VPN, 802.1x and phone proxy, and CTI, JTAPI and \
                         TAPI fail",
                ctl_update: true,
                restarts: &[
                    TVS,
                    TFTP,
                    Restart {
                        service: "Cisco Certificate Authority Proxy Function",
                        place: Where::Publisher,
                        how: FEATURE,
                    },
                ],
                reset_phones: true,
                ..base
            },
            Family::CallManager => Renewal {
                nodes: "every CallManager node",
                impact: "phones do not register (encrypted or authenticated ones first), TFTP is not trusted, secure SIP trunks \
                         and media resources fail, AXL requests fail",
                ctl_update: true,
                restarts: &[
                    TVS,
                    TFTP,
                    Restart { service: "Cisco CallManager", place: Where::EveryNode, how: FEATURE },
                    Restart { service: "Cisco CTIManager", place: Where::EveryNode, how: FEATURE },
                ],
                reset_phones: true,
                ..base
            },
            Family::Tvs => Renewal {
                nodes: "every TVS node",
                impact: "phones do not register, devices cannot reach HTTPS applications (extension mobility, directories), \
                         ITL and configuration file authentication fails",
                restarts: &[TFTP, TVS],
                reset_phones: true,
                ..base
            },
            Family::CupXmpp => Renewal {
                nodes: "every IM and Presence node",
                impact: "Jabber and other XMPP clients cannot open their XMPP session",
                restarts: &[Restart { service: "Cisco XCP Router", place: Where::EveryNode, how: IMP_FEATURE }],
                // XMPP client-to-server, where Jabber meets the certificate (after STARTTLS)
                verify_port: Some(5222),
                ..base
            },
            Family::CupXmppS2s => Renewal {
                nodes: "every IM and Presence node",
                impact: "XMPP federation with other domains fails",
                restarts: &[Restart {
                    service: "Cisco XCP XMPP Federation Connection Manager",
                    place: Where::EveryNode,
                    how: IMP_FEATURE,
                }],
                // XMPP server-to-server, where federated servers meet it (after STARTTLS)
                verify_port: Some(5269),
                ..base
            },
            Family::Cup => Renewal {
                nodes: "every IM and Presence node",
                impact: "SIP federation through Expressway and the Presence Engine's calendar presence fail",
                note: Some(
                    "the IM and Presence guide names Cisco SIP Proxy and Cisco Presence Engine as the cup certificate's \
                     users but gives no restart step for it; check the guide of your release before the window",
                ),
                ..base
            },
            Family::ItlRecovery => return None,
        })
    }

    /// The family's name: its RSA purpose's.
    pub fn name(self) -> &'static str {
        match self {
            Family::Tomcat => "tomcat",
            Family::Ipsec => "ipsec",
            Family::Capf => "CAPF",
            Family::CallManager => "CallManager",
            Family::Tvs => "TVS",
            Family::CupXmpp => "cup-xmpp",
            Family::CupXmppS2s => "cup-xmpp-s2s",
            Family::Cup => "cup",
            Family::ItlRecovery => "ITLRecovery",
        }
    }

    /// The family's purposes in words: "tomcat, tomcat-ECDSA".
    pub fn title(self, purposes: &[Purpose]) -> String {
        purposes.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_share_a_window_and_callmanager_comes_before_tvs() {
        assert_eq!(Family::of(Purpose::TomcatEcdsa), Family::of(Purpose::Tomcat));
        let at = |f: Family| Family::ORDER.iter().position(|&g| g == f).unwrap();
        assert!(at(Family::CallManager) < at(Family::Tvs));
        for p in Purpose::ALL {
            assert!(Family::ORDER.contains(&Family::of(p)));
        }
        assert!(Family::ItlRecovery.renewal().is_none());
        assert!(Family::Capf.renewal().unwrap().ctl_update && Family::Capf.renewal().unwrap().reset_phones);
        // where each certificate is checked after its window: Cisco Tomcat, XMPP client-to-server and federation
        let port = |f: Family| f.renewal().unwrap().verify_port;
        assert_eq!(
            (port(Family::Tomcat), port(Family::CupXmpp), port(Family::CupXmppS2s)),
            (Some(8443), Some(5222), Some(5269))
        );
    }
}

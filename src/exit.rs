//! The process exit codes, in one place (the diff/grep convention; README, "Exit codes and errors").

/// How a run ended, as scripts see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every check passed (warnings allowed).
    Ok,
    /// At least one check failed: CUCM would refuse the upload, or the pair does not belong together.
    CheckFailed,
    /// Usage error, or an input that cannot be read or parsed.
    Error,
    /// Nagios's UNKNOWN, only under `--format nagios` (where 1 and 2 are Nagios's WARNING and CRITICAL): the check
    /// itself could not run (a file it was given cannot be read).
    Unknown,
}

impl Exit {
    /// The numeric code handed to the operating system.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::CheckFailed => 1,
            Exit::Error => 2,
            Exit::Unknown => 3,
        }
    }

    /// The worse of two outcomes: an error outranks a failed check, which outranks success.
    pub fn worst(self, other: Exit) -> Exit {
        self.max(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_prefers_error_over_failure_over_ok() {
        assert_eq!(Exit::Ok.worst(Exit::CheckFailed), Exit::CheckFailed);
        assert_eq!(Exit::Error.worst(Exit::CheckFailed), Exit::Error);
        assert_eq!(Exit::Ok.worst(Exit::Ok), Exit::Ok);
        assert_eq!(Exit::Error.code(), 2);
    }
}

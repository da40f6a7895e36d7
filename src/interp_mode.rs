//! binfmt_misc interpreter mode: detecting that the kernel started remu for a foreign binary.
//! (Owned by the binfmt work; the CLI calls [`detect`] before parsing any options.)

use std::ffi::OsString;

/// Where the guest program comes from and what argv it sees, when started by binfmt_misc.
#[derive(Debug)]
pub struct Invocation {
    /// Open file of the guest program (from AT_EXECFD, or opened from the path).
    pub file: std::fs::File,
    /// Path the guest sees as its executable (/proc/self/exe, AT_EXECFN).
    pub exe_path: std::path::PathBuf,
    /// The guest's argv.
    pub argv: Vec<OsString>,
    /// AT_SECURE was set: ignore remu's own environment knobs.
    pub secure: bool,
}

/// Returns `Some` when this process was started by binfmt_misc (argv[1] equals AT_EXECFN).
pub fn detect(_args: &[OsString]) -> Option<Invocation> {
    None
}

//! Shared helpers of the binfmt integration tests: a private binfmt_misc instance per test, in
//! a fresh user and mount namespace (Linux 6.7+ gives every user namespace its own instance),
//! so the host's entries are never read or touched; and the remu binaries under test.
//!
//! As real root the namespace maps every uid and gid to itself, so a script can drop to an
//! unprivileged user (`setpriv`); otherwise it maps the caller to root only.

#![allow(dead_code)] // each test file uses a different subset

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The remu binary cargo built for these tests (dynamically linked); REMU_TEST_BIN overrides it.
pub fn remu() -> PathBuf {
    std::env::var_os("REMU_TEST_BIN").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_remu")), PathBuf::from)
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A test's scratch directory (searchable by everyone, for the unprivileged-user cases), and the
/// namespace its scripts run in. Removed on drop.
pub struct Sandbox {
    pub dir: PathBuf,
}

/// What a sandbox script produced.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Panics with everything the script printed unless it exited 0.
    pub fn ok(self) -> Out {
        assert_eq!(self.code, 0, "script failed\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }
}

/// Runs before every script: wait until the test has written the id maps, mount the private
/// binfmt_misc, and define `t` (a timeout, so a hung guest fails the test instead of hanging it).
const PRELUDE: &str = r#"
read -r _
if [ "${NO_BINFMT:-}" != 1 ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || {
        echo "cannot mount a private binfmt_misc instance (needs Linux 6.7+ and user namespaces)" >&2
        exit 90
    }
fi
B=/proc/sys/fs/binfmt_misc
t() { timeout -k 2 60 "$@"; }
cd "$T"
"#;

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("remu-binfmt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating the test directory");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        Sandbox { dir }
    }

    /// Writes `bytes` to `name` in the sandbox directory with `mode`; returns the path.
    pub fn file(&self, name: &str, bytes: &[u8], mode: u32) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    /// Runs a bash `script` with a private binfmt_misc mounted at /proc/sys/fs/binfmt_misc
    /// (`$B`), in the sandbox directory (`$T`), with `$REMU` the remu under test.
    pub fn run(&self, script: &str) -> Out {
        self.run_env(script, &[])
    }

    pub fn run_env(&self, script: &str, env: &[(&str, &str)]) -> Out {
        let mut cmd = Command::new("unshare");
        cmd.args(["--user", "--mount", "--propagation", "private", "--", "bash", "-c"])
            .arg(format!("{PRELUDE}\n{script}"))
            .env("T", &self.dir)
            .env("REMU", remu())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("running unshare (util-linux)");
        let pid = child.id();
        if let Err(e) = write_id_maps(pid) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "cannot set up a user namespace for the private binfmt_misc: {e}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(b"\n");
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        use std::os::unix::process::ExitStatusExt;
        Out {
            code: out.status.code().unwrap_or_else(|| 128 + out.status.signal().unwrap_or(0)),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits until `pid` is in its own user namespace, then maps ids: all of them to themselves as
/// root, else the caller to root.
fn write_id_maps(pid: u32) -> Result<(), String> {
    let ours = std::fs::read_link("/proc/self/ns/user").map_err(|e| e.to_string())?;
    let start = Instant::now();
    loop {
        match std::fs::read_link(format!("/proc/{pid}/ns/user")) {
            Ok(ns) if ns != ours => break,
            Ok(_) => {}
            Err(e) => return Err(format!("unshare exited early: {e}")),
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err("unshare did not create a user namespace within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let write = |file: &str, text: String| {
        std::fs::write(format!("/proc/{pid}/{file}"), text).map_err(|e| format!("writing {file}: {e}"))
    };
    if is_root() {
        write("uid_map", "0 0 4294967295".into())?;
        write("gid_map", "0 0 4294967295".into())
    } else {
        // SAFETY: getters without preconditions.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        write("setgroups", "deny".into())?;
        write("uid_map", format!("0 {uid} 1"))?;
        write("gid_map", format!("0 {gid} 1"))
    }
}

/// Fails the test with the reason when `remu binfmt` is not wired to remu_binfmt::cli::run.
pub fn require_binfmt_cli() {
    let out = Command::new(remu()).args(["binfmt", "--help"]).output().expect("running remu");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("usage: remu binfmt"),
        "`remu binfmt --help` did not print the binfmt usage: src/main.rs does not dispatch \
         `remu binfmt ...` to remu_binfmt::cli::run yet (stdout: {text:?}, stderr: {:?})",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A statically linked remu, built with scripts/build-static.sh (PROFILE=dev, target/static)
/// once per test run, or taken from REMU_STATIC_BIN. The F flag needs one.
pub fn static_remu() -> PathBuf {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("REMU_STATIC_BIN") {
            return Ok(PathBuf::from(p));
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new(root.join("scripts/build-static.sh"))
            .env("PROFILE", "dev")
            .current_dir(root)
            .output()
            .map_err(|e| format!("running scripts/build-static.sh: {e}"))?;
        if !out.status.success() {
            return Err(format!("scripts/build-static.sh failed:\n{}", String::from_utf8_lossy(&out.stderr)));
        }
        let rel = String::from_utf8_lossy(&out.stdout).trim().to_string();
        Ok(root.join(rel))
    })
    .clone()
    .unwrap_or_else(|e| panic!("no static remu: {e}"))
}

/// Cross-compiles tests/guest/binfmt/args.c statically for `arch` ("aarch64" or "riscv64").
pub fn guest_args_program(arch: &str, out: &Path) {
    let cc = format!("{arch}-linux-gnu-gcc");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guest/binfmt/args.c");
    let status = Command::new(&cc)
        .args(["-static", "-O1", "-o"])
        .arg(out)
        .arg(&src)
        .status()
        .unwrap_or_else(|e| panic!("cannot run the cross compiler {cc}: {e}"));
    assert!(status.success(), "{cc} failed on {}", src.display());
}

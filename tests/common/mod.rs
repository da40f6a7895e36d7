//! Shared harness for remu's integration tests (layers 4 and 5 of DESIGN.md §6): finding the
//! remu binary and the cross toolchains, running a process with a timeout and captured output,
//! a small worker pool, content hashing for build caches, and the known-failures list format.
//! Every test crate that says `mod common;` compiles this file, so not every item is used by all.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Root of the remu repository (the `remu` package's manifest dir).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The remu binary cargo built for this test run.
pub fn remu_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_remu"))
}

/// Cargo's target directory (where build caches of the tests live).
pub fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        let d = PathBuf::from(d);
        return if d.is_absolute() { d } else { repo_root().join(d) };
    }
    // target/<profile>/remu
    remu_bin()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// The two guest architectures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arch {
    Aarch64,
    Riscv64,
}

impl Arch {
    pub const ALL: [Arch; 2] = [Arch::Aarch64, Arch::Riscv64];

    pub fn name(self) -> &'static str {
        match self {
            Arch::Aarch64 => "aarch64",
            Arch::Riscv64 => "riscv64",
        }
    }

    /// Debian's architecture name (fetch-sysroot.sh, dpkg).
    pub fn debian(self) -> &'static str {
        match self {
            Arch::Aarch64 => "arm64",
            Arch::Riscv64 => "riscv64",
        }
    }

    pub fn gcc(self) -> String {
        format!("{}-linux-gnu-gcc", self.name())
    }

    pub fn qemu(self) -> String {
        format!("qemu-{}", self.name())
    }

    /// The cross C library installed by libc6-dev-<arch>-cross: the `-L` for dynamic programs.
    pub fn cross_sysroot(self) -> PathBuf {
        PathBuf::from(format!("/usr/{}-linux-gnu", self.name()))
    }

    pub fn from_name(s: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.name() == s)
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `prog` is an executable found in PATH.
pub fn in_path(prog: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path).any(|d| d.join(prog).is_file())
}

/// Returns a description of each missing tool the guest-program tests need (empty when complete).
pub fn missing_guest_tools() -> Vec<String> {
    let mut missing = Vec::new();
    for arch in Arch::ALL {
        for tool in [arch.gcc(), arch.qemu()] {
            if !in_path(&tool) {
                missing.push(tool);
            }
        }
        let libc = arch.cross_sysroot().join("lib/libc.so.6");
        if !libc.exists() {
            missing.push(format!("{} (cross C library)", libc.display()));
        }
    }
    missing
}

/// Panics with instructions when the cross toolchains or qemu-user are missing, unless
/// REMU_SKIP_GUEST_TESTS=1, in which case it returns false and the caller skips.
pub fn require_guest_tools(test: &str) -> bool {
    let missing = missing_guest_tools();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("REMU_SKIP_GUEST_TESTS").as_deref() == Ok("1") {
        eprintln!("{test}: SKIPPED (REMU_SKIP_GUEST_TESTS=1); missing: {}", missing.join(", "));
        return false;
    }
    panic!(
        "{test}: missing tools: {}\nRun scripts/install-deps.sh to install them \
         (or set REMU_SKIP_GUEST_TESTS=1 to skip these tests).",
        missing.join(", ")
    );
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Exit(i32),
    Signal(i32),
    Timeout,
    /// The process could not be started.
    SpawnFailed,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exit(c) => write!(f, "exit {c}"),
            Status::Signal(s) => write!(f, "signal {s}"),
            Status::Timeout => f.write_str("timeout"),
            Status::SpawnFailed => f.write_str("spawn failed"),
        }
    }
}

/// Result of one process run.
#[derive(Clone, Debug)]
pub struct RunOutput {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
}

impl RunOutput {
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The last `n` lines of stderr, for failure reports.
    pub fn stderr_tail(&self, n: usize) -> String {
        tail_lines(&String::from_utf8_lossy(&self.stderr), n)
    }
}

pub fn tail_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs `cmd` with stdin from /dev/null, capturing stdout and stderr, killing it after `timeout`.
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> RunOutput {
    let start = Instant::now();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return RunOutput {
                status: Status::SpawnFailed,
                stdout: Vec::new(),
                stderr: format!("cannot start {:?}: {e}", cmd.get_program()).into_bytes(),
                elapsed: start.elapsed(),
            }
        }
    };
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    // Readers on their own threads so a chatty child never blocks on a full pipe.
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => {
                use std::os::unix::process::ExitStatusExt;
                break match (st.code(), st.signal()) {
                    (Some(c), _) => Status::Exit(c),
                    (None, Some(s)) => Status::Signal(s),
                    _ => Status::SpawnFailed,
                };
            }
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Status::Timeout;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break Status::SpawnFailed,
        }
    };
    // A grandchild holding the pipes open must not hang the harness: readers are joined only
    // when they finish promptly.
    let stdout = join_with_deadline(out_t, Duration::from_secs(5));
    let stderr = join_with_deadline(err_t, Duration::from_secs(5));
    RunOutput { status, stdout, stderr, elapsed: start.elapsed() }
}

fn join_with_deadline(t: std::thread::JoinHandle<Vec<u8>>, d: Duration) -> Vec<u8> {
    let start = Instant::now();
    while !t.is_finished() {
        if start.elapsed() > d {
            return b"<output still open after the process ended>".to_vec();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    t.join().unwrap_or_default()
}

/// Per-run timeout for guest programs: REMU_GUEST_TIMEOUT seconds, default `default_secs`.
pub fn guest_timeout(default_secs: u64) -> Duration {
    let secs = std::env::var("REMU_GUEST_TIMEOUT").ok().and_then(|s| s.parse().ok()).unwrap_or(default_secs);
    Duration::from_secs(secs)
}

/// Number of worker threads: REMU_TEST_JOBS, default the number of host CPUs.
pub fn jobs() -> usize {
    std::env::var("REMU_TEST_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
        .max(1)
}

/// Applies `f` to every item on `jobs()` threads; results come back in input order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs().min(items.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() {
                    break;
                }
                let r = f(&items[i]);
                results.lock().unwrap()[i] = Some(r);
            });
        }
    });
    results.into_inner().unwrap().into_iter().map(|r| r.expect("every item processed")).collect()
}

/// FNV-1a, 64 bit: a stable content hash for build caches (std's hasher is not stable).
pub fn fnv1a64(chunks: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for chunk in chunks {
        for &b in chunk.iter() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator, so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The engines remu offers, from REMU_ENGINES (comma-separated) or else from `remu --help`'s
/// `--engine` possible values ("interp" when the help text names none), less those that this build
/// refuses as a usage error.
pub fn remu_engines() -> Vec<String> {
    if let Ok(list) = std::env::var("REMU_ENGINES") {
        return list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    }
    let help = Command::new(remu_bin()).arg("--help").output();
    let text = help.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    let mut engines: Vec<String> = Vec::new();
    // clap prints "[possible values: interp, jit]" (or a list) after the --engine option.
    if let Some(pos) = text.find("--engine") {
        let rest = &text[pos..];
        if let Some(pv) = rest.find("[possible values:") {
            let list = &rest[pv + "[possible values:".len()..];
            if let Some(end) = list.find(']') {
                engines = list[..end].split(',').map(|s| s.trim().to_string()).collect();
            }
        }
    }
    engines.retain(|e| !e.is_empty());
    if engines.is_empty() {
        engines.push("interp".to_string());
    }
    // An engine the CLI names but this build lacks is refused as a usage error (status 2); it is
    // left out, and said so. Any other result, a crash included, keeps the engine in the tests.
    let example = repo_root().join("examples/hello-aarch64");
    engines.retain(|e| {
        let out = run_with_timeout(
            Command::new(remu_bin()).arg("--engine").arg(e).arg(&example),
            Duration::from_secs(60),
        );
        let unavailable = out.status == Status::Exit(2);
        if unavailable {
            eprintln!("engine {e} not tested: this remu refuses it: {}", out.stderr_tail(1));
        }
        !unavailable
    });
    engines
}

/// A command that runs a guest program under remu.
pub fn remu_command(engine: &str, sysroot: Option<&Path>, prog: &Path, args: &[OsString]) -> Command {
    let mut c = Command::new(remu_bin());
    c.arg("--engine").arg(engine);
    if let Some(root) = sysroot {
        c.arg("-L").arg(root);
    }
    c.arg(prog).args(args);
    c
}

/// A command that runs a guest program under qemu-user.
pub fn qemu_command(arch: Arch, sysroot: Option<&Path>, prog: &Path, args: &[OsString]) -> Command {
    let mut c = Command::new(arch.qemu());
    if let Some(root) = sysroot {
        c.arg("-L").arg(root);
    }
    c.arg(prog).args(args);
    c
}

/// A small fixed environment for guests, so remu and qemu runs see the same one.
pub fn guest_env(cmd: &mut Command) {
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("HOME", "/root")
        .env("REMU_TEST_VAR", "hello-env");
}

/// First differing line of two outputs, for failure reports.
pub fn first_diff(a: &str, b: &str) -> String {
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for i in 0..al.len().max(bl.len()) {
        let (x, y) = (al.get(i), bl.get(i));
        if x != y {
            let show = |v: Option<&&str>| v.map(|s| format!("{s:?}")).unwrap_or_else(|| "<end>".into());
            return format!("line {}: {} vs {}", i + 1, show(x), show(y));
        }
    }
    if a != b {
        return "trailing newline or whitespace differs".into();
    }
    "identical".into()
}

/// One entry of a known-failures file: whitespace-separated key fields (`*` matches anything)
/// and a mandatory reason after `#`.
#[derive(Clone, Debug)]
pub struct KnownFailure {
    pub fields: Vec<String>,
    pub reason: String,
    pub line: usize,
}

impl KnownFailure {
    pub fn matches(&self, key: &[&str]) -> bool {
        self.fields.len() == key.len() && self.fields.iter().zip(key).all(|(p, k)| p == "*" || p == k)
    }
}

/// Parses a known-failures file with `nfields` key fields per entry. Blank lines and lines that
/// start with `#` are comments. Panics on malformed lines: the list must stay readable.
pub fn load_known_failures(path: &Path, nfields: usize) -> Vec<KnownFailure> {
    let Ok(text) = std::fs::read_to_string(path) else { return Vec::new() };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (key, reason) = t.split_once('#').unwrap_or((t, ""));
        let fields: Vec<String> = key.split_whitespace().map(String::from).collect();
        assert!(
            fields.len() == nfields && !reason.trim().is_empty(),
            "{}:{}: want {nfields} fields and '# reason', got {line:?}",
            path.display(),
            i + 1
        );
        out.push(KnownFailure { fields, reason: reason.trim().to_string(), line: i + 1 });
    }
    out
}

/// Outcome of checking cases against a known-failures list.
pub struct Verdict {
    /// Failing cases not covered by the list: (key, details).
    pub unexpected: Vec<(String, String)>,
    /// Failing cases covered by the list: (key, reason, details).
    pub known: Vec<(String, String, String)>,
    /// Entries that matched a passing case: the list is stale.
    pub stale: Vec<String>,
    pub passed: usize,
}

/// Classifies results (key fields, Ok or Err(details)) against `known`. An entry that matches
/// any passing case is stale: wildcards may only cover groups that fail as a whole.
pub fn judge(results: &[(Vec<String>, Result<(), String>)], known: &[KnownFailure]) -> Verdict {
    let mut v = Verdict { unexpected: Vec::new(), known: Vec::new(), stale: Vec::new(), passed: 0 };
    let mut stale: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (key, res) in results {
        let k: Vec<&str> = key.iter().map(String::as_str).collect();
        let entry = known.iter().find(|e| e.matches(&k));
        let name = key.join(" ");
        match (res, entry) {
            (Ok(()), Some(e)) => {
                v.passed += 1;
                stale.entry(e.line).or_default().push(name);
            }
            (Ok(()), None) => v.passed += 1,
            (Err(d), Some(e)) => v.known.push((name, e.reason.clone(), d.clone())),
            (Err(d), None) => v.unexpected.push((name, d.clone())),
        }
    }
    for (line, names) in stale {
        let e = known.iter().find(|e| e.line == line).expect("entry");
        v.stale.push(format!(
            "line {line} `{}` ({}) now passes for: {}",
            e.fields.join(" "),
            e.reason,
            names.join(", ")
        ));
    }
    v
}

/// Prints a verdict and panics when there are unexpected failures or stale entries.
pub fn report(test: &str, list: &Path, total_time: Duration, v: &Verdict) {
    eprintln!(
        "{test}: {} passed, {} known failures, {} unexpected failures, {} stale known-failure entries ({:.1} s)",
        v.passed,
        v.known.len(),
        v.unexpected.len(),
        v.stale.len(),
        total_time.as_secs_f64()
    );
    for (k, reason, d) in &v.known {
        eprintln!("  known failure: {k}  [{reason}]\n      {}", d.replace('\n', "\n      "));
    }
    // cargo test hides the output of passing tests: keep the full report in a file as well.
    let mut full = String::new();
    for (k, reason, d) in &v.known {
        full += &format!("KNOWN {k}  [{reason}]\n    {}\n", d.replace('\n', "\n    "));
    }
    for (k, d) in &v.unexpected {
        full += &format!("FAIL {k}\n    {}\n", d.replace('\n', "\n    "));
    }
    full += &format!(
        "{} passed, {} failed ({} known), {} stale entries\n",
        v.passed,
        v.known.len() + v.unexpected.len(),
        v.known.len(),
        v.stale.len()
    );
    let report_file = target_dir().join(format!("{test}-report.txt"));
    if std::fs::write(&report_file, full).is_ok() {
        eprintln!("{test}: full report in {}", report_file.display());
    }
    let mut msg = String::new();
    for (k, d) in &v.unexpected {
        msg += &format!("\nFAIL {k}\n    {}", d.replace('\n', "\n    "));
    }
    for s in &v.stale {
        msg += &format!("\nSTALE known failure in {}: {s} — remove the entry", list.display());
    }
    if !msg.is_empty() {
        panic!("{test}: {} unexpected failures, {} stale entries:{msg}", v.unexpected.len(), v.stale.len());
    }
}

/// `OsString`s from string slices.
pub fn os_args<S: AsRef<OsStr>>(v: &[S]) -> Vec<OsString> {
    v.iter().map(|s| s.as_ref().to_os_string()).collect()
}

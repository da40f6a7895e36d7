//! Real software no one here wrote (DESIGN.md §6, layer 5): Debian's arm64 (bookworm) and riscv64
//! (trixie) userlands, fetched with shared/tools/fetch-sysroot.sh, run under remu and under
//! qemu-user; stdout and exit status must match, and where the host can compute the answer
//! (sha256sum, sort) they must match the host too. Static busybox runs without `-L`; the
//! dynamically linked coreutils run with `-L` the fetched sysroot.
//!
//! Opt-in: the sysroots are ~40 MB of downloads (~200 MB unpacked each). Runs only with
//! REMU_REAL_SOFTWARE=1 (CI sets it via scripts/test.sh --real); otherwise it prints why it was
//! skipped. Sysroots are cached in REMU_SYSROOT_CACHE (default /var/cache/remu-sysroots/<arch>).
//! Understood failures are listed in tests/guest/real_software_known_failures.txt.

mod common;

use common::{Arch, RunOutput};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// Debian suite(s) per architecture, as fetch-sysroot.sh takes them.
fn suites(arch: Arch) -> &'static str {
    match arch {
        Arch::Aarch64 => "bookworm",
        Arch::Riscv64 => "trixie stable",
    }
}

fn cache_dir() -> PathBuf {
    std::env::var_os("REMU_SYSROOT_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/remu-sysroots"))
}

fn fetch_script() -> PathBuf {
    common::repo_root().join("../shared/tools/fetch-sysroot.sh")
}

fn has_package(root: &Path, pkg: &str) -> bool {
    std::fs::read_to_string(root.join(".corpus-packages"))
        .map(|s| s.lines().any(|l| l.split_whitespace().next() == Some(pkg)))
        .unwrap_or(false)
}

/// Fetches (or reuses) the sysroot of `arch`. Returns the root and whether busybox-static is in it.
fn sysroot(arch: Arch) -> Result<(PathBuf, bool), String> {
    let root = cache_dir().join(arch.debian());
    let ready = |r: &Path| has_package(r, "coreutils") && r.join("usr/bin/ls").exists();
    if ready(&root) && has_package(&root, "busybox-static") {
        return Ok((root, true));
    }
    let script = fetch_script();
    if !script.exists() {
        return Err(format!("{} not found (the shared/ folder must sit beside the repo)", script.display()));
    }
    let t0 = Instant::now();
    let fetch = |pkgs: &[&str]| -> Result<(), String> {
        let mut cmd = Command::new("bash");
        cmd.arg(&script).arg(arch.debian()).arg(suites(arch)).arg(&root).args(pkgs);
        cmd.env("CORPUS_ROOT", cache_dir());
        let out = common::run_with_timeout(&mut cmd, Duration::from_secs(1200));
        if out.status == common::Status::Exit(0) {
            Ok(())
        } else {
            Err(format!(
                "fetch-sysroot.sh {} failed ({}); it needs root and apt-get:\n{}\n{}",
                arch.debian(),
                out.status,
                common::tail_lines(&out.stdout_str(), 5),
                out.stderr_tail(10)
            ))
        }
    };
    // busybox-static is wanted on both; should a suite lack it, coreutils alone still runs.
    let busybox = match fetch(&["busybox-static"]) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("real_software: {arch}: fetching busybox-static failed, retrying without it:\n{e}");
            fetch(&[])?;
            false
        }
    };
    eprintln!("real_software: {arch} sysroot ready in {:.1} s", t0.elapsed().as_secs_f64());
    if !ready(&root) {
        return Err(format!("{}: sysroot incomplete after fetch", root.display()));
    }
    Ok((root, busybox))
}

/// Creates the scratch directory the commands work in, with fixed contents and times so that
/// `ls -la` prints the same under both emulators.
fn make_workdir(base: &Path) -> PathBuf {
    let work = base.join("work");
    let _ = std::fs::remove_dir_all(base);
    std::fs::create_dir_all(work.join("subdir")).unwrap();
    let words = "pear\napple\nfig\nBanana\ncherry\n10\n9\n100\napple\n\n  indented\nzebra\n";
    std::fs::write(work.join("words.txt"), words).unwrap();
    let mut big = String::new();
    for i in 0..5000u32 {
        big += &format!("{:08x} line {}\n", i.wrapping_mul(2_654_435_761), i);
    }
    std::fs::write(work.join("big.txt"), big).unwrap();
    std::fs::write(work.join("empty"), "").unwrap();
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for f in ["words.txt", "big.txt", "empty"] {
        let file = std::fs::File::options().write(true).open(work.join(f)).unwrap();
        file.set_modified(t).unwrap();
    }
    for d in [work.join("subdir"), work.clone()] {
        std::fs::File::open(&d).unwrap().set_modified(t).unwrap();
    }
    work
}

struct Case {
    name: &'static str,
    /// Program path inside the sysroot.
    prog: &'static str,
    args: &'static [&'static str],
    /// Run with `-L` the sysroot (dynamically linked programs).
    dynamic: bool,
    /// Also compare with this host command's stdout (same args), where the host computes the answer.
    host: Option<&'static str>,
    needs_busybox: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "busybox-sh",
        prog: "bin/busybox",
        args: &["sh", "-c", "echo hi; ls /; expr 6 \\* 7"],
        dynamic: false,
        host: None,
        needs_busybox: true,
    },
    Case {
        name: "busybox-sort-wc",
        prog: "bin/busybox",
        args: &["sh", "-c", "sort words.txt | uniq -c; wc -l big.txt; sha256sum big.txt"],
        dynamic: false,
        host: None,
        needs_busybox: true,
    },
    Case {
        name: "ls-la",
        prog: "usr/bin/ls",
        args: &["-la"],
        dynamic: true,
        host: None,
        needs_busybox: false,
    },
    Case {
        name: "ls-la-subdir",
        prog: "usr/bin/ls",
        args: &["-la", "--full-time", "subdir", "words.txt", "empty"],
        dynamic: true,
        host: None,
        needs_busybox: false,
    },
    Case {
        name: "sha256sum",
        prog: "usr/bin/sha256sum",
        args: &["words.txt", "big.txt", "empty"],
        dynamic: true,
        host: Some("sha256sum"),
        needs_busybox: false,
    },
    Case {
        name: "sort",
        prog: "usr/bin/sort",
        args: &["words.txt"],
        dynamic: true,
        host: Some("sort"),
        needs_busybox: false,
    },
    Case {
        name: "sort-big",
        prog: "usr/bin/sort",
        args: &["-r", "big.txt"],
        dynamic: true,
        host: Some("sort"),
        needs_busybox: false,
    },
    Case {
        name: "sort-numeric",
        prog: "usr/bin/sort",
        args: &["-n", "-u", "words.txt"],
        dynamic: true,
        host: Some("sort"),
        needs_busybox: false,
    },
    Case {
        name: "dash-builtins",
        prog: "usr/bin/dash",
        args: &[
            "-c",
            "for i in 1 2 3; do echo \"n=$i\"; done; x=$((6 * 7)); echo $x; printf '%s|%5d\\n' ab 12",
        ],
        dynamic: true,
        host: None,
        needs_busybox: false,
    },
    Case {
        name: "md5sum",
        prog: "usr/bin/md5sum",
        args: &["words.txt", "big.txt"],
        dynamic: true,
        host: Some("md5sum"),
        needs_busybox: false,
    },
    Case {
        name: "wc",
        prog: "usr/bin/wc",
        args: &["words.txt", "big.txt"],
        dynamic: true,
        host: Some("wc"),
        needs_busybox: false,
    },
    Case {
        name: "date-utc",
        prog: "usr/bin/date",
        args: &["-u", "-d", "@1700000000", "+%Y-%m-%d %H:%M:%S %j %A"],
        dynamic: true,
        host: Some("date"),
        needs_busybox: false,
    },
];

fn run_case(arch: Arch, root: &Path, case: &Case, engine: &str, work: &Path) -> RunOutput {
    let prog = root.join(case.prog);
    let args: Vec<OsString> = common::os_args(case.args);
    let sysroot = case.dynamic.then_some(root);
    let mut cmd = match engine {
        "qemu" => common::qemu_command(arch, sysroot, &prog, &args),
        "host" => {
            let mut c = Command::new(case.host.expect("host command"));
            c.args(&args);
            c
        }
        e => common::remu_command(e, sysroot, &prog, &args),
    };
    common::guest_env(&mut cmd);
    cmd.current_dir(work);
    common::run_with_timeout(&mut cmd, common::guest_timeout(300))
}

#[test]
fn real_software() {
    if std::env::var("REMU_REAL_SOFTWARE").as_deref() != Ok("1") {
        eprintln!(
            "real_software: SKIPPED: set REMU_REAL_SOFTWARE=1 (or run scripts/test.sh --real) to fetch \
             Debian arm64/riscv64 userlands (~40 MB) and run them under remu and qemu-user"
        );
        return;
    }
    for arch in Arch::ALL {
        assert!(common::in_path(&arch.qemu()), "{} missing: run scripts/install-deps.sh", arch.qemu());
    }
    let t0 = Instant::now();
    let engines = common::remu_engines();
    let mut results: Vec<(Vec<String>, Result<(), String>)> = Vec::new();
    for arch in Arch::ALL {
        let (root, busybox) = sysroot(arch).unwrap_or_else(|e| panic!("real_software: {arch}: {e}"));
        let base = common::target_dir().join("real-software").join(arch.name());
        let work = make_workdir(&base);
        for case in CASES {
            if case.needs_busybox && !busybox {
                eprintln!(
                    "real_software: {arch}: no busybox-static in the {} suite; {} not run",
                    suites(arch),
                    case.name
                );
                continue;
            }
            let qemu = run_case(arch, &root, case, "qemu", &work);
            let host = case.host.map(|_| run_case(arch, &root, case, "host", &work));
            for engine in &engines {
                let remu = run_case(arch, &root, case, engine, &work);
                let key = vec![case.name.to_string(), arch.name().to_string(), engine.clone()];
                results.push((key, compare(&remu, &qemu, host.as_ref())));
            }
        }
    }
    let list = common::repo_root().join("tests/guest/real_software_known_failures.txt");
    let known = common::load_known_failures(&list, 3);
    let verdict = common::judge(&results, &known);
    common::report("real_software", &list, t0.elapsed(), &verdict);
}

fn compare(remu: &RunOutput, qemu: &RunOutput, host: Option<&RunOutput>) -> Result<(), String> {
    let mut problems = Vec::new();
    let rs = remu.stdout_str();
    if qemu.status != common::Status::Exit(0) {
        problems.push(format!("qemu itself failed: {}\n{}", qemu.status, qemu.stderr_tail(4)));
    }
    if remu.status != qemu.status {
        problems.push(format!(
            "status: remu {} ({:.2} s) vs qemu {}",
            remu.status,
            remu.elapsed.as_secs_f64(),
            qemu.status
        ));
    }
    if rs != qemu.stdout_str() {
        problems.push(format!("stdout remu vs qemu: {}", common::first_diff(&rs, &qemu.stdout_str())));
    }
    if let Some(h) = host {
        if rs != h.stdout_str() {
            problems.push(format!("stdout remu vs host: {}", common::first_diff(&rs, &h.stdout_str())));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let err = remu.stderr_tail(6);
    if !err.is_empty() {
        problems.push(format!("remu stderr (tail):\n  {}", err.replace('\n', "\n  ")));
    }
    Err(problems.join("\n"))
}

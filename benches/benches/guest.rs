//! Guest workloads (benches/workloads/*.c) timed natively on x86_64, under remu and under every
//! qemu-user build given, for both guests, in one run: one criterion group per workload and
//! guest, with functions `native`, `remu-<engine>` and `qemu-<version>`. scripts/bench-report.py
//! turns criterion's estimates into the remu/qemu and remu/native ratios of docs/perf.md.
//!
//! Before anything is timed, every runner's output is compared with the native output, so a
//! benchmark never times a wrong answer.
//!
//! Environment:
//! * `REMU_BENCH_REMU`: the remu binary (default: `target/release/remu`).
//! * `REMU_BENCH_ENGINES`: comma-separated remu engines (default: `interp`).
//! * `REMU_BENCH_QEMU`: comma-separated `label=dir` pairs, each dir holding `qemu-aarch64` and
//!   `qemu-riscv64` (default: `/usr/bin`, labelled with its `--version`).
//! * `REMU_BENCH_ARCHES`: comma-separated guests (default: `aarch64,riscv64`).
//! * `REMU_BENCH_WORKLOADS`: comma-separated workload names (default: all).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const WORKLOADS: &[&str] =
    &["sha256", "crc32", "qsort", "recursive", "strings", "matmul", "nbody", "bytecode", "syscalls"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn list(var: &str, default: &str) -> Vec<String> {
    std::env::var(var).unwrap_or_else(|_| default.to_string()).split(',').map(str::to_string).collect()
}

/// Compile `workload` with `cc` into the bench build dir; returns the binary path.
fn build(workload: &str, arch: &str) -> PathBuf {
    let out_dir = root().join("target/bench-build");
    std::fs::create_dir_all(&out_dir).unwrap();
    let src = root().join(format!("benches/workloads/{workload}.c"));
    let out = out_dir.join(format!("{workload}-{arch}"));
    let (cc, extra): (&str, &[&str]) = match arch {
        "native" => ("gcc", &[]),
        "aarch64" => ("aarch64-linux-gnu-gcc", &["-static"]),
        _ => ("riscv64-linux-gnu-gcc", &["-static"]),
    };
    let newer = |a: &Path, b: &Path| {
        let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        matches!((m(a), m(b)), (Some(x), Some(y)) if x >= y)
    };
    if !newer(&out, &src) || !newer(&out, &root().join("benches/workloads/common.h")) {
        let st = Command::new(cc)
            .args(["-O2", "-o"])
            .arg(&out)
            .arg(&src)
            .args(extra)
            .arg("-lm")
            .status()
            .unwrap_or_else(|e| panic!("{cc}: {e} (run scripts/install-deps.sh)"));
        assert!(st.success(), "{cc} failed on {}", src.display());
    }
    out
}

struct Runner {
    name: String,
    argv: Vec<String>,
}

fn run(argv: &[String]) -> String {
    let out = Command::new(&argv[0]).args(&argv[1..]).output().unwrap_or_else(|e| panic!("{}: {e}", argv[0]));
    assert!(out.status.success(), "{:?} exited with {}", argv, out.status);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn qemus() -> Vec<(String, PathBuf)> {
    match std::env::var("REMU_BENCH_QEMU") {
        Ok(v) => v
            .split(',')
            .filter_map(|p| p.split_once('=').map(|(l, d)| (l.to_string(), PathBuf::from(d))))
            .collect(),
        Err(_) => {
            let dir = PathBuf::from("/usr/bin");
            let v = Command::new(dir.join("qemu-aarch64")).arg("--version").output();
            let label = v
                .ok()
                .and_then(|o| {
                    String::from_utf8_lossy(&o.stdout).split_whitespace().nth(2).map(|s| s.to_string())
                })
                .unwrap_or_else(|| "system".into());
            vec![(label, dir)]
        }
    }
}

fn guests(c: &mut Criterion) {
    let remu = std::env::var("REMU_BENCH_REMU")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target/release/remu"));
    assert!(remu.exists(), "{} missing: build it with `cargo build --release -p remu`", remu.display());
    let engines = list("REMU_BENCH_ENGINES", "interp");
    let wanted = list("REMU_BENCH_WORKLOADS", &WORKLOADS.join(","));
    let qemus = qemus();
    for w in WORKLOADS.iter().filter(|w| wanted.iter().any(|x| x == *w)) {
        let native = build(w, "native");
        let expected = run(&[native.display().to_string()]);
        for arch in list("REMU_BENCH_ARCHES", "aarch64,riscv64") {
            let guest = build(w, &arch).display().to_string();
            let mut runners =
                vec![Runner { name: "native".into(), argv: vec![native.display().to_string()] }];
            for e in &engines {
                runners.push(Runner {
                    name: format!("remu-{e}"),
                    argv: vec![remu.display().to_string(), "--engine".into(), e.clone(), guest.clone()],
                });
            }
            for (label, dir) in &qemus {
                let q = dir.join(format!("qemu-{arch}"));
                if q.exists() {
                    runners.push(Runner {
                        name: format!("qemu-{label}"),
                        argv: vec![q.display().to_string(), guest.clone()],
                    });
                }
            }
            for r in &runners {
                let got = run(&r.argv);
                assert_eq!(got, expected, "{w}/{arch}: {} printed a different result than native", r.name);
            }
            let mut g = c.benchmark_group(format!("{w}/{arch}"));
            g.sample_size(10)
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(5));
            for r in &runners {
                g.bench_function(&r.name, |b| b.iter(|| run(&r.argv)));
            }
            g.finish();
        }
    }
}

criterion_group!(benches, guests);
criterion_main!(benches);

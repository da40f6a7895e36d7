//! Guest programs (DESIGN.md §6, layer 4): every tests/guest/*.c is cross-compiled for aarch64 and
//! riscv64, static and dynamic, and every tests/guest/<name>-<arch>.S as a static -nostdlib
//! program; each runs under qemu-user and under remu with each engine. A case passes when remu's
//! stdout and exit status equal qemu's, the expected status, and the golden output in
//! tests/guest/expected/ (`REMU_BLESS=1` rewrites the golden files from qemu's output).
//!
//! Directives in a source's comments: `test-cflags: FLAGS...` adds compiler flags, and
//! `test-run: NAME STATUS [ARGS...]` declares a run (default: one run `main`, status 0, no args;
//! STATUS is an exit code or `signal:N`);
//! args may be "double quoted", and `@TMP` becomes a fresh scratch directory, which is also the
//! guest's working directory. Failures that are understood are listed, with the symptom, in
//! tests/guest/known_failures.txt; a listed case that passes fails the test, so the list stays true.
//! Also here: the bundled examples/hello-<arch> (README quick start) under every engine, and the
//! JIT's report of a guest fault (faultpc-<arch>.S: exact pc, address and registers).

mod common;

use common::{Arch, RunOutput, Status};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Static,
    Dynamic,
}

impl Link {
    fn name(self) -> &'static str {
        match self {
            Link::Static => "static",
            Link::Dynamic => "dynamic",
        }
    }
}

struct Run {
    name: String,
    status: Status,
    args: Vec<String>,
}

struct Program {
    name: String,
    source: PathBuf,
    /// Some(arch) for assembly programs, which exist for one architecture only.
    only_arch: Option<Arch>,
    cflags: Vec<String>,
    runs: Vec<Run>,
}

/// One compiled binary.
struct Build {
    prog: usize,
    arch: Arch,
    link: Link,
    result: Result<PathBuf, String>,
}

/// One execution of one run of one build, under qemu or remu with an engine.
struct Exec {
    build: usize,
    run: usize,
    engine: String,
}

fn guest_dir() -> PathBuf {
    common::repo_root().join("tests/guest")
}

/// Splits a directive's argument string on whitespace, honouring "double quotes".
fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_q, mut have) = (false, false);
    for ch in s.chars() {
        match ch {
            '"' => {
                in_q = !in_q;
                have = true;
            }
            c if c.is_whitespace() && !in_q => {
                if have {
                    out.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            c => {
                cur.push(c);
                have = true;
            }
        }
    }
    if have {
        out.push(cur);
    }
    out
}

fn parse_program(path: &Path) -> Program {
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (name, only_arch) = match file.strip_suffix(".S") {
        Some(stem) => {
            let (name, arch) = stem.rsplit_once('-').unwrap_or_else(|| panic!("{file}: want NAME-ARCH.S"));
            let arch = Arch::from_name(arch).unwrap_or_else(|| panic!("{file}: unknown arch {arch}"));
            (name.to_string(), Some(arch))
        }
        None => (file.trim_end_matches(".c").to_string(), None),
    };
    let mut cflags = Vec::new();
    let mut runs = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.split_once("test-cflags:").map(|x| x.1) {
            cflags.extend(split_words(rest));
        } else if let Some(rest) = line.split_once("test-run:").map(|x| x.1) {
            let w = split_words(rest);
            assert!(w.len() >= 2, "{file}: test-run needs NAME STATUS: {line:?}");
            let status = match w[1].strip_prefix("signal:") {
                Some(sig) => sig.parse().map(Status::Signal),
                None => w[1].parse().map(Status::Exit),
            };
            let status = status.unwrap_or_else(|_| panic!("{file}: bad status in {line:?}"));
            runs.push(Run { name: w[0].clone(), status, args: w[2..].to_vec() });
        }
    }
    if runs.is_empty() {
        runs.push(Run { name: "main".into(), status: Status::Exit(0), args: Vec::new() });
    }
    Program { name, source: path.to_path_buf(), only_arch, cflags, runs }
}

fn discover() -> Vec<Program> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(guest_dir())
        .expect("tests/guest")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("c" | "S")))
        .collect();
    files.sort();
    files.iter().map(|p| parse_program(p)).collect()
}

/// Compiles one program, reusing target/guest-build/<name>-<arch>-<link>-<hash> when present.
fn compile(p: &Program, arch: Arch, link: Link) -> Result<PathBuf, String> {
    let dir = common::target_dir().join("guest-build");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut flags: Vec<String> = vec!["-O2".into(), "-g0".into(), "-Wall".into(), "-Werror".into()];
    if p.only_arch.is_some() {
        flags.extend(["-nostdlib".into(), "-static".into()]);
    } else {
        flags.extend(["-std=gnu11".into(), format!("-I{}", guest_dir().display())]);
        // FAIL lines name the source file; keep them free of the checkout's path.
        flags.push(format!("-fmacro-prefix-map={}/=", guest_dir().display()));
        if link == Link::Static {
            flags.push("-static".into());
        }
    }
    flags.extend(p.cflags.iter().cloned());
    let src = std::fs::read(&p.source).map_err(|e| e.to_string())?;
    // Headers the C programs include are part of their content.
    let header = std::fs::read(guest_dir().join("check.h")).unwrap_or_default();
    let hash = common::fnv1a64(&[&src, &header, flags.join(" ").as_bytes(), arch.gcc().as_bytes()]);
    let stem = format!("{}-{}-{}-", p.name, arch, link.name());
    let out = dir.join(format!("{stem}{hash:016x}"));
    if out.exists() {
        return Ok(out);
    }
    // Drop builds of earlier versions of this source, so the cache does not grow without bound.
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.strip_prefix(&stem).is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
    let tmp = out.with_extension("tmp");
    let mut cmd = Command::new(arch.gcc());
    cmd.args(&flags).arg("-o").arg(&tmp).arg(&p.source);
    if p.only_arch.is_none() {
        cmd.arg("-lm");
    }
    let o = cmd.output().map_err(|e| format!("cannot run {}: {e}", arch.gcc()))?;
    if !o.status.success() {
        return Err(format!("{} failed:\n{}", arch.gcc(), String::from_utf8_lossy(&o.stderr)));
    }
    std::fs::rename(&tmp, &out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Runs one execution; returns its output and a command line that reproduces it.
fn execute(progs: &[Program], builds: &[Build], x: &Exec) -> (RunOutput, String) {
    let b = &builds[x.build];
    let p = &progs[b.prog];
    let run = &p.runs[x.run];
    let bin = b.result.as_ref().expect("only successful builds run");
    let scratch = common::target_dir().join("guest-run").join(format!(
        "{}-{}-{}-{}-{}",
        p.name,
        run.name,
        b.arch,
        b.link.name(),
        x.engine
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let args: Vec<OsString> = run
        .args
        .iter()
        .map(|a| if a == "@TMP" { scratch.clone().into_os_string() } else { OsString::from(a) })
        .collect();
    let sysroot = (b.link == Link::Dynamic).then(|| b.arch.cross_sysroot());
    let mut cmd = if x.engine == "qemu" {
        common::qemu_command(b.arch, sysroot.as_deref(), bin, &args)
    } else {
        common::remu_command(&x.engine, sysroot.as_deref(), bin, &args)
    };
    let repro = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    common::guest_env(&mut cmd);
    cmd.current_dir(&scratch);
    let out = common::run_with_timeout(&mut cmd, common::guest_timeout(120));
    let _ = std::fs::remove_dir_all(&scratch);
    (out, repro)
}

fn golden_path(p: &Program, run: &Run, arch: Option<Arch>) -> PathBuf {
    let base = format!("{}.{}", p.name, run.name);
    let file = match arch {
        Some(a) => format!("{base}.{a}.out"),
        None => format!("{base}.out"),
    };
    guest_dir().join("expected").join(file)
}

/// The golden stdout for a run on an arch: the arch-specific file if present, else the shared one.
fn golden(p: &Program, run: &Run, arch: Arch) -> Option<String> {
    std::fs::read_to_string(golden_path(p, run, Some(arch)))
        .or_else(|_| std::fs::read_to_string(golden_path(p, run, None)))
        .ok()
}

/// Writes golden files from qemu's outputs: one shared file when all architectures agree.
fn bless(progs: &[Program], builds: &[Build], execs: &[Exec], outs: &[RunOutput]) {
    std::fs::create_dir_all(guest_dir().join("expected")).unwrap();
    for (pi, p) in progs.iter().enumerate() {
        for (ri, run) in p.runs.iter().enumerate() {
            let mut per_arch: Vec<(Arch, String)> = Vec::new();
            for (x, o) in execs.iter().zip(outs) {
                let b = &builds[x.build];
                if b.prog == pi && x.run == ri && x.engine == "qemu" && o.status == run.status {
                    per_arch.push((b.arch, o.stdout_str()));
                }
            }
            let Some((_, first)) = per_arch.first().cloned() else {
                eprintln!("bless: no passing qemu run of {}:{}; golden not written", p.name, run.name);
                continue;
            };
            // An assembly program is one arch's: its sibling for the other arch (same name)
            // has a golden file of its own.
            if let Some(a) = p.only_arch {
                std::fs::write(golden_path(p, run, Some(a)), &first).unwrap();
                continue;
            }
            for a in Arch::ALL {
                let _ = std::fs::remove_file(golden_path(p, run, Some(a)));
            }
            if per_arch.iter().all(|(_, s)| *s == first) {
                std::fs::write(golden_path(p, run, None), &first).unwrap();
            } else {
                let _ = std::fs::remove_file(golden_path(p, run, None));
                for (a, s) in &per_arch {
                    std::fs::write(golden_path(p, run, Some(*a)), s).unwrap();
                }
            }
        }
    }
}

fn describe(o: &RunOutput) -> String {
    format!("{} in {:.2} s", o.status, o.elapsed.as_secs_f64())
}

/// Checks one execution; qemu's output for the same build and run is the reference for remu.
fn check(
    expected: Status,
    golden: Option<&str>,
    o: &RunOutput,
    qemu: Option<&RunOutput>,
) -> Result<(), String> {
    let mut problems = Vec::new();
    let stdout = o.stdout_str();
    let qemu_stdout = qemu.map(RunOutput::stdout_str);
    let status_ok = o.status == expected && qemu.iter().all(|q| q.status == o.status);
    if !status_ok {
        let q = qemu.map(|q| format!(", qemu {}", q.status)).unwrap_or_default();
        problems.push(format!("status: got {}, expected {expected}{q}", describe(o)));
    }
    if let Some(qs) = &qemu_stdout {
        if *qs != stdout {
            problems.push(format!("stdout vs qemu: {}", common::first_diff(&stdout, qs)));
        }
    }
    // Against the golden file only when that adds something: no qemu, or qemu agrees with remu.
    match golden {
        Some(g) if g != stdout && qemu_stdout.iter().all(|qs| *qs == stdout) => {
            problems.push(format!("stdout vs golden: {}", common::first_diff(&stdout, g)))
        }
        Some(_) => {}
        None => problems.push("no golden output (bless with REMU_BLESS=1)".into()),
    }
    if problems.is_empty() {
        return Ok(());
    }
    let fails: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).take(5).collect();
    if !fails.is_empty() {
        problems.push(format!("stdout FAIL lines:\n  {}", fails.join("\n  ")));
    }
    let err = o.stderr_tail(6);
    if !err.is_empty() {
        problems.push(format!("stderr (tail):\n  {}", err.replace('\n', "\n  ")));
    }
    Err(problems.join("\n"))
}

#[test]
fn guest_programs() {
    if !common::require_guest_tools("guest_programs") {
        return;
    }
    let t0 = Instant::now();
    let progs = discover();
    assert!(!progs.is_empty(), "no programs in tests/guest");

    let mut plan: Vec<(usize, Arch, Link)> = Vec::new();
    for (i, p) in progs.iter().enumerate() {
        for arch in Arch::ALL {
            match p.only_arch {
                Some(a) if a == arch => plan.push((i, arch, Link::Static)),
                Some(_) => {}
                None => {
                    plan.push((i, arch, Link::Static));
                    plan.push((i, arch, Link::Dynamic));
                }
            }
        }
    }
    let builds: Vec<Build> = common::parallel_map(&plan, |&(i, arch, link)| Build {
        prog: i,
        arch,
        link,
        result: compile(&progs[i], arch, link),
    });
    let compile_time = t0.elapsed();
    let build_errors: Vec<String> = builds
        .iter()
        .filter_map(|b| {
            b.result
                .as_ref()
                .err()
                .map(|e| format!("{} {} {}: {e}", progs[b.prog].name, b.arch, b.link.name()))
        })
        .collect();
    assert!(build_errors.is_empty(), "guest programs failed to compile:\n{}", build_errors.join("\n"));

    let engines = common::remu_engines();
    let mut execs = Vec::new();
    for (bi, b) in builds.iter().enumerate() {
        for ri in 0..progs[b.prog].runs.len() {
            for e in std::iter::once("qemu".to_string()).chain(engines.iter().cloned()) {
                execs.push(Exec { build: bi, run: ri, engine: e });
            }
        }
    }
    let (outs, repros): (Vec<RunOutput>, Vec<String>) =
        common::parallel_map(&execs, |x| execute(&progs, &builds, x)).into_iter().unzip();

    if std::env::var("REMU_BLESS").as_deref() == Ok("1") {
        bless(&progs, &builds, &execs, &outs);
    }

    let mut results: Vec<(Vec<String>, Result<(), String>)> = Vec::new();
    for (i, x) in execs.iter().enumerate() {
        let b = &builds[x.build];
        let p = &progs[b.prog];
        let run = &p.runs[x.run];
        let qemu = (x.engine != "qemu").then(|| {
            let qi = execs
                .iter()
                .position(|q| q.build == x.build && q.run == x.run && q.engine == "qemu")
                .expect("qemu exec");
            &outs[qi]
        });
        let g = golden(p, run, b.arch);
        let key = vec![
            format!("{}:{}", p.name, run.name),
            b.arch.name().to_string(),
            b.link.name().to_string(),
            x.engine.clone(),
        ];
        let res =
            check(run.status, g.as_deref(), &outs[i], qemu).map_err(|e| format!("{e}\nrepro: {}", repros[i]));
        results.push((key, res));
    }

    let list = guest_dir().join("known_failures.txt");
    let known = common::load_known_failures(&list, 4);
    let verdict = common::judge(&results, &known);
    eprintln!(
        "guest_programs: {} programs, {} builds (compiled/cached in {:.1} s), {} executions, engines: qemu + {}",
        progs.len(),
        builds.len(),
        compile_time.as_secs_f64(),
        execs.len(),
        engines.join(", ")
    );
    common::report("guest_programs", &list, t0.elapsed(), &verdict);
}

/// The bundled examples (README quick start) print their greeting and exit 0 under every engine.
#[test]
fn bundled_examples() {
    let mut problems = Vec::new();
    for arch in Arch::ALL {
        let prog = common::repo_root().join(format!("examples/hello-{arch}"));
        let want = format!("Hello from {arch}, running under remu!\n");
        for engine in common::remu_engines() {
            let mut cmd = common::remu_command(&engine, None, &prog, &[]);
            let o = common::run_with_timeout(&mut cmd, common::guest_timeout(60));
            if o.status != Status::Exit(0) || o.stdout_str() != want {
                problems.push(format!(
                    "{arch} {engine}: {} stdout {:?} stderr {:?}",
                    o.status,
                    o.stdout_str(),
                    o.stderr_tail(3)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "bundled examples failed:\n{}", problems.join("\n"));
}

/// A guest load from an unmapped address under the JIT (tests/guest/faultpc-<arch>.S): remu dies
/// by SIGSEGV, reports the faulting instruction's address (the label `fault_here`, from `nm`)
/// and the access address, and the registers it reconstructs (`REMU_FAULT_DUMP=1`) are the ones
/// the program set just before, pinned and unpinned, with nothing from after the fault. The
/// interpreter must die by SIGSEGV too (it reports no pc).
#[test]
fn fault_report_is_exact() {
    if !common::require_guest_tools("fault_report_is_exact") {
        return;
    }
    let mut problems = Vec::new();
    for arch in Arch::ALL {
        let p = parse_program(&guest_dir().join(format!("faultpc-{arch}.S")));
        let bin = compile(&p, arch, Link::Static).unwrap_or_else(|e| panic!("{e}"));
        let nm = Command::new(arch.gcc().replace("-gcc", "-nm")).arg(&bin).output().expect("run nm");
        let syms = String::from_utf8_lossy(&nm.stdout).into_owned();
        let label = syms
            .lines()
            .find_map(|l| l.strip_suffix(" T fault_here"))
            .and_then(|a| u64::from_str_radix(a, 16).ok())
            .unwrap_or_else(|| panic!("no fault_here in nm output:\n{syms}"));
        // (register, value) pairs the program sets before the fault, by CpuState index; and
        // (sp, copy of sp + 0x19) which must differ by 0x60 + 0x19.
        let (want, sp_copy): (&[(usize, u64)], usize) = match arch {
            Arch::Aarch64 => (&[(0, 0x1234_0000_0000_00a0), (1, 0xa1), (2, 0xa2), (3, 0xa3), (9, 0x40)], 19),
            Arch::Riscv64 => (&[(15, 0x1234_0000_0000_00a5), (14, 0xa4), (10, 0xa0), (6, 0x40)], 8),
        };
        for engine in ["interp", "jit"] {
            let mut cmd = common::remu_command(engine, None, &bin, &[]);
            common::guest_env(&mut cmd);
            cmd.env("REMU_FAULT_DUMP", "1");
            let o = common::run_with_timeout(&mut cmd, common::guest_timeout(60));
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            let what = format!("{arch} {engine}");
            if o.status != Status::Signal(libc::SIGSEGV) {
                problems.push(format!("{what}: {}, want signal 11; stderr:\n{err}", o.status));
                continue;
            }
            if engine != "jit" {
                continue;
            }
            let line = format!("remu: guest SIGSEGV at pc {label:#x}: access to 0x40 (SEGV_MAPERR)");
            if !err.lines().any(|l| l == line) {
                problems.push(format!("{what}: no line {line:?} in stderr:\n{err}"));
            }
            let regs: std::collections::HashMap<String, u64> = err
                .lines()
                .filter_map(|l| l.strip_prefix("remu: fault state:"))
                .flat_map(str::split_whitespace)
                .filter_map(|w| w.split_once('='))
                .filter_map(|(k, v)| {
                    Some((k.to_string(), u64::from_str_radix(v.strip_prefix("0x")?, 16).ok()?))
                })
                .collect();
            let reg = |r: usize| regs.get(&format!("x{r}")).copied();
            let mut bad: Vec<String> = want
                .iter()
                .filter(|&&(r, v)| reg(r) != Some(v))
                .map(|&(r, v)| format!("x{r} = {:x?}, want {v:#x}", reg(r)))
                .collect();
            let sp = match arch {
                Arch::Aarch64 => 31,
                Arch::Riscv64 => 2,
            };
            if !matches!(reg(sp).zip(reg(sp_copy)), Some((s, c)) if s.wrapping_add(0x60 + 0x19) == c) {
                bad.push(format!(
                    "sp x{sp} = {:x?} and x{sp_copy} = {:x?} differ by other than 0x79",
                    reg(sp),
                    reg(sp_copy)
                ));
            }
            if regs.get("pc") != Some(&label) {
                bad.push(format!("pc = {:x?}, want {label:#x}", regs.get("pc")));
            }
            if !bad.is_empty() {
                problems.push(format!("{what}: {}\nstderr:\n{err}", bad.join("; ")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

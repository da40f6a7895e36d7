//! Smoke tests of the `remu` binary's command line: usage, version, bad remu options, bad guest
//! programs (each one clear line and a shell-like status, never a panic), that everything after
//! PROGRAM belongs to the guest, and `--stats`'s fallback counts. The tests with guests run real
//! cross-compiled programs when the cross compilers are installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn remu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_remu")).args(args).output().expect("run remu")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("remu-cli-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

/// A 64-byte ELF header with the given class, data encoding and machine (no program headers).
fn elf_header(class: u8, data: u8, machine: u16) -> Vec<u8> {
    let mut b = vec![0u8; 64];
    b[..4].copy_from_slice(b"\x7fELF");
    b[4] = class;
    b[5] = data;
    b[6] = 1;
    b[16..18].copy_from_slice(&2u16.to_le_bytes());
    b[18..20].copy_from_slice(&machine.to_le_bytes());
    b[54..56].copy_from_slice(&56u16.to_le_bytes());
    b
}

fn assert_fails(args: &[&str], code: i32, needle: &str) {
    let o = remu(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "remu {args:?}: {err}");
    assert!(err.contains(needle), "remu {args:?}: expected '{needle}' in: {err}");
    assert!(!err.contains("panicked"), "remu {args:?} panicked: {err}");
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
}

#[test]
fn help_and_version() {
    let o = remu(&["--help"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    for needle in ["PROGRAM", "--sysroot", "-E", "-U", "--strace", "--engine", "REMU_LD_PREFIX", "127"] {
        assert!(out.contains(needle), "--help lacks {needle}: {out}");
    }
    let o = remu(&["--version"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("remu "));
}

#[test]
fn bad_remu_options_exit_2() {
    for args in [&["--bogus", "x"][..], &[], &["--strace"], &["--engine", "fast", "x"], &["-d", "nope", "x"]]
    {
        let o = remu(args);
        assert_eq!(o.status.code(), Some(2), "remu {args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn bad_programs_are_one_line_errors() {
    let dir = std::env::temp_dir();
    assert_fails(&["/nonexistent/prog"], 127, "remu: /nonexistent/prog: No such file");
    assert_fails(&[dir.to_str().unwrap_or("/tmp")], 126, "Is a directory");
    let script = tmp("script", b"#!/bin/sh\necho hi\n");
    assert_fails(&[script.to_str().unwrap_or_default()], 126, "not an ELF");
    let short = tmp("short", b"\x7fELF\x02\x01\x01");
    assert_fails(&[short.to_str().unwrap_or_default()], 126, "truncated");
    let x86 = tmp("x86", &elf_header(2, 1, 62));
    assert_fails(&[x86.to_str().unwrap_or_default()], 126, "x86_64");
    let rv32 = tmp("rv32", &elf_header(1, 1, 243));
    assert_fails(&[rv32.to_str().unwrap_or_default()], 126, "32-bit");
    let be = tmp("be", &elf_header(2, 2, 183));
    assert_fails(&[be.to_str().unwrap_or_default()], 126, "big-endian");
    let nophdr = tmp("nophdr", &elf_header(2, 1, 183));
    assert_fails(&[nophdr.to_str().unwrap_or_default()], 126, "no program headers");
    // The host's own /bin/true is a real x86_64 executable.
    if Path::new("/bin/true").exists() {
        assert_fails(&["/bin/true"], 126, "x86_64");
    }
}

#[test]
fn options_after_program_belong_to_the_guest() {
    // If --help were parsed as a remu option, this would print usage and exit 0.
    assert_fails(&["/nonexistent/prog", "--help"], 127, "/nonexistent/prog");
    assert_fails(&["--strace", "/nonexistent/prog", "--bogus", "-L"], 127, "/nonexistent/prog");
    assert_fails(&["--", "/nonexistent/prog", "--version"], 127, "/nonexistent/prog");
}

#[test]
fn engine_choice_is_validated() {
    // Both engines are accepted (the run then fails on the missing program, not the option)...
    for e in ["interp", "jit"] {
        assert_fails(&["--engine", e, "/nonexistent"], 127, "/nonexistent");
    }
    // ...and anything else is a usage error.
    let o = remu(&["--engine", "fast", "/nonexistent"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Compile `src` for `cc`, or None (with the reason printed) when the compiler is missing.
fn cross(cc: &str, name: &str, src: &str) -> Option<PathBuf> {
    let c = tmp(&format!("{name}.c"), src.as_bytes());
    let out = c.with_extension("");
    match Command::new(cc).args(["-static", "-O2", "-o"]).arg(&out).arg(&c).status() {
        Ok(s) if s.success() => Some(out),
        other => {
            eprintln!("skipping {name}: {cc} unavailable or failed ({other:?})");
            None
        }
    }
}

#[test]
fn guest_sees_its_args_env_and_exit_status() {
    const SRC: &str = r#"
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);
    const char *v = getenv("REMU_SMOKE");
    printf(" env=%s unset=%s\n", v ? v : "-", getenv("REMU_SMOKE_GONE") ? "no" : "yes");
    return 7;
}
"#;
    for cc in ["aarch64-linux-gnu-gcc", "riscv64-linux-gnu-gcc"] {
        let Some(prog) = cross(cc, &format!("args-{cc}"), SRC) else { continue };
        let p = prog.to_str().unwrap_or_default();
        let o = Command::new(env!("CARGO_BIN_EXE_remu"))
            .args(["-E", "REMU_SMOKE=on", "-U", "REMU_SMOKE_GONE", "-0", "zero", "--engine", "interp"])
            .args([p, "--help", "-L", "x y"])
            .env("REMU_SMOKE_GONE", "1")
            .output()
            .expect("run remu");
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(out, "[zero][--help][-L][x y] env=on unset=yes\n", "{cc}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(7), "{cc}: {}", stderr(&o));
    }
}

/// Compile a dynamically linked program, or None (reason printed) without compiler or sysroot.
fn cross_dyn(cc: &str, sysroot: &str, name: &str, src: &str) -> Option<PathBuf> {
    if !Path::new(sysroot).join("lib").exists() {
        eprintln!("skipping {name}: no sysroot at {sysroot}");
        return None;
    }
    let c = tmp(&format!("{name}.c"), src.as_bytes());
    let out = c.with_extension("");
    match Command::new(cc).args(["-O2", "-o"]).arg(&out).arg(&c).status() {
        Ok(s) if s.success() => Some(out),
        other => {
            eprintln!("skipping {name}: {cc} unavailable or failed ({other:?})");
            None
        }
    }
}

#[test]
fn dynamic_guest_runs_with_sysroot_interpreter() {
    const SRC: &str = "#include <stdio.h>\nint main(void) { puts(\"dyn ok\"); return 5; }\n";
    for (cc, root) in [
        ("aarch64-linux-gnu-gcc", "/usr/aarch64-linux-gnu"),
        ("riscv64-linux-gnu-gcc", "/usr/riscv64-linux-gnu"),
    ] {
        let Some(prog) = cross_dyn(cc, root, &format!("dyn-{cc}"), SRC) else { continue };
        let p = prog.to_str().unwrap_or_default();
        let o = remu(&["-L", root, "--engine", "interp", p]);
        assert_eq!(String::from_utf8_lossy(&o.stdout), "dyn ok\n", "{cc}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(5), "{cc}: {}", stderr(&o));
        // Without a sysroot the interpreter is missing: 127 and a hint about -L.
        let o = Command::new(env!("CARGO_BIN_EXE_remu"))
            .arg(p)
            .env_remove("REMU_LD_PREFIX")
            .env_remove("QEMU_LD_PREFIX")
            .output()
            .expect("run remu");
        assert_eq!(o.status.code(), Some(127), "{cc}: {}", stderr(&o));
        assert!(stderr(&o).contains("-L"), "{cc}: {}", stderr(&o));
    }
}

#[test]
fn guest_trap_kills_remu_with_the_same_signal() {
    use std::os::unix::process::ExitStatusExt;
    const SRC: &str =
        "int main(int c, char **v) { if (c > 1) *(volatile int *)8 = 1; else __builtin_trap(); return 0; }\n";
    let Some(prog) = cross("aarch64-linux-gnu-gcc", "trap", SRC) else { return };
    let p = prog.to_str().unwrap_or_default();
    let o = remu(&["--engine", "interp", p]);
    assert_eq!(o.status.signal(), Some(libc::SIGTRAP), "{}", stderr(&o));
    assert!(stderr(&o).contains("guest SIGTRAP at pc 0x"), "{}", stderr(&o));
    let o = remu(&["--engine", "interp", p, "segv"]);
    assert_eq!(o.status.signal(), Some(libc::SIGSEGV), "{}", stderr(&o));
}

#[test]
fn stats_count_interpreter_fallbacks_per_op() {
    // Double arithmetic: native in the JIT, sent to the interpreter op by op when native FP
    // emission is switched off; `--stats` names the ops that fell back.
    const SRC: &str = r#"
#include <stdio.h>
int main(int argc, char **argv) {
    volatile double x = argc + 0.5;
    double s = 0;
    for (int i = 0; i < 1000; i++) s += x * i;
    printf("%.1f\n", s);
    return 0;
}
"#;
    for cc in ["aarch64-linux-gnu-gcc", "riscv64-linux-gnu-gcc"] {
        let Some(prog) = cross(cc, &format!("fallbacks-{cc}"), SRC) else { continue };
        let run = |baseline: &str| {
            let o = Command::new(env!("CARGO_BIN_EXE_remu"))
                .env("REMU_JIT_X86_BASELINE", baseline)
                .arg("--stats")
                .arg(&prog)
                .output()
                .expect("run remu");
            assert_eq!(String::from_utf8_lossy(&o.stdout), "749250.0\n", "{cc}: {}", stderr(&o));
            let err = stderr(&o);
            err.lines()
                .find(|l| l.starts_with("interpreter fallback calls: "))
                .unwrap_or_else(|| panic!("{cc}: no fallback line in\n{err}"))
                .to_string()
        };
        let off = run("fallback");
        assert!(
            off.contains("most: ") && (off.contains("fbinary") || off.contains("fternary")),
            "{cc}: {off}"
        );
        let native = run("");
        assert!(!native.contains("fbinary") && !native.contains("fternary"), "{cc}: {native}");
    }
}

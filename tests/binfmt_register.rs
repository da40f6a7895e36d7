//! binfmt_misc registration through `remu binfmt`, checked against the kernel in a private
//! binfmt_misc instance: read-back byte for byte, which ELF headers the entries match,
//! idempotence, --replace, conflicts, uninstall, status JSON, exports and bad input.
//! The interpreters here are tiny static x86_64 programs that exit with a known status, so these
//! tests need only the kernel, not a working emulator.

mod binfmt_common;

use binfmt_common::{remu, require_binfmt_cli, Sandbox};
use remu_binfmt::elf::{exit_program, ProbeMachine};

const AARCH64_ENTRY: &str = "enabled\ninterpreter INTERP\nflags: POF\noffset 0\n\
    magic 7f454c460201010000000000000000000200b700\n\
    mask ffffffffffffff00fffffffffffffffffeffffff\n";
const RISCV64_ENTRY: &str = "enabled\ninterpreter INTERP\nflags: POF\noffset 0\n\
    magic 7f454c460201010000000000000000000200f300\n\
    mask ffffffffffffff00fffffffffffffffffeffffff\n";

/// A sandbox with `fake` (exits 42) and `fake0` (exits 0) interpreters.
fn sandbox(name: &str) -> Sandbox {
    require_binfmt_cli();
    let sb = Sandbox::new(name);
    sb.file("fake", &exit_program(ProbeMachine::X86_64, 42), 0o755);
    sb.file("fake0", &exit_program(ProbeMachine::X86_64, 0), 0o755);
    sb
}

#[test]
fn entries_read_back_byte_for_byte() {
    let sb = sandbox("readback");
    let fake = sb.dir.join("fake").display().to_string();
    let out = sb
        .run(
            r#"
            "$REMU" binfmt install --path "$T/fake" --dry-run > dry.txt || exit 1
            ls $B | tr '\n' ' '; echo
            "$REMU" binfmt install --path "$T/fake" > /dev/null || exit 1
            cat $B/remu-aarch64; echo ---; cat $B/remu-riscv64; echo ---
            "$REMU" binfmt uninstall > /dev/null || exit 1
            "$REMU" binfmt install arm64 --path "$T/fake" --credential > /dev/null || exit 1
            grep flags $B/remu-aarch64; ls $B | tr '\n' ' '
            "#,
        )
        .ok();
    let expected = format!(
        "register status \n{}---\n{}---\nflags: POCF\nregister remu-aarch64 status ",
        AARCH64_ENTRY.replace("INTERP", &fake),
        RISCV64_ENTRY.replace("INTERP", &fake)
    );
    assert_eq!(out.stdout, expected, "stderr: {}", out.stderr);
    let dry = std::fs::read_to_string(sb.dir.join("dry.txt")).unwrap();
    let esc = |m: u8| {
        format!(
            "\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x{m:02x}\\x00:\
             \\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff"
        )
    };
    assert_eq!(
        dry,
        format!(":remu-aarch64:M:0:{}:{fake}:POF\n:remu-riscv64:M:0:{}:{fake}:POF\n", esc(0xb7), esc(0xf3))
    );
}

#[test]
fn crafted_headers_match_like_qemus_entries() {
    let sb = sandbox("match");
    let a64 = exit_program(ProbeMachine::Aarch64, 0);
    let rv = exit_program(ProbeMachine::Riscv64, 0);
    let with = |base: &[u8], edits: &[(usize, u8)]| {
        let mut v = base.to_vec();
        for &(i, b) in edits {
            v[i] = b;
        }
        v
    };
    // (file, bytes, should the kernel hand it to remu's entry)
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("a64-exec", a64.clone(), true),
        ("a64-dyn", with(&a64, &[(16, 3)]), true),
        ("a64-osabi3", with(&a64, &[(7, 3)]), true),
        ("rv-exec", rv.clone(), true),
        ("rv-dyn", with(&rv, &[(16, 3)]), true),
        ("rv-osabi3", with(&rv, &[(7, 3)]), true),
        ("a64-rel", with(&a64, &[(16, 1)]), false),
        ("rv-rel", with(&rv, &[(16, 1)]), false),
        ("riscv32", with(&rv, &[(4, 1)]), false),
        ("a64-bigendian", with(&a64, &[(5, 2)]), false),
        ("a64-abiversion", with(&a64, &[(8, 1)]), false),
        ("x86_64", exit_program(ProbeMachine::X86_64, 0), false),
    ];
    let mut script = String::from("\"$REMU\" binfmt install --path \"$T/fake\" || exit 1\n");
    for (name, bytes, _) in &cases {
        sb.file(name, bytes, 0o755);
        script += &format!("t ./{name} 2>/dev/null; echo {name}=$?\n");
    }
    let out = sb.run(&script).ok();
    for (name, _, matched) in &cases {
        let got = out.stdout.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).unwrap();
        assert_eq!(got == "42", *matched, "{name}: exit status {got}\n{}", out.stdout);
    }
}

#[test]
fn install_is_idempotent_and_replacing_is_explicit() {
    let sb = sandbox("idempotent");
    let out = sb
        .run(
            r#"
            "$REMU" binfmt install --path "$T/fake" || exit 1
            cat $B/remu-aarch64 $B/remu-riscv64 > before
            "$REMU" binfmt install --path "$T/fake"; echo again=$?
            cat $B/remu-aarch64 $B/remu-riscv64 | cmp - before && echo unchanged
            "$REMU" binfmt install --path "$T/fake0" 2>err; echo differing=$?
            cat err
            cat $B/remu-aarch64 $B/remu-riscv64 | cmp - before && echo still-unchanged
            "$REMU" binfmt install --path "$T/fake0" --replace riscv64; echo replace=$?
            grep interpreter $B/remu-aarch64 $B/remu-riscv64
            "#,
        )
        .ok();
    let s = &out.stdout;
    assert!(s.contains("already installed") && s.contains("again=0\nunchanged\n"), "{s}");
    assert!(s.contains("differing=1\n") && s.contains("--replace") && s.contains("still-unchanged"), "{s}");
    let fake = sb.dir.join("fake").display().to_string();
    assert!(s.contains("replace=0\n"), "{s}");
    assert!(s.contains(&format!("remu-aarch64:interpreter {fake}\n")), "{s}");
    assert!(s.contains(&format!("remu-riscv64:interpreter {fake}0\n")), "{s}");
}

/// qemu's entry for aarch64, as qemu-binfmt-conf.sh and tonistiigi/binfmt register it.
const QEMU_AARCH64: &str = r":qemu-aarch64:M:0:\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff";

#[test]
fn a_conflicting_entry_is_reported_and_the_newest_wins() {
    let sb = sandbox("conflict");
    sb.file("qemu", &exit_program(ProbeMachine::X86_64, 43), 0o755);
    sb.file("prog", &exit_program(ProbeMachine::Aarch64, 0), 0o755);
    let script = format!(
        r#"
        "$REMU" binfmt install --path "$T/fake" aarch64 > /dev/null || exit 1
        printf '%s' '{QEMU_AARCH64}:'"$T/qemu"':F' > $B/register || exit 1
        t ./prog; echo qemu-newest=$?
        "$REMU" binfmt install --path "$T/fake" aarch64 >out1 2>err1; echo keep=$?
        "$REMU" binfmt install --path "$T/fake" aarch64 --replace >out2 2>err2; echo replace=$?
        t ./prog; echo remu-newest=$?
        echo; cat out1 err1 out2 err2
        "$REMU" binfmt status | grep conflict
        "$REMU" binfmt uninstall; echo uninstall=$?
        ls $B | tr '\n' ' '
        "#
    );
    let out = sb.run(&script).ok();
    let s = &out.stdout;
    assert!(s.contains("qemu-newest=43\nkeep=0\nreplace=0\nremu-newest=42\n"), "{s}");
    assert!(s.contains("remu-aarch64: already installed") && s.contains("remu-aarch64: replaced"), "{s}");
    assert!(s.contains("warning: qemu-aarch64") && s.contains("does not say which"), "{s}");
    assert!(s.contains("remu-aarch64 wins, being the most recently registered"), "{s}");
    assert!(s.contains("conflict: qemu-aarch64"), "{s}");
    assert!(s.contains("remu-aarch64: removed") && s.ends_with("qemu-aarch64 register status "), "{s}");
}

#[test]
fn status_json_reports_what_the_probe_ran() {
    let sb = sandbox("status");
    let out = sb
        .run(
            r#"
            "$REMU" binfmt status --json; echo status=$?
            "$REMU" binfmt install --path "$T/fake0" riscv64 > /dev/null || exit 1
            "$REMU" binfmt install --path "$T/fake0" --no-fix-binary aarch64 > /dev/null || exit 1
            "$REMU" binfmt status --json
            "$REMU" binfmt status
            "#,
        )
        .ok();
    let s = &out.stdout;
    let empty = "{\n  \"supported\": [\n    \"linux/amd64\"\n  ],\n  \"emulators\": []\n}\nstatus=0\n";
    assert!(s.starts_with(empty), "{s}");
    // riscv64 has F, so its interpreter runs in the empty chroot; aarch64 lacks F, so it cannot.
    let both = "{\n  \"supported\": [\n    \"linux/amd64\",\n    \"linux/riscv64\"\n  ],\n  \
                \"emulators\": [\n    \"remu-aarch64\",\n    \"remu-riscv64\"\n  ]\n}\n";
    assert!(s.contains(both), "{s}");
    assert!(s.contains("remu-aarch64: enabled, interpreter ") && s.contains("flags PO\n"), "{s}");
    assert!(s.contains("missing inside the chroot"), "{s}");
    assert!(s.contains("probe: a static riscv64 program ran in an empty chroot"), "{s}");
}

#[test]
fn exports_register_the_same_entries() {
    let sb = sandbox("export");
    let out = sb
        .run(
            r#"
            "$REMU" binfmt export --systemd "$T/binfmt.d" --path "$T/fake" > /dev/null || exit 1
            "$REMU" binfmt export --debian "$T/debian" --path "$T/fake" --credential arm64 > /dev/null || exit 1
            ls binfmt.d debian | tr '\n' ' '; echo
            for f in binfmt.d/*.conf; do grep -v '^#' "$f" > $B/register || exit 1; done
            cat $B/remu-aarch64 $B/remu-riscv64 > from-export
            for f in $B/remu-*; do echo -1 > "$f"; done
            "$REMU" binfmt install --path "$T/fake" > /dev/null || exit 1
            cat $B/remu-aarch64 $B/remu-riscv64 | cmp - from-export && echo identical
            cat debian/remu-aarch64
            "#,
        )
        .ok();
    let fake = sb.dir.join("fake").display().to_string();
    let s = &out.stdout;
    assert!(s.starts_with("binfmt.d: remu-aarch64.conf remu-riscv64.conf  debian: remu-aarch64 \n"), "{s}");
    assert!(s.contains("identical\n"), "{s}");
    assert!(s.contains(&format!("package remu\ninterpreter {fake}\nmagic \\x7f\\x45\\x4c\\x46")), "{s}");
    assert!(s.ends_with("offset 0\ncredentials yes\npreserve yes\nfix_binary yes\n"), "{s}");
}

#[test]
fn bad_input_is_refused_and_registers_nothing() {
    let sb = sandbox("bad");
    let script = format!(
        r#"
        try() {{ "$REMU" binfmt "$@" 2>err; echo "$1 rc=$?"; head -c 300 err; echo; ls $B | tr '\n' ' '; echo; }}
        try install mips --path "$T/fake"
        try install aarch64 x86_64 --path "$T/fake"
        try install --path fake
        try install --path "$T/missing"
        try install --path "{dynamic}"
        try uninstall sparc
        "$REMU" binfmt install riscv64 --path "$T/fake0" > /dev/null || exit 1
        try install --path "$T/fake"
        "#,
        dynamic = remu().display()
    );
    let out = sb.run(&script).ok();
    let s = &out.stdout;
    assert!(!s.contains("rc=0"), "{s}");
    for needle in [
        "unknown architecture 'mips'",
        "'x86_64' is the host architecture",
        "relative",
        "missing: No such file",
        "dynamically linked (PT_INTERP",
        "unknown architecture 'sparc'",
        "remu-riscv64 is already registered differently",
    ] {
        assert!(s.contains(needle), "missing {needle:?} in\n{s}");
    }
    // Nothing was registered by any failed command, including the half that could have been.
    assert_eq!(s.matches("\nregister status \n").count(), 6, "{s}");
    assert!(s.ends_with("\nregister remu-riscv64 status \n"), "{s}");
}

#[test]
fn no_permission_and_no_binfmt_misc_are_clear_errors() {
    let sb = sandbox("perm");
    if binfmt_common::is_root() {
        let out = sb
            .run(
                r#"
                setpriv --reuid=65534 --regid=65534 --clear-groups "$REMU" binfmt install --path "$T/fake"
                echo rc=$?; ls $B | tr '\n' ' '
                "#,
            )
            .ok();
        assert!(out.stdout.contains("rc=1\nregister status "), "{}", out.stdout);
        assert!(out.stderr.contains("needs root"), "{}", out.stderr);
        // status needs no privilege: without CAP_SYS_CHROOT the probe chroots in a fresh user
        // namespace, whose exec still finds the entries of the namespace above it.
        let out = sb
            .run(
                r#"
                "$REMU" binfmt install --path "$T/fake0" riscv64 > /dev/null || exit 1
                setpriv --reuid=65534 --regid=65534 --clear-groups "$REMU" binfmt status --json
                "#,
            )
            .ok();
        assert!(out.stdout.contains("\"linux/amd64\",\n    \"linux/riscv64\"\n  ]"), "{}", out.stdout);
        let out = sb
            .run_env(
                r#"
                setpriv --reuid=65534 --regid=65534 --clear-groups "$REMU" binfmt install --path "$T/fake"
                echo rc=$?
                "#,
                &[("NO_BINFMT", "1")],
            )
            .ok();
        assert!(out.stdout.contains("rc=1"), "{}", out.stdout);
        assert!(out.stderr.contains("mounting it was refused"), "{}", out.stderr);
    }
    // No binfmt_misc at all: hide /proc/sys/fs behind an empty tmpfs.
    let out = sb
        .run_env(
            r#"
            mount -t tmpfs none /proc/sys/fs || exit 1
            "$REMU" binfmt install --path "$T/fake"; echo rc=$?
            "$REMU" binfmt status --json; echo status=$?
            "#,
            &[("NO_BINFMT", "1")],
        )
        .ok();
    assert!(out.stdout.contains("rc=1\n"), "{}", out.stdout);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    assert!(out.stdout.contains("\"emulators\": []\n}\nstatus=0"), "{}", out.stdout);
}

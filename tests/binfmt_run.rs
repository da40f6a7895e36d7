//! remu as the kernel's binfmt_misc interpreter, end to end: foreign binaries run directly and
//! in a chroot that holds no remu (F flag), argv with and without P, AT_EXECFD (also as fd 0),
//! an execute-only binary run by an unprivileged user, /proc/self/exe, a guest execve of another
//! foreign binary, and the status probe. Each test runs in a private binfmt_misc instance, with
//! the static remu built by scripts/build-static.sh (or REMU_STATIC_BIN) as the interpreter.
//! The guest is tests/guest/binfmt/args.c, cross-compiled static for each architecture.

mod binfmt_common;

use binfmt_common::{guest_args_program, is_root, require_binfmt_cli, static_remu, Sandbox};

/// A sandbox holding `args-a64` and `args-rv`, with `$SREMU` the static remu.
fn setup(name: &str) -> (Sandbox, Vec<(&'static str, String)>) {
    require_binfmt_cli();
    let sremu = static_remu().display().to_string();
    let sb = Sandbox::new(name);
    guest_args_program("aarch64", &sb.dir.join("args-a64"));
    guest_args_program("riscv64", &sb.dir.join("args-rv"));
    (sb, vec![("SREMU", sremu)])
}

fn run(sb: &Sandbox, env: &[(&'static str, String)], script: &str) -> binfmt_common::Out {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    sb.run_env(script, &env)
}

#[test]
fn foreign_binaries_run_with_the_original_argv0() {
    let (sb, env) = setup("run-p");
    let out = run(
        &sb,
        &env,
        r#"
        "$REMU" binfmt install --path "$SREMU" > /dev/null || exit 1
        t ./args-a64 a1 a2 || exit 1
        t bash -c "exec -a myname ./args-rv a1 a2" || exit 1
        t bash -c "exec -a myname ./args-a64 'two words'" || exit 1
        "#,
    )
    .ok();
    let t = sb.dir.display();
    let s = &out.stdout;
    assert!(s.contains(&format!("argv[0]=./args-a64\nargv[1]=a1\nargv[2]=a2\nexe={t}/args-a64\n")), "{s}");
    assert!(s.contains(&format!("argv[1]=a1\nargv[2]=a2\nexe={t}/args-rv\n")), "{s}");
    assert!(s.contains(&format!("argv[0]=myname\nargv[1]=two words\nexe={t}/args-a64\n")), "{s}");
}

#[test]
fn without_p_the_guest_sees_the_path_as_argv0() {
    let (sb, env) = setup("run-nop");
    // remu never registers without P; write the entry by hand, as another tool might.
    let out = run(
        &sb,
        &env,
        r#"
        "$REMU" binfmt install --path "$SREMU" --dry-run aarch64 | sed 's/:POF$/:OF/' > line
        cat line > $B/register || exit 1
        grep flags $B/remu-aarch64
        t bash -c "exec -a myname ./args-a64 a1" || exit 1
        "#,
    )
    .ok();
    let s = &out.stdout;
    assert!(s.starts_with("flags: OF\n"), "{s}");
    assert!(!s.contains("myname"), "{s}");
    assert!(s.contains("args-a64\nargv[1]=a1\n"), "{s}");
}

#[test]
fn execfd_is_used_and_released_also_when_stdin_is_closed() {
    let (sb, env) = setup("run-execfd");
    let out = run(
        &sb,
        &env,
        r#"
        "$REMU" binfmt install --path "$SREMU" > /dev/null || exit 1
        t ./args-a64 </dev/null || exit 1
        t ./args-rv <&- || exit 1
        "#,
    )
    .ok();
    let s = &out.stdout;
    assert!(s.contains("fd0=open\nfirst-free-fd=3\n"), "{s}");
    assert!(s.contains("fd0=closed\nfirst-free-fd=0\n"), "{s}");
}

#[test]
fn an_execute_only_binary_runs_for_an_unprivileged_user() {
    assert!(is_root(), "this test switches to uid 65534 inside the namespace, which needs real root");
    let (sb, env) = setup("run-0711");
    let out = run(
        &sb,
        &env,
        r#"
        "$REMU" binfmt install --path "$SREMU" > /dev/null || exit 1
        chmod 0711 args-a64
        setpriv --reuid=65534 --regid=65534 --clear-groups cat args-a64 > /dev/null 2>&1 && echo readable
        setpriv --reuid=65534 --regid=65534 --clear-groups timeout 60 ./args-a64 x || exit 1
        "#,
    )
    .ok();
    assert!(!out.stdout.contains("readable"), "{}", out.stdout);
    assert!(out.stdout.contains("argv[0]=./args-a64\nargv[1]=x\n"), "{}", out.stdout);
}

#[test]
fn runs_in_a_chroot_that_holds_no_remu() {
    let (sb, env) = setup("run-chroot");
    let out = run(
        &sb,
        &env,
        r#"
        "$REMU" binfmt install --path "$SREMU" > /dev/null || exit 1
        mkdir root && cp args-a64 root/a && cp args-rv root/r
        t chroot root /a x || exit 1
        t chroot root /r y || exit 1
        "#,
    )
    .ok();
    let s = &out.stdout;
    assert!(s.contains("argv[0]=/a\nargv[1]=x\nexe=/a\n"), "{s}");
    assert!(s.contains("argv[0]=/r\nargv[1]=y\nexe=/r\n"), "{s}");
}

#[test]
fn a_guest_execs_another_foreign_binary_with_and_without_binfmt() {
    let (sb, env) = setup("run-execve");
    let out = run(
        &sb,
        &env,
        r#"
        echo without; t "$REMU" ./args-a64 exec ./args-rv r1 || exit 1
        "$REMU" binfmt install --path "$SREMU" > /dev/null || exit 1
        echo with; t ./args-rv exec ./args-a64 a1 || exit 1
        "#,
    )
    .ok();
    let t = sb.dir.display();
    let s = &out.stdout;
    assert!(s.contains(&format!("without\nargv[0]=./args-rv\nargv[1]=r1\nexe={t}/args-rv\n")), "{s}");
    assert!(s.contains(&format!("with\nargv[0]=./args-a64\nargv[1]=a1\nexe={t}/args-a64\n")), "{s}");
}

#[test]
fn status_probe_runs_both_architectures_through_the_kernel() {
    let (sb, env) = setup("run-status");
    let out = run(
        &sb,
        &env,
        r#"
        "$REMU" binfmt install --path "$SREMU" > /dev/null || exit 1
        "$REMU" binfmt status --json
        "#,
    )
    .ok();
    assert_eq!(
        out.stdout,
        "{\n  \"supported\": [\n    \"linux/amd64\",\n    \"linux/arm64\",\n    \"linux/riscv64\"\n  ],\n  \
         \"emulators\": [\n    \"remu-aarch64\",\n    \"remu-riscv64\"\n  ]\n}\n"
    );
}

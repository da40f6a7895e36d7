//! clone as fork, execve of a host program, wait4: process creation through `Linux::handle`.

mod common;

use common::*;

const CLONE: u64 = 220;
const EXECVE: u64 = 221;
const WAIT4: u64 = 260;
const SIGCHLD: u64 = 17;

fn wait_status(r: &mut Rig, pid: u64) -> i32 {
    let mut status = 0i32;
    assert_eq!(r.call(WAIT4, &[pid, &mut status as *mut i32 as u64, 0, 0]), pid);
    status
}

#[test]
fn clone_sigchld_forks_and_the_child_gets_its_stack_and_tls() {
    let mut r = Rig::aarch64();
    // fork-like clone with CLONE_SETTLS (0x80000): the tls goes to the guest, not the host.
    let pid = r.call(CLONE, &[SIGCHLD | 0x80000, 0x7000_0000, 0, 0x1234_5000, 0]);
    if pid == 0 {
        let ok = r.cpu.x[31] == 0x7000_0000 && r.cpu.tls == 0x1234_5000;
        // SAFETY: leave the forked test process at once, reporting through the exit status.
        unsafe { libc::_exit(if ok { 42 } else { 1 }) };
    }
    assert!((pid as i64) > 0, "clone failed: {}", pid as i64);
    let st = wait_status(&mut r, pid);
    assert!(libc::WIFEXITED(st) && libc::WEXITSTATUS(st) == 42, "status {st:#x}");
    assert_eq!(r.cpu.tls, 0, "the parent's thread pointer is untouched");
}

#[test]
fn thread_clone_is_refused() {
    let mut r = Rig::aarch64();
    // CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD
    assert_eq!(r.call(CLONE, &[0x10f00, 0x7000_0000, 0, 0, 0]), neg(libc::ENOSYS));
}

#[test]
fn execve_runs_a_host_program_and_reports_errors() {
    let mut r = Rig::aarch64();
    let missing = cstr("/nonexistent/remu-prog");
    let argv = [missing.as_ptr() as u64, 0];
    assert_eq!(r.call(EXECVE, &[missing.as_ptr() as u64, argv.as_ptr() as u64, 0]), neg(libc::ENOENT));
    assert_eq!(r.call(EXECVE, &[missing.as_ptr() as u64, 8, 0]), neg(libc::EFAULT));

    let pid = r.call(CLONE, &[SIGCHLD, 0, 0, 0, 0]);
    if pid == 0 {
        let sh = cstr("/bin/sh");
        let (c, cmd) = (cstr("-c"), cstr("exit 7"));
        let argv = [sh.as_ptr() as u64, c.as_ptr() as u64, cmd.as_ptr() as u64, 0];
        let env = [0u64];
        r.call(EXECVE, &[sh.as_ptr() as u64, argv.as_ptr() as u64, env.as_ptr() as u64]);
        // SAFETY: only reached if execve failed.
        unsafe { libc::_exit(1) };
    }
    let st = wait_status(&mut r, pid);
    assert!(libc::WIFEXITED(st) && libc::WEXITSTATUS(st) == 7, "status {st:#x}");
}

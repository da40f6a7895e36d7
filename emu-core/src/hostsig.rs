//! remu's own SIGSEGV/SIGBUS handlers, and how each passes on the faults that are not its own.
//!
//! Two parts of remu recover from host faults: generated code's guest accesses (the JIT's fault
//! map, backend-x86_64/src/fault.rs) and the fault-tolerant guest copies of [`crate::mem`]. Each
//! installs its handler with [`install`], which keeps the action it replaced; a fault the
//! handler does not recognise goes on with [`chain`] to that action (the other part's handler,
//! Rust's stack-overflow reporter, or the default action), as if the handler were not there.
//! The order of installation does not matter.
//!
//! Async-signal safety: [`chain`] takes no lock and allocates nothing.

use libc::{c_int, c_void, siginfo_t};
use std::sync::OnceLock;

/// A fault handler with the SA_SIGINFO signature.
pub type Handler = extern "C" fn(c_int, *mut siginfo_t, *mut c_void);

/// The actions for SIGSEGV and SIGBUS that one handler replaced.
pub type Replaced = [OnceLock<libc::sigaction>; 2];

/// Install `handler` for SIGSEGV and SIGBUS (on the alternate stack), keeping the actions it
/// replaces in `old` for [`chain`]. Call once per handler (under a `Once`).
pub fn install(old: &'static Replaced, handler: Handler) {
    for (i, sig) in [libc::SIGSEGV, libc::SIGBUS].into_iter().enumerate() {
        // SAFETY: sigaction with valid pointers; the old action is stored before ours is
        // installed, so the handler always finds it.
        unsafe {
            let mut prev: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut prev);
            let _ = old[i].set(prev);
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handler as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Not this handler's fault: behave as if the handler in `old`'s place were not there.
///
/// # Safety
/// Only from a SIGSEGV/SIGBUS handler installed by [`install`] with `old`, passing on the
/// arguments the kernel gave it.
pub unsafe fn chain(old: &Replaced, sig: c_int, info: *mut siginfo_t, uctx: *mut c_void) {
    let old = old[usize::from(sig == libc::SIGBUS)].get();
    // SAFETY: the siginfo the kernel passed to the handler.
    let user_sent = unsafe { (*info).si_code } <= 0;
    match old.map(|o| (o.sa_sigaction, o.sa_flags)) {
        Some((h, flags)) if h != libc::SIG_DFL && h != libc::SIG_IGN => {
            if flags & libc::SA_SIGINFO != 0 {
                // SAFETY: an SA_SIGINFO action's handler has this signature.
                let f = unsafe { std::mem::transmute::<usize, Handler>(h) };
                f(sig, info, uctx);
            } else {
                // SAFETY: a plain action's handler takes the signal number.
                let f = unsafe { std::mem::transmute::<usize, extern "C" fn(c_int)>(h) };
                f(sig);
            }
        }
        // An ignored signal sent by a process stays ignored; a fault cannot be ignored.
        Some((h, _)) if h == libc::SIG_IGN && user_sent => {}
        // Default action: a fault recurs when we return; a sent signal must be raised again.
        _ if user_sent => unsafe { die_by(sig) },
        _ => unsafe { set_default(sig) },
    }
}

/// Default action for `sig`, unblocked, and raise it; if we survive, returning re-executes the
/// faulting instruction, which then kills.
///
/// # Safety
/// Async-signal-safe; changes the process's action for `sig`.
pub unsafe fn die_by(sig: c_int) {
    // SAFETY: valid arguments to async-signal-safe calls.
    unsafe {
        set_default(sig);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
}

unsafe fn set_default(sig: c_int) {
    // SAFETY: installing SIG_DFL with an empty mask.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

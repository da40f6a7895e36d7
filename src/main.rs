//! `remu`: run a Linux aarch64 or riscv64 program on x86_64, as `remu [OPTIONS] PROGRAM ARGS`,
//! as binfmt_misc's interpreter, or manage binfmt registration with `remu binfmt ...`.
//!
//! Order matters: binfmt interpreter mode is detected before any option parsing (the guest's
//! argv must not be read as remu options), then the `binfmt` subcommand, then the normal CLI.

mod cli;
mod interp_mode;
mod run;
mod trace;

use run::{EngineKind, RunSpec};

/// mimalloc: translation and compilation make many small short-lived allocations per block,
/// which glibc's malloc served at about 15% of a short guest process's time.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::ffi::OsString;
use std::io::Write;

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    let code = real_main(args);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(code);
}

/// Undo what the Rust runtime changed in the process state a guest inherits: it ignores SIGPIPE,
/// so a guest writing to a closed pipe would get EPIPE instead of dying as it does natively.
fn restore_host_signal_state() {
    // SAFETY: resetting a signal disposition to its default.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
}

fn real_main(args: Vec<OsString>) -> i32 {
    if let Some(inv) = interp_mode::detect(&args) {
        restore_host_signal_state();
        // AT_SECURE: a setuid guest must not be steered by the invoker's environment.
        let sysroot = if inv.secure { None } else { cli::sysroot(None, |k| std::env::var_os(k)) };
        return run::run(RunSpec {
            display_path: inv.exe_path.clone(),
            exe_path: inv.exe_path,
            execfn: Some(inv.execfn),
            file: inv.file,
            argv: inv.argv,
            envp: std::env::vars_os().map(join_env).collect(),
            sysroot,
            secure: inv.secure,
            strace: false,
            stats: false,
            debug: Default::default(),
            log: None,
            engine: default_engine(),
        });
    }
    if args.get(1).is_some_and(|a| a == "binfmt") {
        return binfmt(&args[2..], args.first());
    }
    let cli = cli::parse(&args);
    let debug = match cli.debug.as_deref().map(cli::DebugLog::parse).transpose() {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => {
            eprintln!("remu: -d: {e}");
            return cli::EXIT_USAGE;
        }
    };
    let engine = match cli.engine.as_deref() {
        None => default_engine(),
        Some("interp") => EngineKind::Interp,
        // clap restricts the value to interp|jit.
        Some(_) => EngineKind::Jit,
    };
    let log: Option<Box<dyn Write + Send>> = match &cli.log_file {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(Box::new(std::io::BufWriter::new(f))),
            Err(e) => {
                eprintln!("remu: -D {}: {e}", p.display());
                return cli::EXIT_USAGE;
            }
        },
        None => None,
    };
    // clap enforces PROGRAM (`required`); `unwrap_or_default` only satisfies the type.
    let program = cli.program.clone().unwrap_or_default();
    let (file, exe_path) = match run::open_program(program.as_ref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut argv = vec![cli.argv0.clone().unwrap_or_else(|| program.clone())];
    argv.extend(cli.args.iter().cloned());
    restore_host_signal_state();
    run::run(RunSpec {
        file,
        display_path: program.into(),
        exe_path,
        execfn: None,
        argv,
        envp: cli::guest_env(std::env::vars_os(), &cli),
        sysroot: cli::sysroot(cli.sysroot.clone(), |k| std::env::var_os(k)),
        secure: false,
        strace: cli.strace,
        stats: cli.stats,
        debug,
        log,
        engine,
    })
}

fn join_env((mut k, v): (OsString, OsString)) -> OsString {
    k.push("=");
    k.push(v);
    k
}

/// The JIT once it is the default (`remu_backend_x86_64::AVAILABLE`), else the interpreter;
/// `--engine` picks either explicitly.
fn default_engine() -> EngineKind {
    if remu_backend_x86_64::AVAILABLE {
        EngineKind::Jit
    } else {
        EngineKind::Interp
    }
}

/// `remu binfmt ...`, handled by the remu-binfmt crate. The interpreter it registers defaults
/// to this very binary, resolved through /proc/self/exe so a relative argv[0] cannot leak in.
fn binfmt(args: &[OsString], argv0: Option<&OsString>) -> i32 {
    let self_exe = std::env::current_exe()
        .ok()
        .or_else(|| argv0.map(|a| std::path::absolute(a).unwrap_or_else(|_| a.into())))
        .unwrap_or_else(|| "remu".into());
    remu_binfmt::cli::run(args, &self_exe)
}

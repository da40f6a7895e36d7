//! Host faults in generated code (backend-x86_64/src/fault.rs): a guest access that faults must
//! end the process by the guest's signal, name the faulting guest instruction, and leave the
//! guest state exactly as the interpreter has it at that instruction, pinned registers included.
//!
//! Each case runs in a child process (this test binary again, selected by `FAULT_MAP_CHILD`)
//! that dies of the fault; the parent checks its wait status and its stderr, where
//! `REMU_FAULT_DUMP=1` makes the handler print the reconstructed registers. The reference state
//! comes from the interpreter running the same blocks with the faulting block cut just before
//! the faulting instruction.

use emu_core::cpu::{off, CpuState};
use emu_core::engine::{Engine, Exit};
use emu_core::guest::{Arch, Guest};
use emu_core::interp::{exec_block, Interp};
use emu_core::ir::{Block, Cmp, Term, Ty};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::Arc;

mod common;
use common::Rng;

const CHILD: &str = "FAULT_MAP_CHILD";
const LOOP_PC: u64 = 0x1000;
const FAULT_BLOCK_PC: u64 = 0x2000;

/// Prepared blocks for either guest (the common `TableGuest` is AArch64 only; pinning differs).
struct Blocks(Arch, HashMap<u64, Block>);

impl Guest for Blocks {
    fn arch(&self) -> Arch {
        self.0
    }
    fn translate(&self, pc: u64) -> Block {
        self.1.get(&pc).cloned().unwrap_or_else(|| {
            let mut b = Block::new(self.0, pc);
            b.term = Term::Syscall { next: pc + 1 };
            b
        })
    }
    fn init_cpu(&self, _: &mut CpuState, _: u64, _: u64) {}
    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        (cpu.x[8], [0; 6])
    }
    fn set_syscall_ret(&self, _: &mut CpuState, _: u64) {}
    fn sp(&self, cpu: &CpuState) -> u64 {
        cpu.x[31]
    }
    fn set_sp(&self, _: &mut CpuState, _: u64) {}
    fn set_tls(&self, _: &mut CpuState, _: u64) {}
    fn hwcap(&self) -> (u64, u64) {
        (0, 0)
    }
}

/// What faults, and how the kernel reports it.
#[derive(Copy, Clone, Debug)]
enum Kind {
    /// The unmapped page at 0: SIGSEGV, SEGV_MAPERR.
    Null,
    /// A PROT_NONE page: SIGSEGV, SEGV_ACCERR.
    NoAccess,
    /// A shared file mapping past the end of its (empty) file: SIGBUS, BUS_ADRERR.
    PastEof,
}

struct Case {
    arch: Arch,
    kind: Kind,
    store: bool,
    seed: u64,
    /// The access is inside the loop (on its last iteration), where the JIT keeps loop-carried
    /// registers in host registers (emit/looping.rs): the fault map must name them too.
    in_loop: bool,
}

fn cases() -> Vec<Case> {
    let kinds = [Kind::Null, Kind::NoAccess, Kind::PastEof];
    (0..18)
        .map(|i| Case {
            arch: if i % 2 == 0 { Arch::Aarch64 } else { Arch::Riscv64 },
            kind: kinds[i % 3],
            store: i % 4 >= 2 && i < 12,
            seed: 0x9e37_79b9 + i as u64,
            in_loop: i >= 12,
        })
        .collect()
}

/// Guest registers the random writes pick from: the pinned ones of both guests (AArch64 x0, x1,
/// x2, SP; RISC-V sp, a0, a4, a5) twice as often, and some that live in memory.
const REGS: [usize; 14] = [0, 1, 2, 31, 2, 10, 14, 15, 0, 31, 3, 9, 19, 30];

/// Append one guest instruction at `pc` that writes a few registers from others and constants
/// (64- and 32-bit writes; a 32-bit write keeps the upper half of the state word).
fn random_insn(b: &mut Block, pc: u64, rng: &mut Rng) {
    b.mark(pc);
    for _ in 0..1 + rng.below(3) {
        let (src, dst) = (rng.pick(&REGS), rng.pick(&REGS));
        let x = b.get(Ty::I64, off::x(src));
        let k = b.iconst(Ty::I64, rng.next() >> rng.below(64));
        let v = b.add(Ty::I64, x, k);
        if rng.below(4) == 0 {
            let v32 = b.trunc(Ty::I32, v);
            b.set(off::x(dst), v32);
        } else {
            b.set(off::x(dst), v);
        }
    }
}

/// A loop (chained to itself, so pinned registers travel between blocks in host registers) that
/// runs three times and goes to the faulting block: random writes, the access at `fault_pc`,
/// and writes after it that must not be seen. `cut`: end the faulting block before the access
/// instead (the interpreter's reference).
fn build(c: &Case, addr: u64, cut: bool) -> (Blocks, u64) {
    if c.in_loop {
        return build_in_loop(c, addr, cut);
    }
    let mut rng = Rng(c.seed);
    let counter = off::x(4); // not pinned by either guest, and not in REGS
    let mut l = Block::new(c.arch, LOOP_PC);
    for k in 0..3 {
        random_insn(&mut l, LOOP_PC + 4 * k, &mut rng);
    }
    l.mark(LOOP_PC + 12);
    let n = l.get(Ty::I64, counter);
    let one = l.iconst(Ty::I64, 1);
    let n1 = l.sub(Ty::I64, n, one);
    l.set(counter, n1);
    let zero = l.iconst(Ty::I64, 0);
    let more = l.icmp(Cmp::Ne, n1, zero);
    l.term = Term::Branch { cond: more, taken: LOOP_PC, not_taken: FAULT_BLOCK_PC };
    l.end = LOOP_PC + 16;

    let mut f = Block::new(c.arch, FAULT_BLOCK_PC);
    let before = 2 + rng.below(4);
    for k in 0..before {
        random_insn(&mut f, FAULT_BLOCK_PC + 4 * k, &mut rng);
    }
    let fault_pc = FAULT_BLOCK_PC + 4 * before;
    if cut {
        f.term = Term::Syscall { next: fault_pc };
    } else {
        f.mark(fault_pc);
        let a = f.iconst(Ty::I64, addr);
        if c.store {
            let v = f.get(Ty::I64, off::x(REGS[0]));
            f.store(a, v, 8);
        } else {
            let v = f.load(Ty::I64, a, 8, false);
            f.set(off::x(9), v);
        }
        for k in 1..3 {
            random_insn(&mut f, fault_pc + 4 * k, &mut rng);
        }
        f.term = Term::Jump { target: 0x9000 };
    }
    f.end = fault_pc + 12;
    let blocks = HashMap::from([(LOOP_PC, l), (FAULT_BLOCK_PC, f)]);
    (Blocks(c.arch, blocks), fault_pc)
}

/// Readable words the in-loop access uses before its last iteration.
static GOOD: [u64; 2] = [0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321];

/// The in-loop variant: random writes, the counter, then a load from `GOOD` (from `addr` on the
/// last iteration) into x9, all in the self-loop block. `cut`: the interpreter's reference,
/// with the loop split before the access and the last iteration stopping there.
fn build_in_loop(c: &Case, addr: u64, cut: bool) -> (Blocks, u64) {
    let mut rng = Rng(c.seed);
    let counter = off::x(4);
    let fault_pc = LOOP_PC + 16;
    let mut l = Block::new(c.arch, LOOP_PC);
    for k in 0..3 {
        random_insn(&mut l, LOOP_PC + 4 * k, &mut rng);
    }
    l.mark(LOOP_PC + 12);
    let n = l.get(Ty::I64, counter);
    let one = l.iconst(Ty::I64, 1);
    let n1 = l.sub(Ty::I64, n, one);
    l.set(counter, n1);
    let zero = l.iconst(Ty::I64, 0);
    // The access block: load into x9, then loop while the counter is not zero.
    let access = |b: &mut Block, more: emu_core::ir::Val| {
        b.mark(fault_pc);
        let good = b.iconst(Ty::I64, GOOD.as_ptr() as u64 + 8 * rng_bit(c.seed));
        let bad = b.iconst(Ty::I64, addr);
        let a = b.push(Ty::I64, emu_core::ir::Op::Select { c: more, a: good, b: bad });
        let v = b.load(Ty::I64, a, 8, false);
        b.set(off::x(9), v);
        b.term = Term::Branch { cond: more, taken: LOOP_PC, not_taken: 0x9000 };
        b.end = fault_pc + 4;
    };
    let mut blocks = HashMap::new();
    if cut {
        let more = l.icmp(Cmp::Ne, n1, zero);
        l.term = Term::Branch { cond: more, taken: fault_pc, not_taken: 0x3000 };
        l.end = fault_pc;
        let mut a = Block::new(c.arch, fault_pc);
        let one = a.iconst(Ty::I1, 1);
        access(&mut a, one);
        let mut stop = Block::new(c.arch, 0x3000);
        stop.term = Term::Syscall { next: fault_pc };
        blocks.insert(fault_pc, a);
        blocks.insert(0x3000, stop);
    } else {
        let more = l.icmp(Cmp::Ne, n1, zero);
        access(&mut l, more);
    }
    blocks.insert(LOOP_PC, l);
    (Blocks(c.arch, blocks), fault_pc)
}

fn rng_bit(seed: u64) -> u64 {
    seed & 1
}

fn start_state(c: &Case) -> CpuState {
    let mut cpu = CpuState::default();
    let mut rng = Rng(c.seed ^ 0x5555);
    for r in cpu.x.iter_mut() {
        *r = rng.next();
    }
    if c.arch == Arch::Riscv64 {
        cpu.x[0] = 0;
    }
    cpu.x[4] = 3;
    cpu.pc = LOOP_PC;
    cpu
}

/// An address that faults as `kind` says (in this process).
fn fault_addr(kind: Kind) -> u64 {
    // SAFETY: fresh anonymous / memfd mappings that nothing else uses.
    unsafe {
        match kind {
            Kind::Null => 0x18,
            Kind::NoAccess => {
                let p = libc::mmap(
                    std::ptr::null_mut(),
                    4096,
                    libc::PROT_NONE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                assert_ne!(p, libc::MAP_FAILED);
                p as u64 + 0x40
            }
            Kind::PastEof => {
                let fd = libc::memfd_create(c"fault_map".as_ptr(), 0);
                assert!(fd >= 0);
                let p = libc::mmap(
                    std::ptr::null_mut(),
                    4096,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    fd,
                    0,
                );
                assert_ne!(p, libc::MAP_FAILED);
                p as u64 + 0x80
            }
        }
    }
}

/// Child: run case `i` on the JIT; the fault must end the process before `run` returns.
fn child(i: usize) -> ! {
    let c = &cases()[i];
    let addr = fault_addr(c.kind);
    println!("fault address {addr:#x}");
    use std::io::Write;
    std::io::stdout().flush().unwrap();
    let (g, _) = build(c, addr, false);
    let mut jit = Jit::new(Arc::new(g), Arc::new(BlockCache::new())).expect("jit");
    let mut cpu = start_state(c);
    let e = jit.run(&mut cpu);
    eprintln!("child: the fault did not happen: {e:?} at {:#x}", cpu.pc);
    std::process::exit(3)
}

/// Re-run this test binary for one test with `env` set; returns (status, stdout, stderr).
fn rerun(test: &str, env: &[(&str, String)]) -> (std::process::ExitStatus, String, String) {
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = Command::new(exe);
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run child");
    (
        o.status,
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The registers of a `REMU_FAULT_DUMP` dump: (pc, nzcv, x).
fn parse_dump(stderr: &str) -> Option<(u64, u64, [u64; 32])> {
    let mut kv = HashMap::new();
    for line in stderr.lines().filter_map(|l| l.strip_prefix("remu: fault state:")) {
        for w in line.split_whitespace() {
            let (k, v) = w.split_once('=')?;
            kv.insert(k.to_string(), u64::from_str_radix(v.strip_prefix("0x")?, 16).ok()?);
        }
    }
    let mut x = [0; 32];
    for (i, r) in x.iter_mut().enumerate() {
        *r = *kv.get(&format!("x{i}"))?;
    }
    Some((*kv.get("pc")?, *kv.get("nzcv")?, x))
}

#[test]
fn fault_state_is_exact() {
    if let Ok(i) = std::env::var(CHILD) {
        child(i.parse().expect("case index"));
    }
    let mut problems = Vec::new();
    for (i, c) in cases().iter().enumerate() {
        let (g, fault_pc) = build(c, 0, true);
        let mut reference = start_state(c);
        let mut interp = Interp::new(Arc::new(g), Arc::new(BlockCache::new()));
        assert_eq!(interp.run(&mut reference), Exit::Syscall);
        assert_eq!(reference.pc, fault_pc);

        let (status, stdout, stderr) =
            rerun("fault_state_is_exact", &[(CHILD, i.to_string()), ("REMU_FAULT_DUMP", "1".into())]);
        let what = format!("case {i} ({:?} {:?}, store {}, in loop {})", c.arch, c.kind, c.store, c.in_loop);
        let addr = stdout
            .lines()
            .find_map(|l| l.split_once("fault address 0x").map(|(_, a)| a))
            .and_then(|a| u64::from_str_radix(a, 16).ok());
        let (sig, name, code) = match c.kind {
            Kind::Null => (libc::SIGSEGV, "SIGSEGV", "SEGV_MAPERR"),
            Kind::NoAccess => (libc::SIGSEGV, "SIGSEGV", "SEGV_ACCERR"),
            Kind::PastEof => (libc::SIGBUS, "SIGBUS", "BUS_ADRERR"),
        };
        if status.signal() != Some(sig) || status.core_dumped() {
            problems.push(format!("{what}: {status:?}, want death by signal {sig} without core\n{stderr}"));
            continue;
        }
        let Some(addr) = addr else {
            problems.push(format!("{what}: no fault address on stdout: {stdout:?}"));
            continue;
        };
        let line = format!("remu: guest {name} at pc {fault_pc:#x}: access to {addr:#x} ({code})");
        let guest_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("remu: guest")).collect();
        if guest_lines != [line.as_str()] {
            problems.push(format!("{what}: want the line {line:?}, stderr:\n{stderr}"));
        }
        match parse_dump(&stderr) {
            Some((pc, nzcv, x)) => {
                let diff: Vec<String> = (0..32)
                    .filter(|&r| x[r] != reference.x[r])
                    .map(|r| format!("x{r} {:#x} (interpreter {:#x})", x[r], reference.x[r]))
                    .collect();
                if pc != fault_pc || nzcv != reference.nzcv || !diff.is_empty() {
                    problems.push(format!("{what}: state differs: pc {pc:#x}, {}", diff.join(", ")));
                }
            }
            None => problems.push(format!("{what}: no register dump in stderr:\n{stderr}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Faults that are not in generated code keep their old fate with the handler installed: the
/// interpreter's guest access dies by plain SIGSEGV (no guest line), and a stack overflow in
/// remu's own code is still reported by Rust's handler, which ours chains to.
#[test]
fn other_faults_are_left_alone() {
    match std::env::var(CHILD).as_deref() {
        Ok("interp") => {
            let c = &cases()[0];
            let (g, _) = build(c, 0x18, false);
            let _jit = Jit::new(Arc::new(Blocks(c.arch, HashMap::new())), Arc::new(BlockCache::new()));
            let f = g.translate(FAULT_BLOCK_PC);
            let mut cpu = start_state(c);
            let _ = exec_block(&f, &mut cpu, &mut Vec::new(), &BlockCache::new());
            std::process::exit(3);
        }
        Ok("overflow") => {
            let _jit = Jit::new(Arc::new(Blocks(Arch::Aarch64, HashMap::new())), Arc::new(BlockCache::new()));
            fn deep(n: u64) -> u64 {
                let a = std::hint::black_box([n; 64]);
                if a[7] == u64::MAX {
                    return 0;
                }
                deep(a[3] + 1) + a[5]
            }
            std::process::exit(deep(0) as i32);
        }
        _ => {}
    }
    let test = "other_faults_are_left_alone";
    let (status, _, stderr) = rerun(test, &[(CHILD, "interp".into())]);
    assert_eq!(status.signal(), Some(libc::SIGSEGV), "{stderr}");
    assert!(!stderr.contains("remu: guest"), "{stderr}");
    let (status, _, stderr) = rerun(test, &[(CHILD, "overflow".into())]);
    assert_eq!(status.signal(), Some(libc::SIGABRT), "{stderr}");
    assert!(stderr.contains("has overflowed its stack"), "{stderr}");
}

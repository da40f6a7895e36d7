//! Shared harness for the execution tests: place an instruction sequence in memory (guest
//! memory is identity-mapped, so a host buffer is guest code), translate it block by block
//! with the real fetch path, verify every block, and run it on the IR interpreter.

#![allow(dead_code)]

use emu_core::cpu::CpuState;
use emu_core::interp::{exec_block, Flow};
use emu_core::ir::{verify, Term, TrapKind};
use emu_core::tb::BlockCache;
use emu_core::Exit;
use remu_riscv64::translate::translate_block;

/// EBREAK, appended to every program so translation never runs past the end of the buffer:
/// reaching it is the normal end of a run.
pub const SENTINEL: u32 = 0x0010_0073;

/// How a run ended.
#[derive(Debug, PartialEq)]
pub enum Stop {
    /// Reached the sentinel after the last instruction.
    Done,
    /// A syscall, or a trap other than the sentinel's breakpoint.
    Exit(Exit),
}

/// A program in memory: 32-bit words and 16-bit parcels (values whose low two bits are not
/// 0b11 are parcels), laid out back to back.
pub struct Program {
    buf: Vec<u16>,
    /// Address of the first instruction.
    pub start: u64,
    /// Address of the sentinel.
    pub end: u64,
}

impl Program {
    pub fn new(code: &[u32]) -> Program {
        let mut buf = Vec::new();
        for &w in code.iter().chain(std::iter::once(&SENTINEL)) {
            buf.push(w as u16);
            if w & 3 == 3 {
                buf.push((w >> 16) as u16);
            } else {
                assert!(w <= 0xffff, "{w:#x}: a 16-bit parcel must not have upper bits");
            }
        }
        let start = buf.as_ptr() as u64;
        let end = start + 2 * buf.len() as u64 - 4;
        Program { buf, start, end }
    }

    /// A program from raw little-endian code bytes (compiled functions, which may carry
    /// constant data after their code).
    pub fn from_bytes(bytes: &[u8]) -> Program {
        assert!(bytes.len().is_multiple_of(2), "code is a whole number of parcels");
        let mut buf: Vec<u16> = bytes.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        buf.push(SENTINEL as u16);
        buf.push((SENTINEL >> 16) as u16);
        let start = buf.as_ptr() as u64;
        let end = start + 2 * buf.len() as u64 - 4;
        Program { buf, start, end }
    }

    /// Run from the first instruction until the sentinel, a syscall or a trap.
    pub fn run(&self, cpu: &mut CpuState) -> Stop {
        let cache = BlockCache::new();
        let mut vals = Vec::new();
        cpu.pc = self.start;
        for _ in 0..1000 {
            assert!(
                cpu.pc >= self.start && cpu.pc <= self.end,
                "pc {:#x} left the program [{:#x}, {:#x}]",
                cpu.pc,
                self.start,
                self.end
            );
            let b = translate_block(cpu.pc);
            verify(&b).unwrap_or_else(|e| panic!("block at {:#x}: {e}\n{b:?}", cpu.pc));
            if b.pc == self.end {
                assert_eq!(b.term, Term::Trap { pc: self.end, kind: TrapKind::Breakpoint });
                return Stop::Done;
            }
            match exec_block(&b, cpu, &mut vals, &cache) {
                Flow::Next(pc) => cpu.pc = pc,
                Flow::Exit(Exit::Trap { pc, kind: TrapKind::Breakpoint }) if pc == self.end => {
                    return Stop::Done
                }
                Flow::Exit(e) => return Stop::Exit(e),
            }
        }
        panic!("program did not finish");
    }

    /// Keep the buffer alive and observable (its address is the guest pc).
    pub fn bytes(&self) -> usize {
        self.buf.len() * 2
    }
}

/// Run `code` from a zeroed state with `init` registers set; return the final state.
pub fn run_regs(code: &[u32], init: &[(usize, u64)]) -> CpuState {
    let mut cpu = CpuState::default();
    for &(r, v) in init {
        cpu.x[r] = v;
    }
    let p = Program::new(code);
    assert_eq!(p.run(&mut cpu), Stop::Done);
    cpu
}

/// Assert registers, naming the first wrong one.
pub fn check(cpu: &CpuState, want: &[(usize, u64)]) {
    for &(r, v) in want {
        assert_eq!(cpu.x[r], v, "x{r}: got {:#x}, want {v:#x}", cpu.x[r]);
    }
    assert_eq!(cpu.x[0], 0, "x0 must stay zero");
}

//! Shared harness for the integer execution tests: runs A64 code from a local buffer through
//! `translate_block` and the IR interpreter (`emu_core::interp::exec_block`), and the parser for
//! the table-driven case files in `tests/int_data/*.txt`.
//!
//! Case file format (one case per `case` line; `#` starts a comment):
//! ```text
//! case adds_overflow
//!   0xab020020 adds x0, x1, x2       # code word, then its assembly (ignored by the parser)
//!   in  x1=0x7fffffffffffffff x2=1   # initial state; unset registers are 0
//!   out x0=0x8000000000000000 nzcv=0x90000000
//!   mem 8:8=0x1122334455667788       # buf[off..off+size] after the run, little endian
//!   exit undef@0                     # default: the BRK appended after the code
//! ```
//! Locations: `x0`..`x30`, `sp`, `nzcv`, `tls`, `fpcr`, `fp_rm`, `fp_exc`, `fpsr`, `excl`
//! (monitor address), `q0`..`q31` (128-bit). Values: integers, `@N` (code address + N) or `&N`
//! (test buffer address + N). The buffer is 256 bytes, 256-aligned, byte i initially = i.

#![allow(dead_code)]

use emu_core::interp::{exec_block, Flow};
use emu_core::ir::TrapKind;
use emu_core::tb::BlockCache;
use emu_core::{CpuState, Exit};

/// BRK #0, appended after every test's code.
pub const BRK: u32 = 0xd420_0000;

/// The memory buffer tests load from and store to.
#[repr(C, align(256))]
pub struct Buf(pub [u8; 256]);

impl Buf {
    pub fn new() -> Box<Buf> {
        let mut b = Box::new(Buf([0; 256]));
        for (i, x) in b.0.iter_mut().enumerate() {
            *x = i as u8;
        }
        b
    }
    pub fn addr(&self) -> u64 {
        self.0.as_ptr() as u64
    }
}

/// Run `code` (followed by a BRK) from its first word until the guest leaves the engine.
/// Returns the exit and the code's address.
pub fn run(code: &[u32], cpu: &mut CpuState) -> (Exit, u64) {
    let mut words = code.to_vec();
    words.push(BRK);
    run_at(&words, cpu)
}

/// A state location a case reads or sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Loc {
    X(usize),
    Nzcv,
    Tls,
    Fpcr,
    FpRm,
    FpExc,
    Fpsr,
    Excl,
    Q(usize),
}

/// A value: absolute, or relative to the code or the buffer (resolved at run time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Abs(u128),
    Code(i64),
    Buf(i64),
}

/// Expected exit: the instruction offset and kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExitAt {
    /// The BRK after the code.
    End,
    Brk(u64),
    Undef(u64),
    Svc(u64),
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub line: usize,
    pub code: Vec<u32>,
    pub init: Vec<(Loc, Value)>,
    pub out: Vec<(Loc, Value)>,
    pub mem: Vec<(usize, usize, u128)>,
    pub exit: ExitAt,
}

fn parse_int(s: &str) -> Result<u128, String> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let v = match s.strip_prefix("0x") {
        Some(h) => u128::from_str_radix(&h.replace('_', ""), 16),
        None => s.replace('_', "").parse(),
    }
    .map_err(|e| format!("bad number `{s}`: {e}"))?;
    Ok(if neg { (v as u64).wrapping_neg() as u128 } else { v })
}

fn parse_value(s: &str) -> Result<Value, String> {
    if let Some(r) = s.strip_prefix('@') {
        Ok(Value::Code(parse_int(r)? as i64))
    } else if let Some(r) = s.strip_prefix('&') {
        Ok(Value::Buf(parse_int(r)? as u64 as i64))
    } else {
        Ok(Value::Abs(parse_int(s)?))
    }
}

fn parse_loc(s: &str) -> Result<Loc, String> {
    Ok(match s {
        "sp" => Loc::X(31),
        "nzcv" => Loc::Nzcv,
        "tls" => Loc::Tls,
        "fpcr" => Loc::Fpcr,
        "fp_rm" => Loc::FpRm,
        "fp_exc" => Loc::FpExc,
        "fpsr" => Loc::Fpsr,
        "excl" => Loc::Excl,
        _ => {
            let (kind, n) = s.split_at(1);
            let n: usize = n.parse().map_err(|_| format!("bad location `{s}`"))?;
            match kind {
                "x" if n <= 30 => Loc::X(n),
                "q" if n <= 31 => Loc::Q(n),
                _ => return Err(format!("bad location `{s}`")),
            }
        }
    })
}

fn parse_assigns(rest: &str) -> Result<Vec<(Loc, Value)>, String> {
    rest.split_whitespace()
        .map(|a| {
            let (l, v) = a.split_once('=').ok_or_else(|| format!("expected loc=value, got `{a}`"))?;
            Ok((parse_loc(l)?, parse_value(v)?))
        })
        .collect()
}

/// Parse a case file; panics with the file line on malformed input (test data, not guest input).
pub fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let err = |e: String| -> ! { panic!("line {}: {e}: `{raw}`", i + 1) };
        let (key, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if key == "case" {
            cases.push(Case {
                name: rest.trim().to_string(),
                line: i + 1,
                code: Vec::new(),
                init: Vec::new(),
                out: Vec::new(),
                mem: Vec::new(),
                exit: ExitAt::End,
            });
            continue;
        }
        let Some(c) = cases.last_mut() else { err("data before the first `case`".into()) };
        match key {
            k if k.starts_with("0x") => {
                c.code.push(u32::from_str_radix(&k[2..], 16).unwrap_or_else(|e| err(e.to_string())))
            }
            "in" => c.init.extend(parse_assigns(rest).unwrap_or_else(|e| err(e))),
            "out" => c.out.extend(parse_assigns(rest).unwrap_or_else(|e| err(e))),
            "mem" => {
                for a in rest.split_whitespace() {
                    let (ol, v) = a.split_once('=').unwrap_or_else(|| err("expected off:size=value".into()));
                    let (o, l) = ol.split_once(':').unwrap_or_else(|| err("expected off:size".into()));
                    let o = parse_int(o).unwrap_or_else(|e| err(e)) as usize;
                    let l = parse_int(l).unwrap_or_else(|e| err(e)) as usize;
                    let v = parse_int(v).unwrap_or_else(|e| err(e));
                    if o + l > 256 || l > 16 {
                        err("memory check outside the buffer".into());
                    }
                    c.mem.push((o, l, v));
                }
            }
            "exit" => {
                let (k, at) =
                    rest.trim().split_once('@').unwrap_or_else(|| err("expected kind@offset".into()));
                let at = parse_int(at).unwrap_or_else(|e| err(e)) as u64;
                c.exit = match k {
                    "brk" => ExitAt::Brk(at),
                    "undef" => ExitAt::Undef(at),
                    "svc" => ExitAt::Svc(at),
                    _ => err(format!("unknown exit `{k}`")),
                };
            }
            _ => err(format!("unknown key `{key}`")),
        }
    }
    cases
}

fn resolve(v: Value, code: u64, buf: u64) -> u128 {
    match v {
        Value::Abs(x) => x,
        Value::Code(o) => code.wrapping_add(o as u64) as u128,
        Value::Buf(o) => buf.wrapping_add(o as u64) as u128,
    }
}

fn get(cpu: &CpuState, l: Loc) -> u128 {
    match l {
        Loc::X(n) => cpu.x[n] as u128,
        Loc::Nzcv => cpu.nzcv as u128,
        Loc::Tls => cpu.tls as u128,
        Loc::Fpcr => cpu.fpcr as u128,
        Loc::FpRm => cpu.fp_rm as u128,
        Loc::FpExc => cpu.fp_exc as u128,
        Loc::Fpsr => cpu.fpsr as u128,
        Loc::Excl => cpu.excl_addr as u128,
        Loc::Q(n) => (cpu.v[n][1] as u128) << 64 | cpu.v[n][0] as u128,
    }
}

fn set(cpu: &mut CpuState, l: Loc, v: u128) {
    match l {
        Loc::X(n) => cpu.x[n] = v as u64,
        Loc::Nzcv => cpu.nzcv = v as u64,
        Loc::Tls => cpu.tls = v as u64,
        Loc::Fpcr => cpu.fpcr = v as u64,
        Loc::FpRm => cpu.fp_rm = v as u64,
        Loc::FpExc => cpu.fp_exc = v as u64,
        Loc::Fpsr => cpu.fpsr = v as u64,
        Loc::Excl => cpu.excl_addr = v as u64,
        Loc::Q(n) => cpu.v[n] = [v as u64, (v >> 64) as u64],
    }
}

/// Run one case; returns a description of every mismatch.
pub fn check(c: &Case) -> Vec<String> {
    let buf = Buf::new();
    let mut cpu = CpuState::default();
    let mut words = c.code.clone();
    words.push(BRK);
    let code_base = words.as_ptr() as u64;
    for &(l, v) in &c.init {
        set(&mut cpu, l, resolve(v, code_base, buf.addr()));
    }
    let (exit, _) = run_at(&words, &mut cpu);
    let mut errs = Vec::new();
    let n = c.code.len() as u64 * 4;
    let (want_kind, at) = match c.exit {
        ExitAt::End => ("brk", n),
        ExitAt::Brk(a) => ("brk", a),
        ExitAt::Undef(a) => ("undef", a),
        ExitAt::Svc(a) => ("svc", a),
    };
    let got = match exit {
        Exit::Trap { pc, kind: TrapKind::Breakpoint } => ("brk", pc.wrapping_sub(code_base)),
        Exit::Trap { pc, kind: TrapKind::Undefined { .. } } => ("undef", pc.wrapping_sub(code_base)),
        Exit::Syscall => ("svc", cpu.pc.wrapping_sub(code_base).wrapping_sub(4)),
        Exit::Trap { pc, kind } => {
            errs.push(format!("unexpected trap {kind:?} at +{:#x}", pc.wrapping_sub(code_base)));
            ("?", 0)
        }
    };
    if got != (want_kind, at) {
        errs.push(format!("exit {}@{:#x}, expected {want_kind}@{at:#x}", got.0, got.1));
    }
    for &(l, v) in &c.out {
        let want = resolve(v, code_base, buf.addr());
        let have = get(&cpu, l);
        if have != want {
            errs.push(format!("{l:?} = {have:#x}, expected {want:#x}"));
        }
    }
    for &(o, len, want) in &c.mem {
        let mut b = [0u8; 16];
        b[..len].copy_from_slice(&buf.0[o..o + len]);
        let have = u128::from_le_bytes(b);
        if have != want {
            errs.push(format!("mem[{o}..{}] = {have:#x}, expected {want:#x}", o + len));
        }
    }
    errs
}

/// Run `words` (which must stop the guest, e.g. end in a BRK) from the first word; every
/// translated block is checked by the IR verifier.
pub fn run_at(words: &[u32], cpu: &mut CpuState) -> (Exit, u64) {
    let base = words.as_ptr() as u64;
    let cache = BlockCache::new();
    let mut vals = Vec::new();
    cpu.pc = base;
    for _ in 0..10_000 {
        let block = remu_aarch64::translate::translate_block(cpu.pc);
        if let Err(e) = emu_core::ir::verify(&block) {
            panic!("block at +{:#x} fails verification: {e}", cpu.pc.wrapping_sub(base));
        }
        match exec_block(&block, cpu, &mut vals, &cache) {
            Flow::Next(pc) => cpu.pc = pc,
            Flow::Exit(e) => return (e, base),
        }
    }
    panic!("guest code did not stop");
}

/// Run every case in `text`; fails listing all mismatches.
pub fn check_all(text: &str) {
    let cases = parse_cases(text);
    assert!(!cases.is_empty());
    let mut fails = Vec::new();
    for c in &cases {
        assert!(!c.code.is_empty(), "case {} (line {}) has no code", c.name, c.line);
        assert!(
            !c.out.is_empty() || !c.mem.is_empty() || c.exit != ExitAt::End,
            "case {} checks nothing",
            c.name
        );
        if std::env::var_os("REMU_TEST_VERBOSE").is_some() {
            eprintln!("case {} (line {})", c.name, c.line);
        }
        for e in check(c) {
            fails.push(format!("{} (line {}): {e}", c.name, c.line));
        }
    }
    assert!(fails.is_empty(), "{} of {} cases failed:\n{}", fails.len(), cases.len(), fails.join("\n"));
}

//! Text form of IR blocks, so frontend and backend tests can be data files.
//!
//! ```text
//! block aarch64 0x400000..0x400008
//!   v0 = mark 0x400000
//!   v1 = get.i64 0x8
//!   v2 = const.i64 0x10
//!   v3 = add.i64 v1, v2
//!   v4 = set 0x0, v3
//!   jump 0x400008
//! ```
//! Every instruction line starts with `vN =` where N is its index (void ops too, so numbering
//! is visible); the type follows the mnemonic after a dot and is omitted for `void`.

use super::*;
use std::fmt;

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::from(self.op.mnemonic());
        if self.ty != Ty::Void {
            s.push('.');
            s.push_str(self.ty.name());
        }
        let mut ops = String::new();
        self.op.fmt_operands(&mut ops);
        if !ops.is_empty() {
            s.push(' ');
            s.push_str(&ops);
        }
        f.write_str(&s)
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Jump { target } => write!(f, "jump {target:#x}"),
            Term::Branch { cond, taken, not_taken } => {
                write!(f, "branch v{}, {taken:#x}, {not_taken:#x}", cond.0)
            }
            Term::Call { target, ret } => write!(f, "call {target:#x}, {ret:#x}"),
            Term::Indirect { target, kind } => write!(f, "indirect v{}, {}", target.0, kind.name()),
            Term::Syscall { next } => write!(f, "syscall {next:#x}"),
            Term::Trap { pc, kind } => match kind {
                TrapKind::Undefined { insn } => write!(f, "trap {pc:#x}, undefined, {insn:#x}"),
                TrapKind::Breakpoint => write!(f, "trap {pc:#x}, breakpoint"),
                TrapKind::FetchFault => write!(f, "trap {pc:#x}, fetchfault"),
                TrapKind::Misaligned => write!(f, "trap {pc:#x}, misaligned"),
            },
        }
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "block {} {:#x}..{:#x}", self.arch.name(), self.pc, self.end)?;
        for (i, inst) in self.insts.iter().enumerate() {
            writeln!(f, "  v{i} = {inst}")?;
        }
        writeln!(f, "  {}", self.term)
    }
}

/// A text-form parse error with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub msg: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.msg)
    }
}

impl std::error::Error for ParseError {}

fn num(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let r = match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    };
    r.map_err(|_| format!("bad number `{s}`"))
}

fn val(s: &str) -> Result<Val, String> {
    Val::parse_operand(s.trim()).ok_or_else(|| format!("bad value `{s}`"))
}

fn parse_term(s: &str) -> Result<Term, String> {
    let (kw, rest) = s.split_once(' ').unwrap_or((s, ""));
    let a: Vec<&str> = rest.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
    let need = |n: usize| if a.len() == n { Ok(()) } else { Err(format!("`{kw}` takes {n} operands")) };
    Ok(match kw {
        "jump" => {
            need(1)?;
            Term::Jump { target: num(a[0])? }
        }
        "branch" => {
            need(3)?;
            Term::Branch { cond: val(a[0])?, taken: num(a[1])?, not_taken: num(a[2])? }
        }
        "call" => {
            need(2)?;
            Term::Call { target: num(a[0])?, ret: num(a[1])? }
        }
        "indirect" => {
            need(2)?;
            let kind = BranchKind::from_name(a[1]).ok_or_else(|| format!("bad branch kind `{}`", a[1]))?;
            Term::Indirect { target: val(a[0])?, kind }
        }
        "syscall" => {
            need(1)?;
            Term::Syscall { next: num(a[0])? }
        }
        "trap" => {
            if a.len() < 2 {
                return Err("`trap` takes pc, kind".into());
            }
            let pc = num(a[0])?;
            let kind = match (a[1], a.len()) {
                ("undefined", 3) => TrapKind::Undefined { insn: num(a[2])? as u32 },
                ("breakpoint", 2) => TrapKind::Breakpoint,
                ("fetchfault", 2) => TrapKind::FetchFault,
                ("misaligned", 2) => TrapKind::Misaligned,
                _ => return Err(format!("bad trap `{rest}`")),
            };
            Term::Trap { pc, kind }
        }
        _ => return Err(format!("unknown terminator `{kw}`")),
    })
}

/// Parse one block in text form (comments start with `#` or `;`).
pub fn parse_block(text: &str) -> Result<Block, ParseError> {
    let mut block: Option<Block> = None;
    let mut term_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |msg: String| ParseError { line: line_no, msg };
        let line = raw.split(['#', ';']).next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("block ") {
            if block.is_some() {
                return Err(err("second `block` header".into()));
            }
            let mut parts = rest.split_whitespace();
            let arch = parts.next().and_then(Arch::from_name).ok_or_else(|| err("bad arch".into()))?;
            let range = parts.next().ok_or_else(|| err("missing pc range".into()))?;
            let (lo, hi) = range.split_once("..").ok_or_else(|| err("pc range is `lo..hi`".into()))?;
            let mut b = Block::new(arch, num(lo).map_err(err)?);
            b.end = num(hi).map_err(err)?;
            block = Some(b);
            continue;
        }
        let b = block.as_mut().ok_or_else(|| err("missing `block` header".into()))?;
        if term_seen {
            return Err(err("instruction after the terminator".into()));
        }
        if let Some((lhs, rhs)) = line.split_once('=') {
            let v = val(lhs).map_err(err)?;
            if v.0 as usize != b.insts.len() {
                return Err(err(format!("expected v{}, found v{}", b.insts.len(), v.0)));
            }
            let rhs = rhs.trim();
            let (head, ops) = rhs.split_once(' ').unwrap_or((rhs, ""));
            let (mn, ty) = match head.rsplit_once('.') {
                Some((m, t)) if Ty::from_name(t).is_some() => (m, Ty::from_name(t).unwrap()),
                _ => (head, Ty::Void),
            };
            let ops: Vec<&str> = ops.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
            let op = Op::parse(mn, &ops).map_err(err)?;
            b.insts.push(Inst { op, ty });
        } else {
            b.term = parse_term(line).map_err(err)?;
            term_seen = true;
        }
    }
    let b = block.ok_or(ParseError { line: 0, msg: "empty input".into() })?;
    if !term_seen {
        return Err(ParseError { line: text.lines().count(), msg: "missing terminator".into() });
    }
    Ok(b)
}

//! The IR: a small, typed, SSA-style representation of one translation block.
//!
//! Every op is declared once, in the [`ir_ops!`] table below (name, operands, text mnemonic,
//! effect, one-line doc); the enum, the operand visitors, the effect query and the text form are
//! all generated from it, so a new op is one row here plus one arm in each engine (an exhaustive
//! `match` makes a missing arm a build error). FP ops are the [`fp`] family and vector ops the
//! [`vec`] family: each is one row here carrying a family sub-opcode from its own table.
//!
//! Shape of a block: a straight-line list of [`Inst`]s followed by one [`Term`]. Instruction `i`
//! defines value `Val(i)` (void ops define nothing usable). Operands always refer to earlier
//! instructions. Guest registers are read and written with explicit `Get`/`Set` on byte offsets
//! into [`crate::CpuState`] (see [`crate::cpu::off`]); guest memory is identity-mapped, so `Load`
//! and `Store` take a host address. AArch64 NZCV is an explicit `I32` value (bits 31:28), produced
//! by the `Nzcv*` ops and consumed by `CondHolds`, `Adc`, `Sbc`, so a backend can keep it in host
//! EFLAGS between producer and consumer.
//!
//! Integer semantics are those of two's complement at the op's result type (`I32` or `I64`); shift
//! and rotate amounts are taken modulo the bit width. Division never traps: `x / 0 = 0`,
//! `x % 0 = x`, `MIN / -1 = MIN`, `MIN % -1 = 0` (frontends adjust where their ISA differs).

pub mod fp;
pub mod merge;
pub mod opt;
mod text;
pub mod vec;
mod verify;

pub use fp::{FpBinOp, FpCmpCc, FpTerOp, FpUnOp};
pub use text::{parse_block, ParseError};
pub use vec::{VecBinOp, VecImm2Op, VecImmOp, VecTerOp, VecUnOp};
pub use verify::{verify, VerifyError};

use crate::guest::Arch;

/// An SSA value: the result of instruction number `.0` in its block.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Val(pub u32);

/// Declares a C-like enum whose variants have a fixed lower-case text name.
macro_rules! named_enum {
    ($(#[$m:meta])* pub enum $name:ident { $( $(#[doc = $d:literal])* $v:ident = $s:literal ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
        pub enum $name { $( $(#[doc = $d])* $v ),* }
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// The text-form name.
            pub fn name(self) -> &'static str { match self { $($name::$v => $s),* } }
            /// Parse the text-form name.
            pub fn from_name(s: &str) -> Option<Self> { match s { $($s => Some($name::$v),)* _ => None } }
        }
        impl $crate::ir::Operand for $name {
            fn fmt_operand(&self, out: &mut String) { out.push_str(self.name()) }
            fn parse_operand(s: &str) -> Option<Self> { Self::from_name(s) }
        }
    };
}
pub(crate) use named_enum;

named_enum! {
    /// Type of an SSA value.
    pub enum Ty {
        /// No value (stores, `Set`, fences, marks).
        Void = "void",
        /// Boolean, produced by comparisons, consumed by `Select` and `Branch`.
        I1 = "i1",
        I32 = "i32",
        I64 = "i64",
        F32 = "f32",
        F64 = "f64",
        /// 128 bits: a whole vector register, or a 16-byte memory access.
        V128 = "v128",
    }
}

impl Ty {
    /// Width in bits (0 for `Void`).
    pub fn bits(self) -> u32 {
        match self {
            Ty::Void => 0,
            Ty::I1 => 1,
            Ty::I32 | Ty::F32 => 32,
            Ty::I64 | Ty::F64 => 64,
            Ty::V128 => 128,
        }
    }
    pub fn is_int(self) -> bool {
        matches!(self, Ty::I1 | Ty::I32 | Ty::I64)
    }
    pub fn is_float(self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }
}

named_enum! {
    /// Integer comparison condition for `Icmp`.
    pub enum Cmp {
        Eq = "eq", Ne = "ne",
        Ult = "ult", Ule = "ule", Ugt = "ugt", Uge = "uge",
        Slt = "slt", Sle = "sle", Sgt = "sgt", Sge = "sge",
    }
}

named_enum! {
    /// Read-modify-write operation for `AtomicRmw`: memory becomes `op(old, v)`; the op returns `old`.
    pub enum AtomicOp {
        Add = "add",
        /// `old & !v` (AArch64 LDCLR).
        Clr = "clr",
        /// `old & v` (RISC-V AMOAND).
        And = "and",
        Eor = "eor",
        /// `old | v` (AArch64 LDSET, RISC-V AMOOR).
        Set = "set",
        Smax = "smax", Smin = "smin", Umax = "umax", Umin = "umin",
        /// `v` (SWP, AMOSWAP).
        Swap = "swap",
    }
}

named_enum! {
    /// Memory-ordering barrier kinds. x86 TSO already orders everything but store->load.
    pub enum FenceKind {
        /// Orders all earlier accesses against all later ones (DMB ISH, FENCE rw,rw).
        Full = "full",
        /// Orders earlier loads only (DMB ISHLD, FENCE r,rw): free on x86.
        Load = "load",
        /// Orders earlier stores against later stores only (DMB ISHST, FENCE w,w): free on x86.
        Store = "store",
    }
}

named_enum! {
    /// FP rounding mode. `Dyn` reads the guest's current mode from `CpuState::fp_rm`.
    pub enum Rm {
        Rne = "rne", Rtz = "rtz", Rdn = "rdn", Rup = "rup",
        /// Round to nearest, ties away from zero.
        Rmm = "rmm",
        /// Round to odd (AArch64 FCVTXN).
        Rodd = "rodd",
        Dyn = "dyn",
    }
}

impl Rm {
    /// Decode the `CpuState::fp_rm` encoding (RISC-V frm numbering; 5 = round to odd).
    pub fn from_state(v: u64) -> Rm {
        match v {
            0 => Rm::Rne,
            1 => Rm::Rtz,
            2 => Rm::Rdn,
            3 => Rm::Rup,
            4 => Rm::Rmm,
            5 => Rm::Rodd,
            _ => Rm::Rne,
        }
    }
}

named_enum! {
    /// Read-only system counters and ID values, read with `SysRead`.
    pub enum SysReg {
        /// AArch64 CNTVCT_EL0: virtual counter, ticking at `Cntfrq`.
        Cntvct = "cntvct",
        /// AArch64 CNTFRQ_EL0.
        Cntfrq = "cntfrq",
        /// RISC-V `time` CSR (same timebase as Cntvct).
        Time = "time",
        /// RISC-V `cycle` CSR.
        Cycle = "cycle",
        /// RISC-V `instret` CSR.
        Instret = "instret",
    }
}

/// The counter frequency remu advertises (CNTFRQ_EL0, RISC-V timebase): 1 GHz, i.e. nanoseconds.
pub const COUNTER_HZ: u64 = 1_000_000_000;

/// What an op does besides computing its result; used by dead-code elimination and the backend.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Effect {
    /// Result depends only on operands.
    Pure,
    /// Reads guest state.
    ReadState,
    /// Writes guest state.
    WriteState,
    /// Reads guest memory (may fault).
    ReadMem,
    /// Writes guest memory (may fault), or is otherwise ordered (atomics, fences, marks).
    Side,
}

/// Operand kinds that can appear in an op: values and immediates.
pub trait Operand: Sized {
    fn fmt_operand(&self, out: &mut String);
    fn parse_operand(s: &str) -> Option<Self>;
    /// Calls `f` on each SSA value this operand holds.
    fn visit(&self, _f: &mut dyn FnMut(Val)) {}
    /// Rewrites each SSA value this operand holds.
    fn visit_mut(&mut self, _f: &mut dyn FnMut(&mut Val)) {}
}

impl Operand for Val {
    fn fmt_operand(&self, out: &mut String) {
        out.push_str(&format!("v{}", self.0))
    }
    fn parse_operand(s: &str) -> Option<Self> {
        s.strip_prefix('v')?.parse().ok().map(Val)
    }
    fn visit(&self, f: &mut dyn FnMut(Val)) {
        f(*self)
    }
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut Val)) {
        f(self)
    }
}

macro_rules! int_operand {
    ($($t:ty),*) => {$(
        impl Operand for $t {
            fn fmt_operand(&self, out: &mut String) {
                if *self as u64 > 9 { out.push_str(&format!("{:#x}", self)) } else { out.push_str(&format!("{}", self)) }
            }
            fn parse_operand(s: &str) -> Option<Self> {
                match s.strip_prefix("0x") {
                    Some(h) => <$t>::from_str_radix(h, 16).ok(),
                    None => s.parse().ok(),
                }
            }
        }
    )*};
}
int_operand!(u8, u32, u64);

impl Operand for bool {
    fn fmt_operand(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" })
    }
    fn parse_operand(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

/// Static description of one op, generated from the table.
#[derive(Debug)]
pub struct OpInfo {
    pub name: &'static str,
    pub doc: &'static str,
    pub effect: Effect,
}

macro_rules! ir_ops {
    ($( $(#[doc = $doc:literal])+ $name:ident { $($f:ident : $fty:ty),* $(,)? } = $text:literal, $eff:ident; )*) => {
        /// One IR operation. The result type is carried by [`Inst::ty`].
        #[derive(Clone, PartialEq, Debug)]
        pub enum Op { $( $(#[doc = $doc])+ $name { $($f: $fty),* }, )* }

        /// Every op of the table, in table order.
        pub const OP_TABLE: &[OpInfo] = &[
            $( OpInfo { name: $text, doc: concat!($($doc),+), effect: Effect::$eff }, )*
        ];

        impl Op {
            /// The text-form mnemonic.
            pub fn mnemonic(&self) -> &'static str {
                match self { $( Op::$name { .. } => $text, )* }
            }
            /// The op's effect class.
            pub fn effect(&self) -> Effect {
                match self { $( Op::$name { .. } => Effect::$eff, )* }
            }
            /// Calls `f` on every SSA operand, in field order.
            pub fn for_each_arg(&self, mut f: impl FnMut(Val)) {
                match self { $( #[allow(unused_variables)] Op::$name { $($f),* } => { $( Operand::visit($f, &mut f); )* } )* }
            }
            /// Rewrites every SSA operand in place.
            pub fn map_args(&mut self, mut f: impl FnMut(&mut Val)) {
                match self { $( #[allow(unused_variables)] Op::$name { $($f),* } => { $( Operand::visit_mut($f, &mut f); )* } )* }
            }
            /// Appends the comma-separated operands in text form.
            pub fn fmt_operands(&self, out: &mut String) {
                match self {
                    $( #[allow(unused_variables, unused_mut, unused_assignments)] Op::$name { $($f),* } => {
                        let mut first = true;
                        $( if !first { out.push_str(", "); } first = false; Operand::fmt_operand($f, out); )*
                    } )*
                }
            }
            /// Builds an op from its mnemonic and text operands.
            pub fn parse(mnemonic: &str, ops: &[&str]) -> Result<Op, String> {
                match mnemonic {
                    $( $text => {
                        #[allow(unused_mut, unused_variables)]
                        let mut it = ops.iter();
                        let op = Op::$name { $( $f: {
                            let s = it.next().ok_or_else(|| format!("{}: missing operand `{}`", $text, stringify!($f)))?;
                            <$fty as Operand>::parse_operand(s).ok_or_else(|| format!("{}: bad operand `{}` for `{}`", $text, s, stringify!($f)))?
                        }, )* };
                        if it.next().is_some() { return Err(format!("{}: too many operands", $text)); }
                        Ok(op)
                    } )*
                    _ => Err(format!("unknown op `{}`", mnemonic)),
                }
            }
        }
    };
}

ir_ops! {
    // ---- bookkeeping ----
    /// Start of the guest instruction at `pc` (fault mapping, `-d`, SIGILL reporting).
    Mark { pc: u64 } = "mark", Side;
    /// Side exit: if `cond` (I1) holds, leave the block for `target` (the guest state is what
    /// the instructions before it left); otherwise go on. Frontends use it to make a loop whose
    /// body spans two guest blocks one block (a conditional exit in the middle of the loop).
    ExitIf { cond: Val, target: u64 } = "exit_if", Side;
    /// Integer or FP constant (bit pattern in `imm`; FP constants are their IEEE bits).
    Const { imm: u64 } = "const", Pure;
    /// 128-bit constant.
    ConstV128 { lo: u64, hi: u64 } = "constv", Pure;
    /// Read `ty` bits of guest state at byte offset `off`.
    Get { off: u32 } = "get", ReadState;
    /// Write value `v` (its full width) to guest state at byte offset `off`.
    Set { off: u32, v: Val } = "set", WriteState;

    // ---- integer arithmetic and logic (operands have the result type) ----
    /// a + b.
    Add { a: Val, b: Val } = "add", Pure;
    /// a - b.
    Sub { a: Val, b: Val } = "sub", Pure;
    /// Low half of a * b.
    Mul { a: Val, b: Val } = "mul", Pure;
    /// High half of unsigned a * b.
    MulHiU { a: Val, b: Val } = "mulhu", Pure;
    /// High half of signed a * b.
    MulHiS { a: Val, b: Val } = "mulhs", Pure;
    /// High half of signed a times unsigned b (RISC-V MULHSU).
    MulHiSU { a: Val, b: Val } = "mulhsu", Pure;
    /// Unsigned a / b; x / 0 = 0.
    DivU { a: Val, b: Val } = "divu", Pure;
    /// Signed a / b; x / 0 = 0, MIN / -1 = MIN.
    DivS { a: Val, b: Val } = "divs", Pure;
    /// Unsigned a % b; x % 0 = x.
    RemU { a: Val, b: Val } = "remu", Pure;
    /// Signed a % b (sign of a); x % 0 = x, MIN % -1 = 0.
    RemS { a: Val, b: Val } = "rems", Pure;
    /// a & b.
    And { a: Val, b: Val } = "and", Pure;
    /// a | b.
    Or { a: Val, b: Val } = "or", Pure;
    /// a ^ b.
    Xor { a: Val, b: Val } = "xor", Pure;
    /// a & !b (BIC, ANDN).
    AndNot { a: Val, b: Val } = "andn", Pure;
    /// a | !b (ORN).
    OrNot { a: Val, b: Val } = "orn", Pure;
    /// a ^ !b (EON, XNOR).
    XorNot { a: Val, b: Val } = "xnor", Pure;
    /// -a.
    Neg { a: Val } = "neg", Pure;
    /// !a.
    Not { a: Val } = "not", Pure;
    /// a << (b mod width).
    Shl { a: Val, b: Val } = "shl", Pure;
    /// Logical a >> (b mod width).
    Lshr { a: Val, b: Val } = "lshr", Pure;
    /// Arithmetic a >> (b mod width).
    Ashr { a: Val, b: Val } = "ashr", Pure;
    /// a rotated right by (b mod width).
    Rotr { a: Val, b: Val } = "rotr", Pure;
    /// a rotated left by (b mod width).
    Rotl { a: Val, b: Val } = "rotl", Pure;
    /// Count leading zeros (width for 0).
    Clz { a: Val } = "clz", Pure;
    /// Count leading sign bits, excluding the sign bit itself (AArch64 CLS).
    Cls { a: Val } = "cls", Pure;
    /// Count trailing zeros (width for 0).
    Ctz { a: Val } = "ctz", Pure;
    /// Population count.
    Popcnt { a: Val } = "popcnt", Pure;
    /// Reverse bit order (RBIT).
    Rbit { a: Val } = "rbit", Pure;
    /// Reverse byte order (REV, REV8).
    Bswap { a: Val } = "bswap", Pure;
    /// Each byte becomes 0xff if non-zero, else 0 (RISC-V ORC.B).
    OrcB { a: Val } = "orcb", Pure;

    // ---- width changes and bit fields ----
    /// Zero-extend `a` (I1 or I32) to the result type.
    Zext { a: Val } = "zext", Pure;
    /// Sign-extend `a` (I1 or I32) to the result type.
    Sext { a: Val } = "sext", Pure;
    /// Truncate `a` to the (narrower) result type.
    Trunc { a: Val } = "trunc", Pure;
    /// Bits [lsb, lsb+width) of `a`, zero-extended (UBFX).
    Extract { a: Val, lsb: u8, width: u8 } = "extract", Pure;
    /// Bits [lsb, lsb+width) of `a`, sign-extended (SBFX; `sext.b` is lsb 0 width 8).
    SExtract { a: Val, lsb: u8, width: u8 } = "sextract", Pure;
    /// `a` with bits [lsb, lsb+width) replaced by the low `width` bits of `b` (BFI).
    Deposit { a: Val, b: Val, lsb: u8, width: u8 } = "deposit", Pure;
    /// Reinterpret the bits of `a` as the result type (I32<->F32, I64<->F64; V128 -> low 32/64
    /// bits; I64/F64/I32/F32 -> V128 zero-extended).
    Bitcast { a: Val } = "bitcast", Pure;

    // ---- comparison and selection ----
    /// Compare integers `a` and `b` (same type) -> I1.
    Icmp { cc: Cmp, a: Val, b: Val } = "icmp", Pure;
    /// `c ? a : b`; `c` is I1, `a` and `b` have the result type.
    Select { c: Val, a: Val, b: Val } = "select", Pure;

    // ---- AArch64 flags: NZCV values are I32 with the flags in bits 31:28 ----
    /// NZCV of `a + b` (ADDS, CMN).
    NzcvAdd { a: Val, b: Val } = "nzcv.add", Pure;
    /// NZCV of `a - b` (SUBS, CMP).
    NzcvSub { a: Val, b: Val } = "nzcv.sub", Pure;
    /// NZCV of `a + b + C` where C comes from `nzcv` (ADCS).
    NzcvAdc { a: Val, b: Val, nzcv: Val } = "nzcv.adc", Pure;
    /// NZCV of `a - b - !C` where C comes from `nzcv` (SBCS).
    NzcvSbc { a: Val, b: Val, nzcv: Val } = "nzcv.sbc", Pure;
    /// NZCV of a logical result: N and Z from `a`, C = V = 0 (ANDS, TST).
    NzcvLogic { a: Val } = "nzcv.logic", Pure;
    /// `a + b + C` (ADC).
    Adc { a: Val, b: Val, nzcv: Val } = "adc", Pure;
    /// `a - b - !C` (SBC).
    Sbc { a: Val, b: Val, nzcv: Val } = "sbc", Pure;
    /// Whether AArch64 condition `cond` (0..15, EQ..NV) holds for `nzcv` -> I1.
    CondHolds { cond: u8, nzcv: Val } = "cond", Pure;

    // ---- memory (identity-mapped: the address is a host address) ----
    /// Load `size` bytes (1, 2, 4, 8, 16) from `addr`, zero- or sign-extended to the result type.
    Load { addr: Val, size: u8, signed: bool } = "load", ReadMem;
    /// Store the low `size` bytes of `v` to `addr`.
    Store { addr: Val, v: Val, size: u8 } = "store", Side;
    /// Atomic read-modify-write of `size` bytes at `addr`; returns the old value (zero-extended).
    AtomicRmw { op: AtomicOp, addr: Val, v: Val, size: u8 } = "atomic", Side;
    /// Atomic compare-and-swap of `size` bytes (1..16) at `addr`: if memory equals `expected`
    /// it becomes `new`. Returns the old memory value (zero-extended; V128 for size 16).
    Cas { addr: Val, expected: Val, new: Val, size: u8 } = "cas", Side;
    /// Memory barrier.
    Fence { kind: FenceKind } = "fence", Side;
    /// Zero `size` bytes at `addr` (aligned down to `size`): AArch64 DC ZVA.
    ZeroBlock { addr: Val, size: u32 } = "zeroblock", Side;
    /// Guest code in [addr, addr+len) may have changed: drop translations (IC IVAU, FENCE.I with
    /// len = u32::MAX meaning "everything").
    CodeInval { addr: Val, len: u32 } = "codeinval", Side;

    // ---- miscellaneous ----
    /// Read a counter or ID register (result I64).
    SysRead { reg: SysReg } = "sysread", Side;
    /// CRC-32 of `acc` (I32) updated with the low `size` bytes of `v`, LSB first; `castagnoli`
    /// selects polynomial 0x1EDC6F41 (CRC32C) instead of 0x04C11DB7.
    Crc32 { acc: Val, v: Val, size: u8, castagnoli: bool } = "crc32", Pure;

    // ---- FP family (see [`fp`]); FP ops read `fp_rm`/`fpcr` and update `fp_exc` ----
    /// Unary FP op on `a`.
    FUnary { op: FpUnOp, a: Val, rm: Rm } = "funary", Side;
    /// Binary FP op on `a`, `b` (same FP type as the result, unless the op says otherwise).
    FBinary { op: FpBinOp, a: Val, b: Val, rm: Rm } = "fbinary", Side;
    /// Ternary FP op.
    FTernary { op: FpTerOp, a: Val, b: Val, c: Val, rm: Rm } = "fternary", Side;
    /// AArch64 FCMP/FCMPE: NZCV (I32) of comparing `a` and `b`; unordered gives 0b0011.
    /// `signaling` raises invalid on quiet NaNs too (FCMPE).
    FCmp { a: Val, b: Val, signaling: bool } = "fcmp", Side;
    /// Boolean FP compare (RISC-V FEQ quiet, FLT/FLE signaling) -> I1; false when unordered.
    FCmpBool { cc: FpCmpCc, a: Val, b: Val } = "fcmpb", Side;
    /// FP (or fixed point with `fbits` fraction bits) -> integer of the result type, saturating.
    /// NaN gives 0 on AArch64 and the maximum on RISC-V (the block's arch decides).
    FToInt { a: Val, signed: bool, fbits: u8, rm: Rm } = "ftoint", Side;
    /// Integer `a` (I32 or I64; `fbits` fraction bits) -> FP result type, rounded by `rm`.
    IntToF { a: Val, signed: bool, fbits: u8, rm: Rm } = "inttof", Side;

    // ---- vector family (see [`vec`]); `es` is the element size in bits ----
    /// Unary vector op.
    VUnary { op: VecUnOp, es: u8, a: Val } = "vunary", Pure;
    /// Binary vector op.
    VBinary { op: VecBinOp, es: u8, a: Val, b: Val } = "vbinary", Pure;
    /// Ternary vector op.
    VTernary { op: VecTerOp, es: u8, a: Val, b: Val, c: Val } = "vternary", Pure;
    /// Vector op with an immediate (shift amount, lane index, ...).
    VImm { op: VecImmOp, es: u8, a: Val, imm: u32 } = "vimm", Pure;
    /// Vector op with two operands and an immediate (EXT byte offset, SLI/SRI/USRA shift).
    VImm2 { op: VecImm2Op, es: u8, a: Val, b: Val, imm: u32 } = "vimm2", Pure;
    /// Lane `idx` of `a`, zero-extended to the result type (I32/I64/F32/F64).
    VExtract { a: Val, es: u8, idx: u8 } = "vextract", Pure;
    /// `a` with lane `idx` replaced by the low `es` bits of scalar `b`.
    VInsert { a: Val, b: Val, es: u8, idx: u8 } = "vinsert", Pure;
    /// Every lane set to the low `es` bits of scalar `a`.
    VDup { a: Val, es: u8 } = "vdup", Pure;
}

impl Op {
    /// Whether the op reads the FP control state or accumulates FP exception flags
    /// (`fp_rm`, `fpcr`, `fp_exc`) without saying so in its operands: every scalar FP row, and
    /// the FP sub-ops of the vector rows (named with an `f` prefix or `cvtf`, see [`vec`]).
    pub fn touches_fp_state(&self) -> bool {
        let fp_name = |n: &str| n.starts_with('f') || n.contains("cvtf");
        match self {
            Op::FUnary { .. }
            | Op::FBinary { .. }
            | Op::FTernary { .. }
            | Op::FCmp { .. }
            | Op::FCmpBool { .. }
            | Op::FToInt { .. }
            | Op::IntToF { .. } => true,
            Op::VUnary { op, .. } => fp_name(op.name()),
            Op::VBinary { op, .. } => fp_name(op.name()),
            Op::VTernary { op, .. } => fp_name(op.name()),
            Op::VImm { op, .. } => fp_name(op.name()),
            Op::VImm2 { op, .. } => fp_name(op.name()),
            _ => false,
        }
    }

    /// The op's effect including implicit FP state: like [`Op::effect`], but an op that
    /// [`touches_fp_state`](Op::touches_fp_state) is never `Pure`.
    pub fn full_effect(&self) -> Effect {
        match self.effect() {
            Effect::Pure if self.touches_fp_state() => Effect::Side,
            e => e,
        }
    }
}

/// One instruction: an op and its result type.
#[derive(Clone, PartialEq, Debug)]
pub struct Inst {
    pub op: Op,
    pub ty: Ty,
}

named_enum! {
    /// Hint on an indirect branch, for return prediction.
    pub enum BranchKind {
        Plain = "plain",
        /// An indirect call (BLR, JALR with rd=ra).
        Call = "call",
        /// A return (RET, JALR x0, 0(ra)).
        Return = "return",
    }
}

/// Why a block ends in a trap.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum TrapKind {
    /// Undefined or unimplemented encoding `insn` at `pc`: SIGILL.
    Undefined { insn: u32 },
    /// BRK / EBREAK: SIGTRAP.
    Breakpoint,
    /// The instruction at `pc` could not be fetched: SIGSEGV.
    FetchFault,
    /// Misaligned pc or SP: SIGBUS.
    Misaligned,
}

/// How a block ends.
#[derive(Clone, PartialEq, Debug)]
pub enum Term {
    /// Continue at a constant address.
    Jump { target: u64 },
    /// Continue at `taken` if `cond` (I1) holds, else at `not_taken`.
    Branch { cond: Val, taken: u64, not_taken: u64 },
    /// A direct call: continue at `target`; `ret` is the return address the guest saved.
    Call { target: u64, ret: u64 },
    /// Continue at the address in `target` (I64).
    Indirect { target: Val, kind: BranchKind },
    /// Perform a system call, then continue at `next`.
    Syscall { next: u64 },
    /// Raise a synchronous exception for the instruction at `pc`.
    Trap { pc: u64, kind: TrapKind },
}

/// A translation block: straight-line guest code from `pc` up to (not including) `end`.
#[derive(Clone, PartialEq, Debug)]
pub struct Block {
    pub arch: Arch,
    pub pc: u64,
    pub end: u64,
    pub insts: Vec<Inst>,
    pub term: Term,
}

impl Block {
    pub fn new(arch: Arch, pc: u64) -> Block {
        Block { arch, pc, end: pc, insts: Vec::new(), term: Term::Trap { pc, kind: TrapKind::FetchFault } }
    }
    /// Type of value `v`.
    pub fn ty(&self, v: Val) -> Ty {
        self.insts[v.0 as usize].ty
    }
    /// Append an instruction and return its value.
    pub fn push(&mut self, ty: Ty, op: Op) -> Val {
        self.insts.push(Inst { op, ty });
        Val(self.insts.len() as u32 - 1)
    }
}

/// Convenience constructors used by the frontends: `b.add(Ty::I64, x, y)`.
impl Block {
    pub fn mark(&mut self, pc: u64) {
        self.push(Ty::Void, Op::Mark { pc });
    }
    pub fn iconst(&mut self, ty: Ty, imm: u64) -> Val {
        self.push(ty, Op::Const { imm })
    }
    pub fn get(&mut self, ty: Ty, off: u32) -> Val {
        self.push(ty, Op::Get { off })
    }
    pub fn set(&mut self, off: u32, v: Val) {
        self.push(Ty::Void, Op::Set { off, v });
    }
    pub fn add(&mut self, ty: Ty, a: Val, b: Val) -> Val {
        self.push(ty, Op::Add { a, b })
    }
    pub fn sub(&mut self, ty: Ty, a: Val, b: Val) -> Val {
        self.push(ty, Op::Sub { a, b })
    }
    pub fn and(&mut self, ty: Ty, a: Val, b: Val) -> Val {
        self.push(ty, Op::And { a, b })
    }
    pub fn or(&mut self, ty: Ty, a: Val, b: Val) -> Val {
        self.push(ty, Op::Or { a, b })
    }
    pub fn xor(&mut self, ty: Ty, a: Val, b: Val) -> Val {
        self.push(ty, Op::Xor { a, b })
    }
    pub fn icmp(&mut self, cc: Cmp, a: Val, b: Val) -> Val {
        self.push(Ty::I1, Op::Icmp { cc, a, b })
    }
    pub fn select(&mut self, ty: Ty, c: Val, a: Val, b: Val) -> Val {
        self.push(ty, Op::Select { c, a, b })
    }
    pub fn zext(&mut self, ty: Ty, a: Val) -> Val {
        self.push(ty, Op::Zext { a })
    }
    pub fn sext(&mut self, ty: Ty, a: Val) -> Val {
        self.push(ty, Op::Sext { a })
    }
    pub fn trunc(&mut self, ty: Ty, a: Val) -> Val {
        self.push(ty, Op::Trunc { a })
    }
    pub fn load(&mut self, ty: Ty, addr: Val, size: u8, signed: bool) -> Val {
        self.push(ty, Op::Load { addr, size, signed })
    }
    pub fn store(&mut self, addr: Val, v: Val, size: u8) {
        self.push(Ty::Void, Op::Store { addr, v, size });
    }
}

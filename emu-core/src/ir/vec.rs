//! The vector op family: sub-opcodes of `VUnary`, `VBinary`, `VTernary`, `VImm` and `VImm2`.
//!
//! All operands and results are V128 unless stated. `es` is the element size in bits (8, 16,
//! 32, 64); ops work lane-wise over 128/es lanes, lane 0 in the least significant bits. Ops that
//! narrow or widen state which half they read or write, and `es` is always the *source* element
//! size for them. 64-bit (D-form) AArch64 instructions compute on the full register and then clear
//! the top half with `ZeroHigh`. Per-lane FP ops (es 32 or 64) follow the AArch64 rules of the
//! [`super::fp`] family, round with `CpuState::fp_rm` and accumulate flags into `fp_exc`.

use super::named_enum;

named_enum! {
    /// One-operand vector ops.
    pub enum VecUnOp {
        /// Clear bits 127:64.
        ZeroHigh = "zerohi",
        Not = "not",
        Neg = "neg",
        Abs = "abs",
        /// Per-lane population count (es 8).
        Cnt = "cnt",
        Clz = "clz",
        /// Count leading sign bits, excluding the sign bit (CLS).
        Cls = "cls",
        /// Reverse the order of `es`-bit elements within each 16-bit container (REV16).
        Rev16 = "rev16",
        /// ... within each 32-bit container (REV32).
        Rev32 = "rev32",
        /// ... within each 64-bit container (REV64).
        Rev64 = "rev64",
        /// Reverse bits in each byte (RBIT vector).
        Rbit = "rbit",
        /// Lanes equal to zero -> all ones, else zero (CMEQ #0).
        CmpEqZero = "cmeqz",
        /// Signed > 0 (CMGT #0).
        CmpGtZero = "cmgtz",
        /// Signed >= 0 (CMGE #0).
        CmpGeZero = "cmgez",
        /// Signed <= 0 (CMLE #0).
        CmpLeZero = "cmlez",
        /// Signed < 0 (CMLT #0).
        CmpLtZero = "cmltz",
        /// Sum of all lanes, result in lane 0, rest zero (ADDV).
        AddAcross = "addv",
        /// Unsigned max across lanes into lane 0 (UMAXV).
        UmaxAcross = "umaxv",
        /// Unsigned min across lanes (UMINV).
        UminAcross = "uminv",
        SmaxAcross = "smaxv",
        SminAcross = "sminv",
        /// Unsigned sum of all es lanes as a 2*es value in the low bits, rest zero (UADDLV).
        UAddlAcross = "uaddlv",
        /// Signed variant (SADDLV).
        SAddlAcross = "saddlv",
        /// Narrow each es lane to es/2 bits (truncating) into the low half, high half zero (XTN).
        Narrow = "xtn",
        /// Widen the low half's es lanes to 2*es, zero-extending (UXTL / USHLL #0).
        WidenLowU = "uxtl",
        /// Widen the low half's es lanes to 2*es, sign-extending (SXTL).
        WidenLowS = "sxtl",
        /// Widen the high half's es lanes, zero-extending (UXTL2).
        WidenHighU = "uxtl2",
        /// Widen the high half's es lanes, sign-extending (SXTL2).
        WidenHighS = "sxtl2",
        /// Pairwise add adjacent es lanes into 2*es lanes, unsigned (UADDLP).
        AddPairwiseLongU = "uaddlp",
        /// Signed variant (SADDLP).
        AddPairwiseLongS = "saddlp",
        /// Per-lane FP absolute value (FABS), no flags.
        FAbs = "fabs",
        /// Per-lane FP negation (FNEG), no flags.
        FNeg = "fneg",
        /// Per-lane FP square root (FSQRT).
        FSqrt = "fsqrt",
        /// Per-lane round to integral, ties to even (FRINTN).
        FRintN = "frintn",
        /// ... toward +inf (FRINTP).
        FRintP = "frintp",
        /// ... toward -inf (FRINTM).
        FRintM = "frintm",
        /// ... toward zero (FRINTZ).
        FRintZ = "frintz",
        /// ... ties away from zero (FRINTA).
        FRintA = "frinta",
        /// ... current mode, inexact raised (FRINTX).
        FRintX = "frintx",
        /// ... current mode (FRINTI).
        FRintI = "frinti",
        /// Per-lane FP -> signed integer of the same width, toward zero, saturating (FCVTZS).
        FCvtZS = "fcvtzs",
        /// ... unsigned (FCVTZU).
        FCvtZU = "fcvtzu",
        /// Per-lane signed integer -> FP of the same width, current rounding (SCVTF).
        SCvtF = "scvtf",
        /// ... unsigned (UCVTF).
        UCvtF = "ucvtf",
    }
}

named_enum! {
    /// Two-operand vector ops.
    pub enum VecBinOp {
        And = "and", Or = "or", Xor = "xor",
        /// a & !b (BIC).
        AndNot = "bic",
        /// a | !b (ORN).
        OrNot = "orn",
        Add = "add", Sub = "sub", Mul = "mul",
        /// Lanes equal -> all ones (CMEQ).
        CmpEq = "cmeq",
        /// Signed a > b (CMGT).
        CmpGt = "cmgt",
        /// Signed a >= b (CMGE).
        CmpGe = "cmge",
        /// Unsigned a > b (CMHI).
        CmpHi = "cmhi",
        /// Unsigned a >= b (CMHS).
        CmpHs = "cmhs",
        /// (a & b) != 0 -> all ones (CMTST).
        CmpTst = "cmtst",
        UMin = "umin", UMax = "umax", SMin = "smin", SMax = "smax",
        /// Pairwise add: lanes of a then b, adjacent pairs summed (ADDP).
        AddPairwise = "addp",
        UMinPairwise = "uminp", UMaxPairwise = "umaxp",
        SMinPairwise = "sminp", SMaxPairwise = "smaxp",
        /// Interleave low halves (ZIP1).
        Zip1 = "zip1",
        /// Interleave high halves (ZIP2).
        Zip2 = "zip2",
        /// Even lanes of a:b (UZP1).
        Uzp1 = "uzp1",
        /// Odd lanes of a:b (UZP2).
        Uzp2 = "uzp2",
        /// Even lanes of a interleaved with even lanes of b (TRN1).
        Trn1 = "trn1",
        /// Odd lanes of a interleaved with odd lanes of b (TRN2).
        Trn2 = "trn2",
        /// Table lookup: bytes of `a` indexed by the bytes of `b`, 0 when out of range (TBL, 1 reg).
        Tbl = "tbl",
        /// Unsigned saturating add / sub (saturation does not set FPSR.QC here).
        UQAdd = "uqadd", UQSub = "uqsub", SQAdd = "sqadd", SQSub = "sqsub",
        /// Unsigned halving add (UHADD) and rounding halving add (URHADD).
        UHAdd = "uhadd", URHAdd = "urhadd",
        /// Signed halving add (SHADD), halving subtracts (UHSUB / SHSUB).
        SHAdd = "shadd", UHSub = "uhsub", SHSub = "shsub",
        /// Absolute difference, unsigned / signed.
        UAbd = "uabd", SAbd = "sabd",
        /// Shift by signed per-lane amount from the low byte of `b` lanes (USHL / SSHL).
        UShl = "ushl", SShl = "sshl",
        /// Widening multiply of low halves, unsigned / signed (UMULL / SMULL); es is the source size.
        UMullLow = "umull", SMullLow = "smull",
        /// ... of high halves (UMULL2 / SMULL2).
        UMullHigh = "umull2", SMullHigh = "smull2",
        /// Widening add of low halves (UADDL / SADDL), and high halves.
        UAddlLow = "uaddl", UAddlHigh = "uaddl2", SAddlLow = "saddl", SAddlHigh = "saddl2",
        /// Widening subtract of low halves (USUBL / SSUBL), and high halves.
        USublLow = "usubl", USublHigh = "usubl2", SSublLow = "ssubl", SSublHigh = "ssubl2",
        /// Wide add: 2*es lanes of a plus widened low es lanes of b (UADDW / SADDW).
        UAddwLow = "uaddw", UAddwHigh = "uaddw2", SAddwLow = "saddw", SAddwHigh = "saddw2",
        /// Wide subtract (USUBW / SSUBW).
        USubwLow = "usubw", USubwHigh = "usubw2", SSubwLow = "ssubw", SSubwHigh = "ssubw2",
        /// Widening absolute difference (UABDL / SABDL), low and high halves.
        UAbdlLow = "uabdl", UAbdlHigh = "uabdl2", SAbdlLow = "sabdl", SAbdlHigh = "sabdl2",
        /// Per-lane FP ops (es 32 or 64), AArch64 NaN rules, rounding from `fp_rm`.
        FAdd = "fadd", FSub = "fsub", FMul = "fmul", FDiv = "fdiv",
        FMin = "fmin", FMax = "fmax", FMinNum = "fminnm", FMaxNum = "fmaxnm",
        /// |a - b| (FABD).
        FAbd = "fabd",
        /// Quiet a == b (FCMEQ); signalling a >= b (FCMGE) and a > b (FCMGT).
        FCmpEq = "fcmeq", FCmpGe = "fcmge", FCmpGt = "fcmgt",
        /// |a| >= |b| (FACGE) and |a| > |b| (FACGT).
        FAbsCmpGe = "facge", FAbsCmpGt = "facgt",
        /// Pairwise FP ops over the lanes of a then b (FADDP, FMAXP, ...).
        FAddPairwise = "faddp",
        FMaxPairwise = "fmaxp", FMinPairwise = "fminp",
        FMaxNumPairwise = "fmaxnmp", FMinNumPairwise = "fminnmp",
    }
}

named_enum! {
    /// Three-operand vector ops.
    pub enum VecTerOp {
        /// Bitwise select: (a & c) | (b & !c) — BSL/BIT/BIF are this with operands permuted.
        Bsl = "bsl",
        /// a + b * c per lane (MLA).
        Mla = "mla",
        /// a - b * c per lane (MLS).
        Mls = "mls",
        /// Per-lane fused a + b * c (FMLA).
        FMla = "fmla",
        /// Per-lane fused a - b * c (FMLS).
        FMls = "fmls",
        /// Table lookup extension: byte i is `b[c[i]]` when c[i] < 16, else `a[i]` (TBX, 1 reg).
        /// Multi-register TBL/TBX chain this with indices rebased by 16 per table register.
        Tbx = "tbx",
        /// a + |b - c| per lane, unsigned / signed (UABA / SABA).
        UAba = "uaba", SAba = "saba",
        /// a (2*es lanes) + widened product of the low / high es lanes of b and c (UMLAL / SMLAL).
        UMlalLow = "umlal", UMlalHigh = "umlal2", SMlalLow = "smlal", SMlalHigh = "smlal2",
        /// a (2*es lanes) + widened |b - c| of the low / high es lanes (UABAL / SABAL).
        UAbalLow = "uabal", UAbalHigh = "uabal2", SAbalLow = "sabal", SAbalHigh = "sabal2",
    }
}

named_enum! {
    /// Vector ops with an immediate.
    pub enum VecImmOp {
        /// Shift left each lane by imm, 0..es (SHL).
        Shl = "shl",
        /// Logical shift right by imm, 1..=es (USHR).
        UShr = "ushr",
        /// Arithmetic shift right by imm, 1..=es (SSHR).
        SShr = "sshr",
        /// Rounding logical / arithmetic shift right (URSHR / SRSHR).
        URShr = "urshr", SRShr = "srshr",
        /// Shift es lanes right by imm and narrow to es/2, into the low half (SHRN); RSHRN rounds.
        ShrNarrow = "shrn", RShrNarrow = "rshrn",
        /// Duplicate lane imm of `a` to all lanes (DUP element).
        DupLane = "duplane",
        /// Shift left by imm and widen the low / high half (USHLL / SSHLL); es is the source size.
        UShllLow = "ushll", UShllHigh = "ushll2",
        SShllLow = "sshll", SShllHigh = "sshll2",
        /// Per-lane FP -> fixed point with imm fraction bits, toward zero (FCVTZS / FCVTZU #fbits).
        FCvtZSFixed = "fcvtzsfx", FCvtZUFixed = "fcvtzufx",
        /// Per-lane fixed point with imm fraction bits -> FP (SCVTF / UCVTF #fbits).
        SCvtFFixed = "scvtffx", UCvtFFixed = "ucvtffx",
    }
}

named_enum! {
    /// Vector ops with two operands and an immediate.
    pub enum VecImm2Op {
        /// Bytes imm..imm+16 of the 32-byte concatenation b:a, a lowest (EXT; es 8).
        Ext = "ext",
        /// a with each lane's bits above imm replaced by b's lane shifted left by imm (SLI).
        Sli = "sli",
        /// a with each lane's low es-imm bits replaced by b's lane shifted right by imm (SRI).
        Sri = "sri",
        /// a + (b >> imm), logical / arithmetic (USRA / SSRA).
        Usra = "usra", Ssra = "ssra",
        /// a + rounding (b >> imm) (URSRA / SRSRA).
        Ursra = "ursra", Srsra = "srsra",
    }
}

//! The vector op family: sub-opcodes of `VUnary`, `VBinary`, `VTernary` and `VImm`.
//!
//! All operands and results are V128 unless stated. `es` is the element size in bits (8, 16,
//! 32, 64); ops work lane-wise over 128/es lanes, lane 0 in the least significant bits. Ops that
//! narrow or widen state which half they read or write. 64-bit (D-form) AArch64 instructions
//! compute on the full register and then clear the top half with `ZeroHigh`.

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
        /// Narrow each 2*es lane to es bits (truncating) into the low half, high half zero (XTN).
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
        Trn1 = "trn1", Trn2 = "trn2",
        /// Table lookup: bytes of `a` indexed by the bytes of `b`, 0 when out of range (TBL, 1 reg).
        Tbl = "tbl",
        /// Unsigned saturating add / sub.
        UQAdd = "uqadd", UQSub = "uqsub", SQAdd = "sqadd", SQSub = "sqsub",
        /// Unsigned halving add (UHADD) and rounding halving add (URHADD).
        UHAdd = "uhadd", URHAdd = "urhadd",
        /// Absolute difference, unsigned / signed.
        UAbd = "uabd", SAbd = "sabd",
        /// Shift by signed per-lane amount from `b` (USHL / SSHL).
        UShl = "ushl", SShl = "sshl",
        /// Widening multiply of low halves, unsigned / signed (UMULL / SMULL); es is the source size.
        UMullLow = "umull", SMullLow = "smull",
        /// ... of high halves (UMULL2 / SMULL2).
        UMullHigh = "umull2", SMullHigh = "smull2",
        /// Widening add of low halves (UADDL / SADDL), and high halves.
        UAddlLow = "uaddl", UAddlHigh = "uaddl2",
        /// Wide add: 2*es lanes of a plus widened low es lanes of b (UADDW).
        UAddwLow = "uaddw", UAddwHigh = "uaddw2",
        /// Per-lane FP ops (es 32 or 64), AArch64 NaN rules, rounding from `fp_rm`.
        FAdd = "fadd", FSub = "fsub", FMul = "fmul", FDiv = "fdiv",
        FMin = "fmin", FMax = "fmax", FMinNum = "fminnm", FMaxNum = "fmaxnm",
        FCmpEq = "fcmeq", FCmpGe = "fcmge", FCmpGt = "fcmgt",
        FAddPairwise = "faddp",
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
        /// Table lookup over the 32-byte table a:b indexed by c (TBL, 2 regs).
        Tbl2 = "tbl2",
    }
}

named_enum! {
    /// Vector ops with an immediate.
    pub enum VecImmOp {
        /// Shift left each lane by imm (SHL).
        Shl = "shl",
        /// Logical shift right by imm, 1..=es (USHR).
        UShr = "ushr",
        /// Arithmetic shift right by imm (SSHR).
        SShr = "sshr",
        /// Shift right 2*es lanes by imm and narrow to es, into the low half (SHRN).
        ShrNarrow = "shrn",
        /// Duplicate lane imm of `a` to all lanes (DUP element).
        DupLane = "duplane",
        /// Shift left and widen low half (USHLL #imm).
        UShllLow = "ushll", UShllHigh = "ushll2",
        SShllLow = "sshll", SShllHigh = "sshll2",
    }
}

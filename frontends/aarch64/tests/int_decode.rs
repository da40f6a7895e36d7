//! Decode-table tests for the integer and system rows (branch_exception_system.dec,
//! data_processing_imm.dec, data_processing_reg.dec, load_store.dec): each case is an encoding
//! produced by GNU as, its assembly, the row it must decode to and field values read off the
//! assembly. Every row of those tables must have at least one case.

use remu_aarch64::decoder::{row_index, ROWS};

/// (word, assembly, row, [(field, value)]).
type Case = (u32, &'static str, &'static str, &'static [(&'static str, u32)]);

#[rustfmt::skip]
const CASES: &[Case] = &[
    (0x54000041, "b.ne .+8", "b_cond", &[("imm19", 2), ("cond", 1)]),
    (0xd4000001, "svc #0", "svc", &[("imm16", 0)]),
    (0xd4207d00, "brk #0x3e8", "brk", &[("imm16", 1000)]),
    (0xd503201f, "nop", "nop", &[]),
    (0xd503203f, "yield", "hint", &[("crm", 0), ("op2", 1)]),
    (0xd503233f, "paciasp", "hint", &[("crm", 3), ("op2", 1)]),
    (0xd503245f, "bti c", "hint", &[("crm", 4), ("op2", 2)]),
    (0xd5033f5f, "clrex", "clrex", &[("crm", 15)]),
    (0xd5033b9f, "dsb ish", "dsb", &[("crm", 11)]),
    (0xd50339bf, "dmb ishld", "dmb", &[("crm", 9)]),
    (0xd5033fdf, "isb", "isb", &[("crm", 15)]),
    (0xd50b7423, "dc zva, x3", "sys", &[("op1", 3), ("crn", 7), ("crm", 4), ("op2", 1), ("rt", 3)]),
    (0xd50b7524, "ic ivau, x4", "sys", &[("op1", 3), ("crn", 7), ("crm", 5), ("op2", 1), ("rt", 4)]),
    (0xd51bd045, "msr tpidr_el0, x5", "msr_reg", &[("o0", 1), ("op1", 3), ("crn", 13), ("crm", 0), ("op2", 2), ("rt", 5)]),
    (0xd53b4406, "mrs x6, fpcr", "mrs", &[("o0", 1), ("op1", 3), ("crn", 4), ("crm", 4), ("op2", 0), ("rt", 6)]),
    (0xd61f00e0, "br x7", "br", &[("rn", 7)]),
    (0xd63f0100, "blr x8", "blr", &[("rn", 8)]),
    (0xd65f03c0, "ret", "ret", &[("rn", 30)]),
    (0x14000004, "b .+16", "b_imm", &[("op", 0), ("imm26", 4)]),
    (0x97ffffff, "bl .-4", "b_imm", &[("op", 1), ("imm26", 0x3ffffff)]),
    (0x34000069, "cbz w9, .+12", "cbz", &[("sf", 0), ("imm19", 3), ("rt", 9)]),
    (0xb5ffffca, "cbnz x10, .-8", "cbnz", &[("sf", 1), ("imm19", 0x7fffe), ("rt", 10)]),
    (0xb608002b, "tbz x11, #33, .+4", "tbz", &[("b5", 1), ("b40", 1), ("imm14", 1), ("rt", 11)]),
    (0x3718004c, "tbnz w12, #3, .+8", "tbnz", &[("b5", 0), ("b40", 3), ("imm14", 2), ("rt", 12)]),
    (0x30000021, "adr x1, .+5", "adr", &[("immlo", 1), ("immhi", 1), ("rd", 1)]),
    (0x90000002, "adrp x2, .+0x3000", "adrp", &[("rd", 2)]),
    (0x914043e3, "add x3, sp, #0x10, lsl #12", "add_imm", &[("sf", 1), ("sh", 1), ("imm12", 16), ("rn", 31), ("rd", 3)]),
    (0x31001ca4, "adds w4, w5, #7", "adds_imm", &[("sf", 0), ("sh", 0), ("imm12", 7), ("rn", 5), ("rd", 4)]),
    (0xd10083ff, "sub sp, sp, #32", "sub_imm", &[("sf", 1), ("imm12", 32), ("rn", 31), ("rd", 31)]),
    (0xf10004df, "cmp x6, #1", "subs_imm", &[("sf", 1), ("imm12", 1), ("rn", 6), ("rd", 31)]),
    (0x92401c41, "and x1, x2, #0xff", "and_imm", &[("sf", 1), ("n", 1), ("immr", 0), ("imms", 7), ("rn", 2), ("rd", 1)]),
    (0x3200f083, "orr w3, w4, #0x55555555", "orr_imm", &[("sf", 0), ("n", 0), ("immr", 0), ("imms", 60), ("rn", 4), ("rd", 3)]),
    (0xd2440cc5, "eor x5, x6, #0xf000000000000000", "eor_imm", &[("sf", 1), ("n", 1), ("immr", 4), ("imms", 3), ("rn", 6), ("rd", 5)]),
    (0x720000ff, "tst w7, #1", "ands_imm", &[("sf", 0), ("n", 0), ("immr", 0), ("imms", 0), ("rn", 7), ("rd", 31)]),
    (0x92a24681, "movn x1, #0x1234, lsl #16", "movn", &[("sf", 1), ("hw", 1), ("imm16", 0x1234), ("rd", 1)]),
    (0x5297dde2, "movz w2, #0xbeef", "movz", &[("sf", 0), ("hw", 0), ("imm16", 0xbeef), ("rd", 2)]),
    (0xf2f95fc3, "movk x3, #0xcafe, lsl #48", "movk", &[("sf", 1), ("hw", 3), ("imm16", 0xcafe), ("rd", 3)]),
    (0x93401c41, "sxtb x1, w2", "sbfm", &[("sf", 1), ("n", 1), ("immr", 0), ("imms", 7), ("rn", 2), ("rd", 1)]),
    (0x33180c83, "bfi w3, w4, #8, #4", "bfm", &[("sf", 0), ("n", 0), ("immr", 24), ("imms", 3), ("rn", 4), ("rd", 3)]),
    (0xd343fcc5, "lsr x5, x6, #3", "ubfm", &[("sf", 1), ("n", 1), ("immr", 3), ("imms", 63), ("rn", 6), ("rd", 5)]),
    (0x93c93107, "extr x7, x8, x9, #12", "extr", &[("sf", 1), ("n", 1), ("rm", 9), ("imms", 12), ("rn", 8), ("rd", 7)]),
    (0x9ac30841, "udiv x1, x2, x3", "udiv", &[("sf", 1), ("rm", 3), ("rn", 2), ("rd", 1)]),
    (0x1ac60ca4, "sdiv w4, w5, w6", "sdiv", &[("sf", 0), ("rm", 6), ("rn", 5), ("rd", 4)]),
    (0x9ac92107, "lsl x7, x8, x9", "lslv", &[("sf", 1), ("rm", 9), ("rn", 8), ("rd", 7)]),
    (0x1acc256a, "lsr w10, w11, w12", "lsrv", &[("sf", 0), ("rm", 12), ("rn", 11), ("rd", 10)]),
    (0x9acf29cd, "asr x13, x14, x15", "asrv", &[("sf", 1), ("rm", 15), ("rn", 14), ("rd", 13)]),
    (0x1ad22e30, "ror w16, w17, w18", "rorv", &[("sf", 0), ("rm", 18), ("rn", 17), ("rd", 16)]),
    (0x1ac34041, "crc32b w1, w2, w3", "crc32", &[("sf", 0), ("rm", 3), ("c", 0), ("sz", 0), ("rn", 2), ("rd", 1)]),
    (0x9ac65ca4, "crc32cx w4, w5, x6", "crc32", &[("sf", 1), ("rm", 6), ("c", 1), ("sz", 3), ("rn", 5), ("rd", 4)]),
    (0xdac00041, "rbit x1, x2", "rbit", &[("sf", 1), ("rn", 2), ("rd", 1)]),
    (0x5ac00483, "rev16 w3, w4", "rev16", &[("sf", 0), ("rn", 4), ("rd", 3)]),
    (0x5ac008c5, "rev w5, w6", "rev_w", &[("rn", 6), ("rd", 5)]),
    (0xdac00907, "rev32 x7, x8", "rev32", &[("rn", 8), ("rd", 7)]),
    (0xdac00d49, "rev x9, x10", "rev_x", &[("rn", 10), ("rd", 9)]),
    (0xdac0118b, "clz x11, x12", "clz", &[("sf", 1), ("rn", 12), ("rd", 11)]),
    (0x5ac015cd, "cls w13, w14", "cls", &[("sf", 0), ("rn", 14), ("rd", 13)]),
    (0x8a031041, "and x1, x2, x3, lsl #4", "and_reg", &[("sf", 1), ("shift", 0), ("rm", 3), ("imm6", 4), ("rn", 2), ("rd", 1)]),
    (0x0a6608a4, "bic w4, w5, w6, lsr #2", "bic_reg", &[("sf", 0), ("shift", 1), ("rm", 6), ("imm6", 2), ("rn", 5), ("rd", 4)]),
    (0xaa0803e7, "mov x7, x8", "orr_reg", &[("sf", 1), ("shift", 0), ("rm", 8), ("imm6", 0), ("rn", 31), ("rd", 7)]),
    (0x2aaa17e9, "mvn w9, w10, asr #5", "orn_reg", &[("sf", 0), ("shift", 2), ("rm", 10), ("imm6", 5), ("rn", 31), ("rd", 9)]),
    (0xcacdfd8b, "eor x11, x12, x13, ror #63", "eor_reg", &[("sf", 1), ("shift", 3), ("rm", 13), ("imm6", 63), ("rn", 12), ("rd", 11)]),
    (0x4a3001ee, "eon w14, w15, w16", "eon_reg", &[("sf", 0), ("rm", 16), ("rn", 15), ("rd", 14)]),
    (0xea12023f, "tst x17, x18", "ands_reg", &[("sf", 1), ("rm", 18), ("rn", 17), ("rd", 31)]),
    (0x6a357e93, "bics w19, w20, w21, lsl #31", "bics_reg", &[("sf", 0), ("shift", 0), ("rm", 21), ("imm6", 31), ("rn", 20), ("rd", 19)]),
    (0x8b030c41, "add x1, x2, x3, lsl #3", "add_sreg", &[("sf", 1), ("shift", 0), ("rm", 3), ("imm6", 3), ("rn", 2), ("rd", 1)]),
    (0x2b8604a4, "adds w4, w5, w6, asr #1", "adds_sreg", &[("sf", 0), ("shift", 2), ("rm", 6), ("imm6", 1), ("rn", 5), ("rd", 4)]),
    (0xcb0803e7, "neg x7, x8", "sub_sreg", &[("sf", 1), ("rm", 8), ("rn", 31), ("rd", 7)]),
    (0x6b4a113f, "cmp w9, w10, lsr #4", "subs_sreg", &[("sf", 0), ("shift", 1), ("rm", 10), ("imm6", 4), ("rn", 9), ("rd", 31)]),
    (0x8b224be1, "add x1, sp, w2, uxtw #2", "add_ereg", &[("sf", 1), ("rm", 2), ("option", 2), ("imm3", 2), ("rn", 31), ("rd", 1)]),
    (0xab258083, "adds x3, x4, w5, sxtb", "adds_ereg", &[("sf", 1), ("rm", 5), ("option", 4), ("imm3", 0), ("rn", 4), ("rd", 3)]),
    (0xcb2663ff, "sub sp, sp, x6", "sub_ereg", &[("sf", 1), ("rm", 6), ("option", 3), ("imm3", 0), ("rn", 31), ("rd", 31)]),
    (0x6b2824ff, "cmp w7, w8, uxth #1", "subs_ereg", &[("sf", 0), ("rm", 8), ("option", 1), ("imm3", 1), ("rn", 7), ("rd", 31)]),
    (0x9a030041, "adc x1, x2, x3", "adc", &[("sf", 1), ("rm", 3), ("rn", 2), ("rd", 1)]),
    (0x3a0600a4, "adcs w4, w5, w6", "adcs", &[("sf", 0), ("rm", 6), ("rn", 5), ("rd", 4)]),
    (0xda0803e7, "ngc x7, x8", "sbc", &[("sf", 1), ("rm", 8), ("rn", 31), ("rd", 7)]),
    (0x7a0b0149, "sbcs w9, w10, w11", "sbcs", &[("sf", 0), ("rm", 11), ("rn", 10), ("rd", 9)]),
    (0xba420024, "ccmn x1, x2, #4, eq", "ccmn_reg", &[("sf", 1), ("rm", 2), ("cond", 0), ("rn", 1), ("nzcv", 4)]),
    (0x7a44b06f, "ccmp w3, w4, #15, lt", "ccmp_reg", &[("sf", 0), ("rm", 4), ("cond", 11), ("rn", 3), ("nzcv", 15)]),
    (0x3a5fa8a0, "ccmn w5, #31, #0, ge", "ccmn_imm", &[("sf", 0), ("imm5", 31), ("cond", 10), ("rn", 5), ("nzcv", 0)]),
    (0xfa4388c2, "ccmp x6, #3, #2, hi", "ccmp_imm", &[("sf", 1), ("imm5", 3), ("cond", 8), ("rn", 6), ("nzcv", 2)]),
    (0x9a831041, "csel x1, x2, x3, ne", "csel", &[("sf", 1), ("rm", 3), ("cond", 1), ("rn", 2), ("rd", 1)]),
    (0x1a9f17e4, "cset w4, eq", "csinc", &[("sf", 0), ("rm", 31), ("cond", 1), ("rn", 31), ("rd", 4)]),
    (0xda9fa3e5, "csetm x5, lt", "csinv", &[("sf", 1), ("rm", 31), ("cond", 10), ("rn", 31), ("rd", 5)]),
    (0x5a8754e6, "cneg w6, w7, mi", "csneg", &[("sf", 0), ("rm", 7), ("cond", 5), ("rn", 7), ("rd", 6)]),
    (0x9b037c41, "mul x1, x2, x3", "madd", &[("sf", 1), ("rm", 3), ("ra", 31), ("rn", 2), ("rd", 1)]),
    (0x1b069ca4, "msub w4, w5, w6, w7", "msub", &[("sf", 0), ("rm", 6), ("ra", 7), ("rn", 5), ("rd", 4)]),
    (0x9b2a7d28, "smull x8, w9, w10", "smaddl", &[("rm", 10), ("ra", 31), ("rn", 9), ("rd", 8)]),
    (0x9b2db98b, "smsubl x11, w12, w13, x14", "smsubl", &[("rm", 13), ("ra", 14), ("rn", 12), ("rd", 11)]),
    (0x9b517e0f, "smulh x15, x16, x17", "smulh", &[("rm", 17), ("ra", 31), ("rn", 16), ("rd", 15)]),
    (0x9bb45672, "umaddl x18, w19, w20, x21", "umaddl", &[("rm", 20), ("ra", 21), ("rn", 19), ("rd", 18)]),
    (0x9bb8fef6, "umnegl x22, w23, w24", "umsubl", &[("rm", 24), ("ra", 31), ("rn", 23), ("rd", 22)]),
    (0x9bdb7f59, "umulh x25, x26, x27", "umulh", &[("rm", 27), ("ra", 31), ("rn", 26), ("rd", 25)]),
    (0xc8017c62, "stxr w1, x2, [x3]", "stxr", &[("size", 3), ("rs", 1), ("rn", 3), ("rt", 2)]),
    (0x0804ffe5, "stlxrb w4, w5, [sp]", "stlxr", &[("size", 0), ("rs", 4), ("rn", 31), ("rt", 5)]),
    (0x485f7ce6, "ldxrh w6, [x7]", "ldxr", &[("size", 1), ("rn", 7), ("rt", 6)]),
    (0x885ffd28, "ldaxr w8, [x9]", "ldaxr", &[("size", 2), ("rn", 9), ("rt", 8)]),
    (0xc8210c82, "stxp w1, x2, x3, [x4]", "stxp", &[("sz", 1), ("rs", 1), ("rt2", 3), ("rn", 4), ("rt", 2)]),
    (0x88259d06, "stlxp w5, w6, w7, [x8]", "stlxp", &[("sz", 0), ("rs", 5), ("rt2", 7), ("rn", 8), ("rt", 6)]),
    (0xc87f2969, "ldxp x9, x10, [x11]", "ldxp", &[("sz", 1), ("rt2", 10), ("rn", 11), ("rt", 9)]),
    (0x887fb7ec, "ldaxp w12, w13, [sp]", "ldaxp", &[("sz", 0), ("rt2", 13), ("rn", 31), ("rt", 12)]),
    (0x4862fcc4, "caspal x2, x3, x4, x5, [x6]", "casp", &[("sz", 1), ("l", 1), ("rs", 2), ("o0", 1), ("rn", 6), ("rt", 4)]),
    (0x08207c82, "casp w0, w1, w2, w3, [x4]", "casp", &[("sz", 0), ("l", 0), ("rs", 0), ("o0", 0), ("rn", 4), ("rt", 2)]),
    (0x889f7c41, "stllr w1, [x2]", "stllr", &[("size", 2), ("rn", 2), ("rt", 1)]),
    (0xc89ffc83, "stlr x3, [x4]", "stlr", &[("size", 3), ("rn", 4), ("rt", 3)]),
    (0x08df7cc5, "ldlarb w5, [x6]", "ldlar", &[("size", 0), ("rn", 6), ("rt", 5)]),
    (0x48dffd07, "ldarh w7, [x8]", "ldar", &[("size", 1), ("rn", 8), ("rt", 7)]),
    (0xc8e1fc62, "casal x1, x2, [x3]", "cas", &[("size", 3), ("l", 1), ("rs", 1), ("o0", 1), ("rn", 3), ("rt", 2)]),
    (0x08a47fe5, "casb w4, w5, [sp]", "cas", &[("size", 0), ("l", 0), ("rs", 4), ("o0", 0), ("rn", 31), ("rt", 5)]),
    (0x58000041, "ldr x1, .+8", "ldr_lit", &[("opc", 1), ("imm19", 2), ("rt", 1)]),
    (0x98ffffe2, "ldrsw x2, .-4", "ldr_lit", &[("opc", 2), ("imm19", 0x7ffff), ("rt", 2)]),
    (0xd8000020, "prfm pldl1keep, .+4", "ldr_lit", &[("opc", 3), ("imm19", 1), ("rt", 0)]),
    (0x9c000083, "ldr q3, .+16", "ldr_lit_fp", &[("opc", 2), ("imm19", 4), ("rt", 3)]),
    (0xa8010861, "stnp x1, x2, [x3, #16]", "stnp", &[("opc", 2), ("imm7", 2), ("rt2", 2), ("rn", 3), ("rt", 1)]),
    (0x287f17e4, "ldnp w4, w5, [sp, #-8]", "ldnp", &[("opc", 0), ("imm7", 0x7e), ("rt2", 5), ("rn", 31), ("rt", 4)]),
    (0xac011d06, "stnp q6, q7, [x8, #32]", "stnp_fp", &[("opc", 2), ("imm7", 2), ("rt2", 7), ("rn", 8), ("rt", 6)]),
    (0x6c402969, "ldnp d9, d10, [x11]", "ldnp_fp", &[("opc", 1), ("imm7", 0), ("rt2", 10), ("rn", 11), ("rt", 9)]),
    (0xa9bf7bfd, "stp x29, x30, [sp, #-16]!", "stp", &[("opc", 2), ("idx", 3), ("imm7", 0x7e), ("rt2", 30), ("rn", 31), ("rt", 29)]),
    (0xa8c17bfd, "ldp x29, x30, [sp], #16", "ldp", &[("opc", 2), ("idx", 1), ("imm7", 2), ("rt2", 30), ("rn", 31), ("rt", 29)]),
    (0x69410861, "ldpsw x1, x2, [x3, #8]", "ldp", &[("opc", 1), ("idx", 2), ("imm7", 2), ("rt2", 2), ("rn", 3), ("rt", 1)]),
    (0xad010440, "stp q0, q1, [x2, #32]", "stp_fp", &[("opc", 2), ("idx", 2), ("imm7", 2), ("rt2", 1), ("rn", 2), ("rt", 0)]),
    (0x2cc110a3, "ldp s3, s4, [x5], #8", "ldp_fp", &[("opc", 0), ("idx", 1), ("imm7", 2), ("rt2", 4), ("rn", 5), ("rt", 3)]),
    (0xf85ff041, "ldur x1, [x2, #-1]", "ldur_stur", &[("size", 3), ("opc", 1), ("imm9", 0x1ff), ("rn", 2), ("rt", 1)]),
    (0x78003083, "sturh w3, [x4, #3]", "ldur_stur", &[("size", 1), ("opc", 0), ("imm9", 3), ("rn", 4), ("rt", 3)]),
    (0xf88010a0, "prfum pldl1keep, [x5, #1]", "ldur_stur", &[("size", 3), ("opc", 2), ("imm9", 1), ("rn", 5), ("rt", 0)]),
    (0x3cdf00e6, "ldur q6, [x7, #-16]", "ldur_stur_fp", &[("size", 0), ("opc", 3), ("imm9", 0x1f0), ("rn", 7), ("rt", 6)]),
    (0x38c01441, "ldrsb w1, [x2], #1", "ldr_str_post", &[("size", 0), ("opc", 3), ("imm9", 1), ("rn", 2), ("rt", 1)]),
    (0xfc1f8483, "str d3, [x4], #-8", "ldr_str_post_fp", &[("size", 3), ("opc", 0), ("imm9", 0x1f8), ("rn", 4), ("rt", 3)]),
    (0x788028c5, "ldtrsh x5, [x6, #2]", "ldtr_sttr", &[("size", 1), ("opc", 2), ("imm9", 2), ("rn", 6), ("rt", 5)]),
    (0xb81fcfe7, "str w7, [sp, #-4]!", "ldr_str_pre", &[("size", 2), ("opc", 0), ("imm9", 0x1fc), ("rn", 31), ("rt", 7)]),
    (0x3c401d28, "ldr b8, [x9, #1]!", "ldr_str_pre_fp", &[("size", 0), ("opc", 1), ("imm9", 1), ("rn", 9), ("rt", 8)]),
    (0xf8bfc041, "ldapr x1, [x2]", "ldapr", &[("size", 3), ("rn", 2), ("rt", 1)]),
    (0xb8e380a4, "swpal w3, w4, [x5]", "swp", &[("size", 2), ("a", 1), ("r", 1), ("rs", 3), ("rn", 5), ("rt", 4)]),
    (0xf8210062, "ldadd x1, x2, [x3]", "ldadd", &[("size", 3), ("a", 0), ("r", 0), ("rs", 1), ("rn", 3), ("rt", 2)]),
    (0x38a410c5, "ldclrab w4, w5, [x6]", "ldclr", &[("size", 0), ("a", 1), ("r", 0), ("rs", 4), ("rn", 6), ("rt", 5)]),
    (0x78672128, "ldeorlh w7, w8, [x9]", "ldeor", &[("size", 1), ("a", 0), ("r", 1), ("rs", 7), ("rn", 9), ("rt", 8)]),
    (0xb82a317f, "stset w10, [x11]", "ldset", &[("size", 2), ("a", 0), ("r", 0), ("rs", 10), ("rn", 11), ("rt", 31)]),
    (0xf8ec41cd, "ldsmaxal x12, x13, [x14]", "ldsmax", &[("size", 3), ("a", 1), ("r", 1), ("rs", 12), ("rn", 14), ("rt", 13)]),
    (0xb82f53f0, "ldsmin w15, w16, [sp]", "ldsmin", &[("size", 2), ("rs", 15), ("rn", 31), ("rt", 16)]),
    (0x38316272, "ldumaxb w17, w18, [x19]", "ldumax", &[("size", 0), ("rs", 17), ("rn", 19), ("rt", 18)]),
    (0xf87472d5, "lduminl x20, x21, [x22]", "ldumin", &[("size", 3), ("a", 0), ("r", 1), ("rs", 20), ("rn", 22), ("rt", 21)]),
    (0xf8637841, "ldr x1, [x2, x3, lsl #3]", "ldr_str_reg", &[("size", 3), ("opc", 1), ("rm", 3), ("option", 3), ("s", 1), ("rn", 2), ("rt", 1)]),
    (0x3826c8a4, "strb w4, [x5, w6, sxtw]", "ldr_str_reg", &[("size", 0), ("opc", 0), ("rm", 6), ("option", 6), ("s", 0), ("rn", 5), ("rt", 4)]),
    (0x3ce97907, "ldr q7, [x8, x9, lsl #4]", "ldr_str_reg_fp", &[("size", 0), ("opc", 3), ("rm", 9), ("option", 3), ("s", 1), ("rn", 8), ("rt", 7)]),
    (0xb94ffc41, "ldr w1, [x2, #4092]", "ldr_str_uimm", &[("size", 2), ("opc", 1), ("imm12", 1023), ("rn", 2), ("rt", 1)]),
    (0x798007e3, "ldrsh x3, [sp, #2]", "ldr_str_uimm", &[("size", 1), ("opc", 2), ("imm12", 1), ("rn", 31), ("rt", 3)]),
    (0xf9800493, "prfm pstl2strm, [x4, #8]", "ldr_str_uimm", &[("size", 3), ("opc", 2), ("imm12", 1), ("rn", 4), ("rt", 19)]),
    (0x3d8008c5, "str q5, [x6, #32]", "ldr_str_uimm_fp", &[("size", 0), ("opc", 2), ("imm12", 2), ("rn", 6), ("rt", 5)]),
    (0x7d400507, "ldr h7, [x8, #2]", "ldr_str_uimm_fp", &[("size", 1), ("opc", 1), ("imm12", 1), ("rn", 8), ("rt", 7)]),
];

/// Names of the rows in the integer tables, read from the `.dec` sources themselves.
fn integer_rows() -> Vec<&'static str> {
    const TABLES: &[&str] = &[
        include_str!("../decode/branch_exception_system.dec"),
        include_str!("../decode/data_processing_imm.dec"),
        include_str!("../decode/data_processing_reg.dec"),
        include_str!("../decode/load_store.dec"),
    ];
    TABLES
        .iter()
        .flat_map(|t| t.lines())
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('@'))
        .filter_map(|l| l.split_whitespace().next())
        .collect()
}

#[test]
fn encodings_decode_to_their_rows() {
    let mut failures = Vec::new();
    for &(word, asm, row, fields) in CASES {
        let Some(i) = row_index(word) else {
            failures.push(format!("{word:#010x} `{asm}`: no row, expected {row}"));
            continue;
        };
        let r = &ROWS[i];
        if r.name != row {
            failures.push(format!("{word:#010x} `{asm}`: row {}, expected {row}", r.name));
            continue;
        }
        for &(name, want) in fields {
            match r.fields.iter().find(|f| f.name == name) {
                None => failures.push(format!("{word:#010x} `{asm}`: row {row} has no field {name}")),
                Some(f) if f.get(word) != want => failures.push(format!(
                    "{word:#010x} `{asm}`: field {name} = {:#x}, expected {want:#x}",
                    f.get(word)
                )),
                Some(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_integer_row_has_a_case() {
    let rows = integer_rows();
    assert!(rows.len() > 100, "parsed only {} rows", rows.len());
    assert!(rows.iter().all(|n| ROWS.iter().any(|r| r.name == *n)), "row list out of sync with ROWS");
    let missing: Vec<&str> = rows.into_iter().filter(|n| !CASES.iter().any(|c| c.2 == *n)).collect();
    assert!(missing.is_empty(), "rows without an encoding test: {missing:?}");
}

#[test]
fn unallocated_words_are_rejected() {
    // Encodings in these groups that belong to features remu does not implement.
    let words: &[(u32, &str)] = &[
        (0xd4000002, "hvc #0"),
        (0xd4400000, "hlt #0"),
        (0xd69f03e0, "eret"),
        (0xd61f0bff, "braaz x31 (pointer authentication)"),
        (0xd500401f, "cfinv (PSTATE write, FEAT_FlagM)"),
        (0xdac10020, "pacia x0, x1"),
        (0x91800000, "addg x0, x0, #0, #0 (MTE)"),
        (0x19400000, "ldapurb w0, [x0] (LRCPC2)"),
    ];
    for &(w, asm) in words {
        assert_eq!(row_index(w).map(|i| ROWS[i].name), None, "{w:#010x} `{asm}`");
    }
}

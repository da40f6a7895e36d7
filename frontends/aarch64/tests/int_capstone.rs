//! Differential sweep of the integer decode tables against capstone (DESIGN §6 layer 1).
//!
//! Random words are drawn from each integer encoding group of Arm ARM C4.1 (branches/system,
//! data processing immediate, data processing register, loads and stores without the AdvSIMD
//! structure forms). For each word remu "accepts" when the translator does not turn it into
//! SIGILL. Accept/reject is compared with capstone, and for words both accept, every
//! general-purpose register capstone prints must be one of the register fields remu decoded.
//!
//! Known disagreements, each with its reason, are `CAPSTONE_ONLY` (features remu does not
//! implement) and `remu_only_reason` (CONSTRAINED UNPREDICTABLE encodings remu executes); they
//! are counted and printed, anything else fails the test. Set REMU_SWEEP_ALL=1 to list every
//! failure rather than the first 60.

use capstone::prelude::*;
use emu_core::ir::{Term, TrapKind};
use remu_aarch64::decoder::{row_index, ROWS};

/// Mnemonics capstone decodes that remu rejects on purpose: features remu does not implement
/// (and does not advertise in HWCAP), or EL1+ operations that are UNDEFINED at EL0.
const CAPSTONE_ONLY: &[(&str, &str)] = &[
    ("hvc", "EL2 call: UNDEFINED at EL0"),
    ("smc", "EL3 call: UNDEFINED at EL0"),
    ("hlt", "halting debug: UNDEFINED without an external debugger"),
    ("dcps", "debug state: UNDEFINED at EL0"),
    ("eret", "exception return: UNDEFINED at EL0"),
    ("drps", "debug state: UNDEFINED at EL0"),
    ("sysl", "no EL0-accessible SYSL encodings"),
    ("msr", "system register not accessible or not implemented (PSTATE fields, EL1 registers)"),
    ("mrs", "system register not accessible or not implemented (ID and EL1 registers)"),
    ("sys", "SYS operation other than the EL0 DC/IC ones"),
    ("dc", "DC operation other than ZVA/CVAU/CVAC/CVAP/CVADP/CIVAC (set/way and EL1 ops)"),
    ("ic", "IC operation other than IVAU (EL1 ops)"),
    ("at", "address translation: EL1 only"),
    ("tlbi", "TLB maintenance: EL1 only"),
    ("cfinv", "FEAT_FlagM not implemented"),
    ("xaflag", "FEAT_FlagM2 not implemented"),
    ("axflag", "FEAT_FlagM2 not implemented"),
    ("rmif", "FEAT_FlagM not implemented"),
    ("setf8", "FEAT_FlagM not implemented"),
    ("setf16", "FEAT_FlagM not implemented"),
    ("sb", "FEAT_SB not implemented"),
    ("ssbb", "encoded as DSB #0, handled as a full fence; capstone names it"),
    ("tstart", "FEAT_TME not implemented"),
    ("tcommit", "FEAT_TME not implemented"),
    ("tcancel", "FEAT_TME not implemented"),
    ("ttest", "FEAT_TME not implemented"),
    ("braa", "FEAT_PAuth not implemented"),
    ("brab", "FEAT_PAuth not implemented"),
    ("blraa", "FEAT_PAuth not implemented"),
    ("blrab", "FEAT_PAuth not implemented"),
    ("retaa", "FEAT_PAuth not implemented"),
    ("retab", "FEAT_PAuth not implemented"),
    ("eretaa", "FEAT_PAuth not implemented"),
    ("eretab", "FEAT_PAuth not implemented"),
    ("pac", "FEAT_PAuth not implemented"),
    ("aut", "FEAT_PAuth not implemented"),
    ("xpac", "FEAT_PAuth not implemented"),
    ("ldraa", "FEAT_PAuth not implemented"),
    ("ldrab", "FEAT_PAuth not implemented"),
    ("addg", "FEAT_MTE not implemented"),
    ("subg", "FEAT_MTE not implemented"),
    ("irg", "FEAT_MTE not implemented"),
    ("gmi", "FEAT_MTE not implemented"),
    ("subp", "FEAT_MTE not implemented"),
    ("cmpp", "FEAT_MTE not implemented"),
    ("stg", "FEAT_MTE not implemented"),
    ("st2g", "FEAT_MTE not implemented"),
    ("stzg", "FEAT_MTE not implemented"),
    ("stz2g", "FEAT_MTE not implemented"),
    ("ldg", "FEAT_MTE not implemented"),
    ("stgp", "FEAT_MTE not implemented"),
    ("ldgm", "FEAT_MTE not implemented"),
    ("stgm", "FEAT_MTE not implemented"),
    ("stzgm", "FEAT_MTE not implemented"),
    ("ldapur", "FEAT_LRCPC2 not implemented"),
    ("stlur", "FEAT_LRCPC2 not implemented"),
    ("ld64b", "FEAT_LS64 not implemented"),
    ("st64b", "FEAT_LS64 not implemented"),
    ("cpy", "FEAT_MOPS not implemented"),
    ("set", "FEAT_MOPS not implemented"),
    ("bc.", "FEAT_HBC not implemented"),
    ("wfet", "FEAT_WFxT not implemented"),
    ("wfit", "FEAT_WFxT not implemented"),
    ("abs", "FEAT_CSSC not implemented"),
    ("cnt", "FEAT_CSSC not implemented"),
    ("ctz", "FEAT_CSSC not implemented"),
    ("smax", "FEAT_CSSC not implemented"),
    ("smin", "FEAT_CSSC not implemented"),
    ("umax", "FEAT_CSSC not implemented"),
    ("umin", "FEAT_CSSC not implemented"),
];

/// Why remu accepts a word capstone rejects, when that is deliberate: CONSTRAINED
/// UNPREDICTABLE register combinations, which remu executes the way most cores do (LLVM, and so
/// capstone, takes the UNDEFINED choice).
fn remu_only_reason(w: u32, row: &str) -> Option<&'static str> {
    let (rt, rn, rt2) = (w & 31, (w >> 5) & 31, (w >> 10) & 31);
    let writeback = match row {
        "ldp" | "stp" | "ldp_fp" | "stp_fp" => (w >> 23) & 1 == 1, // idx 01 (post) or 11 (pre)
        "ldr_str_post" | "ldr_str_pre" => true,
        _ => false,
    };
    let int_pair = matches!(row, "ldp" | "stp" | "ldnp" | "stnp");
    if matches!(row, "ldp" | "ldnp" | "ldp_fp" | "ldnp_fp" | "ldxp" | "ldaxp") && rt == rt2 {
        return Some("load pair with Rt == Rt2");
    }
    if writeback && rn != 31 && !row.ends_with("_fp") && (rn == rt || (int_pair && rn == rt2)) {
        return Some("writeback with the base register also transferred");
    }
    if row == "ldtr_sttr" && rn == rt && rn != 31 {
        return Some("LLVM applies the writeback overlap rule to LDTR*, which has no writeback");
    }
    None
}

#[derive(Clone, Copy)]
struct Group {
    name: &'static str,
    mask: u32,
    value: u32,
}

/// Arm ARM C4.1 top-level groups (op0 in bits 28:25) that the integer tables cover.
const GROUPS: &[Group] = &[
    Group { name: "data processing immediate", mask: 0x1c00_0000, value: 0x1000_0000 },
    Group { name: "branches, exceptions, system", mask: 0x1c00_0000, value: 0x1400_0000 },
    Group { name: "data processing register", mask: 0x0e00_0000, value: 0x0a00_0000 },
    Group { name: "loads and stores", mask: 0x0a00_0000, value: 0x0800_0000 },
];

/// The AdvSIMD structure loads/stores (LD1..ST4, simd_load_store.dec): not ours.
fn is_simd_structure(w: u32) -> bool {
    w & 0xbe00_0000 == 0x0c00_0000
}

/// Whether remu executes `w` (the translator does not turn it into SIGILL).
fn remu_accepts(w: u32) -> bool {
    let code = [w, 0xd420_0000];
    let pc = code.as_ptr() as u64;
    let b = remu_aarch64::translate::translate_block(pc);
    !matches!(b.term, Term::Trap { pc: p, kind: TrapKind::Undefined { .. } } if p == pc)
}

fn rng(state: &mut u64) -> u32 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state >> 16) as u32
}

/// General-purpose register numbers in capstone's operand text (sp, wsp, xzr, wzr are 31).
fn gp_regs(op_str: &str) -> Vec<u32> {
    let mut regs = Vec::new();
    for tok in op_str.split(|c: char| !c.is_ascii_alphanumeric()) {
        match tok {
            "sp" | "wsp" | "xzr" | "wzr" => regs.push(31),
            _ => {
                if let Some(n) = tok.strip_prefix(['x', 'w']).and_then(|n| n.parse::<u32>().ok()) {
                    if n < 31 && tok.len() <= 3 {
                        regs.push(n);
                    }
                }
            }
        }
    }
    regs
}

/// Register numbers remu's row decoded (pairs count their second register too).
fn row_regs(w: u32) -> Vec<u32> {
    let Some(i) = row_index(w) else { return Vec::new() };
    let mut regs = Vec::new();
    for f in ROWS[i].fields {
        if matches!(f.name, "rd" | "rn" | "rm" | "rt" | "rt2" | "rs" | "ra") {
            let v = f.get(w);
            regs.push(v);
            if ROWS[i].name == "casp" && (f.name == "rs" || f.name == "rt") {
                regs.push(v + 1);
            }
        }
    }
    regs
}

#[test]
fn sweep_against_capstone() {
    let cs = Capstone::new().arm64().mode(arch::arm64::ArchMode::Arm).build().expect("capstone");
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut fails = Vec::new();
    let mut known: std::collections::BTreeMap<String, usize> = Default::default();
    let mut compared = 0usize;
    const PER_GROUP: usize = 100_000;
    for g in GROUPS {
        let mut n = 0;
        while n < PER_GROUP {
            let w = (rng(&mut state) & !g.mask) | g.value;
            if is_simd_structure(w) {
                continue;
            }
            n += 1;
            let ours = remu_accepts(w);
            let insns = cs.disasm_count(&w.to_le_bytes(), 0x1000, 1).expect("disasm");
            let theirs = insns
                .iter()
                .next()
                .map(|i| (i.mnemonic().unwrap_or("").to_string(), i.op_str().unwrap_or("").to_string()));
            let row = row_index(w).map(|i| ROWS[i].name).unwrap_or("-");
            match (ours, theirs) {
                (false, None) => {}
                (true, Some((m, ops))) => {
                    compared += 1;
                    let mine = row_regs(w);
                    if let Some(r) = gp_regs(&ops).into_iter().find(|r| !mine.contains(r)) {
                        fails.push(format!(
                            "{w:#010x} {m} {ops}: register {r} not among row {row}'s {mine:?}"
                        ));
                    }
                }
                (false, Some((m, ops))) => match CAPSTONE_ONLY.iter().find(|(p, _)| m.starts_with(p)) {
                    Some((p, _)) => *known.entry(format!("capstone-only {p}")).or_default() += 1,
                    None => fails.push(format!("{w:#010x} capstone `{m} {ops}`, remu rejects ({})", g.name)),
                },
                (true, None) => match remu_only_reason(w, row) {
                    Some(r) => *known.entry(format!("remu-only: {r}")).or_default() += 1,
                    None => {
                        fails.push(format!("{w:#010x} remu accepts as {row}, capstone rejects ({})", g.name))
                    }
                },
            }
        }
    }
    eprintln!("compared {compared} words both accept; known disagreements: {known:#?}");
    assert!(compared > 150_000, "too few comparable words: {compared}");
    fails.sort();
    let total = fails.len();
    fails.truncate(if std::env::var_os("REMU_SWEEP_ALL").is_some() { usize::MAX } else { 60 });
    assert!(total == 0, "{total} disagreements, first ones:\n{}", fails.join("\n"));
}

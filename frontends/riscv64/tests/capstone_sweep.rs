//! Differential sweep of the decoder (and the translator's accept/reject decisions) against
//! capstone's RISC-V 64 + C disassembler, over random 32-bit words and 16-bit parcels: uniform
//! ones, and ones drawn from the decode tables (a row's fixed bits, random elsewhere), so every
//! row is exercised with many operand values. Both sides must agree on whether a word is an
//! instruction and, where both accept it, on the registers it names.
//!
//! Disagreements are only tolerated in the categories of [`Known`], each with its reason;
//! everything else fails the test. The counts per category are printed (`--nocapture`).

use capstone::arch::riscv::{ArchExtraMode, ArchMode, RiscVOperand};
use capstone::arch::{ArchOperand, BuildsCapstone, BuildsCapstoneExtraMode};
use capstone::Capstone;
use emu_core::ir::{Term, TrapKind};
use remu_riscv64::decoder::{rv32, rvc};
use remu_riscv64::translate::translate_insn;
use std::collections::{BTreeMap, BTreeSet};

/// Where remu and capstone may legitimately differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    /// Zba/Zbb/Zbs: capstone's RISC-V tables (LLVM's, as of capstone 5) predate the
    /// bit-manipulation extensions, so it rejects them.
    CapstoneLacksZb,
    /// CSR numbers remu does not implement (machine/supervisor CSRs, vector, hypervisor,
    /// custom): capstone disassembles any CSR number; a user-mode Linux guest gets SIGILL.
    UnimplementedCsr,
    /// Writes to the read-only counters (cycle, time, instret): an encoding capstone prints,
    /// illegal by the manual's CSR address convention (0xC00-0xFFF are read-only).
    CounterWrite,
    /// FENCE/FENCE.I with non-zero reserved fields (fm, rs1, rd, imm): the manual asks
    /// implementations to ignore them, capstone rejects them.
    FenceReservedFields,
    /// C-extension HINTs (C.LI/C.LUI/C.ADDI/C.SLLI/C.MV/C.ADD with rd = x0, C.ADDI with
    /// imm 0, shifts by 0): legal encodings with no effect in the manual; capstone rejects
    /// them.
    CapstoneRejectsCHint,
    /// C.LUI with nzimm = 0: reserved by the manual, printed by capstone as `c.lui rd, 0`.
    CapstoneAcceptsReservedCLui,
    /// The all-zero parcel: the manual's defined illegal instruction, which capstone prints
    /// as `c.unimp`; executing it must raise SIGILL.
    DefinedIllegal,
    /// FCVT.D.W, FCVT.D.WU and FCVT.D.S are exact, yet carry an rm field the manual lets take
    /// any valid mode; capstone (older LLVM tables) only decodes rm = 000.
    CapstoneFixesRmOfExactConversion,
}

/// The known category of a disagreement, given which side accepted the encoding.
fn category(insn: u32, compressed: bool, ours: bool) -> Option<Known> {
    let k = known_category(insn, compressed)?;
    let remu_accepts = matches!(
        k,
        Known::CapstoneLacksZb
            | Known::FenceReservedFields
            | Known::CapstoneRejectsCHint
            | Known::CapstoneFixesRmOfExactConversion
    );
    (remu_accepts == ours).then_some(k)
}

fn known_category(insn: u32, compressed: bool) -> Option<Known> {
    if compressed && insn == 0 {
        return Some(Known::DefinedIllegal);
    }
    if compressed {
        let row = rvc::row_index(insn).map(|i| &rvc::ROWS[i])?;
        let field = |n: &str| row.fields.iter().find(|f| f.name == n).map(|f| f.get(insn));
        let rd = field("rd");
        let imm = field("imm").or(field("shamt"));
        let hint_row = matches!(
            row.name,
            "c_addi" | "c_li" | "c_lui" | "c_slli" | "c_mv" | "c_add" | "c_srli" | "c_srai"
        );
        if row.name == "c_lui" && imm == Some(0) {
            return Some(Known::CapstoneAcceptsReservedCLui);
        }
        if hint_row
            && ((rd == Some(0) && row.fields.iter().any(|f| f.name == "rd" && f.pieces[0].1 == 5))
                || imm == Some(0))
        {
            return Some(Known::CapstoneRejectsCHint);
        }
        return None;
    }
    let row = rv32::row_index(insn).map(|i| &rv32::ROWS[i])?;
    if row.section.starts_with("Zb") {
        return Some(Known::CapstoneLacksZb);
    }
    if row.name.starts_with("csrr") {
        return match insn >> 20 {
            0x001..=0x003 => None,
            0xc00..=0xc02 => Some(Known::CounterWrite),
            _ => Some(Known::UnimplementedCsr),
        };
    }
    if row.name == "fence" || row.name == "fence_i" {
        return Some(Known::FenceReservedFields);
    }
    if matches!(row.name, "fcvt_d_w" | "fcvt_d_wu" | "fcvt_d_s") && (insn >> 12) & 7 != 0 {
        return Some(Known::CapstoneFixesRmOfExactConversion);
    }
    None
}

/// xorshift64*: deterministic, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn abi_reg(name: &str) -> Option<u32> {
    const X: [&str; 32] = [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];
    const F: [&str; 32] = [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3",
        "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11",
        "ft8", "ft9", "ft10", "ft11",
    ];
    let name = if name == "fp" { "s0" } else { name };
    X.iter().chain(F.iter()).position(|n| *n == name).map(|i| i as u32 % 32)
}

/// Registers capstone names in its operands (x and f registers by number).
fn capstone_regs(cs: &Capstone, bytes: &[u8]) -> Option<BTreeSet<u32>> {
    let insns = cs.disasm_count(bytes, 0x1000, 1).ok()?;
    let insn = insns.iter().next()?;
    if insn.bytes().len() != bytes.len() {
        return None;
    }
    let detail = cs.insn_detail(insn).ok()?;
    let mut regs = BTreeSet::new();
    for op in detail.arch_detail().operands() {
        let ArchOperand::RiscVOperand(op) = op else { continue };
        let id = match op {
            RiscVOperand::Reg(r) => r,
            RiscVOperand::Mem(m) => m.base(),
            _ => continue,
        };
        let name = cs.reg_name(id)?;
        regs.insert(abi_reg(&name).unwrap_or_else(|| panic!("unknown capstone register {name}")));
    }
    Some(regs)
}

/// Registers named by the decoded row's register fields (primed fields are x8..x15).
fn our_regs(insn: u32, compressed: bool) -> BTreeSet<u32> {
    let mut regs = BTreeSet::new();
    let mut add = |name: &str, v: u32, w: u32| {
        if matches!(name, "rd" | "rs1" | "rs2" | "rs3") {
            regs.insert(if w == 3 { v + 8 } else { v });
        }
    };
    if compressed {
        let row = &rvc::ROWS[rvc::row_index(insn).expect("accepted parcel has a row")];
        for f in row.fields {
            add(f.name, f.get(insn), f.pieces.iter().map(|p| p.1).sum());
        }
    } else {
        let row = &rv32::ROWS[rv32::row_index(insn).expect("accepted word has a row")];
        for f in row.fields {
            add(f.name, f.get(insn), f.pieces.iter().map(|p| p.1).sum());
        }
    }
    regs
}

fn row_name(insn: u32, compressed: bool) -> &'static str {
    let name = if compressed {
        rvc::row_index(insn).map(|i| rvc::ROWS[i].name)
    } else {
        rv32::row_index(insn).map(|i| rv32::ROWS[i].name)
    };
    name.unwrap_or("")
}

fn accepts(insn: u32) -> bool {
    !matches!(translate_insn(0x1000, insn).term, Term::Trap { kind: TrapKind::Undefined { .. }, .. })
}

#[derive(Default)]
struct Tally {
    agree: u64,
    known: BTreeMap<Known, u64>,
    failures: Vec<String>,
}

fn compare(cs: &Capstone, insn: u32, compressed: bool, t: &mut Tally) {
    let bytes = if compressed { (insn as u16).to_le_bytes().to_vec() } else { insn.to_le_bytes().to_vec() };
    let theirs = capstone_regs(cs, &bytes);
    let ours = accepts(insn);
    let agree = match (&theirs, ours) {
        (None, false) => true,
        (Some(cregs), true) => {
            // Capstone prints implicit operands (sp of C.LWSP, ...) and drops x0 in some
            // aliases, so compare the registers both sides name explicitly: every register
            // capstone names beyond x0/sp/ra must be one of ours, and ours beyond x0 must
            // appear in capstone's list.
            let mine = our_regs(insn, compressed);
            let extra: Vec<_> =
                cregs.iter().filter(|r| !mine.contains(r) && ![0, 1, 2].contains(*r)).collect();
            // JAL/JALR/C.JALR to ra print as `jal offset` / `jalr rs1`, leaving ra implicit.
            let implicit_ra = matches!(row_name(insn, compressed), "jal" | "jalr" | "c_jalr");
            let missing: Vec<_> = mine
                .iter()
                .filter(|r| **r != 0 && !(implicit_ra && **r == 1) && !cregs.contains(r))
                .collect();
            extra.is_empty() && missing.is_empty()
        }
        _ => false,
    };
    if agree {
        t.agree += 1;
    } else if let Some(k) = category(insn, compressed, ours) {
        *t.known.entry(k).or_default() += 1;
    } else if t.failures.len() < 40 {
        let text = cs.disasm_count(&bytes, 0x1000, 1).ok().and_then(|i| {
            i.iter().next().map(|i| format!("{} {}", i.mnemonic().unwrap_or(""), i.op_str().unwrap_or("")))
        });
        t.failures.push(format!(
            "{insn:#010x}: remu {} capstone {:?} ({:?})",
            if ours { "accepts" } else { "rejects" },
            text,
            theirs
        ));
    }
}

#[test]
fn sweep_against_capstone() {
    let cs = Capstone::new()
        .riscv()
        .mode(ArchMode::RiscV64)
        .extra_mode([ArchExtraMode::RiscVC].iter().copied())
        .detail(true)
        .build()
        .expect("capstone riscv64");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut t = Tally::default();
    const N: usize = 100_000;
    for _ in 0..N {
        // Uniform 32-bit words (low bits 11; 48-bit+ prefixes excluded, capstone has none).
        let w = rng.next() as u32 | 3;
        if w & 0x1f != 0x1f {
            compare(&cs, w, false, &mut t);
        }
        // Uniform 16-bit parcels.
        let h = rng.next() as u32 & 0xffff;
        if h & 3 != 3 {
            compare(&cs, h, true, &mut t);
        }
    }
    for _ in 0..N {
        // Table-guided: a row's fixed bits with random operand bits.
        let r = &rv32::ROWS[rng.next() as usize % rv32::ROWS.len()];
        compare(&cs, (rng.next() as u32 & !r.mask) | r.value, false, &mut t);
        let r = &rvc::ROWS[rng.next() as usize % rvc::ROWS.len()];
        compare(&cs, ((rng.next() as u32 & !r.mask) | r.value) & 0xffff, true, &mut t);
    }
    println!("agree: {}, known disagreements: {:?}", t.agree, t.known);
    assert!(
        t.failures.is_empty(),
        "{} unexplained disagreements:\n{}",
        t.failures.len(),
        t.failures.join("\n")
    );
    assert!(t.agree > 300_000, "too few agreeing cases: {}", t.agree);
}

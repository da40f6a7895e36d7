//! Decoder tables against the GNU assembler: every encoding in `data/encodings.txt` (generated
//! from `data/encodings.src`) must decode to the named row with the assembler's operands in the
//! row's fields, every row of both tables must be covered by at least one encoding, and every
//! listed encoding must translate to a verified block without raising SIGILL.

use remu_riscv64::decoder::{rv32, rvc};
use remu_riscv64::translate::translate_insn;
use std::collections::HashSet;

/// The row type is generated separately into both decoder modules; this view spans them.
struct RowView {
    name: &'static str,
    /// (field name, pieces (lsb, len) from most to least significant).
    fields: Vec<(&'static str, &'static [(u32, u32)])>,
}

fn view32(i: usize) -> RowView {
    let r = &rv32::ROWS[i];
    RowView { name: r.name, fields: r.fields.iter().map(|f| (f.name, f.pieces)).collect() }
}

fn view16(i: usize) -> RowView {
    let r = &rvc::ROWS[i];
    RowView { name: r.name, fields: r.fields.iter().map(|f| (f.name, f.pieces)).collect() }
}

fn get(pieces: &[(u32, u32)], insn: u32) -> u32 {
    pieces.iter().fold(0, |acc, &(lsb, len)| (acc << len) | ((insn >> lsb) & ((1u32 << len) - 1)))
}

fn width(pieces: &[(u32, u32)]) -> u32 {
    pieces.iter().map(|p| p.1).sum()
}

/// `imm10_5` -> Some((10, 5)), `imm11` -> Some((11, 11)), other names -> None.
fn imm_piece(name: &str) -> Option<(u32, u32)> {
    let rest = name.strip_prefix("imm")?;
    match rest.split_once('_') {
        Some((hi, lo)) => Some((hi.parse().ok()?, lo.parse().ok()?)),
        None => rest.parse().ok().map(|b| (b, b)),
    }
}

/// The value of logical operand `key` in `insn`, and its width in bits. Register fields of
/// 3 bits (C extension primed registers) name x8..x15. An `imm` split over pieces is
/// reassembled from the bit ranges in the pieces' names.
fn operand(row: &RowView, insn: u32, key: &str, compressed: bool) -> Option<(u64, u32)> {
    if let Some((_, pieces)) = row.fields.iter().find(|f| f.0 == key) {
        let w = width(pieces);
        if compressed && w == 3 && matches!(key, "rd" | "rs1" | "rs2") {
            return Some((get(pieces, insn) as u64 + 8, 5));
        }
        return Some((get(pieces, insn) as u64, w));
    }
    if key != "imm" {
        return None;
    }
    let (mut v, mut top) = (0u64, 0u32);
    let mut any = false;
    for (name, pieces) in &row.fields {
        if let Some((hi, lo)) = imm_piece(name) {
            assert_eq!(hi - lo + 1, width(pieces), "row {}: field {name} width", row.name);
            v |= (get(pieces, insn) as u64) << lo;
            top = top.max(hi + 1);
            any = true;
        }
    }
    any.then_some((v, top))
}

struct Case {
    insn: u32,
    compressed: bool,
    row: String,
    fields: Vec<(String, i64)>,
    asm: String,
}

fn cases() -> Vec<Case> {
    let text = include_str!("data/encodings.txt");
    let mut out = Vec::new();
    for line in text.lines() {
        let (body, asm) = line.split_once('#').unwrap_or((line, ""));
        let toks: Vec<&str> = body.split_whitespace().collect();
        if toks.is_empty() {
            continue;
        }
        let insn = u32::from_str_radix(toks[0], 16).expect("hex encoding");
        let fields = toks[2..]
            .iter()
            .map(|t| {
                let (k, v) = t.split_once('=').expect("field=value");
                (k.to_string(), v.parse::<i64>().expect("field value"))
            })
            .collect();
        out.push(Case {
            insn,
            compressed: toks[0].len() == 4,
            row: toks[1].to_string(),
            fields,
            asm: asm.trim().to_string(),
        });
    }
    out
}

#[test]
fn encodings_decode_to_their_rows_and_fields() {
    let cases = cases();
    assert!(cases.len() > 200, "only {} encodings", cases.len());
    for c in &cases {
        let row = if c.compressed {
            view16(rvc::row_index(c.insn).unwrap_or_else(|| panic!("{}: no row", c.asm)))
        } else {
            view32(rv32::row_index(c.insn).unwrap_or_else(|| panic!("{}: no row", c.asm)))
        };
        assert_eq!(row.name, c.row, "{} ({:#x})", c.asm, c.insn);
        for (k, want) in &c.fields {
            let (got, w) = operand(&row, c.insn, k, c.compressed)
                .unwrap_or_else(|| panic!("{}: row {} has no field {k}", c.asm, row.name));
            let mask = if w >= 64 { u64::MAX } else { (1u64 << w) - 1 };
            assert_eq!(got, *want as u64 & mask, "{}: field {k}", c.asm);
        }
    }
}

#[test]
fn every_row_has_an_encoding() {
    let covered: HashSet<String> = cases().into_iter().map(|c| c.row).collect();
    let missing: Vec<&str> = rv32::ROWS
        .iter()
        .map(|r| r.name)
        .chain(rvc::ROWS.iter().map(|r| r.name))
        .filter(|n| !covered.contains(*n))
        .collect();
    assert!(missing.is_empty(), "rows without an encoding test: {missing:?}");
}

#[test]
fn encodings_translate_without_sigill() {
    for c in cases() {
        let b = translate_insn(0x10000, c.insn);
        emu_core::ir::verify(&b).unwrap_or_else(|e| panic!("{}: {e}", c.asm));
        assert!(
            !matches!(
                b.term,
                emu_core::ir::Term::Trap { kind: emu_core::ir::TrapKind::Undefined { .. }, .. }
            ),
            "{} translated to SIGILL",
            c.asm
        );
        assert_eq!(b.end, 0x10000 + if c.compressed { 2 } else { 4 }, "{}", c.asm);
    }
}

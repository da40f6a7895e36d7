//! Build-time generator: a declarative decode table -> a Rust decoder and visitor trait.
//!
//! Each ISA keeps its encodings in `.dec` files (the single source of truth, in manual order under
//! the manual's section names). A row is a handler name followed by bit tokens, most significant
//! bit first, that add up to the table's width:
//!
//! ```text
//! @width 32                      # once, before any row (32 or 16)
//! ## C4.1.92 Add/subtract (immediate)
//! add_imm   sf:1 0 0 100010 sh:1 imm12:12 rn:5 rd:5
//! ```
//! * `0`/`1`: fixed bits; `x` or `.`: don't care; `name:N`: an N-bit field (a name used twice is
//!   concatenated, the first occurrence supplying the high bits).
//! * Rows are tried in table order and the first match wins. An earlier row may only overlap a
//!   later one if it is strictly more specific (its fixed bits include all of the later row's);
//!   any other overlap must be acknowledged by ending the later row with `~` (it yields to every
//!   earlier row). A row that an earlier row covers completely is an error (it could never match).
//!
//! Generated (into `OUT_DIR`): one trait per `.dec` file (`data_processing_imm.dec` gives
//! `trait DataProcessingImm`) with one method per row whose parameters are the row's fields in
//! order, so a handler with the wrong fields fails `cargo build` and each instruction family is an
//! `impl` in its own file; `trait Visitor` bounding them all plus `unallocated`; `fn decode`; and
//! `ROWS`, the table as data for decoder tests and random-instruction generators.

use std::fmt::Write as _;
use std::path::Path;

/// One field of a row: `width` bits whose pieces are at `(lsb, len)` from most to least significant.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub pieces: Vec<(u32, u32)>,
}

/// One decode-table row.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub mask: u32,
    pub value: u32,
    pub fields: Vec<Field>,
    pub section: String,
    pub yields: bool,
    pub origin: String,
    /// Visitor trait this row belongs to: one trait per `.dec` file, named after the file.
    pub group: String,
}

/// A parse or consistency error, with file and line.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `decode/data_processing_imm.dec` -> `DataProcessingImm`.
pub fn group_name(path: &str) -> String {
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("Table");
    stem.split(['_', '-']).filter(|w| !w.is_empty()).map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

/// Parse the text of one `.dec` file (`name` is used in messages). `width` is updated by `@width`.
pub fn parse(name: &str, text: &str, width: &mut u32) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let origin = format!("{}:{}", name, i + 1);
        let line = raw.trim();
        if let Some(s) = line.strip_prefix("##") {
            section = s.trim().to_string();
            continue;
        }
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        if let Some(w) = line.strip_prefix("@width") {
            *width = w.trim().parse().map_err(|_| Error(format!("{origin}: bad @width")))?;
            if *width != 16 && *width != 32 {
                return Err(Error(format!("{origin}: width must be 16 or 32")));
            }
            continue;
        }
        let mut toks: Vec<&str> = line.split_whitespace().collect();
        let yields = toks.last() == Some(&"~");
        if yields {
            toks.pop();
        }
        let rname = toks[0];
        if !rname.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || rname.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(Error(format!("{origin}: bad row name `{rname}`")));
        }
        let mut pos = *width as i64;
        let (mut mask, mut value) = (0u32, 0u32);
        let mut fields: Vec<Field> = Vec::new();
        for t in &toks[1..] {
            if let Some((f, n)) = t.split_once(':') {
                let n: u32 = n.parse().map_err(|_| Error(format!("{origin}: bad field width in `{t}`")))?;
                pos -= n as i64;
                if pos < 0 || n == 0 {
                    return Err(Error(format!("{origin}: row is wider than {width} bits")));
                }
                match fields.iter_mut().find(|x| x.name == f) {
                    Some(x) => x.pieces.push((pos as u32, n)),
                    None => fields.push(Field { name: f.to_string(), pieces: vec![(pos as u32, n)] }),
                }
            } else {
                for c in t.chars() {
                    pos -= 1;
                    if pos < 0 {
                        return Err(Error(format!("{origin}: row is wider than {width} bits")));
                    }
                    match c {
                        '0' => mask |= 1 << pos,
                        '1' => {
                            mask |= 1 << pos;
                            value |= 1 << pos
                        }
                        'x' | '.' => {}
                        _ => return Err(Error(format!("{origin}: bad bit `{c}` in `{t}`"))),
                    }
                }
            }
        }
        if pos != 0 {
            return Err(Error(format!(
                "{origin}: row `{rname}` has {} bits, expected {width}",
                *width as i64 - pos
            )));
        }
        rows.push(Row {
            name: rname.to_string(),
            mask,
            value,
            fields,
            section: section.clone(),
            yields,
            origin,
            group: group_name(name),
        });
    }
    Ok(rows)
}

/// Consistency checks: unique names, no unreachable rows, overlaps settled explicitly.
pub fn check(rows: &[Row]) -> Result<(), Error> {
    for (j, b) in rows.iter().enumerate() {
        for a in &rows[..j] {
            if a.name == b.name {
                return Err(Error(format!(
                    "{}: duplicate row name `{}` (first at {})",
                    b.origin, b.name, a.origin
                )));
            }
            let common = a.mask & b.mask;
            if (a.value ^ b.value) & common != 0 {
                continue; // disjoint
            }
            if a.mask & !b.mask == 0 {
                return Err(Error(format!(
                    "{}: row `{}` can never match: `{}` at {} covers it",
                    b.origin, b.name, a.name, a.origin
                )));
            }
            let more_specific = b.mask & !a.mask == 0;
            if !more_specific && !b.yields {
                return Err(Error(format!(
                    "{}: row `{}` overlaps `{}` at {}; end it with `~` if the earlier row should win",
                    b.origin, b.name, a.name, a.origin
                )));
            }
        }
    }
    Ok(())
}

fn extract_expr(f: &Field) -> String {
    let mut parts = Vec::new();
    let mut shift = 0;
    for &(lsb, len) in f.pieces.iter().rev() {
        let piece = format!("((insn >> {lsb}) & {:#x})", (1u64 << len) - 1);
        parts.push(if shift == 0 { piece } else { format!("({piece} << {shift})") });
        shift += len;
    }
    parts.join(" | ")
}

/// Generate the Rust module for `rows` of a `width`-bit table.
pub fn generate(rows: &[Row], width: u32) -> String {
    let mut s = String::new();
    let ity = if width == 16 { "u16" } else { "u32" };
    writeln!(s, "// @generated by remu-decodegen from the .dec tables. Do not edit.\n").unwrap();
    let mut groups: Vec<&str> = Vec::new();
    for r in rows {
        if !groups.contains(&r.group.as_str()) {
            groups.push(&r.group);
        }
    }
    for g in &groups {
        writeln!(s, "/// Rows of `{}.dec`: one method per row; fields in row order, manual names.", g)
            .unwrap();
        writeln!(s, "pub trait {g}: Decoded {{").unwrap();
        for r in rows.iter().filter(|r| r.group == *g) {
            writeln!(
                s,
                "    /// `{}` ({}), {}",
                r.name,
                r.section.replace('`', "'"),
                r.origin.rsplit('/').next().unwrap()
            )
            .unwrap();
            let params: Vec<String> = r.fields.iter().map(|f| format!("{}: u32", f.name)).collect();
            writeln!(s, "    fn {}(&mut self, {}) -> Self::Out;", r.name, params.join(", ")).unwrap();
        }
        writeln!(s, "}}\n").unwrap();
    }
    writeln!(s, "/// What every group's methods return, and the fallback for words no row matches.").unwrap();
    writeln!(s, "pub trait Decoded {{\n    type Out;").unwrap();
    writeln!(s, "    /// No row matched.\n    fn unallocated(&mut self, insn: {ity}) -> Self::Out;\n}}\n")
        .unwrap();
    writeln!(s, "/// The whole table: implemented automatically for any type that implements every group.")
        .unwrap();
    writeln!(s, "pub trait Visitor: Decoded + {} {{}}", groups.join(" + ")).unwrap();
    writeln!(s, "impl<T: Decoded + {}> Visitor for T {{}}\n", groups.join(" + ")).unwrap();
    writeln!(s, "/// Decode `insn` and call the matching visitor method (first match in table order).")
        .unwrap();
    writeln!(
        s,
        "#[allow(clippy::all)]\npub fn decode<V: Visitor + ?Sized>(v: &mut V, insn: {ity}) -> V::Out {{"
    )
    .unwrap();
    writeln!(s, "    let insn = insn as u32;").unwrap();
    for r in rows {
        let args: Vec<String> = r.fields.iter().map(|f| format!("{} as u32", extract_expr(f))).collect();
        writeln!(
            s,
            "    if insn & {:#010x} == {:#010x} {{ return v.{}({}); }}",
            r.mask,
            r.value,
            r.name,
            args.join(", ")
        )
        .unwrap();
    }
    writeln!(s, "    v.unallocated(insn as {ity})\n}}\n").unwrap();
    writeln!(s, "/// The decode table as data (tests, sweeps, random instruction generation).").unwrap();
    writeln!(s, "pub static ROWS: &[decode_table::Row] = &[").unwrap();
    for r in rows {
        let fields: Vec<String> = r
            .fields
            .iter()
            .map(|f| {
                let pieces: Vec<String> = f.pieces.iter().map(|(l, n)| format!("({l}, {n})")).collect();
                format!("decode_table::Field {{ name: {:?}, pieces: &[{}] }}", f.name, pieces.join(", "))
            })
            .collect();
        writeln!(
            s,
            "    decode_table::Row {{ name: {:?}, section: {:?}, mask: {:#010x}, value: {:#010x}, fields: &[{}] }},",
            r.name, r.section, r.mask, r.value, fields.join(", ")
        )
        .unwrap();
    }
    writeln!(s, "];\n").unwrap();
    writeln!(s, "/// Index into `ROWS` of the row that decodes `insn`, if any.").unwrap();
    writeln!(s, "pub fn row_index(insn: u32) -> Option<usize> {{ ROWS.iter().position(|r| insn & r.mask == r.value) }}")
        .unwrap();
    s
}

/// The support types the generated `ROWS` refers to; include this in the frontend crate as
/// `mod decode_table` beside the included decoder.
pub const SUPPORT: &str = r#"// @generated support types for decode tables.
/// A field of a decode row: pieces `(lsb, len)` from most to least significant.
#[derive(Debug)]
pub struct Field { pub name: &'static str, pub pieces: &'static [(u32, u32)] }
impl Field {
    /// The field's value in `insn`.
    pub fn get(&self, insn: u32) -> u32 {
        self.pieces.iter().fold(0, |acc, &(lsb, len)| (acc << len) | ((insn >> lsb) & ((1u32 << len) - 1)))
    }
}
/// A decode-table row.
#[derive(Debug)]
pub struct Row {
    pub name: &'static str,
    pub section: &'static str,
    pub mask: u32,
    pub value: u32,
    pub fields: &'static [Field],
}
"#;

/// build.rs entry point: read the `.dec` files in order, check, and write `OUT_DIR/<out>` plus
/// `OUT_DIR/decode_table.rs`. Panics with the error message (build scripts report by panicking).
pub fn build(files: &[&str], out: &str) {
    let mut rows = Vec::new();
    let mut width = 32;
    for f in files {
        println!("cargo:rerun-if-changed={f}");
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        rows.extend(parse(f, &text, &mut width).unwrap_or_else(|e| panic!("{e}")));
    }
    if let Err(e) = check(&rows) {
        panic!("{e}");
    }
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&dir).join(out), generate(&rows, width)).expect("write decoder");
    std::fs::write(Path::new(&dir).join("decode_table.rs"), SUPPORT).expect("write support");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &str) -> Result<Vec<Row>, Error> {
        let mut w = 32;
        let r = parse("t.dec", t, &mut w)?;
        check(&r)?;
        Ok(r)
    }

    #[test]
    fn fields_and_masks() {
        let r = rows("add_imm sf:1 0 0 100010 sh:1 imm12:12 rn:5 rd:5\n").unwrap();
        assert_eq!(r[0].mask, 0x7f80_0000);
        assert_eq!(r[0].value, 0x1100_0000);
        assert_eq!(r[0].fields.len(), 5);
        assert_eq!(r[0].fields[2].pieces, vec![(10, 12)]);
    }

    #[test]
    fn split_field_concatenates() {
        let r = rows("@width 16\nc_x imm:1 000 imm:4 xxxxxxxx\n").unwrap();
        assert_eq!(r[0].fields[0].pieces, vec![(15, 1), (8, 4)]);
        let e = extract_expr(&r[0].fields[0]);
        assert!(e.contains("<< 4"), "{e}");
    }

    #[test]
    fn width_checked() {
        assert!(rows("a 0101\n").is_err());
    }

    #[test]
    fn unreachable_row_rejected() {
        let e = rows("a 0 x:31\nb 01 y:30\n").unwrap_err();
        assert!(e.0.contains("never match"), "{}", e.0);
    }

    #[test]
    fn overlap_needs_ack() {
        // a fixes bit 31, b fixes bit 30: they overlap and neither is more specific.
        assert!(rows("a 1 x:31\nb x 1 y:30\n").is_err());
        assert!(rows("a 1 x:31\nb x 1 y:30 ~\n").is_ok());
        // a more specific earlier row is fine.
        assert!(rows("a 11 x:30\nb 1 y:31\n").is_ok());
    }
}

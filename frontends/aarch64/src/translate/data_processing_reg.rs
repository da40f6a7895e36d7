//! Arm ARM C4.1.87: data processing with register operands (logical and add/subtract with
//! shifted or extended operands, with carry, conditional compare and select, 1-, 2- and
//! 3-source operations, CRC32). The operand helpers are in `alu.rs`.

use super::alu::{AddSub, Logic, Shift};
use super::Translator;
use crate::decoder::DataProcessingReg;
use emu_core::ir::{Op, Ty};

impl DataProcessingReg for Translator {
    fn udiv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.binop(sf, rm, rn, rd, |a, b| Op::DivU { a, b });
    }
    fn sdiv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.binop(sf, rm, rn, rd, |a, b| Op::DivS { a, b });
    }
    fn lslv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.binop(sf, rm, rn, rd, |a, b| Op::Shl { a, b });
    }
    fn lsrv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.binop(sf, rm, rn, rd, |a, b| Op::Lshr { a, b });
    }
    fn asrv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.binop(sf, rm, rn, rd, |a, b| Op::Ashr { a, b });
    }
    fn rorv(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.binop(sf, rm, rn, rd, |a, b| Op::Rotr { a, b });
    }
    fn crc32(&mut self, sf: u32, rm: u32, c: u32, sz: u32, rn: u32, rd: u32) {
        // CRC32X/CRC32CX need sf = 1; the B/H/W forms need sf = 0.
        if (sz == 3) != (sf == 1) {
            return self.undefined();
        }
        let acc = self.xr(Ty::I32, rn);
        let v = self.xr(Self::ity(sf), rm);
        let r = self.op(Ty::I32, Op::Crc32 { acc, v, size: 1 << sz, castagnoli: c == 1 });
        self.set_xr(rd, r);
    }

    fn rbit(&mut self, sf: u32, rn: u32, rd: u32) {
        self.unop(sf, rn, rd, |a| Op::Rbit { a });
    }
    fn rev16(&mut self, sf: u32, rn: u32, rd: u32) {
        let ty = Self::ity(sf);
        let x = self.xr(ty, rn);
        let r = self.rev16_val(ty, x);
        self.set_xr(rd, r);
    }
    fn rev_w(&mut self, rn: u32, rd: u32) {
        self.unop(0, rn, rd, |a| Op::Bswap { a });
    }
    fn rev32(&mut self, rn: u32, rd: u32) {
        // Byte-reverse each word: reverse all eight bytes, then swap the words back.
        let x = self.xr(Ty::I64, rn);
        let s = self.op(Ty::I64, Op::Bswap { a: x });
        let k = self.c64(32);
        let r = self.op(Ty::I64, Op::Rotr { a: s, b: k });
        self.set_xr(rd, r);
    }
    fn rev_x(&mut self, rn: u32, rd: u32) {
        self.unop(1, rn, rd, |a| Op::Bswap { a });
    }
    fn clz(&mut self, sf: u32, rn: u32, rd: u32) {
        self.unop(sf, rn, rd, |a| Op::Clz { a });
    }
    fn cls(&mut self, sf: u32, rn: u32, rd: u32) {
        self.unop(sf, rn, rd, |a| Op::Cls { a });
    }

    fn and_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::And, false);
    }
    fn bic_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::AndNot, false);
    }
    fn orr_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::Or, false);
    }
    fn orn_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::OrNot, false);
    }
    fn eor_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::Xor, false);
    }
    fn eon_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::XorNot, false);
    }
    fn ands_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::And, true);
    }
    fn bics_reg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.logical_reg(sf, shift, rm, imm6, rn, rd, Logic::AndNot, true);
    }

    fn add_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.addsub_sreg(sf, shift, rm, imm6, rn, rd, AddSub::Add);
    }
    fn adds_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.addsub_sreg(sf, shift, rm, imm6, rn, rd, AddSub::Adds);
    }
    fn sub_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.addsub_sreg(sf, shift, rm, imm6, rn, rd, AddSub::Sub);
    }
    fn subs_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32) {
        self.addsub_sreg(sf, shift, rm, imm6, rn, rd, AddSub::Subs);
    }

    fn add_ereg(&mut self, sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32) {
        self.addsub_ereg(sf, rm, option, imm3, rn, rd, AddSub::Add);
    }
    fn adds_ereg(&mut self, sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32) {
        self.addsub_ereg(sf, rm, option, imm3, rn, rd, AddSub::Adds);
    }
    fn sub_ereg(&mut self, sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32) {
        self.addsub_ereg(sf, rm, option, imm3, rn, rd, AddSub::Sub);
    }
    fn subs_ereg(&mut self, sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32) {
        self.addsub_ereg(sf, rm, option, imm3, rn, rd, AddSub::Subs);
    }

    fn adc(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.addsub_carry(sf, rm, rn, rd, false, false);
    }
    fn adcs(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.addsub_carry(sf, rm, rn, rd, false, true);
    }
    fn sbc(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.addsub_carry(sf, rm, rn, rd, true, false);
    }
    fn sbcs(&mut self, sf: u32, rm: u32, rn: u32, rd: u32) {
        self.addsub_carry(sf, rm, rn, rd, true, true);
    }

    fn ccmn_reg(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, nzcv: u32) {
        let b = self.xr(Self::ity(sf), rm);
        self.cond_compare(sf, b, cond, rn, nzcv, false);
    }
    fn ccmp_reg(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, nzcv: u32) {
        let b = self.xr(Self::ity(sf), rm);
        self.cond_compare(sf, b, cond, rn, nzcv, true);
    }
    fn ccmn_imm(&mut self, sf: u32, imm5: u32, cond: u32, rn: u32, nzcv: u32) {
        let b = self.cty(Self::ity(sf), imm5 as u64);
        self.cond_compare(sf, b, cond, rn, nzcv, false);
    }
    fn ccmp_imm(&mut self, sf: u32, imm5: u32, cond: u32, rn: u32, nzcv: u32) {
        let b = self.cty(Self::ity(sf), imm5 as u64);
        self.cond_compare(sf, b, cond, rn, nzcv, true);
    }

    fn csel(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) {
        self.cond_select(sf, rm, cond, rn, rd, |_, _, b| b);
    }
    fn csinc(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) {
        self.cond_select(sf, rm, cond, rn, rd, |t, ty, b| {
            let one = t.cty(ty, 1);
            t.b.add(ty, b, one)
        });
    }
    fn csinv(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) {
        self.cond_select(sf, rm, cond, rn, rd, |t, ty, b| t.op(ty, Op::Not { a: b }));
    }
    fn csneg(&mut self, sf: u32, rm: u32, cond: u32, rn: u32, rd: u32) {
        self.cond_select(sf, rm, cond, rn, rd, |t, ty, b| t.op(ty, Op::Neg { a: b }));
    }

    fn madd(&mut self, sf: u32, rm: u32, ra: u32, rn: u32, rd: u32) {
        self.mul_acc(Self::ity(sf), None, rm, ra, rn, rd, false);
    }
    fn msub(&mut self, sf: u32, rm: u32, ra: u32, rn: u32, rd: u32) {
        self.mul_acc(Self::ity(sf), None, rm, ra, rn, rd, true);
    }
    fn smaddl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) {
        self.mul_acc(Ty::I64, Some(true), rm, ra, rn, rd, false);
    }
    fn smsubl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) {
        self.mul_acc(Ty::I64, Some(true), rm, ra, rn, rd, true);
    }
    fn smulh(&mut self, rm: u32, _ra: u32, rn: u32, rd: u32) {
        self.binop(1, rm, rn, rd, |a, b| Op::MulHiS { a, b });
    }
    fn umaddl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) {
        self.mul_acc(Ty::I64, Some(false), rm, ra, rn, rd, false);
    }
    fn umsubl(&mut self, rm: u32, ra: u32, rn: u32, rd: u32) {
        self.mul_acc(Ty::I64, Some(false), rm, ra, rn, rd, true);
    }
    fn umulh(&mut self, rm: u32, _ra: u32, rn: u32, rd: u32) {
        self.binop(1, rm, rn, rd, |a, b| Op::MulHiU { a, b });
    }
}

impl Translator {
    /// Rd = op(Rn, Rm) at the width given by `sf`.
    fn binop(
        &mut self,
        sf: u32,
        rm: u32,
        rn: u32,
        rd: u32,
        f: impl FnOnce(emu_core::ir::Val, emu_core::ir::Val) -> Op,
    ) {
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let b = self.xr(ty, rm);
        let r = self.op(ty, f(a, b));
        self.set_xr(rd, r);
    }

    /// Rd = op(Rn) at the width given by `sf`.
    fn unop(&mut self, sf: u32, rn: u32, rd: u32, f: impl FnOnce(emu_core::ir::Val) -> Op) {
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let r = self.op(ty, f(a));
        self.set_xr(rd, r);
    }

    #[allow(clippy::too_many_arguments)]
    fn logical_reg(
        &mut self,
        sf: u32,
        shift: u32,
        rm: u32,
        imm6: u32,
        rn: u32,
        rd: u32,
        op: Logic,
        flags: bool,
    ) {
        if sf == 0 && imm6 >= 32 {
            return self.undefined();
        }
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let m = self.xr(ty, rm);
        let b = self.shift_reg(ty, m, Shift::from_bits(shift), imm6);
        let r = self.logic(ty, op, a, b);
        if flags {
            let f = self.op(Ty::I32, Op::NzcvLogic { a: r });
            self.set_nzcv(f);
        }
        self.set_xr(rd, r);
    }

    #[allow(clippy::too_many_arguments)]
    fn addsub_sreg(&mut self, sf: u32, shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32, k: AddSub) {
        if shift == 3 || (sf == 0 && imm6 >= 32) {
            return self.undefined();
        }
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let m = self.xr(ty, rm);
        let b = self.shift_reg(ty, m, Shift::from_bits(shift), imm6);
        let r = self.add_sub(ty, a, b, k.sub(), k.flags());
        self.set_xr(rd, r);
    }

    #[allow(clippy::too_many_arguments)]
    fn addsub_ereg(&mut self, sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32, k: AddSub) {
        if imm3 > 4 {
            return self.undefined();
        }
        let ty = Self::ity(sf);
        let a = self.xr_sp(ty, rn);
        let m = self.xr(Ty::I64, rm);
        let b = self.extend_reg(ty, m, option, imm3);
        let r = self.add_sub(ty, a, b, k.sub(), k.flags());
        if k.flags() {
            self.set_xr(rd, r);
        } else {
            self.set_xr_sp(rd, r);
        }
    }

    fn addsub_carry(&mut self, sf: u32, rm: u32, rn: u32, rd: u32, sub: bool, flags: bool) {
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let b = self.xr(ty, rm);
        let nzcv = self.nzcv();
        let r = if sub { self.op(ty, Op::Sbc { a, b, nzcv }) } else { self.op(ty, Op::Adc { a, b, nzcv }) };
        if flags {
            let f = if sub {
                self.op(Ty::I32, Op::NzcvSbc { a, b, nzcv })
            } else {
                self.op(Ty::I32, Op::NzcvAdc { a, b, nzcv })
            };
            self.set_nzcv(f);
        }
        self.set_xr(rd, r);
    }

    /// CCMP/CCMN: flags of Rn - b (or Rn + b) if `cond` holds, else the immediate `nzcv`.
    fn cond_compare(&mut self, sf: u32, b: emu_core::ir::Val, cond: u32, rn: u32, nzcv: u32, sub: bool) {
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let c = self.cond(cond);
        let f =
            if sub { self.op(Ty::I32, Op::NzcvSub { a, b }) } else { self.op(Ty::I32, Op::NzcvAdd { a, b }) };
        let imm = self.c32(nzcv << 28);
        let r = self.b.select(Ty::I32, c, f, imm);
        self.set_nzcv(r);
    }

    /// Rd = cond ? Rn : f(Rm).
    fn cond_select(
        &mut self,
        sf: u32,
        rm: u32,
        cond: u32,
        rn: u32,
        rd: u32,
        f: impl FnOnce(&mut Self, Ty, emu_core::ir::Val) -> emu_core::ir::Val,
    ) {
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let m = self.xr(ty, rm);
        let b = f(self, ty, m);
        let c = self.cond(cond);
        let r = self.b.select(ty, c, a, b);
        self.set_xr(rd, r);
    }

    /// MADD/MSUB (`widen` None) and the widening SMADDL/UMADDL family (`widen` Some(signed)):
    /// Rd = Ra +/- Rn * Rm.
    #[allow(clippy::too_many_arguments)]
    fn mul_acc(&mut self, ty: Ty, widen: Option<bool>, rm: u32, ra: u32, rn: u32, rd: u32, sub: bool) {
        let (a, b) = match widen {
            None => (self.xr(ty, rn), self.xr(ty, rm)),
            Some(signed) => {
                let (n, m) = (self.xr(Ty::I32, rn), self.xr(Ty::I32, rm));
                if signed {
                    (self.b.sext(Ty::I64, n), self.b.sext(Ty::I64, m))
                } else {
                    (self.b.zext(Ty::I64, n), self.b.zext(Ty::I64, m))
                }
            }
        };
        let p = self.op(ty, Op::Mul { a, b });
        let acc = self.xr(ty, ra);
        let r = if sub { self.b.sub(ty, acc, p) } else { self.b.add(ty, acc, p) };
        self.set_xr(rd, r);
    }
}

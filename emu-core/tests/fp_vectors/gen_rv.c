// Generates RISC-V F/D reference vectors (run under qemu-riscv64). Lines: operands, result, fflags.
#include <stdio.h>
#include <stdint.h>
typedef uint64_t u64;
static void set_frm(u64 v){ __asm__ volatile("fsrm %0"::"r"(v)); }
static void clr(void){ __asm__ volatile("fsflags zero"); }
static u64 flags(void){ u64 v; __asm__ volatile("frflags %0":"=r"(v)); return v; }
#define BIN_D(name, insn) static u64 name##_d(u64 a, u64 b, u64 c){ u64 r; (void)c; __asm__ volatile("fmv.d.x ft0, %1\n fmv.d.x ft1, %2\n " insn ".d ft0, ft0, ft1\n fmv.x.d %0, ft0":"=r"(r):"r"(a),"r"(b):"ft0","ft1"); return r; }
#define BIN_S(name, insn) static u64 name##_s(u64 a, u64 b, u64 c){ u64 r; (void)c; __asm__ volatile("fmv.w.x ft0, %1\n fmv.w.x ft1, %2\n " insn ".s ft0, ft0, ft1\n fmv.x.w %0, ft0":"=r"(r):"r"(a),"r"(b):"ft0","ft1"); return r & 0xffffffff; }
#define BIN(n, i) BIN_D(n, i) BIN_S(n, i)
BIN(fadd,"fadd") BIN(fmul,"fmul") BIN(fdiv,"fdiv") BIN(fmin,"fmin") BIN(fmax,"fmax") BIN(fsgnj,"fsgnj") BIN(fsgnjn,"fsgnjn") BIN(fsgnjx,"fsgnjx")
#define CMP(name, insn) \
static u64 name##_d(u64 a, u64 b, u64 c){ u64 r; (void)c; __asm__ volatile("fmv.d.x ft0, %1\n fmv.d.x ft1, %2\n " insn ".d %0, ft0, ft1":"=r"(r):"r"(a),"r"(b):"ft0","ft1"); return r; } \
static u64 name##_s(u64 a, u64 b, u64 c){ u64 r; (void)c; __asm__ volatile("fmv.w.x ft0, %1\n fmv.w.x ft1, %2\n " insn ".s %0, ft0, ft1":"=r"(r):"r"(a),"r"(b):"ft0","ft1"); return r; }
CMP(feq,"feq") CMP(flt,"flt") CMP(fle,"fle")
static u64 fmadd_d(u64 a, u64 b, u64 c){ u64 r; __asm__ volatile("fmv.d.x ft0, %1\n fmv.d.x ft1, %2\n fmv.d.x ft2, %3\n fmadd.d ft0, ft0, ft1, ft2\n fmv.x.d %0, ft0":"=r"(r):"r"(a),"r"(b),"r"(c):"ft0","ft1","ft2"); return r; }
static u64 fmadd_s(u64 a, u64 b, u64 c){ u64 r; __asm__ volatile("fmv.w.x ft0, %1\n fmv.w.x ft1, %2\n fmv.w.x ft2, %3\n fmadd.s ft0, ft0, ft1, ft2\n fmv.x.w %0, ft0":"=r"(r):"r"(a),"r"(b),"r"(c):"ft0","ft1","ft2"); return r & 0xffffffff; }
static u64 fsqrt_d(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmv.d.x ft0, %1\n fsqrt.d ft0, ft0\n fmv.x.d %0, ft0":"=r"(r):"r"(a):"ft0"); return r; }
static u64 fsqrt_s(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmv.w.x ft0, %1\n fsqrt.s ft0, ft0\n fmv.x.w %0, ft0":"=r"(r):"r"(a):"ft0"); return r & 0xffffffff; }
static u64 fclass_d(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmv.d.x ft0, %1\n fclass.d %0, ft0":"=r"(r):"r"(a):"ft0"); return r; }
static u64 fclass_s(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmv.w.x ft0, %1\n fclass.s %0, ft0":"=r"(r):"r"(a):"ft0"); return r; }
static u64 fcvtsd_d(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmv.d.x ft0, %1\n fcvt.s.d ft0, ft0\n fmv.x.w %0, ft0":"=r"(r):"r"(a):"ft0"); return r & 0xffffffff; }
static u64 fcvtds_s(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmv.w.x ft0, %1\n fcvt.d.s ft0, ft0\n fmv.x.d %0, ft0":"=r"(r):"r"(a):"ft0"); return r; }
#define CVI(name, insn, mv) static u64 name(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile(mv " ft0, %1\n " insn " %0, ft0, dyn":"=r"(r):"r"(a):"ft0"); return r; }
CVI(fcvt_w_d,"fcvt.w.d","fmv.d.x") CVI(fcvt_wu_d,"fcvt.wu.d","fmv.d.x") CVI(fcvt_l_d,"fcvt.l.d","fmv.d.x") CVI(fcvt_lu_d,"fcvt.lu.d","fmv.d.x")
CVI(fcvt_w_s,"fcvt.w.s","fmv.w.x") CVI(fcvt_wu_s,"fcvt.wu.s","fmv.w.x") CVI(fcvt_l_s,"fcvt.l.s","fmv.w.x") CVI(fcvt_lu_s,"fcvt.lu.s","fmv.w.x")
#define CVF(name, insn, mv) static u64 name(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile(insn " ft0, %1, dyn\n " mv " %0, ft0":"=r"(r):"r"(a):"ft0"); return r; }
CVF(fcvt_d_l,"fcvt.d.l","fmv.x.d") CVF(fcvt_d_lu,"fcvt.d.lu","fmv.x.d") CVF(fcvt_s_l,"fcvt.s.l","fmv.x.w") CVF(fcvt_s_lu,"fcvt.s.lu","fmv.x.w")
CVF(fcvt_s_w,"fcvt.s.w","fmv.x.w") CVF(fcvt_s_wu,"fcvt.s.wu","fmv.x.w")
typedef u64 (*fn)(u64,u64,u64);
static const u64 D[] = {0x8000000000000000ull,0x3ff0000000000000ull,0x800fffffffffffffull,0x7ff8000000000123ull,0xfff0000000000456ull,
  0x7fefffffffffffffull,0x7ff0000000000000ull,0,0xbff8000000000000ull,0x3fb999999999999aull,0x0010000000000001ull,0xfff0000000000000ull};
static const u64 S[] = {0x80000000,0x3f800000,0x807fffff,0x7fc00123,0xff800456,0x7f7fffff,0x7f800000,0,0xbfc00000,0x3dcccccd,0x00800001,0xff800000};
static const u64 DU[] = {0,0x8000000000000000ull,0x3fe0000000000000ull,0x3ff8000000000000ull,0x4004000000000000ull,0xc004000000000000ull,
  0xbfe0000000000000ull,0xbfefffffffffffffull,0x41dfffffffe00000ull,0x41e0000000000000ull,0xc1e0000000000000ull,0xc1e0000000200000ull,
  0x41f0000000000000ull,0x41efffffffffffffull,0x43e0000000000000ull,0xc3e0000000000000ull,0x43f0000000000000ull,0x7ff8000000000001ull,
  0x7ff0000000000001ull,0x7ff0000000000000ull,0xfff0000000000000ull,0x0008000000000000ull,0x3ff0000000000001ull,0x36a0000000000001ull,
  0x47efffffe0000000ull,0x47efffffefffffffull,0xfff8000000000000ull,0x3810000000000000ull,0x380fffffffffffffull,0x36a0000000000000ull};
static const u64 SU[] = {0,0x80000000,0x3f000000,0x3fc00000,0x40200000,0xc0200000,0xbf000000,0xbf7fffff,0x4effffff,0x4f000000,0xcf000000,
  0xcf000001,0x4f800000,0x4f7fffff,0x5f000000,0xdf000000,0x5f800000,0x7fc00001,0x7f800001,0x7f800000,0xff800000,0x00400000,0x3f800001,
  0x00000001,0x5f7fffff,0xdf800000,0xffc00000,0x00800000,0x007fffff,0x3effffff};
static const u64 I[] = {0,1,0xffffffffffffffffull,0x20000000000001ull,0x7fffffffffffffffull,0x8000000000000000ull,0x8000000000000001ull,
  0x1000000100000001ull,0xffffff7fffffffffull,0x7fffff8000000000ull,0xffffffffull,0x80000000ull,0x7fffffc0ull,0x123456789abcdefull,0x1000001ull,
  0xffffffff80000001ull, 0x0000000081000001ull};
static void run(const char *op, const char *ty, fn f, const u64 *v, int n, int arity, int nrm) {
  for (int k = 0; k < nrm; k++) {
    set_frm(k); printf("# %s %s %x\n", op, ty, k);
    int ni = arity > 2 ? 8 : n;
    for (int i = 0; i < ni; i++) for (int j = 0; j < (arity > 1 ? ni : 1); j++) for (int l = 0; l < (arity > 2 ? 8 : 1); l++) {
      u64 a = v[i], b = arity > 1 ? v[j] : 0, c = arity > 2 ? v[l] : 0;
      clr(); u64 r = f(a, b, c); u64 st = flags();
      if (arity == 3) printf("%llx %llx %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b, (unsigned long long)c, (unsigned long long)r, (unsigned long long)st);
      else if (arity == 2) printf("%llx %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b, (unsigned long long)r, (unsigned long long)st);
      else printf("%llx %llx %llx\n", (unsigned long long)a, (unsigned long long)r, (unsigned long long)st);
    }
  }
  set_frm(0);
}
#define B(name, nrm) run(#name, "d", name##_d, D, 12, 2, nrm); run(#name, "s", name##_s, S, 12, 2, nrm);
int main(void) {
  B(fadd, 5) B(fmul, 5) B(fdiv, 5) B(fmin, 1) B(fmax, 1) B(fsgnj, 1) B(fsgnjn, 1) B(fsgnjx, 1) B(feq, 1) B(flt, 1) B(fle, 1)
  run("fmadd", "d", fmadd_d, D, 8, 3, 5); run("fmadd", "s", fmadd_s, S, 8, 3, 5);
  run("fsqrt", "d", fsqrt_d, DU, 30, 1, 5); run("fsqrt", "s", fsqrt_s, SU, 30, 1, 5);
  run("fclass", "d", fclass_d, DU, 30, 1, 1); run("fclass", "s", fclass_s, SU, 30, 1, 1);
  run("fcvt.s.d", "d", fcvtsd_d, DU, 30, 1, 5); run("fcvt.d.s", "s", fcvtds_s, SU, 30, 1, 1);
  run("fcvt.w.d", "d", fcvt_w_d, DU, 30, 1, 5); run("fcvt.wu.d", "d", fcvt_wu_d, DU, 30, 1, 5);
  run("fcvt.l.d", "d", fcvt_l_d, DU, 30, 1, 5); run("fcvt.lu.d", "d", fcvt_lu_d, DU, 30, 1, 5);
  run("fcvt.w.s", "s", fcvt_w_s, SU, 30, 1, 5); run("fcvt.wu.s", "s", fcvt_wu_s, SU, 30, 1, 5);
  run("fcvt.l.s", "s", fcvt_l_s, SU, 30, 1, 5); run("fcvt.lu.s", "s", fcvt_lu_s, SU, 30, 1, 5);
  run("fcvt.d.l", "l", fcvt_d_l, I, 17, 1, 5); run("fcvt.d.lu", "l", fcvt_d_lu, I, 17, 1, 5);
  run("fcvt.s.l", "l", fcvt_s_l, I, 17, 1, 5); run("fcvt.s.lu", "l", fcvt_s_lu, I, 17, 1, 5);
  run("fcvt.s.w", "w", fcvt_s_w, I, 17, 1, 5); run("fcvt.s.wu", "w", fcvt_s_wu, I, 17, 1, 5);
  return 0;
}

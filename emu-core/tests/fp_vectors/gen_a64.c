// Generates AArch64 FP reference vectors (run under qemu-aarch64). Output lines:
// op ty fpcr a b c result fpsr
#include <stdio.h>
#include <stdint.h>
typedef uint64_t u64;
static void set_fpcr(u64 v){ __asm__ volatile("msr fpcr, %0"::"r"(v)); }
static void clr(void){ __asm__ volatile("msr fpsr, xzr"); }
static u64 fpsr(void){ u64 v; __asm__ volatile("mrs %0, fpsr":"=r"(v)); return v; }
static u64 nzcv(void){ u64 v; __asm__ volatile("mrs %0, nzcv":"=r"(v)); return v; }

#define BIN(name, insn) \
static u64 name##_d(u64 a, u64 b, u64 c){ u64 r; (void)c; __asm__ volatile("fmov d0, %1\n fmov d1, %2\n " insn " d0, d0, d1\n fmov %0, d0":"=r"(r):"r"(a),"r"(b):"d0","d1"); return r; } \
static u64 name##_s(u64 a, u64 b, u64 c){ u64 r; (void)c; __asm__ volatile("fmov s0, %w1\n fmov s1, %w2\n " insn " s0, s0, s1\n fmov %w0, s0":"=r"(r):"r"(a),"r"(b):"d0","d1"); return r & 0xffffffff; }
#define UN(name, insn) \
static u64 name##_d(u64 a, u64 b, u64 c){ u64 r; (void)b; (void)c; __asm__ volatile("fmov d0, %1\n " insn " d0, d0\n fmov %0, d0":"=r"(r):"r"(a):"d0"); return r; } \
static u64 name##_s(u64 a, u64 b, u64 c){ u64 r; (void)b; (void)c; __asm__ volatile("fmov s0, %w1\n " insn " s0, s0\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
BIN(fadd,"fadd") BIN(fsub,"fsub") BIN(fmul,"fmul") BIN(fdiv,"fdiv") BIN(fmin,"fmin") BIN(fmax,"fmax")
BIN(fminnm,"fminnm") BIN(fmaxnm,"fmaxnm") BIN(fmulx,"fmulx") BIN(fabd,"fabd") BIN(frecps,"frecps") BIN(frsqrts,"frsqrts")
UN(fsqrt,"fsqrt") UN(frintn,"frintn") UN(frinta,"frinta") UN(frintz,"frintz") UN(frintp,"frintp") UN(frintm,"frintm")
UN(frintx,"frintx") UN(frinti,"frinti") UN(frecpe,"frecpe") UN(frsqrte,"frsqrte") UN(frecpx,"frecpx")
static u64 fmadd_d(u64 a, u64 b, u64 c){ u64 r; __asm__ volatile("fmov d0, %1\n fmov d1, %2\n fmov d2, %3\n fmadd d0, d0, d1, d2\n fmov %0, d0":"=r"(r):"r"(a),"r"(b),"r"(c):"d0","d1","d2"); return r; }
static u64 fmadd_s(u64 a, u64 b, u64 c){ u64 r; __asm__ volatile("fmov s0, %w1\n fmov s1, %w2\n fmov s2, %w3\n fmadd s0, s0, s1, s2\n fmov %w0, s0":"=r"(r):"r"(a),"r"(b),"r"(c):"d0","d1","d2"); return r & 0xffffffff; }
static u64 fcmp_d(u64 a, u64 b, u64 c){ (void)c; __asm__ volatile("fmov d0, %0\n fmov d1, %1\n fcmp d0, d1"::"r"(a),"r"(b):"d0","d1","cc"); return nzcv(); }
static u64 fcmp_s(u64 a, u64 b, u64 c){ (void)c; __asm__ volatile("fmov s0, %w0\n fmov s1, %w1\n fcmp s0, s1"::"r"(a),"r"(b):"d0","d1","cc"); return nzcv(); }
static u64 fcmpe_d(u64 a, u64 b, u64 c){ (void)c; __asm__ volatile("fmov d0, %0\n fmov d1, %1\n fcmpe d0, d1"::"r"(a),"r"(b):"d0","d1","cc"); return nzcv(); }
static u64 fcmpe_s(u64 a, u64 b, u64 c){ (void)c; __asm__ volatile("fmov s0, %w0\n fmov s1, %w1\n fcmpe s0, s1"::"r"(a),"r"(b):"d0","d1","cc"); return nzcv(); }
static u64 fcvtsd_d(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %1\n fcvt s0, d0\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtxn_d(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %1\n fcvtxn s0, d0\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtds_s(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvt d0, s0\n fmov %0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtzs_wd(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtzs %w0, d0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtzs_xd(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtzs %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtzu_wd(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtzu %w0, d0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtzu_xd(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtzu %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtzs_ws(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtzs %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtzs_xs(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtzs %x0, s0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtzu_ws(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtzu %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtzu_xs(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtzu %x0, s0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtas_xd(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtas %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtns_wd(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtns %w0, d0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtmu_xs(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtmu %x0, s0":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtps_ws(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtps %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtzs_wd5(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtzs %w0, d0, #5":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 fcvtzu_xs32(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov s0, %w1\n fcvtzu %x0, s0, #32":"=r"(r):"r"(a):"d0"); return r; }
static u64 fcvtzs_xd64(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("fmov d0, %x1\n fcvtzs %x0, d0, #64":"=r"(r):"r"(a):"d0"); return r; }
static u64 scvtf_dx(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("scvtf d0, %x1\n fmov %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 ucvtf_dx(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("ucvtf d0, %x1\n fmov %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 scvtf_sx(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("scvtf s0, %x1\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 ucvtf_sx(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("ucvtf s0, %x1\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 scvtf_dw(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("scvtf d0, %w1\n fmov %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 ucvtf_sw(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("ucvtf s0, %w1\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 scvtf_dx7(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("scvtf d0, %x1, #7\n fmov %x0, d0":"=r"(r):"r"(a):"d0"); return r; }
static u64 ucvtf_sx64(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("ucvtf s0, %x1, #64\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }
static u64 scvtf_sw3(u64 a, u64 b, u64 c){ u64 r; (void)b;(void)c; __asm__ volatile("scvtf s0, %w1, #3\n fmov %w0, s0":"=r"(r):"r"(a):"d0"); return r & 0xffffffff; }

typedef u64 (*fn)(u64,u64,u64);
static const u64 D[] = {0x8000000000000000ull,0x3ff0000000000000ull,0x800fffffffffffffull,0x7ff8000000000123ull,0xfff0000000000456ull,
  0x7fefffffffffffffull,0x7ff0000000000000ull,0,0xbff8000000000000ull,0x3fb999999999999aull};
static const u64 S[] = {0x80000000,0x3f800000,0x807fffff,0x7fc00123,0xff800456,0x7f7fffff,0x7f800000,0,0xbfc00000,0x3dcccccd};
static const u64 DU[] = {0,0x8000000000000000ull,0x3fe0000000000000ull,0x3ff8000000000000ull,0x4004000000000000ull,0xc004000000000000ull,
  0xbfe0000000000000ull,0x4330000000000001ull,0x432fffffffffffffull,0x41dfffffffe00000ull,0x41e0000000000000ull,0xc1e0000000000000ull,
  0xc1e0000000200000ull,0x41f0000000000000ull,0x43e0000000000000ull,0xc3e0000000000000ull,0x43f0000000000000ull,0x46293e5939a08ceaull,
  0x7ff8000000000001ull,0x7ff0000000000001ull,0x7ff0000000000000ull,0xfff0000000000000ull,0x0008000000000000ull,0x405edd2f1a9fbe77ull,
  0x3ff0000000000001ull,0x4010000000000000ull,0x3fd0000000000000ull,0x0000000000000003ull,0x7fe0000000000000ull,0x37f0000000000000ull};
static const u64 SU[] = {0,0x80000000,0x3f000000,0x3fc00000,0x40200000,0xc0200000,0xbf000000,0x4b000001,0x4affffff,0x4effffff,
  0x4f000000,0xcf000000,0xcf000001,0x4f800000,0x5f000000,0xdf000000,0x5f800000,0x7149f2ca,0x7fc00001,0x7f800001,0x7f800000,
  0xff800000,0x00400000,0x42f6e979,0x3f800001,0x40800000,0x3e800000,0x00000003,0x7f000000,0x00200000};
static const u64 I[] = {0,1,0xffffffffffffffffull,0x20000000000001ull,0x7fffffffffffffffull,0x8000000000000000ull,0x8000000000000001ull,
  0x1000000100000001ull,0xffffff7fffffffffull,0x7fffff8000000000ull,0xffffffffull,0x80000000ull,0x7fffffc0ull,0x123456789abcdefull,0x1000001ull};
static const u64 FPCR[] = {0, 1u<<25, 1u<<24, 2u<<22, 1u<<22, 3u<<22, 3u<<24};
#define NF (sizeof FPCR / sizeof FPCR[0])
static void run(const char *op, const char *ty, fn f, const u64 *v, int n, int arity, int nf) {
  for (int k = 0; k < nf; k++) {
    set_fpcr(FPCR[k]); printf("# %s %s %llx\n", op, ty, (unsigned long long)FPCR[k]);
    for (int i = 0; i < (arity > 2 ? 8 : n); i++) for (int j = 0; j < (arity > 1 ? (arity > 2 ? 8 : n) : 1); j++) for (int l = 0; l < (arity > 2 ? 8 : 1); l++) {
      u64 a = v[i], b = arity > 1 ? v[j] : 0, c = arity > 2 ? v[l] : 0;
      clr(); u64 r = f(a, b, c); u64 st = fpsr();
      if (arity == 3) printf("%llx %llx %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b, (unsigned long long)c, (unsigned long long)r, (unsigned long long)st);
      else if (arity == 2) printf("%llx %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b, (unsigned long long)r, (unsigned long long)st);
      else printf("%llx %llx %llx\n", (unsigned long long)a, (unsigned long long)r, (unsigned long long)st);
    }
  }
  set_fpcr(0);
}
#define B(name) run(#name, "d", name##_d, D, 10, 2, 4); run(#name, "s", name##_s, S, 10, 2, 4);
#define U(name) run(#name, "d", name##_d, DU, 30, 1, 5); run(#name, "s", name##_s, SU, 30, 1, 5);
int main(void) {
  B(fadd) B(fsub) B(fmul) B(fdiv) B(fmin) B(fmax) B(fminnm) B(fmaxnm) B(fmulx) B(fabd) B(frecps) B(frsqrts)
  run("fcmp", "d", fcmp_d, D, 10, 2, 3); run("fcmp", "s", fcmp_s, S, 10, 2, 3); run("fcmpe", "d", fcmpe_d, D, 10, 2, 3); run("fcmpe", "s", fcmpe_s, S, 10, 2, 3);
  run("fmadd", "d", fmadd_d, D, 8, 3, 3); run("fmadd", "s", fmadd_s, S, 8, 3, 3);
  U(fsqrt) U(frintn) U(frinta) U(frintz) U(frintp) U(frintm) U(frintx) U(frinti) U(frecpe) U(frsqrte) U(frecpx)
  run("fcvt", "sd", fcvtsd_d, DU, 30, 1, NF); run("fcvtxn", "sd", fcvtxn_d, DU, 30, 1, NF); run("fcvt", "ds", fcvtds_s, SU, 30, 1, NF);
  run("fcvtzs_wd", "d", fcvtzs_wd, DU, 30, 1, 5);
  run("fcvtzs_xd", "d", fcvtzs_xd, DU, 30, 1, 5);
  run("fcvtzu_wd", "d", fcvtzu_wd, DU, 30, 1, 5);
  run("fcvtzu_xd", "d", fcvtzu_xd, DU, 30, 1, 5);
  run("fcvtzs_ws", "s", fcvtzs_ws, SU, 30, 1, 5);
  run("fcvtzs_xs", "s", fcvtzs_xs, SU, 30, 1, 5);
  run("fcvtzu_ws", "s", fcvtzu_ws, SU, 30, 1, 5);
  run("fcvtzu_xs", "s", fcvtzu_xs, SU, 30, 1, 5);
  run("fcvtas_xd", "d", fcvtas_xd, DU, 30, 1, 5);
  run("fcvtns_wd", "d", fcvtns_wd, DU, 30, 1, 5);
  run("fcvtmu_xs", "s", fcvtmu_xs, SU, 30, 1, 5);
  run("fcvtps_ws", "s", fcvtps_ws, SU, 30, 1, 5);
  run("fcvtzs_wd5", "d", fcvtzs_wd5, DU, 30, 1, 5);
  run("fcvtzu_xs32", "s", fcvtzu_xs32, SU, 30, 1, 5);
  run("fcvtzs_xd64", "d", fcvtzs_xd64, DU, 30, 1, 5);
  run("scvtf_dx", "d", scvtf_dx, I, 15, 1, 4);
  run("ucvtf_dx", "d", ucvtf_dx, I, 15, 1, 4);
  run("scvtf_sx", "s", scvtf_sx, I, 15, 1, 4);
  run("ucvtf_sx", "s", ucvtf_sx, I, 15, 1, 4);
  run("scvtf_dw", "d", scvtf_dw, I, 15, 1, 4);
  run("ucvtf_sw", "s", ucvtf_sw, I, 15, 1, 4);
  run("scvtf_dx7", "d", scvtf_dx7, I, 15, 1, 4);
  run("ucvtf_sx64", "s", ucvtf_sx64, I, 15, 1, 4);
  run("scvtf_sw3", "s", scvtf_sw3, I, 15, 1, 4);
  return 0;
}

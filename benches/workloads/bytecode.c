/* Workload: a switch-dispatch bytecode interpreter running a small loop program: indirect
 * jumps through a jump table, unpredictable for a naive emulator. */
#include "common.h"

enum { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, XOR, SHL, DROP, HALT };

static long run(const int *code, long count) {
    long stack[64];
    int sp = 0;
    long acc = 0;
    stack[sp++] = count;
    for (int pc = 0;;) {
        switch (code[pc++]) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case SWAP: { long t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case SHL: sp--; stack[sp - 1] <<= (stack[sp] & 7); break;
        case DROP: acc += stack[--sp]; break;
        case DEC: stack[sp - 1]--; break;
        case JNZ: { int t = code[pc++]; if (stack[sp - 1]) pc = t; break; }
        case HALT: return acc + stack[sp - 1];
        }
    }
}

int main(int argc, char **argv) {
    long n = iters(argc, argv, 3000000);
    /* for i = n..1: acc += ((3i) ^ (3i << 2)) - 5; stack effects in the comments */
    const int code[] = {DUP,          /* 0: i i */
                        PUSH, 3, MUL, /* 1: i 3i */
                        DUP,          /* 4: i 3i 3i */
                        PUSH, 2, SHL, /* 5: i 3i 12i */
                        XOR,          /* 8: i x */
                        PUSH, 5, SUB, /* 9: i x-5 */
                        DROP,         /* 12: i (acc += x-5) */
                        DEC,          /* 13: i-1 */
                        JNZ, 0,       /* 14 */
                        HALT};
    printf("bytecode %ld\n", run(code, n));
    return 0;
}

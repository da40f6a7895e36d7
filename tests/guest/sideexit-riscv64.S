// Loops that span two guest blocks: the first block ends in a conditional branch and one side of
// it is a short block that goes straight back. remu makes such a loop one block with a side
// exit when that side is the fall-through (emu-core/src/ir/merge.rs), and the JIT keeps its
// registers in host registers; every way out of the loop must leave the same registers as the
// guest code would. Each loop's results
// are printed as letters ('a' + n); tests/guest_programs.rs compares the output with the golden
// file and qemu-user's under both engines.
// test-run: main 0
// test-cflags: -Wl,--no-relax
        .data
str1:   .asciz  "abcdefghijklmnopq"
str2:   .asciz  "abcdefghijkXmnopq"
str3:   .asciz  ""
out:    .space  16
        .text
        .global _start
_start:
        lla     s1, out
        // 1. strcmp shape (the fall-through side closes the loop): stops at the mismatch,
        // at the end of equal strings, and at once on an empty string.
        lla     a0, str1
        lla     a1, str2
        call    cmp_loop
        call    put
        lla     a0, str1
        lla     a1, str1
        call    cmp_loop
        call    put
        lla     a0, str3
        lla     a1, str1
        call    cmp_loop
        call    put
        // 2. strlen shape (the taken side closes the loop with a jump back: not merged, as
        // remu merges fall-through sides only; the same answers all the same).
        lla     a0, str2
        call    len_loop
        call    put
        lla     a0, str3
        call    len_loop
        call    put
        // 3. both sides leave: the closing block branches back conditionally.
        lla     a0, str1
        li      a2, 5
        call    sum_loop
        call    put
        mv      a0, t2
        call    put
        lla     a0, str2
        li      a2, 50
        call    sum_loop
        call    put
        mv      a0, t2
        call    put
        li      t0, '\n'
        sb      t0, 0(s1)
        addi    s1, s1, 1
        li      a0, 1
        lla     a1, out
        sub     a2, s1, a1
        li      a7, 64                  // write
        ecall
        li      a0, 0
        li      a7, 93                  // exit
        ecall

// a0 = 'a' + a0 % 26 appended to out.
put:
        li      t0, 26
        remu    a0, a0, t0
        addi    a0, a0, 'a'
        sb      a0, 0(s1)
        addi    s1, s1, 1
        ret

// Characters compared until a NUL in a0's string or a mismatch (counting the last one).
cmp_loop:
        li      t0, 0
1:      lbu     a5, 0(a0)
        lbu     a4, 0(a1)
        addi    a0, a0, 1
        addi    a1, a1, 1
        addi    t0, t0, 1
        beqz    a5, 2f
        beq     a5, a4, 1b
2:      mv      a0, t0
        ret

// Length of a0's string.
len_loop:
        li      t0, 0
1:      lbu     a5, 0(a0)
        addi    a3, a0, 1
        bnez    a5, 2f
        j       3f
2:      addi    t0, t0, 1
        mv      a0, a3
        j       1b
3:      mv      a0, t0
        ret

// Sum of a0's bytes until the NUL or a2 bytes (t2 = bytes summed), returned modulo 251.
sum_loop:
        li      t1, 0
        li      t2, 0
1:      lbu     a5, 0(a0)
        addi    a0, a0, 1
        beqz    a5, 3f
        add     t1, t1, a5
        addi    t2, t2, 1
        bltu    t2, a2, 1b
3:      li      t0, 251
        remu    a0, t1, t0
        ret

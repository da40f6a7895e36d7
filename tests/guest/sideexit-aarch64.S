// Loops that span two guest blocks: the first block ends in a conditional branch and one side of
// it is a short block that goes straight back. remu makes such a loop one block with a side
// exit when that side is the fall-through (emu-core/src/ir/merge.rs), and the JIT keeps its
// registers in host registers; every way out of the loop must leave the same registers (and
// NZCV) as the guest code would. Each loop's
// results are printed as letters ('a' + n); tests/guest_programs.rs compares the output with the
// golden file and qemu-user's under both engines.
// test-run: main 0
        .data
str1:   .asciz  "abcdefghijklmnopq"
str2:   .asciz  "abcdefghijkXmnopq"
str3:   .asciz  ""
out:    .space  16
        .text
        .global _start
_start:
        adr     x19, out
        // 1. strcmp shape (the fall-through side closes the loop): stops at the mismatch,
        // at the end of equal strings, and at once on an empty string.
        adr     x0, str1
        adr     x1, str2
        bl      cmp_loop
        bl      put
        adr     x0, str1
        adr     x1, str1
        bl      cmp_loop
        bl      put
        adr     x0, str3
        adr     x1, str1
        bl      cmp_loop
        bl      put
        // 2. strlen shape (the taken side closes the loop with a jump back: not merged, as
        // remu merges fall-through sides only; the same answers all the same).
        adr     x0, str2
        bl      len_loop
        bl      put
        adr     x0, str3
        bl      len_loop
        bl      put
        // 3. both sides leave, on flags: the closing block branches back conditionally, and
        // NZCV as the loop left it is printed too (b.eq leaves Z set, b.lo leaves C set).
        adr     x0, str1
        mov     x2, #5
        bl      sum_loop
        bl      put
        mov     x0, x7
        bl      put
        mrs     x0, nzcv
        lsr     x0, x0, #28
        bl      put
        adr     x0, str2
        mov     x2, #50
        bl      sum_loop
        bl      put
        mov     x0, x7
        bl      put
        mrs     x0, nzcv
        lsr     x0, x0, #28
        bl      put
        mov     w0, #'\n'
        strb    w0, [x19], #1
        mov     x0, #1
        adr     x1, out
        sub     x2, x19, x1
        mov     x8, #64                 // write
        svc     #0
        mov     x0, #0
        mov     x8, #93                 // exit
        svc     #0

// x0 = 'a' + x0 % 26 appended to out.
put:
        mov     x9, #26
        udiv    x10, x0, x9
        msub    x0, x10, x9, x0
        add     x0, x0, #'a'
        strb    w0, [x19], #1
        ret

// Characters compared until a NUL in x0's string or a mismatch (counting the last one).
cmp_loop:
        mov     x2, #0
1:      ldrb    w5, [x0], #1
        ldrb    w4, [x1], #1
        add     x2, x2, #1
        cbz     w5, 2f
        cmp     w5, w4
        b.eq    1b
2:      mov     x0, x2
        ret

// Length of x0's string.
len_loop:
        mov     x2, #0
1:      ldrb    w5, [x0]
        add     x3, x0, #1
        cbnz    w5, 2f
        b       3f
2:      add     x2, x2, #1
        mov     x0, x3
        b       1b
3:      mov     x0, x2
        ret

// Sum of x0's bytes until the NUL or x2 bytes (x7 = bytes summed), returned modulo 251.
sum_loop:
        mov     x6, #0
        mov     x7, #0
1:      ldrb    w5, [x0], #1
        cmp     w5, #0
        b.eq    3f
        add     x6, x6, x5
        add     x7, x7, #1
        cmp     x7, x2
        b.lo    1b
3:      mov     x9, #251
        udiv    x10, x6, x9
        msub    x0, x10, x9, x6
        ret

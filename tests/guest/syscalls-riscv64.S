// Raw Linux syscalls from riscv64 assembly, no libc: reads argc from the initial stack, writes
// a line, checks getpid/brk/write results, and exits with 40 + argc (so the exit status shows
// that the initial stack layout and the exit path both work). Any failed check exits with 1.
// test-run: main 41
// test-run: args 43 a b
        .section .rodata
msg:
        .ascii  "asm: hello from raw syscalls\n"
        .equ    msg_len, . - msg
        .text
        .global _start
_start:
        ld      s1, 0(sp)               // argc
        li      a0, 1
        lla     a1, msg
        li      a2, msg_len
        li      a7, 64                  // write
        ecall
        li      t0, msg_len
        bne     a0, t0, fail
        li      a7, 172                 // getpid
        ecall
        blez    a0, fail
        li      a0, 0
        li      a7, 214                 // brk(0)
        ecall
        beqz    a0, fail
        li      a0, -1                  // write to a bad fd gives -EBADF (-9)
        lla     a1, msg
        li      a2, 1
        li      a7, 64
        ecall
        li      t0, -9
        bne     a0, t0, fail
        addi    a0, s1, 40
        li      a7, 94                  // exit_group
        ecall
fail:
        li      a0, 1
        li      a7, 93                  // exit
        ecall

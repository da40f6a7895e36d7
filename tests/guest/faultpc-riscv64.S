// A load from an unmapped address at the label `fault_here` ends the program with SIGSEGV.
// Just before it, registers get known values: a5, a4, a0 and sp (which remu's JIT keeps in
// host registers) and s0, t1 (kept in memory). tests/guest_programs.rs
// (`fault_report_is_exact`) checks that remu's report names fault_here's address and 0x40,
// and that its REMU_FAULT_DUMP registers hold these values; the write after the fault must
// not be seen.
// test-run: main signal:11
        .section .rodata
msg:
        .ascii  "faulting at fault_here\n"
        .equ    msg_len, . - msg
        .text
        .global _start
_start:
        li      a0, 1
        lla     a1, msg
        li      a2, msg_len
        li      a7, 64                  // write
        ecall
        mv      s0, sp
        addi    sp, sp, -0x60
        li      a5, 0x12340000000000a5
        li      a4, 0xa4
        li      a0, 0xa0
        addi    s0, s0, 0x19
        li      t1, 0x40
        .global fault_here
fault_here:
        ld      t2, 0(t1)
        li      a5, 0xdead
        li      a7, 93                  // exit (not reached)
        ecall

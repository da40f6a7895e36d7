// A load from an unmapped address at the label `fault_here` ends the program with SIGSEGV.
// Just before it, registers get known values: x0, x1, x2 and SP (which remu's JIT keeps in
// host registers) and x3, x19 (kept in memory). tests/guest_programs.rs
// (`fault_report_is_exact`) checks that remu's report names fault_here's address and 0x40,
// and that its REMU_FAULT_DUMP registers hold these values; the write after the fault must
// not be seen.
// test-run: main signal:11
        .text
        .global _start
_start:
        mov     x0, #1
        adr     x1, msg
        mov     x2, #(msg_end - msg)
        mov     x8, #64                 // write
        svc     #0
        mov     x19, sp
        sub     sp, sp, #0x60
        movz    x0, #0x1234, lsl #48
        movk    x0, #0xa0
        mov     x1, #0xa1
        mov     x2, #0xa2
        mov     x3, #0xa3
        add     x19, x19, #0x19
        mov     x9, #0x40
        .global fault_here
fault_here:
        ldr     x10, [x9]
        mov     x0, #0xdead
        mov     x8, #93                 // exit (not reached)
        svc     #0
msg:
        .ascii  "faulting at fault_here\n"
msg_end:

// Raw Linux syscalls from aarch64 assembly, no libc: reads argc from the initial stack, writes
// a line, checks getpid/brk/write results, and exits with 40 + argc (so the exit status shows
// that the initial stack layout and the exit path both work). Any failed check exits with 1.
// test-run: main 41
// test-run: args 43 a b
        .text
        .global _start
_start:
        ldr     x19, [sp]               // argc
        mov     x0, #1
        adr     x1, msg
        mov     x2, #(msg_end - msg)
        mov     x8, #64                 // write
        svc     #0
        cmp     x0, #(msg_end - msg)
        b.ne    fail
        mov     x8, #172                // getpid
        svc     #0
        cmp     x0, #0
        b.le    fail
        mov     x0, #0
        mov     x8, #214                // brk(0)
        svc     #0
        cbz     x0, fail
        mov     x0, #-1                 // write to a bad fd gives -EBADF (-9)
        adr     x1, msg
        mov     x2, #1
        mov     x8, #64
        svc     #0
        cmn     x0, #9
        b.ne    fail
        add     x0, x19, #40
        mov     x8, #94                 // exit_group
        svc     #0
fail:
        mov     x0, #1
        mov     x8, #93                 // exit
        svc     #0
msg:
        .ascii  "asm: hello from raw syscalls\n"
msg_end:

// Bundled example: the smallest useful aarch64 Linux program. Writes a greeting with the raw
// write syscall and exits with status 0; no libc, no dynamic linker. Rebuilt by ./build.sh.
        .text
        .global _start
_start:
        mov     x0, #1                  // fd: stdout
        adr     x1, msg                 // buf
        mov     x2, #(msg_end - msg)    // count
        mov     x8, #64                 // __NR_write
        svc     #0
        mov     x0, #0                  // status
        mov     x8, #93                 // __NR_exit
        svc     #0
msg:
        .ascii  "Hello from aarch64, running under remu!\n"
msg_end:

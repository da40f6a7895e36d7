// Bundled example: the smallest useful riscv64 Linux program. Writes a greeting with the raw
// write syscall and exits with status 0; no libc, no dynamic linker. Rebuilt by ./build.sh.
        .option norelax
        .text
msg:
        .ascii  "Hello from riscv64, running under remu!\n"
        .equ    msg_len, . - msg
        .balign 4
        .global _start
_start:
        li      a0, 1                   // fd: stdout
        lla     a1, msg                 // buf
        li      a2, msg_len             // count
        li      a7, 64                  // __NR_write
        ecall
        li      a0, 0                   // status
        li      a7, 93                  // __NR_exit
        ecall

/* Workload: table-driven CRC-32 (IEEE, reflected) over a 256 KiB buffer. Byte loads, shifts, xor. */
#include "common.h"

int main(int argc, char **argv) {
    long n = iters(argc, argv, 64);
    static uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    static uint8_t buf[262144];
    uint64_t s = 7;
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)rnd(&s);
    uint32_t crc = 0;
    for (long r = 0; r < n; r++) {
        uint32_t c = ~crc;
        for (size_t i = 0; i < sizeof buf; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        crc = ~c;
    }
    printf("crc32 %08x\n", crc);
    return 0;
}

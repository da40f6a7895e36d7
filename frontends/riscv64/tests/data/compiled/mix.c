unsigned long mix(long a, long b, unsigned long c) {
    unsigned long r = 0;
    for (int i = 0; i < 20; i++) {
        r += (unsigned long)((a * (i + 1)) / (b | 1));
        r ^= (unsigned long)((long)(c >> (i & 63)) % 97);
        r = (r << 3) | (r >> 61);
        r += __builtin_popcountl(c ^ r) + __builtin_clzl(c | 1) + (unsigned)(r * 3);
        r += (unsigned)(r >> 7) / 3u;
    }
    return r;
}

#!/usr/bin/env python3
"""Refresh the code words of an int_data case file from their assembly (needs GNU binutils for
aarch64: aarch64-linux-gnu-as / -objdump). Lines `asm <insn>` and `0xWORD <insn>` are both
(re)assembled, one assembler run per case so pc-relative operands and .word data lay out as in
the test. Usage: regen.py FILE [OUT] (default: rewrite FILE in place)."""
import re, subprocess, sys, tempfile, os

def assemble(block):
    with tempfile.TemporaryDirectory() as d:
        s, o = os.path.join(d, 'c.s'), os.path.join(d, 'c.o')
        open(s, 'w').write('.arch armv8.4-a+lse+crc+rcpc\n' + '\n'.join(block) + '\n')
        subprocess.run(['aarch64-linux-gnu-as', s, '-o', o], check=True)
        dump = subprocess.run(['aarch64-linux-gnu-objdump', '-d', o], capture_output=True,
                              text=True, check=True).stdout
    words = re.findall(r'^\s*[0-9a-f]+:\t([0-9a-f]{8}) ', dump, re.M)
    if len(words) != len(block):
        sys.exit('assembled %d words for %d lines: %s' % (len(words), len(block), block))
    return ['  0x%s  %s' % (w, a) for w, a in zip(words, block)]

def main():
    src = sys.argv[1]
    out, pending = [], []
    for line in open(src).read().split('\n'):
        m = re.match(r'\s*(?:asm|0x[0-9a-fA-F]+)\s+(.*)$', line)
        if m:
            pending.append(m.group(1).strip())
            continue
        if pending:
            out += assemble(pending)
            pending = []
        out.append(line)
    if pending:
        out += assemble(pending)
    open(sys.argv[2] if len(sys.argv) > 2 else src, 'w').write('\n'.join(out))

main()

#!/usr/bin/env python3
"""Turn criterion's results for benches/benches/guest.rs into a ratio table (markdown).

For each workload/guest group: the mean time of every runner, remu/qemu for each qemu build,
remu/native, and the geometric mean of remu/qemu per guest over all workloads. Usage:
    scripts/bench-report.py [target/criterion]
"""
import json, math, os, sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "target", "criterion")
times = defaultdict(dict)  # (workload, arch) -> runner -> seconds
for dirpath, _, files in os.walk(root):
    if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
        continue
    meta = json.load(open(os.path.join(dirpath, "benchmark.json")))
    est = json.load(open(os.path.join(dirpath, "estimates.json")))
    group, func = meta["group_id"], meta["function_id"]
    if "/" not in group:
        continue
    w, arch = group.split("/", 1)
    times[(w, arch)][func] = est["mean"]["point_estimate"] / 1e9

if not times:
    sys.exit(f"no criterion results under {root}: run `cargo bench -p remu-benches` first")

runners = sorted({r for t in times.values() for r in t})
remus = [r for r in runners if r.startswith("remu-")]
qemus = [r for r in runners if r.startswith("qemu-")]
print("| workload | guest | " + " | ".join(f"{r} (s)" for r in runners) + " | "
      + " | ".join(f"{m}/{q}" for m in remus for q in qemus) + " | "
      + " | ".join(f"{m}/native" for m in remus) + " |")
print("|" + "---|" * (2 + len(runners) + len(remus) * len(qemus) + len(remus)))
geo = defaultdict(list)
for (w, arch) in sorted(times):
    t = times[(w, arch)]
    cells = [f"{t[r]:.3f}" if r in t else "-" for r in runners]
    ratios = []
    for m in remus:
        for q in qemus:
            if m in t and q in t:
                ratios.append(f"{t[m] / t[q]:.2f}")
                geo[(arch, m, q)].append(t[m] / t[q])
            else:
                ratios.append("-")
    nat = [f"{t[m] / t['native']:.1f}" if m in t and "native" in t else "-" for m in remus]
    print(f"| {w} | {arch} | " + " | ".join(cells + ratios + nat) + " |")
print()
for (arch, m, q), v in sorted(geo.items()):
    g = math.exp(sum(map(math.log, v)) / len(v))
    print(f"- geometric mean {m}/{q} on {arch}: {g:.2f} over {len(v)} workloads")

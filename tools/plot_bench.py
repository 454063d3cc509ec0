#!/usr/bin/env python3
"""Draw docs/bench.svg from the relocation benchmark's JSON output.

    build-bench/bench/bench_relocate --benchmark_out=bench.json --benchmark_out_format=json
    tools/plot_bench.py bench.json docs/bench.svg

A horizontal bar chart, log scale, of nanoseconds per relocation on the large workload
(~50,000 relocations): extload (static arena and fresh mmap; -mcmodel=large and -fPIE objects),
glibc dlopen(RTLD_NOW) of the same code as a non-PIC and a PIC shared object, and the raw bound,
all from the same run; the other architectures (relocated on the host) when present; and Zephyr
LLEXT's ~1,840 ns/relocation, which was measured separately (docs/PERF.md) and is drawn hatched
and labelled as such. Uses the median of repetitions when the JSON has them. Standard library
only (matplotlib is not available here): the SVG is written by hand.
"""
import json
import math
import sys
from xml.sax.saxutils import escape

LLEXT_NS = 1840.0  # docs/PERF.md: Zephyr LLEXT as shipped, large object, export lookup by name

BARS = [  # (benchmark run name, label, colour)
    ("bm_load_arena/large_abs64", "extload, static arena (-mcmodel=large)", "#1b7837"),
    ("bm_load_mmap/large_abs64", "extload, fresh mmap (-mcmodel=large)", "#5aae61"),
    ("bm_load_arena/large_pie", "extload, static arena (-fPIE)", "#1b7837"),
    ("bm_load_mmap/large_pie", "extload, fresh mmap (-fPIE)", "#5aae61"),
    ("bm_load_mmap/large_nopic", "extload, fresh mmap (small model -fno-pic)", "#5aae61"),
    ("bm_prelink/large_arm", "extload, Cortex-M4 Thumb object (prelink, host)", "#a6dba0"),
    ("bm_prelink/large_aarch64", "extload, AArch64 object (prelink, host)", "#a6dba0"),
    ("bm_prelink/large_riscv64", "extload, RV64 object (prelink, host)", "#a6dba0"),
    ("bm_dlopen/large_nopic_so", "glibc dlopen RTLD_NOW, non-PIC .so", "#2166ac"),
    ("bm_dlopen/large_pic_so", "glibc dlopen RTLD_NOW, PIC .so (per reloc of the .o)", "#67a9cf"),
    ("bm_raw_bound/large_abs64", "raw bound: memcpy + 8-byte RMW per relocation", "#777777"),
]


def results(path):
    """run name -> (ns per relocation, relocations), preferring the median aggregate."""
    with open(path) as fh:
        data = json.load(fh)
    out, is_median = {}, {}
    context = dict(data.get("context", {}))
    for b in data.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        median = b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median"
        if b.get("run_type") == "aggregate" and not median:
            continue
        if name in out and is_median[name] and not median:
            continue
        if "s_per_reloc" not in b:
            continue
        out[name] = (b["s_per_reloc"] * 1e9, b.get("relocations", 0))
        is_median[name] = median
        if median:
            context["repetitions"] = b.get("repetitions", 0)
    return out, context


def svg(rows, context):
    width, left, right, top, row_h = 900, 360, 110, 78, 26
    plot_w = width - left - right
    height = top + row_h * len(rows) + 60
    lo = 10 ** math.floor(math.log10(min(v for _, v, _, _ in rows) * 0.9))
    hi = 10 ** math.ceil(math.log10(max(v for _, v, _, _ in rows) * 1.1))

    def x(v):
        return left + plot_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    relocs = next((r for n, _, _, r in rows if r), 0)
    title = f"Relocation cost on the large workload ({relocs:,.0f} relocations): ns per relocation, log scale"
    reps = context.get("repetitions")
    how = f"medians of {reps} repetitions, CPU time per load" if reps else "CPU time per load"
    sub = (f"extload, dlopen and the raw bound from one run of bench_relocate ({how})"
           f"; {context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, {context.get('date', '')[:10]}")
    p = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
         '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
         '<rect width="6" height="6" fill="#fbe3d6"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d6604d" stroke-width="3"/>'
         '</pattern></defs>',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
         f'<text x="{width / 2}" y="42" text-anchor="middle" fill="#444">{escape(sub)}</text>']
    # Decade grid lines and labels.
    d = lo
    while d <= hi * 1.0001:
        gx = x(d)
        p.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{top + row_h * len(rows)}" stroke="#ddd"/>')
        label = f"{d:g} ns" if d < 1000 else f"{d / 1000:g} \u00b5s"
        p.append(f'<text x="{gx:.1f}" y="{top - 12}" text-anchor="middle" fill="#666">{escape(label)}</text>')
        d *= 10
    for i, (label, v, colour, _) in enumerate(rows):
        y = top + i * row_h
        fill = "url(#hatch)" if colour == "hatch" else colour
        stroke = ' stroke="#d6604d"' if colour == "hatch" else ""
        p.append(f'<text x="{left - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">{escape(label)}</text>')
        p.append(f'<rect x="{left}" y="{y + 4}" width="{max(x(v) - left, 1):.1f}" height="{row_h - 8}" fill="{fill}"{stroke}/>')
        value = f"{v:,.0f} ns" if v >= 100 else f"{v:.2f} ns"
        p.append(f'<text x="{x(v) + 6:.1f}" y="{y + row_h / 2 + 4:.1f}">{escape(value)}</text>')
    note_y = top + row_h * len(rows) + 24
    p.append(f'<text x="20" y="{note_y}" fill="#444">Hatched: Zephyr LLEXT, measured separately on this kind of machine '
             '(docs/PERF.md), not in this run.</text>')
    p.append(f'<text x="20" y="{note_y + 18}" fill="#444">Lower is better. Instructions per relocation: '
             'tools/callgrind.sh.</text>')
    p.append("</svg>")
    return "\n".join(p) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    res, context = results(sys.argv[1])
    rows = [(label, res[name][0], colour, res[name][1]) for name, label, colour in BARS if name in res]
    if not rows:
        sys.exit(f"{sys.argv[1]}: no benchmark with an s_per_reloc counter")
    rows.append(("Zephyr LLEXT (measured separately, PERF.md)", LLEXT_NS, "hatch", 0))
    with open(sys.argv[2], "w") as fh:
        fh.write(svg(rows, context))
    print(f"wrote {sys.argv[2]} ({len(rows)} bars)")


if __name__ == "__main__":
    main()

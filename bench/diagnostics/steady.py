# Runs with --produce-warmup-records (49, 51): per round, each target's produce MB/s over direct's (apart), from the
# steady-state line and from the whole-run line of the same runs; median, IQR and the distribution-free 95 % interval
# of the median (as PooledRuns). Usage: steady.py RUNDIR...
import re, sys, glob, statistics as st
from math import comb
SUM = re.compile(r'^(\d+)( steady state)? records sent, [\d.]+ records/sec \(([\d.]+) MB/sec\).*50th', re.M)
def figures(path):
    out = {}
    for m in SUM.finditer(open(path).read()):
        out['steady' if m.group(2) else 'whole'] = float(m.group(3))
    return out
def interval(xs):
    n = len(xs); s = sorted(xs); best = None
    for k in range(1, n // 2 + 1):  # order statistics k and n+1-k
        cover = 1 - 2 * sum(comb(n, i) for i in range(k)) / 2 ** n
        if cover >= 0.95: best = (s[k - 1], s[n - k], cover)
    return best
dirs = sys.argv[1:]
per = {}
for d, f in [(d, f) for d in dirs for f in sorted(glob.glob(f"{d}/r*-produce-apart-direct.log"), key=lambda p: int(re.search(r"/r(\d+)-", p).group(1)))]:
    r = re.search(r'/r(\d+)-', f).group(1); base = figures(f)
    for g in glob.glob(f'{d}/r{r}-produce-apart-*.log'):
        t = re.search(r'-produce-apart-(.*)\.log', g).group(1)
        if t == 'direct': continue
        x = figures(g)
        for kind in ('steady', 'whole'):
            if kind in x and kind in base:
                per.setdefault((t, kind), []).append(x[kind] / base[kind])
for (t, kind), v in sorted(per.items()):
    q = st.quantiles(v, n=4) if len(v) > 1 else [v[0]] * 3
    iv = interval(v)
    ivs = f'{iv[0]:.3f}-{iv[1]:.3f} ({iv[2]*100:.1f} %)' if iv else 'none'
    print(f'{t:18s} {kind:6s} n={len(v):2d} median {st.median(v):.3f} IQR {q[0]:.3f}-{q[2]:.3f} (width {q[2]-q[0]:.3f}) interval {ivs}  rounds {" ".join(f"{x:.2f}" for x in v)}')

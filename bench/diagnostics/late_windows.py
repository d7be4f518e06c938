# Per target: the mean MB/s of each produce run's 5-s interim windows from index K on (0-based), over direct's in the
# same round (apart), median over the rounds. Usage: late_windows.py RUNDIR K
import re, sys, glob, statistics as st
d, K = sys.argv[1], int(sys.argv[2])
def wins(p):
    return [float(m.group(1)) for m in re.finditer(r'^\d+ records sent, [\d.]+ records/sec \(([\d.]+) MB/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency\.$', open(p).read(), re.M)]
rounds = sorted({int(re.search(r'/r(\d+)-', f).group(1)) for f in glob.glob(f'{d}/r*-produce-apart-direct.log')})
targets = sorted({re.search(r'-produce-apart-(.*)\.log', f).group(1) for f in glob.glob(f'{d}/r*-produce-apart-*.log')} - {'direct'})
for t in targets:
    rs = []
    for r in rounds:
        try:
            a = wins(f'{d}/r{r}-produce-apart-direct.log')[K:]; b = wins(f'{d}/r{r}-produce-apart-{t}.log')[K:]
        except FileNotFoundError:
            continue
        if a and b: rs.append(st.mean(b) / st.mean(a))
    print(f'{t:16s} windows {K}+: paired median {st.median(rs):.3f} mean {st.mean(rs):.3f} n={len(rs)}  ' + ' '.join(f'{x:.2f}' for x in rs))

# Per produce run: each CPU's busy / idle share from SKIP seconds after the run's start to its end (the producer at full
# speed), from the C lines. Usage: late.py RUN [SKIP=15] (RUN.out, RUN.samples)
import sys
from windows import produce_windows, closest
run = sys.argv[1]; skip = float(sys.argv[2]) if len(sys.argv) > 2 else 15
C = []
for line in open(run + '.samples'):
    if line.startswith('C '):
        p = line.split(); C.append((float(p[1]), [list(map(int, x.split(','))) for x in p[2:4]]))
if not C: sys.exit('no C lines')
print('%-2s %-6s %-16s %6s | from +%.0f s: cpu0 busy idle (usr sys sirq) | cpu1 busy idle' % ('r', 'shape', 'target', 'MB/s', skip))
for r, shape, target, mbs, t0, t1 in produce_windows(run + '.out', C[0][0]):
    a, b = closest(C, t0 + skip), closest(C, t1)
    if b[0] - a[0] < 5:
        continue
    cells = []
    for c in range(2):
        d = [b[1][c][i] - a[1][c][i] for i in range(8)]
        total = sum(d) or 1
        share = lambda *i: 100.0 * sum(d[k] for k in i) / total
        cells.append('%5.1f %5.1f (%4.1f %4.1f %4.1f)' % (100 - share(3, 4), share(3, 4), share(0, 1), share(2), share(6)))
    print('%-2s %-6s %-16s %6.1f | %s | %s' % (r, shape, target, mbs, cells[0], cells[1]))

# Per apart produce run: per CPU, ms per produced MiB of user/system/softirq/steal/idle, and IPIs (RES, CAL) and
# NET_RX softirqs per MiB. Usage: cpus.py RUN (RUN.out, RUN.samples with C lines)
import sys
from windows import produce_windows, closest
run = sys.argv[1]
C = []
for line in open(run + '.samples'):
    if line.startswith('C '):
        p = line.split(); t = float(p[1]); cpus = [list(map(int, x.split(','))) for x in p[2:4]]
        irq = {k: list(map(int, v.split(','))) for k, v in (x.split('=') for x in p[4:])}
        C.append((t, cpus, irq))
if not C: sys.exit('no C lines')
print('%-2s %-6s %-16s %6s | cpu0 ms/MiB usr sys sirq steal idle | cpu1 usr sys sirq steal idle | per MiB RES0 RES1 CAL0 CAL1 NETRX0 NETRX1' % ('r','shape','target','MB/s'))
mib = 200000 * 1024 / 1048576  # the default --produce-records of 1 KiB
for r, shape, target, mbs, t0, t1 in produce_windows(run + '.out', C[0][0]):
    if shape != 'apart':
        continue
    a, b = closest(C, t0), closest(C, t1)
    cells = []
    for c in range(2):
        d = [(b[1][c][i] - a[1][c][i]) * 10 / mib for i in range(8)]  # ticks of 10 ms
        cells.append('%5.1f %5.1f %5.1f %5.1f %5.1f' % (d[0] + d[1], d[2], d[6], d[7], d[3]))
    irq = ' '.join('%5.0f' % ((b[2][key][c] - a[2][key][c]) / mib) for key in ('RES', 'CAL', 'NET_RX') for c in range(2))
    print('%-2s %-6s %-16s %6.1f | %s | %s | %s' % (r, shape, target, mbs, cells[0], cells[1], irq))

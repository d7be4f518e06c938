# Per apart produce run: per CPU, ms per produced MiB of user/system/softirq/steal/idle, and IPIs (RES, CAL) and
# NET_RX softirqs per MiB. Usage: cpus.py RUN (RUN.out, RUN.samples with C lines)
import re, sys, datetime, os
run = sys.argv[1]
C = []
for line in open(run + '.samples'):
    if line.startswith('C '):
        p = line.split(); t = float(p[1]); cpus = [list(map(int, x.split(','))) for x in p[2:4]]
        irq = {k: list(map(int, v.split(','))) for k, v in (x.split('=') for x in p[4:])}
        C.append((t, cpus, irq))
if not C: sys.exit('no C lines')
day = datetime.datetime.fromtimestamp(C[0][0], datetime.timezone.utc).date()
def ts(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp()
def at(t): return min(C, key=lambda x: abs(x[0] - t))
prev = None
print('%-2s %-6s %-16s %6s | cpu0 ms/MiB usr sys sirq steal idle | cpu1 usr sys sirq steal idle | per MiB RES0 RES1 CAL0 CAL1 NETRX0 NETRX1' % ('r','shape','target','MB/s'))
for line in open(run + '.out'):
    m = re.match(r'bench (\d\d:\d\d:\d\d) (.*)', line)
    if not m: continue
    t = ts(m.group(1))
    k = re.match(r'round (\d+) produce \((apart|shared)\) (\S+)\s+([\d.]+) MB/s', m.group(2))
    if k and prev is not None and k.group(2) == 'apart':
        a, b = at(prev), at(t); mib = 200000 * 1024 / 1048576
        cells = []
        for c in range(2):
            d = [(b[1][c][i] - a[1][c][i]) * 10 / mib for i in range(8)]  # ticks of 10 ms
            cells.append('%5.1f %5.1f %5.1f %5.1f %5.1f' % (d[0] + d[1], d[2], d[6], d[7], d[3]))
        irq = ' '.join('%5.0f' % ((b[2][key][c] - a[2][key][c]) / mib) for key in ('RES', 'CAL', 'NET_RX') for c in range(2))
        print('%-2s %-6s %-16s %6.1f | %s | %s | %s' % (k.group(1), k.group(2), k.group(3), float(k.group(4)), cells[0], cells[1], irq))
    prev = t

# Per apart produce run: CPU ms per produced MiB of the brokers (harness JVM), the producer JVM, the gateway JVMs and
# kernel threads, from P lines. Usage: procs.py RUN (a process gone before the end of a run loses its last second: the tool JVMs are undercounted)
import re, sys, collections
from windows import produce_windows, closest
run = sys.argv[1]; P = []
harness = None
for line in open(run + '.samples'):
    if line.startswith('P '):
        p = line.split(); d = {}
        for x in p[2:]:
            pid, comm, ticks = x.rsplit(':', 2)[0].split(':', 1)[0], x.split(':', 1)[1].rsplit(':', 1)[0], int(x.rsplit(':', 1)[1])
            d[pid] = (comm, ticks)
        P.append((float(p[1]), d))
if not P: sys.exit('no P lines')
hpid = open(run + '.samples').readline().split()[1]
gw = dict(re.findall(r'gateway (\S+) \(pid (\d+)\)', open(run + '.out').read()))
roles = {hpid: 'brokers'}
roles.update({p: 'gateway-' + n for n, p in gw.items()})
print('r  shape  target            MB/s   (ms per MiB by process group)')
mib = 200000 * 1024 / 1048576  # the default --produce-records of 1 KiB
for r, shape, target, mbs, t0, t1 in produce_windows(run + '.out', P[0][0]):
    if shape != 'apart':
        continue
    a, b = closest(P, t0), closest(P, t1)
    g = collections.Counter()
    for pid, (comm, ticks) in b[1].items():
        d = (ticks - a[1].get(pid, (comm, 0))[1]) * 10 / mib
        if d <= 0:
            continue
        key = roles.get(pid) or ('tool-jvm' if comm == 'java' else 'kworker' if comm.startswith('kworker') else comm)
        g[key] += d
    print('%-2s %-6s %-16s %5.1f  %s' % (r, shape, target, mbs, ', '.join('%s %.1f' % (c, v) for c, v in g.most_common(7))))

# Per apart produce run: CPU ms per produced MiB of the brokers (harness JVM), the producer JVM, the gateway JVMs and
# kernel threads, from P lines. Usage: procs.py RUN (a process gone before the end of a run loses its last second: the tool JVMs are undercounted)
import re, sys, datetime, collections
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
day = datetime.datetime.fromtimestamp(P[0][0], datetime.timezone.utc).date()
def ts(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp()
def at(t): return min(P, key=lambda x: abs(x[0] - t))
hpid = open(run + '.samples').readline().split()[1]
gw = dict(re.findall(r'gateway (\S+) \(pid (\d+)\)', open(run + '.out').read()))
roles = {hpid: 'brokers'}
roles.update({p: 'gateway-' + n for n, p in gw.items()})
prev = None
print('r  shape  target            MB/s   (ms per MiB by process group)')
for line in open(run + '.out'):
    m = re.match(r'bench (\d\d:\d\d:\d\d) (.*)', line)
    if not m: continue
    t = ts(m.group(1))
    k = re.match(r'round (\d+) produce \((apart|shared)\) (\S+)\s+([\d.]+) MB/s', m.group(2))
    if k and prev is not None and k.group(2) == 'apart':
        a, b = at(prev), at(t); mib = 200000 * 1024 / 1048576
        g = collections.Counter()
        for pid, (comm, ticks) in b[1].items():
            d = (ticks - a[1].get(pid, (comm, 0))[1]) * 10 / mib
            if d <= 0: continue
            key = roles.get(pid) or ('tool-jvm' if comm == 'java' else 'kworker' if comm.startswith('kworker') else comm)
            g[key] += d
        top = ', '.join('%s %.1f' % (c, v) for c, v in g.most_common(7))
        print('%-2s %-6s %-16s %5.1f  %s' % (k.group(1), k.group(2), k.group(3), float(k.group(4)), top))
    prev = t

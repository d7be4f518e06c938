# Per produce run (bench.out result lines), per thread group of the brokers' JVM: CPU ms, voluntary and involuntary
# context switches per produced MiB. Usage: threads.py RUN (RUN.out, RUN.samples, RUN/rN-produce-*.log)
import re, sys, collections, os
from windows import produce_windows, closest
run = sys.argv[1]
names, S = {}, []
for line in open(run + '.samples'):
    if line.startswith('N '):
        _, tid, name = line.rstrip('\n').split(' ', 2); names[int(tid)] = name
    elif line.startswith('S '):
        p = line.split(); d = {}
        for r in p[2:]:
            tid, ticks, v, nv = map(int, r.split(':')); d[tid] = (ticks, v, nv)
        S.append((float(p[1]), d))
def group(tid):
    n = names.get(tid, '?')
    for pat, g in [(r'network-thread-\d+-(\w+)-', None), (r'request-handler', 'handlers'), (r'ReplicaFetcher', 'fetchers'),
                   (r'^Z', 'gc'), (r'Compiler', 'jit'), (r'ExpirationReaper-\d+-(Produce|Fetch)', None)]:
        m = re.search(pat, n)
        if m: return g or ('net-' + m.group(1) if 'network' in pat else 'reaper-' + m.group(1))
    return 'other'
rows = []
for r, shape, target, mbs, t0, t1 in produce_windows(run + '.out', S[0][0]):
    a, b = closest(S, t0)[1], closest(S, t1)[1]
    log = open(os.path.join(run, 'r%s-produce-%s-%s.log' % (r, shape, target))).read()
    recs = int(re.findall(r'(\d+) records sent', log)[-1]); mib = recs * 1024 / 1048576
    g = collections.defaultdict(lambda: [0, 0, 0])
    for tid, (ticks, v, nv) in b.items():
        t_0 = a.get(tid, (0, 0, 0))
        acc = g[group(tid)]; acc[0] += (ticks - t_0[0]) * 10; acc[1] += v - t_0[1]; acc[2] += nv - t_0[2]
    rows.append((r, shape, target, mbs, mib, g))
groups = ['net-INTERNAL', 'net-EXTERNAL', 'handlers', 'fetchers', 'reaper-Produce', 'reaper-Fetch', 'gc', 'jit', 'other']
print('CPU ms/MiB (voluntary cs/MiB, involuntary cs/MiB)')
print('%-2s %-6s %-16s %6s %7s ' % ('r', 'shape', 'target', 'MB/s', 'total') + ' '.join('%20s' % x for x in groups))
for r, shape, target, mbs, mib, g in rows:
    tot = sum(v[0] for v in g.values())
    print('%-2s %-6s %-16s %6.1f %7.1f ' % (r, shape, target, mbs, tot / mib) + ' '.join(
        '%20s' % ('%.1f (%.0f,%.0f)' % (g[x][0] / mib, g[x][1] / mib, g[x][2] / mib)) for x in groups))

# Per produce run (bench.out result lines), per thread group of the brokers' JVM: CPU ms, voluntary and involuntary
# context switches per produced MiB. Usage: threads.py RUN (RUN.out, RUN.samples, RUN/rN-produce-*.log)
import re, sys, datetime, collections, glob, os
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
day = datetime.datetime.fromtimestamp(S[0][0], datetime.timezone.utc).date()
def ts(hms):
    h, m, s = map(int, hms.split(':'))
    return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp()
def at(t): return min(S, key=lambda x: abs(x[0] - t))[1]
rows, prev = [], None
for line in open(run + '.out'):
    m = re.match(r'bench (\d\d:\d\d:\d\d) (.*)', line)
    if not m: continue
    t = ts(m.group(1))
    k = re.match(r'round (\d+) produce \((apart|shared)\) (\S+)\s+([\d.]+) MB/s', m.group(2))
    if k and prev is not None:
        a, b = at(prev), at(t)
        log = open(os.path.join(run, 'r%s-produce-%s-%s.log' % (k.group(1), k.group(2), k.group(3)))).read()
        recs = int(re.findall(r'(\d+) records sent', log)[-1]); mib = recs * 1024 / 1048576
        g = collections.defaultdict(lambda: [0, 0, 0])
        for tid, (ticks, v, nv) in b.items():
            t0 = a.get(tid, (0, 0, 0))
            acc = g[group(tid)]; acc[0] += (ticks - t0[0]) * 10; acc[1] += v - t0[1]; acc[2] += nv - t0[2]
        rows.append((k.group(1), k.group(2), k.group(3), float(k.group(4)), mib, g))
    prev = t
groups = ['net-INTERNAL', 'net-EXTERNAL', 'handlers', 'fetchers', 'reaper-Produce', 'reaper-Fetch', 'gc', 'jit', 'other']
print('CPU ms/MiB (voluntary cs/MiB, involuntary cs/MiB)')
print('%-2s %-6s %-16s %6s %7s ' % ('r', 'shape', 'target', 'MB/s', 'total') + ' '.join('%20s' % x for x in groups))
for r, shape, target, mbs, mib, g in rows:
    tot = sum(v[0] for v in g.values())
    print('%-2s %-6s %-16s %6.1f %7.1f ' % (r, shape, target, mbs, tot / mib) + ' '.join(
        '%20s' % ('%.1f (%.0f,%.0f)' % (g[x][0] / mib, g[x][1] / mib, g[x][2] / mib)) for x in groups))

# Producer metrics (--print-metrics) per apart produce run, per target: records/request, batch size, request latency,
# request rate, record queue time. Usage: metrics.py RUN_DIR...
import re, sys, glob, os, collections, statistics
keys = ['records-per-request-avg', 'batch-size-avg', 'request-latency-avg', 'request-rate', 'record-queue-time-avg',
        'io-wait-ratio', 'select-rate', 'outgoing-byte-rate']
rows = collections.defaultdict(list)
for d in sys.argv[1:]:
    for f in sorted(glob.glob(os.path.join(d, 'r*-produce-apart-*.log'))):
        m = re.match(r'r(\d+)-produce-apart-(.+)\.log', os.path.basename(f)); text = open(f).read()
        v = {}
        for k in keys:
            mm = re.search(r'^producer-metrics:%s:\{[^}]*\}\s*:\s*([\d.E+-]+)' % re.escape(k), text, re.M)
            if mm: v[k] = float(mm.group(1))
        # The tool prints a line like this every few seconds; the last one is the whole run's summary.
        s = re.findall(r'(\d+) records sent, [\d.]+ records/sec \(([\d.]+) MB/sec\)', text)
        if v and s: rows[m.group(2)].append((d[-22:], m.group(1), float(s[-1][1]), v))
print('%-16s %-22s %2s %6s ' % ('target', 'run', 'r', 'MB/s') + ' '.join('%12s' % k[:12] for k in keys))
for t, lst in rows.items():
    for run, r, mbs, v in lst:
        print('%-16s %-22s %2s %6.1f ' % (t, run, r, mbs) + ' '.join('%12.2f' % v.get(k, float('nan')) for k in keys))

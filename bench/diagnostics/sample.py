# Samples one JVM (the bench harness: the brokers) every second while a bench run goes on: each thread's CPU ticks and
# context switches (S lines; names from jcmd Thread.print, N lines), per-CPU /proc/stat, IPIs and network softirqs
# (C lines) and every process's CPU ticks (P lines). Usage: sample.py PID OUT (run-sampled.sh starts it).
import os, sys, time, subprocess, re
pid = sys.argv[1]; out = open(sys.argv[2], 'w'); names = {}
out.write('H %s\n' % pid)
last_names = 0
while os.path.exists('/proc/%s' % pid):
    t = time.time()
    if t - last_names > 300:
        try:
            dump = subprocess.run(['jcmd', pid, 'Thread.print'], capture_output=True, text=True, timeout=20).stdout
            for m in re.finditer(r'^"([^"]+)".*?nid=(0x[0-9a-f]+|\d+)', dump, re.M):
                nid = m.group(2); tid = int(nid, 16) if nid.startswith('0x') else int(nid)
                if names.get(tid) != m.group(1):
                    names[tid] = m.group(1); out.write('N %d %s\n' % (tid, m.group(1)))
        except Exception as e:
            out.write('E %s\n' % e)
        last_names = t
    rows = []
    try:
        for tid in os.listdir('/proc/%s/task' % pid):
            try:
                st = open('/proc/%s/task/%s/stat' % (pid, tid)).read()
                f = st[st.rindex(')') + 2:].split()
                ticks = int(f[11]) + int(f[12])
                sv = open('/proc/%s/task/%s/status' % (pid, tid)).read()
                v = int(re.search(r'^voluntary_ctxt_switches:\s+(\d+)', sv, re.M).group(1))
                nv = int(re.search(r'^nonvoluntary_ctxt_switches:\s+(\d+)', sv, re.M).group(1))
                rows.append('%s:%d:%d:%d' % (tid, ticks, v, nv))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
    except FileNotFoundError:
        break
    out.write('S %.3f %s\n' % (t, ' '.join(rows)))
    # Per CPU: /proc/stat times (user nice system idle iowait irq softirq steal), IPIs, network softirqs.
    cpu = [l.split() for l in open('/proc/stat') if re.match(r'cpu\d', l)]
    irq = {}
    for l in open('/proc/interrupts'):
        f = l.split()
        if f and f[0] in ('RES:', 'CAL:', 'TLB:', 'LOC:'):
            irq[f[0][:-1]] = f[1:3]
    for l in open('/proc/softirqs'):
        f = l.split()
        if f and f[0] in ('NET_RX:', 'NET_TX:', 'SCHED:', 'TIMER:'):
            irq[f[0][:-1]] = f[1:3]
    procs = []
    for q in os.listdir('/proc'):
        if not q.isdigit():
            continue
        try:
            st = open('/proc/%s/stat' % q).read()
            comm = st[st.index('(') + 1:st.rindex(')')].replace(' ', '_')
            f = st[st.rindex(')') + 2:].split()
            ticks = int(f[11]) + int(f[12])
            if ticks > 0:
                procs.append('%s:%s:%d' % (q, comm, ticks))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    out.write('P %.3f %s\n' % (t, ' '.join(procs)))
    out.write('C %.3f %s %s\n' % (t, ' '.join(','.join(c[1:9]) for c in cpu),
                                   ' '.join('%s=%s' % (k, ','.join(v)) for k, v in irq.items())))
    out.flush()
    time.sleep(max(0.05, 1.0 - (time.time() - t)))

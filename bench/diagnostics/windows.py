# The produce runs of a bench run as time windows: bench run.out's lines "bench HH:MM:SS round N produce (SHAPE)
# TARGET X MB/s" (no "(SHAPE)" when a run measures one shape: reported as "only") end a run, the line before it (a
# settle line) starts it. Shared by threads.py, cpus.py and procs.py.
import datetime, re


def produce_windows(out_path, first_epoch):
    """(round, shape, target, MB/s, start, end) per produce run, times as epoch seconds (UTC, the day of first_epoch)."""
    day = datetime.datetime.fromtimestamp(first_epoch, datetime.timezone.utc).date()

    def epoch(hms):
        h, m, s = map(int, hms.split(':'))
        return datetime.datetime(day.year, day.month, day.day, h, m, s, tzinfo=datetime.timezone.utc).timestamp()

    prev = None
    for line in open(out_path):
        m = re.match(r'bench (\d\d:\d\d:\d\d) (.*)', line)
        if not m:
            continue
        t = epoch(m.group(1))
        k = re.match(r'round (\d+) produce(?: \((apart|shared)\))? (\S+)\s+([\d.]+) MB/s', m.group(2))
        if k and prev is not None:
            yield k.group(1), k.group(2) or 'only', k.group(3), float(k.group(4)), prev, t
        prev = t


def closest(samples, t):
    """The sample (a tuple starting with its epoch time) taken nearest to t."""
    return min(samples, key=lambda x: abs(x[0] - t))

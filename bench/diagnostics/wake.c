// Cost on the waker's CPU of waking a reader blocked on a socket: the writer (pinned to CPU W) writes 1 KiB to a
// loopback-like socketpair every GAP µs (spinning between writes); the reader (pinned to CPU R) blocks in read().
// Prints the median and mean wall time of the write() call. R == W: a local wake-up; R != W: the reader's CPU is idle.
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static void pin(int cpu) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); sched_setaffinity(0, sizeof s, &s); }
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    int w = atoi(argv[1]), r = atoi(argv[2]), n = atoi(argv[3]), gap = atoi(argv[4]);
    int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    if (fork() == 0) { close(sv[0]); pin(r); char b[65536]; while (read(sv[1], b, sizeof b) > 0) {} _exit(0); }
    pin(w); char buf[1024]; memset(buf, 1, sizeof buf); double *t = malloc(n * sizeof *t);
    usleep(100000);
    for (int i = 0; i < n; i++) {
        double a = now(); write(sv[0], buf, sizeof buf); t[i] = now() - a;
        if (r == w) usleep(gap); else { double until = now() + gap; while (now() < until) {} }
    }
    close(sv[0]); wait(NULL);
    double sum = 0; for (int i = 0; i < n; i++) sum += t[i];
    qsort(t, n, sizeof *t, cmp);
    printf("writer CPU %d reader CPU %d: write() median %.2f us mean %.2f us p90 %.2f us\n", w, r, t[n / 2], sum / n, t[n * 9 / 10]);
    return 0;
}

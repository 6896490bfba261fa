"""What the server under a load run (benchmarks/load.py) uses, read from
/proc: its memory, and where the machine's CPU goes meanwhile: the server (a
gunicorn master and its workers), the load generator (the driver's children
that were waited for: locust), and every other process."""
import os
import pathlib
import re
import resource
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_pids(master):
    children = pathlib.Path(f"/proc/{master}/task/{master}/children")
    return [master] + ([int(pid) for pid in children.read_text().split()] if children.exists() else [])


def server_rss_mb(master):
    """Resident memory of gunicorn's master and workers now, in MB."""
    total = 0
    for pid in server_pids(master):
        status = pathlib.Path(f"/proc/{pid}/status")
        if status.exists():
            total += int(re.search(r"VmRSS:\s+(\d+)", status.read_text()).group(1))
    return total / 1024


def server_cpu_seconds(master):
    """CPU seconds gunicorn's master and workers have used so far, replaced
    workers included (their time is added to the master's once reaped)."""
    def times(pid, *, with_children=False):
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return 0
        # utime, stime, cutime, cstime are fields 14-17 of stat(5).
        return sum(int(value) for value in fields[11:15 if with_children else 13])

    workers = server_pids(master)[1:]
    return (times(master, with_children=True) + sum(times(pid) for pid in workers)) / CLOCK_TICKS


def machine_busy_seconds():
    """(CPU seconds all cores spent busy, seconds spent idle) since boot."""
    values = [int(value) for value in pathlib.Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS, idle / CLOCK_TICKS


class CpuShares:
    """Where the machine's CPU went while locust ran: the server, locust
    itself (this process's waited-for children), and everything else
    (other work on a shared machine)."""

    def __init__(self, master):
        self.master = master

    def __enter__(self):
        self.started = time.monotonic()
        self.server_start = server_cpu_seconds(self.master)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.locust_start = usage.ru_utime + usage.ru_stime
        self.machine_start = machine_busy_seconds()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.started
        self.server_cpu = server_cpu_seconds(self.master) - self.server_start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.locust_cpu = usage.ru_utime + usage.ru_stime - self.locust_start
        busy, idle = (end - start for end, start in zip(machine_busy_seconds(), self.machine_start))
        self.machine_cpu, self.idle_cpu = busy, idle

    def describe(self, requests):
        cores = os.cpu_count()
        other = max(0.0, self.machine_cpu - self.server_cpu - self.locust_cpu)
        per_request = self.server_cpu / requests * 1000 if requests else 0
        seconds = self.seconds
        return (f"  CPU while locust ran ({seconds:.0f} s, {cores} cores): server {self.server_cpu / seconds:.2f} "
                f"cores ({per_request:.1f} ms a request), locust {self.locust_cpu / seconds:.2f}, "
                f"other processes {other / seconds:.2f}, idle {self.idle_cpu / seconds:.2f}")

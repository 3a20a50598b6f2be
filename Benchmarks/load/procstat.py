"""CPU time and RSS of a process, its descendants and its process group, from /proc.

The group matters: MLflow's CLI starts gunicorn, whose workers stay in the group the script made
with setsid even when their parent is not the process started.

    procstat.py cpu PID   -> CPU seconds (user + system) of PID and its descendants
    procstat.py rss PID   -> resident set size in KiB of PID and its descendants, then the part
                             of it that is anonymous memory (heap, stacks; the rest is mapped
                             files: the binary, its libraries, and for Python its modules), then
                             the sum of each process's peak resident set (VmHWM)
    procstat.py ctx PID   -> context switches (voluntary and not) of every thread of PID and its
                             descendants: each wake-up of a thread that waited is one
"""
import os
import sys


def children(pid):
    tree = {pid: []}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
        if int(fields[2]) == pid and int(entry) != pid:
            tree[pid].append(int(entry))
    return tree


def family(pid):
    tree, out, todo = children(pid), [], [pid]
    while todo:
        current = todo.pop()
        if current in out:
            continue
        out.append(current)
        todo.extend(tree.get(current, []))
    return out


def cpu(pid):
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in family(pid):
        try:
            with open(f"/proc/{member}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / ticks


def rss(pid):
    total = anon = peak = 0
    for member in family(pid):
        try:
            with open(f"/proc/{member}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                    elif line.startswith("RssAnon:"):
                        anon += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        peak += int(line.split()[1])
        except OSError:
            pass
    return f"{total} {anon} {peak}"


def ctx(pid):
    total = 0
    for member in family(pid):
        try:
            threads = os.listdir(f"/proc/{member}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                with open(f"/proc/{member}/task/{thread}/status") as f:
                    for line in f:
                        if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                            total += int(line.split()[1])
            except OSError:
                pass
    return total


if __name__ == "__main__":
    what, pid = sys.argv[1], int(sys.argv[2])
    print({"cpu": cpu, "rss": rss, "ctx": ctx}[what](pid))

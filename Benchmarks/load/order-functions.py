"""Finds the functions of a gateway-server binary that ran in a recorded run and appends the ones
the order file does not name yet, in the order they first ran (Benchmarks/load/order-file.sh).

usage: order-functions.py MAP SCRIPT ORDER BINARY-NAME
  MAP     lld's -Map output for the binary
  SCRIPT  `perf script -F time,event,addr,ip --show-mmap-events` of a run recording page-faults
          (with -d) and cpu-clock samples
Functions are found by their input section: with -function-sections each function has its own
`.text.<symbol>` section, and lld's --symbol-ordering-file moves a section by any of its symbols."""
import bisect, os, re, sys
map_path, script, order, name = sys.argv[1:5]
sections = []
output = None
for line in open(map_path):
    fields = line.split(None, 4)
    if len(fields) < 5:
        continue
    what = fields[4].strip()
    indent = len(line) - len(line.lstrip(" "))
    if ":(" not in what:
        if indent < 40 and what.startswith("."):
            output = what
        continue
    if output != ".text":
        continue
    section = what.rsplit(":(", 1)[1][:-1]
    symbol = None
    for prefix in (".text.unlikely.", ".text.hot.", ".text.startup.", ".text.exit.", ".text."):
        if section.startswith(prefix):
            symbol = section[len(prefix):]
            break
    sections.append((int(fields[0], 16), int(fields[2], 16), symbol))
sections.sort(key=lambda s: s[0])
starts = [s[0] for s in sections]
known = set(l.strip() for l in open(order)) if os.path.exists(order) else set()
mmap = re.compile(r"PERF_RECORD_MMAP2 .*\[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ (?:0x)?([0-9a-f]+) .*\]: (\S+) (\S+)")
base = None
found, seen = [], set()
faults = samples = unorderable = 0
for line in open(script):
    if "PERF_RECORD_MMAP" in line:
        m = mmap.search(line)
        if m and m.group(5).endswith("/" + name) and m.group(3) == "0" and base is None:
            base = int(m.group(1), 16)
        continue
    if base is None:
        continue
    fields = line.split()
    if "page-faults" in line:
        address, ip = int(fields[-2], 16), int(fields[-1], 16)
        if address != ip:
            continue
        faults += 1
        pc = address
    elif "cpu-clock" in line:
        pc = int(fields[-1], 16)
        samples += 1
    else:
        continue
    offset = pc - base
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0 or offset >= sections[i][0] + sections[i][1]:
        continue
    symbol = sections[i][2]
    if symbol is None:
        unorderable += 1
        continue
    if symbol in seen or symbol in known:
        continue
    seen.add(symbol)
    found.append(symbol)
with open(order, "a") as f:
    for symbol in found:
        f.write(symbol + "\n")
print(f"code faults {faults}, samples {samples}, in unorderable sections {unorderable}, "
      f"new functions {len(found)}, order now {len(known) + len(found)}")

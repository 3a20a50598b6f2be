"""Turns run.sh's raw results into the Markdown tables BENCHMARKS.md shows.

    report.py RESULTS_FILE
"""
import statistics
import sys
from collections import defaultdict

ORDER = ["direct", "floor", "gatewaykit", "litellm", "mlflow"]
NAMES = {
    "direct": "direct (nginx)",
    "floor": "SwiftNIO floor",
    "gatewaykit": "GatewayKit",
    "litellm": "LiteLLM proxy",
    "mlflow": "MLflow gateway",
}


def main(path):
    runs = defaultdict(list)
    rss, anon, peak, ttfe = {}, {}, {}, {}
    for line in open(path):
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "RSS":
            rss[fields[1]] = int(fields[2]) / 1024
            if len(fields) > 3:
                anon[fields[1]] = int(fields[3]) / 1024
            if len(fields) > 4:
                peak[fields[1]] = int(fields[4]) / 1024
        elif len(fields) > 1 and fields[1] == "TTFE":
            ttfe[fields[0]] = [int(x) for x in fields[2:6]]
        else:
            target, connections = fields[0], int(fields[1])
            requests, duration, p50, p99, status, sockets, timeouts = map(int, fields[4:11])
            cpu = float(fields[12]) - float(fields[11])
            switches = int(fields[14]) - int(fields[13]) if len(fields) > 14 else 0
            runs[(target, connections)].append((requests, duration, p50, p99, status, sockets + timeouts, cpu, switches))

    targets = [t for t in ORDER if any(k[0] == t for k in runs)]
    connections = sorted({k[1] for k in runs})
    summary = {}
    for key, samples in runs.items():
        requests = sum(s[0] for s in samples)
        seconds = sum(s[1] for s in samples) / 1e6
        summary[key] = {
            "rps": requests / seconds if seconds else 0,
            "p50": statistics.median(s[2] for s in samples) / 1000,
            "p99": statistics.median(s[3] for s in samples) / 1000,
            "non2xx": sum(s[4] for s in samples),
            "errors": sum(s[5] for s in samples),
            "cpu": 1000 * sum(s[6] for s in samples) / requests if requests else float("nan"),
            "ctx": sum(s[7] for s in samples) / requests if requests else float("nan"),
        }

    print(
        "| Target | Conns | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU ms/req | ctx switches/req "
        "| RSS MiB | of it anon MiB | peak RSS MiB | non-2xx | socket errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in connections:
        direct = summary.get(("direct", c))
        for t in targets:
            s = summary.get((t, c))
            if not s:
                continue
            added = lambda k: "—" if t == "direct" or not direct else f"{s[k] - direct[k]:.3f}"
            print(
                f"| {NAMES[t]} | {c} | {s['rps']:,.0f} | {s['p50']:.3f} | {s['p99']:.3f} | {added('p50')} | "
                f"{added('p99')} | {s['cpu']:.3f} | {s['ctx']:.1f} | {rss.get(t, 0):,.0f} | {anon.get(t, 0):,.0f} | {peak.get(t, 0):,.0f} | {s['non2xx']} | {s['errors']} |"
            )
    if ttfe:
        print()
        print("| Target | TTFE p50 ms | p90 ms | p99 ms | added p50 ms | failures |")
        print("|---|---:|---:|---:|---:|---:|")
        base = ttfe.get("direct")
        for t in targets:
            if t not in ttfe:
                continue
            p50, p90, p99, failures = ttfe[t]
            added = "—" if t == "direct" or not base else f"{(p50 - base[0]) / 1000:.3f}"
            print(f"| {NAMES[t]} | {p50 / 1000:.3f} | {p90 / 1000:.3f} | {p99 / 1000:.3f} | {added} | {failures} |")

    top = max(connections) if connections else None
    gk = summary.get(("gatewaykit", top))
    if gk:
        print()
        for peer in ("mlflow", "litellm"):
            other = summary.get((peer, top))
            if other and other["rps"]:
                print(
                    f"- GatewayKit vs {NAMES[peer]} at {top} connections: {gk['rps'] / other['rps']:.1f}x the "
                    f"requests/s, {other['cpu'] / gk['cpu']:.1f}x less CPU per request"
                    + (f", {rss[peer] / rss['gatewaykit']:.1f}x less RSS" if rss.get("gatewaykit") and peer in rss else "")
                )


main(sys.argv[1])

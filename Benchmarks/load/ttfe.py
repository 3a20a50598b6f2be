"""Time to first event of a streamed chat completion, over one keep-alive connection.

    ttfe.py HOST PORT PATH BODY_FILE AUTH COUNT

Sends COUNT streaming requests one after another and prints
TTFE <p50 µs> <p90 µs> <p99 µs> <failures>, where a request's time runs from sending it to
reading the first `data:` line; the rest of each stream is read to its end.
"""
import http.client
import sys
import time


def main():
    host, port, path, body_file, auth, count = sys.argv[1:7]
    body = open(body_file, "rb").read()
    headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
    if auth:
        headers["Authorization"] = auth
    samples, failures = [], 0
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    for _ in range(int(count)):
        try:
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            first = None
            while True:
                line = response.readline()
                if not line:
                    break
                if first is None and line.startswith(b"data:"):
                    first = time.perf_counter() - started
                    break
            response.read()
            if response.status != 200 or first is None:
                failures += 1
            else:
                samples.append(first)
        except (OSError, http.client.HTTPException):
            failures += 1
            connection.close()
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
    samples.sort()

    def percentile(p):
        return int(samples[min(len(samples) - 1, int(len(samples) * p))] * 1e6) if samples else -1

    print(f"TTFE {percentile(0.5)} {percentile(0.9)} {percentile(0.99)} {failures}")


main()

-- POSTs the JSON body in $WRK_BODY_FILE with $WRK_AUTH as the Authorization header (if set),
-- and prints one machine-readable line at the end:
-- RESULT <requests> <duration µs> <p50 µs> <p99 µs> <non-2xx/3xx> <socket errors> <timeouts>
local file = assert(io.open(os.getenv("WRK_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("WRK_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write, e.timeout))
end

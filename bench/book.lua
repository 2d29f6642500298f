-- Online bookings, each to a distinct free slot: BENCH_LIST names a file of
-- "slug<TAB>start<TAB>service" lines (slots the availability API offered).
-- Thread i of n takes slots i, i+n, i+2n, …; a thread that runs out stops,
-- so no slot is asked for twice. 201 is a booking; 409 a slot taken meanwhile.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local report = require("report")

function setup(thread) report.setup(thread) end

function init(args)
  codes = {}
  items = report.lines()
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  pos = id or 1
  n = 0
end

function request()
  local it = items[pos]
  if not it then
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  pos = pos + nthreads
  n = n + 1
  local body = string.format(
    '{"services":["%s"],"start":"%s","customer":{"name":"Bench Kundin %d-%d","email":"bench-%d-%d@example.test",' ..
    '"phone":null},"vehicle":{"plate":null,"vin":null,"mileage_km":null},"notes":"","language":"de"}',
    it[3], it[2], id, n, id, n)
  return wrk.format("POST", "/api/v1/public/dealers/" .. it[1] .. "/bookings",
                    {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body) report.count(status) end

function done(summary, latency, requests) report.done(summary, latency) end

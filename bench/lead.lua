-- Lead intake (POST /api/v1/leads) by the sales staff of several dealers:
-- BENCH_LIST names a file of "token<TAB>email of an existing customer" lines.
-- Every other lead comes from a new person (a customer is created), the
-- rest from a known one (matched by e-mail, the lead joins their timeline).
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local report = require("report")

function setup(thread) report.setup(thread) end

function init(args)
  codes = {}
  items = report.lines()
  pos = (id or 1) * 7919 % math.max(#items, 1)
  n = 0
  stamp = os.time()
end

local models = {"Nova", "Stella", "Orbit", "Stratus", "Nimbus"}

function request()
  pos = pos % #items + 1
  n = n + 1
  local it = items[pos]
  local email = it[2]
  if n % 2 == 0 or email == "" then email = string.format("lead-%d-%d-%d@example.test", stamp, id, n) end
  local body = string.format(
    '{"source":"brand-website","channel":"web","customer":{"first_name":"Zoë","last_name":"Lefèvre-%d",' ..
    '"email":"%s"},"vehicle_interest":{"condition":"new","make":"Aurora","model":"%s","year":2027},' ..
    '"message":"Bench lead %d"}', n, email, models[n % #models + 1], n)
  return wrk.format("POST", "/api/v1/leads",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. it[1]}, body)
end

function response(status, headers, body) report.count(status) end

function done(summary, latency, requests) report.done(summary, latency) end

-- GETs a list of paths in turn, each with its own Bearer token (or none):
-- BENCH_LIST names a file of "token<TAB>path" lines. Each thread starts at
-- its own place in the list, so threads do not send the same request together.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local report = require("report")

function setup(thread) report.setup(thread) end

function init(args)
  codes = {}
  items = report.lines()
  pos = (id or 1) * 7919 % math.max(#items, 1)
end

function request()
  pos = pos % #items + 1
  local it = items[pos]
  local headers = {}
  if it[1] ~= "" then headers["Authorization"] = "Bearer " .. it[1] end
  return wrk.format("GET", it[2], headers)
end

function response(status, headers, body) report.count(status) end

function done(summary, latency, requests) report.done(summary, latency) end

-- Shared by the wrk scripts: per-thread status counts and one machine-readable
-- summary line ("BENCH name=… rps=… p50_ms=… p99_ms=…") that network.sh parses.
local M = {}
local threads = {}
local next_id = 0

function M.setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  threads[#threads + 1] = thread
end

-- Reads the lines of the file named by BENCH_LIST into a table of tab-split fields.
function M.lines()
  local items = {}
  local path = os.getenv("BENCH_LIST")
  if path then
    for line in io.lines(path) do
      local fields = {}
      for f in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = f end
      items[#items + 1] = fields
    end
  end
  return items
end

function M.count(status)
  codes[status] = (codes[status] or 0) + 1
end

function M.done(summary, latency)
  local all = {}
  for _, t in ipairs(threads) do
    local c = t:get("codes")
    if c then
      for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
    end
  end
  local keys = {}
  for k in pairs(all) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. ":" .. all[k] end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH name=%s requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "socket_errors=%d statuses=%s\n",
    os.getenv("BENCH_NAME") or "?", summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end

return M

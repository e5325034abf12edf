-- wrk script for tests/bench/loadtest.py: counts every answer by status in each thread and,
-- when the run is done, prints one line of JSON (latency percentiles, statuses, socket errors)
-- so the driver reads numbers, not wrk's human-formatted text. wrk records no latency over its
-- --timeout (it counts a timeout instead), so the percentiles are of the answers within it.
-- Arguments after `--`: an optional ETag to send as If-None-Match (the revalidation run).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  if args[1] and args[1] ~= "" then
    wrk.headers["If-None-Match"] = args[1]
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local function pairs_json(counts)
  local parts = {}
  for code, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', code, n))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses") or {}) do
      counts[code] = (counts[code] or 0) + n
    end
  end
  local e = summary.errors
  io.write(string.format(
    'LOADTEST_JSON {"duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %.0f, "p99": %.0f, "max": %.0f}, "statuses": %s}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    pairs_json(counts)))
end

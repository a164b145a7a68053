-- wrk: print one JSON line with the figures run.py needs (wrk --latency has no p95),
-- and how many answers were 204 No Content (a poll whose fragment is still current).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  no_content = 0
end

function response(status, headers, body)
  if status == 204 then
    no_content = no_content + 1
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  local unchanged = 0
  for _, thread in ipairs(threads) do
    unchanged = unchanged + thread:get("no_content")
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "errors": %d, "no_content": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, errors, unchanged))
end

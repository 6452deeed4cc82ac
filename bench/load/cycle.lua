-- wrk script for the figure harness (dev.gavel.bench.figures): cycles over lines read once from a file.
-- CYCLE_METHOD=POST sends each line as a JSON body to CYCLE_PATH; GET requests each line as a path.
-- CYCLE_TOKEN (optional) is sent as a bearer token. Each wrk thread starts at its own offset so the
-- connections do not all send the same request at the same time.
local lines = {}
for line in io.lines(os.getenv("CYCLE_FILE")) do
  if #line > 0 then lines[#lines + 1] = line end
end
local method = os.getenv("CYCLE_METHOD") or "POST"
local path = os.getenv("CYCLE_PATH") or "/"
local token = os.getenv("CYCLE_TOKEN") or ""
local headers = {["Content-Type"] = "application/json"}
if #token > 0 then headers["Authorization"] = "Bearer " .. token end

local thread_count = 0
setup = function(thread)
  thread:set("offset", thread_count * 7919)
  thread_count = thread_count + 1
end

local n = 0
request = function()
  n = n + 1
  local line = lines[((offset or 0) + n) % #lines + 1]
  if method == "GET" then
    return wrk.format("GET", line, headers)
  end
  return wrk.format(method, path, headers, line)
end

done = function(summary, latency, requests)
  io.write(string.format("LOAD requests=%d non2xx=%d errors=%d p50_ms=%.3f p99_ms=%.3f rps=%.1f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end

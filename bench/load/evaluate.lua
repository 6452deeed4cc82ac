-- wrk script: POST /api/v1/evaluate with a rotating mix of requests over the demo repository.
-- The token comes from the GAVEL_TOKEN environment variable (set by scripts/load).
local token = os.getenv("GAVEL_TOKEN")
local scopes = {"acme.chat.support-bot.prod", "acme.chat.support-bot.dev", "acme.search", "globex", "acme.chat.new-agent.dev"}
local locations = {
  '{"name":"eu-west-1","country":"IE","continent":"EU"}',
  '{"name":"eu-central-1","country":"DE","continent":"EU"}',
  '{"name":"us-east-1","country":"US","continent":"NA"}',
}
local flavors = {'{"name":"c7i.large","type":"cpu"}', '{"name":"h100","type":"gpu"}'}
local bodies = {}
for i = 1, 60 do
  local s = scopes[(i % #scopes) + 1]
  local l = locations[(i % #locations) + 1]
  local f = flavors[(i % #flavors) + 1]
  local input = 500 + (i * 137) % 6000
  bodies[i] = string.format(
    '{"scope":"%s","resource":{"type":"model","name":"m%d"},"action":"invoke","location":%s,"flavor":%s,"tokens":{"input":%d,"output":%d}}',
    s, i, l, f, input, 100 + (i * 31) % 900)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/evaluate",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, bodies[(n % #bodies) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("LOAD requests=%d non2xx=%d errors=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end

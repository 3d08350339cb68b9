-- wrk script: the read mix of bench/run-api.
-- Arguments (after `--`): API token, lowest and highest patient id of the read corpus.
-- Random GETs, weighted 40/30/20/10: one patient, the patient's diagnosis records, a page
-- of 50 patients after an id, the patient's screening against every protocol.
-- done() prints one line: `RESULT mix=read requests=… seconds=… rps=… p50_ms=… p99_ms=… errors=…`
-- where errors counts non-200 responses and socket errors.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local token, lo, hi
bad = 0  -- per-thread global, read back in done()

function init(args)
  token = args[1]
  lo = tonumber(args[2])
  hi = tonumber(args[3])
  wrk.headers["Authorization"] = "Bearer " .. token
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

function request()
  local id = math.random(lo, hi)
  local r = math.random(100)
  local path
  if r <= 40 then
    path = "/api/v1/patients/" .. id
  elseif r <= 70 then
    path = "/api/v1/patients/" .. id .. "/records/diagnosis"
  elseif r <= 90 then
    path = "/api/v1/patients?limit=50&after=" .. id
  else
    path = "/api/v1/patients/" .. id .. "/screening"
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do
    wrong = wrong + (t:get("bad") or 0)
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT mix=read requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, wrong + socket, socket))
end

-- wrk script: the enrolment mix of bench/run-api.
-- Arguments (after `--`): API token, first patient id, number of patients, wrk threads (-t).
-- Each wrk thread enrols its own disjoint, consecutive block of the patients
-- [first, first + count) in two-arm with POST /api/v1/protocols/two-arm/enrolments
-- {"patient_id": id, "idempotency_key": "bench-<id>"}: every request is a new enrolment.
-- A thread that runs out of patients replays its last key (counted as `exhausted`).
-- done() prints one line:
--   RESULT mix=enrol requests=… seconds=… rps=… p50_ms=… p99_ms=… errors=… created=… …
-- where created counts 201 responses and errors every other response (by status in
-- `statuses`, with the first such body in `first_error`) plus socket errors.

local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

-- Per-thread state (globals of the thread's own Lua state, read back in done()).
created = 0
bad = 0
exhausted = 0
statuses = ""
first_error = ""
local status_counts = {}
local next_id, last_id

function init(args)
  local token = args[1]
  local first = tonumber(args[2])
  local count = tonumber(args[3])
  local nthreads = tonumber(args[4])
  local per = math.floor(count / nthreads)
  next_id = first + tid * per
  last_id = next_id + per - 1
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local id = next_id
  if id > last_id then
    id = last_id
    exhausted = exhausted + 1
  else
    next_id = next_id + 1
  end
  local body = string.format('{"patient_id":%d,"idempotency_key":"bench-%d"}', id, id)
  return wrk.format(nil, "/api/v1/protocols/two-arm/enrolments", nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    return
  end
  bad = bad + 1
  status_counts[status] = (status_counts[status] or 0) + 1
  local parts = {}
  for s, n in pairs(status_counts) do
    table.insert(parts, s .. "x" .. n)
  end
  statuses = table.concat(parts, ",")
  if first_error == "" then
    first_error = status .. " " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local total_created, total_bad, total_exhausted = 0, 0, 0
  local all_statuses, first = {}, ""
  for _, t in ipairs(threads) do
    total_created = total_created + (t:get("created") or 0)
    total_bad = total_bad + (t:get("bad") or 0)
    total_exhausted = total_exhausted + (t:get("exhausted") or 0)
    local s = t:get("statuses") or ""
    if s ~= "" then table.insert(all_statuses, s) end
    local f = t:get("first_error") or ""
    if first == "" then first = f end
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT mix=enrol requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d socket_errors=%d created=%d exhausted=%d statuses=%s\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, total_bad + socket, socket,
    total_created, total_exhausted, table.concat(all_statuses, ";")))
  if first ~= "" then
    io.write("FIRST_ERROR " .. string.gsub(first, "\n", " ") .. "\n")
  end
end

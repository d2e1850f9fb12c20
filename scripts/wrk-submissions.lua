-- wrk script for scripts/server-bench.sh --wrk: every request is a new, valid person granting the
-- newsletter (a durable, consent-logged 201), so no request is an update or a 422.
--
--   SG_TEXT_HASH=<sha256 of the newsletter text> SG_RUN=<unique run tag> \
--     wrk -t2 -c64 -d10s --latency -s scripts/wrk-submissions.lua http://127.0.0.1:PORT/v1/submissions
--
-- Addresses are wrk<RUN>-<thread>-<counter>@example.org: a counter per wrk thread plus the
-- thread's number, so two threads never send the same address. Such keys arrive in index order,
-- so each insert touches the same few pages of the email_key index; SG_SPREAD=1 puts eight random
-- hex digits in front (r<hex>-wrk<RUN>-<thread>-<counter>: still unique), as real addresses are
-- spread over the whole index. Any answer but 201 is counted and
-- reported (wrk itself counts only non-2xx, and a 200 "updated" would pass as a success).
-- done() prints one machine-readable line starting with "WRK " for the bench script to parse.

local text_hash = os.getenv("SG_TEXT_HASH") or error("SG_TEXT_HASH is not set")
local run = os.getenv("SG_RUN") or tostring(os.time())
local spread = os.getenv("SG_SPREAD") == "1"

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("tid", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local counter = 0
not_201 = 0 -- global: done() reads it from each thread with thread:get
local prefix

function init(args)
   math.randomseed(os.time() * 7919 + tid)
   prefix = 'wrk' .. run .. '-' .. tostring(tid) .. '-'
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

local suffix = nil

function request()
   if suffix == nil then
      suffix = '@example.org","given_name":"Wrk","country":"ID","locale":"en","consent":'
         .. '{"policy_id":"acme-news","policy_version":"3","granted":["newsletter"],'
         .. '"shown":{"newsletter":"' .. text_hash .. '"}}}'
   end
   counter = counter + 1
   local head = '{"email":"'
   if spread then
      head = head .. string.format("r%08x-", math.random(0, 0x7fffffff))
   end
   return wrk.format(nil, nil, nil, head .. prefix .. counter .. suffix)
end

function response(status, headers, body)
   if status ~= 201 then
      not_201 = not_201 + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, t in ipairs(threads) do
      bad = bad + (t:get("not_201") or 0)
   end
   local secs = summary.duration / 1e6
   local errs = summary.errors
   local socket_errors = errs.connect + errs.read + errs.write + errs.timeout
   io.write(string.format(
      "WRK requests=%d seconds=%.3f rate=%.0f not_201=%d socket_errors=%d "
         .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f\n",
      summary.requests, secs, summary.requests / secs, bad, socket_errors,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end

-- wrk script: the real journeys at a realistic mix, replayed from a file bench/load/run.py writes.
-- Each line: weight <TAB> method <TAB> path <TAB> cookie <TAB> body <TAB> once
-- Lines marked once=1 (a quiz submission: an attempt is graded once) are each sent once; when they
-- run out, their share goes to the other lines.
local pool, once = {}, {}

function init(args)
  for line in io.lines(args[1]) do
    local weight, method, path, cookie, body, single = line:match("^(%d+)\t(%u+)\t([^\t]+)\t([^\t]*)\t([^\t]*)\t(%d)$")
    local headers = { ["Cookie"] = cookie }
    if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    local request = wrk.format(method, path, headers, body ~= "" and body or nil)
    if single == "1" then
      once[#once + 1] = request
    else
      for _ = 1, tonumber(weight) do pool[#pool + 1] = request end
    end
  end
  math.randomseed(7)
end

local sent_once, share_once = 0, tonumber(os.getenv("MIX_QUIZ_SHARE") or "5")

function request()
  if sent_once < #once and math.random(100) <= share_once then
    sent_once = sent_once + 1
    return once[sent_once]
  end
  return pool[math.random(#pool)]
end

-- Status counts live in each thread's own Lua state; done() runs in another, so it asks each thread.
statuses = {}
function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(total) do parts[#parts + 1] = status .. ":" .. count end
  table.sort(parts)
  io.write("statuses " .. table.concat(parts, " ") .. "\n")
end

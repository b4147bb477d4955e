-- wrk script: stop after the number of requests given after `--` (for the memory measurement).
local limit, sent = 0, 0

function init(args)
  limit = tonumber(args[1])
end

function request()
  sent = sent + 1
  if sent > limit then wrk.thread:stop() end
  return wrk.request()
end

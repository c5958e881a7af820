-- wrk's script for bench/load: what each connection asks for next, every response's status, and
-- one machine-readable line at the end (`bench-load-result {...}`) for bench/load/wrk.py to read.
--
--   wrk ... -s wrk.lua <url> -- follow <start path>   an API list, each walk following links.next
--   wrk ... -s wrk.lua <url> -- cycle <file>          the paths in <file>, one a line, in turn
--   wrk ... -s wrk.lua <url> -- fixed                 the URL's own path, every time
--
-- In follow mode every connection starts a walk at the first page; each page answered hands its
-- links.next to the next request, so that as many walks as connections go on at once, each to its
-- last page (links.next null), where a new one starts.

local mode
local start_path
local paths = {}
local position = 0
local queue = {}

-- Globals, not locals: done() runs in another Lua state and reads them through thread:get().
statuses = {}
followed = 0
walks = 0
unreadable = 0

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   mode = args[1]
   if mode == "follow" then
      start_path = assert(args[2], "follow needs the first page's path")
   elseif mode == "cycle" then
      -- assert() returns its message too, which io.lines would take for a read format.
      local file = assert(args[2], "cycle needs a file of paths")
      for line in io.lines(file) do
         if line ~= "" then
            table.insert(paths, line)
         end
      end
      assert(#paths > 0, "cycle needs at least one path")
   elseif mode ~= "fixed" then
      error("mode must be follow, cycle or fixed, not " .. tostring(mode))
   end
end

function request()
   if mode == "follow" then
      return wrk.format(nil, table.remove(queue, 1) or start_path)
   elseif mode == "cycle" then
      position = position % #paths + 1
      return wrk.format(nil, paths[position])
   end
   return wrk.format()
end

-- The API's pages end with their links: ..."links":{"next":"<url>"|null}}
local NEXT_URL = '"links":%s*{%s*"next":%s*"([^"]+)"%s*}%s*}%s*$'
local LAST_PAGE = '"links":%s*{%s*"next":%s*null%s*}%s*}%s*$'

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode ~= "follow" or status ~= 200 then
      return
   end
   local url = body:match(NEXT_URL)
   if url then
      table.insert(queue, url:match("^https?://[^/]+(/.*)$") or url)
      followed = followed + 1
   elseif body:match(LAST_PAGE) then
      walks = walks + 1
   else
      unreadable = unreadable + 1
   end
end

function done(summary, latency, requests)
   local counts = {}
   local totals = { followed = 0, walks = 0, unreadable = 0 }
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses") or {}) do
         counts[status] = (counts[status] or 0) + count
      end
      for name in pairs(totals) do
         totals[name] = totals[name] + (thread:get(name) or 0)
      end
   end
   local status_items = {}
   for status, count in pairs(counts) do
      table.insert(status_items, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      'bench-load-result {"duration_us": %d, "requests": %d, "bytes": %d, '
         .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
         .. '"p50_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}, '
         .. '"followed": %d, "walks": %d, "unreadable": %d}\n',
      summary.duration, summary.requests, summary.bytes,
      errors.connect, errors.read, errors.write, errors.timeout,
      latency:percentile(50), latency:percentile(99), latency.max, table.concat(status_items, ", "),
      totals.followed, totals.walks, totals.unreadable
   ))
end

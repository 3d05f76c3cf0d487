-- wrk: each request asks for the next address in the file given after `--`, so no address is
-- asked for twice while the file lasts (the threads take alternate lines). Prints one line for
-- bench.py, with how many requests there were beyond the file's length (repeats).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  n_paths = #paths
  step = tonumber(args[2]) or 2
  i = id
end

function request()
  local path = paths[(i % #paths) + 1]
  i = i + step
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  local repeats = math.max(0, summary.requests - threads[1]:get("n_paths"))
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %d %d %.3f\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors, repeats, latency:percentile(90) / 1000))
end

-- wrk script: cycles through the public pages. wrk counts any answer that is not 2xx or 3xx
-- in summary.errors.status.
local paths = {
  "/", "/practice/", "/practice/?area=greater-manchester&theme=strategic-leadership",
  "/practice/?q=street+triage", "/practice/?page=2&sort=title",
  "/practice/cleveland-street-triage/", "/practice/norfolk-offender-health-profile/",
  "/areas/", "/areas/norfolk/", "/themes/", "/themes/intervening-earlier/",
  "/compare/areas/", "/compare/practice/?item=cleveland-street-triage&item=essex-street-triage",
  "/practice/export.csv?region=north-east", "/feeds/practice/", "/sitemap-practice.xml",
  "/healthz",
}
local i = 0

request = function()
  i = (i % #paths) + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d\n", summary.requests))
  io.write(string.format("errors: %d\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout + summary.errors.status))
  io.write(string.format("p50_ms: %.1f\np99_ms: %.1f\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end

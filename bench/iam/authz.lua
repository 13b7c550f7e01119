-- wrk script for bench/iam/run: POST /v1/authz with one access token,
-- alternating a request that one of the user's policies allows and one that
-- none allows, and counting the decisions in the responses.
-- Arguments after "--": TOKEN MATCHING_BODY NON_MATCHING_BODY.

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    local headers = {["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json"}
    prepared = {
        wrk.format("POST", "/v1/authz", headers, args[2]),
        wrk.format("POST", "/v1/authz", headers, args[3]),
    }
    sent = 0
    allowed = 0
    denied = 0
    failed = 0
    -- Responses that were not 200, counted by status code.
    statuses = {}
end

function request()
    sent = sent + 1
    return prepared[sent % 2 + 1]
end

-- A decision is 200 with {"allowed":true} or {"allowed":false,...}. Any
-- other status counts as failed.
function response(status, headers, body)
    if status ~= 200 then
        failed = failed + 1
        statuses[status] = (statuses[status] or 0) + 1
    elseif string.find(body, '"allowed":true', 1, true) then
        allowed = allowed + 1
    else
        denied = denied + 1
    end
end

function done(summary, latency, requests)
    local totals = {allowed = 0, denied = 0, failed = 0}
    local statuses = {}
    for _, thread in ipairs(threads) do
        for key, _ in pairs(totals) do
            totals[key] = totals[key] + thread:get(key)
        end
        for status, count in pairs(thread:get("statuses")) do
            statuses[status] = (statuses[status] or 0) + count
        end
    end
    local failures = {}
    for status, count in pairs(statuses) do
        table.insert(failures, string.format("%d=%d", status, count))
    end
    table.sort(failures)
    io.write(string.format("decisions: allowed %d denied %d failed %d\n", totals.allowed, totals.denied, totals.failed))
    io.write(string.format("failed by status: %s\n", table.concat(failures, " ")))
end

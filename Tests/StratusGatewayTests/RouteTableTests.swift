import StratusHTTP
@testable import StratusGateway
import Testing

@Suite struct RouteTableTests {
    private func table(_ routes: [RouteConfiguration], caseSensitive: Bool = false) throws -> (RouteTable, [String]) {
        let matchers = try routes.enumerated().map { index, route in
            try RouteMatcher(index: index, route: route, caseSensitive: caseSensitive)
        }
        return (RouteTable(matchers, caseSensitive: caseSensitive), routes.map(\.name))
    }

    private func route(_ name: String, _ path: PathPattern, hosts: [String] = [], methods: [String] = [], priority: Int = 0, headers: [FieldCondition] = [], query: [FieldCondition] = []) -> RouteConfiguration {
        var route = RouteConfiguration(name: name, match: RouteMatchConfiguration(path: path, hosts: hosts, methods: methods, headers: headers, query: query), upstream: "u")
        route.priority = priority
        return route
    }

    private func match(_ table: (RouteTable, [String]), _ path: String, host: String = "h", method: HTTPMethod = .get, headers: HTTPFields = [:], query: String? = nil) -> String {
        let target = query.map { "\(path)?\($0)" } ?? path
        let request = Request(head: HTTPRequestHead(method: method, target: target, headers: headers))
        switch table.0.match(host: host, path: path, method: method, request: request) {
        case .found(let index, _): return table.1[index]
        case .methodNotAllowed: return "405"
        case .notFound: return "404"
        }
    }

    @Test func pathKindsInPrecedence() throws {
        let routes = try table([
            route("regex", .regex("/a/.*")),
            route("short", .prefix("/a")),
            route("long", .prefix("/a/b/")),
            route("template", .template("/a/{x}")),
            route("catchall", .template("/a/**")),
            route("exact", .exact("/a/b")),
            route("digits", .regex("/z[0-9]+")),
        ])
        #expect(match(routes, "/a/b") == "exact")
        #expect(match(routes, "/a/c") == "template")
        #expect(match(routes, "/a/b/c") == "catchall")
        #expect(match(routes, "/a") == "short")
        #expect(match(routes, "/z12") == "digits")
        #expect(match(routes, "/z1x") == "404")
    }

    @Test func prefixEndsAtSegmentBoundary() throws {
        let routes = try table([route("api", .prefix("/api"))])
        #expect(match(routes, "/api") == "api")
        #expect(match(routes, "/api/") == "api")
        #expect(match(routes, "/api/x") == "api")
        #expect(match(routes, "/apix") == "404")
    }

    @Test func hostsBeforeWildcardsBeforeAny() throws {
        let routes = try table([
            route("any", .prefix("/")),
            route("wild", .prefix("/"), hosts: ["*.example.com"]),
            route("deeper", .prefix("/"), hosts: ["*.api.example.com"]),
            route("exact", .prefix("/"), hosts: ["api.example.com"]),
        ])
        #expect(match(routes, "/x", host: "api.example.com") == "exact")
        #expect(match(routes, "/x", host: "v1.api.example.com") == "deeper")
        #expect(match(routes, "/x", host: "www.example.com") == "wild")
        #expect(match(routes, "/x", host: "example.com") == "any")
    }

    @Test func priorityThenOrderBreakTies() throws {
        let routes = try table([
            route("first", .prefix("/p")),
            route("second", .prefix("/p")),
            route("high", .prefix("/q"), priority: 1),
            route("low", .prefix("/q")),
        ])
        #expect(match(routes, "/p") == "first")
        #expect(match(routes, "/q") == "high")
    }

    @Test func methodsHeadersAndQuery() throws {
        let routes = try table([
            route("post", .exact("/m"), methods: ["POST"]),
            route("get", .exact("/g"), methods: ["GET"]),
            route("beta", .exact("/h"), headers: [FieldCondition(name: "X-Beta", value: "1")]),
            route("nobeta", .exact("/h"), priority: -1, headers: [FieldCondition(name: "X-Beta", present: false)]),
            route("debug", .exact("/q"), query: [FieldCondition(name: "debug", regex: "[01]")]),
        ])
        #expect(match(routes, "/m", method: .post) == "post")
        #expect(match(routes, "/m") == "405")
        #expect(match(routes, "/g", method: .head) == "get")
        #expect(match(routes, "/h", headers: ["X-Beta": "1"]) == "beta")
        #expect(match(routes, "/h") == "nobeta")
        #expect(match(routes, "/q", query: "debug=1") == "debug")
        #expect(match(routes, "/q", query: "debug=2") == "404")
    }

    @Test func caseRule() throws {
        let insensitive = try table([route("admin", .prefix("/admin")), route("t", .template("/Users/{id}"))])
        #expect(match(insensitive, "/ADMIN/x") == "admin")
        #expect(match(insensitive, "/users/Bob") == "t")
        let sensitive = try table([route("admin", .prefix("/admin"))], caseSensitive: true)
        #expect(match(sensitive, "/ADMIN/x") == "404")
    }

    @Test func templateCapturesKeepCase() throws {
        let (table, _) = try table([route("t", .template("/users/{id}/**"))])
        let request = Request(head: HTTPRequestHead(method: .get, target: "/Users/Bob/a/b"))
        guard case .found(_, let captures) = table.match(host: "h", path: "/Users/Bob/a/b", method: .get, request: request) else {
            Issue.record("no match")
            return
        }
        #expect(captures.map(\.name) == ["id", "**"])
        #expect(captures.map { String($0.value) } == ["Bob", "a/b"])
    }
}

import StratusHTTP
import Testing

@Suite struct RouterMatchingTests {
    @Test func parameterCapture() async throws {
        let router = Router()
        router.get("/v1/users/:name/posts/{post}") { _, context in
            "\(context.parameters["name"] ?? "-") \(context.parameters["post"] ?? "-")"
        }
        let responder = router.buildResponder()

        let response = try await send(.get, "/v1/users/ada/posts/7?verbose=1", to: responder)
        #expect(response.status == .ok)
        #expect(response.bodyText == "ada 7")
    }

    @Test func literalBeforeParameterBeforeWildcard() async throws {
        let router = Router()
        router.get("/items/**") { _, _ in "catch-all" }
        router.get("/items/*") { _, _ in "wildcard" }
        router.get("/items/:id") { _, _ in "parameter" }
        router.get("/items/new") { _, _ in "literal" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/items/new", to: responder).bodyText == "literal")
        #expect(try await send(.get, "/items/42", to: responder).bodyText == "parameter")
        #expect(try await send(.get, "/items/42/parts", to: responder).bodyText == "catch-all")
    }

    @Test func wildcardBeforeCatchAll() async throws {
        let router = Router()
        router.get("/files/*") { _, context in "one segment, params empty: \(context.parameters.isEmpty)" }
        router.get("/files/**") { _, context in "rest \(context.parameters["**"] ?? "-")" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/files/a", to: responder).bodyText == "one segment, params empty: true")
        #expect(try await send(.get, "/files/a/b/c.txt", to: responder).bodyText == "rest a/b/c.txt")
    }

    @Test func backtracksAfterLiteralFails() async throws {
        let router = Router()
        router.get("/a/:x/c") { _, context in "param \(context.parameters["x"] ?? "-")" }
        router.get("/a/b/d") { _, _ in "literal" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/a/b/d", to: responder).bodyText == "literal")
        #expect(try await send(.get, "/a/b/c", to: responder).bodyText == "param b")
        #expect(try await send(.get, "/a/z/c", to: responder).bodyText == "param z")
        #expect(try await send(.get, "/a/b/e", to: responder).status == .notFound)
    }

    @Test func backtrackingDropsCapturesOfFailedBranch() async throws {
        let router = Router()
        router.get("/:first/x/end") { _, context in "first=\(context.parameters["first"] ?? "-")" }
        router.get("/*/:second/other") { _, context in
            "first=\(context.parameters["first"] ?? "-") second=\(context.parameters["second"] ?? "-")"
        }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/a/x/other", to: responder).bodyText == "first=- second=x")
    }

    @Test func catchAllCapturesRest() async throws {
        let router = Router()
        router.get("/static/**") { _, context in context.parameters["**"] ?? "-" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/static/css/site.css?v=2", to: responder).bodyText == "css/site.css")
        #expect(try await send(.get, "/static/", to: responder).bodyText == "")
        #expect(try await send(.get, "/static", to: responder).status == .notFound)
    }

    @Test func trailingSlashIsDistinct() async throws {
        let router = Router()
        router.get("/users") { _, _ in "list" }
        router.get("/users/:id") { _, _ in "one" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/users", to: responder).bodyText == "list")
        #expect(try await send(.get, "/users/", to: responder).status == .notFound)
    }

    @Test func trailingSlashTemplate() async throws {
        let router = Router()
        router.get("/docs/") { _, _ in "index" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/docs/", to: responder).bodyText == "index")
        #expect(try await send(.get, "/docs", to: responder).status == .notFound)
    }

    @Test func emptySegmentsAreKept() async throws {
        let router = Router()
        router.get("/a/:x/b") { _, _ in "matched" }
        router.get("/c/d") { _, _ in "matched" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/a//b", to: responder).status == .notFound)
        #expect(try await send(.get, "/c//d", to: responder).status == .notFound)
        #expect(try await send(.get, "//c/d", to: responder).status == .notFound)
    }

    @Test func rootRoute() async throws {
        let router = Router()
        router.get("/") { _, _ in "root" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/", to: responder).bodyText == "root")
        #expect(try await send(.get, "/?q=1", to: responder).bodyText == "root")
        #expect(try await send(.get, "*", to: responder).status == .notFound)
    }

    @Test func segmentsStayPercentEncoded() async throws {
        let router = Router()
        router.get("/tags/:tag") { _, context in context.parameters["tag"] ?? "-" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/tags/a%2Fb", to: responder).bodyText == "a%2Fb")
    }

    @Test func parameterNamesMayDifferPerMethod() async throws {
        let router = Router()
        router.get("/users/:id") { _, context in "get \(context.parameters["id"] ?? "-")" }
        router.delete("/users/{name}") { _, context in "delete \(context.parameters["name"] ?? "-")" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/users/7", to: responder).bodyText == "get 7")
        #expect(try await send(.delete, "/users/7", to: responder).bodyText == "delete 7")
    }

    @Test func responderIgnoresLaterRoutes() async throws {
        let router = Router()
        router.get("/before") { _, _ in "before" }
        let responder = router.buildResponder()
        router.get("/after") { _, _ in "after" }

        #expect(try await send(.get, "/before", to: responder).status == .ok)
        #expect(try await send(.get, "/after", to: responder).status == .notFound)
    }
}

import StratusHTTP
import Testing

@Suite struct RouterStatusTests {
    @Test func unknownPathIsNotFound() async throws {
        let router = Router()
        router.get("/known") { _, _ in "known" }
        let response = try await send(.get, "/unknown", to: router.buildResponder())

        #expect(response.status == .notFound)
        #expect(response.headers["Allow"] == nil)
    }

    @Test func wrongMethodListsAllowedMethods() async throws {
        let router = Router()
        router.get("/users/:id") { _, _ in "get" }
        router.put("/users/:id") { _, _ in "put" }
        router.delete("/users/{name}") { _, _ in "delete" }
        router.options("/users/:id") { _, _ in HTTPStatus.noContent }
        let response = try await send(.post, "/users/7", to: router.buildResponder())

        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PUT")
    }

    @Test func allowOmitsHeadWithoutGet() async throws {
        let router = Router()
        router.post("/jobs") { _, _ in HTTPStatus.accepted }
        let response = try await send(.get, "/jobs", to: router.buildResponder())

        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "POST")
    }

    @Test func allowJoinsEveryMatchingRoute() async throws {
        let router = Router()
        router.post("/a/b") { _, _ in "literal" }
        router.patch("/a/:x") { _, _ in "parameter" }
        let response = try await send(.get, "/a/b", to: router.buildResponder())

        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "PATCH, POST")
    }

    @Test func lowerPrecedenceRouteServesOtherMethod() async throws {
        let router = Router()
        router.post("/a/b") { _, _ in "literal" }
        router.get("/a/:x") { _, _ in "parameter" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/a/b", to: responder).bodyText == "parameter")
        #expect(try await send(.post, "/a/b", to: responder).bodyText == "literal")
    }

    @Test func headRunsGetHandler() async throws {
        let router = Router()
        router.get("/status") { request, _ in "ran for \(request.method)" }
        let response = try await send(.head, "/status", to: router.buildResponder())

        #expect(response.status == .ok)
        #expect(response.bodyText == "ran for HEAD")
    }

    @Test func explicitHeadWins() async throws {
        let router = Router()
        router.get("/status") { _, _ in "get" }
        router.head("/status") { _, _ in "head" }
        let response = try await send(.head, "/status", to: router.buildResponder())

        #expect(response.bodyText == "head")
    }

    @Test func headWithoutGetIsNotAllowed() async throws {
        let router = Router()
        router.post("/jobs") { _, _ in "post" }
        let response = try await send(.head, "/jobs", to: router.buildResponder())

        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "POST")
    }

    @Test func customMethod() async throws {
        let router = Router()
        router.on("/items", method: HTTPMethod(rawValue: "PURGE")) { _, _ in "purged" }
        let responder = router.buildResponder()

        #expect(try await send(HTTPMethod(rawValue: "PURGE"), "/items", to: responder).bodyText == "purged")
        #expect(try await send(.get, "/items", to: responder).headers["Allow"] == "PURGE")
    }
}

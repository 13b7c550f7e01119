import StratusHTTP
import Testing

@Suite struct RouterGroupTests {
    @Test func groupPrefixesPaths() async throws {
        let router = Router()
        let v1 = router.group("/v1")
        v1.get("") { _, _ in "v1 root" }
        v1.get("/users/:id") { _, context in "user \(context.parameters["id"] ?? "-")" }
        v1.group("/admin").get("/stats") { _, _ in "stats" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/v1", to: responder).bodyText == "v1 root")
        #expect(try await send(.get, "/v1/users/3", to: responder).bodyText == "user 3")
        #expect(try await send(.get, "/v1/admin/stats", to: responder).bodyText == "stats")
        #expect(try await send(.get, "/users/3", to: responder).status == .notFound)
    }

    @Test func middlewareOrderFirstAddedIsOutermost() async throws {
        let router = Router()
        router.add(middleware: TraceMiddleware(name: "router-1"))
        router.add(middleware: TraceMiddleware(name: "router-2"))
        let api = router.group("/api").add(middleware: TraceMiddleware(name: "group"))
        let inner = api.group("/inner").add(middleware: TraceMiddleware(name: "subgroup"))
        inner.get("/x") { request, _ in request.headers.values(for: "X-Trace").joined(separator: ",") }
        let response = try await send(.get, "/api/inner/x", to: router.buildResponder())

        #expect(response.bodyText == "router-1,router-2,group,subgroup")
        #expect(response.headers.values(for: "X-Trace") == ["subgroup", "group", "router-2", "router-1"])
    }

    @Test func groupMiddlewareAddedAfterRouteApplies() async throws {
        let router = Router()
        let api = router.group("/api")
        api.get("/x") { _, _ in "x" }
        api.add(middleware: TraceMiddleware(name: "late"))
        let response = try await send(.get, "/api/x", to: router.buildResponder())

        #expect(response.headers.values(for: "X-Trace") == ["late"])
    }

    @Test func groupMiddlewareSkipsOtherRoutes() async throws {
        let router = Router()
        router.group("/api").add(middleware: TraceMiddleware(name: "group")).get("/x") { _, _ in "x" }
        router.get("/public") { _, _ in "public" }
        let responder = router.buildResponder()

        #expect(try await send(.get, "/public", to: responder).headers.values(for: "X-Trace") == [])
        #expect(try await send(.get, "/api/missing", to: responder).headers.values(for: "X-Trace") == [])
    }

    @Test func routerMiddlewareRunsForNotFound() async throws {
        let router = Router()
        router.add(middleware: TraceMiddleware(name: "router"))
        router.get("/x") { _, _ in "x" }
        let responder = router.buildResponder()

        let notFound = try await send(.get, "/missing", to: responder)
        let notAllowed = try await send(.post, "/x", to: responder)
        #expect(notFound.status == .notFound)
        #expect(notFound.headers.values(for: "X-Trace") == ["router"])
        #expect(notAllowed.headers.values(for: "X-Trace") == ["router"])
    }

    @Test func middlewareMayAnswerWithoutNext() async throws {
        struct Deny: RouterMiddleware {
            func handle(
                _ request: Request,
                context: RequestContext,
                next: (Request, RequestContext) async throws -> Response
            ) async throws -> Response {
                Response(status: .forbidden)
            }
        }
        let router = Router()
        router.group("/admin").add(middleware: Deny()).get("/x") { _, _ in "secret" }
        let response = try await send(.get, "/admin/x", to: router.buildResponder())

        #expect(response.status == .forbidden)
        #expect(response.bodyText == "")
    }
}

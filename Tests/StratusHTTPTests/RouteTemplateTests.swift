import StratusHTTP
import Testing

@Suite struct RouteTemplateTests {
    @Test func parsesEachSegmentKind() throws {
        let template = try RouteTemplate(parsing: "/v1/:user/{file}/*/**")
        #expect(template.segments == [.literal("v1"), .parameter("user"), .parameter("file"), .wildcard, .catchAll])
        #expect(template.captureNames == ["user", "file", "**"])
    }

    @Test func rootHasNoSegments() throws {
        #expect(try RouteTemplate(parsing: "/").segments == [])
        #expect(try RouteTemplate(parsing: "/users/").segments == [.literal("users"), .literal("")])
    }

    @Test func literalMayContainColon() throws {
        #expect(try RouteTemplate(parsing: "/v1/users:batchGet").segments == [.literal("v1"), .literal("users:batchGet")])
    }

    @Test(arguments: [
        ("", "it must start with \"/\""),
        ("users", "it must start with \"/\""),
        ("/users?active=1", "it must not contain \"?\" or \"#\", because routes match the path without the query"),
        ("/a//b", "it contains an empty segment (\"//\")"),
        ("/files/**/raw", "\"**\" must be the last segment, because it matches the rest of the path"),
        ("/a/:id/b/{id}", "the parameter name \"id\" appears twice"),
        ("/a/:", "\":\": a parameter name must be one or more letters, digits or \"_\""),
        ("/a/{}", "\"{}\": a parameter name must be one or more letters, digits or \"_\""),
        ("/a/:na-me", "\":na-me\": a parameter name must be one or more letters, digits or \"_\""),
        ("/a/{name}.json", "\"{name}.json\": braces must enclose a whole segment, as in \"{name}\""),
        ("/a/file*", "\"file*\": \"*\" and \"**\" must be a whole segment"),
        ("/a/***", "\"***\": \"*\" and \"**\" must be a whole segment"),
    ])
    func invalidTemplate(text: String, reason: String) {
        #expect(throws: RouteTemplateError(template: text, reason: reason)) {
            try RouteTemplate(parsing: text)
        }
    }

    @Test func errorNamesTemplate() {
        let error = RouteTemplateError(template: "/a//b", reason: "it contains an empty segment (\"//\")")
        #expect(error.description == #"invalid route template "/a//b": it contains an empty segment ("//")"#)
    }

    @Test func sameShapeIgnoresParameterNames() throws {
        #expect(try RouteTemplate(parsing: "/users/:id").shape == RouteTemplate(parsing: "/users/{name}").shape)
        #expect(try RouteTemplate(parsing: "/users/:id").shape != RouteTemplate(parsing: "/users/*").shape)
    }

    // Registration failures stop the process, so they run in child processes.

    @Test func invalidTemplateStopsRegistration() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Router().get("/files/**/raw") { _, _ in "never" }
        }
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains(#"GET invalid route template "/files/**/raw": "**" must be the last segment"#))
    }

    @Test func duplicateRouteStopsRegistration() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let router = Router()
            router.get("/users/:id") { _, _ in "first" }
            router.get("/users/{name}") { _, _ in "second" }
        }
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains(#"duplicate route GET "/users/{name}": it matches the same paths as "/users/:id""#))
    }

    @Test func sameTemplateOtherMethodRegisters() async {
        await #expect(processExitsWith: .success) {
            let router = Router()
            router.get("/users/:id") { _, _ in "get" }
            router.put("/users/:id") { _, _ in "put" }
        }
    }

    @Test func groupPathWithoutSlashStopsRegistration() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Router().group("/v1").get("users") { _, _ in "never" }
        }
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains(#"invalid route path "users" in group "/v1": it must be empty or start with "/""#))
    }
}

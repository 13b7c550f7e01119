import StratusConfig
import StratusHTTP

/// The config center's HTTP API, version 1, under `/api/v1/config`. Every
/// namespace route starts with
/// `/api/v1/config/apps/{app}/envs/{env}/namespaces/{namespace}`; the table
/// in docs/config-center.md lists them, and the OpenAPI document describes
/// their bodies. Errors are `ConfigErrorBody` JSON with 400, 404, 409, 422,
/// 500 or 503.
struct ConfigAPI: Sendable {
    let center: ConfigCenter
    let hub: ReleaseHub
    let streams: OpenStreams

    func register(on router: Router) {
        let config = router.group("/api/v1/config")
        config.get("/apps/:app/envs/:env/namespaces") { _, context in
            await handle { try await ConfigAPIResponse.json(center.namespaces(application: context.parameters["app"]!, environment: context.parameters["env"]!)) }
        }
        config.get("/apps/:app/envs/:env/watch") { request, context in
            await handle { try await watch(request, application: context.parameters["app"]!, environment: context.parameters["env"]!) }
        }
        config.get("/audit") { request, _ in
            await handle { try await audit(request) }
        }
        registerNamespaceRoutes(on: config.group("/apps/:app/envs/:env/namespaces/:namespace"))
    }

    private func registerNamespaceRoutes(on namespace: RouterGroup) {
        namespace.put("") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(CreateNamespaceRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.createNamespace(Self.coordinates(context), body), status: .created)
            }
        }
        namespace.get("") { _, context in
            await handle { try ConfigAPIResponse.json(try await center.info(Self.coordinates(context))) }
        }
        namespace.put("/schema") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(SetSchemaRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.setSchema(Self.coordinates(context), body))
            }
        }
        registerDraftRoutes(on: namespace)
        registerReleaseRoutes(on: namespace)
        registerInstanceRoutes(on: namespace)
    }

    private func registerDraftRoutes(on namespace: RouterGroup) {
        namespace.get("/draft") { _, context in
            await handle { try ConfigAPIResponse.json(try await center.draft(Self.coordinates(context))) }
        }
        namespace.put("/draft/items/:key") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(SetItemRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.setItem(Self.coordinates(context), key: context.parameters["key"]!, body))
            }
        }
        namespace.delete("/draft/items/:key") { request, context in
            await handle {
                let author = try Self.required("author", in: request)
                return try ConfigAPIResponse.json(try await center.deleteItem(Self.coordinates(context), key: context.parameters["key"]!, author: author))
            }
        }
        namespace.put("/draft/document") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(SetDocumentRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.setDocument(Self.coordinates(context), body))
            }
        }
    }

    private func registerReleaseRoutes(on namespace: RouterGroup) {
        namespace.post("/releases") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(PublishRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.publish(Self.coordinates(context), body), status: .created)
            }
        }
        namespace.get("/releases") { _, context in
            await handle { try ConfigAPIResponse.json(try await center.history(Self.coordinates(context))) }
        }
        namespace.get("/releases/:number") { _, context in
            await handle {
                let text = context.parameters["number"]!
                guard let number = Int(text), number >= 1 else {
                    throw ConfigCenterError(.invalidArgument, "invalid release number \"\(text)\"; expected a whole number from 1")
                }
                return try ConfigAPIResponse.json(try await center.release(Self.coordinates(context), number: number))
            }
        }
        namespace.post("/rollback") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(RollbackRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.rollback(Self.coordinates(context), body), status: .created)
            }
        }
        namespace.get("/diff") { request, context in
            await handle {
                let diff = try await center.diff(Self.coordinates(context), from: request.queryParameter("from"), to: request.queryParameter("to"))
                return try ConfigAPIResponse.json(diff)
            }
        }
        registerGrayRoutes(on: namespace)
    }

    private func registerGrayRoutes(on namespace: RouterGroup) {
        namespace.post("/gray") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(GrayStartRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.startGray(Self.coordinates(context), body), status: .created)
            }
        }
        namespace.post("/gray/promote") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(GrayDecisionRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.promoteGray(Self.coordinates(context), body))
            }
        }
        namespace.post("/gray/abandon") { request, context in
            await handle {
                let body = try await ConfigAPIResponse.decode(GrayDecisionRequest.self, from: request)
                return try ConfigAPIResponse.json(try await center.abandonGray(Self.coordinates(context), body))
            }
        }
    }

    private func registerInstanceRoutes(on namespace: RouterGroup) {
        namespace.get("/current") { request, context in
            await handle {
                let coordinates = try Self.coordinates(context)
                let instance = try Self.required("instance", in: request)
                let labels = try GraySelector.parse(labels: request.queryParameter("labels") ?? "")
                guard let release = try await center.currentRelease(coordinates, instanceID: instance, labels: labels) else {
                    throw ConfigCenterError(.notFound, "namespace \(coordinates) has no release for instance \(instance) yet; publish one with `stratus config publish`", namespace: coordinates)
                }
                return try ConfigAPIResponse.json(release)
            }
        }
        namespace.put("/instances/:instance") { request, context in
            await handle {
                var report = try await ConfigAPIResponse.decode(InstanceReport.self, from: request)
                report.instance = context.parameters["instance"]!
                try await center.report(Self.coordinates(context), report)
                return Response(status: .noContent)
            }
        }
    }

    private func audit(_ request: Request) async throws -> Response {
        let limitText = request.queryParameter("limit") ?? "100"
        guard let limit = Int(limitText) else {
            throw ConfigCenterError(.invalidArgument, "invalid audit limit \"\(limitText)\"; expected 1 to \(ConfigCenter.maximumAuditEntries)")
        }
        let log = try await center.audit(
            application: request.queryParameter("app"),
            environment: request.queryParameter("env"),
            namespace: request.queryParameter("namespace"),
            limit: limit
        )
        return try ConfigAPIResponse.json(log)
    }

    static func coordinates(_ context: RequestContext) throws(ConfigCenterError) -> NamespaceCoordinates {
        let coordinates = NamespaceCoordinates(
            application: context.parameters["app"]!,
            environment: context.parameters["env"]!,
            namespace: context.parameters["namespace"]!
        )
        try coordinates.validate()
        return coordinates
    }

    static func required(_ name: String, in request: Request) throws(ConfigCenterError) -> String {
        guard let value = request.queryParameter(name), !value.isEmpty else {
            throw ConfigCenterError(.invalidArgument, "missing the query parameter \(name)")
        }
        return value
    }

    /// Runs a handler, turning a `ConfigCenterError` into its JSON response.
    private func handle(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as ConfigCenterError {
            return ConfigAPIResponse.error(error)
        } catch {
            return ConfigAPIResponse.error(ConfigCenter.storeFailure(error))
        }
    }
}

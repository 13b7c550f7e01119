import Foundation
import StratusAppSpec
import StratusLog
import StratusHTTP

/// The orchestrator's HTTP API, under `/api/v1/apps`: desired state in,
/// observed state out. `stratus apply`, `scale`, `rollout`, `status` and
/// `down` call it.
///
/// | method and path | does |
/// |---|---|
/// | GET /api/v1/apps | lists the apps |
/// | PUT /api/v1/apps/{app} | applies an app spec (body: `AppSpec` wire JSON) |
/// | GET /api/v1/apps/{app} | returns the spec and the deployments |
/// | DELETE /api/v1/apps/{app} | deletes the app, which stops its replicas |
/// | GET /api/v1/apps/{app}/status | returns the observed `AppStatus` |
/// | PUT /api/v1/apps/{app}/services/{service}/scale | sets the replica count (body: `{"replicas": N}`) |
/// | POST /api/v1/apps/{app}/services/{service}/restart | starts a rolling restart |
///
/// Errors are `AppErrorBody` JSON with 400, 404, 409 or 503.
struct AppsAPI: Sendable {
    let repository: AppRepository

    /// The largest spec the API reads, 1 MiB.
    static let maxBodySize = 1 << 20

    func register(on router: Router) {
        let v1 = router.group("/api/v1")
        v1.get("/apps") { _, _ in
            await handle { try Response.json(AppList(apps: try await repository.apps())) }
        }
        v1.put("/apps/:app") { request, context in
            await handle { try await apply(request, app: context.parameters["app"]!) }
        }
        v1.get("/apps/:app") { _, context in
            await handle { try await document(app: context.parameters["app"]!) }
        }
        v1.delete("/apps/:app") { _, context in
            await handle {
                let app = context.parameters["app"]!
                guard try await repository.delete(app) else { throw Self.unknownApp(app) }
                return Response(status: .accepted)
            }
        }
        v1.get("/apps/:app/status") { _, context in
            await handle {
                let app = context.parameters["app"]!
                guard let status = try await repository.status(app) else {
                    throw AppError(.notFound, "no orchestrator reports the status of app \(app); start it with stratus up")
                }
                return try Response.json(status)
            }
        }
        v1.put("/apps/:app/services/:service/scale") { request, context in
            await handle { try await scale(request, app: context.parameters["app"]!, service: context.parameters["service"]!) }
        }
        v1.post("/apps/:app/services/:service/restart") { _, context in
            await handle {
                let stamp = UTCTimestamp.now()
                let deployment = try await repository.updateDeployment(app: context.parameters["app"]!, service: context.parameters["service"]!) { deployment in
                    deployment.restartedAt = stamp
                }
                return try Response.json(deployment)
            }
        }
    }

    private func apply(_ request: Request, app: String) async throws -> Response {
        let spec = try await Self.decode(AppSpec.self, from: request)
        guard spec.name == app else {
            throw AppError(.invalidArgument, "the spec names app \(spec.name), but the path names \(app); apply it to /api/v1/apps/\(spec.name)")
        }
        return try Response.json(try await repository.apply(spec))
    }

    private func document(app: String) async throws -> Response {
        guard let spec = try await repository.spec(app) else { throw Self.unknownApp(app) }
        let deployments = try await repository.deployments(app)
        let body = AppDocument(spec: spec, deployments: spec.services.compactMap { deployments[$0.name] })
        let data = try SpecCoding.encoder().encode(body)
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: Array(data)))
    }

    private func scale(_ request: Request, app: String, service: String) async throws -> Response {
        let change = try await Self.decode(ScaleRequest.self, from: request)
        guard (0...1000).contains(change.replicas) else {
            throw AppError(.invalidArgument, "invalid replicas \(change.replicas): expected a count from 0 to 1000")
        }
        let deployment = try await repository.updateDeployment(app: app, service: service) { deployment in
            deployment.replicas = change.replicas
        }
        return try Response.json(deployment)
    }

    static func unknownApp(_ app: String) -> AppError {
        AppError(.notFound, "no app is named \(app); apply its spec first with stratus apply -f stratus.yaml")
    }

    /// Decodes a JSON body in the wire format, failing with
    /// `invalidArgument` that names the problem.
    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws(AppError) -> Value {
        let bytes: [UInt8]
        do {
            bytes = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw AppError(.invalidArgument, "request body larger than \(maxBodySize) bytes")
        }
        do {
            return try SpecCoding.decoder().decode(type, from: Data(bytes))
        } catch {
            throw AppError(.invalidArgument, "invalid JSON body for \(type): \(error)")
        }
    }

    /// Runs a handler, turning an `AppError` into its JSON response.
    private func handle(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as AppError {
            return Self.response(error)
        } catch {
            return Self.response(AppError(.unavailable, "\(error)"))
        }
    }

    static func response(_ error: AppError) -> Response {
        let status: HTTPStatus = switch error.code {
        case .invalidArgument: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        }
        let body = AppErrorBody(error: .init(code: error.code.rawValue, message: error.message, problems: error.problems))
        return (try? Response.json(body, status: status)) ?? Response(status: status)
    }
}

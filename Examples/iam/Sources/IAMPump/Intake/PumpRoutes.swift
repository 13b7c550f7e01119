import IAMHTTP
import IAMModel
import StratusHTTP

/// `POST /internal/v1/audit`: a batch of records from an authorization
/// server, answered with how many were new.
struct PumpRoutes: Sendable {
    let intake: AuditIntake
    let token: String

    struct Stored: Codable {
        var stored: Int
    }

    func register(on router: Router) {
        router.add(middleware: IAMMiddleware())
        router.post("/internal/v1/audit") { request, _ in
            let given = request.headers[internalTokenHeader] ?? ""
            guard constantTimeEquals(Array(given.utf8), Array(token.utf8)) else {
                throw IAMError(.signatureInvalid, "the internal token is missing or wrong")
            }
            let batch = try await request.decodeJSON(AuditBatch.self)
            do {
                return IAMResponses.json(Stored(stored: try await intake.accept(batch)))
            } catch {
                throw IAMError(.database, "storing \(batch.records.count) audit records failed: \(error)")
            }
        }
    }
}

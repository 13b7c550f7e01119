import IAMHTTP
import IAMModel
import StratusHTTP

/// The route `POST /internal/v1/audit`, which stores a batch of records from
/// an authorization server and returns how many were new.
struct PumpRoutes: Sendable {
    let intake: AuditIntake
    let token: String

    struct Stored: Codable {
        var stored: Int
    }

    func register(on router: Router) {
        router.add(middleware: IAMMiddleware())
        router.post("/internal/v1/audit") { request, _ in
            let presented = request.headers[internalTokenHeader] ?? ""
            guard constantTimeEquals(Array(presented.utf8), Array(token.utf8)) else {
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

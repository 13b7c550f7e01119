import Foundation
import StratusHTTP
import Testing

@Suite struct ResponseGeneratorTests {
    @Test func stringIsPlainText() async throws {
        let router = Router()
        router.get("/") { _, _ in "hello" }
        let response = try await send(.get, "/", to: router.buildResponder())

        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(response.bodyText == "hello")
    }

    @Test func statusHasEmptyBody() async throws {
        let router = Router()
        router.delete("/x") { _, _ in HTTPStatus.noContent }
        let response = try await send(.delete, "/x", to: router.buildResponder())

        #expect(response.status == .noContent)
        #expect(response.body.knownLength == 0)
    }

    @Test func bytesAreOctetStream() async throws {
        let router = Router()
        router.get("/raw") { _, _ in [UInt8]([0, 1, 255]) }
        let response = try await send(.get, "/raw", to: router.buildResponder())

        #expect(response.headers["Content-Type"] == "application/octet-stream")
        #expect(response.body.knownLength == 3)
    }

    @Test func responsePassesThrough() async throws {
        let router = Router()
        router.post("/x") { _, _ in Response(status: .created, headers: ["Location": "/x/1"]) }
        let response = try await send(.post, "/x", to: router.buildResponder())

        #expect(response.status == .created)
        #expect(response.headers["Location"] == "/x/1")
    }

    @Test func jsonEncodesWithSortedKeys() throws {
        struct User: Encodable {
            let name: String
            let id: Int
            let home: String
        }
        let response = try Response.json(User(name: "ada", id: 1, home: "/home/ada"), status: .created)

        #expect(response.status == .created)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.bodyText == #"{"home":"/home/ada","id":1,"name":"ada"}"#)
    }

    @Test func jsonRejectsNonFiniteNumber() {
        #expect(throws: EncodingError.self) {
            try Response.json(["value": Double.nan])
        }
    }
}

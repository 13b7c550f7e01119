import Foundation
import StratusDiscovery
import StratusHTTP
import StratusKit
import Synchronization
import Testing

/// Runs `request` through a router with `DeadlineMiddleware` in memory.
private func respond(
    _ middleware: DeadlineMiddleware = DeadlineMiddleware(),
    headers: HTTPFields = [:],
    handler: @escaping @Sendable (Request, RequestContext) async throws -> Response
) async throws -> Response {
    let router = Router()
    router.add(middleware: middleware)
    router.get("/v1/users/:name", use: handler)
    let request = Request(head: HTTPRequestHead(method: .get, target: "/v1/users/alice", headers: headers))
    return try await router.buildResponder().respond(to: request, context: RequestContext(logger: quietLogger))
}

private func errorBody(_ response: Response) throws -> APIErrorBody.Detail {
    guard case .bytes(let bytes) = response.body.storage else {
        Issue.record("expected a body of bytes")
        throw CancellationError()
    }
    return try JSONDecoder().decode(APIErrorBody.self, from: Data(bytes)).error
}

@Suite struct DeadlineMiddlewareTests {
    @Test func handlerSeesDeadlineFromHeader() async throws {
        let seen = Mutex<Duration?>(nil)
        let response = try await respond(headers: [DeadlineHeader.name: "50000"]) { _, _ in
            seen.withLock { $0 = Deadline.current?.remaining }
            return Response.text("ok")
        }
        #expect(response.status == .ok)
        let remaining = try #require(seen.withLock { $0 })
        #expect(remaining > .zero)
        #expect(remaining <= .seconds(50))
    }

    @Test func headerIsCappedAtMaxTimeout() async throws {
        let seen = Mutex<Duration?>(nil)
        let middleware = DeadlineMiddleware(defaultTimeout: nil, maxTimeout: .seconds(1))
        _ = try await respond(middleware, headers: [DeadlineHeader.name: "99999999"]) { _, _ in
            seen.withLock { $0 = Deadline.current?.remaining }
            return Response.text("ok")
        }
        let remaining = try #require(seen.withLock { $0 })
        #expect(remaining <= .seconds(1))
    }

    @Test func defaultTimeoutAppliesWithoutHeader() async throws {
        let seen = Mutex<Duration?>(nil)
        _ = try await respond(DeadlineMiddleware(defaultTimeout: .seconds(40))) { _, _ in
            seen.withLock { $0 = Deadline.current?.remaining }
            return Response.text("ok")
        }
        let remaining = try #require(seen.withLock { $0 })
        #expect(remaining > .zero)
        #expect(remaining <= .seconds(40))
    }

    @Test func noDefaultLeavesNoDeadline() async throws {
        let hadDeadline = Mutex<Bool?>(nil)
        _ = try await respond(DeadlineMiddleware(defaultTimeout: nil)) { _, _ in
            hadDeadline.withLock { $0 = Deadline.current != nil }
            return Response.text("ok")
        }
        #expect(hadDeadline.withLock { $0 } == false)
    }

    @Test func earlierTaskDeadlineWins() async throws {
        let seen = Mutex<Duration?>(nil)
        _ = try await withDeadline(after: .milliseconds(200)) {
            try await respond(headers: [DeadlineHeader.name: "60000"]) { _, _ in
                seen.withLock { $0 = Deadline.current?.remaining }
                return Response.text("ok")
            }
        }
        let remaining = try #require(seen.withLock { $0 })
        #expect(remaining <= .milliseconds(200))
    }

    @Test func expiredDeadlineGets504WithoutHandler() async throws {
        let ran = Atomic<Bool>(false)
        let response = try await respond(headers: [DeadlineHeader.name: "0"]) { _, _ in
            ran.store(true, ordering: .relaxed)
            return Response.text("ok")
        }
        #expect(response.status == .gatewayTimeout)
        let handlerRan = ran.load(ordering: .relaxed)
        #expect(!handlerRan)
        let error = try errorBody(response)
        #expect(error.code == "deadline_exceeded")
        #expect(error.message.contains("GET /v1/users/alice"))
    }

    @Test(arguments: ["abc", "-1", "1.5", "123456789", "", "12 34", "0x10", "+5"])
    func malformedHeaderGets400(value: String) async throws {
        let response = try await respond(headers: [DeadlineHeader.name: value]) { _, _ in Response.text("ok") }
        #expect(response.status == .badRequest)
        let error = try errorBody(response)
        #expect(error.code == "invalid_argument")
        #expect(error.field == DeadlineHeader.name)
        #expect(error.value == value)
        #expect(error.message.contains("\"\(value)\""), "the message names the value: \(error.message)")
        #expect(error.message.contains("milliseconds"), "the message states the format: \(error.message)")
    }

    @Test func repeatedHeaderGets400() async throws {
        let headers = HTTPFields([HTTPField(name: DeadlineHeader.name, value: "100"), HTTPField(name: DeadlineHeader.name, value: "200")])
        let response = try await respond(headers: headers) { _, _ in Response.text("ok") }
        #expect(response.status == .badRequest)
        #expect(try errorBody(response).message.contains("repeated"))
    }

    @Test func slowHandlerIsCancelledWith504() async throws {
        let gate = Gate()
        defer { gate.open() }
        let response = try await respond(headers: [DeadlineHeader.name: "100"]) { _, _ in
            await gate.wait()
            try Task.checkCancellation()
            return Response.text("late")
        }
        #expect(response.status == .gatewayTimeout)
        #expect(gate.cancelledCount == 1, "the handler's task must be cancelled")
        #expect(try errorBody(response).message.contains("cancelled"))
    }

    @Test func handlerErrorPropagates() async throws {
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await respond(headers: [DeadlineHeader.name: "1000"]) { _, _ in throw Failure() }
        }
    }
}

@Suite struct DeadlineHeaderTests {
    @Test func parsesDigits() {
        #expect(DeadlineHeader.parse("250") == .milliseconds(250))
        #expect(DeadlineHeader.parse(" 250\t") == .milliseconds(250))
        #expect(DeadlineHeader.parse("0") == .zero)
        #expect(DeadlineHeader.parse("99999999") == .milliseconds(99_999_999))
        #expect(DeadlineHeader.parse("00000001") == .milliseconds(1))
    }

    @Test func rejectsOtherValues() {
        for value in ["", " ", "100000000", "-5", "5ms", "1e3", "٣"] {
            #expect(DeadlineHeader.parse(value) == nil, "\(value)")
        }
    }

    @Test func formatsWholeMillisecondsRoundedDown() {
        #expect(DeadlineHeader.format(.milliseconds(1_500)) == "1500")
        #expect(DeadlineHeader.format(.microseconds(2_999)) == "2")
        #expect(DeadlineHeader.format(.zero) == "0")
        #expect(DeadlineHeader.format(.milliseconds(-5)) == "0")
        #expect(DeadlineHeader.format(.seconds(1_000_000)) == "99999999")
    }
}

@Suite struct DeadlineTests {
    @Test func nestedDeadlineNeverExtends() async {
        let outer = Deadline.after(.seconds(1))
        await withDeadline(outer) {
            await withDeadline(after: .seconds(60)) {
                #expect(Deadline.current == outer)
            }
            let inner = Deadline.after(.milliseconds(10))
            await withDeadline(inner) {
                #expect(Deadline.current == inner)
            }
        }
        #expect(Deadline.current == nil)
    }

    @Test func remainingIsZeroAfterPassing() {
        let deadline = Deadline(uptimeNanoseconds: 1_000)
        #expect(deadline.remaining(at: 400) == .nanoseconds(600))
        #expect(deadline.remaining(at: 5_000) == .zero)
        #expect(deadline.hasPassed)
        #expect(Deadline.after(.seconds(1), from: .max - 10).uptimeNanoseconds == .max, "the sum saturates")
    }
}

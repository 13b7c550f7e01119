import Foundation
import Glibc
import StratusHTTP
import StratusLog
import StratusNet
import Synchronization
import Testing

// MARK: Starting a server

/// A server started by `withServer` on 127.0.0.1 with a kernel-chosen port.
struct TestServer: Sendable {
    let server: HTTPServer
    let port: Int

    /// Opens a raw client connection to the server.
    func connect(timeout: Duration = .seconds(5)) async throws -> RawClient {
        try await RawClient.connect(port: port, timeout: timeout)
    }
}

/// A logger that drops every record, so rejected requests do not flood the test output.
let quietLogger = Logger(label: "stratus.test") { NoOpLogHandler(label: $0) }

/// Starts a server with port 0 on a new event loop group, runs `body`, then
/// shuts the server down (also when `body` throws) and stops the group.
func withServer(
    loopCount: Int = 1,
    gracePeriod: Duration = .seconds(1),
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    responder: some HTTPResponder,
    _ body: (TestServer) async throws -> Void
) async throws {
    var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let group = try EventLoopGroup(loopCount: loopCount)
    let server = HTTPServer(configuration: configuration, responder: responder, group: group, logger: quietLogger)
    do {
        try await server.start()
    } catch {
        group.shutdown()
        throw error
    }

    var failure: (any Error)?
    do {
        let port = try #require(server.localAddress?.port)
        try await body(TestServer(server: server, port: port))
    } catch {
        failure = error
    }

    await server.shutdown(gracePeriod: gracePeriod)
    group.shutdown()
    if let failure {
        throw failure
    }
}

/// `withServer` with a closure as the responder.
func withServer(
    loopCount: Int = 1,
    gracePeriod: Duration = .seconds(1),
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    handler: @escaping @Sendable (Request, RequestContext) async throws -> Response,
    _ body: (TestServer) async throws -> Void
) async throws {
    try await withServer(
        loopCount: loopCount,
        gracePeriod: gracePeriod,
        configure: configure,
        responder: ClosureResponder(handler),
        body
    )
}

/// A handler that responds 200 with the request path as the body.
let echoPathHandler: @Sendable (Request, RequestContext) async throws -> Response = { request, _ in
    Response.text(String(request.path))
}

// MARK: Awaiting with a bound

/// A test step that took longer than its bound.
struct TimedOutError: Error, CustomStringConvertible {
    let what: String
    var description: String { "\(what) did not finish in time" }
}

/// Waits for `task` for at most `timeout`; throws `TimedOutError` when the
/// time passes first. The task keeps running then, but the test goes on.
func value<T: Sendable>(of task: Task<T, Never>, within timeout: Duration, what: String) async throws -> T {
    let race = FirstResult<T?>()
    let result: T? = await withCheckedContinuation { continuation in
        race.set(continuation)
        Task {
            race.resume(returning: await task.value)
        }
        Task {
            try? await Task.sleep(for: timeout)
            race.resume(returning: nil)
        }
    }
    guard let result else {
        throw TimedOutError(what: what)
    }
    return result
}

/// A continuation that the first of several racing tasks resumes.
private final class FirstResult<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(returning value: T) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}

/// Runs blocking work on a new thread, so blocking socket calls never hold
/// one of the few threads of Swift's cooperative pool.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}

// MARK: Process memory

/// Returns the resident set size of this process in bytes, read from /proc/self/status.
func residentMemory() throws -> Int {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 2, let kibibytes = Int(fields[1]) {
            return kibibytes * 1024
        }
    }
    throw RawClientError(message: "VmRSS not found in /proc/self/status")
}

/// A sampler of the resident set size every 50 ms, which keeps the peak between `start()` and `stop()`.
final class MemorySampler: Sendable {
    private let peak = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    func start() {
        let thread = Thread { [self] in
            // Bounded: stops when asked, and after 10 minutes at the latest.
            for _ in 0..<12_000 where !stopped.load(ordering: .relaxed) {
                if let rss = try? residentMemory() {
                    _ = peak.max(rss, ordering: .relaxed)
                }
                usleep(50_000)
            }
        }
        thread.start()
    }

    /// Stops sampling and returns the peak.
    func stop() -> Int {
        stopped.store(true, ordering: .relaxed)
        if let rss = try? residentMemory() {
            _ = peak.max(rss, ordering: .relaxed)
        }
        return peak.load(ordering: .relaxed)
    }
}

// MARK: Raw client

struct RawClientError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// How a connection ended, as seen by `RawClient.readUntilClose()`.
enum ConnectionEnd: Equatable {
    /// The server closed the connection (read returned 0).
    case closed
    /// The server reset the connection.
    case reset
    /// Nothing happened within the client's read timeout.
    case timedOut
}

/// A parsed HTTP/1.1 response as it came off the wire.
struct RawResponse: Sendable {
    var version: String
    var status: Int
    var reason: String
    var headers: HTTPFields
    var body: [UInt8]
    /// The body length, also when `countBodyOnly` dropped the bytes.
    var bodyCount: Int
    /// Whether the body arrived with chunked transfer coding.
    var isChunked: Bool
    var trailers: HTTPFields

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking TCP client for sending exact bytes to a server on loopback
/// and reading what comes back.
///
/// Every read waits at most the timeout given at connect (SO_RCVTIMEO), so a
/// test never hangs on a server that stays silent. Each async method runs its
/// blocking calls on a thread of its own. Use one client from one task at a time.
final class RawClient: @unchecked Sendable {
    let descriptor: Int32
    let timeout: Duration
    /// Received bytes not yet returned.
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var receivedEOF = false

    private init(descriptor: Int32, timeout: Duration) {
        self.descriptor = descriptor
        self.timeout = timeout
    }

    deinit {
        Glibc.close(descriptor)
    }

    static func connect(port: Int, timeout: Duration = .seconds(5)) async throws -> RawClient {
        let descriptor = try await runBlocking { try openSocket(port: port, timeout: timeout) }
        return RawClient(descriptor: descriptor, timeout: timeout)
    }

    /// Connects to 127.0.0.1:`port`; throws a `SystemError` with the errno
    /// when connect fails (ECONNREFUSED when nothing listens).
    static func openSocket(port: Int, timeout: Duration) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw SystemError(call: "socket", errno: errno)
        }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw SystemError(call: "connect(127.0.0.1:\(port))", errno: code)
        }
        return descriptor
    }

    // MARK: Sending

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await runBlocking { try self.sendNow(bytes) }
    }

    /// Writes all of `bytes`, blocking; for use on a client thread.
    func sendNow(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SystemError(call: "send", errno: errno)
                }
                offset += written
            }
        }
    }

    /// Shuts down the sending side, so the server reads EOF.
    func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    // MARK: Receiving

    /// Reads one response. With `method` HEAD, or a 1xx, 204 or 304 status,
    /// the response has no body. With `countBodyOnly`, body bytes are counted
    /// and dropped, for bodies too large to keep.
    func readResponse(method: String = "GET", countBodyOnly: Bool = false) async throws -> RawResponse {
        try await runBlocking { try self.readResponseNow(method: method, countBodyOnly: countBodyOnly) }
    }

    /// Reads whatever arrives until the server closes or resets the
    /// connection, or until the read timeout passes. Returns how the
    /// connection ended and the bytes that came before.
    func readUntilClose() async throws -> (end: ConnectionEnd, bytes: [UInt8]) {
        try await runBlocking { self.readUntilCloseNow() }
    }

    /// Reads one response and then waits for the connection to end.
    func readResponseAndClose(method: String = "GET") async throws -> (response: RawResponse, end: ConnectionEnd, extra: [UInt8]) {
        let response = try await readResponse(method: method)
        let (end, extra) = try await readUntilClose()
        return (response, end, extra)
    }

    private func readUntilCloseNow() -> (end: ConnectionEnd, bytes: [UInt8]) {
        var bytes = Array(buffer[bufferStart...])
        buffer = []
        bufferStart = 0
        if receivedEOF {
            return (.closed, bytes)
        }
        let start = ContinuousClock.now
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while ContinuousClock.now - start < timeout {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
                continue
            }
            if count == 0 {
                receivedEOF = true
                return (.closed, bytes)
            }
            switch errno {
            case EINTR: continue
            case ECONNRESET: return (.reset, bytes)
            default: return (.timedOut, bytes)
            }
        }
        return (.timedOut, bytes)
    }

    /// Receives more bytes into the buffer; returns false at EOF.
    private func fill() throws -> Bool {
        if receivedEOF { return false }
        if bufferStart > 0 && bufferStart == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
        } else if bufferStart > 1 << 20 {
            buffer.removeSubrange(0..<bufferStart)
            bufferStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 {
                receivedEOF = true
                return false
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw RawClientError(message: "no bytes from the server within \(timeout)")
            case let code: throw SystemError(call: "recv", errno: code)
            }
        }
    }

    /// Returns the next line without its CRLF; a line must end with CRLF.
    private func readLine(limit: Int = 64 * 1024) throws -> String {
        var searchFrom = bufferStart
        while true {
            if let index = buffer[searchFrom...].firstIndex(of: 0x0A) {
                guard index > bufferStart, buffer[index - 1] == 0x0D else {
                    throw RawClientError(message: "response line without CRLF")
                }
                let line = String(decoding: buffer[bufferStart..<(index - 1)], as: UTF8.self)
                bufferStart = index + 1
                return line
            }
            searchFrom = buffer.count
            guard buffer.count - bufferStart <= limit else {
                throw RawClientError(message: "response line longer than \(limit) bytes")
            }
            let offset = searchFrom - bufferStart
            guard try fill() else {
                throw RawClientError(message: "connection closed inside a response line")
            }
            searchFrom = bufferStart + offset
        }
    }

    /// Reads `count` body bytes, keeping them unless `countOnly`.
    private func readBody(count: Int, into body: inout [UInt8], countOnly: Bool) throws {
        var remaining = count
        while remaining > 0 {
            if bufferStart == buffer.count {
                guard try fill() else {
                    throw RawClientError(message: "connection closed with \(remaining) body bytes missing")
                }
            }
            let take = min(remaining, buffer.count - bufferStart)
            if !countOnly {
                body.append(contentsOf: buffer[bufferStart..<(bufferStart + take)])
            }
            bufferStart += take
            remaining -= take
        }
    }

    private func readFields() throws -> HTTPFields {
        var fields = HTTPFields()
        for _ in 0..<1000 {
            let line = try readLine()
            if line.isEmpty {
                return fields
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw RawClientError(message: "header line without colon: \(line)")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append(String(line[..<colon]), value)
        }
        throw RawClientError(message: "more than 1000 header lines")
    }

    private func readResponseNow(method: String, countBodyOnly: Bool) throws -> RawResponse {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw RawClientError(message: "malformed status line: \(statusLine)")
        }
        var response = RawResponse(
            version: String(parts[0]),
            status: status,
            reason: parts.count > 2 ? String(parts[2]) : "",
            headers: try readFields(),
            body: [],
            bodyCount: 0,
            isChunked: false,
            trailers: [:]
        )
        let hasNoBody = method == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304
        if hasNoBody {
            return response
        }
        if response.headers.containsToken("chunked", in: "Transfer-Encoding") {
            response.isChunked = true
            try readChunkedBody(into: &response, countOnly: countBodyOnly)
        } else if let lengthText = response.headers["Content-Length"] {
            guard let length = Int(lengthText) else {
                throw RawClientError(message: "invalid Content-Length: \(lengthText)")
            }
            try readBody(count: length, into: &response.body, countOnly: countBodyOnly)
            response.bodyCount = length
        } else {
            // The body ends when the server closes the connection.
            while try fill() {}
            response.bodyCount = buffer.count - bufferStart
            if !countBodyOnly {
                response.body = Array(buffer[bufferStart...])
            }
            bufferStart = buffer.count
        }
        return response
    }

    private func readChunkedBody(into response: inout RawResponse, countOnly: Bool) throws {
        while true {
            let sizeLine = try readLine()
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw RawClientError(message: "invalid chunk-size line: \(sizeLine)")
            }
            if size == 0 {
                response.trailers = try readFields()
                return
            }
            try readBody(count: size, into: &response.body, countOnly: countOnly)
            response.bodyCount += size
            guard try readLine().isEmpty else {
                throw RawClientError(message: "chunk data not followed by CRLF")
            }
        }
    }
}

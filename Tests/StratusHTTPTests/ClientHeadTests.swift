@testable import StratusHTTP
import Testing

@Suite("Client request head")
struct ClientHeadTests {
    static func head(_ request: HTTPClientRequest) throws -> String {
        let target = RequestTarget(host: "127.0.0.1", port: 8080, target: "/path?q=1")
        return String(decoding: try ClientConnection.serializeHead(request, target: target), as: UTF8.self)
    }

    @Test("host added after fields")
    func hostAddedAfterFields() throws {
        let request = HTTPClientRequest(url: "/", headers: ["Accept": "*/*"])
        #expect(try Self.head(request) == "GET /path?q=1 HTTP/1.1\r\nAccept: */*\r\nHost: 127.0.0.1:8080\r\n\r\n")
    }

    @Test("caller's host kept")
    func callersHostKept() throws {
        let request = HTTPClientRequest(url: "/", headers: ["host": "example.test", "Accept": "*/*"])
        #expect(try Self.head(request) == "GET /path?q=1 HTTP/1.1\r\nhost: example.test\r\nAccept: */*\r\n\r\n")
    }

    @Test("caller's framing replaced")
    func callersFramingReplaced() throws {
        let request = HTTPClientRequest(
            method: .post, url: "/",
            headers: ["Host": "a", "content-length": "99", "Transfer-Encoding": "chunked", "X-Trace": "1"],
            body: OutgoingBody(string: "hello")
        )
        #expect(try Self.head(request) == "POST /path?q=1 HTTP/1.1\r\nHost: a\r\nX-Trace: 1\r\nContent-Length: 5\r\n\r\n")
    }

    @Test("invalid field value rejected")
    func invalidFieldValueRejected() {
        let request = HTTPClientRequest(url: "/", headers: ["X-Note": "a\r\nInjected: yes"])
        let error = #expect(throws: HTTPClientError.self) { try Self.head(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error.map { "\($0)".contains("X-Note") } == true, "the error names the field: \(String(describing: error))")
    }

    @Test("invalid host rejected")
    func invalidHostRejected() {
        let target = RequestTarget(host: "a\r\nInjected: yes", port: 8080, target: "/")
        let error = #expect(throws: HTTPClientError.self) {
            try ClientConnection.serializeHead(HTTPClientRequest(url: "/"), target: target)
        }
        #expect(error?.code == .invalidRequest)
        #expect(error.map { "\($0)".contains("invalid host") } == true, "\(String(describing: error))")
    }
}

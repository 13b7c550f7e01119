/// Parses a complete request head and decides its body framing.
enum RequestHeadParser {
    static func parse(_ head: UnsafeRawBufferPointer, lineEnds: [Int], limits: HTTPLimits) throws(HTTPParseError) -> HTTPRequestHead {
        let requestLine = UnsafeRawBufferPointer(rebasing: head[0..<lineEnds[0]])
        var request = try parseRequestLine(requestLine, limits: limits)
        request.headers = try FieldLineParser.parseFields(head, lineEnds: lineEnds, firstFieldLine: 1, maxCount: limits.maxHeaderCount)
        try validateHost(request)
        return request
    }

    /// request-line = method SP request-target SP HTTP-version (RFC 9112, section 3),
    /// with exactly one space between the parts.
    static func parseRequestLine(_ line: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> HTTPRequestHead {
        var index = 0
        let token = ByteClass.token
        while index < line.count && line[index] != 0x20 {
            guard token[Int(line[index])] else {
                throw .badRequest("invalid character \(describeByte(line[index])) in method \(describeBytes(line[0...index]))")
            }
            index += 1
        }
        guard index > 0, index < line.count else {
            throw .badRequest("malformed request line \(describeBytes(line)); expected method SP target SP version")
        }
        let method = HTTPMethod(rawValue: String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<index]), as: UTF8.self))
        let targetStart = index + 1
        index = targetStart
        while index < line.count && line[index] != 0x20 {
            guard ByteClass.target[Int(line[index])] else {
                throw .badRequest("invalid character \(describeByte(line[index])) in request target")
            }
            index += 1
        }
        guard index > targetStart, index < line.count else {
            throw .badRequest("malformed request line \(describeBytes(line)); expected method SP target SP version")
        }
        if index - targetStart > limits.maxTargetLength {
            throw HTTPParseError(.uriTooLong, "request target of \(index - targetStart) bytes, more than the limit of \(limits.maxTargetLength)")
        }
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: line[targetStart..<index]), as: UTF8.self)
        let version = try parseVersion(UnsafeRawBufferPointer(rebasing: line[(index + 1)...]))
        return HTTPRequestHead(method: method, target: target, version: version, headers: [:])
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112, section 2.3). A well-formed
    /// version other than 1.0 and 1.1 gets 505; a malformed one gets 400.
    static func parseVersion(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count == 8,
              bytes.starts(with: "HTTP/".utf8),
              digit.contains(bytes[5]), bytes[6] == UInt8(ascii: "."), digit.contains(bytes[7])
        else {
            throw .badRequest("malformed HTTP version \(describeBytes(bytes)); expected HTTP/1.1")
        }
        let version = HTTPVersion(major: Int(bytes[5] - digit.lowerBound), minor: Int(bytes[7] - digit.lowerBound))
        guard version == .http1_1 || version == .http1_0 else {
            throw HTTPParseError(.httpVersionNotSupported, "HTTP version \(version) is not supported; use HTTP/1.1")
        }
        return version
    }

    /// RFC 9112, section 3.2: an HTTP/1.1 request has exactly one Host field.
    static func validateHost(_ request: HTTPRequestHead) throws(HTTPParseError) {
        let hosts = request.headers.values(for: "Host")
        if hosts.count > 1 {
            throw .badRequest("\(hosts.count) Host fields; a request has exactly one")
        }
        if hosts.isEmpty && request.version == .http1_1 {
            throw .badRequest("missing Host field; HTTP/1.1 requests need exactly one")
        }
        if let host = hosts.first, host.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "@") }) {
            throw .badRequest("invalid Host \(describeBytes(host.utf8))")
        }
    }

    /// Decides how the request body is framed (RFC 9112, section 6.3).
    static func framing(of request: HTTPRequestHead, limits: HTTPLimits) throws(HTTPParseError) -> BodyFraming {
        let transferEncodings = request.headers.values(for: "Transfer-Encoding")
        let contentLengths = request.headers.values(for: "Content-Length")
        if !transferEncodings.isEmpty {
            // Both fields: the classic request-smuggling shape (RFC 9112, section 6.3, rule 3).
            guard contentLengths.isEmpty else {
                throw .badRequest("both Transfer-Encoding and Content-Length are present")
            }
            guard request.version == .http1_1 else {
                throw .badRequest("Transfer-Encoding in an HTTP/1.0 request")
            }
            return try chunkedFraming(transferEncodings)
        }
        guard !contentLengths.isEmpty else {
            return .none
        }
        let length = try contentLength(contentLengths)
        if length > limits.maxBodySize {
            throw HTTPParseError(.contentTooLarge, "Content-Length \(length) is more than the limit of \(limits.maxBodySize) bytes")
        }
        return .contentLength(length)
    }

    /// Only `chunked` is implemented; it must be the final coding and appear once.
    private static func chunkedFraming(_ values: [String]) throws(HTTPParseError) -> BodyFraming {
        let codings = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingASCIISpaces() }
        for coding in codings where !coding.equalsIgnoringASCIICase("chunked") {
            if coding.isEmpty {
                throw .badRequest("empty transfer coding in Transfer-Encoding \(describeBytes(values.joined(separator: ", ").utf8))")
            }
            throw HTTPParseError(.notImplemented, "transfer coding \(describeBytes(coding.utf8)) is not supported; only chunked is")
        }
        guard codings.count == 1 else {
            throw .badRequest("chunked applied more than once in Transfer-Encoding")
        }
        return .chunked
    }

    /// Parses Content-Length; repeated or listed values must all be equal
    /// (RFC 9110, section 8.6).
    static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int64 {
        var result: Int64?
        for value in values {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = element.trimmingASCIISpaces()
                guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int64(text) else {
                    throw .badRequest("invalid Content-Length \(describeBytes(value.utf8)); expected a decimal number of bytes")
                }
                if let result, result != length {
                    throw .badRequest("Content-Length values differ: \(result) and \(length)")
                }
                result = length
            }
        }
        return result ?? 0
    }
}

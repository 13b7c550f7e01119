import IAMModel
public import StratusHTTP

extension Request {
    /// The largest request body the IAM servers read.
    public static let maxIAMBodySize = 1 << 20

    /// Reads the body and decodes it as JSON, whatever the `Content-Type`
    /// declares.
    ///
    /// - Throws: `IAMError` with code 100003 when the body is not JSON of
    ///   the expected shape; `HTTPError` 413 when it exceeds 1 MiB.
    public func decodeJSON<Value: Decodable>(_ type: Value.Type) async throws -> Value {
        let bytes = try await body.collect(upTo: Self.maxIAMBodySize)
        do {
            return try JSONCoding.decode(type, from: bytes)
        } catch {
            throw IAMError(.bind, "the body is not a valid \(type) in JSON: \(error)")
        }
    }

    /// Returns a path parameter, percent-decoded.
    public func pathParameter(_ name: String, in context: RequestContext) -> String {
        let raw = context.parameters[name] ?? ""
        return raw.removingPercentEncodingIfValid
    }

    /// Returns every value of the query parameter `name`, in order.
    public func queryValues(_ name: String) -> [String] {
        queryParameters.filter { $0.name == name }.map(\.value)
    }
}

extension String {
    /// The text with `%XX` escapes decoded, or unchanged when an escape is
    /// malformed.
    var removingPercentEncodingIfValid: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return self }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

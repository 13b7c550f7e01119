import StratusHTTP

extension TracingMiddleware {
    /// The request fields that server span attributes come from, found in
    /// one pass over the fields instead of one lookup each. As the
    /// `HTTPFields` subscript does, each is the first field of its name,
    /// compared without regard to ASCII case.
    struct RequestFields {
        var host: String?
        var forwardedFor: String?
        var userAgent: String?

        init(_ headers: HTTPFields) {
            for index in headers.indices {
                let name = headers[index].name
                // Names of other lengths are passed over without comparing bytes.
                switch name.utf8.count {
                case 4 where host == nil && Self.name(name, equals: "host"):
                    host = headers[index].value
                case 10 where userAgent == nil && Self.name(name, equals: "user-agent"):
                    userAgent = headers[index].value
                case 15 where forwardedFor == nil && Self.name(name, equals: "x-forwarded-for"):
                    forwardedFor = headers[index].value
                default:
                    break
                }
            }
        }

        /// Returns whether `name` equals `lowercaseName` when ASCII letters
        /// are compared without case. It is written here, with concrete
        /// types, because the generic comparison of StratusHTTP is not
        /// specialized across the module boundary and costs several times more.
        private static func name(_ name: String, equals lowercaseName: StaticString) -> Bool {
            lowercaseName.withUTF8Buffer { expected in
                name.utf8.elementsEqual(expected) { byte, lowercase in
                    (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == lowercase
                }
            }
        }
    }
}

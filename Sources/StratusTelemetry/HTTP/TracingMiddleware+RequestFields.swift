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
                case 4 where host == nil && name.equalsIgnoringASCIICase("Host"):
                    host = headers[index].value
                case 10 where userAgent == nil && name.equalsIgnoringASCIICase("User-Agent"):
                    userAgent = headers[index].value
                case 15 where forwardedFor == nil && name.equalsIgnoringASCIICase("X-Forwarded-For"):
                    forwardedFor = headers[index].value
                default:
                    break
                }
            }
        }
    }
}

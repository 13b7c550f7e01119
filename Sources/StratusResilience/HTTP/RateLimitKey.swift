public import StratusHTTP

/// The value a rate-limit middleware counts requests by. Requests without a key
/// (no peer address, a missing header) share one quota, under the empty key.
public struct RateLimitKey: Sendable {
    let extract: @Sendable (Request, RequestContext) -> String?

    /// One quota for every request the middleware handles.
    public static let global = RateLimitKey { _, _ in "" }

    /// A quota per client address: the host of `context.remoteAddress`,
    /// without the port. Behind a proxy every request has the proxy's
    /// address; use `header("X-Forwarded-For")` there only when the proxy
    /// sets it.
    public static let clientAddress = RateLimitKey { _, context in
        context.remoteAddress.map(host(of:))
    }

    /// A quota per matched route template (`/v1/users/:name`), so one
    /// middleware limits each route on its own. Requests that match no
    /// route share one quota.
    public static let route = RateLimitKey { _, context in
        context.route
    }

    /// Returns a key that gives a quota per value of the header field
    /// `name`, such as an API key.
    public static func header(_ name: String) -> RateLimitKey {
        RateLimitKey { request, _ in request.headers[name] }
    }

    /// Returns a key that gives a quota per value that `extract` returns
    /// for a request.
    public static func custom(_ extract: @escaping @Sendable (Request, RequestContext) -> String?) -> RateLimitKey {
        RateLimitKey(extract: extract)
    }

    /// Returns the host of `host:port` or `[host]:port`.
    static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        guard let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon])
    }
}

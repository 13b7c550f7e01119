/// Metadata keys of the policies' log events, defined once.
enum PolicyLogKey {
    static let policy = "gateway.policy"
    static let reason = "gateway.reason"
    /// The verifier's detail behind a reason, such as `bad_signature`.
    static let detail = "gateway.detail"
    static let consumer = "gateway.consumer"
    static let clientAddress = "client.address"
    static let route = "gateway.route"
    static let keyID = "jwt.kid"
    static let url = "url.full"
    static let limiter = "ratelimit.name"
    static let error = "error"
}

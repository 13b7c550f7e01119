public import StratusDiscovery
public import StratusHTTP

/// A response from an instance of a service, with its whole body.
public struct ServiceResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPFields
    public var body: [UInt8]
    /// The instance that sent the response.
    public var instance: ServiceInstance
    /// The attempts the call took: 1 when the first attempt got this response.
    public var attempts: Int

    public init(status: HTTPStatus, headers: HTTPFields = [:], body: [UInt8] = [], instance: ServiceInstance, attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.instance = instance
        self.attempts = attempts
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status.code) }
}

/// The body of a registration: the instance and the TTL of its lease.
public struct RegistrationRequest: Sendable, Hashable, Codable {
    public var instance: ServiceInstance
    /// Seconds the registration lives without a heartbeat, 1 to 300.
    /// Default 3.
    public var ttlSeconds: Int64

    public init(instance: ServiceInstance, ttlSeconds: Int64 = 3) {
        self.instance = instance
        self.ttlSeconds = ttlSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case instance, ttlSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instance = try container.decode(ServiceInstance.self, forKey: .instance)
        ttlSeconds = try container.decodeIfPresent(Int64.self, forKey: .ttlSeconds) ?? 3
    }

    /// The TTLs a registration may ask for.
    public static let ttlRange: ClosedRange<Int64> = 1...300
}

/// The response to a registration.
public struct RegistrationResponse: Sendable, Hashable, Codable {
    public var instance: ServiceInstance
    /// The lease in hexadecimal, as etcd prints lease ids.
    public var lease: String
    public var ttlSeconds: Int64
    /// The store's revision after the registration.
    public var revision: Int64

    public init(instance: ServiceInstance, lease: String, ttlSeconds: Int64, revision: Int64) {
        self.instance = instance
        self.lease = lease
        self.ttlSeconds = ttlSeconds
        self.revision = revision
    }
}

/// The body of a status change.
public struct StatusChange: Sendable, Hashable, Codable {
    public var status: InstanceStatus

    public init(status: InstanceStatus) {
        self.status = status
    }
}

/// The instances of one service at a revision.
public struct InstanceList: Sendable, Hashable, Codable {
    public var service: String
    public var revision: Int64
    public var instances: [ServiceInstance]

    public init(service: String, revision: Int64, instances: [ServiceInstance]) {
        self.service = service
        self.revision = revision
        self.instances = instances
    }
}

/// A registered service and how many of its instances are in each status.
public struct ServiceSummary: Sendable, Hashable, Codable {
    public var name: String
    public var instances: Int
    public var up: Int

    public init(name: String, instances: Int, up: Int) {
        self.name = name
        self.instances = instances
        self.up = up
    }
}

public struct ServiceList: Sendable, Hashable, Codable {
    public var revision: Int64
    public var services: [ServiceSummary]

    public init(revision: Int64, services: [ServiceSummary]) {
        self.revision = revision
        self.services = services
    }
}

/// One change seen by a registry watch, sent as one JSON line.
///
/// `put` carries the instance as registered or changed, `delete` the
/// service and id of an instance that left (deregistered, or its lease
/// expired). `resync` replaces the watcher's whole list: it carries
/// every instance in scope at `revision`, and follows when the watch fell
/// behind history that was compacted.
public struct RegistryEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case put = "PUT"
        case delete = "DELETE"
        case resync = "RESYNC"
    }

    public var type: Kind
    public var revision: Int64
    public var service: String?
    public var id: String?
    public var instance: ServiceInstance?
    /// For `resync`: every instance in scope.
    public var instances: [ServiceInstance]?

    public init(type: Kind, revision: Int64, service: String? = nil, id: String? = nil, instance: ServiceInstance? = nil, instances: [ServiceInstance]? = nil) {
        self.type = type
        self.revision = revision
        self.service = service
        self.id = id
        self.instance = instance
        self.instances = instances
    }
}

/// The JSON error body of every failed control-plane request.
public struct APIErrorBody: Sendable, Hashable, Codable {
    public struct Detail: Sendable, Hashable, Codable {
        /// A stable code: invalid_argument, not_found, conflict, unavailable, internal.
        public var code: String
        public var message: String
        /// For invalid_argument: the field, the value received and what is allowed.
        public var field: String?
        public var value: String?
        public var expected: String?

        public init(code: String, message: String, field: String? = nil, value: String? = nil, expected: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
            self.value = value
            self.expected = expected
        }
    }

    public var error: Detail

    public init(error: Detail) {
        self.error = error
    }
}

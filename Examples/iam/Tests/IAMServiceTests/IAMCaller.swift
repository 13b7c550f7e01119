import Foundation
import IAMHTTP
import StratusHTTP
import StratusKit

/// A response as the tests read it.
struct CallResult {
    let status: Int
    let headers: HTTPFields
    let text: String

    /// The body as a JSON object, or nil.
    var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    var code: Int? { object?["code"] as? Int }

    func string(_ key: String) -> String? { object?[key] as? String }
}

/// Calls one IAM service, either by name through the service client, so a
/// request that cannot reach a killed replica goes to another, or at a base
/// URL, such as the gateway's.
struct IAMCaller {
    enum Transport {
        case service(ServiceClient)
        case url(String, HTTPClient)
    }

    let transport: Transport

    init(client: ServiceClient) {
        transport = .service(client)
    }

    init(baseURL: String, http: HTTPClient) {
        transport = .url(baseURL, http)
    }

    func call(_ method: HTTPMethod, _ path: String, body: String? = nil, headers: HTTPFields = [:]) async throws -> CallResult {
        var headers = headers
        if body != nil { headers.append("Content-Type", "application/json") }
        let bytes = Array((body ?? "").utf8)
        switch transport {
        case .service(let client):
            let response = try await client.send(ServiceRequest(method: method, path: path, headers: headers, body: bytes))
            return CallResult(status: response.status.code, headers: response.headers, text: String(decoding: response.body, as: UTF8.self))
        case .url(let baseURL, let http):
            let request = HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: OutgoingBody(bytes: bytes))
            let (response, received) = try await http.execute(request, collectingUpTo: 1 << 20)
            return CallResult(status: response.status.code, headers: response.headers, text: String(decoding: received, as: UTF8.self))
        }
    }

    func bearer(_ token: String) -> HTTPFields {
        ["Authorization": "Bearer \(token)"]
    }
}

/// Builds request bodies.
enum Bodies {
    static func user(_ name: String, password: String = "User@2021", email: String? = nil, isAdmin: Int = 0) -> String {
        #"{"metadata":{"name":"\#(name)","createdAt":"0001-01-01T00:00:00Z","updatedAt":"0001-01-01T00:00:00Z"},"nickname":"\#(name)","password":"\#(password)","email":"\#(email ?? "\(name)@example.org")","phone":"1812884xxxx","isAdmin":\#(isAdmin)}"#
    }

    static func secret(_ name: String, expires: Int64 = 0) -> String {
        #"{"metadata":{"name":"\#(name)"},"expires":\#(expires),"description":"test secret","username":"","secretID":""}"#
    }

    static func policy(_ name: String, effect: String = "allow") -> String {
        """
        {"metadata":{"name":"\(name)"},"policy":{"description":"articles","subjects":["users:<peter|ken>"],"actions":["<delete|update>"],\
        "effect":"\(effect)","resources":["resources:articles:<.*>"],\
        "conditions":{"remoteIP":{"type":"CIDRCondition","options":{"cidr":"192.168.0.1/16"}}}}}
        """
    }

    static let matchingRequest = #"{"subject":"users:peter","action":"delete","resource":"resources:articles:ladon-introduction","context":{"remoteIP":"192.168.0.5"}}"#
    static let nonMatchingRequest = #"{"subject":"users:maria","action":"delete","resource":"resources:articles:ladon-introduction","context":{"remoteIP":"192.168.0.5"}}"#
}

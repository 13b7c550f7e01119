import Foundation
import StratusHTTP

/// The JSON error responses the gateway itself sends, in the shape of
/// `PolicyRejection.response`: `{"reason": ..., "message": ...}`, with a
/// stable `reason` code.
enum GatewayErrorResponse {
    static func make(_ status: HTTPStatus, reason: String, message: String, headers: HTTPFields = [:]) -> Response {
        var body = "{\"reason\":\"\(reason)\",\"message\":"
        body += jsonString(message)
        body += "}\n"
        var response = Response(status: status, headers: headers, body: OutgoingBody(string: body))
        response.headers.set("Content-Type", "application/json")
        return response
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

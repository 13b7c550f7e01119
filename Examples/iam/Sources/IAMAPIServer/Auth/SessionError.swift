import IAMHTTP
import IAMModel
import StratusHTTP

/// A failure of the session-token layer (login, refresh, Bearer tokens):
/// `{"message":…}` without a code, with `WWW-Authenticate: JWT realm=…`.
struct SessionError: RespondingError, CustomStringConvertible {
    let status: Int
    let message: String
    let realm: String

    static let incorrectCredentials = "incorrect Username or Password"

    var description: String { "\(status) \(message)" }

    var response: Response {
        var response = IAMResponses.json(["message": message], status: HTTPStatus(code: status))
        response.headers.set("WWW-Authenticate", "JWT realm=\(realm)")
        return response
    }
}

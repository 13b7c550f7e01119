import StratusKit

struct Greeting: Codable, Sendable {
    var language: String
    var text: String
}

struct Message: Encodable {
    var message: String
    /// True when greeter-names could not be reached and the English
    /// fallback was used.
    var degraded: Bool
}

/// greeter-api: greets a person in their language, asking greeter-names
/// for the greeting. When greeter-names is unavailable it degrades to an
/// English greeting rather than failing.
@main
struct GreeterAPI {
    static func main() async {
        await ServiceApplication.main(name: "greeter-api", version: "1.0.0") { app in
            let names = app.serviceClient("greeter-names")

            app.router.get("/v1/hello/:name") { request, context in
                let name = context.parameters["name"] ?? ""
                let language = request.queryParameter("lang") ?? "en"
                let greeting: Greeting
                do {
                    greeting = try await names.get("/v1/greetings/\(language)", as: Greeting.self)
                } catch let error as ServiceClientError where error.code == .unexpectedStatus && error.status == 404 {
                    throw HTTPError(.badRequest, message: error.message)
                } catch {
                    context.logger.warning("greeter-names unavailable; answering in English", metadata: ["error": "\(error)"])
                    return try Response.json(Message(message: "Hello, \(name)!", degraded: true))
                }
                return try Response.json(Message(message: "\(greeting.text), \(name)!", degraded: false))
            }
        }
    }
}

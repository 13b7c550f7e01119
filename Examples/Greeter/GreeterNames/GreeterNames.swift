import StratusKit

/// The `greetings` section of greeter-names.yaml: a greeting per language.
struct GreetingSettings: Decodable, Sendable {
    var greetings: [String: String] = ["en": "Hello"]
}

struct Greeting: Codable, Sendable {
    var language: String
    var text: String
}

/// The error body every Stratus service answers with.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
    }

    var error: Detail
}

/// greeter-names: returns the greeting of a language. The greeter-api
/// service calls it through the service client.
@main
struct GreeterNames {
    static func main() async {
        await ServiceApplication.main(name: "greeter-names", version: "1.0.0") { app in
            let settings = try app.configuration.load(GreetingSettings.self, at: "names") ?? GreetingSettings()
            let known = settings.greetings.keys.sorted().joined(separator: ", ")

            app.router.get("/v1/greetings/:language") { _, context in
                let language = context.parameters["language"] ?? ""
                guard let text = settings.greetings[language] else {
                    let message = "no greeting for language \"\(language)\"; known languages: \(known)"
                    return try Response.json(ErrorBody(error: .init(code: "not_found", message: message)), status: .notFound)
                }
                return try Response.json(Greeting(language: language, text: text))
            }
        }
    }
}

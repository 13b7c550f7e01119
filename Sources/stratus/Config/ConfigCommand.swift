import Foundation
import StratusConfig

/// `stratus config`: edits, publishes, rolls back and inspects config-center
/// namespaces through a control plane's API.
enum ConfigCommand {
    static let usage = """
        usage: stratus config <command> [arguments] [options]

        commands:
          create --format FORMAT [--schema FILE]   create a namespace: key-value, yaml, json or properties
          list                                     list the namespaces of --app and --env
          get [KEY] [--release N]                  show the draft, one key of it, or a release
          set KEY VALUE [--secret]                 set an item of a key-value draft
          set --file FILE                          replace the document of a yaml, json or properties draft
          unset KEY                                remove an item from the draft
          schema --file FILE | --remove            attach a JSON Schema that publishes must pass, or remove it
          publish [--comment TEXT]                 validate the draft and release it to every instance
          rollback [--to N] [--comment TEXT]       publish an earlier release again (default: the one before)
          history                                  list the releases and the instances running each
          diff [--from V] [--to V]                 compare releases, draft or none (default: main release to draft)
          gray start [--labels K=V,...] [--instances ID,...] [--comment TEXT]
                                                   release the draft only to matching instances
          gray promote | gray abandon              release the gray release to everyone, or end it
          audit [--limit N]                        list who changed what, newest first

        options:
          --controlplane URL   the control plane (default http://127.0.0.1:7700)
          --app NAME           the application, such as iam-apiserver (required)
          --env NAME           the environment (default dev)
          --namespace NAME     the namespace (default application)
          --author NAME        who makes the change, for the audit log (default $USER)
          --comment TEXT       why, stored with the release
          --output FORMAT      table (default) or json
        """

    static let defaultControlPlane = "http://127.0.0.1:7700"

    /// Runs the command line after `stratus config`: the command is the
    /// first argument that is not an option.
    static func run(_ arguments: [String]) async {
        if arguments.isEmpty {
            fail(usage)
        }
        if arguments.contains(where: { ["--help", "-h", "help"].contains($0) }) {
            print(usage)
            exit(0)
        }
        var options: ConfigOptions
        let client: ConfigCenterClient
        do {
            options = try ConfigOptions(parsing: arguments)
            _ = try options.wantsJSON()
            client = try ConfigCenterClient(endpoints: [options.value("--controlplane") ?? defaultControlPlane])
        } catch {
            fail("stratus config: \(error)\n\nRun `stratus config --help` for the commands and options.")
        }
        guard !options.positional.isEmpty else {
            fail("stratus config: missing the command, such as get, set or publish\n\nRun `stratus config --help` for the commands and options.")
        }
        let command = options.positional.removeFirst()
        do {
            let output = try await perform(command, options: options, client: client)
            if !output.isEmpty { print(output) }
        } catch let error as UsageError {
            fail("stratus config \(command): \(error)\n\nRun `stratus config --help` for the commands and options.")
        } catch let error as ConfigCenterError {
            fail("stratus config \(command): \(error.message)", status: 1)
        } catch {
            fail("stratus config \(command): \(error)", status: 1)
        }
    }

    /// Runs one command and returns what to print.
    static func perform(_ command: String, options: ConfigOptions, client: ConfigCenterClient) async throws -> String {
        let author = { () throws(UsageError) in try options.author() }
        switch command {
        case "create":
            try options.expectPositional(0, usage: "stratus config create --format FORMAT")
            let formatText = try options.required("--format", "yaml")
            guard let format = NamespaceFormat(rawValue: formatText) else {
                throw UsageError("invalid --format \(formatText); expected key-value, yaml, json or properties")
            }
            let request = CreateNamespaceRequest(format: format, schema: try options.fileContents("--schema"), author: try author())
            return try render(try await client.createNamespace(try options.coordinates(), request), options)
        case "list":
            try options.expectPositional(0, usage: "stratus config list --app APP --env ENV")
            let namespace = try options.coordinates()
            return try render(try await client.namespaces(application: namespace.application, environment: namespace.environment), options)
        case "get":
            return try await get(options: options, client: client)
        case "set":
            return try await set(options: options, client: client, author: try author())
        case "unset":
            try options.expectPositional(1, usage: "stratus config unset KEY")
            guard let key = options.positional.first else { throw UsageError("missing KEY; usage: stratus config unset KEY") }
            return try render(try await client.deleteItem(try options.coordinates(), key: key, author: try author()), options)
        case "schema":
            return try await schema(options: options, client: client, author: try author())
        case "publish":
            try options.expectPositional(0, usage: "stratus config publish [--comment TEXT]")
            let request = PublishRequest(author: try author(), comment: options.value("--comment") ?? "")
            return try render(try await client.publish(try options.coordinates(), request), options)
        case "rollback":
            try options.expectPositional(0, usage: "stratus config rollback [--to N]")
            let request = RollbackRequest(to: try options.number("--to"), author: try author(), comment: options.value("--comment") ?? "")
            return try render(try await client.rollback(try options.coordinates(), request), options)
        case "history":
            try options.expectPositional(0, usage: "stratus config history")
            return try render(try await client.history(try options.coordinates()), options)
        case "diff":
            try options.expectPositional(0, usage: "stratus config diff [--from V] [--to V]")
            return try render(try await client.diff(try options.coordinates(), from: options.value("--from"), to: options.value("--to")), options)
        case "gray":
            return try await gray(options: options, client: client, author: try author())
        case "audit":
            try options.expectPositional(0, usage: "stratus config audit [--limit N]")
            let namespace = try options.coordinates()
            let log = try await client.audit(
                application: namespace.application, environment: options.value("--env"), namespace: options.value("--namespace"),
                limit: try options.number("--limit") ?? 100
            )
            return try render(log, options)
        default:
            throw UsageError("unknown command \(command)")
        }
    }
}

import Foundation
import StratusDiscovery
import StratusNet

/// A service instance that the discovery tests start and kill: it registers
/// with the control plane, prints "registered", heartbeats, and on SIGTERM
/// deregisters, prints "deregistered" and exits.
///
/// usage: stratus-instance-probe --control-plane URL[,URL] --service NAME --id ID --port N [--ttl SECONDS]
@main
struct InstanceProbe {
    static func main() async {
        var options: [String: String] = [:]
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let name = iterator.next(), let value = iterator.next() {
            options[String(name.drop { $0 == "-" })] = value
        }
        guard let endpoints = options["control-plane"], let service = options["service"], let id = options["id"],
              let port = Int(options["port"] ?? "")
        else {
            FileHandle.standardError.write(Data("usage: stratus-instance-probe --control-plane URL --service NAME --id ID --port N [--ttl SECONDS]\n".utf8))
            exit(2)
        }
        do {
            let client = try ControlPlaneClient(endpoints: endpoints.split(separator: ",").map(String.init))
            let instance = ServiceInstance(service: service, id: id, address: "127.0.0.1", port: port)
            let registrar = ServiceRegistrar(client: client, instance: instance, ttlSeconds: Int64(options["ttl"] ?? "3") ?? 3)
            try await registrar.start()
            print("registered")
            fflush(nil)
            _ = await TerminationSignal.wait()
            await registrar.stop()
            print("deregistered")
            fflush(nil)
        } catch {
            FileHandle.standardError.write(Data("stratus-instance-probe: \(error)\n".utf8))
            exit(1)
        }
    }
}

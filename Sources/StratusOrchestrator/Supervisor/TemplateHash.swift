import StratusAppSpec
import StratusControlPlane

/// The hash of what a service's replicas run: program, arguments,
/// environment, working directory and restart stamp. Replicas whose hash
/// differs from the service's current one are replaced by a rollout, as a
/// Deployment's pod-template hash selects its ReplicaSet.
enum TemplateHash {
    /// Returns 10 hexadecimal digits of a 64-bit FNV-1a hash.
    static func of(_ service: ServiceSpec, deployment: DeploymentState?) -> String {
        var parts = [service.product ?? "", service.command ?? "", service.workingDirectory ?? ""]
        parts += service.arguments
        parts += service.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        parts.append(deployment?.restartedAt ?? "")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{0}").utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let text = String(hash, radix: 16)
        return String((String(repeating: "0", count: 16 - text.count) + text).prefix(10))
    }
}

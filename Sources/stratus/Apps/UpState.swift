import Foundation

/// The record of a running `stratus up` in `<state-dir>/up.json`, from which
/// the other commands find its control plane and app.
struct UpState: Codable {
    static let defaultDirectory = ".stratus"

    var app: String
    var pid: Int32
    var controlPlane: String
    var gateway: String?

    static func path(stateDirectory: String) -> String {
        stateDirectory + "/up.json"
    }

    /// Returns the recorded state, nil when none is recorded or the
    /// process that recorded it is gone.
    static func read(stateDirectory: String) -> UpState? {
        guard let data = FileManager.default.contents(atPath: path(stateDirectory: stateDirectory)),
              let state = try? JSONDecoder().decode(UpState.self, from: data) else { return nil }
        return kill(state.pid, 0) == 0 ? state : nil
    }

    func write(stateDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(stateDirectory: stateDirectory)))
    }

    static func remove(stateDirectory: String) {
        try? FileManager.default.removeItem(atPath: path(stateDirectory: stateDirectory))
    }
}

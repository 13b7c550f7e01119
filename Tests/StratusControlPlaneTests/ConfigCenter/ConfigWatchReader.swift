import Foundation
import StratusConfig
import StratusDiscovery
import StratusHTTP

/// Reads a config watch stream line by line, for tests.
final class ConfigWatchReader: @unchecked Sendable {
    private var iterator: IncomingBody.AsyncIterator
    private var splitter = JSONLineSplitter()
    private var pending: [[UInt8]] = []
    let client: HTTPClient
    let status: Int

    /// Opens `/api/v1/config/apps/iam-apiserver/envs/dev/watch` for an instance.
    init(baseURL: String, namespaces: String = "application", instance: String, labels: String = "") async throws {
        var configuration = HTTPClientConfiguration()
        configuration.readTimeout = .seconds(60)
        client = HTTPClient(configuration: configuration)
        let query = "namespaces=\(namespaces)&instance=\(instance)&labels=\(labels.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? labels)"
        let response = try await client.execute(HTTPClientRequest(url: baseURL + "/api/v1/config/apps/iam-apiserver/envs/dev/watch?" + query))
        status = response.status.code
        iterator = response.body.makeAsyncIterator()
    }

    /// Returns the next event, nil at the end of the stream or on an error line.
    func next() async throws -> ConfigWatchEvent? {
        while pending.isEmpty {
            guard let chunk = try await iterator.next() else { return nil }
            pending = splitter.append(chunk)
        }
        let line = pending.removeFirst()
        return try? ConfigJSON.decode(ConfigWatchEvent.self, from: line)
    }

    func close() {
        client.shutdown()
    }
}

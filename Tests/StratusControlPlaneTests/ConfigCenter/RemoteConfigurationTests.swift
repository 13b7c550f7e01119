import Foundation
import Glibc
@testable import StratusConfig
import StratusControlPlane
import StratusStore
import StratusTestSupport
import Testing

@Suite struct RemoteConfigurationTests {
    struct Limits: Decodable, Sendable, Equatable {
        var limit: Int
    }

    /// Starts a control plane over `store`, on `port` (0 for any).
    private func startControlPlane(store: EmbeddedStore, port: Int = 0) async throws -> (ControlPlane, String) {
        var configuration = ControlPlane.Configuration(store: .memory)
        configuration.port = port
        configuration.healthChecks = false
        configuration.logger = quietLogger
        let controlPlane = try ControlPlane(configuration: configuration, store: store)
        try await controlPlane.start()
        return (controlPlane, "http://\(try #require(controlPlane.localAddress))")
    }

    private func makeStore() throws -> EmbeddedStore {
        try EmbeddedStore(configuration: .init(path: nil), logger: quietLogger)
    }

    private func remote(_ url: String, instance: String = "api-1", cache: String? = nil, labels: [String: String] = [:]) throws -> RemoteConfiguration {
        var options = RemoteConfiguration.Options(application: "iam-apiserver", environment: "dev", namespace: "application", instanceID: instance)
        options.cacheDirectory = cache
        options.labels = labels
        return RemoteConfiguration(client: try ConfigCenterClient(endpoints: [url]), options: options, logger: quietLogger)
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-config-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func appliesReleasesAndCallsTypedHandlers() async throws {
        let store = try makeStore()
        let (controlPlane, url) = try await startControlPlane(store: store)
        let center = ConfigCenter(store: store)
        try await publishItems(center, ["feature.newCheckout": "false", "limit": "5"])
        let config = try remote(url)
        let (flags, flagSink) = AsyncStream<(Bool?, Bool?)>.makeStream()
        config.onChange(of: "feature.newCheckout", as: Bool.self) { old, new in flagSink.yield((old, new)) }
        let (limits, limitSink) = AsyncStream<Limits>.makeStream()
        config.onChange(decoding: Limits.self) { _, new in limitSink.yield(new) }
        await config.start()
        #expect(config.isLoaded)
        #expect(config.source == .controlPlane)
        #expect(config.releaseNumber == 1)
        var flagIterator = flags.makeAsyncIterator()
        var limitIterator = limits.makeAsyncIterator()
        let first = await flagIterator.next()
        #expect(first?.0 == nil)
        #expect(first?.1 == false)
        #expect(await limitIterator.next() == Limits(limit: 5))

        _ = try await center.setItem(iamApplication, key: "feature.newCheckout", SetItemRequest(value: "true", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        let second = await flagIterator.next()
        #expect(second?.0 == false)
        #expect(second?.1 == true)
        #expect(await limitIterator.next() == Limits(limit: 5))
        // Handlers run before the release is in force; its report comes after.
        #expect(try await waitForReport(center, instance: "api-1", release: 2).status == .applied)
        #expect(config.releaseNumber == 2)
        #expect(try config.value("feature.newCheckout", as: Bool.self) == true)
        #expect(try config.decode(Limits.self) == Limits(limit: 5))

        _ = try await center.setItem(iamApplication, key: "limit", SetItemRequest(value: "6", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        #expect(await limitIterator.next() == Limits(limit: 6), "the flag handler is not called: its value did not change")
        #expect(try await waitForReport(center, instance: "api-1", release: 3).status == .applied)
        #expect(config.releaseNumber == 3)
        await config.stop()
        await controlPlane.shutdown()
        await store.close()
    }

    @Test func refusedReleaseKeepsThePreviousOneAndIsReported() async throws {
        let store = try makeStore()
        let (controlPlane, url) = try await startControlPlane(store: store)
        let center = ConfigCenter(store: store)
        try await publishItems(center, ["limit": "5", "name": "a"])
        let config = try remote(url, instance: "api-7")
        let (names, nameSink) = AsyncStream<String?>.makeStream()
        config.onChange(of: "name", as: String.self) { _, new in nameSink.yield(new) }
        let (outcomes, outcomeSink) = AsyncStream<Int>.makeStream()
        config.onChange(decoding: Limits.self) { _, new in
            outcomeSink.yield(new.limit)
            if new.limit < 0 { throw ProbeFailure(description: "negative limit \(new.limit)") }
        }
        await config.start()
        var nameIterator = names.makeAsyncIterator()
        var outcomeIterator = outcomes.makeAsyncIterator()
        #expect(await nameIterator.next() == "a")
        #expect(await outcomeIterator.next() == 5)

        // Release 2 does not decode: limit is not an integer.
        _ = try await center.setItem(iamApplication, key: "limit", SetItemRequest(value: "ten", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        let refusedDecode = try await waitForReport(center, instance: "api-7", release: 2)
        #expect(refusedDecode.status == .refused)
        #expect(refusedDecode.reason?.contains("limit: expected an integer") == true, "\(refusedDecode.reason ?? "")")
        #expect(config.releaseNumber == 1)
        #expect(try config.decode(Limits.self) == Limits(limit: 5))

        // Release 3 decodes, but its handler throws after the name handler
        // ran: the name handler is called again with the old value.
        _ = try await center.setItem(iamApplication, key: "limit", SetItemRequest(value: "-1", author: "alice"))
        _ = try await center.setItem(iamApplication, key: "name", SetItemRequest(value: "b", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        #expect(await nameIterator.next() == "b")
        #expect(await outcomeIterator.next() == -1)
        #expect(await nameIterator.next() == "a", "the refusal undoes the name handler")
        let refusedHandler = try await waitForReport(center, instance: "api-7", release: 3)
        #expect(refusedHandler.status == .refused)
        #expect(refusedHandler.reason?.contains("negative limit -1") == true)
        #expect(config.releaseNumber == 1)
        #expect(try config.value("name", as: String.self) == "a")

        let history = try await center.history(iamApplication)
        #expect(history.releases.first { $0.number == 3 }?.instances.map(\.status) == [.refused])
        await config.stop()
        await controlPlane.shutdown()
        await store.close()
    }

    @Test func startsFromCacheWhenControlPlaneIsDown() async throws {
        let store = try makeStore()
        let (controlPlane, url) = try await startControlPlane(store: store)
        try await publishItems(ConfigCenter(store: store), ["limit": "5"])
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let first = try remote(url, cache: cache)
        await first.start()
        #expect(first.releaseNumber == 1)
        await first.stop()
        await controlPlane.shutdown()

        let file = "\(cache)/iam-apiserver/dev/application.json"
        var information = stat()
        #expect(stat(file, &information) == 0)
        #expect(information.st_mode & 0o777 == 0o600, "the cache file holds secrets and is private")

        let unused = try LoopbackPorts.reserve(1)[0]
        let offline = try remote("http://127.0.0.1:\(unused)", cache: cache)
        let (limits, sink) = AsyncStream<Limits>.makeStream()
        offline.onChange(decoding: Limits.self) { _, new in sink.yield(new) }
        await offline.start()
        #expect(offline.isLoaded)
        #expect(offline.source == .cache)
        #expect(offline.releaseNumber == 1)
        var iterator = limits.makeAsyncIterator()
        #expect(await iterator.next() == Limits(limit: 5))
        await offline.stop()

        let empty = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let nothing = try remote("http://127.0.0.1:\(unused)", cache: empty)
        await nothing.start()
        #expect(!nothing.isLoaded, "without the control plane and a cache, nothing is in force")
        await nothing.stop()
        await store.close()
    }

    @Test func resumesAfterControlPlaneRestart() async throws {
        let store = try makeStore()
        // The control plane comes back on the same port, one that port 0
        // cannot hand to another test's server meanwhile.
        let port = try LoopbackPorts.belowEphemeralRange()
        let (first, url) = try await startControlPlane(store: store, port: port)
        let center = ConfigCenter(store: store)
        try await publishItems(center, ["limit": "1"])
        let config = try remote(url)
        let (limits, sink) = AsyncStream<Limits>.makeStream()
        config.onChange(decoding: Limits.self) { _, new in sink.yield(new) }
        await config.start()
        var iterator = limits.makeAsyncIterator()
        #expect(await iterator.next() == Limits(limit: 1))

        await first.shutdown()
        _ = try await center.setItem(iamApplication, key: "limit", SetItemRequest(value: "2", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        let (second, _) = try await startControlPlane(store: store, port: port)
        #expect(await iterator.next() == Limits(limit: 2), "the release published while the stream was down arrives")
        await config.stop()
        await second.shutdown()
        await store.close()
    }

    /// Waits for the instance's report about `release`, the one the
    /// configuration sends in the background.
    private func waitForReport(_ center: ConfigCenter, instance: String, release: Int) async throws -> InstanceReport {
        for _ in 0..<500 {
            let reports = try await center.history(iamApplication).releases.flatMap(\.instances)
            if let report = reports.first(where: { $0.instance == instance && $0.release == release }) {
                return report
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProbeFailure(description: "instance \(instance) did not report release \(release) within 10 s")
    }
}

struct ProbeFailure: Error, CustomStringConvertible {
    let description: String
}

import Foundation
import Glibc

/// The last release a service applied, one JSON file per namespace under a
/// directory, so that the service starts when the control plane is down.
///
/// A write goes to a temporary file that is synced and then renamed over
/// the old one, and the directory is synced after the rename, so a crash
/// leaves the old release or the new one, never a torn file. The files
/// hold secret values decrypted and are created with mode 0600.
struct ReleaseDiskCache: Sendable {
    let directory: String

    func path(for namespace: NamespaceCoordinates) -> String {
        "\(directory)/\(namespace.application)/\(namespace.environment)/\(namespace.namespace).json"
    }

    /// Returns the cached release, nil when there is none.
    /// - Throws: `ConfigCenterError` when the file exists but cannot be read
    ///   or decoded.
    func read(_ namespace: NamespaceCoordinates) throws(ConfigCenterError) -> Release? {
        let file = path(for: namespace)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            let release = try ConfigJSON.decode(Release.self, from: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            guard release.coordinates == namespace else {
                throw ConfigCenterError(.invalidResponse, "the cache file \(file) contains a release of \(release.coordinates), not of \(namespace); delete it")
            }
            return release
        } catch let error as ConfigCenterError {
            throw error
        } catch {
            throw ConfigCenterError(.invalidResponse, "cannot read the config cache file \(file): \(error); delete it, and the service loads its release from the control plane")
        }
    }

    /// Replaces the cached release atomically.
    func write(_ release: Release) throws(ConfigCenterError) {
        let file = path(for: release.coordinates)
        let folder = (file as NSString).deletingLastPathComponent
        let bytes: [UInt8]
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            bytes = try ConfigJSON.encode(release)
        } catch {
            throw ConfigCenterError(.unavailable, "cannot prepare the config cache file \(file): \(error)")
        }
        let temporary = file + ".tmp-\(getpid())"
        try Self.writeSynced(bytes, to: temporary)
        guard rename(temporary, file) == 0 else {
            let failure = Self.failure("rename", temporary)
            unlink(temporary)
            throw failure
        }
        try Self.syncDirectory(folder)
    }

    /// Removes the cached release, when the namespace has none.
    func remove(_ namespace: NamespaceCoordinates) {
        unlink(path(for: namespace))
    }

    private static func writeSynced(_ bytes: [UInt8], to path: String) throws(ConfigCenterError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    private static func syncDirectory(_ path: String) throws(ConfigCenterError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    private static func failure(_ call: String, _ path: String) -> ConfigCenterError {
        ConfigCenterError(.unavailable, "cannot write the config cache: \(call) \(path) failed: \(String(cString: strerror(errno))); check the cache directory and its permissions")
    }
}

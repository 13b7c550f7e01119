import Glibc

/// Reads a whole config file.
enum ConfigFile {
    /// - Throws: `ConfigurationError.Code.fileNotReadable` with the
    ///   system's reason, such as `cannot read config file app.yaml: No such
    ///   file or directory`.
    static func read(_ path: String) throws(ConfigurationError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw unreadable(path, errno: errno)
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk.prefix(count)
            if count < chunk.count {
                // fread returns a short count at the end of the file and on
                // an error such as EISDIR, and ferror distinguishes the two.
                if ferror(file) != 0 {
                    throw unreadable(path, errno: errno)
                }
                return bytes
            }
        }
    }

    private static func unreadable(_ path: String, errno code: Int32) -> ConfigurationError {
        ConfigurationError(.fileNotReadable, "cannot read config file \(path): \(String(cString: strerror(code))); check the path and its permissions")
    }
}

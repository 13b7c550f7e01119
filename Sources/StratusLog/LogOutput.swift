#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A destination for formatted log lines.
package struct LogOutput: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// An output that passes each line to `writeLine`, which may be called from
    /// many tasks at once.
    package init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    func write(_ line: String) {
        writeLine(line)
    }

    static let standardError = LogOutput { writeAll($0, to: 2) }
    static let standardOutput = LogOutput { writeAll($0, to: 1) }

    /// Serializes writes to both standard streams, so that lines written by
    /// concurrent tasks never interleave even when both streams share a file.
    private static let writeLock = Mutex(())

    /// Writes the whole line with `write(2)`, retrying after a signal
    /// interrupts it or after a partial write. Other errors drop the rest of
    /// the line, because a logger has nowhere to report its own failure.
    private static func writeAll(_ line: String, to descriptor: Int32) {
        var bytes = Array(line.utf8)
        writeLock.withLock { _ in
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    Darwin.write(descriptor, bytes, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, bytes, count)
    #else
    Glibc.write(descriptor, bytes, count)
    #endif
}

import Foundation
import Glibc
import Synchronization

/// The terminal view of `stratus up`: every replica's output line under a
/// `name |` prefix, padded to one width and colored by service, as
/// `docker compose up` shows containers.
///
/// Colors are used only when standard output is a terminal and `NO_COLOR`
/// is unset. Lines from several threads never interleave within a line.
public final class TerminalOutput: Sendable {
    private let colors: Bool
    private let width: Mutex<Int>
    private let lock = Mutex(())

    /// ANSI foreground colors, cycled through by service.
    private static let palette = ["36", "33", "32", "35", "34", "96", "93", "92", "95", "94"]

    /// - Parameter colors: nil decides from the terminal and `NO_COLOR`.
    public init(colors: Bool? = nil, width: Int = 0) {
        self.colors = colors ?? Self.colorsByDefault()
        self.width = Mutex(width)
    }

    /// Returns whether standard output is a terminal and `NO_COLOR` is unset or empty.
    public static func colorsByDefault() -> Bool {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return isatty(1) == 1 && !noColor
    }

    /// Widens the prefix column to fit `name`.
    public func reserve(_ name: String) {
        width.withLock { $0 = max($0, name.count) }
    }

    /// Writes `line` under the prefix `name`, in the color numbered `color`.
    public func write(_ line: String, from name: String, color: Int) {
        let padded = name.padding(toLength: width.withLock { max($0, name.count) }, withPad: " ", startingAt: 0)
        let prefix = colors ? "\u{1B}[\(Self.palette[color % Self.palette.count])m\(padded) |\u{1B}[0m " : "\(padded) | "
        emit(prefix + line + "\n")
    }

    /// Writes a message of the orchestrator itself, without a prefix.
    public func announce(_ text: String) {
        emit(text.hasSuffix("\n") ? text : text + "\n")
    }

    private func emit(_ text: String) {
        lock.withLock { _ in
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

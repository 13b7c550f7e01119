import Foundation
import Glibc

/// Copies a replica's output, line by line, to its log file (each line
/// with the time it was read) and to the terminal, on a thread of its own.
///
/// The thread ends at end of file, when every process holding the pipe's
/// write end has exited, and then closes the pipe and the log file.
enum OutputPump {
    /// The destinations of a replica's lines.
    struct Destination: Sendable {
        var logPath: String
        var terminal: TerminalOutput?
        var name: String
        var color: Int
    }

    /// Starts copying from `descriptor`, which the pump then owns.
    static func start(reading descriptor: Int32, to destination: Destination) {
        let log = open(destination.logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let thread = Thread {
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                pending += chunk.prefix(count)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    emit(String(decoding: pending[..<newline], as: UTF8.self), log: log, destination: destination)
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty {
                emit(String(decoding: pending, as: UTF8.self), log: log, destination: destination)
            }
            close(descriptor)
            if log >= 0 { close(log) }
        }
        thread.name = "stratus-output-\(destination.name)"
        thread.start()
    }

    /// Appends one line, with the current time, to the log file at `path`;
    /// for the orchestrator's own notes about a replica, such as its start.
    static func note(_ text: String, toLog path: String) {
        let log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { return }
        writeAll(LogLine(time: Date(), text: text).formatted + "\n", to: log)
        close(log)
    }

    private static func emit(_ line: String, log: Int32, destination: Destination) {
        if log >= 0 {
            writeAll(LogLine(time: Date(), text: line).formatted + "\n", to: log)
        }
        destination.terminal?.write(line, from: destination.name, color: destination.color)
    }

    private static func writeAll(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// Why a benchmark under bench/ cannot run or failed, as its one line on
/// standard error.
package struct BenchError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }

    /// Reads a positive whole number given for the option `name`.
    package static func positive(_ value: String, _ name: String) throws(BenchError) -> Int {
        guard let number = Int(value), number > 0 else {
            throw BenchError("invalid \(name) \(value): expected a positive integer")
        }
        return number
    }
}

/// Why a scalar cannot be decoded as the type requested: what that type
/// expects, and a hint when the cause is a known trap.
struct ScalarMismatch: Error, Equatable {
    /// The value expected, such as "an integer from 0 to 255".
    var expected: String
    /// A hint such as "a quoted value is a string; remove the quotes".
    var hint: String?
}

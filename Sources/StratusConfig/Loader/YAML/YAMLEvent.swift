/// A libyaml parser event in Swift values, with the 1-based line and column
/// where it starts.
struct YAMLEvent: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case streamStart
        case streamEnd
        case documentStart
        case documentEnd
        case alias(anchor: String)
        case scalar(text: String, style: ScalarStyle, anchor: String?, tag: String?)
        case sequenceStart(anchor: String?, tag: String?)
        case sequenceEnd
        case mappingStart(anchor: String?, tag: String?)
        case mappingEnd
    }

    /// The style a scalar was written in.
    enum ScalarStyle: Sendable, Equatable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    var kind: Kind
    var line: Int
    var column: Int
}

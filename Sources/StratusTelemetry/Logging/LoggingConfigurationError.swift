/// A logging setting with a value outside its allowed set, such as
/// `STRATUS_LOG_LEVEL=verbose`.
public struct LoggingConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable or setting that contains the value.
    public let setting: String
    /// The value as given.
    public let value: String
    /// The values the setting accepts.
    public let allowedValues: [String]

    public init(setting: String, value: String, allowedValues: [String]) {
        self.setting = setting
        self.value = value
        self.allowedValues = allowedValues
    }

    public var description: String {
        "invalid \(setting) \"\(value)\": expected one of \(allowedValues.joined(separator: ", ")); "
            + "set it to one of these values or unset it"
    }
}

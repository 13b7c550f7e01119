extension ConfigurationLoader {
    /// Loads configuration from YAML text that is not a file, such as a
    /// value read from the store. Messages name the text `name` where they
    /// would name a file (`store key /stratus/gateway/config:12:9: ...`).
    ///
    /// Environment variables and flags do not apply: the text is the whole
    /// configuration.
    public init(yaml: [UInt8], name: String, allowsUnknownKeys: Bool = false) {
        self.init(
            sources: Result { () throws(ConfigurationError) in
                try ConfigSources(document: (yaml, name), environment: [:], environmentPrefix: nil, overrides: [])
            },
            allowsUnknownKeys: allowsUnknownKeys
        )
    }
}

import Foundation

extension ConfigDecodingContext {
    /// Decodes `type` from `value`.
    ///
    /// `Duration` is read from text such as `5s` and `URL` from an absolute
    /// URL, not from their `Codable` forms. An error the type itself throws
    /// becomes a `ConfigurationError` located at the value.
    func decode<Value: Decodable>(_ type: Value.Type, from value: ConfigValue, path: ConfigKeyPath) throws -> Value {
        if type == Duration.self {
            return try decodeScalar(Duration.self, from: value, path: path, ScalarDecoding.duration) as! Value
        }
        if type == URL.self {
            return try decodeScalar(URL.self, from: value, path: path, Self.url) as! Value
        }
        do {
            return try Value(from: ConfigDecoder(context: self, value: value, path: path))
        } catch let error as ConfigurationError {
            throw error
        } catch let error as DecodingError {
            throw convert(error, decoding: type, value: value, path: path)
        } catch {
            throw invalid(value, path: path, reason: "\(error)")
        }
    }

    /// Decodes `type` at the top of a load, where only `ConfigurationError`
    /// may leave.
    func decodeTopLevel<Value: Decodable>(_ type: Value.Type, from value: ConfigValue, path: ConfigKeyPath) throws(ConfigurationError) -> Value {
        do {
            return try decode(type, from: value, path: path)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            // decode(_:from:path:) converts every other error itself.
            throw invalid(value, path: path, reason: "\(error)")
        }
    }

    private static func url(_ scalar: ConfigScalar) -> Result<URL, ScalarMismatch> {
        ScalarDecoding.string(scalar).flatMap { text in
            guard let url = URL(string: text), url.scheme != nil else {
                return .failure(ScalarMismatch(expected: ExpectedValue.url))
            }
            return .success(url)
        }
    }

    /// Turns a `DecodingError` that a type's `init(from:)` threw into an
    /// error located at the value it names. An enum without a case for the
    /// value gets the list of its raw values when it is `CaseIterable`.
    private func convert<Value>(_ error: DecodingError, decoding type: Value.Type, value: ConfigValue, path: ConfigKeyPath) -> ConfigurationError {
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let errorContext), .typeMismatch(_, let errorContext), .valueNotFound(_, let errorContext),
            .keyNotFound(_, let errorContext):
            context = errorContext
        @unknown default:
            return invalid(value, path: path, reason: "\(error)")
        }
        let errorPath = ConfigKeyPath(codingPath: context.codingPath)
        if errorPath == path, type is any RawRepresentable.Type {
            let expected = (type as? any (CaseIterable & RawRepresentable).Type).map { ExpectedValue.oneOf(ExpectedValue.rawValues(of: $0)) }
            return invalidValue(value, path: path, expected: expected ?? "a valid \(type)")
        }
        // A type that checks a nested key (dataCorruptedError(forKey:in:))
        // names that key's path: point at its value when it can be found.
        if path.isStrictPrefix(of: errorPath), let nested = try? descend(to: errorPath, from: value, at: path) {
            return invalid(nested, path: errorPath, reason: context.debugDescription)
        }
        return invalid(value, path: path, reason: context.debugDescription)
    }
}

extension ConfigKeyPath {
    /// Creates the path of a `codingPath`. Indexes are the
    /// `ConfigCodingKey`s with an integer value, and every other key is a
    /// mapping key.
    init(codingPath: [any CodingKey]) {
        self.init(components: codingPath.map { key in
            if let key = key as? ConfigCodingKey, let index = key.intValue {
                return .index(index)
            }
            return .key(key.stringValue)
        })
    }
}

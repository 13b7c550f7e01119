import IAMHTTP
import IAMModel
import IAMStorage
import StratusHTTP

extension ListQuery {
    /// Reads `offset`, `limit` and `fieldSelector` as the list routes do.
    ///
    /// An empty value counts as `0`, and a non-integer is code 100003. Of
    /// the field selector only an equality term on `name` is used: it keeps
    /// names that contain its value. Other terms are ignored, but a term
    /// without `=`, `==` or `!=` is code 100003. `labelSelector` is
    /// accepted and ignored.
    init(request: Request) throws {
        self.init(offset: try Self.integer("offset", in: request, default: 0), limit: try Self.integer("limit", in: request, default: 1000))
        for selector in request.queryValues("fieldSelector") {
            for term in selector.split(separator: ",") {
                let (field, equality, value) = try Self.parse(term)
                if field == "name", equality { nameContains = value }
            }
        }
    }

    private static func integer(_ name: String, in request: Request, default defaultValue: Int64) throws -> Int64 {
        guard let text = request.queryParameter(name) else { return defaultValue }
        if text.isEmpty { return 0 }
        guard let value = Int64(text) else {
            throw IAMError(.bind, "query parameter \(name) is \"\(text)\"; expected an integer")
        }
        return value
    }

    private static func parse(_ term: Substring) throws -> (field: Substring, equality: Bool, value: String) {
        for (separator, equality) in [("!=", false), ("==", true), ("=", true)] {
            if let range = term.range(of: separator) {
                let field = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let value = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                return (Substring(field), equality, value)
            }
        }
        throw IAMError(.bind, "fieldSelector term \"\(term)\" has no operator; expected field=value, field==value or field!=value")
    }
}

import Foundation

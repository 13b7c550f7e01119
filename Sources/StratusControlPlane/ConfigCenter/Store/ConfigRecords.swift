import Foundation
import StratusConfig

/// A namespace's settings as stored under its `meta` key.
struct NamespaceRecord: Sendable, Hashable, Codable {
    var format: NamespaceFormat
    var schema: String?
    var createdAt: Date
    var createdBy: String
}

/// One item as stored: a plain value, or a sealed secret.
struct StoredItem: Sendable, Hashable, Codable {
    var key: String
    var value: String?
    var sealed: SealedValue?

    var isSecret: Bool { sealed != nil }
}

/// Content as stored: the items with secrets sealed, or a document.
struct StoredContent: Sendable, Hashable, Codable {
    var format: NamespaceFormat
    var items: [StoredItem]
    var document: String?

    static func empty(_ format: NamespaceFormat) -> StoredContent {
        StoredContent(format: format, items: [], document: format.isDocument ? "" : nil)
    }

    /// The content as listings show it: secret values masked.
    var masked: ConfigContent {
        ConfigContent(
            format: format,
            items: items.map { ConfigItem(key: $0.key, value: $0.isSecret ? ConfigItem.maskedValue : $0.value ?? "", secret: $0.isSecret) },
            document: document
        )
    }

    /// The content for comparison: a secret's value is its sealed form, so
    /// two contents compare equal exactly when no item was set again.
    var comparable: ConfigContent {
        ConfigContent(
            format: format,
            items: items.map { item in
                let value = item.sealed.map { "\($0.keyID):\($0.nonce):\($0.ciphertext)" } ?? item.value ?? ""
                return ConfigItem(key: item.key, value: value, secret: item.isSecret)
            },
            document: document
        )
    }

    /// The content with secrets decrypted.
    /// - Throws: `ConfigCenterError` with code `secretKeyUnavailable` when
    ///   a secret cannot be opened.
    func revealed(with box: SecretBox?, in namespace: NamespaceCoordinates) throws(ConfigCenterError) -> ConfigContent {
        var items: [ConfigItem] = []
        for item in self.items {
            guard let sealed = item.sealed else {
                items.append(ConfigItem(key: item.key, value: item.value ?? ""))
                continue
            }
            guard let box else {
                throw ConfigCenterError(
                    .secretKeyUnavailable,
                    "the control plane has no secret key, so it cannot decrypt the secret \(item.key) of \(namespace); start it with \(SecretKey.environmentVariable) or --secret-key-file",
                    namespace: namespace,
                    key: item.key
                )
            }
            items.append(ConfigItem(key: item.key, value: try box.open(sealed, for: item.key, in: namespace), secret: true))
        }
        return ConfigContent(format: format, items: items, document: document)
    }
}

/// A namespace's draft as stored under its `draft` key.
struct DraftRecord: Sendable, Hashable, Codable {
    var content: StoredContent
    var updatedAt: Date
    var updatedBy: String
}

/// A release as stored under its `releases/<number>` key; never rewritten.
struct ReleaseRecord: Sendable, Hashable, Codable {
    var number: Int
    var kind: Release.Kind
    var author: String
    var comment: String
    var createdAt: Date
    var content: StoredContent
    var rollbackOf: Int?
    var gray: GraySelector?

    func release(in namespace: NamespaceCoordinates, content: ConfigContent) -> Release {
        Release(
            namespace: namespace,
            number: number,
            kind: kind,
            author: author,
            comment: comment,
            createdAt: createdAt,
            content: content,
            rollbackOf: rollbackOf,
            gray: gray
        )
    }
}

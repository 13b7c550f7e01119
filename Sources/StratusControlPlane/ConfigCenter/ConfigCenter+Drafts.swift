import Foundation
public import StratusConfig
import StratusStore

extension ConfigCenter {
    /// Returns the draft, secret values masked.
    public func draft(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> Draft {
        let snapshot = try await self.snapshot(namespace)
        return Draft(
            content: snapshot.draft.content.masked,
            updatedAt: snapshot.draft.updatedAt,
            updatedBy: snapshot.draft.updatedBy,
            changed: try await draftDiffers(snapshot, namespace)
        )
    }

    /// Sets one item of a key-value draft. A secret is sealed before it is
    /// stored; setting a secret to the value it has keeps its ciphertext.
    ///
    /// - Throws: `ConfigCenterError`: `invalidArgument` for a bad key or a
    ///   document namespace, `secretKeyUnavailable` for a secret without a
    ///   key (nothing is stored then).
    public func setItem(_ namespace: NamespaceCoordinates, key: String, _ request: SetItemRequest) async throws(ConfigCenterError) -> Draft {
        try ConfigItem.validate(key: key, in: namespace)
        let detail = request.secret ? "secret value set" : "value \(Self.describe(request.value))"
        return try await editDraft(namespace, author: request.author, action: .setItem, key: key, detail: detail) { (content) throws(ConfigCenterError) in
            let existing = content.items.first { $0.key == key }
            let item = try storedItem(key: key, request: request, existing: existing, namespace: namespace)
            content.items.removeAll { $0.key == key }
            content.items.append(item)
            content.items.sort { $0.key < $1.key }
        }
    }

    /// Removes one item from a key-value draft.
    public func deleteItem(_ namespace: NamespaceCoordinates, key: String, author: String) async throws(ConfigCenterError) -> Draft {
        try ConfigItem.validate(key: key, in: namespace)
        return try await editDraft(namespace, author: author, action: .deleteItem, key: key, detail: "item deleted") { (content) throws(ConfigCenterError) in
            guard content.items.contains(where: { $0.key == key }) else {
                throw ConfigCenterError(.notFound, "the draft of \(namespace) has no key \(key); list the draft with `stratus config get`", namespace: namespace, key: key)
            }
            content.items.removeAll { $0.key == key }
        }
    }

    /// Replaces the document of a document draft. The document is checked
    /// when it is published, not here.
    public func setDocument(_ namespace: NamespaceCoordinates, _ request: SetDocumentRequest) async throws(ConfigCenterError) -> Draft {
        let size = request.document.utf8.count
        guard size <= Self.maximumDocumentSize else {
            throw ConfigCenterError(.invalidArgument, "the document for \(namespace) is \(size) bytes; the limit is \(Self.maximumDocumentSize) bytes, so split it into namespaces", namespace: namespace)
        }
        let detail = "document set (\(request.document.split(separator: "\n", omittingEmptySubsequences: false).count) lines)"
        return try await editDraft(namespace, author: request.author, action: .setDocument, key: nil, detail: detail, requiresDocument: true) { content in
            content.document = request.document
        }
    }

    /// Reads the draft, applies `edit` and writes the result if the draft
    /// did not change in between, else tries again on the new draft.
    private func editDraft(
        _ namespace: NamespaceCoordinates,
        author: String,
        action: AuditEntry.Action,
        key: String?,
        detail: String,
        requiresDocument: Bool = false,
        edit: (inout StoredContent) throws(ConfigCenterError) -> Void
    ) async throws(ConfigCenterError) -> Draft {
        try Self.validate(author: author)
        for _ in 0..<Self.maximumAttempts {
            let snapshot = try await self.snapshot(namespace)
            try Self.checkFormat(snapshot.meta.format, requiresDocument: requiresDocument, namespace: namespace)
            var draft = snapshot.draft
            try edit(&draft.content)
            let time = now()
            draft.updatedAt = time
            draft.updatedBy = author
            let audit = AuditEntry(time: time, author: author, action: action, namespace: namespace, key: key, detail: detail)
            let written = try await commit(
                unchanged: [Compare(key: ConfigKeys.draft(namespace), .modRevision(snapshot.draftRevision), .equal)],
                puts: [(ConfigKeys.draft(namespace), try encode(draft)), (ConfigKeys.newAuditEntry(namespace, at: time), try encode(audit))]
            )
            if written {
                var current = snapshot
                current.draft = draft
                return Draft(content: draft.content.masked, updatedAt: time, updatedBy: author, changed: try await draftDiffers(current, namespace))
            }
            await Self.backOff()
        }
        throw Self.conflictExhausted(namespace, "draft edit")
    }

    private static func checkFormat(_ format: NamespaceFormat, requiresDocument: Bool, namespace: NamespaceCoordinates) throws(ConfigCenterError) {
        if requiresDocument && !format.isDocument {
            throw ConfigCenterError(.invalidArgument, "namespace \(namespace) holds key-value items, not a document; set items with `stratus config set KEY VALUE`", namespace: namespace)
        }
        if !requiresDocument && format.isDocument {
            throw ConfigCenterError(.invalidArgument, "namespace \(namespace) holds a \(format.rawValue) document, not items; set the whole document with `stratus config set --file FILE`", namespace: namespace)
        }
    }

    private func storedItem(key: String, request: SetItemRequest, existing: StoredItem?, namespace: NamespaceCoordinates) throws(ConfigCenterError) -> StoredItem {
        guard request.secret else {
            return StoredItem(key: key, value: request.value, sealed: nil)
        }
        guard let secrets else {
            throw ConfigCenterError(
                .secretKeyUnavailable,
                "the control plane has no secret key, so it cannot store the secret \(key) of \(namespace); start it with \(SecretKey.environmentVariable) or --secret-key-file. Nothing was stored",
                namespace: namespace,
                key: key
            )
        }
        if let sealed = existing?.sealed, (try? secrets.open(sealed, for: key, in: namespace)) == request.value {
            return StoredItem(key: key, value: nil, sealed: sealed)
        }
        return StoredItem(key: key, value: nil, sealed: try secrets.seal(request.value, for: key, in: namespace))
    }

    /// A value as the audit log shows it, cut after 80 characters.
    static func describe(_ value: String) -> String {
        value.count > 80 ? "\"\(value.prefix(80))...\"" : "\"\(value)\""
    }
}

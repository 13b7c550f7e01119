/// A secret value as the store keeps it: AES-256-GCM ciphertext with its
/// 16-byte tag, the random 96-bit nonce, and the id of the key that sealed it.
struct SealedValue: Sendable, Hashable, Codable {
    var keyID: String
    /// Base64.
    var nonce: String
    /// Base64 of the ciphertext followed by the tag.
    var ciphertext: String
}

import Foundation
import StratusConfig

/// Seals and opens the config center's secret values with AES-256-GCM.
///
/// Each value gets a random 96-bit nonce, and the ciphertext is bound to
/// the item it belongs to (`app/env/namespace/key`, the additional
/// authenticated data), so a sealed value moved to another key does not
/// open. The control plane holds the key; see docs/config-center.md for
/// the trust model.
struct SecretBox: Sendable {
    let key: SecretKey

    func seal(_ plaintext: String, for item: String, in namespace: NamespaceCoordinates) throws(ConfigCenterError) -> SealedValue {
        let nonce = try CryptoPrimitives.randomBytes(CryptoPrimitives.nonceSize)
        let sealed = try CryptoPrimitives.seal(Array(plaintext.utf8), key: key.bytes, nonce: nonce, authenticating: Self.binding(item, namespace))
        return SealedValue(keyID: key.id, nonce: Data(nonce).base64EncodedString(), ciphertext: Data(sealed).base64EncodedString())
    }

    /// - Throws: `ConfigCenterError` with code `secretKeyUnavailable` when
    ///   another key sealed the value or the ciphertext does not verify.
    func open(_ sealed: SealedValue, for item: String, in namespace: NamespaceCoordinates) throws(ConfigCenterError) -> String {
        guard sealed.keyID == key.id else {
            throw ConfigCenterError(
                .secretKeyUnavailable,
                "the secret \(item) of \(namespace) was encrypted with the key of id \(sealed.keyID), but the control plane's key has id \(key.id); start the control plane with the key that encrypted it",
                namespace: namespace,
                key: item
            )
        }
        guard let nonce = Data(base64Encoded: sealed.nonce), let ciphertext = Data(base64Encoded: sealed.ciphertext),
              let plaintext = try CryptoPrimitives.open(Array(ciphertext), key: key.bytes, nonce: Array(nonce), authenticating: Self.binding(item, namespace)),
              let text = String(validating: plaintext, as: UTF8.self) else {
            throw ConfigCenterError(
                .secretKeyUnavailable,
                "the secret \(item) of \(namespace) does not decrypt with the key of id \(key.id): the stored value was changed or belongs to another key; set the secret again",
                namespace: namespace,
                key: item
            )
        }
        return text
    }

    private static func binding(_ item: String, _ namespace: NamespaceCoordinates) -> [UInt8] {
        Array("\(namespace)/\(item)".utf8)
    }
}

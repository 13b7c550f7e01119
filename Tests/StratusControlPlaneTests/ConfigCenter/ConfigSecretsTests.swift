import Foundation
@testable import StratusControlPlane
import StratusConfig
import StratusStore
import Testing

@Suite struct ConfigSecretsTests {
    @Test func keyParsesBase64AndHex() throws {
        let bytes = [UInt8](0..<32)
        let fromBase64 = try SecretKey(text: " " + Data(bytes).base64EncodedString() + "\n", source: "test")
        let fromHex = try SecretKey(text: bytes.map { String(format: "%02x", $0) }.joined(), source: "test")
        #expect(fromBase64 == fromHex)
        #expect(fromBase64.id.count == 16)
        #expect(fromBase64.id != (try makeSecretKey()).id)
        #expect("\(fromBase64)" == "SecretKey(id: \(fromBase64.id))", "printing a key shows only its id")
    }

    @Test(arguments: [
        (Data([UInt8](repeating: 1, count: 16)).base64EncodedString(), "found 16 bytes"),
        ("not a key!", "neither base64 nor hex"),
        ("", "found 0 bytes"),
    ])
    func invalidKeysAreNamed(text: String, found: String) {
        do {
            _ = try SecretKey(text: text, source: "STRATUS_CONFIG_KEY")
            Issue.record("\(text) was accepted as a key")
        } catch {
            #expect(error.message.contains("invalid config secret key in STRATUS_CONFIG_KEY: expected 32 bytes"))
            #expect(error.message.contains(found), "\(error.message)")
            if !text.isEmpty {
                #expect(!error.message.contains(text), "the message never shows the key text")
            }
        }
    }

    @Test func keyFileAndEnvironment() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-key-\(UUID().uuidString)")
        try Data([UInt8](repeating: 9, count: 32)).base64EncodedString().write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try SecretKey.load(file: file.path) == (try makeSecretKey(byte: 9)))
        #expect(throws: ConfigCenterError.self) { try SecretKey.load(file: file.path + "-missing") }
        #expect(try SecretKey.fromEnvironment([:]) == nil)
        #expect(try SecretKey.fromEnvironment(["STRATUS_CONFIG_KEY": Data([UInt8](repeating: 9, count: 32)).base64EncodedString()]) == (try makeSecretKey(byte: 9)))
        #expect(throws: ConfigCenterError.self) { try SecretKey.fromEnvironment(["STRATUS_CONFIG_KEY": "short"]) }
    }

    @Test func sealOpensOnlyWithTheSameKeyAndItem() async throws {
        let box = SecretBox(key: try makeSecretKey())
        let sealed = try box.seal("hunter2", for: "db.password", in: iamApplication)
        #expect(try box.open(sealed, for: "db.password", in: iamApplication) == "hunter2")
        let again = try box.seal("hunter2", for: "db.password", in: iamApplication)
        #expect(again.nonce != sealed.nonce, "every value gets a fresh nonce")
        #expect(again.ciphertext != sealed.ciphertext)
        #expect(Data(base64Encoded: sealed.nonce)?.count == 12)
        #expect(Data(base64Encoded: sealed.ciphertext)?.count == "hunter2".utf8.count + 16)
        let moved = try #require(await configError { _ = try box.open(sealed, for: "other.key", in: iamApplication) })
        #expect(moved.code == .secretKeyUnavailable)
        let wrongKey = try #require(await configError { _ = try SecretBox(key: try makeSecretKey(byte: 8)).open(sealed, for: "db.password", in: iamApplication) })
        #expect(wrongKey.message.contains("encrypted with the key of id \(sealed.keyID)"))
        var tampered = sealed
        var bytes = Array(Data(base64Encoded: sealed.ciphertext)!)
        bytes[0] ^= 1
        tampered.ciphertext = Data(bytes).base64EncodedString()
        #expect(await configError { _ = try box.open(tampered, for: "db.password", in: iamApplication) }?.code == .secretKeyUnavailable)
        #expect(try box.open(try box.seal("", for: "empty", in: iamApplication), for: "empty", in: iamApplication) == "")
    }

    @Test func secretsAreEncryptedAtRestAndMaskedEverywhere() async throws {
        let (center, store) = try makeConfigCenter(secretKey: try makeSecretKey())
        defer { Task { await store.close() } }
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        let plaintext = "correct-horse-battery-staple"
        let draft = try await center.setItem(iamApplication, key: "db.password", SetItemRequest(value: plaintext, secret: true, author: "alice"))
        #expect(draft.content.items == [ConfigItem(key: "db.password", value: "******", secret: true)])
        _ = try await center.setItem(iamApplication, key: "db.user", SetItemRequest(value: "iam", author: "alice"))
        let release = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        _ = try await center.setItem(iamApplication, key: "db.password", SetItemRequest(value: plaintext + "!", secret: true, author: "alice"))

        let everything = try await store.range(RangeRequest(.prefix("/")))
        for keyValue in everything.keyValues {
            #expect(!keyValue.valueString.contains(plaintext), "\(keyValue.keyString) holds the secret in plain text")
        }
        #expect(release.content.item("db.password")?.value == "******")
        #expect(try await center.release(iamApplication, number: 1).content.item("db.password")?.value == "******")
        #expect(try await center.draft(iamApplication).content.item("db.password")?.value == "******")
        let diff = try await center.diff(iamApplication, from: nil, to: nil)
        #expect(diff.items == [ItemChange(key: "db.password", kind: .changed, old: "******", new: "******", secret: true)])
        let history = try ConfigJSON.encode(try await center.history(iamApplication))
        #expect(!String(decoding: history, as: UTF8.self).contains(plaintext))
        let audit = try await center.audit(application: nil, environment: nil, namespace: nil, limit: 100)
        #expect(!String(decoding: try ConfigJSON.encode(audit), as: UTF8.self).contains(plaintext))
        #expect(audit.entries.contains { $0.key == "db.password" && $0.detail == "secret value set" })

        let fetched = try await center.currentRelease(iamApplication, instanceID: "api-1", labels: [:])
        #expect(fetched?.content.item("db.password") == ConfigItem(key: "db.password", value: plaintext, secret: true))
    }

    @Test func settingTheSameSecretKeepsItsCiphertext() async throws {
        let (center, store) = try makeConfigCenter(secretKey: try makeSecretKey())
        defer { Task { await store.close() } }
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        _ = try await center.setItem(iamApplication, key: "token", SetItemRequest(value: "abc", secret: true, author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        _ = try await center.setItem(iamApplication, key: "token", SetItemRequest(value: "abc", secret: true, author: "bob"))
        #expect(try await center.diff(iamApplication, from: nil, to: nil).isEmpty)
        #expect(!(try await center.draft(iamApplication).changed))
    }

    @Test func missingKeyRejectsSecretsAndStoresNothing() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        let before = try await store.range(RangeRequest(.prefix("/"), countOnly: true)).revision
        let error = try #require(await configError { _ = try await center.setItem(iamApplication, key: "db.password", SetItemRequest(value: "pw", secret: true, author: "alice")) })
        #expect(error.code == .secretKeyUnavailable)
        #expect(error.message.contains("STRATUS_CONFIG_KEY or --secret-key-file"))
        #expect(error.message.contains("db.password of iam-apiserver/dev/application"))
        #expect(try await store.range(RangeRequest(.prefix("/"), countOnly: true)).revision == before, "nothing was written")
    }

    @Test func wrongKeyFailsToServeWithClearError() async throws {
        let (center, store) = try makeConfigCenter(secretKey: try makeSecretKey(byte: 1))
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        _ = try await center.setItem(iamApplication, key: "db.password", SetItemRequest(value: "pw", secret: true, author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        let other = ConfigCenter(store: store, secretKey: try makeSecretKey(byte: 2))
        let wrong = try #require(await configError { _ = try await other.currentRelease(iamApplication, instanceID: "api-1", labels: [:]) })
        #expect(wrong.code == .secretKeyUnavailable)
        #expect(wrong.key == "db.password")
        #expect(wrong.message.contains("start the control plane with the key that encrypted it"))
        let none = try #require(await configError { _ = try await ConfigCenter(store: store).currentRelease(iamApplication, instanceID: "api-1", labels: [:]) })
        #expect(none.code == .secretKeyUnavailable)
        #expect(try await other.release(iamApplication, number: 1).content.item("db.password")?.value == "******", "listings need no key")
        await store.close()
    }
}

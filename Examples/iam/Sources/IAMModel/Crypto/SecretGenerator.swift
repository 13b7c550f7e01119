/// Generates `secretID`s (36 characters) and `secretKey`s (32 characters)
/// from the 62 letters and digits, as upstream's are.
public enum SecretGenerator {
    public static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890")
    public static let idLength = 36
    public static let keyLength = 32

    public static func makeSecretID() -> String {
        SecureRandom.string(length: idLength, alphabet: alphabet)
    }

    public static func makeSecretKey() -> String {
        SecureRandom.string(length: keyLength, alphabet: alphabet)
    }
}

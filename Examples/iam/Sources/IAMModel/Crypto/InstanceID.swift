/// The readable `instanceID` of a resource: its numeric id in hashids
/// (alphabet of lower-case letters and digits, salt `x20k5x`, at least six
/// characters), reversed, after the kind's prefix, as upstream computes it.
/// Id 1 of a user is `user-v3z4nq`.
public enum InstanceID {
    public enum Kind: String, Sendable {
        case user, secret, policy
    }

    private static let encoder = Hashids(salt: "x20k5x", minLength: 6, alphabet: "abcdefghijklmnopqrstuvwxyz1234567890")

    public static func make(_ kind: Kind, id: UInt64) -> String {
        "\(kind.rawValue)-" + String(encoder.encode(id).reversed())
    }
}

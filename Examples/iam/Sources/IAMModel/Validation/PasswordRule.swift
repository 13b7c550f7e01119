/// The password rule of user create, change-password and the login body.
///
/// Characters are classified by Unicode general category: numbers (`N*`),
/// upper-case letters (`Lu`), lower-case letters (`Ll`), punctuation
/// (`P*`) and symbols (`S*`). Those and the space U+0020 are counted; other
/// characters are allowed but not counted. The count must be 8 to 16, with
/// at least one lower-case letter, one upper-case letter, one number and
/// one punctuation or symbol character. `Admin@2021` passes; `Admin2021`
/// does not.
public enum PasswordRule {
    public static let countedLength = 8...16

    /// Returns a description of the failure, or nil when `password` passes.
    public static func check(_ password: String) -> String? {
        var counted = 0
        var lower = false, upper = false, number = false, special = false
        for scalar in password.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .decimalNumber, .letterNumber, .otherNumber:
                number = true
                counted += 1
            case .uppercaseLetter:
                upper = true
                counted += 1
            case .lowercaseLetter:
                lower = true
                counted += 1
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation,
                 .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                special = true
                counted += 1
            default:
                if scalar == " " { counted += 1 }
            }
        }
        guard countedLength.contains(counted) else {
            return "the password has \(counted) counted characters; expected \(countedLength.lowerBound) to \(countedLength.upperBound)"
        }
        guard lower && upper && number && special else {
            return "the password needs a lower-case letter, an upper-case letter, a number and a punctuation or symbol character"
        }
        return nil
    }
}

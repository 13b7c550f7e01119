/// The hashids encoding of non-negative integers into short strings, as
/// the hashids libraries (Go, Python, JavaScript) compute it, for one
/// number at a time.
///
/// The alphabet is split into separators (the letters of `cfhistuCFHISTU`
/// it contains), guards and the rest, each shuffled with the salt. The
/// number is written in the base of the shuffled alphabet after a
/// "lottery" character, then padded with guards and alphabet halves up to
/// the minimum length.
public struct Hashids: Sendable {
    private let salt: [UInt8]
    private let minLength: Int
    private let alphabet: [UInt8]
    private let separators: [UInt8]
    private let guards: [UInt8]

    private static let defaultSeparators = Array("cfhistuCFHISTU".utf8)
    private static let separatorRatio = 3.5
    private static let guardRatio = 12.0

    /// - Precondition: `alphabet` is ASCII with at least 16 unique characters.
    public init(salt: String, minLength: Int, alphabet: String) {
        self.salt = Array(salt.utf8)
        self.minLength = minLength
        var unique: [UInt8] = []
        for byte in alphabet.utf8 where !unique.contains(byte) {
            unique.append(byte)
        }
        precondition(unique.count >= 16, "a hashids alphabet needs at least 16 unique characters")
        var separators = Self.defaultSeparators.filter { unique.contains($0) }
        var letters = unique.filter { !separators.contains($0) }
        separators = Self.shuffle(separators, salt: self.salt)
        if separators.isEmpty || Double(letters.count) / Double(separators.count) > Self.separatorRatio {
            var count = Int((Double(letters.count) / Self.separatorRatio).rounded(.up))
            if count == 1 { count = 2 }
            if count > separators.count {
                let missing = count - separators.count
                separators += letters.prefix(missing)
                letters.removeFirst(missing)
            } else {
                separators = Array(separators.prefix(count))
            }
        }
        letters = Self.shuffle(letters, salt: self.salt)
        let guardCount = Int((Double(letters.count) / Self.guardRatio).rounded(.up))
        if letters.count < 3 {
            guards = Array(separators.prefix(guardCount))
            separators.removeFirst(guardCount)
        } else {
            guards = Array(letters.prefix(guardCount))
            letters.removeFirst(guardCount)
        }
        self.alphabet = letters
        self.separators = separators
    }

    public func encode(_ number: UInt64) -> String {
        var alphabet = self.alphabet
        let valuesHash = Int(number % 100)
        let lottery = alphabet[valuesHash % alphabet.count]
        var result: [UInt8] = [lottery]
        let buffer = [lottery] + salt + alphabet
        alphabet = Self.shuffle(alphabet, salt: Array(buffer.prefix(alphabet.count)))
        result += Self.hash(number, alphabet: alphabet)
        if result.count < minLength {
            result.insert(guards[(valuesHash + Int(result[0])) % guards.count], at: 0)
            if result.count < minLength {
                result.append(guards[(valuesHash + Int(result[2])) % guards.count])
            }
        }
        let half = alphabet.count / 2
        while result.count < minLength {
            alphabet = Self.shuffle(alphabet, salt: alphabet)
            result = Array(alphabet[half...]) + result + Array(alphabet[..<half])
            let excess = result.count - minLength
            if excess > 0 {
                result = Array(result[(excess / 2)..<(excess / 2 + minLength)])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Permutes `input` with the salt-driven shuffle all hashids libraries share.
    private static func shuffle(_ input: [UInt8], salt: [UInt8]) -> [UInt8] {
        guard !salt.isEmpty else { return input }
        var output = input
        var saltIndex = 0
        var sum = 0
        var index = output.count - 1
        while index > 0 {
            saltIndex %= salt.count
            let value = Int(salt[saltIndex])
            sum += value
            let other = (value + saltIndex + sum) % index
            output.swapAt(index, other)
            index -= 1
            saltIndex += 1
        }
        return output
    }

    private static func hash(_ number: UInt64, alphabet: [UInt8]) -> [UInt8] {
        var digits: [UInt8] = []
        var rest = number
        repeat {
            digits.insert(alphabet[Int(rest % UInt64(alphabet.count))], at: 0)
            rest /= UInt64(alphabet.count)
        } while rest > 0
        return digits
    }
}

import Foundation
import StratusTestSupport
import Testing
import StratusConfig

enum LogLevel: String, Decodable, CaseIterable {
    case debug, info, error
}

enum Mode: String, Decodable {
    case fast, safe
}

enum Priority: Int, Decodable, CaseIterable {
    case low = 1, high = 2
}

struct TLSSettings: Decodable, Equatable {
    var enabled: Bool
    var certificate: String?
}

struct ServerSettings: Decodable, Equatable {
    var host: String
    var port: UInt16
    var readTimeout: Duration?
    var tls: TLSSettings?

    enum CodingKeys: String, CodingKey {
        case host, port, tls
        case readTimeout = "read_timeout"
    }
}

struct Peer: Decodable, Equatable {
    var host: String
    var port: Int
}

struct FullSettings: Decodable, Equatable {
    var name: String
    var version: String
    var server: ServerSettings
    var peers: [Peer]
    var tags: Set<String>
    var limits: [String: Int]
    var level: LogLevel
    var priority: Priority
    var ratio: Double
    var weight: Float
    var debug: Bool
    var endpoint: URL
    var retries: Int8?
    var note: String?
    var scores: [Int?]
}

/// A type with defaults for the keys that may be left out.
struct DefaultedSettings: Decodable, Equatable {
    var port: Int
    var host: String
    var timeout: Duration

    enum CodingKeys: String, CodingKey {
        case port, host, timeout
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        port = try container.decode(Int.self, forKey: .port, default: 8080)
        host = try container.decode(String.self, forKey: .host, default: "127.0.0.1")
        timeout = try container.decode(Duration.self, forKey: .timeout, default: .seconds(30))
    }
}

/// A type that checks its value in `init(from:)`.
struct PositiveLimit: Decodable {
    var limit: Int

    enum CodingKeys: String, CodingKey {
        case limit
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decode(Int.self, forKey: .limit)
        guard limit > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .limit, in: container, debugDescription: "must be greater than 0")
        }
    }
}

struct Wrapper<Value: Decodable>: Decodable {
    var value: Value
}

struct OptionalWrapper<Value: Decodable>: Decodable {
    var value: Value?
}

@Suite struct ConfigDecoderTests {
    @Test func decodesEveryKindOfValue() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("""
            name: billing
            version: 1.10
            server:
              host: 127.0.0.1
              port: 8443
              read_timeout: 1m30s
              tls: {enabled: true}
            peers:
              - host: a.internal
                port: 1
              - {host: b.internal, port: 0x10}
            tags: [x, y, x]
            limits:
              requests: 100
              bursts: 20
            level: info
            priority: 2
            ratio: .5
            weight: 1e2
            debug: FALSE
            endpoint: http://127.0.0.1:4318/v1/traces
            note: ~
            scores: [1, null, 3]
            """)
        let settings = try loader.load(FullSettings.self)
        #expect(settings.name == "billing")
        #expect(settings.version == "1.10")
        #expect(settings.server == ServerSettings(host: "127.0.0.1", port: 8443, readTimeout: .seconds(90), tls: TLSSettings(enabled: true)))
        #expect(settings.peers == [Peer(host: "a.internal", port: 1), Peer(host: "b.internal", port: 16)])
        #expect(settings.tags == ["x", "y"])
        #expect(settings.limits == ["requests": 100, "bursts": 20])
        #expect(settings.level == .info)
        #expect(settings.priority == .high)
        #expect(settings.ratio == 0.5)
        #expect(settings.weight == 100)
        #expect(settings.debug == false)
        #expect(settings.endpoint == URL(string: "http://127.0.0.1:4318/v1/traces"))
        #expect(settings.retries == nil)
        #expect(settings.note == nil)
        #expect(settings.scores == [1, nil, 3])
        try loader.checkUnknownKeys()
    }

    @Test func stringTakesScalarAsWritten() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("a: 1.10\nb: true\nc: 0x1F\nd: 'quoted'\ne: |\n  two\n  lines\nf: Grüße, 世界\n")
        struct Texts: Decodable {
            var a, b, c, d, e, f: String
        }
        let texts = try loader.load(Texts.self)
        #expect([texts.a, texts.b, texts.c, texts.d, texts.e, texts.f] == ["1.10", "true", "0x1F", "quoted", "two\nlines\n", "Grüße, 世界"])
    }

    @Test func wrongIntegerNamesRangeAndOverride() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("server:\n  host: a\n  port: 80a\n")
        #expect(
            configurationErrorText { _ = try loader.load(ServerSettings.self, at: "server") }
                == "\(path):3:9: server.port: expected an integer from 0 to 65535, found \"80a\"; fix the value in \(path) or override it with APP_SERVER_PORT"
        )
        let error = configurationError { _ = try loader.load(ServerSettings.self, at: "server") }
        #expect(error?.code == .invalidValue)
        #expect(error?.keyPath == "server.port")
    }

    @Test func integerOverflowNamesRange() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: 300\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<UInt8>.self) }
                == "\(path):1:8: value: expected an integer from 0 to 255, found \"300\"; fix the value in \(path) or override it with APP_VALUE"
        )
        let (large, largePath) = try files.loader("value: 99999999999999999999\n")
        #expect(
            configurationErrorText { _ = try large.load(Wrapper<Int>.self) }
                == "\(largePath):1:8: value: expected an integer from -9223372036854775808 to 9223372036854775807, found \"99999999999999999999\"; fix the value in \(largePath) or override it with APP_VALUE"
        )
    }

    @Test func notAnIntegerRejected() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: abc\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Int>.self) }
                == "\(path):1:8: value: expected an integer, found \"abc\"; fix the value in \(path) or override it with APP_VALUE"
        )
    }

    @Test func quotedNumberRejectedWithHint() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: \"8080\"\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Int>.self) }
                == "\(path):1:8: value: expected an integer, found \"8080\" (a quoted value is a string; remove the quotes); fix the value in \(path) or override it with APP_VALUE"
        )
    }

    @Test func yesNoRejectedForBool() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("server:\n  tls:\n    enabled: yes\n")
        let expected = "\(path):3:14: server.tls.enabled: expected true or false, found \"yes\" (YAML 1.2 reads yes, no, on and off as strings; write true or false); fix the value in \(path) or override it with APP_SERVER_TLS_ENABLED"
        #expect(configurationErrorText { _ = try loader.load(Bool.self, at: "server.tls.enabled") } == expected)
        #expect(
            configurationErrorText { _ = try loader.load(TLSSettings.self, at: "server.tls") }
                == "\(path):3:14: server.tls.enabled: expected true or false, found \"yes\" (YAML 1.2 reads yes, no, on and off as strings; write true or false); fix the value in \(path) or override it with APP_SERVER_TLS_ENABLED"
        )
    }

    @Test func missingKeyNamesParentMapping() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("name: a\nserver:\n  host: h\n")
        #expect(
            configurationErrorText { _ = try loader.load(ServerSettings.self, at: "server") }
                == "\(path):3:3: server.port: missing; expected an integer from 0 to 65535; add it to \(path) or set APP_SERVER_PORT"
        )
        let error = configurationError { _ = try loader.load(ServerSettings.self, at: "server") }
        #expect(error?.code == .missingKey)
        #expect(error?.keyPath == "server.port")
    }

    @Test func missingSectionNamesType() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("name: a\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<ServerSettings>.self) }
                == "\(path):1:1: value: missing; expected a value of type ServerSettings; add it to \(path) or set APP_VALUE"
        )
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<[String]>.self) }
                == "\(path):1:1: value: missing; expected a sequence; add it to \(path) or set APP_VALUE"
        )
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<[String: Int]>.self) }
                == "\(path):1:1: value: missing; expected a mapping; add it to \(path) or set APP_VALUE"
        )
    }

    @Test func missingKeyWithoutPrefixSuggestsFlag() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("{}", prefix: nil)
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Bool>.self) }
                == "\(path):1:1: value: missing; expected true or false; add it to \(path) or pass --set value=VALUE"
        )
    }

    @Test func structureMismatchesNamed() throws {
        let files = try ConfigFiles()
        let (scalarForMapping, path) = try files.loader("server: localhost\n")
        #expect(
            configurationErrorText { _ = try scalarForMapping.load(ServerSettings.self, at: "server") }
                == "\(path):1:9: server: expected a mapping, found \"localhost\"; fix the value in \(path) or override it with APP_SERVER"
        )
        let (sequenceForMapping, path2) = try files.loader("server: [a]\n")
        #expect(
            configurationErrorText { _ = try sequenceForMapping.load(ServerSettings.self, at: "server") }
                == "\(path2):1:9: server: expected a mapping, found a sequence; fix the value in \(path2) or override it with APP_SERVER"
        )
        let (mappingForScalar, path3) = try files.loader("value:\n  a: 1\n")
        #expect(
            configurationErrorText { _ = try mappingForScalar.load(Wrapper<Int>.self) }
                == "\(path3):2:3: value: expected an integer, found a mapping; fix the value in \(path3) or override it with APP_VALUE"
        )
        let (mappingForSequence, path4) = try files.loader("value: {a: 1}\n")
        #expect(
            configurationErrorText { _ = try mappingForSequence.load(Wrapper<[Int]>.self) }
                == "\(path4):1:8: value: expected a sequence, found a mapping; fix the value in \(path4) or override it with APP_VALUE"
        )
    }

    @Test func topLevelMustBeMapping() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("- a\n- b\n")
        #expect(configurationErrorText { _ = try loader.load(ServerSettings.self) } == "\(path):1:1: expected a mapping, found a sequence; fix \(path)")
    }

    @Test func errorInSequenceElementNamesIndex() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value:\n  - host: a\n    port: 1\n  - host: b\n    port: x\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<[Peer]>.self) }
                == "\(path):5:11: value[1].port: expected an integer, found \"x\"; fix the value in \(path) or override it with APP_VALUE_1_PORT"
        )
    }

    @Test func errorInDictionaryValueNamesKey() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value:\n  requests: 10\n  bursts: many\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<[String: Int]>.self) }
                == "\(path):3:11: value.bursts: expected an integer, found \"many\"; fix the value in \(path) or override it with APP_VALUE_BURSTS"
        )
    }

    @Test func enumListsRawValues() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: verbose\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<LogLevel>.self) }
                == "\(path):1:8: value: expected one of debug, info, error, found \"verbose\"; fix the value in \(path) or override it with APP_VALUE"
        )
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Mode>.self) }
                == "\(path):1:8: value: expected a valid Mode, found \"verbose\"; fix the value in \(path) or override it with APP_VALUE"
        )
        let (numbers, numbersPath) = try files.loader("value: 3\n")
        #expect(
            configurationErrorText { _ = try numbers.load(Wrapper<Priority>.self) }
                == "\(numbersPath):1:8: value: expected one of 1, 2, found \"3\"; fix the value in \(numbersPath) or override it with APP_VALUE"
        )
        #expect(
            configurationErrorText { _ = try numbers.load(OptionalWrapper<LogLevel>.self) }
                == "\(numbersPath):1:8: value: expected one of debug, info, error, found \"3\"; fix the value in \(numbersPath) or override it with APP_VALUE"
        )
    }

    @Test func durationErrorsExplain() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("a: 30\nb: 5sec\nc: -1s\n")
        #expect(
            configurationErrorText { _ = try loader.load(Duration.self, at: "a") }
                == "\(path):1:4: a: expected a duration such as 250ms, 5s or 1m30s, found \"30\" (the number has no unit; write 30s for seconds or 30ms for milliseconds); fix the value in \(path) or override it with APP_A"
        )
        #expect(configurationErrorText { _ = try loader.load(Duration.self, at: "b") }?.contains("(unknown unit \"sec\"; use ns, us, ms, s, m or h)") == true)
        #expect(configurationErrorText { _ = try loader.load(Duration.self, at: "c") }?.contains("(a duration cannot be negative)") == true)
    }

    @Test func urlMustBeAbsolute() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: not a url\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<URL>.self) }
                == "\(path):1:8: value: expected an absolute URL such as http://127.0.0.1:8080, found \"not a url\"; fix the value in \(path) or override it with APP_VALUE"
        )
    }

    @Test func plainNullIsNotAString() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value:\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<String>.self) }
                == "\(path):1:7: value: expected a string, found an empty value (write \"\" for an empty string); fix the value in \(path) or override it with APP_VALUE"
        )
        #expect(try loader.load(OptionalWrapper<String>.self).value == nil)
    }

    @Test func nullSectionUsesDefaults() throws {
        struct Sections: Decodable {
            var server: DefaultedSettings
            var peers: [Peer]
        }
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("server:\n  # port: 1\npeers:\n")
        let sections = try loader.load(Sections.self)
        #expect(sections.server.port == 8080)
        #expect(sections.server.host == "127.0.0.1")
        #expect(sections.peers.isEmpty)
        #expect(try loader.load(DefaultedSettings.self, at: "server") == nil)
    }

    @Test func defaultsFillAbsentKeys() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("port: 9000\nhost: null\n")
        let settings = try loader.load(DefaultedSettings.self)
        #expect(settings.port == 9000)
        #expect(settings.host == "127.0.0.1")
        #expect(settings.timeout == .seconds(30))
    }

    @Test func typeCheckInInitLocatesValue() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("quota:\n  limit: 0\n")
        #expect(
            configurationErrorText { _ = try loader.load(PositiveLimit.self, at: "quota") }
                == "\(path):2:10: quota.limit: invalid value \"0\": must be greater than 0; fix the value in \(path) or override it with APP_QUOTA_LIMIT"
        )
    }

    @Test func otherErrorFromInitLocated() throws {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "the value is reserved" }
        }
        struct Reserved: Decodable {
            init(from decoder: any Decoder) throws {
                throw Failure()
            }
        }
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: admin\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Reserved>.self) }
                == "\(path):1:8: value: invalid value \"admin\": the value is reserved; fix the value in \(path) or override it with APP_VALUE"
        )
    }

    @Test func tooFewElementsForTuple() throws {
        struct Pair: Decodable {
            var first, second: Int
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                first = try container.decode(Int.self)
                second = try container.decode(Int.self)
            }
        }
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("value: [1]\n")
        #expect(
            configurationErrorText { _ = try loader.load(Wrapper<Pair>.self) }
                == "\(path):1:8: value: expected at least 2 elements, found 1; fix the value in \(path) or override it with APP_VALUE"
        )
    }

    @Test func floatDecoding() throws {
        let files = try ConfigFiles()
        let (loader, path) = try files.loader("a: .inf\nb: 1e400\nc: 3\n")
        #expect(try loader.load(Double.self, at: "a") == .infinity)
        #expect(try loader.load(Double.self, at: "c") == 3)
        #expect(
            configurationErrorText { _ = try loader.load(Double.self, at: "b") }
                == "\(path):2:4: b: expected a number, found \"1e400\" (out of range for Double); fix the value in \(path) or override it with APP_B"
        )
    }

    @Test func aliasValuesDecode() throws {
        let files = try ConfigFiles()
        let (loader, _) = try files.loader("primary: &peer {host: a, port: 1}\nfallback: *peer\n")
        struct Peers: Decodable {
            var primary: Peer
            var fallback: Peer
        }
        let peers = try loader.load(Peers.self)
        #expect(peers.fallback == Peer(host: "a", port: 1))
        try loader.checkUnknownKeys()
    }
}

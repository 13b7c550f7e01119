// libFuzzer entry point for HTTPRequestParser. Fuzz/run compiles this file
// together with the parser's sources into one module, so it needs no import.

/// Parser limits small enough that short inputs reach every limit check.
private let smallLimits: HTTPLimits = {
    var limits = HTTPLimits()
    limits.maxTargetLength = 64
    limits.maxHeaderSize = 256
    limits.maxHeaderCount = 8
    limits.maxBodySize = 512
    limits.maxChunkLineLength = 32
    return limits
}()

/// The parser's events for one input, with adjacent body events merged, and
/// the error that stopped it.
private struct Outcome: Equatable {
    var events: [HTTPRequestParser.Event] = []
    var error: HTTPParseError?
}

/// Feeds `input` in pieces whose sizes `nextSize` picks, draining events
/// after each piece. Traps when the parser keeps returning events without
/// consuming input.
private func parse(_ input: UnsafeRawBufferPointer, limits: HTTPLimits, nextSize: () -> Int) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    var offset = 0
    repeat {
        let end = min(input.count, offset + max(1, nextSize()))
        parser.append(UnsafeRawBufferPointer(rebasing: input[offset..<end]))
        offset = end
        var rounds = 0
        while true {
            rounds += 1
            check(rounds <= 2 * input.count + 4, "parser returned events without consuming input")
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                outcome.error = error
                return outcome
            }
            guard let event else { break }
            if case .body(let bytes) = event, case .body(let previous)? = outcome.events.last {
                outcome.events[outcome.events.count - 1] = .body(previous + bytes)
            } else {
                outcome.events.append(event)
            }
        }
    } while offset < input.count
    return outcome
}

/// Checks that the events form whole messages: a head, body bytes matching
/// the framing, then the end, with no body for a request without one.
private func checkMessages(_ outcome: Outcome, limits: HTTPLimits) {
    var framing: BodyFraming?
    var bodyCount = 0
    for event in outcome.events {
        switch event {
        case .head(_, let headFraming):
            check(framing == nil, "a head arrived inside another message")
            framing = headFraming
            bodyCount = 0
        case .body(let bytes):
            check(framing != nil && framing != BodyFraming.none, "body bytes outside a message with a body")
            bodyCount += bytes.count
            check(Int64(bodyCount) <= limits.maxBodySize, "body of \(bodyCount) bytes passed the limit")
            if case .contentLength(let length)? = framing {
                check(Int64(bodyCount) <= length, "body longer than its Content-Length")
            }
        case .end:
            check(framing != nil, "end without a head")
            if case .contentLength(let length)? = framing {
                check(Int64(bodyCount) == length, "body of \(bodyCount) bytes for Content-Length \(length)")
            }
            framing = nil
        }
    }
}

/// Stops the process with `message` when `condition` is false. Unlike
/// `precondition`, it prints the message in optimized builds too.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError(message())
    }
}

/// A small deterministic generator (SplitMix64).
private struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func requestParserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    // Seed the piece sizes from the input, so a crash reproduces from its file.
    var seed: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in input {
        seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3
    }
    for limits in [HTTPLimits.default, smallLimits] {
        let atOnce = parse(input, limits: limits) { input.count }
        let byteByByte = parse(input, limits: limits) { 1 }
        var generator = SplitMix64(state: seed)
        let randomPieces = parse(input, limits: limits) { Int(generator.next() % 64) + 1 }
        checkMessages(atOnce, limits: limits)
        check(byteByByte == atOnce, "byte-by-byte parse differs: \(byteByByte) vs \(atOnce)")
        check(randomPieces == atOnce, "parse in random pieces differs: \(randomPieces) vs \(atOnce)")
    }
    return 0
}

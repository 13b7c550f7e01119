import StratusLog
@testable import StratusTelemetry
import Testing

@Suite struct LoggingBufferedOutputTests {
    private func line(_ text: String) -> [UInt8] {
        Array((text + "\n").utf8)
    }

    @Test func holdsLinesBelowThreshold() {
        let captured = CapturedLogOutput()
        let output = captured.makeOutput(flushThreshold: 1024)
        output.write(line("one"))
        output.write(line("two"))

        #expect(captured.chunkCount == 0)
    }

    @Test func writesOneChunkAtThreshold() {
        let captured = CapturedLogOutput()
        let output = captured.makeOutput(flushThreshold: 12)
        output.write(line("first"))
        output.write(line("second"))

        #expect(captured.chunkCount == 1)
        #expect(captured.lines == ["first", "second"])
    }

    @Test func flushWritesPending() {
        let captured = CapturedLogOutput()
        let output = captured.makeOutput(flushThreshold: 1024)
        output.write(line("one"))
        output.flush()
        output.flush()

        #expect(captured.chunkCount == 1)
        #expect(captured.lines == ["one"])
    }

    @Test func urgentLineFlushesEverything() {
        let captured = CapturedLogOutput()
        let output = captured.makeOutput(flushThreshold: 1024)
        output.write(line("info"))
        output.write(line("error"), flush: true)

        #expect(captured.lines == ["info", "error"])
    }

    @Test func errorLevelFlushesThroughHandler() {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput(flushThreshold: 1 << 20))
        logger.info("buffered")
        #expect(captured.chunkCount == 0)

        logger.error("failed")
        #expect(captured.lines.count == 2)
    }

    @Test func releasedOutputFlushes() {
        let captured = CapturedLogOutput()
        do {
            let output = captured.makeOutput(flushThreshold: 1024)
            output.write(line("last words"))
        }
        #expect(captured.lines == ["last words"])
    }
}

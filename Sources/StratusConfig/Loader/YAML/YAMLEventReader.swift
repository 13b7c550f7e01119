private import CYAML

/// Reads YAML text with libyaml's event parser (`yaml_parser_parse`) and
/// passes each event to a handler, in order, ending with `streamEnd`.
enum YAMLEventReader {
    /// - Throws: `ConfigurationError.Code.invalidYAML` with libyaml's
    ///   problem text and position when the text is not valid YAML, or the
    ///   handler's error.
    static func read(
        _ bytes: [UInt8],
        origin: ConfigOrigin,
        handler: (YAMLEvent) throws(ConfigurationError) -> Void
    ) throws(ConfigurationError) {
        // libyaml keeps pointers into the parser between calls, so it gets a
        // fixed address rather than a Swift variable that may move.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw ConfigurationError(.invalidYAML, "\(origin.name): libyaml could not allocate its parser")
        }
        defer { yaml_parser_delete(parser) }

        // yaml_parser_set_input_string rejects a null pointer, which an empty
        // array may have, so empty input reads from a placeholder byte.
        let input = bytes.isEmpty ? [0] : bytes
        try input.withUnsafeBufferPointer { (buffer) throws(ConfigurationError) in
            yaml_parser_set_input_string(parser, buffer.baseAddress, bytes.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    throw syntaxProblem(parser.pointee, bytes: bytes).error(origin: origin)
                }
                defer { yaml_event_delete(&event) }
                let converted = convert(event)
                try handler(converted)
                if converted.kind == .streamEnd { return }
            }
        }
    }

    private static func syntaxProblem(_ parser: yaml_parser_t, bytes: [UInt8]) -> YAMLSyntaxProblem {
        let problem = parser.problem.map { String(cString: $0) } ?? "libyaml failed with error \(parser.error.rawValue)"
        let position: (line: Int, column: Int)
        if parser.error == YAML_READER_ERROR {
            // Reader errors (invalid UTF-8, control characters) set only a
            // byte offset, not a mark.
            position = YAMLSyntaxProblem.lineAndColumn(ofByte: parser.problem_offset, in: bytes)
        } else {
            position = (Int(parser.problem_mark.line) + 1, Int(parser.problem_mark.column) + 1)
        }
        let context = parser.context.map {
            (text: String(cString: $0), line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
        }
        var syntaxProblem = YAMLSyntaxProblem(problem: problem, line: position.line, column: position.column, context: context)
        syntaxProblem.isTab = YAMLSyntaxProblem.character(atLine: position.line, column: position.column, in: bytes) == "\t"
        return syntaxProblem
    }

    private static func convert(_ event: yaml_event_t) -> YAMLEvent {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        return YAMLEvent(kind: kind(of: event), line: line, column: column)
    }

    private static func kind(of event: yaml_event_t) -> YAMLEvent.Kind {
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return .scalar(text: text, style: style(scalar.style), anchor: string(scalar.anchor), tag: string(scalar.tag))
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: string(event.data.sequence_start.anchor), tag: string(event.data.sequence_start.tag))
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: string(event.data.mapping_start.anchor), tag: string(event.data.mapping_start.tag))
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_STREAM_END_EVENT; libyaml emits no YAML_NO_EVENT from a
            // successful parse.
            return .streamEnd
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLEvent.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

extension OTLPProtobufEncoder {
    private typealias Field = OTLPProtobufField

    /// Writes one `KeyValue` under `field` per attribute, in the order they
    /// were set.
    static func writeAttributes(_ attributes: SpanAttributes, field: UInt32, to writer: inout ProtobufWriter) {
        attributes.forEach { key, value in
            let keyValue = writer.beginMessage(field)
            writeString(Field.KeyValue.key, key, to: &writer)
            let anyValue = writer.beginMessage(Field.KeyValue.value)
            writeValue(value, to: &writer)
            writer.endMessage(anyValue)
            writer.endMessage(keyValue)
        }
    }

    /// Writes the fields of an `AnyValue`. The member of its `oneof` is
    /// written even when it is the default (an empty string, false, 0),
    /// because its presence marks the value's type.
    private static func writeValue(_ value: SpanAttribute, to writer: inout ProtobufWriter) {
        switch value {
        case .string(let text):
            writer.writeStringField(Field.AnyValue.stringValue, text)
        case .int64(let integer):
            writer.writeInt64Field(Field.AnyValue.intValue, integer)
        case .double(let double):
            writer.writeDoubleField(Field.AnyValue.doubleValue, double)
        case .bool(let bool):
            writer.writeBoolField(Field.AnyValue.boolValue, bool)
        case .stringArray(let values):
            writeArray(values, to: &writer) { writer, text in
                writer.writeStringField(Field.AnyValue.stringValue, text)
            }
        case .int64Array(let values):
            writeArray(values, to: &writer) { writer, integer in
                writer.writeInt64Field(Field.AnyValue.intValue, integer)
            }
        case .doubleArray(let values):
            writeArray(values, to: &writer) { writer, double in
                writer.writeDoubleField(Field.AnyValue.doubleValue, double)
            }
        case .boolArray(let values):
            writeArray(values, to: &writer) { writer, bool in
                writer.writeBoolField(Field.AnyValue.boolValue, bool)
            }
        }
    }

    /// Writes an `arrayValue` with one `AnyValue` per element.
    private static func writeArray<Element>(
        _ elements: [Element],
        to writer: inout ProtobufWriter,
        writeElement: (inout ProtobufWriter, Element) -> Void
    ) {
        let array = writer.beginMessage(Field.AnyValue.arrayValue, reservedLengthSize: 2)
        for element in elements {
            let value = writer.beginMessage(Field.ArrayValue.values)
            writeElement(&writer, element)
            writer.endMessage(value)
        }
        writer.endMessage(array)
    }
}

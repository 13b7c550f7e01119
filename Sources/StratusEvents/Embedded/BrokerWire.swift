import Foundation

/// The JSON bodies of the control plane's events API, shared by the broker
/// and its client. Payloads are base64; times are milliseconds.
package enum BrokerWire {
    package struct PublishRequest: Codable, Sendable {
        package var key: String?
        package var headers: [String: String]?
        /// The payload in standard base64.
        package var payload: String

        package init(key: String?, headers: [String: String]?, payload: String) {
            self.key = key
            self.headers = headers
            self.payload = payload
        }
    }

    package struct PublishResponse: Codable, Sendable {
        package var topic: String
        package var sequence: UInt64

        package init(topic: String, sequence: UInt64) {
            self.topic = topic
            self.sequence = sequence
        }
    }

    package struct FetchRequest: Codable, Sendable {
        /// The subscription's id, for its in-flight bound.
        package var consumer: String
        package var maxMessages: Int
        package var waitMilliseconds: Int64?
        package var ackTimeoutMilliseconds: Int64?
        package var maxDeliveries: Int?
        package var maxInFlight: Int?

        package init(consumer: String, maxMessages: Int, waitMilliseconds: Int64?, ackTimeoutMilliseconds: Int64?, maxDeliveries: Int?, maxInFlight: Int?) {
            self.consumer = consumer
            self.maxMessages = maxMessages
            self.waitMilliseconds = waitMilliseconds
            self.ackTimeoutMilliseconds = ackTimeoutMilliseconds
            self.maxDeliveries = maxDeliveries
            self.maxInFlight = maxInFlight
        }
    }

    package struct Message: Codable, Sendable {
        package var sequence: UInt64
        package var key: String?
        package var headers: [String: String]
        package var payload: String
        package var publishedAt: Int64
        package var deliveryCount: Int

        package init(sequence: UInt64, key: String?, headers: [String: String], payload: String, publishedAt: Int64, deliveryCount: Int) {
            self.sequence = sequence
            self.key = key
            self.headers = headers
            self.payload = payload
            self.publishedAt = publishedAt
            self.deliveryCount = deliveryCount
        }
    }

    package struct FetchResponse: Codable, Sendable {
        package var messages: [Message]

        package init(messages: [Message]) {
            self.messages = messages
        }
    }

    package struct NackRequest: Codable, Sendable {
        package var delayMilliseconds: Int64?

        package init(delayMilliseconds: Int64?) {
            self.delayMilliseconds = delayMilliseconds
        }
    }

    /// The control plane's error body: `{"error": {"code", "message", ...}}`.
    package struct ErrorBody: Codable, Sendable {
        package struct Detail: Codable, Sendable {
            package var code: String
            package var message: String

            package init(code: String, message: String) {
                self.code = code
                self.message = message
            }
        }

        package var error: Detail
    }

    package static func encodePayload(_ payload: [UInt8]) -> String {
        Data(payload).base64EncodedString()
    }

    package static func decodePayload(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { Array($0) }
    }
}

extension BrokerWire {
    /// Several messages, possibly to several topics, in one request.
    package struct BatchPublishRequest: Codable, Sendable {
        package struct Message: Codable, Sendable {
            package var topic: String
            package var key: String?
            package var headers: [String: String]?
            package var payload: String

            package init(topic: String, key: String?, headers: [String: String]?, payload: String) {
                self.topic = topic
                self.key = key
                self.headers = headers
                self.payload = payload
            }
        }

        package var messages: [Message]

        package init(messages: [Message]) {
            self.messages = messages
        }
    }

    /// One result per message of a batch, in order: a sequence or an error.
    package struct BatchPublishResponse: Codable, Sendable {
        package struct Result: Codable, Sendable {
            package var sequence: UInt64?
            package var error: ErrorBody.Detail?

            package init(sequence: UInt64?, error: ErrorBody.Detail?) {
                self.sequence = sequence
                self.error = error
            }
        }

        package var results: [Result]

        package init(results: [Result]) {
            self.results = results
        }
    }
}

/// An object registered with an event loop for readiness events on one descriptor.
///
/// The loop calls `handleEvents` on its own thread only.
package protocol Selectable: AnyObject {
    func handleEvents(_ events: EventMask)
}

/// Readiness interest or events, as epoll reports them.
public struct EventMask: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let readable = EventMask(rawValue: 0x001)      // EPOLLIN
    public static let writable = EventMask(rawValue: 0x004)      // EPOLLOUT
    public static let error = EventMask(rawValue: 0x008)         // EPOLLERR
    public static let hangUp = EventMask(rawValue: 0x010)        // EPOLLHUP
    public static let readHangUp = EventMask(rawValue: 0x2000)   // EPOLLRDHUP
}

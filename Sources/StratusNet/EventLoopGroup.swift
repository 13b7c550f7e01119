import Glibc
import Synchronization

/// A fixed set of event loops, one thread each.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Starts `loopCount` loops; the default is one per online CPU core.
    public init(loopCount: Int = EventLoopGroup.coreCount) throws(SystemError) {
        precondition(loopCount > 0, "an event loop group needs at least one loop, got \(loopCount)")
        var loops: [EventLoop] = []
        for index in 0..<loopCount {
            let loop = try EventLoop(index: index)
            try loop.startThread()
            loops.append(loop)
        }
        self.loops = loops
    }

    /// The number of online CPU cores.
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Picks loops round-robin, for spreading new client connections.
    public func next() -> EventLoop {
        loops[nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Stops every loop. Close the sockets registered with them first.
    public func shutdown() {
        for loop in loops {
            loop.stop()
        }
    }

    /// A group shared by clients and servers that do not bring their own, started
    /// on first use and never stopped.
    public static let shared: EventLoopGroup = {
        do {
            return try EventLoopGroup()
        } catch {
            fatalError("cannot start the shared event loop group: \(error)")
        }
    }()
}

import CStratusLinux
import Glibc

/// The one wrapper every system call goes through.
///
/// It retries EINTR, returns EAGAIN/EWOULDBLOCK as `.wouldBlock` and throws a
/// `SystemError` naming the call for any other failure. EBADF and EFAULT mean
/// the program itself is wrong (a closed or invalid descriptor, a bad pointer),
/// so they trap instead of throwing, as they would corrupt unrelated state if
/// ignored.
enum System {
    @inline(__always)
    static func call<T: FixedWidthInteger>(_ name: @autoclosure () -> String, _ body: () -> T) throws(SystemError) -> IOResult<T> {
        while true {
            let result = body()
            if result >= 0 {
                return .processed(result)
            }
            let code = Glibc.errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                return .wouldBlock
            case EBADF, EFAULT:
                preconditionFailure("\(name()) failed with a programmer error: errno \(code)")
            default:
                throw SystemError(call: name(), errno: code)
            }
        }
    }

    /// Calls `body` for a call that cannot block; `.wouldBlock` there would be a bug.
    @inline(__always)
    @discardableResult
    static func blockingCall<T: FixedWidthInteger>(_ name: @autoclosure () -> String, _ body: () -> T) throws(SystemError) -> T {
        switch try call(name(), body) {
        case .processed(let value):
            return value
        case .wouldBlock:
            throw SystemError(call: name(), errno: EAGAIN)
        }
    }

    static func close(_ fd: Int32) {
        // Linux releases the descriptor even when close reports EINTR, so it
        // must not be retried (close(2), "Dealing with error returns").
        _ = Glibc.close(fd)
    }
}

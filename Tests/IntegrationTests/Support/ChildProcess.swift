import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A child process started with `posix_spawn` and reaped with `waitpid`: Foundation's `Process`
/// on Linux can miss a child's exit when many children come and go, and `waitUntilExit` then
/// never returns.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` in `directory`, output appended to `logFile` (or
    /// inherited when nil).
    init(executable: String, arguments: [String], environment: [String: String], directory: String, logFile: String?) throws {
        var script = "cd \"$1\" && shift && "
        if logFile != nil { script += "exec \"$@\" >>\"$LOGFILE_FOR_CHILD\" 2>&1" } else { script += "exec \"$@\"" }
        var environment = environment
        if let logFile { environment["LOGFILE_FOR_CHILD"] = logFile }
        let argv = ["/bin/sh", "-c", script, "sh", directory, executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStringArray(argv) { argvPointers in
            withCStringArray(envp) { envPointers in
                posix_spawn(&pid, "/bin/sh", nil, nil, argvPointers, envPointers)
            }
        }
        guard status == 0 else {
            throw NSError(domain: "spawn", code: Int(status), userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
        }
        self.pid = pid
    }

    /// Whether the child still runs (reaping it when it has ended).
    var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid || result < 0 {
                status = result == pid ? raw : -1
                return false
            }
            return true
        }
    }

    func signal(_ signal: Int32) {
        if isRunning { _ = kill(pid, signal) }
    }

    /// Waits up to `timeout` seconds; the wait status, or nil when it still runs.
    @discardableResult
    func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() >= deadline { return nil }
            usleep(20_000)
        }
        return exitStatus.withLock { $0 }
    }

    /// The exit code of a finished child (`WEXITSTATUS`), or -1 when it was killed by a signal.
    static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies + [nil])
}

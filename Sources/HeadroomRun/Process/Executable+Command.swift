#if canImport(Glibc)
import Glibc
#endif
import Subprocess
import SystemPackage

extension Executable {
    /// A command as a shell takes it: a path when it has a `/`, else a name looked up on `PATH`.
    static func command(_ program: String) -> Executable {
        program.contains("/") ? .path(FilePath(program)) : .name(program)
    }

    /// Why a command given as a path that exists cannot be run (a shell's 126), or `nil`:
    /// a directory, or a file without execute permission. A missing path is left to the
    /// launcher, which reports it as not found (127).
    static func whyNotRunnable(_ program: String) -> String? {
        guard program.contains("/") else { return nil }
        var info = stat()
        guard stat(program, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFDIR { return "it is a directory" }
        if access(program, X_OK) != 0 { return "permission denied: it is not executable" }
        return nil
    }
}

import Subprocess
import SystemPackage

extension Executable {
    /// A command as a shell takes it: a path when it has a `/`, else a name looked up on `PATH`.
    static func command(_ program: String) -> Executable {
        program.contains("/") ? .path(FilePath(program)) : .name(program)
    }
}

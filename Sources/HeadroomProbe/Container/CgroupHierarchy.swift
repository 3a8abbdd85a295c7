/// Where a process's cgroup for one controller lives in the filesystem.
///
/// Found from `/proc/self/cgroup` (which cgroup) and `/proc/self/mountinfo`
/// (where that hierarchy is mounted, and which part of it the mount shows, as
/// in a container whose cgroup namespace mounts only its own subtree).
public struct CgroupHierarchy: Sendable, Hashable {
    public enum Version: String, Sendable, Codable {
        case v1, v2
    }

    public var version: Version
    /// The cgroup's path as `/proc/self/cgroup` names it, such as `/kubepods/pod1/abc`.
    public var cgroupPath: String
    /// The cgroup's directory, as an absolute path under the root (such as `/sys/fs/cgroup/memory/docker/abc`).
    public var directory: String
    /// Where the hierarchy is mounted; the walk up the ancestry stops here.
    public var mountPoint: String

    /// The cgroup's directory and each ancestor's up to the mount point, leaf first.
    public var ancestry: [String] {
        var dirs = [directory]
        var current = directory
        while current != mountPoint, current.count > mountPoint.count,
              let slash = current.lastIndex(of: "/") {
            current = slash == current.startIndex ? "/" : String(current[..<slash])
            dirs.append(current)
        }
        return dirs
    }

    /// The hierarchy holding `controller` (`memory`, `cpu`) for process `pid`.
    ///
    /// A v1 hierarchy with that controller wins; otherwise the unified (v2)
    /// hierarchy is used. Returns `nil` when neither is mounted.
    public static func find(controller: String, pid: String = "self", root: SystemRoot = .live) -> CgroupHierarchy? {
        guard let cgroupText = root.readIfPresent("/proc/\(pid)/cgroup"),
              let mountText = root.readIfPresent("/proc/\(pid)/mountinfo")
        else { return nil }
        let memberships = parseMemberships(cgroupText)
        let mounts = parseMounts(mountText)
        if let membership = memberships.first(where: { $0.controllers.contains(controller) }),
           let mount = mounts.first(where: { $0.fsType == "cgroup" && $0.superOptions.contains(controller) }) {
            return CgroupHierarchy(version: .v1, membership: membership.path, mount: mount, root: root)
        }
        if let membership = memberships.first(where: { $0.id == "0" && $0.controllers.isEmpty }),
           let mount = mounts.first(where: { $0.fsType == "cgroup2" }) {
            return CgroupHierarchy(version: .v2, membership: membership.path, mount: mount, root: root)
        }
        return nil
    }

    private init(version: Version, membership: String, mount: Mount, root: SystemRoot) {
        self.version = version
        self.cgroupPath = membership
        self.mountPoint = mount.mountPoint
        // The mount shows the hierarchy from `mount.root` down; the cgroup path is relative to the hierarchy's top.
        var relative: Substring
        if membership.split(separator: "/").contains("..") {
            // A cgroup namespace names a cgroup outside its own subtree as `/../…`: that cgroup is
            // not under the mount, and joining the path would walk out of the cgroup filesystem.
            relative = ""
        } else if mount.root == "/" {
            relative = Substring(membership)
        } else if membership == mount.root || membership.hasPrefix(mount.root + "/") {
            relative = membership.dropFirst(mount.root.count)
        } else {
            relative = ""  // outside the mount, as with a cgroup namespace: the mount itself is ours
        }
        if relative == "/" { relative = "" }
        let candidate = mount.mountPoint + relative
        self.directory = root.exists(candidate) ? candidate : mount.mountPoint
    }

    struct Membership {
        var id: String
        var controllers: [String]
        var path: String
    }

    struct Mount {
        var root: String
        var mountPoint: String
        var fsType: String
        var superOptions: [String]
    }

    /// `hierarchy-ID:controller-list:cgroup-path` lines.
    static func parseMemberships(_ text: String) -> [Membership] {
        text.lines.compactMap { line in
            let parts = line.split(ascii: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            let controllers = parts[1].split(ascii: ",").map { name in
                name.hasPrefix("name=") ? String(name.dropFirst(5)) : String(name)
            }
            return Membership(id: String(parts[0]), controllers: controllers, path: String(parts[2]))
        }
    }

    /// The cgroup mounts among mountinfo lines:
    /// `id parent major:minor root mountpoint options [optional…] - fstype source superoptions`.
    static func parseMounts(_ text: String) -> [Mount] {
        text.lines.compactMap { line in
            let fields = line.split(ascii: " ")
            guard fields.count >= 7, let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 1 < fields.count,
                  fields[dash + 1].utf8.starts(with: "cgroup".utf8)
            else { return nil }
            let superOptions = dash + 3 < fields.count ? fields[dash + 3].split(ascii: ",").map(String.init) : []
            return Mount(root: unescape(fields[3]), mountPoint: unescape(fields[4]),
                         fsType: String(fields[dash + 1]), superOptions: superOptions)
        }
    }

    /// mountinfo escapes space, tab, newline and backslash as octal (`\040`).
    static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count,
               let code = UInt8(String(decoding: utf8[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                bytes.append(code)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of `file` in the cgroup directory `dir`, trimmed.
    func value(_ file: String, in dir: String? = nil, root: SystemRoot) -> String? {
        root.readIfPresent((dir ?? directory) + "/" + file, limit: 64 << 10)?.trimmingWhitespace()
    }
}

#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import Hummingbird

/// Who may read `/metrics`: anyone, or a client that sends the right
/// `Authorization` header (basic auth or a bearer token, each read from a file).
///
/// `/healthz` and `/` stay open so that Kubernetes probes need no secret.
public enum MetricsAccess: Sendable, Equatable {
    case open
    /// `Authorization: Basic base64(user:password)`.
    case basic(user: String, password: String)
    /// `Authorization: Bearer token`.
    case bearer(token: String)

    /// Reads `user:password` from the first line of the file at `path`.
    /// - Throws: ``ServeSetupError`` when the file cannot be read or has no `user:password`.
    public static func basic(file path: String) throws(ServeSetupError) -> MetricsAccess {
        let line = try firstLine(of: path, what: "basic auth file")
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
            throw ServeSetupError("the basic auth file \(path) must hold user:password on its first line")
        }
        return .basic(user: String(line[..<colon]), password: String(line[line.index(after: colon)...]))
    }

    /// Reads the token from the first line of the file at `path`.
    /// - Throws: ``ServeSetupError`` when the file cannot be read or is empty.
    public static func bearer(file path: String) throws(ServeSetupError) -> MetricsAccess {
        let token = try firstLine(of: path, what: "bearer token file")
        guard !token.isEmpty, !token.contains(" ") else {
            throw ServeSetupError("the bearer token file \(path) must hold one token on its first line")
        }
        return .bearer(token: token)
    }

    /// The `Authorization` value that grants access, or `nil` when no header is needed.
    var expectedAuthorization: String? {
        switch self {
        case .open: nil
        case .basic(let user, let password): "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .bearer(let token): "Bearer " + token
        }
    }

    /// The `WWW-Authenticate` challenge of a 401.
    var challenge: String {
        switch self {
        case .open: ""
        case .basic: #"Basic realm="headroom", charset="UTF-8""#
        case .bearer: #"Bearer realm="headroom""#
        }
    }

    /// Whether `fields` carry the expected `Authorization`, compared in constant time for equal lengths.
    func allows(_ fields: HTTPFields) -> Bool {
        guard let expected = expectedAuthorization else { return true }
        guard let given = fields[.authorization] else { return false }
        let left = Array(given.utf8), right = Array(expected.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// The first line of a small file, without its line break.
    static func firstLine(of path: String, what: String) throws(ServeSetupError) -> String {
        let text = try ServeSetupError.readFile(path, what: what)
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingSuffix("\r")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

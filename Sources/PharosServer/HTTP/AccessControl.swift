import Foundation
import NIOCore

/// Orthanc's access rules: loopback only unless `RemoteAccessAllowed`, and HTTP basic authentication against
/// `RegisteredUsers` when authentication is enabled (credentials compared in constant time).
struct AccessControl: Sendable {
    let remoteAccessAllowed: Bool
    let authenticationRequired: Bool
    /// "user:password" pairs as UTF-8 bytes.
    let credentials: [[UInt8]]
    let realm: String

    init(configuration: ServerConfiguration) {
        remoteAccessAllowed = configuration.remoteAccessAllowed
        authenticationRequired = configuration.isAuthenticationRequired
        credentials = configuration.registeredUsers.sorted { $0.key < $1.key }.map { Array("\($0.key):\($0.value)".utf8) }
        realm = configuration.name.isEmpty ? "Pharos" : configuration.name
    }

    /// Refuses a remote client when remote access is off (403), and answers 401 without valid credentials; on
    /// success, the context carries the authenticated user.
    func check(_ request: Request, _ context: inout PharosRequestContext) throws -> Response? {
        if !remoteAccessAllowed && !Self.isLoopback(context.remoteAddress) {
            throw RESTError(.forbiddenAccess, "Remote access is disabled (RemoteAccessAllowed is false)")
        }
        guard authenticationRequired else { return nil }
        guard let user = authenticatedUser(request) else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"\(realm)\""])
        }
        context.username = user
        return nil
    }

    private func authenticatedUser(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)) else {
            return nil
        }
        let given = [UInt8](decoded)
        var match = false
        // Every registered pair is compared in full, so timing does not tell which user or how many bytes matched.
        for pair in credentials where Self.constantTimeEqual(pair, given) { match = true }
        guard match, let colon = given.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return String(decoding: given[..<colon], as: UTF8.self)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0 ..< max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        if case .unixDomainSocket = address { return true }
        guard let ip = address.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}

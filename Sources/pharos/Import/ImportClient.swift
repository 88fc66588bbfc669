import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The answer to one upload.
enum UploadOutcome: Sendable {
    /// Stored (or already there): the study it belongs to and Orthanc's `Status` ("Success", "AlreadyStored").
    case stored(study: String?, status: String)
    /// The server refused the file or failed; the message comes from its error JSON when there is one.
    case refused(message: String)
    /// The server could not be reached at all.
    case unreachable(message: String)
}

/// The few REST calls `pharos import` makes, over URLSession (libcurl on Linux).
struct ImportClient: Sendable {
    let baseURL: String
    let authorization: String?
    let session: URLSession

    init(url: String, username: String?, password: String?, connections: Int) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        if let username {
            authorization = "Basic " + Data("\(username):\(password ?? "")".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(connections, 1)
        configuration.timeoutIntervalForRequest = 600
        session = URLSession(configuration: configuration, delegate: NoChallengeDelegate(), delegateQueue: nil)
    }

    /// The IDs of the studies the server holds now; throws with a message naming the server when it cannot answer.
    func studyIDs() async throws(ImportError) -> Set<String> {
        guard let url = URL(string: baseURL + "/studies") else { throw ImportError("\(baseURL): not a valid URL") }
        var request = URLRequest(url: url)
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError where ImportClient.isAuthenticationRefusal(error) {
            throw credentialsError(status: 401)
        } catch {
            throw ImportError("cannot reach the server at \(baseURL): \(error.localizedDescription)"
                + " (is it running? use --url to name another one)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status == 401 || status == 403 { throw credentialsError(status: status) }
        guard status == 200, let ids = (try? JSONSerialization.jsonObject(with: data)) as? [String] else {
            throw ImportError("\(baseURL)/studies answered HTTP \(status): is this an Orthanc-compatible server?")
        }
        return Set(ids)
    }

    private func credentialsError(status: Int) -> ImportError {
        ImportError("the server at \(baseURL) " + (authorization == nil ? "asks for credentials" : "refused the credentials")
            + " (HTTP \(status)): pass --username and --password of a registered user")
    }

    /// A 401 with `WWW-Authenticate` reaches URLSession as a challenge, which `NoChallengeDelegate` turns down:
    /// the request then ends as cancelled.
    static func isAuthenticationRefusal(_ error: URLError) -> Bool {
        error.code == .cancelled || error.code == .userAuthenticationRequired
    }

    /// Uploads one DICOM file with `POST /instances`.
    func upload(_ data: Data) async -> UploadOutcome {
        guard let url = URL(string: baseURL + "/instances") else { return .unreachable(message: "invalid URL") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/dicom", forHTTPHeaderField: "Content-Type")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let body: Data
        let response: URLResponse
        do {
            (body, response) = try await session.upload(for: request, from: data)
        } catch let error as URLError where ImportClient.isAuthenticationRefusal(error) {
            return .refused(message: "HTTP 401: credentials refused")
        } catch let error as URLError where [.cannotConnectToHost, .cannotFindHost, .notConnectedToInternet]
            .contains(error.code) {
            return .unreachable(message: error.localizedDescription)
        } catch {
            return .refused(message: error.localizedDescription)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        guard status == 200 else {
            let detail = (json?["Details"] as? String) ?? (json?["Message"] as? String) ?? ""
            return .refused(message: "HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return .stored(study: json?["ParentStudy"] as? String, status: (json?["Status"] as? String) ?? "Success")
    }
}

/// Turns authentication challenges down, so that a 401 ends the request (as cancelled) at once: without a
/// delegate, FoundationNetworking on Linux waits forever on a 401 that carries `WWW-Authenticate`. The credentials,
/// when given, travel in the `Authorization` header of every request instead.
private final class NoChallengeDelegate: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        completionHandler(.rejectProtectionSpace, nil)
    }
}

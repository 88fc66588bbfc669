import DICOM
import Foundation

/// The server's settings: Orthanc's configuration keys, with Pharos' defaults when a key is absent.
public struct ServerConfiguration: Sendable {
    public var name = "Pharos"
    public var storageDirectory = "pharos-data"
    public var indexDirectory = "pharos-data"
    public var storageCompression = false
    public var httpServerEnabled = true
    public var httpPort = 8042
    /// Address the HTTP server binds to.
    public var httpBindAddress = "0.0.0.0"
    public var remoteAccessAllowed = false
    /// nil: follows Orthanc's rule (enabled when remote access is allowed).
    public var authenticationEnabled: Bool?
    public var registeredUsers: [String: String] = [:]
    public var httpDescribeErrors = true
    public var stableAge = 60.0
    public var overwriteInstances = false
    public var defaultEncoding = "Latin1"
    public var limitFindResults = 0
    /// Background jobs run at once, and finished ones kept listed (Orthanc's `ConcurrentJobs`, `JobsHistorySize`).
    /// `/tools/metrics-prometheus` answers (Orthanc's `MetricsEnabled`).
    public var metricsEnabled = true
    public var concurrentJobs = 2
    public var jobsHistorySize = 10
    public var limitFindInstances = 0
    /// MB; 0 means no limit.
    public var maximumStorageSize = 0
    public var maximumPatientCount = 0
    /// "Recycle" or "Reject".
    public var maximumStorageMode = "Recycle"
    public var keepAlive = true
    public var keepAliveTimeout = 1
    public var dicomServerEnabled = true
    public var dicomAet = "PHAROS"
    public var dicomPort = 4242
    /// Largest request body accepted, in bytes.
    public var maximumRequestSize = 4 << 30
    public var dicomCheckCalledAet = false
    /// The remote DICOM nodes, by symbolic name.
    public var dicomModalities: [String: DicomModality] = [:]
    public var dicomAlwaysAllowEcho = true
    public var dicomAlwaysAllowStore = true
    public var dicomAlwaysAllowFind = false
    public var dicomAlwaysAllowMove = false
    public var dicomAlwaysAllowGet = false
    public var dicomCheckModalityHost = false
    public var strictAetComparison = false
    /// Seconds an association may stay idle.
    public var dicomScpTimeout = 30
    /// Seconds Pharos waits for a peer when it is the SCU.
    public var dicomScuTimeout = 10
    public var maximumPduLength = 16384
    public var unknownSopClassAccepted = false
    /// Transfer syntax UIDs accepted by the SCP; `*` and `?` are wildcards.
    public var acceptedTransferSyntaxes = ["1.2.840.10008.1.*"]
    /// The older per-family switches (all true by default): family name → accepted.
    public var transferSyntaxFamilies: [String: Bool] = [:]

    /// Keys Pharos reads; others are ignored with one log line.
    static let knownKeys: Set<String> = Set([
        "Name", "StorageDirectory", "IndexDirectory", "StorageCompression", "HttpServerEnabled", "HttpPort",
        "RemoteAccessAllowed", "AuthenticationEnabled", "RegisteredUsers", "HttpDescribeErrors", "StableAge",
        "OverwriteInstances", "DefaultEncoding", "LimitFindResults", "LimitFindInstances", "MaximumStorageSize",
        "MaximumPatientCount", "MaximumStorageMode", "KeepAlive", "KeepAliveTimeout", "DicomServerEnabled", "DicomAet",
        "DicomPort", "HttpBindAddress", "MaximumRequestSize", "DicomCheckCalledAet", "DicomModalities",
        "DicomAlwaysAllowEcho", "DicomAlwaysAllowStore", "DicomAlwaysAllowFind", "DicomAlwaysAllowMove",
        "DicomAlwaysAllowGet", "DicomCheckModalityHost", "StrictAetComparison", "DicomScpTimeout", "DicomScuTimeout",
        "MaximumPduLength", "UnknownSopClassAccepted", "AcceptedTransferSyntaxes", "DicomAssociationCloseDelay",
        "ConcurrentJobs", "JobsHistorySize", "MetricsEnabled",
    ] + transferSyntaxSwitches)

    /// Orthanc's per-family switches (deprecated in favour of AcceptedTransferSyntaxes, still honoured).
    static let transferSyntaxSwitches = [
        "DeflatedTransferSyntaxAccepted", "JpegTransferSyntaxAccepted", "Jpeg2000TransferSyntaxAccepted",
        "JpegLosslessTransferSyntaxAccepted", "JpipTransferSyntaxAccepted", "Mpeg2TransferSyntaxAccepted",
        "RleTransferSyntaxAccepted", "Mpeg4TransferSyntaxAccepted", "H265TransferSyntaxAccepted",
    ]

    public init() {}

    /// Reads the known keys from `values`; a wrong type stops with a message naming the key and file.
    public init(values: [String: ConfigurationValue], ignored: (String) -> Void = { _ in }) throws(ConfigurationError) {
        let reader = Reader(values: values)
        try reader.string("Name", &name)
        try reader.string("StorageDirectory", &storageDirectory)
        indexDirectory = storageDirectory
        try reader.string("IndexDirectory", &indexDirectory)
        try reader.bool("StorageCompression", &storageCompression)
        try reader.bool("HttpServerEnabled", &httpServerEnabled)
        try reader.int("HttpPort", &httpPort, range: 1 ... 65535)
        try reader.string("HttpBindAddress", &httpBindAddress)
        try reader.bool("RemoteAccessAllowed", &remoteAccessAllowed)
        var auth = false
        if try reader.bool("AuthenticationEnabled", &auth) { authenticationEnabled = auth }
        try reader.stringMap("RegisteredUsers", &registeredUsers)
        try reader.bool("HttpDescribeErrors", &httpDescribeErrors)
        try reader.double("StableAge", &stableAge)
        try reader.bool("OverwriteInstances", &overwriteInstances)
        try reader.string("DefaultEncoding", &defaultEncoding)
        try reader.int("LimitFindResults", &limitFindResults, range: 0 ... Int.max)
        try reader.int("ConcurrentJobs", &concurrentJobs, range: 0 ... 1024)
        try reader.bool("MetricsEnabled", &metricsEnabled)
        try reader.int("JobsHistorySize", &jobsHistorySize, range: 0 ... 100_000)
        try reader.int("LimitFindInstances", &limitFindInstances, range: 0 ... Int.max)
        try reader.int("MaximumStorageSize", &maximumStorageSize, range: 0 ... Int.max)
        try reader.int("MaximumPatientCount", &maximumPatientCount, range: 0 ... Int.max)
        try reader.string("MaximumStorageMode", &maximumStorageMode)
        guard maximumStorageMode == "Recycle" || maximumStorageMode == "Reject" else {
            throw reader.failure("MaximumStorageMode", "must be \"Recycle\" or \"Reject\"")
        }
        try reader.bool("KeepAlive", &keepAlive)
        try reader.int("KeepAliveTimeout", &keepAliveTimeout, range: 0 ... 3600)
        try reader.bool("DicomServerEnabled", &dicomServerEnabled)
        try reader.string("DicomAet", &dicomAet)
        try reader.int("DicomPort", &dicomPort, range: 1 ... 65535)
        try reader.int("MaximumRequestSize", &maximumRequestSize, range: 1 ... Int.max)
        try reader.bool("DicomCheckCalledAet", &dicomCheckCalledAet)
        try reader.bool("DicomAlwaysAllowEcho", &dicomAlwaysAllowEcho)
        try reader.bool("DicomAlwaysAllowStore", &dicomAlwaysAllowStore)
        try reader.bool("DicomAlwaysAllowFind", &dicomAlwaysAllowFind)
        try reader.bool("DicomAlwaysAllowMove", &dicomAlwaysAllowMove)
        try reader.bool("DicomAlwaysAllowGet", &dicomAlwaysAllowGet)
        try reader.bool("DicomCheckModalityHost", &dicomCheckModalityHost)
        try reader.bool("StrictAetComparison", &strictAetComparison)
        try reader.int("DicomScpTimeout", &dicomScpTimeout, range: 0 ... 86400)
        try reader.int("DicomScuTimeout", &dicomScuTimeout, range: 0 ... 86400)
        try reader.int("MaximumPduLength", &maximumPduLength, range: 4096 ... 131072)
        try reader.bool("UnknownSopClassAccepted", &unknownSopClassAccepted)
        if let v = values["AcceptedTransferSyntaxes"] {
            if let one = v.raw as? String {
                acceptedTransferSyntaxes = [one]
            } else if let list = v.raw as? [Any], list.allSatisfy({ $0 is String }) {
                acceptedTransferSyntaxes = list.compactMap { $0 as? String }
            } else {
                throw reader.failure("AcceptedTransferSyntaxes", "must be a string or a list of strings")
            }
        }
        for key in Self.transferSyntaxSwitches {
            var accepted = true
            if try reader.bool(key, &accepted) { transferSyntaxFamilies[key] = accepted }
        }
        if let v = values["DicomModalities"] {
            guard let d = v.raw as? [String: Any] else {
                throw reader.failure("DicomModalities", "must be an object mapping names to modalities")
            }
            for (name, raw) in d {
                guard let json = JSONValue.fromFoundation(raw) else {
                    throw reader.failure("DicomModalities", "has an unreadable entry \"\(name)\"")
                }
                do {
                    dicomModalities[name] = try DicomModality(json: json)
                } catch {
                    throw reader.failure("DicomModalities", "entry \"\(name)\": \(error.message)")
                }
            }
        }
        for key in values.keys.sorted() where !Self.knownKeys.contains(key) { ignored(key) }
    }

    /// Whether HTTP basic authentication is required (Orthanc: explicit setting, else on when remote access is allowed).
    public var isAuthenticationRequired: Bool { authenticationEnabled ?? remoteAccessAllowed }

    private struct Reader {
        let values: [String: ConfigurationValue]

        func failure(_ key: String, _ what: String) -> ConfigurationError {
            ConfigurationError("Configuration key \"\(key)\" in \(values[key]?.source ?? "the configuration") \(what)")
        }

        @discardableResult
        func string(_ key: String, _ target: inout String) throws(ConfigurationError) -> Bool {
            guard let v = values[key] else { return false }
            guard let s = v.raw as? String else { throw failure(key, "must be a string") }
            target = s
            return true
        }

        @discardableResult
        func bool(_ key: String, _ target: inout Bool) throws(ConfigurationError) -> Bool {
            guard let v = values[key] else { return false }
            guard let n = v.raw as? NSNumber, Self.isBoolean(n) else {
                throw failure(key, "must be true or false")
            }
            target = n.boolValue
            return true
        }

        static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

        func int(_ key: String, _ target: inout Int, range: ClosedRange<Int>) throws(ConfigurationError) {
            guard let v = values[key] else { return }
            guard let n = v.raw as? NSNumber, !Self.isBoolean(n), let i = Int(exactly: n.doubleValue) else {
                throw failure(key, "must be a whole number")
            }
            guard range.contains(i) else { throw failure(key, "must be between \(range.lowerBound) and \(range.upperBound)") }
            target = i
        }

        func double(_ key: String, _ target: inout Double) throws(ConfigurationError) {
            guard let v = values[key] else { return }
            guard let n = v.raw as? NSNumber, !Self.isBoolean(n) else { throw failure(key, "must be a number") }
            target = n.doubleValue
        }

        func stringMap(_ key: String, _ target: inout [String: String]) throws(ConfigurationError) {
            guard let v = values[key] else { return }
            guard let d = v.raw as? [String: Any] else { throw failure(key, "must be an object of strings") }
            var out: [String: String] = [:]
            for (k, value) in d {
                guard let s = value as? String else { throw failure(key, "must map each user to a password string") }
                out[k] = s
            }
            target = out
        }
    }
}

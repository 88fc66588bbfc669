import DICOM
import Foundation

/// A remote DICOM node of `DicomModalities`: where it listens and what it may ask of us (Orthanc's two forms:
/// `[AET, host, port(, manufacturer)]` or an object with `AET`, `Host`, `Port`, `Allow*`…).
public struct DicomModality: Sendable, Equatable {
    public var aet: String
    public var host: String
    public var port: Int
    public var manufacturer = "Generic"
    public var allowEcho = true
    public var allowFind = true
    public var allowFindWorklist = true
    public var allowGet = true
    public var allowMove = true
    public var allowStore = true
    public var allowStorageCommitment = true
    public var allowTranscoding = true
    public var useDicomTls = false
    /// Our AE title towards this node; nil uses `DicomAet`.
    public var localAet: String?
    /// Seconds; 0 uses `DicomScuTimeout`.
    public var timeout = 0

    public init(aet: String, host: String, port: Int) {
        self.aet = aet
        self.host = host
        self.port = port
    }

    /// Parses either form; the error says what is wrong so the user can fix the configuration or the request body.
    public init(json: JSONValue) throws(ConfigurationError) {
        if let array = json.arrayValue {
            guard array.count == 3 || array.count == 4, let aet = array[0].stringValue,
                  let host = array[1].stringValue, let port = Self.port(array[2]) else {
                throw ConfigurationError("A modality given as an array must be [AET, host, port] or "
                                         + "[AET, host, port, manufacturer], with a port between 1 and 65535")
            }
            self.init(aet: aet, host: host, port: port)
            if array.count == 4 {
                guard let m = array[3].stringValue else { throw ConfigurationError("The manufacturer must be a string") }
                manufacturer = m
            }
            return
        }
        guard json.objectValue != nil else {
            throw ConfigurationError("A modality must be a JSON array or object")
        }
        guard let aet = json["AET"]?.stringValue, !aet.isEmpty else {
            throw ConfigurationError("A modality needs a non-empty string \"AET\"")
        }
        let host = json["Host"]?.stringValue ?? "127.0.0.1"
        guard let portValue = json["Port"], let port = Self.port(portValue) else {
            throw ConfigurationError("A modality needs \"Port\" between 1 and 65535")
        }
        self.init(aet: aet, host: host, port: port)
        if let v = json["Manufacturer"] {
            guard let s = v.stringValue else { throw ConfigurationError("\"Manufacturer\" must be a string") }
            manufacturer = s
        }
        func flag(_ key: String, _ target: inout Bool) throws(ConfigurationError) {
            guard let v = json[key], !v.isNull else { return }
            guard let b = v.boolValue else { throw ConfigurationError("\"\(key)\" must be true or false") }
            target = b
        }
        try flag("AllowEcho", &allowEcho)
        try flag("AllowFind", &allowFind)
        try flag("AllowFindWorklist", &allowFindWorklist)
        try flag("AllowGet", &allowGet)
        try flag("AllowMove", &allowMove)
        try flag("AllowStore", &allowStore)
        try flag("AllowStorageCommitment", &allowStorageCommitment)
        try flag("AllowTranscoding", &allowTranscoding)
        try flag("UseDicomTls", &useDicomTls)
        if let v = json["LocalAet"], !v.isNull {
            guard let s = v.stringValue else { throw ConfigurationError("\"LocalAet\" must be a string") }
            localAet = s
        }
        if let v = json["Timeout"], !v.isNull {
            guard let t = v.integerValue, t >= 0, t <= 86400 else {
                throw ConfigurationError("\"Timeout\" must be a number of seconds between 0 and 86400")
            }
            timeout = Int(t)
        }
    }

    private static func port(_ value: JSONValue) -> Int? {
        let n = value.integerValue ?? value.stringValue.flatMap { Int64($0) }
        guard let n, (1 ... 65535).contains(n) else { return nil }
        return Int(n)
    }

    /// The object form, as `GET /modalities?expand` shows it.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("AET", .string(aet)),
            ("AllowEcho", .bool(allowEcho)),
            ("AllowFind", .bool(allowFind)),
            ("AllowFindWorklist", .bool(allowFindWorklist)),
            ("AllowGet", .bool(allowGet)),
            ("AllowMove", .bool(allowMove)),
            ("AllowStorageCommitment", .bool(allowStorageCommitment)),
            ("AllowStore", .bool(allowStore)),
            ("AllowTranscoding", .bool(allowTranscoding)),
            ("Host", .string(host)),
        ]
        if let localAet { members.append(("LocalAet", .string(localAet))) }
        members += [
            ("Manufacturer", .string(manufacturer)),
            ("Port", .integer(Int64(port))),
            ("Timeout", .integer(Int64(timeout))),
            ("UseDicomTls", .bool(useDicomTls)),
        ]
        return .object(JSONObject(members))
    }

    /// Whether `title` names this modality (Orthanc compares AE titles case-insensitively unless
    /// `StrictAetComparison` is set).
    func matches(aeTitle title: String, strict: Bool) -> Bool {
        strict ? aet == title : aet.uppercased() == title.uppercased()
    }
}

extension JSONValue {
    /// A value read by Foundation's JSONSerialization (configuration files), as a `JSONValue`.
    static func fromFoundation(_ raw: Any) -> JSONValue? {
        guard JSONSerialization.isValidJSONObject([raw]),
              let data = try? JSONSerialization.data(withJSONObject: [raw], options: [.fragmentsAllowed]),
              let parsed = try? JSONValue.parse(Array(data)) else { return nil }
        return parsed[0]
    }
}

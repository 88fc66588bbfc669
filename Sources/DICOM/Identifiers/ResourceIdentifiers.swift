/// Orthanc's public identifiers of the four resources an instance belongs to: SHA-1 of the DICOM identifiers joined by
/// `|`, hexadecimal, split 8-8-8-8-8 with dashes (DESIGN.md).
public struct ResourceIdentifiers: Sendable, Hashable {
    public let patientID: String
    public let studyInstanceUID: String
    public let seriesInstanceUID: String
    public let sopInstanceUID: String

    /// The patient's identifier.
    public let patient: String
    /// The study's identifier.
    public let study: String
    /// The series' identifier.
    public let series: String
    /// The instance's identifier.
    public let instance: String

    public init(patientID: String, studyInstanceUID: String, seriesInstanceUID: String, sopInstanceUID: String) {
        self.patientID = Self.clean(patientID)
        self.studyInstanceUID = Self.clean(studyInstanceUID)
        self.seriesInstanceUID = Self.clean(seriesInstanceUID)
        self.sopInstanceUID = Self.clean(sopInstanceUID)
        // Hashed once: an ingest reads each identifier several times.
        patient = Self.hash([self.patientID])
        study = Self.hash([self.patientID, self.studyInstanceUID])
        series = Self.hash([self.patientID, self.studyInstanceUID, self.seriesInstanceUID])
        instance = Self.hash([self.patientID, self.studyInstanceUID, self.seriesInstanceUID, self.sopInstanceUID])
    }

    /// Takes the four identifiers of `dataSet`; nil (with the missing tag) when a UID is absent or empty.
    public init(dataSet: DataSet) throws(DICOMError) {
        let cs = dataSet.specificCharacterSet()
        func required(_ tag: Tag, _ name: String) throws(DICOMError) -> String {
            guard let v = dataSet.string(tag, cs), !Self.clean(v).isEmpty else {
                throw DICOMError(.invalidValue, "The instance has no \(name) \(tag.hex(separator: ",", uppercase: true))", tag: tag)
            }
            return v
        }
        // An empty PatientID is allowed: Orthanc hashes the empty string.
        self.init(patientID: dataSet.string(.patientID, cs) ?? "",
                  studyInstanceUID: try required(.studyInstanceUID, "StudyInstanceUID"),
                  seriesInstanceUID: try required(.seriesInstanceUID, "SeriesInstanceUID"),
                  sopInstanceUID: try required(.sopInstanceUID, "SOPInstanceUID"))
    }

    /// Orthanc trims white space (and NUL padding) around the identifiers before hashing.
    static func clean(_ s: String) -> String { s.trimmingCharacters(in: " \0\t\r\n") }

    /// The identifier of the resource at `level`.
    public func id(at level: ResourceLevel) -> String {
        switch level {
        case .patient: patient
        case .study: study
        case .series: series
        case .instance: instance
        }
    }

    /// SHA-1 of the parts joined by `|`, as `xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx`.
    public static func hash(_ parts: [String]) -> String {
        let digest = SHA1.digest(parts.joined(separator: "|").utf8)
        let hexDigits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(44)
        for (i, b) in digest.enumerated() {
            if i > 0 && i % 4 == 0 { out.append(0x2D) }
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for a string of Orthanc's identifier shape.
    public static func isValid(_ id: some StringProtocol) -> Bool {
        let u = Array(id.utf8)
        guard u.count == 44 else { return false }
        for (i, c) in u.enumerated() {
            if i % 9 == 8 { if c != 0x2D { return false } } else if !(c >= 0x30 && c <= 0x39 || c >= 0x61 && c <= 0x66) { return false }
        }
        return true
    }
}

import CZlib

/// How sequences and items are delimited when written (PS3.5 §7.5).
public enum LengthEncoding: Sendable, Equatable {
    /// Explicit byte counts; what DCMTK (and so Orthanc) writes by default.
    case defined
    /// 0xFFFFFFFF followed by item and sequence delimiters.
    case undefined
}

/// Options of `DICOMWriter`.
public struct WriteOptions: Sendable, Equatable {
    /// Sequences and items; defined by default, as DCMTK does, so files compare byte for byte with Orthanc's.
    /// Whatever the choice, a sequence too long for a 32-bit length, and in implicit VR a sequence the
    /// dictionary does not know as SQ (private ones), are written with undefined length: only then can a
    /// reader tell them apart from a plain value.
    public var sequenceLength: LengthEncoding
    /// Source Application Entity Title (0002,0016) to record; nil keeps the one already in the meta group, if any.
    public var sourceApplicationEntityTitle: String?
    /// zlib level for the deflated transfer syntax (0–9, or -1 for zlib's default).
    public var deflateLevel: Int32

    public init(sequenceLength: LengthEncoding = .defined, sourceApplicationEntityTitle: String? = nil,
                deflateLevel: Int32 = Z_DEFAULT_COMPRESSION) {
        self.sequenceLength = sequenceLength
        self.sourceApplicationEntityTitle = sourceApplicationEntityTitle
        self.deflateLevel = deflateLevel
    }
}

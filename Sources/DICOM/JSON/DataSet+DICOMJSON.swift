import Foundation

/// One step down into a sequence: the sequence's tag and the item's index (from 0).
public struct ItemStep: Sendable, Hashable {
    public var sequence: Tag
    public var item: Int

    public init(sequence: Tag, item: Int) {
        self.sequence = sequence
        self.item = item
    }
}

/// Options of the DICOM JSON model (PS3.18 Annex F).
public struct DICOMJSONOptions: Sendable {
    /// Chooses, for each binary element (OB, OD, OF, OL, OV, OW, UN, encapsulated pixel data), a URI to give as
    /// `BulkDataURI` instead of the bytes; nil inlines the value as base64 `InlineBinary`. It is given the
    /// element and the items it sits in (empty at the top level).
    public var bulkDataURI: (@Sendable (_ element: DataElement, _ path: [ItemStep]) -> String?)?
    /// The character set of a data set that declares none.
    public var defaultCharacterSet: SpecificCharacterSet
    /// Leaves out group length elements (gggg,0000), which the JSON model has no use for.
    public var skipGroupLengths: Bool

    public init(bulkDataURI: (@Sendable (_ element: DataElement, _ path: [ItemStep]) -> String?)? = nil,
                defaultCharacterSet: SpecificCharacterSet = .default, skipGroupLengths: Bool = true) {
        self.bulkDataURI = bulkDataURI
        self.defaultCharacterSet = defaultCharacterSet
        self.skipGroupLengths = skipGroupLengths
    }
}

extension DataSet {
    /// This data set in the DICOM JSON model of PS3.18 §F.2: keys are 8 upper-case hex digits, each attribute an
    /// object with `vr` then `Value` (absent when empty), `InlineBinary` or `BulkDataURI`. Numbers (IS and DS
    /// too) are JSON numbers, AT values hex strings, PN values objects with Alphabetic/Ideographic/Phonetic, and
    /// empty values within a multi-valued string null. Items declaring their own Specific Character Set are
    /// decoded with it, others with their parent's.
    public func dicomJSON(_ options: DICOMJSONOptions = DICOMJSONOptions()) -> JSONValue {
        .object(DICOMJSONRenderer(options: options).render(self, characterSet: options.defaultCharacterSet, path: []))
    }

    /// Shorthand for `dicomJSON(DICOMJSONOptions(bulkDataURI:))`.
    public func dicomJSON(bulkData: (@Sendable (_ element: DataElement, _ path: [ItemStep]) -> String?)?) -> JSONValue {
        dicomJSON(DICOMJSONOptions(bulkDataURI: bulkData))
    }
}

struct DICOMJSONRenderer {
    let options: DICOMJSONOptions

    func render(_ dataSet: DataSet, characterSet inherited: SpecificCharacterSet, path: [ItemStep]) -> JSONObject {
        let characterSet = dataSet.specificCharacterSet(inheriting: inherited)
        var object = JSONObject()
        for element in dataSet {
            if options.skipGroupLengths, element.tag.isGroupLength { continue }
            var attribute = JSONObject()
            attribute["vr"] = .string(element.vr.description)
            switch element.value {
            case .sequence(let items):
                if !items.isEmpty {
                    attribute["Value"] = .array(items.enumerated().map { index, item in
                        .object(render(item, characterSet: characterSet,
                                       path: path + [ItemStep(sequence: element.tag, item: index)]))
                    })
                }
            case .fragments(let fragments):
                if let uri = options.bulkDataURI?(element, path) {
                    attribute["BulkDataURI"] = .string(uri)
                } else {
                    attribute["InlineBinary"] = .string(Data(fragments.fragments.joined()).base64EncodedString())
                }
            case .bytes(let bytes):
                if let values = Self.values(of: element, characterSet: characterSet) {
                    if !values.isEmpty { attribute["Value"] = .array(values) }
                } else if !bytes.isEmpty {
                    if let uri = options.bulkDataURI?(element, path) {
                        attribute["BulkDataURI"] = .string(uri)
                    } else {
                        attribute["InlineBinary"] = .string(Data(bytes).base64EncodedString())
                    }
                }
            }
            object[element.tag.hex(separator: "", uppercase: true)] = .object(attribute)
        }
        return object
    }

    /// The `Value` array of a non-binary element; nil for the binary VRs.
    static func values(of element: DataElement, characterSet: SpecificCharacterSet) -> [JSONValue]? {
        let vr = element.vr
        switch vr {
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN:
            return nil
        case .SQ:
            return []
        case .PN:
            return strings(element, characterSet).map(personName)
        case .IS, .DS:
            return strings(element, characterSet).map { text in
                guard !text.isEmpty else { return .null }
                if let i = Int64(text) { return .integer(i) }
                if let d = Double(text), d.isFinite { return .double(d) }
                return .null
            }
        case .AT:
            return element.tags.map { .string($0.hex(separator: "", uppercase: true)) }
        case .US, .SS, .UL, .SL, .SV:
            return element.integers.map { .integer($0) }
        case .UV:
            return unsignedWords(element.bytes).map { $0 <= UInt64(Int64.max) ? .integer(Int64($0)) : .double(Double($0)) }
        case .FL:
            // Through the float's shortest text, so 0.1f reads 0.1 rather than 0.10000000149011612.
            return element.numbers.map { d in .double(Double(Float(d).description) ?? d) }
        case .FD:
            return element.numbers.map { .double($0) }
        default:
            return strings(element, characterSet).map { $0.isEmpty ? .null : .string($0) }
        }
    }

    /// The values of a string element; an entirely empty value has none.
    private static func strings(_ element: DataElement, _ characterSet: SpecificCharacterSet) -> [String] {
        let values = element.strings(characterSet)
        if values.count == 1, values[0].isEmpty { return [] }
        return values
    }

    /// A PN value as its component groups (PS3.18 §F.2.2): Alphabetic, Ideographic, Phonetic, empty ones left out.
    private static func personName(_ text: String) -> JSONValue {
        guard !text.isEmpty else { return .null }
        let groups = text.split(separator: "=", maxSplits: 2, omittingEmptySubsequences: false)
        var object = JSONObject()
        for (name, group) in zip(["Alphabetic", "Ideographic", "Phonetic"], groups) where !group.isEmpty {
            object[name] = .string(String(group))
        }
        return object.isEmpty ? .null : .object(object)
    }

    private static func unsignedWords(_ b: [UInt8]) -> [UInt64] {
        stride(from: 0, to: b.count - b.count % 8, by: 8).map { i in
            (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(b[i + $1]) << (8 * $1) }
        }
    }
}

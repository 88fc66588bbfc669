import Foundation

extension DataSet {
    /// This data set in one of Orthanc's JSON formats, value for value as Orthanc 1.10.1 answers
    /// `/instances/{id}/tags` (see `OrthancJSONOptions` for the switches, `OrthancLeaf` for the value rules).
    public func orthancJSON(_ options: OrthancJSONOptions = OrthancJSONOptions()) -> JSONValue {
        let renderer = OrthancJSONRenderer(options: options, decoder: OrthancTextDecoder(dataSet: self, options: options))
        return .object(renderer.render(self, depth: 0))
    }

    /// Shorthand for `orthancJSON(OrthancJSONOptions(format:maxStringLength:))`.
    public func orthancJSON(format: OrthancJSONOptions.Format, maxStringLength: Int = 256) -> JSONValue {
        orthancJSON(OrthancJSONOptions(format: format, maxStringLength: maxStringLength))
    }
}

/// Walks a data set for `orthancJSON`; the character set is the root's for every item, as in Orthanc.
struct OrthancJSONRenderer {
    let options: OrthancJSONOptions
    let decoder: OrthancTextDecoder

    /// DCMTK settles these `xs` elements (US or SS) from Pixel Representation when read with implicit VR; other
    /// `xs` elements (palette descriptors, …) stay undecided and Orthanc shows them as null.
    static let settledByPixelRepresentation: Set<Tag> = Set([
        "PixelPaddingValue", "PixelPaddingRangeLimit", "HistogramFirstBinValue", "HistogramLastBinValue",
        "ZeroVelocityPixelValue", "SmallestImagePixelValue", "LargestImagePixelValue", "SmallestPixelValueInSeries",
        "LargestPixelValueInSeries", "LUTDescriptor", "RealWorldValueLastValueMapped", "RealWorldValueFirstValueMapped",
    ].compactMap { DataDictionary.tag(forKeyword: $0) })

    static let pixelRepresentation = Tag(0x0028, 0x0103)
    static let otherPatientIDs = Tag(0x0010, 0x1000)

    func render(_ dataSet: DataSet, depth: Int) -> JSONObject {
        var object = JSONObject()
        for element in dataSet {
            let tag = element.tag
            if depth == 0, options.stopAfterPixelData, tag > .pixelData { break }
            if tag.isPrivate, !options.includePrivateTags { continue }
            let creator = privateCreator(of: tag, in: dataSet)
            let privateEntry = creator.flatMap { DataDictionary.privateEntry(for: tag, creator: $0) }
            if !options.includeUnknownTags, privateEntry == nil, !isKnownPublic(tag) { continue }
            let vr = effectiveVR(of: element, privateEntry: privateEntry, in: dataSet)
            if vr.map(Self.isBinary) ?? true {
                if tag == .pixelData ? !options.includePixelData : !options.includeBinary { continue }
            }
            let name = Self.name(of: tag, privateEntry: privateEntry)
            if let items = element.items, element.vr == .SQ || vr == .SQ {
                let rendered = JSONValue.array(items.map { .object(render($0, depth: depth + 1)) })
                switch options.format {
                case .full:
                    object[tag.hex(separator: ",")] = .object(JSONObject([
                        ("Name", .string(name)), ("Type", "Sequence"), ("Value", rendered)]))
                case .short: object[tag.hex(separator: ",")] = rendered
                case .simplified: object[name] = rendered
                }
                continue
            }
            let leaf = vr.map { leafValue(element, vr: $0) } ?? .null
            switch options.format {
            case .full:
                var node = JSONObject()
                node["Name"] = .string(name)
                if let creator { node["PrivateCreator"] = .string(creator) }
                let (type, value) = fullTypeAndValue(leaf, tag: tag)
                node["Type"] = .string(type)
                node["Value"] = value
                object[tag.hex(separator: ",")] = .object(node)
            case .short:
                object[tag.hex(separator: ",")] = fullTypeAndValue(leaf, tag: tag).1
            case .simplified:
                object[name] = fullTypeAndValue(leaf, tag: tag).1
            }
        }
        return options.format == .simplified ? object.sortedByKey() : object
    }

    private func isKnownPublic(_ tag: Tag) -> Bool {
        if tag.isPrivate { return tag.isPrivateCreator || tag.element == 0 }
        return DataDictionary.entry(for: tag) != nil
    }

    /// The value of the creator element reserving a private element's block, trailing spaces removed.
    private func privateCreator(of tag: Tag, in dataSet: DataSet) -> String? {
        guard let creatorTag = tag.privateCreatorTag, let e = dataSet[creatorTag] else { return nil }
        return OrthancLeaf.stringText(e.bytes, vr: .LO, decoder: decoder)
    }

    /// The VR DCMTK would hand Orthanc: UN private elements known to the private dictionary take its VR;
    /// ambiguous VRs of elements read with implicit VR stay undecided (nil).
    private func effectiveVR(of element: DataElement, privateEntry: DictionaryEntry?, in dataSet: DataSet) -> VR? {
        if element.vr == .UN, let entry = privateEntry, entry.vr != .UN { return entry.vr }
        guard options.readWithImplicitVR, !element.tag.isPrivate,
              let entry = DataDictionary.entry(for: element.tag), entry.vrs.count > 1,
              entry.vrs.contains(.US), entry.vrs.contains(.SS), element.vr == entry.vr else { return element.vr }
        guard Self.settledByPixelRepresentation.contains(element.tag),
              let representation = dataSet[Self.pixelRepresentation]?.integer else { return nil }
        return representation == 1 ? .SS : .US
    }

    private static func isBinary(_ vr: VR) -> Bool {
        switch vr {
        case .OB, .OW, .OF, .UN: return true
        default: return false
        }
    }

    /// Orthanc's name for a tag: the dictionary keyword, the private dictionary's name, or "Unknown Tag & Data".
    static func name(of tag: Tag, privateEntry: DictionaryEntry?) -> String {
        // Orthanc keeps the pre-DCMTK 3.6.4 name of this one main tag.
        if tag == otherPatientIDs { return "OtherPatientIDs" }
        if let privateEntry {
            // DCMTK strips every blank from dictionary names when it loads them ("End NumberForBaseline").
            let name = privateEntry.keyword
            return name.contains(" ") ? name.filter { $0 != " " } : name
        }
        if tag.isPrivate && tag.element == 0 { return "PrivateGroupLength" }
        if tag.isPrivate && !tag.isPrivateCreator { return DataDictionary.unknownTagName }
        return DataDictionary.entry(for: tag)?.keyword ?? DataDictionary.unknownTagName
    }

    private func leafValue(_ element: DataElement, vr: VR) -> OrthancLeaf {
        switch element.value {
        case .bytes(let b): return OrthancLeaf.render(b, vr: vr, decoder: decoder)
        case .fragments, .sequence: return .null
        }
    }

    private func fullTypeAndValue(_ leaf: OrthancLeaf, tag: Tag) -> (String, JSONValue) {
        switch leaf {
        case .null:
            return ("Null", .null)
        case .binary(let bytes):
            guard options.binary == .dataURI else { return ("Null", .null) }
            return ("Binary", .string("data:application/octet-stream;base64," + Data(bytes).base64EncodedString()))
        case .text(let text):
            if options.maxStringLength > 0, text.utf8.count > options.maxStringLength,
               !options.ignoreLengthTags.contains(tag) {
                return ("TooLong", .null)
            }
            return ("String", .string(text))
        }
    }
}

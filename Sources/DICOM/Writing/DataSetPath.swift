/// The place of an element or of a sequence item at any depth of a data set, as Orthanc writes it:
/// `0040,0275[0].0040,0008` (tools/modify, `[*]` for every item) or `0040-0275/0/0040-0008` (`/content` URLs).
public struct DataSetPath: Sendable, Hashable, CustomStringConvertible {
    /// Which items of a sequence a step goes into.
    public enum Index: Sendable, Hashable {
        case at(Int)
        /// Every item (Orthanc's `[*]`).
        case all
    }

    /// One step: a tag, and for a sequence the item(s) to enter.
    public struct Step: Sendable, Hashable {
        public var tag: Tag
        public var index: Index?

        public init(_ tag: Tag, _ index: Index? = nil) {
            self.tag = tag
            self.index = index
        }
    }

    /// Sequence steps, each with an index, then either an element (last step without index) or an item (with one).
    public private(set) var steps: [Step]

    /// A path; every step but the last must enter an item.
    public init(_ steps: [Step]) throws(DICOMError) {
        guard !steps.isEmpty else { throw DICOMError(.invalidValue, "Empty data set path") }
        for step in steps.dropLast() where step.index == nil {
            throw DICOMError(.invalidValue, "Sequence \(step.tag) in a path needs an item index", tag: step.tag)
        }
        self.steps = steps
    }

    /// A top-level element.
    public init(_ tag: Tag) { steps = [Step(tag)] }

    /// An element inside items: `(sequence, index)` pairs, then the element's tag.
    public init(_ items: [(Tag, Int)], _ tag: Tag) {
        steps = items.map { Step($0.0, .at($0.1)) } + [Step(tag)]
    }

    /// The tag of the last step: the element's, or for an item path its sequence's.
    public var tag: Tag { steps[steps.count - 1].tag }
    /// True when the path names a sequence item rather than an element.
    public var isItem: Bool { steps[steps.count - 1].index != nil }
    /// True when some step uses `[*]`.
    public var hasWildcard: Bool { steps.contains { $0.index == .all } }

    /// Orthanc's dotted form, e.g. `0040,0275[0].0040,0008`.
    public var description: String {
        steps.map { step in
            var text = step.tag.hex(separator: ",")
            switch step.index {
            case .at(let i)?: text += "[\(i)]"
            case .all?: text += "[*]"
            case nil: break
            }
            return text
        }.joined(separator: ".")
    }

    /// Parses the dotted form (`0040,0275[0].0040,0008`, `[*]`, keywords such as `ReferencedImageSequence[0].ReferencedSOPInstanceUID`)
    /// or the slash form (`0040-0275/0/0040-0008`, possibly ending with an item index).
    public init(parsing text: String) throws(DICOMError) {
        let trimmed = text.hasPrefix("/") ? String(text.dropFirst()) : text
        var steps: [Step] = []
        if trimmed.contains("/") {
            let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
            var i = 0
            while i < parts.count {
                let tag = try Self.parseTag(parts[i], in: text)
                var index: Index?
                if i + 1 < parts.count { index = try Self.parseIndex(parts[i + 1], in: text) }
                steps.append(Step(tag, index))
                i += 2
            }
        } else {
            for part in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
                guard let open = part.firstIndex(of: "[") else {
                    steps.append(Step(try Self.parseTag(part, in: text)))
                    continue
                }
                guard part.hasSuffix("]") else {
                    throw DICOMError(.invalidValue, "Unclosed item index in data set path \"\(text)\"")
                }
                let tag = try Self.parseTag(part[..<open], in: text)
                let index = try Self.parseIndex(part[part.index(after: open) ..< part.index(before: part.endIndex)], in: text)
                steps.append(Step(tag, index))
            }
        }
        try self.init(steps)
    }

    private static func parseTag(_ text: Substring, in path: String) throws(DICOMError) -> Tag {
        if let tag = Tag(parsing: text) { return tag }
        if let tag = DataDictionary.tag(forKeyword: String(text)) { return tag }
        throw DICOMError(.invalidValue, "\"\(text)\" in data set path \"\(path)\" is neither a tag nor a keyword")
    }

    private static func parseIndex(_ text: Substring, in path: String) throws(DICOMError) -> Index {
        if text == "*" { return .all }
        guard let i = Int(text), i >= 0 else {
            throw DICOMError(.invalidValue, "\"\(text)\" in data set path \"\(path)\" is not an item index")
        }
        return .at(i)
    }
}

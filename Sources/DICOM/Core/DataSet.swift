/// A data set (PS3.5 §7): data elements kept sorted by tag, values decoded only when asked.
public struct DataSet: Sendable, Equatable, Sequence {
    /// The elements in ascending tag order.
    public private(set) var elements: [DataElement]

    public init() { elements = [] }

    /// Builds a data set from elements in any order; a later duplicate tag replaces an earlier one.
    public init(_ elements: [DataElement]) {
        self.elements = []
        self.elements.reserveCapacity(elements.count)
        for e in elements { self[e.tag] = e }
    }

    /// Appends when the tag is larger than the last one (the common case while reading), else inserts in order.
    init(sortedOrUnsorted elements: [DataElement]) {
        var sorted = true
        for i in elements.indices.dropFirst() where elements[i - 1].tag >= elements[i].tag { sorted = false; break }
        if sorted { self.elements = elements } else { self = DataSet(elements) }
    }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }
    public func makeIterator() -> IndexingIterator<[DataElement]> { elements.makeIterator() }

    /// Index of `tag`, or where it would be inserted.
    private func search(_ tag: Tag) -> (found: Bool, index: Int) {
        var low = 0, high = elements.count
        while low < high {
            let mid = (low + high) / 2
            let t = elements[mid].tag
            if t == tag { return (true, mid) }
            if t < tag { low = mid + 1 } else { high = mid }
        }
        return (false, low)
    }

    /// The element with `tag`; setting nil removes it, setting a value inserts or replaces it.
    public subscript(tag: Tag) -> DataElement? {
        get {
            let (found, i) = search(tag)
            return found ? elements[i] : nil
        }
        set {
            let (found, i) = search(tag)
            switch (found, newValue) {
            case (true, let e?): elements[i] = e
            case (true, nil): elements.remove(at: i)
            case (false, var e?): e.tag = tag; elements.insert(e, at: i)
            case (false, nil): break
            }
        }
    }

    public func contains(_ tag: Tag) -> Bool { search(tag).found }

    /// Inserts or replaces an element.
    public mutating func set(_ element: DataElement) { self[element.tag] = element }

    /// Removes an element; answers whether it was there.
    @discardableResult
    public mutating func remove(_ tag: Tag) -> DataElement? {
        let old = self[tag]
        self[tag] = nil
        return old
    }

    /// Keeps only the elements for which `keep` answers true.
    public mutating func removeAll(where remove: (DataElement) -> Bool) { elements.removeAll(where: remove) }

    /// The character set this data set declares, or `fallback` when it declares none (items inherit their parent's).
    public func specificCharacterSet(inheriting fallback: SpecificCharacterSet = .default) -> SpecificCharacterSet {
        guard let e = self[.specificCharacterSet] else { return fallback }
        return SpecificCharacterSet(value: String(decoding: e.bytes, as: UTF8.self), fallback: fallback)
    }
}

extension DataSet {
    /// Follows a path of (sequence tag, item index) pairs, then a last tag: the element at any depth.
    public func element(at path: [(Tag, Int)], _ tag: Tag) -> DataElement? {
        var current = self
        for (seq, index) in path {
            guard let items = current[seq]?.items, items.indices.contains(index) else { return nil }
            current = items[index]
        }
        return current[tag]
    }

    /// Replaces, inserts (value non-nil) or removes (nil) an element at any depth; false when the path does not exist.
    @discardableResult
    public mutating func update(at path: ArraySlice<(Tag, Int)>, _ tag: Tag, with element: DataElement?) -> Bool {
        guard let (seq, index) = path.first else {
            self[tag] = element
            return true
        }
        guard var seqElement = self[seq], var items = seqElement.items, items.indices.contains(index) else { return false }
        guard items[index].update(at: path.dropFirst(), tag, with: element) else { return false }
        seqElement.value = .sequence(items)
        self[seq] = seqElement
        return true
    }
}

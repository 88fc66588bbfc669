/// Reading and editing elements and items at any depth through a `DataSetPath`.
extension DataSet {
    /// Every element the path reaches (several with `[*]`); empty for an item path or when nothing is there.
    public func elements(at path: DataSetPath) -> [DataElement] {
        guard !path.isItem else { return [] }
        return containers(path.steps.dropLast()).compactMap { $0[path.tag] }
    }

    /// The element at `path` (the first one with `[*]`).
    public func element(at path: DataSetPath) -> DataElement? { elements(at: path).first }

    /// The item at an item path such as `0008-1140/0` (the first one with `[*]`).
    public func item(at path: DataSetPath) -> DataSet? {
        guard path.isItem else { return nil }
        return containers(path.steps[...]).first
    }

    /// The data sets reached by entering the items of `steps` in turn.
    private func containers(_ steps: ArraySlice<DataSetPath.Step>) -> [DataSet] {
        guard let step = steps.first else { return [self] }
        guard let items = self[step.tag]?.items else { return [] }
        switch step.index {
        case .at(let i)?: return items.indices.contains(i) ? items[i].containers(steps.dropFirst()) : []
        case .all?: return items.flatMap { $0.containers(steps.dropFirst()) }
        case nil: return []
        }
    }

    /// Applies `body` to the element at `path` in every item the path reaches (nil when absent; setting nil removes,
    /// setting a value inserts or replaces). Answers how many data sets were visited: 0 when the path's sequences
    /// or items do not exist (they are never created).
    @discardableResult
    public mutating func modify(at path: DataSetPath, _ body: (inout DataElement?) throws -> Void) rethrows -> Int {
        guard !path.isItem else { return 0 }
        return try modifyContainers(path.steps.dropLast()) { dataSet in
            var element = dataSet[path.tag]
            try body(&element)
            element?.tag = path.tag
            dataSet[path.tag] = element
        }
    }

    /// Inserts or replaces `element` (its tag becomes the path's) wherever the path reaches; answers how many.
    @discardableResult
    public mutating func set(_ element: DataElement, at path: DataSetPath) -> Int {
        modify(at: path) { $0 = element }
    }

    /// Replaces the element only where it already exists; answers how many were replaced.
    @discardableResult
    public mutating func replaceExisting(_ element: DataElement, at path: DataSetPath) -> Int {
        var replaced = 0
        modify(at: path) { if $0 != nil { $0 = element; replaced += 1 } }
        return replaced
    }

    /// Removes the element, or for an item path the item(s), wherever the path reaches; answers how many went.
    @discardableResult
    public mutating func remove(at path: DataSetPath) -> Int {
        var removed = 0
        guard let last = path.steps.last, let index = last.index else {
            modify(at: path) { if $0 != nil { $0 = nil; removed += 1 } }
            return removed
        }
        modifyContainers(path.steps.dropLast()) { dataSet in
            guard var sequence = dataSet[last.tag], var items = sequence.items else { return }
            switch index {
            case .at(let i):
                guard items.indices.contains(i) else { return }
                items.remove(at: i)
                removed += 1
            case .all:
                removed += items.count
                items.removeAll()
            }
            sequence.value = .sequence(items)
            dataSet[last.tag] = sequence
        }
        return removed
    }

    /// Runs `body` on each data set reached through `steps`, writing changes back up to the top; answers how many.
    @discardableResult
    private mutating func modifyContainers(_ steps: ArraySlice<DataSetPath.Step>,
                                           _ body: (inout DataSet) throws -> Void) rethrows -> Int {
        guard let step = steps.first else {
            try body(&self)
            return 1
        }
        guard var sequence = self[step.tag], var items = sequence.items else { return 0 }
        let indices: [Int]
        switch step.index {
        case .at(let i)?: indices = items.indices.contains(i) ? [i] : []
        case .all?: indices = Array(items.indices)
        case nil: indices = []
        }
        guard !indices.isEmpty else { return 0 }
        var visited = 0
        for i in indices { visited += try items[i].modifyContainers(steps.dropFirst(), body) }
        sequence.value = .sequence(items)
        self[step.tag] = sequence
        return visited
    }
}

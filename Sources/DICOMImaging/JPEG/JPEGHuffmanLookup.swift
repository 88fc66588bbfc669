/// A Huffman table copied into memory owned by one scan, reached through plain pointers so the decoding loops
/// do no reference counting.
struct JPEGHuffmanLookup {
    var fast: UnsafePointer<UInt16>
    var maxCode: UnsafePointer<Int32>
    var valueOffset: UnsafePointer<Int32>
    var symbols: UnsafePointer<UInt8>
    var symbolCount: Int
}

/// Owns the memory of the lookups of one scan; `release()` frees it.
struct JPEGHuffmanLookupStorage {
    private static let stride = 512 * 2 + 18 * 4 * 2 + 256
    private let memory: UnsafeMutableRawPointer
    private(set) var lookups: [JPEGHuffmanLookup] = []

    init(_ tables: [JPEGHuffmanTable]) {
        memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, tables.count) * Self.stride, alignment: 16)
        for (i, table) in tables.enumerated() {
            let base = memory + i * Self.stride
            let fast = base.bindMemory(to: UInt16.self, capacity: 512)
            fast.initialize(from: table.lookahead, count: 512)
            let maxCode = (base + 1024).bindMemory(to: Int32.self, capacity: 18)
            maxCode.initialize(from: table.maxCode, count: 18)
            let valueOffset = (base + 1024 + 72).bindMemory(to: Int32.self, capacity: 18)
            valueOffset.initialize(from: table.valueOffset, count: 18)
            let symbols = (base + 1024 + 144).bindMemory(to: UInt8.self, capacity: 256)
            symbols.initialize(repeating: 0, count: 256)
            symbols.initialize(from: table.symbols, count: min(256, table.symbols.count))
            lookups.append(JPEGHuffmanLookup(fast: fast, maxCode: maxCode, valueOffset: valueOffset, symbols: symbols,
                                             symbolCount: min(256, table.symbols.count)))
        }
    }

    func release() { memory.deallocate() }
}

/// Namespace of the generated dictionary text (the `*.generated.swift` files) and the reader that splits it.
/// The data is kept as text, not as array literals, because the Swift compiler type-checks big literals slowly;
/// it is read byte by byte once, on first use.
enum DictionaryData {
    /// Calls `body` with each non-empty line of `text`, split at tabs.
    static func forEachRow(_ text: String, _ body: (Row) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var row = Row(bytes: bytes)
            var lineStart = 0
            for index in 0 ... bytes.count where index == bytes.count || bytes[index] == 0x0A {
                if index > lineStart {
                    row.fields.removeAll(keepingCapacity: true)
                    var fieldStart = lineStart
                    for position in lineStart ... index where position == index || bytes[position] == 0x09 {
                        row.fields.append(fieldStart ..< position)
                        fieldStart = position + 1
                    }
                    body(row)
                }
                lineStart = index + 1
            }
        }
    }

    /// One line of generated text: the byte ranges of its tab-separated fields.
    struct Row {
        let bytes: UnsafeBufferPointer<UInt8>
        var fields: [Range<Int>] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            fields.reserveCapacity(8)
        }

        var count: Int { fields.count }

        func string(_ field: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[field]]), as: UTF8.self)
        }

        func isEmpty(_ field: Int) -> Bool { fields[field].isEmpty }

        func length(_ field: Int) -> Int { fields[field].count }

        /// True when the field is exactly the one ASCII character `ascii`.
        func isFlag(_ field: Int, _ ascii: Unicode.Scalar) -> Bool {
            let range = fields[field]
            return range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: ascii)
        }

        /// The field read as upper- or lower-case hexadecimal, nil when empty, too long or not hexadecimal.
        func hex(_ field: Int) -> UInt32? {
            let range = fields[field]
            guard !range.isEmpty, range.count <= 8 else { return nil }
            var value: UInt32 = 0
            for position in range {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case 0x30 ... 0x39: digit = byte - 0x30
                case 0x41 ... 0x46: digit = byte - 0x41 + 10
                case 0x61 ... 0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// The field "US/SS" read as [.US, .SS]; empty means no VR. Equal lists share one array through `cache`.
        func vrs(_ field: Int, cache: inout [UInt64: [VR]]) -> [VR] {
            let range = fields[field]
            var key: UInt64 = 0
            for position in range { key = key << 8 | UInt64(bytes[position]) }
            if range.count <= 8, let known = cache[key] { return known }
            var list: [VR] = []
            var position = range.lowerBound
            while position + 1 < range.upperBound {
                if let vr = VR(bytes[position], bytes[position + 1]) { list.append(vr) }
                position += 3
            }
            if range.count <= 8 { cache[key] = list }
            return list
        }
    }
}

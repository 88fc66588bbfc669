/// One component of a frame header (T.81 B.2.2).
struct JPEGFrameComponent {
    var id: UInt8
    var horizontalSampling: Int
    var verticalSampling: Int
    var quantizationTable: Int
}

/// The frame header (SOFn): which process, sample precision, size and components.
struct JPEGFrameHeader {
    var marker: UInt8
    var precision: Int
    var height: Int
    var width: Int
    var components: [JPEGFrameComponent]
    var maxHorizontalSampling: Int
    var maxVerticalSampling: Int

    var isLossless: Bool { marker == JPEGMarker.sof3 }

    /// Largest image accepted, in samples (all components).
    static let sampleLimit = 1 << 31

    /// Parses a SOF segment body (after the length field).
    init(marker: UInt8, body b: [UInt8], offset: Int, entropyBytes: Int) throws(JPEGError) {
        guard b.count >= 6 else { throw JPEGError("frame header too short", offset: offset) }
        self.marker = marker
        precision = Int(b[0])
        height = Int(b[1]) << 8 | Int(b[2])
        width = Int(b[3]) << 8 | Int(b[4])
        let count = Int(b[5])
        guard count >= 1, count <= 4 else {
            throw JPEGError("frame has \(count) components; 1 to 4 are supported", offset: offset)
        }
        guard b.count >= 6 + 3 * count else { throw JPEGError("frame header too short for \(count) components", offset: offset) }
        switch marker {
        case JPEGMarker.sof0:
            guard precision == 8 else { throw JPEGError("baseline frame with \(precision)-bit precision", offset: offset) }
        case JPEGMarker.sof1:
            guard precision == 8 || precision == 12 else {
                throw JPEGError("extended DCT frame with \(precision)-bit precision (8 or 12 expected)", offset: offset)
            }
        default:
            guard (2...16).contains(precision) else {
                throw JPEGError("lossless frame with \(precision)-bit precision (2 to 16 expected)", offset: offset)
            }
        }
        guard width > 0 else { throw JPEGError("frame width is 0", offset: offset) }
        guard height > 0 else {
            throw JPEGError("frame height 0 (height set by a DNL marker) is not supported", offset: offset)
        }
        var components: [JPEGFrameComponent] = []
        for i in 0..<count {
            let id = b[6 + 3 * i]
            let h = Int(b[7 + 3 * i] >> 4), v = Int(b[7 + 3 * i] & 15)
            let tq = Int(b[8 + 3 * i])
            guard (1...4).contains(h), (1...4).contains(v) else {
                throw JPEGError("component \(id) has sampling factors \(h)x\(v) (1 to 4 allowed)", offset: offset)
            }
            guard tq < 4 else { throw JPEGError("component \(id) uses quantization table \(tq)", offset: offset) }
            guard !components.contains(where: { $0.id == id }) else {
                throw JPEGError("component id \(id) appears twice in the frame header", offset: offset)
            }
            if marker == JPEGMarker.sof3, h != 1 || v != 1 {
                throw JPEGError("lossless frame with subsampled component \(id) (\(h)x\(v)) is not supported", offset: offset)
            }
            components.append(JPEGFrameComponent(id: id, horizontalSampling: h, verticalSampling: v, quantizationTable: tq))
        }
        self.components = components
        maxHorizontalSampling = components.map(\.horizontalSampling).max() ?? 1
        maxVerticalSampling = components.map(\.verticalSampling).max() ?? 1
        let samples = width * height * count
        guard samples <= Self.sampleLimit else {
            throw JPEGError("image of \(width)x\(height)x\(count) samples is larger than supported", offset: offset)
        }
        // Every coded sample costs at least some bits; a small stream cannot describe a huge image.
        let plausible = max(1 << 22, entropyBytes * 8192)
        guard samples <= plausible else {
            throw JPEGError("frame of \(width)x\(height)x\(count) samples cannot be coded in \(entropyBytes) bytes",
                            offset: offset)
        }
    }

    /// MCUs across and down for an interleaved DCT scan.
    var mcusAcross: Int { (width + 8 * maxHorizontalSampling - 1) / (8 * maxHorizontalSampling) }
    var mcusDown: Int { (height + 8 * maxVerticalSampling - 1) / (8 * maxVerticalSampling) }
}

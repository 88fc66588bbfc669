@testable import DICOM

/// Builds DICOM byte streams by hand for reader tests: each call appends the encoding of one piece, in the
/// chosen encoding, so a test can also produce what no writer would (wrong lengths, stray delimiters).
struct ByteBuilder {
    enum Encoding { case implicitLE, explicitLE, explicitBE }

    var encoding: Encoding
    var bytes: [UInt8] = []

    init(_ encoding: Encoding = .explicitLE) { self.encoding = encoding }

    var bigEndian: Bool { encoding == .explicitBE }

    mutating func u16(_ v: UInt16) {
        bytes += bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
    }

    mutating func u32(_ v: UInt32) {
        let le = [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
        bytes += bigEndian ? le.reversed() : le
    }

    mutating func tag(_ t: Tag) { u16(t.group); u16(t.element) }

    /// An element header: tag, then VR and length as the encoding wants them.
    mutating func header(_ t: Tag, _ vr: VR, length: UInt32) {
        tag(t)
        switch encoding {
        case .implicitLE:
            u32(length)
        case .explicitLE, .explicitBE:
            bytes += [UInt8(vr.rawValue >> 8), UInt8(vr.rawValue & 0xFF)]
            if vr.hasLongExplicitLength { u16(0); u32(length) } else { u16(UInt16(truncatingIfNeeded: length)) }
        }
    }

    /// An element with a value given as bytes (already in this encoding's byte order).
    mutating func element(_ t: Tag, _ vr: VR, _ value: [UInt8]) {
        header(t, vr, length: UInt32(value.count))
        bytes += value
    }

    /// A text element, padded to even length with the VR's padding byte.
    mutating func text(_ t: Tag, _ vr: VR, _ value: String) {
        var v = Array(value.utf8)
        if v.count % 2 == 1 { v.append(vr.paddingByte) }
        element(t, vr, v)
    }

    /// A US element with values in this encoding's byte order.
    mutating func us(_ t: Tag, _ values: UInt16...) {
        var v = ByteBuilder(encoding)
        for x in values { v.u16(x) }
        element(t, .US, v.bytes)
    }

    /// A UL element with values in this encoding's byte order.
    mutating func ul(_ t: Tag, _ values: UInt32...) {
        var v = ByteBuilder(encoding)
        for x in values { v.u32(x) }
        element(t, .UL, v.bytes)
    }

    mutating func item(length: UInt32 = 0xFFFF_FFFF) { tag(.item); u32(length) }
    mutating func itemEnd() { tag(.itemDelimitationItem); u32(0) }
    mutating func sequenceEnd() { tag(.sequenceDelimitationItem); u32(0) }

    /// A sequence of undefined length whose items (undefined length too) are built by `items`.
    mutating func sequence(_ t: Tag, _ items: [(inout ByteBuilder) -> Void]) {
        header(t, .SQ, length: 0xFFFF_FFFF)
        for build in items {
            item()
            build(&self)
            itemEnd()
        }
        sequenceEnd()
    }

    /// A sequence and items of defined length.
    mutating func definedSequence(_ t: Tag, _ items: [(inout ByteBuilder) -> Void]) {
        var body = ByteBuilder(encoding)
        for build in items {
            var item = ByteBuilder(encoding)
            build(&item)
            body.item(length: UInt32(item.bytes.count))
            body.bytes += item.bytes
        }
        header(t, .SQ, length: UInt32(body.bytes.count))
        bytes += body.bytes
    }

    /// A Part 10 file: preamble, DICM, a file meta group (explicit VR LE) naming `syntax`, then `body`.
    static func part10(syntax: String, body: [UInt8], preamble: Bool = true) -> [UInt8] {
        var meta = ByteBuilder(.explicitLE)
        meta.element(.fileMetaInformationVersion, .OB, [0, 1])
        meta.text(.mediaStorageSOPClassUID, .UI, "1.2.840.10008.5.1.4.1.1.7")
        meta.text(.mediaStorageSOPInstanceUID, .UI, "1.2.3.4")
        meta.text(.transferSyntaxUID, .UI, syntax)
        var group = ByteBuilder(.explicitLE)
        group.ul(.fileMetaInformationGroupLength, UInt32(meta.bytes.count))
        var out: [UInt8] = preamble ? [UInt8](repeating: 0, count: 128) : []
        out += Array("DICM".utf8)
        out += group.bytes + meta.bytes + body
        return out
    }
}

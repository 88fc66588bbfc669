import Foundation
import Testing
@testable import DICOM

/// Specific Character Set (0008,0005): every defined term of PS3.3 C.12.1.1.2, the examples of PS3.5 Annexes H, I
/// and J, and the Patient's Name of pydicom's charset test files (bytes and the text pydicom decodes them to).
@Suite struct CharacterSetTests {
    /// (file, value of (0008,0005), raw (0010,0010), what pydicom decodes). pydicom drops a trailing empty PN
    /// component group ("…=" ); the raw text keeps it, as Orthanc does, so the expected values here keep it too.
    static let pydicomFiles: [(String, String, [UInt8], String)] = [
        ("chrArab", #"ISO_IR 127"#, [0xE2, 0xC8, 0xC7, 0xE6, 0xEA, 0x5E, 0xE4, 0xE6, 0xD2, 0xC7, 0xD1, 0x20], "قباني^لنزار"),
        ("chrFren", #"ISO_IR 100"#, [0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65], "Buc^Jérôme"),
        ("chrGerm", #"ISO_IR 100"#, [0xC4, 0x6E, 0x65, 0x61, 0x73, 0x5E, 0x52, 0xFC, 0x64, 0x69, 0x67, 0x65, 0x72, 0x20], "Äneas^Rüdiger"),
        ("chrGreek", #"ISO_IR 126"#, [0xC4, 0xE9, 0xEF, 0xED, 0xF5, 0xF3, 0xE9, 0xEF, 0xF2, 0x20], "Διονυσιος"),
        ("chrH31", #"\ISO 2022 IR 87"#, [0x59, 0x61, 0x6D, 0x61, 0x64, 0x61, 0x5E, 0x54, 0x61, 0x72, 0x6F, 0x75, 0x3D, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x42, 0x3D, 0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x42], "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        ("chrH32", #"ISO 2022 IR 13\ISO 2022 IR 87"#, [0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3, 0x3D, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x4A, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x4A, 0x3D, 0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x4A, 0x5E, 0x1B, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x4A], "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
        ("chrHbrw", #"ISO_IR 138"#, [0xF9, 0xF8, 0xE5, 0xEF, 0x5E, 0xE3, 0xE1, 0xE5, 0xF8, 0xE4], "שרון^דבורה"),
        ("chrI2", #"\ISO 2022 IR 149"#, [0x48, 0x6F, 0x6E, 0x67, 0x5E, 0x47, 0x69, 0x6C, 0x64, 0x6F, 0x6E, 0x67, 0x3D, 0x1B, 0x24, 0x29, 0x43, 0xFB, 0xF3, 0x5E, 0x1B, 0x24, 0x29, 0x43, 0xD1, 0xCE, 0xD4, 0xD7, 0x3D, 0x1B, 0x24, 0x29, 0x43, 0xC8, 0xAB, 0x5E, 0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE6, 0xB5, 0xBF], "Hong^Gildong=洪^吉洞=홍^길동"),
        ("chrJapMulti", #"\ISO 2022 IR 87"#, [0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x42, 0x20], "やまだ^たろう"),
        ("chrJapMultiExplicitIR6", #"ISO 2022 IR 6\ISO 2022 IR 87"#, [0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x42, 0x20], "やまだ^たろう"),
        ("chrKoreanMulti", #"\ISO 2022 IR 149"#, [0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE8, 0xC8, 0xF1, 0xC1, 0xDF, 0x1B, 0x28, 0x42, 0x20], "김희중"),
        ("chrRuss", #"ISO_IR 144"#, [0xBB, 0xEE, 0xDA, 0x63, 0x65, 0xDC, 0xD1, 0x79, 0x70, 0xD3], "Люкceмбypг"),
        ("chrX1", #"ISO_IR 192"#, [0x57, 0x61, 0x6E, 0x67, 0x5E, 0x58, 0x69, 0x61, 0x6F, 0x44, 0x6F, 0x6E, 0x67, 0x3D, 0xE7, 0x8E, 0x8B, 0x5E, 0xE5, 0xB0, 0x8F, 0xE6, 0x9D, 0xB1, 0x3D, 0x20], "Wang^XiaoDong=王^小東="),
        ("chrX2", #"GB18030"#, [0x57, 0x61, 0x6E, 0x67, 0x5E, 0x58, 0x69, 0x61, 0x6F, 0x44, 0x6F, 0x6E, 0x67, 0x3D, 0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB, 0x3D], "Wang^XiaoDong=王^小东="),
    ]

    @Test(arguments: 0 ..< pydicomFiles.count)
    func pydicomCharsetFiles(index: Int) {
        let (file, value, bytes, expected) = Self.pydicomFiles[index]
        let cs = SpecificCharacterSet(value: value)
        #expect(cs.isKnown, "\(file)")
        let element = DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, bytes: bytes)
        #expect(element.string(cs) == expected, "\(file)")
    }

    @Test func annexHJapaneseRoundTrip() {
        // H.3.1: ISO 2022 IR 87 with the default repertoire.
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 87")
        let text = "Yamada^Tarou=山田^太郎=やまだ^たろう"
        let expected = Self.pydicomFiles.first { $0.0 == "chrH31" }!.2
        #expect(cs.encode(text) == expected)
        #expect(cs.decode(expected, vr: .PN) == text)

        // H.3.2: JIS X 0201 katakana first, returning to Romaji with ESC ( J.
        let cs2 = SpecificCharacterSet(value: "ISO 2022 IR 13\\ISO 2022 IR 87")
        let text2 = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"
        let expected2 = Self.pydicomFiles.first { $0.0 == "chrH32" }!.2
        #expect(cs2.encode(text2) == expected2)
        #expect(cs2.decode(expected2, vr: .PN) == text2)
    }

    @Test func annexIKoreanRoundTrip() {
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 149")
        let text = "Hong^Gildong=洪^吉洞=홍^길동"
        let expected = Self.pydicomFiles.first { $0.0 == "chrI2" }!.2
        #expect(cs.encode(text) == expected)
        #expect(cs.decode(expected, vr: .PN) == text)
    }

    @Test func koreanWithoutEscapeUsesDeclaredG1() {
        // Writers often omit ESC $ ) C; the declared extension is the only sensible reading of the high bytes.
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 149")
        #expect(cs.decode([0xB1, 0xE8, 0xC8, 0xF1, 0xC1, 0xDF], vr: .PN) == "김희중")
    }

    @Test func annexJChineseGB18030() {
        let cs = SpecificCharacterSet(value: "GB18030")
        let name = Self.pydicomFiles.first { $0.0 == "chrX2" }!.2
        #expect(cs.decode(name, vr: .PN) == "Wang^XiaoDong=王^小东=")
        #expect(cs.encode("Wang^XiaoDong=王^小东=") == name)
        let text = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n"
        let lt: [UInt8] = [0x31, 0x2E, 0xB5, 0xDA, 0xD2, 0xBB, 0xD0, 0xD0, 0xCE, 0xC4, 0xD7, 0xD6, 0xA1, 0xA3, 0x0D,
                           0x0A, 0x32, 0x2E, 0xB5, 0xDA, 0xB6, 0xFE, 0xD0, 0xD0, 0xCE, 0xC4, 0xD7, 0xD6, 0xA1, 0xA3,
                           0x0D, 0x0A, 0x33, 0x2E, 0xB5, 0xDA, 0xC8, 0xFD, 0xD0, 0xD0, 0xCE, 0xC4, 0xD7, 0xD6, 0xA1,
                           0xA3, 0x0D, 0x0A]
        #expect(cs.decode(lt, vr: .LT) == text)
        #expect(cs.encode(text) == lt)
        // Four-byte GB18030 sequence.
        #expect(cs.decode([0x95, 0x32, 0x82, 0x36], vr: .LO) == "𠀀")
        #expect(cs.encode("𠀀") == [0x95, 0x32, 0x82, 0x36])
    }

    @Test func annexJChineseISO2022IR58() {
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 58")
        let name: [UInt8] = [0x5A, 0x68, 0x61, 0x6E, 0x67, 0x5E, 0x58, 0x69, 0x61, 0x6F, 0x44, 0x6F, 0x6E, 0x67, 0x3D,
                             0x1B, 0x24, 0x29, 0x41, 0xD5, 0xC5, 0x5E, 0x1B, 0x24, 0x29, 0x41, 0xD0, 0xA1, 0xB6, 0xAB,
                             0x3D]
        #expect(cs.decode(name, vr: .PN) == "Zhang^XiaoDong=张^小东=")
        #expect(cs.encode("Zhang^XiaoDong=张^小东=") == name)
        // Multi-line text: the designation is repeated after each CR LF, where it resets.
        let lt: [UInt8] = [0x31, 0x2E, 0x1B, 0x24, 0x29, 0x41, 0xB5, 0xDA, 0xD2, 0xBB, 0xD0, 0xD0, 0xCE, 0xC4, 0xD7,
                           0xD6, 0xA1, 0xA3, 0x0D, 0x0A, 0x32, 0x2E, 0x1B, 0x24, 0x29, 0x41, 0xB5, 0xDA, 0xB6, 0xFE,
                           0xD0, 0xD0, 0xCE, 0xC4, 0xD7, 0xD6, 0xA1, 0xA3, 0x0D, 0x0A, 0x33, 0x2E, 0x1B, 0x24, 0x29,
                           0x41, 0xB5, 0xDA, 0xC8, 0xFD, 0xD0, 0xD0, 0xCE, 0xC4, 0xD7, 0xD6, 0xA1, 0xA3, 0x0D, 0x0A]
        let text = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n"
        #expect(cs.decode(lt, vr: .LT) == text)
        #expect(cs.encode(text) == lt)
    }

    @Test func jisX0212Supplementary() {
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 159")
        let bytes: [UInt8] = [0x1B, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1B, 0x28, 0x42]
        #expect(cs.decode(bytes, vr: .LO) == "丂")
        #expect(cs.encode("丂") == bytes)
        // With both Kanji sets declared, a JIS X 0208 character still goes to IR 87.
        let both = SpecificCharacterSet(value: "\\ISO 2022 IR 87\\ISO 2022 IR 159")
        #expect(both.encode("山丂") == [0x1B, 0x24, 0x42, 0x3B, 0x33, 0x1B, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1B, 0x28, 0x42])
        #expect(both.decode(both.encode("山丂a"), vr: .LO) == "山丂a")
    }

    /// (term, text, its bytes in that repertoire) for every single-byte defined term.
    static let singleByte: [(String, String, [UInt8])] = [
        ("ISO_IR 100", "Buc^Jérôme", [0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65]),
        ("ISO_IR 101", "Łódź^Wąs", [0xA3, 0xF3, 0x64, 0xBC, 0x5E, 0x57, 0xB1, 0x73]),
        ("ISO_IR 109", "Ħaġar^Żebbuġ", [0xA1, 0x61, 0xF5, 0x61, 0x72, 0x5E, 0xAF, 0x65, 0x62, 0x62, 0x75, 0xF5]),
        ("ISO_IR 110", "Ķēniņš^Āris", [0xD3, 0xBA, 0x6E, 0x69, 0xF1, 0xB9, 0x5E, 0xC0, 0x72, 0x69, 0x73]),
        ("ISO_IR 144", "Люкceмбypг", [0xBB, 0xEE, 0xDA, 0x63, 0x65, 0xDC, 0xD1, 0x79, 0x70, 0xD3]),
        ("ISO_IR 127", "قباني^لنزار", [0xE2, 0xC8, 0xC7, 0xE6, 0xEA, 0x5E, 0xE4, 0xE6, 0xD2, 0xC7, 0xD1]),
        ("ISO_IR 126", "Διονυσιος", [0xC4, 0xE9, 0xEF, 0xED, 0xF5, 0xF3, 0xE9, 0xEF, 0xF2]),
        ("ISO_IR 138", "שרון^דבורה", [0xF9, 0xF8, 0xE5, 0xEF, 0x5E, 0xE3, 0xE1, 0xE5, 0xF8, 0xE4]),
        ("ISO_IR 148", "Ğüşİ^Çö", [0xD0, 0xFC, 0xFE, 0xDD, 0x5E, 0xC7, 0xF6]),
        ("ISO_IR 203", "€uro^Œuvre", [0xA4, 0x75, 0x72, 0x6F, 0x5E, 0xBC, 0x75, 0x76, 0x72, 0x65]),
        ("ISO_IR 166", "ภาษาไทย", [0xC0, 0xD2, 0xC9, 0xD2, 0xE4, 0xB7, 0xC2]),
        ("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", [0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3]),
    ]

    @Test(arguments: 0 ..< singleByte.count)
    func singleByteTermsRoundTrip(index: Int) {
        let (term, text, bytes) = Self.singleByte[index]
        for spelling in [term, term.replacingOccurrences(of: "ISO_IR", with: "ISO 2022 IR")] {
            let cs = SpecificCharacterSet(value: spelling)
            #expect(cs.isKnown, "\(spelling)")
            #expect(cs.decode(bytes, vr: .PN) == text, "\(spelling)")
            #expect(cs.encode(text) == bytes, "\(spelling)")
        }
    }

    @Test func codeExtensionsBetweenSingleByteSets() {
        // Latin-1 first, Greek by escape; G1 returns to Latin-1 after the component delimiter.
        let cs = SpecificCharacterSet(value: "ISO 2022 IR 100\\ISO 2022 IR 126")
        let bytes: [UInt8] = [0xE9, 0x1B, 0x2D, 0x46, 0xC4, 0x5E, 0xE9]
        #expect(cs.decode(bytes, vr: .PN) == "éΔ^é")
        #expect(cs.encode("éΔ^é") == bytes)
        // In an LO the '^' is text: no reset, so the last byte stays Greek.
        #expect(cs.decode(bytes, vr: .LO) == "éΔ^ι")
        // Backslash separates values in LO (reset) but is text in LT (no reset).
        let multi: [UInt8] = [0x1B, 0x2D, 0x46, 0xC4, 0x5C, 0xC4]
        #expect(cs.decode(multi, vr: .LO) == "Δ\\Ä")
        #expect(cs.decode(multi, vr: .LT) == "Δ\\Δ")
    }

    @Test func utf8AndGBK() {
        let utf8 = SpecificCharacterSet(value: "ISO_IR 192")
        #expect(utf8.encode("Wang^XiaoDong=王^小東=") == Array("Wang^XiaoDong=王^小東=".utf8))
        #expect(utf8.decode([0x41, 0xFF, 0x42], vr: .LO) == "A\u{FFFD}B")
        let gbk = SpecificCharacterSet(value: "GBK")
        #expect(gbk.isKnown)
        #expect(gbk.decode([0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB], vr: .PN) == "王^小东")
        // A trail byte equal to '\' belongs to the character, not a value delimiter.
        #expect(gbk.decode([0x81, 0x5C], vr: .LO) == "乗")
        #expect(gbk.encode("乗^王") == [0x81, 0x5C, 0x5E, 0xCD, 0xF5])
    }

    @Test func defaultRepertoire() {
        for value in ["", "ISO 2022 IR 6", "ISO_IR 6"] {
            let cs = SpecificCharacterSet(value: value)
            #expect(cs.isKnown, "\(value)")
            #expect(cs.decode(Array("Doe^John".utf8), vr: .PN) == "Doe^John")
            #expect(cs.encode("Doe^John") == Array("Doe^John".utf8))
            // Bytes outside ASCII are kept, read as Latin-1, rather than lost.
            #expect(cs.decode([0x4A, 0xE9], vr: .PN) == "Jé")
            #expect(cs.encode("Jé") == [0x4A, 0x3F])
        }
        #expect(SpecificCharacterSet.default.decode([UInt8](), vr: .LO) == "")
    }

    @Test func unmappableCharactersBecomeQuestionMarks() {
        #expect(SpecificCharacterSet(value: "ISO_IR 100").encode("aΔb") == [0x61, 0x3F, 0x62])
        #expect(SpecificCharacterSet(value: "\\ISO 2022 IR 149").encode("a山é") == [0x61, 0x1B, 0x24, 0x29, 0x43, 0xDF, 0xA3, 0x3F])
        #expect(SpecificCharacterSet(value: "GB18030").encode("a\u{10FFFF}b").count >= 2)
    }

    @Test func invalidBytesNeverCrash() {
        let cases: [(String, [UInt8])] = [
            ("\\ISO 2022 IR 87", [0x1B, 0x24, 0x42, 0x7F, 0x21]),
            ("\\ISO 2022 IR 87", [0x1B, 0x24, 0x42, 0x30]),
            ("\\ISO 2022 IR 87", [0x1B, 0x24]),
            ("\\ISO 2022 IR 149", [0x1B, 0x24, 0x29, 0x43, 0xFF, 0xFF, 0xB1]),
            ("GB18030", [0x81, 0x30, 0x81]),
            ("ISO_IR 13", [0x81, 0xFF, 0xA0]),
            ("ISO 2022 IR 13\\ISO 2022 IR 87", [0x80, 0x1B, 0x21, 0x41]),
            ("ISO_IR 166", [0x80, 0xFF]),
        ]
        for (value, bytes) in cases {
            let text = SpecificCharacterSet(value: value).decode(bytes, vr: .PN)
            #expect(text.unicodeScalars.contains("\u{FFFD}"), "\(value) \(bytes)")
        }
        #expect(SpecificCharacterSet(value: "\\ISO 2022 IR 149").decode([0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE8, 0x41], vr: .PN) == "김A")
    }

    @Test func shiftJISUnderISOIR13() {
        // Not standard, but common: Kanji in Shift_JIS under ISO_IR 13 (Orthanc's "Japanese" reads it the same way).
        let cs = SpecificCharacterSet(value: "ISO_IR 13")
        #expect(cs.decode([0x8E, 0x52, 0x93, 0x63, 0x5E, 0xC0, 0xDB, 0xB3], vr: .PN) == "山田^ﾀﾛｳ")
        #expect(cs.decode([0x95, 0x5C], vr: .LO) == "表")
    }

    @Test func unknownTermsUseFallback() {
        let unknown = SpecificCharacterSet(value: "ISO_IR 999")
        #expect(!unknown.isKnown)
        #expect(unknown.unknownTerms == ["ISO_IR 999"])
        #expect(unknown.decode([0x4A, 0xE9], vr: .PN) == "Jé") // no fallback: lenient ASCII
        let cyrillic = SpecificCharacterSet(orthancEncoding: "Cyrillic")!
        let withFallback = SpecificCharacterSet(value: "ISO_IR 999", fallback: cyrillic)
        #expect(withFallback.decode([0xBB, 0xEE], vr: .PN) == "Лю")
        #expect(unknown.withFallback(cyrillic) == withFallback)
        #expect(unknown != withFallback)
        // A known first term is not affected by the fallback.
        #expect(SpecificCharacterSet(value: "ISO_IR 100", fallback: cyrillic).decode([0xE9], vr: .PN) == "é")
        // An unknown later term is ignored.
        let partial = SpecificCharacterSet(value: "\\ISO 2022 IR 999\\ISO 2022 IR 87")
        #expect(!partial.isKnown)
        #expect(partial.decode(Self.pydicomFiles.first { $0.0 == "chrJapMulti" }!.2, vr: .PN) == "やまだ^たろう ")
    }

    @Test func misspelledTermsAreRecognised() {
        for value in ["ISO_IR_100", "ISO-IR 100", "iso_ir 100", "ISO IR 100", "ISO_IR100"] {
            let cs = SpecificCharacterSet(value: value)
            #expect(cs.isKnown, "\(value)")
            #expect(cs.decode([0xE9], vr: .PN) == "é", "\(value)")
        }
        #expect(SpecificCharacterSet(value: "ISO 2022 IR_149").isKnown)
        #expect(SpecificCharacterSet(value: "ISO_IR 192 ").decode(Array("王".utf8), vr: .LO) == "王")
    }

    @Test func orthancDefaultEncodings() throws {
        let cases: [(String, [String], [UInt8], String)] = [
            ("Ascii", [""], [0x41], "A"),
            ("Utf8", ["ISO_IR 192"], [0xC3, 0xA9], "é"),
            ("Latin1", ["ISO_IR 100"], [0xE9], "é"),
            ("Latin2", ["ISO_IR 101"], [0xA3], "Ł"),
            ("Latin3", ["ISO_IR 109"], [0xA1], "Ħ"),
            ("Latin4", ["ISO_IR 110"], [0xD3], "Ķ"),
            ("Latin5", ["ISO_IR 148"], [0xD0], "Ğ"),
            ("Cyrillic", ["ISO_IR 144"], [0xBB], "Л"),
            ("Windows1251", ["WINDOWS-1251"], [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], "Привет"),
            ("Arabic", ["ISO_IR 127"], [0xE2], "ق"),
            ("Greek", ["ISO_IR 126"], [0xC4], "Δ"),
            ("Hebrew", ["ISO_IR 138"], [0xF9], "ש"),
            ("Thai", ["ISO_IR 166"], [0xC0], "ภ"),
            ("Japanese", ["ISO_IR 13"], [0x8E, 0x52, 0xD4], "山ﾔ"),
            ("Chinese", ["GB18030"], [0xCD, 0xF5], "王"),
            ("Korean", ["", "ISO 2022 IR 149"], [0xB1, 0xE8], "김"),
            ("JapaneseKanji", ["", "ISO 2022 IR 87"], [0x1B, 0x24, 0x42, 0x3B, 0x33, 0x1B, 0x28, 0x42], "山"),
            ("SimplifiedChinese", ["", "ISO 2022 IR 58"], [0xCD, 0xF5], "王"),
        ]
        for (name, terms, bytes, text) in cases {
            let cs = try #require(SpecificCharacterSet(orthancEncoding: name), "\(name)")
            #expect(cs.terms == terms, "\(name)")
            #expect(cs.orthancEncoding == name, "\(name)")
            #expect(cs.decode(bytes, vr: .PN) == text, "\(name)")
        }
        #expect(SpecificCharacterSet(orthancEncoding: "Klingon") == nil)
        let cp1251 = try #require(SpecificCharacterSet(orthancEncoding: "Windows1251"))
        #expect(cp1251.encode("Привет") == [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2])
    }

    @Test func dataSetWithoutCharacterSetUsesDefault() throws {
        let latin1 = try #require(SpecificCharacterSet(orthancEncoding: "Latin1"))
        var ds = DataSet([DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, bytes: [0x4A, 0xE9])])
        #expect(ds.specificCharacterSet(inheriting: latin1) == latin1)
        #expect(ds.string(Tag(0x0010, 0x0010), ds.specificCharacterSet(inheriting: latin1)) == "Jé")
        ds.set(DataElement.string(Tag(0x0008, 0x0005), .CS, "ISO_IR 144"))
        let declared = ds.specificCharacterSet(inheriting: latin1)
        #expect(declared.terms == ["ISO_IR 144"])
        #expect(ds.string(Tag(0x0010, 0x0010)) == "Jщ")
    }

    @Test func elementRoundTripThroughDataElement() {
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 87")
        let element = DataElement.string(Tag(0x0010, 0x0010), .PN, "やまだ^たろう", characterSet: cs)
        #expect(element.bytes.count % 2 == 0)
        #expect(element.string(cs) == "やまだ^たろう")
        let multi = DataElement(tag: Tag(0x0008, 0x1030), vr: .LO,
                                bytes: cs.encode("山田\\太郎"))
        #expect(multi.strings(cs) == ["山田", "太郎"])
    }

    @Test func concurrentDecodingIsSafe() async {
        let cs = SpecificCharacterSet(value: "\\ISO 2022 IR 149")
        let bytes = Self.pydicomFiles.first { $0.0 == "chrI2" }!.2
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0 ..< 16 {
                group.addTask {
                    (0 ..< 200).allSatisfy { _ in cs.decode(bytes, vr: .PN) == "Hong^Gildong=洪^吉洞=홍^길동" }
                }
            }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }
}

extension SpecificCharacterSet {
    /// The character set named by Orthanc's `DefaultEncoding` configuration option ("Latin1", "Utf8", "Japanese", …),
    /// used for files that declare no Specific Character Set; nil for a name Orthanc does not define.
    /// "Windows1251" has no DICOM defined term: its set carries the non-standard term "WINDOWS-1251".
    public init?(orthancEncoding name: String) {
        guard let terms = Self.orthancEncodings[name] else { return nil }
        self.init(terms: terms)
    }

    /// Orthanc's name for this character set, when it has one.
    public var orthancEncoding: String? {
        let normalised = terms.first == "ISO 2022 IR 6" || terms.first == "ISO_IR 6" ? [""] + terms.dropFirst() : terms
        return Self.orthancEncodings.first { $0.value == normalised }?.key
            ?? (terms == ["GBK"] ? "Chinese" : nil)
    }

    /// Orthanc's encodings (its `Encoding` enumeration) and the (0008,0005) value each stands for.
    static let orthancEncodings: [String: [String]] = [
        "Ascii": [""],
        "Utf8": ["ISO_IR 192"],
        "Latin1": ["ISO_IR 100"],
        "Latin2": ["ISO_IR 101"],
        "Latin3": ["ISO_IR 109"],
        "Latin4": ["ISO_IR 110"],
        "Latin5": ["ISO_IR 148"],
        "Cyrillic": ["ISO_IR 144"],
        "Windows1251": [DefinedTerm.nonStandardWindows1251],
        "Arabic": ["ISO_IR 127"],
        "Greek": ["ISO_IR 126"],
        "Hebrew": ["ISO_IR 138"],
        "Thai": ["ISO_IR 166"],
        "Japanese": ["ISO_IR 13"],
        "Chinese": ["GB18030"],
        "Korean": ["", "ISO 2022 IR 149"],
        "JapaneseKanji": ["", "ISO 2022 IR 87"],
        "SimplifiedChinese": ["", "ISO 2022 IR 58"],
    ]
}

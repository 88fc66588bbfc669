import DICOM

/// Orthanc's main DICOM tags per level (the default sets of Orthanc 1.11+, unchanged since 1.4.2), which the
/// index records for each resource, and the subset it keeps in indexed columns for finds.
public enum MainDicomTags {
    public static let patient: [Tag] = [
        Tag(0x0010, 0x0010), // PatientName
        Tag(0x0010, 0x0030), // PatientBirthDate
        Tag(0x0010, 0x0040), // PatientSex
        Tag(0x0010, 0x1000), // OtherPatientIDs
        Tag(0x0010, 0x0020), // PatientID
    ]

    public static let study: [Tag] = [
        Tag(0x0008, 0x0020), // StudyDate
        Tag(0x0008, 0x0030), // StudyTime
        Tag(0x0020, 0x0010), // StudyID
        Tag(0x0008, 0x1030), // StudyDescription
        Tag(0x0008, 0x0050), // AccessionNumber
        Tag(0x0020, 0x000D), // StudyInstanceUID
        Tag(0x0032, 0x1060), // RequestedProcedureDescription
        Tag(0x0008, 0x0080), // InstitutionName
        Tag(0x0032, 0x1032), // RequestingPhysician
        Tag(0x0008, 0x0090), // ReferringPhysicianName
    ]

    public static let series: [Tag] = [
        Tag(0x0008, 0x0021), // SeriesDate
        Tag(0x0008, 0x0031), // SeriesTime
        Tag(0x0008, 0x0060), // Modality
        Tag(0x0008, 0x0070), // Manufacturer
        Tag(0x0008, 0x1010), // StationName
        Tag(0x0008, 0x103E), // SeriesDescription
        Tag(0x0018, 0x0015), // BodyPartExamined
        Tag(0x0018, 0x0024), // SequenceName
        Tag(0x0018, 0x1030), // ProtocolName
        Tag(0x0020, 0x0011), // SeriesNumber
        Tag(0x0018, 0x1090), // CardiacNumberOfImages
        Tag(0x0020, 0x1002), // ImagesInAcquisition
        Tag(0x0020, 0x0105), // NumberOfTemporalPositions
        Tag(0x0054, 0x0081), // NumberOfSlices
        Tag(0x0054, 0x0101), // NumberOfTimeSlices
        Tag(0x0020, 0x000E), // SeriesInstanceUID
        Tag(0x0020, 0x0037), // ImageOrientationPatient
        Tag(0x0054, 0x1000), // SeriesType
        Tag(0x0008, 0x1070), // OperatorsName
        Tag(0x0040, 0x0254), // PerformedProcedureStepDescription
        Tag(0x0018, 0x1400), // AcquisitionDeviceProcessingDescription
        Tag(0x0018, 0x0010), // ContrastBolusAgent
    ]

    public static let instance: [Tag] = [
        Tag(0x0008, 0x0012), // InstanceCreationDate
        Tag(0x0008, 0x0013), // InstanceCreationTime
        Tag(0x0020, 0x0012), // AcquisitionNumber
        Tag(0x0054, 0x1330), // ImageIndex
        Tag(0x0020, 0x0013), // InstanceNumber
        Tag(0x0028, 0x0008), // NumberOfFrames
        Tag(0x0020, 0x0100), // TemporalPositionIdentifier
        Tag(0x0008, 0x0018), // SOPInstanceUID
        Tag(0x0020, 0x0032), // ImagePositionPatient
        Tag(0x0020, 0x4000), // ImageComments
        Tag(0x0020, 0x0037), // ImageOrientationPatient
    ]

    /// The main tags of `level`.
    public static func tags(_ level: ResourceLevel) -> [Tag] {
        switch level {
        case .patient: patient
        case .study: study
        case .series: series
        case .instance: instance
        }
    }

    /// Tags kept in the indexed `identifiers` table (exact, wildcard, range and list matching in SQL). Other main
    /// tags are matched in Swift on the decoded main tags after the SQL part of a find.
    public static func indexed(_ level: ResourceLevel) -> Set<Tag> { indexedSets[level.rawValue] }

    private static let indexedSets: [Set<Tag>] = [
        [Tag(0x0010, 0x0010), Tag(0x0010, 0x0020), Tag(0x0010, 0x0030), Tag(0x0010, 0x0040), Tag(0x0010, 0x1000)],
        [Tag(0x0008, 0x0020), Tag(0x0008, 0x0030), Tag(0x0020, 0x0010), Tag(0x0008, 0x1030), Tag(0x0008, 0x0050),
         Tag(0x0020, 0x000D), Tag(0x0008, 0x0080), Tag(0x0008, 0x0090), Tag(0x0032, 0x1060)],
        [Tag(0x0008, 0x0021), Tag(0x0008, 0x0031), Tag(0x0008, 0x0060), Tag(0x0008, 0x103E), Tag(0x0018, 0x0015),
         Tag(0x0018, 0x1030), Tag(0x0020, 0x0011), Tag(0x0020, 0x000E), Tag(0x0008, 0x1010), Tag(0x0008, 0x0070)],
        [Tag(0x0008, 0x0018), Tag(0x0020, 0x0013), Tag(0x0020, 0x0012), Tag(0x0008, 0x0012)],
    ]

    /// The level among `level` and its ancestors whose main tags hold `tag` (the closest one first), or nil when
    /// the index cannot answer a constraint on it (the caller must then filter on the instances' headers).
    public static func owningLevel(of tag: Tag, forQueryAt level: ResourceLevel) -> ResourceLevel? {
        var l: ResourceLevel? = level
        while let current = l {
            if tags(current).contains(tag) { return current }
            l = current.parent
        }
        return nil
    }

    /// Orthanc's `MainDicomTagsSignature` of a level: its main tags as `gggg,eeee` in ascending order joined by `;`.
    public static func signature(_ level: ResourceLevel) -> String { signatures[level.rawValue] }

    private static let signatures: [String] = ResourceLevel.allCases.map { level in
        Set(tags(level)).sorted().map { $0.hex(separator: ",") }.joined(separator: ";")
    }

    /// Tags of PN value representation among the main tags: matched case-insensitively unless asked otherwise.
    public static func isPersonName(_ tag: Tag) -> Bool { personNames.contains(tag) }

    /// Tags of DA/TM value representation, normalised (separators removed) so ranges compare as text.
    public static func isDateOrTime(_ tag: Tag) -> Bool { datesAndTimes.contains(tag) }

    private static let allTags = Set(patient + study + series + instance)
    private static let personNames = Set(allTags.filter { DataDictionary.vr(for: $0) == .PN })
    private static let datesAndTimes = Set(allTags.filter {
        let vr = DataDictionary.vr(for: $0)
        return vr == .DA || vr == .TM || vr == .DT
    })
}

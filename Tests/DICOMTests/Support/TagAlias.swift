import DICOM

/// Swift Testing also exports a `Tag` (test tags); in this test module `Tag` means the DICOM tag.
typealias Tag = DICOM.Tag

import DICOM

/// The attributes that turn stored values into displayed ones: Modality LUT rescale (PS3.3 §C.11.1),
/// VOI window (§C.11.2) and the palette of PALETTE COLOR images (§C.7.6.3.1.5).
public struct PresentationAttributes: Sendable {
    public var rescaleSlope: Double
    public var rescaleIntercept: Double
    /// Window Center / Window Width pairs of the file, first one first.
    public var windows: [(center: Double, width: Double)]
    /// The palette, when Photometric Interpretation is PALETTE COLOR and the tables are readable.
    public var palette: PaletteColorLUT?
    /// Why the palette could not be read, when it could not.
    public var paletteError: ImagingError?

    public init(dataSet: DataSet) {
        let slope = dataSet[Tag(0x0028, 0x1053)]?.numbers.first ?? 1
        rescaleSlope = slope == 0 || !slope.isFinite ? 1 : slope
        let intercept = dataSet[Tag(0x0028, 0x1052)]?.numbers.first ?? 0
        rescaleIntercept = intercept.isFinite ? intercept : 0
        let centers = dataSet[Tag(0x0028, 0x1050)]?.numbers ?? []
        let widths = dataSet[Tag(0x0028, 0x1051)]?.numbers ?? []
        windows = zip(centers, widths).filter { $0.0.isFinite && $0.1.isFinite && $0.1 > 0 }.map { (center: $0.0, width: $0.1) }
        let interpretation = PhotometricInterpretation(dataSet.string(Tag(0x0028, 0x0004)) ?? "")
        palette = nil
        paletteError = nil
        if interpretation == .paletteColor {
            do {
                palette = try PaletteColorLUT(dataSet: dataSet)
            } catch {
                paletteError = error
            }
        }
    }
}

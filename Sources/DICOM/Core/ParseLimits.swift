/// Bounds applied to untrusted input by every parser (DESIGN.md: untrusted input has limits).
public struct ParseLimits: Sendable, Equatable {
    /// Largest value of one data element, in bytes.
    public var maxElementLength: Int
    /// Deepest nesting of sequences.
    public var maxDepth: Int
    /// Most items in one sequence, and most fragments in encapsulated pixel data.
    public var maxItems: Int
    /// Most elements in one data set, counting nested ones.
    public var maxElements: Int
    /// Largest size a deflated data set may inflate to.
    public var maxInflatedSize: Int

    public init(maxElementLength: Int = 1 << 32, maxDepth: Int = 64, maxItems: Int = 1 << 20,
                maxElements: Int = 1 << 22, maxInflatedSize: Int = 1 << 32) {
        self.maxElementLength = maxElementLength
        self.maxDepth = maxDepth
        self.maxItems = maxItems
        self.maxElements = maxElements
        self.maxInflatedSize = maxInflatedSize
    }

    public static let `default` = ParseLimits()
}

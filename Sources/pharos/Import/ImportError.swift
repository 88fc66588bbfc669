/// A failure of `pharos import` that stops the whole run; the message says what to fix.
struct ImportError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

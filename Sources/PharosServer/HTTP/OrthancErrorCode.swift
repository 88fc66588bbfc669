/// Orthanc's error codes that the REST API can answer with: number, name, HTTP status and the message Orthanc prints.
/// Kept as one table of data, so the REST layer maps errors in one place.
public struct OrthancErrorCode: Sendable, Hashable {
    public let code: Int
    public let name: String
    public let httpStatus: Int
    public let message: String

    // code, name, HTTP status, message: the facts of Orthanc's error table that clients see.
    private static let table: [(Int, String, Int, String)] = [
        (-1, "InternalError", 500, "Internal error"),
        (1, "Plugin", 500, "Error encountered within the plugin engine"),
        (2, "NotImplemented", 500, "Not implemented yet"),
        (3, "ParameterOutOfRange", 400, "Parameter out of range"),
        (4, "NotEnoughMemory", 500, "The server hosting Orthanc is running out of memory"),
        (5, "BadParameterType", 400, "Bad type for a parameter"),
        (6, "BadSequenceOfCalls", 500, "Bad sequence of calls"),
        (7, "InexistentItem", 404, "Accessing an inexistent item"),
        (8, "BadRequest", 400, "Bad request"),
        (9, "NetworkProtocol", 500, "Error in the network protocol"),
        (11, "Database", 500, "Error with the database engine"),
        (12, "UriSyntax", 400, "Badly formatted URI"),
        (13, "InexistentFile", 404, "Inexistent file"),
        (14, "CannotWriteFile", 500, "Cannot write to file"),
        (15, "BadFileFormat", 400, "Bad file format"),
        (16, "Timeout", 500, "Timeout"),
        (17, "UnknownResource", 404, "Unknown resource"),
        (19, "FullStorage", 500, "The file storage is full"),
        (20, "CorruptedFile", 500, "Corrupted file (e.g. inconsistent MD5 hash)"),
        (21, "InexistentTag", 404, "Inexistent tag"),
        (22, "ReadOnly", 500, "Cannot modify a read-only data structure"),
        (23, "IncompatibleImageFormat", 500, "Incompatible format of the images"),
        (24, "IncompatibleImageSize", 500, "Incompatible size of the images"),
        (27, "UnknownDicomTag", 500, "Unknown DICOM tag"),
        (28, "BadJson", 400, "Cannot parse a JSON document"),
        (29, "Unauthorized", 401, "Bad credentials were provided to an HTTP request"),
        (33, "EmptyRequest", 500, "The request is empty"),
        (34, "NotAcceptable", 406, "Cannot send a response which is acceptable according to the Accept HTTP header"),
        (36, "DatabaseUnavailable", 503, "The database is currently not available (probably a transient situation)"),
        (37, "CanceledJob", 500, "This job was canceled"),
        (41, "BadRange", 416, "Incorrect range request"),
        (42, "DatabaseCannotSerialize", 503,
         "Database could not serialize access due to concurrent update, the transaction should be retried"),
        (43, "Revision", 409, "A bad revision number was provided, which might indicate conflict between multiple writers"),
        (45, "ForbiddenAccess", 403, "Access to a resource is forbidden"),
        (2018, "CannotStoreInstance", 500, "Cannot store an instance"),
        (2027, "UnknownModality", 500, "Unknown modality"),
        (2040, "CannotOrderSlices", 500, "Unable to order the slices of the series"),
        (3000, "UnsupportedMediaType", 415, "Unsupported media type"),
    ]

    private static let byName: [String: OrthancErrorCode] = Dictionary(uniqueKeysWithValues: table.map {
        ($0.1, OrthancErrorCode(code: $0.0, name: $0.1, httpStatus: $0.2, message: $0.3))
    })

    private static func named(_ name: String) -> OrthancErrorCode {
        byName[name] ?? OrthancErrorCode(code: -1, name: "InternalError", httpStatus: 500, message: "Internal error")
    }

    public static let internalError = named("InternalError")
    public static let canceledJob = named("CanceledJob")
    public static let badSequenceOfCalls = named("BadSequenceOfCalls")
    public static let notImplemented = named("NotImplemented")
    public static let parameterOutOfRange = named("ParameterOutOfRange")
    public static let badParameterType = named("BadParameterType")
    public static let inexistentItem = named("InexistentItem")
    public static let badRequest = named("BadRequest")
    public static let database = named("Database")
    public static let uriSyntax = named("UriSyntax")
    public static let inexistentFile = named("InexistentFile")
    public static let cannotWriteFile = named("CannotWriteFile")
    public static let badFileFormat = named("BadFileFormat")
    public static let unknownResource = named("UnknownResource")
    public static let fullStorage = named("FullStorage")
    public static let corruptedFile = named("CorruptedFile")
    public static let inexistentTag = named("InexistentTag")
    public static let badJson = named("BadJson")
    public static let unauthorized = named("Unauthorized")
    public static let notAcceptable = named("NotAcceptable")
    public static let databaseUnavailable = named("DatabaseUnavailable")
    public static let badRange = named("BadRange")
    public static let forbiddenAccess = named("ForbiddenAccess")
    public static let cannotStoreInstance = named("CannotStoreInstance")
    public static let unsupportedMediaType = named("UnsupportedMediaType")
    public static let cannotOrderSlices = named("CannotOrderSlices")
}

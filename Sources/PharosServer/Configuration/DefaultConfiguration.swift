/// The commented default configuration printed by `pharos --config=FILE`, in Orthanc's format.
public enum DefaultConfiguration {
    public static let text = """
    {
      // Pharos configuration. Orthanc's keys and format: an existing Orthanc
      // configuration file (or folder of .json files) can be used as it is.

      // Name of this server, shown by /system.
      "Name" : "Pharos",

      // Folder of the stored DICOM files, and of the SQLite index
      // (IndexDirectory defaults to StorageDirectory).
      "StorageDirectory" : "pharos-data",
      "IndexDirectory" : "pharos-data",

      // Compress stored files with zlib.
      "StorageCompression" : false,

      // Recycling: at most this many MB / patients (0 = no limit); the oldest
      // unprotected patients are removed first ("Recycle") or new ones refused ("Reject").
      "MaximumStorageSize" : 0,
      "MaximumPatientCount" : 0,
      "MaximumStorageMode" : "Recycle",

      // HTTP server.
      "HttpServerEnabled" : true,
      "HttpPort" : 8042,
      "HttpDescribeErrors" : true,
      "KeepAlive" : true,

      // Security: without remote access only loopback clients are served. With
      // authentication, every request needs HTTP basic credentials of RegisteredUsers.
      "RemoteAccessAllowed" : false,
      "AuthenticationEnabled" : false,
      "RegisteredUsers" : {
        // "alice" : "alicePassword"
      },

      // DICOM server.
      "DicomServerEnabled" : true,
      "DicomAet" : "PHAROS",
      "DicomPort" : 4242,

      // Seconds without new instances before a patient, study or series is stable.
      "StableAge" : 60,

      // Replace an instance sent again instead of keeping the first copy.
      "OverwriteInstances" : false,

      // Character set of files that declare none.
      "DefaultEncoding" : "Latin1",

      // Most answers of a find (0 = no limit), for resources and for instances.
      "LimitFindResults" : 0,
      "LimitFindInstances" : 0
    }

    """
}

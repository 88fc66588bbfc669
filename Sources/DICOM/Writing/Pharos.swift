/// Identity of this implementation as written into file meta information (PS3.7 §D.3.3.2, PS3.10 §7.1).
public enum Pharos {
    /// Implementation Class UID (0002,0012): a fixed UUID-derived UID (PS3.5 §B.2), never to change between builds.
    public static let implementationClassUID = "2.25.219876978254694913206270963434470379108"
    /// Implementation Version Name (0002,0013): at most 16 characters of the SH repertoire.
    public static let implementationVersionName = "PHAROS_0.1"
}

// Debian's libopenjp2-7-dev installs the header under a versioned folder.
#include <openjpeg-2.5/openjpeg.h>

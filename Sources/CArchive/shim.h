// Debian's libarchive (libarchive-dev): streamed reading of zip, tar and compressed files for `pharos import`.
#include <archive.h>
#include <archive_entry.h>

"""Sends a study-level C-FIND with pynetdicom and a C-CANCEL as soon as the first pending answer arrives.

Usage: cancel_find.py HOST PORT. Prints the number of pending answers and the final status, as JSON."""
import json
import sys

from pydicom.dataset import Dataset
from pynetdicom import AE
from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as StudyRootFind

host, port = sys.argv[1], int(sys.argv[2])
ae = AE(ae_title="CANCELSCU")
ae.add_requested_context(StudyRootFind)
assoc = ae.associate(host, port, ae_title="PHAROS")
if not assoc.is_established:
    sys.exit("association refused")
query = Dataset()
query.QueryRetrieveLevel = "STUDY"
query.StudyInstanceUID = ""
pending, final = 0, None
for status, _ in assoc.send_c_find(query, StudyRootFind, msg_id=7):
    if status is None:
        sys.exit("no answer from the server")
    if status.Status in (0xFF00, 0xFF01):
        pending += 1
        if pending == 1:
            assoc.send_c_cancel(7, query_model=StudyRootFind)
    else:
        final = status.Status
assoc.release()
print(json.dumps({"pending": pending, "final": final}))

"""Sends a study-level C-FIND or C-GET with pynetdicom and a C-CANCEL as soon as the first pending response arrives.

Usage: cancel.py find|get HOST PORT. C-GET's C-STORE sub-operations come back on the same association. Prints, as
JSON, the pending responses, the instances received and the final status with its sub-operation counts."""
import json
import sys

from pydicom.dataset import Dataset
from pynetdicom import AE, build_role, evt
from pynetdicom.sop_class import CTImageStorage
from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as StudyRootFind
from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelGet as StudyRootGet

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = StudyRootFind if mode == "find" else StudyRootGet
received = []


def on_store(event):
    received.append(event.request.AffectedSOPInstanceUID)
    return 0x0000


ae = AE(ae_title="CANCELSCU")
ae.add_requested_context(model)
extra = {}
if mode == "get":
    ae.add_requested_context(CTImageStorage)
    extra = {"ext_neg": [build_role(CTImageStorage, scp_role=True)], "evt_handlers": [(evt.EVT_C_STORE, on_store)]}
assoc = ae.associate(host, port, ae_title="PHAROS", **extra)
if not assoc.is_established:
    sys.exit("association refused")
query = Dataset()
query.QueryRetrieveLevel = "STUDY"
query.StudyInstanceUID = "" if mode == "find" else "1.2.3"
responses = assoc.send_c_find(query, model, msg_id=7) if mode == "find" else assoc.send_c_get(query, model, msg_id=7)
pending, final = 0, None
for status, _ in responses:
    if status is None:
        sys.exit("no answer from the server")
    if status.Status in (0xFF00, 0xFF01):
        pending += 1
        if pending == 1:
            assoc.send_c_cancel(7, query_model=model)
    else:
        final = {"status": status.Status,
                 "completed": int(status.get("NumberOfCompletedSuboperations", -1)),
                 "remaining": int(status.get("NumberOfRemainingSuboperations", -1))}
assoc.release()
print(json.dumps({"pending": pending, "received": len(received), "final": final}))

"""Sends malformed PDUs to a DICOM SCP and checks each connection ends in A-ABORT or a close (not a hang)."""
import os
import socket
import struct
import sys

host, port = sys.argv[1], int(sys.argv[2])


def exchange(payload, label):
    s = socket.create_connection((host, port), timeout=60)  # generous: the parallel test run can keep the server waiting
    try:
        s.sendall(payload)
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        print(f"{label}: server neither aborted nor closed")
        sys.exit(1)
    finally:
        s.close()
    if data and data[0] not in (0x03, 0x07):
        print(f"{label}: unexpected answer {data[:16].hex()}")
        sys.exit(1)
    names = {0x03: "A-ASSOCIATE-RJ", 0x07: "A-ABORT"}
    print(label + ": " + (names[data[0]] if data else "closed"))


exchange(os.urandom(200), "garbage")
exchange(b"\x09\x00" + struct.pack(">I", 4) + b"\x00" * 4, "unknown PDU type")
exchange(b"\x01\x00" + struct.pack(">I", 0xFFFFFFF0) + b"\x00" * 64, "huge length")
exchange(b"\x01\x00" + struct.pack(">I", 200) + b"\x00\x01\x00\x00", "truncated A-ASSOCIATE-RQ")  # ARTIM ends it
exchange(b"\x04\x00" + struct.pack(">I", 12) + struct.pack(">I", 8) + b"\x01\x03" + b"\x00" * 6,
         "P-DATA before association")
exchange(b"\x01\x00" + struct.pack(">I", 80) + b"\x00\x01\x00\x00" + b"A" * 16 + b"B" * 16 + b"\x00" * 32
         + b"\x10\x00\xff\xff" + b"\x00" * 8, "item length overrun")
print("ok")

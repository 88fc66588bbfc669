"""Authentication on, remote access off: Orthanc's security defaults."""
import socket

import pytest

from helpers import pick

USERS = {"alice": "s3cret!", "bob": "hunter2"}


@pytest.fixture
def secured(make_server):
    server = make_server({"AuthenticationEnabled": True, "RegisteredUsers": USERS, "RemoteAccessAllowed": False})
    return server


def test_requests_without_credentials_are_refused(secured, corpus):
    for path in ("/system", "/patients", "/statistics", "/instances/0000"):
        answer = secured.get(path, auth=None)
        assert answer.status == 401, (path, answer)
        assert answer.headers.get("WWW-Authenticate", "").startswith("Basic realm="), answer.headers
    assert secured.get("/system", auth=("alice", "wrong")).status == 401
    assert secured.get("/system", auth=("mallory", "s3cret!")).status == 401
    f = pick(corpus, "CT_small.dcm")
    assert secured.upload(f.path, auth=None).status == 401
    assert secured.get_json("/instances", auth=("alice", "s3cret!")) == []


def test_requests_with_credentials_are_served(secured, corpus):
    f = pick(corpus, "CT_small.dcm")
    assert secured.get("/system", auth=("alice", "s3cret!")).status == 200
    answer = secured.upload(f.path, auth=("bob", "hunter2"))
    assert answer.status == 200 and answer.json()["ID"] == f.instance_id
    # curl -u, as the documentation shows it.
    status, body, _ = secured.curl("-u", "alice:s3cret!", f"{secured.url}/instances/{f.instance_id}/file", auth=None)
    assert status == 200 and body == f.path.read_bytes()
    status, _, _ = secured.curl(f"{secured.url}/patients", auth=None)
    assert status == 401


def _outside_address():
    """An address of this machine that is not loopback, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_remote_clients_are_refused_when_remote_access_is_off(make_server):
    address = _outside_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    # Without authentication, remote access off: only loopback clients are served.
    server = make_server({"RemoteAccessAllowed": False, "AuthenticationEnabled": False})
    assert server.get("/system").status == 200
    try:
        answer = server.get("/system", host=address, timeout=5)
    except OSError:
        return  # bound to loopback only: refused at the door, also fine
    assert answer.status in (401, 403), answer
    # With remote access on, the same client is served.
    open_server = make_server({"RemoteAccessAllowed": True, "AuthenticationEnabled": False})
    assert open_server.get("/system", host=address, timeout=5).status == 200

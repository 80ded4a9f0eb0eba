"""The link checker's guard against being turned on the office's own network (SSRF).

An address typed into the readiness page is fetched by the server, from inside the BMA's
network. Without a guard, "http://10.0.0.5/admin" or a public page that redirects to
127.0.0.1 would make the server read its neighbours. So every connection the checker opens
goes through ``GuardedBackend.connect_tcp``: the host is resolved there, every address it
resolves to is classified, and the socket is opened to the very address that was checked.
Checking and connecting in one place leaves no gap for DNS rebinding (a name that answers a
public address to the check and a private one to the connect), and it covers every redirect,
because each hop to a new host opens a new connection. TLS still verifies the certificate
against the host name (httpcore passes the name, not the address, as SNI) and the Host header
is the name, so virtual hosts work as for any browser.

Residual risk, stated honestly: ``getaddrinfo`` has no timeout of its own, so a slow resolver
holds one worker until the system resolver gives up.
"""

import ipaddress
import socket

import httpcore
import httpx
from django.utils.translation import gettext as _


class RefusedAddress(Exception):
    """The host resolves to an address the checker may not connect to."""

    def __init__(self, host: str, address: str, reason: str):
        self.host, self.address, self.reason = host, address, reason
        super().__init__(
            _("ไม่ตรวจที่อยู่นี้: %(host)s ชี้ไปที่ %(address)s ซึ่งเป็น%(reason)s")
            % {"host": host, "address": address, "reason": reason}
        )


class UnknownHost(Exception):
    """The host name does not resolve (DNS)."""

    def __init__(self, host: str):
        self.host = host
        super().__init__(_("ไม่พบชื่อโดเมน %(host)s (DNS)") % {"host": host})


def refusal_reason(address: str) -> str | None:
    """Return why the checker may not connect to ``address`` (Thai), or None if it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    # ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address it carries.
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return _("ที่อยู่ว่าง (unspecified)")
    if ip.is_loopback:
        return _("ที่อยู่ของเครื่องเอง (loopback)")
    if ip.is_link_local:
        return _("ที่อยู่ในเครือข่ายเชื่อมต่อตรง (link-local)")
    if ip.is_multicast:
        return _("ที่อยู่แบบกระจายกลุ่ม (multicast)")
    if ip.is_private:
        return _("ที่อยู่ในเครือข่ายภายใน (private)")
    if ip.is_reserved:
        return _("ที่อยู่สงวน (reserved)")
    if not ip.is_global:
        # e.g. 100.64.0.0/10, the carriers' shared space: not the public internet either.
        return _("ที่อยู่ที่ไม่ใช่อินเทอร์เน็ตสาธารณะ")
    return None


def resolve(host: str, port: int) -> list[str]:
    """Return the addresses ``host`` resolves to (an address literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnknownHost(host) from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise UnknownHost(host)
    return addresses


def checked_address(host: str, port: int, *, allow_private: bool) -> str:
    """Resolve ``host`` and return the address to connect to, refusing a forbidden one.

    Every address the name resolves to must pass, not only the first: a name that answers
    one public and one private address could otherwise be retried onto the private one.
    """
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            if reason := refusal_reason(address):
                raise RefusedAddress(host, address, reason)
    return addresses[0]


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses that passed the guard."""

    def __init__(self, *, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = checked_address(host, port, allow_private=self.allow_private)
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def guarded_transport(*, allow_private: bool, max_connections: int) -> httpx.HTTPTransport:
    """Return an httpx transport whose every connection goes through the guard.

    httpx takes no network backend of its own, so the pool it built is replaced by one that
    has the guarded backend (httpx is pinned below 1.0; tests/oit/test_checker_guard.py
    fails if this ever stops guarding).
    """
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        network_backend=GuardedBackend(allow_private=allow_private),
    )
    return transport

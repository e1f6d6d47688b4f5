"""One-time codes as an authenticator app shows them, for staff who sign in with two factors."""

import base64
import hashlib
import hmac
import struct
import time

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # what make_user gives staff


def totp_now(secret: str = TOTP_SECRET) -> str:
    """RFC 6238 code for the current 30-second window."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"
